// Log cumulative distribution functions (Stan's NAME_lcdf) and their complements
// (NAME_lccdf) with partial derivatives in `T` arithmetic, for the families whose CDF has a
// closed form or a derivative in its arguments that is itself closed form: normal, lognormal,
// logistic, cauchy, double_exponential, gumbel, exponential, weibull, frechet, rayleigh,
// pareto, uniform, the counts poisson (∂F/∂λ = −pmf) and binomial
// (∂F/∂θ = −(N − k)·C(N, k)·θᵏ(1 − θ)^{N−k−1}), and the gamma family (gamma, inv_gamma,
// chi_square, inv_chi_square, scaled_inv_chi_square) through the incomplete gamma function's
// shape derivatives (IncompleteGammaShape.swift), and beta, student_t and neg_binomial_2
// through the incomplete beta function's (IncompleteBetaShape.swift). Tails are computed without cancellation: log Φ from SynmMath's
// `logNormalCDF`, log(1 − e^{−t}) as log1mExp, the incomplete gamma and beta functions
// for whichever side is asked for.
import Foundation
import SynmMath

extension Distribution {
    /// The distributions with `_lcdf`, `_lccdf` and `_cdf` functions (and truncation).
    public static let withCDF: Set<Distribution> = [
        .normal, .lognormal, .logistic, .cauchy, .doubleExponential, .gumbel, .exponential, .weibull, .frechet,
        .rayleigh, .pareto, .uniform, .poisson, .binomial, .stdNormal, .gamma, .invGamma, .chiSquare, .invChiSquare,
        .scaledInvChiSquare, .beta, .studentT, .negBinomial2, .bernoulli, .negBinomial, .betaProportion,
        .betaBinomial, .skewNormal, .vonMises,
    ]

