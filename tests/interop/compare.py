"""synm's CSV files read by cmdstanpy and ArviZ; their summaries compared with synm's JSON.

Run by tests/interop/run.sh (which makes the virtual environment). For each case, synm
samples a model with --output and --json; then:

  * cmdstanpy.from_csv reads the files (no CmdStan installation is needed to read CSV)
    and must see synm's chains, draws, warmup, thinning and the adaptation block;
  * ArviZ reads them twice, with az.from_cmdstan (its own CSV reader) and with
    az.from_cmdstanpy (through cmdstanpy): both must hold exactly the draws of the files;
  * az.summary (mean, sd, MCSE of the mean, bulk and tail ESS, rank-normalised split R-hat:
    the formulas of Vehtari et al. 2021, which synm implements) must agree with synm's JSON.

The numbers are computed from the same draws by the same formulas, so they agree to
rounding: means and standard deviations to 1e-9 relative, R-hat to 1e-6, ESS and MCSE to
1e-6 relative (measured differences are near 1e-15, 1e-10 with --sig-figs 9; the margins
allow other summation orders, not other estimators). Two conventions differ, and the cases
avoid them rather than widen a tolerance:

  * with an odd number of draws per chain, Stan (and synm) drop the last draw to split a
    chain, ArviZ the middle one: every case keeps an even number of draws;
  * the upper tail indicator of ESS_tail is I(x >= q95) in synm, I(x <= q95) in ArviZ:
    the same ESS unless draws tie at q95, so ESS_tail is not compared for quantities whose
    draws are all whole numbers (a predicted count).

One difference cannot be avoided by choosing the case, so it is checked instead: when
Geyer's initial positive sequence never turns negative and runs to the end of the chain
(short chains, or the rare-event indicators of ESS_tail), Stan's ess.hpp (and synm) sum the
autocorrelations through lag t-1 and add the last even lag again, where ArviZ stops one lag
earlier. For those sequences the ESS (and the MCSE built on it) is compared with Stan's rule
computed here from ArviZ's own split chains, ranks, quantiles and autocovariances
(`stan_ess`); everywhere else with ArviZ's number.
"""

import glob
import json
import math
import os
import subprocess
import sys
import tempfile
import warnings

warnings.filterwarnings("ignore")
import logging

logging.getLogger("cmdstanpy").setLevel(logging.CRITICAL)

import cmdstanpy  # noqa: E402

if hasattr(cmdstanpy, "disable_logging"):
    cmdstanpy.disable_logging()
import arviz as az  # noqa: E402
import numpy as np  # noqa: E402
from arviz.stats.diagnostics import _autocov, _quantile, _split_chains, _z_scale  # noqa: E402

SYNM = sys.argv[1]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
failures = []


def check(ok, message):
    if not ok:
        failures.append(message)
        print("  FAIL: " + message)


def close(a, b, rel, absolute=0.0):
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return abs(a - b) <= max(rel * max(abs(a), abs(b)), absolute)


def stan_ess(x):
    """ESS of x (chains × draws) by the rule of Stan's ess.hpp, and whether Geyer's positive
    sequence reached the end of the chain (the only case where ArviZ's rule differs)."""
    m, n = x.shape
    acov = _autocov(x, axis=1)
    w = acov[:, 0].mean() * n / (n - 1)
    var_plus = w * (n - 1) / n + (np.var(x.mean(axis=1), ddof=1) if m > 1 else 0.0)
    if not var_plus > 0:
        return math.nan, False
    rho = lambda t: 1 - (w - acov[:, t].mean()) / var_plus  # noqa: E731
    r = np.zeros(n)
    even, odd = 1.0, rho(1)
    r[0], r[1] = even, odd
    t = 1
    while t < n - 4 and even + odd > 0:
        even, odd = rho(t + 1), rho(t + 2)
        if even + odd >= 0:
            r[t + 1], r[t + 2] = even, odd
        if r[t + 1] + r[t + 2] > r[t - 1] + r[t]:
            r[t + 1] = r[t + 2] = (r[t - 1] + r[t]) / 2
        t += 2
    ran_to_end = even + odd > 0
    if even > 0:
        r[t + 1] = even
    tau = max(-1 + 2 * r[:t].sum() + r[t + 1], 1 / math.log10(m * n))
    return m * n / tau, ran_to_end


