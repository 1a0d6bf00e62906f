// Lexer: token kinds, ranges versus reals, comments, newline collapsing, bad input.
import SynmDiagnostics
import Testing
@testable import SynmFrontend

func kinds(_ text: String) -> [TokenKind] {
    var lexer = Lexer(file: SourceFile(name: "t", text: text))
    return lexer.tokenize().map(\.kind)
}

@Suite struct LexerTests {
    @Test func rangeIsNotARealLiteral() {
        #expect(kinds("1..N") == [.intLiteral(1), .symbol(.dotDot), .identifier("N"), .eof])
        #expect(kinds("1.5") == [.realLiteral(1.5), .eof])
        #expect(kinds("2e3 4E-2 7e") == [.realLiteral(2000), .realLiteral(0.04), .intLiteral(7), .identifier("e"), .eof])
    }

    @Test func keywordsAndContextualWords() {
        #expect(kinds("param lower footing cap") == [.keyword(.param), .identifier("lower"), .keyword(.footing),
                                                     .identifier("cap"), .eof])
    }

    @Test func commentsAndNewlines() {
        #expect(kinds("\n\na # c\n\n// d\nb") == [.identifier("a"), .newline, .identifier("b"), .eof])
    }

    @Test func twoCharacterOperators() {
        #expect(kinds("<= >= == != && || += ..") == [
            .symbol(.lessEqual), .symbol(.greaterEqual), .symbol(.equalEqual), .symbol(.notEqual),
            .symbol(.and), .symbol(.or), .symbol(.plusAssign), .symbol(.dotDot), .eof,
        ])
    }

    @Test func invalidCharactersAreReportedOnceEach() {
        var lexer = Lexer(file: SourceFile(name: "t", text: "a @ é"))
        let tokens = lexer.tokenize()
        #expect(tokens.map(\.kind) == [.identifier("a"), .invalid, .invalid, .eof])
        #expect(lexer.diagnostics.map(\.message) == ["unexpected character '@'", "unexpected character 'é'"])
    }

    @Test func lexerDiagnosticsAreCapped() {
        var lexer = Lexer(file: SourceFile(name: "t", text: String(repeating: "@", count: 1000)))
        _ = lexer.tokenize()
        #expect(lexer.diagnostics.count == Lexer.maxDiagnostics)
    }

    @Test func spansAreByteOffsets() {
        var lexer = Lexer(file: SourceFile(name: "t", text: "mu ~ normal"))
        let t = lexer.tokenize()
        #expect(t[0].span == SourceSpan(start: 0, end: 2))
        #expect(t[2].span == SourceSpan(start: 5, end: 11))
    }
}
