// Streaming mean and (co)variance of warmup draws (Welford's algorithm), with Stan's
// regularisation toward a small multiple of the identity before use as an inverse metric.
//
// [1] Welford 1962, "Note on a method for calculating corrected sums of squares and products",
//     Technometrics 4(3):419–420.
// [2] Stan, src/stan/math/prim/.../welford_var_estimator.hpp, welford_covar_estimator.hpp;
//     src/stan/mcmc/var_adaptation.hpp and covar_adaptation.hpp (the regularisation).

import SynmMath

/// Welford's running mean and sum of squared deviations, per coordinate or as a full matrix.
public struct WelfordEstimator: Sendable, Equatable {
    /// The number of samples added since the last restart.
    public private(set) var count = 0
    /// The running mean.
    public private(set) var mean: [Double]
    /// Σ (x − x̄)(x − x̄)ᵀ, row-major d×d when `dense`, else its diagonal (d values).
    public private(set) var m2: [Double]
    /// Whether the full covariance is tracked.
    public let dense: Bool

    /// An empty estimator for `dimension` coordinates.
    public init(dimension: Int, dense: Bool = false) {
        self.dense = dense
        mean = [Double](repeating: 0, count: dimension)
        m2 = [Double](repeating: 0, count: dense ? dimension * dimension : dimension)
    }

    /// Forgets every sample.
    public mutating func restart() {
        self = WelfordEstimator(dimension: mean.count, dense: dense)
    }

    /// Adds one sample [1]: x̄ₙ = x̄ₙ₋₁ + (x − x̄ₙ₋₁)/n, M2 += (x − x̄ₙ₋₁)(x − x̄ₙ)ᵀ.
    public mutating func add(_ x: [Double]) {
        count += 1
        let n = mean.count
        var before = [Double](repeating: 0, count: n)
        for i in 0..<n {
            before[i] = x[i] - mean[i]
            mean[i] += before[i] / Double(count)
        }
        if dense {
            for i in 0..<n {
                for j in 0..<n { m2[i * n + j] += before[i] * (x[j] - mean[j]) }
            }
        } else {
            for i in 0..<n { m2[i] += before[i] * (x[i] - mean[i]) }
        }
    }

    /// The sample (co)variance M2/(n − 1); zeros when fewer than two samples.
    public var sampleVariance: [Double] {
        guard count > 1 else { return [Double](repeating: 0, count: m2.count) }
        return m2.map { $0 / Double(count - 1) }
    }

    /// Stan's regularised estimate [2]: (n/(n+5))·Σ̂ + 10⁻³·(5/(n+5))·I, shrinking a short
    /// window's estimate toward a small multiple of the identity (5 and 1e-3, from Stan).
    public var regularized: [Double] {
        let n = Double(count)
        let d = mean.count
        var v = sampleVariance
        for k in 0..<v.count { v[k] *= n / (n + 5) }
        let shrink = 1e-3 * (5 / (n + 5))
        if dense {
            for i in 0..<d { v[i * d + i] += shrink }
        } else {
            for i in 0..<d { v[i] += shrink }
        }
        return v
    }

    /// The regularised estimate as a metric (diagonal or dense); nil if it is not finite or,
    /// for a dense estimate, not positive definite.
    public func regularizedMetric() -> Metric? {
        let v = regularized
        guard v.allSatisfy(\.isFinite) else { return nil }
        if dense {
            // The rank-one updates leave M2 symmetric only to rounding; Stan's Cholesky (Eigen's
            // LLT) reads the lower triangle, so the lower triangle is mirrored: the metric used
            // for M⁻¹p is then exactly the one factorised.
            let d = mean.count
            var sym = v
            for i in 0..<d { for j in 0..<i { sym[j * d + i] = sym[i * d + j] } }
            return Metric(dense: Matrix(rows: d, cols: d, storage: sym))
        }
        return Metric(diagonal: v)
    }
}
