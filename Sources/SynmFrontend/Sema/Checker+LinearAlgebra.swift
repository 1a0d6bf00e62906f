// Stan's vector, row_vector and matrix types: what `*` means between them, transposition,
// and the linear-algebra functions (Stan Functions Reference, "Matrix operations").
//
// A vector[N] and a row_vector[N] are rank-1 real values and a matrix[N, M] a rank-2 real
// value, stored as real[N] and real[N, M] are. The checker tracks which kind a value is only
// where it changes the meaning: `*` (matrix product, dot product, outer product, or
// element-wise for plain arrays), transposition, and the few functions whose result depends
// on it (rows, cols, append_row, append_col, rep_matrix, to_matrix). A plain array in a
// linear-algebra position reads as a vector (a rank-2 array as a matrix), so `X * beta`
// keeps working for `data X: real[N, K]`. The chosen runtime operation is recorded in
// `linearAlgebra` by the expression's span, for the compiler.
import SynmDiagnostics

/// The functions of this file (not reserved names: a model may still call a value `rows`).
let linearAlgebraFunctions: Set<String> = [
    "transpose", "elt_multiply", "elt_divide", "diag_matrix", "diagonal", "cholesky_decompose", "mdivide_left",
    "mdivide_left_tri_low", "log_determinant", "inverse", "rep_vector", "rep_row_vector", "rep_matrix", "segment",
    "to_vector", "to_row_vector", "to_matrix", "cumulative_sum", "rows", "cols", "num_elements", "dims",
    "append_row", "append_col", "crossprod", "tcrossprod", "quad_form", "trace",
    "diag_pre_multiply", "diag_post_multiply", "dot_self", "add_diag",
]

/// How each of them is called, for hints.
let linearAlgebraUsage: [String: String] = [
    "transpose": "transpose(x) or x' (a vector becomes a row_vector, a matrix its transpose)",
    "elt_multiply": "elt_multiply(a, b) or a .* b", "elt_divide": "elt_divide(a, b) or a ./ b",
    "diag_matrix": "diag_matrix(v) with v a vector", "diagonal": "diagonal(m) with m a matrix",
    "cholesky_decompose": "cholesky_decompose(A) with A a symmetric positive-definite matrix",
    "mdivide_left": "mdivide_left(A, b) = A⁻¹ b, A a square matrix, b a vector or matrix",
    "mdivide_left_tri_low": "mdivide_left_tri_low(L, b) = L⁻¹ b, L lower triangular",
    "log_determinant": "log_determinant(A) = log |det A|, A square", "inverse": "inverse(A), A square",
    "rep_vector": "rep_vector(x, n)", "rep_row_vector": "rep_row_vector(x, n)",
    "rep_matrix": "rep_matrix(x, m, n), rep_matrix(v, n) (n columns v) or rep_matrix(rv, m) (m rows rv)",
    "segment": "segment(v, i, n): the n elements from v[i]",
    "to_vector": "to_vector(x) (a matrix column by column)", "to_row_vector": "to_row_vector(x)",
    "to_matrix": "to_matrix(v, m, n) (filled column by column, as Stan) or to_matrix(x)",
    "cumulative_sum": "cumulative_sum(v)", "rows": "rows(x)", "cols": "cols(x)", "num_elements": "num_elements(x)",
    "dims": "dims(x)", "append_row": "append_row(a, b)", "append_col": "append_col(a, b)",
    "crossprod": "crossprod(A) = A' * A", "tcrossprod": "tcrossprod(A) = A * A'",
    "quad_form": "quad_form(A, B) = B' * A * B", "trace": "trace(A)",
    "diag_pre_multiply": "diag_pre_multiply(v, M) = diag_matrix(v) * M",
    "diag_post_multiply": "diag_post_multiply(M, v) = M * diag_matrix(v)",
    "dot_self": "dot_self(v) = v' * v", "add_diag": "add_diag(M, d) with d a scalar or a vector",
]

extension Checker {
    /// Whether values of kinds `a` and `b` may stand for each other (a plain array fits any
    /// kind of its rank; a vector is not a row_vector).
    func kindsAgree(_ a: ContainerKind, _ b: ContainerKind) -> Bool {
        a == .array || b == .array || a == b
    }

