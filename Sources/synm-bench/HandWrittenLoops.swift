// Hand-written log densities and gradients of the loop benchmarks (ar5, arma11, garch11,
// local_level): the recursions written out with forward sensitivities (∂ of each state in each
// parameter carried along the loop), one pass over the data, no allocation per call. Exactly
// synm's density on the unconstrained scale: every normalising constant, and the log-Jacobian
// of each bound (lower 0: x = eᵘ; lower 0 and upper b: x = b·logit⁻¹(u), log-Jacobian
// log b + log p + log(1 − p)).
import Foundation
import SynmMath
import SynmRuntime

/// log Cauchy(x | 0, s) and its derivative in x.
@inline(__always) func cauchyPrior(_ x: Double, scale s: Double) -> (Double, Double) {
    let z = x / s
    return (-logPi - Foundation.log(s) - Foundation.log1p(z * z), -2 * z / (s * (1 + z * z)))
}

/// logit⁻¹(u) and log logit⁻¹(u), log(1 − logit⁻¹(u)), stable for large |u|.
@inline(__always) func logistic(_ u: Double) -> (p: Double, logP: Double, log1mP: Double) {
    let p = u >= 0 ? 1 / (1 + Foundation.exp(-u)) : Foundation.exp(u) / (1 + Foundation.exp(u))
    let logP = u >= 0 ? -Foundation.log1p(Foundation.exp(-u)) : u - Foundation.log1p(Foundation.exp(u))
    return (p, logP, logP - u)
}

/// `arma11`: ARMA(1, 1) with err[0] = 0. Coordinates: [mu, phi, theta, log sigma].
/// ∂err_t/∂θ = −err_{t−1} − θ·∂err_{t−1}/∂θ, and likewise for μ and φ.
struct ARMA11: LogDensityModel {
    let y: [Double]
    var dimension: Int { 4 }

    init(data: DataTable) throws {
        y = try data.required("y", count: data.size("T"))
    }

    mutating func logDensityAndGradient(_ x: [Double], gradient: inout [Double]) -> Double {
        let mu = x[0], phi = x[1], theta = x[2], u = x[3], sigma = Foundation.exp(u)
        let (pMu, gMu) = normalPrior(mu, scale: 10, logScale: Foundation.log(10.0))
        let (pPhi, gPhi) = normalPrior(phi, scale: 2, logScale: Foundation.log(2.0))
        let (pTheta, gTheta) = normalPrior(theta, scale: 2, logScale: Foundation.log(2.0))
        let (pSigma, gSigma) = cauchyPrior(sigma, scale: 2.5)
        let invSigma = 1 / sigma
        var sumZ2 = 0.0, dMu = 0.0, dPhi = 0.0, dTheta = 0.0
        var err = 0.0, eMu = 0.0, ePhi = 0.0, eTheta = 0.0
        y.withUnsafeBufferPointer { y in
            for t in 0..<y.count {
                if t == 0 {
                    err = y[0] - (mu + phi * mu)
                    eMu = -1 - phi
                    ePhi = -mu
                    eTheta = 0
                } else {
                    let previous = err
                    err = y[t] - (mu + phi * y[t - 1] + theta * previous)
                    eMu = -1 - theta * eMu
                    ePhi = -y[t - 1] - theta * ePhi
                    eTheta = -previous - theta * eTheta
                }
                let z = err * invSigma
                sumZ2 += z * z
                let dErr = -z * invSigma   // ∂ log normal(err | 0, σ) / ∂err
                dMu += dErr * eMu
                dPhi += dErr * ePhi
                dTheta += dErr * eTheta
            }
        }
        let n = Double(y.count)
        gradient[0] = gMu + dMu
        gradient[1] = gPhi + dPhi
        gradient[2] = gTheta + dTheta
        gradient[3] = (gSigma + (sumZ2 - n) * invSigma) * sigma + 1
        return pMu + pPhi + pTheta + pSigma + u - 0.5 * sumZ2 - n * u - n * halfLogTwoPi
    }
}

