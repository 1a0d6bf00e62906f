// Pathfinder variational inference [1]: L-BFGS from a random initial point on the
// unconstrained scale; at every iterate, the normal approximation N(μ, H) whose covariance H is
// the L-BFGS inverse-Hessian estimate (a diagonal plus a low-rank update [2]) and whose mean is
// the quasi-Newton step μ = x − H∇f; its ELBO estimated with K draws; the iterate with the
// highest ELBO is the path's approximation. Multi-path Pathfinder runs several paths and
// resamples their pooled draws by Pareto-smoothed importance weights [3].
//
// [1] Zhang, Carpenter, Gelman & Vehtari (2022), "Pathfinder: parallel quasi-Newton variational
//     inference", JMLR 23(306): Algorithm 1 (single path), 2 (the diagonal update),
//     3 (the factorised normal), 4 (ELBO), 5 (multi-path).
// [2] Byrd, Nocedal & Schnabel (1994), "Representations of quasi-Newton matrices and their use
//     in limited memory methods", Math. Programming 63: the compact form of the BFGS inverse.
// [3] Vehtari, Simpson, Gelman, Yao & Gabry (2024), "Pareto smoothed importance sampling", JMLR
//     25(72) (PSIS.swift).
// Defaults are Stan's (CmdStan's pathfinder method): history 5, 25 ELBO draws, 4 paths,
// 1000 draws, PSIS resampling on.

import Foundation
import Synchronization
import SynmMath

/// Settings of Pathfinder (Stan's defaults).
public struct PathfinderConfiguration: Sendable, Equatable {
    /// Number of single paths (1: single-path Pathfinder, no resampling).
    public var paths = 4
    /// Draws returned (per path before resampling, and after it).
    public var draws = 1000
    /// L-BFGS history size J (also the rank of the covariance's update: 2J).
    public var historySize = 5
    /// Monte Carlo draws K per ELBO estimate.
    public var elboDraws = 25
    /// Maximum L-BFGS iterations per path.
    public var maxIterations = 1000
    /// Resample the pooled draws of several paths by PSIS weights.
    public var psisResample = true
    /// Random inits uniform(−R, R) on the unconstrained scale.
    public var initRadius = 2.0
    /// Stan's L-BFGS tolerances: objective, relative objective (× machine ε), gradient,
    /// relative gradient (× ε), parameter change.
    public var tolObj = 1e-12, tolRelObj = 1e4, tolGrad = 1e-8, tolRelGrad = 1e7, tolParam = 1e-8
    /// Worker threads for the paths; results do not depend on it.
    public var threads: Int? = nil
    public init() {}
}

/// One path's outcome.
public struct PathfinderPath: Sendable {
    public var path: Int
    /// L-BFGS iterations run, and the iteration whose approximation was chosen.
    public var iterations: Int
    public var bestIteration: Int
    public var elbo: Double
    /// Log density evaluations (L-BFGS, ELBO and the returned draws).
    public var evaluations: Int
    /// Why L-BFGS stopped.
    public var stop: String
    /// Draws on the unconstrained scale, with log q (lp_approx) and log p (lp) of each.
    public var draws: [[Double]]
    public var lpApprox: [Double]
    public var lp: [Double]
}

/// Pathfinder's approximate draws.
public struct PathfinderResult: Sendable {
    public var draws: [[Double]]
    public var lpApprox: [Double]
    public var lp: [Double]
    /// Pareto k̂ of the importance ratios p/q of the pooled draws (nil when not computed).
    public var paretoK: Double?
    public var paths: [PathfinderPath]
    /// Paths that failed, with the reason.
    public var failedPaths: [(path: Int, reason: String)]
}

/// Why Pathfinder failed.
public enum PathfinderError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    /// No finite log density and gradient at 100 random inits (Stan's MAX_INIT_TRIES).
    case initializationFailed(path: Int, attempts: Int, explanation: String?)
    /// Every path failed; the reasons, one per path.
    case allPathsFailed([String])

    public var description: String {
        switch self {
        case .invalidConfiguration(let m): return "invalid pathfinder configuration: \(m)"
        case .initializationFailed(let path, let attempts, let explanation):
            return "path \(path + 1): no finite log density and gradient after \(attempts) random initialisations"
                + (explanation.map { "; last try: \($0)" } ?? "")
        case .allPathsFailed(let reasons): return "every path failed: " + reasons.joined(separator: "; ")
        }
    }
}

/// The random stream of path p for a run with a given seed (the sampler's chains use 0, 1, …).
public func pathfinderStream(path: Int) -> UInt64 { 0x9A7_0000 + UInt64(path) }

