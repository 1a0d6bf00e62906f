// Running a straight-line program (FlatProgram.swift): the forward pass fills the registers
// and adds each term's partials into the adjoints; the reverse pass runs the argument-building
// operations backwards. Formulas are the tree's: bound transforms as
// Evaluator+Transforms.swift, functions through `UnaryFunction`, densities through the same
// row kernels (DensityKernels.swift) and closed forms (Evaluator+ClosedForms.swift).
import SynmAutodiff
import SynmDistributions
import SynmMath

/// One evaluation's registers: values, adjoints and each function's local derivative.
/// Each chain (each copy of a CompiledModel) has its own, laid out for one program, which it
/// holds (so no other program can take its place at the same address): a copy of a model whose
/// program was replaced (`reweighted`) makes its own.
struct FlatScratch: Sendable {
    let program: FlatProgram
    var values: [Double]
    var adjoints: [Double]
    var derivatives: [Double]

    init(_ program: FlatProgram) {
        self.program = program
        values = program.initialRegisters
        adjoints = Array(repeating: 0, count: values.count)
        derivatives = Array(repeating: 0, count: values.count)
    }
}

extension FlatProgram {
    /// log π(x) with its gradient written into `gradient`, or nil when the evaluation met
    /// something the tree must report (an argument outside its domain, a term that is not
    /// finite): the caller then evaluates by walking the tree.
    func run(_ x: [Double], _ scratch: inout FlatScratch, gradient: inout [Double]) -> Double? {
        let dimension = self.dimension
        guard x.count >= dimension, gradient.count >= dimension else { return nil }
        return ops.withUnsafeBufferPointer { ops in
            backward.withUnsafeBufferPointer { backward in
                scratch.values.withUnsafeMutableBufferPointer { vb in
                    scratch.adjoints.withUnsafeMutableBufferPointer { gb in
                        scratch.derivatives.withUnsafeMutableBufferPointer { db in
                            let v = vb.baseAddress!, g = gb.baseAddress!, d = db.baseAddress!
                            x.withUnsafeBufferPointer { xs in
                                for k in 0..<dimension { v[k] = xs[k] }
                            }
                            for r in adjointRanges { (g + r.lowerBound).update(repeating: 0, count: r.count) }
                            var total = 0.0
                            let base = ops.baseAddress!
                            for i in 0..<ops.count {
                                guard let t = Self.forward(base + i, v, g, d) else { return nil }
                                total += t
                            }
                            guard total.isFinite else { return nil }
                            for i in backward { Self.reverse(base + Int(i), v, g, d) }
                            gradient.withUnsafeMutableBufferPointer { out in
                                for k in 0..<dimension { out[k] = g[k] }
                            }
                            return total
                        }
                    }
                }
            }
        }
    }

    /// One operation forward; returns what it adds to the target (nil: fall back to the tree).
    @inline(__always)
    static func forward(_ op: UnsafePointer<FlatOp>, _ v: UnsafeMutablePointer<Double>, _ g: UnsafeMutablePointer<Double>,
                        _ d: UnsafeMutablePointer<Double>) -> Double? {
        let n = Int(op.pointee.n), out = Int(op.pointee.out)
        let a = Int(op.pointee.a.base), sa = Int(op.pointee.a.stride)
        let b = Int(op.pointee.b.base), sb = Int(op.pointee.b.stride)
        switch op.pointee.kind {
        case .lower, .upper:
            // x = lower + eᵘ (upper − eᵘ); the log-Jacobian u has derivative 1.
            var jacobian = 0.0
            let sign = op.pointee.kind == .lower ? 1.0 : -1.0, bound = op.pointee.kind == .lower ? op.pointee.lower : op.pointee.upper
            for k in 0..<n {
                let u = v[a &+ k], e = Double.exp(u)
                v[out &+ k] = op.pointee.kind == .lower ? bound + e : bound - e
                d[out &+ k] = sign * e
                jacobian += u
                g[a &+ k] += 1
            }
            return jacobian
        case .bounded:
            let width = op.pointee.upper - op.pointee.lower
            var jacobian = 0.0
            for k in 0..<n {
                let u = v[a &+ k], s = invLogitT(u)
                v[out &+ k] = op.pointee.lower + width * s
                d[out &+ k] = width * s * (1 - s)
                jacobian += Double.log(width) + logInvLogitT(u) + logInvLogitT(-u)
                g[a &+ k] += 1 - 2 * s
            }
            return jacobian
        case .unary:
            let f = op.pointee.function
            for k in 0..<n {
                let (fx, dx) = f.valueAndDerivative(v[a &+ k &* sa])
                v[out &+ k] = fx
                d[out &+ k] = dx
            }
            return 0
        case .add:
            for k in 0..<n { v[out &+ k] = v[a &+ k &* sa] + v[b &+ k &* sb] }
            return 0
        case .subtract:
            for k in 0..<n { v[out &+ k] = v[a &+ k &* sa] - v[b &+ k &* sb] }
            return 0
        case .multiply:
            for k in 0..<n { v[out &+ k] = v[a &+ k &* sa] * v[b &+ k &* sb] }
            return 0
        case .divide:
            for k in 0..<n { v[out &+ k] = v[a &+ k &* sa] / v[b &+ k &* sb] }
            return 0
        case .multiplyAdd:
            let c = Int(op.pointee.c.base), sc = Int(op.pointee.c.stride)
            for k in 0..<n { v[out &+ k] = v[a &+ k &* sa] + v[b &+ k &* sb] * v[c &+ k &* sc] }
            return 0
        case .target:
            var t = 0.0
            for k in 0..<n {
                t += v[a &+ k]
                if op.pointee.a.active { g[a &+ k] += 1 }
            }
            return t
        case .density:
            let lp = density(op, v, g)
            return lp.isFinite ? lp : nil
        }
    }

