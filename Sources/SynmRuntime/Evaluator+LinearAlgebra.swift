// Linear algebra on vectors, row_vectors and matrices (Stan Functions Reference, "Matrix
// operations"). A vector or row_vector is a rank-1 value and a matrix a rank-2 value stored
// row-major, as real[N] and real[N, M] are; the checker chose the operation where the kind
// matters (Checker+LinearAlgebra.swift), so here a rank-1 operand is a column or a row as
// the builtin says.
//
// Every result is one tape node whose edges carry the exact local partials, computed in T
// arithmetic, so on Dual the same code gives exact Hessian columns (forward-over-reverse):
// - products: ∂(AB)ᵢⱼ/∂Aᵢₖ = Bₖⱼ, ∂(AB)ᵢⱼ/∂Bₖⱼ = Aᵢₖ;
// - inverse, mdivide_left, log_determinant: Giles (2008), "Collected matrix derivative
//   results for forward and reverse mode algorithmic differentiation", §2.2: d(A⁻¹) =
//   −A⁻¹ dA A⁻¹, so for X = A⁻¹B ∂Xᵢⱼ/∂Aₖₗ = −(A⁻¹)ᵢₖ Xₗⱼ and ∂Xᵢⱼ/∂Bₖⱼ = (A⁻¹)ᵢₖ; and
//   d log|det A| = tr(A⁻¹ dA), so ∂/∂Aᵢⱼ = (A⁻¹)ⱼᵢ;
// - cholesky_decompose: each entry of L is a node of the scalar algorithm
//   (Lⱼⱼ = √(Aⱼⱼ − Σₖ Lⱼₖ²), Lᵢⱼ = (Aᵢⱼ − Σₖ Lᵢₖ Lⱼₖ)/Lⱼⱼ) with its partials, so the reverse
//   sweep is the unblocked reverse-mode Cholesky of Murray (2016), "Differentiation of the
//   Cholesky decomposition", §3 — O(n³) edges, reading the lower triangle of A only.
// The dense Jacobians cost O(n³p) edges for mdivide_left and O(n⁴) for inverse: meant for
// the small matrices of models (a few dozen rows), not for large ones. These paths allocate
// small per-call arrays.
import Foundation
import SynmAutodiff
import SynmDiagnostics
import SynmMath

extension Evaluator {
    /// The linear-algebra builtins, or nil for the others.
    mutating func linearAlgebraFunction(_ f: Builtin, _ args: [IRExpr], _ span: SourceSpan) -> RV? {
        switch f {
        case .transpose, .diag_matrix, .diagonal, .cholesky_decompose, .mdivide_left, .mdivide_left_tri_low,
             .log_determinant, .inverse, .rep_vector, .rep_row_vector, .rep_matrix, .segment, .to_vector, .to_row_vector,
             .to_matrix, .cumulative_sum, .rows, .cols, .num_elements, .dims, .append_row, .append_col, .crossprod,
             .tcrossprod, .quad_form, .trace, .repMatrixColumns, .repMatrixRows, .toMatrixColumn, .toMatrixRow,
             .rowsOfRowVector, .colsOfRowVector, .appendRowStack, .appendColSide, .multiplyMatrices,
             .multiplyMatrixRowVector, .multiplyRowVectorMatrix, .multiplyRowVectorVector, .multiplyVectorRowVector,
             .multiplyVectorMatrix, .diag_pre_multiply, .diag_post_multiply, .dot_self, .add_diag:
            break
        default:
            return nil
        }
        var xs: [RV] = []
        for a in args {
            xs.append(evaluate(a))
            if failure != nil { return .scalar(.nan) }
        }
        return linearAlgebra(f, xs, span) ?? .scalar(.nan)
    }

    // MARK: - Shapes and values

    /// Whether a value is rank 2.
    func isMatrix(_ v: RV) -> Bool { shape(v).columns > 0 }