    /// The kind left after indexing a value of kind `kind` (`m[i]` is row i, a row_vector;
    /// `m[is, j]` a vector; `v[is]` keeps the kind).
    func indexedKind(_ kind: ContainerKind, scalarIndices: [Bool]) -> ContainerKind {
        switch kind {
        case .array: return .array
        case .vector, .rowVector: return scalarIndices.first == true ? .array : kind
        case .matrix:
            let first = scalarIndices.first ?? false
            let second = scalarIndices.count > 1 ? scalarIndices[1] : false
            switch (first, second) {
            case (true, true): return .array
            case (true, false): return .rowVector
            case (false, true): return scalarIndices.count > 1 ? .vector : .matrix
            case (false, false): return .matrix
            }
        }
    }

    /// The kind of an existing function's result: that of its first argument of the
    /// result's rank (`exp(v)` is a vector), else a plain array.
    func kindOfResult(_ type: ValueType, args: [Argument]) -> ContainerKind {
        guard type.rank > 0, type.base == .real else { return .array }
        for a in args { if let k = kindBySpan[a.value.span] { return rankOf(k) == type.rank ? k : .array } }
        return .array
    }

    func rankOf(_ kind: ContainerKind) -> Int { kind == .matrix ? 2 : 1 }

    /// The linear-algebra reading of a type: nil for a scalar, a vector for a rank-1 array,
    /// a matrix for a rank-2 array.
    func algebraKind(_ t: ValueType) -> ContainerKind? {
        switch t.rank {
        case 0: return nil
        case 1: return t.kind == .rowVector ? .rowVector : .vector
        default: return .matrix
        }
    }

    func typeName(_ t: ValueType) -> String {
        if t.rank == 0 { return t.base.rawValue }
        return t.kind != .array ? t.kind.rawValue : t.description
    }

    // MARK: - Operators

    /// An arithmetic operator with a vector, row_vector or matrix operand, or `*` of two
    /// rank-2 values (a matrix product).
    /// The sizes of a value when they are written as int literals in its declaration (a
    /// name, or a name transposed): `matrix[3, 2]` gives [3, 2]; nil entries are unknown.
    func literalSizes(_ e: Expr) -> [Int?]? {
        switch e.kind {
        case .name(let n):
            guard let i = lookup(n), let t = symbols[i].declaredType else { return nil }
            return t.dims.map { d in if case .intLiteral(let v) = d.kind { return v } else { return nil } }
        case .call("transpose", _, let args, false) where args.count == 1:
            guard let d = literalSizes(args[0].value) else { return nil }
            return d.count == 2 ? [d[1], d[0]] : d
        default:
            return nil
        }
    }

    /// A product whose sizes are literals on both sides and do not match, as a located error
    /// at check time (other sizes are checked at the call, when the data are known).
    func verifyLiteralSizes(_ l: Expr, _ r: Expr, _ left: (ContainerKind, ValueType), _ right: (ContainerKind, ValueType),
                            span: SourceSpan) -> Bool {
        guard let ld = literalSizes(l), let rd = literalSizes(r) else { return true }
        // Columns of the left operand, rows of the right (a vector is a column, a row_vector a row).
        let columns: Int? = left.0 == .matrix ? ld.last ?? nil : left.0 == .rowVector ? ld.first ?? nil : 1
        let rows: Int? = right.0 == .matrix ? rd.first ?? nil : right.0 == .vector ? rd.first ?? nil : 1
        guard let c = columns, let k = rows, c != k else { return true }
        func shown(_ kind: ContainerKind, _ d: [Int?]) -> String {
            "\(kind.rawValue)[\(d.map { $0.map(String.init) ?? "?" }.joined(separator: ", "))]"
        }
        error("size-mismatch", "\(shown(left.0, ld)) * \(shown(right.0, rd)): columns \(c) ≠ rows \(k)", at: span,
              hint: left.0 == right.0 && left.0 != .matrix ? "did you mean transpose?" : "the columns of the left side must equal the rows of the right")
        return false
    }

