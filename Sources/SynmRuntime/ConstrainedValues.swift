// Constrained values given by the user (inits, data): whether they satisfy their type, and
// their unconstrained coordinates (the inverse of Evaluator+ConstrainedTypes.swift's
// transforms, Stan Reference Manual "Constraint transforms"). Tolerance 1e-8, as Stan's
// CONSTRAINT_TOLERANCE.
import Foundation
import SynmDiagnostics
import SynmFrontend
import SynmMath

public enum ConstrainedValues {
    public static let tolerance = 1e-8
    /// For values read back from a fit: CmdStan writes 6 significant digits by default, so a
    /// simplex's sum is off by up to about 5e-7; a fit is checked to 1e-5.
    public static let fitTolerance = 1e-5

    /// `1e-8` for 10⁻⁸ (tolerances are powers of ten).
    static func toleranceText(_ t: Double) -> String { "1e-\(Int((-log10(t)).rounded()))" }

    /// The first way `x` (row-major, `shape`) fails to be a value of `kind`, with the flat index
    /// of the element concerned; nil when it is one. `strict` (parameter values) also refuses
    /// the boundary, where the unconstrained coordinate would be infinite (a simplex element 0).
    public static func violation(_ kind: ConstrainedType, _ x: [Double], shape: [Int], name: String,
                                 strict: Bool = false, tolerance: Double = tolerance) -> (message: String, index: Int)? {
        func el(_ k: Int) -> String { elementName(name, shape: shape, flat: k) }
        let rows = shape.first ?? 0, columns = shape.count > 1 ? shape[1] : 0
        if let k = x.firstIndex(where: { !$0.isFinite }) { return ("\(el(k)) is \(formatNumber(x[k])); values must be finite", k) }
        switch kind {
        case .simplex:
            for (k, v) in x.enumerated() where v < 0 || (strict && v == 0) {
                return ("\(el(k)) is \(formatNumber(v)); the elements of simplex '\(name)' must be \(strict ? "positive" : "non-negative")", k)
            }
            let sum = x.reduce(0, +)
            if abs(sum - 1) > tolerance {
                return ("the elements of simplex '\(name)' sum to \(formatNumber(sum)), not 1 (within \(toleranceText(tolerance)))", 0)
            }
        case .ordered, .positiveOrdered:
            if kind == .positiveOrdered, let v = x.first, v <= 0 {
                return ("\(el(0)) is \(formatNumber(v)); the elements of positive_ordered '\(name)' must be positive", 0)
            }
            for k in x.indices.dropFirst() where !(x[k] > x[k - 1]) {
                return ("\(el(k)) is \(formatNumber(x[k])), not above \(el(k - 1)) = \(formatNumber(x[k - 1])); '\(name)' is \(kind.name)", k)
            }
        case .unitVector:
            let norm2 = x.reduce(0) { $0 + $1 * $1 }
            if abs(norm2 - 1) > tolerance {
                return ("unit_vector '\(name)' has squared length \(formatNumber(norm2)), not 1 (within \(toleranceText(tolerance)))", 0)
            }
        case .covMatrix, .corrMatrix:
            let k = rows
            for i in 0..<k {
                for j in 0..<i where abs(x[i * k + j] - x[j * k + i]) > tolerance {
                    return ("\(el(i * k + j)) is \(formatNumber(x[i * k + j])) but \(el(j * k + i)) is \(formatNumber(x[j * k + i])); '\(name)' must be symmetric", i * k + j)
                }
            }
            if kind == .corrMatrix {
                for i in 0..<k where abs(x[i * k + i] - 1) > tolerance {
                    return ("\(el(i * k + i)) is \(formatNumber(x[i * k + i])); the diagonal of corr_matrix '\(name)' must be 1", i * k + i)
                }
            }
            if Matrix(rows: k, cols: k, storage: x).cholesky() == nil {
                return ("\(kind.name) '\(name)' is not positive definite", 0)
            }
        case .choleskyFactorCorr, .choleskyFactorCov:
            for i in 0..<rows {
                for j in (i + 1)..<max(columns, i + 1) where x[i * columns + j] != 0 {
                    return ("\(el(i * columns + j)) is \(formatNumber(x[i * columns + j])); '\(name)' must be lower triangular (0 above the diagonal)", i * columns + j)
                }
                if i < columns, !(x[i * columns + i] > 0) {
                    return ("\(el(i * columns + i)) is \(formatNumber(x[i * columns + i])); the diagonal of '\(name)' must be positive", i * columns + i)
                }
                if kind == .choleskyFactorCorr {
                    let norm2 = (0...i).reduce(0.0) { $0 + x[i * columns + $1] * x[i * columns + $1] }
                    if abs(norm2 - 1) > tolerance {
                        return ("row \(i + 1) of cholesky_factor_corr '\(name)' has squared length \(formatNumber(norm2)), not 1 (within \(toleranceText(tolerance)))", i * columns)
                    }
                }
            }
        }
        return nil
    }

