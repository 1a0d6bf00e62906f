// The log CDFs of the families whose CDF is another family's under a change of arguments
// (bernoulli, neg_binomial, beta_proportion), a finite sum (beta_binomial), Owen's T
// function (skew_normal) or a Fourier series (von_mises), with their partial derivatives in
// `T` arithmetic. Stan's
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
    /// finite log-sum-exp of the pmf (whose partials are exact), accumulated in one pass with a
    /// running maximum (no per-call arrays).
    @inlinable static func betaBinomialLogCDF<T: RealScalar>(_ k: Double, _ n: T, _ alpha: T, _ beta: T, upper: Bool,
                                                            _ p: inout DensityPartials<T>) -> T {
        let nn = n.value
        if k < 0 { return upper ? 0 : T(-Double.infinity) }
        if k >= nn { return upper ? T(-Double.infinity) : 0 }
        // The terms j of the asked-for side: Σ e^{l_j}, Σ e^{l_j} ∂l_j/∂α, Σ e^{l_j} ∂l_j/∂β,
        // each kept relative to the largest l_j so far (rescaled when a larger one comes).
        let range: ClosedRange<Int> = upper ? Int(k) + 1...Int(nn) : 0...Int(k)
        var q = DensityPartials<T>()
        var top = T(-Double.infinity)
        var sum = T(0), sa = T(0), sb = T(0)
        for j in range {
            q.zero()
            let l = betaBinomial(T(Double(j)), n, alpha, beta, &q)
            if l.value > top.value {
                let scale = top.value == -Double.infinity ? T(0) : T.exp(top - l)
                sum *= scale; sa *= scale; sb *= scale
                top = l
            }
            let w = T.exp(l - top)
            sum += w
            sa += w * q.b
            sb += w * q.c
        }
        p.b = sa / sum
        p.c = sb / sum
        return top + T.log(sum)
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

extension Kernels {
    /// von_mises(μ, κ) on the support [−π, π], as Stan: F(y) = G(y − μ) − G(−π − μ), where
    /// G(x) = ½ + x/2π + Σₖ rₖ sin(kx)/(πk), rₖ = Iₖ(κ)/I₀(κ), is the CDF of the centred
    /// distribution continued past ±π (G(x + 2π) = G(x) + 1; the series of Hill 1977,
    /// "Algorithm 518: incomplete Bessel function I₀", ACM TOMS 3(3)). The ratios come from
    /// the continued fraction Iₖ/Iₖ₋₁ = 1/(2k/κ + Iₖ₊₁/Iₖ) run backwards in `T` arithmetic,
    /// so their κ-tangents are exact; ∂G/∂x is the density and
    /// ∂rₖ/∂κ = (rₖ₋₁ + rₖ₊₁)/2 − rₖr₁. The series is accurate to about 1e-15 absolute, so a
    /// side below 1e-3 is integrated directly (`vonMisesMassByQuadrature`).
    @inlinable static func vonMisesLogCDF<T: RealScalar>(_ y: T, _ mu: T, _ kappa: T, upper: Bool,
                                                        _ p: inout DensityPartials<T>) -> T {
        if y.value <= -Double.pi { return upper ? 0 : T(-Double.infinity) }
        if y.value >= Double.pi { return upper ? T(-Double.infinity) : 0 }
        let x1 = y - mu, x0 = T(-Double.pi) - mu
        let (g1, gk1) = vonMisesCentredCDF(x1, kappa)
        let (g0, gk0) = vonMisesCentredCDF(x0, kappa)
        var q = DensityPartials<T>()
        let f1 = T.exp(vonMises(x1, T(0), kappa, &q)), f0 = T.exp(vonMises(x0, T(0), kappa, &q))
        // P(Y ≤ y) and its κ-derivative; a side below 1e-3 (where the series' absolute
        // accuracy would cost relative digits) by quadrature of the density instead.
        var lower = g1 - g0, lowerK = gk1 - gk0
        var upperSide = g0 + 1 - g1, upperK = gk0 - gk1
        if lower.value < 1e-3 {
            (lower, lowerK) = vonMisesMassByQuadrature(T(-Double.pi), y, mu, kappa)
            upperSide = 1 - lower
            upperK = -lowerK
        } else if upperSide.value < 1e-3 {
            (upperSide, upperK) = vonMisesMassByQuadrature(y, T(Double.pi), mu, kappa)
            lower = 1 - upperSide
            lowerK = -upperK
        }
        let side = upper ? upperSide : lower
        guard side.value > 0 else { return T(-Double.infinity) }
        let sign = T(upper ? -1 : 1)
        p.variate = sign * f1 / side
        p.a = sign * (f0 - f1) / side
        p.b = (upper ? upperK : lowerK) / side
        // The larger side as log1p of minus the smaller (relative accuracy near 0).
        if side.value > 0.5 { return T.log1p(-(upper ? lower : upperSide)) }
        return T.log(side)
    }

    /// (∫ f, ∫ ∂f/∂κ) over [lo, hi] of the von Mises density f(t | μ, κ), ∂f/∂κ =
    /// f·(cos(t − μ) − I₁(κ)/I₀(κ)), by 20-point Gauss–Legendre on pieces no wider than
    /// min(½, 2/√κ) (two standard deviations of the density near its mode), in `T`
    /// arithmetic so that the tangents of the result are the quadrature's exactly.
    @inlinable static func vonMisesMassByQuadrature<T: RealScalar>(_ lo: T, _ hi: T, _ mu: T, _ kappa: T) -> (T, T) {
        let width = hi - lo
        let k0 = kappa.value
        let step = Swift.min(0.5, 2 / Swift.max(k0, 1e-300).squareRoot())
        let pieces = Swift.max(1, Int((width.value / step).rounded(.up)))
        let ratio = lift(kappa, value: besselI1OverI0(k0), derivative: T(besselI1OverI0Derivative(k0)))
        var q = DensityPartials<T>()
        var mass = T(0), massK = T(0)
        for piece in 0..<pieces {
            for k in 0..<GaussLegendre20.nodes.count {
                let u = (Double(piece) + 0.5 + 0.5 * GaussLegendre20.nodes[k]) / Double(pieces)
                let t = lo + width * T(u)
                let f = T.exp(vonMises(t, mu, kappa, &q))
                let w = T(GaussLegendre20.weights[k])
                mass += w * f
                massK += w * f * (cosSin(t - mu).cos - ratio)
            }
        }
        let scale = width / T(Double(2 * pieces))
        return (mass * scale, massK * scale)
    }

    /// (G(x), ∂G/∂κ) of the centred von Mises CDF continued past ±π (see `vonMisesLogCDF`).
    /// Terms until rₖ < 1e-18: rₖ ≈ (κ/2)ᵏ/k! for small κ and exp(−k²/2κ) for large κ.
    @inlinable static func vonMisesCentredCDF<T: RealScalar>(_ x: T, _ kappa: T) -> (T, T) {
        let k0 = kappa.value
        let terms = 30 + Int((10 * k0.squareRoot()).rounded(.up))
        // rₖ for k = 0…terms + 1 from ρₖ = Iₖ/Iₖ₋₁, started well above the last term.
        var rho = T(0)
        var r = [T](repeating: 0, count: terms + 2)
        for k in stride(from: 2 * terms + 20, through: 1, by: -1) {
            rho = 1 / (T(Double(2 * k)) / kappa + rho)
            if k <= terms + 1 { r[k] = rho }
        }
        // The ratios ρₖ become rₖ = ρ₁⋯ρₖ in place.
        r[0] = 1
        for k in 1...(terms + 1) { r[k] = r[k - 1] * r[k] }
        let (c, s1) = cosSin(x)
        var sPrevious = T(0), sk = s1
        var g = T(0.5) + x / T(2 * Double.pi), gk = T(0)
        for k in 1...terms {
            let invPiK = T(1 / (Double.pi * Double(k)))
            g += r[k] * sk * invPiK
            gk += (0.5 * (r[k - 1] + r[k + 1]) - r[k] * r[1]) * sk * invPiK
            let sNext = 2 * c * sk - sPrevious
            sPrevious = sk
            sk = sNext
        }
        return (g, gk)
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
