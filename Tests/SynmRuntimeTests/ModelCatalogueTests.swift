// The model catalogue (DynamicPPL style): every model in models/ against a hand-written Swift
// log density and gradient on the unconstrained scale, with the log-Jacobian of each bound
// transform written out, at seeded random points.
//
// Tolerances. Values agree to 1e-10 relative: both sides add the same normalised terms, in
// a different order. Gradients agree to 1e-8 (relative, floored at 1 absolute, see
// `relativeError`): a gradient component is a sum over up to 1000 rows whose terms can be
// far larger than the sum (at a random point the residuals are large and cancel), and the
// tape accumulates them in another order than the loop below, so the rounding error is
// about N·ε·max|term| ≈ 1e-10 of the result and sometimes more; 1e-8 leaves room for that
// and still catches any wrong partial or missing Jacobian term, which are O(1) errors.
import Foundation
import SynmIO
import SynmMath
import Testing
@testable import SynmRuntime
@testable import SynmSynthetic

// MARK: - Hand-written pieces

let handHalfLog2Pi = 0.5 * Foundation.log(2 * Double.pi)

/// log N(y | μ, σ) and its partials.
func normalTerm(_ y: Double, _ mu: Double, _ sigma: Double) -> (lp: Double, dy: Double, dmu: Double, dsigma: Double) {
    let z = (y - mu) / sigma
    return (-handHalfLog2Pi - Foundation.log(sigma) - 0.5 * z * z, -z / sigma, z / sigma, (z * z - 1) / sigma)
}

/// log Cauchy(y | μ, σ) and its partials.
func cauchyTerm(_ y: Double, _ mu: Double, _ sigma: Double) -> (lp: Double, dy: Double, dsigma: Double) {
    let z = (y - mu) / sigma
    let lp = -Foundation.log(Double.pi) - Foundation.log(sigma) - Foundation.log1p(z * z)
    return (lp, -2 * z / (sigma * (1 + z * z)), -1 / sigma + 2 * z * z / (sigma * (1 + z * z)))
}

/// log(1 + eˣ) without overflow.
func softplus(_ x: Double) -> Double { x > 0 ? x + Foundation.log1p(Foundation.exp(-x)) : Foundation.log1p(Foundation.exp(x)) }

func logistic(_ x: Double) -> Double { x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x)) }

/// A hand-written model: value and gradient at an unconstrained point.
typealias HandWritten = ([Double]) -> (value: Double, gradient: [Double])

// MARK: - The models

enum Catalogue {
    static func eightSchools(_ x: [Double]) -> (value: Double, gradient: [Double]) {
        let y: [Double] = [28, 8, -3, 7, -1, 1, 18, 12], s: [Double] = [15, 10, 16, 11, 9, 11, 10, 18]
        let mu = x[0], u = x[1], tau = Foundation.exp(u)
        var g = [Double](repeating: 0, count: 10)
        let pm = normalTerm(mu, 0, 5), pt = cauchyTerm(tau, 0, 5)
        var lp = pm.lp + pt.lp + u  // u: log-Jacobian of tau = exp(u)
        g[0] = pm.dy
        var dtau = pt.dy
        for j in 0..<8 {
            let eta = x[2 + j]
            let pe = normalTerm(eta, 0, 1)
            let py = normalTerm(y[j], mu + tau * eta, s[j])
            lp += pe.lp + py.lp
            g[0] += py.dmu
            dtau += py.dmu * eta
            g[2 + j] = pe.dy + py.dmu * tau
        }
        g[1] = dtau * tau + 1
        return (lp, g)
    }

    static func coin(_ x: [Double]) -> (value: Double, gradient: [Double]) {
        let y = [1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 0, 1]
        let heads = Double(y.reduce(0, +)), tails = Double(y.count) - heads
        let u = x[0], p = logistic(u)
        // beta(1, 1) is 0 on (0, 1); Jacobian of p = logit⁻¹(u): log p + log(1 − p).
        let lp = heads * Foundation.log(p) + tails * Foundation.log1p(-p) + Foundation.log(p) + Foundation.log1p(-p)
        let g = heads * (1 - p) - tails * p + (1 - 2 * p)
        return (lp, [g])
    }

    static func censoredCoin(_ x: [Double]) -> (value: Double, gradient: [Double]) {
        let y = [1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0]
        let h = Double(y.reduce(0, +)), n = Double(y.count)
        let u = x[0], p = logistic(u)
        let q = p / (2 - p)
        let lp = h * Foundation.log(q) + (n - h) * Foundation.log1p(-q) + Foundation.log(p) + Foundation.log1p(-p)
        let dq = 2 / ((2 - p) * (2 - p))
        let dlpdp = (h / q - (n - h) / (1 - q)) * dq
        return (lp, [dlpdp * p * (1 - p) + (1 - 2 * p)])
    }

