// NAME_lcdf, NAME_lccdf and NAME_cdf: values against scipy 1.17.1 (stats logcdf/logsf/cdf;
// the tail cases cross-checked with 40-digit mpmath, which agrees to 1e-16), exact gradients
// and Hessians against finite differences through inline models, the identity
// ∂/∂y log F = exp(lpdf − lcdf), located domain errors and checker hints.
import Foundation
import Testing
@testable import SynmRuntime
import SynmFrontend
import SynmDistributions

@Suite struct CumulativeTests {
    static let valueCases: [(String, Double)] = [
        ("normal_lcdf(0.3 | -0.2, 1.5)", -0.46114909092111317),
        ("normal_lccdf(0.3 | -0.2, 1.5)", -0.9957633057792302),
        ("normal_lcdf(-40 | 0, 1)", -804.6084420137539),
        ("normal_lccdf(40 | 0, 1)", -804.6084420137539),
        ("normal_cdf(1.0 | 0, 2)", 0.6914624612740131),
        ("std_normal_lcdf(0.15)", -0.5805014205893697),
        ("std_normal_lccdf(2.0)", -3.7831843336820317),
        ("normal_cdf([1.0, -0.5] | 0, 2)", 0.6914624612740131 * 0.4012936743170763),
        ("normal_lcdf([0.3, 0.3] | -0.2, 1.5)", 2 * -0.46114909092111317),
        ("lognormal_lcdf(2.5 | 0.3, 0.8)", -0.24915669648728261),
        ("lognormal_lccdf(2.5 | 0.3, 0.8)", -1.5116663348636135),
        ("logistic_lcdf(-30 | 1, 0.5)", -62.0),
        ("logistic_lccdf(2 | 1, 0.5)", -2.1269280110429727),
        ("cauchy_lcdf(-1e6 | 0, 1)", -14.960240443814008),
        ("cauchy_lccdf(0.7 | 0.2, 2)", -0.8627005120868747),
        ("double_exponential_lcdf(-2 | 1, 0.5)", -6.693147180559945),
        ("double_exponential_lccdf(-2 | 1, 0.5)", -0.0012401447500502848),
        ("gumbel_lcdf(0.5 | 1, 2)", -1.2840254166877414),
        ("gumbel_lccdf(30 | 1, 2)", -14.500000252173821),
        ("exponential_lcdf(1e-9 | 2)", -20.030118657386467),
        ("exponential_lccdf(3 | 2)", -6.0),
        ("weibull_lcdf(1.5 | 2, 3)", -1.508691549446032),
        ("weibull_lccdf(1.5 | 2, 3)", -0.25),
        ("frechet_lcdf(1.5 | 2, 1)", -0.44444444444444436),
        ("frechet_lccdf(1.5 | 2, 1)", -1.024935491511842),
        ("rayleigh_lcdf(0.5 | 2)", -3.481320213026692),
        ("rayleigh_lccdf(0.5 | 2)", -0.03125),
        ("pareto_lcdf(2.5 | 1, 3)", -0.066139802504545),
        ("pareto_lccdf(2.5 | 1, 3)", -2.7488721956224653),
        ("uniform_lcdf(0.5 | -1, 3)", -0.9808292530117262),
        ("uniform_lccdf(0.5 | -1, 3)", -0.4700036292457356),
        ("poisson_lcdf(3 | 2.5)", -0.27763124086275504),
        ("poisson_lccdf(3 | 2.5)", -1.417067568961742),
        ("poisson_lcdf(0 | 50)", -50.0),
        ("binomial_lcdf(3 | 10, 0.4)", -0.9616003808697956),
        ("binomial_lccdf(3 | 10, 0.4)", -0.4817209725318451),
        ("binomial_lccdf(95 | 100, 0.2)", -140.20636415104073),
        // The gamma family through the incomplete gamma function (tails cross-checked with mpmath).
        ("gamma_lcdf(1.5 | 2.5, 1.2)", -0.9372929732273871),
        ("gamma_lccdf(1.5 | 2.5, 1.2)", -0.49706524669995056),
        ("gamma_lcdf(0.01 | 3, 1)", -15.614768151150606),
        ("gamma_lccdf(60 | 3, 1)", -52.471130743357755),
        ("gamma_lcdf(200 | 150, 1)", -9.679090403776084e-05),
        ("gamma_lccdf(0.5 | 0.3, 2)", -2.4730668920496037),
        ("inv_gamma_lcdf(0.8 | 3, 2)", -0.6091496281277139),
        ("inv_gamma_lccdf(0.8 | 3, 2)", -0.7848527198374083),
        ("chi_square_lcdf(2.5 | 3)", -0.644911614614578),
        ("chi_square_lccdf(40 | 3)", -18.35722809332235),
        ("inv_chi_square_lcdf(0.3 | 4)", -0.6858374136549403),
        ("inv_chi_square_lccdf(0.3 | 4)", -0.7005107738569731),
        ("scaled_inv_chi_square_lcdf(1.1 | 5, 0.8)", -0.33687376929684276),
        ("scaled_inv_chi_square_lccdf(1.1 | 5, 0.8)", -1.25175984161498),
        // Through the incomplete beta function (tails cross-checked with mpmath betainc).
        ("beta_lcdf(0.3 | 2, 5)", -0.5450289451074889),
        ("beta_lccdf(0.3 | 2, 5)", -0.8670839878195068),
        ("beta_lcdf(1e-5 | 0.5, 3)", -5.127860739731629),
        ("beta_lccdf(0.999 | 3, 0.7)", -4.005519461000476),
        ("student_t_lcdf(-40 | 3, 0, 1)", -10.971162936870327),
        ("student_t_lccdf(2.1 | 5, 0.5, 1.2)", -2.120517660263637),
        ("student_t_lcdf(2.1 | 5, 0.5, 1.2)", -0.1277987232314942),
        ("student_t_lcdf(0 | 4, 0, 1)", -0.6931471805599453),
        ("neg_binomial_2_lcdf(3 | 2.5, 1.5)", -0.306850251022504),
        ("neg_binomial_2_lccdf(10 | 2.5, 1.5)", -4.244072437730658),
        ("neg_binomial_2_lcdf(0 | 4, 0.5)", -1.0986122886681098),
        // Outside the support: the limits.
        ("exponential_lccdf(-1 | 2)", 0.0),
        ("poisson_lcdf(-1 | 2)", -.infinity),
        ("binomial_lcdf(10 | 10, 0.3)", 0.0),
    ]

