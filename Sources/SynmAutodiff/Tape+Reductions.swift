// Reductions and index operations as single nodes: sum, mean, dot products, log-sum-exp,
// gather (multi-indexing), and the accumulator node used for vectorised density terms.
import SynmMath

extension Tape {
    /// Σ x[k] (summed left to right): one node, partials 1.
    @inlinable public mutating func sum(_ x: VarRange) -> VarIndex {
        let n = x.count
        return withNode(outputs: 1, edges: n) { w in
            var s: T = 0
            for k in 0 ..< n {
                let input = x.start + Int32(truncatingIfNeeded: k)
                s += w.value(input)
                w.edge(k, from: input, toOutput: 0, partial: 1)
            }
            w.setOutput(0, s)
        }[0]
    }

    /// (Σ x[k]) / n: one node, partials 1/n. `x` must be non-empty.
    @inlinable public mutating func mean(_ x: VarRange) -> VarIndex {
        let n = x.count
        precondition(n > 0, "mean of an empty array")
        let scale = T(1 / Double(n))
        return withNode(outputs: 1, edges: n) { w in
            var s: T = 0
            for k in 0 ..< n {
                let input = x.start + Int32(truncatingIfNeeded: k)
                s += w.value(input)
                w.edge(k, from: input, toOutput: 0, partial: scale)
            }
            w.setOutput(0, s / T(Double(n)))
        }[0]
    }

    /// Σ a[k]·b[k] of two variable arrays: one node, ∂/∂a[k] = b[k], ∂/∂b[k] = a[k].
    @inlinable public mutating func dot(_ a: VarRange, _ b: VarRange) -> VarIndex {
        precondition(a.count == b.count, "dot product operands differ in length")
        let n = a.count
        return withNode(outputs: 1, edges: 2 * n) { w in
            var s: T = 0
            for k in 0 ..< n {
                let i = a.start + Int32(truncatingIfNeeded: k)
                let j = b.start + Int32(truncatingIfNeeded: k)
                let (x, y) = (w.value(i), w.value(j))
                s += x * y
                w.edge(2 * k, from: i, toOutput: 0, partial: y)
                w.edge(2 * k + 1, from: j, toOutput: 0, partial: x)
            }
            w.setOutput(0, s)
        }[0]
    }

    /// Σ c[k]·x[k] with registered constants c: one node, ∂/∂x[k] = c[k].
    @inlinable public mutating func dot(_ c: ConstantRange, _ x: VarRange) -> VarIndex {
        precondition(Int(c.count) == x.count, "dot product operands differ in length")
        let n = x.count
        return withNode(outputs: 1, edges: n) { w in
            var s: T = 0
            for k in 0 ..< n {
                let i = x.start + Int32(truncatingIfNeeded: k)
                let ck = w.constant(c.start + Int32(truncatingIfNeeded: k))
                s += ck * w.value(i)
                w.edge(k, from: i, toOutput: 0, partial: ck)
            }
            w.setOutput(0, s)
        }[0]
    }

    /// log Σ exp(x[k]), shifted by the largest value m so no term overflows:
    /// `m + log Σ exp(x[k] − m)`. Partials are the softmax exp(x[k] − result), computed from
    /// the same exponentials (one exp per element). An empty array or all −∞ gives −∞ with
    /// zero partials; a +∞ element gives +∞ (partials NaN, as the derivative is undefined).
    @inlinable public mutating func logSumExp(_ x: VarRange) -> VarIndex {
        let n = x.count
        var m = -Double.infinity
        for v in x { m = Swift.max(m, value(of: v).value) }
        return withNode(outputs: 1, edges: n) { w in
            guard m > -.infinity else {
                for k in 0 ..< n {
                    w.edge(k, from: x.start + Int32(truncatingIfNeeded: k), toOutput: 0, partial: 0)
                }
                w.setOutput(0, T(-.infinity))
                return
            }
            // The shift m is a constant: m + log Σ exp(x − m) is exact for any m, so the
            // result's derivative (and, on Dual, its tangent) does not depend on it.
            let shift = T(m)
            var s: T = 0
            for k in 0 ..< n {
                let i = x.start + Int32(truncatingIfNeeded: k)
                let e = T.exp(w.value(i) - shift)
                s += e
                w.edge(k, from: i, toOutput: 0, partial: e)
            }
            w.setOutput(0, shift + T.log(s))
            for k in 0 ..< n { w.partial[k] = w.partial[k] / s }
        }[0]
    }

    /// `out[k] = x[indices[k]]` (0-based): multi-indexing, one node, partials 1. Repeated
    /// indices are allowed; their adjoints add up.
    @inlinable public mutating func gather<C: Collection>(_ x: VarRange, at indices: C) -> VarRange
    where C.Element == Int32 {
        let n = indices.count
        return withNode(outputs: n, edges: n) { w in
            var k = 0
            for index in indices {
                precondition(index >= 0 && index < x.length, "gather index out of range")
                let input = x.start + index
                w.setOutput(k, w.value(input))
                w.edge(k, from: input, toOutput: k, partial: 1)
                k += 1
            }
        }
    }

    /// An accumulator node: a scalar with value `value` and caller-computed partials
    /// `∂value/∂inputs[k] = partials[k]` (e.g. the log density of N rows, summed, and its
    /// derivative with respect to each row's mean). For the row loop without a partials
    /// buffer, use `newVariable(0)`, `addEdges(from:to:partials:)` or `addEdge`, `setValue`.
    @inlinable public mutating func accumulate<C: Collection>(
        value: T, inputs: VarRange, partials: C
    ) -> VarIndex where C.Element == T {
        precondition(partials.count == inputs.count, "one partial per input")
        return withNode(outputs: 1, edges: inputs.count) { w in
            var k = 0
            for p in partials {
                w.edge(k, from: inputs.start + Int32(truncatingIfNeeded: k), toOutput: 0, partial: p)
                k += 1
            }
            w.setOutput(0, value)
        }[0]
    }
}
