"""Reference values of the skew normal log CDF and log CCDF for the synm test suite
(Tests/SynmRuntimeTests/CumulativeMoreTests.swift).

F(z; a) = integral over (-inf, z] of 2 phi(t) Phi(a t) dt, by mpmath Gauss-Legendre quadrature
at 50 digits with t = z - s and breakpoints every 0.25 / rate, rate = |z| (1 + a^2) + sqrt(1 + a^2),
so that the narrow peak at the end of a far tail is resolved (a single mp.quad over (-inf, z]
misses it in the far tails by up to 1e-2 in log F; tanh-sinh on coarser pieces by 1e-11; these
pieces agree with breakpoints every 1 / rate to 1e-21 in log F). The upper tail is S = F(-z; -a). The larger of F and S is computed as
1 - (the smaller), whose relative accuracy the quadrature keeps, so log F near 0 stays exact.
Run: python3 skew_normal_cdf.py (mpmath 1.3.0 gave the committed values).
"""
import mpmath as mp

mp.mp.dps = 50


def lower(z, a):
    z, a = mp.mpf(z), mp.mpf(a)
    f = lambda s: 2 * mp.npdf(z - s) * mp.ncdf(a * (z - s))
    rate = abs(z) * (1 + a * a) + mp.sqrt(1 + a * a)
    points = [0] + [mp.mpf(k) / 4 / rate for k in range(1, 400)] + [mp.inf]
    return mp.quad(f, points, method="gauss-legendre")


for y, xi, omega, a in [(0.7, 0.2, 1.5, 2.0), (-1.0, 0.5, 0.8, -1.5), (-3.0, 0, 1, 4.0), (5.0, 0, 1, -3.0),
                        (-6.0, 0, 1, 2.0), (2.5, 0, 1, 0.0), (-0.5, 0, 1, 30.0), (8.0, 0, 1, 0.5)]:
    z = (mp.mpf(y) - xi) / omega
    F, S = lower(z, a), lower(-z, -a)
    lcdf = mp.log(F) if F <= S else mp.log1p(-S)
    lccdf = mp.log(S) if S <= F else mp.log1p(-F)
    print(f"skew_normal(y={y}, xi={xi}, omega={omega}, alpha={a}) lcdf {float(lcdf)!r} lccdf {float(lccdf)!r}")
