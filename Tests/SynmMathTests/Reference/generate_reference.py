#!/usr/bin/env python3
"""Generate Tests/SynmMathTests/ReferenceValues.swift for the SynmMath tests.

Usage (from the repository root):
    python3 Tests/SynmMathTests/Reference/generate_reference.py > Tests/SynmMathTests/ReferenceValues.swift

Special-function values come from mpmath at 50 significant digits; scipy is used only to
*choose* interesting arguments (points at given tail probabilities), never for expected
values. Arguments are rounded to double first and the reference is computed at that exact
double, so the expected value is the correctly rounded answer for the Swift input.
The RNG streams come from independent pure-Python implementations of SplitMix64 and
xoshiro256** (Blackman & Vigna, https://prng.di.unimi.it/). Linear-algebra and statistics
references come from numpy/scipy.
"""
import mpmath as mp
import numpy as np
import scipy
from scipy import special, stats

mp.mp.dps = 50
M64 = (1 << 64) - 1


def d(x):
    """A double as a Swift literal that round-trips exactly."""
    x = float(x)
    if x == float("inf"):
        return ".infinity"
    if x == float("-inf"):
        return "-.infinity"
    return repr(x)


def ref(v):
    """An mpmath value rounded to the nearest double, as a literal."""
    return d(float(mp.mpf(v)))


def emit(name, doc, fields, rows):
    print(f"    /// {doc}")
    print(f"    static let {name}: [({', '.join(f + ': Double' for f in fields)})] = [")
    for row in rows:
        print("        (" + ", ".join(row) + "),")
    print("    ]")
    print()


# MARK: special functions of one argument

lgamma_x = [1e-300, 1e-10, 1e-5, 0.1, 0.5, 0.9, 1.5, 2.5, 3.0, 7.5, 10.0, 25.3, 100.0,
            171.5, 1000.0, 1e5, 1e10, 1e15, 1e300, -0.5, -1.5, -2.5, -10.3, -100.7]
digamma_x = [1e-300, 1e-10, 1e-5, 0.1, 0.5, 0.9, 1.0, 2.0, 2.5, 3.0, 5.5, 9.999, 10.0, 25.3,
             100.0, 1000.0, 1e5, 1e10, 1e15, 1e300, -0.5, -1.5, -2.5, -10.3, -100.7, -1e6 - 0.25]
digamma_root_x = [1.40, 1.45, 1.46, 1.461632144968362, 1.4616321449683622, 1.47, 1.5]
trigamma_x = digamma_x + [1.4616321449683622]

log1p_exp_x = [-800.0, -40.0, -1.0, -1e-10, 0.0, 1e-10, 1.0, 20.0, 40.0, 800.0]
log1m_exp_x = [-1e-300, -1e-20, -1e-10, -0.1, -0.6931, -0.6932, -1.0, -10.0, -40.0, -700.0]
inv_logit_x = [-700.0, -40.0, -5.0, -1e-10, 0.0, 1e-10, 0.5, 5.0, 40.0, 700.0]
logit_p = [1e-300, 1e-10, 0.1, 0.25, 0.3, 0.4999999, 0.5000001, 0.6, 0.75, 0.9, 1 - 2**-40]
normal_cdf_x = [-37.0, -30.0, -20.0, -10.0, -5.0, -2.0, -1.0, -1e-5, 0.0, 0.5, 1.0, 2.0, 5.0, 8.0]
log_normal_cdf_x = [-1e150, -1e5, -1000.0, -100.0, -40.0, -30.5, -30.0, -29.9, -20.0, -5.0,
                    -1.0, 0.0, 1.0, 5.0, 10.0, 30.0]
normal_quantile_p = [5e-324, 1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.0228, 0.07, 0.1,
                     0.25, 0.4, 0.5000001, 0.6, 0.75, 0.9, 0.975, 0.999, 1 - 1e-10]


def phi(x):
    return mp.ncdf(mp.mpf(x))


