// The NUTS transition of NUTS.swift over preallocated memory: the same arithmetic in the same
// order and the same random draws as the recursive description in [3], but the subtrees'
// summed and end momenta, their proposals and the trajectory's ends live in one buffer that a
// chain reuses from transition to transition, so a transition allocates only the state it
// returns (docs/PERFORMANCE.md, "Sampler overhead").
//
// Layout: the subtree built at depth d from slot k uses slots k…k+d; the initial half is built
// in slot k, the final half in slot k+1, and the merge writes the result into slot k. A
// transition's top-level subtree is built in slot 0, so `maxDepth` slots suffice.
//
// [2] Betancourt 2017, arXiv:1701.02434, Appendix A.
// [3] Stan, src/stan/mcmc/hmc/nuts/base_nuts.hpp (`transition`, `build_tree`).

import Foundation
import SynmMath

/// Memory that a chain's transitions reuse (NUTS: its subtree slots and trajectory ends). It
/// carries no information from one transition to the next — every value is written before it
/// is read — so results do not depend on it; it only saves allocations. A chain owns one.
public struct TransitionWorkspace: Sendable {
    var nuts: NUTSScratch?

    /// An empty workspace; a kernel sizes it on first use.
    public init() {}

    /// The NUTS scratch for `dimension` coordinates and `maxDepth` doublings, reallocated when
    /// the sizes change or another workspace value shares it.
    mutating func nutsScratch(dimension: Int, maxDepth: Int) -> NUTSScratch {
        // Uniqueness first: a bound copy of the reference would count as a second owner.
        if isKnownUniquelyReferenced(&nuts), let s = nuts, s.dimension == dimension, s.slots >= maxDepth {
            return s
        }
        let s = NUTSScratch(dimension: dimension, slots: maxDepth)
        nuts = s
        return s
    }
}

/// One flat buffer of doubles for a NUTS transition, plus the two arrays the model reads and
/// writes (position and gradient). Used by one transition at a time.
final class NUTSScratch: @unchecked Sendable {
    let dimension: Int
    let slots: Int
    let base: UnsafeMutablePointer<Double>
    let count: Int
    /// The position handed to the model, and the gradient it writes.
    var x: [Double]
    var gradient: [Double]

    /// Vectors of `dimension` doubles: 7 per slot, 3 per trajectory end, 14 for the top level.
    static func vectors(slots: Int) -> Int { 7 * slots + 6 + 14 }
    /// Scalars: 3 per slot, 1 per trajectory end.
    static func scalars(slots: Int) -> Int { 3 * slots + 2 }

    init(dimension: Int, slots: Int) {
        self.dimension = dimension
        self.slots = slots
        count = Self.vectors(slots: slots) * dimension + Self.scalars(slots: slots)
        base = .allocate(capacity: count)
        base.initialize(repeating: 0, count: count)
        x = [Double](repeating: 0, count: dimension)
        gradient = x
    }

    deinit { base.deallocate() }
}

extension NUTS {
    /// One NUTS transition using `workspace` for its scratch memory: the same result, bit for
    /// bit, as `step(_:model:rng:)`.
    public func step<M: LogDensityModel, R: RandomNumberGenerator>(
        _ state: HMCState, model: inout M, rng: inout R, workspace: inout TransitionWorkspace
    ) -> (HMCState, HMCInfo) {
        let n = state.position.count
        let scratch = workspace.nutsScratch(dimension: n, maxDepth: maxDepth)
        if R.self == Xoshiro256StarStar.self {
            // The chains' generator, held by value so that its draws are inlined.
            return withUnsafeMutablePointer(to: &rng) { r in
                r.withMemoryRebound(to: Xoshiro256StarStar.self, capacity: 1) { x in
                    var random = TransitionRandom(xoshiro: x.pointee, other: nil)
                    defer { x.pointee = random.xoshiro }
                    return step(state, scratch: scratch, model: &model, rng: &random)
                }
            }
        }
        return withoutActuallyEscaping({ rng.next() }) { next in
            var random = TransitionRandom(xoshiro: Xoshiro256StarStar(seed: 0), other: next)
            return step(state, scratch: scratch, model: &model, rng: &random)
        }
    }

    private func step<M: LogDensityModel>(
        _ state: HMCState, scratch: NUTSScratch, model: inout M, rng: inout TransitionRandom
    ) -> (HMCState, HMCInfo) {
        switch metric.storage {
        case .diagonal(let d):
            return d.withUnsafeBufferPointer { m in
                transition(state, scratch: scratch, metric: MetricView(values: m.baseAddress ?? UnsafePointer(scratch.base), dense: false),
                           model: &model, rng: &rng)
            }
        case .dense(let inverse, _):
            return inverse.storage.withUnsafeBufferPointer { m in
                transition(state, scratch: scratch, metric: MetricView(values: m.baseAddress ?? UnsafePointer(scratch.base), dense: true),
                           model: &model, rng: &rng)
            }
        }
    }

