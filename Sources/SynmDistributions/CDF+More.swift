// The log CDFs of the families whose CDF is another family's under a change of arguments
// (bernoulli, neg_binomial, beta_proportion), a finite sum (beta_binomial), or Owen's T
// function (skew_normal), with their partial derivatives in `T` arithmetic. Stan's
// functions reference lists `_cdf`, `_lcdf` and `_lccdf` for each of these.
import Foundation
import SynmMath

extension Kernels {
    /// bernoulli(θ): F(0) = 1 − θ, F(k) = 1 for k ≥ 1. At θ ∈ {0, 1} the degenerate limit,
    /// partial 0.
    @inlinable static func bernoulliLogCDF<T: RealScalar>(_ k: Double, _ theta: T, upper: Bool,
                                                         _ p: inout DensityPartials<T>) -> T {
        if k < 0 { return upper ? 0 : T(-Double.infinity) }
        if k >= 1 { return upper ? T(-Double.infinity) : 0 }
        if upper {
            guard theta.value > 0 else { return T(-Double.infinity) }
            p.a = 1 / theta
            return T.log(theta)
        }
        guard theta.value < 1 else { return T(-Double.infinity) }
        p.a = -1 / (1 - theta)
        return T.log1p(-theta)
    }

    /// neg_binomial(α, β) is neg_binomial_2(μ = α/β, φ = α): F(k) = I_q(α, k + 1) with
    /// q = β/(1 + β) (regularised incomplete beta, either side directly).
    @inlinable static func negBinomialLogCDF<T: RealScalar>(_ k: Double, _ alpha: T, _ beta: T, upper: Bool,
                                                           _ p: inout DensityPartials<T>) -> T {
        if k < 0 { return upper ? 0 : T(-Double.infinity) }
        let q = beta / (1 + beta)
        let r = incompleteBeta(alpha, T(k + 1), q, upper: upper)
        let dq = 1 / ((1 + beta) * (1 + beta))
        p.a = r.da / r.value
        p.b = r.dx * dq / r.value
        return T.log(r.value)
    }

    /// beta_proportion(μ, κ) is beta(μκ, (1 − μ)κ). A side above ½ is log1p of minus the
    /// other side, so log F keeps its relative accuracy near 0.
    @inlinable static func betaProportionLogCDF<T: RealScalar>(_ y: T, _ mu: T, _ kappa: T, upper: Bool,
                                                              _ p: inout DensityPartials<T>) -> T {
        if y.value <= 0 { return upper ? 0 : T(-Double.infinity) }
        if y.value >= 1 { return upper ? T(-Double.infinity) : 0 }
        let a = mu * kappa, b = (1 - mu) * kappa
        var r = incompleteBeta(a, b, y, upper: upper)
        var sign = T(1)
        var value = r.value
        if r.value.value > 0.5 {
            // 1 − (the other side), whose derivatives are the other side's, negated.
            r = incompleteBeta(a, b, y, upper: !upper)
            sign = -1
            value = 1 - r.value
        }
        p.variate = sign * r.dx / value
        p.a = sign * (r.da - r.db) * kappa / value
        p.b = sign * (r.da * mu + r.db * (1 - mu)) / value
        return sign.value > 0 ? T.log(value) : T.log1p(-r.value)
    }

    /// beta_binomial(N, α, β): F(k) = Σ_{j ≤ k} pmf(j), 1 − F(k) = Σ_{j > k} pmf(j), each a
    /// finite log-sum-exp of the pmf (whose partials are exact), taking whichever side has
    /// fewer terms directly and the other as log1m_exp of it only when it is not small.
    @inlinable static func betaBinomialLogCDF<T: RealScalar>(_ k: Double, _ n: T, _ alpha: T, _ beta: T, upper: Bool,
                                                            _ p: inout DensityPartials<T>) -> T {
        let nn = n.value
        if k < 0 { return upper ? 0 : T(-Double.infinity) }
        if k >= nn { return upper ? T(-Double.infinity) : 0 }
        // The terms j of the asked-for side.
        let range: ClosedRange<Int> = upper ? Int(k) + 1...Int(nn) : 0...Int(k)
        var logTerms: [T] = []
        logTerms.reserveCapacity(range.count)
        var dAlpha: [T] = [], dBeta: [T] = []
        var q = DensityPartials<T>()
        var top = -Double.infinity
        for j in range {
            q.zero()
            let l = betaBinomial(T(Double(j)), n, alpha, beta, &q)
            logTerms.append(l)
            dAlpha.append(q.b)
            dBeta.append(q.c)
            top = Swift.max(top, l.value)
        }
        var sum = T(0), sa = T(0), sb = T(0)
        for i in logTerms.indices {
            let w = T.exp(logTerms[i] - T(top))
            sum += w
            sa += w * dAlpha[i]
            sb += w * dBeta[i]
        }
        p.b = sa / sum
        p.c = sb / sum
        return T(top) + T.log(sum)
    }

