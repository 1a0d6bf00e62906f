// The regularised incomplete beta function I_x(a, b) with its derivatives in both shapes up
// to second order, for the CDFs of beta, student_t and neg_binomial_2: the continued
// fraction of Numerical Recipes §6.4 (DLMF 8.17.22), on the side x < (a + 1)/(a + b + 2)
// where it converges fast (the other side by I_x(a, b) = 1 − I_{1−x}(b, a)), evaluated on
// second-order jets in (a, b). The x-derivatives are closed forms
// (∂I/∂x = x^{a−1}(1 − x)^{b−1}/B(a, b)).
import Foundation
import SynmMath

/// A value with its gradient and Hessian in two variables (a, b).
struct Jet22 {
    var v: Double
    var a: Double, b: Double
    var aa: Double, ab: Double, bb: Double

    init(_ v: Double, a: Double = 0, b: Double = 0, aa: Double = 0, ab: Double = 0, bb: Double = 0) {
        self.v = v; self.a = a; self.b = b; self.aa = aa; self.ab = ab; self.bb = bb
    }

    static func + (x: Jet22, y: Jet22) -> Jet22 {
        Jet22(x.v + y.v, a: x.a + y.a, b: x.b + y.b, aa: x.aa + y.aa, ab: x.ab + y.ab, bb: x.bb + y.bb)
    }
    static func - (x: Jet22, y: Jet22) -> Jet22 {
        Jet22(x.v - y.v, a: x.a - y.a, b: x.b - y.b, aa: x.aa - y.aa, ab: x.ab - y.ab, bb: x.bb - y.bb)
    }
    static func * (x: Jet22, y: Jet22) -> Jet22 {
        Jet22(x.v * y.v, a: x.a * y.v + x.v * y.a, b: x.b * y.v + x.v * y.b,
              aa: x.aa * y.v + 2 * x.a * y.a + x.v * y.aa,
              ab: x.ab * y.v + x.a * y.b + x.b * y.a + x.v * y.ab,
              bb: x.bb * y.v + 2 * x.b * y.b + x.v * y.bb)
    }
    static func / (x: Jet22, y: Jet22) -> Jet22 {
        let q = x.v / y.v
        let qa = (x.a - q * y.a) / y.v, qb = (x.b - q * y.b) / y.v
        // x = q·y differentiated twice: x_ij = q_ij y + q_i y_j + q_j y_i + q y_ij.
        let qaa = (x.aa - 2 * qa * y.a - q * y.aa) / y.v
        let qab = (x.ab - qa * y.b - qb * y.a - q * y.ab) / y.v
        let qbb = (x.bb - 2 * qb * y.b - q * y.bb) / y.v
        return Jet22(q, a: qa, b: qb, aa: qaa, ab: qab, bb: qbb)
    }
    static func + (x: Jet22, c: Double) -> Jet22 { var r = x; r.v += c; return r }
    static func * (x: Jet22, c: Double) -> Jet22 {
        Jet22(x.v * c, a: x.a * c, b: x.b * c, aa: x.aa * c, ab: x.ab * c, bb: x.bb * c)
    }

    /// f(x) for f with value f0, first derivative f1 and second f2 at x.v.
    func chain(_ f0: Double, _ f1: Double, _ f2: Double) -> Jet22 {
        Jet22(f0, a: f1 * a, b: f1 * b, aa: f2 * a * a + f1 * aa, ab: f2 * a * b + f1 * ab, bb: f2 * b * b + f1 * bb)
    }
    static func exp(_ x: Jet22) -> Jet22 {
        let e = Foundation.exp(x.v)
        return x.chain(e, e, e)
    }
    static func lgamma(_ x: Jet22) -> Jet22 { x.chain(logGamma(x.v), digamma(x.v), trigamma(x.v)) }
}

