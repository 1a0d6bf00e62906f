// No input crashes or hangs the front end: mutated models, deep nesting, huge files,
// invalid UTF-8, binary garbage, empty files. A crash fails the whole test process; a
// hang is caught by the per-input time bound.
import Foundation
import SynmDiagnostics
import SynmMath
import Testing
@testable import SynmFrontend

/// Checks one input and verifies the result is a clean report: it finishes, every
/// diagnostic points inside the file, and rendering it works.
func expectCleanReport(_ bytes: [UInt8], _ what: @autoclosure () -> String) {
    let file = SourceFile(name: "fuzz.synm", bytes: bytes)
    let result = checkModel(file)
    let renderer = DiagnosticRenderer(file: file)
    for d in result.diagnostics {
        if let span = d.span {
            #expect(span.start >= 0 && span.end <= bytes.count && span.start <= span.end,
                    "span \(span) outside the file (\(bytes.count) bytes) for \(what())")
        }
        #expect(!renderer.render(d).isEmpty)
    }
    if result.model == nil {
        #expect(result.diagnostics.hasErrors, "no model and no error for \(what())")
    }
}

/// Small random edits of a model's text, by characters and by whitespace-separated tokens.
struct Mutator {
    var rng: Xoshiro256StarStar
    static let alphabet: [String] = ["(", ")", "[", "]", "{", "}", "~", "=", ",", ":", "<", ">", "..", "|", "\n",
                                     "\t", " ", "#", "0", "1.5e", "-", "+", "*", "^", "!", "é", "\u{0}", "footing",
                                     "data ", "param ", "for i in 1..N ", "if ", "else", "target +=", "y", "mu"]

    mutating func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(max(n, 1))) }

    mutating func mutate(_ text: String) -> String {
        var chars = Array(text)
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        switch pick(7) {
        case 0 where !chars.isEmpty:  // delete a character
            chars.remove(at: pick(chars.count))
            return String(chars)
        case 1:  // insert something
            chars.insert(contentsOf: Self.alphabet[pick(Self.alphabet.count)], at: pick(chars.count + 1))
            return String(chars)
        case 2 where !chars.isEmpty:  // duplicate a stretch
            let a = pick(chars.count), b = min(chars.count, a + 1 + pick(40))
            chars.insert(contentsOf: chars[a..<b], at: pick(chars.count + 1))
            return String(chars)
        case 3 where !words.isEmpty:  // delete a token
            words.remove(at: pick(words.count))
            return words.joined(separator: " ")
        case 4 where !words.isEmpty:  // duplicate a token
            let w = words[pick(words.count)]
            words.insert(w, at: pick(words.count + 1))
            return words.joined(separator: " ")
        case 5 where words.count > 1:  // swap two tokens
            let i = pick(words.count), j = pick(words.count)
            words.swapAt(i, j)
            return words.joined(separator: " ")
        default:  // truncate
            return String(chars.prefix(pick(chars.count + 1)))
        }
    }
}

@Suite struct RobustnessTests {
    /// 1,500 mutants of each model, each mutant carrying 1 to 4 edits.
    @Test(arguments: GrammarTests.models)
    func mutatedModelsGetCleanDiagnostics(name: String) throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("models").appendingPathComponent(name),
                              encoding: .utf8)
        var mutator = Mutator(rng: Xoshiro256StarStar(seed: 0x5EED, stream: UInt64(name.utf8.reduce(0) { $0 &* 31 &+ Int($1) } & 0xFFFF)))
        for k in 0..<1500 {
            var m = text
            for _ in 0...mutator.pick(4) { m = mutator.mutate(m) }
            expectCleanReport(Array(m.utf8), "mutant \(k) of \(name)")
        }
    }

    @Test func twentyThousandNestedParentheses() {
        let text = "param mu: real\nlet x = " + String(repeating: "(", count: 20_000) + "mu"
            + String(repeating: ")", count: 20_000) + "\nmu ~ normal(0, 1)\n"
        let result = checkModel(SourceFile(name: "deep.synm", text: text))
        #expect(result.diagnostics.map(\.code) == ["parse.too-deep"])
    }

    @Test func deepNestingOfEveryKind() {
        let n = 20_000
        let cases = [
            "let x = " + String(repeating: "-", count: n) + "1",
            "let x = " + String(repeating: "[", count: n) + String(repeating: "]", count: n),
            "let x = " + String(repeating: "f(", count: n) + String(repeating: ")", count: n),
            "let x = a" + String(repeating: "[1]", count: n),
            "let x = 1" + String(repeating: " ^ 1", count: n),
            "let x = 1" + String(repeating: " + 1", count: n),
            String(repeating: "if 1 {\n", count: n) + String(repeating: "}\n", count: n),
            String(repeating: "for i in 1..2 {", count: n),
        ]
        for c in cases { expectCleanReport(Array(c.utf8), String(c.prefix(30))) }
    }

    @Test func tenMegabyteFile() {
        // A long model: a large literal default and many statements.
        var text = "param mu: real\ndata y: real[N] = ["
        text += Array(repeating: "1.25", count: 600_000).joined(separator: ", ") + "]\n"
        let statement = "y ~ normal(mu, 1)\n"
        text += String(repeating: statement, count: (10_000_000 - text.utf8.count) / statement.utf8.count)
        #expect(text.utf8.count > 9_900_000)
        let clock = ContinuousClock()
        let elapsed = clock.measure { expectCleanReport(Array(text.utf8), "10 MB model") }
        // Generous: linear-time work on 10 MB takes a few seconds in a debug build. This is
        // a hang detector, not a benchmark.
        #expect(elapsed < .seconds(120))
    }

    @Test func binaryGarbageAndEdgeFiles() {
        var rng = Xoshiro256StarStar(seed: 42)
        for _ in 0..<200 {
            let n = Int(rng.next() % 2000)
            let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            // The driver rejects invalid UTF-8 before lexing; the lexer must cope anyway.
            expectCleanReport(bytes, "random bytes")
        }
        expectCleanReport([], "empty file")
        expectCleanReport(Array("\n\n\n".utf8), "blank lines")
        expectCleanReport([0, 0, 0], "NUL bytes")
        expectCleanReport(Array("\u{FEFF}param mu: real".utf8), "byte-order mark")
    }
}
