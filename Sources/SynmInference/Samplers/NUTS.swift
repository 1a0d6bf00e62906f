// The No-U-Turn Sampler as Stan implements it (base_nuts.hpp): multinomial sampling over a
// doubling trajectory, biased progressive sampling between subtrees at the top level and
// uniform progressive sampling inside them, and the generalised no-U-turn criterion checked
// across each merged span and across the two subtree boundaries.
//
// [1] Hoffman & Gelman 2014, "The No-U-Turn Sampler", JMLR 15:1593–1623.
// [2] Betancourt 2017, "A Conceptual Introduction to Hamiltonian Monte Carlo", arXiv:1701.02434,
//     Appendix A (multinomial sampling, generalised criterion).
// [3] Stan, src/stan/mcmc/hmc/nuts/base_nuts.hpp (`transition`, `build_tree`, `compute_criterion`).

import Foundation
import SynmMath

/// The NUTS kernel: a step size, a metric and a maximum tree depth. `step` is one transition.
public struct NUTS: HamiltonianKernel {
    /// Integrator step size ε.
    public var stepSize: Double
    /// The Euclidean metric.
    public var metric: Metric
    /// The maximum number of trajectory doublings (10, CmdStan's `max_depth` default).
    public var maxDepth: Int
    /// A transition is divergent when H − H₀ exceeds this (1000, Stan's `max_deltaH`).
    public var maxDeltaH: Double

    /// A kernel; `maxDepth` must be ≥ 1.
    public init(stepSize: Double, metric: Metric, maxDepth: Int = 10, maxDeltaH: Double = defaultMaxDeltaH) {
        precondition(maxDepth >= 1, "NUTS: maxDepth must be at least 1")
        self.stepSize = stepSize
        self.metric = metric
        self.maxDepth = maxDepth
        self.maxDeltaH = maxDeltaH
    }

    /// One NUTS transition ([3] `transition`): draw p ~ N(0, M), then double the trajectory in a
    /// random direction until a U-turn, a divergence or `maxDepth`.
    public func step<M: LogDensityModel, R: RandomNumberGenerator>(
        _ state: HMCState, model: inout M, rng: inout R
    ) -> (HMCState, HMCInfo) {
        let p0 = metric.sampleMomentum(using: &rng)
        let z0 = PhasePoint(q: state.position, p: p0, logDensity: state.logDensity, gradient: state.gradient)
        var builder = TreeBuilder(kernel: self, h0: z0.hamiltonian(metric), dimension: p0.count)
        let sharp0 = metric.sharp(p0)

        var zForward = z0, zBackward = z0, selected = z0
        // End momenta and sharp momenta of the forward and backward halves of the trajectory,
        // named [half][end] as in [3]: fwdFwd is the forward end of the forward half.
        var pFwdFwd = p0, sFwdFwd = sharp0, pFwdBck = p0, sFwdBck = sharp0
        var pBckFwd = p0, sBckFwd = sharp0, pBckBck = p0, sBckBck = sharp0
        var rho = p0               // summed momentum over the whole trajectory
        var logSumWeight = 0.0     // log Σ e^{H₀−H}; the initial state has weight 1
        var depth = 0

        while depth < maxDepth {
            var rhoForward: [Double], rhoBackward: [Double]
            let subtree: Subtree
            if rng.uniform01() > 0.5 {
                // Extend forward: the old trajectory becomes the backward half.
                rhoBackward = rho
                pBckFwd = pFwdFwd; sBckFwd = sFwdFwd
                builder.z = zForward
                subtree = builder.build(depth: depth, direction: 1, model: &model, rng: &rng)
                zForward = builder.z
                rhoForward = subtree.rho
                pFwdBck = subtree.pBegin; sFwdBck = subtree.sharpBegin
                pFwdFwd = subtree.pEnd; sFwdFwd = subtree.sharpEnd
            } else {
                // Extend backward: the old trajectory becomes the forward half.
                rhoForward = rho
                pFwdBck = pBckBck; sFwdBck = sBckBck
                builder.z = zBackward
                subtree = builder.build(depth: depth, direction: -1, model: &model, rng: &rng)
                zBackward = builder.z
                rhoBackward = subtree.rho
                pBckFwd = subtree.pBegin; sBckFwd = subtree.sharpBegin
                pBckBck = subtree.pEnd; sBckBck = subtree.sharpEnd
            }
            // An invalid subtree (divergent or internally U-turned) is discarded whole.
            guard subtree.valid else { break }
            depth += 1

            // Biased progressive sampling: move to the new subtree with probability
            // min(1, w_subtree / w_old), favouring states far from the start ([2] A.3.2).
            if subtree.logSumWeight > logSumWeight {
                selected = subtree.proposal
            } else if rng.uniform01() < exp(subtree.logSumWeight - logSumWeight) {
                selected = subtree.proposal
            }
            logSumWeight = logSumExp(logSumWeight, subtree.logSumWeight)

            rho = add(rhoBackward, rhoForward)
            // The criterion across the merged span, then across each subtree boundary ([3]).
            var persist = noUTurn(sBckBck, sFwdFwd, rho)
            persist = persist && noUTurn(sBckBck, sFwdBck, add(rhoBackward, pFwdBck))
            persist = persist && noUTurn(sBckFwd, sFwdFwd, add(rhoForward, pBckFwd))
            if !persist { break }
        }

        let info = HMCInfo(
            logDensity: selected.logDensity,
            acceptStat: builder.sumMetropolisProbability / Double(builder.nLeapfrog),
            stepSize: stepSize, treeDepth: depth, nLeapfrog: builder.nLeapfrog,
            divergent: builder.divergent, energy: selected.hamiltonian(metric))
        let next = HMCState(position: selected.q, logDensity: selected.logDensity, gradient: selected.gradient)
        return (next, info)
    }
}

/// The generalised no-U-turn criterion ([2] eq. 33, [3] `compute_criterion`): a span with summed
/// momentum ρ and end sharp momenta p♯⁻, p♯⁺ keeps expanding iff p♯⁺·ρ > 0 and p♯⁻·ρ > 0.
@inline(__always)
func noUTurn(_ sharpMinus: [Double], _ sharpPlus: [Double], _ rho: [Double]) -> Bool {
    var plus = 0.0, minus = 0.0
    for i in 0..<rho.count {
        plus += sharpPlus[i] * rho[i]
        minus += sharpMinus[i] * rho[i]
    }
    return plus > 0 && minus > 0
}

/// Elementwise a + b.
@inline(__always)
func add(_ a: [Double], _ b: [Double]) -> [Double] {
    var out = a
    for i in 0..<a.count { out[i] += b[i] }
    return out
}
