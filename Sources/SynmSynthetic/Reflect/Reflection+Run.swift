// The replicates of `synm reflect`: in parallel, each from its own random stream, so the
// result is the same for any number of threads.
import Dispatch
import Foundation
import Synchronization
import SynmDiagnostics
import SynmFrontend
import SynmIO
import SynmInference
import SynmMath
import SynmRuntime

/// The settings of a reflection study.
public struct ReflectSettings: Sendable {
    public var node: String
    public var syntheticN: Int
    public var reps: Int
    public var footing: String
    public var iidTheta: Bool
    public var seed: UInt64
    public var sampling: SamplerConfiguration
    public var threads: Int
    public init(node: String, syntheticN: Int, reps: Int, footing: String, iidTheta: Bool, seed: UInt64,
                sampling: SamplerConfiguration, threads: Int) {
        self.node = node
        self.syntheticN = syntheticN
        self.reps = reps
        self.footing = footing
        self.iidTheta = iidTheta
        self.seed = seed
        self.sampling = sampling
        self.threads = threads
    }
}

/// The current posterior plus a block's footing-weighted likelihood, for the MCMC fallback:
/// log p(θ | x) + w log p(block | θ) on the unconstrained scale.
struct AugmentedPosterior: LogDensityModel {
    var base: CompiledModel
    var block: CompiledModel
    /// The block's gradient, reused by every evaluation.
    var scratch: [Double]
    static let blockOptions = CompiledModel.Options(unconstrained: true, jacobian: false)

    init(base: CompiledModel, block: CompiledModel) {
        self.base = base
        self.block = block
        scratch = Array(repeating: 0, count: base.dimension)
    }

    var dimension: Int { base.dimension }

    mutating func logDensityAndGradient(_ x: [Double], gradient: inout [Double]) -> Double {
        let v = base.logDensityAndGradient(x, gradient: &gradient)
        guard v.isFinite else { return -.infinity }
        let b = block.logDensityAndGradient(x, options: Self.blockOptions, gradient: &scratch)
        guard b.isFinite else { return -.infinity }
        for k in gradient.indices { gradient[k] += scratch[k] }
        return v + b
    }
}

extension Reflection {
    /// The weight of the block under a footing: equal 1, power(a) and weight(a) a, cap and
    /// calibrated 0 (the block is drawn from our own posterior predictive, so Theorem 5
    /// gives it no information beyond the data the posterior holds).
    public static func blockWeight(_ footing: String) throws -> Double {
        let f = footing.replacingOccurrences(of: " ", with: "")
        switch f {
        case "equal": return 1
        case "cap", "calibrated": return 0
        default:
            for word in ["power(", "weight("] where f.hasPrefix(word) && f.hasSuffix(")") {
                let inner = f.dropFirst(word.count).dropLast()
                if let a = Double(inner), a >= 0, a <= 1 { return a }
            }
            throw UsageError("--footing '\(footing)' is not a footing reflect can apply",
                             hint: "use equal, cap, calibrated, power(a) or weight(a) with a fixed a in [0, 1]")
        }
    }

    /// The current posterior by MCMC: its draws (constrained, one row per draw), the same by
    /// parameter element, and each element's summary.
    public static func currentPosterior(_ compiled: CompiledModel, sampling: SamplerConfiguration) throws
        -> (draws: [[Double]], columns: [[Double]], summaries: [ParameterSummary])
    {
        let c = try currentChains(compiled, sampling: sampling)
        let (columns, summaries) = current(chains: c.perChain)
        return (c.draws, columns, summaries)
    }

    /// The current posterior's columns and summaries from its draws per chain and element
    /// (what a shard file keeps, so that `synm merge` rebuilds them exactly).
    public static func current(chains perChain: [[[Double]]]) -> (columns: [[Double]], summaries: [ParameterSummary]) {
        let dimension = perChain.first?.count ?? 0
        let columns = (0..<dimension).map { j in perChain.flatMap { $0[j] } }
        let summaries = (0..<dimension).map { j in summarize(chains: perChain.map { $0[j] }) }
        return (columns, summaries)
    }