    /// log P(Y ≤ y) (or log P(Y > y) when `upper`) under `d` with valid arguments `a, b, c`
    /// in Stan order, and its partials in `p` (∂/∂y in `p.variate`, 0 for discrete `d`).
    /// Outside the support the value is the limit (−∞ or 0) with all partials 0. Only for
    /// `withCDF` (others give NaN). Discrete variates are floored (P(Y ≤ 2.5) = P(Y ≤ 2)).
    @inlinable
    public static func logCDF<T: RealScalar>(
        _ d: Distribution, variate y: T, _ a: T, _ b: T = 0, _ c: T = 0, upper: Bool,
        partials p: inout DensityPartials<T>
    ) -> T {
        p.zero()
        switch d {
        case .normal, .logistic, .cauchy, .doubleExponential, .gumbel:
            let invSigma = 1 / b
            let z = (y - a) * invSigma
            let (value, dz) = Kernels.standardLogCDF(d, z, upper: upper)
            p.variate = dz * invSigma
            p.a = -dz * invSigma
            p.b = -dz * z * invSigma
            return value
        case .stdNormal:
            let (value, dz) = Kernels.standardLogCDF(.normal, y, upper: upper)
            p.variate = dz
            return value
        case .lognormal:
            guard y.value > 0 else { return upper ? 0 : T(-Double.infinity) }
            guard y.value < .infinity else { return upper ? T(-Double.infinity) : 0 }
            let invSigma = 1 / b
            let z = (T.log(y) - a) * invSigma
            let (value, dz) = Kernels.standardLogCDF(.normal, z, upper: upper)
            p.variate = dz * invSigma / y
            p.a = -dz * invSigma
            p.b = -dz * z * invSigma
            return value
        case .exponential, .weibull, .frechet, .rayleigh, .pareto:
            return Kernels.exponentialTypeLogCDF(d, y, a, b, upper: upper, &p)
        case .uniform:
            if y.value <= a.value { return upper ? 0 : T(-Double.infinity) }
            if y.value >= b.value { return upper ? T(-Double.infinity) : 0 }
            let invWidth = 1 / (b - a)
            if upper {
                let invRest = 1 / (b - y)
                p.variate = -invRest
                p.a = invWidth
                p.b = invRest - invWidth
                return T.log(b - y) + T.log(invWidth)
            }
            let invDone = 1 / (y - a)
            p.variate = invDone
            p.a = invWidth - invDone
            p.b = -invWidth
            return T.log(y - a) + T.log(invWidth)
        case .gamma, .invGamma, .chiSquare, .invChiSquare, .scaledInvChiSquare:
            return Kernels.gammaTypeLogCDF(d, y, a, b, upper: upper, &p)
        case .beta:
            if y.value <= 0 { return upper ? 0 : T(-Double.infinity) }
            if y.value >= 1 { return upper ? T(-Double.infinity) : 0 }
            let r = Kernels.incompleteBeta(a, b, y, upper: upper)
            p.variate = r.dx / r.value; p.a = r.da / r.value; p.b = r.db / r.value
            return T.log(r.value)
        case .studentT:
            return Kernels.studentTLogCDF(y, a, b, c, upper: upper, &p)
        case .negBinomial2:
            let k = y.value.rounded(.down)
            if k < 0 { return upper ? 0 : T(-Double.infinity) }
            // F(k) = I_q(φ, k + 1), q = φ/(μ + φ).
            let total = a + b
            let q = b / total
            let r = Kernels.incompleteBeta(b, T(k + 1), q, upper: upper)
            let dqdMu = -b / (total * total), dqdPhi = a / (total * total)
            p.a = r.dx * dqdMu / r.value
            p.b = (r.da + r.dx * dqdPhi) / r.value
            return T.log(r.value)
        case .poisson:
            return Kernels.poissonLogCDF(y.value.rounded(.down), a, upper: upper, &p)
        case .binomial:
            return Kernels.binomialLogCDF(y.value.rounded(.down), a.value, b, upper: upper, &p)
        case .bernoulli:
            return Kernels.bernoulliLogCDF(y.value.rounded(.down), a, upper: upper, &p)
        case .negBinomial:
            return Kernels.negBinomialLogCDF(y.value.rounded(.down), a, b, upper: upper, &p)
        case .betaBinomial:
            return Kernels.betaBinomialLogCDF(y.value.rounded(.down), a, b, c, upper: upper, &p)
        case .betaProportion:
            return Kernels.betaProportionLogCDF(y, a, b, upper: upper, &p)
        case .skewNormal:
            return Kernels.skewNormalLogCDF(y, a, b, c, upper: upper, &p)
        case .vonMises:
            return Kernels.vonMisesLogCDF(y, a, b, upper: upper, &p)
        default:
            return T(Double.nan)
        }
    }
}

extension Kernels {
    /// 1/(eᵗ − 1) for t > 0 in `T` arithmetic: as e^{−t}/(1 − e^{−t}) for t > 1, so that
    /// neither the value nor a dual tangent overflows (eᵗ·ṫ would be ∞·0 = NaN).
    @inlinable static func inverseExpm1<T: RealScalar>(_ t: T) -> T {
        if t.value > 1 {
            let e = T.exp(-t)
            return e / (-T.expm1(-t))
        }
        return 1 / T.expm1(t)
    }

