"""Score every mean and median of the members' M3 forecasts.

usage: python3 bench/ensembles.py DIR MODEL...  (see bench/ensembles.sh)
Prints a Markdown report: the members alone, then every combination,
best first, as the mean over series of each series' sMAPE (M4's).
"""
import csv
import itertools
import statistics
import subprocess
import sys
import time

PERIODS = ["YEARLY", "QUARTERLY", "MONTHLY", "OTHER"]


def read_forecasts(path):
    """(id, ds) -> the point forecast of an fc-predict output."""
    with open(path, newline="") as f:
        rows = csv.DictReader(f)
        return {(r["unique_id"], r["ds"]): float(r["yhat"]) for r in rows}


def read_test(path):
    with open(path, newline="") as f:
        return [(r[0], r[1], float(r[2])) for i, r in enumerate(csv.reader(f)) if i]


def smape(test, fc):
    """Mean over series of the series' mean sMAPE, and the series count."""
    tot, cnt = {}, {}
    for sid, ds, y in test:
        yh = fc(sid, ds)
        tot[sid] = tot.get(sid, 0.0) + 200 * abs(yh - y) / (abs(y) + abs(yh))
        cnt[sid] = cnt.get(sid, 0) + 1
    return sum(tot[s] / cnt[s] for s in tot), len(tot)


def cpu_times(path):
    """model -> CPU seconds of fc-train over M3 (from /usr/bin/time)."""
    out = {}
    try:
        with open(path) as f:
            for line in f:
                p = line.split()
                if len(p) == 4:
                    out[p[0]] = out.get(p[0], 0.0) + float(p[2]) + float(p[3])
    except OSError:
        pass
    return out


def main():
    work, models = sys.argv[1], sys.argv[2:]
    scores = {}
    for per in PERIODS:
        test = read_test(f"{work}/test.{per}.csv")
        fc = {m: read_forecasts(f"{work}/f.{m}.{per}.csv") for m in models}
        for k in range(1, len(models) + 1):
            for combo in itertools.combinations(models, k):
                kinds = ["mean"] if k <= 2 else ["mean", "median"]
                if k == 1:
                    kinds = ["alone"]
                for kind in kinds:
                    agg = statistics.median if kind == "median" else statistics.fmean
                    s, n = smape(test, lambda i, d: agg([fc[m][(i, d)] for m in combo]))
                    scores.setdefault((combo, kind), {})[per] = (s, n)
    rows = []
    for (combo, kind), v in scores.items():
        total = sum(s for s, _ in v.values()) / sum(n for _, n in v.values())
        rows.append((total, combo, kind, {p: v[p][0] / v[p][1] for p in PERIODS}))
    rows.sort()
    cpu = cpu_times(f"{work}/times")
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = "?"
    print("# Ensembles on M3\n")
    print(f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}, commit {commit}. "
          "Each member fitted once per series by fc-train (train.selection.windows=0, "
          "one thread); sMAPE is the mean over series of each series' sMAPE (M4's "
          "definition), horizons 6/8/18/8. A mean or median of members is scored on "
          "their point forecasts, as `ensemble` combines them.\n")
    print("## Members alone\n")
    print("| member | ALL | YEARLY | QUARTERLY | MONTHLY | OTHER | fc-train CPU s (all M3) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for total, combo, kind, per in rows:
        if kind == "alone":
            c = cpu.get(combo[0])
            cs = f"{c:.1f}" if c is not None else ""
            print(f"| {combo[0]} | {total:.3f} | "
                  + " | ".join(f"{per[p]:.3f}" for p in PERIODS) + f" | {cs} |")
    print("\n## Combinations, best first\n")
    print("| members | combine | ALL | YEARLY | QUARTERLY | MONTHLY | OTHER |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for total, combo, kind, per in rows:
        if kind != "alone":
            print(f"| {', '.join(combo)} | {kind} | {total:.3f} | "
                  + " | ".join(f"{per[p]:.3f}" for p in PERIODS) + " |")


if __name__ == "__main__":
    main()
