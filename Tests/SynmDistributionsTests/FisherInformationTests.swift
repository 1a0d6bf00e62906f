// Expected Fisher information as the Monte Carlo mean of score outer products, the score
// taken from the analytic partials, against their closed forms.
import Foundation
import SynmMath
import Testing
@testable import SynmDistributions

/// A distribution at a parameter point, the argument slots differentiated, and the
/// closed-form per-observation information matrix over those slots.
struct FisherCase: Sendable, CustomStringConvertible {
    let d: Distribution
    let args: [Double]
    let slots: [Int]
    let information: [[Double]]
    var description: String { "\(d.name)\(args)" }
}

let fisherCases: [FisherCase] = {
    let s = 1.5, nu = 5.0, a = 2.5, b = 1.5, th = 0.3
    return [
        .init(d: .normal, args: [0.5, s], slots: [0, 1], information: [[1 / (s * s), 0], [0, 2 / (s * s)]]),
        .init(d: .lognormal, args: [0.2, s], slots: [0, 1], information: [[1 / (s * s), 0], [0, 2 / (s * s)]]),
        .init(d: .studentT, args: [nu, -1, s], slots: [1, 2], information: [
            [(nu + 1) / ((nu + 3) * s * s), 0], [0, 2 * nu / ((nu + 3) * s * s)]]),
        .init(d: .cauchy, args: [1, s], slots: [0, 1], information: [[1 / (2 * s * s), 0], [0, 1 / (2 * s * s)]]),
        .init(d: .logistic, args: [0, s], slots: [0, 1], information: [
            [1 / (3 * s * s), 0], [0, (Double.pi * Double.pi + 3) / (9 * s * s)]]),
        .init(d: .doubleExponential, args: [0, s], slots: [0, 1], information: [[1 / (s * s), 0], [0, 1 / (s * s)]]),
        .init(d: .exponential, args: [2], slots: [0], information: [[0.25]]),
        .init(d: .gamma, args: [a, b], slots: [0, 1], information: [
            [trigamma(a), -1 / b], [-1 / b, a / (b * b)]]),
        .init(d: .beta, args: [a, b], slots: [0, 1], information: [
            [trigamma(a) - trigamma(a + b), -trigamma(a + b)],
            [-trigamma(a + b), trigamma(b) - trigamma(a + b)]]),
        .init(d: .bernoulli, args: [th], slots: [0], information: [[1 / (th * (1 - th))]]),
        .init(d: .binomial, args: [10, th], slots: [1], information: [[10 / (th * (1 - th))]]),
        .init(d: .poisson, args: [3.5], slots: [0], information: [[1 / 3.5]]),
        .init(d: .negBinomial2, args: [4, 2.5], slots: [0], information: [[2.5 / (4 * 6.5)]]),
        // The families added with Stan's full set. Closed forms: score variances derived in
        // the comments; gumbel's matrix (1/β²)[[1, −(1 − γ)], [−(1 − γ), π²/6 + (1 − γ)²]]
        // also checked by scipy.integrate.quad of the score products (agree to 1e-15).
        .init(d: .rayleigh, args: [1.3], slots: [0], information: [[4 / (1.3 * 1.3)]]),
        // von Mises: κ·A(κ) for μ, A′(κ) = 1 − A/κ − A² for κ; A(2) = I₁/I₀ from scipy special.ive.
        .init(d: .vonMises, args: [0.3, 2], slots: [0, 1], information: [
            [2 * 0.6977746579640081, 0], [0, 1 - 0.6977746579640081 / 2 - 0.6977746579640081 * 0.6977746579640081]]),
        .init(d: .pareto, args: [1.5, 3], slots: [1], information: [[1.0 / 9]]),
        .init(d: .chiSquare, args: [5], slots: [0], information: [[trigamma(2.5) / 4]]),
        .init(d: .invChiSquare, args: [5], slots: [0], information: [[trigamma(2.5) / 4]]),
        // ∂/∂s = ν/s − νs/y with 1/y ~ gamma(ν/2, rate νs²/2): Var = 2ν/s².
        .init(d: .scaledInvChiSquare, args: [6, 1.4], slots: [1], information: [[2 * 6 / (1.4 * 1.4)]]),
        // ∂/∂β = α/β − (α + y)/(1 + β): Var(y)/(1 + β)² = α/(β²(1 + β)).
        .init(d: .negBinomial, args: [3, 0.5], slots: [1], information: [[3 / (0.25 * 1.5)]]),
        .init(d: .gumbel, args: [0.5, 1.7], slots: [0, 1], information: [
            [0.34602076124567477, -0.14629215747351806], [-0.14629215747351806, 0.6310313705373285]]),
    ]
}()

@Suite("Expected Fisher information")
struct FisherInformationTests {
    static let draws = 20_000

    /// Each entry of E[s sᵀ] within 4.5 MCSE (from the sample sd of sᵢsⱼ) plus 1e-12
    /// relative, for entries such as the laplace location score² = 1/b² that are constant.
    @Test("Monte Carlo mean of score outer products matches §3.8", arguments: fisherCases)
    func information(_ c: FisherCase) {
        var rng = Xoshiro256StarStar(seed: 2024, stream: UInt64(fisherCases.firstIndex { $0.description == c.description }!))
        let k = c.slots.count
        var sum = [Double](repeating: 0, count: k * k), sumSq = sum
        let n = Double(Self.draws)
        for _ in 0..<Self.draws {
            let y = Distribution.sample(c.d, args: c.args, rng: &rng)
            let (_, p) = evaluate(c.d, y, c.args)
            for i in 0..<k {
                for j in i..<k {
                    let v = p.argument(c.slots[i]) * p.argument(c.slots[j])
                    sum[i * k + j] += v
                    sumSq[i * k + j] += v * v
                }
            }
        }
        for i in 0..<k {
            for j in i..<k {
                let mean = sum[i * k + j] / n
                let variance = max(0, (sumSq[i * k + j] / n - mean * mean) * n / (n - 1))
                let mcse = (variance / n).squareRoot()
                let want = c.information[i][j]
                #expect(abs(mean - want) <= 4.5 * mcse + 1e-12 * abs(want),
                        "\(c) I[\(i)][\(j)]: \(mean) vs \(want) (mcse \(mcse))")
            }
        }
    }
}
