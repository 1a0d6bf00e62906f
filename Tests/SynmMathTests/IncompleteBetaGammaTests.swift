// Reference-value, identity and edge tests for I_x(a, b), its inverse, P(a, x) and Q(a, x).
import Foundation
import Testing
@testable import SynmMath

/// Relative tolerance for the incomplete beta/gamma functions and the beta inverse. The
/// continued fractions stop at a 1e-16 step, but with a, b up to 1e5 the prefactor
/// xᵃ(1 − x)ᵇ/B(a, b) is a difference of O(a·ε)-accurate logs; 1e-10 bounds that with margin
/// (observed errors are ~1e-13 and below).
private let incompleteTolerance = 1e-10

@Suite("Incomplete beta and gamma")
struct IncompleteBetaGammaTests {
    @Test("I_x(a, b) matches mpmath", arguments: Reference.incompleteBeta)
    func betaReference(_ c: (a: Double, b: Double, x: Double, value: Double)) {
        expectClose(regularizedIncompleteBeta(a: c.a, b: c.b, x: c.x), c.value,
                    rel: incompleteTolerance, "I(\(c.x); \(c.a), \(c.b))")
    }

    @Test("Beta⁻¹(p; a, b) matches mpmath", arguments: Reference.inverseIncompleteBeta)
    func inverseReference(_ c: (a: Double, b: Double, p: Double, value: Double)) {
        expectClose(inverseRegularizedIncompleteBeta(a: c.a, b: c.b, p: c.p), c.value,
                    rel: incompleteTolerance, "Beta⁻¹(\(c.p); \(c.a), \(c.b))")
    }

    /// The MCSE-of-quantile use: a = E·p + 1, b = E(1 − p) + 1 at the ±1σ probabilities,
    /// for effective sample sizes E up to 1e6. Checked by the round trip I(Beta⁻¹(q)) = q.
    @Test("inverse round-trips for MCSE shapes", arguments: [10.0, 400.0, 4000.0, 1e5, 1e6])
    func mcseShapes(_ ess: Double) {
        for p in [0.05, 0.5, 0.95] {
            let a = ess * p + 1, b = ess * (1 - p) + 1
            for q in [0.1586553, 0.8413447] {
                let x = inverseRegularizedIncompleteBeta(a: a, b: b, p: q)
                expectClose(regularizedIncompleteBeta(a: a, b: b, x: x), q, rel: 1e-10,
                            "E = \(ess), p = \(p), q = \(q)")
            }
        }
    }

    /// I_x(a, b) = 1 − I_{1−x}(b, a) where 1 − x is exact.
    @Test("symmetry", arguments: [(2.0, 3.0, 0.25), (0.5, 7.0, 0.125), (300.0, 200.0, 0.625)])
    func symmetry(_ c: (Double, Double, Double)) {
        let (a, b, x) = c
        let lhs = regularizedIncompleteBeta(a: a, b: b, x: x)
        let rhs = 1 - regularizedIncompleteBeta(a: b, b: a, x: 1 - x)
        expectClose(lhs, rhs, rel: 1e-14)
    }

    /// Closed forms: I_x(1, 1) = x, I_x(a, 1) = xᵃ, I_x(1, b) = 1 − (1 − x)ᵇ.
    @Test func closedForms() {
        for x in [1e-10, 0.3, 0.5, 0.9] {
            expectClose(regularizedIncompleteBeta(a: 1, b: 1, x: x), x, rel: 1e-14)
            expectClose(regularizedIncompleteBeta(a: 3.5, b: 1, x: x), pow(x, 3.5), rel: 1e-13)
            expectClose(regularizedIncompleteBeta(a: 1, b: 2, x: x), -expm1(2 * log1p(-x)), rel: 1e-13)
            expectClose(inverseRegularizedIncompleteBeta(a: 1, b: 1, p: x), x, rel: 1e-14)
        }
    }

    @Test func betaEdges() {
        #expect(regularizedIncompleteBeta(a: 2, b: 3, x: 0) == 0)
        #expect(regularizedIncompleteBeta(a: 2, b: 3, x: 1) == 1)
        #expect(regularizedIncompleteBeta(a: 2, b: 3, x: -0.1).isNaN)
        #expect(regularizedIncompleteBeta(a: 2, b: 3, x: 1.1).isNaN)
        #expect(regularizedIncompleteBeta(a: 0, b: 3, x: 0.5).isNaN)
        #expect(regularizedIncompleteBeta(a: 2, b: .infinity, x: 0.5).isNaN)
        #expect(regularizedIncompleteBeta(a: .nan, b: 3, x: 0.5).isNaN)
        #expect(inverseRegularizedIncompleteBeta(a: 2, b: 3, p: 0) == 0)
        #expect(inverseRegularizedIncompleteBeta(a: 2, b: 3, p: 1) == 1)
        #expect(inverseRegularizedIncompleteBeta(a: 2, b: 3, p: 1.5).isNaN)
        #expect(inverseRegularizedIncompleteBeta(a: -2, b: 3, p: 0.5).isNaN)
        #expect(inverseRegularizedIncompleteBeta(a: 2, b: 3, p: .nan).isNaN)
    }

    @Test("P(a, x) and Q(a, x) match mpmath", arguments: Reference.incompleteGamma)
    func gammaReference(_ c: (a: Double, x: Double, p: Double, q: Double)) {
        expectClose(regularizedGammaP(a: c.a, x: c.x), c.p, rel: incompleteTolerance, "P(\(c.a), \(c.x))")
        expectClose(regularizedGammaQ(a: c.a, x: c.x), c.q, rel: incompleteTolerance, "Q(\(c.a), \(c.x))")
    }

    /// Closed forms: P(1, x) = 1 − e⁻ˣ, Q(½, x) = erfc(√x).
    @Test func gammaClosedForms() {
        for x in [1e-8, 0.5, 1.4, 3.0, 40.0] {
            expectClose(regularizedGammaP(a: 1, x: x), -expm1(-x), rel: 1e-14)
            expectClose(regularizedGammaQ(a: 0.5, x: x), erfc(x.squareRoot()), rel: 1e-13)
        }
    }

    @Test func gammaEdges() {
        #expect(regularizedGammaP(a: 2, x: 0) == 0)
        #expect(regularizedGammaQ(a: 2, x: 0) == 1)
        #expect(regularizedGammaP(a: 2, x: .infinity) == 1)
        #expect(regularizedGammaQ(a: 2, x: .infinity) == 0)
        #expect(regularizedGammaP(a: 2, x: -1).isNaN)
        #expect(regularizedGammaQ(a: 0, x: 1).isNaN)
        #expect(regularizedGammaP(a: .infinity, x: 1).isNaN)
        #expect(regularizedGammaQ(a: 2, x: .nan).isNaN)
    }
}
