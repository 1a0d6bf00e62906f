// `synm audit`: the simulation study of footings on a normal model with
// real rows and bootstrap rows, against the paper's Theorem 5 and plain binomial Monte
// Carlo error.
//
// Tolerances. Coverage over R replicates is a binomial proportion with MCSE √(p(1 − p)/R):
// at R = 400 and p = 0.95 that is 0.0109, so "within 4 MCSE of 0.95" allows ±0.044 (a
// normal deviate beyond 4 sd has probability 6e-5; the seed is fixed, so the outcome is
// reproducible). Wald intervals with the MLE's SE at n = 50 cover a little under 95% even
// for real data (μ: P(|t₄₉| ≤ 1.96·√(50/49)) ≈ 0.947; σ: about 0.935), well inside that.
//
// Equal footing, n real rows and m bootstrap rows at weight 1: μ̂ = ȳ + m/(n + m)·e with
// e the mean of the m resampled rows minus ȳ, Var(e | y) = σ̂²ₙ/m, so
//   Var(μ̂) = σ²/n + (m/(n + m))² · σ²(n − 1)/(n m),
// while the reported SE² is σ̂²/(n + m) with σ̂² ≈ σ²(n − 1)/n. At n = 50, m = 200 the ratio
// SE/SD is ≈ 0.41 and the coverage ≈ 2Φ(1.96 · 0.41) − 1 ≈ 0.58: far below 0.95 − 6 MCSE
// (0.885). We also check it lies within 4 MCSE (at p ≈ 0.58: ±0.099) plus 0.03 for the
// approximation (σ̂ treated as fixed) of that value.
import Foundation
import SynmFrontend
import SynmIO
import SynmMath
import SynmRuntime
import Testing
@testable import SynmDriver
@testable import SynmSynthetic

@Suite struct AuditTests {
    let h = InfoHarness()

    /// 50 fixed values (only their number matters: the audit simulates at --params).
    static let fifty: [Double] = (0..<50).map { k in Foundation.sin(Double(k) * 1.7) * 2 + 1 }

    func bootstrapModel(footing: String = "power(0.5)") -> String {
        h.model("boot", """
            data y: real[n]
            synthetic yb: real[200] = bootstrap(y)
            param mu: real
            param sigma: real<lower=0>
            y ~ normal(mu, sigma)
            yb ~ normal(mu, sigma) footing \(footing)
            """, data: data(["y": Self.fifty]))
    }

    var point: String { h.file("point.json", "{\"mu\": 1, \"sigma\": 2}") }

    func footing(_ doc: JSONValue, _ name: String) -> JSONValue? {
        doc["footings"]?.arrayValue?.first { $0["name"]?.stringValue == name }
    }

