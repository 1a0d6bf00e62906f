// The compiled program: names resolved to slots, data folded into a constant pool, shapes
// fixed. The evaluator walks this tree once per log-density evaluation; it holds no strings
// or dictionaries that an evaluation would touch.
import SynmDiagnostics
import SynmDistributions
import SynmFrontend
import SynmMath

/// A constant array or matrix in the program's constant pool.
struct ConstRef: Sendable {
    var start: Int32
    var count: Int32
    /// For a matrix, its rows and columns; for an array, rows = count and columns = 0.
    var rows: Int32
    var columns: Int32
    var isMatrix: Bool

    static func array(start: Int, count: Int) -> ConstRef {
        ConstRef(start: Int32(start), count: Int32(count), rows: Int32(count), columns: 0, isMatrix: false)
    }
    /// An array of rank 3 or more (`real[N, M, K]`), viewed as a matrix of its first size by the
    /// product of the others (row-major, so the elements are in place); indexing it needs the
    /// full shape, which `IRExpr.tensorIndex` carries (Evaluator+HigherRank.swift).
    static func tensor(start: Int, shape: [Int]) -> ConstRef {
        matrix(start: start, rows: shape[0], columns: shape.dropFirst().reduce(1, *))
    }
    static func matrix(start: Int, rows: Int, columns: Int) -> ConstRef {
        ConstRef(start: Int32(start), count: Int32(rows * columns), rows: Int32(rows), columns: Int32(columns),
                 isMatrix: true)
    }
}

/// Built-in functions, resolved at compile time.
enum Builtin: String, Sendable {
    case exp, log, log1p, expm1, sqrt, square, inv_logit, logit, lgamma, log1p_exp, log_inv_logit, log1m,
         Phi, tanh, inv, abs, pow, sum, mean, sd, log_sum_exp, min, max, dot_product, size
    case inv_cloglog, erf, erfc, Phi_approx, floor, ceil, round, step, int_step, fabs, fma, log_mix, binary_log_loss,
         lchoose, lbeta, fmin, fmax, softmax, log_softmax, sort_asc, rank
    case log1m_exp, log2, log10, exp2, cbrt, inv_sqrt, inv_square, sin, cos, tan, asin, acos, atan, sinh, cosh, asinh,
         acosh, atanh, trunc, log_diff_exp, lmultiply, atan2, hypot, fdim
    case multiply_log, binomial_coefficient_log, log_inv_logit_diff, inv_Phi, tgamma, choose
    /// `a / b` with int operands (not callable by name: the checker marks these divisions).
    case intDivide = "int divide"
    /// Linear algebra (Evaluator+LinearAlgebra.swift). The names with a space are not
    /// callable: the checker picks them where vector/row_vector/matrix kinds decide
    /// (`CheckedModel.linearAlgebra`).
    case transpose, diag_matrix, diagonal, cholesky_decompose, mdivide_left, mdivide_left_tri_low, log_determinant,
         inverse, rep_vector, rep_row_vector, rep_matrix, segment, to_vector, to_row_vector, to_matrix, cumulative_sum,
         rows, cols, num_elements, dims, append_row, append_col, crossprod, tcrossprod, quad_form, trace,
         diag_pre_multiply, diag_post_multiply, dot_self, add_diag
    case repMatrixColumns = "rep_matrix columns", repMatrixRows = "rep_matrix rows"
    case toMatrixColumn = "to_matrix column", toMatrixRow = "to_matrix row"
    case rowsOfRowVector = "rows of row_vector", colsOfRowVector = "cols of row_vector"
    case appendRowStack = "append_row stack", appendColSide = "append_col side"
    case multiplyMatrices = "matrix * matrix", multiplyMatrixRowVector = "matrix * row_vector"
    case multiplyRowVectorMatrix = "row_vector * matrix", multiplyRowVectorVector = "row_vector * vector"
    case multiplyVectorRowVector = "vector * row_vector", multiplyVectorMatrix = "vector * matrix"
}

