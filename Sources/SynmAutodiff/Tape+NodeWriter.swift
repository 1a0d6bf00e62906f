// The bulk path for vectorised nodes: reserve a node's outputs and edges once, then write
// them through raw pointers in one loop (no per-element append, bounds or uniqueness check).
import SynmMath

/// Raw access to a node under construction, valid only inside `Tape.withNode`.
///
/// `values` covers the whole value buffer (inputs are read from it, outputs written to
/// `output ..< output + outputs`); the edge pointers start at the node's first edge, and each
/// op writes its edges to explicit slots (an immutable writer keeps every pointer in a
/// register: a mutable edge counter, written through memory, would be reloaded per element).
public struct NodeWriter<T: RealScalar> {
    @usableFromInline let values: UnsafeMutablePointer<T>
    @usableFromInline let constants: UnsafePointer<Double>?
    @usableFromInline let from: UnsafeMutablePointer<Int32>
    @usableFromInline let to: UnsafeMutablePointer<Int32>
    @usableFromInline let partial: UnsafeMutablePointer<T>
    /// Index of the node's first output.
    @usableFromInline let output: Int32

    @inlinable init(
        values: UnsafeMutablePointer<T>, constants: UnsafePointer<Double>?,
        from: UnsafeMutablePointer<Int32>, to: UnsafeMutablePointer<Int32>,
        partial: UnsafeMutablePointer<T>, output: Int32
    ) {
        self.values = values
        self.constants = constants
        self.from = from
        self.to = to
        self.partial = partial
        self.output = output
    }

    /// The value of variable `index`.
    @inlinable public func value(_ index: Int32) -> T { values[Int(index)] }

    /// Constant `index` of the pool, lifted to `T`.
    @inlinable public func constant(_ index: Int32) -> T { T(constants.unsafelyUnwrapped[Int(index)]) }

    /// Sets output `k` of the node.
    @inlinable public func setOutput(_ k: Int, _ value: T) { values[Int(output) + k] = value }

    /// Records `∂(output k)/∂(variable input) = partial` in edge slot `slot` of the node.
    @inlinable public func edge(_ slot: Int, from input: Int32, toOutput k: Int, partial p: T) {
        assert(input < output, "edge input must precede the node")
        from[slot] = input
        to[slot] = output + Int32(truncatingIfNeeded: k)
        partial[slot] = p
    }
}

extension Tape {
    /// Creates a node with `outputs` fresh outputs and `edges` edges, which `body` must
    /// write (every slot `0 ..< edges`) through a `NodeWriter`. Returns the outputs. This is
    /// the bulk path for callers that build their own vectorised nodes (a distribution term
    /// over N rows); `body` must not touch the tape itself.
    @inlinable public mutating func withNode(
        outputs: Int, edges: Int, _ body: (NodeWriter<T>) -> Void
    ) -> VarRange {
        reserveValues(outputs)
        reserveEdges(edges)
        let start = Int32(truncatingIfNeeded: valueCount)
        let firstEdge = edgeCount
        valueStore.withUnsafeMutableBufferPointer { v in
            edgeFrom.withUnsafeMutableBufferPointer { f in
                edgeTo.withUnsafeMutableBufferPointer { t in
                    edgePartial.withUnsafeMutableBufferPointer { p in
                        constantStore.withUnsafeBufferPointer { c in
                            body(NodeWriter(
                                values: v.baseAddress!, constants: c.baseAddress,
                                from: f.baseAddress! + firstEdge, to: t.baseAddress! + firstEdge,
                                partial: p.baseAddress! + firstEdge, output: start))
                        }
                    }
                }
            }
        }
        valueCount += outputs
        edgeCount += edges
        frontier = start
        return VarRange(start: start, length: Int32(truncatingIfNeeded: outputs))
    }

    /// Adds one edge per element of `inputs` into `output` (an output of the latest node),
    /// with partial `partials(k, value of inputs[k])`: the row loop of an accumulator node.
    @inlinable public mutating func addEdges(
        from inputs: VarRange, to output: VarIndex, partials: (Int, T) -> T
    ) {
        assert(inputs.start + inputs.length <= frontier && output.raw >= frontier,
               "edges must run from earlier variables into an output of the latest node")
        let n = inputs.count
        reserveEdges(n)
        let first = edgeCount
        valueStore.withUnsafeBufferPointer { v in
            edgeFrom.withUnsafeMutableBufferPointer { f in
                edgeTo.withUnsafeMutableBufferPointer { t in
                    edgePartial.withUnsafeMutableBufferPointer { p in
                        for k in 0 ..< n {
                            let input = inputs.start + Int32(truncatingIfNeeded: k)
                            f[first + k] = input
                            t[first + k] = output.raw
                            p[first + k] = partials(k, v[Int(input)])
                        }
                    }
                }
            }
        }
        edgeCount += n
    }
}

extension Tape {
    /// A one-output node of value `value` with `count` edges, from `inputs[k]` with partial
    /// `partials[k]`, written in one pass (one capacity and uniqueness check per buffer, not
    /// per edge). Every input must precede the node.
    @inlinable public mutating func pushNode(
        _ value: T, count: Int, inputs: UnsafePointer<Int32>, partials: UnsafePointer<T>
    ) -> VarIndex {
        let out = newVariable(value)
        reserveEdges(count)
        let first = edgeCount
        edgeFrom.withUnsafeMutableBufferPointer { f in
            edgeTo.withUnsafeMutableBufferPointer { t in
                edgePartial.withUnsafeMutableBufferPointer { p in
                    for k in 0 ..< count {
                        assert(inputs[k] < out.raw, "edge input must precede the node")
                        f[first + k] = inputs[k]
                        t[first + k] = out.raw
                        p[first + k] = partials[k]
                    }
                }
            }
        }
        edgeCount += count
        return out
    }
}