    private func transition<M: LogDensityModel>(
        _ state: HMCState, scratch: NUTSScratch, metric view: MetricView, model: inout M, rng: inout TransitionRandom
    ) -> (HMCState, HMCInfo) {
        let n = scratch.dimension
        var tree = TrajectoryBuffers(scratch: scratch, metric: view, stepSize: stepSize, maxDeltaH: maxDeltaH)
        // The momentum p ~ N(0, M) (Metric.sampleMomentum: the same draws in the same order).
        let p0 = tree.top(0)
        switch metric.storage {
        case .diagonal(let d):
            for i in 0..<n { p0[i] = rng.standardNormal() / d[i].squareRoot() }
        case .dense:
            let p = metric.sampleMomentum(using: &rng)
            for i in 0..<n { p0[i] = p[i] }
        }
        // Both ends of the trajectory start at z0 = (q, p0).
        for e in 0..<2 {
            let end = tree.end(e)
            state.position.withUnsafeBufferPointer { q in end.q.update(from: q.baseAddress ?? UnsafePointer(tree.base), count: n) }
            state.gradient.withUnsafeBufferPointer { g in end.g.update(from: g.baseAddress ?? UnsafePointer(tree.base), count: n) }
            end.p.update(from: p0, count: n)
            tree.setLogDensity(of: e, state.logDensity)
        }
        let h0 = tree.hamiltonian(logDensity: state.logDensity, p: p0)
        tree.h0 = h0
        // End momenta and sharp momenta of the forward and backward halves, [half][end] as in
        // NUTS.swift; ρ is the summed momentum over the whole trajectory.
        let rho = tree.top(1), pFwdFwd = tree.top(2), sFwdFwd = tree.top(3), pFwdBck = tree.top(4),
            sFwdBck = tree.top(5), pBckFwd = tree.top(6), sBckFwd = tree.top(7), pBckBck = tree.top(8),
            sBckBck = tree.top(9), selectedQ = tree.top(10), selectedG = tree.top(11)
        var merged = tree.top(12)
        var rhoNow = rho
        view.sharp(p0, into: sFwdFwd, n)
        pFwdFwd.update(from: p0, count: n); pFwdBck.update(from: p0, count: n)
        pBckFwd.update(from: p0, count: n); pBckBck.update(from: p0, count: n)
        rhoNow.update(from: p0, count: n)
        sFwdBck.update(from: sFwdFwd, count: n); sBckFwd.update(from: sFwdFwd, count: n)
        sBckBck.update(from: sFwdFwd, count: n)
        var selectedIsInitial = true
        var selectedLogDensity = state.logDensity, selectedEnergy = h0
        var logSumWeight = 0.0  // log Σ e^{H₀−H}; the initial state has weight 1
        var depth = 0

        while depth < maxDepth {
            let forward = rng.uniform01() > 0.5
            let valid = tree.build(depth: depth, slot: 0, end: forward ? 0 : 1, direction: forward ? 1 : -1,
                                   model: &model, rng: &rng)
            // An invalid subtree (divergent or internally U-turned) is discarded whole.
            guard valid else { break }
            depth += 1
            let s = tree.slot(0)

            // Biased progressive sampling ([2] A.3.2).
            let subtreeWeight = tree.logSumWeight(0)
            var take = false
            if subtreeWeight > logSumWeight {
                take = true
            } else if rng.uniform01() < exp(subtreeWeight - logSumWeight) {
                take = true
            }
            if take {
                selectedIsInitial = false
                selectedQ.update(from: s.propQ, count: n)
                selectedG.update(from: s.propG, count: n)
                selectedLogDensity = tree.proposalLogDensity(0)
                selectedEnergy = tree.proposalEnergy(0)
            }
            logSumWeight = logSumExp(logSumWeight, subtreeWeight)

            // The old trajectory becomes the backward (forward) half.
            let rhoForward = forward ? s.rho : rhoNow, rhoBackward = forward ? rhoNow : s.rho
            if forward {
                pBckFwd.update(from: pFwdFwd, count: n); sBckFwd.update(from: sFwdFwd, count: n)
                pFwdBck.update(from: s.pBegin, count: n); sFwdBck.update(from: s.sBegin, count: n)
                pFwdFwd.update(from: s.pEnd, count: n); sFwdFwd.update(from: s.sEnd, count: n)
            } else {
                pFwdBck.update(from: pBckBck, count: n); sFwdBck.update(from: sBckBck, count: n)
                pBckFwd.update(from: s.pBegin, count: n); sBckFwd.update(from: s.sBegin, count: n)
                pBckBck.update(from: s.pEnd, count: n); sBckBck.update(from: s.sEnd, count: n)
            }
            for i in 0..<n { merged[i] = rhoBackward[i] + rhoForward[i] }
            // The criterion across the merged span, then across each subtree boundary ([3]).
            let persist = noUTurn(sBckBck, sFwdFwd, merged, n)
                && noUTurn(sBckBck, sFwdBck, rhoBackward, plus: pFwdBck, n)
                && noUTurn(sBckFwd, sFwdFwd, rhoForward, plus: pBckFwd, n)
            swap(&rhoNow, &merged)
            if !persist { break }
        }

        tree.finish()
        let info = HMCInfo(
            logDensity: selectedLogDensity,
            acceptStat: tree.sumMetropolisProbability / Double(tree.nLeapfrog),
            stepSize: stepSize, treeDepth: depth, nLeapfrog: tree.nLeapfrog,
            divergent: tree.divergent, energy: selectedEnergy)
        if selectedIsInitial { return (state, info) }
        let next = HMCState(position: Array(UnsafeBufferPointer(start: selectedQ, count: n)), logDensity: selectedLogDensity,
                            gradient: Array(UnsafeBufferPointer(start: selectedG, count: n)))
        return (next, info)
    }
}