/// `ar5`: AR(K), y[t] ~ normal(alpha + Σ_k beta[k]·y[t−k], sigma) for t > K.
/// Coordinates: [alpha, beta[1..K], log sigma].
struct ARK: LogDensityModel {
    let y: [Double]
    let k: Int
    var dimension: Int { k + 2 }

    init(data: DataTable) throws {
        k = try data.size("K")
        y = try data.required("y", count: data.size("T"))
    }

    mutating func logDensityAndGradient(_ x: [Double], gradient: inout [Double]) -> Double {
        let alpha = x[0], u = x[k + 1], sigma = Foundation.exp(u)
        let logTen = Foundation.log(10.0)
        var lp = 0.0
        let (pAlpha, gAlpha) = normalPrior(alpha, scale: 10, logScale: logTen)
        lp += pAlpha
        for j in 0..<k {
            let (p, g) = normalPrior(x[1 + j], scale: 10, logScale: logTen)
            lp += p
            gradient[1 + j] = g
        }
        let (pSigma, gSigma) = cauchyPrior(sigma, scale: 2.5)
        let invSigma = 1 / sigma
        var sumZ2 = 0.0, sumR = 0.0
        let n = Swift.max(0, y.count - k)
        y.withUnsafeBufferPointer { y in
            x.withUnsafeBufferPointer { x in
                gradient.withUnsafeMutableBufferPointer { g in
                    for t in k..<y.count {
                        var mu = alpha
                        for j in 0..<k { mu += x[1 + j] * y[t - 1 - j] }
                        let r = (y[t] - mu) * invSigma * invSigma   // ∂/∂mu
                        sumZ2 += (y[t] - mu) * (y[t] - mu)
                        sumR += r
                        for j in 0..<k { g[1 + j] += r * y[t - 1 - j] }
                    }
                }
            }
        }
        sumZ2 *= invSigma * invSigma
        gradient[0] = gAlpha + sumR
        gradient[k + 1] = (gSigma + (sumZ2 - Double(n)) * invSigma) * sigma + 1
        return lp + pSigma + u - 0.5 * sumZ2 - Double(n) * (u + halfLogTwoPi)
    }
}

/// `garch11`: σ₁ = sigma1, σ_t² = α₀ + α₁(y_{t−1} − μ)² + β₁σ_{t−1}², y ~ normal(μ, σ).
/// Coordinates: [mu, log alpha0, logit alpha1, logit(beta1 / (1 − alpha1))]. The sensitivities
/// of s_t = σ_t² in (μ, α₀, α₁, β₁) are carried along the recursion.
struct GARCH11: LogDensityModel {
    let y: [Double]
    let sigma1: Double
    var dimension: Int { 4 }

    init(data: DataTable) throws {
        y = try data.required("y", count: data.size("T"))
        sigma1 = try data.required("sigma1", count: 1)[0]
    }

