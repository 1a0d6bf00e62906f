// Chain files left by an earlier run are never mixed into a later run's report: `run`
// removes the leftovers of its own prefix (only names it writes itself), and `report`
// refuses files that are not the chains of one run, or a file given twice.
import Foundation
import Testing
@testable import SynmDriver

@Suite struct StaleChainFilesTests {
    func run(_ prefix: String, chains: Int, seed: Int) -> Invocation {
        RunHarness.synm(["run", RunHarness.model("coin.synm"), "--seed", "\(seed)", "--chains", "\(chains)", "--warmup", "60",
                         "--draws", "40", "--threads", "1", "--output", prefix])
    }

    @Test func runRemovesItsOwnLeftoversOnly() throws {
        let dir = try TemporaryDirectory()
        let prefix = dir.path("P.csv")
        try #require(run(prefix, chains: 4, seed: 1).code == 0)
        // Files that only look alike stay; P_12.csv (a chain file name) goes.
        let bystanders = ["P_x.csv", "P_03.csv", "P_3.csv.bak", "Q_3.csv", "P_3.json", "P_.csv", "PP_3.csv"]
        for name in bystanders { try dir.write(name, "keep\n") }
        try dir.write("P_12.csv", "stale\n")
        try FileManager.default.createDirectory(atPath: dir.path("P_9.csv"), withIntermediateDirectories: false)
        let second = run(prefix, chains: 2, seed: 2)
        try #require(second.code == 0, "\(second.err)")
        let fm = FileManager.default
        #expect(fm.fileExists(atPath: dir.path("P_1.csv")) && fm.fileExists(atPath: dir.path("P_2.csv")))
        for gone in ["P_3.csv", "P_4.csv", "P_12.csv"] { #expect(!fm.fileExists(atPath: dir.path(gone)), "\(gone)") }
        for name in bystanders + ["P_9.csv"] { #expect(fm.fileExists(atPath: dir.path(name)), "\(name)") }
        #expect(second.err.contains("removed") && second.err.contains("P_3.csv") && second.err.contains("P_12.csv"))
        // The report reads the two chains of the second run.
        let r = RunHarness.synm(["report", prefix, "--output", dir.path("r.html")])
        #expect(r.code == 0 && r.out.contains("2 chains"), "\(r.err)")
    }

    /// Leftovers that `run` did not get to remove (copied in, or another tool's) are refused.
    @Test func reportRefusesChainsOfAnotherRun() throws {
        let dir = try TemporaryDirectory()
        let old = dir.path("old.csv"), new = dir.path("P.csv")
        try #require(run(old, chains: 4, seed: 1).code == 0)
        try #require(run(new, chains: 2, seed: 2).code == 0)
        for k in 3...4 { try FileManager.default.copyItem(atPath: dir.path("old_\(k).csv"), toPath: dir.path("P_\(k).csv")) }
        let r = RunHarness.synm(["report", new, "--output", dir.path("r.html")])
        #expect(r.code == 65)
        #expect(r.err.contains(dir.path("P_3.csv") + ":") && r.err.contains("seed 1") && r.err.contains("seed 2"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("r.html")))
        // The same seed (a rerun with fewer chains): the run's chain count tells them apart.
        try #require(run(old, chains: 4, seed: 2).code == 0)
        for k in 3...4 {
            try FileManager.default.removeItem(atPath: dir.path("P_\(k).csv"))
            try FileManager.default.copyItem(atPath: dir.path("old_\(k).csv"), toPath: dir.path("P_\(k).csv"))
        }
        let same = RunHarness.synm(["report", new, "--output", dir.path("r.html")])
        #expect(same.code == 65)
        #expect(same.err.contains("2-chain run") || same.err.contains("4-chain run"), "\(same.err)")
    }

    @Test func reportRefusesAFileGivenTwice() throws {
        let dir = try TemporaryDirectory()
        let prefix = dir.path("P.csv")
        try #require(run(prefix, chains: 2, seed: 5).code == 0)
        let a = dir.path("P_1.csv")
        for second in [a, dir.path("./P_1.csv"), dir.path("../" + dir.url.lastPathComponent + "/P_1.csv")] {
            let r = RunHarness.synm(["report", a, second, "--output", dir.path("r.html")])
            #expect(r.code == 65, "\(second)")
            #expect(r.err.contains("given twice"), "\(r.err)")
        }
        // A copy under another name is the same chain twice.
        try FileManager.default.copyItem(atPath: a, toPath: dir.path("copy.csv"))
        let r = RunHarness.synm(["report", a, dir.path("copy.csv"), "--output", dir.path("r.html")])
        #expect(r.code == 65)
        #expect(r.err.contains("one chain twice"), "\(r.err)")
    }
}
