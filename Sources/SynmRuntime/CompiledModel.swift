// A model ready to evaluate: the compiled program, its parameter layout and outputs, and an
// evaluator per scalar type. It is the `LogDensityModel` samplers see (unconstrained scale,
// log-Jacobian included), and offers constrained-scale evaluation, exact Hessians and draws.
import SynmAutodiff
import SynmDiagnostics
import SynmDistributions
import SynmFrontend
import SynmMath

/// A parameter as users see it.
public struct ParameterInfo: Sendable {
    public var name: String
    public var shape: [Int]
    /// Place and number of its constrained values in a flat vector of them (layout order).
    public var offset: Int
    public var count: Int
    /// Place and number of its unconstrained coordinates (the sampler's vector): the same as
    /// `offset`/`count` unless this or an earlier parameter has a constrained type.
    public var freeOffset: Int
    public var freeCount: Int
    /// Stan's constrained type (`simplex`, `cov_matrix`, …), if it has one.
    public var constrainedType: String?
}

/// A model compiled against its data.
public struct CompiledModel: LogDensityModel {
    var program: CompiledProgram
    let outputBlocks: [OutputBlock]
    /// Every `~` and `target +=` statement (at any depth), one term each.
    public private(set) var terms: [TermSummary]
    var evaluator: Evaluator<Double>
    var dualEvaluator: Evaluator<Dual>?
    /// This copy's registers for the straight-line program (CompiledModel+Flat.swift).
    var flatScratch: FlatScratch? = nil
    /// Whether evaluations take the straight-line program when the model has one
    /// (FlatProgram.swift); false walks the tree (tests compare the two).
    public var usesFlatProgram = true
    /// Whether loops run as kernels (LoopKernel.swift); false walks every loop as a tree, as
    /// before kernels existed (tests compare the two).
    public var useLoopKernels = true {
        didSet {
            evaluator.useLoopKernels = useLoopKernels
            dualEvaluator?.useLoopKernels = useLoopKernels
        }
    }
    /// Whether loops of `~` run as vectorised terms (Compiler+LoopVectorise.swift) while loop
    /// kernels are on; false runs them as written (tests compare the two).
    public var vectorisesLoops = true {
        didSet {
            evaluator.useLoopVectorisation = vectorisesLoops
            dualEvaluator?.useLoopVectorisation = vectorisesLoops
        }
    }
    /// Whether density evaluations leave out the lets nothing needed reads (DeadLets.swift);
    /// false evaluates every let, as before the elimination existed (tests compare the two).
    /// Draws always evaluate every let.
    public var eliminatesDeadLets = true {
        didSet {
            evaluator.evaluatesEveryLet = !eliminatesDeadLets
            dualEvaluator?.evaluatesEveryLet = !eliminatesDeadLets
        }
    }
    /// The data the model was compiled with (synthetic nodes included) and where each node
    /// sits in the pool.
    public let data: DataTable
    let dataLocations: [String: Int]

    /// Compiles against `data`, which must hold every synthetic node's rows (SynmSynthetic
    /// draws generated nodes and compiles through here).
    public init(model: CheckedModel, source: SourceFile, data: DataTable) throws {
        for s in model.symbols where s.role == .synthetic && data[s.name] == nil {
            throw RuntimeError("synthetic node '\(s.name)' has no rows", span: s.span,
                               hint: s.generator == .external ? "give its rows in the data file" : nil)
        }
        try ModelSizes.verify(model, data: data)
        var compiler = Compiler(model: model, source: source, data: data)
        let (program, outputs, terms) = try compiler.compile()
        self.data = data
        self.dataLocations = compiler.dataLocations
        self.program = program
        self.outputBlocks = outputs
        self.terms = terms
        self.evaluator = Evaluator(program: program)
    }

    public var dimension: Int { program.dimension }

    /// Whether GLM-shaped terms take the fused kernels (Evaluator+GLM.swift); false sends every
    /// term through the generic row loop (tests compare the two paths; `synm-bench --no-fused`
    /// times it).
    public var usesFusedKernels: Bool {
        get { evaluator.glm.enabled }
        set {
            evaluator.glm.enabled = newValue
            dualEvaluator?.glm.enabled = newValue
        }
    }

    /// How many terms the fused kernels evaluated, Double and Dual evaluators together.
    var fusedTermEvaluations: Int { evaluator.glm.evaluations + (dualEvaluator?.glm.evaluations ?? 0) }