print("// Reference values for SynmMath's tests. GENERATED, do not edit by hand.")
print("// Source: Tests/SynmMathTests/Reference/generate_reference.py")
print(f"// mpmath {mp.__version__} (50 digits), numpy {np.__version__}, scipy {scipy.__version__}.")
print("// Arguments are exact doubles; expected values are the reference rounded to double.")
print()
print("enum Reference {")
emit("logGamma", "log|Γ(x)| (mpmath `loggamma`, real part).", ["x", "value"],
     [(d(x), ref(mp.re(mp.loggamma(mp.mpf(x))))) for x in lgamma_x])
emit("digamma", "ψ(x) away from the positive root (mpmath `digamma`).", ["x", "value"],
     [(d(x), ref(mp.digamma(mp.mpf(x)))) for x in digamma_x])
emit("digammaNearRoot", "ψ(x) near its root x₀ ≈ 1.4616 (absolute error tested).", ["x", "value"],
     [(d(x), ref(mp.digamma(mp.mpf(x)))) for x in digamma_root_x])
emit("trigamma", "ψ₁(x) (mpmath `psi(1, x)`).", ["x", "value"],
     [(d(x), ref(mp.psi(1, mp.mpf(x)))) for x in trigamma_x])
emit("log1pExp", "log(1 + eˣ).", ["x", "value"],
     [(d(x), ref(mp.log1p(mp.exp(mp.mpf(x))))) for x in log1p_exp_x])


def high(f):
    """f() at 800 digits, for naive formulas such as log(1 − e⁻⁷⁰⁰) that need ~300 digits."""
    with mp.workdps(800):
        return +f()


emit("log1mExp", "log(1 − eˣ), x < 0 (naive formula at 800 digits).", ["x", "value"],
     [(d(x), ref(high(lambda x=x: mp.log(1 - mp.exp(mp.mpf(x)))))) for x in log1m_exp_x])
emit("invLogit", "1/(1 + e⁻ˣ) with log(inv_logit(x)) and log(1 − inv_logit(x)).",
     ["x", "value", "logValue", "log1mValue"],
     [(d(x), ref(1 / (1 + mp.exp(-mp.mpf(x)))), ref(-mp.log1p(mp.exp(-mp.mpf(x)))),
       ref(-mp.log1p(mp.exp(mp.mpf(x))))) for x in inv_logit_x])
emit("logit", "log(p/(1 − p)).", ["p", "value"],
     [(d(p), ref(mp.log(mp.mpf(p) / (1 - mp.mpf(p))))) for p in logit_p])
emit("normalCDF", "Φ(x) (mpmath `ncdf`).", ["x", "value"],
     [(d(x), ref(phi(x))) for x in normal_cdf_x])
emit("logNormalCDF", "log Φ(x) (at 800 digits: Φ(30) = 1 − 5e-198).", ["x", "value"],
     [(d(x), ref(high(lambda x=x: mp.log(phi(x))))) for x in log_normal_cdf_x])
emit("normalQuantile", "Φ⁻¹(p), solved by mpmath `findroot` at 50 digits.", ["p", "value"],
     [(d(p), ref(mp.findroot(lambda z, p=p: mp.ncdf(z) - mp.mpf(p),
                               mp.mpf(float(special.ndtri(p)))))) for p in normal_quantile_p])

# MARK: special functions of two arguments

log_beta_ab = [(0.5, 0.5), (2.0, 3.0), (1e-5, 1.0), (1e-300, 2.0), (10.0, 10.0), (9.5, 10.5),
               (100.0, 0.5), (1e5, 1e5), (1e15, 1.0), (1e10, 1e-3), (3.0, 1e8), (50.0, 70.0),
               (1e-3, 1e-3), (12.0, 1e12)]
emit("logBeta", "log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b).", ["a", "b", "value"],
     [(d(a), d(b), ref(mp.log(mp.beta(mp.mpf(a), mp.mpf(b))))) for a, b in log_beta_ab])
log_choose_nk = [(10.0, 3.0), (50.0, 25.0), (1e6, 10.0), (1e9, 5e8), (1e15, 3.0), (7.5, 2.5),
                 (100.0, 1.0), (30.0, 29.0)]
