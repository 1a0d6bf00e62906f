// The built-in vocabulary the checker knows: distributions (Stan names and argument
// orders), functions and synthetic-data generators.

/// The signature of a distribution usable with `~`, `predict` and `NAME_lpdf(y | …)`.
public struct DistributionSignature: Sendable {
    public let name: String
    /// Argument names in Stan's order.
    public let parameters: [String]
    /// Indices of arguments that must be int (binomial's `n`).
    public let intParameters: Set<Int>
    /// Whether the variate is an integer (a probability mass function).
    public let isDiscrete: Bool
    /// Whether a normalised power prior on a term with this likelihood has a closed-form
    /// normalising constant (conjugate families; docs/STATISTICS.md §3).
    public let conjugateNormalizable: Bool
    /// Indices of arguments that are one array shared by every row (categorical's theta,
    /// ordered_logistic's cutpoints c), not broadcast element-wise.
    public var vectorParameters: Set<Int> = []

    /// `normal(mu, sigma)`.
    public var usage: String { "\(name)(\(parameters.joined(separator: ", ")))" }
}

/// The distributions, with Stan's names and argument orders (Stan Functions Reference).
public let builtinDistributions: [String: DistributionSignature] = {
    func d(_ name: String, _ params: [String], int: Set<Int> = [], discrete: Bool = false,
           conjugate: Bool = false, vector: Set<Int> = []) -> DistributionSignature {
        DistributionSignature(name: name, parameters: params, intParameters: int, isDiscrete: discrete,
                              conjugateNormalizable: conjugate, vectorParameters: vector)
    }
    let all = [
        d("normal", ["mu", "sigma"], conjugate: true),
        d("student_t", ["nu", "mu", "sigma"]),
        d("cauchy", ["mu", "sigma"]),
        d("double_exponential", ["mu", "sigma"]),
        d("logistic", ["mu", "sigma"]),
        d("lognormal", ["mu", "sigma"]),
        d("exponential", ["beta"]),
        d("gamma", ["alpha", "beta"]),
        d("inv_gamma", ["alpha", "beta"]),
        d("weibull", ["alpha", "sigma"]),
        d("beta", ["alpha", "beta"]),
        d("uniform", ["alpha", "beta"]),
        d("bernoulli", ["theta"], discrete: true, conjugate: true),
        d("bernoulli_logit", ["alpha"], discrete: true),
        d("binomial", ["n", "theta"], int: [0], discrete: true, conjugate: true),
        d("binomial_logit", ["n", "alpha"], int: [0], discrete: true),
        d("poisson", ["lambda"], discrete: true, conjugate: true),
        d("poisson_log", ["alpha"], discrete: true),
        d("neg_binomial_2", ["mu", "phi"], discrete: true),
        d("beta_binomial", ["N", "alpha", "beta"], int: [0], discrete: true),
        d("neg_binomial", ["alpha", "beta"], discrete: true),
        d("von_mises", ["mu", "kappa"]),
        d("skew_normal", ["xi", "omega", "alpha"]),
        d("gumbel", ["mu", "beta"]),
        d("pareto", ["y_min", "alpha"]),
        d("scaled_inv_chi_square", ["nu", "s"]),
        d("chi_square", ["nu"]),
        d("inv_chi_square", ["nu"]),
        d("frechet", ["alpha", "sigma"]),
        d("rayleigh", ["sigma"]),
        d("std_normal", []),
        d("beta_proportion", ["mu", "kappa"]),
        d("categorical", ["theta"], discrete: true, vector: [0]),
        d("categorical_logit", ["beta"], discrete: true, vector: [0]),
        d("ordered_logistic", ["eta", "c"], discrete: true, vector: [1]),
        d("ordered_probit", ["eta", "c"], discrete: true, vector: [1]),
        // Multivariate (shapes in Checker+Multivariate.swift: multivariateSignatures).
        d("multi_normal", ["mu", "Sigma"]),
        d("multi_normal_cholesky", ["mu", "L"]),
        d("multi_student_t", ["nu", "mu", "Sigma"]),
        d("dirichlet", ["alpha"]),
        d("multinomial", ["theta"], discrete: true),
        d("multinomial_logit", ["gamma"], discrete: true),
        d("lkj_corr", ["eta"]),
        d("lkj_corr_cholesky", ["eta"]),
    ]
    return Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
}()