    /// Rows and columns of an operand: a matrix as it is, a rank-1 value as a column (n×1)
    /// or, with `row`, a row (1×n).
    func matrixShape(_ v: RV, row: Bool = false) -> (rows: Int, columns: Int) {
        let s = shape(v)
        if s.columns > 0 { return s }
        return row ? (1, v.count) : (v.count, 1)
    }

    /// The tape variable of element k, or nil for a constant.
    func variableIndex(_ v: RV, _ k: Int) -> VarIndex? {
        switch v {
        case .variable(let i): return i
        case .variables(let r, _, _): return r[k]
        default: return nil
        }
    }

    func values(_ v: RV) -> [T] { (0..<v.count).map { element(v, $0) } }

    func hasVariables(_ v: RV) -> Bool {
        switch v {
        case .variable, .variables: return true
        default: return false
        }
    }

    /// A matrix (or, with columns 0, an array) over a node's outputs.
    func shaped(_ out: VarRange, rows: Int, columns: Int?) -> RV {
        guard let columns else { return .array(out) }
        return .variables(out, rows: Int32(rows), columns: Int32(columns))
    }

    /// A node that only rearranges elements: output o is element `source(o)` = (input, k) of
    /// `inputs` (partial 1), or 0 when nil.
    mutating func rearranged(_ inputs: [RV], count: Int, _ source: (Int) -> (Int, Int)?) -> VarRange {
        let out = tape.newVariables(count: count)
        for o in 0..<count {
            guard let (w, k) = source(o) else { continue }
            tape.setValue(element(inputs[w], k), of: out[o])
            if let v = variableIndex(inputs[w], k) { tape.addEdge(from: v, to: out[o], partial: 1) }
        }
        return out
    }

    /// Element o of `m` times element `index(o)` of `v`: diag_pre_multiply and
    /// diag_post_multiply without forming the diagonal matrix.
    mutating func scaled(_ m: RV, by v: RV, count: Int, _ index: (Int) -> Int) -> VarRange {
        let out = tape.newVariables(count: count)
        for o in 0..<count {
            let (a, b) = (element(m, o), element(v, index(o)))
            tape.setValue(a * b, of: out[o])
            if let mv = variableIndex(m, o) { tape.addEdge(from: mv, to: out[o], partial: b) }
            if let vv = variableIndex(v, index(o)) { tape.addEdge(from: vv, to: out[o], partial: a) }
        }
        return out
    }

    /// An n×m matrix transposed (m×n), row-major.
    mutating func transposed(_ a: RV) -> RV {
        guard isMatrix(a) else { return a }
        let (n, m) = shape(a)
        let out = rearranged([a], count: n * m) { o in (0, (o % n) * m + o / n) }
        return .variables(out, rows: Int32(m), columns: Int32(n))
    }

    /// The elements of a value column by column (Stan's order for to_vector of a matrix).
    mutating func columnMajor(_ a: RV) -> RV {
        guard isMatrix(a) else {
            switch a {
            case .variables(let r, _, _): return .array(r)
            case .constants(let c): return .constants(.array(start: Int(c.start), count: Int(c.count)))
            default: return a
            }
        }
        guard case .variables(let r, _, _) = transposed(a) else { return a }
        return .array(r)
    }

    /// `A B` for A n×m and B m×p (row-major values): one node, 2m edges per output.
    mutating func product(_ a: RV, _ n: Int, _ m: Int, _ b: RV, _ p: Int) -> VarRange {
        let av = values(a), bv = values(b)
        let out = tape.newVariables(count: n * p)
        for i in 0..<n {
            for j in 0..<p {
                var s = T(0)
                for k in 0..<m { s += av[i * m + k] * bv[k * p + j] }
                let o = out[i * p + j]
                tape.setValue(s, of: o)
                for k in 0..<m {
                    if let v = variableIndex(a, i * m + k) { tape.addEdge(from: v, to: o, partial: bv[k * p + j]) }
                    if let v = variableIndex(b, k * p + j) { tape.addEdge(from: v, to: o, partial: av[i * m + k]) }
                }
            }
        }
        return out
    }

