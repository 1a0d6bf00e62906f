// NUTS-specific behaviour: efficiency on a 100-D standard normal (no divergences, bulk ESS
// per draw near 1, a sensible tree depth), divergences reported on Neal's funnel, the accept
// statistic's definition, and static HMC's step count rule.

import Foundation
import SynmMath
import Testing
@testable import SynmInference

@Test func nutsOn100DStandardNormalIsEfficient() throws {
    let d = 100
    let model = GaussianTarget(mean: [Double](repeating: 0, count: d), scales: [Double](repeating: 1, count: d))
    #if DEBUG
    let config = SamplerConfiguration(warmup: 300, draws: 500, chains: 2, seed: 31)
    #else
    let config = SamplerConfiguration(warmup: 1000, draws: 1000, chains: 4, seed: 31)
    #endif
    let result = try sample(model, configuration: config)
    let stats = result.chains.flatMap(\.stats)
    #expect(stats.allSatisfy { !$0.divergent })
    let n = Double(stats.count)
    var worst = Double.infinity
    for i in 0..<d {
        let ess = independentESS(result.chains.map { $0.draws.map { $0[i] } })
        worst = min(worst, ess / n)
    }
    #expect(worst >= 0.5, "smallest ESS per draw \(worst)")
    let meanDepth = SynmMath.mean(stats.map { Double($0.treeDepth) })
    #expect(meanDepth >= 2 && meanDepth <= 5, "mean tree depth \(meanDepth)")
    // n_leapfrog is 2^depth − 1 … 2^(depth+1) − 1 for an accepted depth (rejected subtree included).
    #expect(stats.allSatisfy { $0.nLeapfrog >= (1 << $0.treeDepth) - 1 && $0.nLeapfrog <= (1 << ($0.treeDepth + 1)) - 1 })
    for chain in result.chains {
        #expect(chain.stepSize > 0.2 && chain.stepSize < 1.5)
        // Each entry is a regularised variance estimate from ≥ 100 draws of a unit variance.
        #expect(chain.inverseMetric.allSatisfy { $0 > 0.4 && $0 < 1.8 })
    }
}

@Test func nutsReportsDivergencesOnFunnel() throws {
    let config = SamplerConfiguration(warmup: 300, draws: 500, chains: 2, seed: 32)
    let result = try sample(Funnel(dimension: 10), configuration: config)
    let divergent = result.chains.flatMap(\.stats).filter(\.divergent)
    #expect(divergent.count > 0)
    // A divergent transition still reports a finite energy for the state it kept.
    #expect(divergent.allSatisfy { $0.energy.isFinite && $0.lp.isFinite })
}

@Test func nutsAcceptStatAndEnergyMatchTheirDefinitions() {
    // With ε = 10⁻³ a trajectory of ≤ 7 steps cannot U-turn, so it runs to max depth 3 with
    // 1 + 2 + 4 = 7 leapfrog steps; every state has H ≈ H₀, so accept_stat ≈ 1; energy__ =
    // −lp + K(p) ≥ −lp.
    var model = GaussianTarget(mean: [0, 0], scales: [1, 1])
    var rng = Xoshiro256StarStar(seed: 4)
    let kernel = NUTS(stepSize: 1e-3, metric: .unit(2), maxDepth: 3)
    let state = HMCState(position: [0.5, -0.5], model: &model)
    let (next, info) = kernel.step(state, model: &model, rng: &rng)
    #expect(info.treeDepth == 3 && info.nLeapfrog == 7)
    #expect(info.acceptStat > 0.999 && info.acceptStat <= 1)
    #expect(info.energy >= -info.logDensity)
    #expect(next.logDensity == info.logDensity)
}

@Test func staticHMCStepCountTruncatesLikeStan() {
    let metric = Metric.unit(1)
    #expect(StaticHMC(stepSize: 0.3, metric: metric).stepCount == 20)   // ⌊2π/0.3⌋ = ⌊20.94⌋
    #expect(StaticHMC(stepSize: 7, metric: metric).stepCount == 1)      // at least one step
    #expect(StaticHMC(stepSize: 0.5, metric: metric, integrationTime: 1).stepCount == 2)
}

/// An integration time far beyond the step size takes the cap, not for ever (2^maxDepth from
/// the configuration; 1024 by default).
@Test func staticHMCStepCountIsCapped() {
    let metric = Metric.unit(1)
    #expect(StaticHMC(stepSize: 0.1, metric: metric, integrationTime: 1e300).stepCount == 1024)
    #expect(StaticHMC(stepSize: 1e-300, metric: metric, integrationTime: 1e300).stepCount == 1024)
    #expect(StaticHMC(stepSize: 0.1, metric: metric, integrationTime: 1e300, maxSteps: 8).stepCount == 8)
    var c = SamplerConfiguration()
    c.maxDepth = 12
    #expect(c.maxStaticSteps == 4096)
    c.maxDepth = 1_000_000
    #expect(c.maxStaticSteps == 1 << 30)
}