    /// One argument-building operation backwards: its result's adjoints into its operands'.
    @inline(__always)
    static func reverse(_ op: UnsafePointer<FlatOp>, _ v: UnsafeMutablePointer<Double>, _ g: UnsafeMutablePointer<Double>,
                        _ d: UnsafeMutablePointer<Double>) {
        let n = Int(op.pointee.n), out = Int(op.pointee.out)
        let a = Int(op.pointee.a.base), sa = Int(op.pointee.a.stride)
        let b = Int(op.pointee.b.base), sb = Int(op.pointee.b.stride)
        let da = op.pointee.a.active, db = op.pointee.b.active
        switch op.pointee.kind {
        case .lower, .upper, .bounded, .unary:
            for k in 0..<n { g[a &+ k &* sa] += g[out &+ k] * d[out &+ k] }
        case .add:
            for k in 0..<n {
                let adj = g[out &+ k]
                if da { g[a &+ k &* sa] += adj }
                if db { g[b &+ k &* sb] += adj }
            }
        case .subtract:
            for k in 0..<n {
                let adj = g[out &+ k]
                if da { g[a &+ k &* sa] += adj }
                if db { g[b &+ k &* sb] -= adj }
            }
        case .multiply:
            for k in 0..<n {
                let adj = g[out &+ k]
                if da { g[a &+ k &* sa] += adj * v[b &+ k &* sb] }
                if db { g[b &+ k &* sb] += adj * v[a &+ k &* sa] }
            }
        case .divide:
            for k in 0..<n {
                let adj = g[out &+ k], y = v[b &+ k &* sb]
                if da { g[a &+ k &* sa] += adj / y }
                if db { g[b &+ k &* sb] -= adj * v[out &+ k] / y }
            }
        case .multiplyAdd:
            let c = Int(op.pointee.c.base), sc = Int(op.pointee.c.stride), dc = op.pointee.c.active
            for k in 0..<n {
                let adj = g[out &+ k]
                if da { g[a &+ k &* sa] += adj }
                if db { g[b &+ k &* sb] += adj * v[c &+ k &* sc] }
                if dc { g[c &+ k &* sc] += adj * v[b &+ k &* sb] }
            }
        case .density, .target:
            break
        }
    }

