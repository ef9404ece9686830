#!/usr/bin/python3
"""report_clean - turn bench/clean.sh's raw timings into JSON and markdown.

usage: report_clean.py WORKDIR OUTPREFIX

Reads WORKDIR/{times,panels,failed}.tsv and versions.txt, writes
OUTPREFIX.json (every raw timing, medians, rates, ratios) and OUTPREFIX.md
(the tables for the README). MB are 10^6 bytes of input panel; rows are the
panel's data rows (the input, before duplicates and gaps are resolved).
"""
import json
import statistics
import sys

CASES = ["fc-load", "fc-clean", "fc-clean-unsorted", "mlr-cat", "pandas"]
SPEEDUP_MLR, SPEEDUP_PANDAS, RSS_FLAT = 5.0, 10.0, 1.2


def tsv(path):
    with open(path) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def read_versions(path):
    with open(path) as f:
        return dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)


def case_result(rows, nbytes, nrows):
    runs = [{"wall_s": float(r[3]), "time_e_s": float(r[4]),
             "max_rss_kb": int(r[5])} for r in rows]
    med = statistics.median(r["wall_s"] for r in runs)
    return {
        "median_s": round(med, 4),
        "min_s": min(r["wall_s"] for r in runs),
        "max_s": max(r["wall_s"] for r in runs),
        "mb_per_s": round(nbytes / 1e6 / med, 1),
        "rows_per_s": round(nrows / med),
        "peak_rss_kb": max(r["max_rss_kb"] for r in runs),
        "runs": runs,
    }


def ratio(res, a, b):
    if a in res and b in res and "median_s" in res[a] and "median_s" in res[b]:
        return round(res[b]["median_s"] / res[a]["median_s"], 2)
    return None


def panel_result(p, times, failed):
    size = p[0]
    nbytes, nrows = int(p[3]), int(p[4])
    res = {}
    for case in CASES:
        rows = [t for t in times if t[0] == size and t[1] == case]
        if rows:
            res[case] = case_result(rows, nbytes, nrows)
    for f in failed:
        if f[0] == size:
            res[f[1]] = {"failed": True, "exit_status": int(f[3]),
                         "stderr": f[4] if len(f) > 4 else ""}
    return {
        "size": size, "series": int(p[1]), "days": int(p[2]),
        "bytes": nbytes, "rows": nrows,
        "check": {
            "fc_clean_rows": int(p[5]), "pandas_rows": int(p[6]),
            "rows_differing": int(p[7]),
            "unsorted_identical": {"true": True, "false": False}.get(p[8]),
        },
        "results": res,
        "speedup": {
            "fc_clean_vs_mlr_cat": ratio(res, "fc-clean", "mlr-cat"),
            "fc_clean_vs_pandas": ratio(res, "fc-clean", "pandas"),
            "fc_clean_unsorted_vs_pandas": ratio(res, "fc-clean-unsorted",
                                                 "pandas"),
        },
    }


def targets(panels):
    out = {"fc_clean_vs_mlr_cat_min": SPEEDUP_MLR,
           "fc_clean_vs_pandas_min": SPEEDUP_PANDAS,
           "rss_growth_max": RSS_FLAT}
    mlr = [p["speedup"]["fc_clean_vs_mlr_cat"] for p in panels]
    pds = [p["speedup"]["fc_clean_vs_pandas"] for p in panels]
    out["fc_clean_vs_mlr_cat_met"] = (None not in mlr and
                                      all(x >= SPEEDUP_MLR for x in mlr))
    out["fc_clean_vs_pandas_met"] = (None not in pds and
                                     all(x >= SPEEDUP_PANDAS for x in pds))
    rss = {p["size"]: p["results"].get("fc-clean", {}).get("peak_rss_kb")
           for p in panels}
    out["fc_clean_peak_rss_kb"] = rss
    grouped = sorted((p["series"], rss[p["size"]]) for p in panels
                     if rss[p["size"]])
    if len(grouped) >= 2:
        g = round(grouped[-1][1] / grouped[0][1], 2)
        out["rss_growth"] = g
        out["rss_flat_met"] = g <= RSS_FLAT
    return out