    /// How a matrix, vector or row_vector reads in a message: `matrix[3, 2]`, `vector[3]`.
    func describe(_ v: RV, _ kind: String) -> String {
        let (r, c) = shape(v)
        return kind == "matrix" ? "matrix[\(r), \(c)]" : "\(kind)[\(v.count)]"
    }

    /// Square, or a located error naming the shape.
    mutating func requireSquare(_ a: RV, _ name: String, _ span: SourceSpan) -> Int? {
        let (n, m) = matrixShape(a)
        guard n == m else {
            fail("\(name): the matrix is \(n)×\(m), not square", span)
            return nil
        }
        return n
    }

    // MARK: - Dispatch

    /// An upper bound on the values and partials (edges) an operation adds to the tape, for
    /// the operations whose result can be far larger than their arguments.
    func tapeCost(_ f: Builtin, _ x: [RV]) -> (values: Double, edges: Double) {
        func size(_ v: RV, row: Bool = false) -> (Double, Double) {
            let s = matrixShape(v, row: row)
            return (Double(s.rows), Double(s.columns))
        }
        func number(_ v: RV) -> Double { Swift.max(0, elementValue(v, 0)) }
        switch f {
        case .multiplyMatrices, .multiplyMatrixRowVector, .multiplyRowVectorMatrix, .multiplyRowVectorVector,
             .multiplyVectorRowVector, .multiplyVectorMatrix:
            let left = f == .multiplyRowVectorMatrix || f == .multiplyRowVectorVector
            let right = f == .multiplyMatrixRowVector || f == .multiplyVectorRowVector
            let (n, m) = size(x[0], row: left), (_, p) = size(x[1], row: right)
            return (n * p, 2 * n * p * m)
        case .crossprod, .tcrossprod, .quad_form:
            let (n, m) = size(x[0])
            let k = Swift.max(n, m, Double(x.count > 1 ? x[1].count : 0))
            return (3 * k * k, 4 * k * k * k)
        case .cholesky_decompose, .inverse, .mdivide_left, .mdivide_left_tri_low:
            let n = size(x[0]).0, p = x.count > 1 ? size(x[1]).1 : n
            return (2 * n * n + n * p, n * n * n * n + n * n * p * (n + 1))
        case .diag_matrix: return (Double(x[0].count * x[0].count), Double(x[0].count))
        case .rep_vector, .rep_row_vector: return (number(x[1]), number(x[1]))
        case .rep_matrix: return (number(x[1]) * number(x[2]), number(x[1]) * number(x[2]))
        case .repMatrixColumns, .repMatrixRows: return (Double(x[0].count) * number(x[1]), Double(x[0].count) * number(x[1]))
        default: return (0, 0)
        }
    }

