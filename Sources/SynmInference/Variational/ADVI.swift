// Mean-field ADVI [1] as Stan's `variational` method with `algorithm=meanfield` [2]: a normal
// q(ζ) = N(μ, diag(exp(2ω))) on the unconstrained scale, fitted by stochastic gradient ascent
// on the ELBO with reparameterisation gradients (ζ = μ + exp(ω)⊙η, η ~ N(0, I)), the adaptive
// step-size sequence ρₖ = η·k^(−1/2+ε)/(τ + √sₖ), sₖ = 0.1 gₖ² + 0.9 sₖ₋₁ [1, eq. 10], η chosen
// among 100, 10, 1, 0.1, 0.01 by a 50-iteration trial each, and convergence when the mean or
// median relative ELBO change over the last evaluations falls below tol_rel_obj.
//
// [1] Kucukelbir, Tran, Ranganath, Gelman & Blei (2017), "Automatic differentiation
//     variational inference", JMLR 18(14).
// [2] Stan, src/stan/variational/advi.hpp (defaults: grad_samples 1, elbo_samples 100,
//     eval_elbo 100, tol_rel_obj 0.01, max iterations 10000, adapt_iter 50).

import Foundation
import SynmMath

/// Settings of mean-field ADVI (Stan's defaults).
public struct ADVIConfiguration: Sendable, Equatable {
    public var gradSamples = 1
    public var elboSamples = 100
    public var evalElbo = 100
    public var tolRelObj = 0.01
    public var maxIterations = 10_000
    public var adaptIterations = 50
    /// Draws returned from the fitted approximation.
    public var draws = 1000
    public var initRadius = 2.0
    public init() {}
}

/// The fitted mean-field normal and its draws.
public struct ADVIResult: Sendable {
    public var mean: [Double]
    /// log standard deviations ω.
    public var omega: [Double]
    public var eta: Double
    public var iterations: Int
    public var elbo: Double
    public var converged: Bool
    /// Draws (unconstrained), log p and log q (up to q's constant, as Stan's log_g__) of each.
    public var draws: [[Double]]
    public var logP: [Double]
    public var logG: [Double]
    /// Step sizes whose full ascent failed (non-finite draws or parameters) before `eta`
    /// succeeded: larger ones the adaptation had preferred.
    public var failedEtas: [Double] = []
}

public enum ADVIError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    case initializationFailed(attempts: Int, explanation: String?)
    /// Every step size of the adaptation gave a worse or non-finite ELBO.
    case adaptationFailed
    /// The ascent reached parameters where log p or its gradient is not finite at 10
    /// successive draws of the approximation, or the parameters overflowed.
    case ascentFailed(eta: Double)
    public var description: String {
        switch self {
        case .invalidConfiguration(let m): return "invalid meanfield configuration: \(m)"
        case .initializationFailed(let attempts, let explanation):
            return "no finite log density and gradient after \(attempts) random initialisations"
                + (explanation.map { "; last try: \($0)" } ?? "")
        case .adaptationFailed:
            return "every step size (100, 10, 1, 0.1, 0.01) failed to improve the ELBO; the model may be ill-suited to ADVI"
        case .ascentFailed(let eta):
            return "the stochastic gradient ascent (eta \(eta) and every smaller step size) reached an approximation whose draws have no finite log density gradient; the posterior may be ill-suited to ADVI (try --method pathfinder or synm run)"
        }
    }
}

