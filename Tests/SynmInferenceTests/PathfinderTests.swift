// Pathfinder [Zhang, Carpenter, Gelman & Vehtari 2022] on targets with closed-form moments.

import Foundation
@testable import SynmInference
import SynmMath
import Testing

@Suite struct PathfinderTests {
    /// An AR(1) covariance ρ^|i−j| scaled by sᵢsⱼ (row-major).
    static func ar1(_ d: Int, rho: Double, scales: [Double]) -> [Double] {
        var c = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for j in 0..<d { c[i * d + j] = pow(rho, Double(abs(i - j))) * scales[i] * scales[j] } }
        return c
    }

    static func moments(_ draws: [[Double]]) -> (mean: [Double], cov: [Double]) {
        let d = draws[0].count, n = Double(draws.count)
        var m = [Double](repeating: 0, count: d)
        for x in draws { for i in 0..<d { m[i] += x[i] / n } }
        var c = [Double](repeating: 0, count: d * d)
        for x in draws { for i in 0..<d { for j in 0..<d { c[i * d + j] += (x[i] - m[i]) * (x[j] - m[j]) / (n - 1) } } }
        return (m, c)
    }

    /// A correlated 4-dimensional Gaussian (AR(1), ρ = 0.8, unequal scales): multi-path
    /// Pathfinder's PSIS-resampled draws have the target's mean and covariance within 4.5
    /// Monte Carlo standard errors. The resampled draws' effective number is taken as
    /// 1/(1/ESS_w + 1/draws): ESS_w of the Pareto-smoothed weights of the pooled draws (the
    /// same paths, computed without resampling), and the duplicates of resampling with
    /// replacement. Standard errors: √(Σᵢᵢ/n) for a mean, √((ΣᵢᵢΣⱼⱼ + Σᵢⱼ²)/n) for a covariance.
    @Test func correlatedGaussianMomentsRecovered() throws {
        let d = 4
        let mean = (0..<d).map { Double($0) - 1.5 }
        let scales = (0..<d).map { 1 + 0.5 * Double($0 % 3) }
        let cov = Self.ar1(d, rho: 0.8, scales: scales)
        let target = GaussianTarget(mean: mean, covariance: cov)
        var c = PathfinderConfiguration()
        c.psisResample = false
        let pooled = try pathfinder(target, configuration: c, seed: 11)
        let ratios = zip(pooled.lp, pooled.lpApprox).map { $0 - $1 }
        let essWeights = paretoSmooth(logRatios: ratios).effectiveSampleSize
        c.psisResample = true
        let r = try pathfinder(target, configuration: c, seed: 11)
        #expect(r.draws.count == c.draws)
        let n = 1 / (1 / essWeights + 1 / Double(c.draws))
        let (m, v) = Self.moments(r.draws)
        for i in 0..<d {
            let se = (cov[i * d + i] / n).squareRoot()
            #expect(abs(m[i] - mean[i]) <= 4.5 * se, "mean \(i): \(m[i]) vs \(mean[i]) (se \(se))")
            for j in 0...i {
                let sij = ((cov[i * d + i] * cov[j * d + j] + cov[i * d + j] * cov[i * d + j]) / n).squareRoot()
                #expect(abs(v[i * d + j] - cov[i * d + j]) <= 4.5 * sij, "cov \(i),\(j): \(v[i * d + j]) vs \(cov[i * d + j])")
            }
        }
    }

    /// Same seed, same draws, whatever the number of threads; another seed, other draws.
    @Test func deterministic() throws {
        let target = GaussianTarget(mean: [1, 2, 3], covariance: Self.ar1(3, rho: 0.5, scales: [1, 2, 3]))
        var c = PathfinderConfiguration()
        c.draws = 100
        c.threads = 1
        let a = try pathfinder(target, configuration: c, seed: 5)
        c.threads = 3
        let b = try pathfinder(target, configuration: c, seed: 5)
        let other = try pathfinder(target, configuration: c, seed: 6)
        #expect(a.draws == b.draws && a.lp == b.lp && a.lpApprox == b.lpApprox)
        #expect(a.draws != other.draws)
    }

    /// The errors: no parameters, bad settings, a density finite nowhere.
    @Test func errors() {
        var c = PathfinderConfiguration()
        #expect(throws: PathfinderError.self) { try pathfinder(GaussianTarget(mean: [], scales: []), configuration: c, seed: 1) }
        c.draws = 0
        #expect(throws: PathfinderError.invalidConfiguration("paths, draws, history size, ELBO draws and iterations must be positive")) {
            try pathfinder(GaussianTarget(mean: [0], scales: [1]), configuration: c, seed: 1)
        }
        c.draws = 10
        let error = #expect(throws: PathfinderError.self) { try pathfinder(NowhereFinite(), configuration: c, seed: 1) }
        guard case .initializationFailed(0, 100, let explanation)? = error else {
            Issue.record("expected an initialisation failure of path 1, got \(String(describing: error))")
            return
        }
        #expect(explanation?.hasPrefix("y ~ normal(mu, sigma): sigma must be > 0") == true)
    }
}

