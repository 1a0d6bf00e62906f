// One HMC/NUTS chain that can pause between warmup stages, so that `sample` can compare the
// chains at a synchronisation point and restart a chain stranded in a region of extreme
// curvature (Sources/SynmInference/README.md, "Stranded chains").
//
// A chain's output depends only on (seed, chain) and on the decisions taken at the
// synchronisation points, which depend only on the chains' values there — never on which
// thread ran which chain or when.

import SynmMath

/// Why and how a chain was restarted at the end of its first warmup stage.
public struct ChainRestart: Sendable, Equatable {
    /// How the new starting point was chosen.
    public enum Origin: Sendable, Equatable {
        /// A fresh random initial value from the chain's own generator.
        case randomInit
        /// The current position of chain `chain` (0-based), after random restarts failed.
        case copiedFrom(chain: Int)
    }

    /// The chain's averaged step size exp(x̄) at the end of the stage it abandoned.
    public var stepSize: Double
    /// The median of the other chains' step sizes at that point.
    public var othersStepSize: Double
    /// Where the chain started again.
    public var origin: Origin

    public init(stepSize: Double, othersStepSize: Double, origin: Origin) {
        self.stepSize = stepSize
        self.othersStepSize = othersStepSize
        self.origin = origin
    }
}

/// A Hamiltonian chain between warmup stages: its model copy, generator, warmup state and
/// position.
struct HamiltonianChain<Kernel: HamiltonianKernel, Model: LogDensityModel>: Sendable {
    let chain: Int
    let configuration: SamplerConfiguration
    /// The kernel warmup starts from (unit metric, the configured initial ε).
    let baseKernel: Kernel
    var model: Model
    var rng: Xoshiro256StarStar
    var warmup: HMCWarmup<Kernel>
    var state: HMCState
    var initialPosition: [Double]
    /// Warmup iterations done since the last (re)start.
    var iteration = 0
    /// Log density after each warmup iteration since the last (re)start.
    var logDensities: [Double] = []
    /// With `saveWarmup`: the warmup iterations since the last (re)start.
    var warmupDraws: [[Double]] = []
    var warmupStats: [SamplerStats] = []
    var restarts: [ChainRestart] = []
    /// Seconds this chain spent working in warmup (waiting at synchronisation points excluded).
    var warmupSeconds = 0.0
    /// Scratch memory the kernel reuses across transitions (no information carried).
    var workspace = TransitionWorkspace()

    /// Draws (or takes the user's) initial value and runs init_stepsize there.
    init(chain: Int, model: Model, kernel: Kernel, configuration: SamplerConfiguration) throws(SamplingError) {
        self.chain = chain
        self.configuration = configuration
        baseKernel = kernel
        self.model = model
        rng = Xoshiro256StarStar(seed: configuration.seed, stream: UInt64(chain))
        let started = ContinuousClock.now
        let initial = try initialState(chain: chain, configuration: configuration, model: &self.model, rng: &rng)
        state = initial
        initialPosition = initial.position
        warmup = HMCWarmup(kernel: kernel, numWarmup: configuration.warmup, settings: Self.settings(configuration))
        try begin()
        warmupSeconds += seconds(ContinuousClock.now - started)
    }

    static func settings(_ configuration: SamplerConfiguration) -> AdaptationSettings {
        var settings = configuration.adaptation
        settings.delta = configuration.adaptDelta
        settings.denseMetric = configuration.denseMetric
        return settings
    }

    /// A fresh warmup from `state`: init_stepsize, dual averaging from the start.
    private mutating func begin() throws(SamplingError) {
        warmup = HMCWarmup(kernel: baseKernel, numWarmup: configuration.warmup, settings: Self.settings(configuration))
        iteration = 0
        logDensities = []
        warmupDraws = []
        warmupStats = []
        // Without warmup CmdStan turns adaptation off (a warning, then Stan's non-adaptive
        // run_sampler): the step size is used as given, without init_stepsize.
        guard configuration.warmup > 0 else { return }
        do {
            try warmup.start(at: state, model: &model, rng: &rng)
        } catch {
            throw .warmupFailed(chain: chain, reason: .stepSize(error))
        }
    }

