// `synm predict MODEL --fit FIT.csv…`: standalone generated quantities. With the run's seed
// and data it recomputes the run's own lets and predict draws (the same streams); it reads
// CmdStan's files (cmdstanpy's bernoulli fixture) and evaluates a let on them; and it refuses
// fits that are not of the model, at the file and line.
import Foundation
import SynmIO
import Testing
@testable import SynmDriver

@Suite struct PredictCommandTests {
    let h = InfoHarness()

    func path(_ name: String) -> String { h.dir.appendingPathComponent(name).path }

    /// Rows (without comments) of a CSV file: the header and the values.
    func table(_ p: String) throws -> (names: [String], rows: [[Double]]) {
        let lines = try String(contentsOfFile: p, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        let names = lines[0].split(separator: ",").map(String.init)
        return (names, lines.dropFirst().map { $0.split(separator: ",").map { Double($0) ?? .nan } })
    }

    /// A run of eight_schools and `predict` with its seed: every let and predict column is
    /// the run's (the predict streams are the run's; the parameters go through the CSV's
    /// round-trip digits and back to the unconstrained scale, so the lets may differ in the
    /// last bits: 1e-12 relative).
    @Test func predictWithTheRunsSeedRecomputesTheRunsQuantities() throws {
        let model = RunHarness.model("eight_schools.synm")
        let fit = path("fit.csv")
        let run = h.run(["run", model, "--seed", "3", "--chains", "2", "--warmup", "150", "--draws", "60", "--output", fit])
        try #require(run.code == 0, "\(run.err)")
        let gq = path("gq.csv")
        let r = h.run(["predict", model, "--fit", fit, "--seed", "3", "--output", gq])
        try #require(r.code == 0, "\(r.err)")
        #expect(r.out.contains("y_rep[8]") && r.out.contains("theta[1]") && !r.out.contains("\ntau "))
        for k in 0..<2 {
            let a = try table(DrawsOutput.path(prefix: fit, chain: k)), b = try table(DrawsOutput.path(prefix: gq, chain: k))
            #expect(a.names == b.names)
            #expect(a.rows.count == 60 && b.rows.count == 60)
            for (i, name) in a.names.enumerated() {
                for (x, y) in zip(a.rows.map { $0[i] }, b.rows.map { $0[i] }) {
                    #expect(abs(x - y) <= 1e-12 * max(1, abs(x)), "chain \(k + 1) \(name): \(x) vs \(y)")
                }
            }
            let text = try String(contentsOfFile: DrawsOutput.path(prefix: gq, chain: k), encoding: .utf8)
            #expect(text.contains("# method = generate_quantities\n") && text.contains("#     fitted_params = \(DrawsOutput.path(prefix: fit, chain: k))\n"))
        }
        // Deterministic: the same seed gives the same JSON; another seed other predict draws
        // but the same lets.
        let j1 = h.run(["predict", model, "--fit", DrawsOutput.path(prefix: fit, chain: 0), DrawsOutput.path(prefix: fit, chain: 1),
                        "--seed", "9", "--json"])
        let j2 = h.run(["predict", model, "--fit", fit, "--seed", "9", "--json"])
        #expect(j1.code == 0 && j1.out == j2.out)
        let d1 = try JSONParser().parse(j1.out), d3 = try JSONParser().parse(h.run(["predict", model, "--fit", fit, "--seed", "3", "--json"]).out)
        #expect(d1["quantities"]?["theta[1]"]?["mean"] == d3["quantities"]?["theta[1]"]?["mean"])
        #expect(d1["quantities"]?["y_rep[1]"]?["mean"] != d3["quantities"]?["y_rep[1]"]?["mean"])
    }

    /// CmdStan's own bernoulli fit (cmdstanpy's test data, four chains of 100 draws): a new
    /// let evaluated on its draws, and a predict node drawn for each.
    @Test func cmdStanFitsAreRead() throws {
        let fixtures = (1...4).map {
            RunHarness.repositoryRoot.appendingPathComponent("Tests/SynmDriverTests/Fixtures/cmdstan-csv/good/runset_bern-\($0).csv").path
        }
        let model = h.model("bern", """
            data N: int
            data y: int[N] = [0, 1, 0, 0, 0, 0, 0, 0, 0, 1]
            param theta: real<lower=0, upper=1>
            theta ~ beta(1, 1)
            y ~ bernoulli(theta)
            let log_odds = logit(theta)
            predict y_new ~ bernoulli(theta)
            """, data: "{\"N\": 10}")
        let out = path("bern_gq.csv")
        let r = h.run(["predict", model, "--fit"] + fixtures + ["--seed", "1", "--output", out])
        try #require(r.code == 0, "\(r.err)")
        #expect(r.out.contains("4 chains of 100 draws"))
        var theta: [Double] = [], yNew: [Double] = []
        for (k, fixture) in fixtures.enumerated() {
            let fitTable = try table(fixture), gq = try table(DrawsOutput.path(prefix: out, chain: k))
            let t = fitTable.rows.map { $0[fitTable.names.firstIndex(of: "theta")!] }
            let logOdds = gq.rows.map { $0[gq.names.firstIndex(of: "log_odds")!] }
            #expect(t.count == 100 && logOdds.count == 100)
            for (x, l) in zip(t, logOdds) { #expect(abs(l - Foundation.log(x / (1 - x))) <= 1e-12 * max(1, abs(l))) }
            theta += t
            yNew += gq.rows.map { $0[gq.names.firstIndex(of: "y_new")!] }
        }
        #expect(yNew.allSatisfy { $0 == 0 || $0 == 1 })
        // Σ(y_new − θ) over the draws: given the θ draws a sum of independent centred
        // Bernoulli variables, variance Σθ(1 − θ); within 4 of its SDs.
        let sum = zip(yNew, theta).reduce(0) { $0 + $1.0 - $1.1 }
        let sd = theta.reduce(0) { $0 + $1 * (1 - $1) }.squareRoot()
        #expect(abs(sum) <= 4 * sd, "\(sum) vs sd \(sd)")
    }

    @Test func fitsOfAnotherModelOrDamagedRowsAreRefused() throws {
        let model = h.model("m", """
            data y: real[3] = [1, 2, 3]
            param mu: real
            param sigma: real<lower=0>
            param b: real[2]
            y ~ normal(mu, sigma)
            mu ~ normal(0, 5)
            b ~ normal(0, 1)
            let z = mu / sigma
            """)
        let fit = path("m.csv")
        let run = h.run(["run", model, "--seed", "1", "--chains", "1", "--warmup", "100", "--draws", "5", "--output", fit])
        try #require(run.code == 0, "\(run.err)")
        let file = DrawsOutput.path(prefix: fit, chain: 0)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines.firstIndex { !$0.hasPrefix("#") }!
        let names = lines[header].split(separator: ",").map(String.init)
        func variant(_ name: String, _ edit: (inout [String]) -> Void) -> String {
            var l = lines
            edit(&l)
            return h.file(name, l.joined(separator: "\n"))
        }
        func refused(_ fitFile: String, _ expected: String, code: Int32 = 65, sourceLocation: SourceLocation = #_sourceLocation) {
            let r = h.run(["predict", model, "--fit", fitFile, "--seed", "1"])
            #expect(r.code == code, "\(r.err)", sourceLocation: sourceLocation)
            #expect(r.err.contains(expected), "\(r.err)", sourceLocation: sourceLocation)
            #expect(r.out.isEmpty, sourceLocation: sourceLocation)
        }
        // A parameter's column missing: renamed in the header.
        let noSigma = variant("nosigma.csv") { $0[header] = $0[header].replacingOccurrences(of: ",sigma,", with: ",s,") }
        refused(noSigma, "\(noSigma):\(header + 1): error: no column 'sigma' for parameter 'sigma'")
        // Another model: none of the parameters.
        let other = variant("other.csv") { l in
            l[header] = names.map { $0.hasSuffix("__") ? $0 : "q" + $0 }.joined(separator: ",")
        }
        refused(other, "error: the fit has none of the model's parameters (mu, sigma, b) as columns")
        // b with an element this model does not have (other data).
        let wider = variant("wider.csv") { l in
            l[header] += ",b.3"
            for i in (header + 1)..<l.count where !l[i].hasPrefix("#") && !l[i].isEmpty { l[i] += ",0.5" }
        }
        refused(wider, "the fit has column 'b.3', but parameter 'b' has 2 elements here")
        // A non-finite value and a value out of bounds, at their rows.
        let muColumn = names.firstIndex(of: "mu")!, sigmaColumn = names.firstIndex(of: "sigma")!
        let rows = (header + 1..<lines.count).filter { !lines[$0].hasPrefix("#") && !lines[$0].isEmpty }
        let nanRow = variant("nan.csv") { l in
            var cells = l[rows[2]].split(separator: ",").map(String.init)
            cells[muColumn] = "nan"
            l[rows[2]] = cells.joined(separator: ",")
        }
        refused(nanRow, "\(nanRow):\(rows[2] + 1): error: draw 3: mu is nan, not a finite number")
        let negative = variant("negative.csv") { l in
            var cells = l[rows[4]].split(separator: ",").map(String.init)
            cells[sigmaColumn] = "-1"
            l[rows[4]] = cells.joined(separator: ",")
        }
        refused(negative, "\(negative):\(rows[4] + 1): error: draw 5: sigma is -1, below its lower bound 0")
        refused(path("none.csv"), "no fit files", code: 66)
        let usage = h.run(["predict", model])
        #expect(usage.code == 64 && usage.err.contains("missing --fit FIT.csv"))
        _ = lines.removeLast()
    }
}
