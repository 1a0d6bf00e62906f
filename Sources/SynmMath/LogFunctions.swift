// Numerically careful log-scale helpers used by densities and samplers.
// Goals, in priority order: 1. relative error of a few ulps over the whole real line (no
// overflow or cancellation in the tails); 2. exact limits at ±∞ and NaN propagation; 3. speed.
import Foundation

/// log(1 + eˣ) without overflow: x + log1p(e⁻ˣ) for x > 0, log1p(eˣ) otherwise.
/// Relative error ≤ 1e-15 for all finite x; +∞ ↦ +∞, −∞ ↦ 0.
@inlinable public func log1pExp(_ x: Double) -> Double {
    x > 0 ? x + Foundation.log1p(Foundation.exp(-x)) : Foundation.log1p(Foundation.exp(x))
}

/// log(inv_logit(x)) = −log(1 + e⁻ˣ), relative error ≤ 1e-15 for all finite x.
@inlinable public func logInvLogit(_ x: Double) -> Double { -log1pExp(-x) }

/// log(1 − inv_logit(x)) = −log(1 + eˣ), relative error ≤ 1e-15 for all finite x.
@inlinable public func log1mInvLogit(_ x: Double) -> Double { -log1pExp(x) }

/// inv_logit(x) = 1 / (1 + e⁻ˣ), evaluated without overflow for large |x|.
/// Relative error ≤ 1e-15; underflows gracefully to 0 for x below about −745.
@inlinable public func invLogit(_ x: Double) -> Double {
    if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
    let e = Foundation.exp(x)
    return e / (1 + e)
}

/// logit(p) = log(p / (1 − p)) for p in [0, 1]; ±∞ at 1 and 0, NaN outside.
///
/// Near p = ½, where logit(p) ≈ 0, it uses log1p((2p − 1)/(1 − p)) (2p − 1 is exact there by
/// Sterbenz's lemma) so the relative error stays a few ulps instead of growing like 1/|logit(p)|.
public func logit(_ p: Double) -> Double {
    if p >= 0.25 && p <= 0.75 { return Foundation.log1p((2 * p - 1) / (1 - p)) }
    return Foundation.log(p / (1 - p))
}

/// log(1 − eˣ) for x ≤ 0 (Mächler 2012, "Accurately computing log(1 − exp(−|a|))", the R
/// package Rmpfr vignette): log(−expm1(x)) for x > −log 2, log1p(−eˣ) otherwise.
/// Relative error ≤ 1e-15. x = 0 gives −∞, x = −∞ gives 0, x > 0 and NaN give NaN.
public func log1mExp(_ x: Double) -> Double {
    if x.isNaN || x > 0 { return .nan }
    if x > -0.693_147_180_559_945_309_42 { return Foundation.log(-Foundation.expm1(x)) }
    return Foundation.log1p(-Foundation.exp(x))
}

/// log(eᵃ − eᵇ) for a ≥ b, as a + log1mExp(b − a).
/// a == b (including both −∞) gives −∞; b = −∞ gives a; a < b, a = b = +∞ and NaN give NaN
/// (as Stan's `log_diff_exp`).
public func logDiffExp(_ a: Double, _ b: Double) -> Double {
    if a.isNaN || b.isNaN || a < b { return .nan }
    if b == -.infinity { return a }
    if a == b { return a == .infinity ? .nan : -.infinity }
    if a == .infinity { return .infinity }
    return a + log1mExp(b - a)
}

/// log(eᵃ + eᵇ), exact when one side is −∞.
@inlinable public func logSumExp(_ a: Double, _ b: Double) -> Double {
    if a == -.infinity { return b }
    if b == -.infinity { return a }
    let m = Swift.max(a, b)
    if m == .infinity { return .infinity }
    return m + Foundation.log1p(Foundation.exp(-Swift.abs(a - b)))
}

/// log Σ exp(xᵢ), shifted by the maximum; −∞ for an empty array, NaN if any xᵢ is NaN.
public func logSumExp(_ xs: [Double]) -> Double {
    if xs.contains(where: \.isNaN) { return .nan }
    guard let m = xs.max(), m > -.infinity else { return -.infinity }
    if m == .infinity { return .infinity }
    var s = 0.0
    for x in xs { s += Foundation.exp(x - m) }
    return m + Foundation.log(s)
}
