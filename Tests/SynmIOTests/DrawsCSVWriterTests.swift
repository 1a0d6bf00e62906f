// DrawsCSVWriter: CmdStan layout, round trip through DrawsCSV, name conversion, atomic writes.
import Foundation
import Testing
@testable import SynmIO

@Suite struct DrawsCSVWriterTests {
    /// A file with every block, and awkward numbers.
    static func sample() -> (text: String, rows: [[Double]]) {
        var w = DrawsCSVWriter()
        w.comments(["model = eight_schools", "method = sample (Default)", "#   seed = 42"])
        w.header(["lp__", "accept_stat__", "treedepth__", "mu", "theta[1]", "X[2,3]"])
        w.adaptation(stepSize: 0.891186, inverseMetricDiagonal: [0.964213, 1.0248])
        let rows: [[Double]] = [
            [-4.5, 0.9, 3, 0.1, 1e-300, -2.5e300],
            [-5.25, 1, 2, .nan, .infinity, -.infinity],
            [-3, 0.75, 3, 1.0 / 3.0, 5e-324, -0.0],
            [-7.123456789012345, 0.5, 10, 123456789012345.6, 1e15, 2e-5],
        ]
        for r in rows { w.row(r) }
        w.timing(warmupSeconds: 0.005, samplingSeconds: 0.011)
        return (w.text, rows)
    }

    @Test func writesCmdStanLayout() {
        let lines = Self.sample().text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(Array(lines.prefix(8)) == [
            "# model = eight_schools",
            "# method = sample (Default)",
            "#   seed = 42",
            "lp__,accept_stat__,treedepth__,mu,theta.1,X.2.3",
            "# Adaptation terminated",
            "# Step size = 0.891186",
            "# Diagonal elements of inverse mass matrix:",
            "# 0.964213, 1.0248",
        ])
        #expect(lines[8] == "-4.5,0.9,3,0.1,1e-300,-2.5e+300")
        #expect(lines[9] == "-5.25,1,2,nan,inf,-inf")
        #expect(Array(lines.suffix(6)) == [
            "# ",
            "#  Elapsed Time: 0.005 seconds (Warm-up)",
            "#                0.011 seconds (Sampling)",
            "#                0.016 seconds (Total)",
            "# ",
            "",
        ])
    }

    @Test func roundTripsThroughDrawsCSVReader() throws {
        let (text, rows) = Self.sample()
        let draws = try DrawsCSV.parse(text)
        #expect(draws.names == ["lp__", "accept_stat__", "treedepth__", "mu", "theta.1", "X.2.3"])
        #expect(draws.rowCount == rows.count)
        for (j, column) in draws.columns.enumerated() {
            // Bit patterns: NaN != NaN, and -0 must stay -0.
            #expect(column.map(\.bitPattern) == rows.map { $0[j].bitPattern }, "column \(j)")
        }
        #expect(draws.comments.map(\.text).contains("# Step size = 0.891186"))
        #expect(draws.comments.last?.rowsBefore == rows.count)
    }

    @Test func randomValuesRoundTrip() throws {
        var random = TestRandom(state: 99)
        let values = (0..<500).map { _ in Double(bitPattern: random.next()) }.filter(\.isFinite)
        var w = DrawsCSVWriter()
        w.header(["x"])
        for v in values { w.row([v]) }
        #expect(try DrawsCSV.parse(w.text).columns[0].map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test(arguments: [
        ("theta[1]", "theta.1"), ("X[2,3]", "X.2.3"), ("X[2, 3]", "X.2.3"), ("a[1][2]", "a.1.2"),
        ("lp__", "lp__"), ("theta.1", "theta.1"), ("mu", "mu"),
    ])
    func columnNames(name: String, expected: String) {
        #expect(DrawsCSVWriter.columnName(name) == expected)
    }

    @Test func atomicWriteReplacesWholeFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("synm-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("chain_1.csv").path
        try writeFileAtomically("old\n", to: path)
        try writeFileAtomically(Self.sample().text, to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == Self.sample().text)
        // Only the destination remains: no temporary files left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["chain_1.csv"])
    }

    @Test func atomicWriteFailureLeavesNoFile() throws {
        let missing = FileManager.default.temporaryDirectory
            .appendingPathComponent("synm-missing-\(UUID().uuidString)")
        let path = missing.appendingPathComponent("draws.csv").path
        #expect(throws: FileWriteError.self) { try writeFileAtomically("x\n", to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: missing.path))
        // Renaming over a directory fails too: the directory is untouched, the temp file gone.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("synm-dir-\(UUID().uuidString)")
        let target = dir.appendingPathComponent("occupied")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: target.appendingPathComponent("child").path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: FileWriteError.self) { try writeFileAtomically("x\n", to: target.path) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["occupied"])
    }
}
