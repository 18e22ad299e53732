#!/usr/bin/env bash
# Every performance measurement of docs/performance.md, in one command (from anywhere):
#   bash bench/run-all.sh [OUTPUT_DIR]            (default: artifacts/bench; about 25 minutes on an idle 2-core machine)
# Environment: WD_BENCH_THREADS=1 (thread counts, default "1,2"), WD_BENCH_JOB="--job short" (BenchmarkDotNet job arguments,
# default: BenchmarkDotNet's default job), WD_BENCH_WALLTIMES=0 to skip the two workbook runs.
# Writes BenchmarkDotNet's reports (results/*.md), steps.md (the interleaved training-step ratios), memory.md, pytorch.md (when /usr/bin/python3 has torch), walltimes.md and
# load.txt (uptime before and after each step) to OUTPUT_DIR. Exits non-zero when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-artifacts/bench}")
mkdir -p "$out"
load() { echo "$1: $(date -u +%FT%TZ) $(uptime)" | tee -a "$out/load.txt"; }
: > "$out/load.txt"
{ nproc; lscpu | grep -E 'Model name|MHz|L2|L3' || true; free -g | head -2; uname -srm; } > "$out/machine.txt" 2>&1

dotnet build -c Release bench/WeightDecay.Benchmarks --nologo -v q
load "benchmarks start"
# shellcheck disable=SC2086
dotnet run -c Release --no-build --project bench/WeightDecay.Benchmarks -- --filter '*' --artifacts "$out" ${WD_BENCH_JOB:-}
load "benchmarks end"

# the interleaved training-step ratios of § 1 (the Targets table's coupled / decoupled ≤ 1.05 rows)
threads=${WD_BENCH_THREADS:-1,2}
load "interleaved steps start"
: > "$out/steps.md"
for t in ${threads//,/ }; do
  dotnet run -c Release --no-build --project bench/WeightDecay.Benchmarks -- steps --legacy --threads "$t" | tee -a "$out/steps.md"
done
load "interleaved steps end"

load "memory start"
dotnet run -c Release --no-build --project bench/WeightDecay.Benchmarks -- memory --trainings 20 --epochs 3 | tee "$out/memory.md"
load "memory end"

if /usr/bin/python3 -c "import torch" 2>/dev/null; then
  load "pytorch start"
  # shellcheck disable=SC2086
  /usr/bin/python3 bench/pytorch/train_step.py --threads ${threads//,/ } | tee "$out/pytorch.md"
  load "pytorch end"
else
  echo "No torch for /usr/bin/python3 (Debian: apt-get install python3-torch): PyTorch comparison skipped." | tee "$out/pytorch.md"
fi

if [ "${WD_BENCH_WALLTIMES:-1}" != 0 ]; then
  load "workbook default start"
  bash scripts/run.sh --output "$out/run-default" > "$out/run-default.log" 2>&1 || echo "default run failed (see run-default.log)"
  load "workbook default end / quick start"
  bash scripts/run.sh --quick --output "$out/run-quick" > "$out/run-quick.log" 2>&1 || echo "quick run failed (see run-quick.log)"
  load "workbook quick end"
  python3 bench/walltimes.py "$out/run-default/reports/run.json" "$out/run-quick/reports/run.json" --budget 360 | tee "$out/walltimes.md"
fi
echo "Results in $out"
