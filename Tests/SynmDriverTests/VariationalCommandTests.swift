// `synm variational` (Pathfinder): the CSV layout, determinism (seed, threads), agreement with
// NUTS on a logistic regression, `synm run --init pathfinder`, and the errors.
import Foundation
import SynmIO
import Testing
@testable import SynmDriver

@Suite struct VariationalCommandTests {
    let h = InfoHarness()
    func path(_ name: String) -> String { h.dir.appendingPathComponent(name).path }

    @Test func csvLayoutAndDeterminism() throws {
        let model = ReplHarness.model("eight_schools.synm")
        let a = h.run(["variational", model, "--seed", "4", "--draws", "200", "--threads", "1", "--output", path("a.csv")])
        try #require(a.code == 0, "\(a.err)")
        let b = h.run(["variational", model, "--seed", "4", "--draws", "200", "--threads", "3", "--output", path("b.csv")])
        let c = h.run(["variational", model, "--seed", "5", "--draws", "200", "--output", path("c.csv")])
        let textA = try String(contentsOfFile: path("a.csv"), encoding: .utf8)
        let textB = try String(contentsOfFile: path("b.csv"), encoding: .utf8).replacingOccurrences(of: "b.csv", with: "a.csv")
        let textC = try String(contentsOfFile: path("c.csv"), encoding: .utf8)
        #expect(textA == textB, "the same seed gives the same CSV whatever the threads")
        #expect(a.out == b.out)
        #expect(c.code == 0 && textA != textC.replacingOccurrences(of: "c.csv", with: "a.csv").replacingOccurrences(of: "seed = 5", with: "seed = 4"))
        let lines = textA.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines.first?.hasPrefix("lp_approx__,lp__,mu,tau,eta.1,") == true)
        #expect(lines.count == 201)
        #expect(textA.contains("# method = pathfinder"))
        // CmdStan's reader of the file: every row parses, lp__ finite.
        let draws = try DrawsCSV.parse(textA)
        #expect(draws.names.prefix(3) == ["lp_approx__", "lp__", "mu"])
    }

    /// The coin's posterior is Beta(15, 7) exactly (models/coin.synm): mean 15/22, sd
    /// √(15·7/(22²·23)). On the logit scale it is skewed, so Pathfinder's normal is not exact;
    /// its resampled draws' mean must be within 0.1 posterior sd of the truth plus 4.5 Monte
    /// Carlo standard errors (sd/√(draws/2): 1000 draws resampled with replacement, duplicates
    /// allowed for by halving their number), and its sd within 10% plus 4.5 standard errors of
    /// a sample sd (sd/√(2·draws/2)). The 0.1 sd and 10% are the approximation's allowance:
    /// Zhang et al. (2022) report errors of this order for Pathfinder on posteriordb's models.
    @Test func coinMomentsAgreeWithTheClosedForm() throws {
        let vi = try h.json(["variational", ReplHarness.model("coin.synm"), "--seed", "2"])
        try #require(vi.code == 0, "\(vi.err)")
        let mean = 15.0 / 22, sd = (15.0 * 7 / (22 * 22 * 23)).squareRoot()
        let m = try #require(vi.doc["summary"]?["p"]?["mean"]?.doubleValue)
        let s = try #require(vi.doc["summary"]?["p"]?["sd"]?.doubleValue)
        let n = 500.0
        #expect(abs(m - mean) <= 0.1 * sd + 4.5 * sd / n.squareRoot(), "mean \(m) vs \(mean)")
        #expect(abs(s - sd) <= 0.1 * sd + 4.5 * sd / (2 * n).squareRoot(), "sd \(s) vs \(sd)")
    }

    /// Mean-field ADVI on the coin (Beta(15, 7), see above): the same allowances — a normal on
    /// the logit scale is not the posterior — and 1000 independent draws. Run for 3000
    /// iterations (--tol-rel-obj 0.001 is not reached: the 100-draw ELBO estimate's noise is
    /// larger), since Stan's default tol_rel_obj 0.01 stops the ascent early (after 200
    /// iterations here, with the mean 0.3 sd off).
    @Test func meanfieldCoinMomentsAgreeWithTheClosedForm() throws {
        let model = ReplHarness.model("coin.synm")
        let vi = try h.json(["variational", model, "--method", "meanfield", "--seed", "2", "--tol-rel-obj", "0.001",
                             "--iter", "3000"])
        try #require(vi.code == 0, "\(vi.err)")
        let mean = 15.0 / 22, sd = (15.0 * 7 / (22 * 22 * 23)).squareRoot()
        let m = try #require(vi.doc["summary"]?["p"]?["mean"]?.doubleValue)
        let s = try #require(vi.doc["summary"]?["p"]?["sd"]?.doubleValue)
        let n = 1000.0
        #expect(abs(m - mean) <= 0.1 * sd + 4.5 * sd / n.squareRoot(), "mean \(m) vs \(mean)")
        #expect(abs(s - sd) <= 0.1 * sd + 4.5 * sd / (2 * n).squareRoot(), "sd \(s) vs \(sd)")
        // CmdStan's variational layout: the mean row first, then the draws; same seed, same file.
        _ = h.run(["variational", model, "--method", "meanfield", "--seed", "2", "--output", path("m1.csv")])
        _ = h.run(["variational", model, "--method", "meanfield", "--seed", "2", "--output", path("m2.csv")])
        let a = try String(contentsOfFile: path("m1.csv"), encoding: .utf8)
        let b = try String(contentsOfFile: path("m2.csv"), encoding: .utf8).replacingOccurrences(of: "m2.csv", with: "m1.csv")
        #expect(a == b)
        let rows = a.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(rows.first?.hasPrefix("lp__,log_p__,log_g__,p") == true)
        #expect(rows.count == 1002 && rows[1].hasPrefix("0,0,0,"))
    }

    /// ARMA(1,1) with seed 1: the adaptation prefers eta 100 and 10, whose full ascents reach
    /// non-finite gradients; the ascent runs again with eta 1 and says so (it used to stop
    /// with an error). The approximation it reaches passes Pareto k̂ (below 0.7).
    @Test func meanfieldFallsBackToASmallerStepSize() throws {
        let vi = try h.json(["variational", ReplHarness.model("arma11.synm"), "--method", "meanfield", "--seed", "1"])
        try #require(vi.code == 0, "\(vi.err)")
        #expect(vi.doc["eta"]?.doubleValue == 1)
        let warnings = (vi.doc["warnings"]?.arrayValue ?? []).compactMap(\.stringValue)
        #expect(warnings.contains { $0.contains("eta 100.0, 10.00") && $0.contains("run again with eta 1.000") }, "\(warnings)")
        let k = try #require(vi.doc["pareto_k"]?.doubleValue)
        #expect(k < 0.7)
    }

    /// The draws of a run's CSV files, without the comment lines (timings differ).
    func draws(_ prefix: String, chains: Int) throws -> [String] {
        try (0..<chains).map {
            try String(contentsOfFile: DrawsOutput.path(prefix: path(prefix), chain: $0), encoding: .utf8)
                .split(separator: "\n").filter { !$0.hasPrefix("#") }.joined(separator: "\n")
        }
    }

    @Test func initPathfinderIsReproducible() throws {
        let model = ReplHarness.model("eight_schools.synm")
        let args = ["run", model, "--seed", "3", "--init", "pathfinder", "--warmup", "100", "--draws", "100"]
        let a = h.run(args + ["--threads", "1", "--output", path("i.csv")])
        try #require(a.code == 0, "\(a.err)")
        let b = h.run(args + ["--threads", "2", "--output", path("j.csv")])
        try #require(b.code == 0, "\(b.err)")
        #expect(try draws("i.csv", chains: 4) == draws("j.csv", chains: 4))
        let csv = try String(contentsOfFile: DrawsOutput.path(prefix: path("i.csv"), chain: 0), encoding: .utf8)
        #expect(csv.contains("init = pathfinder"))
        let random = h.run(["run", model, "--seed", "3", "--warmup", "100", "--draws", "100", "--output", path("k.csv")])
        try #require(random.code == 0)
        #expect(try draws("k.csv", chains: 4) != draws("i.csv", chains: 4))
    }

    @Test func errors() throws {
        let none = h.model("none", "data y: real[2] = [1, 2]\npredict z: real[2] ~ normal(mean(y), 1)\n")
        let r = h.run(["variational", none])
        #expect(r.code == 65 && r.err.contains("no parameters"))
        #expect(h.run(["run", none, "--init", "pathfinder"]).code == 64)
        let bad = h.model("bad", "param x: real\ntarget += log(x - 100)\n")
        let b = h.run(["variational", bad])
        #expect(b.code == 70 && b.err.contains("bad.synm:2:") && b.err.contains("100 random initialisations"), "\(b.err)")
        let coin = ReplHarness.model("coin.synm")
        #expect(h.run(["variational", coin, "--method", "meanfield", "--paths", "2"]).code == 64)
        #expect(h.run(["variational", bad, "--method", "meanfield"]).code == 70)
        #expect(h.run(["variational", none, "--method", "meanfield"]).code == 65)
        #expect(h.run(["variational", coin, "--method", "nuts"]).code == 64)
        #expect(h.run(["variational", coin, "--draws", "0"]).code == 64)
        #expect(h.run(["variational", coin, "--paths", "x"]).code == 64)
        #expect(h.run(["variational", path("missing.synm")]).code == 66)
        #expect(h.run(["variational", coin, "--output", path("nodir/x.csv")]).code == 73)
        #expect(!FileManager.default.fileExists(atPath: path("nodir/x.csv")))
    }
}