/// Multi-path Pathfinder (single-path when `configuration.paths == 1`) [1].
public func pathfinder<M: LogDensityModel>(_ model: M, configuration c: PathfinderConfiguration, seed: UInt64)
    throws(PathfinderError) -> PathfinderResult
{
    guard model.dimension > 0 else { throw .invalidConfiguration("the model has no parameters") }
    guard c.paths >= 1, c.draws >= 1, c.historySize >= 1, c.elboDraws >= 1, c.maxIterations >= 1 else {
        throw .invalidConfiguration("paths, draws, history size, ELBO draws and iterations must be positive")
    }
    let outcomes = Mutex<[Result<PathfinderPath, PathfinderError>?]>(Array(repeating: nil, count: c.paths))
    let workers = Swift.max(1, Swift.min(c.threads ?? ProcessInfo.processInfo.activeProcessorCount, c.paths))
    let work: @Sendable (Int) -> Void = { worker in
        for p in stride(from: worker, to: c.paths, by: workers) {
            var m = model
            var rng = Xoshiro256StarStar(seed: seed, stream: pathfinderStream(path: p))
            let outcome: Result<PathfinderPath, PathfinderError>
            do throws(PathfinderError) {
                outcome = .success(try singlePath(&m, path: p, configuration: c, rng: &rng))
            } catch { outcome = .failure(error) }
            outcomes.withLock { $0[p] = outcome }
        }
    }
    if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
    var paths: [PathfinderPath] = [], failed: [(path: Int, reason: String)] = []
    var firstError: PathfinderError?
    for (p, outcome) in outcomes.withLock({ $0 }).enumerated() {
        switch outcome {
        case .success(let path)?: paths.append(path)
        case .failure(let e)?:
            failed.append((p, e.description))
            if firstError == nil { firstError = e }
        case nil: failed.append((p, "no result"))
        }
    }
    if paths.isEmpty {
        // Every path without a finite init: the first one's error (the driver locates the term).
        if let firstError, case .initializationFailed = firstError, failed.count == c.paths,
           outcomes.withLock({ $0 }).allSatisfy({ if case .failure(.initializationFailed)? = $0 { true } else { false } }) {
            throw firstError
        }
        if c.paths == 1, let firstError { throw firstError }
        throw .allPathsFailed(failed.map(\.reason))
    }
    var draws = paths.flatMap(\.draws), lpApprox = paths.flatMap(\.lpApprox), lp = paths.flatMap(\.lp)
    let ratios = zip(lp, lpApprox).map { $0.isFinite ? $0 - $1 : -Double.infinity }
    var k: Double?
    if ratios.contains(where: \.isFinite) {
        let finite = ratios.map { $0.isFinite ? $0 : -1e300 }
        let smoothed = paretoSmooth(logRatios: finite)
        k = smoothed.k
        if c.paths > 1 && c.psisResample {
            // Multinomial resampling with replacement by the smoothed weights.
            var rng = Xoshiro256StarStar(seed: seed, stream: 0x9A7_FFFF)
            var cumulative: [Double] = []
            cumulative.reserveCapacity(finite.count)
            var total = 0.0
            for (i, lw) in smoothed.logWeights.enumerated() {
                total += ratios[i].isFinite ? exp(lw) : 0
                cumulative.append(total)
            }
            var picked: [Int] = []
            for _ in 0..<c.draws {
                let u = rng.uniform01() * total
                var lo = 0, hi = cumulative.count - 1
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if cumulative[mid] < u { lo = mid + 1 } else { hi = mid }
                }
                picked.append(lo)
            }
            draws = picked.map { draws[$0] }
            lpApprox = picked.map { lpApprox[$0] }
            lp = picked.map { lp[$0] }
        }
    }
    return PathfinderResult(draws: draws, lpApprox: lpApprox, lp: lp, paretoK: k, paths: paths, failedPaths: failed)
}

/// The normal approximation at one iterate: draws x = μ + A(u + Q(L − I)Qᵀu), A = diag(√α)
/// (sparse form, [1] Algorithm 3), or x = μ + L u (dense form, when 2J ≥ n).
struct PathfinderNormal {
    var mean: [Double]
    var sqrtAlpha: [Double]
    /// Dense: n × n lower Cholesky factor of H. Sparse: the 2J × 2J factor of I + R̄MR̄ᵀ.
    var factor: Matrix
    /// Sparse: the n × 2J orthonormal columns Q (nil when dense).
    var q: Matrix?
    /// log det H.
    var logDeterminant: Double

