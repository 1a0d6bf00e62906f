#!/usr/bin/env python3
"""Agreement of synm with posteriordb's reference posteriors (standard library only).

For every models/posteriordb/NAME.synm with a NAME.reference.json, runs
`synm run NAME.synm --chains 4 --seed S --json` (NAME.data.json beside it) and checks each
reference parameter:

  |mean - ref mean| < 0.1 ref sd   and   |sd / ref sd - 1| < 0.10

(the agreement criterion of docs/POSTERIORDB.md). So that a pass is not luck, the
run's own Monte Carlo error must be small against those tolerances: MCSE(mean) < 0.1 ref sd / 3
and MCSE(sd) < 0.10 ref sd / 3, else the parameter counts as inconclusive (a failure; raise
--draws). z is the mean difference over its Monte Carlo error, sqrt(MCSE^2 + ref MCSE^2), for information:
the reference's MCSE is its file's mcse_mean where given (references computed with Stan),
else ref sd / sqrt(10000) (posteriordb's 10000 draws, ESS about 10000 for these posteriors).

Usage: scripts/posteriordb/check.py [--synm PATH] [--seed S] [--draws N] [NAME ...]
(--draws: draws per chain, default 1000, except the models in DRAWS.)
Exit status 0 when every parameter of every model agrees, 1 otherwise.
"""
import argparse, json, math, os, subprocess, sys, time

# Models whose draws are strongly autocorrelated get more draws so that the check is
# conclusive: kidscore_interaction's uncentred interaction makes its coefficients correlate
# near -1 (ESS about 0.2 a draw: 730 from 4000 draws with 1000 a chain).
DRAWS = {"kidscore_interaction": "4000"}

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = os.path.join(ROOT, "models", "posteriordb")

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--synm", default=os.path.join(ROOT, ".build", "release", "synm"))
    ap.add_argument("--seed", default="1")
    ap.add_argument("--draws", default="1000")
    ap.add_argument("names", nargs="*")
    a = ap.parse_args()
    names = a.names or sorted(f[:-len(".reference.json")] for f in os.listdir(MODELS) if f.endswith(".reference.json"))
    failures, rows, total_params = [], [], 0
    started = time.time()
    print("%-24s %-10s %12s %12s %8s %7s %6s  %s" % ("model", "parameter", "ref mean", "synm mean", "dmean/sd", "sd ratio", "z", "result"))
    for name in names:
        ref = json.load(open(os.path.join(MODELS, name + ".reference.json")))
        cmd = [a.synm, "run", os.path.join(MODELS, name + ".synm"), "--chains", "4", "--seed", a.seed,
               "--draws", DRAWS.get(name, a.draws), "--json"]
        t0 = time.time()
        p = subprocess.run(cmd, capture_output=True, text=True)
        seconds = time.time() - t0
        if p.returncode != 0:
            failures.append("%s: synm exited %d: %s" % (name, p.returncode, p.stderr.strip()[:300]))
            print("%-24s synm failed (exit %d)" % (name, p.returncode))
            continue
        out = json.loads(p.stdout)
        for r in ref["parameters"]:
            total_params += 1
            k, m0, s0 = r["name"], r["mean"], r["sd"]
            s = out["parameters"].get(k)
            if s is None:
                failures.append("%s: no parameter %s in synm's output" % (name, k))
                continue
            dm = (s["mean"] - m0) / s0
            ratio = s["sd"] / s0
            ref_mcse = r.get("mcse_mean", s0 / 100.0)
            z = (s["mean"] - m0) / math.sqrt(s["mcse_mean"] ** 2 + ref_mcse ** 2)
            ok = abs(dm) < 0.1 and abs(ratio - 1) < 0.10
            conclusive = s["mcse_mean"] < 0.1 * s0 / 3 and s["mcse_sd"] < 0.10 * s0 / 3
            result = "ok" if ok and conclusive else ("inconclusive" if ok else "FAIL")
            if result != "ok":
                failures.append("%s %s: dmean/sd %.3f, sd ratio %.3f, mcse_mean %.3g, mcse_sd %.3g (%s)"
                                % (name, k, dm, ratio, s["mcse_mean"], s["mcse_sd"], result))
            print("%-24s %-10s %12.5g %12.5g %8.3f %7.3f %6.2f  %s" % (name, k, m0, s["mean"], dm, ratio, z, result))
        rows.append((name, seconds))
    print()
    print("%d models, %d parameters, %.0f s; %d failures" % (len(names), total_params, time.time() - started, len(failures)))
    for f in failures:
        print("  " + f)
    print("%d passed, %d failed" % (total_params - len(failures), len(failures)))
    return 1 if failures else 0

if __name__ == "__main__":
    sys.exit(main())