    /// log F(z) (or log(1 − F(z)) when `upper`) of a standard location-scale family, and its
    /// z-derivative.
    @inlinable static func standardLogCDF<T: RealScalar>(_ d: Distribution, _ z: T, upper: Bool) -> (T, T) {
        // The upper tail is the lower tail at −z for the symmetric families.
        let s: T = upper ? -z : z
        let sign: T = upper ? -1 : 1
        switch d {
        case .normal:
            let (l, r) = logPhi(s)
            return (l, sign * r)
        case .logistic:
            // log σ(s) = −log1p(e^{−s}); d/ds = σ(−s).
            return (-log1pExp(-s), sign * invLogit(-s))
        case .cauchy:
            // F(s) = ½ + atan(s)/π, written as atan(−1/s)/π for s < 0 (no cancellation).
            let f = s.value < 0 ? T.atan(-1 / s) * T(1 / Double.pi) : 0.5 + T.atan(s) * T(1 / Double.pi)
            return (T.log(f), sign / (T(Double.pi) * (1 + s * s) * f))
        case .doubleExponential:
            if s.value < 0 { return (T(-0.693_147_180_559_945_3) + s, sign) }
            let h = 0.5 * T.exp(-s)
            return (T.log1p(-h), sign * h / (1 - h))
        case .gumbel:
            let e = T.exp(-z)
            if upper {
                // log(1 − exp(−e^{−z})); d/dz = −e^{−z}/expm1(e^{−z}).
                return (log1mExp(-e), -e * inverseExpm1(e))
            }
            return (-e, e)
        default:
            return (T(Double.nan), 0)
        }
    }

    /// The families with F or 1 − F = e^{−t}: exponential (t = βy, 1 − F), weibull
    /// (t = (y/σ)^α, 1 − F), rayleigh (t = y²/2σ², 1 − F), pareto (t = α log(y/y_min), 1 − F)
    /// and frechet (t = (y/σ)^{−α}, F). The other side is log(1 − e^{−t}), with
    /// d/dt = 1/expm1(t).
    @inlinable static func exponentialTypeLogCDF<T: RealScalar>(
        _ d: Distribution, _ y: T, _ a: T, _ b: T, upper: Bool, _ p: inout DensityPartials<T>
    ) -> T {
        let lowest = d == .pareto ? a.value : 0
        if y.value <= lowest || (d != .pareto && y.value <= 0) {
            // frechet: F(0) = 0 too.
            return upper ? 0 : T(-Double.infinity)
        }
        if y.value == .infinity { return upper ? T(-Double.infinity) : 0 }
        var t: T
        var dy: T, da: T, db: T
        var tailIsUpper = true  // e^{−t} is 1 − F (else F, for frechet)
        switch d {
        case .exponential:
            t = a * y
            dy = a; da = y; db = 0
        case .weibull:
            let logR = T.log(y / b)
            t = T.exp(a * logR)
            dy = a * t / y; da = t * logR; db = -a * t / b
        case .frechet:
            let logR = T.log(y / b)
            t = T.exp(-a * logR)
            dy = -a * t / y; da = -t * logR; db = a * t / b
            tailIsUpper = false
        case .rayleigh:
            let r = y / a
            t = 0.5 * r * r
            dy = r / a; da = -2 * t / a; db = 0
        default:  // pareto(y_min, α)
            let logRatio = T.log(y) - T.log(a)
            t = b * logRatio
            dy = b / y; da = -b / a; db = logRatio
        }
        let scale: T
        let value: T
        if upper == tailIsUpper {
            value = -t
            scale = -1
        } else {
            value = log1mExp(-t)
            scale = inverseExpm1(t)
        }
        p.variate = scale * dy
        p.a = scale * da
        p.b = scale * db
        return value
    }

