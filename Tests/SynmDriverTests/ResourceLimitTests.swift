// Sizes and counts that cannot fit are refused up front, located, with BSD sysexits codes:
// 65 for a model or data size (at the size), 64 for an option. Before these checks such
// inputs trapped on an Int32 conversion or aborted the process on allocation. The sizes
// used exceed any machine's memory (terabytes), so the tests do not depend on this one's.
import Foundation
import SynmMath
import Testing
@testable import SynmDriver

@Suite struct ResourceLimitTests {
    /// Above the 32-bit index range: once an Int32 trap in the compiled program.
    @Test func parameterAboveIndexRangeIs65() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("big.synm", "param v: real[3000000000]\nv ~ normal(0, 1)\n")
        let r = RunHarness.synm(["run", model, "--seed", "1"])
        #expect(r.code == 65, "exit \(r.code): \(r.err)")
        #expect(r.err.contains("big.synm:1:15: error:"), "\(r.err)")
        #expect(r.err.contains("3000000000"), "\(r.err)")
        #expect(r.out.isEmpty)
    }

    @Test func matrixWhoseProductOverflowsIs65() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("big.synm", "param mu: real\nvar v: real[2000000000, 2000000000]\nmu ~ normal(0, 1)\n")
        let r = RunHarness.synm(["run", model, "--seed", "1"])
        #expect(r.code == 65, "exit \(r.code): \(r.err)")
        #expect(r.err.contains("big.synm:2:8: error:"), "\(r.err)")
        #expect(r.err.contains("2000000000 × 2000000000 elements"), "\(r.err)")
    }

    @Test func localAboveIndexRangeIs65() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("big.synm", "param mu: real\nvar v: real[1000000000000]\nmu ~ normal(0, 1)\n")
        let r = RunHarness.synm(["run", model, "--seed", "1"])
        #expect(r.code == 65, "exit \(r.code): \(r.err)")
        #expect(r.err.contains("big.synm:2:"), "\(r.err)")
    }

    /// A size from the data that fits the index range but not memory (2³¹ − 1 parameters).
    @Test func dataSizeBeyondMemoryIs65() throws {
        try #require(MemoryBudget.physicalBytes < 2_147_483_647 * 128, "a machine with this much memory would run it")
        let dir = try TemporaryDirectory()
        let model = try dir.write("big.synm", "data N: int\nparam v: real[N]\nv ~ normal(0, 1)\n")
        let data = try dir.write("big.data.json", #"{"N": 2147483647}"#)
        let r = RunHarness.synm(["run", model, "--data", data, "--seed", "1"])
        #expect(r.code == 65, "exit \(r.code): \(r.err)")
        #expect(r.err.contains("big.synm:2:10: error:"), "\(r.err)")
        #expect(r.err.contains("memory"), "\(r.err)")
    }

    static let hugeRunOptions: [[String]] = [
        ["--draws", "100000000000"], ["--warmup", "9223372036854775807"], ["--chains", "100000000"],
        ["--draws", "2000000000", "--chains", "1000"],
    ]

    @Test(arguments: hugeRunOptions)
    func hugeCountsAre64(option: [String]) {
        let r = RunHarness.synm(["run", RunHarness.model("coin.synm"), "--seed", "1"] + option)
        #expect(r.code == 64, "\(option): exit \(r.code): \(r.err)")
        #expect(r.err.contains("error: --") || r.err.contains("memory"), "\(option): \(r.err)")
        #expect(r.out.isEmpty)
    }

    @Test func hugeAnalysisCountsAre64() {
        let coin = RunHarness.model("coin.synm")
        let cases: [[String]] = [
            ["audit", coin, "--reps", "10000000000"],
            ["audit", coin, "--reps", "1000000000"],
            ["reflect", coin, "--synthetic-n", "100000000000"],
            ["reflect", coin, "--synthetic-n", "1000000000"],
            ["fisher", coin, "--expected", "1000000000000"],
            ["sbc", coin, "--reps", "10000000000"],
        ]
        for args in cases {
            let r = RunHarness.synm(args)
            #expect(r.code == 64, "\(args): exit \(r.code): \(r.err)")
            #expect(r.err.contains("error:"), "\(args): \(r.err)")
        }
    }

    /// The REPL says so and the session goes on.
    @Test func replRefusesHugeDraws() {
        let (s, out, err) = ReplHarness.session()
        s.load(ReplHarness.model("coin.synm"))
        let r = ReplHarness.line(s, out, err, ":sample --draws 100000000000")
        #expect(r.err.contains("error"), "\(r)")
        let m = ReplHarness.line(s, out, err, ":sample --draws 2000000000 --chains 1000")
        #expect(m.err.contains("memory"), "\(m)")
        let ok = ReplHarness.line(s, out, err, ":sample --seed 1 --chains 1 --warmup 50 --draws 50")
        #expect(ok.out.hasPrefix("sampled 1 chain"), "\(ok)")
    }
}

