// Small models for the end-to-end `synm run` / `synm sbc` tests, as Swift strings (a folder of
// .synm files inside the test target would be an unhandled resource). Tests write them to a
// temporary directory. Each conjugate model states its exact posterior.
import Foundation

enum RunModels {
    /// Normal–normal with known σ = 2: with prior μ ~ N(0, 3²) and n = 10 observations the
    /// posterior is N(m, s²) with precision 1/s² = 1/9 + n/4 and mean m = s²·Σy/4.
    static let normalNormal = """
        # normal–normal with known sigma = 2: the posterior of mu is normal exactly
        data y: real[N] = [1.2, 3.4, 0.7, 2.9, 2.2, 4.1, 1.8, 2.5, 3.3, 0.4]
        param mu: real
        mu ~ normal(0, 3)
        y ~ normal(mu, 2)
        """
    static let normalNormalY = [1.2, 3.4, 0.7, 2.9, 2.2, 4.1, 1.8, 2.5, 3.3, 0.4]
    static var normalNormalExact: (mean: Double, sd: Double) {
        let precision = 1.0 / 9 + Double(normalNormalY.count) / 4
        return ((normalNormalY.reduce(0, +) / 4) / precision, (1 / precision).squareRoot())
    }

    /// Gamma–Poisson: prior λ ~ Gamma(3, rate 1), Σy = 24 over n = 8 counts, so the posterior
    /// is Gamma(27, rate 9): mean 3, sd √27/9.
    static let gammaPoisson = """
        # gamma–poisson: the posterior of lambda is Gamma(3 + sum y, 1 + N) exactly
        data y: int<lower=0>[N] = [2, 4, 3, 1, 5, 2, 3, 4]
        param lambda: real<lower=0>
        lambda ~ gamma(3, 1)
        y ~ poisson(lambda)
        """
    static let gammaPoissonExact = (mean: 27.0 / 9, sd: 27.0.squareRoot() / 9)

    /// models/coin.synm: 14 heads in 20 flips under a Beta(1, 1) prior, so Beta(15, 7).
    static let coinExact = (mean: 15.0 / 22, sd: (15.0 * 7 / (22 * 22 * 23)).squareRoot())

    /// Eight schools, centred: the classic funnel on which NUTS diverges at adapt_delta 0.8.
    static let eightSchoolsCentred = """
        # eight schools, centred (Rubin 1981): divergences expected
        data J: int<lower=1> = 8
        data y: real[J] = [28, 8, -3, 7, -1, 1, 18, 12]
        data sigma: real<lower=0>[J] = [15, 10, 16, 11, 9, 11, 10, 18]
        param mu: real
        param tau: real<lower=0>
        param theta: real[J]
        mu ~ normal(0, 5)
        tau ~ cauchy(0, 5)
        theta ~ normal(mu, tau)
        y ~ normal(theta, sigma)
        """

    /// A density that is −∞ everywhere: log of a negative number for every x.
    static let initialisationFails = """
        param x: real
        target += log(-1 - x^2)
        """

    /// SBC: normal mean with known sd and a normal prior (n = 5 observations).
    static let sbcNormalMean = """
        data y: real[5] = [0, 0, 0, 0, 0]
        param mu: real
        mu ~ normal(0, 2)
        y ~ normal(mu, 1)
        """

    /// SBC: beta–bernoulli (n = 10 flips).
    static let sbcBetaBernoulli = """
        data y: int<lower=0, upper=1>[10] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        param p: real<lower=0, upper=1>
        p ~ beta(2, 2)
        y ~ bernoulli(p)
        """

    /// SBC negative control. Simulation draws μ from `mu ~ normal(0, 2)` only; the fit also
    /// adds `target += normal_lpdf(mu | 0, 1)`, which simulation ignores (it cannot draw from
    /// a `target +=` term). So the fitted prior is N(0, 2)·N(0, 1) ∝ N(0, 0.894²), narrower
    /// than the N(0, 2²) the true values come from: the posterior is over-confident and
    /// shrunk toward 0, true values fall in the rank tails too often, and the ranks are
    /// ∪-shaped. A real miscalibration of exactly the kind SBC exists to catch.
    static let sbcMiscalibrated = """
        data y: real[2] = [0, 0]
        param mu: real
        mu ~ normal(0, 2)
        target += normal_lpdf(mu | 0, 1)
        y ~ normal(mu, 1)
        """
}