    /// The gamma-type families through P(a, x) (Kernels.logIncompleteGamma): gamma(α, β),
    /// F = P(α, βy); chi_square(ν), F = P(ν/2, y/2); inv_gamma(α, β), F = Q(α, β/y);
    /// inv_chi_square(ν), F = Q(ν/2, 1/(2y)); scaled_inv_chi_square(ν, s), F = Q(ν/2, νs²/(2y)).
    @inlinable static func gammaTypeLogCDF<T: RealScalar>(
        _ d: Distribution, _ y: T, _ a: T, _ b: T, upper: Bool, _ p: inout DensityPartials<T>
    ) -> T {
        guard y.value > 0 else { return upper ? 0 : T(-Double.infinity) }
        guard y.value < .infinity else { return upper ? T(-Double.infinity) : 0 }
        switch d {
        case .gamma:
            let r = logIncompleteGamma(a, b * y, upper: upper)
            p.variate = r.dx * b; p.a = r.da; p.b = r.dx * y
            return r.value
        case .chiSquare:
            let r = logIncompleteGamma(0.5 * a, 0.5 * y, upper: upper)
            p.variate = 0.5 * r.dx; p.a = 0.5 * r.da
            return r.value
        case .invGamma:
            let r = logIncompleteGamma(a, b / y, upper: !upper)
            p.variate = -r.dx * b / (y * y); p.a = r.da; p.b = r.dx / y
            return r.value
        case .invChiSquare:
            let r = logIncompleteGamma(0.5 * a, 0.5 / y, upper: !upper)
            p.variate = -0.5 * r.dx / (y * y); p.a = 0.5 * r.da
            return r.value
        default:  // scaled_inv_chi_square(ν, s)
            let s2 = b * b
            let r = logIncompleteGamma(0.5 * a, 0.5 * a * s2 / y, upper: !upper)
            p.variate = -r.dx * 0.5 * a * s2 / (y * y)
            p.a = 0.5 * r.da + r.dx * 0.5 * s2 / y
            p.b = r.dx * a * b / y
            return r.value
        }
    }

    /// student_t(ν, μ, σ) with t = (y − μ)/σ and x = ν/(ν + t²): the tail beyond |t| is
    /// ½·I_x(ν/2, ½), the other side ½(1 + (1 − I_x)) (each from its own side of the
    /// incomplete beta function, no cancellation); ∂/∂t is the t density, ∂/∂ν through
    /// ∂I/∂a and ∂I/∂x·∂x/∂ν with ∂x/∂ν = t²/(ν + t²)².
    @inlinable static func studentTLogCDF<T: RealScalar>(
        _ y: T, _ nu: T, _ mu: T, _ sigma: T, upper: Bool, _ p: inout DensityPartials<T>
    ) -> T {
        let t = (y - mu) / sigma
        // The t density at t (∂F/∂t).
        let f = T.exp(logGammaDifference(0.5 * nu, 0.5) - 0.5 * T.log(nu * T(Double.pi))
                      - 0.5 * (nu + 1) * T.log1p(t * t / nu))
        var value: T, dNu: T
        if t.value == 0 {
            value = T(-0.693_147_180_559_945_3)  // log ½ on both sides, for every ν
            dNu = 0
        } else {
            let denominator = nu + t * t
            let x = nu / denominator
            let dxdNu = t * t / (denominator * denominator)
            let smallSide = (t.value < 0) != upper  // the side of the tail beyond |t|
            let r = Kernels.incompleteBeta(0.5 * nu, T(0.5), x, upper: !smallSide)
            // small = ½I, big = ½(1 + (1 − I)); ∂small/∂ν = ½(½ ∂I/∂a + ∂I/∂x ∂x/∂ν).
            let side = smallSide ? 0.5 * r.value : 0.5 * (1 + r.value)
            dNu = 0.5 * (0.5 * r.da + r.dx * dxdNu) / side
            value = T.log(side)
        }
        let fOver = T.exp(T.log(f) - value)  // f/F (or f/S)
        let dt = upper ? -fOver : fOver
        let invSigma = 1 / sigma
        p.variate = dt * invSigma
        p.a = dNu
        p.b = -dt * invSigma
        p.c = -dt * t * invSigma
        return value
    }

    /// poisson: F(k) = Q(k + 1, λ) (the regularised upper incomplete gamma function),
    /// 1 − F = P(k + 1, λ), each computed directly; ∂F/∂λ = −f(k), f the pmf.
    @inlinable static func poissonLogCDF<T: RealScalar>(
        _ k: Double, _ lambda: T, upper: Bool, _ p: inout DensityPartials<T>
    ) -> T {
        if k < 0 { return upper ? 0 : T(-Double.infinity) }
        let l0 = lambda.value
        if l0 == 0 { return upper ? T(-Double.infinity) : 0 }
        let side = upper ? regularizedGammaP(a: k + 1, x: l0) : regularizedGammaQ(a: k + 1, x: l0)
        // f(k) = exp(k log λ − λ − log k!) in T (its tangent is f′ = f(k/λ − 1)).
        let f = T.exp(T(k) * T.log(lambda) - lambda - T(logGamma(k + 1)))
        let dSide = upper ? f : -f
        let sideT = lift(lambda, value: side, derivative: dSide)
        p.a = dSide / sideT
        return lift(lambda, value: Foundation.log(side), derivative: p.a)
    }

