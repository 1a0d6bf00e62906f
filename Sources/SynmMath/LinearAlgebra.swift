// Small dense linear algebra on row-major Double storage: products, Cholesky factorisation,
// SPD solves, inverse and log-determinant. Sized for Hessians and mass matrices (n ≲ 100);
// no blocking, no BLAS. The symmetric eigenvalue routine is in LinearAlgebra+Eigen.swift.
//
// [1] Golub & Van Loan, Matrix Computations, 4th ed., §4.2 (Cholesky, Alg. 4.2.2 gaxpy form)
//     and §3.1 (triangular solves).
import Foundation

/// A dense matrix of Doubles, stored row-major: element (i, j) is `storage[i * cols + j]`.
public struct Matrix: Equatable, Sendable, CustomStringConvertible {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let cols: Int
    /// The elements, row by row; `storage.count == rows * cols`.
    public var storage: [Double]

    /// A matrix from row-major storage. Traps if `storage.count != rows * cols`.
    public init(rows: Int, cols: Int, storage: [Double]) {
        precondition(rows >= 0 && cols >= 0 && storage.count == rows * cols,
                     "Matrix storage has \(storage.count) elements, expected \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// A `rows × cols` matrix with every element equal to `value`.
    public init(rows: Int, cols: Int, repeating value: Double = 0) {
        self.init(rows: rows, cols: cols, storage: Array(repeating: value, count: rows * cols))
    }

    /// The n × n identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    /// Element (i, j), zero-based.
    @inlinable public subscript(i: Int, j: Int) -> Double {
        get { storage[i * cols + j] }
        set { storage[i * cols + j] = newValue }
    }

    /// True when rows == cols.
    public var isSquare: Bool { rows == cols }

    /// The transpose.
    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for i in 0..<rows { for j in 0..<cols { t[j, i] = self[i, j] } }
        return t
    }

    /// Rows printed one per line, for test failure messages.
    public var description: String {
        (0..<rows).map { i in
            (0..<cols).map { j in String(self[i, j]) }.joined(separator: " ")
        }.joined(separator: "\n")
    }

    /// The matrix product a·b. Traps if `a.cols != b.rows`.
    public static func * (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.cols == b.rows, "Matrix product of \(a.rows)×\(a.cols) and \(b.rows)×\(b.cols)")
        var c = Matrix(rows: a.rows, cols: b.cols)
        for i in 0..<a.rows {
            for k in 0..<a.cols {
                let aik = a[i, k]
                if aik == 0 { continue }
                for j in 0..<b.cols { c[i, j] += aik * b[k, j] }
            }
        }
        return c
    }

    /// The matrix–vector product a·x. Traps if `a.cols != x.count`.
    public static func * (a: Matrix, x: [Double]) -> [Double] {
        precondition(a.cols == x.count, "Matrix \(a.rows)×\(a.cols) times vector of \(x.count)")
        var y = Array(repeating: 0.0, count: a.rows)
        for i in 0..<a.rows {
            var s = 0.0
            for j in 0..<a.cols { s += a[i, j] * x[j] }
            y[i] = s
        }
        return y
    }
}

extension Matrix {
    /// The lower-triangular Cholesky factor L with self = L·Lᵀ, or nil when self is not square,
    /// or not (numerically) positive definite: a pivot is ≤ 0 or not finite.
    ///
    /// Only the lower triangle of self is read, so a slightly asymmetric input (a Hessian with
    /// rounding noise) is treated as the symmetric matrix with that lower triangle [1].
    public func cholesky() -> Matrix? {
        guard isSquare else { return nil }
        let n = rows
        var l = Matrix(rows: n, cols: n)
        for j in 0..<n {
            var pivot = self[j, j]
            for k in 0..<j { pivot -= l[j, k] * l[j, k] }
            guard pivot > 0, pivot.isFinite else { return nil }
            let ljj = pivot.squareRoot()
            l[j, j] = ljj
            for i in (j + 1)..<Swift.max(n, j + 1) {
                var s = self[i, j]
                for k in 0..<j { s -= l[i, k] * l[j, k] }
                l[i, j] = s / ljj
            }
        }
        return l
    }

    /// Solves L·y = b by forward substitution, with self = L lower triangular [1].
    public func forwardSubstitute(_ b: [Double]) -> [Double] {
        precondition(isSquare && b.count == rows, "forwardSubstitute: shape mismatch")
        var y = b
        for i in 0..<rows {
            var s = y[i]
            for k in 0..<i { s -= self[i, k] * y[k] }
            y[i] = s / self[i, i]
        }
        return y
    }

    /// Solves Lᵀ·x = y by back substitution, with self = L lower triangular [1].
    public func backSubstituteTransposed(_ y: [Double]) -> [Double] {
        precondition(isSquare && y.count == rows, "backSubstituteTransposed: shape mismatch")
        var x = y
        for i in stride(from: rows - 1, through: 0, by: -1) {
            var s = x[i]
            for k in (i + 1)..<Swift.max(rows, i + 1) { s -= self[k, i] * x[k] }
            x[i] = s / self[i, i]
        }
        return x
    }

    /// Solves A·x = b given self = L, the Cholesky factor of A (A = L·Lᵀ).
    public func choleskySolve(_ b: [Double]) -> [Double] {
        backSubstituteTransposed(forwardSubstitute(b))
    }

    /// The inverse of a symmetric positive definite matrix via its Cholesky factor
    /// (A⁻¹ = L⁻ᵀ L⁻¹, one solve per column), symmetrised; nil when self is not SPD.
    public func inverseSPD() -> Matrix? {
        guard let l = cholesky() else { return nil }
        let n = rows
        var inverse = Matrix(rows: n, cols: n)
        for j in 0..<n {
            var e = Array(repeating: 0.0, count: n)
            e[j] = 1
            let column = l.choleskySolve(e)
            for i in 0..<n { inverse[i, j] = column[i] }
        }
        for i in 0..<n {
            for j in 0..<i {
                let average = 0.5 * (inverse[i, j] + inverse[j, i])
                inverse[i, j] = average
                inverse[j, i] = average
            }
        }
        return inverse
    }

    /// log det A = 2 Σ log Lᵢᵢ for a symmetric positive definite A; nil when self is not SPD.
    public func logDeterminantSPD() -> Double? {
        guard let l = cholesky() else { return nil }
        var s = 0.0
        for i in 0..<rows { s += Foundation.log(l[i, i]) }
        return 2 * s
    }
}
