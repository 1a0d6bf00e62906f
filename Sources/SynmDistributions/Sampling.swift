// Random generation for every distribution, deterministic given the generator (no cached
// values, no hidden state): each draw consumes a variable but reproducible number of words.
//
// References
// [1] Marsaglia & Bray 1964, "A convenient method for generating normal variables",
//     SIAM Review 6(3):260–264 (the polar method).
// [2] Marsaglia & Tsang 2000, "A simple method for generating gamma variables",
//     ACM TOMS 26(3):363–372 (including the U^{1/α} boost for α < 1, section 6).
// [3] Devroye 1986, "Non-Uniform Random Variate Generation", Springer: inversion for the
//     exponential, cauchy, laplace, logistic and weibull (ch. II.2), beta from two gammas
//     (IX.4), student-t as normal/√(χ²/ν) (IX.5), negative binomial as a gamma–poisson
//     mixture (X.4); chi-square and scaled inverse chi-square from gamma (IX.3), gumbel,
//     pareto, frechet and rayleigh by inversion (II.2).
// [7] Best & Fisher 1979, "Efficient simulation of the von Mises distribution", Applied
//     Statistics 28(2):152–157.
// [8] Azzalini 1985, "A class of distributions which includes the normal ones", Scandinavian
//     Journal of Statistics 12(2):171–178 (the representation of section 3).
import Foundation
import SynmMath

extension Distribution {
    /// One draw from `d` with arguments `a, b, c` in Stan order (unused ones ignored).
    /// Arguments must be valid (`validate`). Integer variates are returned as exact
    /// integral Doubles.
    public static func sample(
        _ d: Distribution, _ a: Double, _ b: Double = 0, _ c: Double = 0,
        rng: inout some RandomNumberGenerator
    ) -> Double {
        switch d {
        case .normal: return a + b * Samplers.standardNormal(&rng)
        case .studentT: return Samplers.studentT(nu: a, &rng) * c + b
        case .cauchy: return a + b * Foundation.tan(Double.pi * (rng.uniform01() - 0.5))
        case .doubleExponential:
            // inversion: F⁻¹(u) = μ − σ·sign(u − ½)·log(1 − 2|u − ½|)
            let u = rng.uniform01() - 0.5
            let magnitude = -b * Foundation.log1p(-2 * Swift.abs(u))
            return u < 0 ? a - magnitude : a + magnitude
        case .logistic:
            let u = rng.uniform01()
            return a + b * (Foundation.log(u) - Foundation.log1p(-u))
        case .lognormal: return Foundation.exp(a + b * Samplers.standardNormal(&rng))
        case .exponential: return -Foundation.log(rng.uniform01()) / a
        case .gamma: return Samplers.gamma(shape: a, &rng) / b
        case .invGamma: return b / Samplers.gamma(shape: a, &rng)
        case .weibull: return b * Foundation.pow(-Foundation.log(rng.uniform01()), 1 / a)
        case .beta: return Samplers.beta(a, b, &rng)
        case .uniform: return a + (b - a) * rng.uniform01()
        case .bernoulli: return rng.uniform01() < a ? 1 : 0
        case .bernoulliLogit: return rng.uniform01() < invLogit(a) ? 1 : 0
        case .binomial: return Samplers.binomial(n: a, p: b, &rng)
        case .binomialLogit: return Samplers.binomial(n: a, p: invLogit(b), &rng)
        case .poisson: return Samplers.poisson(a, &rng)
        case .poissonLog: return Samplers.poisson(Foundation.exp(a), &rng)
        case .negBinomial2:
            // y | λ ~ poisson(λ), λ ~ gamma(φ, rate φ/μ): mean μ, variance μ + μ²/φ [3, X.4].
            let lambda = Samplers.gamma(shape: b, &rng) * (a / b)
            return Samplers.poisson(lambda, &rng)
        case .betaBinomial: return Samplers.binomial(n: a, p: Samplers.beta(b, c, &rng), &rng)
        case .negBinomial:
            // y | λ ~ poisson(λ), λ ~ gamma(α, rate β) [3, X.4].
            return Samplers.poisson(Samplers.gamma(shape: a, &rng) / b, &rng)
        case .vonMises: return a + Samplers.vonMisesAngle(kappa: b, &rng)
        case .skewNormal: return a + b * Samplers.skewNormal(alpha: c, &rng)
        case .gumbel: return a - b * Foundation.log(-Foundation.log(rng.uniform01()))
        case .pareto: return a * Foundation.exp(-Foundation.log(rng.uniform01()) / b)
        case .scaledInvChiSquare: return a * b * b / (2 * Samplers.gamma(shape: 0.5 * a, &rng))
        case .chiSquare: return 2 * Samplers.gamma(shape: 0.5 * a, &rng)
        case .invChiSquare: return 1 / (2 * Samplers.gamma(shape: 0.5 * a, &rng))
        case .frechet: return b * Foundation.pow(-Foundation.log(rng.uniform01()), -1 / a)
        case .rayleigh: return a * (-2 * Foundation.log(rng.uniform01())).squareRoot()
        case .stdNormal: return Samplers.standardNormal(&rng)
        case .betaProportion: return Samplers.beta(a * b, (1 - a) * b, &rng)
        }
    }