    /// binomial: F(k) = I_{1−θ}(N − k, k + 1), 1 − F = I_θ(k + 1, N − k) (regularised
    /// incomplete beta, each side directly); ∂F/∂θ = −(N − k)·C(N, k)·θᵏ(1 − θ)^{N−k−1}.
    /// At θ ∈ {0, 1} the value is the degenerate limit and the partial 0.
    @inlinable static func binomialLogCDF<T: RealScalar>(
        _ k: Double, _ n: Double, _ theta: T, upper: Bool, _ p: inout DensityPartials<T>
    ) -> T {
        if k < 0 { return upper ? 0 : T(-Double.infinity) }
        if k >= n { return upper ? T(-Double.infinity) : 0 }
        let t0 = theta.value
        if t0 == 0 { return upper ? T(-Double.infinity) : 0 }
        if t0 == 1 { return upper ? 0 : T(-Double.infinity) }
        let side = upper ? regularizedIncompleteBeta(a: k + 1, b: n - k, x: t0)
            : regularizedIncompleteBeta(a: n - k, b: k + 1, x: 1 - t0)
        let g = T(n - k) * T.exp(T(logChoose(n, k)) + T(k) * T.log(theta) + T(n - k - 1) * T.log1p(-theta))
        let dSide = upper ? g : -g
        let sideT = lift(theta, value: side, derivative: dSide)
        p.b = dSide / sideT
        return lift(theta, value: Foundation.log(side), derivative: p.b)
    }
}

extension Distribution {
    /// One draw of `d` (valid arguments `a, b, c`) truncated to [lower, upper] (nil: no
    /// bound), or nil when the interval has probability 0 in double precision.
    ///
    /// Continuous families invert the CDF (Devroye 1986, II.2): u uniform on (F(L), F(U)),
    /// y = F⁻¹(u) — or, when F(L) > ½, on the survival side, s on (S(U), S(L)) and
    /// y = S⁻¹(s), so a bound far in the upper tail keeps its precision. Counts draw by
    /// rejection (up to 100 tries), then by inversion walking the pmf up from L.
    public static func sampleTruncated(
        _ d: Distribution, _ a: Double, _ b: Double = 0, _ c: Double = 0, lower: Double?, upper: Double?,
        rng: inout some RandomNumberGenerator
    ) -> Double? {
        if d.isDiscrete { return sampleTruncatedCount(d, a, b, c, lower: lower, upper: upper, rng: &rng) }
        var p = DensityPartials<Double>()
        func cdf(_ y: Double?, _ side: Bool, _ missing: Double) -> Double {
            guard let y else { return missing }
            return Foundation.exp(logCDF(d, variate: y, a, b, c, upper: side, partials: &p))
        }
        let lowerCDF = cdf(lower, false, 0)
        let u = rng.uniform01()
        var y: Double
        if lowerCDF > 0.5 {
            let sl = cdf(lower, true, 1), su = cdf(upper, true, 0)
            guard sl > su else { return nil }
            y = quantile(d, a, b, c, survival: su + u * (sl - su))
        } else {
            let fu = cdf(upper, false, 1)
            guard fu > lowerCDF else { return nil }
            y = quantile(d, a, b, c, cdf: lowerCDF + u * (fu - lowerCDF))
        }
        if let lower { y = Swift.max(y, lower) }
        if let upper { y = Swift.min(y, upper) }
        return y
    }

