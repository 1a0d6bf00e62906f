// Samplers against closed-form moments: mean and variance within 4.5 MCSE over 5e4 draws;
// heavy-tailed cases (cauchy, student_t with ν = 2) by quantiles instead.
import Foundation
import SynmMath
import Testing
@testable import SynmDistributions

/// A sampler case with its closed-form mean and variance.
struct MomentCase: Sendable, CustomStringConvertible {
    let d: Distribution
    let args: [Double]
    let mean: Double
    let variance: Double
    var description: String { "\(d.name)\(args)" }
}

private func gammaFn(_ x: Double) -> Double { Foundation.tgamma(x) }

let momentCases: [MomentCase] = [
    .init(d: .normal, args: [1.5, 2], mean: 1.5, variance: 4),
    .init(d: .studentT, args: [10, -1, 3], mean: -1, variance: 9 * 10.0 / 8),
    .init(d: .doubleExponential, args: [2, 0.7], mean: 2, variance: 2 * 0.49),
    .init(d: .logistic, args: [-1, 1.3], mean: -1, variance: 1.69 * Double.pi * Double.pi / 3),
    .init(d: .lognormal, args: [0.3, 0.5], mean: exp(0.3 + 0.125),
          variance: (exp(0.25) - 1) * exp(0.6 + 0.25)),
    .init(d: .exponential, args: [2.5], mean: 0.4, variance: 0.16),
    .init(d: .gamma, args: [0.3, 2], mean: 0.15, variance: 0.075),
    .init(d: .gamma, args: [2.5, 0.5], mean: 5, variance: 10),
    .init(d: .gamma, args: [50, 4], mean: 12.5, variance: 50.0 / 16),
    .init(d: .invGamma, args: [10, 3], mean: 3.0 / 9, variance: 9.0 / (81 * 8)),
    .init(d: .weibull, args: [1.7, 2], mean: 2 * gammaFn(1 + 1 / 1.7),
          variance: 4 * (gammaFn(1 + 2 / 1.7) - pow(gammaFn(1 + 1 / 1.7), 2))),
    .init(d: .beta, args: [2, 3], mean: 0.4, variance: 6.0 / (25 * 6)),
    .init(d: .beta, args: [0.2, 0.5], mean: 0.2 / 0.7, variance: 0.1 / (0.49 * 1.7)),
    .init(d: .beta, args: [0.02, 0.03], mean: 0.4, variance: 0.0006 / (0.0025 * 1.05)),
    .init(d: .uniform, args: [-2, 5], mean: 1.5, variance: 49.0 / 12),
    .init(d: .bernoulli, args: [0.3], mean: 0.3, variance: 0.21),
    .init(d: .bernoulliLogit, args: [-1.2], mean: invLogit(-1.2),
          variance: invLogit(-1.2) * invLogit(1.2)),
    .init(d: .binomial, args: [20, 0.3], mean: 6, variance: 4.2),
    .init(d: .binomial, args: [1000, 0.4], mean: 400, variance: 240),
    .init(d: .binomial, args: [1e6, 0.7], mean: 7e5, variance: 2.1e5),
    .init(d: .binomialLogit, args: [50, 0.8], mean: 50 * invLogit(0.8),
          variance: 50 * invLogit(0.8) * invLogit(-0.8)),
    .init(d: .poisson, args: [0.5], mean: 0.5, variance: 0.5),
    .init(d: .poisson, args: [5], mean: 5, variance: 5),
    .init(d: .poisson, args: [50], mean: 50, variance: 50),
    .init(d: .poisson, args: [5000], mean: 5000, variance: 5000),
    .init(d: .poissonLog, args: [1.1], mean: exp(1.1), variance: exp(1.1)),
    .init(d: .negBinomial2, args: [4, 2.5], mean: 4, variance: 4 + 16 / 2.5),
    .init(d: .negBinomial2, args: [30, 200], mean: 30, variance: 30 + 900.0 / 200),
    // Closed forms: Stan Functions Reference / standard tables (Johnson, Kotz & Balakrishnan).
    .init(d: .betaBinomial, args: [20, 2, 3], mean: 8, variance: 20.0 * 6 * 25 / (25 * 6)),
    .init(d: .negBinomial, args: [3, 0.5], mean: 6, variance: 3 / 0.25 * 1.5),
    .init(d: .skewNormal, args: [1, 2, 3], mean: 1 + 2 * (3 / 10.0.squareRoot()) * (2 / Double.pi).squareRoot(),
          variance: 4 * (1 - 2 * 0.9 / Double.pi)),
    .init(d: .gumbel, args: [1, 2], mean: 1 + 2 * 0.577_215_664_901_532_9, variance: Double.pi * Double.pi * 4 / 6),
    .init(d: .pareto, args: [1.5, 9], mean: 1.5 * 9 / 8, variance: 2.25 * 9 / (64 * 7)),
    .init(d: .scaledInvChiSquare, args: [12, 1.5], mean: 12 * 2.25 / 10, variance: 2 * 144 * 5.0625 / (100 * 8)),
    .init(d: .chiSquare, args: [3], mean: 3, variance: 6),
    .init(d: .chiSquare, args: [0.4], mean: 0.4, variance: 0.8),
    .init(d: .invChiSquare, args: [12], mean: 0.1, variance: 2.0 / (100 * 8)),
    .init(d: .frechet, args: [10, 2], mean: 2 * gammaFn(0.9), variance: 4 * (gammaFn(0.8) - gammaFn(0.9) * gammaFn(0.9))),
    .init(d: .stdNormal, args: [], mean: 0, variance: 1),
    .init(d: .betaProportion, args: [0.3, 10], mean: 0.3, variance: 0.21 / 11),
    .init(d: .rayleigh, args: [1.5], mean: 1.5 * (Double.pi / 2).squareRoot(), variance: (4 - Double.pi) / 2 * 2.25),
]

