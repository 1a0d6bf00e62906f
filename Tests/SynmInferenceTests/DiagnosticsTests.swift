// Behaviour of the diagnostics that the reference vectors do not pin: the odd-length split,
// Blom ranks, FFT autocovariances, NaN rules, E-BFMI, and the summary's speed.
import Foundation
import SynmMath
import Testing
@testable import SynmInference

/// `chains` AR(1) chains of `n` draws, x_t = φ x_{t−1} + ε_t, seeded.
func ar1Chains(chains: Int, draws n: Int, phi: Double, seed: UInt64) -> [[Double]] {
    var rng = Xoshiro256StarStar(seed: seed)
    func normal() -> Double {
        let u = rng.uniform01(), v = rng.uniform01()
        return (-2 * Foundation.log(1 - u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
    }
    return (0..<chains).map { _ in
        var x = normal() / (1 - phi * phi).squareRoot()
        return (0..<n).map { _ in
            x = phi * x + normal()
            return x
        }
    }
}

@Suite struct DiagnosticsTests {
    @Test func oddLengthSplitDropsTheLastDraw() {
        #expect(splitChains([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]) == [[1, 2], [3, 4], [6, 7], [8, 9]])
        #expect(splitChains([[1, 2, 3, 4]]) == [[1, 2], [3, 4]])
    }

    @Test func unequalChainsAreTruncatedToTheShortest() {
        #expect(splitChains([[1, 2, 3, 4, 5, 6], [7, 8, 9, 10]]) == [[1, 2], [3, 4], [7, 8], [9, 10]])
    }

    @Test func rankNormalisationUsesBlomOffsetAndAverageTies() {
        let z = rankNormalized([[10, 20], [20, 30]])
        // S = 4; ranks 1, 2.5, 2.5, 4 → Φ⁻¹((r − 0.375)/4.25).
        let expected = [[1.0, 2.5], [2.5, 4.0]].map { $0.map { normalQuantile(($0 - 0.375) / 4.25) } }
        #expect(z == expected)
    }

    @Test func basicRHatByHand() {
        // Means 2 and 5, within variances 1 and 1, N = 3: B = 3·4.5 = 13.5, W = 1,
        // var⁺ = (2/3)·1 + 13.5/3 = 5.1667, R̂ = √5.1667.
        let r = basicRHat(chains: [[1, 2, 3], [4, 5, 6]])
        #expect(Swift.abs(r - (2.0 / 3 + 4.5).squareRoot()) < 1e-14)
    }

    @Test func fftAutocovariancesEqualDirectSums() {
        let chains = ar1Chains(chains: 3, draws: 257, phi: 0.8, seed: 7)
        var direct = Autocovariances(DrawMatrix(chains))
        let table = direct.fftTable()
        for t in [0, 1, 2, 17, 64] {
            #expect(Swift.abs(direct.mean(lag: t) - table[t]) < 1e-12 * Swift.abs(table[0]))
        }
        var re: [Double] = [1, 2, 3, 4], im: [Double] = [0, 0, 0, 0]
        fft(&re, &im)
        let want: [(Double, Double)] = [(10, 0), (-2, 2), (-2, 0), (-2, -2)]
        for (k, w) in want.enumerated() {
            #expect(Swift.abs(re[k] - w.0) < 1e-12 && Swift.abs(im[k] - w.1) < 1e-12)
        }
    }

    @Test func independentDrawsHaveESSNearS() {
        let chains = ar1Chains(chains: 4, draws: 1000, phi: 0, seed: 11)
        let s = summarize(chains: chains)
        // Relative sd of an ESS estimate at S = 4000 is a few percent; 20% is far outside it.
        #expect(s.essBulk > 3200 && s.essBulk < 4800)
        #expect(s.essTail > 2800 && s.essTail < 5200)
        #expect(s.rhat < 1.01)
    }

    @Test func antitheticChainsGetESSAboveS() {
        let chains = ar1Chains(chains: 4, draws: 1000, phi: -0.5, seed: 3)
        #expect(essMean(chains: chains) > 4000)
        #expect(effectiveSampleSize(chains: chains) <= 4000 * Foundation.log10(4000.0))
    }

    @Test func nonFiniteOrConstantDrawsGiveNaNDiagnostics() {
        var chains = ar1Chains(chains: 2, draws: 100, phi: 0.2, seed: 5)
        chains[1][10] = .infinity
        let s = summarize(chains: chains)
        #expect(s.rhat.isNaN && s.essBulk.isNaN && s.essTail.isNaN && s.mcseMean.isNaN)
        #expect(s.mean == .infinity && s.sd.isNaN)
        let flat = summarize(chains: [[1, 1, 1, 1, 1, 1, 1, 1, 1, 1]])
        #expect(flat.rhat.isNaN && flat.essBulk.isNaN && flat.mcseQ50.isNaN)
        #expect(flat.mean == 1 && flat.sd == 0 && flat.mad == 0 && flat.q5 == 1)
        #expect(summarize(chains: []).rhat.isNaN)
        #expect(summarize(chains: [[1, 2, 3]]).essBulk.isNaN)  // split chains of 1 draw
    }

    @Test func energyBFMIByHand() {
        // E = 0, 2, 0, 2: Σ steps² = 12, Σ (E − 1)² = 4.
        #expect(energyBFMI(energy: [0, 2, 0, 2]) == 3)
        #expect(energyBFMI(energy: [1, 1, 1]).isNaN && energyBFMI(energy: [1]).isNaN)
        #expect(energyBFMI(chains: [[0, 2, 0, 2], [0, 1, 2, 3]]) == [3, 3.0 / 5])
    }

    @Test func madIsScaledMedianAbsoluteDeviation() {
        #expect(medianAbsoluteDeviation([1, 2, 3, 4, 100]) == 1.4826)
        #expect(medianAbsoluteDeviation([1, .nan]).isNaN)
    }

    /// 100 parameters × 4 chains × 1000 draws. The bound only catches a hang on a loaded
    /// machine; the timing printed in release is the number to watch (see the folder README).
    @Test func summarisingHundredParametersIsFast() {
        let parameters = (0..<100).map { ar1Chains(chains: 4, draws: 1000, phi: 0.7, seed: UInt64($0)) }
        let clock = ContinuousClock()
        var total = 0.0
        let elapsed = clock.measure {
            for p in parameters { total += summarize(chains: p).essBulk }
        }
        print("summarize: 100 parameters × 4 × 1000 draws in \(elapsed)")
        #expect(total > 0)
        #expect(elapsed < .seconds(300))
    }
}

/// Draws near 1e307: the summary of x·2¹⁰⁰⁰ is the summary of x with location and spread
/// times 2¹⁰⁰⁰ and the same ESS and R-hat (before, sums overflowed to inf and NaN).
@Suite struct SummaryOverflowTests {
    @Test func hugeDrawsSummariseLikeScaledOnes() {
        var rng = Xoshiro256StarStar(seed: 11, stream: 0)
        let chains = (0..<4).map { _ in (0..<500).map { _ in 1 + 0.2 * (rng.uniform01() - 0.5) } }
        let s = summarize(chains: chains)
        let big = summarize(chains: chains.map { $0.map { $0 * 0x1p1020 } })
        let scale = 0x1p1020
        #expect(big.mean == s.mean * scale)
        #expect(big.sd == s.sd * scale)
        #expect(big.mcseMean == s.mcseMean * scale)
        #expect(big.mcseSd == s.mcseSd * scale)
        #expect(big.q5 == s.q5 * scale && big.q95 == s.q95 * scale && big.mad == s.mad * scale)
        #expect(big.essBulk == s.essBulk && big.essTail == s.essTail && big.rhat == s.rhat)
        #expect(big.mean.isFinite && big.sd.isFinite && big.mcseMean.isFinite)
    }
}

@Test func summariesOfManyQuantitiesDoNotDependOnTheThreadCount() {
    // Seven quantities of 3 chains × 200 draws, from a fixed generator; on 1, 2 and 4 threads
    // the summaries must equal the one-by-one summaries exactly.
    var rng = Xoshiro256StarStar(seed: 21)
    let columns: [[[Double]]] = (0..<7).map { k in
        (0..<3).map { _ in (0..<200).map { _ in Double(k) + rng.standardNormal() } }
    }
    let serial = columns.map { summarize(chains: $0) }
    for threads in [1, 2, 4] {
        let parallel = summarize(count: columns.count, threads: threads, draws: { columns[$0] })
        #expect(parallel == serial, "threads \(threads)")
    }
}
