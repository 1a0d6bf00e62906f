// The recursive subtree builder of NUTS ([3] `build_tree`): 2^depth leapfrog steps in one
// direction, multinomial (uniform progressive) sampling when two halves merge, and the
// three-way generalised no-U-turn check on every merge.
//
// [2] Betancourt 2017, arXiv:1701.02434, Appendix A.
// [3] Stan, src/stan/mcmc/hmc/nuts/base_nuts.hpp.

import Foundation
import SynmMath

/// A finished subtree: its proposal, total weight, summed momentum and end momenta
/// (begin = first state built, end = last, in the direction of integration).
struct Subtree {
    var valid: Bool
    var logSumWeight: Double
    var proposal: PhasePoint
    var rho: [Double]
    var pBegin: [Double], sharpBegin: [Double]
    var pEnd: [Double], sharpEnd: [Double]
}

/// The per-transition accumulators of [3] (`n_leapfrog`, `sum_metro_prob`, `divergent_`)
/// and the moving end of the trajectory `z`. Lives for one transition only.
struct TreeBuilder {
    let kernel: NUTS
    /// H₀, the Hamiltonian of the initial state.
    let h0: Double
    /// The state at the growing end of the trajectory.
    var z: PhasePoint
    var nLeapfrog = 0
    var sumMetropolisProbability = 0.0
    var divergent = false
    var scratch: [Double]

    init(kernel: NUTS, h0: Double, dimension: Int) {
        self.kernel = kernel
        self.h0 = h0
        let empty = [Double](repeating: 0, count: dimension)
        z = PhasePoint(q: empty, p: empty, logDensity: 0, gradient: empty)
        scratch = empty
    }

    /// Builds a subtree of 2^depth steps from `z` in `direction` (+1 or −1).
    mutating func build<M: LogDensityModel, R: RandomNumberGenerator>(
        depth: Int, direction: Double, model: inout M, rng: inout R
    ) -> Subtree {
        if depth == 0 { return leaf(direction: direction, model: &model) }

        // The initial half; an invalid half ends the subtree (its proposal is never used).
        var initial = build(depth: depth - 1, direction: direction, model: &model, rng: &rng)
        guard initial.valid else { return initial }
        let final = build(depth: depth - 1, direction: direction, model: &model, rng: &rng)
        guard final.valid else { return final }

        // Uniform progressive sampling: take the final half's proposal with probability
        // w_final / (w_initial + w_final) ([2] A.3.1). The first branch cannot fire in exact
        // arithmetic; it is kept so that uniforms are drawn exactly when Stan draws them.
        let logSubtree = logSumExp(initial.logSumWeight, final.logSumWeight)
        if final.logSumWeight > logSubtree {
            initial.proposal = final.proposal
        } else if rng.uniform01() < exp(final.logSumWeight - logSubtree) {
            initial.proposal = final.proposal
        }

        let rho = add(initial.rho, final.rho)
        // Across the merged subtree, then across the boundary between its halves ([3]).
        var persist = noUTurn(initial.sharpBegin, final.sharpEnd, rho)
        persist = persist && noUTurn(initial.sharpBegin, final.sharpBegin, add(initial.rho, final.pBegin))
        persist = persist && noUTurn(initial.sharpEnd, final.sharpEnd, add(final.rho, initial.pEnd))

        return Subtree(
            valid: persist, logSumWeight: logSubtree, proposal: initial.proposal, rho: rho,
            pBegin: initial.pBegin, sharpBegin: initial.sharpBegin,
            pEnd: final.pEnd, sharpEnd: final.sharpEnd)
    }

    /// The base case: one leapfrog step, its weight e^{H₀−H}, its Metropolis probability and
    /// the divergence check (H − H₀ > max_deltaH, NaN counted as +∞).
    private mutating func leaf<M: LogDensityModel>(direction: Double, model: inout M) -> Subtree {
        Leapfrog.step(&z, model: &model, metric: kernel.metric, stepSize: direction * kernel.stepSize, sharp: &scratch)
        nLeapfrog += 1
        let h = z.hamiltonian(kernel.metric)  // NaN already mapped to +∞
        if h - h0 > kernel.maxDeltaH { divergent = true }
        let logWeight = h0 - h
        sumMetropolisProbability += logWeight > 0 ? 1 : exp(logWeight)
        let sharp = kernel.metric.sharp(z.p)
        return Subtree(
            valid: !divergent, logSumWeight: logWeight, proposal: z, rho: z.p,
            pBegin: z.p, sharpBegin: sharp, pEnd: z.p, sharpEnd: sharp)
    }
}
