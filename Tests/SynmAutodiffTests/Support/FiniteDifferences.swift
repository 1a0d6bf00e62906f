// Test support: gradient and Hessian checks against central finite differences, in the
// manner of Stan Math's expect_ad. Tolerance semantics documented below.
import Foundation
import SynmAutodiff
import SynmMath
import Testing

/// A function as the tape sees it: build nodes from the inputs, return the scalar result.
typealias TapeFunction = (inout Tape<Double>, VarRange) -> VarIndex

/// The value of `f` at `x` on a Double tape (no backward sweep).
func evaluate(_ f: TapeFunction, at x: [Double]) -> Double {
    var tape = Tape<Double>()
    let inputs = tape.inputs(x)
    let output = f(&tape, inputs)
    return tape.value(of: output)
}

/// ∂f/∂xᵢ by the central difference (f(x + hᵢeᵢ) − f(x − hᵢeᵢ)) / (2hᵢ).
///
/// Step hᵢ = ∛ε · max(|xᵢ|, 1) ≈ 6e-6 · max(|xᵢ|, 1): it balances the truncation error
/// (h²/6)·|f‴| against the rounding error ε|f|/h, for a total of about ε^(2/3) ≈ 4e-11
/// relative to the scale of f and its third derivative. Scaling by |xᵢ| keeps the step
/// meaningful for large coordinates; the floor of 1 keeps it away from zero near xᵢ = 0.
/// The step is rounded to a representable difference ((x + h) − x) so that the denominator
/// is exactly the distance between the two evaluation points.
func centralDifference(_ g: ([Double]) -> Double, at x: [Double], coordinate i: Int) -> Double {
    let h0 = Foundation.cbrt(Double.ulpOfOne) * Swift.max(Swift.abs(x[i]), 1)
    var up = x, down = x
    up[i] = x[i] + h0
    down[i] = x[i] - h0
    return (g(up) - g(down)) / (up[i] - down[i])
}

/// Whether `a` and `b` agree to `relTol` relative plus `absTol` absolute tolerance:
///
///     |a − b| ≤ relTol · max(|a|, |b|) + absTol
///
/// Semantics, in the manner of swift-numerics' `isApproximatelyEqual`:
/// - The relative part scales with the larger magnitude, so the relation is *symmetric*
///   (`close(a, b) == close(b, a)`) and *reflexive* for finite values, but **not
///   transitive**: chains of "close" values can drift apart. Do not use it as equality.
/// - The absolute part is what lets an entry that is exactly 0 in one and 1e-12 in the
///   other pass: a finite difference of a function of size |f| carries an absolute error of
///   about ε^(2/3)·|f|, whatever the size of the derivative itself. By default (in the
///   helpers below) `absTol = relTol`, i.e. derivatives of magnitude below 1 are compared
///   absolutely and larger ones relatively, appropriate for functions of order 1.
/// - NaN is never close to anything (including NaN); ±∞ is close only to itself.
func isClose(_ a: Double, _ b: Double, relTol: Double, absTol: Double) -> Bool {
    if a.isNaN || b.isNaN { return false }
    if a.isInfinite || b.isInfinite { return a == b }
    return Swift.abs(a - b) <= relTol * Swift.max(Swift.abs(a), Swift.abs(b)) + absTol
}

/// Checks the reverse-mode gradient of `f` at `x` against central finite differences of the
/// tape's own value (see `centralDifference`), coordinate by coordinate, with `isClose`
/// (`absTol` defaults to `relTol`). The default `relTol = 1e-6` leaves a margin of about
/// 10⁴ over the finite-difference error for well-scaled functions. Records one issue per
/// failing coordinate, naming the point.
func expectGradientMatchesFiniteDifferences(
    _ f: TapeFunction, at x: [Double], relTol: Double = 1e-6, absTol: Double? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let (_, grad) = gradient(of: f, at: x)
    let g = { (p: [Double]) in evaluate(f, at: p) }
    for i in x.indices {
        let fd = centralDifference(g, at: x, coordinate: i)
        #expect(isClose(grad[i], fd, relTol: relTol, absTol: absTol ?? relTol),
                "∂f/∂x[\(i)] at \(x): reverse mode \(grad[i]), finite difference \(fd)",
                sourceLocation: sourceLocation)
    }
}

/// Checks the forward-over-reverse Hessian of `f` at `x` against central differences of
/// its exact (reverse-mode) gradient: column j ≈ (∇f(x + hⱼeⱼ) − ∇f(x − hⱼeⱼ)) / (2hⱼ),
/// compared with `isClose` as above. Also checks that the Hessian's gradient and value
/// equal those of the Double tape (to `1e-12`, as they are computed by the same code).
func expectHessianMatchesFiniteDifferences(
    _ fDual: (inout Tape<Dual>, VarRange) -> VarIndex, _ fDouble: TapeFunction,
    at x: [Double], relTol: Double = 1e-6, sourceLocation: SourceLocation = #_sourceLocation
) {
    let (value, grad, hess) = hessian(of: fDual, at: x)
    let (value2, grad2) = gradient(of: fDouble, at: x)
    #expect(isClose(value, value2, relTol: 1e-12, absTol: 1e-12), sourceLocation: sourceLocation)
    for i in x.indices {
        #expect(isClose(grad[i], grad2[i], relTol: 1e-12, absTol: 1e-12),
                sourceLocation: sourceLocation)
        for j in x.indices {
            let fd = centralDifference({ gradient(of: fDouble, at: $0).gradient[i] }, at: x,
                                       coordinate: j)
            #expect(isClose(hess[i][j], fd, relTol: relTol, absTol: relTol),
                    "H[\(i)][\(j)] at \(x): forward-over-reverse \(hess[i][j]), fd \(fd)",
                    sourceLocation: sourceLocation)
        }
    }
}

/// `count` seeded pseudo-random points, coordinate k uniform in `ranges[k]`.
func randomPoints(
    _ count: Int, in ranges: [ClosedRange<Double>], seed: UInt64
) -> [[Double]] {
    var rng = Xoshiro256StarStar(seed: seed)
    return (0 ..< count).map { _ in
        ranges.map { r in r.lowerBound + (r.upperBound - r.lowerBound) * rng.uniform01() }
    }
}
