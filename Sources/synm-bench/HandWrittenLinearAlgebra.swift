// The linear-algebra benchmark: models/multivariate_regression.synm (two correlated outcomes
// per row, written with matrix products, cholesky_decompose and mdivide_left_tri_low) against
// its hand-written twin, the bivariate normal in closed form. It shows what the generic
// linear-algebra nodes cost against a loop that knows the 2 × 2 structure.
import Foundation
import SynmMath
import SynmRuntime

extension BenchModel {
    /// Timed at the truth make_example_data.py simulated from: B = [[1, −0.5], [0.8, 0.3],
    /// [−0.4, 1.2]], σ = (0.7, 1.1), ρ = 0.6 (given as its unconstrained value, ρ = −1 + 2
    /// logit⁻¹(u): u = log(1.6 / 0.4)). No Stan or NumPyro figure was measured for it.
    static let linearAlgebraBenchmarks: [BenchModel] = [
        BenchModel(
            name: "multivariate_regression", peerName: "multivariate_regression", hasDataFile: true,
            layout: [.init(name: "B", count: 6, positive: false), .init(name: "sigma", count: 2, positive: true),
                     .init(name: "rho", count: 1, positive: false)],
            posteriorMeans: [1.0, -0.5, 0.8, 0.3, -0.4, 1.2, 0.7, 1.1, Foundation.log(1.6 / 0.4)],
            stanMicroseconds: .nan, numpyroMicroseconds: .nan,
            handWritten: { try MultivariateRegression(data: $0) }),
    ]
}

/// `multivariate_regression`: vec(B) ~ normal(0, 5); σ ~ exponential(1); ρ uniform on
/// (−1, 1); each row bivariate normal(B'xₙ, diag(σ) [[1, ρ], [ρ, 1]] diag(σ)).
/// Coordinates: [B (K × 2, row-major), log σ₁, log σ₂, u] with ρ = −1 + 2 logit⁻¹(u).
struct MultivariateRegression: LogDensityModel {
    let n: Int
    let k: Int
    /// N × K and N × 2, row-major.
    let x: [Double]
    let y: [Double]
    let logFive = Foundation.log(5.0)
    var dimension: Int { 2 * k + 3 }

    init(data: DataTable) throws {
        n = try data.size("N")
        k = try data.size("K")
        x = try data.required("X", count: n * k)
        y = try data.required("Y", count: n * 2)
    }

    mutating func logDensityAndGradient(_ theta: [Double], gradient: inout [Double]) -> Double {
        let (n, k) = (self.n, self.k)
        var lp = 0.0
        for i in 0..<(2 * k) {
            let (prior, dPrior) = normalPrior(theta[i], scale: 5, logScale: logFive)
            lp += prior
            gradient[i] = dPrior
        }
        let s1 = Foundation.exp(theta[2 * k]), s2 = Foundation.exp(theta[2 * k + 1])
        let uRho = theta[2 * k + 2]
        let p = uRho >= 0 ? 1 / (1 + Foundation.exp(-uRho)) : Foundation.exp(uRho) / (1 + Foundation.exp(uRho))
        let rho = -1 + 2 * p
        let c = 1 / (1 - rho * rho)
        var ds1 = 0.0, ds2 = 0.0, dRho = 0.0, sumQ = 0.0
        for row in 0..<n {
            var e1 = y[2 * row], e2 = y[2 * row + 1]
            for m in 0..<k {
                e1 -= x[row * k + m] * theta[2 * m]
                e2 -= x[row * k + m] * theta[2 * m + 1]
            }
            let u = e1 / s1, v = e2 / s2
            let q = u * u - 2 * rho * u * v + v * v
            sumQ += q
            let a = c * (u - rho * v), b = c * (v - rho * u)
            for m in 0..<k {
                gradient[2 * m] += x[row * k + m] * a / s1
                gradient[2 * m + 1] += x[row * k + m] * b / s2
            }
            ds1 += a * u
            ds2 += b * v
            dRho += c * u * v - rho * c * c * q
        }
        let rows = Double(n)
        lp += -rows * (2 * halfLogTwoPi + Foundation.log(s1) + Foundation.log(s2) + 0.5 * Foundation.log(1 - rho * rho))
            - 0.5 * c * sumQ
        lp += -s1 - s2 + theta[2 * k] + theta[2 * k + 1]                  // exponential(1), log-Jacobians of σ
        lp += Foundation.log(2.0) + Foundation.log(p) + Foundation.log1p(-p)  // log-Jacobian of ρ
        gradient[2 * k] = ds1 - rows - s1 + 1                               // s·∂/∂s = u·(…) − 1 per row
        gradient[2 * k + 1] = ds2 - rows - s2 + 1
        gradient[2 * k + 2] = (rows * rho * c + dRho) * 2 * p * (1 - p) + (1 - 2 * p)
        return lp
    }
}
