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
    public var offset: Int
    public var count: Int
}

/// A model compiled against its data.
public struct CompiledModel: LogDensityModel {
    let program: CompiledProgram
    let outputBlocks: [OutputBlock]
    /// Every top-level likelihood and prior term.
    public let terms: [TermSummary]
    var evaluator: Evaluator<Double>
    var dualEvaluator: Evaluator<Dual>?
    /// The data the model was compiled with (synthetic nodes included) and where each node
    /// sits in the pool.
    public let data: DataTable
    let dataLocations: [String: Int]

    /// Binds generated synthetic nodes (from `seed`) and compiles.
    public init(model: CheckedModel, source: SourceFile, data: DataTable, seed: UInt64 = 0) throws {
        var data = data
        try ModelSizes.verify(model, data: data)
        try SyntheticGeneration.generate(model, into: &data, seed: seed)
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

    /// The parameters in declaration order, with their place in the unconstrained vector.
    public var parameters: [ParameterInfo] {
        program.parameters.map { ParameterInfo(name: $0.name, shape: $0.shape, offset: $0.offset, count: $0.count) }
    }

    /// Element names of the parameter vector: `mu`, `beta[1]`, `X[2, 3]`.
    public var parameterNames: [String] {
        program.parameters.flatMap { p in (0..<p.count).map { elementName(p.name, shape: p.shape, flat: $0) } }
    }

    // MARK: - Log density

    public mutating func logDensityAndGradient(_ x: [Double], gradient: inout [Double]) -> Double {
        evaluator.mode = EvaluationMode()
        return valueAndGradient(x, gradient: &gradient)
    }

    mutating func valueAndGradient(_ x: [Double], gradient: inout [Double]) -> Double {
        let (total, output) = evaluator.run(x)
        if evaluator.failure != nil { return -.infinity }
        for k in 0..<gradient.count { gradient[k] = 0 }
        if let output {
            evaluator.tape.backward(from: output)
            for k in 0..<dimension { gradient[k] = evaluator.tape.adjoint(of: VarIndex(raw: Int32(k))) }
        }
        return total
    }

    public mutating func explainNonFinite(_ x: [Double]) -> String? {
        var g = [Double](repeating: 0, count: dimension)
        let v = logDensityAndGradient(x, gradient: &g)
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
        if let k = g.firstIndex(where: { !$0.isFinite }) { return "the gradient of \(parameterNames[k]) is \(formatNumber(g[k]))" }
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

    /// The log density and gradient with the given options; a failure names the term.
    public mutating func evaluate(_ x: [Double], options: Options = Options()) throws -> (value: Double, gradient: [Double]) {
        evaluator.mode = mode(options)
        var g = [Double](repeating: 0, count: dimension)
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
        if dualEvaluator == nil { dualEvaluator = Evaluator<Dual>(program: program) }
        dualEvaluator!.mode = mode(options)
        let n = dimension
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
