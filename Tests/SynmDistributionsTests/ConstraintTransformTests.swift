// Bound transforms: round trips, and log|Jacobian| against a finite-difference derivative.
import Foundation
import SynmMath
import Testing
@testable import SynmDistributions

@Suite("Constraint transforms")
struct ConstraintTransformTests {
    /// (lower, upper) pairs, infinite meaning absent.
    static let bounds: [(Double, Double)] = [
        (-.infinity, .infinity), (0, .infinity), (-3.5, .infinity), (-.infinity, 2), (-.infinity, -10),
        (0, 1), (-2, 7.5), (1e-3, 2e-3),
    ]

    @Test("unconstrain ∘ constrain is the identity and values respect the bounds")
    func roundTrip() {
        var rng = Xoshiro256StarStar(seed: 17)
        for (lo, hi) in Self.bounds {
            for _ in 0..<200 {
                let u = rng.uniform(-8, 8)
                let x = BoundsTransform.constrainWithLogJacobian(u, lower: lo, upper: hi).value
                #expect(x >= lo && x <= hi)
                let back = BoundsTransform.unconstrain(x, lower: lo, upper: hi)
                #expect(abs(back - u) <= 1e-9 * max(1, abs(u)), "(\(lo), \(hi)) u = \(u): \(back)")
            }
        }
    }

    /// log|dx/du| vs the log of a Richardson central difference of constrain, relative 1e-7
    /// (difference-quotient rounding is ≈ ε·|x|/(h·|dx/du|); the points keep that < 1e-9).
    @Test("log Jacobian matches the finite-difference derivative")
    func jacobian() {
        var rng = Xoshiro256StarStar(seed: 18)
        for (lo, hi) in Self.bounds {
            for _ in 0..<50 {
                let u = rng.uniform(-4, 4)
                let f = { (v: Double) in BoundsTransform.constrainWithLogJacobian(v, lower: lo, upper: hi).value }
                let logJ = BoundsTransform.constrainWithLogJacobian(u, lower: lo, upper: hi).logJacobian
                let h = 1e-3
                let d1 = (f(u + h) - f(u - h)) / (2 * h)
                let d2 = (f(u + h / 2) - f(u - h / 2)) / h
                let fd = (4 * d2 - d1) / 3
                #expect(abs(log(abs(fd)) - logJ) <= 1e-7, "(\(lo), \(hi)) u = \(u): \(logJ) vs \(log(abs(fd)))")
            }
        }
    }

    @Test("interval transform is precise near both bounds")
    func intervalTails() {
        let x = IntervalTransform.constrain(40.0, lower: 0, upper: 1)
        #expect(x < 1 || x == 1)
        let (xl, lj) = IntervalTransform.constrainWithLogJacobian(-40.0, lower: 0, upper: 1)
        #expect(abs(xl - exp(-40) / (1 + exp(-40))) <= 1e-15 * xl)
        #expect(abs(lj - (-40 - 2 * log1p(exp(-40)))) <= 1e-13)
        #expect(IntervalTransform.constrainWithLogJacobian(800.0, lower: 0, upper: 1).logJacobian.isFinite)
        #expect(abs(IntervalTransform.unconstrain(xl, lower: 0, upper: 1) + 40) <= 1e-12)
    }

    @Test("lower and upper transforms agree with their closed forms")
    func closedForms() {
        #expect(LowerBoundTransform.constrain(0.0, lower: 2) == 3)
        #expect(UpperBoundTransform.constrain(0.0, upper: 2) == 1)
        #expect(LowerBoundTransform.constrainWithLogJacobian(1.25, lower: 0).logJacobian == 1.25)
        #expect(UpperBoundTransform.unconstrain(1, upper: 2) == 0)
    }
}
