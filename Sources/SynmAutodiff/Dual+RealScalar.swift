// Dual's elementary functions: each value part is the Double function itself, each tangent
// part the exact derivative times the incoming tangent (lgamma′ = digamma, digamma′ = trigamma).
import SynmMath

extension Dual: RealScalar {
    /// eˣ; derivative eˣ.
    @inlinable public static func exp(_ x: Dual) -> Dual {
        let e = Double.exp(x.value)
        return Dual(e, tangent: e * x.tangent)
    }

    /// log x; derivative 1/x.
    @inlinable public static func log(_ x: Dual) -> Dual {
        Dual(Double.log(x.value), tangent: x.tangent / x.value)
    }

    /// log(1 + x); derivative 1/(1 + x).
    @inlinable public static func log1p(_ x: Dual) -> Dual {
        Dual(Double.log1p(x.value), tangent: x.tangent / (1 + x.value))
    }

    /// eˣ − 1; derivative eˣ (computed directly, not as expm1 + 1, to keep it accurate for x ≪ 0).
    @inlinable public static func expm1(_ x: Dual) -> Dual {
        Dual(Double.expm1(x.value), tangent: Double.exp(x.value) * x.tangent)
    }

    /// √x; derivative 1/(2√x).
    @inlinable public static func sqrt(_ x: Dual) -> Dual {
        let s = Double.sqrt(x.value)
        return Dual(s, tangent: x.tangent / (2 * s))
    }

    /// xʸ with both arguments dual: ∂/∂x = y·xʸ⁻¹, ∂/∂y = xʸ·log x.
    ///
    /// A term whose incoming tangent is zero is skipped rather than multiplied by zero, so
    /// `pow(x, 2)` with a constant exponent stays finite at x ≤ 0 (where log x is not). At
    /// x = 0 the ∂/∂y term is taken as 0 (its limit from x > 0 for y > 0), not 0·(−∞).
    @inlinable public static func pow(_ x: Dual, _ y: Dual) -> Dual {
        let v = Double.pow(x.value, y.value)
        var t = 0.0
        if x.tangent != 0 { t += y.value * Double.pow(x.value, y.value - 1) * x.tangent }
        if y.tangent != 0 && x.value != 0 { t += v * Double.log(x.value) * y.tangent }
        return Dual(v, tangent: t)
    }

    /// log Γ(x); derivative ψ(x) (digamma).
    @inlinable public static func lgamma(_ x: Dual) -> Dual {
        Dual(Double.lgamma(x.value), tangent: SynmMath.digamma(x.value) * x.tangent)
    }

    /// ψ(x); derivative ψ₁(x) (trigamma).
    /// Φ(x); derivative φ(x) = e^(−x²/2)/√(2π).
    @inlinable public static func normalCDF(_ x: Dual) -> Dual {
        let density = Double.exp(-0.5 * x.value * x.value) * 0.398_942_280_401_432_7  // 1/√(2π)
        return Dual(SynmMath.normalCDF(x.value), tangent: density * x.tangent)
    }

    @inlinable public static func digamma(_ x: Dual) -> Dual {
        Dual(Double.digamma(x.value), tangent: SynmMath.trigamma(x.value) * x.tangent)
    }

    /// tanh x; derivative 1 − tanh² x.
    @inlinable public static func tanh(_ x: Dual) -> Dual {
        let t = Double.tanh(x.value)
        return Dual(t, tangent: (1 - t * t) * x.tangent)
    }

    /// atan x; derivative 1/(1 + x²).
    @inlinable public static func atan(_ x: Dual) -> Dual {
        Dual(Double.atan(x.value), tangent: x.tangent / (1 + x.value * x.value))
    }

    /// |x|; derivative sign(x), taken as 0 at x = 0 (the midpoint of the subgradient).
    @inlinable public static func abs(_ x: Dual) -> Dual {
        let s: Double = x.value > 0 ? 1 : (x.value < 0 ? -1 : 0)
        return Dual(Double.abs(x.value), tangent: s * x.tangent)
    }
}
