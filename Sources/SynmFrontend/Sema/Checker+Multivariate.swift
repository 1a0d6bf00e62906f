// Checking the multivariate distributions (multi_normal, multi_normal_cholesky,
// multi_student_t, dirichlet, multinomial, multinomial_logit, lkj_corr, lkj_corr_cholesky):
// the shapes of their variates and arguments, their `_rng` functions (Stan's
// multinomial_rng(theta, N) and lkj_corr_rng(K, eta)) and predict nodes. A vector is a rank-1
// array, N vectors the rows of a rank-2 array, a matrix a rank-2 array; sizes are checked
// when the model runs (the runtime names the sizes that disagree).
import SynmDiagnostics

/// What an argument or variate of a multivariate distribution must be.
public enum MultivariateShape: Sendable {
    /// A real scalar (nu, eta).
    case scalar
    /// An int scalar (multinomial_rng's N, lkj_corr_rng's K).
    case intScalar
    /// One vector: a rank-1 array.
    case vector
    /// One vector, or one per row: a rank-1 or rank-2 array.
    case vectorOrRows
    /// A K × K matrix: a rank-2 array.
    case matrix

    var expected: String {
        switch self {
        case .scalar: "a real scalar"
        case .intScalar: "an int"
        case .vector: "a vector (real[K])"
        case .vectorOrRows: "a vector (real[K]) or one per row (real[N, K])"
        case .matrix: "a K × K matrix (real[K, K])"
        }
    }

    func accepts(_ t: ValueType) -> Bool {
        switch self {
        case .scalar: t.rank == 0
        case .intScalar: t.rank == 0 && t.base == .int
        case .vector: t.rank == 1
        case .vectorOrRows: t.rank == 1 || t.rank == 2
        case .matrix: t.rank == 2
        }
    }
}

/// The shapes a multivariate distribution takes.
public struct MultivariateSignature: Sendable {
    /// The variate: vectors (rows), int counts (rows) or one matrix.
    public let variate: MultivariateShape
    public let variateIsInt: Bool
    public let arguments: [MultivariateShape]
    /// The `_rng` function's arguments and their names.
    public let rngArguments: [(String, MultivariateShape)]
}

/// The multivariate distributions' shapes (Stan Functions Reference signatures).
public let multivariateSignatures: [String: MultivariateSignature] = {
    let normal = MultivariateSignature(variate: .vectorOrRows, variateIsInt: false, arguments: [.vectorOrRows, .matrix],
                                       rngArguments: [("mu", .vectorOrRows), ("Sigma", .matrix)])
    let lkj = MultivariateSignature(variate: .matrix, variateIsInt: false, arguments: [.scalar],
                                    rngArguments: [("K", .intScalar), ("eta", .scalar)])
    return [
        "multi_normal": normal,
        "multi_normal_cholesky": MultivariateSignature(variate: .vectorOrRows, variateIsInt: false,
                                                       arguments: [.vectorOrRows, .matrix],
                                                       rngArguments: [("mu", .vectorOrRows), ("L", .matrix)]),
        "multi_student_t": MultivariateSignature(variate: .vectorOrRows, variateIsInt: false,
                                                 arguments: [.scalar, .vectorOrRows, .matrix],
                                                 rngArguments: [("nu", .scalar), ("mu", .vectorOrRows), ("Sigma", .matrix)]),
        "dirichlet": MultivariateSignature(variate: .vectorOrRows, variateIsInt: false, arguments: [.vectorOrRows],
                                           rngArguments: [("alpha", .vectorOrRows)]),
        "multinomial": MultivariateSignature(variate: .vectorOrRows, variateIsInt: true, arguments: [.vector],
                                             rngArguments: [("theta", .vector), ("N", .intScalar)]),
        "multinomial_logit": MultivariateSignature(variate: .vectorOrRows, variateIsInt: true, arguments: [.vector],
                                                   rngArguments: [("gamma", .vector), ("N", .intScalar)]),
        "lkj_corr": lkj,
        "lkj_corr_cholesky": lkj,
    ]
}()

