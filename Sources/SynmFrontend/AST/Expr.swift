// Expressions of the syntax tree. Every node carries its span and its depth (so the parser
// can refuse trees deep enough to overflow a recursive pass).
import SynmDiagnostics

/// Binary operators, loosest first.
public enum BinaryOp: String, Sendable {
    case or = "||", and = "&&"
    case equal = "==", notEqual = "!="
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case add = "+", subtract = "-", multiply = "*", divide = "/", power = "^"

    /// Whether the result is a 0/1 int (comparisons and logic).
    public var isLogical: Bool {
        switch self {
        case .or, .and, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return true
        default: return false
        }
    }
}

/// Unary operators.
public enum UnaryOp: String, Sendable {
    case negate = "-", plus = "+", not = "!"
}

/// A call argument, optionally named (`by = g`, `source_n = 40`).
public struct Argument: Sendable {
    public var label: String?
    public var labelSpan: SourceSpan?
    public var value: Expr
    public init(label: String? = nil, labelSpan: SourceSpan? = nil, value: Expr) {
        self.label = label
        self.labelSpan = labelSpan
        self.value = value
    }
}

/// The shape of an expression node.
public indirect enum ExprKind: Sendable {
    case intLiteral(Int)
    case realLiteral(Double)
    /// `"gen.synm"`: only the file of the `model(…)` generator.
    case string(String)
    case name(String)
    case unary(UnaryOp, Expr)
    case binary(BinaryOp, Expr, Expr)
    /// `f(args)`; `conditioned` is true for `dist_lpdf(y | args)` (first argument before `|`).
    case call(name: String, nameSpan: SourceSpan, args: [Argument], conditioned: Bool)
    /// `base[i]`, `base[i, j]`.
    case index(Expr, [Expr])
    /// `[a, b, c]`.
    case array([Expr])
    /// `v -> body`: a function of one row, only as the operator of `periodic`.
    case lambda(parameter: String, parameterSpan: SourceSpan, body: Expr)
    /// A placeholder left where a parse error was reported.
    case error
}

/// An expression with its span.
public struct Expr: Sendable {
    public var kind: ExprKind
    public var span: SourceSpan
    /// 1 for a leaf; 1 + the deepest child otherwise (the recursion depth of passes over it).
    public var depth: Int
    /// The nesting a reader sees: like `depth`, except that the left operand of a binary
    /// operator continues its chain (`a + b + c + …` of any length is nesting 2, while
    /// `f(g(h(x)))` and `a^(b^c)` nest).
    public var nesting: Int

    public init(_ kind: ExprKind, span: SourceSpan) {
        self.kind = kind
        self.span = span
        var d = 0, n = 0
        switch kind {
        case .intLiteral, .realLiteral, .string, .name, .error: d = 0
        case .unary(_, let e): (d, n) = (e.depth, e.nesting)
        case .binary(_, let l, let r): (d, n) = (max(l.depth, r.depth), max(l.nesting - 1, r.nesting))
        case .call(let name, _, let args, _) where args.count == 2 && (name == "elt_multiply" || name == "elt_divide"):
            // `a .* b .* c` continues its chain, as `a * b * c` does.
            (d, n) = (max(args[0].value.depth, args[1].value.depth), max(args[0].value.nesting - 1, args[1].value.nesting))
        case .call(_, _, let args, _): (d, n) = (args.map(\.value.depth).max() ?? 0, args.map(\.value.nesting).max() ?? 0)
        case .index(let b, let ix):
            (d, n) = (max(b.depth, ix.map(\.depth).max() ?? 0), max(b.nesting, ix.map(\.nesting).max() ?? 0))
        case .array(let es): (d, n) = (es.map(\.depth).max() ?? 0, es.map(\.nesting).max() ?? 0)
        case .lambda(_, _, let body): (d, n) = (body.depth, body.nesting)
        }
        depth = d + 1
        nesting = n + 1
    }

    /// The root name of `x`, `x[i]`, `x[i][j]`, if any.
    public var rootName: (String, SourceSpan)? {
        switch kind {
        case .name(let n): return (n, span)
        case .index(let b, _): return b.rootName
        default: return nil
        }
    }
}
