// Golden transcripts of `synm logprob` (stanc3 style): Golden/logprob/cases.txt lists
// command lines over the tiny models, data and parameter files beside it; the test runs
// each in process and compares the concatenated transcript with Golden/logprob/expected.txt
// (`SYNM_RECORD=1` re-records). Arguments that are not flags are paths relative to that
// folder; the folder prefix is stripped from the output so transcripts are portable.
import Foundation
import Testing
@testable import SynmDriver

@Suite struct LogprobGoldenTests {
    @Test func logprobTranscripts() throws {
        let dir = goldenRoot.appendingPathComponent("logprob")
        let cases = try String(contentsOf: dir.appendingPathComponent("cases.txt"), encoding: .utf8)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        #expect(cases.count >= 20, "cases.txt lists \(cases.count) command lines")
        var text = ""
        for line in cases {
            let words = line.split(separator: " ").map(String.init)
            // The command name stays; every other non-flag word is a path in the folder.
            let args = words.enumerated().map { k, w in
                k == 0 || w.hasPrefix("-") ? w : dir.appendingPathComponent(w).path
            }
            text += transcript(args, shownAs: line, stripping: dir.path + "/") + "\n"
        }
        expectMatchesGolden(text, file: dir.appendingPathComponent("expected.txt"))
    }
}
