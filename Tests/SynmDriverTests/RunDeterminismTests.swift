// Reproducibility: a seed fixes every number. The same seed gives
// byte-identical JSON (apart from the wall-clock `time_s` block) and identical CSV files,
// and the number of worker threads changes nothing.
import Foundation
import SynmIO
import Testing

@Suite struct RunDeterminismTests {
    /// Short runs (numbers, not quality, are compared) of models/eight_schools.synm (10 parameters, a let and a predict node, so
    /// the per-chain predict streams are covered too).
    static func arguments(_ sampler: String, seed: String = "4242") -> [String] {
        ["run", RunHarness.model("eight_schools.synm"), "--sampler", sampler, "--chains", "4", "--warmup", "60",
         "--draws", "40", "--seed", seed, "--json"]
    }

    @Test(arguments: ["nuts", "hmc", "metropolis"])
    func sameSeedSameJSON(sampler: String) throws {
        let a = RunHarness.synm(Self.arguments(sampler))
        let b = RunHarness.synm(Self.arguments(sampler))
        try #require(a.code == 0 && b.code == 0, "\(a.err)\(b.err)")
        #expect(a.out.contains("\"time_s\""))
        #expect(RunHarness.withoutTimings(a.out) == RunHarness.withoutTimings(b.out))
        // A different seed does change the numbers (the comparison above is not vacuous).
        let c = RunHarness.synm(Self.arguments(sampler, seed: "4243"))
        #expect(c.code == 0)
        #expect(RunHarness.withoutTimings(a.out) != RunHarness.withoutTimings(c.out))
    }

    @Test(arguments: ["nuts", "metropolis"])
    func threadCountDoesNotMatter(sampler: String) throws {
        let one = RunHarness.synm(Self.arguments(sampler) + ["--threads", "1"])
        let four = RunHarness.synm(Self.arguments(sampler) + ["--threads", "4"])
        let unset = RunHarness.synm(Self.arguments(sampler))
        try #require(one.code == 0 && four.code == 0 && unset.code == 0, "\(one.err)\(four.err)\(unset.err)")
        #expect(RunHarness.withoutTimings(one.out) == RunHarness.withoutTimings(four.out))
        #expect(RunHarness.withoutTimings(one.out) == RunHarness.withoutTimings(unset.out))
    }

    /// The CSV files of two runs with the same seed are identical except for the comment
    /// lines that record the output path and the elapsed times.
    @Test func sameSeedSameCSV() throws {
        let dir = try TemporaryDirectory()
        for (run, threads) in [("a", "1"), ("b", "4")] {
            let r = RunHarness.synm(Self.arguments("nuts") + ["--output", dir.path("\(run).csv"), "--threads", threads])
            try #require(r.code == 0, "\(r.err)")
        }
        for chain in 1...4 {
            let a = try String(contentsOfFile: dir.path("a_\(chain).csv"), encoding: .utf8)
            let b = try String(contentsOfFile: dir.path("b_\(chain).csv"), encoding: .utf8)
            func stable(_ text: String) -> [Substring] {
                text.split(separator: "\n").filter { !($0.hasPrefix("#") && ($0.contains("file =") || $0.contains("seconds"))) }
            }
            #expect(stable(a) == stable(b), "chain \(chain) differs")
            let da = try DrawsCSV.parse(a), db = try DrawsCSV.parse(b)
            #expect(da.names == db.names)
            #expect(da.columns == db.columns)
            #expect(da.rowCount == 40)
        }
    }
}
