// The chain runner: determinism (same seed → identical output; 1 thread vs 4 threads),
// initialisation (user inits, the error for a model with no finite point), configuration
// checks, progress reports and the Metropolis output columns.

import Foundation
import Synchronization
import SynmMath
import Testing
@testable import SynmInference

@Test(arguments: SamplerKind.allCases)
func sameSeedSameDrawsAnyThreadCount(_ kind: SamplerKind) throws {
    let model = GaussianTarget(mean: [1, -1], covariance: [1, 0.5, 0.5, 2])
    var config = SamplerConfiguration(sampler: kind, warmup: 150, draws: 100, chains: 4, seed: 99, threads: 1)
    let one = try sample(model, configuration: config)
    let again = try sample(model, configuration: config)
    config.threads = 4
    let four = try sample(model, configuration: config)
    #expect(one.chains == again.chains)
    #expect(one.chains == four.chains)
    // Different chains use different streams.
    #expect(one.chains[0].draws != one.chains[1].draws)
    config.seed = 100
    #expect(try sample(model, configuration: config).chains[0].draws != one.chains[0].draws)
}

@Test func initializationFailureExplainsTheLastTry() {
    let config = SamplerConfiguration(warmup: 10, draws: 10, chains: 2, seed: 1)
    do {
        _ = try sample(NowhereFinite(), configuration: config)
        Issue.record("expected an initialisation error")
    } catch {
        #expect(error == .initializationFailed(chain: 0, attempts: 100, explanation: error.explanation))
        #expect(error.description.contains("after 100 random initialisations"))
        #expect(error.description.contains("y ~ normal(mu, sigma): sigma must be > 0"))
    }
}

extension SamplingError {
    fileprivate var explanation: String? {
        if case .initializationFailed(_, _, let e) = self { return e }
        return nil
    }
}

@Test func userInitsAreUsedAndChecked() throws {
    let model = GaussianTarget(mean: [0], scales: [1])
    let config = SamplerConfiguration(warmup: 20, draws: 5, chains: 2, seed: 3, inits: [[0.25], [-7]])
    let result = try sample(model, configuration: config)
    #expect(result.chains.map(\.initialPosition) == [[0.25], [-7]])

    let wrong = SamplerConfiguration(chains: 2, inits: [[1]])
    #expect(throws: SamplingError.self) { try sample(model, configuration: wrong) }
}

@Test func randomInitsLieWithinRadius() throws {
    let model = GaussianTarget(mean: [0, 0, 0], scales: [1, 1, 1])
    var config = SamplerConfiguration(warmup: 0, draws: 1, chains: 4, seed: 8)
    config.initRadius = 0.5
    let result = try sample(model, configuration: config)
    #expect(result.chains.allSatisfy { $0.initialPosition.allSatisfy { abs($0) < 0.5 } })
}

@Test func invalidConfigurationIsRejected() {
    let model = GaussianTarget(mean: [0], scales: [1])
    #expect(throws: SamplingError.invalidConfiguration("adaptDelta must be in (0, 1), got 1.5")) {
        try sample(model, configuration: SamplerConfiguration(adaptDelta: 1.5))
    }
    #expect(throws: SamplingError.self) { try sample(model, configuration: SamplerConfiguration(chains: 0)) }
}

@Test func progressReportsEveryIteration() throws {
    let model = GaussianTarget(mean: [0], scales: [1])
    let seen = Mutex<[Int: Int]>([:])
    let config = SamplerConfiguration(warmup: 30, draws: 20, chains: 3, seed: 4, threads: 3)
    _ = try sample(model, configuration: config) { chain, iteration, total in
        #expect(total == 50)
        seen.withLock { $0[chain] = max($0[chain] ?? 0, iteration) }
    }
    #expect(seen.withLock { $0 } == [0: 50, 1: 50, 2: 50])
}

@Test func metropolisColumns() throws {
    let model = GaussianTarget(mean: [0, 0], scales: [1, 3])
    let config = SamplerConfiguration(sampler: .metropolis, warmup: 400, draws: 400, chains: 1, seed: 6)
    let result = try sample(model, configuration: config)
    let stats = result.chains[0].stats
    #expect(stats.allSatisfy { $0.treeDepth == 0 && $0.nLeapfrog == 0 && !$0.divergent && $0.energy.isNaN })
    #expect(stats.allSatisfy { $0.stepSize == result.chains[0].stepSize })
    let accept = SynmMath.mean(stats.map(\.acceptStat))
    #expect(accept > 0.15 && accept < 0.45, "Metropolis acceptance \(accept) (target 0.234)")
    #expect(SamplerStats.columnNames.count == stats[0].columns.count)
}
