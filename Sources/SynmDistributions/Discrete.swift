// Log mass functions: bernoulli(_logit), binomial(_logit), poisson(_log), neg_binomial_2.
// Normalised as scipy.stats (bernoulli, binom, poisson, nbinom); logit/log forms are evaluated
// directly on the linear predictor (log1pExp) so they stay finite where inv_logit/exp saturate.
import SynmMath

extension Kernels {
    /// bernoulli(y | θ): log θ for y = 1, log1p(−θ) for y = 0.
    @inlinable public static func bernoulli<T: RealScalar>(
        _ y: T, _ theta: T, _ p: inout DensityPartials<T>
    ) -> T {
        p.zero()
        if y.value == 1 {
            p.a = 1 / theta
            return T.log(theta)
        }
        guard y.value == 0 else { return outside(&p) }
        p.a = -1 / (1 - theta)
        return T.log1p(-theta)
    }

    /// bernoulli_logit(y | α) = −log1p(e^{−α}) for y = 1, −log1p(e^{α}) for y = 0.
    /// ∂/∂α = y − inv_logit(α), written as ±inv_logit(∓α) to keep relative precision.
    @inlinable public static func bernoulliLogit<T: RealScalar>(
        _ y: T, _ alpha: T, _ p: inout DensityPartials<T>
    ) -> T {
        p.zero()
        if y.value == 1 {
            p.a = invLogit(-alpha)
            return -log1pExp(-alpha)
        }
        guard y.value == 0 else { return outside(&p) }
        p.a = -invLogit(alpha)
        return -log1pExp(alpha)
    }

    /// binomial(y | N, θ) = log C(N, y) + y log θ + (N − y) log1p(−θ), with 0·log 0 = 0
    /// (scipy's xlogy/xlog1py), so θ ∈ {0, 1} is handled. N is an integer argument (∂ = 0).
    @inlinable public static func binomial<T: RealScalar>(
        _ y: T, _ n: T, _ theta: T, _ p: inout DensityPartials<T>
    ) -> T {
        let k = y.value, nn = n.value
        guard isCount(k, upper: nn) else { return outside(&p) }
        p.zero()
        var lp = T(logChoose(nn, k))
        if k > 0 {
            lp += y * T.log(theta)
            p.b = y / theta
        }
        if nn - k > 0 {
            let m = n - y
            lp += m * T.log1p(-theta)
            p.b -= m / (1 - theta)
        }
        return lp
    }

    /// binomial_logit(y | N, α) = log C(N, y) − y·log1p(e^{−α}) − (N − y)·log1p(e^{α}).
    /// ∂/∂α = y·inv_logit(−α) − (N − y)·inv_logit(α) (= y − N·inv_logit(α)).
    @inlinable public static func binomialLogit<T: RealScalar>(
        _ y: T, _ n: T, _ alpha: T, _ p: inout DensityPartials<T>
    ) -> T {
        let k = y.value, nn = n.value
        guard isCount(k, upper: nn) else { return outside(&p) }
        p.zero()
        var lp = T(logChoose(nn, k))
        if k > 0 {
            lp -= y * log1pExp(-alpha)
            p.b = y * invLogit(-alpha)
        }
        if nn - k > 0 {
            let m = n - y
            lp -= m * log1pExp(alpha)
            p.b -= m * invLogit(alpha)
        }
        return lp
    }

    /// poisson(y | λ) = y log λ − λ − log y!, with 0·log 0 = 0 so λ = 0 is allowed.
    @inlinable public static func poisson<T: RealScalar>(
        _ y: T, _ lambda: T, _ p: inout DensityPartials<T>
    ) -> T {
        guard isCount(y.value) else { return outside(&p) }
        p.zero()
        var lp = -lambda - T(logGamma(y.value + 1))
        p.a = -1
        if y.value > 0 {
            lp += y * T.log(lambda)
            p.a += y / lambda
        }
        return lp
    }

    /// poisson_log(y | α) = yα − e^α − log y!.
    @inlinable public static func poissonLog<T: RealScalar>(
        _ y: T, _ alpha: T, _ p: inout DensityPartials<T>
    ) -> T {
        guard isCount(y.value) else { return outside(&p) }
        p.zero()
        let lambda = T.exp(alpha)
        p.a = y - lambda
        return y * alpha - lambda - T(logGamma(y.value + 1))
    }

