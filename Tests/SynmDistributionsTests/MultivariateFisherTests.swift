// Expected Fisher information of the multivariate families, per observation, as the Monte
// Carlo mean of score outer products (scores from MultivariateKernels' analytic partials,
// draws from their samplers) against closed forms: multi_normal's mean part Σ⁻¹,
// multi_student_t's mean part (ν + K)/(ν + K + 2)·Σ⁻¹ (Lange, Little & Taylor 1989, JASA
// 84:881–896, §4), and dirichlet's diag ψ′(α_k) − ψ′(Σα)·11ᵀ. Each entry within 4.5 MCSE.
import Foundation
import SynmMath
import Testing
@testable import SynmDistributions

@Suite("Expected Fisher information, multivariate")
struct MultivariateFisherTests {
    static let draws = 20_000
    static let sigma: [Double] = [2.0, 0.6, 0.6, 1.0]
    /// Σ⁻¹ of `sigma`: [[1, −0.6], [−0.6, 2]] / (2 − 0.36).
    static let precision: [Double] = [1.0, -0.6, -0.6, 2.0].map { $0 / 1.64 }

    /// Mean of the outer products of `score()` against `expected` (k × k, row-major).
    func expectInformation(_ k: Int, _ expected: [Double], _ label: String, _ score: () -> [Double]) {
        var sum = [Double](repeating: 0, count: k * k), sumSq = sum
        let n = Double(Self.draws)
        for _ in 0..<Self.draws {
            let s = score()
            for i in 0..<k {
                for j in 0..<k {
                    sum[i * k + j] += s[i] * s[j]
                    sumSq[i * k + j] += s[i] * s[j] * s[i] * s[j]
                }
            }
        }
        for e in 0..<(k * k) {
            let mean = sum[e] / n
            let mcse = (max(0, (sumSq[e] / n - mean * mean) * n / (n - 1)) / n).squareRoot()
            #expect(abs(mean - expected[e]) <= 4.5 * mcse, "\(label) I[\(e / k)][\(e % k)]: \(mean) vs \(expected[e]) (mcse \(mcse))")
        }
    }

    @Test func multiNormalMean() {
        var rng = Xoshiro256StarStar(seed: 2026, stream: 1)
        let mu = [0.5, -1.0]
        let l = MultivariateKernels.cholesky(Self.sigma, 2)!
        expectInformation(2, Self.precision, "multi_normal") {
            let y = Samplers.multiNormal(mu: mu[...], cholesky: l, nu: nil, &rng)
            return MultivariateKernels.locationScale(.multiNormal, y: y, rows: 1, k: 2, nu: 0, mu: mu, matrix: Self.sigma)!
                .partials.mu
        }
    }

    @Test func multiStudentTMean() {
        var rng = Xoshiro256StarStar(seed: 2026, stream: 2)
        let mu = [0.5, -1.0], nu = 5.0
        let l = MultivariateKernels.cholesky(Self.sigma, 2)!
        expectInformation(2, Self.precision.map { $0 * (nu + 2) / (nu + 4) }, "multi_student_t") {
            let y = Samplers.multiNormal(mu: mu[...], cholesky: l, nu: nu, &rng)
            return MultivariateKernels.locationScale(.multiStudentT, y: y, rows: 1, k: 2, nu: nu, mu: mu, matrix: Self.sigma)!
                .partials.mu
        }
    }

    @Test func dirichletAlpha() {
        var rng = Xoshiro256StarStar(seed: 2026, stream: 3)
        let alpha = [1.5, 2.0, 4.0]
        let t0 = trigamma(alpha.reduce(0, +))
        var expected = [Double](repeating: -t0, count: 9)
        for k in 0..<3 { expected[k * 4] += trigamma(alpha[k]) }
        expectInformation(3, expected, "dirichlet") {
            let theta = Samplers.dirichlet(alpha[...], &rng)
            return MultivariateKernels.dirichlet(theta: theta, rows: 1, k: 3, alpha: alpha).alpha
        }
    }
}
