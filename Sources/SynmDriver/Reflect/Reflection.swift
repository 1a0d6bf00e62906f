// The reflection principle, numerically (Goldstein 1983; REFERENCE.md §3.6; the paper's §4).
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
import SynmInference
import SynmMath
import SynmRuntime

/// One replicate's updated posterior, per parameter element.
struct ReflectUpdate: Sendable {
    var means: [Double]
    var variances: [Double]
    var q5: [Double]
    var q50: [Double]
    var q95: [Double]
    /// Weighted histograms on the report's grid, one per parameter element.
    var histograms: [[Double]]
    var effectiveSampleSize: Double
    var usedMCMC: Bool
    /// The importance weights of the current draws (empty when MCMC was used).
    var weights: [Double]
}

/// What `synm reflect` computes.
struct ReflectionResult: Sendable {
    var names: [String]
    /// The current posterior's draws, per parameter element (constrained).
    var current: [[Double]]
    var currentSummaries: [ParameterSummary]
    var updates: [ReflectUpdate]
    var grids: [(lo: Double, hi: Double)]
    var node: String
    var syntheticN: Int
    var footing: String
    var iidTheta: Bool
    var seed: UInt64
}

enum Reflection {
    static let bins = 48
    static let blockName = "__reflect_block"

    /// The augmented model's source: the model plus the block as a posterior-predictive node
    /// with the node's own likelihood statement and the chosen footing.
    static func augmentedSource(_ file: SourceFile, model: CheckedModel, node: String, m: Int, footing: String) throws
        -> String
    {
        guard let symbol = model.symbol(named: node), [.data, .synthetic].contains(symbol.role) else {
            throw UsageError("'\(node)' is not a data node of the model")
        }
        for s in model.program.statements {
            guard case .tilde(let lhs, let dist, _) = s.kind, case .name(let n) = lhs.kind, n == node else { continue }
            let base = symbol.type.base.rawValue
            let rank = symbol.type.rank
            guard rank == 1 else { throw UsageError("reflect needs a node of rows (an array); '\(node)' is \(symbol.type.description)") }
            return file.text(of: SourceSpan(start: 0, end: file.bytes.count))
                + "\nsynthetic \(blockName): \(base)[\(m)] = posterior_predictive(\(node))\n"
                + "\(blockName) ~ \(file.text(of: dist.span)) footing \(footing)\n"
        }
        throw UsageError("no `\(node) ~ …` statement: reflect simulates the node from its own likelihood statement",
                         hint: "choose another node with --node")
    }

    /// The default node: the first data node with a `~` statement of its own.
    static func defaultNode(_ model: CheckedModel) -> String? {
        for s in model.program.statements {
            if case .tilde(let lhs, _, _) = s.kind, case .name(let n) = lhs.kind,
               model.symbol(named: n)?.role == .data, model.symbol(named: n)?.type.rank == 1 { return n }
        }
        return nil
    }

    /// A block of m rows from the node's likelihood: at one θ* (whole simulated copies of
    /// the node, concatenated and cut to m), or with `iid` each row at its own θ.
    static func block(_ base: CompiledModel, node: String, m: Int, thetas: () -> [String: [Double]], iid: Bool,
                      rng: inout Xoshiro256StarStar) throws -> DataArray {
        var values: [Double] = []
        var isInteger = false
        let fixed = iid ? nil : thetas()
        while values.count < m {
            let sim = try base.simulate(rng: Xoshiro256StarStar(seed: rng.next()), parameters: fixed ?? thetas())
            guard let rows = sim.data[node] else { throw RuntimeError("'\(node)' was not simulated") }
            isInteger = rows.isInteger
            if iid { values.append(rows.values[values.count % rows.values.count]) } else { values += rows.values }
        }
        return DataArray(shape: [m], values: Array(values.prefix(m)), isInteger: isInteger)
    }

    /// Weighted mean, variance and quantiles of draws.
    static func weightedSummary(_ x: [Double], _ w: [Double]) -> (mean: Double, variance: Double, q: [Double]) {
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

    static func histogram(_ x: [Double], _ w: [Double], lo: Double, hi: Double) -> [Double] {
        var h = [Double](repeating: 0, count: bins)
        let width = (hi - lo) / Double(bins)
        for (v, wi) in zip(x, w) where v >= lo && v < hi {
            h[min(bins - 1, Int((v - lo) / width))] += wi
        }
        return h
    }
}
