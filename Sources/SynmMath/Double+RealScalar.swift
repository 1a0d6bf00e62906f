// Double conforms to RealScalar by forwarding to Foundation and SynmMath's special functions.
import Foundation

extension Double: RealScalar {
    @inlinable public var value: Double { self }

    @inlinable public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    @inlinable public static func log(_ x: Double) -> Double { Foundation.log(x) }
    @inlinable public static func log1p(_ x: Double) -> Double { Foundation.log1p(x) }
    @inlinable public static func expm1(_ x: Double) -> Double { Foundation.expm1(x) }
    @inlinable public static func sqrt(_ x: Double) -> Double { x.squareRoot() }
    @inlinable public static func pow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }
    @inlinable public static func lgamma(_ x: Double) -> Double { logGamma(x) }
    @inlinable public static func digamma(_ x: Double) -> Double { SynmMath.digamma(x) }
    @inlinable public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
    @inlinable public static func atan(_ x: Double) -> Double { Foundation.atan(x) }
    @inlinable public static func abs(_ x: Double) -> Double { Swift.abs(x) }
}
