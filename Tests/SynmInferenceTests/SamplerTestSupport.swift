// Test targets with known moments (Gaussians, a beta–bernoulli posterior on the logit scale,
// Neal's funnel) and a small multi-chain ESS/MCSE estimate (Geyer's initial monotone
// sequence, as Stan's `ess`), written here because the diagnostics module is separate.
//
// [1] Geyer 1992, "Practical Markov chain Monte Carlo", Stat. Sci. 7(4).
// [2] Vehtari et al. 2021, Bayesian Analysis 16(2):667–718, §3.2 (multi-chain autocorrelation).

import Foundation
import SynmInference
import SynmMath
import Testing

/// N(μ, P⁻¹) with a dense precision P (row-major): log π = −½(x−μ)ᵀP(x−μ).
struct GaussianTarget: LogDensityModel {
    let mean: [Double]
    let precision: [Double]
    /// The diagonal of P when P is diagonal (a fast path: O(d) instead of O(d²) per gradient).
    let diagonalPrecision: [Double]?
    var dimension: Int { mean.count }

    /// Independent coordinates with standard deviations `scales`.
    init(mean: [Double], scales: [Double]) {
        let d = mean.count
        self.mean = mean
        var p = [Double](repeating: 0, count: d * d)
        for i in 0..<d { p[i * d + i] = 1 / (scales[i] * scales[i]) }
        precision = p
        diagonalPrecision = scales.map { 1 / ($0 * $0) }
    }

    /// A dense covariance `covariance` (row-major), inverted here.
    init(mean: [Double], covariance: [Double]) {
        let d = mean.count
        self.mean = mean
        precision = Matrix(rows: d, cols: d, storage: covariance).cholesky()!.inverseSPDFromCholesky().storage
        diagonalPrecision = nil
    }

    mutating func logDensityAndGradient(_ x: [Double], gradient: inout [Double]) -> Double {
        let d = mean.count
        var lp = 0.0
        if let diagonal = diagonalPrecision {
            for i in 0..<d {
                let r = x[i] - mean[i]
                gradient[i] = -diagonal[i] * r
                lp -= 0.5 * diagonal[i] * r * r
            }
            return lp
        }
        for i in 0..<d {
            var s = 0.0
            for j in 0..<d { s += precision[i * d + j] * (x[j] - mean[j]) }
            gradient[i] = -s
            lp -= 0.5 * (x[i] - mean[i]) * s
        }
        return lp
    }
}

extension Matrix {
    /// (LLᵀ)⁻¹ from self = L, column by column.
    func inverseSPDFromCholesky() -> Matrix {
        var out = Matrix(rows: rows, cols: cols)
        for j in 0..<cols {
            var e = [Double](repeating: 0, count: rows)
            e[j] = 1
            let x = choleskySolve(e)
            for i in 0..<rows { out[i, j] = x[i] }
        }
        return out
    }
}

/// θ ~ Beta(a, b), k successes in n trials, on x = logit θ with the Jacobian θ(1−θ):
/// log π(x) = (a+k)·log θ + (b+n−k)·log(1−θ). The posterior of θ is Beta(a+k, b+n−k).
struct BetaBernoulliLogit: LogDensityModel {
    let alpha: Double  // a + k
    let beta: Double   // b + n − k
    var dimension: Int { 1 }

    mutating func logDensityAndGradient(_ x: [Double], gradient: inout [Double]) -> Double {
        let logTheta = -log1pExp(-x[0])      // log σ(x)
        let log1mTheta = -log1pExp(x[0])     // log(1 − σ(x))
        let theta = exp(logTheta)
        gradient[0] = alpha * (1 - theta) - beta * theta
        return alpha * logTheta + beta * log1mTheta
    }

    var posteriorMean: Double { alpha / (alpha + beta) }
    var posteriorVariance: Double {
        let s = alpha + beta
        return alpha * beta / (s * s * (s + 1))
    }
}