    mutating func linearAlgebra(_ f: Builtin, _ x: [RV], _ span: SourceSpan) -> RV? {
        let cost = tapeCost(f, x)
        guard cost.values <= Double(Self.maxTapeVariables - tape.variableCount),
              cost.edges <= Double(4 * Self.maxTapeVariables - tape.edgeTotal) else {
            fail("\(f.rawValue): the result needs up to \(formatNumber(cost.values)) values and \(formatNumber(cost.edges)) partials, more than one evaluation of the model can hold (\(Self.maxTapeVariables) values, four times as many partials)",
                 span, hint: "these dense operations are meant for the small matrices of a model")
            failure?.isLimit = true
            return nil
        }
        switch f {
        case .multiplyMatrices, .multiplyMatrixRowVector, .multiplyRowVectorMatrix, .multiplyRowVectorVector,
             .multiplyVectorRowVector, .multiplyVectorMatrix:
            return multiply(f, x[0], x[1], span)
        case .transpose:
            return transposed(x[0])
        case .crossprod:
            let (n, m) = shape(x[0])
            return shaped(product(transposed(x[0]), m, n, x[0], m), rows: m, columns: m)
        case .tcrossprod:
            let (n, m) = shape(x[0])
            return shaped(product(x[0], n, m, transposed(x[0]), n), rows: n, columns: n)
        case .quad_form:
            guard let n = requireSquare(x[0], "quad_form", span) else { return nil }
            let (rb, p) = matrixShape(x[1])
            guard rb == n else {
                fail("quad_form: the matrix is \(n)×\(n) but B has \(rb) rows", span)
                return nil
            }
            let ab = shaped(product(x[0], n, n, x[1], p), rows: n, columns: p)
            let bt: RV = isMatrix(x[1]) ? transposed(x[1]) : x[1]
            let out = product(bt, p, n, ab, p)
            return isMatrix(x[1]) ? shaped(out, rows: p, columns: p) : .variable(out[0])
        case .diag_matrix:
            let n = x[0].count
            return shaped(rearranged(x, count: n * n) { o in o % (n + 1) == 0 ? (0, o / (n + 1)) : nil }, rows: n, columns: n)
        case .diagonal:
            let (n, m) = shape(x[0])
            return .array(rearranged(x, count: min(n, m)) { i in (0, i * m + i) })
        case .trace:
            let (n, m) = shape(x[0])
            var s = T(0)
            for i in 0..<min(n, m) { s += element(x[0], i * m + i) }
            let out = tape.newVariable(s)
            for i in 0..<min(n, m) {
                if let v = variableIndex(x[0], i * m + i) { tape.addEdge(from: v, to: out, partial: 1) }
            }
            return .variable(out)
        case .rep_vector, .rep_row_vector:
            guard let n = count(x[1], "\(f.rawValue): n", span) else { return nil }
            return .array(rearranged(x, count: n) { _ in (0, 0) })
        case .rep_matrix:
            guard let m = count(x[1], "rep_matrix: m", span), let n = count(x[2], "rep_matrix: n", span) else { return nil }
            return shaped(rearranged(x, count: m * n) { _ in (0, 0) }, rows: m, columns: n)
        case .repMatrixColumns:
            let m = x[0].count
            guard let n = count(x[1], "rep_matrix: n", span) else { return nil }
            return shaped(rearranged(x, count: m * n) { o in (0, o / n) }, rows: m, columns: n)
        case .repMatrixRows:
            let n = x[0].count
            guard let m = count(x[1], "rep_matrix: m", span) else { return nil }
            return shaped(rearranged(x, count: m * n) { o in (0, o % n) }, rows: m, columns: n)
        case .segment:
            return segment(x[0], x[1], x[2], span)
        case .to_vector, .to_row_vector:
            return columnMajor(x[0])
        case .to_matrix:
            if x.count == 1 { return x[0] }
            guard let m = count(x[1], "to_matrix: m", span), let n = count(x[2], "to_matrix: n", span) else { return nil }
            let flat = columnMajor(x[0])
            guard m * n == flat.count else {
                fail("to_matrix: \(m) × \(n) = \(m * n) elements, but the argument has \(flat.count)", span)
                return nil
            }
            // Filled column by column, as Stan: element (r, c) is flat[c·m + r].
            return shaped(rearranged([flat], count: m * n) { o in (0, (o % n) * m + o / n) }, rows: m, columns: n)
        case .toMatrixColumn, .toMatrixRow:
            let n = x[0].count
            let (r, c) = f == .toMatrixColumn ? (n, 1) : (1, n)
            switch x[0] {
            case .variables(let range, _, _): return shaped(range, rows: r, columns: c)
            case .constants(let k): return .constants(.matrix(start: Int(k.start), rows: r, columns: c))
            default: return shaped(rearranged(x, count: n) { o in (0, o) }, rows: r, columns: c)
            }
        case .cumulative_sum:
            return cumulativeSum(x[0])
        case .rows:
            return .scalar(Double(matrixShape(x[0]).rows))
        case .cols:
            return .scalar(Double(matrixShape(x[0]).columns))
        case .rowsOfRowVector:
            return .scalar(1)
        case .colsOfRowVector:
            return .scalar(Double(x[0].count))
        case .num_elements:
            return .scalar(Double(x[0].count))
        case .dims:
            let s = shape(x[0])
            let d = s.columns > 0 ? [s.rows, s.columns] : [x[0].count]
            let out = tape.newVariables(count: d.count)
            for (k, v) in d.enumerated() { tape.setValue(T(Double(v)), of: out[k]) }
            return .array(out)
        case .append_row, .append_col:
            let (a, b) = (x[0].count, x[1].count)
            return .array(rearranged(x, count: a + b) { o in o < a ? (0, o) : (1, o - a) })
        case .appendRowStack:
            let (ra, ca) = matrixShape(x[0], row: true), (rb, cb) = matrixShape(x[1], row: true)
            guard ca == cb else {
                fail("append_row: the top has \(ca) columns but the bottom \(cb)", span)
                return nil
            }
            let a = x[0].count
            return shaped(rearranged(x, count: (ra + rb) * ca) { o in o < a ? (0, o) : (1, o - a) }, rows: ra + rb, columns: ca)
        case .appendColSide:
            let (ra, ca) = matrixShape(x[0]), (rb, cb) = matrixShape(x[1])
            guard ra == rb else {
                fail("append_col: the left has \(ra) rows but the right \(rb)", span)
                return nil
            }
            let c = ca + cb
            return shaped(rearranged(x, count: ra * c) { o in
                let (i, j) = (o / c, o % c)
                return j < ca ? (0, i * ca + j) : (1, i * cb + j - ca)
            }, rows: ra, columns: c)
        case .diag_pre_multiply, .diag_post_multiply:
            let pre = f == .diag_pre_multiply
            let (m, v) = pre ? (x[1], x[0]) : (x[0], x[1])
            let (r, c) = shape(m)
            guard v.count == (pre ? r : c) else {
                fail("\(f.rawValue): the vector has \(v.count) elements but the matrix \(pre ? "\(r) rows" : "\(c) columns")", span)
                return nil
            }
            return shaped(scaled(m, by: v, count: r * c) { o in pre ? o / c : o % c }, rows: r, columns: c)
        case .dot_self:
            var s = T(0)
            for k in 0..<x[0].count { s += element(x[0], k) * element(x[0], k) }
            let out = tape.newVariable(s)
            for k in 0..<x[0].count {
                if let v = variableIndex(x[0], k) { tape.addEdge(from: v, to: out, partial: 2 * element(x[0], k)) }
            }
            return .variable(out)
        case .add_diag:
            let (r, c) = shape(x[0])
            let n = min(r, c)
            guard x[1].isScalar || x[1].count == n else {
                fail("add_diag: the diagonal has \(n) elements but the vector \(x[1].count)", span)
                return nil
            }
            let out = tape.newVariables(count: r * c)
            for o in 0..<(r * c) {
                var value = element(x[0], o)
                if let v = variableIndex(x[0], o) { tape.addEdge(from: v, to: out[o], partial: 1) }
                let (i, j) = (o / c, o % c)
                if i == j {
                    let k = x[1].isScalar ? 0 : i
                    value += element(x[1], k)
                    if let v = variableIndex(x[1], k) { tape.addEdge(from: v, to: out[o], partial: 1) }
                }
                tape.setValue(value, of: out[o])
            }
            return .variables(out, rows: Int32(r), columns: Int32(c))
        case .cholesky_decompose:
            return cholesky(x[0], span)
        case .log_determinant:
            return logDeterminant(x[0], span)
        case .inverse:
            return inverse(x[0], span)
        case .mdivide_left, .mdivide_left_tri_low:
            return divideLeft(x[0], x[1], lowerTriangular: f == .mdivide_left_tri_low, span)
        default:
            return nil
        }
    }