    /// F⁻¹(p) (closed forms; SynmMath's `normalQuantile` for the normal families).
    static func quantile(_ d: Distribution, _ a: Double, _ b: Double, _ c: Double = 0, cdf q: Double) -> Double {
        switch d {
        case .normal: return a + b * normalQuantile(q)
        case .stdNormal: return normalQuantile(q)
        case .lognormal: return Foundation.exp(a + b * normalQuantile(q))
        case .logistic: return a + b * (Foundation.log(q) - Foundation.log1p(-q))
        case .cauchy: return q < 0.5 ? a - b / Foundation.tan(Double.pi * q) : a + b * Foundation.tan(Double.pi * (q - 0.5))
        case .doubleExponential: return q < 0.5 ? a + b * Foundation.log(2 * q) : a - b * Foundation.log(2 * (1 - q))
        case .gumbel: return a - b * Foundation.log(-Foundation.log(q))
        case .exponential: return -Foundation.log1p(-q) / a
        case .weibull: return b * Foundation.pow(-Foundation.log1p(-q), 1 / a)
        case .frechet: return b * Foundation.pow(-Foundation.log(q), -1 / a)
        case .rayleigh: return a * (-2 * Foundation.log1p(-q)).squareRoot()
        case .pareto: return a * Foundation.exp(-Foundation.log1p(-q) / b)
        case .uniform: return a + q * (b - a)
        case .beta: return inverseRegularizedIncompleteBeta(a: a, b: b, p: q)
        case .studentT: return b + c * standardTQuantile(nu: a, target: q, survival: false)
        case .betaProportion: return inverseRegularizedIncompleteBeta(a: a * b, b: (1 - a) * b, p: q)
        case .skewNormal: return a + b * realLineQuantile(.skewNormal, 0, 1, c, target: q, survival: false)
        case .vonMises: return realLineQuantile(.vonMises, a, b, 0, target: q, survival: false)
        default: return quantileByBisection(d, a, b, target: q, survival: false)
        }
    }

    /// The y with F(y) = target (or S(y) = target), by bisection in log y on the positive
    /// half-line (the gamma-type families, whose inverse has no closed form): 200 halvings
    /// of a bracket grown from 1 reach adjacent doubles.
    static func quantileByBisection(_ d: Distribution, _ a: Double, _ b: Double, target: Double, survival: Bool) -> Double {
        var p = DensityPartials<Double>()
        // g(y) increases in y: F(y) − target, or target − S(y).
        func g(_ y: Double) -> Double {
            let v = Foundation.exp(logCDF(d, variate: y, a, b, upper: survival, partials: &p))
            return survival ? target - v : v - target
        }
        var lo = 1.0, hi = 1.0
        while g(lo) > 0, lo > 1e-300 { lo /= 16 }
        while g(hi) < 0, hi < 1e300 { hi *= 16 }
        for _ in 0..<200 {
            let mid = (lo * hi).squareRoot()
            if mid <= lo || mid >= hi { break }
            if g(mid) < 0 { lo = mid } else { hi = mid }
        }
        return (lo * hi).squareRoot()
    }

    /// The standard student-t quantile (F(t) = target, or S(t) = target) by bisection on the
    /// real line: a bracket grown from [−1, 1] by doubling, then halving to adjacent doubles.
    static func standardTQuantile(nu: Double, target: Double, survival: Bool) -> Double {
        realLineQuantile(.studentT, nu, 0, 1, target: target, survival: survival)
    }