    /// skew_normal(ξ, ω, α): F(y) = Φ(z) − 2 T(z, α), z = (y − ξ)/ω (Owen's T, SynmMath's
    /// `owensT`); the upper tail is the lower tail of (−z, −α). ∂F/∂z = 2φ(z)Φ(αz), the
    /// density, and ∂F/∂α = −2 ∂T/∂a = −exp(−z²(1 + α²)/2)/(π(1 + α²)).
    @inlinable static func skewNormalLogCDF<T: RealScalar>(_ y: T, _ xi: T, _ omega: T, _ alpha: T, upper: Bool,
                                                          _ p: inout DensityPartials<T>) -> T {
        let sign: Double = upper ? -1 : 1
        let z = (y - xi) / omega
        let zs = T(sign) * z, al = T(sign) * alpha
        let logF = skewNormalLogLowerCDF(zs.value, al.value)
        if !logF.isFinite {
            return T(logF)
        }
        let q = 1 + al * al
        let logf = T(0.5 * Foundation.log(2 / Double.pi)) - 0.5 * zs * zs + logPhi(al * zs).value
        let gauss = -0.5 * zs * zs * q
        // log F with its first derivatives (Double), then the partials in T through it.
        let dz0 = Foundation.exp(logf.value - logF)
        let da0 = -Foundation.exp(gauss.value - logF) / (Double.pi * q.value)
        let logFT: T = T.self == Double.self ? T(logF)
            : T(logF) + T(dz0) * (zs - T(zs.value)) + T(da0) * (al - T(al.value))
        let dz = T.exp(logf - logFT)
        let da = -T.exp(gauss - logFT) / (T(Double.pi) * q)
        let invOmega = 1 / omega
        p.variate = T(sign) * dz * invOmega
        p.a = -p.variate
        p.b = -dz * zs * invOmega
        p.c = T(sign) * da
        if T.self == Double.self { return T(logF) }
        return T(logF) + dz * (zs - T(zs.value)) + da * (al - T(al.value))
    }
}

/// log F(z; α) of the standard skew normal, accurate in both tails: the side without
/// cancellation from Owen's T (S = Φ(−z) + 2T(z, α) for α ≥ 0, F = Φ(z) − 2T(z, α) for
/// α < 0), the other as log1p(−·) of it when that side is the smaller, and otherwise —
/// when Φ(z) − 2T(z, α) would lose more than three digits — by quadrature of the density.
@usableFromInline func skewNormalLogLowerCDF(_ z: Double, _ a: Double) -> Double {
    if z.isNaN || a.isNaN { return .nan }
    if z == -.infinity { return -.infinity }
    if z == .infinity { return 0 }
    if a < 0 {
        let f = normalCDF(z) - 2 * owensT(z, a)
        if f <= 0.5 { return Foundation.log(f) }
        return Foundation.log1p(-Foundation.exp(skewNormalLogLowerCDF(-z, -a)))
    }
    let s = normalCDF(-z) + 2 * owensT(z, a)
    if s <= 0.5 { return Foundation.log1p(-s) }
    let phi = normalCDF(z)
    let f = phi - 2 * owensT(z, a)
    if f >= 1e-3 * phi { return Foundation.log(f) }
    return skewNormalLowerTailByQuadrature(z, a)
}

/// log ∫_{−∞}^{z} 2φ(t)Φ(αt) dt for α > 0 where F is small: with t = z − s the integrand
/// relative to its value at z, exp(g(s)), decays at least at the rate −g′(0) ≈ |z|(1 + α²);
/// 20-point Gauss–Legendre on pieces of width 1/(|z|(1 + α²) + √(1 + α²)) until a piece
/// adds less than 1e-18 of the total.
func skewNormalLowerTailByQuadrature(_ z: Double, _ a: Double) -> Double {
    func logDensity(_ t: Double) -> Double {
        0.5 * Foundation.log(2 / Double.pi) - 0.5 * t * t + logNormalCDF(a * t)
    }
    let top = logDensity(z)
    let width = 1 / (Swift.abs(z) * (1 + a * a) + (1 + a * a).squareRoot())
    var total = 0.0
    for piece in 0..<4000 {
        let mid = (Double(piece) + 0.5) * width, half = 0.5 * width
        var sum = 0.0
        for k in 0..<GaussLegendre20.nodes.count {
            let s = mid + half * GaussLegendre20.nodes[k]
            sum += GaussLegendre20.weights[k] * Foundation.exp(logDensity(z - s) - top)
        }
        sum *= half
        total += sum
        if sum < 1e-18 * total { break }
    }
    return top + Foundation.log(total)
}
