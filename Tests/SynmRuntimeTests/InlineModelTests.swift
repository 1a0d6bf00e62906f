// Every function, operator, statement form and distribution of the language through tiny
// inline models (grammar/synm.ebnf), checked by `checkInlineModel`: exact gradient against
// finite differences (relative 1e-6), exact Hessian against finite differences of the
// gradient and for symmetry, and the Dual path's value against the Double path's.
import Foundation
import Testing
@testable import SynmRuntime

/// Parameters most function cases share: a on ℝ, b > 0, p in (0, 1), arrays v on ℝ, w > 0,
/// q in (0, 1), and a data array x.
let commonDeclarations = """
    data x: real[3] = [0.5, -1.25, 2.0]
    param a: real
    param b: real<lower=0>
    param p: real<lower=0, upper=1>
    param v: real[3]
    param w: real<lower=0>[3]
    param q: real<lower=0, upper=1>[3]

    """

func functionCase(_ name: String, scale: Double = 1.5, edge: Double = 6, kinks: [Double] = [], _ body: String) -> InlineCase {
    InlineCase(name, scale: scale, edge: edge, kinks: kinks, commonDeclarations + body)
}

enum InlineCases {
    static let functions: [InlineCase] = [
        functionCase("exp", edge: 4, "target += exp(a) + sum(exp(v)) + sum(exp(x) * v)"),
        functionCase("log", "target += log(b) + sum(log(w)) + log(p) + sum(log(q))"),
        functionCase("log1p", "target += log1p(b) + sum(log1p(w)) + log1p(-p) + sum(log1p(-q))"),
        functionCase("expm1", edge: 4, "target += expm1(a) + sum(expm1(v)) + expm1(-b)"),
        functionCase("sqrt", "target += sqrt(b) + sum(sqrt(w)) + sqrt(p) * a"),
        functionCase("square", "target += square(a) + sum(square(v)) + square(b) * a"),
        functionCase("pow", edge: 3, "target += pow(b, a) + sum(pow(w, 2.5)) + pow(2, a) + sum(pow(w, v)) + pow(p, 3)"),
        functionCase("abs", "target += abs(a) + sum(abs(v)) + abs(a - b) * p"),
        functionCase("inv_logit", "target += inv_logit(a) + sum(inv_logit(v)) + inv_logit(a * b)"),
        functionCase("logit", "target += logit(p) + sum(logit(q)) * a"),
        functionCase("lgamma", edge: 4, "target += lgamma(b) + sum(lgamma(w)) + lgamma(p)"),
        functionCase("log_sum_exp array", "target += log_sum_exp(v) + log_sum_exp(log(w)) + log_sum_exp([a, b, -a])"),
        functionCase("log_sum_exp pair", "target += log_sum_exp(a, b) + log_sum_exp(v[1], -v[2]) + log_sum_exp(a, 1.5)"),
        functionCase("sum", "target += sum(v) * a + sum(w) + sum(v * w)"),
        functionCase("mean", "target += mean(v) * a + mean(w) ^ 2"),
        functionCase("sd", "target += sd(v) + sd(w) * a + sd([a, b, p, 1.0])"),
        functionCase("dot_product", "target += dot_product(v, w) + dot_product(v, x) + dot_product(x, w) * a"),
        functionCase("min and max of arrays", "target += min(v) * max(w) + max(v) - min(w) * a"),
        functionCase("min and max of pairs", "target += min(a, b) + max(a, -b) * p + max(v[1], v[2]) * min(b, 2.0)"),
        functionCase("size", "target += size(v) * a + size(x) * b"),
        functionCase("log1p_exp", "target += log1p_exp(a) + sum(log1p_exp(v)) + log1p_exp(-b)"),
        functionCase("log_inv_logit", "target += log_inv_logit(a) + sum(log_inv_logit(v)) * b"),
        functionCase("log1m", "target += log1m(p) + sum(log1m(q)) + log1m(inv_logit(a))"),
        functionCase("Phi", "target += Phi(a) + sum(Phi(v)) + Phi(a * b)"),
        functionCase("tanh", "target += tanh(a) + sum(tanh(v)) * b"),
        functionCase("inv", "target += inv(b) + sum(inv(w)) + inv(p) * a"),
        functionCase("erf and erfc", "target += erf(a) + sum(erf(v)) * b + erfc(a) + sum(erfc(v)) + log(erfc(a * p))"),
        functionCase("Phi_approx", "target += Phi_approx(a) + sum(Phi_approx(v)) * b + log(Phi_approx(a))"),
        functionCase("inv_cloglog", "target += inv_cloglog(a) + sum(inv_cloglog(v)) * b + log(inv_cloglog(a))"),
        // Piecewise constant: derivative 0 away from the jumps (points kept off them).
        functionCase("floor, ceil, round, step, int_step, fabs",
                     kinks: (-8...8).flatMap { [Double($0), Double($0) + 0.5] }, """
            target += floor(a) * b + ceil(a) * b + round(a) * b + step(a) * b + int_step(a) * b + fabs(a) * b
            target += sum(floor(v) * w) + sum(int_step(v)) * a + sum(fabs(v))
            """),
        functionCase("fma", "target += fma(a, b, p) + sum(fma(v, w, x)) + sum(fma(a, v, 1.0)) * b"),
        functionCase("log_mix", "target += log_mix(p, a, -b) + sum(log_mix(q, v, x)) + log_mix(0.3, a, b) + log_mix(p, -1.0, 2.0)"),
        InlineCase("binary_log_loss", commonDeclarations + """
            data k: int[3] = [0, 1, 1]
            target += binary_log_loss(1, p) + binary_log_loss(0, p) * 2 + sum(binary_log_loss(k, q))
            """),
        functionCase("lchoose", edge: 4, "target += lchoose(b + p, b) + sum(lchoose(w + 1, w)) + lchoose(12.0, 10 * p)"),
        functionCase("lbeta", edge: 4, "target += lbeta(b, p) + sum(lbeta(w, q)) + lbeta(b, 2.5)"),
        functionCase("fmin and fmax", "target += fmin(a, b) + fmax(a, -b) * p + sum(fmax(v, x)) + sum(fmin(w, 1.5))"),
        functionCase("softmax and log_softmax", "target += dot_product(softmax(v), x) + sum(log_softmax(v) * w) + softmax(v)[1] * b"),
        functionCase("sort_asc and rank", "target += dot_product(sort_asc(v), x) + rank(v, 2) * a + sum(sort_asc(w) * x)"),
        functionCase("trigonometric and hyperbolic", edge: 4, """
            target += sin(a) + cos(a) * b + tan(a / 4) + sum(sin(v) * cos(q)) + asin(2 * p - 1) + acos(q[1]) * b
            target += atan(a) + sinh(a / 2) + cosh(a / 3) * p + asinh(a * b) + acosh(1 + b) + atanh(2 * p - 1)
            """),
        functionCase("log2, log10, exp2, cbrt, inv_sqrt, inv_square, log1m_exp, trunc",
                     kinks: (-8...8).map { Double($0) }, """
            target += log2(b) + sum(log10(w)) + exp2(a / 2) + cbrt(b) + sum(cbrt(w)) + inv_sqrt(b) + inv_square(1 + b)
            target += log1m_exp(-b) + sum(log1m_exp(-w)) + trunc(a) * b
            """),
        functionCase("inv_Phi, tgamma, log_inv_logit_diff, multiply_log, binomial_coefficient_log, choose", edge: 3, """
            target += inv_Phi(p) + sum(inv_Phi(q)) * b + tgamma(1 + p) + tgamma(0.5 + q[1]) * a + log_inv_logit_diff(a, a - b) + multiply_log(b, p)
            target += binomial_coefficient_log(b + 3, b) + choose(6, 2) * a
            """),
        functionCase("log_diff_exp, lmultiply, atan2, hypot, fdim", """
            target += log_diff_exp(a, a - b) + sum(log_diff_exp(v, v - w)) + lmultiply(p, b) + sum(lmultiply(w, q))
            target += atan2(a, b) + atan2(v[1], v[2]) + hypot(a, b) + sum(hypot(v, w)) + fdim(a, b) + fdim(a, -b) * p
            """),
    ]