def stan_summaries(draws):
    """Stan's ESS_bulk, ESS_tail and MCSE of the mean of draws (chains × draws), each with
    whether one of its Geyer sequences ran to the end of the chain."""
    split = _split_chains(draws)
    bulk, bulk_end = stan_ess(_z_scale(split))
    q05, q95 = _quantile(draws, 0.05), _quantile(draws, 0.95)
    lower, lower_end = stan_ess((split <= q05).astype(float))
    upper, upper_end = stan_ess((split <= q95).astype(float))
    tail = upper if math.isnan(lower) else lower if math.isnan(upper) else min(lower, upper)
    mean_ess, mean_end = stan_ess(split)
    mcse = float(np.std(draws, ddof=1)) / math.sqrt(mean_ess)
    return {"ess_bulk": (bulk, bulk_end), "ess_tail": (tail, lower_end or upper_end), "mcse_mean": (mcse, mean_end)}


def case(name, model, args, chains, draws, warmup, thin=1, save_warmup=False, cmdstanpy_reads=True, dense=None):
    print(f"{name}: synm run {os.path.basename(model)} {' '.join(args)}")
    out = tempfile.mkdtemp(prefix="synm-interop-")
    prefix = os.path.join(out, "draws.csv")
    run = subprocess.run([SYNM, "run", model, "--output", prefix, "--json"] + args,
                         capture_output=True, text=True)
    if run.returncode != 0:
        check(False, f"{name}: synm exited {run.returncode}: {run.stderr}")
        return
    doc = json.loads(run.stdout)
    files = sorted(glob.glob(os.path.join(out, "draws_*.csv")))
    check(len(files) == chains, f"{name}: {len(files)} files, expected {chains}")
    kept = math.ceil(draws / thin)
    saved = math.ceil(warmup / thin) if save_warmup else 0

    direct = az.from_cmdstan(files)
    check("diverging" in direct.sample_stats and "energy" in direct.sample_stats, f"{name}: ArviZ sample_stats")
    check(direct.posterior.sizes["chain"] == chains and direct.posterior.sizes["draw"] == kept,
          f"{name}: ArviZ sees {dict(direct.posterior.sizes)}, expected {chains} chains of {kept} draws")
    divergent = int(direct.sample_stats["diverging"].values.sum())
    check(divergent == doc["divergences"], f"{name}: ArviZ counts {divergent} divergences, synm {doc['divergences']}")
    summarised = direct
    if cmdstanpy_reads:
        # cmdstanpy: from_csv reads synm's files as a CmdStan run.
        fit = cmdstanpy.from_csv(files)
        check(fit.chains == chains, f"{name}: cmdstanpy sees {fit.chains} chains")
        check(fit.num_draws_sampling == kept, f"{name}: cmdstanpy sees {fit.num_draws_sampling} draws, expected {kept}")
        check(fit.metadata.cmdstan_config["thin"] == thin, f"{name}: cmdstanpy thin")
        check(fit.metadata.cmdstan_config["save_warmup"] == int(save_warmup), f"{name}: cmdstanpy save_warmup")
        check(len(fit.step_size) == chains and all(s > 0 for s in fit.step_size), f"{name}: cmdstanpy step sizes")
        check(fit.inv_metric is not None and fit.inv_metric.shape[0] == chains, f"{name}: cmdstanpy inverse metric")
        if dense is not None:
            # dense_e: cmdstanpy reads the "Elements of inverse mass matrix" rows as a d×d
            # matrix per chain, symmetric as synm wrote it.
            check(fit.metric_type == "dense_e", f"{name}: cmdstanpy metric type {fit.metric_type}")
            check(fit.inv_metric.shape == (chains, dense, dense), f"{name}: cmdstanpy inverse metric shape {fit.inv_metric.shape}")
            check(all(np.array_equal(m, m.T) for m in fit.inv_metric), f"{name}: the dense inverse metric is not symmetric")
        draws_all = fit.draws(inc_warmup=save_warmup)
        check(draws_all.shape[0] == saved + kept and draws_all.shape[1] == chains,
              f"{name}: cmdstanpy draws shape {draws_all.shape}, expected ({saved + kept}, {chains}, …)")
        # ArviZ, by its own reader and through cmdstanpy: the draws of the files.
        via_cmdstanpy = az.from_cmdstanpy(fit)
        columns = fit.column_names
        for p in doc["parameters"]:
            arviz_name = p.split("[")[0]
            index = tuple(int(i) - 1 for i in p[len(arviz_name) + 1:-1].split(",")) if "[" in p else ()
            from_files = fit.draws()[:, :, columns.index(p)].T  # (chain, draw); cmdstanpy names columns theta[1]
            a = via_cmdstanpy.posterior[arviz_name].values[(slice(None), slice(None)) + index]
            b = direct.posterior[arviz_name].values[(slice(None), slice(None)) + index]
            check(np.array_equal(a, from_files) and np.array_equal(b, from_files),
                  f"{name}: {p}: ArviZ's draws differ from the files'")
        summarised = via_cmdstanpy

    # The summaries.
    summary = az.summary(summarised, round_to="none", stat_focus="mean")
    worst = {}
    by_stan_rule = []
    for p, s in doc["parameters"].items():
        # ArviZ labels elements from 0: synm's theta[1] is ArviZ's theta[0].
        base = p.split("[")[0]
        index = tuple(int(i) - 1 for i in p[len(base) + 1:-1].split(",")) if "[" in p else ()
        label = base + ("[" + ", ".join(str(int(i) - 1) for i in p[len(base) + 1:-1].split(",")) + "]" if "[" in p else "")
        row = summary.loc[label]
        pairs = [("mean", s["mean"], row["mean"], 1e-9, 1e-12), ("sd", s["sd"], row["sd"], 1e-9, 1e-12),
                 ("rhat", s["rhat"], row["r_hat"], 0.0, 1e-6), ("ess_bulk", s["ess_bulk"], row["ess_bulk"], 1e-6, 0.0),
                 ("ess_tail", s["ess_tail"], row["ess_tail"], 1e-6, 0.0),
                 ("mcse_mean", s["mcse_mean"], row["mcse_mean"], 1e-6, 1e-15)]
        draws_p = summarised.posterior[base].values[(slice(None), slice(None)) + index]
        if np.all(draws_p == np.round(draws_p)):
            pairs = [q for q in pairs if q[0] != "ess_tail"]
        stan = stan_summaries(draws_p)
        for i, q in enumerate(pairs):
            if q[0] in stan and stan[q[0]][1]:
                pairs[i] = (q[0], q[1], stan[q[0]][0], q[3], q[4])
                by_stan_rule.append(f"{p} {q[0]}")
        for stat, mine, theirs, rel, absolute in pairs:
            d = abs(mine - theirs) / max(abs(theirs), 1e-300)
            worst[stat] = max(worst.get(stat, 0.0), d)
            check(close(float(mine), float(theirs), rel, absolute), f"{name}: {p} {stat}: synm {mine}, ArviZ {theirs}")
    print("  largest relative differences from ArviZ: " + ", ".join(f"{k} {v:.1e}" for k, v in worst.items()))
    if by_stan_rule:
        print(f"  against Stan's truncation (the positive sequence ran to the end of the chain): {', '.join(by_stan_rule)}")


