// The constant-matrix × variable-vector special node: against the equivalent edge-based
// construction (dot products per row), finite differences, and interleaving with edges.
import Foundation
import SynmAutodiff
import SynmMath
import Testing

@Suite struct MatrixVectorTests {
    static let rows = 5, cols = 3
    static let matrix: [Double] = randomPoints(1, in: Array(repeating: -2 ... 2, count: 15),
                                               seed: 41)[0]

    /// log Σ exp(X·exp(β)) + Σ (X·β)²: edges before the special node (exp β) and after it.
    static func viaSpecialNode(_ t: inout Tape<Double>, _ beta: VarRange) -> VarIndex {
        let x = t.registerConstantMatrix(matrix, rows: rows, columns: cols)
        let a = t.logSumExp(t.multiply(x, t.apply(.exp, to: beta)))
        let b = t.sum(t.apply(.square, to: t.multiply(x, beta)))
        return t.apply(.add, a, b)
    }

    /// The same function with each row as a `dot(constants, variables)` edge node.
    static func viaEdges(_ t: inout Tape<Double>, _ beta: VarRange) -> VarIndex {
        func product(_ t: inout Tape<Double>, _ v: VarRange) -> VarRange {
            let outs = (0 ..< rows).map { r in
                t.dot(t.registerConstants(Array(matrix[r * cols ..< (r + 1) * cols])), v)
            }
            return t.gather(VarRange(start: outs[0].raw, length: Int32(rows)),
                            at: (0 ..< Int32(rows)).map { $0 })
        }
        let a = t.logSumExp(product(&t, t.apply(.exp, to: beta)))
        let b = t.sum(t.apply(.square, to: product(&t, beta)))
        return t.apply(.add, a, b)
    }

    @Test func matchesEdgeBasedEquivalent() {
        for beta in randomPoints(20, in: Array(repeating: -1 ... 1, count: Self.cols), seed: 42) {
            let (v1, g1) = gradient(of: Self.viaSpecialNode, at: beta)
            let (v2, g2) = gradient(of: Self.viaEdges, at: beta)
            #expect(v1 == v2, "same summation order, same value")
            for i in 0 ..< Self.cols {
                // Adjoints are summed in a different order: equal to rounding.
                #expect(isClose(g1[i], g2[i], relTol: 1e-12, absTol: 1e-14))
            }
            expectGradientMatchesFiniteDifferences(Self.viaSpecialNode, at: beta)
        }
    }

    @Test func forwardIsTheMatrixProduct() {
        var tape = Tape<Double>()
        let x = tape.registerConstantMatrix([1, 2, 3, 4, 5, 6], rows: 2, columns: 3)
        let beta = tape.inputs([1.0, -1, 0.5])
        let out = tape.multiply(x, beta)
        let expected: [Double] = [1 * 1 + 2 * -1 + 3 * 0.5, 4 * 1 + 5 * -1 + 6 * 0.5]
        #expect(tape.values(of: out) == expected)
        let total = tape.sum(out)
        tape.backward(from: total)
        #expect(tape.adjoints(of: beta) == [5, 7, 9])
    }

    @Test func constantsSurviveReset() {
        var tape = Tape<Double>()
        let x = tape.registerConstantMatrix([2, 0, 0, 3], rows: 2, columns: 2)
        for _ in 0 ..< 3 {
            tape.reset()
            let beta = tape.inputs([1.0, 1])
            let product = tape.multiply(x, beta)
            let out = tape.dot(beta, product)
            tape.backward(from: out)
            #expect(tape.value(of: out) == 5)
            #expect(tape.adjoints(of: beta) == [4, 6])
        }
    }
}
