// Special functions on Double: log-gamma and its derivatives, log-beta, log-binomial.
// Goals, in priority order: 1. correct to a few ulps on the domain densities use (x > 0);
// 2. exact poles and NaN outside the domain; 3. thread safety (no C globals); 4. speed.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// log|Γ(x)|, thread-safe.
///
/// Calls the C library's reentrant `lgamma_r`, which does not write the global `signgam`
/// (plain `lgamma` does, a data race when chains run on parallel threads).
/// Accuracy: a few ulps (relative error ≤ 1e-13 tested) for x > 0 away from the zeros at
/// x = 1 and x = 2, where the error is a few ulps absolute. Poles (x = 0, −1, −2, …) give
/// +∞; ±∞ gives +∞; NaN gives NaN (C99 Annex F).
public func logGamma(_ x: Double) -> Double {
    #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
    var sign: Int32 = 0
    return lgamma_r(x, &sign)
    #else
    return Foundation.lgamma(x)  // no reentrant variant known on this platform
    #endif
}

/// ψ(x) = d/dx log Γ(x), the digamma function.
///
/// Recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10, then the asymptotic series
/// ψ(x) ~ log x − 1/(2x) − Σ B₂ₖ/(2k x²ᵏ) (Abramowitz & Stegun 6.3.18), and the reflection
/// ψ(1 − x) − ψ(x) = π cot(πx) for x ≤ 0 (A&S 6.3.7).
/// Accuracy: relative error ≤ 1e-13, except within about 0.05 of the positive root
/// x₀ ≈ 1.4616, where the absolute error is ≤ 1e-15. Poles (0, −1, −2, …), −∞ and NaN give
/// NaN (the two one-sided limits at a pole differ); +∞ gives +∞.
public func digamma(_ x: Double) -> Double {
    if x.isNaN || x == -.infinity { return .nan }
    if x == .infinity { return .infinity }
    var x = x
    var result = 0.0
    if x <= 0 {
        let fraction = x - x.rounded(.down)  // exact; π cot(πx) has period 1
        if fraction == 0 { return .nan }
        result -= Double.pi / Foundation.tan(Double.pi * fraction)
        x = 1 - x
    }
    while x < 10 {
        result -= 1 / x
        x += 1
    }
    let inv2 = 1 / (x * x)
    // B₂ₖ/(2k): 1/12, −1/120, 1/252, −1/240, 1/132, −691/32760, 1/12
    let series = inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240
        - inv2 * (1.0 / 132 - inv2 * (691.0 / 32760 - inv2 * (1.0 / 12)))))))
    return result + Foundation.log(x) - 0.5 / x - series
}

/// ψ₁(x) = d²/dx² log Γ(x), the trigamma function.
///
/// Recurrence ψ₁(x) = ψ₁(x + 1) + 1/x² up to x ≥ 10, then the asymptotic series
/// ψ₁(x) ~ 1/x + 1/(2x²) + Σ B₂ₖ/x²ᵏ⁺¹ (A&S 6.4.12), and the reflection
/// ψ₁(1 − x) + ψ₁(x) = π²/sin²(πx) for x ≤ 0 (A&S 6.4.7).
/// Accuracy: relative error ≤ 1e-13 for x > 0, and for x < 0 away from the poles.
/// Poles (0, −1, −2, …) give +∞ (both one-sided limits are +∞); +∞ gives 0; −∞ and NaN give NaN.
public func trigamma(_ x: Double) -> Double {
    if x.isNaN || x == -.infinity { return .nan }
    if x == .infinity { return 0 }
    if x <= 0 {
        let fraction = x - x.rounded(.down)  // exact; sin²(πx) has period 1
        if fraction == 0 { return .infinity }
        let s = Foundation.sin(Double.pi * fraction)
        return -trigamma(1 - x) + Double.pi * Double.pi / (s * s)
    }
    var x = x
    var result = 0.0
    while x < 10 {
        result += 1 / (x * x)
        x += 1
    }
    let inv = 1 / x
    let inv2 = inv * inv
    // B₂ₖ: 1/6, −1/30, 1/42, −1/30, 5/66, −691/2730, 7/6
    let series = inv2 * inv * (1.0 / 6 - inv2 * (1.0 / 30 - inv2 * (1.0 / 42 - inv2 * (1.0 / 30
        - inv2 * (5.0 / 66 - inv2 * (691.0 / 2730 - inv2 * (7.0 / 6)))))))
    return result + inv + 0.5 * inv2 + series
}

