// Source locations, caret rendering (tabs and multi-byte text), suggestions, UTF-8 checks.
import Testing
@testable import SynmDiagnostics

@Suite struct DiagnosticsTests {
    @Test func locationsCountScalarsNotBytes() {
        let file = SourceFile(name: "f", text: "a\né x\n")
        #expect(file.location(of: 0) == SourceLocation(line: 1, column: 1, offset: 0))
        #expect(file.location(of: 2).line == 2)
        // "é" is two bytes; "x" is the third scalar of line 2.
        #expect(file.location(of: 5).column == 3)
        #expect(file.lineText(2) == "é x")
    }

    @Test func caretLinesUpUnderTabs() {
        let text = "\t\tmu ~ nrm(0, 1)"
        let file = SourceFile(name: "m.synm", text: text)
        let start = text.utf8.count - "nrm(0, 1)".utf8.count
        let d = Diagnostic.error("x", "unknown distribution 'nrm'", at: SourceSpan(start: start, end: start + 3),
                                 hint: "did you mean 'normal'?")
        let rendered = DiagnosticRenderer(file: file).render(d)
        #expect(rendered == """
            m.synm:1:8: error: unknown distribution 'nrm'
            \t\tmu ~ nrm(0, 1)
            \t\t     ^~~
            hint: did you mean 'normal'?

            """)
    }

    @Test func caretAfterMultibyteCharacters() {
        let file = SourceFile(name: "f", text: "# é\nlet é2 = bad")
        let start = Array(file.bytes).count - 3
        let out = DiagnosticRenderer(file: file).render(.error("x", "m", at: SourceSpan(start: start, end: start + 3)))
        #expect(out.split(separator: "\n")[2] == "         ^~~")
    }

    @Test func windowsLineEndingsAreNotShown() {
        let file = SourceFile(name: "f", text: "a\r\nbb\r\n")
        #expect(file.lineText(1) == "a")
        #expect(file.lineText(2) == "bb")
    }

    @Test func diagnosticsWithoutASpan() {
        let out = DiagnosticRenderer(file: SourceFile(name: "f", text: "")).render(.warning("w", "whole file", at: nil))
        #expect(out == "f: warning: whole file\n")
    }

    @Test(arguments: [
        ("muu", ["mu", "sigma"], "mu"),
        ("sigam", ["mu", "sigma"], "sigma"),
        ("normall", ["normal", "lognormal"], "normal"),
        ("x", ["N", "y"], nil),
        ("zeta", ["mu", "sigma"], nil),
        ("bootstrp", ["bootstrap", "reweight"], "bootstrap"),
    ] as [(String, [String], String?)])
    func suggestions(name: String, candidates: [String], expected: String?) {
        #expect(closestMatch(to: name, among: candidates) == expected)
    }

    @Test func utf8Validation() {
        #expect(firstInvalidUTF8Offset(Array("plain é ✓ 𝔘".utf8)) == nil)
        #expect(firstInvalidUTF8Offset([0x61, 0xFF, 0x61]) == 1)
        #expect(firstInvalidUTF8Offset([0xC0, 0x80]) == 0)          // overlong NUL
        #expect(firstInvalidUTF8Offset([0xED, 0xA0, 0x80]) == 0)    // surrogate U+D800
        #expect(firstInvalidUTF8Offset([0x61, 0xE2, 0x82]) == 1)    // truncated
        #expect(firstInvalidUTF8Offset([0xF4, 0x90, 0x80, 0x80]) == 0)  // above U+10FFFF
    }
}
