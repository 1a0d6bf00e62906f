// The distribution catalogue: Stan names, Stan argument orders, and the metadata a checker
// and a runtime need (argument names and domains, variate kind, discreteness).

/// A univariate distribution, named and parameterised exactly as in Stan
/// (Stan Functions Reference, "Continuous/Discrete Distributions").
///
/// Arguments are positional, in Stan's order; `info.arguments` names them. Densities take
/// up to three arguments (`a`, `b`, `c`); unused slots are ignored.
public enum Distribution: String, CaseIterable, Sendable, Hashable {
    /// normal(mu, sigma)
    case normal
    /// student_t(nu, mu, sigma)
    case studentT = "student_t"
    /// cauchy(mu, sigma)
    case cauchy
    /// double_exponential(mu, sigma): the Laplace distribution with scale sigma.
    case doubleExponential = "double_exponential"
    /// logistic(mu, sigma)
    case logistic
    /// lognormal(mu, sigma): log y ~ normal(mu, sigma).
    case lognormal
    /// exponential(beta), beta the rate.
    case exponential
    /// gamma(alpha, beta), alpha the shape and beta the rate.
    case gamma
    /// inv_gamma(alpha, beta), alpha the shape and beta the scale.
    case invGamma = "inv_gamma"
    /// weibull(alpha, sigma), alpha the shape and sigma the scale.
    case weibull
    /// beta(alpha, beta)
    case beta
    /// uniform(alpha, beta) on the closed interval [alpha, beta].
    case uniform
    /// bernoulli(theta)
    case bernoulli
    /// bernoulli_logit(alpha), theta = inv_logit(alpha).
    case bernoulliLogit = "bernoulli_logit"
    /// binomial(N, theta)
    case binomial
    /// binomial_logit(N, alpha), theta = inv_logit(alpha).
    case binomialLogit = "binomial_logit"
    /// poisson(lambda)
    case poisson
    /// poisson_log(alpha), lambda = exp(alpha).
    case poissonLog = "poisson_log"
    /// neg_binomial_2(mu, phi): mean mu, variance mu + mu²/phi.
    case negBinomial2 = "neg_binomial_2"
    /// beta_binomial(N, alpha, beta): binomial(N, θ) with θ ~ beta(alpha, beta).
    case betaBinomial = "beta_binomial"
    /// neg_binomial(alpha, beta): shape alpha, inverse scale beta (mean alpha/beta).
    case negBinomial = "neg_binomial"
    /// von_mises(mu, kappa): a circular density, location mu and concentration kappa.
    case vonMises = "von_mises"
    /// skew_normal(xi, omega, alpha): location xi, scale omega, shape alpha.
    case skewNormal = "skew_normal"
    /// gumbel(mu, beta): location mu, scale beta.
    case gumbel
    /// pareto(y_min, alpha): y ≥ y_min, shape alpha.
    case pareto
    /// scaled_inv_chi_square(nu, s): degrees of freedom nu, scale s.
    case scaledInvChiSquare = "scaled_inv_chi_square"
    /// chi_square(nu)
    case chiSquare = "chi_square"
    /// inv_chi_square(nu)
    case invChiSquare = "inv_chi_square"
    /// frechet(alpha, sigma): shape alpha, scale sigma.
    case frechet
    /// rayleigh(sigma)
    case rayleigh
    /// std_normal(): normal(0, 1), no arguments.
    case stdNormal = "std_normal"
    /// beta_proportion(mu, kappa): beta(mu·kappa, (1 − mu)·kappa), mean mu in (0, 1), precision kappa.
    case betaProportion = "beta_proportion"

    /// The distribution with Stan name `name` (`"student_t"`), or nil.
    public init?(stanName name: String) { self.init(rawValue: name) }

    /// The Stan name (`"student_t"`).
    public var name: String { rawValue }

    /// Number of arguments (0–3).
    public var arity: Int { info.arguments.count }

    /// True for probability mass functions (integer variates).
    public var isDiscrete: Bool { info.variate.isDiscrete }

