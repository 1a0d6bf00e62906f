// The replicates of `synm reflect`: in parallel, each from its own random stream, so the
// result is the same for any number of threads.
import Foundation
import Synchronization
import SynmDiagnostics
import SynmFrontend
import SynmInference
import SynmMath
import SynmRuntime

/// The settings of a reflection study.
struct ReflectSettings: Sendable {
    var node: String
    var syntheticN: Int
    var reps: Int
    var footing: String
    var iidTheta: Bool
    var seed: UInt64
    var sampling: SamplerConfiguration
    var threads: Int
}

extension Reflection {
    static func run(_ prepared: PreparedModel, settings: ReflectSettings, console: Console) throws -> ReflectionResult {
        var base = prepared.compiled
        // The current posterior.
        let current: SamplingResult
        do {
            current = try SynmInference.sample(base, configuration: settings.sampling)
        } catch {
            throw RuntimeError("sampling the current posterior failed: \(error.description)")
        }
        let names = base.parameterNames
        var draws: [[Double]] = []  // per draw, constrained
        var perChain: [[[Double]]] = Array(repeating: Array(repeating: [], count: names.count), count: current.chains.count)
        for (c, chain) in current.chains.enumerated() {
            for u in chain.draws {
                let x = try base.constrain(u)
                draws.append(x)
                for j in names.indices { perChain[c][j].append(x[j]) }
            }
        }
        let columns = names.indices.map { j in draws.map { $0[j] } }
        let summaries = names.indices.map { j in summarize(chains: perChain.map { $0[j] }) }
        let grids: [(lo: Double, hi: Double)] = columns.map { col in
            let s = col.sorted()
            let lo = quantile(sorted: s, 0.002), hi = quantile(sorted: s, 0.998)
            let pad = (hi - lo) * 0.15 + 1e-12
            return (lo - pad, hi + pad)
        }
        // The augmented model: the block as a synthetic term.
        let text = try augmentedSource(prepared.loaded.file, model: prepared.model, node: settings.node,
                                       m: settings.syntheticN, footing: settings.footing)
        let augmentedFile = SourceFile(name: prepared.loaded.file.name, text: text)
        let checked = checkModel(augmentedFile)
        guard let augmented = checked.model, !checked.diagnostics.hasErrors else {
            let messages = checked.diagnostics.filter { $0.severity == .error }.map(\.message)
            throw UsageError("the block cannot be added with footing '\(settings.footing)': \(messages.joined(separator: "; "))")
        }
        let updates = Mutex<[ReflectUpdate?]>(Array(repeating: nil, count: settings.reps))
        let failure = Mutex<Error?>(nil)
        let data = prepared.data
        let baseModel = base
        let allDraws = draws
        DispatchQueue.concurrentPerform(iterations: settings.threads) { worker in
            for r in stride(from: worker, to: settings.reps, by: settings.threads) {
                do {
                    let u = try replicate(r, base: baseModel, augmented: augmented, file: augmentedFile, data: data,
                                          draws: allDraws, columns: columns, grids: grids, settings: settings)
                    updates.withLock { $0[r] = u }
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                }
            }
        }
        if let e = failure.withLock({ $0 }) { throw e }
        return ReflectionResult(names: names, current: columns, currentSummaries: summaries,
                                updates: updates.withLock { $0.map { $0! } }, grids: grids, node: settings.node,
                                syntheticN: settings.syntheticN, footing: settings.footing, iidTheta: settings.iidTheta,
                                seed: settings.seed)
    }

    /// One replicate: θ*, the block, the updated posterior.
    static func replicate(_ r: Int, base: CompiledModel, augmented: CheckedModel, file: SourceFile, data: DataTable,
                          draws: [[Double]], columns: [[Double]], grids: [(lo: Double, hi: Double)],
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
        var table = data
        table.set(blockName, rows)
        var model = try CompiledModel(model: augmented, source: file, data: table, seed: settings.seed &+ UInt64(r))
        guard let term = model.terms.first(where: { $0.syntheticNode == blockName }) else {
            throw RuntimeError("internal: the block term is missing")
        }
        // Importance weights: the block's (footing-weighted) log-likelihood at each draw.
        let options = CompiledModel.Options(unconstrained: false, jacobian: false, onlyTerm: term.id)
        var logWeights = [Double](repeating: 0, count: draws.count)
        for (s, x) in draws.enumerated() { logWeights[s] = (try? model.evaluate(x, options: options).value) ?? -.infinity }
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
                fit = try SynmInference.sample(model, configuration: config)
            } catch {
                throw RuntimeError("replicate \(r + 1): MCMC on the augmented model failed: \(error.description)")
            }
            var xs: [[Double]] = []
            for chain in fit.chains { for u in chain.draws { xs.append(try model.constrain(u)) } }
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