    /// A `~` term: the weighted sum of its rows, with the weighted partials added into the
    /// adjoints of its active operands. NaN when an argument is outside its domain.
    static func density(_ op: UnsafePointer<FlatOp>, _ v: UnsafeMutablePointer<Double>,
                        _ g: UnsafeMutablePointer<Double>) -> Double {
        let a = Int(op.pointee.a.base), b = Int(op.pointee.b.base), c = Int(op.pointee.c.base)
        if let stats = op.pointee.statistics, op.pointee.a.stride == 0, op.pointee.b.stride == 0,
           valid(op, v[a], v[b], v[c]),
           let (lp, da, db) = Evaluator<Double>.closedForm(op.pointee.distribution, stats, v[a], v[b]), lp.isFinite {
            let w = op.pointee.weight
            if op.pointee.a.active { g[a] += w * da }
            if op.pointee.b.active { g[b] += w * db }
            return w * lp
        }
        switch op.pointee.distribution {
        case .normal: return normalRows(op, v, g)
        case .stdNormal: return rows(StdNormalRow.self, op, v, g)
        case .cauchy:
            return op.pointee.inverseScales >= 0 ? cauchyRows(op, v, g) : rows(CauchyRow.self, op, v, g)
        case .studentT: return rows(StudentTRow.self, op, v, g)
        case .exponential: return rows(ExponentialRow.self, op, v, g)
        case .gamma: return rows(GammaRow.self, op, v, g)
        case .lognormal: return rows(LognormalRow.self, op, v, g)
        case .bernoulliLogit: return rows(BernoulliLogitRow.self, op, v, g)
        case .poissonLog: return rows(PoissonLogRow.self, op, v, g)
        default: return rows(AnyDistributionRow.self, op, v, g)
        }
    }

    @inline(__always)
    static func valid(_ op: UnsafePointer<FlatOp>, _ a: Double, _ b: Double, _ c: Double) -> Bool {
        let arity = op.pointee.arity
        return (arity < 1 || Evaluator<Double>.satisfies(op.pointee.domains.0, a, previous: 0))
            && (arity < 2 || Evaluator<Double>.satisfies(op.pointee.domains.1, b, previous: a))
            && (arity < 3 || Evaluator<Double>.satisfies(op.pointee.domains.2, c, previous: b))
    }

    /// normal(μ, σ) rows, Kernels.normal's formula with σ's reciprocal and logarithm taken once
    /// per term (a scalar σ, its reciprocal kept in the op's register) or once when compiled (a
    /// constant array σ, validated then). A non-finite μ or y makes the sum non-finite, and the
    /// tree then reports it. One loop per pair of active operands, so none tests per row.
    static func normalRows(_ op: UnsafePointer<FlatOp>, _ v: UnsafeMutablePointer<Double>,
                           _ g: UnsafeMutablePointer<Double>) -> Double {
        let n = Int(op.pointee.n), w = op.pointee.weight
        let y = Int(op.pointee.y.base), sy = Int(op.pointee.y.stride)
        let a = Int(op.pointee.a.base), sa = Int(op.pointee.a.stride)
        let b = Int(op.pointee.b.base)
        let scales = Int(op.pointee.inverseScales)
        guard scales >= 0 else { return rows(NormalRow.self, op, v, g) }
        var constant = op.pointee.constant
        let si = op.pointee.b.stride == 0 ? 0 : 1
        if si == 0, op.pointee.b.active {
            // A scalar σ that varies: validated, its reciprocal written to the op's register
            // (a constant one was, with the log terms, when the program was compiled).
            let sigma = v[b]
            guard sigma > 0, sigma < .infinity else { return .nan }
            v[scales] = 1 / sigma
            constant = -Double(n) * (Double.log(sigma) + halfLog2Pi)
        }
        let yp = v + y, ap = v + a, ip = v + scales, gy = g + y, ga = g + a
        var q = 0.0
        switch (op.pointee.y.active, op.pointee.a.active) {
        case (true, false):
            for k in 0..<n {
                let inv = ip[k &* si], z = (yp[k &* sy] - ap[k &* sa]) * inv
                q += z * z
                gy[k &* sy] -= w * z * inv
            }
        case (false, true):
            for k in 0..<n {
                let inv = ip[k &* si], z = (yp[k &* sy] - ap[k &* sa]) * inv
                q += z * z
                ga[k &* sa] += w * z * inv
            }
        case (true, true):
            for k in 0..<n {
                let inv = ip[k &* si], z = (yp[k &* sy] - ap[k &* sa]) * inv
                q += z * z
                gy[k &* sy] -= w * z * inv
                ga[k &* sa] += w * z * inv
            }
        case (false, false):
            for k in 0..<n {
                let z = (yp[k &* sy] - ap[k &* sa]) * ip[k &* si]
                q += z * z
            }
        }
        // ∂/∂σ of Σ(−z²/2 − log σ) for a scalar σ: Σ(z² − 1)/σ.
        if op.pointee.b.active { g[b] += w * (q - Double(n)) * ip[0] }
        return w * (-0.5 * q + constant)
    }

