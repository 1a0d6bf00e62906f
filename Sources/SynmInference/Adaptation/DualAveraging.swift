// Nesterov dual averaging of log ε toward a target acceptance statistic δ, as in Stan's
// stepsize_adaptation.hpp, including the fix for Stan issue #3023 (PR #3346).
//
// [1] Nesterov 2009, "Primal-dual subgradient methods for convex problems", Math. Prog. 120.
// [2] Hoffman & Gelman 2014, JMLR 15:1593, Algorithm 5 and eq. (6).
// [3] Stan, src/stan/mcmc/stepsize_adaptation.hpp (`learn_stepsize`, `complete_adaptation`).

import Foundation

/// The dual-averaging state: explicit values, updated by `learn` and `restart` only.
public struct DualAveraging: Sendable, Equatable {
    /// Target acceptance statistic δ (0.8, CmdStan's `adapt delta`).
    public var delta: Double
    /// Regularisation scale γ (0.05, from CmdStan).
    public var gamma: Double
    /// Relaxation exponent κ (0.75, from CmdStan).
    public var kappa: Double
    /// Iteration offset t₀ (10, from CmdStan).
    public var t0: Double
    /// The shrinkage point μ for log ε, log(10·ε) at each restart ([2] §3.2.1).
    public var mu: Double
    /// The adaptation counter t (0 right after a restart).
    public private(set) var counter: Int = 0
    /// s̄, the running average of δ − α.
    public private(set) var sBar: Double = 0
    /// x̄, the weighted average of log ε iterates; exp(x̄) is the final step size.
    public private(set) var xBar: Double = 0

    /// Stan's defaults, shrinking toward log(10·`initialStepSize`).
    public init(
        delta: Double = 0.8, gamma: Double = 0.05, kappa: Double = 0.75, t0: Double = 10,
        initialStepSize: Double = 1
    ) {
        self.delta = delta
        self.gamma = gamma
        self.kappa = kappa
        self.t0 = t0
        self.mu = log(10 * initialStepSize)
    }

    /// Restarts the averages (t = s̄ = x̄ = 0) with μ = log(10·ε), after a metric update.
    public mutating func restart(stepSize: Double) {
        counter = 0
        sBar = 0
        xBar = 0
        mu = log(10 * stepSize)
    }

    /// One update with acceptance statistic `acceptStat` (clamped to ≤ 1); returns the next
    /// step size ε = eˣ ([2] eq. (6), [3] `learn_stepsize`).
    public mutating func learn(acceptStat: Double) -> Double {
        counter += 1
        let alpha = Swift.min(acceptStat, 1)
        let t = Double(counter)
        let eta = 1 / (t + t0)
        sBar = (1 - eta) * sBar + eta * (delta - alpha)
        let x = mu - sBar * t.squareRoot() / gamma
        let weight = pow(t, -kappa)
        xBar = (1 - weight) * xBar + weight * x
        return exp(x)
    }

    /// The step size at the end of warmup: exp(x̄). If no update happened since the last
    /// restart (term_buffer = 0 puts a restart on the last warmup iteration), x̄ = 0 would
    /// give ε = 1 (Stan issue #3023); the current step size is kept instead (Stan PR #3346).
    public func finalStepSize(current: Double) -> Double {
        counter > 0 ? exp(xBar) : current
    }
}
