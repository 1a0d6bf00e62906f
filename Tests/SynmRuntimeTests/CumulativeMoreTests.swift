// The CDFs of bernoulli, neg_binomial, beta_binomial, beta_proportion and skew_normal.
// References: scipy 1.17.1 (stats bernoulli, nbinom with p = β/(1 + β), betabinom, beta with
// (μκ, (1 − μ)κ): logcdf/logsf; beta_proportion's −3.36e-10 cross-checked with mpmath betainc
// at 50 digits) and, for skew_normal, 50-digit mpmath 1.3.0 quadrature of the density
// 2φ(t)Φ(αt) (scripts/reference/skew_normal_cdf.py), which also covers the tails where
// Φ(z) − 2T(z, α) cancels.
import Foundation
import Testing
@testable import SynmRuntime
import SynmFrontend
import SynmDistributions

@Suite struct CumulativeMoreTests {
    static let valueCases: [(String, Double)] = [
        ("bernoulli_lcdf(0 | 0.3)", -0.35667494393873245),
        ("bernoulli_lccdf(0 | 0.3)", -1.2039728043259361),
        ("bernoulli_lcdf(1 | 0.3)", 0),
        ("bernoulli_lccdf(1 | 0.3)", -.infinity),
        ("neg_binomial_lcdf(3 | 2.5, 0.8)", -0.4453709108326971),
        ("neg_binomial_lccdf(3 | 2.5, 0.8)", -1.0232821084454555),
        ("neg_binomial_lcdf(0 | 4.0, 2.0)", -1.6218604324326578),
        ("neg_binomial_lccdf(0 | 4.0, 2.0)", -0.22006188477680164),
        ("neg_binomial_lcdf(12 | 1.5, 0.3)", -0.07643045480366963),
        ("neg_binomial_lccdf(12 | 1.5, 0.3)", -2.609345877802667),
        ("beta_binomial_lcdf(3 | 10, 2.0, 3.0)", -0.78845736036427),
        ("beta_binomial_lccdf(3 | 10, 2.0, 3.0)", -0.6061358035703156),
        ("beta_binomial_lcdf(0 | 5, 0.5, 0.5)", -1.4020427180880297),
        ("beta_binomial_lccdf(0 | 5, 0.5, 0.5)", -0.2824872555746769),
        ("beta_binomial_lcdf(8 | 9, 4.0, 1.5)", -0.19961847193554957),
        ("beta_binomial_lccdf(8 | 9, 4.0, 1.5)", -1.709496847636538),
        ("beta_binomial_lcdf(9 | 9, 4.0, 1.5)", 0),
        ("beta_proportion_lcdf(0.3 | 0.4, 5.0)", -1.0546911016101816),
        ("beta_proportion_lccdf(0.3 | 0.4, 5.0)", -0.42817094564380226),
        ("beta_proportion_lcdf(0.95 | 0.2, 10.0)", -3.359375000564294e-10),
        ("beta_proportion_lccdf(0.95 | 0.2, 10.0)", -21.814095985172457),
        ("skew_normal_lcdf(0.7 | 0.2, 1.5, 2.0)", -1.1668798009047872),
        ("skew_normal_lccdf(0.7 | 0.2, 1.5, 2.0)", -0.3730030394234934),
        ("skew_normal_lcdf(-1.0 | 0.5, 0.8, -1.5)", -2.801084655666963),
        ("skew_normal_lccdf(-1.0 | 0.5, 0.8, -1.5)", -0.06266735595726214),
        ("skew_normal_lcdf(-3.0 | 0, 1, 4.0)", -84.08103020990212),
        ("skew_normal_lccdf(-3.0 | 0, 1, 4.0)", -3.048404170420537e-37),
        ("skew_normal_lccdf(5.0 | 0, 1, -3.0)", -132.77707136334658),
        ("skew_normal_lcdf(5.0 | 0, 1, -3.0)", -2.1659607561811265e-58),
        ("skew_normal_lccdf(-0.5 | 0, 1, 30.0)", -5.687863421493772e-54),
        ("skew_normal_lcdf(-6.0 | 0, 1, 2.0)", -97.04852108630436),
        ("skew_normal_lccdf(-6.0 | 0, 1, 2.0)", -7.118079190693241e-43),
        ("skew_normal_lcdf(2.5 | 0, 1, 0.0)", -0.006229025485860002),
        ("skew_normal_lccdf(2.5 | 0, 1, 0.0)", -5.08164827727869),
        ("skew_normal_lcdf(-0.5 | 0, 1, 30.0)", -122.60126034115818),
        ("skew_normal_lcdf(8.0 | 0, 1, 0.5)", -1.24416083958492e-15),
        ("skew_normal_lccdf(8.0 | 0, 1, 0.5)", -34.32031511668039),
        // von_mises on [−π, π] (Stan's support), against 40-digit mpmath quadrature of the
        // density exp(κ cos(t − μ))/(2π I₀(κ)) from −π, breakpoint at the mode (scripts/reference/von_mises_cdf.py).
        ("von_mises_lcdf(0.5 | 0.2, 2.0)", -0.42743447075078517),
        ("von_mises_lccdf(0.5 | 0.2, 2.0)", -1.0560705696376214),
        ("von_mises_lcdf(-2.0 | 0.3, 5.0)", -9.435900458037525),
        ("von_mises_lccdf(-2.0 | 0.3, 5.0)", -7.981009535872975e-05),
        ("von_mises_lcdf(1.0 | -2.5, 0.7)", -0.356875268538355),
        ("von_mises_lccdf(1.0 | -2.5, 0.7)", -1.2035055362620208),
        ("von_mises_lcdf(2.9 | 3.5, 12.0)", -0.09376810181999928),
        ("von_mises_lccdf(2.9 | 3.5, 12.0)", -2.4134482720677863),
        ("von_mises_lcdf(0.1 | 0.0, 150.0)", -0.1172364977110823),
        ("von_mises_lccdf(0.1 | 0.0, 150.0)", -2.2016076676526817),
        ("von_mises_lcdf(-0.3 | 0.0, 150.0)", -8.968143892411504),
        ("von_mises_lccdf(-0.3 | 0.0, 150.0)", -0.00012741256582956292),
        ("von_mises_lcdf(3.5 | 0.0, 1.0)", 0),
    ]

