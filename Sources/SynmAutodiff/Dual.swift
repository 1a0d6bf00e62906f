// Dual: a forward-mode dual number (value + tangent·ε, ε² = 0). Running the reverse-mode
// tape over Dual gives exact Hessian–vector products (forward-over-reverse), see README.md.
import SynmMath

/// A dual number `value + tangent·ε` with `ε² = 0`: forward-mode automatic differentiation.
///
/// Every operation propagates the tangent by the exact chain rule, so for any function `f`
/// written over `RealScalar`, `f(Dual(x, tangent: v))` has value `f(x)` and tangent the
/// directional derivative `f′(x)·v`. The value part is always computed by the very same
/// `Double` operation (`Double.exp`, `Double.lgamma`, …), so values agree bit for bit.
///
/// Comparisons (`==`, `<`) look at the value only, as branches in a density do.
public struct Dual: Sendable {
    /// The value part.
    public var value: Double
    /// The derivative part: the coefficient of ε.
    public var tangent: Double

    /// A dual number with the given value and tangent.
    @inlinable public init(_ value: Double, tangent: Double) {
        self.value = value
        self.tangent = tangent
    }

    /// Lifts a constant: tangent zero.
    @inlinable public init(_ value: Double) {
        self.value = value
        self.tangent = 0
    }
}

extension Dual: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    /// A constant from a floating-point literal.
    @inlinable public init(floatLiteral value: Double) { self.init(value) }
    /// A constant from an integer literal.
    @inlinable public init(integerLiteral value: Int) { self.init(Double(value)) }
}

extension Dual: Comparable {
    /// Equality of the value parts; tangents are ignored (as branches in a density need).
    @inlinable public static func == (a: Dual, b: Dual) -> Bool { a.value == b.value }
    /// Order of the value parts.
    @inlinable public static func < (a: Dual, b: Dual) -> Bool { a.value < b.value }
}

extension Dual: CustomStringConvertible {
    /// `value + tangent·ε`.
    public var description: String { "\(value) + \(tangent)ε" }
}

// MARK: - Field arithmetic

extension Dual {
    /// (a + a′ε) + (b + b′ε) = (a + b) + (a′ + b′)ε.
    @inlinable public static func + (a: Dual, b: Dual) -> Dual {
        Dual(a.value + b.value, tangent: a.tangent + b.tangent)
    }

    /// (a + a′ε) − (b + b′ε) = (a − b) + (a′ − b′)ε.
    @inlinable public static func - (a: Dual, b: Dual) -> Dual {
        Dual(a.value - b.value, tangent: a.tangent - b.tangent)
    }

    /// Product rule: (a + a′ε)(b + b′ε) = ab + (a′b + ab′)ε.
    @inlinable public static func * (a: Dual, b: Dual) -> Dual {
        Dual(a.value * b.value, tangent: a.tangent * b.value + a.value * b.tangent)
    }

    /// Quotient rule, written as (a′ − q·b′)/b with q = a/b.
    @inlinable public static func / (a: Dual, b: Dual) -> Dual {
        let q = a.value / b.value
        return Dual(q, tangent: (a.tangent - q * b.tangent) / b.value)
    }

    /// Negation of both parts.
    @inlinable public static prefix func - (a: Dual) -> Dual {
        Dual(-a.value, tangent: -a.tangent)
    }

    /// `a = a + b`.
    @inlinable public static func += (a: inout Dual, b: Dual) { a = a + b }
    /// `a = a − b`.
    @inlinable public static func -= (a: inout Dual, b: Dual) { a = a - b }
    /// `a = a · b`.
    @inlinable public static func *= (a: inout Dual, b: Dual) { a = a * b }
}
