#!/usr/bin/env bash
# Release-mode agreement suite: every models/posteriordb model against posteriordb's reference
# posterior (mean within 0.1 sd, sd within 10%). Builds the release synm if it is missing.
# Usage: scripts/posteriordb/check.sh [NAME ...]   (docs/POSTERIORDB.md)
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v python3 >/dev/null 2>&1; then
  echo "scripts/posteriordb/check.sh: skipped, python3 is not installed"
  exit 0
fi
[ -x .build/release/synm ] || swift build -c release --product synm
exec python3 scripts/posteriordb/check.py "$@"