    /// The y with F(y) = target (or S(y) = target) of a family on the real line with
    /// arguments (a, b, c), by bisection: a bracket grown from [−1, 1] by doubling, then
    /// halving to adjacent doubles.
    static func realLineQuantile(_ d: Distribution, _ a: Double, _ b: Double, _ c: Double, target: Double,
                                 survival: Bool) -> Double {
        var p = DensityPartials<Double>()
        func g(_ t: Double) -> Double {
            let v = Foundation.exp(logCDF(d, variate: t, a, b, c, upper: survival, partials: &p))
            return survival ? target - v : v - target
        }
        var lo = -1.0, hi = 1.0
        while g(lo) > 0, lo > -1e300 { lo *= 2 }
        while g(hi) < 0, hi < 1e300 { hi *= 2 }
        for _ in 0..<2100 {
            let mid = 0.5 * (lo + hi)
            if mid <= lo || mid >= hi { break }
            if g(mid) < 0 { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }

    /// S⁻¹(s), s = 1 − F (the upper tail without 1 − s cancellation).
    static func quantile(_ d: Distribution, _ a: Double, _ b: Double, _ c: Double = 0, survival s: Double) -> Double {
        switch d {
        case .normal: return a - b * normalQuantile(s)
        case .stdNormal: return -normalQuantile(s)
        case .lognormal: return Foundation.exp(a - b * normalQuantile(s))
        case .logistic: return a - b * (Foundation.log(s) - Foundation.log1p(-s))
        case .cauchy: return s < 0.5 ? a + b / Foundation.tan(Double.pi * s) : a - b * Foundation.tan(Double.pi * (s - 0.5))
        case .doubleExponential: return s < 0.5 ? a - b * Foundation.log(2 * s) : a + b * Foundation.log(2 * (1 - s))
        case .gumbel: return a - b * Foundation.log(-Foundation.log1p(-s))
        case .exponential: return -Foundation.log(s) / a
        case .weibull: return b * Foundation.pow(-Foundation.log(s), 1 / a)
        case .frechet: return b * Foundation.pow(-Foundation.log1p(-s), -1 / a)
        case .rayleigh: return a * (-2 * Foundation.log(s)).squareRoot()
        case .pareto: return a * Foundation.exp(-Foundation.log(s) / b)
        case .uniform: return b - s * (b - a)
        case .beta: return 1 - inverseRegularizedIncompleteBeta(a: b, b: a, p: s)
        case .studentT: return b + c * standardTQuantile(nu: a, target: s, survival: true)
        case .betaProportion: return 1 - inverseRegularizedIncompleteBeta(a: (1 - a) * b, b: a * b, p: s)
        case .skewNormal: return a + b * realLineQuantile(.skewNormal, 0, 1, c, target: s, survival: true)
        case .vonMises: return realLineQuantile(.vonMises, a, b, 0, target: s, survival: true)
        default: return quantileByBisection(d, a, b, target: s, survival: true)
        }
    }

    /// A count family on [L, U]: rejection, then inversion from L.
    static func sampleTruncatedCount(
        _ d: Distribution, _ a: Double, _ b: Double, _ c: Double, lower: Double?, upper: Double?,
        rng: inout some RandomNumberGenerator
    ) -> Double? {
        let lo = Swift.max(lower ?? 0, 0)
        let largest: Double = switch d {
        case .binomial, .betaBinomial: a
        case .bernoulli: 1
        default: .infinity
        }
        let hi = Swift.min(upper ?? .infinity, largest)
        guard lo <= hi else { return nil }
        for _ in 0..<100 {
            let y = sample(d, a, b, c, rng: &rng)
            if y >= lo && y <= hi { return y }
        }
        // Inversion: P(L ≤ Y ≤ U) from the CDFs, then walk the pmf up from L.
        var p = DensityPartials<Double>()
        let below = lo > 0 ? Foundation.exp(logCDF(d, variate: lo - 1, a, b, c, upper: false, partials: &p)) : 0
        let upTo = hi.isFinite ? Foundation.exp(logCDF(d, variate: hi, a, b, c, upper: false, partials: &p)) : 1
        let mass = upTo - below
        guard mass > 0 else { return nil }
        var target = rng.uniform01() * mass
        var k = lo
        while k < hi {
            target -= Foundation.exp(logDensity(d, k, args: [a, b, c].prefix(d.arity).map { $0 }))
            if target <= 0 { return k }
            k += 1
        }
        return hi
    }
}