eight = os.path.join(ROOT, "models", "eight_schools.synm")
coin = os.path.join(ROOT, "models", "coin.synm")
case("nuts", eight, ["--seed", "1", "--chains", "4", "--warmup", "500", "--draws", "500"], 4, 500, 500)
# Warmup and draws divisible by thin: ArviZ's own reader counts num_warmup // thin saved
# warmup rows and num_samples // thin draws, where CmdStan (and synm, and cmdstanpy) keep
# ⌈n / thin⌉ iterations.
case("thin+save-warmup", eight, ["--seed", "2", "--chains", "2", "--warmup", "300", "--draws", "300", "--thin", "3",
                                 "--save-warmup"], 2, 300, 300, thin=3, save_warmup=True)
# Static HMC and Metropolis: ArviZ only. cmdstanpy's reader needs max_depth, which CmdStan
# writes for NUTS alone (it refuses CmdStan's own static HMC files too).
case("static hmc, sig-figs", coin, ["--seed", "3", "--chains", "3", "--warmup", "200", "--draws", "400", "--sampler", "hmc",
                                    "--sig-figs", "9"], 3, 400, 200, cmdstanpy_reads=False)
# A dense metric with step-size jitter: cmdstanpy reads the dense inverse metric.
case("nuts dense_e", eight, ["--seed", "5", "--chains", "2", "--warmup", "300", "--draws", "300", "--metric", "dense",
                             "--jitter", "0.2"], 2, 300, 300, dense=10)