    /// The covariance H as a dense matrix (for tests): L Lᵀ, or A(I + Q(L Lᵀ − I)Qᵀ)A.
    func covariance() -> Matrix {
        let n = mean.count
        let llt = factor * factor.transposed
        guard let q else { return llt }
        var inner = llt
        for i in 0..<inner.rows { inner[i, i] -= 1 }
        var h = q * inner * q.transposed
        for i in 0..<n { h[i, i] += 1 }
        for i in 0..<n { for j in 0..<n { h[i, j] *= sqrtAlpha[i] * sqrtAlpha[j] } }
        return h
    }

    /// A draw and its log density under the approximation.
    func draw<R: RandomNumberGenerator>(_ rng: inout R) -> (x: [Double], logQ: Double) {
        let n = mean.count
        let u = (0..<n).map { _ in rng.standardNormal() }
        var x = mean
        if let q {
            let k = q.cols
            var qtu = [Double](repeating: 0, count: k)
            for i in 0..<n { for j in 0..<k { qtu[j] += q[i, j] * u[i] } }
            var lq = [Double](repeating: 0, count: k)  // (L − I) Qᵀu
            for i in 0..<k {
                var s = 0.0
                for j in 0...i { s += factor[i, j] * qtu[j] }
                lq[i] = s - qtu[i]
            }
            for i in 0..<n {
                var s = u[i]
                for j in 0..<k { s += q[i, j] * lq[j] }
                x[i] += sqrtAlpha[i] * s
            }
        } else {
            for i in 0..<n {
                var s = 0.0
                for j in 0...i { s += factor[i, j] * u[j] }
                x[i] += s
            }
        }
        let uu = u.reduce(0) { $0 + $1 * $1 }
        return (x, -0.5 * (logDeterminant + uu + Double(n) * log(2 * Double.pi)))
    }
}

