// Hand-written log densities and gradients of the normal, eight-schools and linear-regression
// models: the speed reference of DESIGN §6. Each is exactly synm's density on the unconstrained
// scale (every normalising constant, the log-Jacobian of each `<lower=0>` parameter, whose
// unconstrained coordinate is u = log x), written as tight loops over the data with no
// allocation per call. Terms that depend on data only (log σⱼ, log y!) are computed once at
// construction, as anyone writing a gradient by hand would.
import Foundation
import SynmMath
import SynmRuntime

/// ½ log 2π, the normal density's constant.
let halfLogTwoPi = 0.918_938_533_204_672_741_78
/// log π, the Cauchy density's constant.
let logPi = 1.144_729_885_849_400_174_14

/// log normal(x | 0, s) and its derivative in x, for a prior with constant `logS` = log s.
@inline(__always) func normalPrior(_ x: Double, scale s: Double, logScale logS: Double) -> (Double, Double) {
    let z = x / s
    return (-0.5 * z * z - logS - halfLogTwoPi, -z / s)
}

/// `normal`: mu ~ normal(0, 10); sigma ~ exponential(1); y ~ normal(mu, sigma).
/// Coordinates: [mu, log sigma].
struct NormalMeanSD: LogDensityModel {
    let y: [Double]
    let logTen = Foundation.log(10.0)
    var dimension: Int { 2 }

    init(data: DataTable) throws {
        y = try data.required("y", count: data.size("N"))
    }

    mutating func logDensityAndGradient(_ x: [Double], gradient: inout [Double]) -> Double {
        let mu = x[0], u = x[1]
        let sigma = Foundation.exp(u)
        let invSigma = 1 / sigma
        // Σ z and Σ z² over the rows, z = (y − mu) / sigma.
        var sumZ = 0.0, sumZ2 = 0.0
        y.withUnsafeBufferPointer { rows in
            for v in rows {
                let z = (v - mu) * invSigma
                sumZ += z
                sumZ2 += z * z
            }
        }
        let n = Double(y.count)
        let (priorMu, dPriorMu) = normalPrior(mu, scale: 10, logScale: logTen)
        let lp = priorMu
            + (-sigma)                                    // exponential(sigma | 1) = log 1 − sigma
            + u                                           // log-Jacobian of sigma = eᵘ
            + (-0.5 * sumZ2 - n * Foundation.log(sigma) - n * halfLogTwoPi)
        gradient[0] = dPriorMu + sumZ * invSigma
        // d/dsigma of the likelihood is (Σz² − n)/sigma; times dsigma/du = sigma.
        gradient[1] = -sigma + 1 + (sumZ2 - n)
        return lp
    }
}

/// `eight_schools` (non-centred): mu ~ normal(0, 5); tau ~ cauchy(0, 5); eta ~ normal(0, 1);
/// y ~ normal(mu + tau * eta, sigma). Coordinates: [mu, log tau, eta[1..J]].
struct EightSchools: LogDensityModel {
    let y: [Double]
    let sigma: [Double]
    /// Σⱼ log σⱼ (data only).
    let sumLogSigma: Double
    let logFive = Foundation.log(5.0)
    var dimension: Int { 2 + y.count }

    init(data: DataTable) throws {
        let j = try data.size("J")
        y = try data.required("y", count: j)
        sigma = try data.required("sigma", count: j)
        sumLogSigma = sigma.reduce(0) { $0 + Foundation.log($1) }
    }

    mutating func logDensityAndGradient(_ x: [Double], gradient: inout [Double]) -> Double {
        let mu = x[0], u = x[1]
        let tau = Foundation.exp(u)
        let j = y.count
        var lp = 0.0
        var dMu = 0.0, dTau = 0.0
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                sigma.withUnsafeBufferPointer { ss in
                    gradient.withUnsafeMutableBufferPointer { g in
                        for k in 0..<j {
                            let eta = xs[2 + k]
                            let invS = 1 / ss[k]
                            let r = (ys[k] - (mu + tau * eta)) * invS
                            let dTheta = r * invS            // ∂/∂theta_k of normal(y_k | theta_k, sigma_k)
                            lp += -0.5 * eta * eta - 0.5 * r * r
                            dMu += dTheta
                            dTau += dTheta * eta
                            g[2 + k] = -eta + tau * dTheta
                        }
                    }
                }
            }
        }
        let n = Double(j)
        lp += -2 * n * halfLogTwoPi - sumLogSigma                // the J + J normal constants
        let (priorMu, dPriorMu) = normalPrior(mu, scale: 5, logScale: logFive)
        let zTau = tau / 5
        lp += priorMu
            + (-logPi - logFive - Foundation.log1p(zTau * zTau))  // cauchy(tau | 0, 5)
            + u                                                   // log-Jacobian of tau = eᵘ
        dTau += -2 * zTau / (1 + zTau * zTau) / 5
        gradient[0] = dPriorMu + dMu
        gradient[1] = tau * dTau + 1
        return lp
    }
}

/// `linear_regression`: alpha ~ normal(0, 5); beta ~ normal(0, 5); sigma ~ exponential(1);
/// y ~ normal(alpha + X * beta, sigma). Coordinates: [alpha, beta[1..D], log sigma].
struct LinearRegression: LogDensityModel {
    let n: Int
    let d: Int
    /// N × D, row-major.
    let matrix: [Double]
    let y: [Double]
    let logFive = Foundation.log(5.0)
    var dimension: Int { d + 2 }

    init(data: DataTable) throws {
        n = try data.size("N")
        d = try data.size("D")
        matrix = try data.required("X", count: n * d)
        y = try data.required("y", count: n)
    }

    mutating func logDensityAndGradient(_ x: [Double], gradient: inout [Double]) -> Double {
        let alpha = x[0], u = x[d + 1]
        let sigma = Foundation.exp(u)
        let invSigma = 1 / sigma
        let (n, d) = (self.n, self.d)
        var sumZ2 = 0.0, dAlpha = 0.0
        x.withUnsafeBufferPointer { xs in
            matrix.withUnsafeBufferPointer { xm in
                y.withUnsafeBufferPointer { ys in
                    gradient.withUnsafeMutableBufferPointer { g in
                        for k in 1...d { g[k] = 0 }
                        for i in 0..<n {
                            let row = i * d
                            var mean = alpha
                            for k in 0..<d { mean += xm[row + k] * xs[1 + k] }
                            let z = (ys[i] - mean) * invSigma
                            sumZ2 += z * z
                            let dMean = z * invSigma         // ∂/∂mean_i of normal(y_i | mean_i, sigma)
                            dAlpha += dMean
                            for k in 0..<d { g[1 + k] += dMean * xm[row + k] }
                        }
                    }
                }
            }
        }
        let rows = Double(n)
        var lp = -0.5 * sumZ2 - rows * Foundation.log(sigma) - rows * halfLogTwoPi
        let (priorAlpha, dPriorAlpha) = normalPrior(alpha, scale: 5, logScale: logFive)
        lp += priorAlpha
        for k in 0..<d {
            let (prior, dPrior) = normalPrior(x[1 + k], scale: 5, logScale: logFive)
            lp += prior
            gradient[1 + k] += dPrior
        }
        lp += -sigma + u                                  // exponential(sigma | 1), log-Jacobian
        gradient[0] = dPriorAlpha + dAlpha
        gradient[d + 1] = -sigma + 1 + (sumZ2 - rows)
        return lp
    }
}
