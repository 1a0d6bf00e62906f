// Declarations and statements of the syntax tree.
import SynmDiagnostics

/// `real` or `int`.
public enum BaseType: String, Sendable {
    case real, int
}

/// One bound of a constraint: `lower = expr` or `upper = expr`.
public struct Bound: Sendable {
    public enum Side: String, Sendable { case lower, upper }
    public var side: Side
    public var value: Expr
    public var span: SourceSpan
}

/// A written type: `real<lower=0>[J]`, `int[N]`, `real[N, K]`, `vector<lower=0>[N]`, `matrix[N, K]`.
public struct TypeSyntax: Sendable {
    public var base: BaseType
    public var bounds: [Bound]
    public var dims: [Expr]
    public var span: SourceSpan
    /// `simplex[K]`, `cov_matrix[K]`, … (base `real`, no bounds). A square matrix type's one
    /// written size K stands in `dims` twice (`[K, K]`), so its rank and shape read as those
    /// of `real[K, K]`.
    public var constrained: ConstrainedType? = nil

    /// The sizes as written: `dims` without the repeated size of a square matrix type.
    public var writtenDims: [Expr] {
        dims.count == 2 && constrained != nil && dims[0].span == dims[1].span ? [dims[0]] : dims
    }
    /// `vector[N]`, `row_vector[N]`, `matrix[N, M]` (base real); `.array` for `real` and `int`.
    public var kind: ContainerKind = .array

    public var lower: Expr? { bounds.first { $0.side == .lower }?.value }
    public var upper: Expr? { bounds.first { $0.side == .upper }?.value }
}

/// How a likelihood term on synthetic (or real) data enters the posterior.
public enum FootingKind: Sendable {
    case equal
    /// The largest weight at which the term's rows do not overstate their information
    /// (docs/STATISTICS.md, "cap").
    case cap
    /// A weight calibrated by simulation so the model's standard error matches the
    /// estimator's sampling SD under the generator (docs/STATISTICS.md, "calibrated").
    case calibrated
    case power(Expr, normalized: Bool)
    case weight(Expr)
}

/// A `footing …` clause with its span.
public struct Footing: Sendable {
    public var kind: FootingKind
    public var span: SourceSpan
    public init(kind: FootingKind, span: SourceSpan) {
        self.kind = kind
        self.span = span
    }
}

/// A distribution application `name(args)` on the right of `~`.
public struct DistCall: Sendable {
    public var name: String
    public var nameSpan: SourceSpan
    public var args: [Argument]
    public var span: SourceSpan
    /// Written with `|` after the first argument (`normal_lpdf(y | mu, sigma)`).
    public var conditioned: Bool = false
    /// `T[L, U]` after a distribution on the right of `~` (either bound may be omitted).
    public var truncation: Truncation?
}

/// Truncation bounds `T[L, U]`, `T[L, ]`, `T[, U]` (Stan's syntax).
public struct Truncation: Sendable {
    public var lower: Expr?
    public var upper: Expr?
    public var span: SourceSpan
    public init(lower: Expr?, upper: Expr?, span: SourceSpan) {
        self.lower = lower
        self.upper = upper
        self.span = span
    }
}

/// The kinds of top-level declarations and statements.
public enum StmtKind: Sendable {
    /// `data NAME: TYPE [= literal]`
    case data(name: String, type: TypeSyntax, value: Expr?)
    /// `param NAME: TYPE`
    case param(name: String, type: TypeSyntax)
    /// `let NAME [: TYPE] = expr`
    case `let`(name: String, type: TypeSyntax?, value: Expr)
    /// `var NAME: TYPE [= expr]`
    case `var`(name: String, type: TypeSyntax, value: Expr?)
    /// `synthetic NAME {, NAME}: TYPE = generator(args)`; several names are resampled jointly
    /// (`synthetic xb, yb: real[200] = bootstrap(x, y)`).
    case synthetic(names: [String], nameSpans: [SourceSpan], type: TypeSyntax, generator: DistCall)
    /// `predict NAME [: TYPE] ~ dist(args)`
    case predict(name: String, type: TypeSyntax?, dist: DistCall)
    /// `expr ~ dist(args) [footing …]`
    case tilde(lhs: Expr, dist: DistCall, footing: Footing?)
    /// `target += expr`
    case target(Expr)
    /// `lvalue = expr`
    case assign(lhs: Expr, value: Expr)
    /// `for NAME in lo..hi { … }`
    case forLoop(variable: String, variableSpan: SourceSpan, lower: Expr, upper: Expr, body: [Stmt])
    /// `if cond { … } [else …]`
    case ifElse(condition: Expr, then: [Stmt], otherwise: [Stmt]?)
    /// `fn name(args) -> type { body }` (top level only).
    case function(FunctionDecl)
    /// `return expr` (only in a function body).
    case `return`(Expr)
}

/// A statement with its span and the span of its name (for declarations).
public struct Stmt: Sendable {
    public var kind: StmtKind
    public var span: SourceSpan
    /// The declared name's span, for declarations.
    public var nameSpan: SourceSpan?

    public init(_ kind: StmtKind, span: SourceSpan, nameSpan: SourceSpan? = nil) {
        self.kind = kind
        self.span = span
        self.nameSpan = nameSpan
    }
}

/// A parsed model: its statements in source order.
public struct Program: Sendable {
    public var statements: [Stmt]
    public init(statements: [Stmt]) { self.statements = statements }
}