    /// censored_coin_deterministic: p ~ beta(1, 1) (uniform: the log-Jacobian of the logit
    /// transform only), then p^(2h−1) (1 − p)^t (1 + (g + 1) p) with h = 10, t = 20, g = 2.
    static func censoredCoinDeterministic(_ x: [Double]) -> (value: Double, gradient: [Double]) {
        let h = 10.0, t = 20.0, g = 2.0
        let p = logistic(x[0])
        let lp = (2 * h - 1) * Foundation.log(p) + t * Foundation.log1p(-p) + Foundation.log1p((g + 1) * p)
            + Foundation.log(p) + Foundation.log1p(-p)
        let dlpdp = (2 * h - 1) / p - t / (1 - p) + (g + 1) / (1 + (g + 1) * p)
        return (lp, [dlpdp * p * (1 - p) + (1 - 2 * p)])
    }

    /// normal and synthetic_normal share this: mu ~ normal(0, 10), sigma ~ exponential(1),
    /// then weighted normal rows.
    static func normalRows(_ x: [Double], rows: [(values: [Double], weight: Double)]) -> (value: Double, gradient: [Double]) {
        let mu = x[0], u = x[1], sigma = Foundation.exp(u)
        let pm = normalTerm(mu, 0, 10)
        var lp = pm.lp + (-sigma) + u  // exponential(1): log 1 − σ; Jacobian u
        var dmu = pm.dy, dsigma = -1.0
        for (values, w) in rows {
            var part = 0.0, pmu = 0.0, psigma = 0.0
            for y in values {
                let t = normalTerm(y, mu, sigma)
                part += t.lp
                pmu += t.dmu
                psigma += t.dsigma
            }
            lp += w * part
            dmu += w * pmu
            dsigma += w * psigma
        }
        return (lp, [dmu, dsigma * sigma + 1])
    }

    static func linearRegression(_ data: [String: DataValue]) -> HandWritten {
        let X = data["X"]!.values, y = data["y"]!.values
        let n = y.count, d = data["D"]!.values[0].rounded()
        let dim = Int(d)
        return { x in
            let alpha = x[0], beta = Array(x[1...dim]), u = x[dim + 1], sigma = Foundation.exp(u)
            var g = [Double](repeating: 0, count: dim + 2)
            let pa = normalTerm(alpha, 0, 5)
            var lp = pa.lp - sigma + u
            g[0] = pa.dy
            for k in 0..<dim {
                let pb = normalTerm(beta[k], 0, 5)
                lp += pb.lp
                g[1 + k] = pb.dy
            }
            var dsigma = -1.0
            for i in 0..<n {
                var m = alpha
                for k in 0..<dim { m += X[i * dim + k] * beta[k] }
                let t = normalTerm(y[i], m, sigma)
                lp += t.lp
                g[0] += t.dmu
                for k in 0..<dim { g[1 + k] += t.dmu * X[i * dim + k] }
                dsigma += t.dsigma
            }
            g[dim + 1] = dsigma * sigma + 1
            return (lp, g)
        }
    }

    static func logisticRegression(_ data: [String: DataValue]) -> HandWritten {
        let X = data["X"]!.values, y = data["y"]!.values
        let n = y.count, dim = Int(data["D"]!.values[0])
        return { x in
            var g = [Double](repeating: 0, count: dim + 1)
            var lp = 0.0
            for k in 0...dim {
                let t = normalTerm(x[k], 0, 2.5)
                lp += t.lp
                g[k] = t.dy
            }
            for i in 0..<n {
                var eta = x[0]
                for k in 0..<dim { eta += X[i * dim + k] * x[1 + k] }
                // bernoulli_logit: y·η − log(1 + e^η); ∂/∂η = y − logit⁻¹(η).
                lp += y[i] * eta - softplus(eta)
                let r = y[i] - logistic(eta)
                g[0] += r
                for k in 0..<dim { g[1 + k] += r * X[i * dim + k] }
            }
            return (lp, g)
        }
    }

