#!/usr/bin/env python3
"""Reference log densities of synm's multivariate distributions.

multi_normal, multi_normal_cholesky (Sigma = L L^T), multi_student_t, dirichlet, multinomial
and multinomial_logit from scipy.stats (multivariate_normal, multivariate_t, dirichlet,
multinomial), summed over rows with math.fsum. lkj_corr and lkj_corr_cholesky from the
closed-form normalising constant of Lewandowski, Kurowicka & Joe (2009), section 3.2,

    c_K(eta) = 2^{sum_k (2 eta - 2 + K - k)(K - k)} prod_k B(eta + (K - k - 1)/2, same)^{K - k},

with scipy.special.betaln; the constant itself is checked here against numerical
integration of det(Omega)^(eta - 1) over the 3 x 3 correlation matrices
(scipy.integrate.tplquad), and lkj_corr_cholesky's density is Stan's
prod_{i>=2} L_ii^{K - i + 2 eta - 2} / c_K(eta).

Writes ../MultivariateReferenceValues.swift: synm expressions and their values.
Run from anywhere:  python3 Tests/SynmRuntimeTests/Reference/generate_multivariate_reference.py
(the values committed were made with the interpreter, scipy and numpy versions in its header).
"""
import math
import os
import sys

import numpy as np
import scipy
from scipy import integrate, stats
from scipy.special import betaln, log_softmax


def lit(x):
    x = np.asarray(x, dtype=float)
    if x.ndim == 0:
        return repr(float(x))
    return "[" + ", ".join(lit(v) for v in x) + "]"


def ilit(x):
    x = np.asarray(x)
    if x.ndim == 1:
        return "[" + ", ".join(str(int(v)) for v in x) + "]"
    return "[" + ", ".join(ilit(v) for v in x) + "]"


def lkj_log_constant(eta, K):
    total = []
    for k in range(1, K):
        m = K - k
        total.append((2 * eta - 2 + m) * m * math.log(2.0))
        total.append(m * betaln(eta + (m - 1) / 2, eta + (m - 1) / 2))
    return math.fsum(total)


def check_lkj_constant(eta):
    # det of [[1, a, b], [a, 1, c], [b, c, 1]] = 1 - a^2 - b^2 - c^2 + 2abc; the region
    # det > 0 for given a, b is c in (ab - sqrt((1-a^2)(1-b^2)), ab + sqrt(...)).
    def f(c, b, a):
        d = 1 - a * a - b * b - c * c + 2 * a * b * c
        return d ** (eta - 1) if d > 0 else 0.0
    lo = lambda a, b: a * b - math.sqrt((1 - a * a) * (1 - b * b))
    hi = lambda a, b: a * b + math.sqrt((1 - a * a) * (1 - b * b))
    value, err = integrate.tplquad(f, -1, 1, -1, 1, lo, hi, epsabs=1e-12, epsrel=1e-10)
    closed = math.exp(lkj_log_constant(eta, 3))
    assert abs(value - closed) <= 1e-8 * closed, (eta, value, closed)
    return value


cases = []  # (expression, value, source)

# multi_normal: one vector, rows with a shared mu, rows with per-row mu, one y against rows of mu.
S2 = np.array([[1.5, 0.4], [0.4, 0.8]])
S3 = np.array([[2.0, 0.3, -0.5], [0.3, 1.0, 0.2], [-0.5, 0.2, 1.5]])
Y3 = np.array([[0.1, 0.3, -1.2], [1.2, -0.4, 0.5], [-0.5, 0.2, 2.2], [0.7, 1.1, 0.0]])
M3 = np.array([0.2, -0.1, 0.4])
MR3 = np.array([[0.0, 0.1, 0.2], [1.0, -1.0, 0.3], [0.5, 0.5, 0.5], [-0.2, 0.0, 0.1]])
mvn = stats.multivariate_normal
cases.append((f"multi_normal_lpdf({lit([0.3, -1.1])} | {lit([0.2, -0.1])}, {lit(S2)})",
              mvn.logpdf([0.3, -1.1], [0.2, -0.1], S2), "scipy.stats.multivariate_normal"))
cases.append((f"multi_normal_lpdf({lit(Y3)} | {lit(M3)}, {lit(S3)})",
              math.fsum(mvn.logpdf(y, M3, S3) for y in Y3), "scipy.stats.multivariate_normal"))
cases.append((f"multi_normal_lpdf({lit(Y3)} | {lit(MR3)}, {lit(S3)})",
              math.fsum(mvn.logpdf(y, m, S3) for y, m in zip(Y3, MR3)), "scipy.stats.multivariate_normal"))
cases.append((f"multi_normal_lpdf({lit(Y3[0])} | {lit(MR3)}, {lit(S3)})",
              math.fsum(mvn.logpdf(Y3[0], m, S3) for m in MR3), "scipy.stats.multivariate_normal"))
L3 = np.linalg.cholesky(S3)
cases.append((f"multi_normal_cholesky_lpdf({lit(Y3)} | {lit(M3)}, {lit(L3)})",
              math.fsum(mvn.logpdf(y, M3, L3 @ L3.T) for y in Y3), "scipy.stats.multivariate_normal, Sigma = L L^T"))
cases.append((f"multi_normal_cholesky_lpdf({lit([0.3, -1.1])} | {lit([0.2, -0.1])}, {lit(np.linalg.cholesky(S2))})",
              mvn.logpdf([0.3, -1.1], [0.2, -0.1], S2), "scipy.stats.multivariate_normal"))
