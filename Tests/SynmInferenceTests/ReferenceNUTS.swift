// The NUTS transition as it was written before NUTS+Workspace.swift: a direct transcription of
// Stan's recursive build_tree (base_nuts.hpp) on value-type arrays, allocating per subtree.
// Kept as the reference that the buffer-based transition must reproduce bit for bit
// (NUTSWorkspaceTests.swift).
//
// [2] Betancourt 2017, arXiv:1701.02434, Appendix A.
// [3] Stan, src/stan/mcmc/hmc/nuts/base_nuts.hpp (`transition`, `build_tree`, `compute_criterion`).

import Foundation
import SynmMath
@testable import SynmInference

/// A NUTS kernel's transition computed by the reference implementation.
struct ReferenceNUTS {
    let kernel: NUTS

    /// One NUTS transition ([3] `transition`): draw p ~ N(0, M), then double the trajectory in a
    /// random direction until a U-turn, a divergence or `maxDepth`.
    func step<M: LogDensityModel, R: RandomNumberGenerator>(
        _ state: HMCState, model: inout M, rng: inout R
    ) -> (HMCState, HMCInfo) {
        let p0 = kernel.metric.sampleMomentum(using: &rng)
        let z0 = PhasePoint(q: state.position, p: p0, logDensity: state.logDensity, gradient: state.gradient)
        var builder = ReferenceTreeBuilder(kernel: kernel, h0: z0.hamiltonian(kernel.metric), dimension: p0.count)
        let sharp0 = kernel.metric.sharp(p0)

        var zForward = z0, zBackward = z0, selected = z0
        // End momenta and sharp momenta of the forward and backward halves of the trajectory,
        // named [half][end] as in [3]: fwdFwd is the forward end of the forward half.
        var pFwdFwd = p0, sFwdFwd = sharp0, pFwdBck = p0, sFwdBck = sharp0
        var pBckFwd = p0, sBckFwd = sharp0, pBckBck = p0, sBckBck = sharp0
        var rho = p0               // summed momentum over the whole trajectory
        var logSumWeight = 0.0     // log Σ e^{H₀−H}; the initial state has weight 1
        var depth = 0

        while depth < kernel.maxDepth {
            var rhoForward: [Double], rhoBackward: [Double]
            let subtree: ReferenceSubtree
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

            rho = referenceAdd(rhoBackward, rhoForward)
            // The criterion across the merged span, then across each subtree boundary ([3]).
            var persist = referenceNoUTurn(sBckBck, sFwdFwd, rho)
            persist = persist && referenceNoUTurn(sBckBck, sFwdBck, referenceAdd(rhoBackward, pFwdBck))
            persist = persist && referenceNoUTurn(sBckFwd, sFwdFwd, referenceAdd(rhoForward, pBckFwd))
            if !persist { break }
        }

        let info = HMCInfo(
            logDensity: selected.logDensity,
            acceptStat: builder.sumMetropolisProbability / Double(builder.nLeapfrog),
            stepSize: kernel.stepSize, treeDepth: depth, nLeapfrog: builder.nLeapfrog,
            divergent: builder.divergent, energy: selected.hamiltonian(kernel.metric))
        let next = HMCState(position: selected.q, logDensity: selected.logDensity, gradient: selected.gradient)
        return (next, info)
    }
}

/// The generalised no-U-turn criterion ([2] eq. 33, [3] `compute_criterion`): a span with summed
/// momentum ρ and end sharp momenta p♯⁻, p♯⁺ keeps expanding iff p♯⁺·ρ > 0 and p♯⁻·ρ > 0.
@inline(__always)
func referenceNoUTurn(_ sharpMinus: [Double], _ sharpPlus: [Double], _ rho: [Double]) -> Bool {
    var plus = 0.0, minus = 0.0
    for i in 0..<rho.count {
        plus += sharpPlus[i] * rho[i]
        minus += sharpMinus[i] * rho[i]
    }
    return plus > 0 && minus > 0
}

/// Elementwise a + b.
@inline(__always)
func referenceAdd(_ a: [Double], _ b: [Double]) -> [Double] {
    var out = a
    for i in 0..<a.count { out[i] += b[i] }
    return out
}

/// A finished subtree: its proposal, total weight, summed momentum and end momenta
/// (begin = first state built, end = last, in the direction of integration).
struct ReferenceSubtree {
    var valid: Bool
    var logSumWeight: Double
    var proposal: PhasePoint
    var rho: [Double]
    var pBegin: [Double], sharpBegin: [Double]
    var pEnd: [Double], sharpEnd: [Double]
}

/// The per-transition accumulators of [3] (`n_leapfrog`, `sum_metro_prob`, `divergent_`)
/// and the moving end of the trajectory `z`. Lives for one transition only.
struct ReferenceTreeBuilder {
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
    ) -> ReferenceSubtree {
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

        let rho = referenceAdd(initial.rho, final.rho)
        // Across the merged subtree, then across the boundary between its halves ([3]).
        var persist = referenceNoUTurn(initial.sharpBegin, final.sharpEnd, rho)
        persist = persist && referenceNoUTurn(initial.sharpBegin, final.sharpBegin, referenceAdd(initial.rho, final.pBegin))
        persist = persist && referenceNoUTurn(initial.sharpEnd, final.sharpEnd, referenceAdd(final.rho, initial.pEnd))

        return ReferenceSubtree(
            valid: persist, logSumWeight: logSubtree, proposal: initial.proposal, rho: rho,
            pBegin: initial.pBegin, sharpBegin: initial.sharpBegin,
            pEnd: final.pEnd, sharpEnd: final.sharpEnd)
    }

    /// The base case: one leapfrog step, its weight e^{H₀−H}, its Metropolis probability and
    /// the divergence check (H − H₀ > max_deltaH, NaN counted as +∞).
    private mutating func leaf<M: LogDensityModel>(direction: Double, model: inout M) -> ReferenceSubtree {
        Leapfrog.step(&z, model: &model, metric: kernel.metric, stepSize: direction * kernel.stepSize, sharp: &scratch)
        nLeapfrog += 1
        let h = z.hamiltonian(kernel.metric)  // NaN already mapped to +∞
        if h - h0 > kernel.maxDeltaH { divergent = true }
        let logWeight = h0 - h
        sumMetropolisProbability += logWeight > 0 ? 1 : exp(logWeight)
        let sharp = kernel.metric.sharp(z.p)
        return ReferenceSubtree(
            valid: !divergent, logSumWeight: logWeight, proposal: z, rho: z.p,
            pBegin: z.p, sharpBegin: sharp, pEnd: z.p, sharpEnd: sharp)
    }
}
