// Closed forms for iid terms: a constant variate (data) with scalar arguments, where the sum
// over rows depends on the data only through sufficient statistics fixed at compile time —
// n, Σy, Σ(y − ȳ)², Σ log y!. One evaluation costs O(1) instead of O(n); the values equal the
// row sums up to rounding (Σ(y − μ)² is computed as Σ(y − ȳ)² + n(ȳ − μ)², without
// cancellation).
import SynmAutodiff
import SynmDistributions
import SynmMath

/// log(1 + eˣ) in T arithmetic, without overflow.
@inline(__always) func log1pExpT<T: RealScalar>(_ x: T) -> T {
    x.value > 0 ? x + T.log1p(T.exp(-x)) : T.log1p(T.exp(x))
}

extension Evaluator {
    /// The closed-form value and partials (∂/∂a, ∂/∂b) of an iid term, or nil when this
    /// distribution has none here (the row loop then runs).
    static func closedForm(_ d: Distribution, _ s: VariateStatistics, _ a: T, _ b: T) -> (T, T, T)? {
        let n = T(Double(s.count))
        switch d {
        case .normal:
            let mu = a, sigma = b
            let diff = T(s.mean) - mu
            let q = T(s.sumOfSquares) + n * diff * diff
            let inv2 = 1 / (sigma * sigma)
            let lp = -n * T.log(sigma) - n * T(halfLog2Pi) - 0.5 * q * inv2
            return (lp, n * diff * inv2, -n / sigma + q * inv2 / sigma)
        case .bernoulli:
            guard s.isBinary else { return nil }
            let k = T(s.sum), m = n - k
            var lp = T(0), dp = T(0)
            if s.sum > 0 {
                lp += k * T.log(a)
                dp += k / a
            }
            if Double(s.count) - s.sum > 0 {
                lp += m * T.log1p(-a)
                dp -= m / (1 - a)
            }
            return (lp, dp, 0)
        case .bernoulliLogit:
            guard s.isBinary else { return nil }
            let k = T(s.sum), m = n - k
            let lp = -k * log1pExpT(-a) - m * log1pExpT(a)
            return (lp, k * invLogitT(-a) - m * invLogitT(a), 0)
        case .poisson:
            guard let logFactorials = s.sumLogFactorial else { return nil }
            var lp = -n * a - T(logFactorials)
            var dp = -n
            if s.sum > 0 {
                lp += T(s.sum) * T.log(a)
                dp += T(s.sum) / a
            }
            return (lp, dp, 0)
        case .poissonLog:
            guard let logFactorials = s.sumLogFactorial else { return nil }
            let lambda = T.exp(a)
            return (T(s.sum) * a - n * lambda - T(logFactorials), T(s.sum) - n * lambda, 0)
        default:
            return nil
        }
    }
}
