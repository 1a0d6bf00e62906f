// Tests for Matrix: products, Cholesky, SPD solve/inverse/log-determinant and the Jacobi
// eigen-solver, against hand-computed cases and numpy (ReferenceValues.swift).
import Foundation
import Testing
@testable import SynmMath

/// Entrywise |a − b| ≤ tolerance·max(1, max|b|): backward-stable factorizations of a matrix
/// with entries ~30 and condition ~50 are accurate to ~1e-14 of the scale; 1e-12 leaves margin.
private func expectMatrixClose(_ a: Matrix, _ b: Matrix, _ tolerance: Double = 1e-12,
                               sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.rows == b.rows && a.cols == b.cols, sourceLocation: sourceLocation)
    let scale = max(1, b.storage.map(abs).max() ?? 0)
    let worst = zip(a.storage, b.storage).map { abs($0 - $1) }.max() ?? 0
    #expect(worst <= tolerance * scale, "max difference \(worst)\n\(a)\nvs\n\(b)",
            sourceLocation: sourceLocation)
}

private let spd = Matrix(rows: 4, cols: 4, storage: Reference.spd)

@Suite("Linear algebra")
struct LinearAlgebraTests {
    @Test func products() {
        let a = Matrix(rows: 2, cols: 3, storage: [1, 2, 3, 4, 5, 6])
        let b = Matrix(rows: 3, cols: 2, storage: [7, 8, 9, 10, 11, 12])
        #expect(a * b == Matrix(rows: 2, cols: 2, storage: [58, 64, 139, 154]))
        #expect(a * [1, 0, -1] == [-2, -2])
        #expect(a.transposed == Matrix(rows: 3, cols: 2, storage: [1, 4, 2, 5, 3, 6]))
        #expect(Matrix.identity(3) * b == b)
        var m = Matrix(rows: 2, cols: 2)
        m[1, 0] = 5
        #expect(m.storage == [0, 0, 5, 0])
    }

    @Test func choleskyMatchesNumpy() throws {
        let l = try #require(spd.cholesky())
        expectMatrixClose(l, Matrix(rows: 4, cols: 4, storage: Reference.spdCholesky))
        expectMatrixClose(l * l.transposed, spd)
    }

    /// [[4, 2], [2, 3]] = L·Lᵀ with L = [[2, 0], [1, √2]].
    @Test func choleskyByHand() throws {
        let l = try #require(Matrix(rows: 2, cols: 2, storage: [4, 2, 2, 3]).cholesky())
        expectMatrixClose(l, Matrix(rows: 2, cols: 2, storage: [2, 0, 1, 2.0.squareRoot()]), 1e-15)
    }

    @Test func choleskyRejectsNonPositiveDefinite() {
        #expect(Matrix(rows: 2, cols: 2, storage: [1, 2, 2, 1]).cholesky() == nil)  // λ = −1, 3
        #expect(Matrix(rows: 2, cols: 2).cholesky() == nil)
        #expect(Matrix(rows: 2, cols: 3).cholesky() == nil)
        #expect(Matrix(rows: 1, cols: 1, storage: [.nan]).cholesky() == nil)
        #expect(Matrix(rows: 2, cols: 2, storage: [1, 2, 2, 1]).inverseSPD() == nil)
        #expect(Matrix(rows: 2, cols: 2, storage: [1, 2, 2, 1]).logDeterminantSPD() == nil)
    }

    /// [[4, 2], [2, 3]]·x = [2, 1] has x = [1/2, 0].
    @Test func solve() throws {
        let a = Matrix(rows: 2, cols: 2, storage: [4, 2, 2, 3])
        let x = try #require(a.cholesky()).choleskySolve([2, 1])
        expectClose(x[0], 0.5, rel: 1e-15)
        expectClose(x[1], 0, rel: 0, abs: 1e-15)
        let b = [1.0, -2, 0.5, 3]
        let y = try #require(spd.cholesky()).choleskySolve(b)
        for (r, bi) in zip(spd * y, b) { expectClose(r, bi, rel: 0, abs: 1e-13) }
    }