    @Test("values against scipy", arguments: valueCases)
    func values(_ expression: String, _ expected: Double) throws {
        let v = try functionValue(expression)
        if expected.isInfinite {
            #expect(v == expected, "\(expression) = \(v)")
        } else {
            #expect(abs(v - expected) <= 1e-13 * max(1, abs(expected)), "\(expression) = \(v), expected \(expected)")
        }
    }

    /// ∂/∂y log F(y) = f(y)/F(y) and ∂/∂y log(1 − F(y)) = −f(y)/(1 − F(y)), with f from the
    /// (independently tested) log density, for every continuous family with a CDF.
    @Test("the y-derivative is the density over the CDF", arguments: Array(Distribution.withCDF.filter { !$0.isDiscrete }))
    func densityIdentity(_ d: Distribution) {
        let args: [Double] = d == .uniform ? [-1, 3] : d == .pareto ? [0.8, 2.5] : d == .studentT ? [4, 0.4, 1.7]
            : d == .skewNormal ? [0.4, 1.7, 1.3] : d == .vonMises ? [0.4, 1.7] : Array([0.4, 1.7].prefix(d.arity))
        let arguments = d.arity == 1 ? [1.3] : args
        for y in d == .beta || d == .betaProportion ? [0.2, 0.5, 0.8] : d == .vonMises ? [-2.5, 0.9, 2.2] : [0.9, 1.4, 2.2] {
            var p = DensityPartials<Double>()
            let (a, b) = (arguments.first ?? 0, arguments.count > 1 ? arguments[1] : 0)
            let c = arguments.count > 2 ? arguments[2] : 0
            let lcdf = Distribution.logCDF(d, variate: y, a, b, c, upper: false, partials: &p)
            let lpdf = Distribution.logDensity(d, y, args: arguments)
            #expect(abs(p.variate - exp(lpdf - lcdf)) <= 1e-13 * exp(lpdf - lcdf), "\(d.name) at \(y)")
            let lccdf = Distribution.logCDF(d, variate: y, a, b, c, upper: true, partials: &p)
            #expect(abs(p.variate + exp(lpdf - lccdf)) <= 1e-13 * exp(lpdf - lccdf), "\(d.name) upper at \(y)")
            #expect(abs(exp(lcdf) + exp(lccdf) - 1) <= 1e-15, "\(d.name): F + (1 − F) = 1 at \(y)")
        }
    }

    @Test("the checker's list of CDFs is the runtime's")
    func catalogue() {
        #expect(cdfDistributions == Set(Distribution.withCDF.map(\.name)))
    }

    @Test("domain errors are located", arguments: [
        ("normal_lcdf(0.5 | 0, -1)", "normal: sigma must be > 0, got -1"),
        ("poisson_lccdf([1, 2] | [1.0, -2.0])", "poisson: lambda must be >= 0, got -2 (row 2)"),
    ])
    func errors(_ expression: String, _ message: String) throws {
        try expectLocatedRuntimeError(message) { _ = try functionValue(expression) }
    }

    @Test("misuse is a checker error", arguments: [
        ("poisson_log_lcdf(1 | 2)", "poisson_log_lcdf is not available"),
        ("normal_lcdf(1.0, 0, 1)", "separate the variate with '|': normal_lcdf(y | mu, sigma)"),
        ("poisson_lcdf(1.5 | 2)", "poisson is a distribution over integers"),
    ])
    func misuse(_ expression: String, _ message: String) throws {
        try expectCheckerError(message) { _ = try functionValue(expression) }
    }

