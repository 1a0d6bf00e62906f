// The constant pool (data vectors and matrices, registered once, surviving reset) and the
// special node "constant matrix × variable vector", whose backward is adj[β] += Xᵀ adj[out].
import SynmMath

extension Tape {
    /// Adds `values` to the tape's constant pool (kept across `reset()`), for use as
    /// `Operand.constants` or in `dot(_:_:)`. Register data once, when a model is bound.
    public mutating func registerConstants(_ values: [Double]) -> ConstantRange {
        let start = constantStore.count
        precondition(start + values.count <= Int(Int32.max), "constant pool exceeds 2³¹")
        constantStore.append(contentsOf: values)
        return ConstantRange(start: Int32(start), count: Int32(values.count))
    }

    /// Overwrites one registered constant (simulation writes drawn values into the pool).
    /// Nodes already recorded keep the partials they were built with.
    public mutating func updateConstant(at index: Int, to value: Double) {
        constantStore[index] = value
    }

    /// Registers a `rows × columns` matrix given row-major (kept across `reset()`).
    public mutating func registerConstantMatrix(
        _ rowMajor: [Double], rows: Int, columns: Int
    ) -> ConstantMatrix {
        precondition(rowMajor.count == rows * columns, "matrix has \(rowMajor.count) entries")
        let storage = registerConstants(rowMajor)
        return ConstantMatrix(storage: storage, rows: Int32(rows), columns: Int32(columns))
    }

    /// Constant `k` of `range`.
    @inlinable public func constant(_ range: ConstantRange, at k: Int) -> Double {
        precondition(k >= 0 && k < Int(range.count), "constant offset out of range")
        return constantStore[Int(range.start) + k]
    }

    /// Empties the constant pool (every `ConstantRange` and `ConstantMatrix` becomes invalid).
    public mutating func removeAllConstants() {
        constantStore.removeAll(keepingCapacity: true)
    }

    /// `X·β` for a registered constant matrix X and a variable vector β: a special node.
    ///
    /// Forward: `out[r] = Σ_c X[r, c]·β[c]`, summed left to right. Backward (in
    /// `backward(from:)`): `adj[β] += Xᵀ adj[out]`, straight from the constant pool, so the
    /// node stores no per-entry partials (rows × columns edges would be the dense
    /// alternative, and would cost a pass over memory of three times the matrix's size).
    @inlinable public mutating func multiply(_ matrix: ConstantMatrix, _ beta: VarRange) -> VarRange {
        precondition(Int(matrix.columns) == beta.count, "matrix columns ≠ vector length")
        let rows = Int(matrix.rows), cols = Int(matrix.columns)
        let out = withNode(outputs: rows, edges: 0) { w in
            // Plain pointers and Int offsets: no Int32 overflow checks in the inner loop.
            let x = w.constants.unsafelyUnwrapped + Int(matrix.storage.start)
            let b = UnsafePointer(w.values + Int(beta.start))
            for r in 0 ..< rows {
                let row = x + r * cols
                var s: T = 0
                for c in 0 ..< cols { s += T(row[c]) * b[c] }
                w.setOutput(r, s)
            }
        }
        specialNodes.append(SpecialNode(
            kind: .constantMatrixTimesVector, matrix: matrix, input: beta.start,
            output: out.start, edgePosition: edgeCount))
        return out
    }
}