/// A compiled expression.
indirect enum IRExpr: Sendable {
    case constScalar(Double)
    /// A scalar data value held in the pool (so simulation can redraw it).
    case poolScalar(Int)
    case constArray(ConstRef)
    case parameter(Int)
    case letValue(Int)
    case variable(Int, SourceSpan)
    case variableElement(Int, [IRExpr], SourceSpan)
    case loopValue(Int)
    case unary(UnaryOp, IRExpr)
    case binary(BinaryOp, IRExpr, IRExpr, SourceSpan)
    case call(Builtin, [IRExpr], SourceSpan)
    case index(IRExpr, [IRExpr], SourceSpan)
    /// Multi-indexing by constant ints (`eta[group]`), 0-based, resolved at compile time.
    case gather(IRExpr, [Int32], SourceSpan)
    /// `base[i, j, …]` of an array of rank 3 or more, with scalar indices: the base's full
    /// shape (the value itself is a matrix view, ConstRef.tensor), checked per dimension.
    case tensorIndex(IRExpr, [IRExpr], [Int32], SourceSpan)
    case array([IRExpr], SourceSpan)
    case density(DensityCall)
    /// `categorical_lpmf(y | theta)` and the other distributions with an array argument.
    case vectorDensity(VectorDensityCall)
    /// `normal_lcdf(y | mu, sigma)`, `_lccdf`, `_cdf`.
    case cumulative(DensityCall, CumulativeKind)
    /// −Σ log P(L ≤ Y ≤ U) over the rows of a truncated `~` (its call's `truncation`).
    case truncation(DensityCall)
    /// `normal_rng(mu, sigma)`: draws (only when a draw is reported).
    case rng(DensityCall)
    /// `categorical_rng(theta)`, `ordered_logistic_rng(eta, c)`, …
    case vectorRng(VectorDensityCall)
    /// A call of a user-defined function, inlined (Compiler+Functions.swift).
    case inlined(InlinedCall)
    /// `multi_normal_lpdf(y | mu, Sigma)` and the other multivariate densities.
    case multiDensity(MultiDensityCall)
    /// `multi_normal_rng(mu, Sigma)`, `lkj_corr_rng(K, eta)`, …
    case multiRng(MultiDensityCall)
}

/// A multivariate distribution applied to a variate: `y ~ multi_normal(mu, Sigma)`,
/// `dirichlet_lpdf(theta | alpha)`; for an `_rng` call or predict node the variate is unused
/// and `args` are the rng's (Evaluator+Multivariate.swift).
final class MultiDensityCall: Sendable {
    let distribution: MultivariateDistribution
    let variate: IRExpr
    let args: [IRExpr]
    let span: SourceSpan
    /// What forward simulation draws at this statement (nil: nothing it can draw).
    let simulation: SimulationTarget?

    init(distribution: MultivariateDistribution, variate: IRExpr, args: [IRExpr], span: SourceSpan,
         simulation: SimulationTarget? = nil) {
        self.distribution = distribution
        self.variate = variate
        self.args = args
        self.span = span
        self.simulation = simulation
    }
}

/// A let drawn at random: its slot and value.
struct GeneratedLet: Sendable {
    var slot: Int
    var value: IRExpr
}

/// Which cumulative function: log F, log(1 − F), or F (the product over rows, as Stan).
enum CumulativeKind: Sendable {
    case lcdf, lccdf, cdf
}

/// A distribution with an array argument applied to a variate: `y ~ categorical(theta)`,
/// `ordered_logistic_lpmf(y | eta, c)`. The array argument is shared by every row of y.
final class VectorDensityCall: Sendable {
    let distribution: VectorDistribution
    let variate: IRExpr
    let args: [IRExpr]
    let span: SourceSpan
    /// The data node forward simulation draws at this statement (nil: nothing it can draw).
    let simulation: SimulationTarget?

    init(distribution: VectorDistribution, variate: IRExpr, args: [IRExpr], span: SourceSpan,
         simulation: SimulationTarget? = nil) {
        self.distribution = distribution
        self.variate = variate
        self.args = args
        self.span = span
        self.simulation = simulation
    }
}

