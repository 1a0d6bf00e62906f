// Compiling declarations and statements: parameter layout, lets, locals, terms with their
// footing weights, loops, conditionals, and the values reported with each draw.
import SynmAutodiff
import SynmDiagnostics
import SynmDistributions
import SynmFrontend

extension Compiler {
    /// Evaluates a size or bound expression over data.
    func constant(_ e: Expr) throws -> ConstantValue {
        try ConstantExpression.evaluate(e, data: data)
    }

    func shape(of t: TypeSyntax, name: String) throws -> [Int] {
        let shape = try t.dims.map { d in
            guard let v = try constant(d).scalar, v >= 0, v == v.rounded() else {
                throw RuntimeError("a size must be a non-negative whole number", span: d.span)
            }
            // Above the index range: reported by elementCount, never converted (Int(1e30) traps).
            return v > Double(Int.max / 2) ? Int.max / 2 : Int(v)
        }
        _ = try ModelSizes.elementCount(shape, dims: t.dims, what: "'\(name)'", span: t.span)
        return shape
    }

    mutating func compileStatement(_ s: Stmt, topLevel: Bool) throws -> [IRStmt] {
        switch s.kind {
        case .data, .synthetic:
            return []
        case .function(let decl):
            functions[decl.name] = decl
            return []
        case .return:
            throw RuntimeError("`return` is only used in a function body", span: s.span)
        case .tilde(let lhs, let dist, _) where userDensity(dist.name) != nil:
            return try userDensityTerm(lhs: lhs, dist: dist, span: s.span, topLevel: topLevel)
        case .param(let name, let type):
            let shape = try shape(of: type, name: name)
            let count = shape.reduce(1, *)
            if let kind = type.constrained { try verifyConstrainedShape(kind, shape, type, name: name) }
            let offset = parameters.last.map { $0.offset + $0.count } ?? 0
            let freeOffset = parameters.last.map { $0.freeOffset + $0.freeCount } ?? 0
            let lower = try type.lower.map { try expression($0) }
            let upper = try type.upper.map { try expression($0) }
            declaredShapes[name] = shape
            parameters.append(ParameterLayout(name: name, shape: shape, offset: offset, count: count, lower: lower,
                                              upper: upper, span: s.nameSpan ?? s.span, constrained: type.constrained,
                                              freeOffset: freeOffset,
                                              freeCount: type.constrained?.freeCount(shape) ?? count))
            bind(name, .parameter(parameters.count - 1))
            outputs.append(OutputBlock(name: name, source: .parameter(parameters.count - 1), isInteger: false))
            return []
        case .let(let name, let type, let value):
            let letShape = try type.flatMap { $0.dims.isEmpty ? nil : try shape(of: $0, name: name) } ?? fullShape(value)
            declaredShapes[name] = letShape
            let reportedShape = (letShape?.count ?? 0) >= 3 ? letShape : nil
            mentionsData = false
            referencedParameters = []
            usesRandom = false
            let ir = try expression(value)
            let random = usesRandom
            usesRandom = false
            if mentionsData { dataDerived.insert(name) }
            switch ir {
            case .constScalar, .constArray:
                bind(name, .constant(ir))
                return []
            default:
                let slot = newLetSlot(dependencies: referencedParameters)
                bind(name, .letSlot(slot))
                if random {
                    // Drawn at random: evaluated only when a draw is reported (the checker
                    // allows this only at the top level, and keeps it out of the density).
                    randomLetSlots.insert(slot)
                    generatedLets.append(GeneratedLet(slot: slot, value: ir))
                    outputs.append(OutputBlock(name: name, source: .letSlot(slot),
                                               isInteger: model.symbol(named: name)?.type.base == .int, shape: reportedShape))
                    return []
                }
                if topLevel {
                    outputs.append(OutputBlock(name: name, source: .letSlot(slot),
                                               isInteger: model.symbol(named: name)?.type.base == .int, shape: reportedShape))
                }
                return [.setLet(slot, ir)]
            }
        case .var(let name, let type, let value):
            let shape = try shape(of: type, name: name)
            declaredShapes[name] = shape
            return try declareVariable(name, shape: shape, isInteger: type.base == .int, value: value, span: s.span)
        case .predict(let name, let type, let dist) where VectorDistribution(rawValue: dist.name) != nil:
            let declared = try type.flatMap { $0.dims.isEmpty ? nil : try shape(of: $0, name: name) }
            let call = VectorDensityCall(distribution: VectorDistribution(rawValue: dist.name)!, variate: .constScalar(0),
                                         args: try dist.args.map { try expression($0.value) }, span: dist.span)
            outputs.append(OutputBlock(name: name, source: .predictVector(call, shape: declared), isInteger: true))
            return []
        case .tilde(let lhs, let dist, let footing) where VectorDistribution(rawValue: dist.name) != nil:
            let parts = try arrayArgumentTerm(lhs, dist, footing: footing, span: s.span, topLevel: topLevel)
            let call = VectorDensityCall(distribution: VectorDistribution(rawValue: dist.name)!, variate: parts.variate,
                                         args: parts.args, span: s.span, simulation: parts.simulation)
            return [.vectorTilde(parts.term, call, .one)]
        case .predict(let name, let type, let dist) where MultivariateDistribution(rawValue: dist.name) != nil:
            let d = MultivariateDistribution(rawValue: dist.name)!
            let declared = try type.flatMap { $0.dims.isEmpty ? nil : try shape(of: $0, name: name) }
            let call = MultiDensityCall(distribution: d, variate: .constScalar(0),
                                        args: try dist.args.map { try expression($0.value) }, span: dist.span)
            outputs.append(OutputBlock(name: name, source: .predictMulti(call, shape: declared), isInteger: d.isDiscrete))
            return []
        case .tilde(let lhs, let dist, let footing) where MultivariateDistribution(rawValue: dist.name) != nil:
            let parts = try arrayArgumentTerm(lhs, dist, footing: footing, span: s.span, topLevel: topLevel)
            let call = MultiDensityCall(distribution: MultivariateDistribution(rawValue: dist.name)!, variate: parts.variate,
                                        args: parts.args, span: s.span, simulation: parts.simulation)
            return [.multiTilde(parts.term, call, .one)]
        case .predict(let name, let type, let dist):
            guard let d = Distribution(stanName: dist.name) else { return [] }
            var declared = try type.flatMap { $0.dims.isEmpty ? nil : try shape(of: $0, name: name) }
            if declared == nil {
                // Arguments of rank 3 or more give the draws their shape (their values are matrix views).
                for a in dist.args { if let s = try fullShape(a.value), s.count >= 3 { declared = s } }
            }
            var truncation: IRTruncation?
            if let t = dist.truncation { truncation = try truncationBounds(t) }
            let call = DensityCall(distribution: d, variate: .constScalar(0),
                                   args: try dist.args.map { try expression($0.value) },
                                   domains: d.info.arguments.map(\.domain), span: dist.span, truncation: truncation)
            outputs.append(OutputBlock(name: name, source: .predict(call, shape: declared), isInteger: d.isDiscrete))
            return []
        case .tilde(let lhs, let dist, let footing):
            guard let d = Distribution(stanName: dist.name) else {
                throw RuntimeError("unknown distribution '\(dist.name)'", span: dist.nameSpan)
            }
            mentionsData = false
            referencedParameters = []
            var call = try densityCall(d, variate: lhs, args: dist.args.map(\.value), span: s.span)
            // A likelihood term has data on its left; `mu ~ normal(0, tau0)` with data tau0 is a prior.
            let isLikelihood = mentionsDataName(lhs)
            call = call.with(simulation: try simulationTarget(lhs, dependencies: referencedParameters))
            let (weight, constantWeight, node) = try footingWeight(footing, lhs: lhs, call: call, dist: dist)
            let term = TermInfo(id: termCount, isLikelihood: isLikelihood, span: s.span)
            // Every term, also inside loops and conditionals (one summary per statement).
            terms.append(TermSummary(id: termCount, label: source.text(of: lhs.span), isLikelihood: isLikelihood,
                                     syntheticNode: node, weight: constantWeight, span: s.span,
                                     footing: footing?.kind, topLevel: topLevel))
            termCount += 1
            if let t = dist.truncation {
                call = call.with(truncation: try truncationBounds(t))
                return [.tilde(term, call, weight), .target(term, .truncation(call))]
            }
            return [.tilde(term, call, weight)]
        case .target(let value):
            mentionsData = false
            let ir = try expression(value)
            let term = TermInfo(id: termCount, isLikelihood: mentionsData, span: s.span)
            terms.append(TermSummary(id: termCount, label: "target", isLikelihood: mentionsData, syntheticNode: nil,
                                     weight: 1, span: s.span, footing: nil, topLevel: topLevel))
            termCount += 1
            return [.target(term, ir)]
        case .assign(let lhs, let value):
            guard let (name, _) = lhs.rootName, case .variable(let slot)? = lookup(name) else {
                throw RuntimeError("only a `var` can be assigned", span: lhs.span)
            }
            var indices: [IRExpr] = []
            if case .index(_, let ix) = lhs.kind { indices = try ix.map { try expression($0) } }
            mentionsData = false
            referencedParameters = []
            let ir = try expression(value)
            if mentionsData { dataDerived.insert(name) }
            variableDependencies[slot, default: []].formUnion(referencedParameters)
            return [.assign(slot, indices, ir, s.span)]
        case .forLoop(let variable, _, let lower, let upper, let body):
            let lo = try expression(lower), hi = try expression(upper)
            let slot = loopCount
            loopCount += 1
            scopes.append([variable: .loop(slot)])
            defer { scopes.removeLast() }
            var ir: [IRStmt] = []
            for b in body { ir += try compileStatement(b, topLevel: false) }
            return [.forLoop(slot, lo, hi, ir, s.span)]
        case .ifElse(let condition, let then, let otherwise):
            let c = try expression(condition)
            scopes.append([:])
            var a: [IRStmt] = []
            for b in then { a += try compileStatement(b, topLevel: false) }
            scopes.removeLast()
            scopes.append([:])
            var b: [IRStmt] = []
            for x in otherwise ?? [] { b += try compileStatement(x, topLevel: false) }
            scopes.removeLast()
            return [.ifElse(c, a, b)]
        }
    }