    /// One draw from `d` with `args` in Stan order (`args.count == d.arity`).
    public static func sample(
        _ d: Distribution, args: [Double], rng: inout some RandomNumberGenerator
    ) -> Double {
        precondition(args.count == d.arity, "\(d.name) takes \(d.arity) arguments")
        return sample(
            d, args.first ?? 0, args.count > 1 ? args[1] : 0, args.count > 2 ? args[2] : 0, rng: &rng)
    }
}

/// The building-block samplers (standard normal, gamma, beta, binomial, poisson).
public enum Samplers {
    /// A standard normal draw by Marsaglia's polar method [1]. The method yields a pair;
    /// the second value is discarded rather than cached, so a draw depends only on the rng.
    public static func standardNormal(_ rng: inout some RandomNumberGenerator) -> Double {
        while true {
            let u = 2 * rng.uniform01() - 1
            let v = 2 * rng.uniform01() - 1
            let s = u * u + v * v
            if s < 1 && s > 0 {
                return u * (-2 * Foundation.log(s) / s).squareRoot()
            }
        }
    }

    /// A gamma(shape, rate 1) draw.
    public static func gamma(shape alpha: Double, _ rng: inout some RandomNumberGenerator)
        -> Double
    {
        Foundation.exp(logGamma(shape: alpha, &rng))
    }

    /// log of a gamma(shape, rate 1) draw, by Marsaglia–Tsang [2]. For α < 1 it uses
    /// G(α) = G(α + 1)·U^{1/α} [2, §6] in log space, so tiny shapes (α ≈ 1e-3, whose draws
    /// underflow) still give a finite log.
    public static func logGamma(shape alpha: Double, _ rng: inout some RandomNumberGenerator)
        -> Double
    {
        if alpha < 1 {
            let boost = Foundation.log(rng.uniform01()) / alpha
            return logGamma(shape: alpha + 1, &rng) + boost
        }
        let d = alpha - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = standardNormal(&rng)
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = rng.uniform01()
            let x2 = x * x
            // squeeze, then the exact test log u < x²/2 + d − dv + d log v [2, eq. (5)]
            if u < 1 - 0.0331 * x2 * x2 { return Foundation.log(d * v) }
            let logV = Foundation.log(v)
            if Foundation.log(u) < 0.5 * x2 + d * (1 - v + logV) { return Foundation.log(d) + logV }
        }
    }

    /// A beta(a, b) draw as Gₐ/(Gₐ + G_b) [3, IX.4], formed in log space so that small
    /// shapes (where both gammas underflow) are exact; a draw may round to 0 or 1.
    public static func beta(_ a: Double, _ b: Double, _ rng: inout some RandomNumberGenerator)
        -> Double
    {
        let la = logGamma(shape: a, &rng)
        let lb = logGamma(shape: b, &rng)
        return Foundation.exp(la - logSumExp(la, lb))
    }

    /// An angle in [−π, π] from von_mises(0, κ) by Best & Fisher [7] (rejection from a
    /// wrapped Cauchy envelope), with τ = 1 + √(1 + 4κ²), ρ = (τ − √(2τ))/(2κ),
    /// r = (1 + ρ²)/(2ρ). For κ < 1e-8 the distribution is uniform on the circle to double
    /// precision and a uniform angle is returned.
    public static func vonMisesAngle(kappa: Double, _ rng: inout some RandomNumberGenerator) -> Double {
        if kappa < 1e-8 { return Double.pi * (2 * rng.uniform01() - 1) }
        let tau = 1 + (1 + 4 * kappa * kappa).squareRoot()
        let rho = (tau - (2 * tau).squareRoot()) / (2 * kappa)
        let r = (1 + rho * rho) / (2 * rho)
        while true {
            let u1 = rng.uniform01(), u2 = rng.uniform01(), u3 = rng.uniform01()
            let z = Foundation.cos(Double.pi * u1)
            let f = (1 + r * z) / (r + z)
            let c = kappa * (r - f)
            if c * (2 - c) - u2 > 0 || Foundation.log(c / u2) + 1 - c >= 0 {
                let angle = Foundation.acos(Swift.min(Swift.max(f, -1), 1))
                return u3 > 0.5 ? angle : -angle
            }
        }
    }

    /// A standard skew-normal(0, 1, α) draw by Azzalini's representation [8]: with
    /// δ = α/√(1 + α²) and independent standard normals u₀, v, u₁ = δu₀ + √(1 − δ²)v is
    /// returned when u₀ ≥ 0 and −u₁ otherwise.
    public static func skewNormal(alpha: Double, _ rng: inout some RandomNumberGenerator) -> Double {
        let delta = alpha / (1 + alpha * alpha).squareRoot()
        let u0 = standardNormal(&rng), v = standardNormal(&rng)
        let u1 = delta * u0 + (1 - delta * delta).squareRoot() * v
        return u0 >= 0 ? u1 : -u1
    }

    /// A standard student-t(ν) draw: Z/√(2G/ν) with G ~ gamma(ν/2) [3, IX.5].
    public static func studentT(nu: Double, _ rng: inout some RandomNumberGenerator) -> Double {
        let z = standardNormal(&rng)
        let chi2 = 2 * gamma(shape: 0.5 * nu, &rng)
        return z / (chi2 / nu).squareRoot()
    }
}
