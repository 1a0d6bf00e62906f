// The entry point: run every chain of a configuration on worker threads. Chain k always uses
// stream k of the seed and its own model copy, so the output is bit-identical for any number
// of threads (DESIGN §4).
//
// HMC and NUTS chains meet once, at the end of warmup's first fast stage (Stan's init_buffer):
// a chain whose averaged step size is far below the other chains' is stranded in a region of
// extreme curvature and is restarted there (README.md, "Stranded chains"). The decision reads
// only the chains' values at that point, so it does not depend on thread timing.

import Dispatch
import Synchronization
import SynmMath

/// Runs `configuration.chains` chains of `configuration.sampler` on `model` and returns their
/// draws and sampler columns, in chain order.
///
/// Each chain gets its own copy of `model` and the generator `Xoshiro256StarStar(seed:
/// configuration.seed, stream: k)`. Chains are distributed over `configuration.effectiveThreads`
/// workers; the result does not depend on that count. `progress`, if given, is called from the
/// worker threads after every iteration (a restarted chain counts again from 1).
///
/// Throws `SamplingError`: an invalid configuration, a chain that cannot be initialised (the
/// message includes the model's `explainNonFinite` for the last try), or a warmup failure. When
/// several chains fail, the error of the lowest-numbered chain is thrown.
public func sample<M: LogDensityModel>(
    _ model: M, configuration: SamplerConfiguration, progress: SamplingProgress? = nil
) throws(SamplingError) -> SamplingResult {
    var adjusted = configuration
    if model.dimension == 0 {
        // Nothing to sample: Stan's fixed_param sampler.
        adjusted.sampler = .fixedParam
        adjusted.warmup = 0
    }
    let configuration = adjusted
    try configuration.validate(dimension: model.dimension)
    // A dense metric starts dense (the identity), so that a warmup without slow windows
    // still hands a dense_e metric to sampling, as Stan's dense_e does.
    let d = model.dimension
    let metric = configuration.initialInverseMetric
        ?? (configuration.denseMetric && d > 0 && (configuration.sampler == .nuts || configuration.sampler == .hmc)
            ? Metric(dense: Matrix(rows: d, cols: d, storage: (0..<d * d).map { $0 % (d + 1) == 0 ? 1 : 0 }))!
            : Metric.unit(d))
    let chains: [ChainResult]
    switch configuration.sampler {
    case .nuts:
        let kernel = NUTS(stepSize: configuration.initialStepSize, metric: metric, maxDepth: configuration.maxDepth)
        chains = try sampleHamiltonian(model, kernel: kernel, configuration: configuration, progress: progress)
    case .hmc:
        let kernel = StaticHMC(stepSize: configuration.initialStepSize, metric: metric,
                               integrationTime: configuration.integrationTime, maxSteps: configuration.maxStaticSteps)
        chains = try sampleHamiltonian(model, kernel: kernel, configuration: configuration, progress: progress)
    case .metropolis, .fixedParam:
        // Independent chains: a shard (`onlyChains`) runs its own alone.
        chains = try forEachChain(configuration.onlyChains ?? Array(0..<configuration.chains),
                                  threads: configuration.effectiveThreads) {
            chain throws(SamplingError) in
            try runMetropolisChain(model, chain: chain, configuration: configuration, progress: progress)
        }
    }
    return SamplingResult(configuration: configuration, chains: chains)
}

/// The most random restarts a stranded chain gets before it starts from a healthy chain's
/// position instead.
let maxRandomRestarts = 4

