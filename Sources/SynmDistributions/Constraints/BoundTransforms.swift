// Transforms from the unconstrained real line to bounded parameters (Stan Reference Manual,
// "Constraint Transforms": lower/upper bounded and lower+upper bounded scalars), each with
// its log |Jacobian| (generic, for the log density) and its inverse (Double, for inits and output).
import Foundation
import SynmMath

/// x = lb + eᵘ, for `real<lower=lb>`. log |dx/du| = u.
public enum LowerBoundTransform {
    /// The constrained value lb + eᵘ.
    @inlinable public static func constrain<T: RealScalar>(_ u: T, lower: T) -> T {
        lower + T.exp(u)
    }

    /// The constrained value and log |dx/du| = u.
    @inlinable public static func constrainWithLogJacobian<T: RealScalar>(_ u: T, lower: T)
        -> (value: T, logJacobian: T)
    {
        (lower + T.exp(u), u)
    }

    /// The inverse u = log(x − lb); requires x > lb (−∞ at x = lb, NaN below).
    @inlinable public static func unconstrain(_ x: Double, lower: Double) -> Double {
        Foundation.log(x - lower)
    }
}

/// x = ub − eᵘ, for `real<upper=ub>`. log |dx/du| = u.
public enum UpperBoundTransform {
    /// The constrained value ub − eᵘ.
    @inlinable public static func constrain<T: RealScalar>(_ u: T, upper: T) -> T {
        upper - T.exp(u)
    }

    /// The constrained value and log |dx/du| = u.
    @inlinable public static func constrainWithLogJacobian<T: RealScalar>(_ u: T, upper: T)
        -> (value: T, logJacobian: T)
    {
        (upper - T.exp(u), u)
    }

    /// The inverse u = log(ub − x); requires x < ub.
    @inlinable public static func unconstrain(_ x: Double, upper: Double) -> Double {
        Foundation.log(upper - x)
    }
}

/// x = lb + (ub − lb)·inv_logit(u), for `real<lower=lb, upper=ub>`.
/// log |dx/du| = log(ub − lb) + log inv_logit(u) + log inv_logit(−u)
///             = log(ub − lb) − log1p(e⁻ᵘ) − log1p(eᵘ), evaluated without overflow.
public enum IntervalTransform {
    /// The constrained value lb + (ub − lb)·inv_logit(u). For u ≫ 0 it is computed as
    /// ub − (ub − lb)·inv_logit(−u), so values near the upper bound keep their precision.
    @inlinable public static func constrain<T: RealScalar>(_ u: T, lower: T, upper: T) -> T {
        let width = upper - lower
        if u.value > 0 { return upper - width * invLogitT(-u) }
        return lower + width * invLogitT(u)
    }

    /// The constrained value and its log |dx/du|.
    @inlinable public static func constrainWithLogJacobian<T: RealScalar>(
        _ u: T, lower: T, upper: T
    ) -> (value: T, logJacobian: T) {
        let x = constrain(u, lower: lower, upper: upper)
        let logJ = T.log(upper - lower) - log1pExpT(-u) - log1pExpT(u)
        return (x, logJ)
    }

    /// The inverse u = log(x − lb) − log(ub − x) (= logit((x − lb)/(ub − lb)) without the
    /// rounding of the quotient); requires lb < x < ub.
    @inlinable public static func unconstrain(_ x: Double, lower: Double, upper: Double) -> Double {
        Foundation.log(x - lower) - Foundation.log(upper - x)
    }

    /// inv_logit in `T` arithmetic without overflow.
    @inlinable static func invLogitT<T: RealScalar>(_ x: T) -> T {
        if x.value >= 0 { return 1 / (1 + T.exp(-x)) }
        let e = T.exp(x)
        return e / (1 + e)
    }

    /// log(1 + eˣ) in `T` arithmetic without overflow.
    @inlinable static func log1pExpT<T: RealScalar>(_ x: T) -> T {
        x.value > 0 ? x + T.log1p(T.exp(-x)) : T.log1p(T.exp(x))
    }
}

/// Dispatch over Stan's scalar bound declarations, where an infinite bound means "absent"
/// (as in Stan: `real<lower=negative_infinity()>` is unconstrained).
public enum BoundsTransform {
    /// The constrained value and log |Jacobian| for bounds `lower`, `upper` (either may be
    /// infinite): identity, lower, upper or interval transform.
    @inlinable public static func constrainWithLogJacobian<T: RealScalar>(
        _ u: T, lower: T, upper: T
    ) -> (value: T, logJacobian: T) {
        switch (lower.value.isFinite, upper.value.isFinite) {
        case (false, false): return (u, 0)
        case (true, false): return LowerBoundTransform.constrainWithLogJacobian(u, lower: lower)
        case (false, true): return UpperBoundTransform.constrainWithLogJacobian(u, upper: upper)
        case (true, true): return IntervalTransform.constrainWithLogJacobian(u, lower: lower, upper: upper)
        }
    }

    /// The unconstrained value of `x` for bounds `lower`, `upper` (either may be infinite).
    @inlinable public static func unconstrain(_ x: Double, lower: Double, upper: Double) -> Double {
        switch (lower.isFinite, upper.isFinite) {
        case (false, false): return x
        case (true, false): return LowerBoundTransform.unconstrain(x, lower: lower)
        case (false, true): return UpperBoundTransform.unconstrain(x, upper: upper)
        case (true, true): return IntervalTransform.unconstrain(x, lower: lower, upper: upper)
        }
    }
}