    /// Starts warmup again from `position` (nil: a new random initial value from the chain's
    /// own generator), recording why.
    mutating func restart(from position: [Double]?, record: ChainRestart) throws(SamplingError) {
        let started = ContinuousClock.now
        if let position {
            guard let s = finiteState(at: position, model: &model) else {
                throw .invalidInitialValue(chain: chain, explanation: model.explainNonFinite(position))
            }
            state = s
        } else {
            var random = configuration
            random.inits = nil
            state = try initialState(chain: chain, configuration: random, model: &model, rng: &rng)
        }
        initialPosition = state.position
        restarts.append(record)
        try begin()
        warmupSeconds += seconds(ContinuousClock.now - started)
    }

    /// Runs warmup iterations until `end` have been done since the last (re)start.
    mutating func runWarmup(until end: Int, report: (Int) -> Void) throws(SamplingError) {
        let started = ContinuousClock.now
        defer { warmupSeconds += seconds(ContinuousClock.now - started) }
        while iteration < end {
            let (next, info) = jittered(warmup.kernel).step(state, model: &model, rng: &rng, workspace: &workspace)
            state = next
            do {
                try warmup.adapt(state: state, info: info, model: &model, rng: &rng)
            } catch {
                throw .warmupFailed(chain: chain, reason: error)
            }
            logDensities.append(state.logDensity)
            if configuration.saveWarmup {
                warmupDraws.append(state.position)
                warmupStats.append(SamplerStats(info))
            }
            iteration += 1
            report(iteration)
        }
    }

    /// `kernel` with Stan's step-size jitter applied (base_hmc.hpp `sample_stepsize`): the
    /// nominal ε times 1 + j·(2u − 1), u uniform from the chain's generator; unchanged, and
    /// no draw taken, when j = 0.
    private mutating func jittered(_ kernel: Kernel) -> Kernel {
        let j = configuration.stepSizeJitter
        guard j > 0 else { return kernel }
        var k = kernel
        k.stepSize = kernel.stepSize * (1 + j * (2 * rng.uniform01() - 1))
        return k
    }

    /// The step size warmup would hand to sampling now: exp(x̄) of the dual averaging.
    var averagedStepSize: Double { warmup.adaptedKernel.stepSize }

    /// The mean log density over the second half of the iterations since the last (re)start
    /// (the first half is transient), or the current one if there are none.
    var recentMeanLogDensity: Double {
        let tail = logDensities.suffix(Swift.max(1, logDensities.count / 2))
        return tail.isEmpty ? state.logDensity : tail.reduce(0, +) / Double(tail.count)
    }

    /// Draws the kept samples with the adapted kernel.
    mutating func finish(report: (Int) -> Void) -> ChainResult {
        let adapted = warmup.adaptedKernel
        var result = ChainResult(chain: chain, initialPosition: initialPosition, draws: [], stats: [],
                                 stepSize: adapted.stepSize, inverseMetric: adapted.metric.inverseDiagonal,
                                 warmupSeconds: warmupSeconds, samplingSeconds: 0)
        result.restarts = restarts
        if case .dense(let m, _) = adapted.metric.storage { result.denseInverseMetric = m.storage }
        result.warmupDraws = warmupDraws
        result.warmupStats = warmupStats
        result.draws.reserveCapacity(configuration.draws)
        result.stats.reserveCapacity(configuration.draws)
        let started = ContinuousClock.now
        for i in 0..<configuration.draws {
            let (next, info) = jittered(adapted).step(state, model: &model, rng: &rng, workspace: &workspace)
            state = next
            result.draws.append(state.position)
            result.stats.append(SamplerStats(info))
            report(configuration.warmup + i + 1)
        }
        result.samplingSeconds = seconds(ContinuousClock.now - started)
        return result
    }
}

/// The chains to restart: those whose averaged step size is more than `ratio` times below the
/// median of the other chains' (a NaN or zero step size counts as infinitely small). Needs at
/// least two chains; returns (chain, the others' median) pairs in chain order.
func strandedChains(stepSizes: [Double], ratio: Double) -> [(chain: Int, othersMedian: Double)] {
    guard stepSizes.count >= 2 else { return [] }
    var out: [(Int, Double)] = []
    for (k, e) in stepSizes.enumerated() {
        let others = stepSizes.enumerated().filter { $0.offset != k }.map(\.element)
        let m = median(others.map { $0.isNaN ? 0 : $0 })
        let own = e.isNaN ? 0 : e
        if m > 0, own * ratio < m { out.append((k, m)) }
    }
    return out
}

/// The median of `values` (the mean of the middle two for an even count).
func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2])
}
