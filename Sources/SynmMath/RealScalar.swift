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

    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static func / (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self
    static func += (a: inout Self, b: Self)
    static func -= (a: inout Self, b: Self)
    static func *= (a: inout Self, b: Self)

    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func log1p(_ x: Self) -> Self
    static func expm1(_ x: Self) -> Self
    static func sqrt(_ x: Self) -> Self
    static func pow(_ x: Self, _ y: Self) -> Self
    static func lgamma(_ x: Self) -> Self
    static func digamma(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
    static func atan(_ x: Self) -> Self
    static func abs(_ x: Self) -> Self
}