    /// The same model with the footing weights of some terms replaced (term id → weight in
    /// [0, 1]): how footing variants (real-only, equal, cap, …) are made without editing the
    /// source. Weight 0 leaves the term out of the density; the term is still simulated. A
    /// replaced normalised power prior loses its −log c(a) term with its random weight.
    public func reweighted(_ weights: [Int: Double]) -> CompiledModel {
        guard !weights.isEmpty else { return self }
        func rewrite(_ statements: [IRStmt]) -> [IRStmt] {
            statements.map { s in
                switch s {
                case .tilde(let term, let call, _):
                    guard let w = weights[term.id] else { return s }
                    return .tilde(term, call, w == 0 ? .zero : w == 1 ? .one : .constant(w))
                case .target(let term, .truncation(let call)):
                    guard let w = weights[term.id], w != 1 else { return s }
                    return .target(term, w == 0 ? .constScalar(0) : .binary(.multiply, .constScalar(w), .truncation(call), call.span))
                case .vectorTilde(let term, let call, _):
                    guard let w = weights[term.id] else { return s }
                    return .vectorTilde(term, call, w == 0 ? .zero : w == 1 ? .one : .constant(w))
                case .multiTilde(let term, let call, _):
                    guard let w = weights[term.id] else { return s }
                    return .multiTilde(term, call, w == 0 ? .zero : w == 1 ? .one : .constant(w))
                case .forLoop(let slot, let lo, let hi, let body, let span):
                    return .forLoop(slot, lo, hi, rewrite(body), span)
                case .ifElse(let c, let a, let b):
                    return .ifElse(c, rewrite(a), rewrite(b))
                default:
                    return s
                }
            }
        }
        let p = program
        let rewritten = CompiledProgram(pool: p.pool, parameters: p.parameters, statements: rewrite(p.statements),
                                        letCount: p.letCount, variables: p.variables, loopCount: p.loopCount,
                                        indexedNames: p.indexedNames, glmPanels: p.glmPanels,
                                        generatedLets: p.generatedLets, usesRandomDraws: p.usesRandomDraws)
        var copy = self
        copy.program = rewritten
        copy.flatScratch = nil
        copy.evaluator = Evaluator(program: rewritten)
        copy.evaluator.useLoopKernels = useLoopKernels
        copy.evaluator.useLoopVectorisation = vectorisesLoops
        copy.evaluator.evaluatesEveryLet = !eliminatesDeadLets
        copy.dualEvaluator = nil
        copy.terms = terms.map { t in
            var t = t
            if let w = weights[t.id] { t.weight = w }
            return t
        }
        return copy
    }

    /// The parameters in declaration order, with their place in the unconstrained vector.
    public var parameters: [ParameterInfo] {
        program.parameters.map { ParameterInfo(name: $0.name, shape: $0.shape, offset: $0.offset, count: $0.count,
                                               freeOffset: $0.freeOffset, freeCount: $0.freeCount,
                                               constrainedType: $0.constrained?.name) }
    }

    /// The number of constrained values (the length of `constrain`'s result); `dimension`
    /// unless a parameter has a constrained type.
    public var constrainedDimension: Int { program.constrainedDimension }

    /// Whether some parameter has a constrained type (`simplex`, …), so that the constrained
    /// values and the unconstrained coordinates differ in number.
    public var hasConstrainedTypes: Bool { program.parameters.contains { $0.constrained != nil } }

    /// Refuses, naming the first parameter of a constrained type, what works only on the
    /// element-wise transforms (constrained-scale estimation, simulation from the prior).
    public func requireElementwiseParameters(for what: String) throws {
        if let p = program.parameters.first(where: { $0.constrained != nil }) {
            throw RuntimeError("\(what) does not support parameters of constrained types yet: '\(p.name)' is \(p.constrained!.name)",
                               span: p.span, hint: "sample it with `synm run`, or approximate it with `synm variational`")
        }
    }

    /// Names of the unconstrained coordinates: the parameter names while the two scales have
    /// the same layout; a constrained type's coordinates are `theta.free[1]`, ….
    public var unconstrainedNames: [String] {
        program.parameters.flatMap { p in
            (0..<p.freeCount).map { p.constrained == nil ? elementName(p.name, shape: p.shape, flat: $0) : "\(p.name).free[\($0 + 1)]" }
        }
    }

    /// Element names of the parameter vector: `mu`, `beta[1]`, `X[2, 3]`.
    public var parameterNames: [String] {
        program.parameters.flatMap { p in (0..<p.count).map { elementName(p.name, shape: p.shape, flat: $0) } }
    }

    // MARK: - Log density

    public mutating func logDensityAndGradient(_ x: [Double], gradient: inout [Double]) -> Double {
        if let value = flatValueAndGradient(x, gradient: &gradient) { return value }
        evaluator.mode = EvaluationMode()
        return valueAndGradient(x, gradient: &gradient)
    }

    mutating func valueAndGradient(_ x: [Double], gradient: inout [Double]) -> Double {
        let (total, output) = evaluator.run(x)
        if evaluator.failure != nil { return -.infinity }
        for k in 0..<gradient.count { gradient[k] = 0 }
        if let output {
            evaluator.tape.backward(from: output)
            for k in 0..<min(gradient.count, x.count) { gradient[k] = evaluator.tape.adjoint(of: VarIndex(raw: Int32(k))) }
        }
        return total
    }

