// What to run: which sampler, how many iterations and chains, the seed, the adaptation
// targets and the initial values. Defaults are CmdStan's where CmdStan has one.

import Foundation

/// The MCMC algorithm.
public enum SamplerKind: String, Sendable, CaseIterable {
    /// The No-U-Turn Sampler (Stan's multinomial NUTS), the default.
    case nuts
    /// Static HMC with a fixed integration time.
    case hmc
    /// Random-walk Metropolis with an adapted Gaussian proposal.
    case metropolis
    /// Stan's fixed_param sampler: no warmup, the parameters stay at their initial values
    /// and each draw repeats them (a model without parameters runs with it; its draws are
    /// those of its predict nodes).
    case fixedParam = "fixed_param"
}

/// The settings of a sampling run.
public struct SamplerConfiguration: Sendable, Equatable {
    /// The algorithm (NUTS by default).
    public var sampler: SamplerKind = .nuts
    /// Warmup (adaptation) iterations per chain (1000, CmdStan's `num_warmup`).
    public var warmup: Int = 1000
    /// Kept draws per chain (1000, CmdStan's `num_samples`).
    public var draws: Int = 1000
    /// The number of chains (4, as CmdStan's `num_chains` is usually set).
    public var chains: Int = 4
    /// The run's seed; chain k uses `Xoshiro256StarStar(seed: seed, stream: k)`.
    public var seed: UInt64 = 0
    /// Target acceptance δ for HMC/NUTS dual averaging (0.8, from CmdStan).
    public var adaptDelta: Double = 0.8
    /// NUTS maximum tree depth (10, from CmdStan).
    public var maxDepth: Int = 10
    /// Random initial values are uniform on (−initRadius, initRadius) per coordinate (2, from Stan).
    public var initRadius: Double = 2
    /// Optional initial values, one unconstrained vector per chain (nil: random inits).
    public var inits: [[Double]]? = nil
    /// Which coordinates of `inits` were given (nil: all). The others are drawn as random
    /// inits, uniform on (−initRadius, initRadius), retried like them (CmdStan's partial
    /// inits).
    public var initGiven: [Bool]? = nil
    /// Worker threads; nil uses min(chains, active processors). Results do not depend on it.
    public var threads: Int? = nil
    /// The initial step size before init_stepsize (1, CmdStan's `stepsize`).
    public var initialStepSize: Double = 1
    /// Static HMC integration time (2π, CmdStan's `int_time`).
    public var integrationTime: Double = 2 * Double.pi
    /// Estimate a dense metric (HMC/NUTS) or a full proposal covariance (Metropolis).
    /// Default: diagonal metric for HMC/NUTS (CmdStan's diag_e); Metropolis always uses
    /// a dense proposal when this is true and a diagonal one otherwise.
    public var denseMetric: Bool = false
    /// The inverse metric warmup starts from (CmdStan's `metric_file`); nil: the unit metric.
    /// Diagonal for a diagonal metric, dense for a dense one; the dimension must be the model's.
    /// With `adaptation.adaptMetric` false (unit_e) it must be nil.
    public var initialInverseMetric: Metric? = nil
    /// Stan's `stepsize_jitter` j in [0, 1]: every transition (warmup and sampling, as Stan's
    /// base_hmc `sample_stepsize` does) uses ε·(1 + j·(2u − 1)) with u ~ uniform(0, 1) from the
    /// chain's generator; 0 draws nothing.
    public var stepSizeJitter: Double = 0
    /// Keep every warmup iteration's draw and sampler columns (CmdStan's `save_warmup`);
    /// they do not change the kept draws.
    public var saveWarmup: Bool = false
    /// Restart an HMC/NUTS chain whose step size after the first warmup stage is more than
    /// `strandedStepSizeRatio` times below the median of the other chains' (README.md,
    /// "Stranded chains"). Never done with user-supplied `inits` or a single chain.
    public var restartStrandedChains: Bool = true
    /// How far below the other chains' median step size a chain must fall to be restarted
    /// (100: two orders of magnitude, i.e. a curvature 10⁴ times the others').
    public var strandedStepSizeRatio: Double = 100
    /// Buffers, window and dual-averaging constants of Stan's warmup (`adaptDelta` overrides
    /// `adaptation.delta`).
    public var adaptation = AdaptationSettings()
    /// Compute only these chains (0-based, ascending), as one shard of a run does; nil: all.
    /// The chains kept are those of the whole run bit for bit: HMC/NUTS chains meet after
    /// the first warmup stage, where the stranded-chain check reads every chain (README.md,
    /// "Stranded chains"), so when that check applies every chain still runs the first
    /// stage and the check, and only these chains go on. The result holds these chains only.
    public var onlyChains: [Int]? = nil

