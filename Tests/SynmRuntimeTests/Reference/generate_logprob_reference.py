#!/usr/bin/env python3
"""Reference log densities for synm's runtime, from scipy.stats.

For a small model per distribution (every one of the 36 in
Sources/SynmFrontend/Sema/Builtins.swift but the multivariate ones, which
generate_multivariate_reference.py covers; vectorised over a few rows, data embedded in the
model text), computes the normalised log density at a few constrained parameter points:
the sum over rows of scipy's logpdf/logpmf, summed with math.fsum. Writes
../ScipyReferenceValues.swift (the model texts, the points and the values), which
ScipyReferenceTests.swift compares with `CompiledModel.evaluate(x, options:
.init(unconstrained: false, jacobian: false))`.

Run from anywhere:  python3 Tests/SynmRuntimeTests/Reference/generate_logprob_reference.py
"""
import math
import os
import sys

import numpy as np
import scipy
from scipy import special, stats
from scipy.special import expit, gammaln, log_expit

Y = [-1.2, 0.3, 2.5, 0.8]                 # real rows
YP = [0.2, 1.5, 3.1, 0.05]                # positive rows
YU = [0.1, 0.5, 0.93, 0.27]               # rows in (0, 1)
X = [0.5, -1.25, 2.0, 0.1]                # a covariate
N = [1, 5, 4, 10]                         # trials
K = [0, 3, 1, 7]                          # counts (K <= N)
B = [0, 1, 1, 0]                          # bits


def arr(xs):
    return "[" + ", ".join(repr(x) for x in xs) + "]"


def total(values):
    return math.fsum(float(v) for v in np.atleast_1d(values))


CASES = []


def bernoulli_logit_logpmf(y, eta):
    """log p(y | logit p = eta) through scipy.special.log_expit. stats.bernoulli.logpmf(y,
    expit(eta)) would form 1 - expit(eta), which loses about eta/2.3 digits for large eta
    (8 digits at eta = 20); log_expit(-eta) keeps them."""
    return np.where(y == 1, log_expit(eta), log_expit(-eta))


def binomial_logit_logpmf(k, n, eta):
    """log C(n, k) + k log p + (n - k) log(1 - p) with p = expit(eta), as above."""
    return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1) + k * log_expit(eta) + (n - k) * log_expit(-eta)


# Where expit(eta) is moderate the two forms must agree with scipy.stats.
_eta = np.array([-2.0, 0.3, 1.7, 2.9])
assert np.allclose(bernoulli_logit_logpmf(np.array(B), _eta), stats.bernoulli.logpmf(B, expit(_eta)), rtol=1e-13)
assert np.allclose(binomial_logit_logpmf(np.array(K), np.array(N), _eta), stats.binom.logpmf(K, N, expit(_eta)),
                   rtol=1e-13)


def log_jacobian(point, bounds):
    """The closed-form log-Jacobian of the constraining transforms at constrained values:
    log(x - lb) for a lower bound, log(ub - x) for an upper bound, and
    log(x - lb) + log(ub - x) - log(ub - lb) for both (Stan reference manual,
    "Constraint transforms")."""
    terms = []
    for param, (lo, hi) in bounds(point).items():
        for v in np.atleast_1d(point[param]):
            if lo is not None and hi is not None:
                terms += [math.log(v - lo), math.log(hi - v), -math.log(hi - lo)]
            elif lo is not None:
                terms.append(math.log(v - lo))
            elif hi is not None:
                terms.append(math.log(hi - v))
    return math.fsum(terms)


def case(name, text, points, logp, bounds):
    """points: list of {param: value or list}; logp(**point) -> normalised log density;
    bounds(point) -> {param: (lower or None, upper or None)} for the bounded parameters."""
    CASES.append((name, text.strip() + "\n", [(p, logp(**p), log_jacobian(p, bounds)) for p in points]))


y, yp, yu, x = np.array(Y), np.array(YP), np.array(YU), np.array(X)
n, k, b = np.array(N), np.array(K), np.array(B)

