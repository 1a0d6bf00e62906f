#!/usr/bin/env bash
# Interoperability with the Stan ecosystem: synm's CSV files read by cmdstanpy (from_csv) and
# ArviZ (from_cmdstan, from_cmdstanpy), their summaries compared with synm's --json
# (tests/interop/compare.py). Makes a virtual environment in .build/interop-venv (or
# $SYNM_INTEROP_VENV) and installs tests/interop/requirements.txt there. Uses $SYNM, else
# .build/release/synm, else .build/debug/synm. Without python3, its venv module or pip (or
# without network to install), it prints why and exits 0: a skip, not a pass.
set -euo pipefail
cd "$(dirname "$0")/../.."

skip() { echo "interop: SKIPPED: $*"; exit 0; }

synm=${SYNM:-}
if [ -z "$synm" ]; then
  for candidate in .build/release/synm .build/debug/synm; do
    if [ -x "$candidate" ]; then synm=$candidate; break; fi
  done
fi
if [ -z "$synm" ]; then
  echo "interop: no synm binary: run 'swift build -c release' first" >&2
  exit 1
fi

command -v python3 >/dev/null 2>&1 || skip "python3 not found"
venv=${SYNM_INTEROP_VENV:-.build/interop-venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >/dev/null 2>&1 || { rm -rf "$venv"; skip "python3 -m venv failed (is python3-venv installed?)"; }
fi
if ! "$venv/bin/python" -c "import cmdstanpy, arviz" >/dev/null 2>&1; then
  echo "interop: installing cmdstanpy and arviz into $venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/interop/requirements.txt \
    || skip "pip could not install cmdstanpy and arviz (no network?)"
fi
exec "$venv/bin/python" tests/interop/compare.py "$synm"
