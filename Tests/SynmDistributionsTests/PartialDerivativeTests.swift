// Every partial derivative of every log density against central finite differences
// (Richardson-extrapolated) at 20 seeded random points per distribution.
import Foundation
import SynmMath
import Testing
@testable import SynmDistributions

@Suite("Partial derivatives vs finite differences")
struct PartialDerivativeTests {
    /// Slot −1 is the variate, 0…2 the arguments. Returns the slots that have a derivative:
    /// the variate of continuous distributions and every non-integer argument.
    static func differentiableSlots(_ d: Distribution) -> [Int] {
        var slots = d.isDiscrete ? [] : [-1]
        for (i, arg) in d.info.arguments.enumerated() where !arg.domain.isInteger { slots.append(i) }
        return slots
    }

    /// A step scale for slot `i` at the point: the distance to the nearest boundary of the
    /// slot's domain (or of the variate's support), else max(|x|, 0.1).
    static func scale(_ d: Distribution, _ i: Int, _ y: Double, _ args: [Double]) -> Double {
        let x = i < 0 ? y : args[i]
        var s = max(abs(x), 0.1)
        if i < 0 {
            switch d.info.variate {
            case .positive, .nonNegative: s = min(s, y)
            case .unitInterval: s = min(y, 1 - y)
            case .interval: s = min(y - args[0], args[1] - y)
            default: break
            }
            if d == .doubleExponential || d == .pareto { s = min(s, abs(y - args[0])) }
        } else {
            switch d.info.arguments[i].domain {
            case .positive: s = min(s, x)
            case .probability, .openUnitInterval: s = min(x, 1 - x)
            default: break
            }
            if d == .uniform { s = min(s, i == 0 ? y - args[0] : args[1] - y) }
            if (d == .doubleExponential || d == .pareto) && i == 0 { s = min(s, abs(y - args[0])) }
        }
        return s
    }

    /// Richardson-extrapolated central difference (4·D(h/2) − D(h))/3, truncation O(h⁴).
    static func finiteDifference(_ f: (Double) -> Double, at x: Double, h: Double) -> Double {
        let d1 = (f(x + h) - f(x - h)) / (2 * h)
        let d2 = (f(x + h / 2) - f(x - h / 2)) / h
        return (4 * d2 - d1) / 3
    }

    /// Tolerance: |analytic − fd| ≤ 1e-6·|fd| + floor, with the absolute floor
    /// 1e-9·(1 + |log p|)/scale. Rounding error of the difference quotient is about
    /// ε·|log p|/h = 2e-13·|log p|/scale for h = 1e-3·scale, so the floor leaves a margin of
    /// ~5000 while staying far below any derivative that matters.
    @Test("partials match finite differences", arguments: Distribution.allCases)
    func partials(_ d: Distribution) {
        var rng = Xoshiro256StarStar(seed: 20_240_611, stream: UInt64(Distribution.allCases.firstIndex(of: d)!))
        for _ in 0..<20 {
            let (y, args) = randomPoint(d, &rng)
            let (lp, p) = evaluate(d, y, args)
            #expect(lp.isFinite, "\(d.name)(\(y) | \(args)) = \(lp)")
            for i in Self.differentiableSlots(d) {
                let s = Self.scale(d, i, y, args)
                let f: (Double) -> Double = { x in
                    if i < 0 { return evaluate(d, x, args).0 }
                    var a = args
                    a[i] = x
                    return evaluate(d, y, a).0
                }
                let x = i < 0 ? y : args[i]
                let fd = Self.finiteDifference(f, at: x, h: 1e-3 * s)
                let analytic = p.argument(i)
                let tol = 1e-6 * abs(fd) + 1e-9 * (1 + abs(lp)) / s
                #expect(abs(analytic - fd) <= tol,
                        "\(d.name)(\(y) | \(args)) slot \(i): analytic \(analytic), fd \(fd)")
            }
            // slots without a derivative are exactly zero
            if d.isDiscrete { #expect(p.variate == 0) }
            for i in d.arity..<3 { #expect(p.argument(i) == 0) }
            for i in d.info.integerArguments { #expect(p.argument(i) == 0) }
        }
    }

    @Test("neg_binomial_2 is continuous across the Stirling switch at phi = 100")
    func negBinomialSwitch() {
        for y in [0.0, 3, 40] {
            let below = evaluate(.negBinomial2, y, [5, 100.0.nextDown])
            let above = evaluate(.negBinomial2, y, [5, 100])
            #expect(abs(below.0 - above.0) <= 1e-13 * max(1, abs(above.0)))
            #expect(abs(below.1.b - above.1.b) <= 1e-13)
        }
    }

    /// At φ = 1e300 the difference from poisson (O(1/φ)) is nil, but y·log φ terms of ~700y
    /// cancel in the Stirling form, so agreement is to ~1e3 ulps (1e-12 relative).
    @Test("large-phi neg_binomial_2 tends to poisson")
    func negBinomialPoissonLimit() {
        for y in [0.0, 2, 17] {
            let nb = evaluate(.negBinomial2, y, [6.5, 1e300]).0
            let po = evaluate(.poisson, y, [6.5]).0
            #expect(abs(nb - po) <= 1e-12 * abs(po))
        }
    }
}