/// NR's betacf on jets: the continued fraction of I_x(a, b)·a·B(a, b)/(xᵃ(1 − x)ᵇ).
func betaContinuedFractionJet(_ a: Jet22, _ b: Jet22, _ x: Double) -> Jet22 {
    let tiny = 1e-300
    let qab = a + b, qap = a + 1, qam = a + (-1)
    var c = Jet22(1)
    var d = Jet22(1) - qab * x / qap
    if Swift.abs(d.v) < tiny { d.v = tiny }
    d = Jet22(1) / d
    var h = d
    var m = 1.0
    while m < 10_000 {
        let m2 = 2 * m
        var aa = Jet22(m * x) * (b + (-m)) / ((qam + m2) * (a + m2))
        d = Jet22(1) + aa * d
        if Swift.abs(d.v) < tiny { d.v = tiny }
        c = Jet22(1) + aa / c
        if Swift.abs(c.v) < tiny { c.v = tiny }
        d = Jet22(1) / d
        h = h * d * c
        aa = (a + m) * (qab + m) * (-x) / ((a + m2) * (qap + m2))
        d = Jet22(1) + aa * d
        if Swift.abs(d.v) < tiny { d.v = tiny }
        c = Jet22(1) + aa / c
        if Swift.abs(c.v) < tiny { c.v = tiny }
        d = Jet22(1) / d
        let delta = d * c
        h = h * delta
        if Swift.abs(delta.v - 1) < 1e-16, Swift.abs(delta.a) < 1e-16, Swift.abs(delta.b) < 1e-16,
           Swift.abs(delta.aa) < 1e-15, Swift.abs(delta.ab) < 1e-15, Swift.abs(delta.bb) < 1e-15 { break }
        m += 1
    }
    return h
}

/// (I_x(a, b), 1 − I_x(a, b)) as jets in (a, b), for a, b > 0 and 0 < x < 1.
func incompleteBetaJets(a: Double, b: Double, x: Double) -> (lower: Jet22, upper: Jet22) {
    let aj = Jet22(a, a: 1), bj = Jet22(b, b: 1)
    // xᵃ(1 − x)ᵇ/B(a, b) on the log scale.
    let front = Jet22.exp(Jet22.lgamma(aj + bj) - Jet22.lgamma(aj) - Jet22.lgamma(bj) + aj * Foundation.log(x)
                          + bj * Foundation.log1p(-x))
    if x < (a + 1) / (a + b + 2) {
        let lower = front * betaContinuedFractionJet(aj, bj, x) / aj
        return (lower, Jet22(1) - lower)
    }
    let upper = front * betaContinuedFractionJet(bj, aj, 1 - x) / bj
    return (Jet22(1) - upper, upper)
}

extension Kernels {
    /// I_x(a, b) (or 1 − I_x(a, b) when `upper`) in `T` with its partials ∂a, ∂b, ∂x, each a
    /// `T` whose tangent is exact: shape derivatives from the jets, the x-derivative
    /// g = x^{a−1}(1 − x)^{b−1}/B(a, b) in `T`, and ∂²I/∂a∂x = g·(log x − ψ(a) + ψ(a + b)),
    /// ∂²I/∂b∂x = g·(log(1 − x) − ψ(b) + ψ(a + b)).
    @usableFromInline static func incompleteBeta<T: RealScalar>(_ a: T, _ b: T, _ x: T, upper: Bool)
        -> (value: T, da: T, db: T, dx: T)
    {
        let (lo, hi) = incompleteBetaJets(a: a.value, b: b.value, x: x.value)
        let j = upper ? hi : lo
        let s: Double = upper ? -1 : 1
        let g = T.exp((a - 1) * T.log(x) + (b - 1) * T.log1p(-x) + T.lgamma(a + b) - T.lgamma(a) - T.lgamma(b))
        let psiAB = digamma(a.value + b.value)
        let gax = g.value * (Foundation.log(x.value) - digamma(a.value) + psiAB)
        let gbx = g.value * (Foundation.log1p(-x.value) - digamma(b.value) + psiAB)
        func lift3(_ v: Double, _ da: Double, _ db: Double, _ dx: Double) -> T {
            if T.self == Double.self { return T(v) }
            return T(v) + T(da) * (a - T(a.value)) + T(db) * (b - T(b.value)) + T(dx) * (x - T(x.value))
        }
        let value = lift3(j.v, j.a, j.b, s * g.value)
        let da = lift3(j.a, j.aa, j.ab, s * gax)
        let db = lift3(j.b, j.ab, j.bb, s * gbx)
        return (value, da, db, T(s) * g)
    }
}