/// The generator a transition draws from: the chain's xoshiro256** held by value (its draws
/// inlined into the transition), or any other generator through `other`. The same draws in
/// the same order either way.
struct TransitionRandom: RandomNumberGenerator {
    var xoshiro: Xoshiro256StarStar
    let other: (() -> UInt64)?

    @inline(__always) mutating func next() -> UInt64 {
        if let other { return other() }
        return xoshiro.next()
    }
}

/// M⁻¹ as raw memory: the diagonal, or the dense matrix row by row. The arithmetic is
/// `Metric.sharp` and `Metric.kineticEnergy`, term for term.
struct MetricView {
    let values: UnsafePointer<Double>
    let dense: Bool

    /// p♯ = M⁻¹p.
    @inline(__always) func sharp(_ p: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, _ n: Int) {
        if !dense {
            for i in 0..<n { out[i] = values[i] * p[i] }
        } else {
            for i in 0..<n {
                var s = 0.0
                for j in 0..<n { s += values[i * n + j] * p[j] }
                out[i] = s
            }
        }
    }

    /// K(p) = ½ pᵀM⁻¹p; `tmp` receives M⁻¹p for a dense metric.
    @inline(__always) func kineticEnergy(_ p: UnsafePointer<Double>, tmp: UnsafeMutablePointer<Double>, _ n: Int) -> Double {
        var s = 0.0
        if !dense {
            for i in 0..<n { s += values[i] * p[i] * p[i] }
        } else {
            sharp(p, into: tmp, n)
            for i in 0..<n { s += p[i] * tmp[i] }
        }
        return 0.5 * s
    }
}

/// The generalised no-U-turn criterion (`noUTurn` in NUTS.swift) on raw memory.
@inline(__always)
func noUTurn(_ sharpMinus: UnsafePointer<Double>, _ sharpPlus: UnsafePointer<Double>, _ rho: UnsafePointer<Double>,
             _ n: Int) -> Bool {
    var plus = 0.0, minus = 0.0
    for i in 0..<n {
        plus += sharpPlus[i] * rho[i]
        minus += sharpMinus[i] * rho[i]
    }
    return plus > 0 && minus > 0
}

/// The criterion for the span with summed momentum ρ + p (formed elementwise, as `add` does).
@inline(__always)
func noUTurn(_ sharpMinus: UnsafePointer<Double>, _ sharpPlus: UnsafePointer<Double>, _ rho: UnsafePointer<Double>,
             plus p: UnsafePointer<Double>, _ n: Int) -> Bool {
    var plus = 0.0, minus = 0.0
    for i in 0..<n {
        let r = rho[i] + p[i]
        plus += sharpPlus[i] * r
        minus += sharpMinus[i] * r
    }
    return plus > 0 && minus > 0
}

/// A subtree slot's vectors: summed momentum, the begin and end momenta with their sharp
/// momenta, and the proposal's position and gradient.
struct SlotVectors {
    let rho, pBegin, sBegin, pEnd, sEnd, propQ, propG: UnsafeMutablePointer<Double>
}

