// Tape mechanics: Double tape values equal plain Double code, Dual tape values equal Double
// tape values, reset() reuse is bit-identical and allocation-free, the topological invariant.
import Foundation
@testable import SynmAutodiff
import SynmMath
import Testing

@Suite struct TapeTests {
    /// A composite model: Σ log N(yᵢ | a + b·xᵢ, σ) written with vectorised nodes.
    static let xs: [Double] = (0 ..< 50).map { Double($0) / 10 }
    static let ys: [Double] = xs.map { 1 + 0.5 * $0 + Foundation.sin(7 * $0) }

    static func regression<T>(_ t: inout Tape<T>, _ p: VarRange) -> VarIndex {
        let x = t.registerConstants(xs), y = t.registerConstants(ys)
        let sigma = t.apply(.exp, to: p[2])
        let mu = t.apply(.add, .variable(p[0]), .variables(t.apply(.multiply, .variable(p[1]), .constants(x))))
        let z = t.apply(.divide, .variables(t.apply(.subtract, .constants(y), .variables(mu))), .variable(sigma))
        let quad = t.apply(.multiply, scalars: .constant(-0.5), .variable(t.dot(z, z)))
        let logs = t.apply(.multiply, scalars: .constant(T(Double(xs.count))), .variable(t.apply(.log, to: sigma)))
        return t.apply(.subtract, quad, logs)
    }

    /// The same log density in plain Double code, the same operations in the same order.
    static func regressionPlain(_ p: [Double]) -> Double {
        let sigma = Foundation.exp(p[2])
        let z = zip(xs, ys).map { x, y in (y - (p[0] + p[1] * x)) / sigma }
        let zz = z.reduce(0.0) { $0 + $1 * $1 }
        return -0.5 * zz - Double(xs.count) * Foundation.log(sigma)
    }

    static let points = randomPoints(20, in: [-2 ... 2, -1 ... 1, -1 ... 1], seed: 71)

    @Test func doubleTapeValueEqualsPlainDouble() {
        for p in Self.points {
            #expect(evaluate(Self.regression, at: p) == Self.regressionPlain(p))
            expectGradientMatchesFiniteDifferences(Self.regression, at: p)
        }
    }

    @Test func dualTapeValuesEqualDoubleTapeValues() {
        for p in Self.points {
            let (v, g) = gradient(of: Self.regression, at: p)
            let (vd, gd, _) = hessian(of: Self.regression, at: p)
            #expect(v == vd)
            #expect(g == gd)
        }
    }

    @Test func resetReuseIsIdenticalAndDoesNotGrow() {
        var tape = Tape<Double>()
        let first = gradient(of: Self.regression, at: Self.points[0], using: &tape)
        tape.removeAllConstants()  // the model registers its data on every call
        _ = gradient(of: Self.regression, at: Self.points[1], using: &tape)
        let sizes = (tape.valueStore.count, tape.edgeFrom.count, tape.adjointStore.count)
        let capacity = tape.valueStore.capacity
        for p in Self.points {
            tape.removeAllConstants()
            let again = gradient(of: Self.regression, at: p, using: &tape)
            #expect(again.value == Self.regressionPlain(p))
        }
        tape.removeAllConstants()
        let last = gradient(of: Self.regression, at: Self.points[0], using: &tape)
        #expect(first.value == last.value && first.gradient == last.gradient, "bit-identical")
        #expect((tape.valueStore.count, tape.edgeFrom.count, tape.adjointStore.count) == sizes)
        #expect(tape.valueStore.capacity == capacity)
    }

    @Test func edgesRespectTheTopologicalInvariant() {
        var tape = Tape<Double>()
        let p = tape.inputs(Self.points[0])
        _ = Self.regression(&tape, p)
        // Every edge out of v must come after every edge into v (then the reverse sweep
        // sees adj[v] complete), and edges run forward in creation order.
        var lastInto = [Int](repeating: -1, count: tape.variableCount)
        var firstOutOf = [Int](repeating: Int.max, count: tape.variableCount)
        for e in 0 ..< tape.edgeCount {
            let (from, to) = (Int(tape.edgeFrom[e]), Int(tape.edgeTo[e]))
            #expect(from < to)
            lastInto[to] = e
            firstOutOf[from] = Swift.min(firstOutOf[from], e)
        }
        for v in 0 ..< tape.variableCount { #expect(lastInto[v] < firstOutOf[v]) }
    }

    @Test func backwardCanBeRepeatedFromAnyOutput() {
        var tape = Tape<Double>()
        let x = tape.inputs([2.0, 3.0])
        let product = tape.apply(.multiply, x[0], x[1])
        let total = tape.apply(.add, product, x[0])
        tape.backward(from: total)
        #expect(tape.adjoints(of: x) == [4, 2])
        tape.backward(from: product)
        #expect(tape.adjoints(of: x) == [3, 2])
        tape.backward(from: total)
        #expect(tape.adjoints(of: x) == [4, 2])
    }

    @Test func pushAndGenericNodes() {
        // f = a·b·c as one three-input node, with hand-written partials.
        let (v, g) = gradient(of: { t, x in
            let (a, b, c) = (t.value(of: x[0]), t.value(of: x[1]), t.value(of: x[2]))
            return t.push(a * b * c, x[0], b * c, x[1], a * c, x[2], a * b)
        }, at: [2, 3, 5])
        #expect(v == 30 && g == [15, 10, 6])
    }
}
