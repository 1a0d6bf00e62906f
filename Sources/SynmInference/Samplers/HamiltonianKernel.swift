// The vocabulary shared by the gradient-based samplers (BlackJAX's `HMCState` / `HMCInfo`,
// STYLE habit 7): a state, a per-transition info record, and the kernel protocol that
// warmup wraps. Kernels are immutable values; all randomness comes through an `inout` RNG.

import SynmMath

/// The state carried between HMC/NUTS transitions: a position with its log density and
/// gradient (the momentum is redrawn every transition, so it is not part of the state).
public struct HMCState: Sendable, Equatable {
    /// The position q on the unconstrained space.
    public var position: [Double]
    /// log π(q).
    public var logDensity: Double
    /// ∇ log π(q).
    public var gradient: [Double]

    /// A state from its parts (the caller guarantees that they agree).
    public init(position: [Double], logDensity: Double, gradient: [Double]) {
        self.position = position
        self.logDensity = logDensity
        self.gradient = gradient
    }

    /// The state at `position`, evaluating the model once.
    public init<M: LogDensityModel>(position: [Double], model: inout M) {
        var g = [Double](repeating: 0, count: position.count)
        let lp = model.logDensityAndGradient(position, gradient: &g)
        self.init(position: position, logDensity: lp, gradient: g)
    }
}

/// What one transition did: the seven CmdStan sampler columns.
public struct HMCInfo: Sendable, Equatable {
    /// lp__: log π of the selected state (up to the model's constant).
    public var logDensity: Double
    /// accept_stat__: NUTS: mean of min(1, e^{H₀−H}) over every new leapfrog state (rejected
    /// subtree included); static HMC: the Metropolis acceptance probability.
    public var acceptStat: Double
    /// stepsize__: the step size ε used.
    public var stepSize: Double
    /// treedepth__: NUTS: the number of accepted trajectory doublings; static HMC: 0.
    public var treeDepth: Int
    /// n_leapfrog__: the number of leapfrog steps (gradient evaluations) taken.
    public var nLeapfrog: Int
    /// divergent__: whether H − H₀ exceeded the divergence threshold (1000, from Stan).
    public var divergent: Bool
    /// energy__: H(q, p) of the selected state.
    public var energy: Double

    /// An info record from its seven fields.
    public init(
        logDensity: Double, acceptStat: Double, stepSize: Double, treeDepth: Int,
        nLeapfrog: Int, divergent: Bool, energy: Double
    ) {
        self.logDensity = logDensity
        self.acceptStat = acceptStat
        self.stepSize = stepSize
        self.treeDepth = treeDepth
        self.nLeapfrog = nLeapfrog
        self.divergent = divergent
        self.energy = energy
    }
}

/// A gradient-based MCMC kernel with a step size and a Euclidean metric: the two things
/// Stan's warmup tunes. Adaptation builds new kernel values; it never edits one in place.
public protocol HamiltonianKernel: Sendable {
    /// The integrator step size ε.
    var stepSize: Double { get set }
    /// The metric (its inverse is the warmup's covariance estimate).
    var metric: Metric { get set }

    /// One MCMC transition from `state`. Pure apart from the model's scratch space and `rng`.
    func step<M: LogDensityModel, R: RandomNumberGenerator>(
        _ state: HMCState, model: inout M, rng: inout R
    ) -> (HMCState, HMCInfo)

    /// The same transition reusing `workspace`'s memory (same result, bit for bit); a chain
    /// keeps one workspace for all its transitions. The default ignores the workspace.
    func step<M: LogDensityModel, R: RandomNumberGenerator>(
        _ state: HMCState, model: inout M, rng: inout R, workspace: inout TransitionWorkspace
    ) -> (HMCState, HMCInfo)
}

extension HamiltonianKernel {
    public func step<M: LogDensityModel, R: RandomNumberGenerator>(
        _ state: HMCState, model: inout M, rng: inout R, workspace: inout TransitionWorkspace
    ) -> (HMCState, HMCInfo) {
        step(state, model: &model, rng: &rng)
    }
}

/// Stan's divergence threshold on H − H₀ (`max_deltaH`, 1000 in base_nuts.hpp).
public let defaultMaxDeltaH = 1000.0