case("normal", f"""
data y: real[4] = {arr(Y)}
param mu: real
param sigma: real<lower=0>
param z: real<upper=3>
y ~ normal(mu, sigma)
z ~ normal(mu, 2 * sigma)
""", [dict(mu=0.3, sigma=1.7, z=-0.4), dict(mu=-2.0, sigma=0.4, z=2.9), dict(mu=5.0, sigma=12.0, z=-30.0)],
    lambda mu, sigma, z: total(stats.norm.logpdf(y, mu, sigma)) + total(stats.norm.logpdf(z, mu, 2 * sigma)),
    lambda p: {"sigma": (0, None), "z": (None, 3)})

case("student_t", f"""
data y: real[4] = {arr(Y)}
param nu: real<lower=1, upper=50>
param mu: real
param sigma: real<lower=0>
y ~ student_t(nu, mu, sigma)
""", [dict(nu=3.5, mu=0.2, sigma=1.1), dict(nu=1.2, mu=-1.0, sigma=0.3), dict(nu=49.0, mu=2.0, sigma=4.0)],
    lambda nu, mu, sigma: total(stats.t.logpdf(y, nu, mu, sigma)),
    lambda p: {"nu": (1, 50), "sigma": (0, None)})

case("cauchy", f"""
data y: real[4] = {arr(Y)}
param mu: real
param sigma: real<lower=0>
param z: real<lower=-5, upper=5>
y ~ cauchy(mu, sigma)
z ~ cauchy(mu, sigma)
""", [dict(mu=0.3, sigma=1.7, z=0.1), dict(mu=-2.0, sigma=0.05, z=4.99), dict(mu=8.0, sigma=20.0, z=-4.5)],
    lambda mu, sigma, z: total(stats.cauchy.logpdf(np.append(y, z), mu, sigma)),
    lambda p: {"sigma": (0, None), "z": (-5, 5)})

case("double_exponential", f"""
data y: real[4] = {arr(Y)}
param mu: real
param sigma: real<lower=0>
y ~ double_exponential(mu, sigma)
""", [dict(mu=0.3, sigma=1.7), dict(mu=-2.0, sigma=0.4), dict(mu=2.5, sigma=7.0)],
    lambda mu, sigma: total(stats.laplace.logpdf(y, mu, sigma)),
    lambda p: {"sigma": (0, None)})

case("logistic", f"""
data y: real[4] = {arr(Y)}
param mu: real
param sigma: real<lower=0>
y ~ logistic(mu, sigma)
""", [dict(mu=0.3, sigma=1.7), dict(mu=-2.0, sigma=0.1), dict(mu=40.0, sigma=3.0)],
    lambda mu, sigma: total(stats.logistic.logpdf(y, mu, sigma)),
    lambda p: {"sigma": (0, None)})

case("lognormal", f"""
data yp: real<lower=0>[4] = {arr(YP)}
param mu: real
param sigma: real<lower=0>
param z: real<lower=0>
yp ~ lognormal(mu, sigma)
z ~ lognormal(mu, sigma)
""", [dict(mu=0.3, sigma=1.7, z=2.0), dict(mu=-2.0, sigma=0.4, z=1e-3), dict(mu=3.0, sigma=5.0, z=400.0)],
    lambda mu, sigma, z: total(stats.lognorm.logpdf(np.append(yp, z), sigma, scale=math.exp(mu))),
    lambda p: {"sigma": (0, None), "z": (0, None)})

case("exponential", f"""
data yp: real<lower=0>[4] = {arr(YP)}
param beta: real<lower=0>
yp ~ exponential(beta)
""", [dict(beta=0.7), dict(beta=1e-3), dict(beta=25.0)],
    lambda beta: total(stats.expon.logpdf(yp, scale=1 / beta)),
    lambda p: {"beta": (0, None)})

case("gamma", f"""
data yp: real<lower=0>[4] = {arr(YP)}
param alpha: real<lower=0>
param beta: real<lower=0>
param z: real<lower=0.01>
yp ~ gamma(alpha, beta)
z ~ gamma(alpha, beta)
""", [dict(alpha=2.5, beta=0.8, z=1.2), dict(alpha=0.3, beta=4.0, z=0.02), dict(alpha=40.0, beta=10.0, z=3.9)],
    lambda alpha, beta, z: total(stats.gamma.logpdf(np.append(yp, z), alpha, scale=1 / beta)),
    lambda p: {"alpha": (0, None), "beta": (0, None), "z": (0.01, None)})

