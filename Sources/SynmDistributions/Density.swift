// Element-level log densities with partial derivatives, generic over RealScalar:
// the dispatcher, the fixed-size partials record, and shared numerically careful helpers.
import SynmMath

/// Partial derivatives of one log-density term: ∂/∂y and ∂/∂(argument 1, 2, 3).
///
/// Fixed-size (no heap). Every kernel writes all four slots on every call: slots of
/// unused arguments, integer arguments (binomial N) and discrete variates are set to 0,
/// and so are all slots when the variate is outside the support (value −∞).
public struct DensityPartials<T: RealScalar>: Sendable {
    /// ∂ log p / ∂y (0 for discrete variates).
    public var variate: T
    /// ∂ log p / ∂(first argument).
    public var a: T
    /// ∂ log p / ∂(second argument).
    public var b: T
    /// ∂ log p / ∂(third argument).
    public var c: T

    /// All-zero partials.
    @inlinable public init() {
        variate = 0; a = 0; b = 0; c = 0
    }

    /// Partials with the given slots.
    @inlinable public init(variate: T, a: T, b: T, c: T) {
        self.variate = variate; self.a = a; self.b = b; self.c = c
    }

    /// The partial for argument `i` (0-based), the variate partial for `i == -1`.
    @inlinable public func argument(_ i: Int) -> T {
        switch i {
        case -1: variate
        case 0: a
        case 1: b
        default: c
        }
    }

    /// Sets every slot to 0.
    @inlinable public mutating func zero() {
        variate = 0; a = 0; b = 0; c = 0
    }
}

extension Distribution {
    /// The normalised log density (log pdf or log pmf, all constants kept, matching
    /// `scipy.stats` `logpdf`/`logpmf`) of `y` under `d` with arguments `a, b, c` in Stan
    /// order (unused ones ignored), and its partial derivatives, all in `T` arithmetic, so
    /// that on a forward-mode dual type the partials are themselves exactly differentiated.
    ///
    /// - Arguments must be valid (see `validate`); the result for invalid ones is unspecified.
    /// - A variate outside the support gives −∞ with all partials 0. Supports are those of
    ///   `VariateKind`: open for positive/unit-interval variates (so gamma, weibull at y = 0
    ///   and beta at y ∈ {0, 1} give −∞), closed for exponential at 0 and for uniform.
    /// - Discrete variates must be integers (a non-integer gives −∞); `partials.variate` is 0.
    @inlinable
    public static func logDensity<T: RealScalar>(
        _ d: Distribution, variate y: T, _ a: T, _ b: T = 0, _ c: T = 0,
        partials p: inout DensityPartials<T>
    ) -> T {
        switch d {
        case .normal: return Kernels.normal(y, a, b, &p)
        case .studentT: return Kernels.studentT(y, a, b, c, &p)
        case .cauchy: return Kernels.cauchy(y, a, b, &p)
        case .doubleExponential: return Kernels.doubleExponential(y, a, b, &p)
        case .logistic: return Kernels.logistic(y, a, b, &p)
        case .lognormal: return Kernels.lognormal(y, a, b, &p)
        case .exponential: return Kernels.exponential(y, a, &p)
        case .gamma: return Kernels.gamma(y, a, b, &p)
        case .invGamma: return Kernels.invGamma(y, a, b, &p)
        case .weibull: return Kernels.weibull(y, a, b, &p)
        case .beta: return Kernels.beta(y, a, b, &p)
        case .uniform: return Kernels.uniform(y, a, b, &p)
        case .bernoulli: return Kernels.bernoulli(y, a, &p)
        case .bernoulliLogit: return Kernels.bernoulliLogit(y, a, &p)
        case .binomial: return Kernels.binomial(y, a, b, &p)
        case .binomialLogit: return Kernels.binomialLogit(y, a, b, &p)
        case .poisson: return Kernels.poisson(y, a, &p)
        case .poissonLog: return Kernels.poissonLog(y, a, &p)
        case .negBinomial2: return Kernels.negBinomial2(y, a, b, &p)
        case .betaBinomial: return Kernels.betaBinomial(y, a, b, c, &p)
        case .negBinomial: return Kernels.negBinomial(y, a, b, &p)
        case .vonMises: return Kernels.vonMises(y, a, b, &p)
        case .skewNormal: return Kernels.skewNormal(y, a, b, c, &p)
        case .gumbel: return Kernels.gumbel(y, a, b, &p)
        case .pareto: return Kernels.pareto(y, a, b, &p)
        case .scaledInvChiSquare: return Kernels.scaledInvChiSquare(y, a, b, &p)
        case .chiSquare: return Kernels.chiSquare(y, a, &p)
        case .invChiSquare: return Kernels.invChiSquare(y, a, &p)
        case .frechet: return Kernels.frechet(y, a, b, &p)
        case .rayleigh: return Kernels.rayleigh(y, a, &p)
        case .stdNormal: return Kernels.stdNormal(y, &p)
        case .betaProportion: return Kernels.betaProportion(y, a, b, &p)
        }
    }