    static let operators: [InlineCase] = [
        functionCase("scalar arithmetic", edge: 3, """
            target += a + b - a * b / (1 + b) + b ^ a - -a + a ^ 2 + 2 ^ a - p / b
            target += -a ^ 2 + (a - 1) * (b + 2) / (p + 1)
            """),
        functionCase("element-wise arrays with broadcasting", edge: 3, """
            target += sum(v + w) + sum(v - x) + sum(v * w) + sum(w / (1 + w)) + sum(v * 2) + sum(3 - v)
            target += sum(a * v) + sum(v / b) + sum(-v) + sum(w ^ 2) + sum(2 ^ v) + sum(x * v) + sum(w ^ v)
            target += sum(v * a - w / b + q ^ p)
            """),
        functionCase("comparisons and logic", kinks: [0, -1, Foundation.log(2)], """
            target += (a > 0) * a ^ 2 + (a <= 0) * exp(a) + (b < 1 && a > -1) * b + (b >= 2 || a != 0) * a
            target += !(a == 0) * b + sum((v > 0) * v) + (p < 0.5) * p - (p >= 0.5) * square(p)
            """),
        InlineCase("indexing and matrix rows", """
            data x: real[3] = [0.5, -1.25, 2.0]
            param v: real[3]
            param M: real[2, 3]
            target += v[1] * v[2] + v[3] ^ 2 + M[2, 3] * v[1] + sum(M[1]) * x[2] + M[1, 2] * M[2, 1]
            """),
        InlineCase("multi-indexing", """
            data g: int[5] = [1, 3, 3, 2, 1]
            data y: real[5] = [-0.4, 1.1, 2.3, 0.2, -1.7]
            param v: real[3]
            param s: real<lower=0>
            y ~ normal(v[g], s)
            target += sum(v[g] * y) + sum(v[[2, 2, 1]])
            """),
        InlineCase("matrix times array", """
            data X: real[4, 3] = [[1, 0.5, -1], [0.2, -0.3, 2], [1.5, 1, 0], [-1, 2, 0.7]]
            data x: real[3] = [0.5, -1.25, 2.0]
            data y: real[4] = [0.3, 2.2, -0.8, 1.4]
            param v: real[3]
            param M: real[2, 3]
            param s: real<lower=0>
            y ~ normal(X * v, s)
            target += sum(M * v) + sum(M * x) - sum(square(M * v)) / 10
            """),
        InlineCase("array literals", """
            param a: real
            param b: real<lower=0>
            param v: real[3]
            target += sum([a, b, a * b] * v) + dot_product([1.0, a, 2.0], v) + log_sum_exp([a, 0.5, b])
            """),
        InlineCase("for loops and if/else", kinks: [0, -1], """
            data y: real[4] = [0.3, 2.2, -0.8, 1.4]
            param v: real[3]
            param s: real<lower=0>
            for i in 1..3 {
              if v[i] > 0 {
                target += -v[i] ^ 2
              } else if v[i] > -1 {
                target += v[i] * s
              } else {
                target += exp(v[i]) - s
              }
            }
            for j in 2..size(y) {
              y[j] ~ normal(y[j - 1] * v[1], s)
            }
            """),
        InlineCase("var locals: AR(K) recursion", """
            data K: int = 2
            data T: int = 8
            data y: real[T] = [0.4, 1.3, 0.9, -0.2, 0.5, 1.7, 1.1, 0.6]
            param alpha: real
            param beta: real[K]
            param sigma: real<lower=0>
            alpha ~ normal(0, 10)
            beta ~ normal(0, 10)
            sigma ~ cauchy(0, 2.5)
            var mu: real[T]
            for t in (K + 1)..T {
              mu[t] = alpha
              for k in 1..K {
                mu[t] = mu[t] + beta[k] * y[t - k]
              }
              y[t] ~ normal(mu[t], sigma)
            }
            """),
        InlineCase("var locals: ARMA(1, 1) errors", """
            data T: int = 7
            data y: real[T] = [0.4, 1.3, 0.9, -0.2, 0.5, 1.7, 1.1]
            param mu: real
            param phi: real
            param theta: real<lower=-1, upper=1>
            param sigma: real<lower=0>
            var nu: real[T]
            var err: real[T]
            nu[1] = mu + phi * mu
            err[1] = y[1] - nu[1]
            for t in 2..T {
              nu[t] = mu + phi * y[t - 1] + theta * err[t - 1]
              err[t] = y[t] - nu[t]
            }
            err ~ normal(0, sigma)
            var acc: real = 0
            for t in 1..T {
              acc = acc + square(err[t])
            }
            target += -acc / 100
            """),
        InlineCase("lets, target, lpdf and lpmf calls", edge: 2.5, """
            data y: real[5] = [-0.4, 1.1, 2.3, 0.2, -1.7]
            data k: int[5] = [0, 3, 1, 7, 2]
            param a: real
            param b: real<lower=0>
            let t = a * b
            let u = exp(t / 4)
            let m = [a, t, u]
            target += normal_lpdf(y | a, b) + poisson_lpmf(k | b) + t - u + sum(m) / 10
            target += student_t_lpdf(a | 3, 0, b) + bernoulli_logit_lpmf(1 | t)
            a - t ~ normal(0, b + 1)
            """),
    ]

