// Deterministic random number generation: SplitMix64 for seeding and stream derivation,
// xoshiro256** for the draws. Every random draw in synm goes through an explicit,
// seeded generator passed `inout`; chain k of a run with seed s uses `Xoshiro256StarStar(seed: s, stream: k)`.

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, statistically sound generator used to
/// expand a 64-bit seed into the state of a larger generator.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The 64-bit counter; advanced by the golden-ratio increment on every draw.
    public var state: UInt64
    /// A generator whose first output is the mix of `seed + 0x9E3779B97F4A7C15`.
    public init(seed: UInt64) { state = seed }
    /// The next 64 random bits (Vigna's `splitmix64.c` finalizer).
    @inlinable public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** (Blackman & Vigna 2018): fast, 256 bits of state, passes BigCrush.
/// The state is filled from SplitMix64 so that nearby seeds give unrelated streams.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    /// The 256-bit state, never all zero.
    public var s0, s1, s2, s3: UInt64

    /// A generator for `seed`; `stream` selects an independent sequence (chain, replicate).
    public init(seed: UInt64, stream: UInt64 = 0) {
        var sm = SplitMix64(seed: seed)
        // Mix the stream index in through a second SplitMix64 pass so streams differ in
        // every state word, not only in the first draw.
        var mixer = SplitMix64(seed: stream &* 0xD1B5_4A32_D192_ED03 ^ sm.next())
        s0 = mixer.next(); s1 = mixer.next(); s2 = mixer.next(); s3 = mixer.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }  // the all-zero state is a fixed point
    }

    /// The next 64 random bits (the reference `xoshiro256starstar.c` step).
    @inlinable public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// Rotate left by k bits, 0 < k < 64.
    @inlinable func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

extension RandomNumberGenerator {
    /// A uniform double in the open interval (0, 1): 53 random bits, offset by half an ulp,
    /// so `log(u)` and `log(1 - u)` are always finite.
    @inlinable public mutating func uniform01() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1.0p-53
    }
}