    /// Double-only convenience for tests and simulation code: the log density of `y` with
    /// `args` in Stan order (`args.count` must equal `d.arity`). Does not validate.
    public static func logDensity(_ d: Distribution, _ y: Double, args: [Double]) -> Double {
        precondition(args.count == d.arity, "\(d.name) takes \(d.arity) arguments")
        var p = DensityPartials<Double>()
        return logDensity(
            d, variate: y, args.first ?? 0, args.count > 1 ? args[1] : 0, args.count > 2 ? args[2] : 0,
            partials: &p)
    }
}

/// The per-distribution kernels behind `Distribution.logDensity`. Public so a compiled model
/// that knows its distribution statically can call one directly (no dispatch); each has the
/// same contract as `Distribution.logDensity`.
public enum Kernels {
    /// 0.5·log(2π).
    @inlinable static var halfLog2Pi: Double { 0.918_938_533_204_672_741_78 }
    /// log(π).
    @inlinable static var logPi: Double { 1.144_729_885_849_400_174_14 }

    /// −∞ with all partials zeroed: the value outside the support.
    @inlinable static func outside<T: RealScalar>(_ p: inout DensityPartials<T>) -> T {
        p.zero()
        return T(-Double.infinity)
    }

    /// log(1 + eˣ) in `T` arithmetic without overflow.
    @inlinable static func log1pExp<T: RealScalar>(_ x: T) -> T {
        x.value > 0 ? x + T.log1p(T.exp(-x)) : T.log1p(T.exp(x))
    }

    /// inv_logit(x) = 1/(1 + e⁻ˣ) in `T` arithmetic without overflow.
    @inlinable static func invLogit<T: RealScalar>(_ x: T) -> T {
        if x.value >= 0 { return 1 / (1 + T.exp(-x)) }
        let e = T.exp(x)
        return e / (1 + e)
    }

    /// log C(n, k) for integers 0 ≤ k ≤ n. Constant in the parameters, so in Double. For
    /// n − k ≥ 99 (after k ↔ n − k symmetry) log Γ(n + 1) − log Γ(n − k + 1) is taken from
    /// `logGammaDifference`, avoiding the cancellation of two O(n log n) terms that costs the
    /// plain gammaln form (and scipy) about ulp(n log n) of absolute accuracy.
    @inlinable static func logChoose(_ n: Double, _ k: Double) -> Double {
        let k = Swift.min(k, n - k)
        let x = n - k + 1
        if x >= 100 { return logGammaDifference(x, k) - logGamma(k + 1) }
        return logGamma(n + 1) - logGamma(k + 1) - logGamma(x)
    }

    /// log Γ(x + h) − log Γ(x) for h ≥ 0. For x ≥ 100 it uses Stirling's series
    /// log Γ(x) = (x − ½) log x − x + ½ log 2π + δ(x) (DLMF 5.11.1), which gives
    /// (x − ½)·log1p(h/x) + h·log(x + h) − h + δ(x + h) − δ(x): no O(x log x) cancellation.
    @inlinable static func logGammaDifference<T: RealScalar>(_ x: T, _ h: T) -> T {
        guard x.value >= 100 else { return T.lgamma(x + h) - T.lgamma(x) }
        let xh = x + h
        return (x - 0.5) * T.log1p(h / x) + h * T.log(xh) - h + stirlingDelta(xh) - stirlingDelta(x)
    }

    /// ψ(x + h) − ψ(x), the x-derivative of `logGammaDifference`, in the same two regimes:
    /// for x ≥ 100, log1p(h/x) + h/(2x(x + h)) + δ′(x + h) − δ′(x), so it is the exact
    /// derivative of the Stirling form (and forward-mode differentiation stays consistent).
    @inlinable static func digammaDifference<T: RealScalar>(_ x: T, _ h: T) -> T {
        guard x.value >= 100 else { return T.digamma(x + h) - T.digamma(x) }
        let xh = x + h
        return T.log1p(h / x) + h / (2 * x * xh) + stirlingDeltaPrime(xh) - stirlingDeltaPrime(x)
    }

    /// δ(x) = log Γ(x) − [(x − ½) log x − x + ½ log 2π] ≈ 1/(12x) − 1/(360x³) + 1/(1260x⁵)
    /// − 1/(1680x⁷) (DLMF 5.11.1); truncation error < 1/(1188 x⁹), negligible for x ≥ 100.
    @inlinable static func stirlingDelta<T: RealScalar>(_ x: T) -> T {
        let inv = 1 / x
        let inv2 = inv * inv
        return inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680))))
    }

    /// δ′(x) = −1/(12x²) + 1/(120x⁴) − 1/(252x⁶) + 1/(240x⁸), the derivative of `stirlingDelta`.
    @inlinable static func stirlingDeltaPrime<T: RealScalar>(_ x: T) -> T {
        let inv2 = 1 / (x * x)
        return -inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240))))
    }

    /// True when `y` is an integer in [0, upper].
    @inlinable static func isCount(_ y: Double, upper: Double = .infinity) -> Bool {
        y >= 0 && y <= upper && y == y.rounded(.towardZero)
    }
}
