#!/usr/bin/env bash
# Release-mode moments of Stan's constrained types against closed forms (check.py says which).
# Builds the release synm if it is missing. Usage: scripts/constrained_types/check.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v python3 >/dev/null 2>&1; then
  echo "scripts/constrained_types/check.sh: skipped, python3 is not installed"
  exit 0
fi
[ -x .build/release/synm ] || swift build -c release --product synm
exec python3 scripts/constrained_types/check.py "$@"
