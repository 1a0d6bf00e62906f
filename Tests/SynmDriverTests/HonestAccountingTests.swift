// The synthetic layer's claims, each pinned to a closed form or to coverage within Monte
// Carlo error (docs/STATISTICS.md):
//   - the cap weight (N − 2K)/(N + m − 1) is the weight at which the resampling estimator's
//     variance equals the claimed 1/(n + w m) — checked by a direct simulation of that
//     estimator, independent of synm's code;
//   - warranted information is an interval, decided by the model (Example 7: bootstrap rows
//     alone are worth between their distinct units and the units resampled);
//   - cap and calibrated footings cover at 0.95 within 4 MCSE on the example models
//     (R = 400 replicates: MCSE √(0.95 · 0.05/400) = 0.0109, so ±0.044; Wald intervals for a
//     normal mean with known σ are exact, so no small-sample allowance is needed there);
//   - the calibrated weight agrees with the closed-form cap within 4 of its Monte Carlo errors;
//   - sandwich standard errors match the closed-form SD of the power-prior estimator;
//   - the audit re-weights terms in loops, fixes its truth independently of --seed, and
//     simulates from a --truth model;
//   - reflect reports weight-0 footings as exact and refuses blocks that cannot fit.
import Foundation
import SynmIO
import SynmMath
import SynmInference
import Testing
@testable import SynmDriver
@testable import SynmSynthetic

@Suite struct HonestAccountingTests {
    let h = InfoHarness()
    static let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("models")
    static func model(_ name: String) -> String { models.appendingPathComponent("\(name).synm").path }

    func footing(_ doc: JSONValue, _ name: String) -> JSONValue? {
        doc["footings"]?.arrayValue?.first { $0["name"]?.stringValue == name }
    }

    // MARK: the cap weight

    /// Simulates μ̂ = (S_own + w S_rows)/(n + w m) with unit-variance units: n own units, the
    /// first K of them also among the N source units, m rows resampled from the N units. At
    /// w = w* its variance times (n + w m) is 1 (the claim is exact) within Monte Carlo
    /// error: the sample variance of R values has relative sd √(2/(R − 1)).
    @Test(arguments: [(30, 120, 30, 200), (40, 40, 0, 40), (50, 30, 10, 50), (0, 60, 0, 100)])
    func capWeightMakesTheClaimExact(_ c: (Int, Int, Int, Int)) {
        let (n, bigN, k, m) = c
        let w = SyntheticWorth.honestWeight(sourceUnits: bigN, counted: k, rows: m, resample: true)
        #expect(abs(w - Double(bigN - 2 * k) / Double(bigN + m - 1)) < 1e-15)
        var rng = Xoshiro256StarStar(seed: 77, stream: UInt64(n * 1000 + k))
        let reps = 20_000
        var values: [Double] = []
        values.reserveCapacity(reps)
        for _ in 0..<reps {
            let own = (0..<n).map { _ in rng.standardNormal() }
            let fresh = (0..<(bigN - k)).map { _ in rng.standardNormal() }
            let units = Array(own.prefix(k)) + fresh
            var rows = 0.0
            for _ in 0..<m { rows += units[Int(rng.next() % UInt64(bigN))] }
            values.append((own.reduce(0, +) + w * rows) / (Double(n) + w * Double(m)))
        }
        let mean = values.reduce(0, +) / Double(reps)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(reps - 1)
        let ratio = variance * (Double(n) + w * Double(m))
        #expect(abs(ratio - 1) <= 4 * (2.0 / Double(reps - 1)).squareRoot(), "n \(n) N \(bigN) K \(k) m \(m): ratio \(ratio)")
    }

    @Test func capWeightSpecialCases() {
        // Rows from our own sample with the sample in the likelihood: 0 (Theorem 5).
        #expect(SyntheticWorth.honestWeight(sourceUnits: 50, counted: 50, rows: 200, resample: true) == 0)
        // Half the source ours: 0; fresh draws at an estimate: N/(N + m).
        #expect(SyntheticWorth.honestWeight(sourceUnits: 40, counted: 20, rows: 10, resample: true) == 0)
        #expect(SyntheticWorth.honestWeight(sourceUnits: 40, counted: 0, rows: 10, resample: false) == 40.0 / 50)
        #expect(SyntheticWorth.honestWeight(sourceUnits: 1, counted: 0, rows: 1, resample: true) == 1)
    }

