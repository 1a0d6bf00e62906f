// Values of Stan's scalar and array functions against independent references: closed
// forms, and scipy 1.17.1 (scipy.special erf, erfc, betaln, gammaln, expit, softmax,
// log_softmax; numpy logaddexp, expm1) or mpmath where noted. Domain errors are located runtime
// errors, misuse is a checker error with a hint.
import Foundation
import Testing
@testable import SynmRuntime

/// The value of `expression` (data only) through a compiled model `target += expression`.
func functionValue(_ expression: String) throws -> Double {
    var model = try compile("param a: real\ntarget += (\(expression)) - square(a)\n")
    return try model.evaluate([0]).value
}

@Suite struct StanFunctionValueTests {
    @Test("values against scipy and closed forms", arguments: [
        ("erf(0.5)", 0.5204998778130465),  // scipy.special.erf
        ("erf(-1e-10)", -1.1283791670955126e-10),  // scipy.special.erf
        ("erfc(3.0)", 2.2090496998585445e-05),  // scipy.special.erfc
        ("lbeta(2.5, 0.7)", -0.3398547101503229),  // scipy.special.betaln
        ("lbeta(10000, 3.5)", -31.035655155825944),  // mpmath 1.3 (40 digits); scipy betaln is off by 4e-12 here
        ("lchoose(10, 3)", 4.787491742782046),  // log 120
        ("lchoose(50.0, 7.5)", 19.278925148127133),  // mpmath loggamma(51) − loggamma(8.5) − loggamma(43.5)
        ("inv_cloglog(0.3)", 0.7407231340091724),  // −expm1(−e^0.3)
        ("inv_cloglog(-20.0)", 2.061153620314381e-09),  // −expm1(−e^−20): no cancellation
        ("Phi_approx(1.2)", 0.8848362611035835),  // expit(0.07056·1.2³ + 1.5976·1.2)
        ("log_mix(0.3, -1.2, 0.4)", 0.1263114997421328),  // logaddexp(log 0.3 − 1.2, log 0.7 + 0.4)
        ("log_mix(0.0, -1.2, 0.4)", 0.4),  // θ = 0 gives λ₂
        ("binary_log_loss(1, 0.8)", 0.2231435513142097),  // −log 0.8
        ("binary_log_loss(0, 0.8)", 1.6094379124341005),  // −log 0.2
        ("fma(2.0, 3.0, -1.5)", 4.5),
        ("softmax([1.0, -2.0, 0.5])[1]", 0.6037488961486258),  // scipy.special.softmax
        ("softmax([1.0, -2.0, 0.5])[2]", 0.030058887569574023),
        ("log_softmax([1.0, -2.0, 0.5])[3]", -1.0045969023422834),  // scipy.special.log_softmax
        ("log_softmax([1000.0, 0.0])[2]", -1000.0),  // no overflow
        // numpy 2.4.6 (log, expm1, log1p, log2, log10, exp2, cbrt, trig, hyperbolic, arctan2, hypot).
        ("log1m_exp(-0.5)", -0.9327521295671886),
        ("log1m_exp(-1e-10)", -23.025850929990458),
        ("log2(10.0)", 3.321928094887362),
        ("log10(0.002)", -2.6989700043360187),
        ("exp2(3.5)", 11.313708498984761),
        ("cbrt(-27.0)", -3.0),
        ("inv_sqrt(2.0)", 0.7071067811865475),
        ("inv_square(0.5)", 4.0),
        ("sin(1.2)", 0.9320390859672263),
        ("cos(1.2)", 0.3623577544766736),
        ("tan(0.3)", 0.3093362496096232),
        ("asin(0.4)", 0.41151684606748806),
        ("acos(0.4)", 1.1592794807274087),
        ("atan(2.0)", 1.1071487177940904),
        ("sinh(0.7)", 0.7585837018395335),
        ("cosh(0.7)", 1.255169005630943),
        ("asinh(3.0)", 1.8184464592320668),
        ("acosh(3.0)", 1.762747174039086),
        ("atanh(0.5)", 0.5493061443340549),
        ("trunc(-2.7)", -2.0),
        ("log_diff_exp(1.0, 0.5)", 0.06724787043281125),
        ("log_diff_exp(0.0, -1e-12)", -27.631021115929048),
        ("lmultiply(2.0, 3.0)", 2.1972245773362196),
        ("lmultiply(0, 0)", 0.0),
        ("atan2(1.0, -2.0)", 2.677945044588987),
        ("fdim(3.0, 1.0)", 2.0),
        ("fdim(1.0, 3.0)", 0.0),
        ("multiply_log(2.0, 3.0)", 2.1972245773362196),
        ("binomial_coefficient_log(10, 3)", 4.787491742782046),
        ("inv_Phi(0.975)", 1.9599639845400542),  // mpmath √2·erfinv(2p − 1)
        ("inv_Phi(1e-10)", -6.3613409024040562),  // mpmath
        ("tgamma(4.5)", 11.631728396567449),  // mpmath gamma
        ("tgamma(-1.5)", 2.3632718012073547),  // mpmath gamma
        ("log_inv_logit_diff(1.5, -0.5)", -0.82090372003171815),  // mpmath log(σ(1.5) − σ(−0.5)) (as ordered_logistic)
        ("log_inv_logit_diff(43.0, 38.0)", -38.006760749449489),  // mpmath: no cancellation
        ("choose(10, 3)", 120),
        ("choose(3, 5)", 0),
        ("choose(30, 15)", 155117520),  // exact; choose(40, 20) overflows Stan's int (below)
    ])
    func values(_ expression: String, _ expected: Double) throws {
        let v = try functionValue(expression)
        #expect(abs(v - expected) <= 1e-14 * max(1, abs(expected)), "\(expression) = \(v), expected \(expected)")
    }

