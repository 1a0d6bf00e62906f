// Random-walk Metropolis with Gaussian proposals x' = x + s·Lz, z ~ N(0, I), where LLᵀ is a
// proposal covariance (diagonal or dense) and s a scale tuned during warmup.
//
// [1] Metropolis, Rosenbluth, Rosenbluth, Teller & Teller 1953, J. Chem. Phys. 21:1087.
// [2] Roberts, Gelman & Gilks 1997, "Weak convergence and optimal scaling of random walk
//     Metropolis algorithms", Ann. Appl. Probab. 7(1):110–120 (2.38²/d, acceptance 0.234).

import Foundation
import SynmMath

/// The state of a random-walk Metropolis chain: a position and its log density.
public struct MetropolisState: Sendable, Equatable {
    /// The position on the unconstrained space.
    public var position: [Double]
    /// log π(position).
    public var logDensity: Double

    /// A state from its parts.
    public init(position: [Double], logDensity: Double) {
        self.position = position
        self.logDensity = logDensity
    }
}

/// What one Metropolis transition did.
public struct MetropolisInfo: Sendable, Equatable {
    /// lp__ of the state after the transition.
    public var logDensity: Double
    /// accept_stat__: min(1, π(x')/π(x)), the acceptance probability of the proposal.
    public var acceptStat: Double
    /// Whether the proposal was accepted.
    public var accepted: Bool
}

/// The random-walk Metropolis kernel [1].
public struct RandomWalkMetropolis: Sendable {
    /// The proposal's shape: the factor L of the proposal covariance LLᵀ.
    public enum Shape: Sendable, Equatable {
        /// L = diag(standard deviations).
        case diagonal([Double])
        /// L lower triangular (a Cholesky factor).
        case cholesky(Matrix)
    }

    /// The shape factor L.
    public var shape: Shape
    /// The scale s multiplying L (tuned by warmup toward the target acceptance).
    public var scale: Double

    /// A kernel with proposal covariance s²·LLᵀ.
    public init(shape: Shape, scale: Double) {
        self.shape = shape
        self.scale = scale
    }

    /// The identity shape in `dimension` coordinates with the optimal scale 2.38/√d [2].
    public static func standard(dimension: Int) -> RandomWalkMetropolis {
        RandomWalkMetropolis(
            shape: .diagonal([Double](repeating: 1, count: dimension)),
            scale: 2.38 / Double(dimension).squareRoot())  // 2.38, from [2]
    }

    /// One transition: propose x' = x + s·Lz and accept with probability min(1, π(x')/π(x));
    /// a non-finite log π(x') is rejected. Draws d normals and one uniform.
    public func step<M: LogDensityModel, R: RandomNumberGenerator>(
        _ state: MetropolisState, model: inout M, rng: inout R
    ) -> (MetropolisState, MetropolisInfo) {
        let n = state.position.count
        let z = (0..<n).map { _ in rng.standardNormal() }
        var proposal = state.position
        switch shape {
        case .diagonal(let sd):
            for i in 0..<n { proposal[i] += scale * sd[i] * z[i] }
        case .cholesky(let l):
            for i in 0..<n {
                var s = 0.0
                for k in 0...i { s += l[i, k] * z[k] }
                proposal[i] += scale * s
            }
        }
        let lp = model.logDensity(proposal)
        let logRatio = lp.isNaN ? -Double.infinity : lp - state.logDensity
        let acceptStat = logRatio >= 0 ? 1 : exp(logRatio)
        let accepted = log(rng.uniform01()) < logRatio
        let next = accepted ? MetropolisState(position: proposal, logDensity: lp) : state
        return (next, MetropolisInfo(logDensity: next.logDensity, acceptStat: acceptStat, accepted: accepted))
    }
}
