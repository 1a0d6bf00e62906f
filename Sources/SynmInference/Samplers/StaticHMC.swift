// Static Hamiltonian Monte Carlo: a fixed integration time T, L = max(1, ⌊T/ε⌋) leapfrog
// steps, and a Metropolis accept/reject on the energy error (Stan's base_static_hmc.hpp).
//
// [1] Neal 2011, "MCMC using Hamiltonian dynamics", Handbook of MCMC, §5.3.2.
// [2] Stan, src/stan/mcmc/hmc/static/base_static_hmc.hpp (`transition`, `update_L_`).

import Foundation
import SynmMath

/// The static HMC kernel. Reports the same columns as NUTS, with `treeDepth` 0.
public struct StaticHMC: HamiltonianKernel {
    /// Integrator step size ε.
    public var stepSize: Double
    /// The Euclidean metric.
    public var metric: Metric
    /// Integration time T (2π, CmdStan's `int_time` default).
    public var integrationTime: Double
    /// A transition is flagged divergent when H − H₀ exceeds this (1000, as NUTS). Stan's
    /// static HMC has no divergent__ column; synm reports one so diagnostics are shared.
    public var maxDeltaH: Double
    /// The most leapfrog steps per iteration (Stan has no cap; an integration time far beyond
    /// the step size would make one iteration run for ever). `SamplerConfiguration` passes
    /// 2^maxDepth; a run reports when the cap was reached.
    public var maxSteps: Int

    /// A kernel with integration time `integrationTime` (default 2π, from CmdStan).
    public init(
        stepSize: Double, metric: Metric, integrationTime: Double = 2 * Double.pi,
        maxDeltaH: Double = defaultMaxDeltaH, maxSteps: Int = 1024
    ) {
        self.stepSize = stepSize
        self.metric = metric
        self.integrationTime = integrationTime
        self.maxDeltaH = maxDeltaH
        self.maxSteps = maxSteps
    }

    /// L = max(1, ⌊T/ε⌋): Stan truncates (`static_cast<int>(T_ / nom_epsilon_)`) [2]; at most
    /// `maxSteps`. An infinite T/ε (a vanishing step size) takes the cap.
    public var stepCount: Int {
        let l = (integrationTime / stepSize).rounded(.towardZero)
        guard !l.isNaN else { return 1 }
        return Swift.max(1, Int(Swift.min(l, Double(maxSteps))))
    }

    /// One transition [2]: draw p ~ N(0, M), integrate L steps, accept with probability
    /// min(1, e^{H₀−H}); NaN energy counts as +∞ and is rejected.
    public func step<M: LogDensityModel, R: RandomNumberGenerator>(
        _ state: HMCState, model: inout M, rng: inout R
    ) -> (HMCState, HMCInfo) {
        let p0 = metric.sampleMomentum(using: &rng)
        let start = PhasePoint(q: state.position, p: p0, logDensity: state.logDensity, gradient: state.gradient)
        let h0 = start.hamiltonian(metric)
        var z = start
        let l = stepCount
        Leapfrog.integrate(&z, model: &model, metric: metric, stepSize: stepSize, count: l)
        let h = z.hamiltonian(metric)
        let acceptProbability = exp(h0 - h)
        if acceptProbability < 1 && rng.uniform01() > acceptProbability { z = start }
        let info = HMCInfo(
            logDensity: z.logDensity, acceptStat: Swift.min(1, acceptProbability), stepSize: stepSize,
            treeDepth: 0, nLeapfrog: l, divergent: h - h0 > maxDeltaH, energy: z.hamiltonian(metric))
        return (HMCState(position: z.q, logDensity: z.logDensity, gradient: z.gradient), info)
    }
}