    mutating func logDensityAndGradient(_ x: [Double], gradient: inout [Double]) -> Double {
        let mu = x[0], u0 = x[1], alpha0 = Foundation.exp(u0)
        let l1 = logistic(x[2]), alpha1 = l1.p
        let l2 = logistic(x[3]), width = 1 - alpha1, beta1 = width * l2.p
        let logTen = Foundation.log(10.0)
        let (pMu, gMu) = normalPrior(mu, scale: 10, logScale: logTen)
        let (pA0, gA0) = normalPrior(alpha0, scale: 10, logScale: logTen)
        // log-Jacobians: u0; log p₁ + log(1 − p₁); log(1 − α₁) + log p₂ + log(1 − p₂).
        var lp = pMu + pA0 + u0 + l1.logP + l1.log1mP + Foundation.log(width) + l2.logP + l2.log1mP
        var dMu = gMu, dA0 = gA0, dA1 = 0.0, dB1 = 0.0
        var s = sigma1 * sigma1
        var sMu = 0.0, sA0 = 0.0, sA1 = 0.0, sB1 = 0.0
        var sumLogS = 0.0, sumQ = 0.0
        y.withUnsafeBufferPointer { y in
            for t in 0..<y.count {
                if t > 0 {
                    let r = y[t - 1] - mu
                    sMu = -2 * alpha1 * r + beta1 * sMu
                    sA0 = 1 + beta1 * sA0
                    sA1 = r * r + beta1 * sA1
                    sB1 = s + beta1 * sB1
                    s = alpha0 + alpha1 * r * r + beta1 * s
                }
                let r = y[t] - mu, invS = 1 / s
                // log normal(y | μ, √s) = −½ log 2π − ½ log s − ½ r²/s.
                sumLogS += Foundation.log(s)
                sumQ += r * r * invS
                let dS = -0.5 * invS + 0.5 * r * r * invS * invS
                dMu += r * invS + dS * sMu
                dA0 += dS * sA0
                dA1 += dS * sA1
                dB1 += dS * sB1
            }
        }
        lp += -Double(y.count) * halfLogTwoPi - 0.5 * sumLogS - 0.5 * sumQ
        gradient[0] = dMu
        gradient[1] = dA0 * alpha0 + 1
        // α₁ moves β₁ = (1 − α₁)p₂ too (∂β₁/∂α₁ = −p₂), and the Jacobian's log(1 − α₁).
        let dAlpha1 = dA1 - dB1 * l2.p - 1 / width
        gradient[2] = dAlpha1 * alpha1 * (1 - alpha1) + (1 - 2 * alpha1)
        gradient[3] = dB1 * width * l2.p * (1 - l2.p) + (1 - 2 * l2.p)
        return lp
    }
}

/// `local_level`: x[1] ~ normal(0, 10), x[t] ~ normal(x[t−1], sigma_level), y ~ normal(x,
/// sigma_obs), sigma_level ~ normal(0, 1), sigma_obs ~ normal(0, 2).
/// Coordinates: [x[1..T], log sigma_level, log sigma_obs].
struct LocalLevel: LogDensityModel {
    let y: [Double]
    var dimension: Int { y.count + 2 }

    init(data: DataTable) throws {
        y = try data.required("y", count: data.size("T"))
    }

    mutating func logDensityAndGradient(_ x: [Double], gradient: inout [Double]) -> Double {
        let n = y.count
        let uL = x[n], uO = x[n + 1], sL = Foundation.exp(uL), sO = Foundation.exp(uO)
        let (pL, gL) = normalPrior(sL, scale: 1, logScale: 0)
        let (pO, gO) = normalPrior(sO, scale: 2, logScale: Foundation.log(2.0))
        let (p1, g1) = normalPrior(x[0], scale: 10, logScale: Foundation.log(10.0))
        let invL2 = 1 / (sL * sL), invO2 = 1 / (sO * sO)
        var sumStep2 = 0.0, sumObs2 = 0.0
        x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                gradient.withUnsafeMutableBufferPointer { g in
                    for t in 0..<n {
                        let r = y[t] - x[t]
                        sumObs2 += r * r
                        g[t] = r * invO2
                    }
                    g[0] += g1
                    for t in 1..<n {
                        let d = x[t] - x[t - 1]
                        sumStep2 += d * d
                        g[t] -= d * invL2
                        g[t - 1] += d * invL2
                    }
                }
            }
        }
        let steps = Double(n - 1), rows = Double(n)
        gradient[n] = (gL + (sumStep2 * invL2 - steps) / sL) * sL + 1
        gradient[n + 1] = (gO + (sumObs2 * invO2 - rows) / sO) * sO + 1
        return pL + uL + pO + uO + p1
            - 0.5 * sumStep2 * invL2 - steps * (uL + halfLogTwoPi)
            - 0.5 * sumObs2 * invO2 - rows * (uO + halfLogTwoPi)
    }
}