/// A distribution applied to a variate: `y ~ d(args)` or `d_lpdf(y | args)`. A class, so the
/// evaluator passes a reference rather than copying its arrays at every statement.
final class DensityCall: Sendable {
    let distribution: Distribution
    let variate: IRExpr
    /// Up to three arguments (the largest arity among the distributions).
    let args: [IRExpr]
    /// The argument domains, read per element to validate cheaply.
    let domains: [ArgumentDomain]
    /// The first three domains (`.finite` where there are fewer), read without an array.
    let domainTriple: (ArgumentDomain, ArgumentDomain, ArgumentDomain)
    let span: SourceSpan
    /// What forward simulation draws at this statement (nil: nothing it can draw).
    let simulation: SimulationTarget?
    /// Summaries of a constant variate (data), fixed at compile time, for the closed forms of
    /// iid terms and for hoisting variate-only constants out of the row loop.
    let variateStatistics: VariateStatistics?
    /// The generalised-linear shape of the term, when it has one the fused kernels cover
    /// (`Evaluator+GLM.swift`): nil for every other term.
    let glm: GLMShape?
    /// `T[L, U]`: the bounds a truncated `~` or predict node is renormalised to and drawn within.
    let truncation: IRTruncation?

    init(distribution: Distribution, variate: IRExpr, args: [IRExpr], domains: [ArgumentDomain], span: SourceSpan,
         simulation: SimulationTarget? = nil, variateStatistics: VariateStatistics? = nil,
         truncation: IRTruncation? = nil) {
        self.distribution = distribution
        self.variate = variate
        self.args = args
        self.domains = domains
        self.domainTriple = (domains.count > 0 ? domains[0] : .finite, domains.count > 1 ? domains[1] : .finite,
                             domains.count > 2 ? domains[2] : .finite)
        self.span = span
        self.simulation = simulation
        self.variateStatistics = variateStatistics
        self.glm = GLMShape(distribution: distribution, variate: variate, args: args, statistics: variateStatistics)
        self.truncation = truncation
    }

    /// The same call with a simulation target.
    func with(simulation: SimulationTarget?) -> DensityCall {
        DensityCall(distribution: distribution, variate: variate, args: args, domains: domains, span: span,
                    simulation: simulation, variateStatistics: variateStatistics, truncation: truncation)
    }

    /// The same call truncated to `truncation`.
    func with(truncation: IRTruncation?) -> DensityCall {
        DensityCall(distribution: distribution, variate: variate, args: args, domains: domains, span: span,
                    simulation: simulation, variateStatistics: variateStatistics, truncation: truncation)
    }
}

/// Compiled truncation bounds (either may be absent) and where they were written.
struct IRTruncation: Sendable {
    var lower: IRExpr?
    var upper: IRExpr?
    var span: SourceSpan
}

/// Sufficient statistics of a constant variate array y₁…yₙ.
struct VariateStatistics: Sendable {
    var count: Int
    var sum: Double
    var mean: Double
    /// Σ(yᵢ − ȳ)², by two passes (no cancellation).
    var sumOfSquares: Double
    /// Σ log yᵢ! when every yᵢ is a non-negative integer (else nil).
    var sumLogFactorial: Double?
    /// Every yᵢ is 0 or 1.
    var isBinary: Bool

    init(_ y: ArraySlice<Double>) {
        count = y.count
        sum = y.reduce(0, +)
        mean = count > 0 ? sum / Double(count) : 0
        var ss = 0.0
        for v in y { ss += (v - mean) * (v - mean) }
        sumOfSquares = ss
        let counts = y.allSatisfy { $0 >= 0 && $0 == $0.rounded() && $0 < 1e15 }
        sumLogFactorial = counts ? y.reduce(0) { $0 + logGamma($1 + 1) } : nil
        isBinary = y.allSatisfy { $0 == 0 || $0 == 1 }
    }
}

/// The left side of a `~` that simulation can draw: a parameter or a data node, whole or
/// indexed, and the parameters its arguments depend on (so priors are drawn in order).
struct SimulationTarget: Sendable {
    enum Node: Sendable {
        case parameter(Int)
        case data(String, ConstRef)
    }
    var node: Node
    var indices: [IRExpr]
    var dependencies: [Int]
    /// The full shape of a data node of rank 3 or more (its ConstRef is a matrix view).
    var shape: [Int]? = nil
}

