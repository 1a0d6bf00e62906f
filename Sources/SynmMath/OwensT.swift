// Owen's T function, T(h, a) = (1/2π) ∫₀ᵃ exp(−h²(1 + x²)/2) / (1 + x²) dx (Owen 1956,
// "Tables for computing bivariate normal probabilities", Ann. Math. Statist. 27(4)), which
// gives the skew normal distribution function: F(z; α) = Φ(z) − 2 T(z, α)
// (Azzalini 1985, "A class of distributions which includes the normal ones").
//
// For |a| ≤ 1 the integral is computed by 20-point Gauss–Legendre quadrature on pieces no
// wider than 1/(2|h|), where the integrand's Gaussian factor changes by at most e^{−1/8}…
// per piece; for |a| > 1 by Owen's identity (h ≥ 0, a > 0)
//   T(h, a) = ½ [Φ(h) Φ(−ah) + Φ(ah) Φ(−h)] − T(ah, 1/a),
// written without the 1 − Φ cancellation. T is even in h and odd in a.
import Foundation

/// Owen's T function T(h, a). Absolute error ≤ 1e-16 for all finite h, a (tested against
/// scipy.special.owens_t); T(h, 0) = 0, T(0, a) = atan(a)/(2π), T(±∞, a) = 0.
public func owensT(_ h: Double, _ a: Double) -> Double {
    if h.isNaN || a.isNaN { return .nan }
    if a < 0 { return -owensT(h, -a) }
    let h = Swift.abs(h)
    if a == 0 || h == .infinity { return 0 }
    if a == .infinity { return 0.5 * normalCDF(-h) }
    if a <= 1 { return owensTQuadrature(h, a) }
    let ah = a * h
    let front = 0.5 * (normalCDF(h) * normalCDF(-ah) + normalCDF(ah) * normalCDF(-h))
    return front - owensTQuadrature(ah, 1 / a)
}

/// (1/2π) ∫₀ᵃ exp(−h²(1 + x²)/2)/(1 + x²) dx for 0 < a ≤ 1, h ≥ 0, by Gauss–Legendre.
func owensTQuadrature(_ h: Double, _ a: Double) -> Double {
    let h2 = h * h
    // e^{−h²/2} below the smallest subnormal: T underflows to 0.
    if h2 > 1500 { return 0 }
    let pieces = Swift.max(1, Swift.min(400, Int((2 * a * h).rounded(.up))))
    let width = a / Double(pieces)
    var total = 0.0
    for piece in 0..<pieces {
        let mid = (Double(piece) + 0.5) * width, half = 0.5 * width
        var sum = 0.0
        for k in 0..<GaussLegendre20.nodes.count {
            let x = mid + half * GaussLegendre20.nodes[k]
            let q = 1 + x * x
            sum += GaussLegendre20.weights[k] * Foundation.exp(-0.5 * h2 * q) / q
        }
        total += sum * half
    }
    return total / (2 * Double.pi)
}

/// Nodes and weights of the 20-point Gauss–Legendre rule on [−1, 1], computed once by
/// Newton's method on P₂₀ (Press et al., Numerical Recipes, 3rd ed., §4.6).
public enum GaussLegendre20 {
    public static let (nodes, weights): ([Double], [Double]) = {
        let n = 20
        var x = [Double](repeating: 0, count: n), w = [Double](repeating: 0, count: n)
        for i in 0..<(n + 1) / 2 {
            var z = Foundation.cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                var p1 = 1.0, p2 = 0.0
                for j in 1...n {
                    let p3 = p2
                    p2 = p1
                    p1 = ((2 * Double(j) - 1) * z * p2 - (Double(j) - 1) * p3) / Double(j)
                }
                derivative = Double(n) * (z * p1 - p2) / (z * z - 1)
                let step = p1 / derivative
                z -= step
                if Swift.abs(step) < 1e-16 { break }
            }
            x[i] = -z; x[n - 1 - i] = z
            w[i] = 2 / ((1 - z * z) * derivative * derivative); w[n - 1 - i] = w[i]
        }
        return (x, w)
    }()
}