    /// A size argument: a whole number ≥ 0.
    mutating func count(_ v: RV, _ what: String, _ span: SourceSpan) -> Int? {
        let n = elementValue(v, 0)
        guard n >= 0, n <= Double(Int32.max) else {
            fail("\(what) must be ≥ 0, got \(formatNumber(n))", span)
            return nil
        }
        return Int(n)
    }

    // MARK: - Products

    mutating func multiply(_ f: Builtin, _ a: RV, _ b: RV, _ span: SourceSpan) -> RV? {
        let (leftKind, rightKind): (String, String)
        let (left, right): ((rows: Int, columns: Int), (rows: Int, columns: Int))
        switch f {
        case .multiplyMatrices: (leftKind, rightKind, left, right) = ("matrix", "matrix", shape(a), shape(b))
        case .multiplyMatrixRowVector: (leftKind, rightKind, left, right) = ("matrix", "row_vector", shape(a), matrixShape(b, row: true))
        case .multiplyRowVectorMatrix: (leftKind, rightKind, left, right) = ("row_vector", "matrix", matrixShape(a, row: true), shape(b))
        case .multiplyRowVectorVector: (leftKind, rightKind, left, right) = ("row_vector", "vector", matrixShape(a, row: true), matrixShape(b))
        case .multiplyVectorRowVector: (leftKind, rightKind, left, right) = ("vector", "row_vector", matrixShape(a), matrixShape(b, row: true))
        default: (leftKind, rightKind, left, right) = ("vector", "matrix", matrixShape(a), shape(b))
        }
        guard left.columns == right.rows else {
            fail("\(describe(a, leftKind)) * \(describe(b, rightKind)): columns \(left.columns) ≠ rows \(right.rows)", span,
                 hint: leftKind == rightKind && leftKind != "matrix" ? "did you mean transpose?" : nil)
            return nil
        }
        let out = product(a, left.rows, left.columns, b, right.columns)
        switch f {
        case .multiplyRowVectorVector: return .variable(out[0])
        case .multiplyRowVectorMatrix: return .array(out)
        default: return shaped(out, rows: left.rows, columns: right.columns)
        }
    }

