// PSIS-LOO: the expected log pointwise predictive density for new data estimated by
// leave-one-out cross-validation, each observation's LOO posterior reached by Pareto smoothed
// importance weights w_s ∝ 1/p(yᵢ | θ_s) (PSIS.swift, [1]–[3] there).
//
// The Monte Carlo standard error of elpd_loo is the delta-method one: for each observation,
// Var(Σ w_s p_s) ≈ Σ w_s² (p_s − E)² / r_eff (the variance of a self-normalised importance
// sampling estimate with weights w), divided by E² on the log scale; observations are
// summed as independent, as the loo package does. r_eff, the relative efficiency of the
// draws for the observation, is ESS(p(yᵢ | θ_s))/S from the chains (Stan's ESS, as the loo
// package's relative_eff), or given; it sets the tail length and scales the MCSE and the
// smoothed weights' ESS [1 in PSIS.swift, §3.3].

import Foundation
import SynmMath

/// One observation's PSIS-LOO results.
public struct LOOPoint: Sendable, Equatable {
    /// log p(yᵢ | y₋ᵢ) estimated with the smoothed weights.
    public var elpd: Double
    /// lpdᵢ − elpdᵢ, where lpdᵢ = log mean_s p(yᵢ | θ_s).
    public var pLoo: Double
    /// −2·elpdᵢ.
    public var looic: Double
    /// The Pareto shape k̂ of the importance ratios 1/p(yᵢ | θ_s).
    public var k: Double
    /// The effective sample size of the smoothed weights.
    public var effectiveSampleSize: Double
    /// The delta-method Monte Carlo standard error of `elpd`.
    public var mcse: Double
    /// The relative efficiency r_eff used for this observation.
    public var relativeEfficiency: Double
}

/// The PSIS-LOO estimate over N observations from S draws [3 in PSIS.swift].
public struct LOOResult: Sendable, Equatable {
    public var draws: Int
    public var observations: Int
    public var elpd: Double
    /// √(N·var(elpdᵢ)), the sample variance (n − 1), as the loo package computes it.
    public var elpdSE: Double
    public var pLoo: Double
    public var pLooSE: Double
    public var looic: Double { -2 * elpd }
    public var looicSE: Double { 2 * elpdSE }
    /// √Σ mcseᵢ².
    public var mcse: Double
    public var points: [LOOPoint]

    /// min(1 − 1/log₁₀ S, 0.7): above it the PSIS estimate is unreliable [1 in PSIS.swift].
    public var kThreshold: Double { Self.kThreshold(draws: draws) }

    public static func kThreshold(draws s: Int) -> Double {
        Swift.min(1 - 1 / log10(Double(s)), 0.7)
    }
}

/// Why LOO cannot be computed.
public enum LOOError: Error, Equatable, Sendable {
    /// No observations, or no draws.
    case empty
    /// The observations have different numbers of draws.
    case ragged(observation: Int)
    /// A log likelihood that is NaN or +∞ (observation and draw, from 0).
    case notFinite(observation: Int, draw: Int, value: Double)
}

/// The relative efficiency of draws of log p(yᵢ | θ) given per chain for importance
/// sampling: ESS(p)/S with Stan's (non-split) ESS of the likelihood p = exp(log p − max), as
/// the loo package's relative_eff; 1 when the ESS is not defined (constant, or chains of
/// fewer than 4 draws).
public func relativeEfficiency(logLikelihoodChains chains: [[Double]]) -> Double {
    let top = chains.flatMap { $0 }.max() ?? 0
    guard top.isFinite else { return 1 }
    let likelihood = chains.map { $0.map { exp($0 - top) } }
    let s = Double(chains.reduce(0) { $0 + $1.count })
    let ess = effectiveSampleSize(chains: likelihood)
    return ess.isFinite && ess > 0 ? ess / s : 1
}

/// PSIS-LOO from a log-likelihood matrix given per observation: `logLikelihood[i][s]` is
/// log p(yᵢ | θ_s) at draw s. −∞ entries are allowed (an observation impossible at a draw).
/// `relativeEfficiencies[i]` is r_eff for observation i (nil: 1 for every observation, the
/// draws taken as independent).
public func psisLOO(logLikelihood: [[Double]], relativeEfficiencies: [Double]? = nil) throws(LOOError) -> LOOResult {
    let n = logLikelihood.count
    guard n > 0, let s = logLikelihood.first?.count, s > 0 else { throw .empty }
    var points: [LOOPoint] = []
    points.reserveCapacity(n)
    for (i, ll) in logLikelihood.enumerated() {
        guard ll.count == s else { throw .ragged(observation: i) }
        let reff = relativeEfficiencies?[i] ?? 1
        if let d = ll.firstIndex(where: { $0.isNaN || $0 == .infinity }) { throw .notFinite(observation: i, draw: d, value: ll[d]) }
        let smoothed = paretoSmooth(logRatios: ll.map { -$0 }, relativeEfficiency: reff)
        var terms = [Double](repeating: 0, count: s)
        for d in 0..<s { terms[d] = smoothed.logWeights[d] + ll[d] }
        let elpd = logSumExp(terms)
        let lpd = logSumExp(ll) - log(Double(s))
        // Delta method: Σ w² (p/E − 1)² / r_eff, on the log scale.
        var v = 0.0
        for d in 0..<s {
            let w = exp(smoothed.logWeights[d])
            let r = exp(ll[d] - elpd) - 1
            v += w * w * r * r
        }
        points.append(LOOPoint(elpd: elpd, pLoo: lpd - elpd, looic: -2 * elpd, k: smoothed.k,
                               effectiveSampleSize: smoothed.effectiveSampleSize, mcse: (v / reff).squareRoot(),
                               relativeEfficiency: reff))
    }
    func total(_ x: [Double]) -> (sum: Double, se: Double) {
        let sum = x.reduce(0, +)
        let mean = sum / Double(x.count)
        let variance = x.count > 1 ? x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1) : 0
        return (sum, (Double(x.count) * variance).squareRoot())
    }
    let e = total(points.map(\.elpd)), p = total(points.map(\.pLoo))
    let mcse = points.reduce(0) { $0 + $1.mcse * $1.mcse }.squareRoot()
    return LOOResult(draws: s, observations: n, elpd: e.sum, elpdSE: e.se, pLoo: p.sum, pLooSE: p.se, mcse: mcse,
                     points: points)
}
