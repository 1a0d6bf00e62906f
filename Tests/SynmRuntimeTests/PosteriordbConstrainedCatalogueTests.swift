// The posteriordb translations that use Stan's constrained types or matrix algebra
// (models/posteriordb/: low_dim_gauss_mix, hmm_example, gp_regr, gp_pois_regr,
// dogs_nonhierarchical) against hand-written log densities in Double arithmetic: each
// writes out the constraint transforms of the Stan Reference Manual ("Constraint transforms":
// lower bound exp, ordered and positive_ordered by cumulative exp, the simplex by
// stick-breaking, cholesky_factor_corr by tanh) with their log-Jacobians, the Cholesky
// factorisation of the GP covariances, and each density's terms with their constants. Values
// only, as ConstrainedTypeCatalogueTests does: the gradients are checked against finite
// differences by PosteriordbCatalogueTests.finiteDifferences.
import Foundation
import Testing

enum PosteriordbConstrained {
    static let halfLog2Pi = 0.5 * Foundation.log(2 * Double.pi)

    static func normal(_ y: Double, _ mu: Double, _ sigma: Double) -> Double {
        let z = (y - mu) / sigma
        return -0.5 * z * z - Foundation.log(sigma) - halfLog2Pi
    }

    static func logSumExp(_ v: [Double]) -> Double {
        let m = v.max()!
        return m + Foundation.log(v.reduce(0) { $0 + Foundation.exp($1 - m) })
    }

    static func logistic(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }

    /// gamma(y | a, b), rate b.
    static func gammaLpdf(_ y: Double, _ a: Double, _ b: Double) -> Double {
        a * Foundation.log(b) - Foundation.lgamma(a) + (a - 1) * Foundation.log(y) - b * y
    }

