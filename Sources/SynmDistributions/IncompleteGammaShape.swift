// The regularised incomplete gamma functions with their derivatives in the shape a up to
// second order, for the CDFs of gamma, inv_gamma, chi_square and inv_chi_square: P(a, x)
// by its power series where x < a + 1, Q(a, x) by Legendre's continued fraction elsewhere
// (the split of Numerical Recipes §6.2 / DLMF 8.7.1 and 8.9.2), each evaluated on a
// second-order jet in a (value, ∂a, ∂²a), so the a-derivatives are those of the converged
// expansions themselves. The x-derivatives are closed forms (∂P/∂x = x^{a−1}e^{−x}/Γ(a)).
import Foundation
import SynmMath

/// A value with its first and second derivative in one variable (a second-order jet).
struct Jet2 {
    var v: Double
    var d: Double
    var dd: Double

    init(_ v: Double, _ d: Double = 0, _ dd: Double = 0) {
        self.v = v; self.d = d; self.dd = dd
    }

    static func + (x: Jet2, y: Jet2) -> Jet2 { Jet2(x.v + y.v, x.d + y.d, x.dd + y.dd) }
    static func - (x: Jet2, y: Jet2) -> Jet2 { Jet2(x.v - y.v, x.d - y.d, x.dd - y.dd) }
    static func * (x: Jet2, y: Jet2) -> Jet2 {
        Jet2(x.v * y.v, x.d * y.v + x.v * y.d, x.dd * y.v + 2 * x.d * y.d + x.v * y.dd)
    }
    static func / (x: Jet2, y: Jet2) -> Jet2 {
        let q = x.v / y.v
        let qd = (x.d - q * y.d) / y.v
        let qdd = (x.dd - 2 * qd * y.d - q * y.dd) / y.v
        return Jet2(q, qd, qdd)
    }
    static func * (x: Jet2, c: Double) -> Jet2 { Jet2(x.v * c, x.d * c, x.dd * c) }
    static func + (x: Jet2, c: Double) -> Jet2 { Jet2(x.v + c, x.d, x.dd) }

    static func exp(_ x: Jet2) -> Jet2 {
        let e = Foundation.exp(x.v)
        return Jet2(e, e * x.d, e * (x.dd + x.d * x.d))
    }

    /// log Γ(x): derivatives ψ(x)·x′ and ψ₁(x)·x′² + ψ(x)·x″.
    static func lgamma(_ x: Jet2) -> Jet2 {
        let psi = digamma(x.v)
        return Jet2(logGamma(x.v), psi * x.d, trigamma(x.v) * x.d * x.d + psi * x.dd)
    }
}

/// P(a, x) and Q(a, x) = 1 − P with their derivatives in a, for a > 0, x > 0. Returns
/// (P, Q) as jets in a; the side not computed directly is 1 − the other (no cancellation:
/// the direct side is the smaller one).
func incompleteGammaJets(a: Double, x: Double) -> (p: Jet2, q: Jet2) {
    let aj = Jet2(a, 1, 0)
    let logX = Foundation.log(x)
    if x < a + 1 {
        // P = e^{−x} x^a Σₙ xⁿ/Γ(a + n + 1), term ratio x/(a + n).
        var term = Jet2.exp(aj * logX + (-x) - Jet2.lgamma(aj + 1))
        var sum = term
        var n = 1.0
        while n < 10_000 {
            term = term * Jet2(x) / (aj + n)
            sum = sum + term
            if Swift.abs(term.v) < 1e-17 * Swift.abs(sum.v), Swift.abs(term.d) <= 1e-17 * Swift.abs(sum.d) + 1e-300,
               Swift.abs(term.dd) <= 1e-17 * Swift.abs(sum.dd) + 1e-300 { break }
            n += 1
        }
        return (sum, Jet2(1) - sum)
    }
    // Q = e^{−x} x^a / Γ(a) · 1/(x + 1 − a − 1·(1 − a)/(x + 3 − a − …)), modified Lentz.
    let tiny = 1e-300
    var b = Jet2(x + 1) - aj
    var c = Jet2(1 / tiny)
    var d = Jet2(1) / b
    var h = d
    var i = 1.0
    while i < 10_000 {
        let an = (aj + (-i)) * i  // −i(i − a)
        b = b + 2
        d = an * d + b
        if Swift.abs(d.v) < tiny { d.v = tiny }
        c = b + an / c
        if Swift.abs(c.v) < tiny { c.v = tiny }
        d = Jet2(1) / d
        let delta = c * d
        h = h * delta
        if Swift.abs(delta.v - 1) < 1e-16, Swift.abs(delta.d) < 1e-16, Swift.abs(delta.dd) < 1e-16 { break }
        i += 1
    }
    let q = Jet2.exp(aj * logX + (-x) - Jet2.lgamma(aj)) * h
    return (Jet2(1) - q, q)
}

extension Kernels {
    /// log P(a, x) (or log Q(a, x) when `upper`) with its partials in a and x, in `T`: the
    /// value and ∂/∂a from `incompleteGammaJets` (their tangents from the jets' second
    /// derivatives and the closed-form ∂²P/∂a∂x = g·(log x − ψ(a))), ∂/∂x from
    /// g = x^{a−1}e^{−x}/Γ(a) in `T`.
    @usableFromInline static func logIncompleteGamma<T: RealScalar>(_ a: T, _ x: T, upper: Bool) -> (value: T, da: T, dx: T) {
        let (pj, qj) = incompleteGammaJets(a: a.value, x: x.value)
        let side = upper ? qj : pj
        let sign: Double = upper ? -1 : 1
        let logX = T.log(x)
        let g = T.exp((a - 1) * logX - x - T.lgamma(a))
        let gax = g.value * (Foundation.log(x.value) - digamma(a.value))
        let sideT = Kernels.lift2(a, x, value: side.v, T(side.d), T(sign) * g)
        let sideA = Kernels.lift2(a, x, value: side.d, T(side.dd), T(sign * gax))
        return (Kernels.lift2(a, x, value: Foundation.log(side.v), sideA / sideT, T(sign) * g / sideT),
                sideA / sideT, T(sign) * g / sideT)
    }
}