    /// Whether an expression reads a data or synthetic node (directly or through a let or
    /// local derived from data).
    func mentionsDataName(_ e: Expr) -> Bool {
        switch e.kind {
        case .name(let n): return dataDerived.contains(n)
        case .intLiteral, .realLiteral, .error: return false
        case .unary(_, let x): return mentionsDataName(x)
        case .binary(_, let l, let r): return mentionsDataName(l) || mentionsDataName(r)
        case .call(_, _, let args, _): return args.contains { mentionsDataName($0.value) }
        case .index(let b, let ix): return mentionsDataName(b) || ix.contains(where: mentionsDataName)
        case .array(let es): return es.contains(where: mentionsDataName)
        case .lambda, .string: return false
        }
    }

    /// What simulation can draw at a `~` whose left side is a parameter or data node (whole
    /// or indexed); `dependencies` are the parameters its arguments and indices read.
    /// The compiled bounds of `T[L, U]`.
    mutating func truncationBounds(_ t: Truncation) throws -> IRTruncation {
        IRTruncation(lower: try t.lower.map { try expression($0) }, upper: try t.upper.map { try expression($0) },
                     span: t.span)
    }

    mutating func simulationTarget(_ lhs: Expr, dependencies: Set<Int>) throws -> SimulationTarget? {
        var name: String
        var indexExprs: [Expr] = []
        switch lhs.kind {
        case .name(let n): name = n
        case .index(let base, let ix):
            guard case .name(let n) = base.kind else { return nil }
            name = n
            indexExprs = ix
        default: return nil
        }
        referencedParameters = []
        let indices = try indexExprs.map { try expression($0) }
        let deps = dependencies.union(referencedParameters)
        switch lookup(name) {
        case .parameter(let p)?:
            return SimulationTarget(node: .parameter(p), indices: indices, dependencies: deps.subtracting([p]).sorted())
        case .constant(let ir)? where dataDerived.contains(name) && model.symbol(named: name).map { [.data, .synthetic].contains($0.role) } == true:
            switch ir {
            case .constArray(let c):
                let shape = declaredShapes[name].flatMap { $0.count >= 3 ? $0 : nil }
                return SimulationTarget(node: .data(name, c), indices: indices, dependencies: deps.sorted(), shape: shape)
            case .poolScalar(let i):
                return SimulationTarget(node: .data(name, .array(start: i, count: 1)), indices: indices,
                                        dependencies: deps.sorted())
            default: return nil
            }
        default:
            return nil
        }
    }

