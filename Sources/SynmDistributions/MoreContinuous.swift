// Log densities of Stan's further continuous families: von_mises, skew_normal, gumbel,
// pareto, scaled_inv_chi_square, chi_square, inv_chi_square, frechet and rayleigh.
// Formulas and parameterisations: Stan Functions Reference ("Continuous Distributions on
// [−∞, ∞]", "Positive Continuous Distributions", "Positive Lower-Bounded Distributions",
// "Circular Distributions"); normalisation as scipy.stats (vonmises, skewnorm, gumbel_r,
// pareto, invgamma, chi2, invweibull, rayleigh). Each kernel writes every partial
// (derivations inline).
import Foundation
import SynmMath

extension Kernels {
    /// log 2π.
    @inlinable static var log2Pi: Double { 1.837_877_066_409_345_483_56 }

    /// cos x and sin x in `T` arithmetic (values from Foundation, tangents by `lift`).
    @inlinable static func cosSin<T: RealScalar>(_ x: T) -> (cos: T, sin: T) {
        let c = Foundation.cos(x.value), s = Foundation.sin(x.value)
        return (lift(x, value: c, derivative: T(-s)), lift(x, value: s, derivative: T(c)))
    }

    /// log Φ(u) and the inverse Mills ratio r(u) = φ(u)/Φ(u) = d/du log Φ(u), in `T`
    /// arithmetic: values from SynmMath's `logNormalCDF` (accurate in both tails), tangents by
    /// `lift` with r′(u) = −r(u)(u + r(u)).
    ///
    /// For u < −30 (where `logNormalCDF` uses the Mills-ratio series S(u) = 1 − 1/u² + 3/u⁴ − …,
    /// A&S 26.2.12) r = −u/S and u + r = u(S − 1)/S are taken from the same series, so r′
    /// keeps its relative accuracy where u + r ≈ −1/u would cancel.
    @inlinable public static func logPhi<T: RealScalar>(_ u: T) -> (value: T, ratio: T) {
        let u0 = u.value
        let l0 = logNormalCDF(u0)
        var r0: Double, uPlusR: Double
        if u0 < -30 {
            let inv2 = 1 / (u0 * u0)
            var term = 1.0, sMinus1 = 0.0, k = 1.0
            while true {
                term *= -(2 * k - 1) * inv2
                sMinus1 += term
                if Swift.abs(term) < 1e-17 * Swift.abs(sMinus1) { break }
                k += 1
            }
            r0 = -u0 / (1 + sMinus1)
            uPlusR = u0 * sMinus1 / (1 + sMinus1)
        } else {
            r0 = Foundation.exp(-0.5 * u0 * u0 - halfLog2Pi - l0)
            uPlusR = u0 + r0
        }
        let r = lift(u, value: r0, derivative: T(-r0 * uPlusR))
        return (lift(u, value: l0, derivative: r), r)
    }

    /// von_mises(y | μ, κ) = κ cos(y − μ) − log 2π − log I₀(κ), for any finite y (the
    /// density is 2π-periodic; Stan's normalisation over one period). ∂/∂κ = cos(y − μ) − A(κ)
    /// with A = I₁/I₀ (SynmMath's `besselI1OverI0`, A′ = 1 − A/κ − A²).
    @inlinable public static func vonMises<T: RealScalar>(
        _ y: T, _ mu: T, _ kappa: T, _ p: inout DensityPartials<T>
    ) -> T {
        guard y.value.isFinite else { return outside(&p) }
        let (c, s) = cosSin(y - mu)
        let k0 = kappa.value
        let a = lift(kappa, value: besselI1OverI0(k0), derivative: T(besselI1OverI0Derivative(k0)))
        let logI0 = lift(kappa, value: logBesselI0(k0), derivative: a)
        p.variate = -kappa * s
        p.a = kappa * s
        p.b = c - a
        p.c = 0
        return kappa * c - T(log2Pi) - logI0
    }

    /// skew_normal(y | ξ, ω, α) = log 2 − log ω − ½log 2π − ½z² + log Φ(αz), z = (y − ξ)/ω.
    /// With r = φ(αz)/Φ(αz): ∂/∂z = −z + αr, ∂/∂α = zr.
    @inlinable public static func skewNormal<T: RealScalar>(
        _ y: T, _ xi: T, _ omega: T, _ alpha: T, _ p: inout DensityPartials<T>
    ) -> T {
        let invOmega = 1 / omega
        let z = (y - xi) * invOmega
        let (logPhiAZ, r) = logPhi(alpha * z)
        let dz = -z + alpha * r
        p.variate = dz * invOmega
        p.a = -dz * invOmega
        p.b = (-1 - dz * z) * invOmega
        p.c = z * r
        return T(0.693_147_180_559_945_309_42) - T.log(omega) - T(halfLog2Pi) - 0.5 * z * z + logPhiAZ
    }

    /// gumbel(y | μ, β) = −log β − z − e^{−z}, z = (y − μ)/β. ∂/∂z = e^{−z} − 1.
    @inlinable public static func gumbel<T: RealScalar>(
        _ y: T, _ mu: T, _ beta: T, _ p: inout DensityPartials<T>
    ) -> T {
        let invBeta = 1 / beta
        let z = (y - mu) * invBeta
        let e = T.exp(-z)
        let dz = e - 1
        p.variate = dz * invBeta
        p.a = -dz * invBeta
        p.b = (-1 - dz * z) * invBeta
        p.c = 0
        return -T.log(beta) - z - e
    }