/// The factorised normal of Pathfinder against the BFGS inverse update written out.
@Suite struct PathfinderNormalTests {
    /// H₀ = diag(α), then H ← (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ for each pair (Nocedal & Wright eq. 6.17).
    static func bfgs(alpha: [Double], s: [[Double]], y: [[Double]]) -> Matrix {
        let n = alpha.count
        var h = Matrix(rows: n, cols: n)
        for i in 0..<n { h[i, i] = alpha[i] }
        for (sk, yk) in zip(s, y) {
            let rho = 1 / zip(sk, yk).reduce(0) { $0 + $1.0 * $1.1 }
            var v = Matrix.identity(n)
            for i in 0..<n { for j in 0..<n { v[i, j] -= rho * yk[i] * sk[j] } }
            var ss = Matrix(rows: n, cols: n)
            for i in 0..<n { for j in 0..<n { ss[i, j] = rho * sk[i] * sk[j] } }
            h = v.transposed * h * v
            for i in 0..<n { for j in 0..<n { h[i, j] += ss[i, j] } }
        }
        return h
    }

    @Test(arguments: [2, 3, 5])
    func compactFormMatchesRecursion(pairs m: Int) throws {
        let n = 6
        var rng = Xoshiro256StarStar(seed: 7)
        // A SPD Hessian A = BᵀB + I, pairs y = A s.
        var b = Matrix(rows: n, cols: n)
        for i in 0..<n { for j in 0..<n { b[i, j] = rng.standardNormal() } }
        var a = b.transposed * b
        for i in 0..<n { a[i, i] += 1 }
        let s = (0..<m).map { _ in (0..<n).map { _ in rng.standardNormal() } }
        let y = s.map { a * $0 }
        let alpha = (0..<n).map { _ in 0.5 + rng.uniform01() }
        let x = (0..<n).map { _ in rng.standardNormal() }, g = (0..<n).map { _ in rng.standardNormal() }
        let normal = try #require(pathfinderNormal(s: s, y: y, alpha: alpha, x: x, g: g))
        let expected = Self.bfgs(alpha: alpha, s: s, y: y)
        let h = normal.covariance()
        #expect(normal.q == nil ? 2 * m >= n : 2 * m < n)
        for i in 0..<n {
            for j in 0..<n { #expect(abs(h[i, j] - expected[i, j]) <= 1e-9 * max(1, abs(expected[i, j]))) }
            #expect(abs(normal.mean[i] - (x[i] - (expected * g)[i])) <= 1e-9 * max(1, abs(normal.mean[i])))
        }
        let logDet = try #require(expected.logDeterminantSPD())
        #expect(abs(normal.logDeterminant - logDet) <= 1e-9 * max(1, abs(logDet)))
    }
}
