// Elementwise nodes: every unary and binary function, every operand combination, checked for
// values (= plain Double), closed-form derivatives and finite differences at random points.
import Foundation
import SynmAutodiff
import SynmMath
import Testing

/// Σ_k w_k·f(x_k) with distinct weights, so a mis-wired edge cannot cancel out.
func weightedSum(_ tape: inout Tape<Double>, _ out: VarRange) -> VarIndex {
    let w = tape.registerConstants((0 ..< out.count).map { 1.3 - 0.7 * Double($0) })
    return tape.dot(w, out)
}

@Suite struct UnaryFunctionTests {
    @Test(arguments: UnaryFunction.allCases)
    func valuesEqualPlainDouble(_ f: UnaryFunction) {
        let ref = f.reference
        let points = randomPoints(20, in: [ref.domain], seed: 11).map { $0[0] } + ref.edges
        var tape = Tape<Double>()
        let x = tape.inputs(points)
        let out = tape.apply(f, to: x)
        for (k, p) in points.enumerated() {
            let v = tape.value(of: out[k])
            #expect(isClose(v, ref.plain(p), relTol: 4 * .ulpOfOne, absTol: 0), "\(f)(\(p))")
            let scalar = tape.apply(f, to: x[k])
            #expect(tape.value(of: scalar) == v, "scalar and vector forms agree")
        }
    }

    @Test(arguments: UnaryFunction.allCases)
    func derivativeMatchesClosedForm(_ f: UnaryFunction) {
        let ref = f.reference
        let points = randomPoints(20, in: [ref.domain], seed: 12).map { $0[0] } + ref.edges
        let (_, grad) = gradient(of: { t, x in t.sum(t.apply(f, to: x)) }, at: points)
        for (k, p) in points.enumerated() {
            #expect(isClose(grad[k], ref.derivative(p), relTol: 1e-12, absTol: 1e-300),
                    "\(f)′(\(p)) = \(grad[k]), closed form \(ref.derivative(p))")
        }
    }

    @Test(arguments: UnaryFunction.allCases)
    func gradientMatchesFiniteDifferences(_ f: UnaryFunction) {
        let ref = f.reference
        for x in randomPoints(20, in: [ref.domain, ref.domain, ref.domain], seed: 13) {
            expectGradientMatchesFiniteDifferences({ t, x in weightedSum(&t, t.apply(f, to: x)) }, at: x)
        }
        for e in ref.edges {
            expectGradientMatchesFiniteDifferences({ t, x in t.apply(f, to: x[0]) }, at: [e])
        }
    }
}

/// Builds `f(a, b)` for one operand combination from inputs x = (a₀, a₁, b₀, b₁, s).
struct OperandCase: CustomStringConvertible, Sendable {
    let description: String
    let build: @Sendable (BinaryFunction, inout Tape<Double>, VarRange) -> VarRange

    static let all: [OperandCase] = [
        OperandCase(description: "var array, var array") { f, t, x in
            t.apply(f, .variables(slice(x, 0, 2)), .variables(slice(x, 2, 2)))
        },
        OperandCase(description: "var array, var scalar") { f, t, x in
            t.apply(f, .variables(slice(x, 0, 2)), .variable(x[4]))
        },
        OperandCase(description: "var scalar, var array") { f, t, x in
            t.apply(f, .variable(x[4]), .variables(slice(x, 2, 2)))
        },
        OperandCase(description: "var array, constant scalar") { f, t, x in
            t.apply(f, .variables(slice(x, 0, 2)), .constant(1.7))
        },
        OperandCase(description: "constant scalar, var array") { f, t, x in
            t.apply(f, .constant(0.8), .variables(slice(x, 2, 2)))
        },
        OperandCase(description: "var array, constant array") { f, t, x in
            let c = t.registerConstants([0.6, 2.1])
            return t.apply(f, .variables(slice(x, 0, 2)), .constants(c))
        },
        OperandCase(description: "constant array, var scalar") { f, t, x in
            let c = t.registerConstants([0.6, 2.1])
            return t.apply(f, .constants(c), .variable(x[4]))
        },
        OperandCase(description: "var scalar, var scalar") { f, t, x in
            VarRange(t.apply(f, x[0], x[3]))
        },
        OperandCase(description: "var scalar, constant scalar") { f, t, x in
            VarRange(t.apply(f, scalars: .variable(x[1]), .constant(2.5)))
        },
        OperandCase(description: "same var array twice") { f, t, x in
            t.apply(f, .variables(slice(x, 0, 2)), .variables(slice(x, 0, 2)))
        },
    ]
}

/// Elements `offset ..< offset + count` of a range.
func slice(_ r: VarRange, _ offset: Int, _ count: Int) -> VarRange {
    VarRange(start: r.start + Int32(offset), length: Int32(count))
}

@Suite struct BinaryFunctionTests {
    /// Inputs kept positive (pow's base) and away from 0 (divide's denominator).
    static let domain: [ClosedRange<Double>] = Array(repeating: 0.3 ... 2.5, count: 5)

    @Test(arguments: BinaryFunction.allCases, OperandCase.all)
    func gradientMatchesFiniteDifferences(_ f: BinaryFunction, _ operands: OperandCase) {
        for x in randomPoints(20, in: Self.domain, seed: 21) {
            expectGradientMatchesFiniteDifferences({ t, x in weightedSum(&t, operands.build(f, &t, x)) }, at: x)
        }
    }

    @Test(arguments: BinaryFunction.allCases)
    func valuesAndPartialsMatchClosedForms(_ f: BinaryFunction) {
        for x in randomPoints(20, in: Self.domain, seed: 22) {
            var tape = Tape<Double>()
            let v = tape.inputs(x)
            let out = tape.apply(f, .variables(slice(v, 0, 2)), .variables(slice(v, 2, 2)))
            tape.backward(from: out[1])
            #expect(tape.value(of: out[0]) == f.plain(x[0], x[2]))
            #expect(tape.value(of: out[1]) == f.plain(x[1], x[3]))
            let (da, db) = f.partials(x[1], x[3])
            #expect(isClose(tape.adjoint(of: v[1]), da, relTol: 1e-12, absTol: 0))
            #expect(isClose(tape.adjoint(of: v[3]), db, relTol: 1e-12, absTol: 0))
            #expect(tape.adjoint(of: v[0]) == 0 && tape.adjoint(of: v[2]) == 0)
        }
    }

    @Test func powAtZeroBaseHasFiniteExponentPartial() {
        let (value, grad) = gradient(of: { t, x in t.apply(.pow, x[0], x[1]) }, at: [0, 2])
        #expect(value == 0)
        #expect(grad == [0, 0])
    }

    @Test func twoConstantsGiveAConstantOutput() {
        var tape = Tape<Double>()
        let out = tape.apply(.multiply, scalars: .constant(3), .constant(4))
        #expect(tape.value(of: out) == 12)
        #expect(tape.edgeTotal == 0)
    }
}
