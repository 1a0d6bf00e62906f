#!/usr/bin/env python3
"""Makes the data files of the paper's synthetic-data examples in models/.

Provenance: every value below is simulated here, from Python's own `random` module (standard
library only) with the fixed seed SEED, and rounded to 4 decimals; nothing is real data.
Re-running the script rewrites the same files byte for byte:

    python3 models/make_example_data.py

Files written (each beside its model):
  bootstrap_normal.data.json        y: 50 rows ~ normal(3, 2)                   (Example 2)
  reweight_classes.data.json        y, g: 70 / 20 / 10 rows of three classes,
                                    class means 0, 2, 4, sd 1                    (Example 3)
  periodic_symmetry.data.json       x: 40 planar points ~ normal((0, 0), 1.5 I)  (Example 4)
  third_party_overlap.data.json     y: our 30 units ~ normal(1.5, 2); yt: 200 rows a third
                                    party drew from a normal fitted to 120 units, 30 of
                                    them ours (section 5.2)
  censored_coin_augmented.data.json y: the 30 observed flips of censored_coin.synm; extra:
                                    one made-up head per observed head           (Example 9)
  ordinal_regression.data.json      N = 80 ordinal outcomes in 1..4: y = 1 + #{c_k < 1.2 x + logistic
                                    noise}, c = (-1, 0.3, 1.5), x ~ normal(0, 1) (its own
                                    generator, seeded ORDINAL_SEED, so the files above stay as they are)
  correlated_normal.data.json       N = 60 rows of a bivariate normal with mu = (1, -0.5), scales
                                    (1.5, 0.8) and correlation 0.6 (its own generator, MVN_SEED)
  growth_curve.data.json            N = 40 sizes at t = 0.25, 0.5, …, 10: y = 8 inv_logit(1.1 (t − 4.5))
                                    + logistic(0, 0.4) noise (its own generator, seeded GROWTH_SEED)
  multivariate_regression.data.json N = 60 rows of two outcomes Y = X B + E: X = (1, x1, x2) with
                                    x ~ normal(0, 1), B = [[1, -0.5], [0.8, 0.3], [-0.4, 1.2]],
                                    E rows bivariate normal with sds (0.7, 1.1), correlation 0.6
                                    (seeded MULTIVARIATE_SEED)
"""
import json
import math
import os
import random
import statistics

SEED = 20240501
ORDINAL_SEED = 20261206
MVN_SEED = 20261207
GROWTH_SEED = 20261207
MULTIVARIATE_SEED = 20261207
HERE = os.path.dirname(os.path.abspath(__file__))


def r4(x):
    return round(x, 4)


def write(name, doc):
    path = os.path.join(HERE, name)
    with open(path, "w") as f:
        json.dump(doc, f)
        f.write("\n")


def main():
    rng = random.Random(SEED)

    # Example 2: real rows for the bootstrap.
    y = [r4(rng.gauss(3.0, 2.0)) for _ in range(50)]
    write("bootstrap_normal.data.json", {"y": y})

    # Example 3: an unbalanced sample of three classes (70 / 20 / 10 rows).
    rows = [(c, r4(rng.gauss(2.0 * (c - 1), 1.0))) for c, k in ((1, 70), (2, 20), (3, 10)) for _ in range(k)]
    rng.shuffle(rows)
    write("reweight_classes.data.json", {"K": 3, "g": [c for c, _ in rows], "y": [v for _, v in rows]})

    # Example 4: planar points from a rotation-invariant distribution.
    x = [[r4(rng.gauss(0.0, 1.5)), r4(rng.gauss(0.0, 1.5))] for _ in range(40)]
    write("periodic_symmetry.data.json", {"x": x})

    # Section 5.2: our 30 units, and a repository of 120 units (our 30 and 90 others) from
    # which a third party fitted a normal and drew 200 synthetic rows.
    ours = [r4(rng.gauss(1.5, 2.0)) for _ in range(30)]
    others = [rng.gauss(1.5, 2.0) for _ in range(90)]
    repository = ours + others
    m, s = statistics.fmean(repository), statistics.stdev(repository)
    yt = [r4(rng.gauss(m, s)) for _ in range(200)]
    write("third_party_overlap.data.json", {"y": ours, "yt": yt})

    # Example 9: the flips of censored_coin.synm (every second head was dropped before we saw
    # them), and the naive augmentation: one made-up head for each observed head.
    flips = [1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0,
             0, 1, 0, 0, 0, 1, 0, 1, 0, 0]
    write("censored_coin_augmented.data.json", {"y": flips, "extra": [1] * sum(flips)})

    # Ordinal logistic regression (ordinal_regression.synm): the latent-variable form of
    # ordered_logistic, with its own generator so the files above are unchanged.
    orng = random.Random(ORDINAL_SEED)
    xs, ys = [], []
    for _ in range(80):
        xi = r4(orng.gauss(0, 1))
        u = orng.random()
        z = 1.2 * xi + math.log(u / (1 - u))
        xs.append(xi)
        ys.append(1 + sum(1 for c in (-1.0, 0.3, 1.5) if c < z))
    write("ordinal_regression.data.json", {"N": 80, "x": xs, "y": ys})

    # Bivariate normal (correlated_normal.synm): y = mu + diag(tau) (z1, rho z1 + sqrt(1 - rho^2) z2).
    mrng = random.Random(MVN_SEED)
    rows = []
    for _ in range(60):
        z1, z2 = mrng.gauss(0, 1), mrng.gauss(0, 1)
        rows.append([r4(1.0 + 1.5 * z1), r4(-0.5 + 0.8 * (0.6 * z1 + math.sqrt(1 - 0.36) * z2))])
    write("correlated_normal.data.json", {"N": 60, "y": rows})
    # Logistic growth with logistic noise (growth_curve.synm, a model with user-defined
    # functions), with its own generator so the files above are unchanged.
    grng = random.Random(GROWTH_SEED)
    ts = [0.25 * (i + 1) for i in range(40)]
    ys = []
    for t in ts:
        u = grng.random()
        mean = 8.0 / (1.0 + math.exp(-1.1 * (t - 4.5)))
        ys.append(r4(mean + 0.4 * math.log(u / (1 - u))))
    write("growth_curve.data.json", {"N": 40, "t": ts, "y": ys})
    # Multivariate regression (multivariate_regression.synm): correlated errors drawn as
    # L z with L the Cholesky factor of their covariance, z two independent normals.
    mrng = random.Random(MULTIVARIATE_SEED)
    b = [[1.0, -0.5], [0.8, 0.3], [-0.4, 1.2]]
    s1, s2, rho = 0.7, 1.1, 0.6
    rows_x, rows_y = [], []
    for _ in range(60):
        xr = [1.0, r4(mrng.gauss(0, 1)), r4(mrng.gauss(0, 1))]
        z1, z2 = mrng.gauss(0, 1), mrng.gauss(0, 1)
        e1 = s1 * z1
        e2 = s2 * (rho * z1 + math.sqrt(1 - rho * rho) * z2)
        mean = [sum(xr[k] * b[k][j] for k in range(3)) for j in range(2)]
        rows_x.append(xr)
        rows_y.append([r4(mean[0] + e1), r4(mean[1] + e2)])
    write("multivariate_regression.data.json", {"N": 60, "K": 3, "X": rows_x, "Y": rows_y})


if __name__ == "__main__":
    main()
