// The scalar functions the tape applies elementwise, each with its local derivative written
// in T arithmetic (so on Dual the partials carry tangents and second order comes for free).
import Foundation
import SynmMath

/// A differentiable function of one argument, applied elementwise by `Tape.apply(_:to:)`.
public enum UnaryFunction: Sendable, CaseIterable {
    /// −x.
    case negate
    /// eˣ.
    case exp
    /// log x.
    case log
    /// log(1 + x).
    case log1p
    /// eˣ − 1.
    case expm1
    /// √x.
    case sqrt
    /// x².
    case square
    /// |x| (derivative sign x, 0 at 0).
    case abs
    /// 1/(1 + e⁻ˣ).
    case invLogit
    /// log(x/(1 − x)).
    case logit
    /// log Γ(x).
    case lgamma
    /// log(1 + eˣ), without overflow.
    case log1pExp
    /// tanh x.
    case tanh
    /// atan x.
    case atan
    /// erf x (derivative 2/√π·e^{−x²}).
    case erf
    /// erfc x = 1 − erf x, accurate in the upper tail.
    case erfc
    /// Stan's Phi_approx: inv_logit(0.07056x³ + 1.5976x) (Bowling et al. 2009).
    case phiApprox
    /// Stan's inv_cloglog: 1 − exp(−eˣ).
    case invCloglog
    /// ⌊x⌋ (derivative 0, as Stan).
    case floor
    /// ⌈x⌉ (derivative 0).
    case ceil
    /// x rounded half away from zero (derivative 0).
    case round
    /// Stan's step: 0 for x < 0, else 1 (derivative 0).
    case step
    /// Stan's int_step: 1 for x > 0, else 0 (NaN gives 0; derivative 0).
    case intStep
    /// log(1 − eˣ) for x < 0 (Mächler 2012's two branches); derivative eˣ/expm1(x).
    case log1mExp
    /// log₂ x.
    case log2
    /// log₁₀ x.
    case log10
    /// 2ˣ.
    case exp2
    /// ∛x.
    case cbrt
    /// 1/√x.
    case invSqrt
    /// 1/x².
    case invSquare
    /// sin x.
    case sin
    /// cos x.
    case cos
    /// tan x.
    case tan
    /// asin x (|x| < 1 for the derivative).
    case asin
    /// acos x.
    case acos
    /// sinh x.
    case sinh
    /// cosh x.
    case cosh
    /// asinh x.
    case asinh
    /// acosh x (x > 1 for the derivative).
    case acosh
    /// atanh x (|x| < 1).
    case atanh
    /// x rounded toward zero (derivative 0).
    case trunc
    /// Φ⁻¹(p), the standard normal quantile (SynmMath's `normalQuantile`); derivative 1/φ(Φ⁻¹(p)).
    case invPhi
    /// Γ(x); derivative Γ(x)ψ(x).
    case tgamma