    /// A `var` (in the model or a function body): its slot, its initial value if written, and
    /// what it depends on.
    mutating func declareVariable(_ name: String, shape: [Int], isInteger: Bool, value: Expr?, span: SourceSpan) throws
        -> [IRStmt]
    {
        let slot = variables.count
        variables.append(VariableLayout(name: name, shape: shape, isInteger: isInteger))
        mentionsData = false
        referencedParameters = []
        let initial = try value.map { try expression($0) }
        if mentionsData { dataDerived.insert(name) }
        variableDependencies[slot, default: []].formUnion(referencedParameters)
        bind(name, .variable(slot))
        return [.declareVariable(slot, initial, span)]
    }

    /// A new let slot whose value depends on the given parameters.
    mutating func newLetSlot(dependencies: Set<Int>) -> Int {
        let slot = letCount
        letCount += 1
        letDependencies[slot] = dependencies
        return slot
    }

    /// What a `~` over a distribution with array arguments (categorical, ordered_logistic,
    /// multi_normal, dirichlet, …) compiles to besides its call: the variate, the arguments,
    /// the simulation target and the term, registered. These terms take no footing yet.
    mutating func arrayArgumentTerm(_ lhs: Expr, _ dist: DistCall, footing: Footing?, span: SourceSpan, topLevel: Bool) throws
        -> (variate: IRExpr, args: [IRExpr], simulation: SimulationTarget?, term: TermInfo)
    {
        if let footing {
            throw RuntimeError("a footing is not supported with \(dist.name) yet", span: footing.span,
                               hint: "give \(dist.name) terms real data, or write the term with a distribution that takes scalars")
        }
        mentionsData = false
        referencedParameters = []
        let v = try expression(lhs)
        let args = try dist.args.map { try expression($0.value) }
        let isLikelihood = mentionsDataName(lhs)
        let simulation = try simulationTarget(lhs, dependencies: referencedParameters)
        let term = TermInfo(id: termCount, isLikelihood: isLikelihood, span: span)
        terms.append(TermSummary(id: termCount, label: source.text(of: lhs.span), isLikelihood: isLikelihood,
                                 syntheticNode: nil, weight: 1, span: span, footing: nil, topLevel: topLevel))
        termCount += 1
        return (v, args, simulation, term)
    }