    // MARK: - Distributions (the 36 of Builtins.swift), with every kind of bound

    static let y = "data y: real[5] = [-1.2, 0.3, 2.5, 0.8, -3.1]\n"
    static let yp = "data yp: real<lower=0>[5] = [0.2, 1.5, 3.1, 0.05, 7.0]\n"
    static let yu = "data yu: real<lower=0, upper=1>[4] = [0.1, 0.5, 0.93, 0.27]\n"
    static let counts = """
        data n: int<lower=0>[5] = [1, 5, 4, 10, 2]
        data k: int<lower=0>[5] = [0, 3, 1, 7, 2]
        data x: real[5] = [0.5, -1.25, 2.0, 0.1, -0.6]
        data yb: int<lower=0, upper=1>[5] = [0, 1, 1, 0, 1]

        """

    static func location(_ d: String, _ extra: String = "") -> InlineCase {
        InlineCase(d, y + """
            param mu: real
            param sigma: real<lower=0>
            param z: real[2]
            y ~ \(d)(\(extra)mu, sigma)
            z ~ \(d)(\(extra)mu, sigma)
            """)
    }

    static func positive(_ d: String, scale: Double = 1.5, edge: Double = 6) -> InlineCase {
        InlineCase(d, scale: scale, edge: edge, yp + """
            param alpha: real<lower=0>
            param beta: real<lower=0>
            param z: real<lower=0>[2]
            yp ~ \(d)(alpha, beta)
            z ~ \(d)(alpha, beta)
            """)
    }

