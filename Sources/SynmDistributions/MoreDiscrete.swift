// Log mass functions of beta_binomial(N, α, β) and neg_binomial(α, β) (Stan Functions
// Reference, "Bounded Discrete Distributions" and "Unbounded Discrete Distributions");
// normalisation as scipy.stats betabinom and nbinom(n = α, p = β/(1 + β)).
import Foundation
import SynmMath

extension Kernels {
    /// A value computed in Double carrying the first-order parts da·(a − a.value) +
    /// db·(b − b.value) on a dual type (exactly `value` on Double; see SynmMath's `lift`).
    @inlinable static func lift2<T: RealScalar>(_ a: T, _ b: T, value: Double, _ da: T, _ db: T) -> T {
        if T.self == Double.self { return T(value) }
        return T(value) + da * (a - T(a.value)) + db * (b - T(b.value))
    }

    /// beta_binomial(n | N, α, β) = log C(N, n) + log B(n + α, N − n + β) − log B(α, β).
    /// The value from SynmMath's `logBeta` (no cancellation for large shapes); with
    /// ψ₊ = ψ(N + α + β) − ψ(α + β): ∂/∂α = ψ(n + α) − ψ(α) − ψ₊, ∂/∂β = ψ(N − n + β) − ψ(β) − ψ₊.
    @inlinable public static func betaBinomial<T: RealScalar>(
        _ y: T, _ n: T, _ alpha: T, _ beta: T, _ p: inout DensityPartials<T>
    ) -> T {
        let k = y.value, nn = n.value
        guard isCount(k, upper: nn) else { return outside(&p) }
        p.zero()
        let psiTotal = T.digamma(n + alpha + beta) - T.digamma(alpha + beta)
        p.b = T.digamma(y + alpha) - T.digamma(alpha) - psiTotal
        p.c = T.digamma(n - y + beta) - T.digamma(beta) - psiTotal
        let value = logChoose(nn, k) + logBeta(k + alpha.value, nn - k + beta.value) - logBeta(alpha.value, beta.value)
        return lift2(alpha, beta, value: value, p.b, p.c)
    }

    /// neg_binomial(n | α, β) = log Γ(n + α) − log n! − log Γ(α) + α log(β/(1 + β))
    /// − n log(1 + β): ∂/∂α = ψ(n + α) − ψ(α) + log β − log1p(β), ∂/∂β = α/β − (α + n)/(1 + β).
    @inlinable public static func negBinomial<T: RealScalar>(
        _ y: T, _ alpha: T, _ beta: T, _ p: inout DensityPartials<T>
    ) -> T {
        guard isCount(y.value) else { return outside(&p) }
        p.zero()
        let log1pBeta = T.log1p(beta)
        let logBetaTerm = T.log(beta) - log1pBeta
        p.a = digammaDifference(alpha, y) + logBetaTerm
        p.b = alpha / beta - (alpha + y) / (1 + beta)
        return logGammaDifference(alpha, y) - T(logGamma(y.value + 1)) + alpha * logBetaTerm - y * log1pBeta
    }
}