/// The distributions with `NAME_lcdf(y | …)`, `NAME_lccdf(y | …)` and `NAME_cdf(y | …)`
/// functions and with truncation `y ~ NAME(…) T[L, U]` (SynmDistributions'
/// `Distribution.withCDF`: closed-form CDFs, and the counts poisson and binomial).
public let cdfDistributions: Set<String> = [
    "normal", "lognormal", "logistic", "cauchy", "double_exponential", "gumbel", "exponential", "weibull", "frechet",
    "rayleigh", "pareto", "uniform", "poisson", "binomial", "std_normal", "gamma", "inv_gamma", "chi_square",
    "inv_chi_square", "scaled_inv_chi_square", "beta", "student_t", "neg_binomial_2", "bernoulli", "neg_binomial",
    "beta_proportion", "beta_binomial", "skew_normal", "von_mises",
]

/// How a built-in function maps argument types to a result type.
public enum FunctionRule: Sendable {
    /// Element-wise on one argument; the result is real with the argument's shape.
    case elementwise
    /// Element-wise on one argument keeping int-ness (`abs`).
    case elementwiseKeepBase
    /// Element-wise on two arguments with broadcasting (`pow`).
    case elementwise2
    /// An array (or matrix) to a scalar; int stays int when `keepsInt` (`sum`, `min`).
    case reduce(keepsInt: Bool)
    /// Either one array reduced, or two scalars combined (`max(a, b)`, `log_sum_exp(a, b)`).
    case reduceOrPair(keepsInt: Bool)
    /// Two arrays of equal length to a real scalar.
    case dotProduct
    /// The number of elements (the first size) of an array.
    case size
    /// Element-wise on one argument with an int result (`int_step`).
    case elementwiseToInt
    /// Element-wise on `arity` arguments with broadcasting (scalars against arrays of one
    /// shape), real result; arguments at `intArguments` must be int (`binary_log_loss`'s y).
    case elementwiseN(arity: Int, intArguments: Set<Int>)
    /// One array to an array of the same length (`softmax`); int stays int when `keepsInt`.
    case arrayMap(keepsInt: Bool)
    /// `rank(v, s)`: an array and an int index to an int.
    case rank
    /// Element-wise on `arity` int arguments with an int result (`choose`).
    case intFunction(arity: Int)
}

/// The built-in functions of the language (README; and a few Stan users reach for).
public let builtinFunctions: [String: FunctionRule] = [
    "exp": .elementwise, "log": .elementwise, "log1p": .elementwise, "expm1": .elementwise,
    "sqrt": .elementwise, "square": .elementwise, "inv_logit": .elementwise, "logit": .elementwise,
    "lgamma": .elementwise, "log1p_exp": .elementwise, "log_inv_logit": .elementwise,
    "log1m": .elementwise, "Phi": .elementwise, "tanh": .elementwise, "inv": .elementwise,
    "abs": .elementwiseKeepBase,
    "pow": .elementwise2,
    "sum": .reduce(keepsInt: true), "mean": .reduce(keepsInt: false), "sd": .reduce(keepsInt: false),
    "log_sum_exp": .reduceOrPair(keepsInt: false), "min": .reduceOrPair(keepsInt: true),
    "max": .reduceOrPair(keepsInt: true),
    "dot_product": .dotProduct, "size": .size,
    "inv_cloglog": .elementwise, "erf": .elementwise, "erfc": .elementwise, "Phi_approx": .elementwise,
    "floor": .elementwise, "ceil": .elementwise, "round": .elementwise, "step": .elementwise,
    "fabs": .elementwise, "int_step": .elementwiseToInt,
    "fma": .elementwiseN(arity: 3, intArguments: []), "log_mix": .elementwiseN(arity: 3, intArguments: []),
    "binary_log_loss": .elementwiseN(arity: 2, intArguments: [0]),
    "lchoose": .elementwiseN(arity: 2, intArguments: []), "lbeta": .elementwiseN(arity: 2, intArguments: []),
    "fmin": .elementwiseN(arity: 2, intArguments: []), "fmax": .elementwiseN(arity: 2, intArguments: []),
    "softmax": .arrayMap(keepsInt: false), "log_softmax": .arrayMap(keepsInt: false),
    "sort_asc": .arrayMap(keepsInt: true), "rank": .rank,
    "log1m_exp": .elementwise, "log2": .elementwise, "log10": .elementwise, "exp2": .elementwise,
    "cbrt": .elementwise, "inv_sqrt": .elementwise, "inv_square": .elementwise, "sin": .elementwise,
    "cos": .elementwise, "tan": .elementwise, "asin": .elementwise, "acos": .elementwise, "atan": .elementwise,
    "sinh": .elementwise, "cosh": .elementwise, "asinh": .elementwise, "acosh": .elementwise, "atanh": .elementwise,
    "trunc": .elementwise,
    "log_diff_exp": .elementwiseN(arity: 2, intArguments: []), "lmultiply": .elementwiseN(arity: 2, intArguments: []),
    "atan2": .elementwiseN(arity: 2, intArguments: []), "hypot": .elementwiseN(arity: 2, intArguments: []),
    "fdim": .elementwiseN(arity: 2, intArguments: []),
    "multiply_log": .elementwiseN(arity: 2, intArguments: []),
    "binomial_coefficient_log": .elementwiseN(arity: 2, intArguments: []),
    "log_inv_logit_diff": .elementwiseN(arity: 2, intArguments: []),
    "inv_Phi": .elementwise, "tgamma": .elementwise, "choose": .intFunction(arity: 2),
]

