// The catalogue metadata and argument validation messages.
import Testing
@testable import SynmDistributions

@Suite("Catalogue and validation")
struct CatalogueTests {
    @Test("Stan names round-trip and arities match Stan")
    func names() {
        let arity: [String: Int] = [
            "normal": 2, "student_t": 3, "cauchy": 2, "double_exponential": 2, "logistic": 2,
            "lognormal": 2, "exponential": 1, "gamma": 2, "inv_gamma": 2, "weibull": 2, "beta": 2,
            "uniform": 2, "bernoulli": 1, "bernoulli_logit": 1, "binomial": 2, "binomial_logit": 2,
            "poisson": 1, "poisson_log": 1, "neg_binomial_2": 2,
            "beta_binomial": 3, "neg_binomial": 2, "von_mises": 2, "skew_normal": 3, "gumbel": 2, "pareto": 2,
            "scaled_inv_chi_square": 2, "chi_square": 1, "inv_chi_square": 1, "frechet": 2, "rayleigh": 1,
            "std_normal": 0, "beta_proportion": 2,
        ]
        #expect(Set(arity.keys) == Set(Distribution.allCases.map(\.name)))
        for d in Distribution.allCases {
            #expect(Distribution(stanName: d.name) == d)
            #expect(d.arity == arity[d.name])
        }
        #expect(Distribution.binomial.info.integerArguments == [0])
        #expect(Distribution.normal.info.integerArguments.isEmpty)
        #expect(Distribution.studentT.info.arguments.map(\.name) == ["nu", "mu", "sigma"])
        #expect(Distribution.poisson.isDiscrete && !Distribution.gamma.isDiscrete)
    }

    @Test("validation messages", arguments: [
        (Distribution.normal, [0.0, -1], "normal: sigma must be > 0, got -1"),
        (.normal, [.nan, 1], "normal: mu must be finite, got nan"),
        (.studentT, [0, 0, 1], "student_t: nu must be > 0, got 0"),
        (.bernoulli, [1.5], "bernoulli: theta must be in [0, 1], got 1.5"),
        (.binomial, [2.5, 0.5], "binomial: N must be an integer >= 0, got 2.5"),
        (.uniform, [2, 1], "uniform: beta must be > alpha (2), got 1"),
        (.poisson, [-0.5], "poisson: lambda must be >= 0, got -0.5"),
        (.exponential, [.infinity], "exponential: beta must be finite, got inf"),
        (.betaBinomial, [10, 0, 1], "beta_binomial: alpha must be > 0, got 0"),
        (.betaBinomial, [-1, 1, 1], "beta_binomial: N must be an integer >= 0, got -1"),
        (.vonMises, [0, -1], "von_mises: kappa must be > 0, got -1"),
        (.skewNormal, [0, 1, .nan], "skew_normal: alpha must be finite, got nan"),
        (.pareto, [0, 2], "pareto: y_min must be > 0, got 0"),
        (.scaledInvChiSquare, [3, -2], "scaled_inv_chi_square: s must be > 0, got -2"),
        (.chiSquare, [0], "chi_square: nu must be > 0, got 0"),
        (.betaProportion, [1, 2], "beta_proportion: mu must be in (0, 1), got 1"),
    ])
    func messages(_ d: Distribution, _ args: [Double], _ message: String) {
        #expect(Distribution.validate(d, args: args)?.description == message)
    }

    @Test("valid arguments pass and variates are checked")
    func valid() {
        #expect(Distribution.validate(.normal, 0, 1) == nil)
        #expect(Distribution.validate(.poisson, 0) == nil)
        #expect(Distribution.validate(.binomial, 10, 1) == nil)
        #expect(Distribution.validateVariate(.poisson, -1, 3)?.description == "poisson: y must be an integer >= 0, got -1")
        #expect(Distribution.validateVariate(.binomial, 11, 10, 0.5)?.description == "binomial: y must be an integer in 0...10, got 11")
        #expect(Distribution.validateVariate(.normal, 3, 0, 1) == nil)
        #expect(Distribution.validateVariate(.pareto, 0.5, 1, 2)?.description == "pareto: y must be finite and >= y_min (1), got 0.5")
        #expect(Distribution.validateVariate(.pareto, 1, 1, 2) == nil)
        #expect(Distribution.validateVariate(.betaBinomial, 4, 3, 1, 1)?.description == "beta_binomial: y must be an integer in 0...3, got 4")
    }
}
