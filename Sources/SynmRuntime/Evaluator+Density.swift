// Distribution terms: one node for `y ~ d(args)` over all rows. The operands are resolved
// once into lanes (a scalar, constants in the pool, or tape values), the distribution is
// switched on once, and a loop specialised per distribution sums the log densities and
// writes the node's edges in bulk: a scalar variable operand gets one edge (its partials
// summed in a register), an array operand one edge per row, constants none. Arguments are
// validated per row with inline comparisons; a message is built only on failure.
import SynmAutodiff
import SynmDiagnostics
import SynmDistributions
import SynmMath

/// Where a row's operand comes from.
struct Lane<T: RealScalar> {
    /// `gathered`: the cells of a `var` array read in place (Evaluator+CellReads.swift): row k
    /// is tape variable `cells[k]`.
    enum Kind: UInt8 { case scalar, scalarVariable, constants, variables, gathered }
    var kind: Kind
    var base: Int32
    var scalar: T
    /// A scalar added to every element of an array lane (`alpha + X * beta` as an argument:
    /// no node of n sums, and the scalar gets one edge with its partials summed).
    var offset: T = 0
    /// The offset's variable, or −1 when it is a constant.
    var offsetBase: Int32 = -1
    /// A gathered lane's tape variables (set just before the term's node is written).
    var cells: UnsafePointer<Int32>? = nil

    /// Element k's value.
    @inline(__always) func value(_ k: Int, _ w: NodeWriter<T>) -> T {
        switch kind {
        case .scalar, .scalarVariable: return scalar
        case .constants: return w.constant(base + Int32(truncatingIfNeeded: k)) + offset
        case .variables: return w.value(base + Int32(truncatingIfNeeded: k)) + offset
        case .gathered: return w.value(cells.unsafelyUnwrapped[k]) + offset
        }
    }
    var isVariable: Bool { kind == .scalarVariable || kind == .variables || kind == .gathered }
    var isArray: Bool { kind == .constants || kind == .variables || kind == .gathered }
    /// An array of tape variables: one edge per row.
    var isVariableArray: Bool { kind == .variables || kind == .gathered }
    /// The tape variable of row k of a variable array.
    @inline(__always) func source(_ k: Int) -> Int32 {
        kind == .gathered ? cells.unsafelyUnwrapped[k] : base + Int32(truncatingIfNeeded: k)
    }
}

/// A row kernel with per-term constants hoisted out of the loop.
enum HoistedKernel {
    case none, normalSigma, poissonLogCore, poissonCore
}

/// Why a row failed, found inside the loop and reported after it.
enum RowFailure {
    case none
    case invalidArguments(Int)
    case notFinite(Int)
}

extension Evaluator {
    @inline(__always) func lane(_ v: RV) -> Lane<T> {
        switch v {
        case .scalar(let x): return Lane(kind: .scalar, base: 0, scalar: T(x))
        case .variable(let i): return Lane(kind: .scalarVariable, base: i.raw, scalar: tape.value(of: i))
        case .constants(let c): return Lane(kind: .constants, base: c.start, scalar: 0)
        case .variables(let r, _, _): return Lane(kind: .variables, base: r.start, scalar: 0)
        }
    }

    /// An argument of a density. `scalar + array` (either order) is not summed into a node:
    /// the array's lane carries the scalar as an offset.
    mutating func argument(_ ir: IRExpr) -> (RV, RV?) {
        if case .binary(.add, let l, let r, let span) = ir {
            let x = evaluate(l), y = evaluate(r)
            guard failure == nil else { return (.scalar(.nan), nil) }
            if x.isScalar != y.isScalar, shape(x.isScalar ? y : x).columns == 0 {
                return x.isScalar ? (y, x) : (x, y)
            }
            return (binary(.add, x, y, span), nil)
        }
        return (evaluate(ir), nil)
    }

    /// A lane with its offset applied.
    @inline(__always) func lane(_ v: RV, offset: RV?) -> Lane<T> {
        var l = lane(v)
        if let offset {
            l.offset = element(offset, 0)
            if case .variable(let i) = offset { l.offsetBase = i.raw }
        }
        return l
    }

    /// A term's footing weight, evaluated.
    enum TermWeight {
        /// Weight 0: the term adds nothing.
        case zero
        /// The weight expression failed, or its value is outside [0, 1] (`failure` is set).
        case failed
        /// The weight and, when it is a model variable, its tape index.
        case value(T, VarIndex?)
    }