    /// The grid of the report's histograms per element: the 0.2–99.8% range of the current
    /// draws, widened by 15%.
    public static func grids(_ columns: [[Double]]) -> [(lo: Double, hi: Double)] {
        columns.map { col in
            let s = col.sorted()
            let lo = quantile(sorted: s, 0.002), hi = quantile(sorted: s, 0.998)
            let pad = (hi - lo) * 0.15 + 1e-12
            return (lo - pad, hi + pad)
        }
    }

    /// The current posterior by MCMC: its draws (constrained, one row per draw) and the same
    /// per chain and parameter element.
    public static func currentChains(_ compiled: CompiledModel, sampling: SamplerConfiguration) throws
        -> (draws: [[Double]], perChain: [[[Double]]])
    {
        var base = compiled
        let current: SamplingResult
        do {
            current = try SynmInference.sample(base, configuration: sampling)
        } catch {
            throw RuntimeError("sampling the current posterior failed: \(error)")
        }
        let names = base.parameterNames
        var draws: [[Double]] = []
        var perChain: [[[Double]]] = Array(repeating: Array(repeating: [], count: names.count), count: current.chains.count)
        for (c, chain) in current.chains.enumerated() {
            for u in chain.draws {
                let x = try base.constrain(u)
                draws.append(x)
                for j in names.indices { perChain[c][j].append(x[j]) }
            }
        }
        return (draws, perChain)
    }

    /// Checks the node and the block size up front (usage errors), and returns the node's
    /// terms and the block's weight.
    public static func prepare(model: CheckedModel, source: SourceFile, compiled: CompiledModel, node: String, m: Int,
                               footing: String) throws -> (terms: Set<Int>, weight: Double) {
        let weight = try blockWeight(footing)
        let terms = try nodeTerms(model, compiled: compiled, node: node)
        let n = compiled.data[node]?.shape.first ?? 0
        if let rows = compiled.data[node], n > 0 {
            if compiled.terms.contains(where: { terms.contains($0.id) && !$0.topLevel }), m != n {
                throw UsageError("the likelihood of '\(node)' is written in a loop over its \(n) rows, so a block must have \(n) rows, not \(m)",
                                 hint: "use --synthetic-n \(n)")
            }
            let width = rows.count / n
            let cycled = DataArray(shape: rows.shape.count > 1 ? [m, width] : [m],
                                   values: (0..<m).flatMap { r in rows.values[(r % n) * width..<(r % n + 1) * width] },
                                   isInteger: rows.isInteger)
            var probe = try blockModel(model, source: source, base: compiled, node: node, terms: terms, block: cycled, weight: 1)
            do {
                _ = try probe.evaluate(Array(repeating: 0, count: compiled.dimension),
                                       options: CompiledModel.Options(unconstrained: true, jacobian: false))
            } catch let e as RuntimeError where e.message.contains("elements but the arguments have") {
                throw UsageError("the likelihood of '\(node)' has row-specific arguments for its \(n) rows, so a block must have \(n) rows, not \(m)",
                                 hint: "use --synthetic-n \(n)")
            } catch {
                // Other failures at an arbitrary point are not about the block's size.
            }
        }
        return (terms, weight)
    }