    /// A configuration with every default above, changing only what is given.
    public init(
        sampler: SamplerKind = .nuts, warmup: Int = 1000, draws: Int = 1000, chains: Int = 4,
        seed: UInt64 = 0, adaptDelta: Double = 0.8, maxDepth: Int = 10, initRadius: Double = 2,
        inits: [[Double]]? = nil, threads: Int? = nil
    ) {
        self.sampler = sampler
        self.warmup = warmup
        self.draws = draws
        self.chains = chains
        self.seed = seed
        self.adaptDelta = adaptDelta
        self.maxDepth = maxDepth
        self.initRadius = initRadius
        self.inits = inits
        self.threads = threads
    }

    /// The number of worker threads actually used: at least 1, at most `chains`.
    public var effectiveThreads: Int {
        let wanted = threads ?? ProcessInfo.processInfo.activeProcessorCount
        return Swift.max(1, Swift.min(wanted, chains))
    }

    /// The most leapfrog steps static HMC takes per iteration, 2^maxDepth (1024 by default,
    /// the most a NUTS tree of the same depth takes): an integration time far beyond the step
    /// size would otherwise make one iteration run for ever.
    public var maxStaticSteps: Int { 1 << Swift.min(Swift.max(maxDepth, 1), 30) }

    /// Checks the settings; throws `SamplingError.invalidConfiguration` naming the first problem.
    public func validate(dimension: Int) throws(SamplingError) {
        func fail(_ message: String) throws(SamplingError) { throw .invalidConfiguration(message) }
        if warmup < 0 || draws < 0 { try fail("warmup and draws must be non-negative") }
        if chains < 1 { try fail("chains must be at least 1, got \(chains)") }
        if !(adaptDelta > 0 && adaptDelta < 1) { try fail("adaptDelta must be in (0, 1), got \(adaptDelta)") }
        if maxDepth < 1 { try fail("maxDepth must be at least 1, got \(maxDepth)") }
        if !(initRadius >= 0 && initRadius.isFinite) { try fail("initRadius must be finite and >= 0") }
        if !(initialStepSize > 0 && initialStepSize.isFinite) { try fail("initialStepSize must be finite and > 0") }
        if !(strandedStepSizeRatio > 1) { try fail("strandedStepSizeRatio must be > 1") }
        if !(integrationTime > 0 && integrationTime.isFinite) { try fail("integrationTime must be finite and > 0") }
        if !(stepSizeJitter >= 0 && stepSizeJitter <= 1) { try fail("stepSizeJitter must be in [0, 1], got \(stepSizeJitter)") }
        if let m = initialInverseMetric {
            if m.dimension != dimension { try fail("initialInverseMetric: expected \(dimension) coordinates, got \(m.dimension)") }
            if case .dense = m.storage, !denseMetric { try fail("initialInverseMetric is dense but the metric is diagonal") }
            if case .diagonal(let d) = m.storage {
                if denseMetric { try fail("initialInverseMetric is diagonal but the metric is dense") }
                if !d.allSatisfy({ $0 > 0 && $0.isFinite }) { try fail("initialInverseMetric: every variance must be finite and > 0") }
            }
            if !adaptation.adaptMetric { try fail("initialInverseMetric is given for a unit metric") }
        }
        if !adaptation.adaptMetric && denseMetric { try fail("a unit metric cannot be dense") }
        if let only = onlyChains {
            if only.isEmpty { try fail("onlyChains is empty") }
            if !zip(only, only.dropFirst()).allSatisfy({ $0 < $1 }) { try fail("onlyChains must be ascending, without repeats") }
            if let bad = only.first(where: { $0 < 0 || $0 >= chains }) {
                try fail("onlyChains: chain \(bad) is not one of 0..<\(chains)")
            }
        }
        if let inits {
            if inits.count != chains { try fail("inits: expected \(chains) vectors (one per chain), got \(inits.count)") }
            for (k, x) in inits.enumerated() where x.count != dimension {
                try fail("inits[\(k)]: expected \(dimension) values, got \(x.count)")
            }
            if let g = initGiven, g.count != dimension { try fail("initGiven: expected \(dimension) flags, got \(g.count)") }
        }
    }
}