    /// The lower Cholesky factor of a symmetric positive-definite n × n matrix (row-major).
    static func cholesky(_ a: [Double], _ n: Int) -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = i == j ? s.squareRoot() : s / l[j * n + j]
            }
        }
        return l
    }

    /// alpha² exp(−(x_i − x_j)² / (2 rho²)), Stan's gp_exp_quad_cov, plus `diagonal` on the diagonal.
    static func expQuadCov(_ x: [Double], _ alpha: Double, _ rho: Double, diagonal: Double) -> [Double] {
        let n = x.count
        var k = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                let d = x[i] - x[j]
                k[i * n + j] = alpha * alpha * Foundation.exp(-d * d / (2 * rho * rho)) + (i == j ? diagonal : 0)
            }
        }
        return k
    }

    /// The hand-written value at unconstrained x, for the models of this file.
    static func value(_ name: String) throws -> (([Double]) -> Double)? {
        switch name {
        case "low_dim_gauss_mix": return lowDimGaussMix(try PosteriordbCatalogue.data(name))
        case "hmm_example": return hmmExample(try PosteriordbCatalogue.data(name))
        case "gp_regr": return gpRegr(try PosteriordbCatalogue.data(name))
        case "gp_pois_regr": return gpPoisRegr(try PosteriordbCatalogue.data(name))
        case "dogs_nonhierarchical": return dogs(try PosteriordbCatalogue.data(name))
        default: return nil
        }
    }

    /// x = [mu (ordered: mu1, log(mu2 − mu1)), log sigma1, log sigma2, logit theta].
    static func lowDimGaussMix(_ d: [String: [Double]]) -> ([Double]) -> Double {
        let y = d["y"]!
        return { x in
            let mu = [x[0], x[0] + Foundation.exp(x[1])]
            let sigma = [Foundation.exp(x[2]), Foundation.exp(x[3])]
            let theta = logistic(x[4])
            var lp = x[1] + x[2] + x[3] + Foundation.log(theta) + Foundation.log1p(-theta)
            for k in 0..<2 { lp += normal(sigma[k], 0, 2) + normal(mu[k], 0, 2) }
            lp += 4 * Foundation.log(theta) + 4 * Foundation.log1p(-theta)
                - (2 * Foundation.lgamma(5) - Foundation.lgamma(10))  // beta(5, 5)
            for v in y {
                lp += logSumExp([Foundation.log(theta) + normal(v, mu[0], sigma[0]),
                                 Foundation.log1p(-theta) + normal(v, mu[1], sigma[1])])
            }
            return lp
        }
    }

    /// x = [theta1 (one stick-breaking coordinate), theta2 (one), mu (positive_ordered: log mu1,
    /// log(mu2 − mu1))]. For K = 2 the stick-breaking transform is θ = (z, 1 − z), z = logit⁻¹(y).
    static func hmmExample(_ d: [String: [Double]]) -> ([Double]) -> Double {
        let y = d["y"]!
        return { x in
            let z1 = logistic(x[0]), z2 = logistic(x[1])
            let theta = [[z1, 1 - z1], [z2, 1 - z2]]
            let mu = [Foundation.exp(x[2]), Foundation.exp(x[2]) + Foundation.exp(x[3])]
            var lp = Foundation.log(z1) + Foundation.log1p(-z1) + Foundation.log(z2) + Foundation.log1p(-z2) + x[2] + x[3]
            lp += normal(mu[0], 3, 1) + normal(mu[1], 10, 1)
            var gamma = (0..<2).map { k in normal(y[0], mu[k], 1) }
            for t in 1..<y.count {
                gamma = (0..<2).map { k in
                    logSumExp((0..<2).map { j in gamma[j] + Foundation.log(theta[j][k]) + normal(y[t], mu[k], 1) })
                }
            }
            return lp + logSumExp(gamma)
        }
    }

    /// x = [log rho, log alpha, log sigma]; y ~ multi_normal(0, K + sigma I) through its Cholesky factor.
    static func gpRegr(_ d: [String: [Double]]) -> ([Double]) -> Double {
        let xs = d["x"]!, y = d["y"]!, n = xs.count
        return { x in
            let rho = Foundation.exp(x[0]), alpha = Foundation.exp(x[1]), sigma = Foundation.exp(x[2])
            var lp = x[0] + x[1] + x[2]
            lp += gammaLpdf(rho, 25, 4) + normal(alpha, 0, 2) + normal(sigma, 0, 1)
            let l = cholesky(expQuadCov(xs, alpha, rho, diagonal: sigma), n)
            // Solve L w = y; log N(y | 0, L Lᵀ) = −½ wᵀw − Σ log L_ii − (n/2) log 2π.
            var w = [Double](repeating: 0, count: n)
            for i in 0..<n {
                var s = y[i]
                for k in 0..<i { s -= l[i * n + k] * w[k] }
                w[i] = s / l[i * n + i]
                lp += -0.5 * w[i] * w[i] - Foundation.log(l[i * n + i]) - halfLog2Pi
            }
            return lp
        }
    }

    /// x = [log rho, log alpha, f_tilde…]; f = L f_tilde, k ~ poisson_log(f).
    static func gpPoisRegr(_ d: [String: [Double]]) -> ([Double]) -> Double {
        let xs = d["x"]!, counts = d["k"]!, n = xs.count
        return { x in
            let rho = Foundation.exp(x[0]), alpha = Foundation.exp(x[1])
            let fTilde = Array(x[2..<(2 + n)])
            var lp = x[0] + x[1] + gammaLpdf(rho, 25, 4) + normal(alpha, 0, 2)
            for v in fTilde { lp += normal(v, 0, 1) }
            let l = cholesky(expQuadCov(xs, alpha, rho, diagonal: 1e-10), n)
            for i in 0..<n {
                var f = 0.0
                for k in 0...i { f += l[i * n + k] * fTilde[k] }
                lp += counts[i] * f - Foundation.exp(f) - Foundation.lgamma(counts[i] + 1)
            }
            return lp
        }
    }

    /// x = [mu (2), log sigma (2), atanh r (L = [[1, 0], [r, √(1 − r²)]]), z (J × 2, row-major)].
    static func dogs(_ d: [String: [Double]]) -> ([Double]) -> Double {
        let dogs = Int(d["n_dogs"]![0]), trials = Int(d["n_trials"]![0]), y = d["y"]!
        return { x in
            let mu = [x[0], x[1]], sigma = [Foundation.exp(x[2]), Foundation.exp(x[3])]
            let r = Foundation.tanh(x[4]), l22 = (1 - r * r).squareRoot()
            var lp = x[2] + x[3] + Foundation.log1p(-r * r)  // log-Jacobians: exp, tanh
            for m in mu { lp += -m - 2 * Foundation.log1p(Foundation.exp(-m)) }  // logistic(0, 1)
            for s in sigma { lp += normal(s, 0, 1) }
            // lkj_corr_cholesky(2) for K = 2: r has density (1 − r²)^(η − 1) / (2^(2η − 1) B(η, η)).
            let eta = 2.0
            lp += (eta - 1) * Foundation.log1p(-r * r) - (2 * eta - 1) * Foundation.log(2)
                - (2 * Foundation.lgamma(eta) - Foundation.lgamma(2 * eta))
            for j in 0..<dogs {
                let z1 = x[5 + 2 * j], z2 = x[6 + 2 * j]
                lp += normal(z1, 0, 1) + normal(z2, 0, 1)
                let a = logistic(mu[0] + z1 * sigma[0] + z2 * sigma[1] * r)
                let b = logistic(mu[1] + z2 * sigma[1] * l22)
                var shocks = 0.0, avoids = 0.0
                for t in 0..<trials {
                    let p = Foundation.pow(a, shocks) * Foundation.pow(b, avoids)
                    let v = y[j * trials + t]
                    lp += v == 1 ? Foundation.log(p) : Foundation.log1p(-p)
                    shocks += v
                    avoids += 1 - v
                }
            }
            return lp
        }
    }

    /// The compiled model's value against the hand-written one at seeded points.
    static func compare(_ name: String, _ hand: ([Double]) -> Double) throws {
        var model = try compileCatalogueModel("posteriordb/\(name)")
        for x in randomPoints(dimension: model.dimension, count: 5, seed: 0xC0DE + UInt64(name.count), scale: 1.0) {
            let v = try model.evaluate(x).value
            let h = hand(x)
            #expect(h.isFinite, "\(name): the hand-written value is not finite at \(x)")
            #expect(relativeError(v, h) <= 1e-10, "\(name) value at \(x): synm \(v), hand-written \(h)")
        }
    }
}