    // MARK: warranted information as an interval

    /// Example 7: bootstrap rows alone. Warranted is between the distinct rows drawn and
    /// min(m, N) units — not 0 — and the inflation factor is an interval, finite above.
    @Test func bootstrapRowsAloneAreWorthTheirDistinctUnits() throws {
        let y = (0..<40).map { Foundation.sin(Double($0) * 1.3) * 2 }
        let m = h.model("alone", """
            data y: real[n]
            synthetic yb: real[100] = bootstrap(y)
            param mu: real
            yb ~ normal(mu, 1) footing power(0.5)
            """, data: data(["y": y]))
        let r = try h.json(["fisher", m])
        #expect(r.code == 0, "\(r.err)")
        let yb = try #require(r.doc["sources"]?.arrayValue?.first)
        let prepared = try #require(try? Pipeline.prepare(modelPath: m, dataPath: nil, seed: 0,
                                                          console: Console(out: StringSink(), err: StringSink()),
                                                          command: "fisher").get())
        let distinct = Set(try #require(prepared.compiled.data["yb"]?.values)).count
        #expect(close(yb.number("ess_warranted_at_least"), Double(distinct)))
        #expect(close(yb.number("ess_warranted"), 40))
        #expect(yb["exact"] == .bool(false))
        // Claimed 0.5 · 100 = 50 rows: at least 50/40 times what is warranted.
        #expect(close(r.doc.number("inflation"), 50.0 / 40))
        #expect(r.doc.number("inflation") < r.doc.number("inflation_at_most"))
        // The cap weight is N/(N + m − 1).
        #expect(close(yb.number("cap_weight"), 40.0 / 139))
        let text = h.run(["fisher", m]).out
        #expect(text.contains("at least \(distinct), at most 40"), "\(text)")
    }

    // MARK: coverage of cap and calibrated

    @Test(arguments: ["third_party_overlap", "synthetic_normal", "bootstrap_normal"])
    func capAndCalibratedCover(_ name: String) throws {
        let reps = 400
        let r = try h.json(["audit", Self.model(name), "--reps", "\(reps)", "--seed", "5"])
        #expect(r.code == 0, "\(r.err)")
        let mcse = (0.95 * 0.05 / Double(reps)).squareRoot()
        for variant in ["cap", "calibrated"] {
            let v = try #require(footing(r.doc, variant), "\(name): no \(variant)")
            for p in v["parameters"]?.objectMembers ?? [] {
                let c = p.value.number("coverage95")
                #expect(abs(c - 0.95) <= 4 * mcse, "\(name) \(variant) \(p.key): coverage \(c)")
            }
        }
    }

    /// third_party_overlap: the calibrated weight against the closed form 60/319.
    @Test func calibratedWeightMatchesTheClosedForm() throws {
        let console = Console(out: StringSink(), err: StringSink())
        let p = try #require(try? Pipeline.prepare(modelPath: Self.model("third_party_overlap"), dataPath: nil, seed: 4,
                                                   console: console, command: "audit").get())
        let c = try Calibration.run(p.compiled, model: p.model, source: p.loaded.file, nodes: ["yt"], seed: 4)
        let w = try #require(c.weights["yt"])
        #expect(w.mcse > 0 && w.mcse < 0.05)
        #expect(abs(w.weight - 60.0 / 319) <= 4 * w.mcse, "calibrated \(w.weight) ± \(w.mcse)")
    }

    // MARK: sandwich standard errors

    /// bootstrap_normal (σ = 2 known, n real rows, m = 200 bootstrap rows at power a = 0.1):
    /// μ̂ = (S_y + a S_b)/(n + a m) has variance σ²(n + 2am + a²m(1 − 1/n + m/n))/(n + am)²
    /// (docs/STATISTICS.md, "cap", with K′ = N = n), while the model claims σ²/(n + am).
    /// E[s²] over R data sets has relative MC error √(2/R) (s is normal), so the sandwich SE
    /// is held to 4 · ½ · √(2/R).
    @Test func sandwichMatchesTheEstimatorsSD() throws {
        let reps = 2000
        let r = try h.json(["optimize", Self.model("bootstrap_normal"), "--mle", "--sandwich", "\(reps)"])
        #expect(r.code == 0, "\(r.err)")
        let y = try #require(try SyntheticHarness.values(Self.models.appendingPathComponent("bootstrap_normal.data.json").path)["y"])
        let n = Double(y.count), m = 200.0, a = 0.1, sigma = 2.0
        let sd = sigma * (n + 2 * a * m + a * a * m * (1 - 1 / n + m / n)).squareRoot() / (n + a * m)
        let claimed = sigma / (n + a * m).squareRoot()
        let se = r.doc.number("se", "mu"), sandwich = r.doc.number("se_sandwich", "mu")
        #expect(close(se, claimed, 1e-7))
        #expect(abs(sandwich / sd - 1) <= 4 * 0.5 * (2.0 / Double(reps)).squareRoot(), "sandwich \(sandwich) vs \(sd)")
        #expect(sandwich > 1.1 * se)
        let f = h.run(["fisher", Self.model("bootstrap_normal"), "--expected", "200"])
        #expect(f.out.contains("SE sandwich") && f.out.contains("the information identity E[s sᵀ] = −E∇² fails"))
    }

    // MARK: the audit

    /// periodic_symmetry writes its synthetic term in a loop: real-only weighs it 0.
    @Test func auditReweightsTermsInLoops() throws {
        let r = try h.json(["audit", Self.model("periodic_symmetry"), "--reps", "8", "--seed", "2"])
        #expect(r.code == 0, "\(r.err)")
        #expect(footing(r.doc, "real-only")?["weights"]?["xr"]?.doubleValue == 0)
        #expect(footing(r.doc, "as-written")?["weights"]?["xr"]?.doubleValue == 0.05)
        #expect(footing(r.doc, "equal")?["weights"]?["xr"]?.doubleValue == 1)
        let real = try #require(footing(r.doc, "real-only")), asWritten = try #require(footing(r.doc, "as-written"))
        #expect(real.number("parameters", "s", "mean_se") != asWritten.number("parameters", "s", "mean_se"))
    }

    @Test func auditTruthDoesNotMoveWithTheSeed() throws {
        let a = try h.json(["audit", Self.model("synthetic_normal"), "--reps", "4", "--seed", "1"])
        let b = try h.json(["audit", Self.model("synthetic_normal"), "--reps", "4", "--seed", "2"])
        #expect(a.code == 0 && b.code == 0)
        for p in ["mu", "sigma"] { #expect(close(a.doc.number("at", p), b.doc.number("at", p), 1e-7)) }
        #expect(h.run(["audit", Self.model("synthetic_normal"), "--reps", "4"]).out.contains("does not change with --seed"))
    }

    /// Example 9 both ways: under independent thinning the thinning likelihood covers, the
    /// deterministic reading's likelihood is too narrow (SE/SD well below 1).
    @Test func auditUnderATruthModel() throws {
        let point = h.file("p.json", "{\"p\": 0.5}")
        let truth = Self.model("censored_coin")
        let right = try h.json(["audit", truth, "--truth", truth, "--params", point, "--reps", "300", "--seed", "3"])
        let wrong = try h.json(["audit", Self.model("censored_coin_deterministic"), "--truth", truth, "--params", point,
                                "--reps", "300", "--seed", "3"])
        #expect(right.code == 0 && wrong.code == 0, "\(right.err) \(wrong.err)")
        let ok = try #require(footing(right.doc, "as-written")), bad = try #require(footing(wrong.doc, "as-written"))
        let ratioOK = ok.number("parameters", "p", "se_ratio"), ratioBad = bad.number("parameters", "p", "se_ratio")
        let mcseBad = bad.number("parameters", "p", "se_ratio_mcse")
        #expect(abs(ratioOK - 1) <= 4 * ok.number("parameters", "p", "se_ratio_mcse"), "thinning: SE/SD \(ratioOK)")
        #expect(ratioBad + 4 * mcseBad < 1, "deterministic reading under thinning: SE/SD \(ratioBad) ± \(mcseBad)")
        // A truth model without the audited parameter is a usage error.
        let other = h.model("other", "data y: int<lower=0, upper=1>[n]\nparam r: real<lower=0, upper=1>\ny ~ bernoulli(r)\n",
                            data: "{\"y\": [1, 0, 1]}")
        let u = h.run(["audit", truth, "--truth", other, "--reps", "4"])
        #expect(u.code == 64 && u.err.contains("no parameter 'p'"), "\(u.err)")
    }

    /// The deterministic reading's posterior against its closed form by quadrature:
    /// p ∝ p^(2h−1) (1 − p)^t (1 + (g + 1) p), h = 10, t = 20, g = 2.
    @Test func deterministicCensoringPosterior() throws {
        let k = 20_000
        var z = 0.0, m1 = 0.0, m2 = 0.0
        for i in 1..<k {
            let p = Double(i) / Double(k)
            let f = Foundation.exp(19 * Foundation.log(p) + 20 * Foundation.log1p(-p)) * (1 + 3 * p)
            let c = i % 2 == 1 ? 4.0 : 2.0
            z += c * f
            m1 += c * f * p
            m2 += c * f * p * p
        }
        let mean = m1 / z, sd = (m2 / z - mean * mean).squareRoot()
        let r = try SyntheticHarness.json(["run", Self.model("censored_coin_deterministic"), "--seed", "8", "--json"])
        let p = try #require(r["parameters"]?["p"])
        #expect(abs(try SyntheticHarness.number(p["mean"]) - mean) <= 4 * (try SyntheticHarness.number(p["mcse_mean"])))
        #expect(abs(try SyntheticHarness.number(p["sd"]) - sd) <= 4 * (try SyntheticHarness.number(p["mcse_sd"])))
    }

    // MARK: reflect

    @Test func reflectAtCapIsExact() throws {
        let (doc, params) = try reflect([Self.model("coin"), "--synthetic-n", "10", "--footing", "cap", "--warmup", "200",
                                         "--draws", "200", "--reps", "10"])
        #expect(doc["block_weight"]?.doubleValue == 0)
        for p in params.values { #expect(p["exact"] == .bool(true) && p["pass"] == .bool(true)) }
        let text = h.run(["reflect", Self.model("coin"), "--synthetic-n", "10", "--footing", "cap", "--warmup", "200",
                          "--draws", "200", "--reps", "10"]).out
        #expect(text.contains("hold exactly"))
    }

    @Test func reflectRefusesBlocksThatCannotFit() {
        let r = h.run(["reflect", Self.model("hier_poisson"), "--synthetic-n", "20", "--reps", "4"])
        #expect(r.code == 64 && r.err.contains("must have 200 rows"), "\(r.err)")
        let loop = h.run(["reflect", Self.model("periodic_symmetry"), "--node", "x", "--synthetic-n", "7", "--reps", "4"])
        #expect(loop.code == 64 && loop.err.contains("written in a loop"), "\(loop.err)")
        let target = h.run(["reflect", Self.model("censored_coin_deterministic"), "--node", "y", "--synthetic-n", "5"])
        #expect(target.code == 64 && target.err.contains("target +="), "\(target.err)")
        let footing = h.run(["reflect", Self.model("coin"), "--synthetic-n", "5", "--footing", "half"])
        #expect(footing.code == 64)
    }

    /// Sequential predictive resampling: the mean of the path means stays the current mean
    /// (a martingale) within 4 Monte Carlo errors at every shown step, and paths fan out.
    @Test func predictiveResamplingIsAMartingale() throws {
        let r = try h.json(["reflect", Self.model("coin"), "--synthetic-n", "10", "--steps", "8", "--reps", "40",
                            "--warmup", "200", "--draws", "250", "--seed", "6"])
        #expect(r.code == 0, "\(r.err)")
        let p = try #require(r.doc["parameters"]?["p"])
        let means = p["mean_of_path_means"]?.arrayValue?.compactMap(\.doubleValue) ?? []
        let spread = p["spread_of_path_means"]?.arrayValue?.compactMap(\.doubleValue) ?? []
        let sds = p["mean_path_sd"]?.arrayValue?.compactMap(\.doubleValue) ?? []
        #expect(means.count == 8 && spread.count == 8 && sds.count == 8)
        let current = p.number("current_mean")
        for k in means.indices {
            #expect(abs(means[k] - current) <= 4 * spread[k] / 40.0.squareRoot() + 1e-12, "step \(k + 1)")
        }
        #expect(spread[7] > spread[0] && sds[7] < sds[0])
    }
}