emit("logChoose", "log C(n, k) via mpmath `binomial`.", ["n", "k", "value"],
     [(d(n), d(k), ref(mp.log(mp.binomial(mp.mpf(n), mp.mpf(k))))) for n, k in log_choose_nk])
log_diff_exp_ab = [(0.0, -1.0), (1.0, 1 - 1e-10), (-1000.0, -1001.0), (700.0, 0.0),
                   (-5.0, -50.0), (1e-20, 0.0)]
emit("logDiffExp", "log(eᵃ − eᵇ).", ["a", "b", "value"],
     [(d(a), d(b), ref(mp.log(mp.exp(mp.mpf(a)) - mp.exp(mp.mpf(b))))) for a, b in log_diff_exp_ab])

# MARK: incomplete beta and gamma, at arguments chosen at tail probabilities

beta_shapes = [(0.01, 0.5), (0.5, 0.5), (1.0, 1.0), (2.0, 3.0), (0.7, 25.0), (10.0, 10.0),
               (100.0, 3.0), (1e3, 1e3), (1e5, 2e5), (1e5, 1e5), (40.5, 1e5)]
beta_probs = [1e-12, 0.01, 0.3, 0.5, 0.9, 0.999]


def lower_beta_series(a, b, x):
    """I_x(a, b) = xᵃ(1 − x)ᵇ/(a B(a, b)) · ₂F₁(a + b, 1; a + 1; x) (A&S 26.5.23): positive
    terms only, so it is safe at high precision where mpmath's default `betainc` series
    (₂F₁(a, 1 − b; a + 1; x), alternating) gives up for a, b ~ 1e5."""
    a, b, x = mp.mpf(a), mp.mpf(b), mp.mpf(x)
    series = mp.hyp2f1(a + b, 1, a + 1, x, maxterms=10**7)
    return x**a * (1 - x)**b / (a * mp.beta(a, b)) * series


def betainc_ref(a, b, x):
    if x <= a / (a + b):
        return lower_beta_series(a, b, x)
    return 1 - lower_beta_series(b, a, 1 - mp.mpf(x))


def beta_inverse_newton(a, b, p, t):
    """Newton on I_t(a, b) = p at 50 digits, from scipy's (already ~1e-15 accurate) start."""
    a, b = mp.mpf(a), mp.mpf(b)
    for _ in range(30):
        density = t ** (a - 1) * (1 - t) ** (b - 1) / mp.beta(a, b)
        step = (betainc_ref(a, b, t) - p) / density
        t -= step
        if abs(step) < abs(t) * mp.mpf(10) ** -35:
            return t
    raise ValueError(f"no convergence for a={a}, b={b}, p={p}")


beta_rows, inverse_rows = [], []
for a, b in beta_shapes:
    for p in beta_probs:
        x = float(special.betaincinv(a, b, p))
        if not 0 < x < 1:
            continue
        value = betainc_ref(a, b, x)
        beta_rows.append((d(a), d(b), d(x), ref(value)))
        pd = float(value)
        root = beta_inverse_newton(a, b, mp.mpf(pd), mp.mpf(x))
        inverse_rows.append((d(a), d(b), d(pd), ref(root)))
emit("incompleteBeta", "I_x(a, b) (A&S 26.5.23 with mpmath `hyp2f1`).", ["a", "b", "x", "value"],
     beta_rows)
emit("inverseIncompleteBeta", "x with I_x(a, b) = p (50-digit Newton on the series above).",
     ["a", "b", "p", "value"], inverse_rows)

gamma_shapes = [1e-10, 1e-3, 0.1, 0.5, 1.0, 3.5, 10.0, 100.0, 1e4, 1e5]
gamma_probs = [1e-12, 0.01, 0.5, 0.99, 1 - 1e-12]
gamma_rows = []
for a in gamma_shapes:
    xs = [float(special.gammaincinv(a, p)) for p in gamma_probs] + [0.3, 1.2, 2.0]
    for x in xs:
        if not 0 < x < float("inf"):
            continue
        lower = mp.gammainc(a, 0, x, regularized=True)
        upper = mp.gammainc(a, x, mp.inf, regularized=True)
        gamma_rows.append((d(a), d(x), ref(lower), ref(upper)))
