// Tests for SplitMix64, xoshiro256** and uniform01: published and independently computed
// streams, the open-interval guarantee, moments within 4·MCSE, and determinism.
import Testing
@testable import SynmMath

/// A generator replaying fixed words, to probe uniform01 at the extremes of its input.
private struct FixedWords: RandomNumberGenerator {
    var words: [UInt64]
    mutating func next() -> UInt64 { words.removeFirst() }
}

private func draw<G: RandomNumberGenerator>(_ g: inout G, _ n: Int) -> [UInt64] {
    (0..<n).map { _ in g.next() }
}

@Suite("Random number generators")
struct RandomTests {
    /// Seed 0: 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f are the published
    /// first outputs (Vigna's splitmix64.c); all five agree with the Python reference.
    @Test func splitMix64MatchesReference() {
        var g = SplitMix64(seed: 0)
        #expect(Array(draw(&g, 3)) == [0xe220_a839_7b1d_cdaf, 0x6e78_9e6a_a1b9_65f4, 0x06c4_5d18_8009_454f])
        var g0 = SplitMix64(seed: 0)
        #expect(draw(&g0, 5) == Reference.splitMix64Seed0)
        var gx = SplitMix64(seed: 0x0123_4567_89ab_cdef)
        #expect(draw(&gx, 5) == Reference.splitMix64SeedX)
    }

    @Test("xoshiro256** matches the Python reference implementation",
          arguments: [(UInt64(0), UInt64(0), Reference.xoshiroSeed0Stream0),
                      (42, 0, Reference.xoshiroSeed42Stream0),
                      (42, 3, Reference.xoshiroSeed42Stream3)])
    func xoshiroMatchesReference(_ c: (seed: UInt64, stream: UInt64, words: [UInt64])) {
        var g = Xoshiro256StarStar(seed: c.seed, stream: c.stream)
        #expect(draw(&g, c.words.count) == c.words)
    }

    @Test func uniform01StaysInsideTheOpenInterval() {
        var extremes = FixedWords(words: [0, .max])
        let low = extremes.uniform01(), high = extremes.uniform01()
        #expect(low == 0x1p-54)
        #expect(high == 1 - 0x1p-54)
        var g = Xoshiro256StarStar(seed: 7)
        for _ in 0..<10_000 {
            let u = g.uniform01()
            #expect(u > 0 && u < 1)
        }
    }

    /// Mean ½ with MCSE √(1/12 / n); variance 1/12 with MCSE √((μ₄ − σ⁴)/n), μ₄ = 1/80,
    /// σ⁴ = 1/144. Both must lie within 4·MCSE (a false alarm has probability ~6e-5 per check).
    @Test("uniform01 moments within 4·MCSE", arguments: [UInt64(1), 2024])
    func uniform01Moments(_ seed: UInt64) {
        let n = 100_000
        var g = Xoshiro256StarStar(seed: seed)
        let us = (0..<n).map { _ in g.uniform01() }
        let m = mean(us), v = variance(us)
        let mcseMean = (1.0 / 12 / Double(n)).squareRoot()
        let mcseVariance = ((1.0 / 80 - 1.0 / 144) / Double(n)).squareRoot()
        #expect(abs(m - 0.5) < 4 * mcseMean, "mean \(m)")
        #expect(abs(v - 1.0 / 12) < 4 * mcseVariance, "variance \(v)")
    }

    @Test func determinismAndStreams() {
        var a = Xoshiro256StarStar(seed: 99, stream: 2)
        var b = Xoshiro256StarStar(seed: 99, stream: 2)
        #expect(draw(&a, 100) == draw(&b, 100))
        var s0 = Xoshiro256StarStar(seed: 99, stream: 0)
        var s1 = Xoshiro256StarStar(seed: 99, stream: 1)
        var other = Xoshiro256StarStar(seed: 100, stream: 0)
        let w0 = draw(&s0, 100), w1 = draw(&s1, 100), w2 = draw(&other, 100)
        #expect(w0 != w1)
        #expect(w0 != w2)
        // Different streams differ in every state word, not just the first output.
        let x = Xoshiro256StarStar(seed: 99, stream: 0), y = Xoshiro256StarStar(seed: 99, stream: 1)
        #expect(x.s0 != y.s0 && x.s1 != y.s1 && x.s2 != y.s2 && x.s3 != y.s3)
    }
}