    func checkLinearAlgebraBinary(_ op: BinaryOp, _ li: ExprInfo, _ ri: ExprInfo, span: SourceSpan,
                                  operands: (Expr, Expr)? = nil) -> ExprInfo? {
        let a = li.type, b = ri.type
        func result(_ rank: Int, _ kind: ContainerKind) -> ExprInfo {
            merge(li, ri, type: ValueType(.real, rank: rank, kind: rank == 0 ? .array : kind))
        }
        // Scalars broadcast, whatever the operator.
        if a.rank == 0 || b.rank == 0 {
            if op == .divide, a.rank == 0 {
                error("shape-mismatch", "cannot divide a scalar by a \(typeName(b))", at: span,
                      hint: "for element-wise division write `x ./ v`")
                return nil
            }
            let t = a.rank == 0 ? b : a
            return result(t.rank, t.kind)
        }
        let (ka, kb) = (algebraKind(a)!, algebraKind(b)!)
        switch op {
        case .multiply:
            let name: String?
            let out: (Int, ContainerKind)
            switch (ka, kb) {
            case (.matrix, .matrix): (name, out) = ("matrix * matrix", (2, .matrix))
            case (.matrix, .vector): (name, out) = (nil, (1, .vector))  // the existing matrix × array product
            case (.matrix, .rowVector): (name, out) = ("matrix * row_vector", (2, .matrix))
            case (.rowVector, .matrix): (name, out) = ("row_vector * matrix", (1, .rowVector))
            case (.rowVector, .vector): (name, out) = ("row_vector * vector", (0, .array))
            case (.vector, .rowVector): (name, out) = ("vector * row_vector", (2, .matrix))
            case (.vector, .matrix) where a.kind == .vector:
                (name, out) = ("vector * matrix", (2, .matrix))
            default:
                let hint: String
                switch (ka, kb) {
                case (.vector, .vector):
                    hint = "did you mean transpose? `x' * y` is the dot product (a real), `x * y'` the outer product; `x .* y` multiplies element-wise"
                case (.rowVector, .rowVector):
                    hint = "did you mean transpose? `x * y'` is the dot product (a real); `x .* y` multiplies element-wise"
                case (.vector, .matrix):
                    hint = "write the matrix first (`X * beta`), or transpose the vector: `v' * X`"
                default:
                    hint = "`.*` multiplies element-wise"
                }
                error("shape-mismatch", "cannot multiply \(typeName(a)) by \(typeName(b))", at: span, hint: hint)
                return nil
            }
            if let (l, r) = operands, !verifyLiteralSizes(l, r, (ka, a), (kb, b), span: span) { return nil }
            if let name { linearAlgebra[span] = name }
            return result(out.0, out.1)
        case .divide:
            error("shape-mismatch", "cannot divide \(typeName(a)) by \(typeName(b)) with '/'", at: span,
                  hint: ka == .matrix && kb == .matrix
                      ? "for B A⁻¹ write `B * inverse(A)`, for A⁻¹ B `mdivide_left(A, B)`; `./` divides element-wise"
                      : "`./` divides element-wise")
            return nil
        default:
            guard a.rank == b.rank, kindsAgree(a.kind, b.kind) else {
                let transpose = a.rank == 1 && b.rank == 1
                error("shape-mismatch", "cannot apply '\(op.rawValue)' to \(typeName(a)) and \(typeName(b))", at: span,
                      hint: transpose ? "did you mean transpose? `x'` turns a vector into a row_vector and back"
                          : "operands must have the same shape, or one must be a scalar")
                return nil
            }
            return result(a.rank, a.kind != .array ? a.kind : b.kind)
        }
    }

    // MARK: - Functions

