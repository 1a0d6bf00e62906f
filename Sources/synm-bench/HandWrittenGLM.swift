// Hand-written log densities and gradients of the logistic-regression and hierarchical-Poisson
// models (see HandWritten.swift for the conventions): one exp per row, the row's partial
// accumulated straight into the gradient, data-only constants computed at construction.
import Foundation
import SynmMath
import SynmRuntime

/// `logistic_regression`: alpha ~ normal(0, 2.5); beta ~ normal(0, 2.5);
/// y ~ bernoulli_logit(alpha + X * beta). Coordinates: [alpha, beta[1..D]].
struct LogisticRegression: LogDensityModel {
    let n: Int
    let d: Int
    /// N × D, row-major.
    let matrix: [Double]
    /// +1 where y = 1, −1 where y = 0.
    let sign: [Double]
    let logScale = Foundation.log(2.5)
    var dimension: Int { d + 1 }

    init(data: DataTable) throws {
        n = try data.size("N")
        d = try data.size("D")
        matrix = try data.required("X", count: n * d)
        let y = try data.required("y", count: n)
        guard y.allSatisfy({ $0 == 0 || $0 == 1 }) else { throw BenchError("logistic_regression: y must be 0 or 1") }
        sign = y.map { $0 == 1 ? 1 : -1 }
    }

    mutating func logDensityAndGradient(_ x: [Double], gradient: inout [Double]) -> Double {
        let alpha = x[0]
        let (n, d) = (self.n, self.d)
        var lp = 0.0, dAlpha = 0.0
        x.withUnsafeBufferPointer { xs in
            matrix.withUnsafeBufferPointer { xm in
                sign.withUnsafeBufferPointer { signs in
                    gradient.withUnsafeMutableBufferPointer { g in
                        for k in 1...d { g[k] = 0 }
                        for i in 0..<n {
                            let row = i * d
                            var eta = alpha
                            for k in 0..<d { eta += xm[row + k] * xs[1 + k] }
                            // log p(y_i) = −log(1 + eᵗ) with t = −eta for y = 1, t = eta for y = 0;
                            // ∂/∂eta = ±logit⁻¹(t). One exp: e = e^{−|t|}.
                            let s = signs[i]
                            let t = -s * eta
                            let e = Foundation.exp(-Swift.abs(t))
                            let invLogitT: Double
                            if t > 0 {
                                lp -= t + Foundation.log1p(e)
                                invLogitT = 1 / (1 + e)
                            } else {
                                lp -= Foundation.log1p(e)
                                invLogitT = e / (1 + e)
                            }
                            let dEta = s * invLogitT
                            dAlpha += dEta
                            for k in 0..<d { g[1 + k] += dEta * xm[row + k] }
                        }
                    }
                }
            }
        }
        let (priorAlpha, dPriorAlpha) = normalPrior(alpha, scale: 2.5, logScale: logScale)
        lp += priorAlpha
        for k in 0..<d {
            let (prior, dPrior) = normalPrior(x[1 + k], scale: 2.5, logScale: logScale)
            lp += prior
            gradient[1 + k] += dPrior
        }
        gradient[0] = dPriorAlpha + dAlpha
        return lp
    }
}

/// `hier_poisson`: mu ~ normal(0, 2); tau ~ normal(0, 1) (half-normal, tau > 0);
/// eta ~ normal(0, 1); y ~ poisson_log(mu + tau * eta[group]).
/// Coordinates: [mu, log tau, eta[1..J]].
struct HierarchicalPoisson: LogDensityModel {
    let groups: Int
    /// 0-based group of each row.
    let group: [Int32]
    let y: [Double]
    /// Σᵢ log yᵢ! (data only).
    let sumLogFactorial: Double
    let logTwo = Foundation.log(2.0)
    var dimension: Int { 2 + groups }

    init(data: DataTable) throws {
        let n = try data.size("N")
        groups = try data.size("J")
        y = try data.required("y", count: n)
        let oneBased = try data.required("group", count: n)
        let j = groups
        guard oneBased.allSatisfy({ $0 >= 1 && $0 <= Double(j) }) else {
            throw BenchError("hier_poisson: group must be in 1...J")
        }
        group = oneBased.map { Int32($0) - 1 }
        sumLogFactorial = y.reduce(0) { $0 + logGamma($1 + 1) }
    }

    mutating func logDensityAndGradient(_ x: [Double], gradient: inout [Double]) -> Double {
        let mu = x[0], u = x[1]
        let tau = Foundation.exp(u)
        let j = groups
        var lp = 0.0, dMu = 0.0, dTau = 0.0
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                group.withUnsafeBufferPointer { gs in
                    gradient.withUnsafeMutableBufferPointer { g in
                        for k in 0..<j { g[2 + k] = 0 }
                        for i in 0..<ys.count {
                            let k = Int(gs[i])
                            let eta = xs[2 + k]
                            let a = mu + tau * eta
                            let rate = Foundation.exp(a)
                            lp += ys[i] * a - rate
                            let dA = ys[i] - rate                // ∂/∂a of poisson_log(y_i | a)
                            dMu += dA
                            dTau += dA * eta
                            g[2 + k] += tau * dA
                        }
                        for k in 0..<j {
                            let eta = xs[2 + k]
                            lp += -0.5 * eta * eta
                            g[2 + k] -= eta
                        }
                    }
                }
            }
        }
        lp += -sumLogFactorial - Double(j) * halfLogTwoPi
        let (priorMu, dPriorMu) = normalPrior(mu, scale: 2, logScale: logTwo)
        let (priorTau, dPriorTau) = normalPrior(tau, scale: 1, logScale: 0)
        lp += priorMu + priorTau + u                     // u: log-Jacobian of tau = eᵘ
        gradient[0] = dPriorMu + dMu
        gradient[1] = tau * (dTau + dPriorTau) + 1
        return lp
    }
}
