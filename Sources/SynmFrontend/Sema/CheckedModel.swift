// The checker's output: every top-level name with its role, type and dependencies, plus
// the syntax tree it was checked from. Later phases (data binding, compilation) read this.
import SynmDiagnostics

/// What a name is.
public enum Role: String, Sendable {
    case data
    /// A size named in a data type but not declared (`data y: real[n]` declares `n`).
    case size
    case param
    case `let`
    case `var`
    case synthetic
    case predict
    case loopVariable = "loop variable"
    /// An argument of a user-defined function (read-only).
    case argument = "function argument"
}

/// The checked type of a value: base type and rank (0 scalar, 1 array, 2 matrix, 3 or more an
/// array of that rank, as Stan's `array[N, M, K] real`), and for Stan's linear-algebra types
/// which one it is (`kind`; `.array` for scalars and arrays).
public struct ValueType: Sendable, Equatable {
    public var base: BaseType
    public var rank: Int
    public var kind: ContainerKind = .array
    public init(_ base: BaseType, rank: Int = 0, kind: ContainerKind = .array) {
        self.base = base
        self.rank = rank
        self.kind = kind
    }
    public static let real = ValueType(.real)
    public static let int = ValueType(.int)

    /// `real`, `int array`, `real matrix`, `vector`, `row_vector`, `matrix`.
    public var description: String {
        if kind != .array { return kind.rawValue }
        switch rank {
        case 0: return base.rawValue
        case 1: return "\(base.rawValue) array"
        case 2: return "\(base.rawValue) matrix"
        default: return "\(base.rawValue) array of rank \(rank)"
        }
    }
}

/// How a rank-1 or rank-2 real value takes part in linear algebra (Stan's `vector[N]`,
/// `row_vector[N]`, `matrix[N, M]`). All have the runtime representation of `real[N]` and
/// `real[N, M]`; the kind only decides what `*` means (matrix product or element-wise) and
/// what transposition gives. `.array` is a plain array (or a scalar).
public enum ContainerKind: String, Sendable {
    case array
    case vector
    case rowVector = "row_vector"
    case matrix
}

/// One declared name.
public struct SymbolInfo: Sendable {
    public var name: String
    public var role: Role
    public var type: ValueType
    /// The written type, if any (lets may omit it; inferred sizes have none).
    public var declaredType: TypeSyntax?
    public var span: SourceSpan
    /// Whether its value depends on parameters (so it is recomputed per draw).
    public var dependsOnParameters: Bool
    /// Whether anything reads it.
    public var used: Bool = false
    /// For data: the embedded default value, if written.
    public var defaultValue: Expr?
    /// For lets: the defining expression.
    public var value: Expr?
    /// For synthetic nodes: the generator and its call.
    public var generator: Generator?
    public var generatorCall: DistCall?
    /// For synthetic nodes declared together (`synthetic xb, yb = bootstrap(x, y)`), the
    /// other names of the group.
    public var group: [String] = []
    /// For synthetic and data nodes: the footings of the `~` statements whose left side is it.
    public var footings: [Footing] = []
    /// For data and synthetic nodes: whether some `~` statement has it on the left.
    public var hasLikelihood = false
    /// For predict nodes: the distribution.
    public var distribution: DistCall?
}

/// A model that passed the checker.
public struct CheckedModel: Sendable {
    /// The syntax tree.
    public var program: Program
    /// Top-level names in declaration order.
    public var symbols: [SymbolInfo]
    /// Statements that are not declarations (`~`, `target +=`, assignments, loops, ifs),
    /// counted through blocks.
    public var statementCount: Int
    /// Divisions whose operands are both ints: integer division, truncated toward zero as
    /// in Stan (`7 / 2` is 3).
    public var integerDivisions: Set<SourceSpan> = []
    /// User-defined functions, in declaration order.
    public var functions: [FunctionDecl] = []
    /// Products and calls whose meaning depends on vector/row_vector/matrix kinds
    /// (`A * B`, `rows(rv)`, `append_row(rv, m)`), by the span of the expression: the name of
    /// the runtime operation the compiler uses (Checker+LinearAlgebra.swift).
    public var linearAlgebra: [SourceSpan: String] = [:]
    /// Indexing expressions (`y[i, j]`) whose base is an array of rank 3 or more, with its rank:
    /// the compiler indexes these by the base's full shape (and refuses one it cannot size).
    public var higherRankIndexes: [SourceSpan: Int] = [:]

    /// The symbols with a role.
    public func symbols(_ role: Role) -> [SymbolInfo] { symbols.filter { $0.role == role } }
    /// The symbol with a name.
    public func symbol(named name: String) -> SymbolInfo? { symbols.first { $0.name == name } }
}
