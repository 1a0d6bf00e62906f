// Dual: forward-mode rules for every RealScalar operation, checked against closed-form
// derivatives and finite differences; values must equal the Double operations bit for bit.
import Foundation
import SynmAutodiff
import SynmMath
import Testing

/// A RealScalar operation with its domain, closed-form derivative and Double version.
struct DualCase: CustomStringConvertible, Sendable {
    let description: String
    let domain: ClosedRange<Double>
    let onDual: @Sendable (Dual) -> Dual
    let onDouble: @Sendable (Double) -> Double
    let derivative: @Sendable (Double) -> Double

    static let all: [DualCase] = [
        DualCase(description: "exp", domain: -5 ... 5, onDual: Dual.exp, onDouble: Double.exp,
                 derivative: Foundation.exp),
        DualCase(description: "log", domain: 0.05 ... 10, onDual: Dual.log, onDouble: Double.log,
                 derivative: { 1 / $0 }),
        DualCase(description: "log1p", domain: -0.9 ... 10, onDual: Dual.log1p,
                 onDouble: Double.log1p, derivative: { 1 / (1 + $0) }),
        DualCase(description: "expm1", domain: -5 ... 5, onDual: Dual.expm1,
                 onDouble: Double.expm1, derivative: Foundation.exp),
        DualCase(description: "sqrt", domain: 0.05 ... 10, onDual: Dual.sqrt,
                 onDouble: Double.sqrt, derivative: { 0.5 / Foundation.sqrt($0) }),
        DualCase(description: "lgamma", domain: 0.05 ... 20, onDual: Dual.lgamma,
                 onDouble: Double.lgamma, derivative: SynmMath.digamma),
        DualCase(description: "digamma", domain: 0.05 ... 20, onDual: Dual.digamma,
                 onDouble: Double.digamma, derivative: SynmMath.trigamma),
        DualCase(description: "tanh", domain: -3 ... 3, onDual: Dual.tanh, onDouble: Double.tanh,
                 derivative: { 1 / (Foundation.cosh($0) * Foundation.cosh($0)) }),
        DualCase(description: "atan", domain: -5 ... 5, onDual: Dual.atan, onDouble: Double.atan,
                 derivative: { 1 / (1 + $0 * $0) }),
        DualCase(description: "abs", domain: -5 ... 5, onDual: Dual.abs, onDouble: Double.abs,
                 derivative: { $0 > 0 ? 1 : -1 }),
        DualCase(description: "pow(x, 2.5)", domain: 0.05 ... 5, onDual: { Dual.pow($0, 2.5) },
                 onDouble: { Double.pow($0, 2.5) }, derivative: { 2.5 * Foundation.pow($0, 1.5) }),
        DualCase(description: "pow(1.7, x)", domain: -3 ... 3, onDual: { Dual.pow(1.7, $0) },
                 onDouble: { Double.pow(1.7, $0) },
                 derivative: { Foundation.pow(1.7, $0) * Foundation.log(1.7) }),
        DualCase(description: "pow(x, x)", domain: 0.1 ... 3, onDual: { Dual.pow($0, $0) },
                 onDouble: { Double.pow($0, $0) },
                 derivative: { Foundation.pow($0, $0) * (Foundation.log($0) + 1) }),
        DualCase(description: "x·x/(1 + x) − x", domain: -0.5 ... 5,
                 onDual: { $0 * $0 / (1 + $0) - $0 }, onDouble: { $0 * $0 / (1 + $0) - $0 },
                 derivative: { 1 - 1 / ((1 + $0) * (1 + $0)) - 1 }),
    ]
}

@Suite struct DualTests {
    @Test(arguments: DualCase.all)
    func tangentIsTheDerivative(_ c: DualCase) {
        for x in randomPoints(20, in: [c.domain], seed: 61).map({ $0[0] }) {
            let d = c.onDual(Dual(x, tangent: 1.5))
            #expect(d.value == c.onDouble(x), "\(c)(\(x)): value equals the Double function")
            #expect(isClose(d.tangent, 1.5 * c.derivative(x), relTol: 1e-12, absTol: 1e-300),
                    "\(c)′(\(x))")
            let fd = centralDifference({ c.onDouble($0[0]) }, at: [x], coordinate: 0)
            #expect(isClose(d.tangent / 1.5, fd, relTol: 1e-6, absTol: 1e-6))
            #expect(c.onDual(Dual(x)).tangent == 0, "constants stay constant")
        }
    }

    @Test func arithmeticRules() {
        let a = Dual(3, tangent: 2), b = Dual(-4, tangent: 0.5)
        #expect((a + b).value == -1 && (a + b).tangent == 2.5)
        #expect((a - b).value == 7 && (a - b).tangent == 1.5)
        #expect((a * b).value == -12 && (a * b).tangent == 2 * -4 + 3 * 0.5)
        #expect((a / b).value == -0.75 && (a / b).tangent == (2 - -0.75 * 0.5) / -4)
        #expect((-a).value == -3 && (-a).tangent == -2)
        var c = a
        c += b; c -= b; c *= b
        #expect(c.value == -12 && c.tangent == 2 * -4 + 3 * 0.5)
        let lit: Dual = 2.5, int: Dual = 3
        #expect(lit.tangent == 0 && int.value == 3)
    }

    @Test func comparisonsIgnoreTangents() {
        #expect(Dual(1, tangent: 5) == Dual(1, tangent: -5))
        #expect(Dual(1, tangent: 5) < Dual(2, tangent: -5))
        #expect(!(Dual(2) < Dual(2, tangent: 1)))
    }

    @Test func edgeCasesStayFinite() {
        // Constant exponent, negative base: no log of a negative number.
        #expect(Dual.pow(Dual(-2, tangent: 1), 2).tangent == -4)
        // Constant base 0: no 0·∞.
        #expect(Dual.pow(0, Dual(2, tangent: 1)).tangent == 0)
        // |x| at 0: the midpoint subgradient.
        #expect(Dual.abs(Dual(0, tangent: 1)).tangent == 0)
        // expm1′ far in the left tail is eˣ to full relative accuracy.
        #expect(Dual.expm1(Dual(-40, tangent: 1)).tangent == Foundation.exp(-40))
    }
}
