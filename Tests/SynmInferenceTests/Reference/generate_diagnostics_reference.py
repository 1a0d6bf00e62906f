#!/usr/bin/env python3
"""Reference values for synm's MCMC diagnostics (Sources/SynmInference/Diagnostics).

Writes, next to this script:
  diagnostics_draws.csv     set,chain,value   (draws of each set, chain-major, in draw order)
  diagnostics_expected.csv  set,quantity,stan,arviz
      stan  = an independent NumPy transcription of Stan's C++ (src/stan/analyze/mcmc/
              {split_chains,rank_normalization,rhat,split_rank_normalized_rhat,ess,
              split_rank_normalized_ess,mcse}.hpp) plus posterior's R `.mcse_quantile`
              (R/convergence.R), with synm's documented choices (see below). The Swift tests
              must match this column to 1e-6 relative.
      arviz = arviz.stats.diagnostics (0.23.4) on the same draws, or "" where ArviZ has no
              such quantity. Differs by design where noted in "differences" below.

Run:  ~/.cache/synm-peers-venv/bin/python generate_diagnostics_reference.py
(created by ../shared/peers/setup.sh, beside the checkout: Python 3.11, numpy 2.4.6, scipy, arviz 0.23.4).

Conventions (all shared with the Swift code):
  * split: Stan's split_chains — halves [0, h) and [h, 2h), h = floor(N/2); for odd N the
    LAST draw is dropped (ArviZ and posterior drop the middle draw instead).
  * rank normalisation: z = Phi^-1((r - 3/8)/(S + 1/4)), r = average ranks of pooled split draws.
  * R-hat = max(bulk, tail); tail folds at the median of the pooled split draws (Stan).
  * ESS: Stan's ess.hpp (Geyer initial positive + in-loop monotone sequence, antithetic term,
    tau >= 1/log10(S)); synm returns NaN when var+ is not positive or a rho is NaN (Stan's
    NaN guard would give S/2 there; ArviZ gives NaN).
  * tail ESS: min(ESS(I[x <= q05]), ESS(I[x >= q95])) with quantiles of the split draws (Stan).
  * mcse_mean: sd(all draws)/sqrt(ESS(split x)) (posterior/ArviZ; Stan's mcse.hpp uses the
    unsplit ESS).
  * mcse_sd: Stan's mcse.hpp delta method with ESS of split |x - mean| (ArviZ uses (x-mean)^2).
  * mcse_quantile: posterior's .mcse_quantile, round() of a*S on 1-based order statistics
    (ArviZ 0.23.4 uses floor/ceil); the indicator uses the quantile of all draws, its ESS
    the Stan split.
  * quantiles: type 7 (numpy default, posterior quantile2, Stan math quantile) of all draws;
    mad = 1.4826 * median(|x - median(x)|) of all draws (R mad, posterior/stansummary).
  * NaN everywhere for diagnostics when a draw is non-finite or all draws are equal
    (posterior returns R-hat 1 for constant draws; ArviZ returns ESS = S).
  * E-BFMI per chain: sum_{n>=2}(E_n - E_{n-1})^2 / sum_n (E_n - mean E)^2 (ArviZ's bfmi equals
    this; CmdStan's diagnose pools chains).
"""
import csv
import os
import sys

import numpy as np
import scipy
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------------------- draws

def ar1(rng, chains, n, phi, means, innovations=None):
    x = np.empty((chains, n))
    for c in range(chains):
        e = rng.standard_normal(n) if innovations is None else innovations(rng, n)
        v = e[0] / np.sqrt(1 - phi * phi)
        for i in range(n):
            v = phi * v + e[i] if i else v
            x[c, i] = means[c] + v
    return x


def make_sets():
    rng = np.random.default_rng(20240611)
    sets = {}
    sets["ar1_shifted"] = ar1(rng, 4, 500, 0.9, [0.0, 0.0, 0.4, -0.3])
    sets["heavy_tailed"] = ar1(rng, 4, 400, 0.5, [0.0] * 4, lambda r, n: r.standard_t(1.5, n))
    sets["odd_length"] = ar1(rng, 4, 201, 0.6, [1.0] * 4)
    sets["single_chain"] = ar1(rng, 1, 300, 0.3, [2.0])
    sets["antithetic"] = ar1(rng, 2, 300, -0.6, [0.0, 0.0])
    sets["sticky"] = ar1(rng, 4, 60, 0.995, [0.0] * 4)
    sets["ties_poisson"] = rng.poisson(3.0, size=(4, 200)).astype(float)
    sets["short"] = ar1(rng, 4, 9, 0.2, [0.0] * 4)
    # Geyer's sum runs past 64 lags here, so synm's autocovariances switch to the FFT.
    sets["slow_mixing"] = ar1(rng, 4, 2000, 0.97, [0.0] * 4)
    sets["constant"] = np.full((4, 100), 2.5)
    with_nan = ar1(rng, 4, 100, 0.2, [0.0] * 4)
    with_nan[2, 37] = np.nan
    sets["with_nan"] = with_nan
    # Nine significant digits keep the CSV small; the reference is computed from the
    # rounded values, so nothing is lost.
    return {k: np.array([[float(f"{v:.9g}") for v in row] for row in x]) for k, x in sets.items()}