    func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    @Test func coverageRealOnlyHoldsEqualFootingCollapses() throws {
        let reps = 400
        let r = try h.json(["audit", bootstrapModel(), "--params", point, "--reps", "\(reps)", "--seed", "11"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.doc["reps"]?.doubleValue == Double(reps))
        #expect(r.doc.number("at", "mu") == 1 && r.doc.number("at", "sigma") == 2)
        let names = r.doc["footings"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(names == ["real-only", "as-written", "equal", "cap", "calibrated"])
        let mcse95 = (0.95 * 0.05 / Double(reps)).squareRoot()
        let real = try #require(footing(r.doc, "real-only"))
        for p in ["mu", "sigma"] {
            let c = real.number("parameters", p, "coverage95")
            #expect(abs(c - 0.95) <= 4 * mcse95, "real-only coverage of \(p): \(c)")
            #expect(close(real.number("parameters", p, "coverage95_mcse"), (c * (1 - c) / Double(reps)).squareRoot()))
            #expect(real.number("parameters", p, "fits") == Double(reps))
        }
        let equal = try #require(footing(r.doc, "equal"))
        let n = 50.0, m = 200.0
        let variance = 1 / n + (m / (n + m)) * (m / (n + m)) * (n - 1) / (n * m)  // in units of σ²
        let ratio = (((n - 1) / n) / (n + m) / variance).squareRoot()
        let expected = 2 * normalCDF(AuditStudy.z95 * ratio) - 1
        let c = equal.number("parameters", "mu", "coverage95")
        #expect(c < 0.95 - 6 * mcse95, "equal footing coverage of mu: \(c)")
        let mcse = (expected * (1 - expected) / Double(reps)).squareRoot()
        #expect(abs(c - expected) <= 4 * mcse + 0.03, "equal footing coverage of mu \(c), theory \(expected)")
        #expect(abs(equal.number("parameters", "mu", "se_ratio") - ratio) <= 4 * equal.number("parameters", "mu", "se_ratio_mcse") + 0.03)
        // Bootstrap rows at `footing cap` weigh 0 (Theorem 5): the fits are the real-only fits.
        let cap = try #require(footing(r.doc, "cap"))
        #expect(cap["weights"]?["yb"]?.doubleValue == 0)
        for p in ["mu", "sigma"] {
            for stat in ["bias", "empirical_sd", "mean_se", "coverage95"] {
                #expect(close(cap.number("parameters", p, stat), real.number("parameters", p, stat), 1e-9), "cap \(p) \(stat)")
            }
        }
    }

    @Test func deterministicAndThreadCountIndependent() throws {
        let m = bootstrapModel()
        let one = h.run(["audit", m, "--params", point, "--reps", "24", "--seed", "5", "--threads", "1", "--json"])
        let three = h.run(["audit", m, "--params", point, "--reps", "24", "--seed", "5", "--threads", "3", "--json"])
        let again = h.run(["audit", m, "--params", point, "--reps", "24", "--seed", "5", "--threads", "3", "--json"])
        #expect(one.code == 0)
        #expect(one.out == three.out)
        #expect(three.out == again.out)
        let other = h.run(["audit", m, "--params", point, "--reps", "24", "--seed", "6", "--json"])
        #expect(other.out != one.out)
        // The text report carries the table and the chart.
        let text = h.run(["audit", m, "--params", point, "--reps", "24", "--seed", "5"])
        #expect(text.code == 0)
        #expect(text.out.contains("coverage of nominal 95% intervals"))
        #expect(text.out.contains("equal ") && text.out.contains("█"))
    }

    @Test func atTheMLEByDefault() throws {
        let r = try h.json(["audit", bootstrapModel(), "--reps", "8"])
        #expect(r.code == 0, "\(r.err)")
        let ys = Self.fifty, n = Double(ys.count)
        let mean = ys.reduce(0, +) / n
        // As written, the power(0.5) bootstrap rows pull the MLE; it is still near the mean.
        if case .bool(let b)? = r.doc["at_mle"] { #expect(b) } else { Issue.record("at_mle missing") }
        #expect(abs(r.doc.number("at", "mu") - mean) < 1)
    }

    @Test func modelWithoutSyntheticNodes() throws {
        let m = h.model("plain", "data y: real[n]\nparam mu: real\nparam sigma: real<lower=0>\ny ~ normal(mu, sigma)\n",
                        data: data(["y": Self.fifty]))
        let r = try h.json(["audit", m, "--params", point, "--reps", "20"])
        #expect(r.code == 0, "\(r.err)")
        let names = r.doc["footings"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(names == ["real-only", "as-written"])
        let a = try #require(footing(r.doc, "real-only")), b = try #require(footing(r.doc, "as-written"))
        #expect(a.number("parameters", "mu", "bias") == b.number("parameters", "mu", "bias"))
    }

    @Test func failedFitsAreCounted() throws {
        // Four Bernoulli(0.3) trials: all 0 with probability 0.24, all 1 with 0.008 — the MLE
        // is then on the boundary, and those fits are counted, not dropped silently.
        let m = h.model("coin4", "data y: int[n]\nparam p: real<lower=0, upper=1>\ny ~ bernoulli(p)\n", data: data(["y": [0, 1, 0, 0]]))
        let r = try h.json(["audit", m, "--params", h.file("p.json", "{\"p\": 0.3}"), "--reps", "60"])
        #expect(r.code == 0, "\(r.err)")
        let real = try #require(footing(r.doc, "real-only"))
        let failed = real["failed"]?.doubleValue ?? 0, fits = real["fits"]?.doubleValue ?? 0
        #expect(failed > 0)
        #expect(fits + failed == 60)
        #expect(real["failures"]?["boundary"]?.doubleValue == failed)
        #expect(real.number("parameters", "p", "fits") == fits)
        #expect(r.err.contains("failed"))
    }

    /// External rows: source_n units, the first `overlap` of them the first rows of our
    /// simulated real data; the m rows are drawn from the units.
    @Test func externalRowsHonourOverlap() throws {
        let m = h.model("ext", """
            data y: real[n]
            synthetic yt: real[30] = external(source_n = 12, overlap = 4)
            param mu: real
            param sigma: real<lower=0>
            y ~ normal(mu, sigma)
            yt ~ normal(mu, sigma) footing cap
            """, data: data(["y": Self.fifty, "yt": Array(Self.fifty.prefix(30))]))
        let console = Console(out: StringSink(), err: StringSink())
        guard case .success(let p) = Pipeline.prepare(modelPath: m, dataPath: nil, seed: 0, console: console, command: "audit") else {
            Issue.record("prepare failed")
            return
        }
        let design = try ReplicateDesign(model: p.model, source: p.loaded.file, base: p.compiled,
                                         at: ["mu": [1], "sigma": [2]], seed: 9, nodeWeights: [:])
        #expect(design.externals.first?.counterpart == "y")
        #expect(design.externals.first?.sourceN == 12 && design.externals.first?.overlap == 4)
        for r in 0..<3 {
            let table = try design.data(r)
            let y = try #require(table["y"]?.values), yt = try #require(table["yt"]?.values)
            #expect(y.count == 50 && yt.count == 30)
            #expect(y != Self.fifty)
            // Every row is one of 12 units; those shared with y are among its first 4 rows.
            #expect(Set(yt).count <= 12)
            for v in yt where y.contains(v) { #expect(y.prefix(4).contains(v)) }
        }
        // The audit runs, and cap weighs the rows (N − 2K)/(N + m − 1) = (12 − 8)/(12 + 30 − 1): 30 rows
        // resampled from 12 units, 4 of them counted again in y (docs/STATISTICS.md).
        let r = try h.json(["audit", m, "--params", point, "--reps", "10"])
        #expect(r.code == 0, "\(r.err)")
        #expect(close(footing(r.doc, "cap")?["weights"]?["yt"]?.doubleValue ?? 0, 4.0 / 41))
    }

    @Test func usageErrors() {
        let m = bootstrapModel()
        for (args, message) in [(["--reps", "0"], "--reps"), (["--reps", "1"], "--reps"), (["--reps", "many"], "--reps"),
                                (["--threads", "0"], "--threads"), (["--at", "mode"], "--at"),
                                (["--at", "mle", "--params", point], "not both")] {
            let r = h.run(["audit", m] + args)
            #expect(r.code == 64, "\(args)")
            #expect(r.err.contains(message), "\(args): \(r.err)")
            #expect(r.err.contains("usage: synm audit"))
        }
        #expect(h.run(["audit"]).code == 64)
        #expect(h.run(["audit", "/nonexistent/model.synm"]).code == 66)
        let help = h.run(["help", "audit"])
        #expect(help.code == 0 && help.out.contains("real-only"))
        let noData = h.model("prior", "param mu: real\nmu ~ normal(0, 1)\n")
        let r = h.run(["audit", noData, "--params", h.file("mu.json", "{\"mu\": 0}"), "--reps", "4"])
        #expect(r.code == 65)
        #expect(r.err.contains("no real data"))
    }
}