/// Mean-field ADVI [1] with Stan's defaults [2].
public func meanfieldADVI<M: LogDensityModel>(_ model: M, configuration c: ADVIConfiguration, seed: UInt64)
    throws(ADVIError) -> ADVIResult
{
    var model = model
    let n = model.dimension
    guard n > 0 else { throw .invalidConfiguration("the model has no parameters") }
    guard c.gradSamples >= 1, c.elboSamples >= 1, c.evalElbo >= 1, c.maxIterations >= 1, c.draws >= 1,
          c.tolRelObj > 0 else {
        throw .invalidConfiguration("sample counts, iterations and tolerance must be positive")
    }
    var rng = Xoshiro256StarStar(seed: seed, stream: 0xAD0_0000)
    var start: [Double]?
    var last: [Double] = []
    var gradient = [Double](repeating: 0, count: n)
    for _ in 0..<maxInitializationAttempts {
        let x = (0..<n).map { _ in c.initRadius * (2 * rng.uniform01() - 1) }
        let lp = model.logDensityAndGradient(x, gradient: &gradient)
        if lp.isFinite, gradient.allSatisfy(\.isFinite) { start = x; break }
        last = x
    }
    guard let start else {
        throw .initializationFailed(attempts: maxInitializationAttempts, explanation: model.explainNonFinite(last))
    }
    /// ELBO: E_q[log p] + Σω (+ a constant, left out as Stan does). Draws where log p is not
    /// finite are dropped, as Stan drops failed evaluations [2]; −∞ when every draw fails.
    func elbo(_ mu: [Double], _ omega: [Double]) -> Double {
        var total = 0.0, kept = 0
        for _ in 0..<c.elboSamples {
            let z = (0..<n).map { mu[$0] + exp(omega[$0]) * rng.standardNormal() }
            let lp = model.logDensity(z)
            guard lp.isFinite else { continue }
            total += lp
            kept += 1
        }
        return kept == 0 ? -.infinity : total / Double(kept) + omega.reduce(0, +)
    }
    /// The reparameterisation gradient (∇μ, ∇ω), nil when log p or its gradient is not finite.
    func grad(_ mu: [Double], _ omega: [Double]) -> ([Double], [Double])? {
        var gMu = [Double](repeating: 0, count: n), gOmega = [Double](repeating: 0, count: n)
        var g = [Double](repeating: 0, count: n)
        for _ in 0..<c.gradSamples {
            // A draw where log p or its gradient is not finite is redrawn (up to 10 times).
            var eta: [Double] = [], ok = false
            for _ in 0..<10 {
                eta = (0..<n).map { _ in rng.standardNormal() }
                let z = (0..<n).map { mu[$0] + exp(omega[$0]) * eta[$0] }
                let lp = model.logDensityAndGradient(z, gradient: &g)
                if lp.isFinite, g.allSatisfy(\.isFinite) { ok = true; break }
            }
            guard ok else { return nil }
            for i in 0..<n {
                gMu[i] += g[i]
                gOmega[i] += g[i] * eta[i] * exp(omega[i])
            }
        }
        let m = Double(c.gradSamples)
        return (gMu.map { $0 / m }, gOmega.map { $0 / m + 1 })
    }
    /// `iterations` steps of the adaptive sequence from (μ, ω); nil when a step fails.
    func ascend(_ mu0: [Double], _ omega0: [Double], eta: Double, iterations: Int, evaluate: Bool)
        -> (mu: [Double], omega: [Double], iterations: Int, elbo: Double, converged: Bool)?
    {
        var mu = mu0, omega = omega0
        var sMu = [Double](repeating: 0, count: n), sOmega = sMu
        var previous = -Double.infinity
        var changes: [Double] = []
        let bufferSize = max(Int(0.1 * Double(c.maxIterations) / Double(c.evalElbo)), 2)
        var lastElbo = -Double.infinity
        for k in 1...iterations {
            guard let (gMu, gOmega) = grad(mu, omega) else { return nil }
            for i in 0..<n {
                if k == 1 {
                    sMu[i] = gMu[i] * gMu[i]; sOmega[i] = gOmega[i] * gOmega[i]
                } else {
                    sMu[i] = 0.1 * gMu[i] * gMu[i] + 0.9 * sMu[i]
                    sOmega[i] = 0.1 * gOmega[i] * gOmega[i] + 0.9 * sOmega[i]
                }
                let rate = eta * pow(Double(k), -0.5 + 1e-16)
                mu[i] += rate / (1 + sMu[i].squareRoot()) * gMu[i]
                omega[i] += rate / (1 + sOmega[i].squareRoot()) * gOmega[i]
            }
            guard mu.allSatisfy(\.isFinite), omega.allSatisfy(\.isFinite) else { return nil }
            if evaluate, k % c.evalElbo == 0 {
                let e = elbo(mu, omega)
                lastElbo = e
                if previous.isFinite, e.isFinite {
                    changes.append(abs((e - previous) / e))
                    if changes.count > bufferSize { changes.removeFirst() }
                    let sorted = changes.sorted()
                    let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2]
                        : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
                    if changes.reduce(0, +) / Double(changes.count) < c.tolRelObj || median < c.tolRelObj {
                        return (mu, omega, k, e, true)
                    }
                }
                previous = e
            }
        }
        return (mu, omega, iterations, evaluate ? lastElbo : elbo(mu, omega), false)
    }
    let omega0 = [Double](repeating: 0, count: n)
    let elboInit = elbo(start, omega0)
    var bestEta: Double?
    var bestElbo = -Double.infinity
    let sequence = [100.0, 10, 1, 0.1, 0.01]
    for eta in sequence {
        let e = ascend(start, omega0, eta: eta, iterations: c.adaptIterations, evaluate: false)?.elbo ?? -.infinity
        if e.isFinite, e > bestElbo {
            (bestEta, bestElbo) = (eta, e)
        } else if bestElbo > elboInit {
            break  // the ELBO got worse with a smaller step, after improving: keep the best so far
        }
    }
    guard let adapted = bestEta, bestElbo > elboInit || !elboInit.isFinite else { throw .adaptationFailed }
    // The adapted step size can still carry the full ascent where log p is not finite (its
    // 50 adaptation steps did not get there); Stan then stops with an error. Here the ascent
    // restarts from the initial point with the next smaller step size of the sequence, and
    // the result names the step sizes that failed (the command warns).
    var failedEtas: [Double] = []
    var ascent: (eta: Double, fit: (mu: [Double], omega: [Double], iterations: Int, elbo: Double, converged: Bool))?
    for eta in sequence where eta <= adapted {
        if let fit = ascend(start, omega0, eta: eta, iterations: c.maxIterations, evaluate: true) {
            ascent = (eta, fit)
            break
        }
        failedEtas.append(eta)
    }
    guard let (eta, fit) = ascent else { throw .ascentFailed(eta: adapted) }
    var draws: [[Double]] = [], logP: [Double] = [], logG: [Double] = []
    for _ in 0..<c.draws {
        let e = (0..<n).map { _ in rng.standardNormal() }
        let z = (0..<n).map { fit.mu[$0] + exp(fit.omega[$0]) * e[$0] }
        draws.append(z)
        let lp = model.logDensity(z)
        logP.append(lp.isFinite ? lp : -.infinity)
        logG.append(-0.5 * e.reduce(0) { $0 + $1 * $1 })
    }
    return ADVIResult(mean: fit.mu, omega: fit.omega, eta: eta, iterations: fit.iterations, elbo: fit.elbo,
                      converged: fit.converged, draws: draws, logP: logP, logG: logG, failedEtas: failedEtas)
}