    func checkLinearAlgebraCall(_ name: String, nameSpan: SourceSpan, args: [Argument], span: SourceSpan) -> ExprInfo? {
        if let label = args.first(where: { $0.label != nil }) {
            error("named-argument", "'\(name)' takes no named arguments", at: label.labelSpan)
            return nil
        }
        let infos = args.map { checkExpr($0.value) }
        guard infos.allSatisfy({ $0 != nil }) else { return nil }
        let xs = infos.map { $0! }
        let usage = linearAlgebraUsage[name].map { "write \($0)" }
        func fail(_ message: String, _ at: SourceSpan? = nil) -> ExprInfo? {
            error("argument-type", message, at: at ?? span, hint: usage)
            return nil
        }
        func arity(_ counts: Int...) -> Bool {
            if counts.contains(xs.count) { return true }
            let n = counts[0]
            error("arity", "'\(name)' takes \(counts.map(String.init).joined(separator: " or ")) argument\(n == 1 && counts.count == 1 ? "" : "s"), but \(xs.count) \(xs.count == 1 ? "was" : "were") given",
                  at: span, hint: usage)
            return false
        }
        var deps = ExprInfo(type: .real, dependsOnParameters: false, mentionsSynthetic: false, mentionsParameter: false)
        for x in xs { deps = merge(deps, x, type: deps.type) }
        func real(_ rank: Int, _ kind: ContainerKind) -> ExprInfo {
            var d = deps
            d.type = ValueType(.real, rank: rank, kind: rank == 0 ? .array : kind)
            return d
        }
        func int(_ rank: Int) -> ExprInfo {
            ExprInfo(type: ValueType(.int, rank: rank), dependsOnParameters: false, mentionsSynthetic: false,
                     mentionsParameter: false)
        }
        func isInt(_ k: Int) -> Bool { xs[k].type == .int }
        func isScalar(_ k: Int) -> Bool { xs[k].type.rank == 0 }
        func kind(_ k: Int) -> ContainerKind? { algebraKind(xs[k].type) }
        func argument(_ k: Int) -> SourceSpan { args[k].value.span }
        func needMatrix(_ k: Int, _ what: String = "a matrix") -> Bool {
            if kind(k) == .matrix { return true }
            _ = fail("argument \(k + 1) of '\(name)' must be \(what), but this is \(typeName(xs[k].type))", argument(k))
            return false
        }
        func needInts(_ ks: Int...) -> Bool {
            for k in ks where !isInt(k) {
                _ = fail("argument \(k + 1) of '\(name)' must be an int, but this is \(typeName(xs[k].type))", argument(k))
                return false
            }
            return true
        }
        func record(_ op: String) { linearAlgebra[span] = op }

        switch name {
        case "transpose":
            guard arity(1) else { return nil }
            switch kind(0) {
            case nil: return fail("cannot transpose a scalar", argument(0))
            case .vector: return real(1, .rowVector)
            case .rowVector: return real(1, .vector)
            default: return real(2, xs[0].type.kind == .array ? .array : .matrix)
            }
        case "elt_multiply", "elt_divide":
            guard arity(2) else { return nil }
            let (a, b) = (xs[0].type, xs[1].type)
            guard a.rank == 0 || b.rank == 0 || (a.rank == b.rank && kindsAgree(a.kind, b.kind)) else {
                let op = name == "elt_multiply" ? ".*" : "./"
                error("shape-mismatch", "cannot apply '\(op)' to \(typeName(a)) and \(typeName(b))", at: span,
                      hint: a.rank == 1 && b.rank == 1 ? "did you mean transpose? both sides need the same kind"
                          : "operands must have the same shape, or one must be a scalar")
                return nil
            }
            let t = a.rank == 0 ? b : b.rank == 0 ? a : a.kind != .array ? a : b
            return real(t.rank, t.kind)
        case "diag_matrix":
            guard arity(1) else { return nil }
            guard kind(0) == .vector else { return fail("'diag_matrix' takes a vector, but this is \(typeName(xs[0].type))", argument(0)) }
            return real(2, .matrix)
        case "diagonal":
            guard arity(1), needMatrix(0) else { return nil }
            return real(1, .vector)
        case "cholesky_decompose", "inverse":
            guard arity(1), needMatrix(0, "a square matrix") else { return nil }
            return real(2, .matrix)
        case "log_determinant", "trace":
            guard arity(1), needMatrix(0, "a square matrix") else { return nil }
            return real(0, .array)
        case "crossprod", "tcrossprod":
            guard arity(1), needMatrix(0) else { return nil }
            return real(2, .matrix)
        case "mdivide_left", "mdivide_left_tri_low":
            guard arity(2), needMatrix(0, "a square matrix") else { return nil }
            switch kind(1) {
            case .vector: return real(1, .vector)
            case .matrix: return real(2, .matrix)
            default:
                return fail("argument 2 of '\(name)' must be a vector or a matrix, but this is \(typeName(xs[1].type))", argument(1))
            }
        case "quad_form":
            guard arity(2), needMatrix(0, "a square matrix") else { return nil }
            switch kind(1) {
            case .vector: return real(0, .array)
            case .matrix: return real(2, .matrix)
            default:
                return fail("argument 2 of 'quad_form' must be a vector or a matrix, but this is \(typeName(xs[1].type))", argument(1))
            }
        case "diag_pre_multiply", "diag_post_multiply":
            guard arity(2) else { return nil }
            let (m, v) = name == "diag_pre_multiply" ? (1, 0) : (0, 1)
            guard needMatrix(m) else { return nil }
            guard xs[v].type.rank == 1 else {
                return fail("argument \(v + 1) of '\(name)' must be a vector, but this is \(typeName(xs[v].type))", argument(v))
            }
            return real(2, .matrix)
        case "dot_self":
            guard arity(1) else { return nil }
            guard xs[0].type.rank == 1 else { return fail("'dot_self' takes a vector, but this is \(typeName(xs[0].type))", argument(0)) }
            return real(0, .array)
        case "add_diag":
            guard arity(2), needMatrix(0) else { return nil }
            guard xs[1].type.rank <= 1 else {
                return fail("argument 2 of 'add_diag' must be a scalar or a vector, but this is \(typeName(xs[1].type))", argument(1))
            }
            return real(2, .matrix)
        case "rep_vector", "rep_row_vector":
            guard arity(2) else { return nil }
            guard isScalar(0) else { return fail("argument 1 of '\(name)' must be a scalar, but this is \(typeName(xs[0].type))", argument(0)) }
            guard needInts(1) else { return nil }
            return real(1, name == "rep_vector" ? .vector : .rowVector)
        case "rep_matrix":
            guard arity(2, 3) else { return nil }
            if xs.count == 3 {
                guard isScalar(0) else {
                    return fail("rep_matrix(x, m, n) repeats a scalar, but this is \(typeName(xs[0].type))", argument(0))
                }
                guard needInts(1, 2) else { return nil }
                return real(2, .matrix)
            }
            guard needInts(1) else { return nil }
            switch kind(0) {
            case .vector: record("rep_matrix columns")
            case .rowVector: record("rep_matrix rows")
            default: return fail("rep_matrix(v, n) repeats a vector or row_vector, but this is \(typeName(xs[0].type))", argument(0))
            }
            return real(2, .matrix)
        case "segment":
            guard arity(3) else { return nil }
            guard xs[0].type.rank == 1 else { return fail("argument 1 of 'segment' must be a vector or an array, but this is \(typeName(xs[0].type))", argument(0)) }
            guard needInts(1, 2) else { return nil }
            var r = deps
            r.type = xs[0].type
            return r
        case "to_vector", "to_row_vector":
            guard arity(1) else { return nil }
            guard xs[0].type.rank >= 1 else { return fail("'\(name)' takes a vector, row_vector, matrix or array, but this is \(typeName(xs[0].type))", argument(0)) }
            return real(1, name == "to_vector" ? .vector : .rowVector)
        case "to_matrix":
            guard arity(1, 3) else { return nil }
            if xs.count == 3 {
                guard xs[0].type.rank >= 1 else { return fail("argument 1 of 'to_matrix' must be a vector or an array", argument(0)) }
                guard needInts(1, 2) else { return nil }
                return real(2, .matrix)
            }
            switch kind(0) {
            case .vector: record("to_matrix column")
            case .rowVector: record("to_matrix row")
            case .matrix, .array?: break
            case nil: return fail("'to_matrix' takes a vector, row_vector or matrix, but this is a scalar", argument(0))
            }
            return real(2, .matrix)
        case "cumulative_sum":
            guard arity(1) else { return nil }
            guard xs[0].type.rank == 1 else { return fail("'cumulative_sum' takes a vector, row_vector or array, but this is \(typeName(xs[0].type))", argument(0)) }
            var r = deps
            r.type = xs[0].type
            return r
        case "rows", "cols", "num_elements", "dims":
            guard arity(1) else { return nil }
            guard let k = kind(0) else { return fail("'\(name)' takes a vector, row_vector, matrix or array, but this is a scalar", argument(0)) }
            if k == .rowVector, name == "rows" || name == "cols" { record("\(name) of row_vector") }
            return int(name == "dims" ? 1 : 0)
        case "append_row", "append_col":
            guard arity(2) else { return nil }
            let (ka, kb) = (kind(0), kind(1))
            // append_row stacks: vectors (and scalars) into a longer vector; row_vectors and
            // matrices into a matrix. append_col is its transpose.
            let line: ContainerKind = name == "append_row" ? .vector : .rowVector
            if (ka == line || ka == nil), (kb == line || kb == nil), ka != nil || kb != nil {
                return real(1, line)
            }
            if let ka, let kb, ka != line, kb != line {
                record(name == "append_row" ? "append_row stack" : "append_col side")
                return real(2, .matrix)
            }
            let hint = name == "append_row" ? "append_row joins vectors into a vector, or stacks row_vectors and matrices"
                : "append_col joins row_vectors into a row_vector, or puts vectors and matrices side by side"
            error("shape-mismatch", "cannot \(name) \(typeName(xs[0].type)) and \(typeName(xs[1].type))", at: span, hint: hint)
            return nil
        default:
            return fail("unknown function '\(name)'")
        }
    }
}
