// Warmup for random-walk Metropolis (a synm extra, REFERENCE §3.3): dual averaging of the log
// proposal scale toward acceptance 0.234 (0.44 in one dimension), and a proposal covariance
// estimated in Stan's slow windows and scaled by 2.38²/d.
//
// [1] Roberts, Gelman & Gilks 1997, Ann. Appl. Probab. 7(1):110–120 (0.234 and 2.38²/d).
// [2] Roberts & Rosenthal 2001, "Optimal scaling for various Metropolis–Hastings algorithms",
//     Stat. Sci. 16(4) (0.44 in one dimension).
// [3] Haario, Saksman & Tamminen 2001, "An adaptive Metropolis algorithm", Bernoulli 7(2).

import Foundation
import SynmMath

/// Warmup state wrapped around a `RandomWalkMetropolis` kernel; `adapt` consumes one warmup
/// transition and updates the kernel to use next.
public struct MetropolisWarmup: Sendable {
    /// The kernel with the current scale and proposal shape.
    public private(set) var kernel: RandomWalkMetropolis
    /// Dual averaging on log s with target `targetAcceptance` and μ = log s (not log 10s: the
    /// 2.38/√d starting scale is already the asymptotically optimal one [1]).
    public private(set) var dualAveraging: DualAveraging
    /// The window schedule (Stan's, reused).
    public let schedule: WarmupSchedule
    /// The covariance estimator for the current window.
    public private(set) var estimator: WelfordEstimator
    /// The number of warmup iterations consumed so far.
    public private(set) var iteration = 0

    /// The optimal acceptance rate: 0.44 for d = 1 [2], 0.234 otherwise [1].
    public static func targetAcceptance(dimension: Int) -> Double {
        dimension == 1 ? 0.44 : 0.234
    }

    /// Starts from the identity shape with scale 2.38/√d; `dense` selects a full proposal
    /// covariance (via its Cholesky factor) rather than a diagonal one.
    public init(dimension: Int, numWarmup: Int, dense: Bool, settings: AdaptationSettings = AdaptationSettings()) {
        kernel = .standard(dimension: dimension)
        dualAveraging = DualAveraging(delta: Self.targetAcceptance(dimension: dimension),
                                      gamma: settings.gamma, kappa: settings.kappa, t0: settings.t0)
        dualAveraging.mu = log(kernel.scale)
        schedule = .stan(numWarmup: numWarmup, initBuffer: settings.initBuffer,
                         window: settings.window, termBuffer: settings.termBuffer)
        estimator = WelfordEstimator(dimension: dimension, dense: dense)
    }

    /// Learns from one warmup transition ending at `state`: a dual-averaging step on log s; at
    /// a window's end the proposal covariance becomes (2.38²/d)·Σ̂ [1, 3] and the scale
    /// adaptation restarts from s = 2.38/√d.
    public mutating func adapt(state: MetropolisState, info: MetropolisInfo) throws(WarmupError) {
        kernel.scale = dualAveraging.learn(acceptStat: info.acceptStat)
        defer { iteration += 1 }
        guard schedule.isInWindow(iteration) else { return }
        estimator.add(state.position)
        guard schedule.windowEnding(at: iteration) != nil else { return }
        let d = state.position.count
        let v = estimator.regularized
        guard v.allSatisfy(\.isFinite) else { throw .metricOverflow }
        if estimator.dense {
            guard let l = Matrix(rows: d, cols: d, storage: v).cholesky() else { throw .metricOverflow }
            kernel.shape = .cholesky(l)
        } else {
            kernel.shape = .diagonal(v.map { $0.squareRoot() })
        }
        estimator.restart()
        kernel.scale = 2.38 / Double(d).squareRoot()  // 2.38, from [1]
        dualAveraging.restart(stepSize: kernel.scale)
        dualAveraging.mu = log(kernel.scale)
    }

    /// The kernel for sampling: the last proposal shape and s = exp(x̄) (or the current s if
    /// no update followed the last restart).
    public var adaptedKernel: RandomWalkMetropolis {
        var k = kernel
        k.scale = dualAveraging.finalStepSize(current: kernel.scale)
        return k
    }
}