    static let distributions: [InlineCase] = [
        location("normal"),
        InlineCase("student_t", y + """
            param nu: real<lower=0.5, upper=40>
            param mu: real
            param sigma: real<lower=0>
            param z: real[2]
            y ~ student_t(nu, mu, sigma)
            z ~ student_t(nu, mu, sigma)
            """),
        location("cauchy"),
        location("double_exponential"),
        location("logistic"),
        InlineCase("lognormal", yp + """
            param mu: real
            param sigma: real<lower=0>
            param z: real<lower=0>[2]
            yp ~ lognormal(mu, sigma)
            z ~ lognormal(mu, sigma)
            """),
        InlineCase("exponential", yp + """
            param lambda: real<lower=0>
            param z: real<lower=0>[2]
            yp ~ exponential(lambda)
            z ~ exponential(lambda)
            """),
        positive("gamma", edge: 4),
        positive("inv_gamma", edge: 4),
        positive("weibull", scale: 0.8, edge: 1.5),  // (y/σ)^α is steep in log α: keep α moderate
        InlineCase("beta", edge: 4, yu + """
            param a: real<lower=0>
            param b: real<lower=0>
            param theta: real<lower=0, upper=1>[2]
            yu ~ beta(a, b)
            theta ~ beta(a, b)
            """),
        // Bounds from data (min, max of y) and from earlier parameters (lo, hi).
        InlineCase("uniform", y + """
            param lo: real<upper=min(y)>
            param hi: real<lower=max(y)>
            param z: real<lower=lo, upper=hi>[2]
            y ~ uniform(lo, hi)
            z ~ uniform(lo, hi)
            """),
        InlineCase("bernoulli", counts + """
            param theta: real<lower=0, upper=1>
            param thetas: real<lower=0, upper=1>[5]
            yb ~ bernoulli(theta)
            yb ~ bernoulli(thetas)
            """),
        InlineCase("bernoulli_logit", counts + """
            param alpha: real
            param beta: real
            yb ~ bernoulli_logit(alpha + beta * x)
            yb ~ bernoulli_logit(alpha)
            """),
        InlineCase("binomial", counts + """
            param theta: real<lower=0, upper=1>
            param thetas: real<lower=0, upper=1>[5]
            k ~ binomial(n, theta)
            k ~ binomial(n, thetas)
            """),
        InlineCase("binomial_logit", counts + """
            param alpha: real
            param beta: real
            k ~ binomial_logit(n, alpha + beta * x)
            """),
        InlineCase("poisson", counts + """
            param lambda: real<lower=0>
            param lambdas: real<lower=0>[5]
            k ~ poisson(lambda)
            k ~ poisson(lambdas)
            """),
        InlineCase("poisson_log", edge: 3, counts + """
            param alpha: real
            param beta: real
            k ~ poisson_log(alpha + beta * x)
            """),
        InlineCase("neg_binomial_2", edge: 5, counts + """
            param mu: real<lower=0>
            param phi: real<lower=0>
            param alpha: real
            k ~ neg_binomial_2(mu, phi)
            k ~ neg_binomial_2(exp(alpha + x / 2), phi)
            """),
        InlineCase("beta_binomial", edge: 4, counts + """
            param a: real<lower=0>
            param b: real<lower=0>
            param c: real<lower=0>[5]
            k ~ beta_binomial(n, a, b)
            k ~ beta_binomial(n, c, b)
            """),
        InlineCase("neg_binomial", edge: 4, counts + """
            param a: real<lower=0>
            param b: real<lower=0>
            param alpha: real
            k ~ neg_binomial(a, b)
            k ~ neg_binomial(exp(alpha + x / 2), b)
            """),
        InlineCase("von_mises", edge: 4, y + """
            param mu: real
            param kappa: real<lower=0>
            param z: real[2]
            y ~ von_mises(mu, kappa)
            z ~ von_mises(mu, kappa + 1)
            """),
        InlineCase("skew_normal", edge: 4, y + """
            param xi: real
            param omega: real<lower=0>
            param alpha: real
            param z: real[2]
            y ~ skew_normal(xi, omega, alpha)
            z ~ skew_normal(xi, omega, alpha)
            """),
        // The left tail is doubly exponential (e^{−z}): keep the scale moderate, as weibull's.
        InlineCase("gumbel", scale: 0.8, edge: 1.5, y + """
            param mu: real
            param sigma: real<lower=0>
            param z: real[2]
            y ~ gumbel(mu, sigma)
            z ~ gumbel(mu, sigma)
            """),
        InlineCase("pareto", edge: 4, yp + """
            param y_min: real<lower=0, upper=min(yp)>
            param alpha: real<lower=0>
            param z: real<lower=y_min>[2]
            yp ~ pareto(y_min, alpha)
            z ~ pareto(y_min, alpha)
            """),
        InlineCase("scaled_inv_chi_square", edge: 4, yp + """
            param nu: real<lower=0>
            param s: real<lower=0>
            param z: real<lower=0>[2]
            yp ~ scaled_inv_chi_square(nu, s)
            z ~ scaled_inv_chi_square(nu, s)
            """),
        InlineCase("chi_square and inv_chi_square", edge: 4, yp + """
            param nu: real<lower=0>
            param z: real<lower=0>[2]
            yp ~ chi_square(nu)
            z ~ inv_chi_square(nu)
            yp ~ inv_chi_square(nu + 1)
            """),
        positive("frechet", scale: 0.8, edge: 1.5),
        InlineCase("rayleigh", yp + """
            param sigma: real<lower=0>
            param z: real<lower=0>[2]
            yp ~ rayleigh(sigma)
            z ~ rayleigh(sigma)
            """),
        InlineCase("std_normal", y + """
            param z: real[3]
            param a: real
            z ~ std_normal()
            y ~ std_normal()
            a ~ std_normal()
            """),
        InlineCase("beta_proportion", edge: 4, yu + """
            param mu: real<lower=0, upper=1>
            param kappa: real<lower=0>
            param theta: real<lower=0, upper=1>[2]
            yu ~ beta_proportion(mu, kappa)
            theta ~ beta_proportion(mu, kappa)
            """),
        // Distributions with an array argument: theta a softmax of parameters, cutpoints built
        // ordered from parameters.
        InlineCase("categorical and categorical_logit", edge: 4, """
            data g: int[6] = [1, 3, 3, 2, 1, 3]
            param v: real[3]
            param a: real
            g ~ categorical(softmax(v))
            g ~ categorical_logit(v * a)
            target += categorical_lpmf(2 | softmax([a, 0.5, -a])) + categorical_logit_lpmf(g[1] | v)
            """),
        InlineCase("ordered_logistic and ordered_probit", edge: 3, """
            data g: int[6] = [1, 3, 4, 2, 1, 3]
            data x: real[6] = [0.5, -1.25, 2.0, 0.1, -0.6, 1.1]
            param beta: real
            param c1: real
            param d: real[2]
            param e: real[6]
            let c = [c1, c1 + exp(d[1]), c1 + exp(d[1]) + exp(d[2])]
            g ~ ordered_logistic(beta * x, c)
            g ~ ordered_logistic(beta, c)
            g ~ ordered_logistic(e, c)
            g ~ ordered_probit(beta * x, c)
            g ~ ordered_probit(e, c)
            """),
        // Every kind of bound: lower, upper, both, from data, from an earlier parameter.
        InlineCase("bounds of every kind", yp + """
            param alpha1: real<lower=0, upper=1>
            param beta1: real<lower=0, upper=1 - alpha1>
            param s: real<lower=min(yp), upper=max(yp) + 1>
            param t: real<upper=-1>
            param w: real<lower=s>
            param r: real<lower=0.5>[2]
            alpha1 ~ beta(2, 2)
            beta1 ~ beta(2, 3)
            s ~ normal(3, 2)
            t ~ normal(-2, 1)
            w ~ gamma(2, 1)
            r ~ exponential(1)
            """),
    ]
}