case("metropolis", coin, ["--seed", "4", "--chains", "2", "--warmup", "300", "--draws", "400", "--sampler", "metropolis"],
     2, 400, 300, cmdstanpy_reads=False)



def fixed_param_case():
    """A model without parameters runs fixed_param: two sampler columns, no adaptation block,
    CmdStan's (to 2.36) echo of the NUTS configuration; cmdstanpy and ArviZ read the draws."""
    print("fixed_param: synm run (a model without parameters)")
    out = tempfile.mkdtemp(prefix="synm-interop-")
    model = os.path.join(out, "gq.synm")
    with open(model, "w") as f:
        f.write("predict y ~ normal(0, 1)\npredict k ~ poisson(3)\n")
    prefix = os.path.join(out, "draws.csv")
    run = subprocess.run([SYNM, "run", model, "--seed", "6", "--chains", "2", "--draws", "200", "--output", prefix, "--json"],
                         capture_output=True, text=True)
    if run.returncode != 0:
        check(False, f"fixed_param: synm exited {run.returncode}: {run.stderr}")
        return
    doc = json.loads(run.stdout)
    files = sorted(glob.glob(os.path.join(out, "draws_*.csv")))
    fit = cmdstanpy.from_csv(files)
    check(fit.column_names[:3] == ("lp__", "accept_stat__", "y"), f"fixed_param: columns {fit.column_names[:3]}")
    check(fit.draws().shape == (200, 2, 4), f"fixed_param: cmdstanpy draws shape {fit.draws().shape}")
    direct = az.from_cmdstan(files)
    check(dict(direct.posterior.sizes) == {"chain": 2, "draw": 200}, f"fixed_param: ArviZ sees {dict(direct.posterior.sizes)}")
    y = fit.draws()[:, :, fit.column_names.index("y")].T
    check(np.array_equal(direct.posterior["y"].values, y), "fixed_param: ArviZ's draws differ from cmdstanpy's")
    check(close(float(y.mean()), doc["parameters"]["y"]["mean"], 1e-9, 1e-12), "fixed_param: mean of y differs from synm's")


def no_warmup_case():
    """--warmup 0: adaptation off (engaged = 0) and no adaptation block, as CmdStan writes it.
    cmdstanpy 1.3's from_csv refuses num_warmup = 0 with any file (it validates the echo as
    new arguments), so ArviZ reads these."""
    print("warmup 0: synm run --warmup 0")
    out = tempfile.mkdtemp(prefix="synm-interop-")
    prefix = os.path.join(out, "draws.csv")
    run = subprocess.run([SYNM, "run", coin, "--seed", "7", "--chains", "2", "--warmup", "0", "--draws", "300",
                          "--output", prefix, "--json"], capture_output=True, text=True)
    if run.returncode != 0:
        check(False, f"warmup 0: synm exited {run.returncode}: {run.stderr}")
        return
    doc = json.loads(run.stdout)
    files = sorted(glob.glob(os.path.join(out, "draws_*.csv")))
    text = open(files[0]).read()
    check("engaged = 0" in text and "Adaptation terminated" not in text, "warmup 0: adaptation block or engaged = 1 written")
    direct = az.from_cmdstan(files)
    check(dict(direct.posterior.sizes) == {"chain": 2, "draw": 300}, f"warmup 0: ArviZ sees {dict(direct.posterior.sizes)}")
    p = direct.posterior["p"].values
    check(close(float(p.mean()), doc["parameters"]["p"]["mean"], 1e-9, 1e-12), "warmup 0: mean of p differs")


