// The kernels are generic over RealScalar so that a forward-mode dual type differentiates
// the partials exactly. A minimal test-local dual checks that: the dual part of the value
// equals the analytic partial, and the dual parts of the partials equal finite differences
// of the Double partials (second derivatives).
import Foundation
import SynmMath
import Testing
@testable import SynmDistributions

/// A test-only forward-mode dual number a + b·ε (ε² = 0).
struct TestDual: RealScalar {
    var value: Double
    var tangent: Double
    init(_ value: Double) { self.value = value; tangent = 0 }
    init(_ value: Double, _ tangent: Double) { self.value = value; self.tangent = tangent }
    init(floatLiteral v: Double) { self.init(v) }
    init(integerLiteral v: Int) { self.init(Double(v)) }
    static func < (a: Self, b: Self) -> Bool { a.value < b.value }
    static func == (a: Self, b: Self) -> Bool { a.value == b.value }
    static func + (a: Self, b: Self) -> Self { .init(a.value + b.value, a.tangent + b.tangent) }
    static func - (a: Self, b: Self) -> Self { .init(a.value - b.value, a.tangent - b.tangent) }
    static func * (a: Self, b: Self) -> Self {
        .init(a.value * b.value, a.tangent * b.value + a.value * b.tangent)
    }
    static func / (a: Self, b: Self) -> Self {
        let q = a.value / b.value
        return .init(q, (a.tangent - q * b.tangent) / b.value)
    }
    static prefix func - (a: Self) -> Self { .init(-a.value, -a.tangent) }
    static func += (a: inout Self, b: Self) { a = a + b }
    static func -= (a: inout Self, b: Self) { a = a - b }
    static func *= (a: inout Self, b: Self) { a = a * b }
    private func chain(_ f: Double, _ df: Double) -> Self { .init(f, df * tangent) }
    static func exp(_ x: Self) -> Self { let e = Foundation.exp(x.value); return x.chain(e, e) }
    static func log(_ x: Self) -> Self { x.chain(Foundation.log(x.value), 1 / x.value) }
    static func log1p(_ x: Self) -> Self { x.chain(Foundation.log1p(x.value), 1 / (1 + x.value)) }
    static func expm1(_ x: Self) -> Self { x.chain(Foundation.expm1(x.value), Foundation.exp(x.value)) }
    static func sqrt(_ x: Self) -> Self { let s = x.value.squareRoot(); return x.chain(s, 0.5 / s) }
    static func pow(_ x: Self, _ y: Self) -> Self { exp(y * log(x)) }
    static func lgamma(_ x: Self) -> Self { x.chain(SynmMath.logGamma(x.value), SynmMath.digamma(x.value)) }
    static func digamma(_ x: Self) -> Self { x.chain(SynmMath.digamma(x.value), SynmMath.trigamma(x.value)) }
    static func normalCDF(_ x: Self) -> Self {
        x.chain(SynmMath.normalCDF(x.value), Double.exp(-0.5 * x.value * x.value) / (2 * Double.pi).squareRoot())
    }
    static func tanh(_ x: Self) -> Self {
        let t = Foundation.tanh(x.value); return x.chain(t, 1 - t * t)
    }
    static func atan(_ x: Self) -> Self { x.chain(Foundation.atan(x.value), 1 / (1 + x.value * x.value)) }
    static func abs(_ x: Self) -> Self { x.chain(Swift.abs(x.value), x.value < 0 ? -1 : 1) }
}

@Suite("Second derivatives through a dual type")
struct SecondDerivativeTests {
    @Test("dual parts of value and partials match first and second derivatives",
          arguments: Distribution.allCases)
    func secondDerivatives(_ d: Distribution) {
        var rng = Xoshiro256StarStar(seed: 31, stream: UInt64(Distribution.allCases.firstIndex(of: d)!))
        let slots = PartialDerivativeTests.differentiableSlots(d)
        for _ in 0..<10 {
            let (y, args) = randomPoint(d, &rng)
            let (lp, p) = evaluate(d, y, args)
            for j in slots {
                // seed direction j
                var dy = TestDual(y), da = [TestDual](args.map { TestDual($0) })
                if j < 0 { dy.tangent = 1 } else { da[j].tangent = 1 }
                while da.count < 3 { da.append(0) }
                var dp = DensityPartials<TestDual>()
                let dlp = Distribution.logDensity(d, variate: dy, da[0], da[1], da[2], partials: &dp)
                #expect(abs(dlp.value - lp) <= 1e-15 * max(1, abs(lp)))
                let first = p.argument(j)
                #expect(abs(dlp.tangent - first) <= 1e-12 * max(1, abs(first)),
                        "\(d.name) ∂/∂slot\(j): dual \(dlp.tangent) vs \(first)")
                // ∂(partial i)/∂(slot j) vs finite differences of the Double partial i
                let s = PartialDerivativeTests.scale(d, j, y, args)
                let x = j < 0 ? y : args[j]
                for i in slots {
                    let f: (Double) -> Double = { v in
                        if j < 0 { return evaluate(d, v, args).1.argument(i) }
                        var a = args
                        a[j] = v
                        return evaluate(d, y, a).1.argument(i)
                    }
                    let fd = PartialDerivativeTests.finiteDifference(f, at: x, h: 1e-3 * s)
                    let second = dp.argument(i).tangent
                    let tol = 1e-6 * abs(fd) + 1e-9 * (1 + abs(p.argument(i))) / s
                    #expect(abs(second - fd) <= tol,
                            "\(d.name)(\(y) | \(args)) ∂²/∂\(i)∂\(j): dual \(second), fd \(fd)")
                }
            }
        }
    }
}