    /// neg_binomial_2(y | μ, φ) = log Γ(y + φ) − log y! − log Γ(φ) + y log(μ/(μ + φ))
    /// − φ·log1p(μ/φ). For φ ≥ 100 the difference log Γ(y + φ) − log Γ(φ) cancels
    /// catastrophically, so it is rewritten with Stirling's series (see `nb2LargePhi`);
    /// as φ → ∞ this tends to poisson(y | μ) without loss of precision.
    @inlinable public static func negBinomial2<T: RealScalar>(
        _ y: T, _ mu: T, _ phi: T, _ p: inout DensityPartials<T>
    ) -> T {
        guard isCount(y.value) else { return outside(&p) }
        p.zero()
        let muPlusPhi = mu + phi
        let log1pMuPhi = T.log1p(mu / phi)
        // ∂/∂μ = y/μ − (y + φ)/(μ + φ) = φ(y − μ)/(μ(μ + φ)).
        p.a = phi * (y - mu) / (mu * muPlusPhi)
        if phi.value >= 100 { return nb2LargePhi(y, mu, phi, log1pMuPhi, &p) }
        p.b = T.digamma(y + phi) - T.digamma(phi) - log1pMuPhi + (mu - y) / muPlusPhi
        var lp = T.lgamma(y + phi) - T.lgamma(phi) - T(logGamma(y.value + 1)) - phi * log1pMuPhi
        if y.value > 0 { lp += y * T.log(mu / muPlusPhi) }
        return lp
    }

    /// neg_binomial_2 for φ ≥ 100. With Stirling's series log Γ(x) = (x − ½) log x − x
    /// + ½ log 2π + δ(x) (DLMF 5.11.1), log Γ(φ + y) − log Γ(φ) = (φ − ½) log1p(y/φ)
    /// + y log(φ + y) − y + δ(φ + y) − δ(φ), and collecting terms,
    /// lp = (φ + y − ½) log1p(y/φ) − (φ + y) log1p(μ/φ) + y log μ − y − log y! + Δδ.
    /// ∂/∂φ uses ψ(x) = log x − 1/(2x) + δ′(x) the same way, so it is the exact derivative
    /// of this form (and stays exact under forward-mode differentiation).
    @inlinable static func nb2LargePhi<T: RealScalar>(
        _ y: T, _ mu: T, _ phi: T, _ log1pMuPhi: T, _ p: inout DensityPartials<T>
    ) -> T {
        let yPhi = y + phi
        let log1pYPhi = T.log1p(y / phi)
        let deltaDiff = stirlingDelta(yPhi) - stirlingDelta(phi)
        let dDeltaDiff = stirlingDeltaPrime(yPhi) - stirlingDeltaPrime(phi)
        // ψ(φ + y) − ψ(φ) = log1p(y/φ) + y/(2φ(φ + y)) + δ′(φ + y) − δ′(φ)
        let psiDiff = log1pYPhi + y / (2 * phi * yPhi) + dDeltaDiff
        p.b = psiDiff - log1pMuPhi + (mu - y) / (mu + phi)
        var lp = (yPhi - 0.5) * log1pYPhi - yPhi * log1pMuPhi - y - T(logGamma(y.value + 1))
            + deltaDiff
        if y.value > 0 { lp += y * T.log(mu) }
        return lp
    }

    /// δ(x) = log Γ(x) − [(x − ½) log x − x + ½ log 2π] ≈ 1/(12x) − 1/(360x³) + 1/(1260x⁵)
    /// − 1/(1680x⁷) (DLMF 5.11.1); truncation error < 1/(1188 x⁹), negligible for x ≥ 100.
    @inlinable static func stirlingDelta<T: RealScalar>(_ x: T) -> T {
        let inv = 1 / x
        let inv2 = inv * inv
        return inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680))))
    }

    /// δ′(x) = −1/(12x²) + 1/(120x⁴) − 1/(252x⁶) + 1/(240x⁸), the derivative of `stirlingDelta`.
    @inlinable static func stirlingDeltaPrime<T: RealScalar>(_ x: T) -> T {
        let inv2 = 1 / (x * x)
        return -inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240))))
    }
}
