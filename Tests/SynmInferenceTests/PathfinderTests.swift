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

    @Test func explore() throws {
        for d in [4, 20] {
            let mean = (0..<d).map { Double($0) - 1.5 }
            let scales = (0..<d).map { 1 + 0.5 * Double($0 % 3) }
            let cov = Self.ar1(d, rho: 0.8, scales: scales)
            let target = GaussianTarget(mean: mean, covariance: cov)
            for paths in [1, 4] {
                var c = PathfinderConfiguration()
                c.paths = paths
                let r = try pathfinder(target, configuration: c, seed: 1)
                let (m, v) = Self.moments(r.draws)
                let errMean = (0..<d).map { abs(m[$0] - mean[$0]) / cov[$0 * d + $0].squareRoot() }.max()!
                let errVar = (0..<d).map { v[$0 * d + $0] / cov[$0 * d + $0] }
                print("d=\(d) paths=\(paths) k=\(r.paretoK ?? .nan) meanErr(sd)=\(errMean) varRatio min=\(errVar.min()!) max=\(errVar.max()!) iters=\(r.paths.map(\.iterations)) best=\(r.paths.map(\.bestIteration)) evals=\(r.paths.map(\.evaluations))")
            }
        }
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
