// Numerically careful log-scale helpers used by densities and samplers.
import Foundation

/// log(1 + eˣ) without overflow: x for large x, log1p(eˣ) otherwise.
@inlinable public func log1pExp(_ x: Double) -> Double {
    x > 0 ? x + Foundation.log1p(Foundation.exp(-x)) : Foundation.log1p(Foundation.exp(x))
}

/// log(inv_logit(x)) = −log(1 + e⁻ˣ).
@inlinable public func logInvLogit(_ x: Double) -> Double { -log1pExp(-x) }

/// inv_logit(x) = 1 / (1 + e⁻ˣ), evaluated without overflow for large |x|.
@inlinable public func invLogit(_ x: Double) -> Double {
    if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
    let e = Foundation.exp(x)
    return e / (1 + e)
}

/// logit(p) = log(p / (1 − p)).
@inlinable public func logit(_ p: Double) -> Double { Foundation.log(p / (1 - p)) }

/// log(eᵃ + eᵇ), exact when one side is −∞.
@inlinable public func logSumExp(_ a: Double, _ b: Double) -> Double {
    if a == -.infinity { return b }
    if b == -.infinity { return a }
    let m = Swift.max(a, b)
    return m + Foundation.log1p(Foundation.exp(-Swift.abs(a - b)))
}

/// log Σ exp(xᵢ), shifted by the maximum; −∞ for an empty array.
public func logSumExp(_ xs: [Double]) -> Double {
    guard let m = xs.max(), m > -.infinity else { return -.infinity }
    if m == .infinity { return .infinity }
    var s = 0.0
    for x in xs { s += Foundation.exp(x - m) }
    return m + Foundation.log(s)
}
