// Expected Fisher information by Monte Carlo (docs/STATISTICS.md §1): simulate N data sets at
// the point as the audit does (ReplicateDesign: every real data node with a `~` statement
// redrawn from its likelihood; a third party's rows resampled from source units drawn at
// the point; generated synthetic nodes regenerated from each simulated real sample by their
// generator), and average over them both forms of the information of the
// model's log-likelihood as written: the score outer product s sᵀ, s = ∇ℓ, and the negative
// Hessian −∇²ℓ. Under regularity and a correctly specified likelihood they agree
// (I = E[s sᵀ] = −E[∇²ℓ]); each entry carries its Monte Carlo standard error sd/√N.
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmIO
import SynmInference
import SynmMath
import SynmRuntime

/// Monte Carlo estimates of the expected information with their standard errors.
public struct ExpectedInformation: Sendable {
    public var replicates: Int
    /// Mean of s sᵀ.
    public var score: Matrix
    public var scoreMCSE: Matrix
    /// Mean of −∇²ℓ.
    public var hessian: Matrix
    public var hessianMCSE: Matrix

    /// Runs `replicates` simulations at `parameters` (constrained, per name) and evaluates
    /// at `x` on the given scale. Replicate r uses random stream `0xF15_0000 + r` of `seed`
    /// for the data and a seed derived from (seed, r) for the synthetic nodes.
    public static func monteCarlo(model: CheckedModel, compiled: CompiledModel, source: SourceFile,
                                  parameters: [String: [Double]], x: [Double], unconstrained: Bool,
                                  replicates: Int, seed: UInt64, progress: ((Int) -> Void)? = nil) throws -> ExpectedInformation {
        let d = x.count
        let options = CompiledModel.Options(unconstrained: unconstrained, jacobian: false, prior: false, likelihood: true)
        var score = Accumulator(d), hessian = Accumulator(d)
        guard model.symbols.contains(where: { $0.role == .data && $0.hasLikelihood }) else {
            throw RuntimeError("no data node has a `~` statement, so there is no likelihood to simulate from",
                               hint: "expected information needs data drawn from the model")
        }
        let nodeWeights = FootingWeights.nodeWeights(compiled)
        let design = try ReplicateDesign(model: model, source: source, base: compiled, at: parameters, seed: seed,
                                         nodeWeights: nodeWeights)
        for r in 0..<replicates {
            let table = try design.data(r, stream: 0xF15_0000)
            var replicate = try design.compile(table, r, stream: 0xF15_0000)
            progress?(r + 1)
            let (_, g, h) = try replicate.hessian(x, options: options)
            var outer = [Double](repeating: 0, count: d * d), negative = outer
            for i in 0..<d {
                for j in 0..<d {
                    outer[i * d + j] = g[i] * g[j]
                    negative[i * d + j] = -h[i][j]
                }
            }
            score.add(outer)
            hessian.add(negative)
        }
        return ExpectedInformation(replicates: replicates, score: score.mean, scoreMCSE: score.mcse,
                                   hessian: hessian.mean, hessianMCSE: hessian.mcse)
    }
}

/// Entrywise running mean and variance (Welford 1962).
public struct Accumulator {
    public let d: Int
    public var n = 0
    public var m: [Double]
    public var s: [Double]
    public init(_ d: Int) {
        self.d = d
        m = Array(repeating: 0, count: d * d)
        s = m
    }
    public mutating func add(_ x: [Double]) {
        n += 1
        for k in x.indices {
            let delta = x[k] - m[k]
            m[k] += delta / Double(n)
            s[k] += delta * (x[k] - m[k])
        }
    }
    public var mean: Matrix { Matrix(rows: d, cols: d, storage: m) }
    /// sd/√n, with the sample variance (n − 1 denominator).
    public var mcse: Matrix {
        Matrix(rows: d, cols: d, storage: s.map { n > 1 ? ($0 / Double(n - 1) / Double(n)).squareRoot() : .nan })
    }
}