    @Test("piecewise functions follow Stan at the jumps", arguments: [
        ("floor(-2.5)", -3.0), ("ceil(-2.5)", -2.0), ("round(2.5)", 3.0), ("round(-2.5)", -3.0),
        ("round(0.49999999999999994)", 0.0), ("step(0)", 1.0), ("step(-0.1)", 0.0), ("int_step(0)", 0.0),
        ("int_step(0.1)", 1.0), ("fabs(-3)", 3.0), ("fmin(2, -1)", -1.0), ("fmax(2, -1)", 2.0),
        ("sort_asc([3.0, -1.0, 2.0])[1]", -1.0), ("sort_asc([3, -1, 2])[3]", 3.0),
        ("rank([3.0, -1.0, 2.0], 1)", 2.0), ("rank([3.0, -1.0, 2.0], 2)", 0.0), ("rank([2, 2, 1], 1)", 1.0),
        ("sum(softmax([0.3, 0.1, -2.0, 4.0]))", 1.0),
    ])
    func piecewise(_ expression: String, _ expected: Double) throws {
        let v = try functionValue(expression)
        #expect(abs(v - expected) <= 1e-15, "\(expression) = \(v), expected \(expected)")
    }

    /// Tiny results keep their relative accuracy (numpy: log1p(−e^−40); hypot without overflow).
    @Test("relative accuracy of tiny and huge results", arguments: [
        ("log1m_exp(-40.0)", -4.248354255291589e-18),
        ("hypot(3e200, 4e200) / 1e200", 4.9999999999999995),
    ])
    func relative(_ expression: String, _ expected: Double) throws {
        let v = try functionValue(expression)
        #expect(abs(v - expected) <= 1e-14 * abs(expected), "\(expression) = \(v)")
    }

    @Test("int results are ints: int_step and rank index arrays")
    func intResults() throws {
        #expect(try functionValue("[10.0, 20.0][int_step(0.5) + 1]") == 20)
        #expect(try functionValue("[10.0, 20.0, 30.0][rank([0.5, 0.1, 0.9], 3) + 1]") == 30)
    }

    @Test("domain errors are located runtime errors", arguments: [
        ("log_mix(1.5, 0.0, 1.0)", "log_mix: theta must be in [0, 1], got 1.5"),
        ("binary_log_loss(2, 0.5)", "binary_log_loss: y must be 0 or 1, got 2"),
        ("binary_log_loss(1, 1.5)", "binary_log_loss: y_hat must be in [0, 1], got 1.5"),
        ("lchoose(3, 5)", "lchoose: needs 0 <= y <= x, got x = 3, y = 5"),
        ("lbeta(-1, 2)", "lbeta: the arguments must be >= 0, got -1 and 2"),
        ("rank([1.0, 2.0], 3)", "rank: index 3 is out of range (1..2)"),
        ("log_diff_exp(0.5, 1.0)", "log_diff_exp: y must be <= x, got x = 0.5, y = 1"),
        ("inv_Phi(1.5)", "inv_Phi: p must be in [0, 1], got 1.5"),
        ("tgamma(-2.0)", "tgamma: x must not be 0 or a negative integer, got -2"),
        ("choose(40, 20) * 1.0", "choose(40, 20) is larger than the largest int (2147483647)"),
        ("choose(-1, 0) * 1.0", "choose: the arguments must be >= 0, got -1 and 0"),
    ])
    func domainErrors(_ expression: String, _ message: String) throws {
        do {
            _ = try functionValue(expression)
            Issue.record("\(expression) did not fail")
        } catch let e as RuntimeError {
            #expect(e.message == message)
            #expect(e.span != nil, "the error is located")
        }
    }

    @Test("misuse is a checker error with a hint", arguments: [
        ("log_mix(0.5, 1.0)", "'log_mix' takes 3 arguments, but 2 were given"),
        ("binary_log_loss(0.5, 0.5)", "argument 1 of 'binary_log_loss' must be an int, but this is real"),
        ("softmax(1.0)", "'softmax' takes an array, but this is real"),
        ("rank([1.0, 2.0], 1.5)", "'rank' takes an array and an int index, but got real array and real"),
        ("choose(4.0, 2)", "argument 1 of 'choose' must be an int, but this is real"),
    ])
    func misuse(_ expression: String, _ message: String) throws {
        do {
            _ = try functionValue(expression)
            Issue.record("\(expression) checked")
        } catch let e as PrepareError {
            #expect(e.description.contains(message), "\(e.description)")
        }
    }
}