    static let cases: [InlineCase] = [
        InlineCase("normal and lognormal CDFs", edge: 3, """
            data y: real[3] = [-0.4, 1.1, 2.3]
            param mu: real
            param sigma: real<lower=0>
            param z: real<lower=0>
            target += normal_lcdf(y | mu, sigma) + normal_lccdf(0.7 | mu, sigma) + normal_cdf(z | mu, sigma)
            target += lognormal_lcdf(z | mu, sigma) + lognormal_lccdf(1.7 | mu, sigma) + normal_lcdf(mu | -3, 1)
            """),
        InlineCase("logistic, cauchy, double_exponential, gumbel CDFs", edge: 2, """
            data y: real[3] = [-0.4, 1.1, 2.3]
            param mu: real
            param sigma: real<lower=0>
            target += logistic_lcdf(y | mu, sigma) + logistic_lccdf(0.2 | mu, sigma)
            target += cauchy_lcdf(y | mu, sigma) + cauchy_lccdf(-0.3 | mu, sigma)
            target += double_exponential_lcdf(y | mu, sigma) + double_exponential_lccdf(1.9 | mu, sigma)
            target += gumbel_lcdf(y | mu, sigma) + gumbel_lccdf(-0.2 | mu, sigma)
            """),
        InlineCase("positive families' CDFs", scale: 0.8, edge: 1.5, """
            data y: real<lower=0>[3] = [0.4, 1.1, 2.3]
            param a: real<lower=0>
            param s: real<lower=0>
            param z: real<lower=0>
            target += exponential_lcdf(y | a) + exponential_lccdf(z | a)
            target += weibull_lcdf(y | a, s) + weibull_lccdf(z | a, s)
            target += frechet_lcdf(y | a, s) + frechet_lccdf(z | a, s)
            target += rayleigh_lcdf(y | s) + rayleigh_lccdf(z | s)
            """),
        InlineCase("pareto and uniform CDFs", edge: 2, """
            data y: real<lower=1>[3] = [1.4, 1.1, 2.3]
            param ym: real<lower=0, upper=1>
            param a: real<lower=0>
            param lo: real<upper=1>
            param hi: real<lower=2.3>
            target += pareto_lcdf(y | ym, a) + pareto_lccdf(y | ym, a)
            target += uniform_lcdf(y | lo, hi) + uniform_lccdf(y | lo, hi)
            """),
        InlineCase("gamma-type CDFs (shape derivatives of the incomplete gamma function)", scale: 1, edge: 2, """
            data y: real<lower=0>[3] = [0.4, 1.1, 2.3]
            param a: real<lower=0>
            param s: real<lower=0>
            param z: real<lower=0>
            target += gamma_lcdf(y | a, s) + gamma_lccdf(z | a, s) + gamma_lccdf(y | a + 1, 2)
            target += inv_gamma_lcdf(y | a, s) + inv_gamma_lccdf(z | a, s)
            target += chi_square_lcdf(y | a) + chi_square_lccdf(z | a) + inv_chi_square_lcdf(y | a)
            target += inv_chi_square_lccdf(z | a) + scaled_inv_chi_square_lcdf(y | a, s) + scaled_inv_chi_square_lccdf(z | a, s)
            """),
        InlineCase("beta, student_t, neg_binomial_2 CDFs (shape derivatives of the incomplete beta function)", scale: 1,
                   edge: 2, """
            data y: real[3] = [-0.4, 1.1, 2.3]
            data u: real<lower=0, upper=1>[3] = [0.2, 0.55, 0.9]
            data k: int[3] = [0, 3, 8]
            param a: real<lower=0>
            param b: real<lower=0>
            param mu: real
            param th: real<lower=0, upper=1>
            target += beta_lcdf(u | a, b) + beta_lccdf(u | a, b) + beta_lcdf(th | a, 2) + beta_lccdf(th | 1.5, b)
            target += student_t_lcdf(y | a + 1, mu, b) + student_t_lccdf(y | a + 1, mu, b) + student_t_lcdf(mu | 3, 0, 1)
            target += neg_binomial_2_lcdf(k | a, b) + neg_binomial_2_lccdf(k | a, b)
            """),
        InlineCase("poisson and binomial CDFs", edge: 3, """
            data k: int[4] = [0, 3, 1, 7]
            data n: int[4] = [2, 5, 4, 10]
            param lambda: real<lower=0>
            param theta: real<lower=0, upper=1>
            target += poisson_lcdf(k | lambda) + poisson_lccdf(k | lambda) + poisson_cdf(2 | lambda)
            target += binomial_lcdf(k | n, theta) + binomial_lccdf(k | n, theta)
            """),
    ]

    @Test(arguments: cases)
    func gradientsAndHessians(_ c: InlineCase) throws { try checkInlineModel(c) }
}