case("inv_gamma", f"""
data yp: real<lower=0>[4] = {arr(YP)}
param alpha: real<lower=0>
param beta: real<lower=0>
yp ~ inv_gamma(alpha, beta)
""", [dict(alpha=2.5, beta=0.8), dict(alpha=0.3, beta=4.0), dict(alpha=12.0, beta=0.1)],
    lambda alpha, beta: total(stats.invgamma.logpdf(yp, alpha, scale=beta)),
    lambda p: {"alpha": (0, None), "beta": (0, None)})

case("weibull", f"""
data yp: real<lower=0>[4] = {arr(YP)}
param alpha: real<lower=0>
param sigma: real<lower=0>
yp ~ weibull(alpha, sigma)
""", [dict(alpha=1.5, sigma=2.0), dict(alpha=0.4, sigma=0.3), dict(alpha=6.0, sigma=3.5)],
    lambda alpha, sigma: total(stats.weibull_min.logpdf(yp, alpha, scale=sigma)),
    lambda p: {"alpha": (0, None), "sigma": (0, None)})

case("beta", f"""
data yu: real<lower=0, upper=1>[4] = {arr(YU)}
param a: real<lower=0>
param b: real<lower=0>
param theta: real<lower=0, upper=1>
yu ~ beta(a, b)
theta ~ beta(a + 1, b + 1)
""", [dict(a=2.0, b=3.0, theta=0.4), dict(a=0.5, b=0.7, theta=1e-4), dict(a=30.0, b=8.0, theta=0.9999)],
    lambda a, b, theta: total(stats.beta.logpdf(yu, a, b)) + total(stats.beta.logpdf(theta, a + 1, b + 1)),
    lambda p: {"a": (0, None), "b": (0, None), "theta": (0, 1)})

case("uniform", f"""
data y: real[4] = {arr(Y)}
param lo: real<upper=min(y)>
param hi: real<lower=max(y)>
param z: real<lower=lo, upper=hi>
y ~ uniform(lo, hi)
z ~ uniform(lo, hi)
""", [dict(lo=-2.0, hi=3.0, z=0.0), dict(lo=-1.3, hi=2.6, z=2.5), dict(lo=-100.0, hi=50.0, z=-99.0)],
    lambda lo, hi, z: total(stats.uniform.logpdf(np.append(y, z), lo, hi - lo)),
    lambda p: {"lo": (None, min(Y)), "hi": (max(Y), None), "z": (p["lo"], p["hi"])})

case("bernoulli", f"""
data b: int<lower=0, upper=1>[4] = {arr(B)}
param theta: real<lower=0, upper=1>
param thetas: real<lower=0, upper=1>[4]
b ~ bernoulli(theta)
b ~ bernoulli(thetas)
""", [dict(theta=0.3, thetas=[0.1, 0.5, 0.9, 0.2]), dict(theta=0.999, thetas=[0.01, 0.99, 0.5, 0.5])],
    lambda theta, thetas: total(stats.bernoulli.logpmf(b, theta)) + total(stats.bernoulli.logpmf(b, thetas)),
    lambda p: {"theta": (0, 1), "thetas": (0, 1)})

case("bernoulli_logit", f"""
data b: int<lower=0, upper=1>[4] = {arr(B)}
data x: real[4] = {arr(X)}
param alpha: real
param beta: real
b ~ bernoulli_logit(alpha + beta * x)
""", [dict(alpha=0.3, beta=-1.2), dict(alpha=-4.0, beta=2.5), dict(alpha=15.0, beta=10.0)],
    lambda alpha, beta: total(bernoulli_logit_logpmf(b, alpha + beta * x)),
    lambda p: {})

case("binomial", f"""
data n: int<lower=0>[4] = {arr(N)}
data k: int<lower=0>[4] = {arr(K)}
param theta: real<lower=0, upper=1>
k ~ binomial(n, theta)
""", [dict(theta=0.3), dict(theta=0.02), dict(theta=0.97)],
    lambda theta: total(stats.binom.logpmf(k, n, theta)),
    lambda p: {"theta": (0, 1)})

case("binomial_logit", f"""
data n: int<lower=0>[4] = {arr(N)}
data k: int<lower=0>[4] = {arr(K)}
data x: real[4] = {arr(X)}
param alpha: real
param beta: real
k ~ binomial_logit(n, alpha + beta * x)
""", [dict(alpha=0.3, beta=-1.2), dict(alpha=-3.0, beta=0.5), dict(alpha=1.0, beta=4.0)],
    lambda alpha, beta: total(binomial_logit_logpmf(k, n, alpha + beta * x)),
    lambda p: {})

