// Tokens of the synm language: kinds, spans and the text they cover.
import SynmDiagnostics

/// What a token is.
public enum TokenKind: Sendable, Equatable {
    case identifier(String)
    case keyword(Keyword)
    case intLiteral(Int)
    case realLiteral(Double)
    /// `"gen.synm"`: only the file of the `model(…)` generator.
    case stringLiteral(String)
    case symbol(Symbol)
    case newline
    case eof
    /// A character that starts no token; the lexer has already reported it.
    case invalid
}

/// Reserved words. Constraint and footing words (`lower`, `cap`, …) stay contextual.
public enum Keyword: String, Sendable, CaseIterable {
    case data, param, `let`, `var`, synthetic, predict
    case target, `for`, `in`, `if`, `else`, footing
    case real, int
    /// User-defined functions: `fn name(args) -> type { … return e }`.
    case fn, `return`
}

/// Punctuation and operators.
public enum Symbol: String, Sendable, CaseIterable {
    case lparen = "(", rparen = ")", lbracket = "[", rbracket = "]", lbrace = "{", rbrace = "}"
    case comma = ",", colon = ":", semicolon = ";", bar = "|"
    case assign = "=", tilde = "~", plusAssign = "+="
    case plus = "+", minus = "-", star = "*", slash = "/", caret = "^"
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case equalEqual = "==", notEqual = "!=", and = "&&", or = "||", not = "!"
    case dotDot = ".."
    /// Element-wise `.*` and `./` (Stan's elt_multiply, elt_divide); `x'` transposes.
    case dotStar = ".*", dotSlash = "./", quote = "'"
    /// `v -> body`: the operator of `periodic`.
    case arrow = "->"
}

/// A token and where it is.
public struct Token: Sendable, Equatable {
    public var kind: TokenKind
    public var span: SourceSpan
    public init(_ kind: TokenKind, _ span: SourceSpan) {
        self.kind = kind
        self.span = span
    }

    /// How the token reads in a message: `'('`, `identifier 'mu'`, `end of line`.
    public var description: String {
        switch kind {
        case .identifier(let name): return "'\(name)'"
        case .keyword(let k): return "'\(k.rawValue)'"
        case .intLiteral(let v): return "'\(v)'"
        case .realLiteral(let v): return "'\(v)'"
        case .stringLiteral(let s): return "\"\(s)\""
        case .symbol(let s): return "'\(s.rawValue)'"
        case .newline: return "end of line"
        case .eof: return "end of file"
        case .invalid: return "invalid character"
        }
    }
}
