// The entry point: run every chain of a configuration on worker threads. Chain k always uses
// stream k of the seed and its own model copy, so the output is bit-identical for any number
// of threads (DESIGN §4).

import Dispatch
import Synchronization
import SynmMath

/// Runs `configuration.chains` chains of `configuration.sampler` on `model` and returns their
/// draws and sampler columns, in chain order.
///
/// Each chain gets its own copy of `model` and the generator `Xoshiro256StarStar(seed:
/// configuration.seed, stream: k)`. Chains are distributed over `configuration.effectiveThreads`
/// workers (chain k runs on worker k mod threads); the result does not depend on that count.
/// `progress`, if given, is called from the worker threads after every iteration.
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
    let chains = configuration.chains
    let threads = configuration.effectiveThreads
    let outcomes = Mutex<[Result<ChainResult, SamplingError>?]>(Array(repeating: nil, count: chains))

    let work: @Sendable (Int) -> Void = { worker in
        for chain in stride(from: worker, to: chains, by: threads) {
            let outcome: Result<ChainResult, SamplingError>
            do throws(SamplingError) {
                outcome = .success(try runChain(model, chain: chain, configuration: configuration, progress: progress))
            } catch {
                outcome = .failure(error)
            }
            outcomes.withLock { $0[chain] = outcome }
        }
    }
    if threads == 1 {
        work(0)
    } else {
        DispatchQueue.concurrentPerform(iterations: threads, execute: work)
    }

    var results: [ChainResult] = []
    for outcome in outcomes.withLock({ $0 }) {
        switch outcome {
        case .success(let chain)?: results.append(chain)
        case .failure(let error)?: throw error
        case nil: preconditionFailure("sample: a chain produced no result")
        }
    }
    return SamplingResult(configuration: configuration, chains: results)
}