    /// pareto(y | y_min, α) = log α + α log y_min − (α + 1) log y for y ≥ y_min (−∞ below).
    @inlinable public static func pareto<T: RealScalar>(
        _ y: T, _ yMin: T, _ alpha: T, _ p: inout DensityPartials<T>
    ) -> T {
        guard y.value >= yMin.value, y.value.isFinite else { return outside(&p) }
        let logY = T.log(y), logYMin = T.log(yMin)
        p.variate = -(alpha + 1) / y
        p.a = alpha / yMin
        p.b = 1 / alpha + logYMin - logY
        p.c = 0
        return T.log(alpha) + alpha * logYMin - (alpha + 1) * logY
    }

    /// scaled_inv_chi_square(y | ν, s) = (ν/2) log(ν/2) − log Γ(ν/2) + ν log s
    /// − (ν/2 + 1) log y − νs²/(2y) for y > 0.
    @inlinable public static func scaledInvChiSquare<T: RealScalar>(
        _ y: T, _ nu: T, _ s: T, _ p: inout DensityPartials<T>
    ) -> T {
        guard y.value > 0, y.value.isFinite else { return outside(&p) }
        let half = 0.5 * nu
        let logY = T.log(y), logHalf = T.log(half), logS = T.log(s)
        let s2 = s * s
        let invY = 1 / y
        p.variate = (-(half + 1) + half * s2 * invY) * invY
        p.a = 0.5 * logHalf + 0.5 - 0.5 * T.digamma(half) + logS - 0.5 * logY - 0.5 * s2 * invY
        p.b = nu / s - nu * s * invY
        p.c = 0
        return half * logHalf - T.lgamma(half) + nu * logS - (half + 1) * logY - half * s2 * invY
    }

    /// chi_square(y | ν) = (ν/2 − 1) log y − y/2 − (ν/2) log 2 − log Γ(ν/2) for y > 0.
    @inlinable public static func chiSquare<T: RealScalar>(
        _ y: T, _ nu: T, _ p: inout DensityPartials<T>
    ) -> T {
        guard y.value > 0, y.value.isFinite else { return outside(&p) }
        let half = 0.5 * nu
        let logY = T.log(y)
        let log2 = T(0.693_147_180_559_945_309_42)
        p.variate = (half - 1) / y - 0.5
        p.a = 0.5 * logY - 0.5 * log2 - 0.5 * T.digamma(half)
        p.b = 0
        p.c = 0
        return (half - 1) * logY - 0.5 * y - half * log2 - T.lgamma(half)
    }

    /// inv_chi_square(y | ν) = −(ν/2) log 2 − log Γ(ν/2) − (ν/2 + 1) log y − 1/(2y) for y > 0.
    @inlinable public static func invChiSquare<T: RealScalar>(
        _ y: T, _ nu: T, _ p: inout DensityPartials<T>
    ) -> T {
        guard y.value > 0, y.value.isFinite else { return outside(&p) }
        let half = 0.5 * nu
        let logY = T.log(y)
        let log2 = T(0.693_147_180_559_945_309_42)
        let invY = 1 / y
        p.variate = (-(half + 1) + 0.5 * invY) * invY
        p.a = -0.5 * log2 - 0.5 * T.digamma(half) - 0.5 * logY
        p.b = 0
        p.c = 0
        return -half * log2 - T.lgamma(half) - (half + 1) * logY - 0.5 * invY
    }

    /// frechet(y | α, σ) = log α − log σ − (1 + α) log(y/σ) − (y/σ)^{−α} for y > 0
    /// (α the shape, σ the scale; scipy `invweibull(c = α, scale = σ)`).
    @inlinable public static func frechet<T: RealScalar>(
        _ y: T, _ alpha: T, _ sigma: T, _ p: inout DensityPartials<T>
    ) -> T {
        guard y.value > 0, y.value.isFinite else { return outside(&p) }
        let logR = T.log(y / sigma)
        let power = T.exp(-alpha * logR)  // (y/σ)^{−α}
        p.variate = (alpha * power - 1 - alpha) / y
        p.a = 1 / alpha - logR + logR * power
        p.b = alpha * (1 - power) / sigma
        p.c = 0
        return T.log(alpha) - T.log(sigma) - (1 + alpha) * logR - power
    }

    /// std_normal(y) = −½y² − ½log 2π.
    @inlinable public static func stdNormal<T: RealScalar>(_ y: T, _ p: inout DensityPartials<T>) -> T {
        p.zero()
        p.variate = -y
        return -0.5 * y * y - T(halfLog2Pi)
    }

    /// beta_proportion(y | μ, κ) = beta(y | μκ, (1 − μ)κ); by the chain rule, with ∂a, ∂b
    /// beta's partials: ∂/∂μ = κ(∂a − ∂b), ∂/∂κ = μ∂a + (1 − μ)∂b.
    @inlinable public static func betaProportion<T: RealScalar>(
        _ y: T, _ mu: T, _ kappa: T, _ p: inout DensityPartials<T>
    ) -> T {
        var q = DensityPartials<T>()
        let lp = beta(y, mu * kappa, (1 - mu) * kappa, &q)
        guard lp.value > -.infinity else { return outside(&p) }
        p.variate = q.variate
        p.a = kappa * (q.a - q.b)
        p.b = mu * q.a + (1 - mu) * q.b
        p.c = 0
        return lp
    }

    /// rayleigh(y | σ) = log y − 2 log σ − y²/(2σ²) for y > 0.
    @inlinable public static func rayleigh<T: RealScalar>(
        _ y: T, _ sigma: T, _ p: inout DensityPartials<T>
    ) -> T {
        guard y.value > 0, y.value.isFinite else { return outside(&p) }
        let invSigma = 1 / sigma
        let r = y * invSigma
        p.variate = 1 / y - r * invSigma
        p.a = (r * r - 2) * invSigma
        p.b = 0
        p.c = 0
        return T.log(y) - 2 * T.log(sigma) - 0.5 * r * r
    }
}
