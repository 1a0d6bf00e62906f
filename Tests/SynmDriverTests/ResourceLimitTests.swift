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
