// Forward-over-reverse Hessians: closed forms (to 1e-12), finite differences of the exact
// gradient (to 1e-6) for every elementwise function, and symmetry to rounding.
import Foundation
import SynmAutodiff
import SynmMath
import Testing

/// Tape functions written once over any scalar, so the same code runs on Double and Dual.
enum Models {
    /// Σ xᵢ·log²xᵢ: diagonal Hessian (2 log x + 2)/x.
    static func xLogSquared<T>(_ t: inout Tape<T>, _ x: VarRange) -> VarIndex {
        let l2 = t.apply(.square, to: t.apply(.log, to: x))
        return t.sum(t.apply(.multiply, .variables(l2), .variables(x)))
    }

    /// Rosenbrock (1 − x)² + 100(y − x²)², from scalar nodes.
    static func rosenbrock<T>(_ t: inout Tape<T>, _ v: VarRange) -> VarIndex {
        let a = t.apply(.square, to: t.apply(.subtract, scalars: .constant(1), .variable(v[0])))
        let d = t.apply(.subtract, v[1], t.apply(.square, to: v[0]))
        let b = t.apply(.multiply, scalars: .constant(100), .variable(t.apply(.square, to: d)))
        return t.apply(.add, a, b)
    }

    /// Σᵢ log N(yᵢ | μ, e^s) in (μ, s = log σ): σ = exp(s) is a tape node, the rows are one
    /// accumulator node whose partials are computed in T (so on Dual they carry tangents).
    static func normal<T>(_ t: inout Tape<T>, _ p: VarRange, y: [Double]) -> VarIndex {
        let mu = p[0], sigma = t.apply(.exp, to: p[1])
        let m = t.value(of: mu), s = t.value(of: sigma)
        var total: T = 0, dMu: T = 0, dSigma: T = 0
        let halfLog2Pi = T(0.5 * Foundation.log(2 * Double.pi))
        for yi in y {
            let z = (T(yi) - m) / s
            total += -0.5 * z * z - T.log(s) - halfLog2Pi
            dMu += z / s
            dSigma += (z * z - 1) / s
        }
        let lp = t.newVariable(total)
        t.addEdge(from: mu, to: lp, partial: dMu)
        t.addEdge(from: sigma, to: lp, partial: dSigma)
        return lp
    }
}

@Suite struct HessianTests {
    @Test func xLogSquaredClosedForm() {
        for x in randomPoints(20, in: Array(repeating: 0.1 ... 5, count: 3), seed: 51) {
            let (v, g, h) = hessian(of: Models.xLogSquared, at: x)
            let l = x.map { Foundation.log($0) }
            #expect(isClose(v, zip(x, l).map { $0 * $1 * $1 }.reduce(0, +), relTol: 1e-12, absTol: 1e-12))
            for i in 0 ..< 3 {
                #expect(isClose(g[i], l[i] * l[i] + 2 * l[i], relTol: 1e-12, absTol: 1e-12))
                for j in 0 ..< 3 {
                    let expected = i == j ? (2 * l[i] + 2) / x[i] : 0
                    #expect(isClose(h[i][j], expected, relTol: 1e-12, absTol: 1e-12))
                }
            }
            expectHessianMatchesFiniteDifferences(Models.xLogSquared, Models.xLogSquared, at: x)
        }
    }

    @Test func rosenbrockClosedForm() {
        let points = randomPoints(20, in: [-2 ... 2, -1 ... 3], seed: 52) + [[1, 1], [0, 0]]
        for p in points {
            let (x, y) = (p[0], p[1])
            let (v, g, h) = hessian(of: Models.rosenbrock, at: p)
            let d = y - x * x
            #expect(isClose(v, (1 - x) * (1 - x) + 100 * d * d, relTol: 1e-12, absTol: 1e-12))
            #expect(isClose(g[0], -2 * (1 - x) - 400 * x * d, relTol: 1e-12, absTol: 1e-12))
            #expect(isClose(g[1], 200 * d, relTol: 1e-12, absTol: 1e-12))
            let expected = [[2 - 400 * d + 800 * x * x, -400 * x], [-400 * x, 200]]
            for i in 0 ..< 2 {
                for j in 0 ..< 2 {
                    #expect(isClose(h[i][j], expected[i][j], relTol: 1e-12, absTol: 1e-12))
                }
            }
            expectHessianMatchesFiniteDifferences(Models.rosenbrock, Models.rosenbrock, at: p,
                                                  relTol: 1e-6)
        }
    }

