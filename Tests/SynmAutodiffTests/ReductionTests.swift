// Reductions, gather and the accumulator node: values against plain Double code, gradients
// against closed forms and finite differences at seeded random points plus edge points.
import Foundation
import SynmAutodiff
import SynmMath
import Testing

@Suite struct ReductionTests {
    static let points = randomPoints(20, in: Array(repeating: -3 ... 3, count: 4), seed: 31)

    @Test func sumAndMean() {
        for x in Self.points {
            let (s, gs) = gradient(of: { t, x in t.sum(x) }, at: x)
            #expect(s == x.reduce(0, +))
            #expect(gs == [1, 1, 1, 1])
            let (m, gm) = gradient(of: { t, x in t.mean(x) }, at: x)
            #expect(m == x.reduce(0, +) / 4)
            #expect(gm == [0.25, 0.25, 0.25, 0.25])
            expectGradientMatchesFiniteDifferences({ t, x in t.mean(t.apply(.exp, to: x)) }, at: x)
        }
    }

    @Test func dotProducts() {
        for x in Self.points {
            let (v, g) = gradient(of: { t, x in t.dot(slice(x, 0, 2), slice(x, 2, 2)) }, at: x)
            #expect(v == x[0] * x[2] + x[1] * x[3])
            #expect(g == [x[2], x[3], x[0], x[1]])
            // dot(x, x) = |x|²: the two edges per element add up to 2x.
            let (_, g2) = gradient(of: { t, x in t.dot(x, x) }, at: x)
            #expect(g2 == x.map { 2 * $0 })
            let (vc, gc) = gradient(of: { t, x in
                t.dot(t.registerConstants([1, -2, 0.5, 3]), x)
            }, at: x)
            let expected: Double = 0 + 1 * x[0] + -2 * x[1] + 0.5 * x[2] + 3 * x[3]
            #expect(vc == expected)
            #expect(gc == [1, -2, 0.5, 3])
            expectGradientMatchesFiniteDifferences({ t, x in
                t.dot(t.apply(.tanh, to: x), t.apply(.exp, to: x))
            }, at: x)
        }
    }

    @Test func logSumExpValuesAndSoftmaxGradient() {
        let edges: [[Double]] = [[0, 0, 0, 0], [100, 101, 99, 100.5], [-100, -101, -99, -100.5],
                                 [-800, 0, 1, -3], [700, 0, -700, 1]]
        for x in Self.points + edges {
            let (v, g) = gradient(of: { t, x in t.logSumExp(x) }, at: x)
            #expect(isClose(v, SynmMath.logSumExp(x), relTol: 4 * .ulpOfOne, absTol: 0))
            let softmax = x.map { Foundation.exp($0 - SynmMath.logSumExp(x)) }
            for i in 0 ..< 4 {
                #expect(isClose(g[i], softmax[i], relTol: 1e-12, absTol: 1e-300))
            }
            expectGradientMatchesFiniteDifferences({ t, x in t.logSumExp(x) }, at: x)
        }
    }

    @Test func logSumExpOfNothingIsMinusInfinity() {
        let (v, g) = gradient(of: { t, x in t.logSumExp(x) }, at: [-.infinity, -.infinity])
        #expect(v == -.infinity)
        #expect(g == [0, 0])
        var tape = Tape<Double>()
        let empty = tape.logSumExp(VarRange(start: 0, length: 0))
        #expect(tape.value(of: empty) == -.infinity)
    }

    @Test func gatherWithRepeatedIndices() {
        let indices: [Int32] = [2, 0, 2, 3, 2]
        for x in Self.points {
            var tape = Tape<Double>()
            let v = tape.inputs(x)
            let out = tape.gather(v, at: indices)
            #expect(tape.values(of: out) == indices.map { x[Int($0)] })
            expectGradientMatchesFiniteDifferences({ t, x in
                weightedSum(&t, t.apply(.square, to: t.gather(x, at: indices)))
            }, at: x)
        }
        let (_, g) = gradient(of: { t, x in t.sum(t.gather(x, at: indices)) }, at: [1, 2, 3, 4])
        #expect(g == [1, 0, 3, 1])
    }

    /// Σᵢ −½((yᵢ − μᵢ)/σ)² − log σ as one accumulator node over μ (per row) and σ.
    static func normalRows(_ t: inout Tape<Double>, _ x: VarRange, y: [Double]) -> VarIndex {
        let mu = slice(x, 0, y.count), sigma = x[y.count]
        let s = t.value(of: sigma)
        var total = 0.0, dSigma = 0.0
        let lp = t.newVariable(0)
        t.addEdges(from: mu, to: lp) { i, m in
            let z = (y[i] - m) / s
            total += -0.5 * z * z - Foundation.log(s)
            dSigma += (z * z - 1) / s
            return z / s
        }
        t.addEdge(from: sigma, to: lp, partial: dSigma)
        t.setValue(total, of: lp)
        return lp
    }

    @Test func accumulatorNodes() {
        let y = [0.3, -1.2, 2.0]
        for p in randomPoints(20, in: [-2 ... 2, -2 ... 2, -2 ... 2, 0.5 ... 3], seed: 32) {
            expectGradientMatchesFiniteDifferences({ t, x in Self.normalRows(&t, x, y: y) }, at: p)
            // The same node from a partials buffer.
            let partials = (0 ..< 3).map { (y[$0] - p[$0]) / (p[3] * p[3]) }
            let (v, g) = gradient(of: { t, x in
                t.accumulate(value: 42, inputs: slice(x, 0, 3), partials: partials)
            }, at: p)
            #expect(v == 42)
            #expect(g == partials + [0])
        }
    }
}