/// HMC/NUTS: the first warmup stage of every chain, the stranded-chain check (repeated for
/// restarted chains), then the rest of warmup and the draws — of the chains in
/// `onlyChains` only, when given (the check still sees every chain).
private func sampleHamiltonian<K: HamiltonianKernel, M: LogDensityModel>(
    _ model: M, kernel: K, configuration: SamplerConfiguration, progress: SamplingProgress?
) throws(SamplingError) -> [ChainResult] {
    let count = configuration.chains
    let threads = configuration.effectiveThreads
    let total = configuration.warmup + configuration.draws
    let schedule = WarmupSchedule.stan(numWarmup: configuration.warmup, initBuffer: configuration.adaptation.initBuffer,
                                       window: configuration.adaptation.window,
                                       termBuffer: configuration.adaptation.termBuffer)
    let checkpoint = Swift.min(schedule.initBuffer, configuration.warmup)
    let store = Mutex<[HamiltonianChain<K, M>?]>(Array(repeating: nil, count: count))
    // A chain is taken out of the store while it runs, so that no copy shares its buffers.
    let take: @Sendable (Int) -> HamiltonianChain<K, M> = { k in
        store.withLock { chains in
            defer { chains[k] = nil }
            return chains[k]!
        }
    }
    let put: @Sendable (HamiltonianChain<K, M>) -> Void = { c in store.withLock { $0[c.chain] = c } }
    let report: @Sendable (Int) -> (Int) -> Void = { k in { i in progress?(k, i, total) } }

    let kept = configuration.onlyChains ?? Array(0..<count)
    // The check compares every chain at the synchronisation point, so a shard runs stage I
    // of every chain to take the whole run's decisions; without the check it needs its own.
    let check = configuration.restartStrandedChains && configuration.inits == nil && checkpoint > 0 && count >= 2

    // Stage I of every chain.
    _ = try forEachChain(check ? Array(0..<count) : kept, threads: threads) { k throws(SamplingError) in
        var c = try HamiltonianChain(chain: k, model: model, kernel: kernel, configuration: configuration)
        try c.runWarmup(until: checkpoint, report: report(k))
        put(c)
    }

    // The synchronisation point: restart stranded chains, then check them again.
    if check {
        for round in 0...maxRandomRestarts {
            let current = store.withLock { chains in
                chains.map { ($0!.averagedStepSize, $0!.recentMeanLogDensity, $0!.state.position) }
            }
            let stranded = strandedChains(stepSizes: current.map(\.0), ratio: configuration.strandedStepSizeRatio)
            if stranded.isEmpty { break }
            let strandedSet = Set(stranded.map(\.chain))
            // After the random restarts, start from the healthy chain with the highest recent
            // mean log density (the lowest index on ties).
            let donor = (0..<count).filter { !strandedSet.contains($0) }
                .max { (current[$0].1, -$0) < (current[$1].1, -$1) }
            let copy = round == maxRandomRestarts ? donor : nil
            _ = try forEachChain(stranded.map(\.chain), threads: threads) { k throws(SamplingError) in
                var c = take(k)
                let others = stranded.first { $0.chain == k }!.othersMedian
                let origin: ChainRestart.Origin = copy.map { .copiedFrom(chain: $0) } ?? .randomInit
                try c.restart(from: copy.map { current[$0].2 },
                              record: ChainRestart(stepSize: c.averagedStepSize, othersStepSize: others, origin: origin))
                try c.runWarmup(until: checkpoint, report: report(k))
                put(c)
            }
        }
    }

    // The rest of warmup, then the draws.
    return try forEachChain(kept, threads: threads) { k throws(SamplingError) in
        var c = take(k)
        try c.runWarmup(until: configuration.warmup, report: report(k))
        return c.finish(report: report(k))
    }
}

/// Runs `body` for each of `chains` on `threads` workers (worker w takes every threads-th
/// chain) and returns the results in the order of `chains`. The first error in that order is
/// thrown after all have finished.
func forEachChain<T: Sendable>(
    _ chains: [Int], threads: Int, _ body: @escaping @Sendable (Int) throws(SamplingError) -> T
) throws(SamplingError) -> [T] {
    let outcomes = Mutex<[Result<T, SamplingError>?]>(Array(repeating: nil, count: chains.count))
    let workers = Swift.max(1, Swift.min(threads, chains.count))
    let work: @Sendable (Int) -> Void = { worker in
        for i in stride(from: worker, to: chains.count, by: workers) {
            let outcome: Result<T, SamplingError>
            do throws(SamplingError) {
                outcome = .success(try body(chains[i]))
            } catch {
                outcome = .failure(error)
            }
            outcomes.withLock { $0[i] = outcome }
        }
    }
    if workers == 1 {
        work(0)
    } else {
        DispatchQueue.concurrentPerform(iterations: workers, execute: work)
    }
    var results: [T] = []
    for outcome in outcomes.withLock({ $0 }) {
        switch outcome {
        case .success(let value)?: results.append(value)
        case .failure(let error)?: throw error
        case nil: preconditionFailure("sample: a chain produced no result")
        }
    }
    return results
}
