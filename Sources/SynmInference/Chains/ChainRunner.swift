// One random-walk Metropolis chain from start to finish: initial value, scale-and-covariance
// warmup, then the kept draws. Runs on one thread with its own model copy and generator, so
// its output depends only on (seed, chain).

import SynmMath

/// Progress callback: (chain, iteration counted from 1 across warmup and sampling, total).
public typealias SamplingProgress = @Sendable (_ chain: Int, _ iteration: Int, _ total: Int) -> Void

/// Runs Metropolis (or fixed_param) chain `chain` of `configuration` on a private copy of
/// `model` (HMC and NUTS chains run in stages, see `HamiltonianChain`).
func runMetropolisChain<M: LogDensityModel>(
    _ model: M, chain: Int, configuration: SamplerConfiguration, progress: SamplingProgress?
) throws(SamplingError) -> ChainResult {
    var model = model
    var rng = Xoshiro256StarStar(seed: configuration.seed, stream: UInt64(chain))
    let clock = ContinuousClock()
    let started = clock.now
    let initial = try initialState(chain: chain, configuration: configuration, model: &model, rng: &rng)
    let total = configuration.warmup + configuration.draws
    let report: (Int) -> Void = { i in progress?(chain, i, total) }

    var result = ChainResult(chain: chain, initialPosition: initial.position, draws: [], stats: [],
                             stepSize: .nan, inverseMetric: [], warmupSeconds: 0, samplingSeconds: 0)
    result.draws.reserveCapacity(configuration.draws)
    result.stats.reserveCapacity(configuration.draws)
    var settings = configuration.adaptation
    settings.delta = configuration.adaptDelta
    settings.denseMetric = configuration.denseMetric

    var warmupEnded = started
    do {
        if configuration.sampler == .fixedParam {
            // Stan's fixed_param: no warmup; every draw is the initial point (the caller
            // draws the generated quantities for each).
            warmupEnded = clock.now
            result.stepSize = 0
            for i in 0..<configuration.draws {
                result.draws.append(initial.position)
                result.stats.append(SamplerStats(lp: initial.logDensity, acceptStat: 0, stepSize: 0, treeDepth: 0,
                                                 nLeapfrog: 0, divergent: false, energy: .nan))
                report(configuration.warmup + i + 1)
            }
        } else {
            try runMetropolis(from: initial, configuration: configuration, settings: settings,
                              model: &model, rng: &rng, report: report, warmupEnded: &warmupEnded, into: &result)
        }
    } catch let error as WarmupError {
        throw .warmupFailed(chain: chain, reason: error)
    } catch {
        preconditionFailure("runMetropolisChain: unexpected error \(error)")
    }
    let ended = clock.now
    result.warmupSeconds = seconds(warmupEnded - started)
    result.samplingSeconds = seconds(ended - warmupEnded)
    return result
}

/// Warmup then sampling with random-walk Metropolis.
private func runMetropolis<M: LogDensityModel, R: RandomNumberGenerator>(
    from initial: HMCState, configuration: SamplerConfiguration, settings: AdaptationSettings,
    model: inout M, rng: inout R, report: (Int) -> Void,
    warmupEnded: inout ContinuousClock.Instant, into result: inout ChainResult
) throws {
    let d = initial.position.count
    var warmup = MetropolisWarmup(dimension: d, numWarmup: configuration.warmup,
                                  dense: configuration.denseMetric, settings: settings)
    var state = MetropolisState(position: initial.position, logDensity: initial.logDensity)
    for i in 0..<configuration.warmup {
        let (next, info) = warmup.kernel.step(state, model: &model, rng: &rng)
        state = next
        let scale = warmup.kernel.scale
        try warmup.adapt(state: state, info: info)
        if configuration.saveWarmup {
            result.warmupDraws.append(state.position)
            result.warmupStats.append(SamplerStats(info, scale: scale))
        }
        report(i + 1)
    }
    warmupEnded = ContinuousClock.now
    let adapted = warmup.adaptedKernel
    result.stepSize = adapted.scale
    switch adapted.shape {
    case .diagonal(let sd): result.inverseMetric = sd.map { $0 * $0 }
    case .cholesky(let l): result.inverseMetric = (0..<d).map { i in (0...i).reduce(0) { $0 + l[i, $1] * l[i, $1] } }
    }
    for i in 0..<configuration.draws {
        let (next, info) = adapted.step(state, model: &model, rng: &rng)
        state = next
        result.draws.append(state.position)
        result.stats.append(SamplerStats(info, scale: adapted.scale))
        report(configuration.warmup + i + 1)
    }
}

/// A duration in seconds.
func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}