    // MARK: - Elementwise helpers

    mutating func segment(_ v: RV, _ first: RV, _ length: RV, _ span: SourceSpan) -> RV? {
        let i = elementValue(first, 0), n = elementValue(length, 0), size = v.count
        guard i >= 1, n >= 0, i + n - 1 <= Double(size) else {
            fail("segment: elements \(formatNumber(i))..\(formatNumber(i + n - 1)) are outside 1..\(size)", span)
            return nil
        }
        let (start, count) = (Int(i) - 1, Int(n))
        switch v {
        case .variables(let r, _, _): return .array(VarRange(start: r.start + Int32(start), length: Int32(count)))
        case .constants(let c): return .constants(.array(start: Int(c.start) + start, count: count))
        default: return .array(rearranged([v], count: count) { o in (0, start + o) })
        }
    }

    /// Running sums: sₖ = sₖ₋₁ + vₖ, a chain of two-edge nodes, then one node gathering them.
    mutating func cumulativeSum(_ v: RV) -> RV {
        let n = v.count
        guard hasVariables(v) else {
            let out = tape.newVariables(count: n)
            var s = T(0)
            for k in 0..<n {
                s += element(v, k)
                tape.setValue(s, of: out[k])
            }
            return .array(out)
        }
        var sums: [VarIndex] = []
        sums.reserveCapacity(n)
        for k in 0..<n {
            let x = element(v, k)
            let previous = sums.last
            let value = (previous.map { tape.value(of: $0) } ?? T(0)) + x
            let node = tape.newVariable(value)
            if let previous { tape.addEdge(from: previous, to: node, partial: 1) }
            if let xv = variableIndex(v, k) { tape.addEdge(from: xv, to: node, partial: 1) }
            sums.append(node)
        }
        let out = tape.newVariables(count: n)
        for k in 0..<n {
            tape.setValue(tape.value(of: sums[k]), of: out[k])
            tape.addEdge(from: sums[k], to: out[k], partial: 1)
        }
        return .array(out)
    }