    @Test("values against scipy and mpmath", arguments: valueCases)
    func values(_ expression: String, _ expected: Double) throws {
        let v = try functionValue(expression)
        if expected.isInfinite || expected == 0 {
            #expect(v == expected, "\(expression) = \(v)")
        } else {
            // von_mises: the series' absolute accuracy (~1e-15 in F) bounds log F's error by 1e-15/F.
            let tolerance = expression.hasPrefix("von_mises") ? max(1e-12 * abs(expected), 1e-14 / exp(-abs(expected)))
                : 1e-12 * abs(expected)
            #expect(abs(v - expected) <= tolerance, "\(expression) = \(v), expected \(expected)")
        }
    }

    /// ∂/∂y log F = f/F and ∂/∂y log(1 − F) = −f/(1 − F) for beta_proportion and
    /// skew_normal, with f from the (independently tested) log density.
    @Test("the y-derivative is the density over the CDF")
    func densityIdentity() {
        for (d, args, ys) in [(Distribution.betaProportion, [0.35, 6.0], [0.1, 0.4, 0.85]),
                              (.skewNormal, [0.3, 1.4, 2.5], [-2.0, 0.1, 1.9]),
                              (.skewNormal, [0.3, 1.4, -0.7], [-2.0, 0.1, 1.9])] {
            for y in ys {
                var p = DensityPartials<Double>()
                let c = args.count > 2 ? args[2] : 0
                let lpdf = Distribution.logDensity(d, y, args: args)
                let lcdf = Distribution.logCDF(d, variate: y, args[0], args[1], c, upper: false, partials: &p)
                #expect(abs(p.variate - exp(lpdf - lcdf)) <= 1e-12 * exp(lpdf - lcdf), "\(d.name) at \(y)")
                let lccdf = Distribution.logCDF(d, variate: y, args[0], args[1], c, upper: true, partials: &p)
                #expect(abs(p.variate + exp(lpdf - lccdf)) <= 1e-12 * exp(lpdf - lccdf), "\(d.name) upper at \(y)")
                #expect(abs(exp(lcdf) + exp(lccdf) - 1) <= 1e-14, "\(d.name): F + (1 − F) = 1 at \(y)")
            }
        }
    }

