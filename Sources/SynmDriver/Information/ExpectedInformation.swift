// Expected Fisher information by Monte Carlo (REFERENCE.md §3.7): simulate N data sets at
// the point (every data node with a `~` statement redrawn from its likelihood, a third
// party's rows included; generated synthetic nodes regenerated from each simulated real
// sample by their generator), and average over them both forms of the information of the
// model's log-likelihood as written: the score outer product s sᵀ, s = ∇ℓ, and the negative
// Hessian −∇²ℓ. Under regularity and a correctly specified likelihood they agree
// (I = E[s sᵀ] = −E[∇²ℓ]); each entry carries its Monte Carlo standard error sd/√N.
import SynmFrontend
import SynmMath
import SynmRuntime
import SynmDiagnostics

/// Monte Carlo estimates of the expected information with their standard errors.
struct ExpectedInformation: Sendable {
    var replicates: Int
    /// Mean of s sᵀ.
    var score: Matrix
    var scoreMCSE: Matrix
    /// Mean of −∇²ℓ.
    var hessian: Matrix
    var hessianMCSE: Matrix

    /// Runs `replicates` simulations at `parameters` (constrained, per name) and evaluates
    /// at `x` on the given scale. Replicate r uses random stream `0xF15_0000 + r` of `seed`
    /// for the data and a seed derived from (seed, r) for the synthetic nodes.
    static func monteCarlo(model: CheckedModel, compiled: CompiledModel, source: SourceFile,
                           parameters: [String: [Double]], x: [Double], unconstrained: Bool,
                           replicates: Int, seed: UInt64) throws -> ExpectedInformation {
        let d = x.count
        let options = CompiledModel.Options(unconstrained: unconstrained, jacobian: false, prior: false, likelihood: true)
        var score = Accumulator(d), hessian = Accumulator(d)
        for r in 0..<replicates {
            let sim = try compiled.simulate(rng: Xoshiro256StarStar(seed: seed, stream: 0xF15_0000 + UInt64(r)),
                                            parameters: parameters)
            if sim.data.isEmpty {
                throw RuntimeError("no data node has a `~` statement, so there is no likelihood to simulate from",
                                   hint: "expected information needs data drawn from the model")
            }
            var replicate = try CompiledModel(model: model, source: source, data: sim.table,
                                              seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(r + 1))
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
struct Accumulator {
    let d: Int
    var n = 0
    var m: [Double]
    var s: [Double]
    init(_ d: Int) {
        self.d = d
        m = Array(repeating: 0, count: d * d)
        s = m
    }
    mutating func add(_ x: [Double]) {
        n += 1
        for k in x.indices {
            let delta = x[k] - m[k]
            m[k] += delta / Double(n)
            s[k] += delta * (x[k] - m[k])
        }
    }
    var mean: Matrix { Matrix(rows: d, cols: d, storage: m) }
    /// sd/√n, with the sample variance (n − 1 denominator).
    var mcse: Matrix {
        Matrix(rows: d, cols: d, storage: s.map { n > 1 ? ($0 / Double(n - 1) / Double(n)).squareRoot() : .nan })
    }
}
