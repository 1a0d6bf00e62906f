// `synm loo`: PSIS-LOO against ArviZ's (an independent implementation; the log-likelihood
// matrix and ArviZ's numbers come from tests/loo/arviz_reference.py and are committed in
// Fixtures/loo), against the exact leave-one-out predictive densities of a conjugate normal
// model (within the Monte Carlo error), computed from a fit's columns and from the model, and
// the errors.
import Foundation
import SynmIO
import Testing
@testable import SynmDriver

@Suite struct LooCommandTests {
    let h = InfoHarness()
    static let fixtures = RunHarness.repositoryRoot.appendingPathComponent("Tests/SynmDriverTests/Fixtures/loo")

    func path(_ name: String) -> String { h.dir.appendingPathComponent(name).path }

    /// The same algorithm (Pareto tail of ⌈min(0.2 S, 3√S)⌉ draws, Zhang–Stephens fit with the
    /// prior on k, truncation, r_eff = 1) gives ArviZ's k̂ and elpd to rounding: k̂ to 1e-9
    /// relative (ArviZ drops grid weights below 10 ε, which moves θ̂ by less than that) and
    /// every elpd to 1e-8. ArviZ's SE uses the population variance; synm's, the loo package's
    /// sample variance: SE_arviz·√(N/(N − 1)).
    @Test func agreesWithArviZ() throws {
        let reference = try JSONParser().parse(try String(contentsOf: Self.fixtures.appendingPathComponent("arviz_reference.json"), encoding: .utf8))
        let r = h.run(["loo", Self.fixtures.appendingPathComponent("fit.csv").path, "--r-eff", "1", "--json"])
        try #require(r.code == 0, "\(r.err)")
        let doc = try JSONParser().parse(r.out)
        let n = try #require(reference["observations"]?.doubleValue)
        #expect(doc["draws"]?.doubleValue == reference["draws"]?.doubleValue)
        let ks: [Double] = (reference["pareto_k"]?.arrayValue ?? []).compactMap(\.doubleValue)
        let elpds: [Double] = (reference["elpd_i"]?.arrayValue ?? []).compactMap(\.doubleValue)
        let points = try #require(doc["pointwise"]?.arrayValue)
        try #require(points.count == ks.count && ks.count == Int(n))
        for (i, p) in points.enumerated() {
            let k = try #require(p["pareto_k"]?.doubleValue), e = try #require(p["elpd_loo"]?.doubleValue)
            #expect(abs(k - ks[i]) <= 1e-9 * max(1, abs(ks[i])), "observation \(i + 1): k \(k) vs ArviZ \(ks[i])")
            #expect(abs(e - elpds[i]) <= 1e-8, "observation \(i + 1): elpd \(e) vs ArviZ \(elpds[i])")
        }
        func close(_ key: String, _ value: Double?, _ label: String) {
            let mine = doc[key]?.doubleValue ?? .nan
            #expect(abs(mine - (value ?? .infinity)) <= 1e-8 * max(1, abs(mine)), "\(label): \(mine) vs \(value ?? .nan)")
        }
        close("elpd_loo", reference["elpd_loo"]?.doubleValue, "elpd_loo")
        close("p_loo", reference["p_loo"]?.doubleValue, "p_loo")
        close("elpd_loo_se", reference["se_arviz"]?.doubleValue.map { $0 * (n / (n - 1)).squareRoot() }, "SE")
        close("k_threshold", reference["good_k"]?.doubleValue, "k threshold")
        // The table: k = 0.18 good, 0.57 ok, 0.70 and 0.88 bad, 3.2 and 10.5 very bad.
        let table = try #require(doc["k_table"])
        #expect(["good", "ok", "bad", "very bad"].map { table[$0]?["count"]?.doubleValue } == [1, 1, 2, 2])
        let text = h.run(["loo", Self.fixtures.appendingPathComponent("fit.csv").path, "--r-eff", "1"])
        #expect(text.code == 0)
        #expect(text.out.contains("Computed from 1000 by 6 log-likelihood matrix (2 chains)."))
        #expect(text.out.contains("elpd_loo    -121.4   93.0"))
        #expect(text.out.contains("(0.67, 1]       (bad)      2  33.3%        --"), "\(text.out)")
        #expect(text.err.contains("warning: Pareto k above 0.67 for log_lik[2] (k = 0.88), log_lik[4] (k = 0.70), log_lik[5] (k = 3.19), log_lik[6] (k = 10.55)"))
    }

