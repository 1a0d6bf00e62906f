// Reference-value and identity tests for logGamma, digamma, trigamma, logBeta and logChoose.
import Foundation
import Testing
@testable import SynmMath

/// Relative tolerance for log Γ and its derivatives: the implementations aim for a few ulps
/// (~1e-15); 1e-13 leaves room for the recurrence sums and the C library's `lgamma_r`.
private let gammaTolerance = 1e-13

@Suite("Special functions")
struct SpecialFunctionsTests {
    @Test("logGamma matches mpmath", arguments: Reference.logGamma)
    func logGammaReference(_ c: (x: Double, value: Double)) {
        expectClose(logGamma(c.x), c.value, rel: gammaTolerance, "logGamma(\(c.x))")
    }

    @Test func logGammaEdges() {
        #expect(logGamma(1) == 0)
        #expect(logGamma(2) == 0)
        #expect(logGamma(0) == .infinity)
        #expect(logGamma(-3) == .infinity)
        #expect(logGamma(.infinity) == .infinity)
        #expect(logGamma(.nan).isNaN)
    }

    @Test("logGamma is usable from many threads at once")
    func logGammaConcurrent() async {
        // Negative arguments are where plain lgamma writes signgam; the reentrant one must give
        // the same values from concurrent tasks.
        let xs = (1...200).map { -Double($0) - 0.5 }
        let expected = xs.map(logGamma)
        let results = await withTaskGroup(of: [Double].self) { group in
            for _ in 0..<4 { group.addTask { xs.map(logGamma) } }
            return await group.reduce(into: [[Double]]()) { $0.append($1) }
        }
        for r in results { #expect(r == expected) }
    }

    @Test("digamma matches mpmath", arguments: Reference.digamma)
    func digammaReference(_ c: (x: Double, value: Double)) {
        expectClose(digamma(c.x), c.value, rel: gammaTolerance, "digamma(\(c.x))")
    }

    /// Near the root x₀ ≈ 1.4616 the value is a small difference of O(1) terms, so the goal is
    /// absolute: a few ulps of 1.
    @Test("digamma near its root, absolute error", arguments: Reference.digammaNearRoot)
    func digammaNearRoot(_ c: (x: Double, value: Double)) {
        expectClose(digamma(c.x), c.value, rel: 0, abs: 1e-15, "digamma(\(c.x))")
    }

    @Test func digammaEdges() {
        #expect(digamma(0).isNaN)
        #expect(digamma(-2).isNaN)
        #expect(digamma(-.infinity).isNaN)
        #expect(digamma(.nan).isNaN)
        #expect(digamma(.infinity) == .infinity)
    }

    @Test("trigamma matches mpmath", arguments: Reference.trigamma)
    func trigammaReference(_ c: (x: Double, value: Double)) {
        expectClose(trigamma(c.x), c.value, rel: gammaTolerance, "trigamma(\(c.x))")
    }

    @Test func trigammaEdges() {
        #expect(trigamma(0) == .infinity)
        #expect(trigamma(-4) == .infinity)
        #expect(trigamma(.infinity) == 0)
        #expect(trigamma(-.infinity).isNaN)
        #expect(trigamma(.nan).isNaN)
    }

    /// ψ and ψ₁ are the derivatives of log Γ and ψ: central differences with h = 1e-5·x
    /// have truncation error ~h²ψ''' and rounding error ~ε/h, together ≲ 1e-8 relative here.
    @Test("digamma and trigamma are the derivatives", arguments: [0.3, 1.7, 4.2, 12.5, 80.0])
    func derivatives(_ x: Double) {
        let h = 1e-5 * x
        expectClose(digamma(x), (logGamma(x + h) - logGamma(x - h)) / (2 * h), rel: 1e-8)
        expectClose(trigamma(x), (digamma(x + h) - digamma(x - h)) / (2 * h), rel: 1e-8)
    }

    /// ψ(x + 1) = ψ(x) + 1/x and ψ₁(x + 1) = ψ₁(x) − 1/x² across the switch to the asymptotic
    /// series at x = 10 (both sides computed independently).
    @Test("recurrences hold across the series switch", arguments: [9.25, 9.5, 9.999, 10.0])
    func recurrences(_ x: Double) {
        expectClose(digamma(x + 1), digamma(x) + 1 / x, rel: 1e-15)
        expectClose(trigamma(x + 1), trigamma(x) - 1 / (x * x), rel: 1e-14)
    }

    @Test("logBeta matches mpmath", arguments: Reference.logBeta)
    func logBetaReference(_ c: (a: Double, b: Double, value: Double)) {
        expectClose(logBeta(c.a, c.b), c.value, rel: gammaTolerance, "logBeta(\(c.a), \(c.b))")
        #expect(logBeta(c.a, c.b) == logBeta(c.b, c.a))
    }

    @Test func logBetaEdges() {
        #expect(logBeta(1, 1) == 0)
        #expect(logBeta(0, 2) == .infinity)
        #expect(logBeta(.infinity, 2) == -.infinity)
        #expect(logBeta(-1, 2).isNaN)
        #expect(logBeta(2, .nan).isNaN)
    }

    @Test("logChoose matches mpmath", arguments: Reference.logChoose)
    func logChooseReference(_ c: (n: Double, k: Double, value: Double)) {
        expectClose(logChoose(c.n, c.k), c.value, rel: gammaTolerance, "logChoose(\(c.n), \(c.k))")
    }

    @Test func logChooseEdges() {
        #expect(logChoose(7, 0) == 0)
        #expect(logChoose(7, 7) == 0)
        #expect(logChoose(0, 0) == 0)
        #expect(logChoose(3, 4).isNaN)
        #expect(logChoose(3, -1).isNaN)
        #expect(logChoose(-1, 0).isNaN)
        #expect(logChoose(.infinity, 1).isNaN)
    }

    /// The internal helpers that the large-argument paths rely on.
    @Test func helpers() {
        // log Γ(1 + a) for small a: −γa + ζ(2)a²/2 − …; mpmath: loggamma(1 + 1e-8).
        expectClose(logGamma1p(1e-8), -5.772156566768626e-09, rel: 1e-15)
        expectClose(logGamma1p(-0.15), logGamma(0.85), rel: 1e-14)
        expectClose(logGamma1p(0.19), logGamma(1.19), rel: 1e-14)
        // log(1 + t) − t; mpmath: log1p(1e-3) − 1e-3 and log1p(−0.4) + 0.4.
        expectClose(log1pmx(1e-3), -4.996669164668332e-07, rel: 1e-15)
        expectClose(log1pmx(-0.4), -0.1108256237659907, rel: 1e-15)
        // Stirling remainder at 10: loggamma(10) − (9.5 log 10 − 10 + ½ log 2π).
        expectClose(stirlingCorrection(10), 0.00833056343336287, rel: 1e-14)
    }
}

/// Owen's T against 40-digit mpmath 1.3.0 quadrature of its defining integral (mp.quad,
/// mp.dps = 40); scipy 1.17.1 special.owens_t agrees to 2 ulp.
@Suite struct OwensTTests {
    @Test(arguments: [
        (0.5, 0.3, 0.040786707344250106), (1.2, 0.9, 0.048784510426496557), (2.0, 3.0, 0.01137506597154504),
        (-1.5, -2.5, -0.033402648238960324), (0.0, 5.0, 0.2185835209054994), (7.0, 0.5, 6.396704462156891e-13),
        (0.3, 40.0, 0.1910442889055237),
    ])
    func values(_ h: Double, _ a: Double, _ expected: Double) {
        let v = owensT(h, a)
        #expect(abs(v - expected) <= 1e-15 * abs(expected) + 1e-17, "T(\(h), \(a)) = \(v), expected \(expected)")
    }

    @Test func limits() {
        #expect(owensT(1, 0) == 0)
        #expect(abs(owensT(0, 2) - atan(2) / (2 * Double.pi)) <= 1e-16)
        #expect(owensT(.infinity, 2) == 0)
        #expect(owensT(3, -0.5) == -owensT(3, 0.5))
        #expect(owensT(.nan, 1).isNaN)
    }
}
