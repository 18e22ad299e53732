#!/usr/bin/env python3
"""Per-notebook wall times from the runner's run.json files, as a Markdown table.

  python3 bench/walltimes.py DEFAULT_RUN_JSON [QUICK_RUN_JSON]

Each file is the run.json the runner writes next to index.html (<output>/reports/run.json; `bash scripts/run.sh --output DIR`).
Prints one row per notebook (default and quick seconds, status), the totals (sum of notebooks, and the runner's whole run,
which includes start-up and report writing) and the machine, commit and date of each run. Solutions notebooks are listed
after the lessons. With --budget SECONDS the total is compared with a budget (the workbook target: 360 s in default mode).

Reproduce both runs (the lead's final numbers; note the load average with each):
  uptime; bash scripts/run.sh --output artifacts/default; uptime
  uptime; bash scripts/run.sh --quick --output artifacts/quick; uptime
  python3 bench/walltimes.py artifacts/default/reports/run.json artifacts/quick/reports/run.json --budget 360
"""
import argparse, json, sys


def load(path):
    with open(path, encoding="utf-8") as f:
        run = json.load(f)
    return run, {n["name"]: n for n in run.get("notebooks", [])}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("default", help="run.json of a default-mode run")
    ap.add_argument("quick", nargs="?", help="run.json of a --quick run")
    ap.add_argument("--budget", type=float, help="budget in seconds for the default-mode total (e.g. 360)")
    args = ap.parse_args()

    d_run, d = load(args.default)
    q_run, q = load(args.quick) if args.quick else ({}, {})
    if d_run.get("quick"):
        print(f"warning: {args.default} is a --quick run", file=sys.stderr)
    if q_run and not q_run.get("quick"):
        print(f"warning: {args.quick} is not a --quick run", file=sys.stderr)

    names = list(d) + [n for n in q if n not in d]
    names.sort(key=lambda n: (n.startswith("solutions"), n))

    def cell(table, name):
        n = table.get(name)
        if n is None:
            return "–"
        s = f"{n['duration_seconds']:.1f}"
        return s if n.get("status") == "passed" else f"{s} ({n.get('status')})"

    print("| notebook | default s | quick s |")
    print("|---|--:|--:|")
    for name in names:
        print(f"| `{name}` | {cell(d, name)} | {cell(q, name) if q_run else '–'} |")
    d_sum = sum(n["duration_seconds"] for n in d.values())
    q_sum = sum(n["duration_seconds"] for n in q.values())
    print(f"| **sum of notebooks** | **{d_sum:.1f}** | **{q_sum:.1f}** |" if q_run else f"| **sum of notebooks** | **{d_sum:.1f}** | – |")
    qw = f"{q_run['duration_seconds']:.1f}" if q_run else "–"
    print(f"| whole run (runner) | {d_run['duration_seconds']:.1f} | {qw} |")
    print()
    for label, run in (("default", d_run), ("quick", q_run)):
        if run:
            m = run.get("machine", {})
            print(f"- {label}: {run.get('started')}, commit {str(run.get('commit'))[:10]}, "
                  f"{m.get('OS')}, {m.get('cores')} cores, {m.get('memory')}")
    if args.budget:
        total = d_run["duration_seconds"]
        verdict = "met" if total < args.budget else "missed"
        print(f"- default-mode whole run {total:.1f} s vs budget {args.budget:.0f} s: {verdict}")
    failed = [n for n in names if d.get(n, {}).get("status", "passed") != "passed" or q.get(n, {}).get("status", "passed") != "passed"]
    if failed:
        print(f"- failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