/// How the functions with more than one argument (or an unusual one) are called, for hints.
public let builtinFunctionUsage: [String: String] = [
    "fma": "fma(x, y, z) = x * y + z",
    "log_mix": "log_mix(theta, lp1, lp2) = log(theta * exp(lp1) + (1 - theta) * exp(lp2)), theta in [0, 1]",
    "binary_log_loss": "binary_log_loss(y, y_hat) with y an int 0 or 1 and y_hat in [0, 1]",
    "lchoose": "lchoose(x, y) = log of the binomial coefficient, 0 <= y <= x",
    "lbeta": "lbeta(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b), a, b >= 0",
    "fmin": "fmin(x, y)", "fmax": "fmax(x, y)",
    "softmax": "softmax(v) with v a real array", "log_softmax": "log_softmax(v) with v a real array",
    "sort_asc": "sort_asc(v) with v an array", "rank": "rank(v, s): how many elements of v are less than v[s]",
    "int_step": "int_step(x): 1 if x > 0, else 0", "step": "step(x): 0 if x < 0, else 1",
    "log_diff_exp": "log_diff_exp(x, y) = log(exp(x) - exp(y)), y <= x",
    "lmultiply": "lmultiply(x, y) = x * log(y) (0 when x and y are 0)",
    "atan2": "atan2(y, x)", "hypot": "hypot(x, y) = sqrt(x^2 + y^2)", "fdim": "fdim(x, y) = max(x - y, 0)",
    "multiply_log": "multiply_log(x, y) = x * log(y) (0 when x and y are 0)",
    "binomial_coefficient_log": "binomial_coefficient_log(x, y) = lchoose(x, y)",
    "log_inv_logit_diff": "log_inv_logit_diff(x, y) = log(inv_logit(x) - inv_logit(y)), x > y",
    "choose": "choose(n, k) with ints 0 <= k (0 when k > n)",
]

/// Synthetic-data generators (docs/STATISTICS.md §2) and their arguments.
public enum Generator: String, Sendable, CaseIterable {
    case bootstrap
    case parametricBootstrap = "parametric_bootstrap"
    case reweight
    case periodic
    case posteriorPredictive = "posterior_predictive"
    case external
    /// `model("gen.synm", fit = y)`: rows simulated from a generator model of its own,
    /// fitted (its MLE) to the data node y.
    case model

    /// How the generator is called, for hints.
    public var usage: String {
        switch self {
        case .bootstrap: return "bootstrap(y) or bootstrap(x, y) (rows resampled jointly)"
        case .parametricBootstrap: return "parametric_bootstrap(y) (simulate y's likelihood at the MLE)"
        case .reweight: return "reweight(y, by = g) (class-balanced resample; of a synthetic yb, labels drawn with it: bootstrap(y, g))"
        case .periodic: return "periodic(y, op, period) with op reflect, rotate90, shift or a function of a row `v -> [-v[2], v[1]]`"
        case .posteriorPredictive: return "posterior_predictive(y)"
        case .external: return "external(source_n = N, overlap = K) (rows supplied in the data file)"
        case .model: return "model(\"gen.synm\", fit = y) (rows simulated from a generator model fitted to y)"
        }
    }

    /// Whether the rows are built from our own real sample (Theorem 5: they carry no Fisher
    /// information about the parameter beyond that sample's).
    public var isFromOwnSample: Bool { self != .external }

    /// Rows drawn from a model fitted to the real data (not copies of its rows).
    public var isFitted: Bool { self == .parametricBootstrap || self == .posteriorPredictive || self == .model }
}

/// The operators `periodic(x, op, period)` accepts by name (or a function `v -> …`).
public let periodicOperators = ["reflect", "rotate90", "shift"]

/// The functions the body of periodic's operator `v -> …` may call (element-wise, or
/// reductions of an array to a scalar).
public let rowOperatorFunctions = ["abs", "exp", "log", "sqrt", "square", "tanh", "log1p", "expm1", "inv", "inv_logit",
                                   "logit", "sum", "mean", "size"]