    public mutating func explainNonFinite(_ x: [Double]) -> String? {
        var g = [Double](repeating: 0, count: dimension)
        // The tree, whose failure (if any) is this point's: the straight-line program leaves
        // `evaluator.failure` as the last fallback set it.
        evaluator.mode = EvaluationMode()
        let v = valueAndGradient(x, gradient: &g)
        if let f = evaluator.failure { return f.message }
        if !v.isFinite {
            // Name the term that is not finite (each evaluated on its own).
            for term in terms {
                guard let t = try? evaluate(x, options: Options(onlyTerm: term.id)).value, !t.isFinite else { continue }
                let what = term.label == "target" ? "a `target +=` term" : "the term `\(term.label) ~ …`"
                return "\(what) is \(formatNumber(t))"
            }
            return "the log density is \(formatNumber(v))"
        }
        if let k = g.firstIndex(where: { !$0.isFinite }) { return "the gradient of \(unconstrainedNames[k]) is \(formatNumber(g[k]))" }
        return nil
    }

    /// The options of `evaluate`.
    public struct Options: Sendable {
        /// Inputs are unconstrained (transforms applied, log-Jacobian added when `jacobian`).
        public var unconstrained: Bool
        public var jacobian: Bool
        public var prior: Bool
        public var likelihood: Bool
        /// Evaluate one top-level term only.
        public var onlyTerm: Int?
        public init(unconstrained: Bool = true, jacobian: Bool = true, prior: Bool = true, likelihood: Bool = true,
                    onlyTerm: Int? = nil) {
            self.unconstrained = unconstrained
            self.jacobian = jacobian
            self.prior = prior
            self.likelihood = likelihood
            self.onlyTerm = onlyTerm
        }
    }

    func mode(_ o: Options) -> EvaluationMode {
        EvaluationMode(unconstrained: o.unconstrained, jacobian: o.jacobian && o.unconstrained && o.onlyTerm == nil,
                       prior: o.prior, likelihood: o.likelihood, onlyTerm: o.onlyTerm)
    }

    /// The log density with the given options, its gradient written into `gradient` (no
    /// allocation: for log densities built from several models); −∞ where it fails.
    public mutating func logDensityAndGradient(_ x: [Double], options: Options, gradient: inout [Double]) -> Double {
        evaluator.mode = mode(options)
        defer { evaluator.mode = EvaluationMode() }
        return valueAndGradient(x, gradient: &gradient)
    }

    /// Inputs are the unconstrained coordinates (`dimension` of them) or, with
    /// `unconstrained: false`, the constrained values (`constrainedDimension`); the two differ
    /// for constrained types (a simplex[K] has K values and K − 1 coordinates).
    func requireInputCount(_ x: [Double], _ options: Options) throws {
        let expected = options.unconstrained ? dimension : constrainedDimension
        guard x.count == expected else {
            throw RuntimeError("expected \(expected) \(options.unconstrained ? "unconstrained coordinates" : "constrained values"), got \(x.count)")
        }
    }

    /// The log density and gradient with the given options; a failure names the term.
    public mutating func evaluate(_ x: [Double], options: Options = Options()) throws -> (value: Double, gradient: [Double]) {
        try requireInputCount(x, options)
        evaluator.mode = mode(options)
        var g = [Double](repeating: 0, count: x.count)
        let v = valueAndGradient(x, gradient: &g)
        evaluator.mode = EvaluationMode()
        if let f = evaluator.failure { throw f }
        return (v, g)
    }

    /// The exact Hessian by forward-over-reverse (one pass per coordinate), with the value and
    /// gradient, for the given options.
    public mutating func hessian(_ x: [Double], options: Options = Options()) throws
        -> (value: Double, gradient: [Double], hessian: [[Double]])
    {
        try requireInputCount(x, options)
        if dualEvaluator == nil {
            dualEvaluator = Evaluator<Dual>(program: program)
            dualEvaluator!.useLoopKernels = useLoopKernels
            dualEvaluator!.useLoopVectorisation = vectorisesLoops
            dualEvaluator!.evaluatesEveryLet = !eliminatesDeadLets
            dualEvaluator!.glm.enabled = evaluator.glm.enabled
            dualEvaluator!.readsCellsInPlace = evaluator.readsCellsInPlace
        }
        dualEvaluator!.mode = mode(options)
        let n = x.count
        var h = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        var value = 0.0
        var gradient = [Double](repeating: 0, count: n)
        for j in 0..<n {
            let xd = (0..<n).map { Dual(x[$0], tangent: $0 == j ? 1 : 0) }
            let (total, output) = dualEvaluator!.run(xd)
            if let f = dualEvaluator!.failure { throw f }
            value = total.value
            guard let output else { continue }
            dualEvaluator!.tape.backward(from: output)
            for i in 0..<n {
                let a = dualEvaluator!.tape.adjoint(of: VarIndex(raw: Int32(i)))
                gradient[i] = a.value
                h[i][j] = a.tangent
            }
        }
        if n == 0 {
            let (total, _) = dualEvaluator!.run([])
            if let f = dualEvaluator!.failure { throw f }
            value = total.value
        }
        return (value, gradient, h)
    }
}