def variational_case(method):
    """synm variational's CSV (CmdStan's pathfinder or variational layout) read by cmdstanpy."""
    print(f"variational {method}: synm variational --output")
    out = tempfile.mkdtemp(prefix="synm-interop-")
    path = os.path.join(out, "approx.csv")
    run = subprocess.run([SYNM, "variational", eight, "--method", method, "--seed", "8", "--output", path, "--json"],
                         capture_output=True, text=True)
    if run.returncode != 0:
        check(False, f"variational {method}: synm exited {run.returncode}: {run.stderr}")
        return
    doc = json.loads(run.stdout)
    fit = cmdstanpy.from_csv([path])
    if method == "pathfinder":
        check(type(fit).__name__ == "CmdStanPathfinder", f"pathfinder: cmdstanpy made a {type(fit).__name__}")
        draws = fit.draws()
        names = list(fit.column_names)
    else:
        check(type(fit).__name__ == "CmdStanVB", f"meanfield: cmdstanpy made a {type(fit).__name__}")
        draws = fit.variational_sample
        names = list(fit.column_names)
    check(draws.shape[0] == doc["draws"], f"variational {method}: {draws.shape[0]} draws, synm says {doc['draws']}")
    for name in ("mu", "tau", "eta[1]"):
        mine = doc["summary"][name]["mean"]
        theirs = float(draws[:, names.index(name)].mean())
        check(close(mine, theirs, 1e-9, 1e-12), f"variational {method}: mean of {name}: synm {mine}, cmdstanpy {theirs}")


def matrix_case():
    """A matrix parameter: its columns in CmdStan's order (the first index fastest), so that
    cmdstanpy's stan_variable and ArviZ both read A[i, j] as A[i, j]."""
    print("matrix: synm run (a 2 x 3 parameter)")
    out = tempfile.mkdtemp(prefix="synm-interop-")
    model = os.path.join(out, "mat.synm")
    with open(model, "w") as f:
        f.write("param A: real[2, 3]\nfor i in 1..2 { for j in 1..3 { A[i, j] ~ normal(10 * i + j, 0.01) } }\n")
    prefix = os.path.join(out, "draws.csv")
    run = subprocess.run([SYNM, "run", model, "--seed", "9", "--chains", "2", "--draws", "200", "--output", prefix],
                         capture_output=True, text=True)
    if run.returncode != 0:
        check(False, f"matrix: synm exited {run.returncode}: {run.stderr}")
        return
    files = sorted(glob.glob(os.path.join(out, "draws_*.csv")))
    expected = np.array([[11, 12, 13], [21, 22, 23]], dtype=float)
    a = cmdstanpy.from_csv(files).stan_variable("A").mean(axis=0)
    check(np.allclose(a, expected, atol=0.05), f"matrix: cmdstanpy reads A as {a.round(2).tolist()}")
    b = az.from_cmdstan(files).posterior["A"].values.mean(axis=(0, 1))
    check(np.allclose(b, expected, atol=0.05), f"matrix: ArviZ reads A as {b.round(2).tolist()}")


fixed_param_case()
no_warmup_case()
matrix_case()
variational_case("pathfinder")
variational_case("meanfield")

if failures:
    print(f"interop: {len(failures)} failure(s)")
    sys.exit(1)
print(f"interop: synm's CSV read by cmdstanpy {cmdstanpy.__version__} and ArviZ {az.__version__}; summaries agree")
