// Reference-value, identity and edge tests for Φ, log Φ and Φ⁻¹.
import Testing
@testable import SynmMath

/// Relative tolerance for Φ, log Φ and Φ⁻¹. AS 241 is accurate to ~1e-16; Φ via erfc loses
/// about x²·2⁻⁵³ (≈ 1.5e-13 at x = −37) from rounding −x/√2, hence 1e-12 rather than 1e-13.
private let normalTolerance = 1e-12

@Suite("Normal distribution functions")
struct NormalFunctionsTests {
    @Test("normalCDF matches mpmath", arguments: Reference.normalCDF)
    func cdfReference(_ c: (x: Double, value: Double)) {
        expectClose(normalCDF(c.x), c.value, rel: normalTolerance, "normalCDF(\(c.x))")
    }

    @Test("logNormalCDF matches mpmath", arguments: Reference.logNormalCDF)
    func logCDFReference(_ c: (x: Double, value: Double)) {
        expectClose(logNormalCDF(c.x), c.value, rel: normalTolerance, "logNormalCDF(\(c.x))")
    }

    @Test("normalQuantile matches mpmath", arguments: Reference.normalQuantile)
    func quantileReference(_ c: (p: Double, value: Double)) {
        expectClose(normalQuantile(c.p), c.value, rel: normalTolerance, "normalQuantile(\(c.p))")
    }

    /// Φ(Φ⁻¹(p)) = p. A relative error ε in z = Φ⁻¹(p) becomes ≈ z²ε in Φ (as φ(z)/Φ(z) ≈ |z|
    /// in the tail), and Φ itself loses ≈ z²·2⁻⁵³: about 2e-13 at p = 1e-200 (z ≈ −30.2),
    /// so the round trip gets the same 1e-12 as Φ.
    @Test("Φ(Φ⁻¹(p)) = p", arguments: [1e-200, 1e-8, 0.01, 0.3, 0.5, 0.77, 0.99])
    func roundTrip(_ p: Double) {
        expectClose(normalCDF(normalQuantile(p)), p, rel: normalTolerance)
    }

    /// Φ⁻¹(1 − p) = −Φ⁻¹(p) for p where 1 − p is exact.
    @Test("quantile is odd about ½", arguments: [0.5 - 0x1p-30, 0.25, 0.1, 0.0078125])
    func oddSymmetry(_ p: Double) {
        expectClose(normalQuantile(1 - p), -normalQuantile(p), rel: 1e-15)
    }

    @Test func edges() {
        #expect(normalCDF(0) == 0.5)
        #expect(normalCDF(-.infinity) == 0)
        #expect(normalCDF(.infinity) == 1)
        #expect(normalCDF(.nan).isNaN)
        #expect(logNormalCDF(-.infinity) == -.infinity)
        #expect(logNormalCDF(.infinity) == 0)
        #expect(logNormalCDF(.nan).isNaN)
        #expect(normalQuantile(0.5) == 0)
        #expect(normalQuantile(0) == -.infinity)
        #expect(normalQuantile(1) == .infinity)
        #expect(normalQuantile(-0.1).isNaN)
        #expect(normalQuantile(1.5).isNaN)
        #expect(normalQuantile(.nan).isNaN)
    }

    /// The asymptotic branch of log Φ (x < −30) meets the direct branch continuously.
    @Test func logCDFBranchesAgree() {
        let below = logNormalCDF(-30.000000000000004)
        let at = logNormalCDF(-30)
        expectClose(below, at, rel: 1e-13)
    }
}