    /// The unconstrained coordinates of a valid value (`violation` is nil for it).
    public static func unconstrain(_ kind: ConstrainedType, _ x: [Double], shape: [Int]) -> [Double] {
        let rows = shape.first ?? 0, columns = shape.count > 1 ? shape[1] : 0
        switch kind {
        case .simplex:
            var y: [Double] = []
            var stick = 1.0
            for k in 0..<(rows - 1) {
                let z = min(max(x[k] / stick, 0), 1)
                y.append(log(z) - log1p(-z) + log(Double(rows - 1 - k)))
                stick -= x[k]
            }
            return y
        case .ordered, .positiveOrdered:
            return x.indices.map { k in k == 0 ? (kind == .ordered ? x[0] : log(x[0])) : log(x[k] - x[k - 1]) }
        case .unitVector:
            return x
        case .choleskyFactorCorr, .corrMatrix:
            let k = rows
            let L: [Double]
            if kind == .corrMatrix {
                L = Matrix(rows: k, cols: k, storage: x).cholesky()?.storage ?? x
            } else {
                L = x
            }
            var z = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
            for i in 0..<k {
                var sumSquares = 0.0
                for j in 0..<i {
                    z[i][j] = L[i * k + j] / (1 - sumSquares).squareRoot()
                    sumSquares += L[i * k + j] * L[i * k + j]
                }
            }
            var y: [Double] = []
            if kind == .choleskyFactorCorr {
                for i in 0..<k { for j in 0..<i { y.append(atanh(z[i][j])) } }
            } else {
                for j in 0..<k { for i in (j + 1)..<max(k, j + 1) { y.append(atanh(z[i][j])) } }
            }
            return y
        case .covMatrix, .choleskyFactorCov:
            let m = rows, n = kind == .covMatrix ? rows : columns
            let L = kind == .covMatrix ? (Matrix(rows: m, cols: m, storage: x).cholesky()?.storage ?? x) : x
            var y: [Double] = []
            for i in 0..<m {
                for j in 0..<min(i, n) { y.append(L[i * n + j]) }
                if i < n { y.append(log(L[i * n + i])) }
            }
            return y
        }
    }
}

extension Compiler {
    /// A constrained type's sizes read from data: large enough, and M ≥ N for
    /// cholesky_factor_cov[M, N].
    func verifyConstrainedShape(_ kind: ConstrainedType, _ shape: [Int], _ t: TypeSyntax, name: String) throws {
        if let k = shape.first, k < kind.minimumSize {
            throw RuntimeError("'\(name)' is \(kind.name)[\(k)]: \(kind.name) needs a size of at least \(kind.minimumSize)",
                               span: t.writtenDims.first?.span ?? t.span)
        }
        if kind == .choleskyFactorCov, shape.count == 2, shape[0] < shape[1] {
            throw RuntimeError("'\(name)' is cholesky_factor_cov[\(shape[0]), \(shape[1])], with fewer rows than columns",
                               span: t.span, hint: "write cholesky_factor_cov[M, N] with M ≥ N")
        }
    }
}
