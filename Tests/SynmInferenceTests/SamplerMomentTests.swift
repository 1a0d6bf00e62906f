// Each sampler recovers known posterior means and variances within 4·MCSE (STYLE habit 6):
// a 1-D normal, a correlated 2-D Gaussian, a 10-D Gaussian with scales over two orders of
// magnitude, and a beta–bernoulli posterior sampled on the logit scale.

import Foundation
import SynmMath
import Testing
@testable import SynmInference

/// The run used by every moment test: 4 chains, 500 warmup, 1000 draws (Metropolis: 2500 and
/// 5000, since a random walk in 10-D needs about 25 times more draws for the same MCSE).
private func configuration(_ kind: SamplerKind, seed: UInt64) -> SamplerConfiguration {
    var c = SamplerConfiguration(sampler: kind, warmup: 500, draws: 1000, chains: 4, seed: seed)
    if kind == .metropolis {
        c.warmup = 2500
        c.draws = 5000
    }
    // Static HMC with T = 2π on an adapted, nearly standard Gaussian returns close to its start
    // (a full period); T = 1.7 avoids that resonance in these tests.
    if kind == .hmc { c.integrationTime = 1.7 }
    return c
}

@Test(arguments: SamplerKind.allCases.filter { $0 != .fixedParam })  // fixed_param does not sample
func normal1D(_ kind: SamplerKind) throws {
    let result = try sample(GaussianTarget(mean: [3], scales: [2]), configuration: configuration(kind, seed: 21))
    expectMoments(result, mean: 3, variance: 4) { $0[0] }
}

@Test(arguments: SamplerKind.allCases.filter { $0 != .fixedParam })  // fixed_param does not sample
func correlated2D(_ kind: SamplerKind) throws {
    // σ = (1, 2), ρ = 0.9.
    let model = GaussianTarget(mean: [1, -1], covariance: [1, 1.8, 1.8, 4])
    var config = configuration(kind, seed: 22)
    config.denseMetric = kind == .metropolis
    let result = try sample(model, configuration: config)
    expectMoments(result, mean: 1, variance: 1) { $0[0] }
    expectMoments(result, mean: -1, variance: 4) { $0[1] }
    // The covariance, through E[x₀x₁] = σ₀₁ + μ₀μ₁ = 1.8 − 1.
    // Var(x₀x₁) = σ₀²σ₁² + σ₀₁² + μ₀²σ₁² + μ₁²σ₀² + 2μ₀μ₁σ₀₁ = 4 + 3.24 + 4 + 1 − 3.6.
    expectMoments(result, mean: 1.8 - 1, variance: 4 + 3.24 + 4 + 1 - 3.6) { $0[0] * $0[1] }
}

@Test(arguments: SamplerKind.allCases.filter { $0 != .fixedParam })  // fixed_param does not sample
func spreadScales10D(_ kind: SamplerKind) throws {
    let scales = (0..<10).map { pow(10, -1 + 2 * Double($0) / 9) }  // 0.1 … 10
    let means = (0..<10).map { Double($0) - 4.5 }
    let result = try sample(GaussianTarget(mean: means, scales: scales), configuration: configuration(kind, seed: 23))
    for i in 0..<10 {
        expectMoments(result, mean: means[i], variance: scales[i] * scales[i]) { $0[i] }
    }
}

@Test(arguments: SamplerKind.allCases.filter { $0 != .fixedParam })  // fixed_param does not sample
func betaBernoulliOnLogitScale(_ kind: SamplerKind) throws {
    // Beta(1, 1) prior, 7 successes in 20 trials: posterior Beta(8, 14).
    let model = BetaBernoulliLogit(alpha: 1 + 7, beta: 1 + 13)
    let result = try sample(model, configuration: configuration(kind, seed: 24))
    expectMoments(result, mean: model.posteriorMean, variance: model.posteriorVariance) { 1 / (1 + exp(-$0[0])) }
}