    // MARK: - Decompositions and solves

    /// L with A = L Lᵀ (L lower triangular), A symmetric positive definite.
    mutating func cholesky(_ a: RV, _ span: SourceSpan) -> RV? {
        guard let n = requireSquare(a, "cholesky_decompose", span) else { return nil }
        for i in 0..<n {
            for j in 0..<i {
                let (x, y) = (elementValue(a, i * n + j), elementValue(a, j * n + i))
                // Stan's check_symmetric: absolute tolerance 1e-8.
                guard abs(x - y) <= 1e-8 else {
                    fail("cholesky_decompose: the matrix is not symmetric: [\(i + 1), \(j + 1)] is \(formatNumber(x)) but [\(j + 1), \(i + 1)] is \(formatNumber(y))", span)
                    return nil
                }
            }
        }
        // Each entry of L a node; `cells[i·n + j]` its tape variable (nil for constants, when
        // A holds no variables) and `l` its value.
        var l = [T](repeating: T(0), count: n * n)
        var cells = [VarIndex?](repeating: nil, count: n * n)
        let variable = hasVariables(a)
        for j in 0..<n {
            var d = element(a, j * n + j)
            for k in 0..<j { d -= l[j * n + k] * l[j * n + k] }
            guard d.value > 0, d.value.isFinite else {
                fail("cholesky_decompose: the matrix is not positive definite (pivot \(j + 1) is \(formatNumber(d.value)))", span,
                     hint: "a covariance matrix must be symmetric with positive eigenvalues")
                return nil
            }
            let ljj = T.sqrt(d)
            l[j * n + j] = ljj
            if variable {
                let node = tape.newVariable(ljj)
                if let v = variableIndex(a, j * n + j) { tape.addEdge(from: v, to: node, partial: 0.5 / ljj) }
                for k in 0..<j { if let c = cells[j * n + k] { tape.addEdge(from: c, to: node, partial: -l[j * n + k] / ljj) } }
                cells[j * n + j] = node
            }
            for i in (j + 1)..<max(j + 1, n) {
                var s = element(a, i * n + j)
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                let lij = s / ljj
                l[i * n + j] = lij
                guard variable else { continue }
                let node = tape.newVariable(lij)
                if let v = variableIndex(a, i * n + j) { tape.addEdge(from: v, to: node, partial: 1 / ljj) }
                for k in 0..<j {
                    if let c = cells[i * n + k] { tape.addEdge(from: c, to: node, partial: -l[j * n + k] / ljj) }
                    if let c = cells[j * n + k] { tape.addEdge(from: c, to: node, partial: -l[i * n + k] / ljj) }
                }
                if let c = cells[j * n + j] { tape.addEdge(from: c, to: node, partial: -lij / ljj) }
                cells[i * n + j] = node
            }
        }
        let out = tape.newVariables(count: n * n)
        for k in 0..<(n * n) {
            tape.setValue(l[k], of: out[k])
            if let c = cells[k] { tape.addEdge(from: c, to: out[k], partial: 1) }
        }
        return .variables(out, rows: Int32(n), columns: Int32(n))
    }

    /// A⁻¹ by Gauss–Jordan elimination with partial pivoting (pivots chosen by value), in T
    /// arithmetic; and log |det A|. Nil when A is singular.
    func invert(_ a: [T], _ n: Int) -> (inverse: [T], logAbsDet: T)? {
        var m = a
        var inv = [T](repeating: T(0), count: n * n)
        for i in 0..<n { inv[i * n + i] = T(1) }
        var logDet = T(0)
        for c in 0..<n {
            var p = c
            for r in (c + 1)..<max(c + 1, n) where abs(m[r * n + c].value) > abs(m[p * n + c].value) { p = r }
            let pivot = m[p * n + c]
            guard pivot.value != 0, pivot.value.isFinite else { return nil }
            if p != c {
                for k in 0..<n {
                    m.swapAt(p * n + k, c * n + k)
                    inv.swapAt(p * n + k, c * n + k)
                }
            }
            logDet += T.log(pivot.value < 0 ? -pivot : pivot)
            for k in 0..<n {
                m[c * n + k] = m[c * n + k] / pivot
                inv[c * n + k] = inv[c * n + k] / pivot
            }
            for r in 0..<n where r != c {
                let factor = m[r * n + c]
                for k in 0..<n {
                    m[r * n + k] = m[r * n + k] - factor * m[c * n + k]
                    inv[r * n + k] = inv[r * n + k] - factor * inv[c * n + k]
                }
            }
        }
        return (inv, logDet)
    }

