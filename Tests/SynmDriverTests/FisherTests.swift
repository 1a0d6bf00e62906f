// `synm fisher` against closed forms: observed information at the MLE
// (normal, bernoulli, poisson, exponential) and at a point (gamma, beta: their Hessians do
// not depend on the data; logistic regression: XᵀWX); expected information by Monte Carlo
// within its MCSE; and the per-source accounting of the paper — bootstrap rows warranted
// exactly 0 (Theorem 5), a third party's rows capped at (source_n − overlap)/m (Theorem 8),
// and equal footing shrinking standard errors by √(n/(n+m)).
//
// Tolerances: observed information is exact autodiff at a Newton-polished MLE, so 1e-9
// relative. Monte Carlo means must lie within 4 MCSE of the truth (a normal deviate beyond
// 4 sd has probability 6e-5 per entry; the seeds are fixed, so the outcome is reproducible);
// entries that are constant across data sets (MCSE 0) must match to 1e-9.
import Foundation
import SynmIO
import SynmMath
import Testing
@testable import SynmDriver
@testable import SynmSynthetic

@Suite struct FisherTests {
    let h = InfoHarness()

    func expectMatrix(_ a: [[Double]], _ b: [[Double]], rel: Double = 1e-9, _ what: String = "",
                      sourceLocation: SourceLocation = #_sourceLocation) {
        let scale = b.flatMap { $0 }.map(abs).max() ?? 1
        #expect(a.count == b.count, "\(what)", sourceLocation: sourceLocation)
        for (ra, rb) in zip(a, b) {
            for (x, y) in zip(ra, rb) {
                #expect(abs(x - y) <= rel * max(1, scale), "\(what): \(a) vs \(b)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func observedNormalAtMLE() throws {
        let m = h.model("normal", "data y: real[n]\nparam mu: real\nparam sigma: real<lower=0>\nmu ~ normal(0, 1)\ny ~ normal(mu, sigma)\n",
                        data: data(["y": normalSample]))
        let r = try h.json(["fisher", m])
        #expect(r.code == 0)
        let n = Double(normalSample.count), mean = normalSample.reduce(0, +) / n
        let s2 = normalSample.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / n
        #expect(r.doc["scale"]?.stringValue == "constrained")
        #expect(close(r.doc.number("at", "mu"), mean))  // the prior is excluded: the MLE, not the MAP
        expectMatrix(r.doc["observed"]!.matrix, [[n / s2, 0], [0, 2 * n / s2]], "normal J")
        #expect(close(r.doc.number("se", "sigma"), (s2 / (2 * n)).squareRoot()))
        // Unconstrained: σ = e^u, so I_u = J_gᵀ I_θ J_g = diag(n/σ², σ² · 2n/σ²) at the MLE.
        let u = try h.json(["fisher", m, "--unconstrained"])
        #expect(u.doc["scale"]?.stringValue == "unconstrained")
        expectMatrix(u.doc["observed"]!.matrix, [[n / s2, 0], [0, 2 * n]], "normal I_u")
    }

    @Test func observedAtMLEDiscreteAndExponential() throws {
        let flips: [Double] = [1, 0, 0, 1, 1, 1, 0, 1, 0, 1, 1, 0, 1]
        let b = try h.json(["fisher", h.model("coin", "data y: int[n]\nparam p: real<lower=0, upper=1>\ny ~ bernoulli(p)\n",
                                              data: data(["y": flips]))])
        let p = flips.reduce(0, +) / Double(flips.count)
        expectMatrix(b.doc["observed"]!.matrix, [[Double(flips.count) / (p * (1 - p))]], "bernoulli")

        let counts: [Double] = [3, 0, 2, 5, 1, 4, 2, 2, 6, 1]
        let pj = try h.json(["fisher", h.model("pois", "data y: int[n]\nparam lambda: real<lower=0>\ny ~ poisson(lambda)\n",
                                               data: data(["y": counts]))])
        let lambda = counts.reduce(0, +) / Double(counts.count)
        expectMatrix(pj.doc["observed"]!.matrix, [[Double(counts.count) / lambda]], "poisson")

        let waits = normalSample.map { abs($0) + 0.1 }
        let e = try h.json(["fisher", h.model("expo", "data y: real[n]\nparam rate: real<lower=0>\ny ~ exponential(rate)\n",
                                              data: data(["y": waits]))])
        let rate = Double(waits.count) / waits.reduce(0, +)
        #expect(close(e.doc.number("at", "rate"), rate))
        expectMatrix(e.doc["observed"]!.matrix, [[Double(waits.count) / (rate * rate)]], "exponential")
    }

    /// Gamma and beta log densities have Hessians free of the data: J = n · (§3.8 table) at
    /// any point. Logistic regression: J = Σ pᵢ(1 − pᵢ) xᵢxᵢᵀ.
    @Test func observedAtAPoint() throws {
        let pos = normalSample.map { abs($0) + 0.2 }, n = Double(pos.count)
        let g = h.model("gamma", "data y: real[n]\nparam alpha: real<lower=0>\nparam beta: real<lower=0>\ny ~ gamma(alpha, beta)\n",
                        data: data(["y": pos]))
        let gj = try h.json(["fisher", g, "--params", h.file("g.json", "{\"alpha\": 2.5, \"beta\": 1.5}")])
        expectMatrix(gj.doc["observed"]!.matrix, [[n * trigamma(2.5), -n / 1.5], [-n / 1.5, n * 2.5 / (1.5 * 1.5)]], "gamma")

        let unit = pos.map { $0 / 4 }
        let bm = h.model("beta", "data y: real[n]\nparam a: real<lower=0>\nparam b: real<lower=0>\ny ~ beta(a, b)\n",
                         data: data(["y": unit]))
        let bj = try h.json(["fisher", bm, "--params", h.file("b.json", "{\"a\": 2, \"b\": 3}")])
        let t = trigamma(5.0)
        expectMatrix(bj.doc["observed"]!.matrix, [[n * (trigamma(2) - t), -n * t], [-n * t, n * (trigamma(3) - t)]], "beta")

        let x = [-1.5, -0.7, 0.1, 0.4, 1.2, 2.0], y: [Double] = [0, 1, 0, 1, 1, 1]
        let lm = h.model("logit", "data x: real[n]\ndata y: int[n]\nparam a: real\nparam b: real\ny ~ bernoulli_logit(a + b * x)\n",
                         data: data(["x": x, "y": y]))
        let lj = try h.json(["fisher", lm, "--params", h.file("l.json", "{\"a\": 0.3, \"b\": 0.8}")])
        var xtwx = [[0.0, 0], [0, 0]]
        for xi in x {
            let p = 1 / (1 + exp(-(0.3 + 0.8 * xi))), w = p * (1 - p)
            xtwx[0][0] += w; xtwx[0][1] += w * xi; xtwx[1][0] += w * xi; xtwx[1][1] += w * xi * xi
        }
        expectMatrix(lj.doc["observed"]!.matrix, xtwx, "logistic XᵀWX")
    }

    /// Expected information by Monte Carlo: both E[s sᵀ] and E[−∇²ℓ] within 4 MCSE of
    /// n × the per-observation closed form of §3.8.
    /// One expected-information case: model, point, per-observation information (§3.8).
    struct MonteCarloCase: Sendable, CustomTestStringConvertible {
        var name: String
        var model: String
        var point: String
        var perObservation: [[Double]]
        var testDescription: String { name }
    }

    static let monteCarloCases: [MonteCarloCase] = [
        MonteCarloCase(name: "normal", model: "data y: real[n]\nparam mu: real\nparam sigma: real<lower=0>\ny ~ normal(mu, sigma)\n",
                       point: "{\"mu\": 1, \"sigma\": 2}", perObservation: [[1 / 4.0, 0], [0, 2 / 4.0]]),
        MonteCarloCase(name: "poisson", model: "data y: int[n]\nparam lambda: real<lower=0>\ny ~ poisson(lambda)\n",
                       point: "{\"lambda\": 3}", perObservation: [[1 / 3.0]]),
        MonteCarloCase(name: "bernoulli", model: "data y: int<lower=0, upper=1>[n]\nparam p: real<lower=0, upper=1>\ny ~ bernoulli(p)\n",
                       point: "{\"p\": 0.3}", perObservation: [[1 / 0.21]]),
        MonteCarloCase(name: "gamma", model: "data y: real[n]\nparam alpha: real<lower=0>\nparam beta: real<lower=0>\ny ~ gamma(alpha, beta)\n",
                       point: "{\"alpha\": 2, \"beta\": 1.5}",
                       perObservation: [[trigamma(2), -1 / 1.5], [-1 / 1.5, 2 / 2.25]]),
    ]

    @Test(arguments: FisherTests.monteCarloCases)
    func expectedByMonteCarlo(_ c: MonteCarloCase) throws {
        let (model, point, perObservation) = (c.model, c.point, c.perObservation)
        let n = 8.0
        let m = h.model("mc", model, data: data(["y": [1, 1, 1, 1, 1, 1, 1, 1]]))  // valid for all four
        let r = try h.json(["fisher", m, "--params", h.file("p.json", point), "--expected", "400", "--seed", "7"])
        #expect(r.code == 0, "\(r.err)")
        for (mean, mcse) in [("expected", "expected_mcse"), ("expected_hessian", "expected_hessian_mcse")] {
            let e = r.doc[mean]!.matrix, s = r.doc[mcse]!.matrix
            for i in perObservation.indices {
                for j in perObservation.indices {
                    let truth = n * perObservation[i][j]
                    #expect(abs(e[i][j] - truth) <= 4 * s[i][j] + 1e-9 * max(1, abs(truth)),
                            "\(mean)[\(i)][\(j)] = \(e[i][j]) ± \(s[i][j]), closed form \(truth)")
                }
            }
        }
    }
}

/// The paper's accounting, numerically.
extension FisherTests {
    /// −∇² of Σⱼ log normal(yⱼ | μ, σ) in (μ, σ): [[m/σ², 2Σr/σ³], [2Σr/σ³, −m/σ² + 3Σr²/σ⁴]], r = y − μ.
    func normalInformation(_ rows: [Double], mu: Double, sigma: Double) -> [[Double]] {
        let m = Double(rows.count), r = rows.map { $0 - mu }
        let s1 = r.reduce(0, +), s2 = r.map { $0 * $0 }.reduce(0, +)
        let off = 2 * s1 / pow(sigma, 3)
        return [[m / (sigma * sigma), off], [off, -m / (sigma * sigma) + 3 * s2 / pow(sigma, 4)]]
    }

