// Double conforms to RealScalar by forwarding to Foundation and SynmMath's special functions.
import Foundation

extension Double: RealScalar {
    /// The number itself.
    @inlinable public var value: Double { self }

    /// `exp` on Double (Foundation).
    @inlinable public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    /// `log` on Double (Foundation).
    @inlinable public static func log(_ x: Double) -> Double { Foundation.log(x) }
    /// `log1p` on Double (Foundation).
    @inlinable public static func log1p(_ x: Double) -> Double { Foundation.log1p(x) }
    /// `expm1` on Double (Foundation).
    @inlinable public static func expm1(_ x: Double) -> Double { Foundation.expm1(x) }
    /// `sqrt` on Double (Swift).
    @inlinable public static func sqrt(_ x: Double) -> Double { x.squareRoot() }
    /// `pow` on Double (Foundation).
    @inlinable public static func pow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }
    /// `lgamma` on Double (SynmMath).
    @inlinable public static func lgamma(_ x: Double) -> Double { logGamma(x) }
    /// `digamma` on Double (SynmMath).
    @inlinable public static func digamma(_ x: Double) -> Double { SynmMath.digamma(x) }
    @inlinable public static func normalCDF(_ x: Double) -> Double { SynmMath.normalCDF(x) }
    /// `tanh` on Double (Foundation).
    @inlinable public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
    /// `atan` on Double (Foundation).
    @inlinable public static func atan(_ x: Double) -> Double { Foundation.atan(x) }
    /// `abs` on Double (Swift).
    @inlinable public static func abs(_ x: Double) -> Double { Swift.abs(x) }
}
