#!/usr/bin/env python
"""Stan's µs per log density + gradient on synm's loop benchmarks (models/ar5, arma11, garch11,
local_level), with the peers harness's own gradient benchmark (its bench.py `grad_stan`: stanc and
Stan headers from the httpstan wheel, g++ -O3, a C++ loop over stan::model::log_prob_grad<true,true>
on one thread, best of 5 repetitions of >= 1 s).

Run with the harness's Python (its venv has httpstan), from the repository root:

    PY="${PEERS_VENV:-$HOME/.cache/synm-peers-venv}/bin/python"
    "$PY" scripts/peers/stan_grad.py [--peers ../shared/peers] [MODEL ...]

The Stan programs are scripts/peers/stan/MODEL.stan; the data are models/MODEL.data.json (copied
to a scratch directory as MODEL.json, the name the harness expects). Nothing is written inside the
harness: its builds go to its cache (~/.cache/synm-peers/gradbench/). Prints one JSON line per model.
"""
import argparse
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import types

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MODELS = ["arma11", "ar5", "garch11", "local_level"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--peers", default=os.path.join(ROOT, "..", "shared", "peers"),
                    help="the peers harness directory (default ../shared/peers beside the checkout)")
    ap.add_argument("--grad-time", type=float, default=1.0, help="seconds per timing repetition")
    ap.add_argument("--cold", action="store_true", help="rebuild the benchmark binaries")
    ap.add_argument("models", nargs="*", default=MODELS)
    args = ap.parse_args()

    spec = importlib.util.spec_from_file_location("peers_bench", os.path.join(args.peers, "bench.py"))
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    scratch = tempfile.mkdtemp(prefix="synm-stan-grad-")
    try:
        for m in args.models:
            shutil.copyfile(os.path.join(ROOT, "models", f"{m}.data.json"), os.path.join(scratch, f"{m}.json"))
        bench.MODELS_DIR = HERE     # grad_stan reads MODELS_DIR/stan/MODEL.stan
        bench.DATA_DIR = scratch    # and DATA_DIR/MODEL.json
        for m in args.models:
            ns = types.SimpleNamespace(model=m, cold=args.cold, grad_time=args.grad_time)
            r = bench.grad_stan(ns, None)
            r.pop("gradbench_dir", None)
            print(json.dumps({"model": m, "usec_per_grad": round(r["sec_per_grad"] * 1e6, 3),
                              "usec_per_grad_median": round(r["sec_per_grad_median"] * 1e6, 3), **r}), flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