def markdown(doc):
    v, m = doc["versions"], doc["machine"]
    lines = [
        "# fc-clean throughput",
        "",
        f"{doc['date']}, commit {doc['commit']}, {m['nproc']} cores "
        f"({m['cpu']}), median of {doc['runs']} runs. "
        f"fc {v.get('fc_clean', '?')}, {v.get('mlr', '?')}, "
        f"pandas {v.get('pandas', '?')} (Python {v.get('python', '?')}).",
        "MB/s and rows/s are input panel bytes (10^6) and data rows over the "
        "median wall time; RSS is the peak over the runs.",
    ]
    for p in doc["panels"]:
        lines += ["", f"## {p['series']:,} series x {p['days']:,} days: "
                  f"{p['bytes'] / 1e6:.1f} MB, {p['rows']:,} rows", "",
                  "| command | median s | MB/s | rows/s | peak RSS MB |",
                  "| --- | ---: | ---: | ---: | ---: |"]
        for case in CASES:
            r = p["results"].get(case)
            if r is None:
                continue
            if r.get("failed"):
                lines.append(f"| {case} | failed (exit {r['exit_status']}) "
                             "| | | |")
                continue
            lines.append(f"| {case} | {r['median_s']:.3f} | "
                         f"{r['mb_per_s']:.1f} | {r['rows_per_s']:,} | "
                         f"{r['peak_rss_kb'] / 1024:.1f} |")
        s, c = p["speedup"], p["check"]
        lines += ["", f"Speed-up of fc-clean: {fmt(s['fc_clean_vs_mlr_cat'])}x "
                  f"over `mlr cat` (target {SPEEDUP_MLR:g}x), "
                  f"{fmt(s['fc_clean_vs_pandas'])}x over pandas "
                  f"(target {SPEEDUP_PANDAS:g}x). "
                  f"Rows out: fc-clean {c['fc_clean_rows']:,}, pandas "
                  f"{c['pandas_rows']:,}; rows differing: "
                  f"{c['rows_differing']}."
                  + ("" if c["unsorted_identical"] is None else
                     " The date-ordered panel cleans to "
                     + ("the same bytes." if c["unsorted_identical"]
                        else "DIFFERENT bytes."))]
    t = doc["targets"]
    if "rss_growth" in t:
        rss = ", ".join(f"{k}: {v / 1024:.1f} MB"
                        for k, v in t["fc_clean_peak_rss_kb"].items() if v)
        lines += ["", f"fc-clean peak RSS on grouped input ({rss}): "
                  f"{t['rss_growth']}x from the fewest to the most series "
                  f"(target: at most {RSS_FLAT:g}x)."]
    return "\n".join(lines) + "\n"


def fmt(x):
    return "?" if x is None else f"{x:g}"


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: report_clean.py WORKDIR OUTPREFIX\n")
        return 64
    work, prefix = argv[1], argv[2]
    v = read_versions(f"{work}/versions.txt")
    times, failed = tsv(f"{work}/times.tsv"), tsv(f"{work}/failed.tsv")
    panels = [panel_result(p, times, failed) for p in tsv(f"{work}/panels.tsv")]
    doc = {
        "benchmark": "clean",
        "date": v.pop("date"), "commit": v.pop("commit"),
        "machine": {"nproc": int(v.pop("nproc")), "cpu": v.pop("cpu"),
                    "mem_kb": int(v.pop("mem_kb")), "kernel": v.pop("kernel")},
        "runs": int(v.pop("runs")), "seed": int(v.pop("seed")),
        "config": "bench/config.yaml",
        "versions": v,
        "panels": panels,
        "targets": targets(panels),
    }
    with open(prefix + ".json", "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    with open(prefix + ".md", "w") as f:
        f.write(markdown(doc))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
