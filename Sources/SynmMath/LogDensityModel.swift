// The one interface between a model and the algorithms that use it (samplers, optimisers):
// a log density on the unconstrained space ℝⁿ and its gradient. Samplers never see the
// language, the tape or the data (as in BlackJAX, Gen and DynamicPPL's LogDensityProblems).

/// A differentiable log density on ℝⁿ.
///
/// Evaluation may use internal scratch state (an autodiff tape), hence `mutating`: give each
/// thread (each chain) its own copy. Implementations must be deterministic: the same `x`
/// gives the same result, bit for bit.
public protocol LogDensityModel: Sendable {
    /// n, the number of unconstrained coordinates.
    var dimension: Int { get }

    /// log π(x) up to an additive constant, and ∇ log π(x) written into `gradient` (which has
    /// `dimension` elements). Returns −∞ when x is outside the support or the density cannot
    /// be evaluated there (a domain error, an overflow); the gradient is then unspecified.
    mutating func logDensityAndGradient(_ x: [Double], gradient: inout [Double]) -> Double

    /// log π(x) alone; the default computes the gradient too and discards it.
    mutating func logDensity(_ x: [Double]) -> Double

    /// When `logDensity(x)` is not finite: a short explanation of which term failed and why
    /// (`"y ~ normal(mu, sigma): sigma must be > 0, got -1"`), for initialisation errors.
    mutating func explainNonFinite(_ x: [Double]) -> String?
}

extension LogDensityModel {
    public mutating func logDensity(_ x: [Double]) -> Double {
        var g = [Double](repeating: 0, count: dimension)
        return logDensityAndGradient(x, gradient: &g)
    }

    public mutating func explainNonFinite(_ x: [Double]) -> String? { nil }
}