# ------------------------------------------------- NumPy transcription of Stan (+ posterior)

def split_chains(x):
    h = x.shape[1] // 2
    out = []
    for c in range(x.shape[0]):
        out += [x[c, :h], x[c, h:2 * h]]
    return np.array(out)


def valid(x):
    return bool(np.all(np.isfinite(x))) and np.max(x) != np.min(x)


def rank_transform(x):
    r = stats.rankdata(x.ravel(), method="average")
    return stats.norm.ppf((r - 0.375) / (x.size + 0.25)).reshape(x.shape)


def rhat_basic(x):
    c, n = x.shape
    means = x.mean(axis=1)
    b = n * np.var(means, ddof=1)
    w = np.mean(np.var(x, axis=1, ddof=1))
    return np.sqrt((b / w + n - 1) / n)


def autocov(y):
    n = len(y)
    d = y - y.mean()
    m = 1
    while m < 2 * n:
        m *= 2
    f = np.fft.rfft(d, m)
    return np.fft.irfft(f * np.conj(f), m)[:n] / n


def ess(x):
    c, n = x.shape
    acov = np.array([autocov(x[i]) for i in range(c)])
    chain_mean = x.mean(axis=1)
    chain_var = acov[:, 0] * n / (n - 1)
    w = chain_var.mean()
    var_plus = w * (n - 1) / n
    if c > 1:
        var_plus += np.var(chain_mean, ddof=1)
    if not var_plus > 0:
        return np.nan
    rho = np.zeros(n)
    even = 1.0
    rho[0] = even
    odd = 1 - (w - acov[:, 1].mean()) / var_plus
    rho[1] = odd
    t = 1
    while t < n - 4 and even + odd > 0 and not np.isnan(even + odd):
        even = 1 - (w - acov[:, t + 1].mean()) / var_plus
        odd = 1 - (w - acov[:, t + 2].mean()) / var_plus
        if even + odd >= 0:
            rho[t + 1] = even
            rho[t + 2] = odd
        if rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t]:
            rho[t + 1] = (rho[t - 1] + rho[t]) / 2
            rho[t + 2] = rho[t + 1]
        t += 2
    max_t = t
    if even > 0:
        rho[max_t + 1] = even
    if np.isnan(rho).any():
        return np.nan
    s = c * n
    tau = -1 + 2 * rho[:max_t].sum() + rho[max_t + 1]
    tau = max(tau, 1 / np.log10(s))
    return s / tau


def stan_like(x):
    """Every quantity the Swift code reports, by synm's conventions."""
    out = {}
    flat = x.ravel()
    ok = valid(x)
    sp = split_chains(x)
    n_split = sp.shape[1]
    nan = float("nan")
    if ok and n_split >= 2:
        bulk = rhat_basic(rank_transform(sp))
        tail = rhat_basic(rank_transform(np.abs(sp - np.quantile(sp.ravel(), 0.5))))
        out.update(rhat=max(bulk, tail), rhat_bulk=bulk, rhat_tail=tail)
    else:
        out.update(rhat=nan, rhat_bulk=nan, rhat_tail=nan)
    if ok and n_split >= 4:
        out["ess_bulk"] = ess(rank_transform(sp))
        lo = ess((sp <= np.quantile(sp.ravel(), 0.05)).astype(float))
        hi = ess((sp >= np.quantile(sp.ravel(), 0.95)).astype(float))
        out["ess_tail"] = hi if np.isnan(lo) else lo if np.isnan(hi) else min(lo, hi)
        out["ess_mean"] = ess(sp)
        out["mcse_mean"] = np.std(flat, ddof=1) / np.sqrt(out["ess_mean"])
        ctr = np.abs(x - flat.mean())
        ess_ctr = ess(split_chains(ctr))
        evar = np.mean(ctr ** 2)
        out["mcse_sd"] = np.sqrt((np.mean(ctr ** 4) - evar ** 2) / ess_ctr / evar / 4)
        srt = np.sort(flat)
        size = srt.size
        for p, name in [(0.05, "q5"), (0.5, "q50"), (0.95, "q95")]:
            e = ess(split_chains((x <= np.quantile(flat, p)).astype(float)))
            out["ess_" + name] = e
            a = stats.beta.ppf([0.1586553, 0.8413447], e * p + 1, e * (1 - p) + 1)
            i1 = max(int(np.round(a[0] * size)), 1)  # np.round: half to even, like R round
            i2 = min(int(np.round(a[1] * size)), size)
            out["mcse_" + name] = (srt[i2 - 1] - srt[i1 - 1]) / 2
    else:
        for k in ["ess_bulk", "ess_tail", "ess_mean", "mcse_mean", "mcse_sd",
                  "ess_q5", "ess_q50", "ess_q95", "mcse_q5", "mcse_q50", "mcse_q95"]:
            out[k] = nan
    has_nan = bool(np.isnan(flat).any())
    out["mean"] = flat.mean()
    out["sd"] = np.std(flat, ddof=1)
    for p, name in [(0.05, "q5"), (0.5, "q50"), (0.95, "q95")]:
        out[name] = nan if has_nan else np.quantile(flat, p)
    out["mad"] = nan if has_nan else 1.4826 * np.median(np.abs(flat - np.median(flat)))
    return out


