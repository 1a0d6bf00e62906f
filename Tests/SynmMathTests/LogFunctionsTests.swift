// Reference-value and edge tests for the log-scale helpers (log1pExp, log1mExp, logit, …).
import Testing
@testable import SynmMath

/// Relative tolerance: each helper is one or two correctly rounded libm calls (~1e-16);
/// 1e-13 is the suite-wide goal for elementary compositions.
private let logTolerance = 1e-13

@Suite("Log-scale helpers")
struct LogFunctionsTests {
    @Test("log1pExp matches mpmath", arguments: Reference.log1pExp)
    func log1pExpReference(_ c: (x: Double, value: Double)) {
        expectClose(log1pExp(c.x), c.value, rel: logTolerance, "log1pExp(\(c.x))")
    }

    @Test("log1mExp matches mpmath", arguments: Reference.log1mExp)
    func log1mExpReference(_ c: (x: Double, value: Double)) {
        expectClose(log1mExp(c.x), c.value, rel: logTolerance, "log1mExp(\(c.x))")
    }

    @Test func log1mExpEdges() {
        #expect(log1mExp(0) == -.infinity)
        #expect(log1mExp(-.infinity) == 0)
        #expect(log1mExp(1e-300).isNaN)
        #expect(log1mExp(.nan).isNaN)
    }

    @Test("invLogit and its logs match mpmath", arguments: Reference.invLogit)
    func invLogitReference(_ c: (x: Double, value: Double, logValue: Double, log1mValue: Double)) {
        expectClose(invLogit(c.x), c.value, rel: logTolerance, "invLogit(\(c.x))")
        expectClose(logInvLogit(c.x), c.logValue, rel: logTolerance, "logInvLogit(\(c.x))")
        expectClose(log1mInvLogit(c.x), c.log1mValue, rel: logTolerance, "log1mInvLogit(\(c.x))")
    }

    @Test func invLogitEdges() {
        #expect(invLogit(.infinity) == 1)
        #expect(invLogit(-.infinity) == 0)
        #expect(logInvLogit(.infinity) == 0)
        #expect(logInvLogit(-.infinity) == -.infinity)
        #expect(log1mInvLogit(.infinity) == -.infinity)
        #expect(invLogit(.nan).isNaN)
    }

    @Test("logit matches mpmath", arguments: Reference.logit)
    func logitReference(_ c: (p: Double, value: Double)) {
        expectClose(logit(c.p), c.value, rel: logTolerance, "logit(\(c.p))")
    }

    @Test func logitEdges() {
        #expect(logit(0.5) == 0)
        #expect(logit(0) == -.infinity)
        #expect(logit(1) == .infinity)
        #expect(logit(-0.1).isNaN)
        #expect(logit(1.1).isNaN)
        #expect(logit(.nan).isNaN)
    }

    @Test("logDiffExp matches mpmath", arguments: Reference.logDiffExp)
    func logDiffExpReference(_ c: (a: Double, b: Double, value: Double)) {
        expectClose(logDiffExp(c.a, c.b), c.value, rel: logTolerance, "logDiffExp(\(c.a), \(c.b))")
    }

    @Test func logDiffExpEdges() {
        #expect(logDiffExp(3, -.infinity) == 3)
        #expect(logDiffExp(3, 3) == -.infinity)
        #expect(logDiffExp(-.infinity, -.infinity) == -.infinity)
        #expect(logDiffExp(.infinity, 1) == .infinity)
        #expect(logDiffExp(.infinity, .infinity).isNaN)
        #expect(logDiffExp(1, 2).isNaN)
        #expect(logDiffExp(.nan, 0).isNaN)
    }

    @Test func logSumExpPairAndArray() {
        // log(e¹ + e²) = 2 + log1p(e⁻¹) = 2.3132616875182228 (mpmath).
        expectClose(logSumExp(1, 2), 2.3132616875182228, rel: logTolerance)
        expectClose(logSumExp([1, 2]), 2.3132616875182228, rel: logTolerance)
        // No overflow: log(3·e¹⁰⁰⁰) = 1000 + log 3.
        expectClose(logSumExp([1000, 1000, 1000]), 1000 + 1.0986122886681098, rel: logTolerance)
        #expect(logSumExp(-.infinity, 5) == 5)
        #expect(logSumExp(5, -.infinity) == 5)
        #expect(logSumExp(.infinity, .infinity) == .infinity)
        #expect(logSumExp([]) == -.infinity)
        #expect(logSumExp([-.infinity, -.infinity]) == -.infinity)
        #expect(logSumExp([1, .infinity]) == .infinity)
        #expect(logSumExp([1, .nan]).isNaN)
    }
}