    /// ordinal_regression: beta ~ std_normal, c1 ~ normal(0, 5), gap = e^u ~ exponential(1)
    /// (log-Jacobian u), c = (c1, c1 + g1, c1 + g1 + g2), and per row
    /// log(σ(η − c_{y−1}) − σ(η − c_y)) with σ(η − c₀) = 1, σ(η − c₄) = 0, written directly
    /// as the difference of logistic functions (the runtime uses the log_inv_logit_diff form).
    static func ordinalRegression(_ data: [String: DataValue]) -> HandWritten {
        let xs = data["x"]!.values, ys = data["y"]!.values.map { Int($0) }
        return { x in
            let beta = x[0], c1 = x[1], g1 = Foundation.exp(x[2]), g2 = Foundation.exp(x[3])
            let c = [c1, c1 + g1, c1 + g1 + g2]
            let pb = normalTerm(beta, 0, 1), pc = normalTerm(c1, 0, 5)
            var lp = pb.lp + pc.lp - g1 - g2 + x[2] + x[3]
            var g = [pb.dy, pc.dy, 0.0, 0.0]
            var dc = [0.0, 0.0, 0.0]
            for (xi, yi) in zip(xs, ys) {
                let eta = beta * xi
                // F_k = σ(η − c_k), F_0 = 1, F_4 = 0; p = F_{y−1} − F_y.
                func f(_ k: Int) -> (Double, Double) {
                    if k == 0 { return (1, 0) }
                    if k == 4 { return (0, 0) }
                    let s = logistic(eta - c[k - 1])
                    return (s, s * (1 - s))
                }
                let (lo, dlo) = f(yi - 1), (hi, dhi) = f(yi)
                let p = lo - hi
                lp += Foundation.log(p)
                g[0] += (dlo - dhi) / p * xi
                if yi - 1 >= 1 { dc[yi - 2] -= dlo / p }
                if yi <= 3 { dc[yi - 1] += dhi / p }
            }
            g[1] += dc[0] + dc[1] + dc[2]
            g[2] += (dc[1] + dc[2]) * g1 - g1 + 1
            g[3] += dc[2] * g2 - g2 + 1
            return (lp, g)
        }
    }

    static func hierPoisson(_ data: [String: DataValue]) -> HandWritten {
        let group = data["group"]!.values.map { Int($0) - 1 }, y = data["y"]!.values
        let groups = Int(data["J"]!.values[0])
        return { x in
            let mu = x[0], u = x[1], tau = Foundation.exp(u)
            var g = [Double](repeating: 0, count: groups + 2)
            let pm = normalTerm(mu, 0, 2), pt = normalTerm(tau, 0, 1)
            var lp = pm.lp + pt.lp + u
            g[0] = pm.dy
            var dtau = pt.dy
            for j in 0..<groups {
                let pe = normalTerm(x[2 + j], 0, 1)
                lp += pe.lp
                g[2 + j] = pe.dy
            }
            for (i, yi) in y.enumerated() {
                let eta = x[2 + group[i]]
                let a = mu + tau * eta
                // poisson_log: y·α − e^α − log y!
                lp += yi * a - Foundation.exp(a) - Foundation.lgamma(yi + 1)
                let r = yi - Foundation.exp(a)
                g[0] += r
                dtau += r * eta
                g[2 + group[i]] += r * tau
            }
            g[1] = dtau * tau + 1
            return (lp, g)
        }
    }

