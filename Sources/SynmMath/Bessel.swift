// The modified Bessel functions I₀ and I₁ on the log scale, for the von Mises distribution:
// log I₀(x) and the ratio A(x) = I₁(x)/I₀(x) = d/dx log I₀(x).
//
// Goals: relative accuracy ≤ 1e-14 for x in [0, 1e6]; no overflow (log scale throughout).
// - x < 30: the power series I_ν(x) = Σ (x/2)^{2k+ν}/(k!(k+ν)!) (DLMF 10.25.2), all terms
//   positive (no cancellation), summed until a term is below 1e-17 of the sum.
// - x ≥ 30: the asymptotic expansion I_ν(x) ~ eˣ/√(2πx)·Σ (−1)ᵏ aₖ(ν)/xᵏ with
//   aₖ(ν) = ((4ν² − 1)(4ν² − 9)⋯(4ν² − (2k − 1)²))/(k! 8ᵏ) (DLMF 10.40.1), summed while the
//   terms decrease; at x = 30 the smallest term is below 1e-24.
import Foundation

/// log I₀(x) for x ≥ 0 (NaN for x < 0 or NaN; +∞ for x = +∞).
public func logBesselI0(_ x: Double) -> Double {
    guard x >= 0 else { return .nan }
    if x == .infinity { return .infinity }
    if x < 30 { return Foundation.log1p(besselSeriesTail(x)) }
    return x - 0.5 * Foundation.log(2 * Double.pi * x) + Foundation.log(besselAsymptotic(x, order: 0))
}

/// A(x) = I₁(x)/I₀(x), the derivative of log I₀ (0 at x = 0, → 1 as x → ∞). Its own
/// derivative is A′(x) = 1 − A(x)/x − A(x)² (from I₀′ = I₁ and I₁′ = I₀ − I₁/x, DLMF 10.29.2).
public func besselI1OverI0(_ x: Double) -> Double {
    guard x >= 0 else { return .nan }
    if x == .infinity { return 1 }
    if x < 30 { return besselSeries(x, order: 1) / besselSeries(x, order: 0) }
    return besselAsymptotic(x, order: 1) / besselAsymptotic(x, order: 0)
}

/// The derivative of A(x) = I₁/I₀: 1 − A/x − A² (½ at x = 0).
public func besselI1OverI0Derivative(_ x: Double) -> Double {
    if x == 0 { return 0.5 }
    let a = besselI1OverI0(x)
    return 1 - a / x - a * a
}

/// Σ_{k≥1} (x/2)^{2k}/(k!)², I₀(x) − 1, for log1p (no loss of relative accuracy at small x).
func besselSeriesTail(_ x: Double) -> Double {
    let q = 0.25 * x * x
    var term = q
    var sum = term
    var k = 2.0
    while k < 500 {
        term *= q / (k * k)
        sum += term
        if term < 1e-17 * sum { break }
        k += 1
    }
    return sum
}

/// Σ_k (x/2)^{2k+ν}/(k!(k+ν)!) for ν ∈ {0, 1}.
func besselSeries(_ x: Double, order nu: Int) -> Double {
    let q = 0.25 * x * x
    var term = nu == 0 ? 1.0 : 0.5 * x
    var sum = term
    var k = 1.0
    while k < 500 {
        term *= q / (k * (k + Double(nu)))
        sum += term
        if term < 1e-17 * sum { break }
        k += 1
    }
    return sum
}

/// Σ_k (−1)ᵏ aₖ(ν)/xᵏ for ν ∈ {0, 1}, while the terms decrease.
func besselAsymptotic(_ x: Double, order nu: Int) -> Double {
    let mu = 4.0 * Double(nu * nu)
    var term = 1.0
    var sum = 1.0
    var k = 1.0
    while k < 200 {
        let odd = 2 * k - 1
        let next = -term * (mu - odd * odd) / (k * 8 * x)
        if Swift.abs(next) >= Swift.abs(term) { break }
        term = next
        sum += term
        if Swift.abs(term) < 1e-17 * Swift.abs(sum) { break }
        k += 1
    }
    return sum
}
