// Special functions on Double: log-gamma and its derivatives (digamma, trigamma).
// Goals, in priority order: 1. correct to a few ulps on the domain densities use (x > 0);
// 2. exact poles and NaN outside the domain; 3. speed.
import Foundation

/// log|Γ(x)|. Defers to the C library's `lgamma`, which is accurate to a few ulps.
@inlinable public func logGamma(_ x: Double) -> Double {
    Foundation.lgamma(x)
}

/// ψ(x) = d/dx log Γ(x): recurrence up to x ≥ 6, then the asymptotic series
/// ψ(x) ~ log x − 1/(2x) − Σ B₂ₖ/(2k x²ᵏ) (Abramowitz & Stegun 6.3.18). Reflection for x < 0.
public func digamma(_ x: Double) -> Double {
    if x.isNaN || x == -.infinity { return .nan }
    if x == .infinity { return .infinity }
    var x = x
    var result = 0.0
    if x <= 0 {
        if x == x.rounded(.down) { return .nan }  // poles at 0, −1, −2, …
        // ψ(1 − x) − ψ(x) = π cot(πx)
        result -= Double.pi / Foundation.tan(Double.pi * x)
        x = 1 - x
    }
    while x < 6 {
        result -= 1 / x
        x += 1
    }
    let inv2 = 1 / (x * x)
    // B2/2 = 1/12, B4/4 = -1/120, B6/6 = 1/252, B8/8 = -1/240, B10/10 = 1/132, B12/12 = -691/32760
    let series = inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240
        - inv2 * (1.0 / 132 - inv2 * (691.0 / 32760))))))
    return result + Foundation.log(x) - 0.5 / x - series
}

/// ψ₁(x) = d²/dx² log Γ(x): recurrence up to x ≥ 6, then the asymptotic series
/// ψ₁(x) ~ 1/x + 1/(2x²) + Σ B₂ₖ/x²ᵏ⁺¹ (A&S 6.4.12). Reflection for x < 0.
public func trigamma(_ x: Double) -> Double {
    if x.isNaN || x == -.infinity { return .nan }
    if x == .infinity { return 0 }
    var x = x
    var result = 0.0
    if x <= 0 {
        if x == x.rounded(.down) { return .nan }
        // ψ₁(1 − x) + ψ₁(x) = π² / sin²(πx)
        let s = Foundation.sin(Double.pi * x)
        return -trigamma(1 - x) + Double.pi * Double.pi / (s * s)
    }
    while x < 6 {
        result += 1 / (x * x)
        x += 1
    }
    let inv = 1 / x
    let inv2 = inv * inv
    // B2 = 1/6, B4 = -1/30, B6 = 1/42, B8 = -1/30, B10 = 5/66
    let series = inv2 * inv * (1.0 / 6 - inv2 * (1.0 / 30 - inv2 * (1.0 / 42 - inv2 * (1.0 / 30
        - inv2 * (5.0 / 66)))))
    return result + inv + 0.5 * inv2 + series
}