    /// arma11: ARMA(1, 1) with err[0] = 0; the errors and their partials by the recursion
    /// err_t = y_t − μ − φ·y_{t−1} − θ·err_{t−1} (∂err_t/∂θ = −err_{t−1} − θ·∂err_{t−1}/∂θ).
    static func arma11(_ data: [String: DataValue]) -> HandWritten {
        let y = data["y"]!.values
        return { x in
            let mu = x[0], phi = x[1], theta = x[2], u = x[3], sigma = Foundation.exp(u)
            let pm = normalTerm(mu, 0, 10), pp = normalTerm(phi, 0, 2), pt = normalTerm(theta, 0, 2)
            let ps = cauchyTerm(sigma, 0, 2.5)
            var lp = pm.lp + pp.lp + pt.lp + ps.lp + u
            var g = [pm.dy, pp.dy, pt.dy, 0.0]
            var dsigma = ps.dy
            var err = 0.0, eMu = 0.0, ePhi = 0.0, eTheta = 0.0
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
                let term = normalTerm(err, 0, sigma)
                lp += term.lp
                g[0] += term.dy * eMu
                g[1] += term.dy * ePhi
                g[2] += term.dy * eTheta
                dsigma += term.dsigma
            }
            g[3] = dsigma * sigma + 1
            return (lp, g)
        }
    }

    /// ar5: AR(K), y[t] ~ normal(alpha + Σ_k beta[k]·y[t−k], sigma) for t > K; alpha, beta ~
    /// normal(0, 10), sigma ~ cauchy(0, 2.5). Coordinates [alpha, beta[1..K], log sigma].
    static func arK(_ data: [String: DataValue]) -> HandWritten {
        let y = data["y"]!.values, k = Int(data["K"]!.values[0])
        return { x in
            let alpha = x[0], u = x[k + 1], sigma = Foundation.exp(u)
            var g = [Double](repeating: 0, count: k + 2)
            let pa = normalTerm(alpha, 0, 10), ps = cauchyTerm(sigma, 0, 2.5)
            var lp = pa.lp + ps.lp + u
            g[0] = pa.dy
            var dsigma = ps.dy
            for j in 0..<k {
                let pb = normalTerm(x[1 + j], 0, 10)
                lp += pb.lp
                g[1 + j] = pb.dy
            }
            for t in k..<y.count {
                var mu = alpha
                for j in 0..<k { mu += x[1 + j] * y[t - 1 - j] }
                let term = normalTerm(y[t], mu, sigma)
                lp += term.lp
                g[0] += term.dmu
                for j in 0..<k { g[1 + j] += term.dmu * y[t - 1 - j] }
                dsigma += term.dsigma
            }
            g[k + 1] = dsigma * sigma + 1
            return (lp, g)
        }
    }

    /// garch11: σ₁ = sigma1, σ_t² = α₀ + α₁(y_{t−1} − μ)² + β₁σ²_{t−1}, y ~ normal(μ, σ);
    /// μ, α₀ ~ normal(0, 10). Coordinates [mu, log α₀, logit α₁, logit(β₁/(1 − α₁))], with
    /// the sensitivities of σ_t² carried along the recursion.
    static func garch11(_ data: [String: DataValue]) -> HandWritten {
        let y = data["y"]!.values, sigma1 = data["sigma1"]!.values[0]
        return { x in
            let mu = x[0], u0 = x[1], a0 = Foundation.exp(u0)
            let p1 = logistic(x[2]), p2 = logistic(x[3])
            let a1 = p1, width = 1 - a1, b1 = width * p2
            let pm = normalTerm(mu, 0, 10), pa = normalTerm(a0, 0, 10)
            var lp = pm.lp + pa.lp + u0 + Foundation.log(p1) + Foundation.log1p(-p1)
                + Foundation.log(width) + Foundation.log(p2) + Foundation.log1p(-p2)
            var dMu = pm.dy, dA0 = pa.dy, dA1 = 0.0, dB1 = 0.0
            var sigma = sigma1, sMu = 0.0, sA0 = 0.0, sA1 = 0.0, sB1 = 0.0  // ∂σ_t/∂·
            for t in 0..<y.count {
                if t > 0 {
                    let r = y[t - 1] - mu
                    let s2 = a0 + a1 * r * r + b1 * sigma * sigma
                    let next = s2.squareRoot()
                    let half = 0.5 / next
                    sMu = half * (-2 * a1 * r + 2 * b1 * sigma * sMu)
                    sA0 = half * (1 + 2 * b1 * sigma * sA0)
                    sA1 = half * (r * r + 2 * b1 * sigma * sA1)
                    sB1 = half * (sigma * sigma + 2 * b1 * sigma * sB1)
                    sigma = next
                }
                let term = normalTerm(y[t], mu, sigma)
                lp += term.lp
                dMu += term.dmu + term.dsigma * sMu
                dA0 += term.dsigma * sA0
                dA1 += term.dsigma * sA1
                dB1 += term.dsigma * sB1
            }
            // β₁ = (1 − α₁)p₂ moves with α₁, and so does the Jacobian's log(1 − α₁).
            let dAlpha1 = dA1 - dB1 * p2 - 1 / width
            return (lp, [dMu, dA0 * a0 + 1, dAlpha1 * a1 * (1 - a1) + (1 - 2 * a1),
                         dB1 * width * p2 * (1 - p2) + (1 - 2 * p2)])
        }
    }

    /// local_level: x[1] ~ normal(0, 10), x[t] ~ normal(x[t−1], σ_l), y ~ normal(x, σ_o),
    /// σ_l ~ normal(0, 1), σ_o ~ normal(0, 2). Coordinates [x[1..T], log σ_l, log σ_o].
    static func localLevel(_ data: [String: DataValue]) -> HandWritten {
        let y = data["y"]!.values
        return { x in
            let n = y.count, uL = x[n], uO = x[n + 1], sL = Foundation.exp(uL), sO = Foundation.exp(uO)
            var g = [Double](repeating: 0, count: n + 2)
            let pl = normalTerm(sL, 0, 1), po = normalTerm(sO, 0, 2), p1 = normalTerm(x[0], 0, 10)
            var lp = pl.lp + uL + po.lp + uO + p1.lp
            g[0] = p1.dy
            var dL = pl.dy, dO = po.dy
            for t in 1..<n {
                let step = normalTerm(x[t], x[t - 1], sL)
                lp += step.lp
                g[t] += step.dy
                g[t - 1] += step.dmu
                dL += step.dsigma
            }
            for t in 0..<n {
                let obs = normalTerm(y[t], x[t], sO)
                lp += obs.lp
                g[t] += obs.dmu
                dO += obs.dsigma
            }
            g[n] = dL * sL + 1
            g[n + 1] = dO * sO + 1
            return (lp, g)
        }
    }

    /// mu ~ normal(0, tau0), then normal(mu, sigma) rows at their weights (sigma, tau0 known).
    static func knownScaleRows(_ x: [Double], sigma: Double, tau0: Double,
                               rows: [(values: [Double], weight: Double)]) -> (value: Double, gradient: [Double]) {
        let mu = x[0]
        let pm = normalTerm(mu, 0, tau0)
        var lp = pm.lp, g = pm.dy
        for (values, w) in rows {
            for y in values {
                let t = normalTerm(y, mu, sigma)
                lp += w * t.lp
                g += w * t.dmu
            }
        }
        return (lp, [g])
    }

    /// censored_coin_augmented: the made-up heads on equal footing (weight 1).
    static func censoredCoinAugmented(_ data: [String: DataValue]) -> HandWritten {
        let bits = data["y"]!.values + data["extra"]!.values
        let heads = bits.reduce(0, +), tails = Double(bits.count) - heads
        return { x in
            let p = logistic(x[0])
            let lp = heads * Foundation.log(p) + tails * Foundation.log1p(-p) + Foundation.log(p) + Foundation.log1p(-p)
            return (lp, [heads * (1 - p) - tails * p + (1 - 2 * p)])
        }
    }

    /// reweight_classes: class means, a common sd; the resampled rows are capped at 0.
    static func reweightClasses(_ data: [String: DataValue]) -> HandWritten {
        let y = data["y"]!.values, g = data["g"]!.values.map { Int($0) - 1 }, k = Int(data["K"]!.values[0])
        return { x in
            let u = x[k], sigma = Foundation.exp(u)
            var grad = [Double](repeating: 0, count: k + 1)
            var lp = -sigma + u
            var dsigma = -1.0
            for j in 0..<k {
                let t = normalTerm(x[j], 0, 10)
                lp += t.lp
                grad[j] = t.dy
            }
            for (i, yi) in y.enumerated() {
                let t = normalTerm(yi, x[g[i]], sigma)
                lp += t.lp
                grad[g[i]] += t.dmu
                dsigma += t.dsigma
            }
            grad[k] = dsigma * sigma + 1
            return (lp, grad)
        }
    }

    /// periodic_symmetry: planar rows x[i] ~ normal(mu, s) and rotated copies at power 0.05.
    static func periodicSymmetry(_ x2: [Double], rotated: [Double]) -> HandWritten {
        return { x in
            let mu = [x[0], x[1]], u = x[2], s = Foundation.exp(u)
            var grad = [0.0, 0.0, 0.0]
            var lp = -s + u
            var ds = -1.0
            for j in 0..<2 {
                let t = normalTerm(mu[j], 0, 10)
                lp += t.lp
                grad[j] = t.dy
            }
            for (values, w) in [(x2, 1.0), (rotated, 0.05)] {
                for (k, v) in values.enumerated() {
                    let t = normalTerm(v, mu[k % 2], s)
                    lp += w * t.lp
                    grad[k % 2] += w * t.dmu
                    ds += w * t.dsigma
                }
            }
            grad[2] = ds * s + 1
            return (lp, grad)
        }
    }
}

