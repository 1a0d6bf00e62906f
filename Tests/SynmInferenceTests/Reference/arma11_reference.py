#!/usr/bin/env python3
"""Posterior means and sds of models/arma11.synm (posteriordb arma-arma11) by quadrature.

Independent of synm's sampler: the density of the Stan program (priors normal(0, 10),
normal(0, 2), normal(0, 2), half-cauchy(0, 2.5); err[1] = y[1] - mu - phi*mu, err[t] =
y[t] - mu - phi*y[t-1] - theta*err[t-1], err ~ normal(0, sigma)) is evaluated on a
uniform 4-D grid in (mu, phi, theta, sigma) covering +-8 posterior sds around the mode, and
the moments are trapezoid sums (exponentially accurate for a smooth density that has
decayed to ~e-32 at the edges). Running it at N and at N + 10 points per axis checks the
grid; the printed values are what HardPosteriorTests.swift embeds.

    python3 Tests/SynmInferenceTests/Reference/arma11_reference.py   (numpy; ~1 min)
"""
import json
import os
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "models", "arma11.data.json")


def log_density(y, mu, phi, theta, sigma):
    lp = -0.5 * (mu / 10) ** 2 - 0.5 * (phi / 2) ** 2 - 0.5 * (theta / 2) ** 2 - np.log1p((sigma / 2.5) ** 2)
    err = y[0] - (mu + phi * mu)
    ss = err * err
    for t in range(1, len(y)):
        err = y[t] - (mu + phi * y[t - 1] + theta * err)
        ss = ss + err * err
    return lp - len(y) * np.log(sigma) - 0.5 * ss / (sigma * sigma)


def moments(y, centre, scale, n):
    axes = [c + s * np.linspace(-8, 8, n) for c, s in zip(centre, scale)]
    mu, phi, theta, sigma = np.meshgrid(*axes, indexing="ij", sparse=True)
    lp = log_density(y, mu, phi, theta, sigma)
    w = np.exp(lp - lp.max())
    w /= w.sum()
    out = {}
    for k, name in enumerate(["mu", "phi", "theta", "sigma"]):
        g = [mu, phi, theta, sigma][k]
        m = float((w * g).sum())
        v = float((w * (g - m) ** 2).sum())
        out[name] = (m, v ** 0.5)
    return out


def main():
    y = np.array(json.load(open(DATA))["y"])
    # A first pass on a coarse wide grid locates the mass; the second centres on it.
    centre, scale = [0.0, 0.95, 0.0, 0.17], [0.02, 0.04, 0.1, 0.015]
    first = moments(y, centre, scale, 31)
    centre = [first[k][0] for k in ["mu", "phi", "theta", "sigma"]]
    scale = [first[k][1] for k in ["mu", "phi", "theta", "sigma"]]
    a = moments(y, centre, scale, 41)
    b = moments(y, centre, scale, 51)
    for name in a:
        print(f"{name:6s} mean {b[name][0]: .6f} sd {b[name][1]:.6f}   (41 points: {a[name][0]: .6f} {a[name][1]:.6f})")


if __name__ == "__main__":
    main()
