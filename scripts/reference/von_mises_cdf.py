"""Reference values of the von Mises log CDF and log CCDF for the synm test suite
(Tests/SynmRuntimeTests/CumulativeMoreTests.swift).

Stan's von_mises_cdf(y | mu, kappa) is P(-pi <= Y <= y) for the density
exp(kappa cos(t - mu)) / (2 pi I0(kappa)) on [-pi, pi]; computed here by mpmath quadrature at
40 digits from -pi to y, with a breakpoint at the mode (mu, or its image in [-pi, pi]).
Run: python3 von_mises_cdf.py (mpmath 1.3.0 gave the committed values).
"""
import mpmath as mp

mp.mp.dps = 40


def log_cdf(y, mu, k, upper=False):
    f = lambda t: mp.exp(k * mp.cos(t - mu)) / (2 * mp.pi * mp.besseli(0, k))
    modes = sorted(set(mp.mpf(mu) % (2 * mp.pi) - 2 * mp.pi * j for j in range(-2, 3)))
    points = [-mp.pi] + [m for m in modes if -mp.pi < m < y] + [y]
    v = mp.quad(f, points)
    return mp.log(1 - v) if upper else mp.log(v)


for y, mu, k in [(0.5, 0.2, 2.0), (-2.0, 0.3, 5.0), (1.0, -2.5, 0.7), (2.9, 3.5, 12.0), (0.1, 0.0, 150.0),
                 (-0.3, 0.0, 150.0)]:
    print(f"von_mises(y={y}, mu={mu}, kappa={k}) lcdf {float(log_cdf(y, mu, k))!r} lccdf {float(log_cdf(y, mu, k, True))!r}")