    /// f(x) and f′(x). Values are computed exactly as the `Double` functions of SynmMath
    /// compute them (`invLogit`, `logit`, `log1pExp`), so tape values match plain code.
    @inlinable public func valueAndDerivative<T: RealScalar>(_ x: T) -> (value: T, derivative: T) {
        switch self {
        case .negate: return (-x, -1)
        case .exp:
            let e = T.exp(x)
            return (e, e)
        case .log: return (T.log(x), 1 / x)
        case .log1p: return (T.log1p(x), 1 / (1 + x))
        case .expm1: return (T.expm1(x), T.exp(x))
        case .sqrt:
            let s = T.sqrt(x)
            return (s, 0.5 / s)
        case .square: return (x * x, 2 * x)
        case .abs: return (T.abs(x), x > 0 ? 1 : (x < 0 ? -1 : 0))
        case .invLogit:
            let (p, q) = Self.invLogitAndComplement(x)
            return (p, p * q)
        case .logit: return (Self.logit(x), 1 / (x * (1 - x)))
        case .lgamma: return (T.lgamma(x), T.digamma(x))
        case .log1pExp:
            let v = x > 0 ? x + T.log1p(T.exp(-x)) : T.log1p(T.exp(x))
            return (v, Self.invLogitAndComplement(x).p)
        case .tanh:
            let t = T.tanh(x)
            return (t, 1 - t * t)
        case .atan: return (T.atan(x), 1 / (1 + x * x))
        case .erf:
            let d = T(1.128_379_167_095_512_573_9) * T.exp(-x * x)  // 2/√π
            return (lift(x, value: Foundation.erf(x.value), derivative: d), d)
        case .erfc:
            let d = T(-1.128_379_167_095_512_573_9) * T.exp(-x * x)
            return (lift(x, value: Foundation.erfc(x.value), derivative: d), d)
        case .phiApprox:
            let u = 0.07056 * x * x * x + 1.5976 * x
            let (p, q) = Self.invLogitAndComplement(u)
            return (p, p * q * (0.21168 * x * x + 1.5976))
        case .invCloglog:
            // 1 − exp(−eˣ) = −expm1(−eˣ); derivative exp(x − eˣ).
            let e = T.exp(x)
            return (-T.expm1(-e), T.exp(x - e))
        case .floor: return (T(x.value.rounded(.down)), 0)
        case .ceil: return (T(x.value.rounded(.up)), 0)
        case .round: return (T(x.value.rounded(.toNearestOrAwayFromZero)), 0)
        case .step: return (x.value < 0 ? 0 : 1, 0)
        case .intStep: return (x.value > 0 ? 1 : 0, 0)
        case .log1mExp:
            let v = x.value > -0.693_147_180_559_945_3 ? T.log(-T.expm1(x)) : T.log1p(-T.exp(x))
            return (v, T.exp(x) / T.expm1(x))
        case .log2:
            let c = 1.442_695_040_888_963_407_4  // 1/ln 2
            return (T.log(x) * T(c), T(c) / x)
        case .log10:
            let c = 0.434_294_481_903_251_827_65  // 1/ln 10
            return (T.log(x) * T(c), T(c) / x)
        case .exp2:
            let v = T.exp(x * T(0.693_147_180_559_945_309_42))
            return (v, v * T(0.693_147_180_559_945_309_42))
        case .cbrt:
            let c = lift(x, value: Foundation.cbrt(x.value), derivative: T(1 / (3 * Foundation.cbrt(x.value) * Foundation.cbrt(x.value))))
            return (c, 1 / (3 * c * c))
        case .invSqrt:
            let r = 1 / T.sqrt(x)
            return (r, -0.5 * r / x)
        case .invSquare:
            let r = 1 / (x * x)
            return (r, -2 * r / x)
        case .sin, .cos:
            let s0 = Foundation.sin(x.value), c0 = Foundation.cos(x.value)
            let s = lift(x, value: s0, derivative: T(c0)), c = lift(x, value: c0, derivative: T(-s0))
            return self == .sin ? (s, c) : (c, -s)
        case .tan:
            let t0 = Foundation.tan(x.value)
            let t = lift(x, value: t0, derivative: T(1 + t0 * t0))
            return (t, 1 + t * t)
        case .asin, .acos:
            let d = 1 / T.sqrt(1 - x * x)
            return self == .asin ? (lift(x, value: Foundation.asin(x.value), derivative: d), d)
                : (lift(x, value: Foundation.acos(x.value), derivative: -d), -d)
        case .sinh, .cosh:
            let s0 = Foundation.sinh(x.value), c0 = Foundation.cosh(x.value)
            let s = lift(x, value: s0, derivative: T(c0)), c = lift(x, value: c0, derivative: T(s0))
            return self == .sinh ? (s, c) : (c, s)
        case .asinh:
            let d = 1 / T.sqrt(x * x + 1)
            return (lift(x, value: Foundation.asinh(x.value), derivative: d), d)
        case .acosh:
            let d = 1 / T.sqrt(x * x - 1)
            return (lift(x, value: Foundation.acosh(x.value), derivative: d), d)
        case .atanh:
            let d = 1 / (1 - x * x)
            return (lift(x, value: Foundation.atanh(x.value), derivative: d), d)
        case .trunc: return (T(x.value.rounded(.towardZero)), 0)
        case .invPhi:
            // dz/dp = 1/φ(z) = √(2π)·e^{z²/2}; its own p-derivative is z/φ(z)².
            let z0 = normalQuantile(x.value)
            let d0 = 2.506_628_274_631_000_502_4 * Foundation.exp(0.5 * z0 * z0)
            let d = lift(x, value: d0, derivative: T(z0 * d0 * d0))
            return (lift(x, value: z0, derivative: d), d)
        case .tgamma:
            // Γ′ = Γψ, Γ″ = Γ(ψ² + ψ₁).
            let g0 = Foundation.tgamma(x.value), psi0 = digamma(x.value)
            let d = lift(x, value: g0 * psi0, derivative: T(g0 * (psi0 * psi0 + trigamma(x.value))))
            return (lift(x, value: g0, derivative: d), d)
        }
    }

    /// log(p/(1 − p)) in T, as SynmMath's `logit`: near p = ½ the form log1p((2p − 1)/(1 − p))
    /// keeps the relative error a few ulps where logit(p) ≈ 0.
    @inlinable static func logit<T: RealScalar>(_ p: T) -> T {
        if p >= 0.25 && p <= 0.75 { return T.log1p((2 * p - 1) / (1 - p)) }
        return T.log(p / (1 - p))
    }

    /// p = 1/(1 + e⁻ˣ) in T, branching like SynmMath's `invLogit` to avoid overflow, and
    /// q = 1 − p computed without cancellation (as e⁻ˣ·p, or 1/(1 + eˣ)), so p·q stays
    /// accurate in both tails (p·(1 − p) would lose all digits for x ≳ 30).
    @inlinable static func invLogitAndComplement<T: RealScalar>(_ x: T) -> (p: T, q: T) {
        if x >= 0 {
            let e = T.exp(-x)
            let p = 1 / (1 + e)
            return (p, e * p)
        }
        let e = T.exp(x)
        return (e / (1 + e), 1 / (1 + e))
    }
}

/// A differentiable function of two arguments, applied elementwise with broadcasting by
/// `Tape.apply(_:_:_:)`.
public enum BinaryFunction: Sendable, CaseIterable {
    /// a + b.
    case add
    /// a − b.
    case subtract
    /// a · b.
    case multiply
    /// a / b.
    case divide
    /// aᵇ.
    case pow

    /// f(a, b), ∂f/∂a and ∂f/∂b.
    ///
    /// For `pow`, ∂/∂b = aᵇ log a is taken as 0 at a = 0 (the limit from a > 0 when b > 0),
    /// and is NaN for a < 0, where aᵇ is not differentiable in b; it is only used when b
    /// is a variable.
    @inlinable public func valueAndPartials<T: RealScalar>(_ a: T, _ b: T) -> (value: T, da: T, db: T) {
        switch self {
        case .add: return (a + b, 1, 1)
        case .subtract: return (a - b, 1, -1)
        case .multiply: return (a * b, b, a)
        case .divide:
            let q = a / b
            return (q, 1 / b, -q / b)
        case .pow:
            let v = T.pow(a, b)
            let da = b * T.pow(a, b - 1)
            let db: T = a == 0 ? 0 : v * T.log(a)
            return (v, da, db)
        }
    }
}
