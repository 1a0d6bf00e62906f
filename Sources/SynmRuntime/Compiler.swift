// The compiler: a checked model plus bound data becomes a `CompiledProgram`. Names become
// slots; data go into the constant pool once; data-only expressions are folded by running
// them (so folding and evaluation can never disagree); shapes are fixed here.
import SynmAutodiff
import SynmDiagnostics
import SynmDistributions
import SynmFrontend
import SynmMath

/// What a name means inside the program.
enum Binding {
    case constant(IRExpr)
    case parameter(Int)
    case letSlot(Int)
    case variable(Int)
    case loop(Int)
}

/// A value reported with each draw: a parameter, a let or a predict node.
struct OutputBlock: Sendable {
    enum Source: Sendable {
        case parameter(Int)
        case letSlot(Int)
        case constant(IRExpr)
        /// A predict node and its declared shape (nil: the shape of its array arguments).
        case predict(DensityCall, shape: [Int]?)
        /// A predict node of a distribution with an array argument (categorical, …).
        case predictVector(VectorDensityCall, shape: [Int]?)
        /// A predict node of a multivariate distribution (multi_normal, dirichlet, …).
        case predictMulti(MultiDensityCall, shape: [Int]?)
    }
    var name: String
    var source: Source
    var isInteger: Bool
    /// The full shape of a let of rank 3 or more (its value is a matrix view).
    var shape: [Int]? = nil
}

struct Compiler {
    let model: CheckedModel
    let source: SourceFile
    let data: DataTable
    var pool: [Double] = []
    var scopes: [[String: Binding]] = [[:]]
    /// Names whose values are derived from data (so terms reading them are likelihood terms).
    var dataDerived: Set<String> = []
    var parameters: [ParameterLayout] = []
    var variables: [VariableLayout] = []
    var letCount = 0
    /// Set while compiling an expression that draws at random (an `_rng` call, or a let
    /// drawn with one).
    var usesRandom = false
    /// Whether any `_rng` call was compiled.
    var anyRandom = false
    /// Let slots drawn at random, and their values (evaluated only when a draw is reported).
    var randomLetSlots: Set<Int> = []
    var generatedLets: [GeneratedLet] = []
    var loopCount = 0
    var termCount = 0
    var outputs: [OutputBlock] = []
    /// Set while compiling an expression that reads data or synthetic values.
    var mentionsData = false
    /// Set while compiling an expression that cannot be folded (parameters, lets, locals, loops).
    var isDynamic = false
    var terms: [TermSummary] = []
    /// The name indexed at each indexing expression (`v` in `v[i]`), for messages.
    var indexedNames: [SourceSpan: String] = [:]
    /// Parameters read by the expression being compiled (directly or through lets and locals).
    var referencedParameters: Set<Int> = []
    var letDependencies: [Int: Set<Int>] = [:]
    /// Where each data and synthetic node starts in the pool.
    var dataLocations: [String: Int] = [:]
    var variableDependencies: [Int: Set<Int>] = [:]
    /// The full shape of each declared name (data, parameters, lets, vars), for arrays of rank
    /// 3 or more (Compiler+Shapes.swift).
    var declaredShapes: [String: [Int]] = [:]
    /// User-defined functions declared so far, by name (Compiler+Functions.swift).
    var functions: [String: FunctionDecl] = [:]
    /// The calls being inlined, innermost last (for the call sites in messages).
    var inlining: [String] = []
    /// Calls inlined so far (bounded: calls of calls multiply).
    var inlinedCalls = 0

    init(model: CheckedModel, source: SourceFile, data: DataTable) {
        self.model = model
        self.source = source
        self.data = data
    }

    func lookup(_ name: String) -> Binding? {
        for s in scopes.reversed() { if let b = s[name] { return b } }
        return nil
    }

    mutating func bind(_ name: String, _ b: Binding) { scopes[scopes.count - 1][name] = b }