case("poisson", f"""
data k: int<lower=0>[4] = {arr(K)}
param lambda: real<lower=0>
k ~ poisson(lambda)
""", [dict(**{"lambda": 2.5}), dict(**{"lambda": 0.01}), dict(**{"lambda": 80.0})],
    lambda **p: total(stats.poisson.logpmf(k, p["lambda"])),
    lambda p: {"lambda": (0, None)})

case("poisson_log", f"""
data k: int<lower=0>[4] = {arr(K)}
data x: real[4] = {arr(X)}
param alpha: real
param beta: real
k ~ poisson_log(alpha + beta * x)
""", [dict(alpha=0.3, beta=-1.2), dict(alpha=-3.0, beta=0.5), dict(alpha=2.0, beta=1.5)],
    lambda alpha, beta: total(stats.poisson.logpmf(k, np.exp(alpha + beta * x))),
    lambda p: {})

case("neg_binomial_2", f"""
data k: int<lower=0>[4] = {arr(K)}
param mu: real<lower=0>
param phi: real<lower=0>
k ~ neg_binomial_2(mu, phi)
""", [dict(mu=2.5, phi=1.5), dict(mu=0.2, phi=0.05), dict(mu=40.0, phi=300.0)],
    lambda mu, phi: total(stats.nbinom.logpmf(k, phi, phi / (mu + phi))),
    lambda p: {"mu": (0, None), "phi": (0, None)})

# The distributions added after the first 19 (Stan parameterisations; scipy.stats names).
G = [1, 3, 2, 3]                          # categories in 1..3
O = [1, 3, 4, 2]                          # ordinal outcomes in 1..4
g, o = np.array(G), np.array(O)

case("beta_binomial", f"""
data n: int<lower=0>[4] = {arr(N)}
data k: int<lower=0>[4] = {arr(K)}
param a: real<lower=0>
param b: real<lower=0>
k ~ beta_binomial(n, a, b)
""", [dict(a=2.0, b=3.5), dict(a=0.3, b=0.2), dict(a=40.0, b=15.0)],
    lambda a, b: total(stats.betabinom.logpmf(k, n, a, b)),
    lambda p: {"a": (0, None), "b": (0, None)})

case("neg_binomial", f"""
data k: int<lower=0>[4] = {arr(K)}
param alpha: real<lower=0>
param beta: real<lower=0>
k ~ neg_binomial(alpha, beta)
""", [dict(alpha=2.5, beta=0.8), dict(alpha=0.1, beta=0.05), dict(alpha=60.0, beta=20.0)],
    lambda alpha, beta: total(stats.nbinom.logpmf(k, alpha, beta / (1 + beta))),
    lambda p: {"alpha": (0, None), "beta": (0, None)})

case("von_mises", f"""
data y: real[4] = {arr(Y)}
param mu: real
param kappa: real<lower=0>
y ~ von_mises(mu, kappa)
""", [dict(mu=0.3, kappa=1.7), dict(mu=-2.0, kappa=0.05), dict(mu=0.5, kappa=40.0)],
    lambda mu, kappa: total(stats.vonmises.logpdf(y, kappa, loc=mu)),
    lambda p: {"kappa": (0, None)})

case("skew_normal", f"""
data y: real[4] = {arr(Y)}
param xi: real
param omega: real<lower=0>
param alpha: real
y ~ skew_normal(xi, omega, alpha)
""", [dict(xi=0.3, omega=1.7, alpha=2.0), dict(xi=-1.0, omega=0.8, alpha=-3.0), dict(xi=1.0, omega=4.0, alpha=0.0)],
    lambda xi, omega, alpha: total(stats.skewnorm.logpdf(y, alpha, loc=xi, scale=omega)),
    lambda p: {"omega": (0, None)})

case("gumbel", f"""
data y: real[4] = {arr(Y)}
param mu: real
param beta: real<lower=0>
y ~ gumbel(mu, beta)
""", [dict(mu=0.3, beta=1.7), dict(mu=-1.0, beta=0.8), dict(mu=2.0, beta=5.0)],
    lambda mu, beta: total(stats.gumbel_r.logpdf(y, mu, beta)),
    lambda p: {"beta": (0, None)})

