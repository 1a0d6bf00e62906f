#!/usr/bin/env python3
"""Makes the data files of the loop-heavy time-series models in models/ (the loop benchmarks of
synm-bench, Sources/synm-bench/README.md).

Provenance: every value below is simulated here, from Python's own `random` module (standard
library only) with the fixed seed SEED, and rounded to 4 decimals; nothing is real data.
Re-running the script rewrites the same files byte for byte:

    python3 models/make_loop_data.py

Files written (each beside its model):
  ar5.data.json          K = 5, T = 1000: y_t = 0.3 + Σ_k b_k y_{t−k} + e_t,
                         b = (0.5, -0.2, 0.1, 0.05, -0.05), e_t ~ normal(0, 0.8)
  garch11.data.json      T = 1000, sigma1 = 1: y_t = 0.1 + σ_t ε_t,
                         σ_t² = 0.1 + 0.15 (y_{t−1} − 0.1)² + 0.75 σ_{t−1}², ε_t ~ normal(0, 1)
  local_level.data.json  T = 1000: x_t = x_{t−1} + normal(0, 0.3), x_1 ~ normal(0, 1),
                         y_t = x_t + normal(0, 1)
"""
import json
import math
import os
import random

SEED = 20261206
HERE = os.path.dirname(os.path.abspath(__file__))


def r4(x):
    return round(x, 4)


def write(name, doc):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(doc, f)
        f.write("\n")


def main():
    rng = random.Random(SEED)

    # AR(5), with 200 steps of burn-in from zeros.
    b = [0.5, -0.2, 0.1, 0.05, -0.05]
    hist = [0.0] * 5
    y = []
    for t in range(1200):
        v = 0.3 + sum(b[k] * hist[-1 - k] for k in range(5)) + rng.gauss(0.0, 0.8)
        hist.append(v)
        if t >= 200:
            y.append(r4(v))
    write("ar5.data.json", {"K": 5, "T": len(y), "y": y})

    # GARCH(1, 1): the recursion starts at sigma1 = 1 as the model's does.
    mu, a0, a1, b1 = 0.1, 0.1, 0.15, 0.75
    sigma, y = 1.0, []
    for t in range(1000):
        if t > 0:
            sigma = math.sqrt(a0 + a1 * (y[-1] - mu) ** 2 + b1 * sigma ** 2)
        y.append(r4(mu + sigma * rng.gauss(0.0, 1.0)))
    write("garch11.data.json", {"T": len(y), "sigma1": 1.0, "y": y})

    # Local level: a random walk seen through noise.
    x, y = rng.gauss(0.0, 1.0), []
    for t in range(1000):
        if t > 0:
            x += rng.gauss(0.0, 0.3)
        y.append(r4(x + rng.gauss(0.0, 1.0)))
    write("local_level.data.json", {"T": len(y), "y": y})


if __name__ == "__main__":
    main()
