#!/usr/bin/env bash
# The README's test command: installs what the tests need (idempotent), builds, runs every test.
# Ends with a plain "N passed, N failed, N skipped" line; exits non-zero on any failure.
#   --full   the seed-spread tests run all 20 seeds their tolerances were measured over (by default a fixed sample of
#            three; tests/WeightDecay.Tests/SpreadSeeds.cs). Other arguments go to `dotnet test` (e.g. --filter ...).
set -euo pipefail
cd "$(dirname "$0")/.."

args=()
for a in "$@"; do
  if [ "$a" = "--full" ]; then export WD_SPREAD_SEEDS=all; else args+=("$a"); fi
done

bash scripts/prerequisites.sh

# libtorch's OpenMP threads sleep instead of spinning while they wait: the test host and the notebook processes run
# side by side, and spinning threads slow each other down several times on 2 cores (docs/performance.md § 5).
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# Most of the tests' .NET processes (runners, notebook processes, kernels) live seconds to a minute: no dynamic-PGO
# instrumentation, and a method is recompiled optimized after 2,000 calls instead of 30 — the second compilation of
# warm start-up code cost about a fifth of their CPU (docs/performance.md § 7). The notebook processes get the same
# settings from the runner itself.
export DOTNET_TieredPGO="${DOTNET_TieredPGO:-0}" DOTNET_TC_CallCountThreshold="${DOTNET_TC_CallCountThreshold:-2000}"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test WeightDecay.Notebooks.sln --nologo ${args[@]+"${args[@]}"} 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# Sum xunit's per-assembly summaries ("Failed:     0, Passed:    65, Skipped:     0") into one closing line.
{ grep -oE 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" || true; } \
  | awk -F'[:,] *' '{f += $2; p += $4; s += $6} END {printf "tests: %d passed, %d failed, %d skipped\n", p, f, s}'
if [ "$status" -ne 0 ]; then
  echo "dotnet test failed (exit $status)" >&2
fi
exit "$status"
