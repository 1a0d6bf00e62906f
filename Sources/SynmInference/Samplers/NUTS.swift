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
    /// random direction until a U-turn, a divergence or `maxDepth` — multinomial sampling
    /// between and inside subtrees, the generalised criterion across each merged span and its
    /// two subtree boundaries. Runs `step(_:model:rng:workspace:)` (NUTS+Workspace.swift)
    /// with a fresh workspace; a chain passes its own to save the allocations.
    public func step<M: LogDensityModel, R: RandomNumberGenerator>(
        _ state: HMCState, model: inout M, rng: inout R
    ) -> (HMCState, HMCInfo) {
        var workspace = TransitionWorkspace()
        return step(state, model: &model, rng: &rng, workspace: &workspace)
    }
}