case("pareto", f"""
data yp: real<lower=0>[4] = {arr(YP)}
param y_min: real<lower=0, upper=0.05>
param alpha: real<lower=0>
yp ~ pareto(y_min, alpha)
""", [dict(y_min=0.01, alpha=0.7), dict(y_min=0.04, alpha=2.5), dict(y_min=0.001, alpha=0.1)],
    lambda y_min, alpha: total(stats.pareto.logpdf(yp, alpha, scale=y_min)),
    lambda p: {"y_min": (0, 0.05), "alpha": (0, None)})

case("scaled_inv_chi_square", f"""
data yp: real<lower=0>[4] = {arr(YP)}
param nu: real<lower=0>
param s: real<lower=0>
yp ~ scaled_inv_chi_square(nu, s)
""", [dict(nu=3.0, s=0.8), dict(nu=0.5, s=0.2), dict(nu=30.0, s=1.5)],
    lambda nu, s: total(stats.invgamma.logpdf(yp, nu / 2, scale=nu * s * s / 2)),
    lambda p: {"nu": (0, None), "s": (0, None)})

case("chi_square", f"""
data yp: real<lower=0>[4] = {arr(YP)}
param nu: real<lower=0>
yp ~ chi_square(nu)
""", [dict(nu=3.0), dict(nu=0.4), dict(nu=25.0)],
    lambda nu: total(stats.chi2.logpdf(yp, nu)),
    lambda p: {"nu": (0, None)})

case("inv_chi_square", f"""
data yp: real<lower=0>[4] = {arr(YP)}
param nu: real<lower=0>
yp ~ inv_chi_square(nu)
""", [dict(nu=3.0), dict(nu=0.4), dict(nu=25.0)],
    lambda nu: total(stats.invgamma.logpdf(yp, nu / 2, scale=0.5)),
    lambda p: {"nu": (0, None)})

case("frechet", f"""
data yp: real<lower=0>[4] = {arr(YP)}
param alpha: real<lower=0>
param sigma: real<lower=0>
yp ~ frechet(alpha, sigma)
""", [dict(alpha=1.5, sigma=0.8), dict(alpha=0.3, sigma=0.1), dict(alpha=4.0, sigma=0.1)],
    lambda alpha, sigma: total(stats.invweibull.logpdf(yp, alpha, scale=sigma)),
    lambda p: {"alpha": (0, None), "sigma": (0, None)})

case("rayleigh", f"""
data yp: real<lower=0>[4] = {arr(YP)}
param sigma: real<lower=0>
yp ~ rayleigh(sigma)
""", [dict(sigma=1.2), dict(sigma=0.1), dict(sigma=9.0)],
    lambda sigma: total(stats.rayleigh.logpdf(yp, scale=sigma)),
    lambda p: {"sigma": (0, None)})

case("categorical", f"""
data g: int[4] = {arr(G)}
param v: real[3]
g ~ categorical(softmax(v))
""", [dict(v=[0.3, -1.0, 0.8]), dict(v=[5.0, -5.0, 0.0]), dict(v=[0.0, 0.0, 0.0])],
    lambda v: total(special.log_softmax(np.array(v))[g - 1]),
    lambda p: {})

case("categorical_logit", f"""
data g: int[4] = {arr(G)}
param v: real[3]
g ~ categorical_logit(v)
""", [dict(v=[0.3, -1.0, 0.8]), dict(v=[5.0, -5.0, 0.0]), dict(v=[0.0, 0.0, 0.0])],
    lambda v: total(special.log_softmax(np.array(v))[g - 1]),
    lambda p: {})


case("std_normal", f"""
data y: real[4] = {arr(Y)}
param z: real[2]
y ~ std_normal()
z ~ std_normal()
""", [dict(z=[0.3, -1.7]), dict(z=[5.0, 0.0])],
    lambda z: total(stats.norm.logpdf(y)) + total(stats.norm.logpdf(z)),
    lambda p: {})

