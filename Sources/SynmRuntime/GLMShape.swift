// The generalised-linear shapes that the fused kernels evaluate (docs/PERFORMANCE.md):
//
//     y ~ bernoulli_logit(a + X * b)      y ~ normal(a + X * b, sigma)      y ~ poisson_log(a + X * b)
//     y ~ …(a + s * b[group])             (and without a or s, either operand order)
//
// with y data, X a data matrix, a, s and sigma scalars and b a vector, each a name (a
// parameter, a `let` or a constant: evaluating it creates no tape node). Recognised once, from
// the compiled IR, when the `~` term is compiled; whether the operands really are scalars and a
// vector of the right length is checked per evaluation, before anything is recorded, and any
// other case takes the generic row loop.
import SynmDistributions

/// A `~` term with a linear predictor the fused GLM kernels evaluate in one pass.
struct GLMShape: Sendable {
    enum Family: Sendable { case bernoulliLogit, normal, poissonLog }

    /// The vector part of the linear predictor.
    enum Predictor: Sendable {
        /// `X * b` for a constant matrix X (rows = the variate's length).
        case matrix(ConstRef, IRExpr)
        /// `b[indices]` (0-based, every index ≥ 0); the largest index is checked against b's
        /// length once per evaluation, so the kernel's gathers and scatters need no check.
        case gather(IRExpr, [Int32], maxIndex: Int32)
    }

    var family: Family
    var predictor: Predictor
    /// The scalar added to every row (`a`), when there is one.
    var offset: IRExpr?
    /// The scalar multiplying a gathered vector (`s`), when there is one.
    var scale: IRExpr?
    /// normal's σ (a scalar name).
    var sigma: IRExpr?
    /// The variate (data, an array).
    var variate: ConstRef

    init?(distribution: Distribution, variate: IRExpr, args: [IRExpr], statistics: VariateStatistics?) {
        guard case .constArray(let y) = variate, !y.isMatrix, y.count > 0, let statistics else { return nil }
        switch distribution {
        case .bernoulliLogit where args.count == 1 && statistics.isBinary:
            family = .bernoulliLogit
        case .poissonLog where args.count == 1 && statistics.sumLogFactorial != nil:
            family = .poissonLog
        case .normal where args.count == 2 && statistics.sum.isFinite && statistics.sumOfSquares.isFinite
            && Self.isName(args[1]):
            family = .normal
            sigma = args[1]
        default:
            return nil
        }
        self.variate = y
        // a + core, core + a, or core alone.
        var core = args[0]
        if case .binary(.add, let l, let r, _) = args[0] {
            if Self.isName(l), Self.core(r) != nil {
                offset = l
                core = r
            } else if Self.isName(r), Self.core(l) != nil {
                offset = r
                core = l
            }
        }
        guard let (predictor, scale) = Self.core(core) else { return nil }
        switch predictor {
        case .matrix(let x, _): guard Int(x.rows) == Int(y.count) else { return nil }
        case .gather(_, let indices, _): guard indices.count == Int(y.count) else { return nil }
        }
        self.predictor = predictor
        self.scale = scale
    }

    /// A name: evaluating it records nothing on the tape.
    static func isName(_ e: IRExpr) -> Bool {
        switch e {
        case .parameter, .letValue, .constScalar, .poolScalar: return true
        default: return false
        }
    }

    /// `X * b`, `b[idx]`, `s * b[idx]` or `b[idx] * s`.
    static func core(_ e: IRExpr) -> (Predictor, IRExpr?)? {
        switch e {
        case .binary(.multiply, .constArray(let x), let b, _) where x.isMatrix && isName(b):
            return (.matrix(x, b), nil)
        case .gather(let b, let indices, _) where isName(b):
            return gather(b, indices).map { ($0, nil) }
        case .binary(.multiply, let s, .gather(let b, let indices, _), _) where isName(s) && isName(b):
            return gather(b, indices).map { ($0, s) }
        case .binary(.multiply, .gather(let b, let indices, _), let s, _) where isName(s) && isName(b):
            return gather(b, indices).map { ($0, s) }
        default:
            return nil
        }
    }

    static func gather(_ b: IRExpr, _ indices: [Int32]) -> Predictor? {
        guard let lo = indices.min(), let hi = indices.max(), lo >= 0 else { return nil }
        return .gather(b, indices, maxIndex: hi)
    }
}