// MARK: - Synthetic rows, regenerated by the documented algorithm

/// Rows of SyntheticGeneration's documented algorithm, written out independently: node
/// number k (its index among the model's symbols) draws from Xoshiro256** stream
/// 0x5_7E7C_0000 + k of the run's seed; bootstrap picks `next() % n`; reweight picks a
/// class uniformly among the sorted labels, then a member of it (paper, Example 3).
enum Regenerate {
    static func stream(_ k: Int) -> UInt64 { 0x5_7E7C_0000 + UInt64(k) }

    static func bootstrap(_ y: [Double], m: Int, seed: UInt64, symbolIndex k: Int) -> [Double] {
        var rng = Xoshiro256StarStar(seed: seed, stream: stream(k))
        return (0..<m).map { _ in y[Int(rng.next() % UInt64(y.count))] }
    }

    static func reweight(_ y: [Double], by g: [Double], m: Int, seed: UInt64, symbolIndex k: Int) -> [Double] {
        var rng = Xoshiro256StarStar(seed: seed, stream: stream(k))
        let labels = Array(Set(g)).sorted()
        let members = labels.map { label in g.indices.filter { g[$0] == label } }
        return (0..<m).map { _ in
            let c = members[Int(rng.next() % UInt64(labels.count))]
            return y[c[Int(rng.next() % UInt64(c.count))]]
        }
    }