/// Outputs never destroy inputs, and output that cannot be written is a failure (73).
@Suite struct OutputSafetyTests {
    @Test func reportOverTheModelIsRefused() throws {
        let dir = try TemporaryDirectory()
        let text = try String(contentsOfFile: RunHarness.model("coin.synm"), encoding: .utf8)
        let model = try dir.write("coin.synm", text)
        // The same file by another spelling.
        let other = dir.url.appendingPathComponent("sub/../coin.synm").path
        try FileManager.default.createDirectory(atPath: dir.path("sub"), withIntermediateDirectories: true)
        let r = RunHarness.synm(["run", model, "--seed", "1", "--report", other])
        #expect(r.code == 64, "exit \(r.code): \(r.err)")
        #expect(r.err.contains("the model"), "\(r.err)")
        #expect(try String(contentsOfFile: model, encoding: .utf8) == text)
    }

    @Test func simulateOverItsDataIsRefused() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("m.synm", "data y: real[3]\nparam mu: real\nmu ~ normal(0, 1)\ny ~ normal(mu, 1)\n")
        let data = try dir.write("d.json", #"{"y": [1, 2, 3]}"#)
        let r = RunHarness.synm(["simulate", model, "--prior", "--data", data, "--output", data])
        #expect(r.code == 64, "exit \(r.code): \(r.err)")
        #expect(try String(contentsOfFile: data, encoding: .utf8) == #"{"y": [1, 2, 3]}"#)
        // The sibling data file is an input too.
        let sibling = try dir.write("m.data.json", #"{"y": [1, 2, 3]}"#)
        #expect(RunHarness.synm(["simulate", model, "--prior", "--output", sibling]).code == 64)
    }

    @Test func runOutputOverInitIsRefused() throws {
        let dir = try TemporaryDirectory()
        let inits = try dir.write("P_2.csv", "p\n0.5\n")
        let r = RunHarness.synm(["run", RunHarness.model("coin.synm"), "--init", inits, "--output", dir.path("P.csv")])
        #expect(r.code == 64, "exit \(r.code): \(r.err)")
    }

    @Test func reportOverItsDrawsIsRefused() throws {
        let dir = try TemporaryDirectory()
        let r0 = RunHarness.synm(["run", RunHarness.model("coin.synm"), "--seed", "1", "--chains", "1", "--warmup", "50",
                                  "--draws", "50", "--output", dir.path("P.csv")])
        try #require(r0.code == 0, "\(r0.err)")
        let before = try String(contentsOfFile: dir.path("P_1.csv"), encoding: .utf8)
        let r = RunHarness.synm(["report", dir.path("P_1.csv"), "--output", dir.path("P_1.csv")])
        #expect(r.code == 64, "exit \(r.code): \(r.err)")
        #expect(try String(contentsOfFile: dir.path("P_1.csv"), encoding: .utf8) == before)
    }

    /// `synm check m.synm > /dev/full`: once exit 0 with nothing written.
    @Test func fullStandardOutputIs73() throws {
        try #require(FileManager.default.fileExists(atPath: "/dev/full"), "needs /dev/full (Linux)")
        let fd = open("/dev/full", O_WRONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        let err = StringSink()
        let code = Driver.run(["check", RunHarness.model("coin.synm")], console: Console(out: FileDescriptorSink(fd: fd), err: err))
        #expect(code == 73, "\(err.text)")
        #expect(err.text.contains("standard output"), "\(err.text)")
    }
}
