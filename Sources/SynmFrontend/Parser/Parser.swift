// The recursive-descent parser: tokens to a `Program`. Each `parseX` function implements
// the rule `x` of grammar/synm.ebnf and quotes it. Errors are thrown inside a statement and
// caught at the statement boundary, where the parser records them and resynchronises, so
// one run reports several errors.
import SynmDiagnostics

/// A parse error inside one statement; caught at the statement boundary.
struct ParseError: Error {
    var diagnostic: Diagnostic
    /// The error sits on a token the lexer already reported; record nothing more.
    var alreadyReported = false
}

/// Parses a token stream.
public struct Parser {
    var tokens: [Token]
    var index = 0
    public internal(set) var diagnostics: [Diagnostic] = []
    /// Inside `( )` and `[ ]` newlines are insignificant; a `{ }` block makes them
    /// significant again. The top of this stack says which applies now.
    var newlinesIgnored: [Bool] = [false]
    /// Nesting of expressions, blocks and groups; bounded so no input overflows the stack.
    var nesting = 0
    /// Deepest expression tree or block nesting accepted (recursive passes stay safe).
    static let maxNesting = 64
    /// Beyond this many errors the parser stops (the rest is usually noise).
    static let maxErrors = 30

    public init(tokens: [Token]) { self.tokens = tokens }

    // MARK: - Token access

    mutating func peekToken() -> Token {
        if newlinesIgnored.last == true {
            while case .newline = tokens[index].kind { index += 1 }
        }
        return tokens[index]
    }

    /// The last token consumed that is not a newline.
    var previous: Token {
        var j = index - 1
        while j > 0, case .newline = tokens[j].kind { j -= 1 }
        return tokens[max(0, j)]
    }

    @discardableResult
    mutating func advance() -> Token {
        let t = peekToken()
        if case .eof = t.kind { return t }
        index += 1
        return t
    }

    mutating func check(_ s: Symbol) -> Bool {
        if case .symbol(s) = peekToken().kind { return true }
        return false
    }

    mutating func check(_ k: Keyword) -> Bool {
        if case .keyword(k) = peekToken().kind { return true }
        return false
    }

    mutating func match(_ s: Symbol) -> Bool {
        if check(s) {
            advance()
            return true
        }
        return false
    }

    mutating func match(_ k: Keyword) -> Bool {
        if check(k) {
            advance()
            return true
        }
        return false
    }

    /// Skips newlines that follow an operator or separator (a line ending in a binary
    /// operator continues on the next line).
    mutating func skipNewlines() {
        while case .newline = tokens[index].kind { index += 1 }
    }

    @discardableResult
    mutating func expect(_ s: Symbol, _ what: String) throws -> Token {
        if check(s) { return advance() }
        throw error("expected '\(s.rawValue)' \(what)")
    }

    mutating func expectIdentifier(_ what: String) throws -> (String, SourceSpan) {
        let t = peekToken()
        if case .identifier(let name) = t.kind {
            advance()
            return (name, t.span)
        }
        if case .keyword(let k) = t.kind {
            throw ParseError(diagnostic: .error("parse.reserved-word", "expected \(what), found keyword '\(k.rawValue)'",
                                                at: t.span, hint: "'\(k.rawValue)' is reserved; choose another name"))
        }
        throw error("expected \(what)")
    }

    /// An error at the current token, or — when the current token starts a new line —
    /// just after the previous token, where the missing piece belongs.
    mutating func error(_ message: String, hint: String? = nil) -> ParseError {
        let t = peekToken()
        var span = t.span
        var found = t.description
        if case .invalid = t.kind {
            return ParseError(diagnostic: .error("parse.syntax", message, at: span), alreadyReported: true)
        }
        let expected = message.hasPrefix("expected")
        if case .newline = t.kind { span = SourceSpan(start: previous.span.end, end: previous.span.end) }
        if case .eof = t.kind, index > 0 { span = SourceSpan(start: previous.span.end, end: previous.span.end) }
        if expected, index > 0, startsNewLine(index) {
            span = SourceSpan(start: previous.span.end, end: previous.span.end)
            found = "end of line"
        }
        let text = expected ? "\(message), found \(found)" : message
        return ParseError(diagnostic: .error("parse.syntax", text, at: span, hint: hint))
    }

    /// Whether token `i` is the first of its line (a newline token precedes it).
    func startsNewLine(_ i: Int) -> Bool {
        guard i > 0 else { return false }
        if case .newline = tokens[i - 1].kind { return true }
        return false
    }

    // MARK: - Nesting guard

    mutating func enterNesting(_ span: SourceSpan) throws {
        nesting += 1
        if nesting > Self.maxNesting {
            throw ParseError(diagnostic: .error(
                "parse.too-deep", "nesting is too deep (more than \(Self.maxNesting) levels)", at: span,
                hint: "split the expression with `let` or flatten the blocks"))
        }
    }

    mutating func leaveNesting() { nesting -= 1 }

    /// The longest chain of one operator (`a + b + … `) accepted: passes over the tree
    /// recurse once per term, and the sampler's threads have small stacks.
    static let maxChain = 1000

    /// Refuses expressions nested deeper than `maxNesting` levels (parentheses, calls,
    /// indices, right operands), and operator chains longer than `maxChain` terms.
    func verifyDepth(_ e: Expr) throws -> Expr {
        if e.nesting > Self.maxNesting {
            throw ParseError(diagnostic: .error(
                "parse.too-deep", "expression is too deeply nested (more than \(Self.maxNesting) levels)",
                at: e.span, hint: "split it into smaller pieces with `let`"))
        }
        if e.depth > Self.maxChain {
            throw ParseError(diagnostic: .error(
                "parse.too-long", "expression is too long (a chain of more than \(Self.maxChain) terms)",
                at: e.span, hint: "put the terms in an array and use sum(), or split it with `let`"))
        }
        return e
    }

    // MARK: - Recovery

    mutating func record(_ e: ParseError) {
        if e.alreadyReported { return }
        diagnostics.append(e.diagnostic)
    }

    var tooManyErrors: Bool { diagnostics.count >= Self.maxErrors }

    /// Skips to the start of the next statement: past the end of the current line, or to a
    /// closing brace of the enclosing block.
    mutating func synchronize() {
        var depth = 0
        while true {
            let t = tokens[index]
            switch t.kind {
            case .eof: return
            case .newline where depth <= 0:
                index += 1
                return
            case .symbol(.lbrace): depth += 1
            case .symbol(.rbrace):
                if depth <= 0 { return }
                depth -= 1
            default: break
            }
            index += 1
        }
    }
}
