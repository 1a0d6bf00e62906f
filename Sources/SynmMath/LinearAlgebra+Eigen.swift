// Eigenvalues and eigenvectors of a small symmetric matrix by the cyclic Jacobi method, and
// the definiteness / condition-number report used for Hessians at a mode.
//
// [1] Golub & Van Loan, Matrix Computations, 4th ed., §8.5.2–8.5.3 (Alg. 8.5.1 `symSchur2`,
//     cyclic Jacobi). Quadratically convergent; about 6–10 sweeps of n²/2 rotations each.
import Foundation

/// The eigen-decomposition A = V·diag(λ)·Vᵀ of a symmetric matrix.
public struct SymmetricEigen: Sendable {
    /// Eigenvalues in ascending order.
    public let values: [Double]
    /// Orthonormal eigenvectors as columns, in the order of `values`.
    public let vectors: Matrix

    /// True when every eigenvalue is < 0 (a Hessian at a strict local maximum).
    public var isNegativeDefinite: Bool { !values.isEmpty && values.allSatisfy { $0 < 0 } }
    /// True when every eigenvalue is > 0.
    public var isPositiveDefinite: Bool { !values.isEmpty && values.allSatisfy { $0 > 0 } }
    /// The 2-norm condition number max|λ| / min|λ|; +∞ when an eigenvalue is 0, NaN if empty.
    public var conditionNumber: Double {
        guard let largest = values.map(Swift.abs).max(),
              let smallest = values.map(Swift.abs).min() else { return .nan }
        return smallest == 0 ? .infinity : largest / smallest
    }
}

extension Matrix {
    /// Eigenvalues (ascending) and eigenvectors of the symmetric part ½(A + Aᵀ) of a square
    /// matrix, by cyclic Jacobi rotations [1]. Sweeps stop when the off-diagonal Frobenius norm
    /// is below 1e-16 of the whole norm, or after 100 sweeps. Eigenvalues are accurate to a few
    /// ulps of the largest |λ|. Traps if self is not square.
    public func symmetricEigen() -> SymmetricEigen {
        precondition(isSquare, "symmetricEigen needs a square matrix, got \(rows)×\(cols)")
        let n = rows
        var a = self
        for i in 0..<n {
            for j in 0..<i {
                let average = 0.5 * (self[i, j] + self[j, i])
                a[i, j] = average
                a[j, i] = average
            }
        }
        var v = Matrix.identity(n)
        let total = a.storage.reduce(0) { $0 + $1 * $1 }
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<n { for j in 0..<n where j != i { off += a[i, j] * a[i, j] } }
            if off <= 1e-32 * total || off == 0 { break }
            for p in 0..<n {
                for q in (p + 1)..<Swift.max(n, p + 1) where a[p, q] != 0 {
                    jacobiRotate(&a, &v, p, q)
                }
            }
        }
        let order = (0..<n).sorted { a[$0, $0] < a[$1, $1] }
        var vectors = Matrix(rows: n, cols: n)
        for (column, k) in order.enumerated() {
            for i in 0..<n { vectors[i, column] = v[i, k] }
        }
        return SymmetricEigen(values: order.map { a[$0, $0] }, vectors: vectors)
    }
}

/// One Jacobi rotation zeroing a[p, q]: A ← JᵀAJ, V ← VJ with J the (p, q) rotation
/// [c s; −s c], where t = tan θ is the smaller root of t² + 2τt − 1 = 0,
/// τ = (a_qq − a_pp)/(2a_pq) ([1] Alg. 8.5.1).
private func jacobiRotate(_ a: inout Matrix, _ v: inout Matrix, _ p: Int, _ q: Int) {
    let apq = a[p, q]
    let tau = (a[q, q] - a[p, p]) / (2 * apq)
    // For huge τ, √(1 + τ²) would overflow; t ≈ 1/(2τ) there.
    let t = Swift.abs(tau) > 1e150
        ? 1 / (2 * tau)
        : (tau >= 0 ? 1 : -1) / (Swift.abs(tau) + (1 + tau * tau).squareRoot())
    let c = 1 / (1 + t * t).squareRoot()
    let s = t * c
    let n = a.rows
    for k in 0..<n {
        let akp = a[k, p], akq = a[k, q]
        a[k, p] = c * akp - s * akq
        a[k, q] = s * akp + c * akq
    }
    for k in 0..<n {
        let apk = a[p, k], aqk = a[q, k]
        a[p, k] = c * apk - s * aqk
        a[q, k] = s * apk + c * aqk
    }
    a[p, q] = 0
    a[q, p] = 0
    for k in 0..<n {
        let vkp = v[k, p], vkq = v[k, q]
        v[k, p] = c * vkp - s * vkq
        v[k, q] = s * vkp + c * vkq
    }
}