/// How a likelihood term is weighted (its footing).
enum IRWeight: Sendable {
    case one
    /// Weight 0: the term is left out of the density (it is still simulated).
    case zero
    case constant(Double)
    case expression(IRExpr)
    /// The normalised power prior: weight a (a parameter), and −log c(a) added.
    case normalized(IRExpr, NormalizingConstant)
}

/// What a `~` or `target +=` term contributes to: the prior or the likelihood, and which
/// top-level term it is (for per-term evaluation).
struct TermInfo: Sendable {
    var id: Int
    var isLikelihood: Bool
    var span: SourceSpan
}

/// A compiled statement.
indirect enum IRStmt: Sendable {
    case tilde(TermInfo, DensityCall, IRWeight)
    /// `y ~ categorical(theta)` and the other distributions with an array argument.
    case vectorTilde(TermInfo, VectorDensityCall, IRWeight)
    /// `y ~ multi_normal(mu, Sigma)` and the other multivariate distributions.
    case multiTilde(TermInfo, MultiDensityCall, IRWeight)
    case target(TermInfo, IRExpr)
    case setLet(Int, IRExpr)
    case declareVariable(Int, IRExpr?, SourceSpan)
    case assign(Int, [IRExpr], IRExpr, SourceSpan)
    case forLoop(Int, IRExpr, IRExpr, [IRStmt], SourceSpan)
    case ifElse(IRExpr, [IRStmt], [IRStmt])
    /// The statements of an inlined function call, run before the statement that reads its
    /// result (Compiler+Functions.swift, `hoistingCalls`); a failure in them names the call.
    case callSite(String, [IRStmt])
}

/// Where a parameter lives in the unconstrained vector and how it is transformed.
struct ParameterLayout: Sendable {
    var name: String
    /// Pool slots that hold the parameter's values during simulation.
    var simulationRegion: ConstRef = .array(start: 0, count: 0)
    var shape: [Int]
    /// Place and number of the constrained values (flat, row-major), as reported.
    var offset: Int
    var count: Int
    var lower: IRExpr?
    var upper: IRExpr?
    var span: SourceSpan
    /// Stan's constrained type (`simplex[K]`, …), whose unconstrained size differs.
    var constrained: ConstrainedType? = nil
    /// Place and number of the unconstrained coordinates (the sampler's vector); equal to
    /// `offset` and `count` while no earlier parameter has a constrained type.
    var freeOffset: Int = 0
    var freeCount: Int = 0
}

/// What the parameter transform reads per evaluation, without the layout's names, arrays and
/// bound expressions (copying a `ParameterLayout` retains and releases each of them).
struct ParameterPlan: Sendable {
    /// The unconstrained coordinates (`freeOffset`, `freeCount` of the layout).
    var offset: Int32
    var count: Int32
    /// The constrained values' place, where constrained-scale inputs are read.
    var valueOffset: Int32
    var valueCount: Int32
    var constrained: ConstrainedType?
    var rows: Int32
    var columns: Int32
    var isScalar: Bool
    /// Whether its bounds need evaluating each time: a bound that is not a constant, or
    /// constant bounds that are empty (lower ≥ upper: the evaluation reports it).
    var evaluatesBounds: Bool
    /// Constant bounds (when `evaluatesBounds` is false).
    var lower: Double?
    var upper: Double?

    init(_ p: ParameterLayout) {
        offset = Int32(p.freeOffset)
        count = Int32(p.freeCount)
        valueOffset = Int32(p.offset)
        valueCount = Int32(p.count)
        constrained = p.constrained
        isScalar = p.shape.isEmpty
        rows = Int32(p.shape.first ?? 0)
        columns = Int32(p.shape.count > 1 ? p.shape.dropFirst().reduce(1, *) : 0)  // rank ≥ 3: a matrix view
        func constant(_ e: IRExpr?) -> Double?? {
            guard let e else { return .some(nil) }
            if case .constScalar(let x) = e { return .some(x) }
            return nil
        }
        if let l = constant(p.lower), let u = constant(p.upper), !(l != nil && u != nil && !(l! < u!)) {
            lower = l
            upper = u
            evaluatesBounds = false
        } else {
            lower = nil
            upper = nil
            evaluatesBounds = true
        }
    }
}