    /// y ~ normal(mu, σ) with σ known and mu ~ normal(m0, s0): the leave-one-out predictive
    /// of yᵢ is normal(mᵢ, √(σ² + 1/τᵢ)), τᵢ = 1/s0² + (N − 1)/σ², mᵢ = (m0/s0² +
    /// Σ_{j≠i} y_j/σ²)/τᵢ. Every PSIS elpdᵢ is within 4.5 of its delta-method MCSEs of the
    /// exact value. The let is read from the fit's columns and computed from the model alike.
    @Test func conjugateNormalMatchesExactLeaveOneOut() throws {
        let y: [Double] = (0..<20).map { (k: Int) -> Double in
            let base: Double = 1.0 + 1.4 * Foundation.sin(Double(k) * 2.1)
            return k == 7 ? base + 3.5 : base
        }
        let sigma = 1.5, m0 = 0.0, s0 = 3.0
        let model = h.model("normal_loo", """
            data N: int
            data y: real[N]
            data sigma: real<lower=0>
            param mu: real
            mu ~ normal(0, 3)
            y ~ normal(mu, sigma)
            var ll: real[N]
            for i in 1..N {
              ll[i] = normal_lpdf(y[i] | mu, sigma)
            }
            let log_lik = ll
            """, data: "{\"N\": 20, \"sigma\": 1.5, \"y\": [" + y.map { String($0) }.joined(separator: ", ") + "]}")
        let fit = path("normal.csv")
        let run = h.run(["run", model, "--seed", "5", "--chains", "2", "--warmup", "400", "--output", fit])
        try #require(run.code == 0, "\(run.err)")
        let fromColumns = h.run(["loo", fit, "--json"])
        try #require(fromColumns.code == 0, "\(fromColumns.err)")
        let doc = try JSONParser().parse(fromColumns.out)
        let points = try #require(doc["pointwise"]?.arrayValue)
        try #require(points.count == 20)
        let total = y.reduce(0, +)
        for (i, p) in points.enumerated() {
            let tau: Double = 1 / (s0 * s0) + 19 / (sigma * sigma)
            let m: Double = (m0 / (s0 * s0) + (total - y[i]) / (sigma * sigma)) / tau
            let sd: Double = (sigma * sigma + 1 / tau).squareRoot()
            let z: Double = (y[i] - m) / sd
            let exact: Double = -0.5 * z * z - Foundation.log(sd) - 0.5 * Foundation.log(2 * Double.pi)
            let e = try #require(p["elpd_loo"]?.doubleValue), mcse = try #require(p["mcse"]?.doubleValue)
            #expect(mcse > 0 && abs(e - exact) <= 4.5 * mcse, "observation \(i + 1): \(e) vs exact \(exact) (MCSE \(mcse))")
            #expect((p["pareto_k"]?.doubleValue ?? 1) < 0.5)
        }
        // From the model: the same let on the same draws.
        let fromModel = h.run(["loo", model, "--fit", fit, "--json"])
        try #require(fromModel.code == 0, "\(fromModel.err)")
        let other = try JSONParser().parse(fromModel.out)
        let a = points.compactMap { $0["elpd_loo"]?.doubleValue }
        let b = (other["pointwise"]?.arrayValue ?? []).compactMap { $0["elpd_loo"]?.doubleValue }
        #expect(a.count == 20 && b.count == 20)
        for (x, z) in zip(a, b) { #expect(abs(x - z) <= 1e-10 * max(1, abs(x))) }
    }

    @Test func errors() throws {
        let fixture = Self.fixtures.appendingPathComponent("fit_1.csv").path
        let missing = h.run(["loo", fixture, "--var", "ll"])
        #expect(missing.code == 65 && missing.err.contains("\(fixture):14: error: no column 'll' or 'll.1', …"), "\(missing.err)")
        // A NaN in a log-likelihood column, at its line.
        var lines = try String(contentsOfFile: fixture, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var cells = lines[20].split(separator: ",").map(String.init)
        cells[3] = "nan"
        lines[20] = cells.joined(separator: ",")
        let damaged = h.file("damaged_1.csv", lines.joined(separator: "\n"))
        let nan = h.run(["loo", damaged])
        #expect(nan.code == 65 && nan.err.contains("\(damaged):21: error: draw 7: log_lik.3 is nan"), "\(nan.err)")
        let usage = h.run(["loo"])
        #expect(usage.code == 64 && usage.err.contains("missing the fit's CSV files"))
        #expect(h.run(["loo", fixture, "--var", "log_lik[1]"]).code == 64)
        #expect(h.run(["loo", fixture, "--seed", "1"]).code == 64)
        #expect(h.run(["loo", path("none.csv")]).code == 66)
        let model = h.model("nolet", "param mu: real\nmu ~ normal(0, 1)\n")
        let noLet = h.run(["loo", model, "--fit", fixture])
        #expect(noLet.code == 65, "\(noLet.err)")
    }
}
