// Arrays of rank 3 or more (`real[N, M, K]`, Stan's `array[N, M, K] real`). Their values are
// carried as matrix views — the first size by the product of the others, row-major, so the
// element order is the array's own — and every element-wise operation, reduction and `~`
// treats them as the flat arrays they are. Only indexing needs the full shape: the compiler
// knows it (Compiler+Shapes.swift) and puts it in `IRExpr.tensorIndex`.
import SynmAutodiff
import SynmDiagnostics

extension Evaluator {
    /// `base[i, j, …]` with scalar 1-based indices into a value of the given full shape: the
    /// element, or the sub-array of the sizes left (an array, a matrix, or again a matrix view).
    mutating func tensorIndex(_ base: RV, _ indices: [IRExpr], _ shape: [Int32], _ span: SourceSpan) -> RV {
        var offset = 0
        for (d, ix) in indices.enumerated() {
            let iv = evaluate(ix)
            guard failure == nil else { return .scalar(.nan) }
            guard iv.isScalar, d < shape.count else {
                fail("an array of rank \(shape.count) takes one int per index", span)
                return .scalar(.nan)
            }
            let i = elementValue(iv, 0)
            let n = Int(shape[d])
            guard i >= 1, i <= Double(n), i == i.rounded() else {
                fail("index \(formatNumber(i)) is out of range\(indexedName(span)) (1..\(n)) in dimension \(d + 1) of \(shape.count)",
                     span)
                return .scalar(.nan)
            }
            offset = offset * n + Int(i) - 1
        }
        let rest = shape.dropFirst(indices.count)
        let size = rest.reduce(1) { $0 * Int($1) }
        let start = offset * size
        guard start + size <= base.count else {
            fail("internal: an array of rank \(shape.count) holds \(base.count) values, not \(shape.reduce(1) { $0 * Int($1) })", span)
            return .scalar(.nan)
        }
        let rows = rest.first.map(Int.init) ?? 0
        // A matrix, or a matrix view of rank 3 or more: the first size by the product of the rest.
        let inner = rest.dropFirst().reduce(1) { $0 * Int($1) }
        switch base {
        case .constants(let c):
            if rest.isEmpty { return .scalar(pool[Int(c.start) + start]) }
            if rest.count == 1 { return .constants(.array(start: Int(c.start) + start, count: size)) }
            return .constants(.matrix(start: Int(c.start) + start, rows: rows, columns: inner))
        case .variables(let r, _, _):
            if rest.isEmpty { return .variable(r[start]) }
            let sub = VarRange(start: r.start + Int32(start), length: Int32(size))
            if rest.count == 1 { return .array(sub) }
            return .variables(sub, rows: Int32(rows), columns: Int32(inner))
        default:
            fail("cannot index a scalar", span)
            return .scalar(.nan)
        }
    }
}