@Suite("Sampler moments")
struct SamplingMomentTests {
    static let draws = 50_000

    /// |x̄ − μ| ≤ 4.5·√(σ²/N) and |s² − σ²| ≤ 4.5·√((m₄ − σ⁴)/N), σ² closed form and m₄ the
    /// sample fourth central moment (the delta-method variance of s²).
    @Test("mean and variance within 4.5 MCSE", arguments: momentCases)
    func moments(_ c: MomentCase) {
        var rng = Xoshiro256StarStar(seed: 7, stream: UInt64(momentCases.firstIndex { $0.description == c.description }!))
        let n = Self.draws
        let xs = (0..<n).map { _ in Distribution.sample(c.d, args: c.args, rng: &rng) }
        let m = SynmDistributionsTests.moments(xs)
        let mcseMean = (c.variance / Double(n)).squareRoot()
        let mcseVar = ((m.m4 - c.variance * c.variance) / Double(n)).squareRoot()
        #expect(abs(m.mean - c.mean) <= 4.5 * mcseMean, "\(c): mean \(m.mean) vs \(c.mean)")
        #expect(abs(m.variance - c.variance) <= 4.5 * mcseVar,
                "\(c): variance \(m.variance) vs \(c.variance)")
        if c.d.isDiscrete { #expect(xs.allSatisfy { $0 == $0.rounded() && $0 >= 0 }) }
    }

