// Log densities on bounded or half-bounded supports: exponential, gamma, inv_gamma, weibull
// (y > 0), beta (0 < y < 1) and uniform (alpha ≤ y ≤ beta). Formulas: Stan Functions
// Reference; normalisation as in scipy.stats (expon, gamma, invgamma, weibull_min, beta, uniform).
import SynmMath

extension Kernels {
    /// exponential(y | β) = log β − βy for y ≥ 0 (β the rate).
    @inlinable public static func exponential<T: RealScalar>(
        _ y: T, _ beta: T, _ p: inout DensityPartials<T>
    ) -> T {
        guard y.value >= 0, y.value.isFinite else { return outside(&p) }
        p.variate = -beta
        p.a = 1 / beta - y
        p.b = 0
        p.c = 0
        return T.log(beta) - beta * y
    }

    /// gamma(y | α, β) = α log β − log Γ(α) + (α − 1) log y − βy for y > 0 (β the rate).
    @inlinable public static func gamma<T: RealScalar>(
        _ y: T, _ alpha: T, _ beta: T, _ p: inout DensityPartials<T>
    ) -> T {
        guard y.value > 0, y.value.isFinite else { return outside(&p) }
        let logY = T.log(y)
        let logBeta = T.log(beta)
        p.variate = (alpha - 1) / y - beta
        p.a = logBeta - T.digamma(alpha) + logY
        p.b = alpha / beta - y
        p.c = 0
        return alpha * logBeta - T.lgamma(alpha) + (alpha - 1) * logY - beta * y
    }

    /// inv_gamma(y | α, β) = α log β − log Γ(α) − (α + 1) log y − β/y for y > 0 (β the scale).
    @inlinable public static func invGamma<T: RealScalar>(
        _ y: T, _ alpha: T, _ beta: T, _ p: inout DensityPartials<T>
    ) -> T {
        guard y.value > 0, y.value.isFinite else { return outside(&p) }
        let logY = T.log(y)
        let logBeta = T.log(beta)
        let invY = 1 / y
        p.variate = (beta * invY - (alpha + 1)) * invY
        p.a = logBeta - T.digamma(alpha) - logY
        p.b = alpha / beta - invY
        p.c = 0
        return alpha * logBeta - T.lgamma(alpha) - (alpha + 1) * logY - beta * invY
    }

    /// weibull(y | α, σ) = log α − log σ + (α − 1) log(y/σ) − (y/σ)^α for y > 0
    /// (α the shape, σ the scale; scipy `weibull_min(c = α, scale = σ)`).
    @inlinable public static func weibull<T: RealScalar>(
        _ y: T, _ alpha: T, _ sigma: T, _ p: inout DensityPartials<T>
    ) -> T {
        guard y.value > 0, y.value.isFinite else { return outside(&p) }
        let logR = T.log(y / sigma)
        let rPow = T.exp(alpha * logR)  // (y/σ)^α
        p.variate = (alpha - 1 - alpha * rPow) / y
        p.a = 1 / alpha + logR * (1 - rPow)
        p.b = alpha * (rPow - 1) / sigma
        p.c = 0
        return T.log(alpha) - T.log(sigma) + (alpha - 1) * logR - rPow
    }

    /// beta(y | a, b) = (a − 1) log y + (b − 1) log1p(−y) − log B(a, b) for 0 < y < 1.
    /// log B(a, b) = log Γ(a) − [log Γ(a + b) − log Γ(b)] with the bracket from
    /// `logGammaDifference` (Stirling when the larger shape is ≥ 100).
    @inlinable public static func beta<T: RealScalar>(
        _ y: T, _ a: T, _ b: T, _ p: inout DensityPartials<T>
    ) -> T {
        guard y.value > 0, y.value < 1 else { return outside(&p) }
        let logY = T.log(y)
        let log1mY = T.log1p(-y)
        let psiAB = T.digamma(a + b)
        p.variate = (a - 1) / y - (b - 1) / (1 - y)
        p.a = logY - T.digamma(a) + psiAB
        p.b = log1mY - T.digamma(b) + psiAB
        p.c = 0
        let logB = b.value >= a.value
            ? T.lgamma(a) - logGammaDifference(b, a) : T.lgamma(b) - logGammaDifference(a, b)
        return (a - 1) * logY + (b - 1) * log1mY - logB
    }

    /// uniform(y | α, β) = −log(β − α) for α ≤ y ≤ β (closed, as Stan and scipy).
    @inlinable public static func uniform<T: RealScalar>(
        _ y: T, _ alpha: T, _ beta: T, _ p: inout DensityPartials<T>
    ) -> T {
        guard y.value >= alpha.value, y.value <= beta.value else { return outside(&p) }
        let width = beta - alpha
        p.variate = 0
        p.a = 1 / width
        p.b = -1 / width
        p.c = 0
        return -T.log(width)
    }
}
