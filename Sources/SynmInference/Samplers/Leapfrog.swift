// The leapfrog (Störmer–Verlet) integrator for H(q, p) = −log π(q) + ½ pᵀM⁻¹p, and the
// phase-space point it moves. Symplectic and time-reversible; energy error O(ε²) [1, 2].
//
// [1] Neal 2011, "MCMC using Hamiltonian dynamics", Handbook of MCMC, eqs. (5.18)–(5.20).
// [2] Stan, src/stan/mcmc/hmc/integrators/expl_leapfrog.hpp and base_leapfrog.hpp.

import SynmMath

/// A point (q, p) in phase space with the log density and its gradient cached at q
/// (Stan's `ps_point`), so that each leapfrog step costs one gradient evaluation.
public struct PhasePoint: Sendable, Equatable {
    /// Position q (unconstrained parameters).
    public var q: [Double]
    /// Momentum p.
    public var p: [Double]
    /// log π(q).
    public var logDensity: Double
    /// ∇ log π(q).
    public var gradient: [Double]

    /// A point from its parts; the caller guarantees `logDensity` and `gradient` belong to `q`.
    public init(q: [Double], p: [Double], logDensity: Double, gradient: [Double]) {
        self.q = q
        self.p = p
        self.logDensity = logDensity
        self.gradient = gradient
    }

    /// H(q, p) = −log π(q) + K(p); NaN is returned as +∞ (Stan treats a NaN energy as divergent).
    public func hamiltonian(_ metric: Metric) -> Double {
        let h = -logDensity + metric.kineticEnergy(p)
        return h.isNaN ? .infinity : h
    }
}

/// The leapfrog integrator [1, 2]: half step in momentum, full step in position, half step in
/// momentum. A step with negative `stepSize` integrates backward in time.
public enum Leapfrog {
    /// Advances `z` by one leapfrog step of size `stepSize` under `metric`; one gradient call.
    /// `sharp` is scratch space of `dimension` elements (avoids an allocation per step).
    public static func step<M: LogDensityModel>(
        _ z: inout PhasePoint, model: inout M, metric: Metric, stepSize: Double,
        sharp: inout [Double]
    ) {
        let n = z.q.count
        let half = 0.5 * stepSize
        // Half step on momenta: p ← p − (ε/2)·∂V/∂q, with V = −log π (eq. 5.18 of [1]).
        for i in 0..<n { z.p[i] += half * z.gradient[i] }
        // Full step on positions: q ← q + ε·M⁻¹p (eq. 5.19 of [1]).
        metric.sharp(z.p, into: &sharp)
        for i in 0..<n { z.q[i] += stepSize * sharp[i] }
        z.logDensity = model.logDensityAndGradient(z.q, gradient: &z.gradient)
        // Second half step on momenta (eq. 5.20 of [1]).
        for i in 0..<n { z.p[i] += half * z.gradient[i] }
    }

    /// `count` leapfrog steps of size `stepSize` (a convenience for static HMC and tests).
    public static func integrate<M: LogDensityModel>(
        _ z: inout PhasePoint, model: inout M, metric: Metric, stepSize: Double, count: Int
    ) {
        var sharp = [Double](repeating: 0, count: z.q.count)
        for _ in 0..<count {
            step(&z, model: &model, metric: metric, stepSize: stepSize, sharp: &sharp)
        }
    }
}
