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
    /// One exponential serves both: with t = e^{−|α|} ∈ (0, 1], log1p(e^{±α}) is log1p(t)
    /// plus |α| on the side where the exponent is positive, and inv_logit is t/(1 + t) or
    /// 1/(1 + t) — no overflow, full relative precision, half the transcendental calls.
    @inlinable public static func bernoulliLogit<T: RealScalar>(
        _ y: T, _ alpha: T, _ p: inout DensityPartials<T>
    ) -> T {
        p.zero()
        let positive = alpha.value >= 0
        let t = T.exp(positive ? -alpha : alpha)
        let l = T.log1p(t)
        let small = t / (1 + t), large = 1 / (1 + t)
        if y.value == 1 {
            // −log1p(e^{−α}); ∂ = inv_logit(−α)
            p.a = positive ? small : large
            return positive ? -l : alpha - l
        }
        guard y.value == 0 else { return outside(&p) }
        // −log1p(e^{α}); ∂ = −inv_logit(α)
        p.a = positive ? -large : -small
        return positive ? -alpha - l : -l
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
    /// − φ·log1p(μ/φ). log Γ(y + φ) − log Γ(φ) comes from `logGammaDifference` (Stirling
    /// for φ ≥ 100), so as φ → ∞ the value tends to poisson(y | μ) without loss of precision.
    @inlinable public static func negBinomial2<T: RealScalar>(
        _ y: T, _ mu: T, _ phi: T, _ p: inout DensityPartials<T>
    ) -> T {
        guard isCount(y.value) else { return outside(&p) }
        p.zero()
        let muPlusPhi = mu + phi
        let log1pMuPhi = T.log1p(mu / phi)
        // ∂/∂μ = y/μ − (y + φ)/(μ + φ) = φ(y − μ)/(μ(μ + φ)).
        p.a = phi * (y - mu) / (mu * muPlusPhi)
        // ∂/∂φ = ψ(y + φ) − ψ(φ) + log φ + 1 − log(μ + φ) − (y + φ)/(μ + φ).
        p.b = digammaDifference(phi, y) - log1pMuPhi + (mu - y) / muPlusPhi
        var lp = logGammaDifference(phi, y) - T(logGamma(y.value + 1)) - phi * log1pMuPhi
        // y log(μ/(μ + φ)) = y (log μ − log φ − log1p(μ/φ)), precise when μ ≪ φ.
        if y.value > 0 { lp += y * (T.log(mu / phi) - log1pMuPhi) }
        return lp
    }
}
