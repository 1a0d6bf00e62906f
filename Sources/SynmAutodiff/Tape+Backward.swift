// The reverse sweep: edges newest first, interleaved with special nodes at the edge position
// where each was recorded, so the whole tape is replayed in reverse creation order.
import SynmMath

/// A node with its own backward loop instead of stored per-entry partials.
@usableFromInline struct SpecialNode: Sendable {
    /// What the node computes.
    @usableFromInline enum Kind: Sendable {
        /// `output[r] = Σ_c X[r, c]·input[c]` for a constant matrix X.
        case constantMatrixTimesVector
    }

    @usableFromInline var kind: Kind
    /// The constant matrix operand.
    @usableFromInline var matrix: ConstantMatrix
    /// First variable of the variable operand.
    @usableFromInline var input: Int32
    /// First output.
    @usableFromInline var output: Int32
    /// Number of edges recorded before this node: its place in the reverse sweep.
    @usableFromInline var edgePosition: Int

    @inlinable init(
        kind: Kind, matrix: ConstantMatrix, input: Int32, output: Int32, edgePosition: Int
    ) {
        self.kind = kind
        self.matrix = matrix
        self.input = input
        self.output = output
        self.edgePosition = edgePosition
    }
}

extension Tape {
    /// Computes the adjoint `∂output/∂v` of every variable `v` (read with `adjoint(of:)`).
    ///
    /// Adjoints are zeroed, `adj[output] = 1`, then every edge is replayed newest first
    /// (`adj[from] += partial · adj[to]`) with each special node run at its recorded place.
    /// May be called again (e.g. from another output); each call starts from zero.
    @inlinable public mutating func backward(from output: VarIndex) {
        precondition(Int(output.raw) < valueCount, "stale VarIndex")
        let n = valueCount
        if adjointStore.count < valueStore.count {
            adjointStore.append(
                contentsOf: repeatElement(0, count: valueStore.count - adjointStore.count))
        }
        let edges = edgeCount
        if specialNodes.isEmpty {
            // No special nodes (most models): the edge loop alone, without copying the
            // special-node and constant arrays (a retain and release each).
            adjointStore.withUnsafeMutableBufferPointer { adj in
                let adj = adj.baseAddress!
                adj.update(repeating: 0, count: n)
                adj[Int(output.raw)] = 1
                edgeFrom.withUnsafeBufferPointer { from in
                    edgeTo.withUnsafeBufferPointer { to in
                        edgePartial.withUnsafeBufferPointer { partial in
                            Self.sweepEdges(edges, adj, from, to, partial)
                        }
                    }
                }
            }
            return
        }
        let specials = specialNodes
        let constants = constantStore
        adjointStore.withUnsafeMutableBufferPointer { adj in
            let adj = adj.baseAddress!
            adj.update(repeating: 0, count: n)
            adj[Int(output.raw)] = 1
            edgeFrom.withUnsafeBufferPointer { from in
                edgeTo.withUnsafeBufferPointer { to in
                    edgePartial.withUnsafeBufferPointer { partial in
                        Self.sweep(edges, specials, constants, adj, from, to, partial)
                    }
                }
            }
        }
    }

    /// Replays edges `0 ..< edges` newest first, running each special node when the sweep
    /// reaches the edge position at which it was recorded.
    @inlinable static func sweep(
        _ edges: Int, _ specials: [SpecialNode], _ constants: [Double],
        _ adj: UnsafeMutablePointer<T>, _ from: UnsafeBufferPointer<Int32>,
        _ to: UnsafeBufferPointer<Int32>, _ partial: UnsafeBufferPointer<T>
    ) {
        var end = edges
        var s = specials.count
        while true {
            let begin = s > 0 ? specials[s - 1].edgePosition : 0
            var e = end
            while e > begin {
                e -= 1
                let p: T = partial[e]
                adj[Int(from[e])] += p * adj[Int(to[e])]
            }
            end = begin
            if s == 0 { return }
            s -= 1
            runBackward(specials[s], adj, constants)
        }
    }

    /// Replays edges `0 ..< edges` newest first (a tape without special nodes): the same
    /// updates in the same order as `sweep`.
    @inlinable static func sweepEdges(
        _ edges: Int, _ adj: UnsafeMutablePointer<T>, _ from: UnsafeBufferPointer<Int32>,
        _ to: UnsafeBufferPointer<Int32>, _ partial: UnsafeBufferPointer<T>
    ) {
        var e = edges
        while e > 0 {
            e -= 1
            let p: T = partial[e]
            adj[Int(from[e])] += p * adj[Int(to[e])]
        }
    }

    /// The backward loop of one special node.
    @inlinable static func runBackward(
        _ node: SpecialNode, _ adj: UnsafeMutablePointer<T>, _ constants: [Double]
    ) {
        switch node.kind {
        case .constantMatrixTimesVector:
            // adj[β] += Xᵀ adj[out], walking X row by row (row-major, contiguous).
            let rows = Int(node.matrix.rows), cols = Int(node.matrix.columns)
            let input = Int(node.input), output = Int(node.output)
            constants.withUnsafeBufferPointer { c in
                let x = c.baseAddress.unsafelyUnwrapped + Int(node.matrix.storage.start)
                let g = adj + input
                for r in 0 ..< rows {
                    let a = adj[output + r]
                    let row = x + r * cols
                    for col in 0 ..< cols { g[col] += T(row[col]) * a }
                }
            }
        }
    }
}
