// log I₀ and I₁/I₀ (the von Mises normaliser and its derivative) against 40-digit mpmath
// (mpmath 1.3.0, besseli), across the series/asymptotic switch at x = 30.
import Foundation
import SynmMath
import Testing

@Suite struct BesselTests {
    @Test("log I0 and I1/I0 against mpmath", arguments: [
        (0.0, 0.0, 0.0),
        (1e-5, 2.499999999984375e-11, 4.9999999999375e-6),
        (0.5, 6.1549719185481304e-2, 0.24249961258080195),
        (5.0, 3.3046817758225334, 0.89338313704408522),
        (29.9, 2.7286385310555096e+1, 0.98313283326580569),
        (30.0, 2.7384701433171936e+1, 0.98318955536533609),
        (31.0, 2.8368167462366414e+1, 0.98373647201299787),
        (100.0, 9.6779732689942584e+1, 0.99498737300516877),
        (1000.0, 9.9562730888986946e+2, 0.99949987487480428),
        (1e5, 9.9993324599984316e+4, 0.99999499998749987),
    ])
    func values(_ x: Double, _ logI0: Double, _ ratio: Double) {
        #expect(abs(logBesselI0(x) - logI0) <= 1e-14 * abs(logI0), "log I0(\(x)) = \(logBesselI0(x))")
        #expect(abs(besselI1OverI0(x) - ratio) <= 1e-14 * ratio, "I1/I0(\(x)) = \(besselI1OverI0(x))")
    }

    /// A′ = 1 − A/x − A² against central differences of A (h = 1e-5·x, truncation O(h²)).
    @Test("the derivative of I1/I0", arguments: [0.3, 2.0, 29.0, 31.0, 500.0])
    func derivative(_ x: Double) {
        let h = 1e-5 * x
        let fd = (besselI1OverI0(x + h) - besselI1OverI0(x - h)) / (2 * h)
        #expect(abs(besselI1OverI0Derivative(x) - fd) <= 1e-7 * abs(fd), "A′(\(x)) = \(besselI1OverI0Derivative(x)), fd \(fd)")
    }

    @Test("edge values")
    func edges() {
        #expect(logBesselI0(-1).isNaN && besselI1OverI0(.nan).isNaN)
        #expect(logBesselI0(.infinity) == .infinity && besselI1OverI0(.infinity) == 1)
        #expect(besselI1OverI0Derivative(0) == 0.5)
    }
}
