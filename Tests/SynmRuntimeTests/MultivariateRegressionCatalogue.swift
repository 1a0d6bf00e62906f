// The hand-written log density of models/multivariate_regression.synm for the model
// catalogue: each row's two outcomes bivariate normal around B'x, in closed form (no matrix
// algebra), so it checks the model's cholesky_decompose, mdivide_left_tri_low, products and
// transpositions independently.
import Foundation
import SynmIO
@testable import SynmRuntime

extension Catalogue {
    /// Unconstrained coordinates: B (K × 2, row-major), log σ₁, log σ₂, and u with
    /// ρ = −1 + 2 logit⁻¹(u). Row n: e = Y[n] − B'X[n], uⱼ = eⱼ/σⱼ, Q = u₁² − 2ρu₁u₂ + u₂²,
    /// log p = −log 2π − log σ₁ − log σ₂ − ½ log(1 − ρ²) − Q / (2(1 − ρ²)).
    static func multivariateRegression(_ data: [String: DataValue]) -> HandWritten {
        let X = data["X"]!.values, Y = data["Y"]!.values
        let k = Int(data["K"]!.values[0]), n = Int(data["N"]!.values[0])
        return { x in
            var g = [Double](repeating: 0, count: 2 * k + 3)
            var lp = 0.0
            for i in 0..<(2 * k) {
                let t = normalTerm(x[i], 0, 5)
                lp += t.lp
                g[i] = t.dy
            }
            let s = [Foundation.exp(x[2 * k]), Foundation.exp(x[2 * k + 1])]
            var ds = [0.0, 0.0]
            for j in 0..<2 {
                lp += -s[j] + x[2 * k + j]  // exponential(1) and the log-Jacobian of σ = eᵘ
                ds[j] = -1
            }
            let p = logistic(x[2 * k + 2])
            let rho = -1 + 2 * p
            lp += Foundation.log(2.0) + Foundation.log(p) + Foundation.log1p(-p)  // log-Jacobian of ρ
            let c = 1 / (1 - rho * rho)
            var drho = 0.0
            for row in 0..<n {
                var e = [Y[row * 2], Y[row * 2 + 1]]
                for j in 0..<2 { for m in 0..<k { e[j] -= X[row * k + m] * x[m * 2 + j] } }
                let (u, v) = (e[0] / s[0], e[1] / s[1])
                let q = u * u - 2 * rho * u * v + v * v
                lp += -Foundation.log(2 * Double.pi) - Foundation.log(s[0]) - Foundation.log(s[1])
                    - 0.5 * Foundation.log(1 - rho * rho) - 0.5 * q * c
                let de = [-c * (u - rho * v) / s[0], -c * (v - rho * u) / s[1]]
                for j in 0..<2 { for m in 0..<k { g[m * 2 + j] -= X[row * k + m] * de[j] } }
                ds[0] += -1 / s[0] + c * (u - rho * v) * u / s[0]
                ds[1] += -1 / s[1] + c * (v - rho * u) * v / s[1]
                drho += rho * c + c * u * v - rho * c * c * q
            }
            g[2 * k] = ds[0] * s[0] + 1
            g[2 * k + 1] = ds[1] * s[1] + 1
            g[2 * k + 2] = drho * 2 * p * (1 - p) + (1 - 2 * p)
            return (lp, g)
        }
    }
}
