#!/usr/bin/env bash
# The README's test command: installs what the tests need (idempotent), builds, runs every test.
# Ends with a plain "N passed, N failed, N skipped" line; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/prerequisites.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test WeightDecay.Notebooks.sln --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# Sum xunit's per-assembly summaries ("Failed:     0, Passed:    65, Skipped:     0") into one closing line.
python3 - "$log" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
runs = re.findall(r"Failed:\s*(\d+),\s*Passed:\s*(\d+),\s*Skipped:\s*(\d+)", text)
f = sum(int(r[0]) for r in runs); p = sum(int(r[1]) for r in runs); s = sum(int(r[2]) for r in runs)
print(f"tests: {p} passed, {f} failed, {s} skipped")
PY
if [ "$status" -ne 0 ]; then
  echo "dotnet test failed (exit $status)" >&2
fi
exit "$status"
