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
