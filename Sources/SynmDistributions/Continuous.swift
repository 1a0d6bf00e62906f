// Log densities on the real line: normal, student_t, cauchy, double_exponential, logistic,
// and lognormal (a real-line density after log). Formulas: Stan Functions Reference and
// scipy.stats; each kernel writes ∂/∂y and ∂/∂ every argument (derivations inline).
import SynmMath

extension Kernels {
    /// normal(y | μ, σ) = −½z² − log σ − ½log 2π, z = (y − μ)/σ.
    @inlinable public static func normal<T: RealScalar>(
        _ y: T, _ mu: T, _ sigma: T, _ p: inout DensityPartials<T>
    ) -> T {
        let invSigma = 1 / sigma
        let z = (y - mu) * invSigma
        p.variate = -z * invSigma
        p.a = z * invSigma
        p.b = (z * z - 1) * invSigma
        p.c = 0
        return -0.5 * z * z - T.log(sigma) - T(halfLog2Pi)
    }

    /// student_t(y | ν, μ, σ) = log Γ((ν+1)/2) − log Γ(ν/2) − ½log(νπ) − log σ
    /// − (ν+1)/2 · log1p(z²/ν) (log1p keeps precision for small z²/ν, as scipy does).
    @inlinable public static func studentT<T: RealScalar>(
        _ y: T, _ nu: T, _ mu: T, _ sigma: T, _ p: inout DensityPartials<T>
    ) -> T {
        let invSigma = 1 / sigma
        let z = (y - mu) * invSigma
        let r = z * z / nu
        let half = 0.5 * (nu + 1)
        let l1p = T.log1p(r)
        // ∂/∂z of −(ν+1)/2·log1p(z²/ν) = −(ν+1) z / (ν (1 + r)).
        let dz = -(nu + 1) * z / (nu * (1 + r))
        p.variate = dz * invSigma
        p.a = 0.5 * digammaDifference(0.5 * nu, 0.5) - 0.5 / nu - 0.5 * l1p
            + half * r / (nu * (1 + r))
        p.b = -dz * invSigma
        p.c = (-1 - dz * z) * invSigma
        // log Γ((ν+1)/2) − log Γ(ν/2) by Stirling for ν ≥ 200 (no cancellation at large ν).
        return logGammaDifference(0.5 * nu, 0.5) - 0.5 * T.log(nu) - T(0.5 * logPi)
            - T.log(sigma) - half * l1p
    }

    /// cauchy(y | μ, σ) = −log π − log σ − log1p(z²).
    @inlinable public static func cauchy<T: RealScalar>(
        _ y: T, _ mu: T, _ sigma: T, _ p: inout DensityPartials<T>
    ) -> T {
        let invSigma = 1 / sigma
        let z = (y - mu) * invSigma
        let dz = -2 * z / (1 + z * z)
        p.variate = dz * invSigma
        p.a = -dz * invSigma
        p.b = (-1 - dz * z) * invSigma
        p.c = 0
        return -T(logPi) - T.log(sigma) - T.log1p(z * z)
    }

    /// double_exponential(y | μ, σ) = −log 2σ − |y − μ|/σ. At y = μ (a kink) the partials
    /// in y and μ are taken as 0, the midpoint of the subgradient.
    @inlinable public static func doubleExponential<T: RealScalar>(
        _ y: T, _ mu: T, _ sigma: T, _ p: inout DensityPartials<T>
    ) -> T {
        let invSigma = 1 / sigma
        let diff = y - mu
        let sign: T = diff.value > 0 ? 1 : (diff.value < 0 ? -1 : 0)
        let absDiff = sign * diff
        p.variate = -sign * invSigma
        p.a = sign * invSigma
        p.b = (absDiff * invSigma - 1) * invSigma
        p.c = 0
        return -T(0.693_147_180_559_945_309_42) - T.log(sigma) - absDiff * invSigma
    }

    /// logistic(y | μ, σ) = −|z| − log σ − 2·log1p(e^{−|z|}) (symmetric form, as scipy).
    /// ∂/∂z = −tanh(z/2).
    @inlinable public static func logistic<T: RealScalar>(
        _ y: T, _ mu: T, _ sigma: T, _ p: inout DensityPartials<T>
    ) -> T {
        let invSigma = 1 / sigma
        let z = (y - mu) * invSigma
        let absZ = T.abs(z)
        let dz = -T.tanh(0.5 * z)
        p.variate = dz * invSigma
        p.a = -dz * invSigma
        p.b = (-1 - dz * z) * invSigma
        p.c = 0
        return -absZ - T.log(sigma) - 2 * T.log1p(T.exp(-absZ))
    }

    /// lognormal(y | μ, σ) = −½z² − log σ − ½log 2π − log y, z = (log y − μ)/σ; y > 0.
    @inlinable public static func lognormal<T: RealScalar>(
        _ y: T, _ mu: T, _ sigma: T, _ p: inout DensityPartials<T>
    ) -> T {
        guard y.value > 0, y.value.isFinite else { return outside(&p) }
        let invSigma = 1 / sigma
        let logY = T.log(y)
        let z = (logY - mu) * invSigma
        p.variate = (-z * invSigma - 1) / y
        p.a = z * invSigma
        p.b = (z * z - 1) * invSigma
        p.c = 0
        return -0.5 * z * z - T.log(sigma) - T(halfLog2Pi) - logY
    }
}
