#!/usr/bin/env python3
"""Reference values for `synm loo` from ArviZ (an independent PSIS-LOO implementation).

Writes Tests/SynmDriverTests/Fixtures/loo/fit_1.csv and fit_2.csv (a fixed log-likelihood
matrix in CmdStan's CSV layout: 2 chains x 500 draws, log_lik.1 ... log_lik.6) and
arviz_reference.json (ArviZ's pointwise Pareto k, elpd_i and p_loo_i, and elpd_loo, its SE
and p_loo, all with reff = 1). Run once; the outputs are committed.

    python3 tests/loo/arviz_reference.py      # needs numpy, scipy, arviz (0.23.4 used)

The draws are those of an approximate posterior of a normal model (mu, sigma) for six
observations, the last two outliers, so that the Pareto k estimates range from good to
very bad. The CSV holds the values rounded to 12 significant digits; ArviZ is run on the
values read back from the files, so both programs see the same numbers.
"""
import json
import os

import arviz as az
import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "Tests", "SynmDriverTests", "Fixtures", "loo")
CHAINS, DRAWS = 2, 500
y = np.array([0.1, -0.4, 0.9, 1.5, 3.8, 7.5])

rng = np.random.default_rng(20240607)
mu = rng.normal(0.6, 0.35, size=(CHAINS, DRAWS))
sigma = np.exp(rng.normal(0.1, 0.3, size=(CHAINS, DRAWS)))
ll = stats.norm.logpdf(y[None, None, :], mu[..., None], sigma[..., None])  # (chain, draw, obs)

for c in range(CHAINS):
    lines = [
        "# model = loo_fixture",
        "# method = sample (Default)",
        "#   sample",
        f"#     num_samples = {DRAWS}",
        "#     num_warmup = 0",
        "#     save_warmup = 0 (Default)",
        "#     thin = 1 (Default)",
        "#     algorithm = fixed_param",
        f"#     num_chains = {CHAINS}",
        f"# id = {c + 1}",
        "# random",
        "#   seed = 20240607",
        "# written by tests/loo/arviz_reference.py",
        "lp__," + ",".join(f"log_lik.{i + 1}" for i in range(len(y))),
    ]
    for d in range(DRAWS):
        row = [float("%.12g" % ll[c, d].sum())] + [float("%.12g" % v) for v in ll[c, d]]
        lines.append(",".join(repr(v) for v in row))
    with open(os.path.join(OUT, f"fit_{c + 1}.csv"), "w") as f:
        f.write("\n".join(lines) + "\n")

# Read the rounded values back.
back = np.empty_like(ll)
for c in range(CHAINS):
    rows = [l for l in open(os.path.join(OUT, f"fit_{c + 1}.csv")) if not l.startswith("#")][1:]
    back[c] = np.array([[float(v) for v in r.strip().split(",")[1:]] for r in rows])

idata = az.from_dict(posterior={"mu": mu}, log_likelihood={"y": back})
loo = az.loo(idata, pointwise=True, reff=1.0)
_, khat = az.psislw(-back.reshape(CHAINS * DRAWS, -1).T.copy(), reff=1.0)
n = len(y)
reference = {
    "provenance": f"tests/loo/arviz_reference.py with ArviZ {az.__version__}, numpy {np.__version__}: "
                  "az.loo(idata, pointwise=True, reff=1.0) and az.psislw(-log_lik, reff=1.0)",
    "draws": CHAINS * DRAWS,
    "observations": n,
    "elpd_loo": float(loo["elpd_loo"]),
    # ArviZ's se is sqrt(N * var) with the population variance; the loo package's (and
    # synm's) uses the sample variance: se * sqrt(N / (N - 1)).
    "se_arviz": float(loo["se"]),
    "p_loo": float(loo["p_loo"]),
    "pareto_k": [float(k) for k in loo["pareto_k"].values],
    "pareto_k_psislw": [float(k) for k in khat],
    "elpd_i": [float(v) for v in loo["loo_i"].values],
    "good_k": float(loo["good_k"]),
}
with open(os.path.join(OUT, "arviz_reference.json"), "w") as f:
    json.dump(reference, f, indent=2)
    f.write("\n")
print(json.dumps(reference, indent=2))