    /// The metadata record for this distribution.
    public var info: DistributionInfo {
        switch self {
        case .normal: .init(.real, [.init("mu", .finite), .init("sigma", .positive)])
        case .studentT:
            .init(.real, [.init("nu", .positive), .init("mu", .finite), .init("sigma", .positive)])
        case .cauchy: .init(.real, [.init("mu", .finite), .init("sigma", .positive)])
        case .doubleExponential: .init(.real, [.init("mu", .finite), .init("sigma", .positive)])
        case .logistic: .init(.real, [.init("mu", .finite), .init("sigma", .positive)])
        case .lognormal: .init(.positive, [.init("mu", .finite), .init("sigma", .positive)])
        case .exponential: .init(.nonNegative, [.init("beta", .positive)])
        case .gamma: .init(.positive, [.init("alpha", .positive), .init("beta", .positive)])
        case .invGamma: .init(.positive, [.init("alpha", .positive), .init("beta", .positive)])
        case .weibull: .init(.positive, [.init("alpha", .positive), .init("sigma", .positive)])
        case .beta: .init(.unitInterval, [.init("alpha", .positive), .init("beta", .positive)])
        case .uniform:
            .init(.interval, [.init("alpha", .finite), .init("beta", .greaterThanPrevious)])
        case .bernoulli: .init(.binary, [.init("theta", .probability)])
        case .bernoulliLogit: .init(.binary, [.init("alpha", .finite)])
        case .binomial:
            .init(.boundedCount, [.init("N", .nonNegativeInteger), .init("theta", .probability)])
        case .binomialLogit:
            .init(.boundedCount, [.init("N", .nonNegativeInteger), .init("alpha", .finite)])
        case .poisson: .init(.count, [.init("lambda", .nonNegative)])
        case .poissonLog: .init(.count, [.init("alpha", .finite)])
        case .negBinomial2: .init(.count, [.init("mu", .positive), .init("phi", .positive)])
        case .betaBinomial:
            .init(.boundedCount, [.init("N", .nonNegativeInteger), .init("alpha", .positive), .init("beta", .positive)])
        case .negBinomial: .init(.count, [.init("alpha", .positive), .init("beta", .positive)])
        case .vonMises: .init(.real, [.init("mu", .finite), .init("kappa", .positive)])
        case .skewNormal:
            .init(.real, [.init("xi", .finite), .init("omega", .positive), .init("alpha", .finite)])
        case .gumbel: .init(.real, [.init("mu", .finite), .init("beta", .positive)])
        case .pareto: .init(.atLeastFirst, [.init("y_min", .positive), .init("alpha", .positive)])
        case .scaledInvChiSquare: .init(.positive, [.init("nu", .positive), .init("s", .positive)])
        case .chiSquare: .init(.positive, [.init("nu", .positive)])
        case .invChiSquare: .init(.positive, [.init("nu", .positive)])
        case .frechet: .init(.positive, [.init("alpha", .positive), .init("sigma", .positive)])
        case .rayleigh: .init(.positive, [.init("sigma", .positive)])
        case .stdNormal: .init(.real, [])
        case .betaProportion: .init(.unitInterval, [.init("mu", .openUnitInterval), .init("kappa", .positive)])
        }
    }
}

/// What values a distribution's variate takes.
public enum VariateKind: Sendable, Hashable {
    /// Any real number.
    case real
    /// y > 0 (the density at 0 is taken as −∞ even where a limit exists; see `Density`).
    case positive
    /// y ≥ 0 (exponential: its density is finite and positive at 0).
    case nonNegative
    /// 0 < y < 1 (beta).
    case unitInterval
    /// alpha ≤ y ≤ beta, bounds given by the first two arguments (uniform).
    case interval
    /// y ≥ the first argument (pareto's y_min).
    case atLeastFirst
    /// y ∈ {0, 1}.
    case binary
    /// y ∈ {0, 1, 2, …}.
    case count
    /// y ∈ {0, …, N}, N the first argument (binomial).
    case boundedCount

    /// True for the integer-valued kinds.
    public var isDiscrete: Bool {
        switch self {
        case .binary, .count, .boundedCount: true
        default: false
        }
    }
}

/// The set of valid values of one distribution argument.
public enum ArgumentDomain: Sendable, Hashable {
    /// Finite real (not NaN, not ±∞).
    case finite
    /// Finite and > 0.
    case positive
    /// Finite and ≥ 0.
    case nonNegative
    /// In [0, 1].
    case probability
    /// In (0, 1) (beta_proportion's mean).
    case openUnitInterval
    /// An integer ≥ 0 (binomial N).
    case nonNegativeInteger
    /// Finite and strictly greater than the previous argument (uniform's beta > alpha).
    case greaterThanPrevious

    /// True for integer-valued arguments.
    public var isInteger: Bool { self == .nonNegativeInteger }
}

/// One argument of a distribution: its Stan name and its domain.
public struct ArgumentInfo: Sendable, Hashable {
    /// The Stan argument name (`"sigma"`).
    public let name: String
    /// The values the argument may take.
    public let domain: ArgumentDomain
    /// An argument `name` with domain `domain`.
    public init(_ name: String, _ domain: ArgumentDomain) {
        self.name = name
        self.domain = domain
    }
}

/// Metadata of a distribution: what its variate is and what its arguments are.
public struct DistributionInfo: Sendable, Hashable {
    /// The kind of variate (support).
    public let variate: VariateKind
    /// The arguments in Stan order.
    public let arguments: [ArgumentInfo]
    /// A record with variate kind `variate` and `arguments`.
    public init(_ variate: VariateKind, _ arguments: [ArgumentInfo]) {
        self.variate = variate
        self.arguments = arguments
    }
    /// Indices (0-based) of the integer arguments (binomial's N).
    public var integerArguments: [Int] {
        arguments.indices.filter { arguments[$0].domain.isInteger }
    }
}
