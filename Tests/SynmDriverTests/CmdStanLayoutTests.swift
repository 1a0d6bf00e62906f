// synm's draws files in CmdStan's layout, checked against real CmdStan output
// (Fixtures/cmdstan-csv/good): the configuration block has CmdStan's keys, in CmdStan's
// order and indentation, so cmdstanpy's from_csv (which needs save_warmup, thin, metric,
// max_depth) and ArviZ's from_cmdstan read it; the adaptation and timing blocks as CmdStan's.
import Foundation
import SynmIO
import Testing
@testable import SynmDriver

@Suite struct CmdStanLayoutTests {
    /// `(indent, key)` of each `# key = value` or `# section` line before the header.
    static func layout(_ text: String) -> [(Int, String)] {
        var out: [(Int, String)] = []
        for line in text.split(separator: "\n") {
            guard line.hasPrefix("#") else { break }
            let body = line.dropFirst()
            let indent = body.prefix { $0 == " " }.count
            let content = body.dropFirst(indent)
            let key = content.components(separatedBy: " =").first!
            guard !key.isEmpty else { continue }
            out.append((indent, key))
        }
        return out
    }

    @Test func configurationBlockIsCmdStans() throws {
        let dir = try TemporaryDirectory()
        let r = RunHarness.synm(["run", RunHarness.model("coin.synm"), "--seed", "4", "--chains", "2", "--warmup", "50",
                                 "--draws", "30", "--output", dir.path("c.csv")])
        try #require(r.code == 0, "\(r.err)")
        let mine = Self.layout(try String(contentsOfFile: dir.path("c_1.csv"), encoding: .utf8))
        let stan = Self.layout(try String(contentsOfFile: cmdstanFixtures.appendingPathComponent("good/bernoulli_output_1.csv").path,
                                          encoding: .utf8))
        // CmdStan 2.19's keys, less its version lines, in its order and indentation; synm
        // adds num_chains (CmdStan ≥ 2.28), sig_figs (≥ 2.25) and its own version.
        let added: Set<String> = ["num_chains", "sig_figs", "synm_version"]
        let expected = stan.filter { !$0.1.hasPrefix("stan_version") }
        let got = mine.filter { !added.contains($0.1) }
        #expect(got.map { "\($0.0) \($0.1)" } == expected.map { "\($0.0) \($0.1)" })
        // The values cmdstanpy reads.
        let text = try String(contentsOfFile: dir.path("c_2.csv"), encoding: .utf8)
        for line in ["#     num_samples = 30", "#     num_warmup = 50", "#     save_warmup = 0 (Default)", "#     thin = 1 (Default)",
                     "#             max_depth = 10 (Default)", "#         metric = diag_e (Default)", "#     num_chains = 2",
                     "# id = 2", "#   seed = 4", "#       delta = 0.8 (Default)"] {
            #expect(text.contains(line + "\n"), "missing \(line)")
        }
        // Read back by synm's own checker (adaptation block, draws promised).
        let file = try StanCSVFile.read(dir.path("c_2.csv"))
        #expect(file.csv.rowCount == 30 && file.value("engine") == "nuts")
    }

    @Test func staticHMCAndMetropolisBlocks() throws {
        let dir = try TemporaryDirectory()
        for sampler in ["hmc", "metropolis"] {
            let r = RunHarness.synm(["run", RunHarness.model("coin.synm"), "--seed", "4", "--chains", "1", "--warmup", "50",
                                     "--draws", "30", "--sampler", sampler, "--output", dir.path("\(sampler).csv")])
            try #require(r.code == 0, "\(r.err)")
            let text = try String(contentsOfFile: dir.path("\(sampler)_1.csv"), encoding: .utf8)
            if sampler == "hmc" {
                #expect(text.contains("#         engine = static\n#           static\n#             int_time = 1.5707963267948966\n"))
            } else {
                #expect(text.contains("#     algorithm = metropolis\n"))
            }
            let report = RunHarness.synm(["report", dir.path("\(sampler).csv"), "--output", dir.path("\(sampler).html")])
            #expect(report.code == 0, "\(report.err)")
        }
    }
}
