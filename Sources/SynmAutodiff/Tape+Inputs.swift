// Inputs from an array: the values copied in one pass (one capacity and uniqueness check),
// where the generic `inputs(_:)` over any collection checks per element.
import SynmMath

extension Tape {
    /// New independent variables, contiguous, holding `values` in order (as `inputs(_:)` for
    /// any collection, same slots and values).
    @inlinable public mutating func inputs(_ values: [T]) -> VarRange {
        let count = values.count
        reserveValues(count)
        let start = valueCount
        valueStore.withUnsafeMutableBufferPointer { v in
            values.withUnsafeBufferPointer { x in
                if count > 0 { (v.baseAddress! + start).update(from: x.baseAddress!, count: count) }
            }
        }
        valueCount += count
        frontier = Int32(truncatingIfNeeded: start)
        return VarRange(start: Int32(truncatingIfNeeded: start), length: Int32(truncatingIfNeeded: count))
    }
}