    /// Evaluates a term's weight (shared by the scalar and the vector densities).
    mutating func termWeight(_ weight: IRWeight, _ span: SourceSpan?) -> TermWeight {
        switch weight {
        case .one: return .value(T(1), nil)
        case .zero: return .zero
        case .constant(let x): return .value(T(x), nil)
        case .expression(let e), .normalized(let e, _):
            let wv = evaluate(e)
            guard failure == nil else { return .failed }
            let w = element(wv, 0)
            guard w.value >= 0 && w.value <= 1 else {
                fail("the footing weight is \(formatNumber(w.value)); it must be in [0, 1]", span)
                return .failed
            }
            if case .variable(let i) = wv { return .value(w, i) }
            return .value(w, nil)
        }
    }

    /// The summed (and weighted) log density of a distribution call, as a runtime value.
    mutating func density(_ call: DensityCall, weight: IRWeight) -> RV {
        if let shape = call.glm, let fused = fusedDensity(call, shape, weight: weight) { return fused }
        // Operands that are whole `var` arrays are read in place (Evaluator+CellReads.swift):
        // `gathered` holds where their tape variables start in `cellGather`, −1 for the others.
        let gatherMark = cellGatherTop
        defer { cellGatherTop = gatherMark }
        var gathered: (Int32, Int32, Int32, Int32) = (-1, -1, -1, -1)
        let y = gatheredCells(call.variate, &gathered.0) ?? evaluate(call.variate)
        let (a0, oa) = densityArgument(call, 0, &gathered.1)
        let (b0, ob) = densityArgument(call, 1, &gathered.2)
        let (c0, oc) = densityArgument(call, 2, &gathered.3)
        let w: T, weightVariable: VarIndex?
        if case .one = weight {
            (w, weightVariable) = (T(1), nil)
        } else {
            switch termWeight(weight, call.span) {
            case .zero: return .scalar(0)
            case .failed: return .scalar(.nan)
            case .value(let x, let v): (w, weightVariable) = (x, v)
            }
        }
        guard failure == nil else { return .scalar(.nan) }
        var n = -1
        if !(a0.isScalar && b0.isScalar && c0.isScalar) {
            guard rows(a0, &n, call), rows(b0, &n, call), rows(c0, &n, call) else { return .scalar(.nan) }
        }
        if n < 0 { n = y.isScalar ? 1 : y.count }
        if !y.isScalar, y.count != n {
            fail("\(call.distribution.name): the left side has \(y.count) elements but the arguments have \(n)", call.span)
            return .scalar(.nan)
        }
        if n == 0 { return .scalar(0) }
        var lanes = (lane(y), lane(a0, offset: oa), lane(b0, offset: ob), lane(c0, offset: oc))
        let anyGathered = gathered.0 & gathered.1 & gathered.2 & gathered.3 != -1
        if anyGathered { gatheredLanes(&lanes, gathered) }

        // Scalar arguments are validated once, here; array arguments per row, in the loop.
        let arity = call.domains.count
        let domains = call.domains
        if !Self.scalarsValid(call.domainTriple, arity, lanes.1, lanes.2, lanes.3) {
            let (y, a0, b0, c0) = ungathered(call, gathered, y, a0, b0, c0)
            let (a, b, c) = plainArguments(a0, oa, b0, ob, c0, oc)
            return reportInvalid(call, y, a, b, c, row: 0, n: n)
        }
        if n == 1, !lanes.0.isArray, !lanes.1.isArray, !lanes.2.isArray, !lanes.3.isArray {
            return singleRow(call, lanes, w, weightVariable, y, a0, b0, c0)
        }
        // iid terms with scalar arguments: closed forms over sufficient statistics.
        if let stats = call.variateStatistics, lanes.0.kind == .constants, !lanes.1.isArray, !lanes.2.isArray,
           !lanes.3.isArray, let (lp, da, db) = Self.closedForm(call.distribution, stats, lanes.1.scalar, lanes.2.scalar),
           lp.value.isFinite {
            return closedFormNode(lp, da, db, lanes, w, weightVariable)
        }
        // Hoisted per-term constants: 1/σ and log σ for a scalar σ; Σ log y! of count data.
        let kernel = call.distribution
        var constant = T(0)
        var hoisted: HoistedKernel = .none
        if kernel == .normal, !lanes.2.isArray {
            let sigma = lanes.2.scalar
            lanes.2.scalar = 1 / sigma
            lanes.3 = Lane(kind: .scalar, base: 0, scalar: T.log(sigma))
            hoisted = .normalSigma
        } else if (kernel == .poissonLog || kernel == .poisson), lanes.0.kind == .constants,
                  let logFactorials = call.variateStatistics?.sumLogFactorial {
            constant = -T(logFactorials)
            hoisted = kernel == .poisson ? .poissonCore : .poissonLogCore
        }
        let edges = Self.edgeCount(lanes, n) + (weightVariable == nil ? 0 : 1)
        var total = T(0)
        var failed = RowFailure.none
        let gather = cellGather, fastNormal = readsCellsInPlace
        let out = gather.withUnsafeBufferPointer { cells in
            if anyGathered, let base = cells.baseAddress {
                if gathered.0 >= 0 { lanes.0.cells = base + Int(gathered.0) }
                if gathered.1 >= 0 { lanes.1.cells = base + Int(gathered.1) }
                if gathered.2 >= 0 { lanes.2.cells = base + Int(gathered.2) }
                if gathered.3 >= 0 { lanes.3.cells = base + Int(gathered.3) }
            }
            return tape.withNode(outputs: 1, edges: edges) { writer in
                switch hoisted {
                case .normalSigma:
                    total = (fastNormal ? Self.normalRowsScalarScale(lanes, n, w, writer, &failed) : nil)
                        ?? Self.rows(NormalHoistedSigmaRow.self, lanes, n, w, domains, arity, writer, &failed)
                case .poissonLogCore: total = Self.rows(PoissonLogCoreRow.self, lanes, n, w, domains, arity, writer, &failed)
                case .poissonCore: total = Self.rows(PoissonCoreRow.self, lanes, n, w, domains, arity, writer, &failed)
                case .none:
                    if fastNormal, kernel == .normal, let t = Self.normalRowsArrayScale(lanes, n, w, domains, writer, &failed) {
                        total = t
                    } else {
                        total = Self.dispatch(call.distribution, lanes, n, w, domains, arity, writer, &failed)
                    }
                }
                total += constant
                if let weightVariable {
                    writer.edge(edges - 1, from: weightVariable.raw, toOutput: 0, partial: total)
                }
                writer.setOutput(0, total * w)
            }[0]
        }
        switch failed {
        case .none: break
        case .invalidArguments(let k):
            let (y, a0, b0, c0) = ungathered(call, gathered, y, a0, b0, c0)
            let (a, b, c) = plainArguments(a0, oa, b0, ob, c0, oc)
            return reportInvalid(call, y, a, b, c, row: k, n: n)
        case .notFinite(let k):
            let (y, a0, b0, c0) = ungathered(call, gathered, y, a0, b0, c0)
            let (a, b, c) = plainArguments(a0, oa, b0, ob, c0, oc)
            return reportNotFinite(call, y, a, b, c, row: k, n: n)
        }
        if edges == 0 { return .scalar(total.value * w.value) }
        return .variable(out)
    }