@Suite struct InlineModelTests {
    @Test(arguments: InlineCases.functions)
    func function(_ c: InlineCase) throws { try checkInlineModel(c) }

    @Test(arguments: InlineCases.operators)
    func statementOrOperator(_ c: InlineCase) throws { try checkInlineModel(c) }

    @Test(arguments: InlineCases.distributions)
    func distribution(_ c: InlineCase) throws { try checkInlineModel(c) }

    /// All 36 distributions of the checker's vocabulary have a case above (chi_square and
    /// inv_chi_square share one, categorical and categorical_logit too).
    @Test func everyDistributionIsCovered() {
        let covered = Set(InlineCases.distributions.map(\.name))
        for name in ["normal", "student_t", "cauchy", "double_exponential", "logistic", "lognormal", "exponential",
                     "gamma", "inv_gamma", "weibull", "beta", "uniform", "bernoulli", "bernoulli_logit", "binomial",
                     "binomial_logit", "poisson", "poisson_log", "neg_binomial_2", "beta_binomial", "neg_binomial",
                     "von_mises", "skew_normal", "gumbel", "pareto", "scaled_inv_chi_square", "frechet", "rayleigh",
                     "categorical and categorical_logit", "ordered_logistic and ordered_probit", "std_normal", "beta_proportion"] {
            #expect(covered.contains(name), "no gradient case for \(name)")
        }
        // The multivariate ones: MultivariateDistributionTests' cases.
        let multivariate = Set(multivariateSignatures.keys)
        for name in multivariate {
            #expect(MultivariateCases.all.contains { $0.text.contains("\(name)(") || $0.text.contains("\(name)_lp") },
                    "no gradient case for \(name)")
        }
        #expect(builtinDistributionNames.count == 36 + multivariate.count)
    }

    /// Every built-in function has a case (some share one).
    @Test func everyFunctionIsCovered() {
        let text = (InlineCases.functions + InlineCases.operators).map(\.text).joined(separator: "\n")
        for f in builtinFunctionNames { #expect(text.contains("\(f)("), "no gradient case uses \(f)") }
    }
}

import SynmFrontend
let builtinDistributionNames = Array(builtinDistributions.keys)
let builtinFunctionNames = Array(builtinFunctions.keys)
