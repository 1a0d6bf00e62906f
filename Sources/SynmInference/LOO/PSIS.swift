// Pareto smoothed importance sampling (PSIS) and PSIS leave-one-out cross-validation.
//
// [1] Vehtari, Simpson, Gelman, Yao & Gabry 2024, "Pareto smoothed importance sampling",
//     JMLR 25(72): the M = min(0.2 S, 3 √(S/r_eff)) largest log ratios are replaced by the
//     expected order statistics of a generalized Pareto fit, (j − ½)/M quantiles, shifted by
//     the (M+1)-th largest ratio; smoothed weights are truncated at the largest raw weight;
//     k̂ diagnoses the fit, with the sample-size-dependent threshold min(1 − 1/log₁₀ S, 0.7).
// [2] Zhang & Stephens 2009, "A new and efficient estimation method for the generalized Pareto
//     distribution", Technometrics 51(3): the profile-likelihood-weighted posterior mean of
//     θ = −k/σ over a grid of m = 30 + ⌊√n⌋ points, with the grid's prior scale 3 and the
//     first quartile; [1], Appendix C: k̂ shrunk toward ½ by a weakly informative prior
//     worth 10 observations, k̂ ← (n k̂ + 10·½)/(n + 10).
// [3] Vehtari, Gelman & Gabry 2017, "Practical Bayesian model evaluation using leave-one-out
//     cross-validation and WAIC", Statistics and Computing 27:1413: elpd_loo, its standard
//     error √(N·var(elpdᵢ)), p_loo = lpd − elpd_loo, looic = −2·elpd_loo (eqs. 4, 10, 22–24).

import Foundation
import SynmMath

/// A generalized Pareto fit to exceedances: shape k and scale σ.
public struct GeneralizedParetoFit: Sendable, Equatable {
    public var k: Double
    public var sigma: Double
}

/// The Zhang–Stephens estimate of a generalized Pareto distribution's shape and scale from
/// exceedances `x` sorted in increasing order (all > 0), with the weakly informative prior on
/// k of [1] (shrinkage toward ½ worth 10 observations; σ is from the unshrunk k) [2].
public func generalizedParetoFit(sorted x: [Double]) -> GeneralizedParetoFit {
    let n = x.count
    precondition(n >= 1, "generalizedParetoFit: no data")
    let priorScale = 3.0
    let m = 30 + Int(Double(n).squareRoot().rounded(.down))
    // The first quartile: element ⌊n/4 + ½⌋ counted from 1.
    let quartile = x[Swift.max(0, Int((Double(n) / 4 + 0.5).rounded(.down)) - 1)]
    let largest = x[n - 1]
    var theta = [Double](repeating: 0, count: m)
    var profile = [Double](repeating: 0, count: m)
    for j in 0..<m {
        let t = 1 / largest + (1 - (Double(m) / (Double(j + 1) - 0.5)).squareRoot()) / priorScale / quartile
        theta[j] = t
        var k = 0.0
        for v in x { k += log1p(-t * v) }
        k /= Double(n)
        // The profile log likelihood of θ [2, eq. 3]: n (log(−θ/k) − k − 1).
        profile[j] = Double(n) * (log(-t / k) - k - 1)
    }
    let top = logSumExp(profile)
    var thetaHat = 0.0
    for j in 0..<m { thetaHat += theta[j] * exp(profile[j] - top) }
    var k = 0.0
    for v in x { k += log1p(-thetaHat * v) }
    k /= Double(n)
    let sigma = -k / thetaHat
    let prior = 10.0
    var shrunk = (Double(n) * k + prior * 0.5) / (Double(n) + prior)
    if shrunk.isNaN { shrunk = .infinity }
    return GeneralizedParetoFit(k: shrunk, sigma: sigma)
}

/// The generalized Pareto quantile function at p ∈ (0, 1): σ·((1 − p)^(−k) − 1)/k, or
/// −σ·log(1 − p) at k = 0.
public func generalizedParetoQuantile(_ p: Double, k: Double, sigma: Double) -> Double {
    guard sigma > 0 else { return .nan }
    if abs(k) < Double.ulpOfOne { return -sigma * log1p(-p) }
    return sigma * expm1(-k * log1p(-p)) / k
}

/// The result of Pareto smoothing one vector of log importance ratios.
public struct ParetoSmoothedWeights: Sendable, Equatable {
    /// Smoothed log weights, normalised so that Σ exp = 1.
    public var logWeights: [Double]
    /// The Pareto shape estimate k̂ of the ratios' upper tail (+∞ when the tail could not be
    /// fitted: fewer than 5 tail draws, or a constant tail).
    public var k: Double
    /// The tail length M.
    public var tailLength: Int
    /// The effective sample size of the smoothed weights, r_eff / Σ w² (loo's psis_n_eff).
    public var effectiveSampleSize: Double
}

/// The tail length of PSIS for S draws with relative efficiency r_eff [1]:
/// ⌈min(0.2 S, 3 √(S / r_eff))⌉.
public func paretoTailLength(draws s: Int, relativeEfficiency reff: Double = 1) -> Int {
    Int(Swift.min(0.2 * Double(s), 3 * (Double(s) / reff).squareRoot()).rounded(.up))
}

/// Pareto smoothed importance sampling of `logRatios` (one value per draw) [1].
public func paretoSmooth(logRatios: [Double], relativeEfficiency reff: Double = 1) -> ParetoSmoothedWeights {
    let s = logRatios.count
    precondition(s > 0, "paretoSmooth: no draws")
    let shift = logRatios.max()!
    var lw = logRatios.map { $0 - shift }
    let m = Swift.min(paretoTailLength(draws: s, relativeEfficiency: reff), s - 1)
    var k = Double.infinity
    if m >= 5 {
        // Ascending order; ties broken by index, so the result does not depend on the sort.
        let order = lw.indices.sorted { (lw[$0], $0) < (lw[$1], $1) }
        let tail = Array(order[(s - m)...])
        let cutoff = lw[order[s - m - 1]]
        let tailValues = tail.map { lw[$0] }
        if abs(tailValues.last! - tailValues.first!) >= Double.ulpOfOne / 100 {
            let expCutoff = exp(cutoff)
            let fit = generalizedParetoFit(sorted: tailValues.map { exp($0) - expCutoff })
            k = fit.k
            if k.isFinite {
                for (j, index) in tail.enumerated() {
                    let p = (Double(j) + 0.5) / Double(m)
                    lw[index] = log(generalizedParetoQuantile(p, k: k, sigma: fit.sigma) + expCutoff)
                }
            }
        }
    }
    // Truncated at the largest raw weight (0 after the shift).
    for i in lw.indices where lw[i] > 0 { lw[i] = 0 }
    let total = logSumExp(lw)
    var sumSquares = 0.0
    for i in lw.indices {
        lw[i] -= total
        let w = exp(lw[i])
        sumSquares += w * w
    }
    return ParetoSmoothedWeights(logWeights: lw, k: k, tailLength: m, effectiveSampleSize: reff / sumSquares)
}