    /// One row (a scalar prior such as `mu ~ normal(0, 5)`): a direct kernel call and a small
    /// node, without the bulk machinery.
    mutating func singleRow(_ call: DensityCall, _ l: (Lane<T>, Lane<T>, Lane<T>, Lane<T>), _ w: T,
                            _ weightVariable: VarIndex?, _ y: RV, _ a: RV, _ b: RV, _ c: RV) -> RV {
        var p = DensityPartials<T>()
        let lp = Distribution.logDensity(call.distribution, variate: l.0.scalar, l.1.scalar, l.2.scalar, l.3.scalar,
                                         partials: &p)
        guard lp.value.isFinite else { return reportNotFinite(call, y, a, b, c, row: 0, n: 1) }
        let variables = l.0.isVariable || l.1.isVariable || l.2.isVariable || l.3.isVariable || weightVariable != nil
        guard variables else { return .scalar(lp.value * w.value) }
        let out = tape.newVariable(lp * w)
        if l.0.isVariable { tape.addEdge(from: VarIndex(raw: l.0.base), to: out, partial: p.variate * w) }
        if l.1.isVariable { tape.addEdge(from: VarIndex(raw: l.1.base), to: out, partial: p.a * w) }
        if l.2.isVariable { tape.addEdge(from: VarIndex(raw: l.2.base), to: out, partial: p.b * w) }
        if l.3.isVariable { tape.addEdge(from: VarIndex(raw: l.3.base), to: out, partial: p.c * w) }
        if let weightVariable { tape.addEdge(from: weightVariable, to: out, partial: lp) }
        return .variable(out)
    }