/// A mutable local's storage shape.
struct VariableLayout: Sendable {
    var name: String
    var shape: [Int]
    var count: Int { shape.reduce(1, *) }
    var isInteger: Bool
}

/// Everything an evaluation needs, immutable and shared by every evaluator (each chain and
/// each scalar type has its own evaluator and tape).
final class CompiledProgram: Sendable {
    let pool: [Double]
    let parameters: [ParameterLayout]
    /// `parameters` as the transform reads them (Evaluator+Transforms.swift).
    let parameterPlans: [ParameterPlan]
    /// The number of unconstrained coordinates (what samplers see).
    let dimension: Int
    /// The number of constrained values (what is reported); the same unless a parameter has
    /// a constrained type.
    let constrainedDimension: Int
    let statements: [IRStmt]
    /// The statements a log-density evaluation runs: `statements` without the top-level lets
    /// nothing needed reads (DeadLets.swift). Draws and simulation run `statements`.
    let densityStatements: [IRStmt]
    let letCount: Int
    let variables: [VariableLayout]
    let loopCount: Int
    /// The name indexed at each indexing expression, for out-of-range messages only.
    let indexedNames: [SourceSpan: String]
    /// A flat register program for each `for` loop whose body is scalar code, by loop slot
    /// (nil: the loop is walked as a tree). LoopKernel.swift.
    let loopKernels: [KernelProgram?]
    /// Loops of `~` run as vectorised terms, by loop slot (nil: run as written);
    /// Compiler+LoopVectorise.swift. Their operands use let slots past `letCount`
    /// (`vectorisedLetCount` of them).
    let vectorisedLoops: [VectorisedLoop?]
    let vectorisedLetCount: Int
    /// The fused GLM terms' packed data, built once from the pool and shared by every evaluator
    /// (one copy of X however many chains run); an evaluator whose pool simulation has
    /// rewritten packs its own (Evaluator+GLM.swift).
    let glmPanels: [GLMPanel]
    /// The log density as straight-line register code, when every density statement is one
    /// it covers (FlatProgram.swift); nil: evaluations walk the tree.
    let flatProgram: FlatProgram?

    /// Lets drawn with `_rng` calls, in declaration order: evaluated only when a draw is
    /// reported (generated quantities), never in the log density.
    let generatedLets: [GeneratedLet]
    /// Whether the program draws at random when a draw is reported (`_rng` calls).
    let usesRandomDraws: Bool

    init(pool: [Double], parameters: [ParameterLayout], statements: [IRStmt], letCount: Int,
         variables: [VariableLayout], loopCount: Int, indexedNames: [SourceSpan: String] = [:],
         glmPanels: [GLMPanel]? = nil, generatedLets: [GeneratedLet] = [], usesRandomDraws: Bool = false) {
        self.generatedLets = generatedLets
        self.usesRandomDraws = usesRandomDraws
        self.indexedNames = indexedNames
        self.glmPanels = glmPanels ?? GLMPanel.packAll(statements, pool: pool)
        self.pool = pool
        self.parameters = parameters
        self.parameterPlans = parameters.map(ParameterPlan.init)
        self.dimension = parameters.reduce(0) { $0 + $1.freeCount }
        self.constrainedDimension = parameters.reduce(0) { $0 + $1.count }
        self.statements = statements
        self.densityStatements = DeadLets.densityStatements(statements, parameters: parameters, letCount: letCount)
        self.letCount = letCount
        self.variables = variables
        self.loopCount = loopCount
        self.loopKernels = KernelCompiler.kernels(statements: statements, parameters: parameters, variables: variables,
                                                  pool: pool, loopCount: loopCount)
        (self.vectorisedLoops, self.vectorisedLetCount) = LoopVectoriser.loops(
            statements: statements, parameters: parameters, variables: variables, pool: pool, loopCount: loopCount,
            firstLet: letCount)
        self.flatProgram = FlatProgram.compile(pool: pool, parameters: parameterPlans, statements: densityStatements,
                                               dimension: dimension)
    }
}
