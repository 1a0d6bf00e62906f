// Loop kernels (LoopKernel.swift) reading an element of a data array of rank 3 or more,
// `y[i, j, k]`: the element is read as a two-dimensional element of a matrix view, each index
// still checked against its own size, so an index out of range makes the kernel give up (and
// the tree report it) exactly where walking the tree would.
import SynmDiagnostics

extension KernelCompiler {
    /// `y[i₁, …, i_r]` with y data of shape d₁ × … × d_r (r ≥ 3, every size ≥ 1): for m = 2 … r − 1
    /// the flat row of the first m indices, ((i₁ − 1) d₂ + i₂ …), is paired with i_{m+1} and
    /// checked as an element of the (d₁ ⋯ d_m) × d_{m+1} view of y's first values (a read whose
    /// value is not used: it is there for its check, so i_{m+1} ≤ d_{m+1} is never carried into
    /// the next row); the last pair is the element read. Anything else: not a kernel.
    mutating func higherRankElement(_ base: IRExpr, _ indices: [IRExpr], _ shape: [Int32]) throws -> Int32 {
        guard case .constArray(let c) = base, indices.count == shape.count, shape.count >= 3,
              shape.allSatisfy({ $0 >= 1 }) else { throw Unsupported() }
        var row = indices[0]
        var rows = shape[0]
        for d in 1..<(shape.count - 1) {
            let check = KernelIndex(a: try intExpression(row), b: try intExpression(indices[d]),
                                    signs: KernelInstruction.twoDimensional, x: 0)
            _ = emit(element(.poolElement, c.start, check, rows, shape[d]))
            row = .binary(.add, .binary(.multiply, .binary(.subtract, row, .constScalar(1), .none),
                                        .constScalar(Double(shape[d])), .none), indices[d], .none)
            rows *= shape[d]
        }
        let index = KernelIndex(a: try intExpression(row), b: try intExpression(indices[shape.count - 1]),
                                signs: KernelInstruction.twoDimensional, x: 0)
        return leaf(element(.poolElement, c.start, index, rows, shape[shape.count - 1]))
    }
}