    mutating func logDeterminant(_ a: RV, _ span: SourceSpan) -> RV? {
        guard let n = requireSquare(a, "log_determinant", span) else { return nil }
        guard let (inv, logDet) = invert(values(a), n) else {
            fail("log_determinant: the matrix is singular", span)
            return nil
        }
        let out = tape.newVariable(logDet)
        for i in 0..<n {
            for j in 0..<n {
                if let v = variableIndex(a, i * n + j) { tape.addEdge(from: v, to: out, partial: inv[j * n + i]) }
            }
        }
        return .variable(out)
    }

    mutating func inverse(_ a: RV, _ span: SourceSpan) -> RV? {
        guard let n = requireSquare(a, "inverse", span) else { return nil }
        guard let (y, _) = invert(values(a), n) else {
            fail("inverse: the matrix is singular", span)
            return nil
        }
        let out = tape.newVariables(count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                let o = out[i * n + j]
                tape.setValue(y[i * n + j], of: o)
                for k in 0..<n {
                    for l in 0..<n {
                        if let v = variableIndex(a, k * n + l) { tape.addEdge(from: v, to: o, partial: -y[i * n + k] * y[l * n + j]) }
                    }
                }
            }
        }
        return .variables(out, rows: Int32(n), columns: Int32(n))
    }

    /// X = A⁻¹ B (B a vector or a matrix); with `lowerTriangular` A's strict upper triangle
    /// is read as zero, as Stan's mdivide_left_tri_low.
    mutating func divideLeft(_ a: RV, _ b: RV, lowerTriangular: Bool, _ span: SourceSpan) -> RV? {
        let name = lowerTriangular ? "mdivide_left_tri_low" : "mdivide_left"
        guard let n = requireSquare(a, name, span) else { return nil }
        let (rb, p) = matrixShape(b)
        guard rb == n else {
            fail("\(name): the matrix is \(n)×\(n) but the right side has \(rb) rows", span)
            return nil
        }
        var av = values(a)
        if lowerTriangular {
            for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { av[i * n + j] = T(0) } }
        }
        guard let (inv, _) = invert(av, n) else {
            fail("\(name): the matrix is singular", span)
            return nil
        }
        let bv = values(b)
        var xv = [T](repeating: T(0), count: n * p)
        for i in 0..<n {
            for j in 0..<p {
                var s = T(0)
                for k in 0..<n { s += inv[i * n + k] * bv[k * p + j] }
                xv[i * p + j] = s
            }
        }
        let out = tape.newVariables(count: n * p)
        for i in 0..<n {
            for j in 0..<p {
                let o = out[i * p + j]
                tape.setValue(xv[i * p + j], of: o)
                for k in 0..<n {
                    if let v = variableIndex(b, k * p + j) { tape.addEdge(from: v, to: o, partial: inv[i * n + k]) }
                    for l in 0..<(lowerTriangular ? k + 1 : n) {
                        if let v = variableIndex(a, k * n + l) {
                            tape.addEdge(from: v, to: o, partial: -inv[i * n + k] * xv[l * p + j])
                        }
                    }
                }
            }
        }
        return isMatrix(b) ? .variables(out, rows: Int32(n), columns: Int32(p)) : .array(out)
    }
}