case("beta_proportion", f"""
data yu: real<lower=0, upper=1>[4] = {arr(YU)}
param mu: real<lower=0, upper=1>
param kappa: real<lower=0>
yu ~ beta_proportion(mu, kappa)
""", [dict(mu=0.4, kappa=3.0), dict(mu=0.05, kappa=0.5), dict(mu=0.7, kappa=200.0)],
    lambda mu, kappa: total(stats.beta.logpdf(yu, mu * kappa, (1 - mu) * kappa)),
    lambda p: {"mu": (0, 1), "kappa": (0, None)})


def ordered_logistic_logpmf(y, eta, c):
    """log(expit(eta - c[y-2]) - expit(eta - c[y-1])) with expit(eta - c[-1]) = 1, expit(eta - c[K-1]) = 0."""
    cc = np.concatenate([[-np.inf], np.asarray(c, float), [np.inf]])
    return np.log(special.expit(eta - cc[y - 1]) - special.expit(eta - cc[y]))


case("ordered_logistic", f"""
data o: int[4] = {arr(O)}
data x: real[4] = {arr(X)}
param beta: real
param c: real[3]
o ~ ordered_logistic(beta * x, c)
""", [dict(beta=0.7, c=[-1.0, 0.2, 1.5]), dict(beta=-1.5, c=[-3.0, -2.9, 4.0]), dict(beta=0.0, c=[0.1, 0.2, 0.3])],
    lambda beta, c: total(ordered_logistic_logpmf(o, beta * x, c)),
    lambda p: {})


def ordered_probit_logpmf(y, eta, c):
    """log(Phi(c[y-1] - eta) - Phi(c[y-2] - eta)) with c[-1] = -inf and c[K-1] = +inf, in
    50-digit mpmath: scipy's norm.cdf difference loses the upper tail (1 - Phi(7) cancels)."""
    import mpmath
    mpmath.mp.dps = 50
    cc = [-mpmath.inf] + [mpmath.mpf(float(v)) for v in c] + [mpmath.inf]
    return [float(mpmath.log(mpmath.ncdf(cc[int(k)] - mpmath.mpf(float(e))) - mpmath.ncdf(cc[int(k) - 1] - mpmath.mpf(float(e)))))
            for k, e in zip(y, eta)]


case("ordered_probit", f"""
data o: int[4] = {arr(O)}
data x: real[4] = {arr(X)}
param beta: real
param c: real[3]
o ~ ordered_probit(beta * x, c)
""", [dict(beta=0.7, c=[-1.0, 0.2, 1.5]), dict(beta=-1.5, c=[-3.0, -2.9, 4.0]), dict(beta=0.0, c=[0.1, 0.2, 0.3])],
    lambda beta, c: total(ordered_probit_logpmf(o, beta * x, c)),
    lambda p: {})

def swift_value(v):
    if isinstance(v, list):
        return "[" + ", ".join(repr(float(e)) for e in v) + "]"
    return "[" + repr(float(v)) + "]"


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ScipyReferenceValues.swift")
    lines = [
        "// Generated by Reference/generate_logprob_reference.py; do not edit by hand.",
        f"// scipy {scipy.__version__}, numpy {np.__version__}, Python {sys.version.split()[0]}.",
        "// Normalised log densities (sum over rows of scipy.stats logpdf/logpmf, math.fsum) at",
        "// constrained parameter points, for one small model per distribution.",
        "",
        "/// One model and its reference points.",
        "struct ScipyReferenceCase: Sendable, CustomStringConvertible {",
        "    var name: String",
        "    var model: String",
        "    /// Constrained values by parameter name, scipy's log density there, and the",
        "    /// closed-form log-Jacobian of the bound transforms at those values.",
        "    var points: [(values: [String: [Double]], logDensity: Double, logJacobian: Double)]",
        "    var description: String { name }",
        "}",
        "",
        "let scipyReferenceCases: [ScipyReferenceCase] = [",
    ]
    for name, text, points in CASES:
        lines.append("    ScipyReferenceCase(")
        lines.append(f"        name: {name!r},".replace("'", '"'))
        lines.append('        model: """')
        lines += ["            " + line for line in text.splitlines()]
        lines.append('            """,')
        lines.append("        points: [")
        for values, logp, logj in points:
            fields = ", ".join(f'"{key}": {swift_value(v)}' for key, v in values.items())
            lines.append(f"            ([{fields}], {logp!r}, {logj!r}),")
        lines.append("        ]),")
    lines.append("]")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {len(CASES)} cases to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