/// A trajectory end: position, momentum, gradient (its log density is a scalar of the buffer).
struct EndVectors {
    let q, p, g: UnsafeMutablePointer<Double>
}

/// The subtree builder of NUTS+Tree's description ([3] `build_tree`) over a `NUTSScratch`.
struct TrajectoryBuffers {
    let scratch: NUTSScratch
    let n: Int
    let base: UnsafeMutablePointer<Double>
    let scalars: UnsafeMutablePointer<Double>
    let metric: MetricView
    let stepSize: Double
    let maxDeltaH: Double
    var h0 = 0.0
    var nLeapfrog = 0
    var sumMetropolisProbability = 0.0
    var divergent = false
    /// The position handed to the model and the gradient it writes (the scratch's arrays,
    /// held here during the transition so that they stay uniquely referenced).
    var x: [Double], g: [Double]

    init(scratch: NUTSScratch, metric: MetricView, stepSize: Double, maxDeltaH: Double) {
        self.scratch = scratch
        x = scratch.x
        g = scratch.gradient
        scratch.x = []
        scratch.gradient = []
        n = scratch.dimension
        base = scratch.base
        scalars = scratch.base + NUTSScratch.vectors(slots: scratch.slots) * scratch.dimension
        self.metric = metric
        self.stepSize = stepSize
        self.maxDeltaH = maxDeltaH
    }

    /// Hands the model's arrays back to the scratch.
    mutating func finish() {
        scratch.x = x
        scratch.gradient = g
        x = []
        g = []
    }

    @inline(__always) func slot(_ k: Int) -> SlotVectors {
        let b = base + 7 * k * n
        return SlotVectors(rho: b, pBegin: b + n, sBegin: b + 2 * n, pEnd: b + 3 * n, sEnd: b + 4 * n,
                           propQ: b + 5 * n, propG: b + 6 * n)
    }

    @inline(__always) func end(_ e: Int) -> EndVectors {
        let b = base + (7 * scratch.slots + 3 * e) * n
        return EndVectors(q: b, p: b + n, g: b + 2 * n)
    }

    /// Top-level vector `i` (0 ..< 14).
    @inline(__always) func top(_ i: Int) -> UnsafeMutablePointer<Double> {
        base + (7 * scratch.slots + 6 + i) * n
    }

    @inline(__always) func logSumWeight(_ k: Int) -> Double { scalars[3 * k] }
    @inline(__always) func proposalLogDensity(_ k: Int) -> Double { scalars[3 * k + 1] }
    @inline(__always) func proposalEnergy(_ k: Int) -> Double { scalars[3 * k + 2] }
    @inline(__always) func logDensity(of e: Int) -> Double { scalars[3 * scratch.slots + e] }
    @inline(__always) func setLogDensity(of e: Int, _ v: Double) { scalars[3 * scratch.slots + e] = v }

    /// H(q, p) = −log π(q) + K(p), NaN returned as +∞ (`PhasePoint.hamiltonian`).
    @inline(__always) func hamiltonian(logDensity: Double, p: UnsafePointer<Double>) -> Double {
        let h = -logDensity + metric.kineticEnergy(p, tmp: top(13), n)
        return h.isNaN ? .infinity : h
    }

    /// Builds a subtree of 2^depth steps from end `e` in `direction` into slot `k` (using slots
    /// k…k+depth); returns whether it is valid (no divergence, no internal U-turn).
    mutating func build<M: LogDensityModel>(
        depth: Int, slot k: Int, end e: Int, direction: Double, model: inout M, rng: inout TransitionRandom
    ) -> Bool {
        if depth == 0 { return leaf(slot: k, end: e, direction: direction, model: &model) }

        // The initial half in slot k; an invalid half ends the subtree.
        guard build(depth: depth - 1, slot: k, end: e, direction: direction, model: &model, rng: &rng) else { return false }
        guard build(depth: depth - 1, slot: k + 1, end: e, direction: direction, model: &model, rng: &rng) else {
            return false
        }
        let initial = slot(k), final = slot(k + 1)

        // Uniform progressive sampling ([2] A.3.1), drawing uniforms exactly when Stan does.
        let finalWeight = logSumWeight(k + 1)
        let logSubtree = logSumExp(logSumWeight(k), finalWeight)
        var take = false
        if finalWeight > logSubtree {
            take = true
        } else if rng.uniform01() < exp(finalWeight - logSubtree) {
            take = true
        }
        if take {
            initial.propQ.update(from: final.propQ, count: n)
            initial.propG.update(from: final.propG, count: n)
            scalars[3 * k + 1] = scalars[3 * (k + 1) + 1]
            scalars[3 * k + 2] = scalars[3 * (k + 1) + 2]
        }

        // Across the boundary between the halves (on the halves' own ρ), then across the
        // merged subtree ([3]); the conjunction is the same in any order.
        let boundary = noUTurn(initial.sBegin, final.sBegin, initial.rho, plus: final.pBegin, n)
            && noUTurn(initial.sEnd, final.sEnd, final.rho, plus: initial.pEnd, n)
        for i in 0..<n { initial.rho[i] += final.rho[i] }
        let persist = noUTurn(initial.sBegin, final.sEnd, initial.rho, n) && boundary

        initial.pEnd.update(from: final.pEnd, count: n)
        initial.sEnd.update(from: final.sEnd, count: n)
        scalars[3 * k] = logSubtree
        return persist
    }