    /// Runs the study: the current posterior by MCMC, then the blocks and their updates.
    /// `progress` is called with the number of replicates done (from any thread).
    /// `replicates` (counted from 0): only these, one shard of the study — the result's
    /// updates are theirs, in that order, the same the whole study computes for them.
    public static func run(model: CheckedModel, source: SourceFile, compiled: CompiledModel, settings: ReflectSettings,
                           replicates: [Int]? = nil,
                           progress: (@Sendable (Int) -> Void)? = nil) throws -> ReflectionResult {
        let base = compiled
        let (terms, weight) = try prepare(model: model, source: source, compiled: compiled, node: settings.node,
                                          m: settings.syntheticN, footing: settings.footing)
        let (draws, perChain) = try currentChains(base, sampling: settings.sampling)
        let (columns, summaries) = current(chains: perChain)
        let names = base.parameterNames
        let grids = grids(columns)
        let which = replicates ?? Array(0..<settings.reps)
        let updates = Mutex<[ReflectUpdate?]>(Array(repeating: nil, count: which.count))
        let failure = Mutex<Error?>(nil)
        let baseModel = base
        let allDraws = draws
        let workers = max(1, min(settings.threads, which.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for k in stride(from: worker, to: which.count, by: workers) {
                let r = which[k]
                do {
                    let u = try replicate(r, model: model, source: source, base: baseModel, terms: terms, weight: weight,
                                          draws: allDraws, columns: columns, grids: grids, settings: settings)
                    updates.withLock { $0[k] = u }
                    progress?(updates.withLock { $0.filter { $0 != nil }.count })
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                }
            }
        }
        if let e = failure.withLock({ $0 }) { throw e }
        return ReflectionResult(names: names, current: columns, currentSummaries: summaries,
                                updates: updates.withLock { $0.map { $0! } }, grids: grids, node: settings.node,
                                syntheticN: settings.syntheticN, footing: settings.footing, iidTheta: settings.iidTheta,
                                seed: settings.seed, blockWeight: weight, currentChains: perChain)
    }

    /// One replicate: θ*, the block, the updated posterior.
    static func replicate(_ r: Int, model: CheckedModel, source: SourceFile, base: CompiledModel, terms: Set<Int>,
                          weight: Double, draws: [[Double]], columns: [[Double]], grids: [(lo: Double, hi: Double)],
                          settings: ReflectSettings) throws -> ReflectUpdate {
        var rng = Xoshiro256StarStar(seed: settings.seed, stream: 0x4EF_0000 + UInt64(r))
        let parameters = base.parameters
        let drawTheta: () -> [String: [Double]] = {
            let x = draws[Int(rng.next() % UInt64(draws.count))]
            return Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, Array(x[$0.offset..<$0.offset + $0.count])) })
        }
        var blockRng = Xoshiro256StarStar(seed: settings.seed, stream: 0x4EF_8000 + UInt64(r))
        let rows = try block(base, node: settings.node, m: settings.syntheticN, thetas: drawTheta, iid: settings.iidTheta,
                             rng: &blockRng)
        var blockModel = try blockModel(model, source: source, base: base, node: settings.node, terms: terms, block: rows,
                                        weight: weight)
        // Importance weights: the block's (footing-weighted) log-likelihood at each draw.
        let options = CompiledModel.Options(unconstrained: false, jacobian: false, prior: false, likelihood: true)
        var logWeights = [Double](repeating: 0, count: draws.count)
        if weight > 0 {
            for (s, x) in draws.enumerated() { logWeights[s] = (try? blockModel.evaluate(x, options: options).value) ?? -.infinity }
        }
        let top = logWeights.max() ?? 0
        var w = logWeights.map { top.isFinite ? Foundation.exp($0 - top) : 0 }
        let total = w.reduce(0, +)
        w = w.map { $0 / total }
        let ess = 1 / w.reduce(0) { $0 + $1 * $1 }
        var samples = columns
        var usedMCMC = false
        // Degenerate weights: sample the augmented model instead (2 chains).
        if !(ess >= max(200, 0.05 * Double(draws.count))) {
            var config = settings.sampling
            config.chains = 2
            config.threads = 1
            config.seed = settings.seed &+ 0x77_0000 &+ UInt64(r)
            let fit: SamplingResult
            do {
                fit = try SynmInference.sample(AugmentedPosterior(base: base, block: blockModel), configuration: config)
            } catch {
                throw RuntimeError("replicate \(r + 1): MCMC on the augmented model failed: \(error)")
            }
            var xs: [[Double]] = []
            var constrainer = base
            for chain in fit.chains { for u in chain.draws { xs.append(try constrainer.constrain(u)) } }
            samples = columns.indices.map { j in xs.map { $0[j] } }
            w = Array(repeating: 1 / Double(xs.count), count: xs.count)
            usedMCMC = true
        }
        var update = ReflectUpdate(means: [], variances: [], q5: [], q50: [], q95: [], histograms: [],
                                   effectiveSampleSize: usedMCMC ? Double(w.count) : ess, usedMCMC: usedMCMC,
                                   weights: usedMCMC ? [] : w)
        for j in columns.indices {
            let s = weightedSummary(samples[j], w)
            update.means.append(s.mean)
            update.variances.append(s.variance)
            update.q5.append(s.q[0])
            update.q50.append(s.q[1])
            update.q95.append(s.q[2])
            update.histograms.append(histogram(samples[j], w, lo: grids[j].lo, hi: grids[j].hi))
        }
        return update
    }
}