    /// A term node from a closed form: value and the partials of the scalar arguments.
    mutating func closedFormNode(_ lp: T, _ da: T, _ db: T, _ lanes: (Lane<T>, Lane<T>, Lane<T>, Lane<T>), _ w: T,
                                 _ weightVariable: VarIndex?) -> RV {
        let variables = (lanes.1.kind == .scalarVariable ? 1 : 0) + (lanes.2.kind == .scalarVariable ? 1 : 0)
            + (weightVariable == nil ? 0 : 1)
        if variables == 0 { return .scalar(lp.value * w.value) }
        let out = tape.newVariable(lp * w)
        if lanes.1.kind == .scalarVariable { tape.addEdge(from: VarIndex(raw: lanes.1.base), to: out, partial: da * w) }
        if lanes.2.kind == .scalarVariable { tape.addEdge(from: VarIndex(raw: lanes.2.base), to: out, partial: db * w) }
        if let weightVariable { tape.addEdge(from: weightVariable, to: out, partial: lp) }
        return .variable(out)
    }

    /// The generic row loop for a distribution.
    static func dispatch(_ d: Distribution, _ lanes: (Lane<T>, Lane<T>, Lane<T>, Lane<T>), _ n: Int, _ w: T,
                         _ domains: [ArgumentDomain], _ arity: Int, _ writer: NodeWriter<T>,
                         _ failed: inout RowFailure) -> T {
        var total = T(0)
        switch d {
            case .normal: total = Self.rows(NormalRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .studentT: total = Self.rows(StudentTRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .cauchy: total = Self.rows(CauchyRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .doubleExponential: total = Self.rows(DoubleExponentialRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .logistic: total = Self.rows(LogisticRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .lognormal: total = Self.rows(LognormalRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .exponential: total = Self.rows(ExponentialRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .gamma: total = Self.rows(GammaRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .invGamma: total = Self.rows(InvGammaRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .weibull: total = Self.rows(WeibullRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .beta: total = Self.rows(BetaRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .uniform: total = Self.rows(UniformRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .bernoulli: total = Self.rows(BernoulliRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .bernoulliLogit: total = Self.rows(BernoulliLogitRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .binomial: total = Self.rows(BinomialRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .binomialLogit: total = Self.rows(BinomialLogitRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .poisson: total = Self.rows(PoissonRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .poissonLog: total = Self.rows(PoissonLogRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .negBinomial2: total = Self.rows(NegBinomial2Row.self, lanes, n, w, domains, arity, writer, &failed)
            case .betaBinomial: total = Self.rows(BetaBinomialRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .negBinomial: total = Self.rows(NegBinomialRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .vonMises: total = Self.rows(VonMisesRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .skewNormal: total = Self.rows(SkewNormalRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .gumbel: total = Self.rows(GumbelRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .pareto: total = Self.rows(ParetoRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .scaledInvChiSquare: total = Self.rows(ScaledInvChiSquareRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .chiSquare: total = Self.rows(ChiSquareRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .invChiSquare: total = Self.rows(InvChiSquareRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .frechet: total = Self.rows(FrechetRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .rayleigh: total = Self.rows(RayleighRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .stdNormal: total = Self.rows(StdNormalRow.self, lanes, n, w, domains, arity, writer, &failed)
            case .betaProportion: total = Self.rows(BetaProportionRow.self, lanes, n, w, domains, arity, writer, &failed)
        }
        return total
    }

    /// Edges of a term node: one per row for each array variable operand, one per scalar
    /// variable operand.
    static func edgeCount(_ l: (Lane<T>, Lane<T>, Lane<T>, Lane<T>), _ n: Int) -> Int {
        func count(_ x: Lane<T>) -> Int {
            (x.isVariableArray ? n : x.kind == .scalarVariable ? 1 : 0) + (x.offsetBase >= 0 ? 1 : 0)
        }
        return count(l.0) + count(l.1) + count(l.2) + count(l.3)
    }

    /// The row loop, specialised per distribution. Edge slots: the array operands' rows first
    /// (variate, a, b, c in that order, n slots each), then one slot per scalar variable.
    @inline(__always)
    static func rows<K: RowKernel>(
        _ kernel: K.Type, _ l: (Lane<T>, Lane<T>, Lane<T>, Lane<T>), _ n: Int, _ w: T, _ domains: [ArgumentDomain],
        _ arity: Int, _ writer: NodeWriter<T>, _ failed: inout RowFailure
    ) -> T {
        // The common operand kinds: a loop with the kinds fixed (Evaluator+RowShapes.swift).
        if let total = rowsByKind(kernel, l, n, w, domains, arity, writer, &failed) { return total }
        var total = T(0)
        var p = DensityPartials<T>()
        var sy = T(0), sa = T(0), sb = T(0), sc = T(0)
        var soa = T(0), sob = T(0), soc = T(0)
        let hasOffsets = l.1.offsetBase >= 0 || l.2.offsetBase >= 0 || l.3.offsetBase >= 0
        let checkRows = l.1.isArray || l.2.isArray || l.3.isArray
        // Edge slot offsets of the array operands.
        let oy = 0
        let oa = oy + (l.0.isVariableArray ? n : 0)
        let ob = oa + (l.1.isVariableArray ? n : 0)
        let oc = ob + (l.2.isVariableArray ? n : 0)
        var scalarSlot = oc + (l.3.isVariableArray ? n : 0)
        // The domains read once (the check per row is `argumentsValid`'s, without its array reads).
        let da = arity > 0 ? domains[0] : .finite, db = arity > 1 ? domains[1] : .finite
        let dc = arity > 2 ? domains[2] : .finite
        for k in 0..<n {
            let yk = l.0.value(k, writer), ak = l.1.value(k, writer), bk = l.2.value(k, writer), ck = l.3.value(k, writer)
            if checkRows, !((arity < 1 || satisfies(da, ak.value, previous: 0))
                            && (arity < 2 || satisfies(db, bk.value, previous: ak.value))
                            && (arity < 3 || satisfies(dc, ck.value, previous: bk.value))) {
                failed = .invalidArguments(k)
                return T(-.infinity)
            }
            total += K.row(yk, ak, bk, ck, &p)
            if l.0.isVariableArray { writer.edge(oy + k, from: l.0.source(k), toOutput: 0, partial: p.variate * w) }
            else if l.0.kind == .scalarVariable { sy += p.variate }
            if hasOffsets {
                soa += p.a
                sob += p.b
                soc += p.c
            }
            if l.1.isVariableArray { writer.edge(oa + k, from: l.1.source(k), toOutput: 0, partial: p.a * w) }
            else if l.1.kind == .scalarVariable { sa += p.a }
            if l.2.isVariableArray { writer.edge(ob + k, from: l.2.source(k), toOutput: 0, partial: p.b * w) }
            else if l.2.kind == .scalarVariable { sb += p.b }
            if l.3.isVariableArray { writer.edge(oc + k, from: l.3.source(k), toOutput: 0, partial: p.c * w) }
            else if l.3.kind == .scalarVariable { sc += p.c }
        }
        if !total.value.isFinite {
            // Find the row (rare path: the sum is −∞ or NaN).
            for k in 0..<n {
                let v = K.row(l.0.value(k, writer), l.1.value(k, writer), l.2.value(k, writer), l.3.value(k, writer), &p)
                if !v.value.isFinite {
                    failed = .notFinite(k)
                    break
                }
            }
            if case .none = failed { failed = .notFinite(0) }
            return total
        }
        if l.0.kind == .scalarVariable { writer.edge(scalarSlot, from: l.0.base, toOutput: 0, partial: sy * w); scalarSlot += 1 }
        if l.1.kind == .scalarVariable { writer.edge(scalarSlot, from: l.1.base, toOutput: 0, partial: sa * w); scalarSlot += 1 }
        if l.2.kind == .scalarVariable { writer.edge(scalarSlot, from: l.2.base, toOutput: 0, partial: sb * w); scalarSlot += 1 }
        if l.3.kind == .scalarVariable { writer.edge(scalarSlot, from: l.3.base, toOutput: 0, partial: sc * w); scalarSlot += 1 }
        // Offsets: ∂/∂offset is the sum of the array lane's row partials.
        if l.1.offsetBase >= 0 { writer.edge(scalarSlot, from: l.1.offsetBase, toOutput: 0, partial: soa * w); scalarSlot += 1 }
        if l.2.offsetBase >= 0 { writer.edge(scalarSlot, from: l.2.offsetBase, toOutput: 0, partial: sob * w); scalarSlot += 1 }
        if l.3.offsetBase >= 0 { writer.edge(scalarSlot, from: l.3.offsetBase, toOutput: 0, partial: soc * w); scalarSlot += 1 }
        return total
    }

    static func scalarsValid(_ domains: [ArgumentDomain], _ arity: Int, _ a: Lane<T>, _ b: Lane<T>, _ c: Lane<T>) -> Bool {
        // Array lanes pass here (checked per row); scalar lanes are checked against their
        // neighbours' scalar values only when both are scalars.
        let av = a.isArray ? Double.nan : a.scalar.value
        let bv = b.isArray ? Double.nan : b.scalar.value
        let cv = c.isArray ? Double.nan : c.scalar.value
        if arity > 0, !a.isArray, !satisfies(domains[0], av, previous: 0) { return false }
        if arity > 1, !b.isArray, !(domains[1] == .greaterThanPrevious && a.isArray), !satisfies(domains[1], bv, previous: av) { return false }
        if arity > 2, !c.isArray, !(domains[2] == .greaterThanPrevious && b.isArray), !satisfies(domains[2], cv, previous: bv) { return false }
        return true
    }

    /// The arguments with their offsets added (failure paths only).
    mutating func plainArguments(_ a: RV, _ oa: RV?, _ b: RV, _ ob: RV?, _ c: RV, _ oc: RV?) -> (RV, RV, RV) {
        (oa.map { materialize(a, plus: $0) } ?? a, ob.map { materialize(b, plus: $0) } ?? b,
         oc.map { materialize(c, plus: $0) } ?? c)
    }

    /// `v + offset` element-wise as plain values (for messages).
    mutating func materialize(_ v: RV, plus offset: RV) -> RV {
        let out = tape.newVariables(count: v.count)
        let o = element(offset, 0)
        for k in 0..<v.count { tape.setValue(element(v, k) + o, of: out[k]) }
        return .array(out)
    }

    mutating func reportInvalid(_ call: DensityCall, _ y: RV, _ a: RV, _ b: RV, _ c: RV, row k: Int, n: Int) -> RV {
        let av = elementValue(a, a.isScalar ? 0 : k), bv = elementValue(b, b.isScalar ? 0 : k)
        let cv = elementValue(c, c.isScalar ? 0 : k)
        let message = Distribution.validate(call.distribution, av, bv, cv)?.description ?? "\(call.distribution.name): invalid arguments"
        fail(n > 1 && !(a.isScalar && b.isScalar && c.isScalar) ? "\(message) (row \(k + 1))" : message, call.span)
        return .scalar(.nan)
    }

    mutating func reportNotFinite(_ call: DensityCall, _ y: RV, _ a: RV, _ b: RV, _ c: RV, row k: Int, n: Int) -> RV {
        let yv = elementValue(y, y.isScalar ? 0 : k)
        let av = elementValue(a, a.isScalar ? 0 : k), bv = elementValue(b, b.isScalar ? 0 : k)
        let cv = elementValue(c, c.isScalar ? 0 : k)
        let why = Distribution.validateVariate(call.distribution, yv, av, bv, cv)?.description
            ?? "\(call.distribution.name): the log density is not finite at y = \(formatNumber(yv))"
        fail(n > 1 ? "\(why) (row \(k + 1))" : why, call.span)
        return .scalar(.nan)
    }

    /// Folds an operand's length into the common row count; false (after failing) on a mismatch.
    mutating func rows(_ v: RV, _ n: inout Int, _ call: DensityCall) -> Bool {
        guard !v.isScalar else { return true }
        if n < 0 { n = v.count; return true }
        if v.count == n { return true }
        fail("\(call.distribution.name): argument sizes disagree (\(n) and \(v.count) elements)", call.span)
        return false
    }

    /// Whether x satisfies an argument domain (`previous` is the argument before it).
    @inline(__always) static func satisfies(_ domain: ArgumentDomain, _ x: Double, previous: Double) -> Bool {
        switch domain {
        case .finite: return x.isFinite
        case .positive: return x > 0 && x < .infinity
        case .nonNegative: return x >= 0 && x < .infinity
        case .probability: return x >= 0 && x <= 1
        case .openUnitInterval: return x > 0 && x < 1
        case .nonNegativeInteger: return x >= 0 && x == x.rounded() && x < .infinity
        case .greaterThanPrevious: return x > previous && x.isFinite
        }
    }

    @inline(__always) static func argumentsValid(_ domains: [ArgumentDomain], _ arity: Int, _ a: Double, _ b: Double,
                                                 _ c: Double) -> Bool {
        if arity > 0, !satisfies(domains[0], a, previous: 0) { return false }
        if arity > 1, !satisfies(domains[1], b, previous: a) { return false }
        if arity > 2, !satisfies(domains[2], c, previous: b) { return false }
        return true
    }
}
