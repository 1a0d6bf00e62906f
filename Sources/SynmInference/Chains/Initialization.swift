// Initial values for a chain (Stan's random inits): uniform on (−R, R) per unconstrained
// coordinate, retried up to 100 times until the log density and its gradient are finite,
// and the errors a sampling run can end with.
//
// [1] Stan, src/stan/services/util/initialize.hpp (MAX_INIT_TRIES = 100, radius 2).

import SynmMath

/// Why a sampling run failed.
public enum SamplingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The configuration is inconsistent (the message names the setting).
    case invalidConfiguration(String)
    /// No finite starting point was found; `explanation` is the model's account of the last try.
    case initializationFailed(chain: Int, attempts: Int, explanation: String?)
    /// A user-supplied initial value has a non-finite log density or gradient.
    case invalidInitialValue(chain: Int, explanation: String?)
    /// Warmup failed (improper posterior, no acceptable step size, metric overflow).
    case warmupFailed(chain: Int, reason: WarmupError)

    /// A one-line message for the user.
    public var description: String {
        switch self {
        case .invalidConfiguration(let message):
            return "invalid sampler configuration: \(message)"
        case .initializationFailed(let chain, let attempts, let explanation):
            return "chain \(chain + 1): no finite log density and gradient after \(attempts) random initialisations"
                + (explanation.map { "; last try: \($0)" } ?? "")
        case .invalidInitialValue(let chain, let explanation):
            return "chain \(chain + 1): the given initial value has a non-finite log density or gradient"
                + (explanation.map { ": \($0)" } ?? "")
        case .warmupFailed(let chain, let reason):
            let text: String
            switch reason {
            case .metricOverflow: text = "numerical overflow in metric adaptation"
            case .stepSize(.improperPosterior): text = "posterior is improper (the step size grew past 1e300); check the model"
            case .stepSize(.noAcceptableStepSize): text = "no acceptably small step size could be found; is the posterior continuous?"
            }
            return "chain \(chain + 1): \(text)"
        }
    }
}

/// The maximum number of random initialisations (100, Stan's MAX_INIT_TRIES [1]).
let maxInitializationAttempts = 100

/// Whether log π and its gradient are finite at `x`; returns the state when they are.
func finiteState<M: LogDensityModel>(at x: [Double], model: inout M) -> HMCState? {
    let state = HMCState(position: x, model: &model)
    guard state.logDensity.isFinite, state.gradient.allSatisfy(\.isFinite) else { return nil }
    return state
}

/// A finite initial state for chain `chain`: the user's value if given, else up to 100 uniform
/// draws on (−R, R)ⁿ from the chain's own generator.
func initialState<M: LogDensityModel, R: RandomNumberGenerator>(
    chain: Int, configuration: SamplerConfiguration, model: inout M, rng: inout R
) throws(SamplingError) -> HMCState {
    let radius = configuration.initRadius
    if let inits = configuration.inits, let given = configuration.initGiven, given.contains(false) {
        // Partial inits: the missing coordinates drawn as random inits, up to 100 tries.
        var last: [Double] = []
        for _ in 0..<maxInitializationAttempts {
            var x = inits[chain]
            for i in x.indices where !given[i] { x[i] = radius * (2 * rng.uniform01() - 1) }
            if let state = finiteState(at: x, model: &model) { return state }
            last = x
        }
        throw .initializationFailed(chain: chain, attempts: maxInitializationAttempts,
                                    explanation: model.explainNonFinite(last))
    }
    if let inits = configuration.inits {
        let x = inits[chain]
        guard let state = finiteState(at: x, model: &model) else {
            throw .invalidInitialValue(chain: chain, explanation: model.explainNonFinite(x))
        }
        return state
    }
    var last: [Double] = []
    for _ in 0..<maxInitializationAttempts {
        let x = (0..<model.dimension).map { _ in radius * (2 * rng.uniform01() - 1) }
        if let state = finiteState(at: x, model: &model) { return state }
        last = x
    }
    throw .initializationFailed(chain: chain, attempts: maxInitializationAttempts,
                                explanation: model.explainNonFinite(last))
}