    /// Counts: F(k) − F(k − 1) is the pmf at k.
    @Test("count CDFs step by the pmf")
    func countSteps() {
        for (d, args) in [(Distribution.negBinomial, [2.5, 0.8]), (.betaBinomial, [10, 2.0, 3.0]), (.bernoulli, [0.3])] {
            var p = DensityPartials<Double>()
            let c = args.count > 2 ? args[2] : 0, b = args.count > 1 ? args[1] : 0
            var previous = 0.0
            for k in 0...6 {
                let f = exp(Distribution.logCDF(d, variate: Double(k), args[0], b, c, upper: false, partials: &p))
                let pmf = exp(Distribution.logDensity(d, Double(k), args: args))
                #expect(abs(f - previous - pmf) <= 1e-14, "\(d.name) at \(k)")
                previous = f
            }
        }
    }

    @Test("domain errors are located", arguments: [
        ("skew_normal_lcdf(0.5 | 0, -1, 2)", "skew_normal: omega must be > 0, got -1"),
        ("bernoulli_lccdf([0, 1] | [0.5, 1.5])", "bernoulli: theta must be in [0, 1], got 1.5 (row 2)"),
    ])
    func errors(_ expression: String, _ message: String) throws {
        try expectLocatedRuntimeError(message) { _ = try functionValue(expression) }
    }

    static let cases: [InlineCase] = [
        InlineCase("skew_normal and beta_proportion CDFs", scale: 1, edge: 2, """
            data y: real[3] = [-0.4, 1.1, 2.3]
            data u: real<lower=0, upper=1>[3] = [0.2, 0.55, 0.9]
            param mu: real
            param s: real<lower=0>
            param al: real
            param m: real<lower=0, upper=1>
            param k: real<lower=0>
            target += skew_normal_lcdf(y | mu, s, al) + skew_normal_lccdf(y | mu, s, al) + skew_normal_lcdf(mu | 0, 1, al)
            target += beta_proportion_lcdf(u | m, k) + beta_proportion_lccdf(u | m, k) + beta_proportion_lcdf(m | 0.4, k)
            """),
        InlineCase("von_mises CDFs", scale: 1, edge: 2, """
            data y: real[3] = [-2.4, 0.3, 2.3]
            param mu: real<lower=-1, upper=1>
            param k: real<lower=0>
            target += von_mises_lcdf(y | mu, k) + von_mises_lccdf(y | mu, k) + von_mises_lcdf(mu | 0.5, k + 1)
            """),
        InlineCase("bernoulli, neg_binomial, beta_binomial CDFs", scale: 1, edge: 2, """
            data k: int[4] = [0, 3, 1, 7]
            data n: int[4] = [2, 5, 4, 10]
            data b: int[3] = [0, 1, 0]
            param th: real<lower=0, upper=1>
            param a: real<lower=0>
            param c: real<lower=0>
            target += bernoulli_lcdf(b | th) + bernoulli_lccdf(0 | th)
            target += neg_binomial_lcdf(k | a, c) + neg_binomial_lccdf(k | a, c)
            target += beta_binomial_lcdf(k | n, a, c) + beta_binomial_lccdf(k | n, a, c)
            """),
        InlineCase("truncated skew_normal and beta_binomial", scale: 1, edge: 2, """
            data y: real[3] = [-0.4, 1.1, 2.3]
            data k: int[3] = [1, 3, 4]
            param mu: real
            param s: real<lower=0>
            param al: real
            param a: real<lower=0>
            y ~ skew_normal(mu, s, al) T[-1, 3]
            k ~ beta_binomial(6, a, 2) T[1, 5]
            mu ~ normal(0, 1)
            al ~ normal(0, 2)
            """),
    ]

    @Test(arguments: cases)
    func gradientsAndHessians(_ c: InlineCase) throws { try checkInlineModel(c) }
}
