// Writing a node's edges straight into the tape through a cursor: the caller fills the input
// and partial slots after the live edges (`pendingInputs`, `pendingPartials`), then `commitNode`
// writes the node's value and outputs. Nodes land exactly as through `pushNode`; a caller that
// finds it needs no node simply does not commit (the slots are overwritten later).
import SynmMath

extension TapeCursor {
    /// The input slots of the next node's edges (room for them must have been checked).
    @inlinable public var pendingInputs: UnsafeMutablePointer<Int32> { from + liveEdges }
    /// The partial slots of the next node's edges.
    @inlinable public var pendingPartials: UnsafeMutablePointer<T> { partials + liveEdges }

    /// Makes a node of value `value` from the `count` edges written at `pendingInputs` and
    /// `pendingPartials`.
    @inlinable @inline(__always) public mutating func commitNode(_ value: T, count: Int) -> VarIndex {
        precondition(hasRoom(variables: 1, edges: count), "tape cursor: no room reserved for the node")
        let out = Int32(truncatingIfNeeded: liveValues)
        values[liveValues] = value
        liveValues += 1
        frontier = out
        let first = liveEdges
        for k in 0 ..< count {
            assert(from[first + k] < out, "edge input must precede the node")
            to[first + k] = out
        }
        liveEdges += count
        return VarIndex(raw: out)
    }
}
