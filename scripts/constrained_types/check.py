#!/usr/bin/env python3
"""Release-mode check of Stan's constrained types (Sources/SynmRuntime/Evaluator+ConstrainedTypes.swift):
models whose posterior moments are known in closed form, sampled by the release synm with more
draws than the debug tests can afford, each mean within 4.5 Monte Carlo standard errors
(synm's mcse_mean) of its exact value. Standard library only.

  simplex[10], no term: Dirichlet(1, ..., 1): E[theta_k] = 1/10, Var = (K-1)/(K^2 (K+1)) = 9/1100.
  corr_matrix[4], no term: LKJ(1) (Lewandowski, Kurowicka and Joe 2009): r = 2 Beta(2, 2) - 1,
      E[r] = 0, E[r^2] = 1/(K+1) = 1/5.
  cholesky_factor_corr[3] with target += log(L[2, 2]): Stan's lkj_corr_cholesky(1) density
      prod_k L_kk^(K-k+2eta-2) (Stan Functions Reference), so Omega = L L' is LKJ(1): E[r^2] = 1/4.
  unit_vector[5], no term: uniform on the sphere: E[u_k] = 0, E[u_k^2] = 1/5.
  ordered[3] with c ~ normal(0, 1): the order statistics of 3 standard normals:
      E[c1] = -3/(2 sqrt(pi)), E[c2] = 0, E[c3] = 3/(2 sqrt(pi)).
  positive_ordered[2] with c ~ exponential(1): order statistics of 2 Exp(1): E = 1/2, 3/2.
  cov_matrix[2] with target += -tr(S)/2: Wishart(nu = 3, I): E[S11] = 3, E[S12] = 0, Var(S11) = 6.
  cholesky_factor_cov[3, 2] with target += -sum(L^2)/2: diagonal half-normal, the rest normal:
      E[L11] = sqrt(2/pi), E[L21^2] = 1, E[L32] = 0.

Usage: scripts/constrained_types/check.sh  (exit 1 if any mean is off by more than 4.5 MCSE)
"""
import json
import math
import os
import subprocess
import sys
import tempfile

SYNM = os.path.join(os.path.dirname(__file__), "..", "..", ".build", "release", "synm")

CASES = [
    ("simplex", """param theta: simplex[10]
let d1 = square(theta[1] - 0.1)
let d10 = square(theta[10] - 0.1)
""", {"theta[1]": 0.1, "theta[7]": 0.1, "theta[10]": 0.1, "d1": 9 / 1100, "d10": 9 / 1100}),
    ("corr_matrix", """param R: corr_matrix[4]
let r12 = square(R[1, 2])
let r34 = square(R[3, 4])
let r14 = square(R[1, 4])
""", {"R[1, 2]": 0, "R[2, 4]": 0, "r12": 0.2, "r34": 0.2, "r14": 0.2}),
    ("cholesky_factor_corr", """param L: cholesky_factor_corr[3]
target += log(L[2, 2])
let r12 = square(L[2, 1])
let r13 = square(L[3, 1])
let r23 = square(L[2, 1] * L[3, 1] + L[2, 2] * L[3, 2])
""", {"L[2, 1]": 0, "r12": 0.25, "r13": 0.25, "r23": 0.25}),
    ("unit_vector", """param u: unit_vector[5]
let u1 = square(u[1])
let u5 = square(u[5])
""", {"u[1]": 0, "u[5]": 0, "u1": 0.2, "u5": 0.2}),
    ("ordered", """param c: ordered[3]
c ~ normal(0, 1)
""", {"c[1]": -1.5 / math.sqrt(math.pi), "c[2]": 0, "c[3]": 1.5 / math.sqrt(math.pi)}),
    ("positive_ordered", """param c: positive_ordered[2]
c ~ exponential(1)
""", {"c[1]": 0.5, "c[2]": 1.5}),
    ("cov_matrix", """param S: cov_matrix[2]
target += -0.5 * (S[1, 1] + S[2, 2])
let v11 = square(S[1, 1] - 3)
""", {"S[1, 1]": 3, "S[2, 2]": 3, "S[1, 2]": 0, "v11": 6}),
    ("cholesky_factor_cov", """param L: cholesky_factor_cov[3, 2]
target += -0.5 * (square(L[1, 1]) + square(L[2, 1]) + square(L[2, 2]) + square(L[3, 1]) + square(L[3, 2]))
let l21 = square(L[2, 1])
""", {"L[1, 1]": math.sqrt(2 / math.pi), "L[2, 2]": math.sqrt(2 / math.pi), "l21": 1, "L[3, 2]": 0}),
]


def main():
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, text, expected in CASES:
            path = os.path.join(tmp, name + ".synm")
            with open(path, "w") as f:
                f.write(text)
            out = subprocess.run([SYNM, "run", path, "--seed", "11", "--warmup", "1000", "--draws", "5000", "--json"],
                                 capture_output=True, text=True)
            if out.returncode != 0:
                print(f"{name}: synm exited {out.returncode}: {out.stderr.strip()}")
                failures += 1
                continue
            doc = json.loads(out.stdout)["parameters"]
            for key, value in expected.items():
                mean, mcse = doc[key]["mean"], doc[key]["mcse_mean"]
                z = (mean - value) / mcse
                ok = abs(z) <= 4.5
                failures += 0 if ok else 1
                print(f"{'ok  ' if ok else 'FAIL'} {name:22s} {key:9s} mean {mean: .5f}  exact {value: .5f}  "
                      f"mcse {mcse:.5f}  z {z: .2f}")
    print(f"{failures} of the checks failed" if failures else "all within 4.5 MCSE")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