    /// The weight a footing gives a term, its constant value (if constant) and the synthetic
    /// node on the left (if any).
    mutating func footingWeight(_ footing: Footing?, lhs: Expr, call: DensityCall, dist: DistCall) throws
        -> (IRWeight, Double?, String?)
    {
        let node = lhs.rootName.flatMap { model.symbol(named: $0.0) }.flatMap { $0.role == .synthetic ? $0 : nil }
        guard let footing else { return (.one, 1, node?.name) }
        switch footing.kind {
        case .equal:
            return (.one, 1, node?.name)
        case .power(let a, let normalized):
            if normalized {
                let ir = try expression(a)
                let constant = try normalizingConstant(call, dist: dist, footing: footing)
                return (.normalized(ir, constant), nil, node?.name)
            }
            let ir = try expression(a)
            guard case .constScalar(let v) = ir else {
                throw RuntimeError("power(a) needs a fixed number", span: a.span)
            }
            guard v >= 0, v <= 1 else {
                throw RuntimeError("the power is \(formatNumber(v)); it must be in [0, 1]", span: a.span)
            }
            return (.constant(v), v, node?.name)
        case .weight(let w):
            let ir = try expression(w)
            if case .constScalar(let v) = ir {
                guard v >= 0, v <= 1 else {
                    throw RuntimeError("the weight is \(formatNumber(v)); it must be in [0, 1]", span: w.span)
                }
                return (.constant(v), v, node?.name)
            }
            return (.expression(ir), nil, node?.name)
        case .cap, .calibrated:
            // The weight depends on the generator and the data: SynmSynthetic computes it
            // and sets it with `CompiledModel.reweighted`. Until then the term is left out.
            guard let node, node.generator != nil else {
                throw RuntimeError("`\(source.text(of: footing.span))` needs a synthetic node", span: footing.span)
            }
            return (.zero, nil, node.name)
        }
    }
}
