// Golden transcripts (stanc3 style): every diagnostic a user can see has a tiny model in
// Golden/<folder>/, and Golden/<folder>/expected.txt holds the transcript of
// `synm check` on each, in sorted order, with the exit code. `SYNM_RECORD=1 swift test`
// rewrites the transcripts (and fails, so a recording is never mistaken for a pass).
import Foundation
import Testing
@testable import SynmDriver

/// The folder holding the golden cases, found next to this file.
let goldenRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

/// Runs `synm ARGS` in process and returns a transcript block.
func transcript(_ args: [String], shownAs shown: String, stripping prefix: String) -> String {
    let out = StringSink(), err = StringSink()
    let code = Driver.run(args, console: Console(out: out, err: err))
    let body = (out.text + err.text).replacingOccurrences(of: prefix, with: "")
    return "$ synm \(shown)\n\(body)[exit \(code)]\n"
}

/// Compares `actual` with the file at `url`, or records it when `SYNM_RECORD` is set.
func expectMatchesGolden(_ actual: String, file url: URL, sourceLocation: SourceLocation = #_sourceLocation) {
    if ProcessInfo.processInfo.environment["SYNM_RECORD"] != nil {
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        Issue.record("recorded a new golden file \(url.lastPathComponent); rerun without SYNM_RECORD",
                     sourceLocation: sourceLocation)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("missing golden file \(url.path); run with SYNM_RECORD=1 to create it",
                     sourceLocation: sourceLocation)
        return
    }
    if expected != actual {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, a.count)
        let expectedLine = first < e.count ? String(e[first]) : "<end>"
        let actualLine = first < a.count ? String(a[first]) : "<end>"
        Issue.record("""
            \(url.lastPathComponent) differs at line \(first + 1):
              expected: \(expectedLine)
              actual:   \(actualLine)
            """, sourceLocation: sourceLocation)
    }
}

@Suite struct GoldenTests {
    static let folders = ["syntax", "names", "types", "distributions", "synthetic", "footing", "warnings", "functions"]

    @Test(arguments: folders)
    func checkTranscripts(folder: String) throws {
        let dir = goldenRoot.appendingPathComponent(folder)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".synm") }.sorted()
        #expect(!files.isEmpty, "no cases in \(folder)")
        var text = ""
        for f in files {
            text += transcript(["check", dir.appendingPathComponent(f).path], shownAs: "check \(f)",
                               stripping: dir.path + "/") + "\n"
        }
        expectMatchesGolden(text, file: dir.appendingPathComponent("expected.txt"))
    }

    /// Every model in models/: `synm check` and `synm check --json`.
    @Test func modelTranscripts() throws {
        let models = goldenRoot.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("models")
        let files = try FileManager.default.contentsOfDirectory(atPath: models.path).filter { $0.hasSuffix(".synm") }.sorted()
        var text = ""
        for f in files {
            let path = models.appendingPathComponent(f).path
            text += transcript(["check", path], shownAs: "check \(f)", stripping: models.path + "/") + "\n"
        }
        expectMatchesGolden(text, file: goldenRoot.appendingPathComponent("models/expected.txt"))
        // One JSON transcript keeps the --json shape pinned.
        let json = transcript(["check", "--json", models.appendingPathComponent("synthetic_normal.synm").path],
                              shownAs: "check --json synthetic_normal.synm", stripping: models.path + "/")
        expectMatchesGolden(json, file: goldenRoot.appendingPathComponent("models/expected-json.txt"))
    }

    /// The command line itself: help, version, usage errors, missing files.
    @Test func commandLineTranscripts() throws {
        let cases: [[String]] = [
            [], ["--help"], ["help", "check"], ["help", "nonsense"], ["--version"], ["chek", "x.synm"],
            ["audit", "model.synm"], ["run", "--chains", "zero", "model.synm"], ["check"], ["check", "a.synm", "b.synm"], ["check", "--jsn", "a.synm"],
            ["check", "-x"], ["check", "--help"], ["check", "does-not-exist.synm"],
        ]
        var text = ""
        for c in cases { text += transcript(c, shownAs: c.joined(separator: " "), stripping: "\u{0}") + "\n" }
        expectMatchesGolden(text, file: goldenRoot.appendingPathComponent("cli-expected.txt"))
    }
}
