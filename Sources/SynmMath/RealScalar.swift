// RealScalar: the arithmetic a log density needs, so one generic implementation runs on
// plain `Double` (values), and on the forward-mode `Dual` of SynmAutodiff (exact second
// derivatives by forward-over-reverse).

/// A real number type that densities, transforms and special functions are written over.
///
/// Conforming types: `Double` (here) and `Dual` (SynmAutodiff). Every operation must be the
/// exact derivative-propagating extension of the `Double` operation, so that code written
/// once over `RealScalar` gives values on `Double` and directional derivatives on `Dual`.
public protocol RealScalar: Sendable, Comparable, ExpressibleByFloatLiteral,
    ExpressibleByIntegerLiteral
{
    /// Lifts a constant (its derivative part is zero).
    init(_ value: Double)
    /// The value part (for `Double`, the number itself).
    var value: Double { get }

    /// Sum.
    static func + (a: Self, b: Self) -> Self
    /// Difference.
    static func - (a: Self, b: Self) -> Self
    /// Product.
    static func * (a: Self, b: Self) -> Self
    /// Quotient.
    static func / (a: Self, b: Self) -> Self
    /// Negation.
    static prefix func - (a: Self) -> Self
    /// In-place sum.
    static func += (a: inout Self, b: Self)
    /// In-place difference.
    static func -= (a: inout Self, b: Self)
    /// In-place product.
    static func *= (a: inout Self, b: Self)

    /// eˣ.
    static func exp(_ x: Self) -> Self
    /// Natural logarithm.
    static func log(_ x: Self) -> Self
    /// log(1 + x), accurate near 0.
    static func log1p(_ x: Self) -> Self
    /// eˣ − 1, accurate near 0.
    static func expm1(_ x: Self) -> Self
    /// Square root.
    static func sqrt(_ x: Self) -> Self
    /// xʸ.
    static func pow(_ x: Self, _ y: Self) -> Self
    /// log|Γ(x)| (thread-safe).
    static func lgamma(_ x: Self) -> Self
    /// ψ(x) = d/dx log Γ(x).
    static func digamma(_ x: Self) -> Self
    /// Φ(x), the standard normal CDF (derivative: the standard normal density).
    static func normalCDF(_ x: Self) -> Self
    /// Hyperbolic tangent.
    static func tanh(_ x: Self) -> Self
    /// Arctangent.
    static func atan(_ x: Self) -> Self
    /// Absolute value.
    static func abs(_ x: Self) -> Self
}

/// f(x) in `T` arithmetic for a function whose value is computed in Double: the value
/// `value` (= f(x.value)) carrying the first-order part `derivative`·(x − x.value). On
/// `Double` that part is exactly 0, so the result is `value` bit for bit; on a dual type it
/// is the tangent f′(x)·ẋ, so special functions without a `RealScalar` requirement (erf,
/// log I₀) still propagate exact directional derivatives. `derivative` must be finite.
@inlinable public func lift<T: RealScalar>(_ x: T, value: Double, derivative: T) -> T {
    let dx = x - T(x.value)
    if dx.value == 0, T.self == Double.self { return T(value) }
    return T(value) + derivative * dx
}
