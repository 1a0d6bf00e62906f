// Shared helpers for the end-to-end `synm run` / `synm sbc` tests: run the driver in process
// with string sinks, parse `--json` output with SynmIO's parser, and hold temporary files.
import Foundation
import SynmIO
import Testing
@testable import SynmDriver

/// The outcome of one in-process `synm …` invocation.
struct Invocation {
    var code: Int32
    var out: String
    var err: String
}

enum RunHarness {
    /// The repository root (three levels above this file).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The path of a model in `models/`.
    static func model(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("models").appendingPathComponent(name).path
    }

    /// Runs `synm ARGS` in process.
    static func synm(_ args: [String]) -> Invocation {
        let out = StringSink(), err = StringSink()
        let code = Driver.run(args, console: Console(out: out, err: err))
        return Invocation(code: code, out: out.text, err: err.text)
    }

    /// Runs `synm ARGS` (which must include `--json`), expects exit 0 and returns the
    /// parsed document with the invocation.
    static func json(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws
        -> (JSONValue, Invocation)
    {
        let r = synm(args)
        try #require(r.code == 0, "synm \(args.joined(separator: " ")) exited \(r.code): \(r.err)",
                     sourceLocation: sourceLocation)
        return (try JSONParser().parse(r.out), r)
    }

    /// `document.parameters[name][field]` as a number.
    static func statistic(_ document: JSONValue, _ name: String, _ field: String,
                          sourceLocation: SourceLocation = #_sourceLocation) throws -> Double {
        try #require(document["parameters"]?[name]?[field]?.doubleValue,
                     "no \(field) for \(name) in the JSON", sourceLocation: sourceLocation)
    }

    /// The JSON text with the `time_s` object (wall-clock timings, which legitimately vary
    /// between runs) removed, line by line, so the rest can be compared byte for byte.
    static func withoutTimings(_ text: String) -> String {
        var lines: [Substring] = []
        var skipping = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.contains("\"time_s\"") {
                skipping = !line.contains("}")
                continue
            }
            if skipping {
                if line.contains("}") { skipping = false }
                continue
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}

/// A fresh temporary directory, removed when the value goes away.
final class TemporaryDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("synm-run-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    /// The path of `name` inside the directory.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let p = path(name)
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    /// The names of the files in the directory, sorted.
    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }
}
