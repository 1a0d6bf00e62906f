// A cursor over the tape's value and edge buffers, opened once for a run of many small nodes
// (a loop kernel: one node per assignment). Writing a node through `Tape.pushNode` checks the
// uniqueness of four arrays (values, edge inputs, outputs, partials) and their capacity; through
// a cursor it is plain stores into buffers whose room was reserved when the cursor was opened.
import SynmMath

/// The tape's buffers opened for writing (see `Tape.withCursor`). Nodes are written as
/// `Tape.pushNode` writes them (same slots, same order), so a tape built through a cursor is
/// the tape built without one.
public struct TapeCursor<T: RealScalar> {
    @usableFromInline let values: UnsafeMutablePointer<T>
    @usableFromInline let valueCapacity: Int
    @usableFromInline let from: UnsafeMutablePointer<Int32>
    @usableFromInline let to: UnsafeMutablePointer<Int32>
    @usableFromInline let partials: UnsafeMutablePointer<T>
    @usableFromInline let edgeCapacity: Int
    /// Live variables and edges (the tape's counts once the cursor is closed).
    @usableFromInline var liveValues: Int
    @usableFromInline var liveEdges: Int
    @inlinable public var valueCount: Int { liveValues }
    @inlinable public var edgeCount: Int { liveEdges }
    /// The first output of the latest node.
    @usableFromInline var frontier: Int32

    @usableFromInline init(values: UnsafeMutablePointer<T>, valueCapacity: Int, from: UnsafeMutablePointer<Int32>,
                           to: UnsafeMutablePointer<Int32>, partials: UnsafeMutablePointer<T>, edgeCapacity: Int,
                           valueCount: Int, edgeCount: Int, frontier: Int32) {
        self.values = values
        self.valueCapacity = valueCapacity
        self.from = from
        self.to = to
        self.partials = partials
        self.edgeCapacity = edgeCapacity
        self.liveValues = valueCount
        self.liveEdges = edgeCount
        self.frontier = frontier
    }

    /// The value buffer, valid while the cursor is open (it does not move then): for reading
    /// the values of live variables in a hot loop without reloading the cursor.
    @inlinable public var valueBase: UnsafePointer<T> { UnsafePointer(values) }

    /// Whether `variables` more variables and `edges` more edges fit without growing the tape.
    @inlinable public func hasRoom(variables: Int, edges: Int) -> Bool {
        valueCount + variables <= valueCapacity && edgeCount + edges <= edgeCapacity
    }

    /// The value of a live variable.
    @inlinable public func value(of variable: VarIndex) -> T {
        precondition(UInt(bitPattern: Int(variable.raw)) < UInt(bitPattern: valueCount), "stale VarIndex")
        return values[Int(variable.raw)]
    }

    /// A node with one output of value `value` and `count` edges (as `Tape.pushNode`). The room
    /// must have been checked with `hasRoom(variables: 1, edges: count)`.
    @inlinable public mutating func pushNode(
        _ value: T, count: Int, inputs: UnsafePointer<Int32>, partials p: UnsafePointer<T>
    ) -> VarIndex {
        precondition(hasRoom(variables: 1, edges: count), "tape cursor: no room reserved for the node")
        let out = Int32(truncatingIfNeeded: liveValues)
        values[liveValues] = value
        liveValues += 1
        frontier = out
        let first = liveEdges
        for k in 0 ..< count {
            assert(inputs[k] < out, "edge input must precede the node")
            from[first + k] = inputs[k]
            to[first + k] = out
            partials[first + k] = p[k]
        }
        liveEdges += count
        return VarIndex(raw: out)
    }
}

extension Tape {
    /// Runs `body` with the value and edge buffers opened as a cursor with room for at least
    /// `variables` more variables and `edges` more edges (the buffers grow first if needed;
    /// they never shrink, so after the first evaluation of a model this seldom grows). The
    /// tape's counts are the cursor's when `body` returns. Only the cursor may write the tape
    /// meanwhile: the buffers are moved out of the tape for the duration (the tape's own
    /// methods must not be called inside `body`).
    @inlinable public mutating func withCursor<R>(reservingVariables variables: Int, edges: Int,
                                                  _ body: (inout TapeCursor<T>) -> R) -> R {
        // At least one slot each, so that the buffers have a base address.
        reserveValues(Swift.max(variables, 1))
        reserveEdges(Swift.max(edges, 1))
        var v = valueStore, f = edgeFrom, t = edgeTo, p = edgePartial
        valueStore = []
        edgeFrom = []
        edgeTo = []
        edgePartial = []
        defer {
            valueStore = v
            edgeFrom = f
            edgeTo = t
            edgePartial = p
        }
        let start = (valueCount, edgeCount, frontier)
        let (result, counts) = v.withUnsafeMutableBufferPointer { vb in
            f.withUnsafeMutableBufferPointer { fb in
                t.withUnsafeMutableBufferPointer { tb in
                    p.withUnsafeMutableBufferPointer { pb in
                        var cursor = TapeCursor(values: vb.baseAddress!, valueCapacity: vb.count, from: fb.baseAddress!,
                                                to: tb.baseAddress!, partials: pb.baseAddress!, edgeCapacity: fb.count,
                                                valueCount: start.0, edgeCount: start.1, frontier: start.2)
                        let r = body(&cursor)
                        return (r, (cursor.valueCount, cursor.edgeCount, cursor.frontier))
                    }
                }
            }
        }
        valueCount = counts.0
        edgeCount = counts.1
        frontier = counts.2
        return result
    }
}
