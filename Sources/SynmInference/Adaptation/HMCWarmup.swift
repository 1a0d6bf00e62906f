// Stan's warmup for HMC and NUTS (adapt_diag_e_nuts.hpp, adapt_dense_e_nuts.hpp): dual
// averaging of ε every iteration, a Welford metric estimate inside the slow windows, and at
// each window end a new metric, a fresh init_stepsize and a restarted dual averaging.
//
// [1] Hoffman & Gelman 2014, JMLR 15:1593, §3.2 (dual averaging).
// [2] Stan, src/stan/mcmc/hmc/nuts/adapt_diag_e_nuts.hpp (`transition`), var_adaptation.hpp,
//     stepsize_adaptation.hpp, windowed_adaptation.hpp.

import SynmMath

/// The tuning constants of Stan's warmup, with CmdStan's defaults (arg_adapt.hpp).
public struct AdaptationSettings: Sendable, Equatable {
    /// Target acceptance δ (0.8, from CmdStan).
    public var delta: Double = 0.8
    /// Dual-averaging γ (0.05, from CmdStan).
    public var gamma: Double = 0.05
    /// Dual-averaging κ (0.75, from CmdStan).
    public var kappa: Double = 0.75
    /// Dual-averaging t₀ (10, from CmdStan).
    public var t0: Double = 10
    /// Initial fast buffer (75, from CmdStan).
    public var initBuffer: Int = 75
    /// First slow window (25, from CmdStan).
    public var window: Int = 25
    /// Terminal fast buffer (50, from CmdStan).
    public var termBuffer: Int = 50
    /// Estimate a dense metric instead of a diagonal one (CmdStan `metric=dense_e`).
    public var denseMetric: Bool = false
    /// Adapt the metric in the slow windows (false: Stan's unit_e, the metric stays as it
    /// started and only the step size is adapted, without window ends; adapt_unit_e_nuts.hpp).
    public var adaptMetric: Bool = true

    /// The defaults above.
    public init() {}
}

/// Warmup state wrapped around a Hamiltonian kernel. Each `adapt` call consumes one warmup
/// transition's result and returns the kernel to use next; nothing is hidden or shared.
public struct HMCWarmup<Kernel: HamiltonianKernel>: Sendable {
    /// The kernel with the current ε and metric.
    public private(set) var kernel: Kernel
    /// The dual-averaging state.
    public private(set) var dualAveraging: DualAveraging
    /// The window schedule.
    public let schedule: WarmupSchedule
    /// The metric estimator for the current window.
    public private(set) var estimator: WelfordEstimator
    /// The number of warmup iterations consumed so far.
    public private(set) var iteration = 0
    /// Whether the metric is adapted (false: unit_e).
    public let adaptMetric: Bool

    /// Starts warmup: the schedule for `numWarmup` iterations and dual averaging shrinking
    /// toward log(10·ε₀), where ε₀ is the step size given by the user (Stan sets μ before
    /// running init_stepsize). The caller should then run `initialStepSize` (see `start`).
    public init(kernel: Kernel, numWarmup: Int, settings: AdaptationSettings = AdaptationSettings()) {
        self.kernel = kernel
        dualAveraging = DualAveraging(delta: settings.delta, gamma: settings.gamma,
                                      kappa: settings.kappa, t0: settings.t0,
                                      initialStepSize: kernel.stepSize)
        schedule = .stan(numWarmup: numWarmup, initBuffer: settings.initBuffer,
                         window: settings.window, termBuffer: settings.termBuffer)
        estimator = WelfordEstimator(dimension: kernel.metric.dimension, dense: settings.denseMetric)
        adaptMetric = settings.adaptMetric
    }

    /// Runs init_stepsize at the initial state (Stan's run_adaptive_sampler does this once).
    public mutating func start<M: LogDensityModel, R: RandomNumberGenerator>(
        at state: HMCState, model: inout M, rng: inout R
    ) throws(StepSizeError) {
        kernel.stepSize = try initialStepSize(kernel: kernel, state: state, model: &model, rng: &rng)
    }

    /// Learns from one warmup transition that ended at `state` with `info` [2]: a dual-averaging
    /// step; the state joins the metric estimate if inside a slow window; at a window's end,
    /// the regularised estimate becomes the metric, ε is re-initialised and dual averaging restarts.
    public mutating func adapt<M: LogDensityModel, R: RandomNumberGenerator>(
        state: HMCState, info: HMCInfo, model: inout M, rng: inout R
    ) throws(WarmupError) {
        kernel.stepSize = dualAveraging.learn(acceptStat: info.acceptStat)
        defer { iteration += 1 }
        guard adaptMetric, schedule.isInWindow(iteration) else { return }
        estimator.add(state.position)
        guard schedule.windowEnding(at: iteration) != nil else { return }
        guard let metric = estimator.regularizedMetric() else { throw .metricOverflow }
        kernel.metric = metric
        estimator.restart()
        do {
            kernel.stepSize = try initialStepSize(kernel: kernel, state: state, model: &model, rng: &rng)
        } catch { throw .stepSize(error) }
        dualAveraging.restart(stepSize: kernel.stepSize)
    }

    /// The kernel for sampling: the adapted metric and ε = exp(x̄) (kept as is when the last
    /// window ended on the final warmup iteration, Stan #3023).
    public var adaptedKernel: Kernel {
        var k = kernel
        k.stepSize = dualAveraging.finalStepSize(current: kernel.stepSize)
        return k
    }
}

/// Why warmup failed.
public enum WarmupError: Error, Equatable, Sendable {
    /// The metric estimate had non-finite entries (Stan: "Numerical overflow in metric adaptation").
    case metricOverflow
    /// init_stepsize failed after a metric update.
    case stepSize(StepSizeError)
}