/// Neal's funnel, centred: v ~ N(0, 3²), xᵢ | v ~ N(0, e^{v}) for i = 1…d−1. Divergent for
/// HMC at any single step size (Betancourt & Girolami 2015).
struct Funnel: LogDensityModel {
    let dimension: Int

    mutating func logDensityAndGradient(_ x: [Double], gradient: inout [Double]) -> Double {
        let v = x[0]
        var lp = -v * v / 18
        gradient[0] = -v / 9
        let precision = exp(-v)
        var squares = 0.0
        for i in 1..<dimension {
            squares += x[i] * x[i]
            gradient[i] = -x[i] * precision
        }
        let k = Double(dimension - 1)
        lp += -0.5 * squares * precision - 0.5 * k * v
        gradient[0] += 0.5 * squares * precision - 0.5 * k
        return lp
    }
}

/// A model with no support anywhere, explaining why.
struct NowhereFinite: LogDensityModel {
    var dimension: Int { 2 }
    mutating func logDensityAndGradient(_ x: [Double], gradient: inout [Double]) -> Double { -.infinity }
    mutating func explainNonFinite(_ x: [Double]) -> String? {
        "y ~ normal(mu, sigma): sigma must be > 0, got \(-abs(x[0]))"
    }
}

/// Effective sample size of one quantity over several chains of equal length [1, 2]:
/// ρ̂ₜ = 1 − (W − mean autocovariance at lag t)/var⁺, summed in pairs while positive and
/// made monotone (Geyer's initial monotone sequence); ESS = mn/τ̂.
func independentESS(_ chains: [[Double]]) -> Double {
    let m = chains.count, n = chains[0].count
    let means = chains.map { SynmMath.mean($0) }
    let variances = chains.map { SynmMath.variance($0) }
    let w = SynmMath.mean(variances)
    let between = m > 1 ? SynmMath.variance(means) : 0
    let varPlus = w * Double(n - 1) / Double(n) + between
    guard varPlus > 0 else { return Double(m * n) }
    func rho(_ t: Int) -> Double {
        var acov = 0.0
        for (k, c) in chains.enumerated() {
            var s = 0.0
            for i in 0..<(n - t) { s += (c[i] - means[k]) * (c[i + t] - means[k]) }
            acov += s / Double(n)
        }
        return 1 - (w - acov / Double(m)) / varPlus
    }
    var tau = -1.0
    var previousPair = Double.infinity
    var t = 0
    while t + 1 < n {
        var pair = rho(t) + rho(t + 1)
        if pair <= 0 { break }
        pair = min(pair, previousPair)
        tau += 2 * pair
        previousPair = pair
        t += 2
    }
    return Double(m * n) / max(tau, 1 / log10(Double(m * n)))
}

/// The Monte Carlo standard error of the mean of `chains` (sd/√ESS).
func independentMCSE(_ chains: [[Double]]) -> Double {
    (SynmMath.variance(chains.flatMap { $0 }) / independentESS(chains)).squareRoot()
}

/// Checks that the posterior mean and variance of quantity f(draw) match `mean` and `variance`
/// within `k`·MCSE; the variance's MCSE is that of the mean of (f − f̄)².
func expectMoments(
    _ result: SamplingResult, mean trueMean: Double, variance trueVariance: Double, k: Double = 4,
    _ f: ([Double]) -> Double, sourceLocation: SourceLocation = #_sourceLocation
) {
    let chains = result.chains.map { $0.draws.map(f) }
    let all = chains.flatMap { $0 }
    let m = SynmMath.mean(all)
    let v = SynmMath.variance(all)
    let mcse = independentMCSE(chains)
    let squares = chains.map { c in c.map { ($0 - m) * ($0 - m) } }
    let mcseV = independentMCSE(squares)
    #expect(abs(m - trueMean) <= k * mcse, "mean \(m) vs \(trueMean), MCSE \(mcse)", sourceLocation: sourceLocation)
    #expect(abs(v - trueVariance) <= k * mcseV, "variance \(v) vs \(trueVariance), MCSE \(mcseV)", sourceLocation: sourceLocation)
}
