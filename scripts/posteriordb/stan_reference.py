#!/usr/bin/env python3
"""Reference means and sds computed with Stan, for posteriordb posteriors whose published
summaries lack an sd (docs/POSTERIORDB.md).

Usage: python stan_reference.py NAME POSTERIOR PROGRAM.stan PARAM [PARAM ...]
  NAME       the model in models/posteriordb/ (its data: NAME.data.json)
  POSTERIOR  posteriordb's posterior name, recorded in the file
  PROGRAM    posteriordb's Stan program for the posterior (models/stan/ in posteriordb)
  PARAM      the parameters (and transformed parameters) to summarise
Writes models/posteriordb/NAME.reference.json. Needs pystan 3 (stan, httpstan) and numpy;
4 chains of 1000 warmup + 5000 draws, random_seed=1.
"""
import datetime, json, os, sys
import numpy as np
import httpstan, stan

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

def main(name, posterior, program, params):
    models = os.path.join(ROOT, "models", "posteriordb")
    data = json.load(open(os.path.join(models, name + ".data.json")))
    fit = stan.build(open(program).read(), data=data, random_seed=1).sample(num_chains=4, num_samples=5000)
    out = []
    for p in params:
        a = fit[p]
        dims = fit.dims[fit.param_names.index(p)]
        flat = a.reshape(-1, a.shape[-1])
        for i in range(flat.shape[0]):
            d = flat[i]
            if d.std() == 0:
                continue  # fixed by its constraint (a Cholesky factor's first row): nothing to compare
            # MCSE of the mean by batch means: each chain's 5000 draws in 50 batches of 100.
            batches = d.reshape(4, 50, 100).mean(axis=2).ravel()
            # synm's names: theta, theta[2], L[2, 1] (a's entries are in row-major order here)
            index = ", ".join(str(k + 1) for k in np.unravel_index(i, dims)) if dims else None
            out.append({"name": "%s[%s]" % (p, index) if index else p, "mean": float(d.mean()),
                        "sd": float(d.std(ddof=1)), "mcse_mean": float(batches.std(ddof=1) / np.sqrt(batches.size))})
    ref = {"posterior": posterior,
           "source": "computed with Stan for this repository (scripts/posteriordb/stan_reference.py)",
           "method": "pystan %s (httpstan %s), program %s, 4 chains x (1000 warmup + 5000 draws), random_seed=1"
                     % (stan.__version__, httpstan.__version__, os.path.basename(program)),
           "computed": datetime.date.today().isoformat(), "parameters": out}
    with open(os.path.join(models, name + ".reference.json"), "w") as f:
        json.dump(ref, f, indent=2)
        f.write("\n")

if __name__ == "__main__":
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