    @Test func inverseAndLogDeterminant() throws {
        let inverse = try #require(spd.inverseSPD())
        expectMatrixClose(inverse, Matrix(rows: 4, cols: 4, storage: Reference.spdInverse))
        expectMatrixClose(spd * inverse, Matrix.identity(4))
        #expect(inverse == inverse.transposed)
        expectClose(try #require(spd.logDeterminantSPD()), Reference.spdLogDeterminant, rel: 1e-13)
        // diag(2, 3, 4): log 24.
        let d = Matrix(rows: 3, cols: 3, storage: [2, 0, 0, 0, 3, 0, 0, 0, 4])
        expectClose(try #require(d.logDeterminantSPD()), log(24.0), rel: 1e-15)
    }

    @Test func eigenvaluesMatchNumpy() {
        let e = spd.symmetricEigen()
        for (x, y) in zip(e.values, Reference.spdEigenvalues) { expectClose(x, y, rel: 0, abs: 1e-12 * 48.6) }
        #expect(e.isPositiveDefinite && !e.isNegativeDefinite)
        expectClose(e.conditionNumber, Reference.spdEigenvalues[3] / Reference.spdEigenvalues[0], rel: 1e-12)
        let s = Matrix(rows: 5, cols: 5, storage: Reference.symmetric)
        let f = s.symmetricEigen()
        for (x, y) in zip(f.values, Reference.symmetricEigenvalues) { expectClose(x, y, rel: 0, abs: 1e-13 * 9.2) }
        #expect(!f.isPositiveDefinite && !f.isNegativeDefinite)
        // A·V = V·Λ and VᵀV = I.
        var vl = f.vectors
        for i in 0..<5 { for j in 0..<5 { vl[i, j] *= f.values[j] } }
        expectMatrixClose(s * f.vectors, vl)
        expectMatrixClose(f.vectors.transposed * f.vectors, Matrix.identity(5))
    }

    /// [[2, 1], [1, 2]] has eigenvalues 1 and 3; its negative is negative definite.
    @Test func eigenByHandAndDefiniteness() {
        let a = Matrix(rows: 2, cols: 2, storage: [-2, -1, -1, -2])
        let e = a.symmetricEigen()
        expectClose(e.values[0], -3, rel: 1e-15)
        expectClose(e.values[1], -1, rel: 1e-15)
        #expect(e.isNegativeDefinite)
        expectClose(e.conditionNumber, 3, rel: 1e-15)
        let singular = Matrix(rows: 2, cols: 2, storage: [1, 1, 1, 1]).symmetricEigen()
        #expect(singular.conditionNumber > 1e15)
        #expect(!singular.isNegativeDefinite)
        #expect(Matrix(rows: 1, cols: 1, storage: [-5]).symmetricEigen().values == [-5])
        #expect(Matrix(rows: 3, cols: 3, storage: [3, 0, 0, 0, 1, 0, 0, 0, 2]).symmetricEigen().values == [1, 2, 3])
    }

    /// A 40×40 SPD matrix MMᵀ + I from seeded uniforms: Σλ = trace, Σ log λ = log det, and
    /// every λ ≥ 1. Also checks the routine stays fast in debug builds.
    @Test func largerRandomMatrix() throws {
        let n = 40
        var g = Xoshiro256StarStar(seed: 11)
        let m = Matrix(rows: n, cols: n, storage: (0..<n * n).map { _ in g.uniform01() - 0.5 })
        var a = m * m.transposed
        for i in 0..<n { a[i, i] += 1 }
        let e = a.symmetricEigen()
        let trace = (0..<n).reduce(0.0) { $0 + a[$1, $1] }
        expectClose(e.values.reduce(0, +), trace, rel: 1e-13)
        expectClose(e.values.map { log($0) }.reduce(0, +), try #require(a.logDeterminantSPD()), rel: 1e-12)
        let smallest = e.values.min() ?? 0
        #expect(smallest >= 1 - 1e-12)
    }
}