    func scaled(_ a: [[Double]], _ c: Double) -> [[Double]] { a.map { $0.map { $0 * c } } }

    @Test func claimedVersusWarranted() throws {
        let third: [Double] = (0..<50).map { 1 + sin(Double($0) * 1.7) * 1.4 }
        let m = h.model("synth", """
            data y: real[n]
            synthetic yb: real[30] = bootstrap(y)
            synthetic yt: real[m] = external(source_n = 30, overlap = 10)
            param mu: real
            param sigma: real<lower=0>
            y ~ normal(mu, sigma)
            yb ~ normal(mu, sigma) footing power(0.25)
            yt ~ normal(mu, sigma) footing cap
            """, data: data(["y": normalSample, "yt": third]))
        let r = try h.json(["fisher", m, "--params", h.file("p.json", "{\"mu\": 1, \"sigma\": 1.5}")])
        #expect(r.code == 0, "\(r.err)")
        let sources = r.doc["sources"]?.arrayValue ?? []
        #expect(sources.map { $0["node"]?.stringValue ?? "" } == ["y", "yb", "yt"])
        guard sources.count == 3 else { return }
        let (y, yb, yt) = (sources[0], sources[1], sources[2])

        // Real rows: claimed = warranted = their own information.
        let own = normalInformation(normalSample, mu: 1, sigma: 1.5)
        #expect(y["kind"]?.stringValue == "real")
        expectMatrix(y["claimed"]!.matrix, own, "real claimed")
        expectMatrix(y["warranted"]!.matrix, own, "real warranted")

        // Bootstrap rows (Theorem 5): warranted exactly 0; claimed = a · their own information.
        #expect(yb["kind"]?.stringValue == "bootstrap")
        #expect(yb["footing"]?.stringValue == "power(0.25)")
        #expect(yb["warranted"]!.matrix.flatMap { $0 }.allSatisfy { $0 == 0 })
        let prepared = try #require(try? Pipeline.prepare(modelPath: m, dataPath: nil, seed: 0, console: Console(out: StringSink(), err: StringSink()), command: "fisher").get())
        let rows = try #require(prepared.compiled.data["yb"]?.values)
        #expect(rows.allSatisfy { normalSample.contains($0) })
        expectMatrix(yb["claimed"]!.matrix, scaled(normalInformation(rows, mu: 1, sigma: 1.5), 0.25), "bootstrap claimed")
        #expect(close(yb.number("ess_claimed"), 0.25 * 30) && yb.number("ess_warranted") == 0)

        // External rows (Theorem 8): m = 50 rows from N = 30 units, K = 10 of them ours: at most
        // 20 real units (warranted fraction at most 20/50, at least 0: the generator is not
        // known); cap weight (N − 2K)/(N + m − 1) = 10/79 (docs/STATISTICS.md).
        let ownT = normalInformation(third, mu: 1, sigma: 1.5)
        #expect(yt["kind"]?.stringValue == "external" && close(yt.number("weight"), 10.0 / 79))
        expectMatrix(yt["claimed"]!.matrix, scaled(ownT, 10.0 / 79), "external claimed")
        expectMatrix(yt["warranted"]!.matrix, scaled(ownT, 0.4), "external warranted at most")
        expectMatrix(yt["warranted_at_least"]!.matrix, scaled(ownT, 0), "external warranted at least")
        if case .bool(let exactT)? = yt["exact"], case .bool(let exactY)? = y["exact"] { #expect(!exactT && exactY) } else { Issue.record("no exact flags") }
        #expect(close(yt.number("ess_warranted"), 20) && yt.number("ess_warranted_at_least") == 0)

        // The observed information is the sum of the claimed.
        let total = zip(zip(y["claimed"]!.matrix, yb["claimed"]!.matrix), yt["claimed"]!.matrix).map { zip(zip($0.0, $0.1), $1).map { $0.0 + $0.1 + $1 } }
        expectMatrix(r.doc["observed"]!.matrix, total, "observed = Σ claimed")

        // The same third-party rows on equal footing claim all 50 rows but are still warranted 20.
        let eq = h.model("synth_eq", """
            data y: real[n]
            synthetic yt: real[m] = external(source_n = 30, overlap = 10)
            param mu: real
            param sigma: real<lower=0>
            y ~ normal(mu, sigma)
            yt ~ normal(mu, sigma) footing equal
            """, data: data(["y": normalSample, "yt": third]))
        let e = try h.json(["fisher", eq, "--params", h.file("p.json", "{\"mu\": 1, \"sigma\": 1.5}")])
        let t = try #require(e.doc["sources"]?.arrayValue?.last)
        expectMatrix(t["claimed"]!.matrix, ownT, "external equal claimed")
        expectMatrix(t["warranted"]!.matrix, scaled(ownT, 0.4), "external equal warranted")
        #expect(close(t.number("ess_claimed"), 50) && close(t.number("ess_warranted"), 20))
    }

    /// n real rows and m bootstrap rows on equal footing (σ = 1 known): claimed information
    /// n + m, warranted n, so the claimed SE is √(n/(n+m)) times the warranted one and the
    /// inflation factor is (n+m)/n. With n = 12, m = 36: a factor 1/2 and 4.
    @Test func equalFootingShrinksStandardErrors() throws {
        let m = h.model("equal", """
            data y: real[n]
            synthetic yb: real[36] = bootstrap(y)
            param mu: real
            y ~ normal(mu, 1)
            yb ~ normal(mu, 1) footing equal
            """, data: data(["y": normalSample]))
        let r = try h.json(["fisher", m])
        #expect(r.code == 0, "\(r.err)")
        let n = Double(normalSample.count), extra = 36.0
        #expect(close(r.doc.number("se", "mu"), 1 / (n + extra).squareRoot()))
        #expect(close(r.doc.number("se_warranted", "mu"), 1 / n.squareRoot()))
        #expect(close(r.doc.number("se", "mu") / r.doc.number("se_warranted", "mu"), (n / (n + extra)).squareRoot()))
        #expect(close(r.doc.number("inflation"), (n + extra) / n))
        let text = h.run(["fisher", m]).out
        #expect(text.contains("claims 4.000 times the information"))
    }

    /// Theorem 5 by simulation: with Y a bootstrap of X, p(x, y | θ) = p(x | θ) q(y | x), so
    /// I_(X,Y) = I_X. The model with the bootstrap term capped (weight 0) has exactly that
    /// likelihood: its expected information over simulated (X, Y) is n · i(θ) within MCSE.
    /// On equal footing the same rows claim (n + m) · i(θ): the μμ entry of E[−∇²ℓ] is
    /// (n + m)/σ² in every data set.
    @Test func bootstrapAddsNoExpectedInformation() throws {
        func model(_ footing: String) -> String {
            h.model("t5_\(footing)", """
                data y: real[n]
                synthetic yb: real[20] = bootstrap(y)
                param mu: real
                param sigma: real<lower=0>
                y ~ normal(mu, sigma)
                yb ~ normal(mu, sigma) footing \(footing)
                """, data: data(["y": normalSample]))
        }
        let point = h.file("p.json", "{\"mu\": 1, \"sigma\": 2}")
        let n = Double(normalSample.count)
        let capped = try h.json(["fisher", model("cap"), "--params", point, "--expected", "400", "--seed", "3"])
        let truth = [[n / 4, 0], [0, 2 * n / 4]]
        for (mean, mcse) in [("expected", "expected_mcse"), ("expected_hessian", "expected_hessian_mcse")] {
            let e = capped.doc[mean]!.matrix, s = capped.doc[mcse]!.matrix
            for i in 0..<2 {
                for j in 0..<2 {
                    #expect(abs(e[i][j] - truth[i][j]) <= 4 * s[i][j] + 1e-9 * n, "\(mean)[\(i)][\(j)] = \(e[i][j]) ± \(s[i][j])")
                }
            }
        }
        let equal = try h.json(["fisher", model("equal"), "--params", point, "--expected", "50", "--seed", "3"])
        #expect(close(equal.doc["expected_hessian"]!.matrix[0][0], (n + 20) / 4))
        #expect(equal.doc["expected_hessian_mcse"]!.matrix[0][0] == 0)
        #expect(equal.doc["sources"]?.arrayValue?.last?["warranted"]?.matrix.flatMap { $0 }.allSatisfy { $0 == 0 } == true)
    }

    @Test func usageAndHelp() {
        #expect(h.run(["fisher"]).code == ExitCode.usage.rawValue)
        #expect(h.run(["fisher", "m.synm", "--at", "map"]).code == ExitCode.usage.rawValue)
        #expect(h.run(["fisher", "m.synm", "--expected", "1"]).code == ExitCode.usage.rawValue)
        #expect(h.run(["help", "fisher"]).out.contains("Theorem 8"))
    }
}