emit("incompleteGamma", "P(a, x) and Q(a, x) (mpmath `gammainc`, regularized).",
     ["a", "x", "p", "q"], gamma_rows)


# MARK: random number generators (independent Python implementations)

def splitmix64(state):
    while True:
        state = (state + 0x9E3779B97F4A7C15) & M64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        yield z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M64


def xoshiro(seed, stream):
    """xoshiro256** seeded as synm does: a SplitMix64 pass on seed, mixed with the stream."""
    first = next(splitmix64(seed))
    mixer = splitmix64(((stream * 0xD1B54A32D192ED03) & M64) ^ first)
    s = [next(mixer) for _ in range(4)]
    while True:
        result = (rotl((s[1] * 5) & M64, 7) * 9) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        yield result


def words(gen, n):
    return ", ".join(f"0x{next(gen):016x}" for _ in range(n))


print("    /// SplitMix64 outputs for seed 0 (first three match the published reference).")
print(f"    static let splitMix64Seed0: [UInt64] = [{words(splitmix64(0), 5)}]")
print("    /// SplitMix64 outputs for seed 0x0123456789abcdef.")
print(f"    static let splitMix64SeedX: [UInt64] = [{words(splitmix64(0x0123456789abcdef), 5)}]")
for seed, stream in [(0, 0), (42, 0), (42, 3)]:
    print(f"    /// xoshiro256** outputs for seed {seed}, stream {stream}.")
    print(f"    static let xoshiroSeed{seed}Stream{stream}: [UInt64] = [")
    print(f"        {words(xoshiro(seed, stream), 6)},")
    print("    ]")
print()

# MARK: linear algebra and statistics (numpy / scipy)

B = np.array([[2, 1, 0, 3], [1, 4, 1, 0], [0, 2, 5, 1], [1, 0, 2, 3]], dtype=float)
spd = B @ B.T + np.eye(4)
L = np.linalg.cholesky(spd)
sign, logdet = np.linalg.slogdet(spd)
sym = np.array([[4, 1, -2, 0, 3], [1, -3, 0, 2, 1], [-2, 0, 1, 5, 0], [0, 2, 5, -6, 1],
                [3, 1, 0, 1, 2]], dtype=float)


def flat(m):
    return "[" + ", ".join(d(v) for v in np.asarray(m).ravel()) + "]"


print("    /// A 4×4 SPD matrix BBᵀ + I with its numpy Cholesky factor, inverse and log-determinant.")
print(f"    static let spd: [Double] = {flat(spd)}")
print(f"    static let spdCholesky: [Double] = {flat(L)}")
print(f"    static let spdInverse: [Double] = {flat(np.linalg.inv(spd))}")
print(f"    static let spdLogDeterminant = {d(logdet)}")
print(f"    static let spdEigenvalues: [Double] = {flat(np.linalg.eigvalsh(spd))}")
print("    /// A 5×5 symmetric indefinite matrix and its numpy `eigvalsh` (ascending).")
print(f"    static let symmetric: [Double] = {flat(sym)}")
print(f"    static let symmetricEigenvalues: [Double] = {flat(np.linalg.eigvalsh(sym))}")
print()

data = [3.1, -0.5, 2.2, 7.0, 2.2, 0.0, 9.5, -4.25, 2.2, 1.0, 7.0, 5.5]
qs = [0.0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 1.0]
print("    /// A sample with ties, and its numpy mean, var(ddof=1), type-7 quantiles and scipy ranks.")
print(f"    static let sample: [Double] = [{', '.join(d(v) for v in data)}]")
print(f"    static let sampleMean = {d(np.mean(data))}")
print(f"    static let sampleVariance = {d(np.var(data, ddof=1))}")
print(f"    static let quantileProbabilities: [Double] = [{', '.join(d(q) for q in qs)}]")
print(f"    static let sampleQuantiles: [Double] = "
      f"[{', '.join(d(np.quantile(data, q)) for q in qs)}]")
print(f"    static let sampleRanks: [Double] = "
      f"[{', '.join(d(r) for r in stats.rankdata(data, method='average'))}]")
print("}")