    /// cauchy(μ, σ) rows with a constant σ (its reciprocal and log terms taken when compiled),
    /// Kernels.cauchy's formula otherwise. A non-finite μ or y makes the sum non-finite, and the
    /// tree then reports it.
    static func cauchyRows(_ op: UnsafePointer<FlatOp>, _ v: UnsafeMutablePointer<Double>,
                           _ g: UnsafeMutablePointer<Double>) -> Double {
        let n = Int(op.pointee.n), w = op.pointee.weight
        let y = Int(op.pointee.y.base), sy = Int(op.pointee.y.stride)
        let a = Int(op.pointee.a.base), sa = Int(op.pointee.a.stride)
        let si = op.pointee.b.stride == 0 ? 0 : 1
        let ip = v + Int(op.pointee.inverseScales)
        let ya = op.pointee.y.active, aa = op.pointee.a.active
        var total = 0.0
        for k in 0..<n {
            let inv = ip[k &* si], z = (v[y &+ k &* sy] - v[a &+ k &* sa]) * inv
            let dz = -2 * z / (1 + z * z)
            total += Double.log1p(z * z)
            if ya { g[y &+ k &* sy] += w * dz * inv }
            if aa { g[a &+ k &* sa] -= w * dz * inv }
        }
        return w * (op.pointee.constant - total)
    }

    /// The row loop of one distribution (the kernel specialised per distribution).
    @inline(__always)
    static func rows<K: FlatRowKernel>(_: K.Type, _ op: UnsafePointer<FlatOp>, _ v: UnsafeMutablePointer<Double>,
                                       _ g: UnsafeMutablePointer<Double>) -> Double {
        let n = Int(op.pointee.n), w = op.pointee.weight, dist = op.pointee.distribution
        let y = Int(op.pointee.y.base), sy = Int(op.pointee.y.stride)
        let a = Int(op.pointee.a.base), sa = Int(op.pointee.a.stride)
        let b = Int(op.pointee.b.base), sb = Int(op.pointee.b.stride)
        let c = Int(op.pointee.c.base), sc = Int(op.pointee.c.stride)
        let ya = op.pointee.y.active, aa = op.pointee.a.active, ba = op.pointee.b.active, ca = op.pointee.c.active
        let perRow = sa | sb | sc != 0
        if !perRow, !valid(op, v[a], v[b], v[c]) { return .nan }
        var p = DensityPartials<Double>()
        var total = 0.0
        for k in 0..<n {
            let ak = v[a &+ k &* sa], bk = v[b &+ k &* sb], ck = v[c &+ k &* sc]
            if perRow, !valid(op, ak, bk, ck) { return .nan }
            total += K.row(dist, v[y &+ k &* sy], ak, bk, ck, &p)
            if ya { g[y &+ k &* sy] += w * p.variate }
            if aa { g[a &+ k &* sa] += w * p.a }
            if ba { g[b &+ k &* sb] += w * p.b }
            if ca { g[c &+ k &* sc] += w * p.c }
        }
        return w * total
    }
}

/// A row kernel that may read the distribution (the generic one does; the specialised ones
/// ignore it).
protocol FlatRowKernel {
    static func row(_ d: Distribution, _ y: Double, _ a: Double, _ b: Double, _ c: Double,
                    _ p: inout DensityPartials<Double>) -> Double
}

extension FlatRowKernel where Self: RowKernel {
    @inline(__always)
    static func row(_ d: Distribution, _ y: Double, _ a: Double, _ b: Double, _ c: Double,
                    _ p: inout DensityPartials<Double>) -> Double {
        row(y, a, b, c, &p)
    }
}

extension NormalRow: FlatRowKernel {}
extension StdNormalRow: FlatRowKernel {}
extension CauchyRow: FlatRowKernel {}
extension StudentTRow: FlatRowKernel {}
extension ExponentialRow: FlatRowKernel {}
extension GammaRow: FlatRowKernel {}
extension LognormalRow: FlatRowKernel {}
extension BernoulliLogitRow: FlatRowKernel {}
extension PoissonLogRow: FlatRowKernel {}

/// Every other distribution, through `Distribution.logDensity` (a switch per row).
enum AnyDistributionRow: FlatRowKernel {
    @inline(__always)
    static func row(_ d: Distribution, _ y: Double, _ a: Double, _ b: Double, _ c: Double,
                    _ p: inout DensityPartials<Double>) -> Double {
        Distribution.logDensity(d, variate: y, a, b, c, partials: &p)
    }
}
