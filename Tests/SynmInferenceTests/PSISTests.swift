// Pareto smoothed importance sampling (Sources/SynmInference/LOO): the tail length, the
// Zhang–Stephens fit on exact generalized Pareto quantiles, and the smoothed weights. The
// comparison with ArviZ on a fixed matrix is in SynmDriverTests/LooCommandTests.
import Foundation
import Testing
@testable import SynmInference

@Suite struct PSISTests {
    @Test func tailLength() {
        #expect(paretoTailLength(draws: 1000) == 95)          // ⌈3√1000⌉ = ⌈94.87⌉
        #expect(paretoTailLength(draws: 100) == 20)           // 0.2·100 < 3√100
        #expect(paretoTailLength(draws: 1000, relativeEfficiency: 0.25) == 190)
    }

    /// The (j − ½)/n quantiles of a generalized Pareto(k, σ = 2): the estimate is within one
    /// asymptotic SD of a random sample's, (1 + k)/√n, of the prior-shrunk truth
    /// (n k + 5)/(n + 10), and σ̂ within the same relative error.
    @Test(arguments: [0.2, 0.7, 1.2])
    func zhangStephensRecoversTheShape(k: Double) {
        let n = 1000
        let x = (0..<n).map { generalizedParetoQuantile((Double($0) + 0.5) / Double(n), k: k, sigma: 2) }
        let fit = generalizedParetoFit(sorted: x)
        let tolerance = (1 + k) / Double(n).squareRoot()
        #expect(abs(fit.k - (Double(n) * k + 5) / Double(n + 10)) <= tolerance, "k \(k): \(fit.k)")
        #expect(abs(fit.sigma / 2 - 1) <= tolerance, "k \(k): σ \(fit.sigma)")
    }

    /// Normalised weights, a smoothed tail no heavier than the raw ratios' maximum, the body
    /// left as it was (relative to each other), and k̂ = ∞ when the tail is too short.
    @Test func smoothedWeights() {
        let s = 400
        let ratios: [Double] = (0..<s).map { (i: Int) -> Double in
            let wave: Double = 2 * Foundation.sin(Double(i) * 1.7)
            return wave + Double(i % 7) * 0.3
        }
        let w = paretoSmooth(logRatios: ratios)
        #expect(w.tailLength == 60)
        #expect(abs(w.logWeights.map(Foundation.exp).reduce(0, +) - 1) <= 1e-12)
        let shift = w.logWeights[0] - ratios[0]
        let order = ratios.indices.sorted { ratios[$0] < ratios[$1] }
        for i in order.prefix(s - 61) { #expect(abs(w.logWeights[i] - ratios[i] - shift) <= 1e-12) }
        #expect(w.logWeights.max()! <= ratios.max()! + shift + 1e-12)
        #expect(w.k.isFinite && w.effectiveSampleSize > 0 && w.effectiveSampleSize <= Double(s))
        #expect(paretoSmooth(logRatios: [0.1, 0.5, 0.2, 0.9]).k == .infinity)
    }
}
