// Conjugate posteriors, end to end: `synm run --json` for every sampler recovers the exact
// posterior mean and sd within 4 Monte Carlo standard errors (both taken from the JSON),
// with R-hat below 1.01 (the usual threshold of Vehtari et al. 2021).
// 4 chains × (1000 warmup + 1000 draws), fixed seeds: about 1 s per run in a debug build.
import Foundation
import SynmIO
import Testing

@Suite struct RunConjugateTests {
    enum Posterior: String, CaseIterable, CustomStringConvertible {
        case betaBernoulli, normalNormal, gammaPoisson
        var description: String { rawValue }

        /// The parameter, the exact posterior mean and sd.
        var exact: (name: String, mean: Double, sd: Double) {
            switch self {
            case .betaBernoulli: ("p", RunModels.coinExact.mean, RunModels.coinExact.sd)
            case .normalNormal: ("mu", RunModels.normalNormalExact.mean, RunModels.normalNormalExact.sd)
            case .gammaPoisson: ("lambda", RunModels.gammaPoissonExact.mean, RunModels.gammaPoissonExact.sd)
            }
        }

        /// The model file: models/coin.synm, or the model text written to `directory`.
        func path(in directory: TemporaryDirectory) throws -> String {
            switch self {
            case .betaBernoulli: RunHarness.model("coin.synm")
            case .normalNormal: try directory.write("normal_normal.synm", RunModels.normalNormal)
            case .gammaPoisson: try directory.write("gamma_poisson.synm", RunModels.gammaPoisson)
            }
        }
    }

    static let samplers = ["nuts", "hmc", "metropolis"]

    @Test(arguments: samplers, Posterior.allCases)
    func recoversExactPosterior(sampler: String, posterior: Posterior) throws {
        let dir = try TemporaryDirectory()
        let (doc, _) = try RunHarness.json(["run", try posterior.path(in: dir), "--sampler", sampler, "--chains", "4",
                                            "--warmup", "1000", "--draws", "1000", "--seed", "20240611", "--json"])
        let (name, exactMean, exactSD) = posterior.exact
        let mean = try RunHarness.statistic(doc, name, "mean")
        let sd = try RunHarness.statistic(doc, name, "sd")
        let mcseMean = try RunHarness.statistic(doc, name, "mcse_mean")
        let mcseSD = try RunHarness.statistic(doc, name, "mcse_sd")
        let rhat = try RunHarness.statistic(doc, name, "rhat")
        #expect(mcseMean > 0 && mcseMean < 0.1 * exactSD, "implausible mcse_mean \(mcseMean)")
        #expect(mcseSD > 0 && mcseSD < 0.1 * exactSD, "implausible mcse_sd \(mcseSD)")
        #expect(abs(mean - exactMean) <= 4 * mcseMean,
                "\(sampler) \(posterior): mean \(mean) vs exact \(exactMean) (\((mean - exactMean) / mcseMean) MCSE)")
        #expect(abs(sd - exactSD) <= 4 * mcseSD,
                "\(sampler) \(posterior): sd \(sd) vs exact \(exactSD) (\((sd - exactSD) / mcseSD) MCSE)")
        #expect(rhat < 1.01, "\(sampler) \(posterior): R-hat \(rhat)")
        #expect(doc["sampler"]?.stringValue == sampler)
        #expect(doc["chains"]?.doubleValue == 4)
        #expect(doc["draws"]?.doubleValue == 1000)
        #expect(doc["seed"]?.doubleValue == 20_240_611)
        if sampler != "metropolis" { #expect(doc["divergences"]?.doubleValue == 0) }
    }
}
