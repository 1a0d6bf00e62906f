// Stan's heuristic for a first step size (base_hmc.hpp `init_stepsize`): from a fresh momentum,
// double ε while one leapfrog step keeps the energy change ΔH = H₀ − H above log 0.8, or halve
// it until ΔH reaches log 0.8.
//
// [1] Hoffman & Gelman 2014, JMLR 15:1593, Algorithm 4 (the original heuristic).
// [2] Stan, src/stan/mcmc/hmc/base_hmc.hpp (`init_stepsize`).

import Foundation
import SynmMath

/// Why a step size could not be found.
public enum StepSizeError: Error, Equatable, Sendable {
    /// ε grew past 1e300 with ΔH still above log 0.8: the density is flat in some direction.
    case improperPosterior
    /// ε underflowed to 0 with ΔH still below log 0.8.
    case noAcceptableStepSize
}

/// The heuristic of [2], starting from `kernel.stepSize` at `state`; returns the new ε.
///
/// The direction (double or halve) is set by one trial step; then each round redraws the
/// momentum, takes one step at the current ε and stops as soon as ΔH crosses log 0.8
/// (so the last ε tried is returned). NaN energies count as +∞. A non-positive, huge or NaN
/// starting ε is returned unchanged, as in Stan.
public func initialStepSize<K: HamiltonianKernel, M: LogDensityModel, R: RandomNumberGenerator>(
    kernel: K, state: HMCState, model: inout M, rng: inout R
) throws(StepSizeError) -> Double {
    var epsilon = kernel.stepSize
    let limit = 1e300  // REFERENCE §3.3 (Stan itself gives up at 1e7)
    guard epsilon > 0, epsilon <= limit else { return epsilon }
    let threshold = log(0.8)  // 0.8, from Stan
    let metric = kernel.metric

    func energyChange(_ rng: inout R) -> Double {
        let p = metric.sampleMomentum(using: &rng)
        var z = PhasePoint(q: state.position, p: p, logDensity: state.logDensity, gradient: state.gradient)
        let h0 = z.hamiltonian(metric)
        Leapfrog.integrate(&z, model: &model, metric: metric, stepSize: epsilon, count: 1)
        return h0 - z.hamiltonian(metric)
    }

    let increase = energyChange(&rng) > threshold
    while true {
        let deltaH = energyChange(&rng)
        if increase && !(deltaH > threshold) { break }
        if !increase && !(deltaH < threshold) { break }
        epsilon = increase ? 2 * epsilon : 0.5 * epsilon
        if epsilon > limit { throw .improperPosterior }
        if epsilon == 0 { throw .noAcceptableStepSize }
    }
    return epsilon
}
