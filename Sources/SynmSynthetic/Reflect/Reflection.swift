// The reflection principle, numerically (Goldstein 1983; the paper's §4; docs/STATISTICS.md §6).
// From the current posterior, R times: draw θ* once, simulate a block of M rows of a data
// node from the likelihood at θ*, and update the posterior on the real data plus the block
// at the chosen footing. The update reweights the current draws by the block's likelihood
// (importance sampling; exact as the draws grow), falling back to MCMC on the augmented
// model when the weights degenerate. Averaged over blocks, the updated posterior is the
// current one (a martingale); each single update is narrower: false precision.
import Foundation
import Synchronization
import SynmDiagnostics
import SynmFrontend
import SynmIO
import SynmInference
import SynmMath
import SynmRuntime

/// One replicate's updated posterior, per parameter element.
public struct ReflectUpdate: Sendable {
    public var means: [Double]
    public var variances: [Double]
    public var q5: [Double]
    public var q50: [Double]
    public var q95: [Double]
    /// Weighted histograms on the report's grid, one per parameter element.
    public var histograms: [[Double]]
    public var effectiveSampleSize: Double
    public var usedMCMC: Bool
    /// The importance weights of the current draws (empty when MCMC was used).
    public var weights: [Double]

    public init(means: [Double], variances: [Double], q5: [Double], q50: [Double], q95: [Double], histograms: [[Double]],
                effectiveSampleSize: Double, usedMCMC: Bool, weights: [Double]) {
        self.means = means
        self.variances = variances
        self.q5 = q5
        self.q50 = q50
        self.q95 = q95
        self.histograms = histograms
        self.effectiveSampleSize = effectiveSampleSize
        self.usedMCMC = usedMCMC
        self.weights = weights
    }
}

/// What `synm reflect` computes.
public struct ReflectionResult: Sendable {
    public var names: [String]
    /// The current posterior's draws, per parameter element (constrained).
    public var current: [[Double]]
    public var currentSummaries: [ParameterSummary]
    public var updates: [ReflectUpdate]
    public var grids: [(lo: Double, hi: Double)]
    public var node: String
    public var syntheticN: Int
    public var footing: String
    public var iidTheta: Bool
    public var seed: UInt64
    /// The weight the footing gives the block.
    public var blockWeight: Double
    /// The current posterior's draws per chain and element (`current` is their concatenation).
    public var currentChains: [[[Double]]]

    public init(names: [String], current: [[Double]], currentSummaries: [ParameterSummary], updates: [ReflectUpdate],
                grids: [(lo: Double, hi: Double)], node: String, syntheticN: Int, footing: String, iidTheta: Bool,
                seed: UInt64, blockWeight: Double, currentChains: [[[Double]]] = []) {
        self.names = names
        self.current = current
        self.currentSummaries = currentSummaries
        self.updates = updates
        self.grids = grids
        self.node = node
        self.syntheticN = syntheticN
        self.footing = footing
        self.iidTheta = iidTheta
        self.seed = seed
        self.blockWeight = blockWeight
        self.currentChains = currentChains
    }
}

public enum Reflection {
    public static let bins = 48

    /// The terms whose left side is `node`, and a check that reflect can simulate and
    /// re-weight a block of it: a data node of rows with a `~` statement of its own.
    public static func nodeTerms(_ model: CheckedModel, compiled: CompiledModel, node: String) throws -> Set<Int> {
        guard let symbol = model.symbol(named: node), [.data, .synthetic].contains(symbol.role) else {
            throw UsageError("'\(node)' is not a data node of the model", hint: "name one with --node")
        }
        guard symbol.type.rank >= 1 else {
            throw UsageError("reflect needs a node of rows (an array); '\(node)' is \(symbol.type.description)")
        }
        let terms = compiled.terms.filter { $0.isLikelihood && SyntheticWorth.rootName($0.label) == node }
        guard !terms.isEmpty else {
            throw UsageError("no `\(node) ~ …` statement: reflect simulates the node from its own likelihood statement",
                             hint: "a `target +=` likelihood cannot be simulated; choose another node with --node")
        }
        return Set(terms.map(\.id))
    }

    /// The model that scores a block: the node's rows replaced by the block, every term but
    /// the node's left out, the node's terms at the footing weight.
    public static func blockModel(_ model: CheckedModel, source: SourceFile, base: CompiledModel, node: String,
                                  terms: Set<Int>, block: DataArray, weight: Double) throws -> CompiledModel {
        var table = base.data
        table.set(node, block)
        let compiled = try CompiledModel(model: model, source: source, data: table)
        return compiled.reweighted(Dictionary(uniqueKeysWithValues: compiled.terms.map { ($0.id, terms.contains($0.id) ? weight : 0.0) }))
    }

    /// The default node: the first data node with a `~` statement of its own.
    public static func defaultNode(_ model: CheckedModel) -> String? {
        for s in model.program.statements {
            if case .tilde(let lhs, _, _) = s.kind, case .name(let n) = lhs.kind,
               model.symbol(named: n)?.role == .data, model.symbol(named: n)?.type.rank == 1 { return n }
        }
        return nil
    }

    /// A block of m rows from the node's likelihood: at one θ* (whole simulated copies of
    /// the node, concatenated and cut to m), or with `iid` each row at its own θ.
    public static func block(_ base: CompiledModel, node: String, m: Int, thetas: () -> [String: [Double]], iid: Bool,
                      rng: inout Xoshiro256StarStar) throws -> DataArray {
        var values: [Double] = []
        var isInteger = false
        var width = 1
        var count = 0
        let fixed = iid ? nil : thetas()
        while count < m {
            let sim = try base.simulate(rng: Xoshiro256StarStar(seed: rng.next()), parameters: fixed ?? thetas())
            guard let rows = sim.data[node], let n = rows.shape.first, n > 0 else {
                throw RuntimeError("'\(node)' was not simulated")
            }
            isInteger = rows.isInteger
            width = rows.count / n
            if iid {
                let r = count % n
                values += rows.values[r * width..<(r + 1) * width]
                count += 1
            } else {
                values += rows.values
                count += n
            }
        }
        return DataArray(shape: width > 1 || base.data[node]?.shape.count == 2 ? [m, width] : [m],
                         values: Array(values.prefix(m * width)), isInteger: isInteger)
    }

    /// Weighted mean, variance and quantiles of draws.
    public static func weightedSummary(_ x: [Double], _ w: [Double]) -> (mean: Double, variance: Double, q: [Double]) {
        var mean = 0.0
        for (v, wi) in zip(x, w) { mean += wi * v }
        var variance = 0.0
        for (v, wi) in zip(x, w) { variance += wi * (v - mean) * (v - mean) }
        let order = x.indices.sorted { x[$0] < x[$1] }
        var q: [Double] = []
        for p in [0.05, 0.5, 0.95] {
            var c = 0.0
            var value = x[order.last!]
            for i in order {
                c += w[i]
                if c >= p {
                    value = x[i]
                    break
                }
            }
            q.append(value)
        }
        return (mean, variance, q)
    }

    public static func histogram(_ x: [Double], _ w: [Double], lo: Double, hi: Double) -> [Double] {
        var h = [Double](repeating: 0, count: bins)
        let width = (hi - lo) / Double(bins)
        for (v, wi) in zip(x, w) where v >= lo && v < hi {
            h[min(bins - 1, Int((v - lo) / width))] += wi
        }
        return h
    }
}