extension Checker {
    /// Checks the arguments of a multivariate distribution (or its `_rng`, `rng` true) against
    /// their shapes; the result's type is what a draw gives: vectors as many as the location
    /// (or alpha) has rows, counts as an int array, a matrix for lkj.
    func checkMultivariateArguments(_ dist: DistributionSignature, _ sig: MultivariateSignature, args: [Argument],
                                    rng: Bool, span: SourceSpan) -> ExprInfo? {
        let expected = rng ? sig.rngArguments : zip(dist.parameters, sig.arguments).map { ($0, $1) }
        let name = rng ? "\(dist.name)_rng" : dist.name
        let usage = "\(name)(\(expected.map(\.0).joined(separator: ", ")))"
        if let label = args.first(where: { $0.label != nil }) {
            error("named-argument", "distribution arguments are positional: \(usage)", at: label.labelSpan)
            return nil
        }
        if args.count != expected.count {
            error("arity", "'\(name)' takes \(expected.count) argument\(expected.count == 1 ? "" : "s") (\(expected.map(\.0).joined(separator: ", "))), but \(args.count) \(args.count == 1 ? "was" : "were") given",
                  at: span, hint: "write \(usage)")
            for a in args { _ = checkExpr(a.value) }
            return nil
        }
        var result = ExprInfo(type: .real, dependsOnParameters: false, mentionsSynthetic: false, mentionsParameter: false)
        var rows = 1
        var ok = true
        for (k, a) in args.enumerated() {
            guard let info = checkExpr(a.value) else {
                ok = false
                continue
            }
            let (argName, shape) = expected[k]
            if !shape.accepts(info.type) {
                error("distribution-argument-shape", "argument '\(argName)' of \(name) must be \(shape.expected), but this is \(info.type.description)",
                      at: a.value.span, hint: shape == .matrix
                        ? "build the matrix from rows, e.g. `let Sigma = [[s1^2, r * s1 * s2], [r * s1 * s2, s2^2]]`, or in a `var Sigma: real[K, K]` element by element"
                        : "write \(usage)")
                ok = false
            }
            if shape == .vectorOrRows { rows = info.type.rank }
            result = merge(result, info, type: result.type)
        }
        guard ok else { return nil }
        switch sig.variate {
        case .matrix: result.type = ValueType(.real, rank: 2)
        default: result.type = ValueType(sig.variateIsInt ? .int : .real, rank: sig.variateIsInt ? 1 : rows)
        }
        return result
    }

    /// The left side of `~` or the variate of a density call: vectors (or rows of them), int
    /// counts, or a matrix.
    func checkMultivariateVariate(_ dist: DistributionSignature, _ sig: MultivariateSignature, _ y: ExprInfo,
                                  at span: SourceSpan) {
        let what = sig.variate == .matrix
            ? (dist.name == "lkj_corr" ? "a correlation matrix (real[K, K])" : "the Cholesky factor of a correlation matrix (real[K, K])")
            : sig.variateIsInt ? "an int array of counts (int[K]) or rows of them (int[N, K])"
            : dist.name == "dirichlet" ? "a simplex (real[K]) or rows of simplexes (real[N, K])"
            : "a vector (real[K]) or rows of vectors (real[N, K])"
        if !sig.variate.accepts(y.type) {
            error("variate-shape", "the variate of \(dist.name) must be \(what), but this is \(y.type.description)", at: span)
        } else if sig.variateIsInt, y.type.base != .int {
            error("discrete-variate", "\(dist.name) is a distribution over counts, but the variate is \(y.type.description)",
                  at: span, hint: "declare the data as int, e.g. `data y: int<lower=0>[K]`")
        }
    }

    /// `predict y ~ multi_normal(mu, Sigma)`: the declared type (rows of vectors may be declared
    /// for a shared mu); multinomial needs a total (an rng call), lkj a declared K × K.
    func checkMultivariatePredict(_ dist: DistributionSignature, _ sig: MultivariateSignature, info: ExprInfo,
                                  declared: ValueType?, name: String, call: DistCall, typeSpan: SourceSpan?) -> ValueType {
        if sig.variateIsInt {
            error("predict-multinomial", "predict '\(name)' cannot draw from \(dist.name): it needs a total count N", at: call.span,
                  hint: "write `let \(name) = \(dist.name)_rng(\(dist.parameters[0]), N)`")
            return ValueType(.int, rank: 1)
        }
        if sig.variate == .matrix {
            if declared?.rank != 2 {
                error("predict-type", "predict '\(name)' from \(dist.name) must declare its size", at: typeSpan ?? call.span,
                      hint: "write `predict \(name): real[K, K] ~ \(dist.name)(eta)`")
            }
            return ValueType(.real, rank: 2)
        }
        guard let declared else { return info.type }
        if declared.base != .real || !(declared.rank == info.type.rank || (info.type.rank == 1 && declared.rank == 2)) {
            error("predict-type", "'\(name)' is declared \(declared.description), but \(dist.name) gives \(info.type.rank == 2 ? "rows of vectors" : "a vector (or rows of vectors)")",
                  at: typeSpan ?? call.span)
        }
        return declared
    }
}