/// The approximation from the history (columns s_j = Δx, y_j = Δ∇f of f = −log p), the diagonal
/// α, the point x and its gradient g of f; nil when H is not numerically positive definite.
func pathfinderNormal(s: [[Double]], y: [[Double]], alpha: [Double], x: [Double], g: [Double]) -> PathfinderNormal? {
    let n = x.count, m = s.count
    // R = upper triangle of SᵀY, D its diagonal; X = R⁻¹Sᵀ (m × n) by back substitution.
    var r = Matrix(rows: m, cols: m)
    for i in 0..<m { for j in i..<m { r[i, j] = dot(s[i], y[j]) } }
    var xm = [[Double]](repeating: [Double](repeating: 0, count: n), count: m)
    for i in stride(from: m - 1, through: 0, by: -1) {
        guard r[i, i] > 0 else { return nil }
        var row = s[i]
        for j in (i + 1)..<Swift.max(m, i + 1) { axpy(-r[i, j], xm[j], &row) }
        xm[i] = row.map { $0 / r[i, i] }
    }
    // K = D + Yᵀ diag(α) Y.
    var kmat = Matrix(rows: m, cols: m)
    for i in 0..<m {
        for j in 0..<m {
            var t = 0.0
            for l in 0..<n { t += y[i][l] * alpha[l] * y[j][l] }
            kmat[i, j] = t + (i == j ? r[i, i] : 0)
        }
    }
    let sqrtAlpha = alpha.map { $0.squareRoot() }
    // H v = αv + Xᵀ K X v − Xᵀ Yᵀ(αv) − αY X v  (the compact form [2] with H₀ = diag(α)).
    func hTimes(_ v: [Double]) -> [Double] {
        let xv = xm.map { dot($0, v) }
        let av = zip(alpha, v).map { $0 * $1 }
        let yav = y.map { dot($0, av) }
        var kxv = [Double](repeating: 0, count: m)
        for i in 0..<m { for j in 0..<m { kxv[i] += kmat[i, j] * xv[j] } }
        var out = av
        for i in 0..<m {
            axpy(kxv[i] - yav[i], xm[i], &out)
            for l in 0..<n { out[l] -= alpha[l] * y[i][l] * xv[i] }
        }
        return out
    }
    let hg = hTimes(g)
    let mean = zip(x, hg).map { $0 - $1 }
    if 2 * m >= n {
        var h = Matrix(rows: n, cols: n)
        for j in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[j] = 1
            let col = hTimes(e)
            for i in 0..<n { h[i, j] = col[i] }
        }
        for i in 0..<n { for j in 0..<i { let a = (h[i, j] + h[j, i]) / 2; h[i, j] = a; h[j, i] = a } }
        guard let l = h.cholesky() else { return nil }
        var logDet = 0.0
        for i in 0..<n { logDet += 2 * log(l[i, i]) }
        guard logDet.isFinite, mean.allSatisfy(\.isFinite) else { return nil }
        return PathfinderNormal(mean: mean, sqrtAlpha: sqrtAlpha, factor: l, q: nil, logDeterminant: logDet)
    }
    // Sparse: W̄ = [A Y, −A⁻¹ Xᵀ] (n × 2m), M = [[0, I], [I, K]]; H = A(I + W̄MW̄ᵀ)A.
    let k = 2 * m
    var w = [[Double]]()  // columns
    for i in 0..<m { w.append((0..<n).map { sqrtAlpha[$0] * y[i][$0] }) }
    for i in 0..<m { w.append((0..<n).map { -xm[i][$0] / sqrtAlpha[$0] }) }
    // Thin QR by modified Gram–Schmidt, orthogonalised twice.
    var qcols = [[Double]](), rbar = Matrix(rows: k, cols: k)
    for j in 0..<k {
        var v = w[j]
        let norm0 = dot(v, v).squareRoot()
        for _ in 0..<2 {
            for (i, qi) in qcols.enumerated() {
                let c = dot(qi, v)
                rbar[i, j] += c
                axpy(-c, qi, &v)
            }
        }
        let norm = dot(v, v).squareRoot()
        if norm > 1e-12 * Swift.max(norm0, 1e-300) {
            rbar[j, j] = norm
            qcols.append(v.map { $0 / norm })
        } else {
            qcols.append([Double](repeating: 0, count: n))  // rank-deficient: a null column
        }
    }
    var mmat = Matrix(rows: k, cols: k)
    for i in 0..<m {
        mmat[i, m + i] = 1
        mmat[m + i, i] = 1
        for j in 0..<m { mmat[m + i, m + j] = kmat[i, j] }
    }
    var inner = rbar * mmat * rbar.transposed
    for i in 0..<k { inner[i, i] += 1 }
    for i in 0..<k { for j in 0..<i { let a = (inner[i, j] + inner[j, i]) / 2; inner[i, j] = a; inner[j, i] = a } }
    guard let l = inner.cholesky() else { return nil }
    var q = Matrix(rows: n, cols: k)
    for j in 0..<k { for i in 0..<n { q[i, j] = qcols[j][i] } }
    var logDet = 0.0
    for i in 0..<k { logDet += 2 * log(l[i, i]) }
    for a in alpha { logDet += log(a) }
    guard logDet.isFinite, mean.allSatisfy(\.isFinite) else { return nil }
    return PathfinderNormal(mean: mean, sqrtAlpha: sqrtAlpha, factor: l, q: q, logDeterminant: logDet)
}

/// The inverse-Hessian diagonal update of [1] Algorithm 2 (a diagonal BFGS update of 1/α
/// scaled by yᵀαy / yᵀs, Gilbert & Lemaréchal 1989).
func updatedDiagonal(_ alpha: [Double], s: [Double], y: [Double]) -> [Double] {
    var a = 0.0, c = 0.0
    for i in alpha.indices {
        a += alpha[i] * y[i] * y[i]
        c += s[i] * s[i] / alpha[i]
    }
    let b = dot(y, s)
    let updated = alpha.indices.map { i -> Double in
        1 / (a / (b * alpha[i]) + y[i] * y[i] / b - a * s[i] * s[i] / (b * c * alpha[i] * alpha[i]))
    }
    return updated.allSatisfy({ $0 > 0 && $0.isFinite }) ? updated : alpha
}