/// log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b), accurate for large arguments.
///
/// When an argument is ≥ 10 the large log Γ terms are cancelled analytically using
/// Stirling's formula with its remainder δ(x) = log Γ(x) − [(x − ½) log x − x + ½ log 2π]
/// (the approach of R's `lbeta`; DiDonato & Morris 1992, ACM TOMS 18, `betaln`), so the
/// relative error stays ≤ 1e-13 even for a = 1e15, b = 1.
/// Invalid (negative or NaN) arguments give NaN; B(0, b) gives +∞; an infinite argument
/// (with the other positive) gives −∞.
public func logBeta(_ a: Double, _ b: Double) -> Double {
    if a.isNaN || b.isNaN || a < 0 || b < 0 { return .nan }
    let p = Swift.min(a, b), q = Swift.max(a, b)
    if p == 0 { return .infinity }
    if q == .infinity { return -.infinity }
    let c = p + q
    if p >= 10 {
        let corr = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(c)
        return -0.5 * Foundation.log(q) + halfLogTwoPi + corr
            + (p - 0.5) * Foundation.log(p / c) + q * Foundation.log1p(-p / c)
    }
    if q >= 10 {
        let corr = stirlingCorrection(q) - stirlingCorrection(c)
        return logGamma(p) + corr + p - p * Foundation.log(c)
            + (q - 0.5) * Foundation.log1p(-p / c)
    }
    return logGamma(p) + logGamma(q) - logGamma(c)
}

/// log of the binomial coefficient C(n, k) = n! / (k! (n − k)!), for real 0 ≤ k ≤ n.
///
/// Computed as −log(n + 1) − log B(n − k + 1, k + 1), so it inherits `logBeta`'s accuracy
/// for large n (relative error ≤ 1e-13 where the result is not near 0). Exactly 0 at
/// k = 0 and k = n. NaN when n < 0, k < 0, k > n, or an argument is NaN or infinite.
public func logChoose(_ n: Double, _ k: Double) -> Double {
    guard n.isFinite, k.isFinite, n >= 0, k >= 0, k <= n else { return .nan }
    if k == 0 || k == n { return 0 }
    return -Foundation.log1p(n) - logBeta(n - k + 1, k + 1)
}

/// ½ log(2π).
let halfLogTwoPi = 0.918_938_533_204_672_741_78

/// Stirling remainder δ(x) = log Γ(x) − [(x − ½) log x − x + ½ log 2π] for x ≥ 10, from the
/// asymptotic series Σ B₂ₖ / (2k(2k − 1) x²ᵏ⁻¹) (A&S 6.1.41); eight terms give full double
/// precision at x = 10.
func stirlingCorrection(_ x: Double) -> Double {
    let inv = 1 / x
    let inv2 = inv * inv
    return inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680
        - inv2 * (1.0 / 1188 - inv2 * (691.0 / 360_360 - inv2 * (1.0 / 156
        - inv2 * (3617.0 / 122_400))))))))
}

/// log(1 + t) − t without cancellation for small |t| (t > −1).
///
/// For |t| ≤ ½ uses log(1 + t) = 2 atanh(s), s = t/(2 + t), so that
/// log(1 + t) − t = −s·t + 2 Σₖ≥₁ s²ᵏ⁺¹/(2k + 1) (|s| ≤ ⅓: 18 terms at most).
func log1pmx(_ t: Double) -> Double {
    if Swift.abs(t) > 0.5 { return Foundation.log1p(t) - t }
    let s = t / (2 + t)
    let s2 = s * s
    var power = s * s2
    var sum = 0.0
    var k = 3.0
    while true {
        let term = power / k
        sum += term
        if Swift.abs(term) <= 1e-17 * Swift.abs(sum) { break }
        power *= s2
        k += 2
    }
    return -s * t + 2 * sum
}

/// log Γ(1 + a) for −0.2 < a < 0.2 without rounding 1 + a, from the Taylor series
/// log Γ(1 + a) = −γa + Σₖ≥₂ (−1)ᵏ ζ(k) aᵏ / k (A&S 6.1.33); elsewhere `logGamma(1 + a)`.
func logGamma1p(_ a: Double) -> Double {
    if Swift.abs(a) >= 0.2 { return logGamma(1 + a) }
    var sum = 0.0
    var power = a
    var sign = 1.0
    for (i, zeta) in zetaFrom2.enumerated() {
        power *= a  // a^k with k = i + 2
        sum += sign * zeta * power / Double(i + 2)
        sign = -sign
    }
    return -eulerGamma * a + sum
}

/// Euler–Mascheroni constant γ.
let eulerGamma = 0.577_215_664_901_532_860_61

/// ζ(2), …, ζ(25) (values from mpmath 1.3.0, 20 digits); 24 terms of the series above reach
/// 0.2²⁵/25 < 1e-18.
let zetaFrom2: [Double] = [
    1.6449340668482264365, 1.2020569031595942854, 1.0823232337111381915,
    1.0369277551433699263, 1.0173430619844491397, 1.0083492773819228268,
    1.0040773561979443394, 1.0020083928260822144, 1.0009945751278180853,
    1.0004941886041194646, 1.0002460865533080483, 1.0001227133475784891,
    1.0000612481350587048, 1.0000305882363070205, 1.0000152822594086519,
    1.0000076371976378998, 1.0000038172932649998, 1.0000019082127165539,
    1.0000009539620338728, 1.0000004769329867878, 1.0000002384505027277,
    1.0000001192199259653, 1.0000000596081890513, 1.0000000298035035147,
]