mvt = stats.multivariate_t
for nu in (3.5, 30.0):
    cases.append((f"multi_student_t_lpdf({lit(Y3)} | {lit(nu)}, {lit(M3)}, {lit(S3)})",
                  math.fsum(mvt.logpdf(y, M3, S3, df=nu) for y in Y3), "scipy.stats.multivariate_t"))
cases.append((f"multi_student_t_lpdf({lit([0.3, -1.1])} | 4.0, {lit([0.2, -0.1])}, {lit(S2)})",
              mvt.logpdf([0.3, -1.1], [0.2, -0.1], S2, df=4.0), "scipy.stats.multivariate_t"))

# dirichlet: one simplex, rows with a shared alpha, rows with per-row alpha, alpha < 1.
T3 = np.array([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3], [0.05, 0.05, 0.9]])
A3 = np.array([1.5, 2.0, 0.7])
AR3 = np.array([[1.0, 1.0, 1.0], [3.0, 0.5, 2.0], [0.3, 0.4, 5.0]])
cases.append((f"dirichlet_lpdf({lit(T3[0])} | {lit(A3)})", stats.dirichlet.logpdf(T3[0], A3), "scipy.stats.dirichlet"))
cases.append((f"dirichlet_lpdf({lit(T3)} | {lit(A3)})", math.fsum(stats.dirichlet.logpdf(t, A3) for t in T3),
              "scipy.stats.dirichlet"))
cases.append((f"dirichlet_lpdf({lit(T3)} | {lit(AR3)})",
              math.fsum(stats.dirichlet.logpdf(t, a) for t, a in zip(T3, AR3)), "scipy.stats.dirichlet"))
cases.append((f"dirichlet_lpdf({lit([0.25, 0.25, 0.25, 0.25])} | {lit([0.1, 0.2, 0.3, 0.4])})",
              stats.dirichlet.logpdf([0.25] * 4, [0.1, 0.2, 0.3, 0.4]), "scipy.stats.dirichlet"))

# multinomial and multinomial_logit (N = sum(y), as Stan).
P4 = np.array([0.1, 0.2, 0.3, 0.4])
C4 = np.array([[3, 0, 5, 2], [1, 1, 1, 1], [0, 0, 0, 7]])
cases.append((f"multinomial_lpmf({ilit(C4[0])} | {lit(P4)})", stats.multinomial.logpmf(C4[0], C4[0].sum(), P4),
              "scipy.stats.multinomial"))
cases.append((f"multinomial_lpmf({ilit(C4)} | {lit(P4)})",
              math.fsum(stats.multinomial.logpmf(c, c.sum(), P4) for c in C4), "scipy.stats.multinomial"))
cases.append((f"multinomial_lpmf({ilit([0, 0, 0])} | {lit([0.2, 0.3, 0.5])})", 0.0, "an empty multinomial has probability 1"))
G4 = np.array([0.5, -1.0, 2.0, 0.1])
PG = np.exp(log_softmax(G4))
cases.append((f"multinomial_logit_lpmf({ilit(C4[0])} | {lit(G4)})", stats.multinomial.logpmf(C4[0], C4[0].sum(), PG),
              "scipy.stats.multinomial of softmax(gamma)"))

# lkj_corr and lkj_corr_cholesky.
for eta in (1.0, 1.5, 2.5):   # bounded integrands (eta >= 1), where quadpack converges
    check_lkj_constant(eta)
R3 = np.array([[1.0, 0.3, -0.2], [0.3, 1.0, 0.4], [-0.2, 0.4, 1.0]])
R4 = np.array([[1.0, 0.3, -0.2, 0.1], [0.3, 1.0, 0.4, 0.0], [-0.2, 0.4, 1.0, -0.3], [0.1, 0.0, -0.3, 1.0]])
for R in (R3, R4):
    K = R.shape[0]
    logdet = np.linalg.slogdet(R)[1]
    Lc = np.linalg.cholesky(R)
    for eta in (0.7, 1.0, 2.5):
        cases.append((f"lkj_corr_lpdf({lit(R)} | {lit(eta)})", (eta - 1) * logdet - lkj_log_constant(eta, K),
                      "Lewandowski et al. 2009 constant (scipy.special.betaln), numpy slogdet"))
        lp = math.fsum([(K - i + 2 * eta - 2) * math.log(Lc[i - 1, i - 1]) for i in range(2, K + 1)]) - lkj_log_constant(eta, K)
        cases.append((f"lkj_corr_cholesky_lpdf({lit(Lc)} | {lit(eta)})", lp,
                      "Stan's prod L_ii^(K-i+2eta-2) / Lewandowski et al. 2009 constant, numpy cholesky"))
rho = 0.35
cases.append((f"lkj_corr_lpdf({lit([[1.0, rho], [rho, 1.0]])} | 3.0)",
              stats.beta.logpdf((rho + 1) / 2, 3.0, 3.0) - math.log(2.0),
              "K = 2: (rho + 1)/2 ~ Beta(eta, eta), scipy.stats.beta"))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "MultivariateReferenceValues.swift")
with open(out, "w") as f:
    f.write("// Generated by Reference/generate_multivariate_reference.py; do not edit by hand.\n")
    f.write(f"// scipy {scipy.__version__}, numpy {np.__version__}, Python {sys.version.split()[0]}.\n")
    f.write("// Each synm expression and its log density (sources in the comments).\n\n")
    f.write("let multivariateReferenceValues: [(expression: String, value: Double)] = [\n")
    for e, v, src in cases:
        f.write(f"    // {src}\n    (\"{e}\", {float(v)!r}),\n")
    f.write("]\n")
print(f"wrote {len(cases)} values to {out}")