    /// For heavy tails, the ECDF at exact quantiles q_p: #{x ≤ q_p}/N is binomial with
    /// standard error √(p(1 − p)/N).
    @Test("heavy tails: ECDF at exact quantiles within 4.5 MCSE")
    func heavyTailQuantiles() {
        let ps = [0.05, 0.25, 0.5, 0.75, 0.95]
        let cases: [(Distribution, [Double], (Double) -> Double)] = [
            (.cauchy, [1, 2], { p in 1 + 2 * tan(Double.pi * (p - 0.5)) }),
            // student_t with ν = 2 has F⁻¹(p) = (2p − 1)/√(2p(1 − p)).
            (.studentT, [2, 0.5, 1.5], { p in 0.5 + 1.5 * (2 * p - 1) / (2 * p * (1 - p)).squareRoot() }),
        ]
        for (k, (d, args, quantile)) in cases.enumerated() {
            var rng = Xoshiro256StarStar(seed: 11, stream: UInt64(k))
            let n = Self.draws
            let xs = (0..<n).map { _ in Distribution.sample(d, args: args, rng: &rng) }
            for p in ps {
                let q = quantile(p)
                let frac = Double(xs.lazy.filter { $0 <= q }.count) / Double(n)
                let mcse = (p * (1 - p) / Double(n)).squareRoot()
                #expect(abs(frac - p) <= 4.5 * mcse, "\(d.name)\(args) at p = \(p): \(frac)")
            }
        }
    }

    /// von_mises(μ, κ) draws lie in [μ − π, μ + π]; E cos(y − μ) = A(κ) = I₁(κ)/I₀(κ),
    /// E sin(y − μ) = 0 and E cos²(y − μ) = (1 + I₂(κ)/I₀(κ))/2 (Mardia & Jupp 2000, §3.5.4),
    /// each within 4.5 MCSE (sample SDs). Bessel ratios from scipy 1.17.1 (special.ive).
    @Test("von_mises: circular moments within 4.5 MCSE", arguments: [
        (0.5, 2.0, 0.6977746579640081, 0.302225342035992),  // (μ, κ, I₁/I₀, I₂/I₀)
        (-2.0, 0.3, 0.14833742694087532, 0.011083820394164922),
        (1.0, 40.0, 0.9874198413363505, 0.9506290079331823),
    ])
    func vonMisesMoments(_ mu: Double, _ kappa: Double, _ a1: Double, _ a2: Double) {
        var rng = Xoshiro256StarStar(seed: 17, stream: UInt64(kappa * 10))
        let n = Self.draws
        let xs = (0..<n).map { _ in Distribution.sample(.vonMises, args: [mu, kappa], rng: &rng) }
        #expect(xs.allSatisfy { $0 >= mu - Double.pi && $0 <= mu + Double.pi })
        let c = xs.map { cos($0 - mu) }, s = xs.map { sin($0 - mu) }, c2 = c.map { $0 * $0 }
        for (values, expected, what) in [(c, a1, "cos"), (s, 0, "sin"), (c2, (1 + a2) / 2, "cos²")] {
            let m = SynmDistributionsTests.moments(values)
            #expect(abs(m.mean - expected) <= 4.5 * (m.variance / Double(n)).squareRoot(),
                    "von_mises(\(mu), \(kappa)) E \(what) = \(m.mean), expected \(expected)")
        }
    }

    @Test("samplers are deterministic given the generator")
    func deterministic() {
        for d in Distribution.allCases {
            var r1 = Xoshiro256StarStar(seed: 3)
            var r2 = Xoshiro256StarStar(seed: 3)
            var rng = Xoshiro256StarStar(seed: 99)
            let (_, args) = randomPoint(d, &rng)
            let a = (0..<50).map { _ in Distribution.sample(d, args: args, rng: &r1) }
            let b = (0..<50).map { _ in Distribution.sample(d, args: args, rng: &r2) }
            #expect(a == b, "\(d.name)")
        }
    }

    @Test("tiny beta shapes stay in [0, 1] and tiny gamma shapes give finite logs")
    func smallShapes() {
        var rng = Xoshiro256StarStar(seed: 5)
        for _ in 0..<2000 {
            let x = Samplers.beta(1e-3, 2e-3, &rng)
            #expect(x >= 0 && x <= 1)
            #expect(Samplers.logGamma(shape: 1e-3, &rng).isFinite)
        }
    }
}
