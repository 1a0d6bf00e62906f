// Stan's constrained types: real values with a structure that a bound cannot say.
// Their transforms live in SynmRuntime (Evaluator+ConstrainedTypes.swift); the definitions
// follow the Stan Reference Manual, chapter "Constraint transforms".

/// `simplex[K]`, `ordered[K]`, `positive_ordered[K]`, `unit_vector[K]` (vectors, stored as
/// `real[K]`) and `cov_matrix[K]`, `corr_matrix[K]`, `cholesky_factor_corr[K]`,
/// `cholesky_factor_cov[M]` / `cholesky_factor_cov[M, N]` (matrices, stored as `real[K, K]`
/// or `real[M, N]`).
public enum ConstrainedType: String, Sendable, CaseIterable {
    case simplex
    case ordered
    case positiveOrdered = "positive_ordered"
    case unitVector = "unit_vector"
    case covMatrix = "cov_matrix"
    case corrMatrix = "corr_matrix"
    case choleskyFactorCorr = "cholesky_factor_corr"
    case choleskyFactorCov = "cholesky_factor_cov"

    /// The keyword as written.
    public var name: String { rawValue }

    /// Whether the value is a matrix (rank 2); the others are vectors (rank 1).
    public var isMatrix: Bool {
        switch self {
        case .simplex, .ordered, .positiveOrdered, .unitVector: return false
        default: return true
        }
    }

    /// Whether the set of values is bounded, so a flat density on it is proper (an unused
    /// parameter of such a type is not warned about).
    public var isCompact: Bool {
        switch self {
        case .simplex, .unitVector, .corrMatrix, .choleskyFactorCorr: return true
        default: return false
        }
    }

    /// How many sizes may be written: one, except `cholesky_factor_cov[M, N]`.
    public var allowsTwoSizes: Bool { self == .choleskyFactorCov }

    /// The smallest size that makes sense (a simplex or unit vector of one element has no
    /// free coordinate, or two isolated points).
    public var minimumSize: Int {
        switch self {
        case .simplex, .unitVector: return 2
        default: return 1
        }
    }

    /// The number of unconstrained coordinates for a value of this shape (`[K]` or `[M, N]`).
    public func freeCount(_ shape: [Int]) -> Int {
        let k = shape.first ?? 0
        switch self {
        case .simplex: return max(k - 1, 0)
        case .ordered, .positiveOrdered, .unitVector: return k
        case .covMatrix: return k + k * (k - 1) / 2
        case .corrMatrix, .choleskyFactorCorr: return k * (k - 1) / 2
        case .choleskyFactorCov:
            let n = shape.count > 1 ? shape[1] : k
            return n * (n + 1) / 2 + (k - n) * n
        }
    }
}
