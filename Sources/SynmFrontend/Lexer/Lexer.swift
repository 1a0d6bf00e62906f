// The lexer: UTF-8 bytes to tokens. Comments (`#`, `//`) run to the end of the line;
// consecutive newlines collapse into one token. It never fails: bad characters become
// `.invalid` tokens with a diagnostic, so the parser can go on.
import SynmDiagnostics

/// Splits a source file into tokens.
public struct Lexer {
    let bytes: [UInt8]
    var pos = 0
    public private(set) var diagnostics: [Diagnostic] = []

    /// The lexer stops recording after this many diagnostics (binary input would give one
    /// per byte).
    static let maxDiagnostics = 30

    public init(file: SourceFile) { bytes = file.bytes }

    /// All tokens, ending with `.eof`.
    public mutating func tokenize() -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(bytes.count / 3 + 1)
        while true {
            let t = next()
            if case .newline = t.kind {
                // Collapse runs of newlines and drop leading ones.
                if let last = tokens.last, case .newline = last.kind { continue }
                if tokens.isEmpty { continue }
            }
            tokens.append(t)
            if case .eof = t.kind { return tokens }
        }
    }

    private func peek(_ k: Int = 0) -> UInt8 {
        pos + k < bytes.count ? bytes[pos + k] : 0
    }

    private mutating func next() -> Token {
        skipSpaceAndComments()
        let start = pos
        guard pos < bytes.count else { return Token(.eof, SourceSpan(start: pos, end: pos)) }
        let c = bytes[pos]
        if c == UInt8(ascii: "\n") {
            pos += 1
            return Token(.newline, SourceSpan(start: start, end: pos))
        }
        if isIdentStart(c) { return identifier() }
        if isDigit(c) { return number() }
        if c == UInt8(ascii: "\"") { return string() }
        if let sym = symbol() { return Token(.symbol(sym), SourceSpan(start: start, end: pos)) }
        // An unknown character: consume one whole UTF-8 scalar.
        pos += 1
        while pos < bytes.count, bytes[pos] & 0xC0 == 0x80 { pos += 1 }
        let span = SourceSpan(start: start, end: pos)
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        let shown = text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
            ? "'\(text)'" : "U+" + String(text.unicodeScalars.first!.value, radix: 16, uppercase: true)
        if diagnostics.count < Self.maxDiagnostics {
            diagnostics.append(.error("lex.invalid-character", "unexpected character \(shown)", at: span))
        }
        return Token(.invalid, span)
    }

    private mutating func skipSpaceAndComments() {
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                pos += 1
            } else if c == UInt8(ascii: "#") || (c == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "/")) {
                while pos < bytes.count, bytes[pos] != UInt8(ascii: "\n") { pos += 1 }
            } else {
                return
            }
        }
    }

    /// `"…"` on one line, no escapes (a file name).
    private mutating func string() -> Token {
        let start = pos
        pos += 1
        while pos < bytes.count, bytes[pos] != UInt8(ascii: "\""), bytes[pos] != UInt8(ascii: "\n") { pos += 1 }
        guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else {
            let span = SourceSpan(start: start, end: pos)
            if diagnostics.count < Self.maxDiagnostics {
                diagnostics.append(.error("lex.unterminated-string", "unterminated string", at: span,
                                          hint: "close it with '\"' on the same line"))
            }
            return Token(.invalid, span)
        }
        pos += 1
        let text = String(decoding: bytes[(start + 1)..<(pos - 1)], as: UTF8.self)
        return Token(.stringLiteral(text), SourceSpan(start: start, end: pos))
    }

    private mutating func identifier() -> Token {
        let start = pos
        while pos < bytes.count, isIdentStart(bytes[pos]) || isDigit(bytes[pos]) { pos += 1 }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        let span = SourceSpan(start: start, end: pos)
        if let k = Keyword(rawValue: text) { return Token(.keyword(k), span) }
        return Token(.identifier(text), span)
    }

    /// digits [ '.' digits ] [ ('e'|'E') ['+'|'-'] digits ]. A '.' followed by '.' is a
    /// range operator, so `1..N` lexes as `1`, `..`, `N`.
    private mutating func number() -> Token {
        let start = pos
        var isReal = false
        while isDigit(peek()) { pos += 1 }
        if peek() == UInt8(ascii: "."), isDigit(peek(1)) {
            isReal = true
            pos += 1
            while isDigit(peek()) { pos += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            let save = pos
            pos += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { pos += 1 }
            if isDigit(peek()) {
                isReal = true
                while isDigit(peek()) { pos += 1 }
            } else {
                pos = save
            }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        let span = SourceSpan(start: start, end: pos)
        if !isReal, let v = Int(text) { return Token(.intLiteral(v), span) }
        if !isReal {
            diagnostics.append(.error("lex.int-overflow", "integer literal \(text) is too large", at: span,
                                      hint: "write it as a real, e.g. \(text).0"))
            return Token(.invalid, span)
        }
        return Token(.realLiteral(Double(text) ?? .infinity), span)
    }

    /// Two-character operators, as byte pairs (built once, not per token).
    static let twoCharacterSymbols: [(UInt8, UInt8, Symbol)] = [
        ("+=", Symbol.plusAssign), ("<=", .lessEqual), (">=", .greaterEqual), ("==", .equalEqual),
        ("!=", .notEqual), ("&&", .and), ("||", .or), ("..", .dotDot), ("->", .arrow),
        (".*", .dotStar), ("./", .dotSlash),
    ].map { (Array($0.0.utf8)[0], Array($0.0.utf8)[1], $0.1) }

    private mutating func symbol() -> Symbol? {
        for (first, second, sym) in Self.twoCharacterSymbols where peek() == first && peek(1) == second {
            pos += 2
            return sym
        }
        switch peek() {
        case UInt8(ascii: "("): pos += 1; return .lparen
        case UInt8(ascii: ")"): pos += 1; return .rparen
        case UInt8(ascii: "["): pos += 1; return .lbracket
        case UInt8(ascii: "]"): pos += 1; return .rbracket
        case UInt8(ascii: "{"): pos += 1; return .lbrace
        case UInt8(ascii: "}"): pos += 1; return .rbrace
        case UInt8(ascii: ","): pos += 1; return .comma
        case UInt8(ascii: ":"): pos += 1; return .colon
        case UInt8(ascii: ";"): pos += 1; return .semicolon
        case UInt8(ascii: "|"): pos += 1; return .bar
        case UInt8(ascii: "="): pos += 1; return .assign
        case UInt8(ascii: "~"): pos += 1; return .tilde
        case UInt8(ascii: "+"): pos += 1; return .plus
        case UInt8(ascii: "-"): pos += 1; return .minus
        case UInt8(ascii: "*"): pos += 1; return .star
        case UInt8(ascii: "/"): pos += 1; return .slash
        case UInt8(ascii: "^"): pos += 1; return .caret
        case UInt8(ascii: "<"): pos += 1; return .less
        case UInt8(ascii: ">"): pos += 1; return .greater
        case UInt8(ascii: "!"): pos += 1; return .not
        case UInt8(ascii: "'"): pos += 1; return .quote
        default: return nil
        }
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    private func isIdentStart(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || c == UInt8(ascii: "_")
    }
}
