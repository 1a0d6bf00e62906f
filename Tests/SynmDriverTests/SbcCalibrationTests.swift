// Simulation-based calibration end to end (Talts et al. 2018): `synm sbc`
// on two small conjugate models for NUTS and Metropolis, and a negative control showing the
// test has the power to see a real miscalibration.
//
// Significance level, fixed before looking at any result: α = 0.001 per χ² test (10 bins,
// 9 degrees of freedom). With 200 replicates (20 expected per bin) a correct sampler fails a
// given test with probability 0.001 — and, the seeds being fixed, a passing test stays
// passing — while the negative control below (a fitted prior 2.2× narrower in variance than
// the simulating one) gives χ² ≈ 95, p ≈ 1e-16, far past α.
//
// Sizes: NUTS keeps 200 post-warmup draws (its ESS per draw is about 1 on these models);
// Metropolis keeps 400, so that thinning to L = 99 leaves nearly independent draws (Talts et
// al. §4: autocorrelated draws alone make ranks non-uniform). About 20 s in a debug build.
import Foundation
import SynmIO
import Testing

@Suite struct SbcCalibrationTests {
    static let alpha = 0.001

    enum Model: String, CaseIterable, CustomStringConvertible {
        case normalMean, betaBernoulli
        var description: String { rawValue }
        var text: String { self == .normalMean ? RunModels.sbcNormalMean : RunModels.sbcBetaBernoulli }
        var parameter: String { self == .normalMean ? "mu" : "p" }
    }

    static func sbc(_ path: String, sampler: String, reps: Int, seed: Int) throws -> JSONValue {
        let draws = sampler == "metropolis" ? "400" : "200"
        let warmup = sampler == "metropolis" ? "200" : "100"
        let (doc, _) = try RunHarness.json(["sbc", path, "--sampler", sampler, "--reps", String(reps), "--seed",
                                            String(seed), "--warmup", warmup, "--draws", draws, "--json"])
        return doc
    }

    @Test(arguments: ["nuts", "metropolis"], Model.allCases)
    func ranksAreUniform(sampler: String, model: Model) throws {
        let dir = try TemporaryDirectory()
        let doc = try Self.sbc(try dir.write("\(model).synm", model.text), sampler: sampler, reps: 200, seed: 1804)
        #expect(doc["reps"]?.doubleValue == 200)
        #expect(doc["max_rank"]?.doubleValue == 99)
        #expect(doc["sampler"]?.stringValue == sampler)
        let parameters = try #require(doc["parameters"]?.objectMembers)
        #expect(parameters.map(\.key) == [model.parameter])
        for member in parameters {
            let ranks = try #require(member.value["ranks"]?.arrayValue).compactMap(\.doubleValue)
            #expect(ranks.count == 200)
            #expect(ranks.allSatisfy { $0 >= 0 && $0 <= 99 && $0 == $0.rounded() })
            let counts = try #require(member.value["counts"]?.arrayValue).compactMap(\.doubleValue)
            #expect(counts.count == 10 && counts.reduce(0, +) == 200)
            let p = try #require(member.value["p_value"]?.doubleValue)
            #expect(p > Self.alpha, "\(sampler) \(model) \(member.key): χ² = \(member.value["chi_square"]?.doubleValue ?? .nan), p = \(p); counts \(counts)")
        }
    }

    /// The negative control: `target += normal_lpdf(mu | 0, 1)` is part of the fitted density
    /// but not of the simulation (RunModels.sbcMiscalibrated), so the posterior the sampler
    /// targets is not the one the true values come from. The same test must reject it.
    @Test func detectsMiscalibration() throws {
        let dir = try TemporaryDirectory()
        let doc = try Self.sbc(try dir.write("miscalibrated.synm", RunModels.sbcMiscalibrated), sampler: "metropolis",
                               reps: 200, seed: 1804)
        let p = try #require(doc["parameters"]?["mu"]?["p_value"]?.doubleValue)
        #expect(p < Self.alpha, "the miscalibrated fit passed: p = \(p)")
        // The shape is the one over-confidence gives: too many ranks in the outer bins.
        let counts = try #require(doc["parameters"]?["mu"]?["counts"]?.arrayValue).compactMap(\.doubleValue)
        #expect(counts[0] + counts[9] > 2 * 2 * 20, "expected ∪-shaped ranks, got \(counts)")
        // And the text report flags it.
        let text = RunHarness.synm(["sbc", dir.path("miscalibrated.synm"), "--sampler", "metropolis", "--reps", "100",
                                    "--seed", "1804", "--warmup", "200", "--draws", "400"])
        #expect(text.code == 0)
        #expect(text.out.contains("not uniform"))
    }
}
