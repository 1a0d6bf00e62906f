// Tests for mean, variance, type-7 quantiles and average ranks against numpy/scipy.
import Testing
@testable import SynmMath

@Suite("Statistics")
struct StatisticsTests {
    @Test func meanAndVarianceMatchNumpy() {
        expectClose(mean(Reference.sample), Reference.sampleMean, rel: 1e-15)
        expectClose(variance(Reference.sample), Reference.sampleVariance, rel: 1e-14)
        expectClose(standardDeviation(Reference.sample), Reference.sampleVariance.squareRoot(), rel: 1e-14)
    }

    /// A large common offset must not destroy the variance (naive Σx² − n·x̄² gives 0 here).
    @Test func offsetStability() {
        let xs = [1e9 + 1, 1e9 + 2, 1e9 + 3]
        #expect(mean(xs) == 1e9 + 2)
        #expect(variance(xs) == 1)
    }

    @Test func quantilesMatchNumpy() {
        for (p, expected) in zip(Reference.quantileProbabilities, Reference.sampleQuantiles) {
            expectClose(quantile(Reference.sample, p), expected, rel: 1e-15, "quantile \(p)")
        }
        let all = quantiles(Reference.sample, Reference.quantileProbabilities)
        #expect(all == Reference.quantileProbabilities.map { quantile(Reference.sample, $0) })
    }

    /// Type 7 by hand: [1, 2, 3, 4] at p = 0.5 → h = 1.5 → 2.5; at p = 0.1 → h = 0.3 → 1.3.
    @Test func quantileByHand() {
        #expect(quantile([4, 1, 3, 2], 0.5) == 2.5)
        expectClose(quantile([4, 1, 3, 2], 0.1), 1.3, rel: 1e-15)
        #expect(quantile([7], 0.3) == 7)
        #expect(quantile(sorted: [1, 2], 1) == 2)
    }

    @Test func ranksMatchScipy() {
        #expect(ranks(Reference.sample) == Reference.sampleRanks)
        #expect(ranks([3, 1, 2]) == [3, 1, 2])
        #expect(ranks([5, 5, 5, 5]) == [2.5, 2.5, 2.5, 2.5])
        #expect(ranks([0.0, -0.0, 1]) == [1.5, 1.5, 3])
        #expect(ranks([2, .nan, 1]) == [2, 3, 1])
        #expect(ranks([]) == [])
    }

    @Test func edges() {
        #expect(mean([]).isNaN)
        #expect(variance([1]).isNaN)
        #expect(quantile([], 0.5).isNaN)
        #expect(quantile([1, 2], -0.1).isNaN)
        #expect(quantile([1, 2], 1.1).isNaN)
        #expect(quantile([1, .nan], 0.5).isNaN)
        let withNaN = quantiles([1, .nan], [0.1, 0.9])
        #expect(withNaN.count == 2 && withNaN[0].isNaN && withNaN[1].isNaN)
    }
}

/// Values near the largest double: sums and squares would overflow; the statistics of
/// x·2¹⁰⁰⁰ are exactly those of x times 2¹⁰⁰⁰ (power-of-two scaling is exact).
@Suite struct StatisticsOverflowTests {
    @Test func hugeValuesKeepTheirMeanAndSpread() {
        var rng = Xoshiro256StarStar(seed: 3, stream: 0)
        let xs = (0..<1000).map { _ in 1 + 0.1 * (rng.uniform01() - 0.5) }
        let big = xs.map { $0 * 0x1p1020 }
        #expect(mean(big) == mean(xs) * 0x1p1020)
        #expect(standardDeviation(big) == standardDeviation(xs) * 0x1p1020)
        #expect(mean(big).isFinite && standardDeviation(big).isFinite)
        // Opposite signs near the limit: x − x̄ would overflow.
        let wide = [1.5e308, -1.5e308, 1.5e308, -1.5e308]
        #expect(mean(wide) == 0)
        #expect(standardDeviation(wide).isFinite)
    }
}