/// One path: random init, L-BFGS on f = −log p, the normal approximation and its ELBO at every
/// iterate, and `draws` draws from the best one.
func singlePath<M: LogDensityModel, R: RandomNumberGenerator>(
    _ model: inout M, path: Int, configuration c: PathfinderConfiguration, rng: inout R
) throws(PathfinderError) -> PathfinderPath {
    let n = model.dimension
    var evaluations = 0
    func objective(_ x: [Double]) -> (value: Double, gradient: [Double])? {
        evaluations += 1
        var g = [Double](repeating: 0, count: n)
        let lp = model.logDensityAndGradient(x, gradient: &g)
        guard lp.isFinite, g.allSatisfy(\.isFinite) else { return nil }
        return (-lp, g.map { -$0 })
    }
    // Random inits, up to 100 tries (Stan's MAX_INIT_TRIES).
    var x: [Double] = [], fx = 0.0, g: [Double] = []
    var found = false, last: [Double] = []
    for _ in 0..<maxInitializationAttempts {
        let x0 = (0..<n).map { _ in c.initRadius * (2 * rng.uniform01() - 1) }
        if let (v, gr) = objective(x0) { (x, fx, g) = (x0, v, gr); found = true; break }
        last = x0
    }
    guard found else {
        throw .initializationFailed(path: path, attempts: maxInitializationAttempts, explanation: model.explainNonFinite(last))
    }
    var s: [[Double]] = [], y: [[Double]] = []
    var alpha = [Double](repeating: 1, count: n)
    var best: (normal: PathfinderNormal, elbo: Double, iteration: Int)?
    var iterations = 0
    var stop = "maximum iterations"
    let lbfgs = LBFGS()
    for iteration in 1...c.maxIterations {
        // Two-loop recursion (Nocedal & Wright Algorithm 7.4) with H₀ = diag(α).
        var qv = g
        var coefficients = [Double](repeating: 0, count: s.count)
        for i in stride(from: s.count - 1, through: 0, by: -1) {
            coefficients[i] = dot(s[i], qv) / dot(s[i], y[i])
            axpy(-coefficients[i], y[i], &qv)
        }
        var rv = zip(alpha, qv).map { $0 * $1 }
        if s.isEmpty { rv = qv.map { $0 / Swift.max(1, infNorm(g)) } }
        for i in 0..<s.count {
            let beta = dot(y[i], rv) / dot(s[i], y[i])
            axpy(coefficients[i] - beta, s[i], &rv)
        }
        var d = rv.map { -$0 }
        if dot(d, g) >= 0 { d = g.map { -$0 / Swift.max(1, infNorm(g)) } }
        var lineEvaluations = 0
        guard let step = lbfgs.lineSearch(x: x, fx: fx, g: g, d: d, f: objective, evaluations: &lineEvaluations) else {
            stop = "line search failed"
            break
        }
        iterations = iteration
        let sk = zip(step.x, x).map { $0 - $1 }, yk = zip(step.gradient, g).map { $0 - $1 }
        let previous = fx
        (x, fx, g) = (step.x, step.value, step.gradient)
        // Keep the pair only with positive curvature (Stan: sᵀy > ε‖y‖²).
        if dot(sk, yk) > Double.ulpOfOne * dot(yk, yk) {
            alpha = updatedDiagonal(alpha, s: sk, y: yk)
            s.append(sk); y.append(yk)
            if s.count > c.historySize { s.removeFirst(); y.removeFirst() }
        }
        if !s.isEmpty, let normal = pathfinderNormal(s: s, y: y, alpha: alpha, x: x, g: g) {
            var total = 0.0
            for _ in 0..<c.elboDraws {
                let (z, logQ) = normal.draw(&rng)
                evaluations += 1
                let lp = model.logDensity(z)
                total += lp.isFinite ? lp - logQ : -.infinity
            }
            let elbo = total / Double(c.elboDraws)
            if elbo.isFinite, best == nil || elbo > best!.elbo { best = (normal, elbo, iteration) }
        }
        // Stan's L-BFGS convergence tests.
        let change = abs(previous - fx)
        if change < c.tolObj { stop = "objective change below tol_obj"; break }
        if change / Swift.max(abs(previous), abs(fx), 1) < c.tolRelObj * Double.ulpOfOne {
            stop = "relative objective change below tol_rel_obj"; break
        }
        if dot(g, g).squareRoot() < c.tolGrad { stop = "gradient norm below tol_grad"; break }
        if dot(sk, sk).squareRoot() < c.tolParam { stop = "parameter change below tol_param"; break }
        if iteration == c.maxIterations { stop = "maximum iterations" }
    }
    guard let best else {
        throw .allPathsFailed(["path \(path + 1): no iterate had a finite ELBO (L-BFGS: \(stop) after \(iterations) iterations)"])
    }
    var draws: [[Double]] = [], lpApprox: [Double] = [], lps: [Double] = []
    draws.reserveCapacity(c.draws)
    for _ in 0..<c.draws {
        let (z, logQ) = best.normal.draw(&rng)
        evaluations += 1
        let lp = model.logDensity(z)
        draws.append(z); lpApprox.append(logQ); lps.append(lp.isFinite ? lp : -.infinity)
    }
    return PathfinderPath(path: path, iterations: iterations, bestIteration: best.iteration, elbo: best.elbo,
                          evaluations: evaluations, stop: stop, draws: draws, lpApprox: lpApprox, lp: lps)
}
