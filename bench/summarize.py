#!/usr/bin/python3
"""Turns one benchmark's raw data into Markdown tables: per tool, then the ratios.

    summarize.py --title T --hyperfine results.json --rss rss.tsv \
        --ratio 'wall:okhealth-check/curl<=1.5' --ratio 'rss:okhealth-check/python<=0.5'

--hyperfine: hyperfine's --export-json file; each command must have been given a name with
  --command-name, the name used everywhere else. Repeated (one file per round of runs), the
  rounds' times are pooled.
--rss: lines "NAME<TAB>KiB", one per run (GNU time's %M, the peak resident set size).
--ratio: KIND:A/B, optionally followed by <=X or >=X (a goal). KIND is wall (median wall
  time), cpu (mean user+system time) or rss (median peak RSS).
"""

import argparse
import json
import re
import statistics
import sys

RATIO = re.compile(r"^(wall|cpu|rss):([^/]+)/([^<>=]+?)(?:(<=|>=)([0-9.]+))?$")
KIND_TEXT = {"wall": "median wall time", "cpu": "mean CPU time", "rss": "median peak RSS"}


def ms(seconds):
    return f"{seconds * 1000:.1f} ms" if seconds >= 0.1 else f"{seconds * 1000:.2f} ms"


def times(value):
    return f"{value:.1f}×" if value >= 10 else f"{value:.2f}×"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--title", required=True)
    parser.add_argument("--hyperfine", required=True, action="append")
    parser.add_argument("--rss", required=True)
    parser.add_argument("--ratio", action="append", default=[])
    args = parser.parse_args()

    # name -> {"times": [...], "cpu": [(mean user+system, runs), ...]}, in first-seen order
    pooled = {}
    for path in args.hyperfine:
        with open(path, encoding="utf-8") as f:
            for r in json.load(f)["results"]:
                entry = pooled.setdefault(r["command"], {"times": [], "cpu": []})
                entry["times"].extend(r["times"])
                entry["cpu"].append((r["user"] + r["system"], len(r["times"])))
    rss = {}
    with open(args.rss, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                name, kib = line.rstrip("\n").split("\t")
                rss.setdefault(name, []).append(int(kib))

    stats = {}
    for name, entry in pooled.items():
        t = entry["times"]
        stats[name] = {
            "wall": statistics.median(t),
            "mean": statistics.mean(t),
            "stddev": statistics.stdev(t) if len(t) > 1 else 0.0,
            "min": min(t),
            "max": max(t),
            "cpu": sum(cpu * n for cpu, n in entry["cpu"]) / len(t),
            "runs": len(t),
            "rss": statistics.median(rss[name]) / 1024.0 if name in rss else None,
            "rss_runs": len(rss.get(name, [])),
        }

    print(f"#### {args.title}")
    print()
    print("| tool | median wall | mean ± σ | min … max | CPU user+sys (mean) | peak RSS (median) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, s in stats.items():
        rss_text = f"{s['rss']:.1f} MiB ({s['rss_runs']} runs)" if s["rss"] is not None else "–"
        print(
            f"| {name} | **{ms(s['wall'])}** ({s['runs']} runs) | {ms(s['mean'])} ± {ms(s['stddev'])} "
            f"| {ms(s['min'])} … {ms(s['max'])} | {ms(s['cpu'])} | {rss_text} |"
        )
    print()

    if not args.ratio:
        return 0
    print("| ratio | value | goal | met? |")
    print("|---|---:|---|---|")
    for spec in args.ratio:
        m = RATIO.match(spec)
        if not m:
            sys.exit(f"summarize.py: bad --ratio {spec!r}")
        kind, a, b, op, goal = m.groups()
        if a not in stats or b not in stats:
            sys.exit(f"summarize.py: --ratio {spec!r} names an unknown tool (known: {', '.join(stats)})")
        value = stats[a][kind] / stats[b][kind]
        if op is None:
            goal_text, met = "–", "–"
        else:
            target = float(goal)
            ok = value <= target if op == "<=" else value >= target
            goal_text = f"{'≤' if op == '<=' else '≥'} {target:g}×"
            met = "yes" if ok else "**no**"
        print(f"| {KIND_TEXT[kind]}: {a} / {b} | {times(value)} | {goal_text} | {met} |")
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