    @Test func normalLogDensityClosedForm() {
        let y = [0.5, -1.3, 2.2, 0.9, 1.7]
        let n = Double(y.count)
        for p in randomPoints(20, in: [-2 ... 2, -1 ... 1], seed: 53) {
            let (mu, sigma) = (p[0], Foundation.exp(p[1]))
            let (_, g, h) = hessian(of: { Models.normal(&$0, $1, y: y) }, at: p)
            let r = y.map { $0 - mu }
            let s1 = r.reduce(0, +), s2 = r.map { $0 * $0 }.reduce(0, +)
            let s2σ = s2 / (sigma * sigma)
            #expect(isClose(g[0], s1 / (sigma * sigma), relTol: 1e-12, absTol: 1e-12))
            #expect(isClose(g[1], s2σ - n, relTol: 1e-12, absTol: 1e-12))
            #expect(isClose(h[0][0], -n / (sigma * sigma), relTol: 1e-12, absTol: 1e-12))
            #expect(isClose(h[0][1], -2 * s1 / (sigma * sigma), relTol: 1e-12, absTol: 1e-12))
            #expect(isClose(h[1][0], -2 * s1 / (sigma * sigma), relTol: 1e-12, absTol: 1e-12))
            #expect(isClose(h[1][1], -2 * s2σ, relTol: 1e-12, absTol: 1e-12))
            expectHessianMatchesFiniteDifferences(
                { Models.normal(&$0, $1, y: y) }, { Models.normal(&$0, $1, y: y) }, at: p)
        }
    }

    /// s + s² with s = Σ f(xᵢ): off-diagonal entries f′(xᵢ)f′(xⱼ)·2, diagonal f″ terms.
    static func unaryModel<T>(_ f: UnaryFunction) -> (inout Tape<T>, VarRange) -> VarIndex {
        { t, x in
            let s = t.sum(t.apply(f, to: x))
            return t.apply(.add, s, t.apply(.square, to: s))
        }
    }

    @Test(arguments: UnaryFunction.allCases)
    func unaryFunctionHessians(_ f: UnaryFunction) {
        let domain = f.reference.domain
        for x in randomPoints(5, in: [domain, domain], seed: 54) {
            expectHessianMatchesFiniteDifferences(Self.unaryModel(f), Self.unaryModel(f), at: x)
        }
    }

    /// Σ w·f(a, b) squared plus itself, over every operand pattern of a broadcast node.
    static func binaryModel<T>(_ f: BinaryFunction) -> (inout Tape<T>, VarRange) -> VarIndex {
        { t, x in
            let c = t.registerConstants([0.6, 2.1])
            let a = VarRange(start: x.start, length: 2), b = VarRange(start: x.start + 2, length: 2)
            let u = t.apply(f, .variables(a), .variables(b))
            let v = t.apply(f, .variables(a), .variable(x[4]))
            let w = t.apply(f, .constants(c), .variables(b))
            let s = t.apply(.add, t.apply(.add, t.dot(u, v), t.sum(w)), t.sum(u))
            return t.apply(.add, s, t.apply(.square, to: s))
        }
    }

    @Test(arguments: BinaryFunction.allCases)
    func binaryFunctionHessians(_ f: BinaryFunction) {
        for x in randomPoints(5, in: Array(repeating: 0.3 ... 2.5, count: 5), seed: 55) {
            expectHessianMatchesFiniteDifferences(Self.binaryModel(f), Self.binaryModel(f), at: x,
                                                  relTol: 1e-5)
        }
    }

    @Test func reductionsAndMatrixHessians() {
        let matrix: [Double] = [1, -2, 0.5, 3, 0.25, -1]
        func model<T>(_ t: inout Tape<T>, _ x: VarRange) -> VarIndex {
            let xm = t.registerConstantMatrix(matrix, rows: 2, columns: 3)
            let e = t.multiply(xm, x)
            let l = t.logSumExp(t.gather(x, at: [0, 2, 2, 1] as [Int32]))
            return t.apply(.add, t.apply(.multiply, l, t.mean(e)), t.dot(e, e))
        }
        for x in randomPoints(10, in: Array(repeating: -1 ... 1, count: 3), seed: 56) {
            expectHessianMatchesFiniteDifferences(model, model, at: x)
            let h = hessian(of: model, at: x).hessian
            for i in 0 ..< 3 {
                for j in 0 ..< 3 {
                    #expect(isClose(h[i][j], h[j][i], relTol: 1e-13, absTol: 1e-13), "symmetric")
                }
            }
        }
    }
}
