// What a sampling run returns: per chain, the kept draws on the unconstrained space, the
// seven CmdStan sampler columns per draw, the adapted step size and metric, and timings.

/// The CmdStan sampler columns of one draw (lp__ … energy__).
public struct SamplerStats: Sendable, Equatable {
    /// lp__.
    public var lp: Double
    /// accept_stat__.
    public var acceptStat: Double
    /// stepsize__ (for Metropolis: the proposal scale s).
    public var stepSize: Double
    /// treedepth__ (0 for static HMC and Metropolis).
    public var treeDepth: Int
    /// n_leapfrog__ (0 for Metropolis).
    public var nLeapfrog: Int
    /// divergent__ (always false for Metropolis).
    public var divergent: Bool
    /// energy__ (NaN for Metropolis, which has no Hamiltonian).
    public var energy: Double

    /// The CmdStan column names, in order.
    public static let columnNames = [
        "lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__",
    ]

    /// The seven values in `columnNames` order, as doubles (divergent as 0/1).
    public var columns: [Double] {
        [lp, acceptStat, stepSize, Double(treeDepth), Double(nLeapfrog), divergent ? 1 : 0, energy]
    }

    /// The columns of an HMC/NUTS transition.
    public init(_ info: HMCInfo) {
        self.init(lp: info.logDensity, acceptStat: info.acceptStat, stepSize: info.stepSize,
                  treeDepth: info.treeDepth, nLeapfrog: info.nLeapfrog, divergent: info.divergent,
                  energy: info.energy)
    }

    /// The columns of a Metropolis transition with proposal scale `scale`.
    public init(_ info: MetropolisInfo, scale: Double) {
        self.init(lp: info.logDensity, acceptStat: info.acceptStat, stepSize: scale,
                  treeDepth: 0, nLeapfrog: 0, divergent: false, energy: .nan)
    }

    /// Stats from their seven values.
    public init(
        lp: Double, acceptStat: Double, stepSize: Double, treeDepth: Int, nLeapfrog: Int,
        divergent: Bool, energy: Double
    ) {
        self.lp = lp
        self.acceptStat = acceptStat
        self.stepSize = stepSize
        self.treeDepth = treeDepth
        self.nLeapfrog = nLeapfrog
        self.divergent = divergent
        self.energy = energy
    }
}

/// One chain's output.
public struct ChainResult: Sendable, Equatable {
    /// The chain index k (its RNG stream).
    public var chain: Int
    /// The initial (unconstrained) position the chain started from.
    public var initialPosition: [Double]
    /// Kept draws on the unconstrained space, one vector per iteration.
    public var draws: [[Double]]
    /// Sampler columns, one per kept draw.
    public var stats: [SamplerStats]
    /// The step size used for sampling (Metropolis: the proposal scale).
    public var stepSize: Double
    /// The diagonal of the adapted inverse metric (Metropolis: of the proposal covariance
    /// before scaling, i.e. the estimated posterior variances).
    public var inverseMetric: [Double]
    /// A dense adapted inverse metric, row-major d×d (CmdStan's dense_e "Elements of inverse
    /// mass matrix"); nil for a diagonal or unit metric and for Metropolis.
    public var denseInverseMetric: [Double]? = nil
    /// With `SamplerConfiguration.saveWarmup`, every warmup iteration's position and
    /// sampler columns (CmdStan's save_warmup); empty otherwise.
    public var warmupDraws: [[Double]] = []
    public var warmupStats: [SamplerStats] = []
    /// Wall-clock seconds spent in warmup (initialisation included).
    public var warmupSeconds: Double
    /// Wall-clock seconds spent drawing the kept samples.
    public var samplingSeconds: Double
    /// The restarts of an HMC/NUTS chain found stranded after its first warmup stage, in order
    /// (empty for a chain that went straight through).
    public var restarts: [ChainRestart] = []

    /// A chain's output from its parts (no restarts).
    public init(
        chain: Int, initialPosition: [Double], draws: [[Double]], stats: [SamplerStats], stepSize: Double,
        inverseMetric: [Double], warmupSeconds: Double, samplingSeconds: Double
    ) {
        self.chain = chain
        self.initialPosition = initialPosition
        self.draws = draws
        self.stats = stats
        self.stepSize = stepSize
        self.inverseMetric = inverseMetric
        self.warmupSeconds = warmupSeconds
        self.samplingSeconds = samplingSeconds
    }

    /// Equality ignores the timings, so that reruns can be compared bit for bit.
    public static func == (a: ChainResult, b: ChainResult) -> Bool {
        a.chain == b.chain && a.initialPosition == b.initialPosition && a.draws == b.draws
            && a.stats.count == b.stats.count
            && zip(a.stats, b.stats).allSatisfy { $0.columns.elementsEqualBitwise($1.columns) }
            && a.stepSize == b.stepSize && a.inverseMetric == b.inverseMetric && a.denseInverseMetric == b.denseInverseMetric && a.warmupDraws == b.warmupDraws
            && zip(a.warmupStats, b.warmupStats).allSatisfy { $0.columns.elementsEqualBitwise($1.columns) } && a.restarts == b.restarts
    }
}

/// The output of `sample`: the configuration and one result per chain, in chain order.
public struct SamplingResult: Sendable, Equatable {
    /// The settings of the run (seed included, for reproduction).
    public var configuration: SamplerConfiguration
    /// Per-chain results, index k = chain k.
    public var chains: [ChainResult]

    public init(configuration: SamplerConfiguration, chains: [ChainResult]) {
        self.configuration = configuration
        self.chains = chains
    }
}

extension Array where Element == Double {
    /// Bitwise equality (NaN equals NaN), for comparing reruns.
    func elementsEqualBitwise(_ other: [Double]) -> Bool {
        count == other.count && zip(self, other).allSatisfy { $0.bitPattern == $1.bitPattern }
    }
}
