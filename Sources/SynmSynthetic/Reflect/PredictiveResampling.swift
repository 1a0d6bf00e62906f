// Sequential predictive resampling (Fong, Holmes & Walker 2023, "Martingale posterior
// distributions", JRSS-B): from the current posterior, K times in a row draw θ* from the
// posterior as it now stands, simulate a block of m rows from the likelihood at θ*, and
// update on it. Along one path the posterior mean is a martingale: its expectation stays the
// current mean at every step, while the spread of the path's means across paths grows and
// each path's own sd shrinks — as K·m grows each path settles on one value, and those values
// are distributed as the current posterior. Updates reweight the current draws by the
// blocks' (footing-weighted) likelihood, cumulatively; when the weights' effective sample
// size falls below a tenth of the draws they are resampled (multinomial), as in sequential
// importance resampling.
import Dispatch
import Foundation
import Synchronization
import SynmDiagnostics
import SynmFrontend
import SynmIO
import SynmInference
import SynmMath
import SynmRuntime

/// One path: per step (1…K) and parameter element, the posterior mean and sd.
public struct ResamplingPath: Sendable {
    public var means: [[Double]]
    public var sds: [[Double]]
    /// The effective sample size of the weights after each step (before any resampling).
    public var ess: [Double]
}

public struct PredictiveResampling: Sendable {
    public var names: [String]
    public var steps: Int
    public var syntheticN: Int
    public var currentMeans: [Double]
    public var currentSDs: [Double]
    public var paths: [ResamplingPath]

    /// Runs `count` paths of `steps` updates each; path p draws from stream
    /// 0x5EC_0000 + p of `seed`, so the result does not depend on the number of threads.
    public static func run(model: CheckedModel, source: SourceFile, base: CompiledModel, node: String, terms: Set<Int>,
                           weight: Double, draws: [[Double]], m: Int, steps: Int, count: Int, seed: UInt64,
                           threads: Int, progress: (@Sendable (Int) -> Void)? = nil) throws -> PredictiveResampling {
        let d = draws.first?.count ?? 0
        let s = Double(draws.count)
        let currentMeans = (0..<d).map { j in draws.reduce(0) { $0 + $1[j] } / s }
        let currentSDs = (0..<d).map { j in
            (draws.reduce(0) { $0 + ($1[j] - currentMeans[j]) * ($1[j] - currentMeans[j]) } / s).squareRoot()
        }
        let results = Mutex<[ResamplingPath?]>(Array(repeating: nil, count: count))
        let failure = Mutex<Error?>(nil)
        let workers = max(1, min(threads, count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for p in stride(from: worker, to: count, by: workers) {
                do {
                    let path = try one(p, model: model, source: source, base: base, node: node, terms: terms, weight: weight,
                                       draws: draws, m: m, steps: steps, seed: seed)
                    let done = results.withLock { r -> Int in
                        r[p] = path
                        return r.filter { $0 != nil }.count
                    }
                    progress?(done)
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                }
            }
        }
        if let e = failure.withLock({ $0 }) { throw e }
        return PredictiveResampling(names: base.parameterNames, steps: steps, syntheticN: m, currentMeans: currentMeans,
                                    currentSDs: currentSDs, paths: results.withLock { $0.map { $0! } })
    }

    static func one(_ p: Int, model: CheckedModel, source: SourceFile, base: CompiledModel, node: String, terms: Set<Int>,
                    weight: Double, draws: [[Double]], m: Int, steps: Int, seed: UInt64) throws -> ResamplingPath {
        var rng = Xoshiro256StarStar(seed: seed, stream: 0x5EC_0000 + UInt64(p))
        let d = draws.first?.count ?? 0
        var members = Array(draws.indices)  // the current particle set (draw indices)
        var logw = [Double](repeating: 0, count: members.count)
        var path = ResamplingPath(means: [], sds: [], ess: [])
        let options = CompiledModel.Options(unconstrained: false, jacobian: false, prior: false, likelihood: true)
        for _ in 0..<steps {
            let w = normalized(logw)
            // θ* from the posterior as it now stands.
            let pick = draw(w, &rng)
            let theta = base.byName(draws[members[pick]])
            var blockRng = Xoshiro256StarStar(seed: rng.next(), stream: 0)
            let rows = try Reflection.block(base, node: node, m: m, thetas: { theta }, iid: false, rng: &blockRng)
            var scorer = try Reflection.blockModel(model, source: source, base: base, node: node, terms: terms, block: rows,
                                                   weight: weight)
            if weight > 0 {
                for (k, member) in members.enumerated() {
                    logw[k] += (try? scorer.evaluate(draws[member], options: options).value) ?? -.infinity
                }
            }
            let w2 = normalized(logw)
            var means = [Double](repeating: 0, count: d), sds = means
            for j in 0..<d {
                var mean = 0.0
                for (k, member) in members.enumerated() { mean += w2[k] * draws[member][j] }
                var v = 0.0
                for (k, member) in members.enumerated() { v += w2[k] * (draws[member][j] - mean) * (draws[member][j] - mean) }
                means[j] = mean
                sds[j] = v.squareRoot()
            }
            let ess = 1 / w2.reduce(0) { $0 + $1 * $1 }
            path.means.append(means)
            path.sds.append(sds)
            path.ess.append(ess)
            if ess < Double(members.count) / 10 {
                // Multinomial resampling: a new particle set with equal weights.
                var next: [Int] = []
                next.reserveCapacity(members.count)
                for _ in members.indices { next.append(members[draw(w2, &rng)]) }
                members = next
                logw = [Double](repeating: 0, count: members.count)
            }
        }
        return path
    }

    /// An index drawn with probabilities `w` (which sum to 1).
    static func draw(_ w: [Double], _ rng: inout Xoshiro256StarStar) -> Int {
        var u = Double(rng.next() >> 11) * 0x1p-53
        for (k, wk) in w.enumerated() {
            u -= wk
            if u < 0 { return k }
        }
        return w.count - 1
    }

    static func normalized(_ logw: [Double]) -> [Double] {
        let top = logw.max() ?? 0
        guard top.isFinite else { return logw.map { _ in 1 / Double(max(logw.count, 1)) } }
        let w = logw.map { Foundation.exp($0 - top) }
        let total = w.reduce(0, +)
        return w.map { $0 / total }
    }

    /// Per step: mean over paths of the path means, their sd across paths, and the mean of
    /// the paths' own sds, for parameter element j.
    public func summary(_ j: Int) -> [(mean: Double, spread: Double, sd: Double)] {
        let r = Double(paths.count)
        return (0..<steps).map { k in
            let means = paths.map { $0.means[k][j] }
            let mean = means.reduce(0, +) / r
            let spread = (means.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / max(r - 1, 1)).squareRoot()
            let sd = paths.reduce(0) { $0 + $1.sds[k][j] } / r
            return (mean, spread, sd)
        }
    }
}