    /// Adds values to the pool; returns their reference.
    mutating func addToPool(_ values: [Double], shape: [Int]) throws -> IRExpr {
        if shape.isEmpty { return .constScalar(values[0]) }
        try reservePool(values.count)
        let start = pool.count
        pool.append(contentsOf: values)
        if shape.count == 2 { return .constArray(.matrix(start: start, rows: shape[0], columns: shape[1])) }
        if shape.count > 2 { return .constArray(.tensor(start: start, shape: shape)) }
        return .constArray(.array(start: start, count: values.count))
    }

    /// The constant pool is indexed with 32-bit integers: refuses to grow it past them.
    func reservePool(_ count: Int) throws {
        guard pool.count + count <= MemoryBudget.maxElements else {
            throw RuntimeError("the model's data and parameters hold more than \(MemoryBudget.maxElements) values, the most one model can hold",
                               hint: "use less data or smaller arrays")
        }
    }

    /// Compiles the whole model.
    mutating func compile() throws -> (CompiledProgram, [OutputBlock], [TermSummary]) {
        // Data and synthetic values enter the pool once, in declaration order.
        for s in model.symbols where [.data, .size, .synthetic].contains(s.role) {
            guard let a = data[s.name] else { continue }
            dataLocations[s.name] = pool.count
            declaredShapes[s.name] = a.shape
            try reservePool(a.values.count)
            if a.shape.isEmpty {
                // Scalars live in the pool too, so simulation can redraw them.
                pool.append(a.values[0])
                bind(s.name, .constant(.poolScalar(pool.count - 1)))
            } else {
                bind(s.name, .constant(try addToPool(a.values, shape: a.shape)))
            }
            dataDerived.insert(s.name)
        }
        // A third party's rows: source_n and overlap must make sense whatever the footing.
        for s in model.symbols where s.generator == .external {
            guard let call = s.generatorCall, let nExpr = call.args.first(where: { $0.label == "source_n" })?.value,
                  let n = try ConstantExpression.evaluate(nExpr, data: data).scalar else { continue }
            let k = try call.args.first(where: { $0.label == "overlap" })
                .map { try ConstantExpression.evaluate($0.value, data: data).scalar ?? 0 } ?? 0
            if n < 1 { throw RuntimeError("source_n is \(formatNumber(n)); it must be at least 1", span: nExpr.span) }
            if k < 0 { throw RuntimeError("overlap is \(formatNumber(k)); it cannot be negative", span: call.span) }
            if k > n {
                throw RuntimeError("overlap (\(formatNumber(k))) exceeds source_n (\(formatNumber(n))): the third party cannot share more units with us than it used",
                                   span: call.span)
            }
        }
        var statements: [IRStmt] = []
        for s in model.program.statements {
            statements += try compileStatement(s, topLevel: true)
        }
        statements = hoistingCalls(statements)
        // Pool slots for the parameters' values during simulation.
        for p in parameters.indices {
            try reservePool(parameters[p].count)
            parameters[p].simulationRegion = .array(start: pool.count, count: parameters[p].count)
            pool.append(contentsOf: repeatElement(0, count: parameters[p].count))
        }
        let program = CompiledProgram(pool: pool, parameters: parameters, statements: statements, letCount: letCount,
                                      variables: variables, loopCount: loopCount, indexedNames: indexedNames,
                                      generatedLets: generatedLets, usesRandomDraws: anyRandom)
        return (program, outputs, terms)
    }
}

/// A `~` or `target +=` statement (at any depth: a statement inside a loop is one term over
/// all its iterations), for per-term evaluation and reports.
public struct TermSummary: Sendable {
    public var id: Int
    /// The text of its left side (or `target`).
    public var label: String
    public var isLikelihood: Bool
    /// The synthetic node on its left, if any.
    public var syntheticNode: String?
    /// The footing weight when it is a constant (nil for `weight(expr)` over parameters, and
    /// for `cap` and `calibrated` until SynmSynthetic sets their weight).
    public var weight: Double?
    public var span: SourceSpan
    /// The footing as written (nil: none written, weight 1).
    public var footing: FootingKind?
    /// Written at the top level (not inside a loop or conditional).
    public var topLevel: Bool
}
