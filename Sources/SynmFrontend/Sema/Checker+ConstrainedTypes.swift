// Stan's constrained types (`simplex[K]`, `cov_matrix[K]`, …): where they may be declared and
// which sizes make sense. The sizes themselves are checked as any size (ints over data).
import SynmDiagnostics

extension Checker {
    func checkConstrainedType(_ t: TypeSyntax, _ kind: ConstrainedType, role: Role) {
        let word = kind.name
        if role != .param && role != .data {
            error("constrained-type-role", "\(word) is only for parameters and data, not for a \(role.rawValue)", at: t.span,
                  hint: role == .let ? "leave the let's type out (`let x = …`), or declare `real[K]` / `real[K, K]`"
                      : "declare it `real[K]` (or `real[K, K]` for a matrix)")
        }
        // Literal sizes are checked here; sizes read from data when the model is compiled.
        let literal: [Int?] = t.writtenDims.map { d in
            if case .intLiteral(let v) = d.kind { return v }
            return nil
        }
        if let k = literal.first ?? nil, k < kind.minimumSize {
            error("constrained-type-size", "\(word)[\(k)] is too small: \(word) needs a size of at least \(kind.minimumSize)",
                  at: t.dims[0].span,
                  hint: kind == .simplex ? "a simplex of one element is the constant 1; declare it as data or drop it"
                      : kind == .unitVector ? "a unit vector of one element is ±1, which cannot be sampled" : nil)
        }
        if kind == .choleskyFactorCov, literal.count == 2, let m = literal[0], let n = literal[1], m < n {
            error("constrained-type-size", "cholesky_factor_cov[\(m), \(n)] has fewer rows than columns", at: t.span,
                  hint: "write cholesky_factor_cov[M, N] with M ≥ N")
        }
    }
}