def ebfmi(energy):
    return np.sum(np.diff(energy) ** 2) / np.sum((energy - energy.mean()) ** 2)


# ------------------------------------------------------------------------------ ArviZ

def arviz_values(x):
    import warnings
    warnings.simplefilter("ignore")
    import logging
    logging.getLogger("arviz").setLevel(logging.ERROR)
    import arviz as az
    # With numba installed, ArviZ 0.23.4's mcse(method="sd") raises a TypeError
    # (float() of a 1-element array); its pure-NumPy path is fine.
    az.Numba.disable_numba()
    d = az.convert_to_dataset({"v": x[None] if x.ndim == 1 else x})

    def one(f):
        try:
            return float(f(d)["v"].values)
        except Exception:
            return float("nan")

    out = {
        "rhat": one(lambda d: az.rhat(d, method="rank")),
        "ess_bulk": one(lambda d: az.ess(d, method="bulk")),
        "ess_tail": one(lambda d: az.ess(d, method="tail")),
        "ess_mean": one(lambda d: az.ess(d, method="mean")),
        "mcse_mean": one(lambda d: az.mcse(d, method="mean")),
        "mcse_sd": one(lambda d: az.mcse(d, method="sd")),
    }
    for p, name in [(0.05, "q5"), (0.5, "q50"), (0.95, "q95")]:
        out["ess_" + name] = one(lambda d: az.ess(d, method="quantile", prob=p))
        out["mcse_" + name] = one(lambda d: az.mcse(d, method="quantile", prob=p))
    return out, az.__version__


def cross_check(name, x, ours, theirs):
    """Where the definitions coincide (even N, not near Geyer's lag limit, continuous
    draws), the transcription must equal ArviZ to rounding; print the worst disagreement."""
    from arviz.stats.diagnostics import _ess_mean
    if x.shape[1] % 2 or not valid(x) or name in ("sticky", "short", "single_chain"):
        return
    keys = ["rhat", "ess_bulk", "ess_mean", "mcse_mean", "ess_q5", "ess_q50", "ess_q95"]
    if name != "ties_poisson":
        keys.append("ess_tail")
    worst = max(abs(ours[k] - theirs[k]) / abs(ours[k]) for k in keys)
    # mcse_sd: ArviZ's formula with Stan's ESS input (split |x - mean|) must match ours.
    ctr = x - x.mean()
    evar = np.mean(ctr ** 2)
    hybrid = np.sqrt((np.mean(ctr ** 4) - evar ** 2) / _ess_mean(np.abs(ctr)) / evar / 4)
    worst = max(worst, abs(hybrid - ours["mcse_sd"]) / ours["mcse_sd"])
    print(f"{name}: max relative difference from ArviZ where definitions agree: {worst:.2e}")
    assert worst < 1e-10, name


def main():
    sets = make_sets()
    rows, draw_rows = [], []
    az_version = "?"
    for name, x in sets.items():
        for c in range(x.shape[0]):
            draw_rows += [(name, c, repr(float(v))) for v in x[c]]
        ours = stan_like(x)
        theirs, az_version = arviz_values(x)
        cross_check(name, x, ours, theirs)
        for k, v in ours.items():
            a = theirs.get(k)
            rows.append((name, k, repr(float(v)), "" if a is None else repr(a)))
        if name == "ar1_shifted":  # treat the chains as energies for E-BFMI
            import arviz as az
            bf = az.bfmi(x)
            for c in range(x.shape[0]):
                rows.append((name, f"ebfmi_{c}", repr(float(ebfmi(x[c]))), repr(float(bf[c]))))
    with open(os.path.join(HERE, "diagnostics_draws.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["set", "chain", "value"])
        w.writerows(draw_rows)
    with open(os.path.join(HERE, "diagnostics_expected.csv"), "w", newline="") as f:
        f.write(f"# generated by generate_diagnostics_reference.py: python {sys.version.split()[0]}, "
                f"numpy {np.__version__}, scipy {scipy.__version__}, arviz {az_version}\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["set", "quantity", "stan", "arviz"])
        w.writerows(rows)


if __name__ == "__main__":
    main()