    /// periodic(y, rotate90, period): an iterate j uniform in 0..<period, then a row by
    /// bootstrap, turned j times by (a, b) → (−b, a) (paper, Example 4).
    static func rotate90(_ rows: [Double], m: Int, period: Int, seed: UInt64, symbolIndex k: Int) -> [Double] {
        var rng = Xoshiro256StarStar(seed: seed, stream: stream(k))
        let n = rows.count / 2
        var out: [Double] = []
        for _ in 0..<m {
            let j = Int(rng.next() % UInt64(period))
            let r = Int(rng.next() % UInt64(n))
            var v = [rows[2 * r], rows[2 * r + 1]]
            for _ in 0..<j { v = [-v[1], v[0]] }
            out += v
        }
        return out
    }
}

// MARK: - Tests

@Suite struct ModelCatalogueTests {
    static let points = 10

    /// Compares the compiled model with the hand-written one at seeded points.
    func compare(_ name: String, _ hand: HandWritten, seed: UInt64 = 0, scale: Double = 1.0,
                 sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        var model = try compileCatalogueModel(name, seed: seed)
        var g = [Double](repeating: 0, count: model.dimension)
        for x in randomPoints(dimension: model.dimension, count: Self.points, seed: 0xCA7A + UInt64(name.count), scale: scale) {
            let v = model.logDensityAndGradient(x, gradient: &g)
            let (hv, hg) = hand(x)
            #expect(hv.isFinite, "\(name): the hand-written value is not finite at \(x)", sourceLocation: sourceLocation)
            #expect(relativeError(v, hv) <= 1e-10, "\(name) value at \(x): synm \(v), hand-written \(hv)",
                    sourceLocation: sourceLocation)
            #expect(hg.count == g.count, sourceLocation: sourceLocation)
            if hg.count == g.count {
                #expect(maxRelativeError(g, hg) <= 1e-8, "\(name) gradient at \(x): synm \(g), hand-written \(hg)",
                        sourceLocation: sourceLocation)
            }
        }
    }

    @Test func eightSchools() throws { try compare("eight_schools", Catalogue.eightSchools) }
    @Test func coin() throws { try compare("coin", Catalogue.coin, scale: 3) }
    @Test func censoredCoin() throws { try compare("censored_coin", Catalogue.censoredCoin, scale: 3) }

    @Test func censoredCoinDeterministic() throws {
        try compare("censored_coin_deterministic", Catalogue.censoredCoinDeterministic, scale: 3)
    }

    @Test func normal() throws {
        let y = try catalogueData("normal")["y"]!.values
        try compare("normal", { Catalogue.normalRows($0, rows: [(y, 1)]) })
    }

    @Test func linearRegression() throws {
        try compare("linear_regression", Catalogue.linearRegression(try catalogueData("linear_regression")))
    }

    @Test func logisticRegression() throws {
        try compare("logistic_regression", Catalogue.logisticRegression(try catalogueData("logistic_regression")))
    }

    /// Scale 0.5 keeps |θ| < 1 at most points, where the errors stay of the data's size; at
    /// |θ| > 1 they grow like θᵗ and both sides still agree, only on astronomical numbers.
    @Test func arma11() throws {
        try compare("arma11", Catalogue.arma11(try catalogueData("arma11")), scale: 0.5)
    }

    @Test func ar5() throws {
        try compare("ar5", Catalogue.arK(try catalogueData("ar5")), scale: 0.3)
    }

    @Test func garch11() throws {
        try compare("garch11", Catalogue.garch11(try catalogueData("garch11")))
    }

    @Test func localLevel() throws {
        try compare("local_level", Catalogue.localLevel(try catalogueData("local_level")))
    }

    @Test func ordinalRegression() throws {
        try compare("ordinal_regression", Catalogue.ordinalRegression(try catalogueData("ordinal_regression")))
    }

    @Test func hierPoisson() throws {
        try compare("hier_poisson", Catalogue.hierPoisson(try catalogueData("hier_poisson")))
    }

    /// synthetic_normal: y at weight 1, yt capped at min(1, 40/40) = 1, yb at power 0.1 and
    /// yr (built from our own sample) capped at 0; yb and yr regenerated from the seed.
    @Test(arguments: [UInt64(0), 20_240_601])
    func syntheticNormal(seed: UInt64) throws {
        let data = try catalogueData("synthetic_normal")
        let y = data["y"]!.values, g = data["g"]!.values, yt = data["yt"]!.values
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("models/synthetic_normal.synm"), encoding: .utf8)
        let (checkedModel, _) = try checked(text)
        let kb = try #require(checkedModel.symbols.firstIndex { $0.name == "yb" })
        let kr = try #require(checkedModel.symbols.firstIndex { $0.name == "yr" })
        let yb = Regenerate.bootstrap(y, m: 200, seed: seed, symbolIndex: kb)
        let yr = Regenerate.reweight(y, by: g, m: 200, seed: seed, symbolIndex: kr)
        // The runtime's generation agrees with the documented algorithm.
        var (table, _) = try bind(checkedModel, json: try String(contentsOf: repositoryRoot
            .appendingPathComponent("models/synthetic_normal.data.json"), encoding: .utf8))
        try SyntheticGeneration.generate(checkedModel, into: &table!, seed: seed)
        #expect(table!["yb"]?.values == yb)
        #expect(table!["yr"]?.values == yr)
        // Reweighting balances the classes: about half the rows from each of the two labels.
        let fromClass1 = yr.filter { v in zip(y, g).contains { $0.0 == v && $0.1 == 1 } }.count
        #expect((70...130).contains(fromClass1), "reweight drew \(fromClass1) of 200 rows from class 1")
        try compare("synthetic_normal", { Catalogue.normalRows($0, rows: [(y, 1), (yt, 40.0 / 79), (yb, 0.1), (yr, 0)]) },
                    seed: seed)
    }

    @Test func syntheticNormalTermWeights() throws {
        let model = try compileCatalogueModel("synthetic_normal")
        let weights = Dictionary(uniqueKeysWithValues: model.terms.map { ($0.label, $0.weight) })
        #expect(weights["y"] == 1)
        // cap: 40 rows resampled from 40 units, none ours: (N − 2K)/(N + m − 1) = 40/79
        // (docs/STATISTICS.md, "cap").
        #expect(weights["yt"] == 40.0 / 79)
        #expect(weights["yb"] == 0.1)    // power(0.1)
        #expect(weights["yr"] == 0)      // cap of rows from our own sample (Theorem 5)
        #expect(model.terms.first { $0.label == "yr" }?.syntheticNode == "yr")
        #expect(model.terms.first { $0.label == "mu" }?.isLikelihood == false)
        #expect(model.terms.first { $0.label == "y" }?.isLikelihood == true)
    }

    /// The seed changes the bootstrap rows, so the density changes with it.
    @Test func syntheticRowsDependOnSeed() throws {
        var a = try compileCatalogueModel("synthetic_normal", seed: 1)
        var b = try compileCatalogueModel("synthetic_normal", seed: 2)
        let x = [1.0, 0.3]
        #expect(a.value(x) != b.value(x))
    }


    /// The symbol index of a synthetic node (its random stream), and the model's data.
    func symbolIndex(_ model: String, _ node: String) throws -> Int {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("models/\(model).synm"), encoding: .utf8)
        let (checkedModel, _) = try checked(text)
        return try #require(checkedModel.symbols.firstIndex { $0.name == node })
    }

    @Test func censoredCoinAugmented() throws {
        try compare("censored_coin_augmented", Catalogue.censoredCoinAugmented(try catalogueData("censored_coin_augmented")),
                    scale: 3)
    }

    /// cap: m = 200 rows resampled from N = 120 units, K = 30 of them ours and counted again
    /// in y: weight (N − 2K)/(N + m − 1) = 60/319 (docs/STATISTICS.md, "cap").
    @Test func thirdPartyOverlap() throws {
        let data = try catalogueData("third_party_overlap")
        let y = data["y"]!.values, yt = data["yt"]!.values
        let w = (120.0 - 2 * 30) / (120 + Double(yt.count) - 1)
        try compare("third_party_overlap", { Catalogue.knownScaleRows($0, sigma: 2, tau0: 10, rows: [(y, 1), (yt, w)]) })
        #expect(try compileCatalogueModel("third_party_overlap").terms.first { $0.label == "yt" }?.weight == w)
    }

    @Test func bootstrapNormal() throws {
        let y = try catalogueData("bootstrap_normal")["y"]!.values
        let yb = Regenerate.bootstrap(y, m: 200, seed: 0, symbolIndex: try symbolIndex("bootstrap_normal", "yb"))
        try compare("bootstrap_normal", { Catalogue.knownScaleRows($0, sigma: 2, tau0: 10, rows: [(y, 1), (yb, 0.1)]) })
    }

    @Test func reweightClasses() throws {
        try compare("reweight_classes", Catalogue.reweightClasses(try catalogueData("reweight_classes")))
        #expect(try compileCatalogueModel("reweight_classes").terms.first { $0.label == "yr" }?.weight == 0)
    }

    @Test func periodicSymmetry() throws {
        let x = try catalogueData("periodic_symmetry")["x"]!.values
        let xr = Regenerate.rotate90(x, m: 400, period: 4, seed: 0, symbolIndex: try symbolIndex("periodic_symmetry", "xr"))
        try compare("periodic_symmetry", Catalogue.periodicSymmetry(x, rotated: xr))
    }

    static let names = ["eight_schools", "coin", "normal", "linear_regression", "logistic_regression", "hier_poisson",
                        "synthetic_normal", "censored_coin", "censored_coin_augmented", "third_party_overlap",
                        "periodic_symmetry", "reweight_classes", "bootstrap_normal", "arma11", "censored_coin_deterministic",
                        "ar5", "garch11", "local_level", "ordinal_regression", "loaded_die"]

    /// The models whose finite-difference and Hessian checks (a few evaluations per coordinate)
    /// would take the debug suite too long: local_level has 1002 coordinates. LoopKernelTests
    /// checks a 12-step local-level model the same way.
    static let perCoordinateNames = names.filter { $0 != "local_level" }

    /// The spread of the random points of the finite-difference checks: 1, except arma11,
    /// whose errors grow like θᵗ (t ≤ 200) at |θ| > 1, where a difference quotient with any
    /// usable step is dominated by the third derivative. At 0.4 the seeded points have |θ| < 1.
    static func differenceScale(_ name: String) -> Double { name == "arma11" ? 0.4 : 1.0 }

    /// Every model in models/ is in this catalogue.
    @Test func catalogueIsComplete() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("models").path)
        let models = Set(files.filter { $0.hasSuffix(".synm") }.map { String($0.dropLast(5)) })
        #expect(models == Set(Self.names))
    }

    /// The AD gradient of every model against finite differences of its own value.
    @Test(arguments: perCoordinateNames)
    func finiteDifferences(name: String) throws {
        var model = try compileCatalogueModel(name)
        for x in randomPoints(dimension: model.dimension, count: 4, seed: 0xFD, scale: Self.differenceScale(name)) {
            expectModelGradientMatchesFiniteDifferences(&model, at: x, name)
        }
    }

    /// The exact Hessian of every model: symmetric, equal to finite differences of the
    /// gradient, and its value and gradient bit for bit those of the Double path.
    @Test(arguments: perCoordinateNames)
    func hessian(name: String) throws {
        var model = try compileCatalogueModel(name)
        for x in randomPoints(dimension: model.dimension, count: 2, seed: 0x4E55, scale: Self.differenceScale(name)) {
            let double = try model.evaluate(x)
            let dual = try model.hessian(x)
            #expect(dual.value == double.value, "\(name): Dual \(dual.value), Double \(double.value)")
            #expect(dual.gradient == double.gradient, "\(name): Dual \(dual.gradient), Double \(double.gradient)")
            expectHessianMatchesFiniteDifferences(&model, dual.hessian, at: x, name)
        }
    }

    /// Prior and likelihood split the density; per-term evaluation adds up to the total.
    @Test(arguments: names)
    func termsAddUp(name: String) throws {
        var model = try compileCatalogueModel(name)
        let x = randomPoints(dimension: model.dimension, count: 1, seed: 0x7E, scale: 1.0)[0]
        let total = try model.evaluate(x, options: .init(jacobian: false)).value
        let prior = try model.evaluate(x, options: .init(jacobian: false, likelihood: false)).value
        let likelihood = try model.evaluate(x, options: .init(jacobian: false, prior: false)).value
        #expect(relativeError(prior + likelihood, total) <= 1e-12, "\(name): \(prior) + \(likelihood) vs \(total)")
        // `terms` lists every term, those inside loops too (periodic_symmetry's).
        var sum = 0.0
        for t in model.terms { sum += try model.evaluate(x, options: .init(onlyTerm: t.id)).value }
        #expect(relativeError(sum, total) <= 1e-12, "\(name): terms add to \(sum), total \(total)")
    }
}
