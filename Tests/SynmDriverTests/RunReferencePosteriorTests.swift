// synm against posteriordb's gold-standard posteriors (criterion of posteriordb's
// reference-posterior checks): with 4 chains × 1000 + 1000 NUTS draws every
// reported element's mean is within 0.1 reference sd AND within 4·√(MCSE_synm² + MCSE_ref²)
// of the reference mean, and its sd within 10% of the reference sd. Model, data and
// reference numbers are embedded (Fixtures/RunReferencePosteriors.swift).
//
// Eight schools takes about 7 s in a debug build and always runs. kidiq (434 rows, ~40 s)
// and arK (200 time points × 5 lags in interpreted loops, several minutes) are too slow for
// the debug CI budget: they run in release builds (`swift test -c release`) or when
// SYNM_SLOW_TESTS is set, as does models/arma11.synm (its sampler behaviour is tested fast,
// on a hand-written density, in SynmInferenceTests/HardPosteriorTests.swift).
import Foundation
import SynmIO
import Testing

#if DEBUG
let runSlowReferenceTests = ProcessInfo.processInfo.environment["SYNM_SLOW_TESTS"] != nil
#else
let runSlowReferenceTests = true
#endif

@Suite struct RunReferencePosteriorTests {
    func check(_ posterior: ReferencePosterior) throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("model.synm", posterior.model)
        let data = try dir.write("data.json", posterior.data)
        let (doc, run) = try RunHarness.json(["run", model, "--data", data, "--chains", "4", "--warmup", "1000",
                                              "--draws", "1000", "--seed", "8128", "--json"])
        #expect(doc["divergences"]?.doubleValue == 0, "\(posterior): divergences; \(run.err)")
        for ref in posterior.reference {
            let mean = try RunHarness.statistic(doc, ref.name, "mean")
            let sd = try RunHarness.statistic(doc, ref.name, "sd")
            let mcse = try RunHarness.statistic(doc, ref.name, "mcse_mean")
            let rhat = try RunHarness.statistic(doc, ref.name, "rhat")
            let error = abs(mean - ref.mean)
            #expect(error <= 0.1 * ref.sd, "\(posterior) \(ref.name): mean \(mean) vs \(ref.mean) (\(error / ref.sd) ref sd)")
            let combined = (mcse * mcse + ref.mcseMean * ref.mcseMean).squareRoot()
            #expect(error <= 4 * combined, "\(posterior) \(ref.name): mean \(mean) vs \(ref.mean) (\(error / combined) MCSE)")
            #expect(abs(sd / ref.sd - 1) <= 0.1, "\(posterior) \(ref.name): sd \(sd) vs \(ref.sd)")
            #expect(rhat < 1.01, "\(posterior) \(ref.name): R-hat \(rhat)")
        }
    }

    @Test func eightSchoolsNoncentered() throws {
        try check(.eightSchoolsNoncentered)
    }

    @Test(.enabled(if: runSlowReferenceTests, "slow in debug builds; set SYNM_SLOW_TESTS=1 or use -c release"))
    func kidiqKidscoreMomhs() throws {
        try check(.kidiqKidscoreMomhs)
    }

    @Test(.enabled(if: runSlowReferenceTests, "slow in debug builds; set SYNM_SLOW_TESTS=1 or use -c release"))
    func arK() throws {
        try check(.arK)
    }

    /// models/arma11.synm as a user runs it, at the seeds that each left one chain of four
    /// stuck (step size 1e-4…1e-11, R-hat 1.5) before stranded chains were restarted: no
    /// chain is named stuck, R-hat < 1.01, each mean within 4 MCSE and each sd within 10% of
    /// the quadrature of Tests/SynmInferenceTests/Reference/arma11_reference.py (mean, sd).
    @Test(.enabled(if: runSlowReferenceTests, "slow in debug builds; set SYNM_SLOW_TESTS=1 or use -c release"),
          arguments: [1, 2, 4])
    func arma11(seed: Int) throws {
        let reference: [(String, Double, Double)] = [
            ("mu", 0.006825, 0.011362), ("phi", 0.956850, 0.022922), ("theta", -0.033643, 0.059291),
            ("sigma", 0.166584, 0.008462),
        ]
        let (doc, run) = try RunHarness.json(["run", RunHarness.model("arma11.synm"), "--seed", String(seed), "--json"])
        #expect(!run.err.contains("stuck") && !run.err.contains("far from the others"), "seed \(seed): \(run.err)")
        #expect(doc["restarts"]?.arrayValue?.count == 4)
        for (name, mean, sd) in reference {
            let m = try RunHarness.statistic(doc, name, "mean")
            let s = try RunHarness.statistic(doc, name, "sd")
            let mcse = try RunHarness.statistic(doc, name, "mcse_mean")
            let rhat = try RunHarness.statistic(doc, name, "rhat")
            #expect(abs(m - mean) <= 4 * mcse, "seed \(seed) \(name): mean \(m) vs \(mean) (\(abs(m - mean) / mcse) MCSE)")
            #expect(abs(s / sd - 1) <= 0.1, "seed \(seed) \(name): sd \(s) vs \(sd)")
            #expect(rhat < 1.01, "seed \(seed) \(name): R-hat \(rhat)")
        }
    }
}