    /// The base case: one leapfrog step of end `e`, its weight e^{H₀−H}, its Metropolis
    /// probability and the divergence check (H − H₀ > max_deltaH, NaN counted as +∞).
    private mutating func leaf<M: LogDensityModel>(slot k: Int, end e: Int, direction: Double, model: inout M) -> Bool {
        let z = end(e), s = slot(k)
        let epsilon = direction * stepSize
        let half = 0.5 * epsilon
        let n = self.n, d = metric.values
        // The leapfrog step of Leapfrog.swift, operation for operation. With a diagonal metric
        // the loops over the coordinates are fused (each element's arithmetic, and the order of
        // the kinetic energy's sum, are unchanged). The model sees the end's position and, as
        // in Leapfrog.step, its previous gradient.
        if !metric.dense {
            x.withUnsafeMutableBufferPointer { xb in
                g.withUnsafeMutableBufferPointer { gb in
                    guard let xp = xb.baseAddress, let gp = gb.baseAddress else { return }
                    for i in 0..<n {
                        let p = z.p[i] + half * z.g[i]
                        z.p[i] = p
                        let q = z.q[i] + epsilon * (d[i] * p)
                        z.q[i] = q
                        xp[i] = q
                        gp[i] = z.g[i]
                    }
                }
            }
        } else {
            for i in 0..<n { z.p[i] += half * z.g[i] }
            let sharp = top(13)
            metric.sharp(z.p, into: sharp, n)
            for i in 0..<n { z.q[i] += epsilon * sharp[i] }
            x.withUnsafeMutableBufferPointer { $0.baseAddress?.update(from: z.q, count: n) }
            g.withUnsafeMutableBufferPointer { $0.baseAddress?.update(from: z.g, count: n) }
        }
        let logDensity = model.logDensityAndGradient(x, gradient: &g)
        setLogDensity(of: e, logDensity)
        nLeapfrog += 1

        let h: Double
        if !metric.dense {
            // The second half step, K(p) (Metric.kineticEnergy: ½ Σ dᵢpᵢpᵢ in order), p♯ and
            // the leaf's slot, in one pass.
            var kinetic = 0.0
            g.withUnsafeBufferPointer { gb in
                guard let gp = gb.baseAddress else { return }
                for i in 0..<n {
                    let gi = gp[i]
                    z.g[i] = gi
                    let p = z.p[i] + half * gi
                    z.p[i] = p
                    kinetic += d[i] * p * p
                    let sharp = d[i] * p
                    s.sBegin[i] = sharp
                    s.sEnd[i] = sharp
                    s.rho[i] = p
                    s.pBegin[i] = p
                    s.pEnd[i] = p
                    s.propQ[i] = z.q[i]
                    s.propG[i] = gi
                }
            }
            let energy = -logDensity + 0.5 * kinetic
            h = energy.isNaN ? .infinity : energy
        } else {
            g.withUnsafeBufferPointer { if let b = $0.baseAddress { z.g.update(from: b, count: n) } }
            for i in 0..<n { z.p[i] += half * z.g[i] }
            h = hamiltonian(logDensity: logDensity, p: z.p)
            metric.sharp(z.p, into: s.sBegin, n)
            s.sEnd.update(from: s.sBegin, count: n)
            s.rho.update(from: z.p, count: n)
            s.pBegin.update(from: z.p, count: n)
            s.pEnd.update(from: z.p, count: n)
            s.propQ.update(from: z.q, count: n)
            s.propG.update(from: z.g, count: n)
        }
        if h - h0 > maxDeltaH { divergent = true }
        let logWeight = h0 - h
        sumMetropolisProbability += logWeight > 0 ? 1 : exp(logWeight)
        scalars[3 * k] = logWeight
        scalars[3 * k + 1] = logDensity
        scalars[3 * k + 2] = h
        return !divergent
    }
}
