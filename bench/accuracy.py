#!/usr/bin/env python3
"""accuracy.py - score the forecasts of bench/accuracy.sh, write the report.

sMAPE and MASE as the M4 competition's evaluation code defines them
("Benchmarks and Evaluation.R" of Mcompetitions/M4-methods): per series
the mean over the horizon of 200|y - f| / (|y| + |f|), and of |y - f| over
the in-sample mean absolute difference at lag m (m = the frequency of the
dataset's meta.csv); the score of a method is the mean over series. OWA
is the mean of the two ratios to Naive2: here R's Naive2 written the M4
way (bench/accuracy.R) on the same series, on M4 also the published one.

A method is scored, for fc and R alike, on the series where both
produced its forecasts: fc falling back to another model (a series too
short, values a model cannot take) or R stopping with an error takes the
series out for both, and the counts are reported.
"""
import argparse
import csv
import gzip
import json
import math
import os
import platform
import statistics
import subprocess
from collections import defaultdict

METHODS = ["naive", "snaive", "mean", "drift", "naive2", "ses", "holt",
           "damped", "ses_m4", "holt_m4", "damped_m4", "holt_winters",
           "holt_winters_mul", "theta", "croston"]
# the fc model each method runs (the *_m4 run on the adjusted series)
FC_MODEL = {m: m.replace("_m4", "") for m in METHODS}
# published M4 benchmarks, by the method that computes them here
M4_PUB = {"naive": "Naive", "snaive": "sNaive", "naive2": "Naive2",
          "ses_m4": "SES", "holt_m4": "Holt", "damped_m4": "Damped",
          "theta": "Theta"}
M4_EXACT = ["naive", "snaive", "naive2", "ses_m4"]
# original M3 methods, by the method closest to them here
M3_PUB = {"naive2": "NAIVE2", "ses_m4": "SINGLE", "holt_m4": "HOLT",
          "damped_m4": "DAMPEN", "theta": "THETA"}
M3_SPLITS = ["YEARLY", "QUARTERLY", "MONTHLY", "OTHER"]


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def num(s):
    try:
        v = float(s)
    except (TypeError, ValueError):
        return math.nan
    return v


def series_values(path):
    out = defaultdict(list)
    for r in read_csv(path):
        out[r["unique_id"]].append(float(r["y"]))
    return out


def scale(x, m):
    d = [abs(x[t] - x[t - m]) for t in range(m, len(x))]
    return sum(d) / len(d)


def per_series(y, f, s):
    """(sMAPE, MASE) of forecasts f against y with MASE scale s."""
    sm = [200 * abs(a - b) / (abs(a) + abs(b)) for a, b in zip(y, f)]
    ae = [abs(a - b) / s for a, b in zip(y, f)]
    return sum(sm) / len(sm), sum(ae) / len(ae)


def forecasts(path):
    """{(method, id): [yhat by h]}"""
    out = defaultdict(dict)
    for r in read_csv(path):
        out[(r["method"], r["unique_id"])][int(r["h"])] = num(r["yhat"])
    return {k: [v[h] for h in sorted(v)] for k, v in out.items()}


def fc_failures(d):
    """{(method, id): why} for series where fc fitted another model."""
    bad = {}
    with open(os.path.join(d, "fc_models")) as f:
        for line in f:
            sid, tag, model = line.strip().split(",")
            if model != FC_MODEL[tag]:
                bad[(tag, sid)] = "fell back to " + model
    return bad


def times_fc(d, nser):
    out = {}
    with open(os.path.join(d, "fc_times")) as f:
        for line in f:
            tag, cpu, wall = line.split()
            out[tag] = {"cpu_seconds": float(cpu), "wall_seconds": float(wall),
                        "cpu_seconds_per_series": float(cpu) / nser}
    return out


def split_scores(ds, label, m, d):
    train = series_values(os.path.join(d, "train.csv"))
    test = series_values(os.path.join(d, "test.csv"))
    ids = sorted(test)
    sc = {i: scale(train[i], m) for i in ids}
    fcf = forecasts(os.path.join(d, "fc_forecasts.csv"))
    rf = forecasts(os.path.join(d, "r_forecasts.csv"))
    fbad = fc_failures(d)
    rbad, rsec = {}, defaultdict(list)
    for r in read_csv(os.path.join(d, "r_times.csv")):
        rsec[r["method"]].append(float(r["seconds"]))
        if r["status"] != "ok":
            rbad[(r["method"], r["unique_id"])] = r["status"]
    ftimes = times_fc(d, len(ids))
    # per-series scores of R's naive2, the OWA reference
    ref = {i: per_series(test[i], rf[("naive2", i)], sc[i]) for i in ids
           if ("naive2", i) not in rbad}
    out = {}
    for meth in METHODS:
        if not any((meth, i) in fcf for i in ids):
            continue
        ok, why_fc, why_r, rows = [], defaultdict(int), defaultdict(int), {}
        for i in ids:
            f, r = fcf.get((meth, i)), rf.get((meth, i))
            bad = False
            if (meth, i) in fbad or f is None or len(f) != len(test[i]) \
                    or not all(map(math.isfinite, f)):
                why_fc[fbad.get((meth, i), "no forecast")] += 1
                bad = True
            if r is None or (meth, i) in rbad:
                why_r[rbad.get((meth, i), "not run")] += 1
                bad = True
            if bad or i not in ref:
                continue
            ok.append(i)
            rows[i] = (per_series(test[i], f, sc[i]),
                       per_series(test[i], r, sc[i]))
        res = {"series": len(ids), "scored": len(ok),
               "fc_failed": dict(why_fc), "r_failed": dict(why_r),
               "per_series": rows, "ref": {i: ref[i] for i in ok},
               "fc_time": ftimes.get(meth)}
        secs = rsec.get(meth, [])
        if secs:
            res["r_time"] = {"seconds": sum(secs),
                             "seconds_per_series": sum(secs) / len(secs),
                             "median_seconds": statistics.median(secs),
                             "max_seconds": max(secs)}
        out[meth] = res
    return out


def summarise(rows, ref, n):
    """fc and R (sMAPE, MASE, OWA) means over the series of rows."""
    if not rows:
        return None
    s = {}
    ids = list(rows)
    rs = sum(ref[i][0] for i in ids) / len(ids)
    rm = sum(ref[i][1] for i in ids) / len(ids)
    for k, tool in enumerate(["fc", "R"]):
        sm = sum(rows[i][k][0] for i in ids) / len(ids)
        ms = sum(rows[i][k][1] for i in ids) / len(ids)
        s[tool] = {"smape": sm, "mase": ms,
                   "owa": (sm / rs + ms / rm) / 2}
    s["naive2_ref"] = {"smape": rs, "mase": rm}
    return s


def m4_published(data):
    pub = {}
    for r in read_csv(os.path.join(data, "m4-results",
                                   "point_forecasts_by_frequency.csv")):
        pub[r["method"]] = r
    return pub


def m3_published(data, splits):
    """sMAPE and MASE of original M3 methods, per period and ALL."""
    meta = {r["unique_id"]: r for r in
            read_csv(os.path.join(data, "m3", "meta.csv"))}
    train = series_values(os.path.join(data, "m3", "train.csv"))
    test = series_values(os.path.join(data, "m3", "test.csv"))
    want = set(M3_PUB.values())
    fc = defaultdict(dict)
    with gzip.open(os.path.join(data, "m3", "published_forecasts.csv.gz"),
                   "rt", newline="") as f:
        for r in csv.DictReader(f):
            if r["method"] in want:
                fc[(r["method"], r["unique_id"])][int(r["h"])] = float(r["yhat"])
    per = defaultdict(list)
    for (meth, i), v in fc.items():
        m = int(meta[i]["frequency"])
        f = [v[h] for h in sorted(v)]
        s = per_series(test[i], f, scale(train[i], m))
        per[(meth, meta[i]["period"])].append(s)
        per[(meth, "ALL")].append(s)
    return {k: {"smape": sum(a for a, _ in v) / len(v),
                "mase": sum(b for _, b in v) / len(v), "series": len(v)}
            for k, v in per.items()}


def r_versions():
    try:
        out = subprocess.run(
            ["Rscript", "-e", 'cat(R.version.string, "\\n", '
             'as.character(packageVersion("forecast")), "\\n", sep = "")'],
            capture_output=True, text=True, check=True).stdout.split("\n")
        return out[0], out[1]
    except (OSError, subprocess.CalledProcessError):
        return "unknown", "unknown"


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "os": platform.platform()}


def fmt(x, d=3):
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) \
        else f"{x:.{d}f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--note", default="",
                    help="how this run was made, when it was not one run")
    for a in ["data", "splits", "total", "commit", "fc-version", "json",
              "md"]:
        ap.add_argument("--" + a, required=True)
    o = ap.parse_args()
    splits = []
    with open(o.splits) as f:
        for line in f:
            ds, label, m, d = line.split()
            splits.append((ds, label, int(m), d))
    m4 = m4_published(o.data)
    m3 = m3_published(o.data, splits) if any(s[0] == "m3" for s in splits) \
        else {}
    results, pooled = [], defaultdict(lambda: ({}, {}))
    walls = {}
    for ds, label, m, d in splits:
        sc = split_scores(ds, label, m, d)
        with open(os.path.join(d, "fc_wall")) as f:
            fw = float(f.read())
        with open(os.path.join(d, "r_wall")) as f:
            rw = float(f.read())
        walls[(ds, label)] = (fw, rw)
        for meth, r in sc.items():
            for i, v in r["per_series"].items():
                pooled[(ds, meth)][0][i] = v
                pooled[(ds, meth)][1][i] = r["ref"][i]
            results.append(entry(ds, label, m, meth, r,
                                 summarise(r["per_series"], r["ref"], 0),
                                 m4, m3))
    # ALL rows: the mean over every series of the dataset
    for ds in dict.fromkeys(s[0] for s in splits):
        if sum(1 for s in splits if s[0] == ds) < 2:
            continue
        for meth in METHODS:
            if (ds, meth) not in pooled:
                continue
            rows, ref = pooled[(ds, meth)]
            agg = {"series": sum(e["series"] for e in results
                                 if e["dataset"] == ds and e["method"] == meth),
                   "scored": len(rows), "fc_failed": {}, "r_failed": {}}
            for e in results:
                if e["dataset"] == ds and e["method"] == meth:
                    for k in ("fc_failed", "r_failed"):
                        for why, c in e[k].items():
                            agg[k][why] = agg[k].get(why, 0) + c
            results.append(entry(ds, "ALL", None, meth, agg,
                                 summarise(rows, ref, 0), m4, m3))
    targets = check_targets(results)
    rver, fver = r_versions()
    doc = {
        "benchmark": "accuracy",
        "command": "make bench-accuracy",
        "commit": o.commit,
        "fc_version": o.fc_version,
        "r_version": rver, "r_forecast_version": fver,
        "machine": machine(),
        "total_wall_seconds": float(o.total),
        "note": o.note,
        "split_wall_seconds": [{"dataset": k[0], "split": k[1], "fc": v[0],
                                "R": v[1]} for k, v in walls.items()],
        "definitions": __doc__.strip(),
        "targets": targets,
        "results": results,
    }
    split_rows = [e for e in results if e["split"] != "ALL"]
    doc["fc_cpu_seconds"] = sum(e["fc_time"]["cpu_seconds"]
                                for e in split_rows if e.get("fc_time"))
    doc["r_seconds"] = sum(e["r_time"]["seconds"]
                           for e in split_rows if e.get("r_time"))
    tmp = o.json + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=1, allow_nan=False)
        f.write("\n")
    os.replace(tmp, o.json)
    tmp = o.md + ".tmp"
    with open(tmp, "w") as f:
        f.write(markdown(doc, walls))
    os.replace(tmp, o.md)


def entry(ds, label, m, meth, r, s, m4, m3):
    e = {"dataset": ds, "split": label, "m": m, "method": meth,
         "series": r["series"], "scored": r["scored"],
         "fc_failed": r["fc_failed"], "r_failed": r["r_failed"],
         "fc": s["fc"] if s else None, "R": s["R"] if s else None,
         "naive2_ref": s["naive2_ref"] if s else None,
         "published": None}
    if r.get("fc_time"):
        e["fc_time"] = r["fc_time"]
    if r.get("r_time"):
        e["r_time"] = r["r_time"]
    if ds.startswith("m4-") and meth in M4_PUB:
        p = m4[M4_PUB[meth]]
        e["published"] = {"source": "M4 " + M4_PUB[meth],
                          "smape": float(p["sMAPE_" + label]),
                          "mase": float(p["MASE_" + label]),
                          "owa": float(p["OWA_" + label])}
    if ds == "m3" and meth in M3_PUB and (M3_PUB[meth], label) in m3:
        p = m3[(M3_PUB[meth], label)]
        n2 = m3[("NAIVE2", label)]
        e["published"] = {"source": "M3 " + M3_PUB[meth], **p,
                          "owa": (p["smape"] / n2["smape"] +
                                  p["mase"] / n2["mase"]) / 2}
    return e


def check_targets(results):
    t = []
    by = {(e["dataset"], e["split"], e["method"]): e for e in results}
    for ds, label in [("m4-hourly", "Hourly"), ("m4-weekly", "Weekly")]:
        for meth in M4_EXACT:
            e = by.get((ds, label, meth))
            if not e or not e["fc"]:
                continue
            for k in ("smape", "mase"):
                p = e["published"][k]
                for tool in ("fc", "R"):
                    v = e[tool][k]
                    t.append({"target": f"{ds} {meth} {k} = published M4 "
                              f"{M4_PUB[meth]} to 3 decimals ({tool})",
                              "tool": tool, "value": v, "reference": p,
                              "pass": round(v, 3) == p and
                              e["scored"] == e["series"]})
    for label in M3_SPLITS:
        for meth in ["ses", "holt", "damped", "theta"]:
            e = by.get(("m3", label, meth))
            if not e or not e["fc"]:
                continue
            v, r = e["fc"]["smape"], e["R"]["smape"]
            t.append({"target": f"m3 {label} {meth} sMAPE within 1% of R",
                      "tool": "fc", "value": v, "reference": r,
                      "ratio": v / r, "pass": abs(v / r - 1) <= 0.01})
    e = by.get(("m3", "ALL", "theta"))
    if e and e["fc"] and e["published"]:
        for tool in ("fc", "R"):
            v, r = e[tool]["smape"], e["published"]["smape"]
            t.append({"target": "m3 ALL theta sMAPE within 1% of the "
                      f"original M3 THETA ({tool})", "tool": tool,
                      "value": v, "reference": r, "ratio": v / r,
                      "pass": abs(v / r - 1) <= 0.01})
    return t


def markdown(doc, walls):
    L = []
    w = L.append
    w("# Accuracy: fc against R forecast and published scores\n")
    w(f"{doc['machine']['cpu']}, {doc['machine']['cores']} cores (shared); "
      f"commit {doc['commit']}, {doc['fc_version']}, {doc['r_version']}, "
      f"forecast {doc['r_forecast_version']}. Wall time of the run: "
      f"{doc['total_wall_seconds'] / 60:.1f} min; CPU: fc "
      f"{doc['fc_cpu_seconds'] / 60:.1f} min, R "
      f"{doc['r_seconds'] / 60:.1f} min (sum of the per-series calls).\n")
    if doc["note"]:
        w(doc["note"] + "\n")
    w("sMAPE and MASE as the M4 evaluation code defines them (mean over "
      "series of the mean over the horizon; MASE scaled by the in-sample "
      "lag-m naive error, m = the dataset's frequency); OWA against R's "
      "Naive2 (the M4 benchmark written in bench/accuracy.R) on the same "
      "series. `*_m4` are the M4 benchmarks SES, Holt and Damped: the "
      "method on the series divided by the seasonal indices of Naive2's "
      "test and decomposition, multiplied back (fc: its own naive2 "
      "indices and ses/holt/damped; R: the M4 way). A method is scored on "
      "the series where both tools produced it; `fails` counts the others "
      "(fc fell back to another model / R stopped). Time: fc = CPU "
      "seconds of fc-train + fc-predict over the split per series; R = "
      "mean elapsed seconds of the call per series (one process each).\n")
    w("## Targets\n")
    w("| target | value | reference | ratio | result |")
    w("| --- | ---: | ---: | ---: | --- |")
    for t in doc["targets"]:
        w(f"| {t['target']} | {t['value']:.4f} | {t['reference']:.4f} | "
          f"{fmt(t.get('ratio'), 4)} | {'PASS' if t['pass'] else 'MISS'} |")
    npass = sum(t["pass"] for t in doc["targets"])
    w(f"\n{npass} of {len(doc['targets'])} targets met.\n")
    w("## Scores\n")
    cur = None
    for e in doc["results"]:
        key = (e["dataset"], e["split"])
        if key != cur:
            cur = key
            wall = walls.get(key)
            w(f"\n### {e['dataset']} {e['split']}" +
              (f" (m = {e['m']}, {e['series']} series; wall fc "
               f"{wall[0]:.0f} s, R {wall[1]:.0f} s)" if wall else
               f" ({e['series']} series)") + "\n")
            w("| method | fc sMAPE | R sMAPE | fc/R | fc MASE | R MASE | "
              "fc/R | fc OWA | R OWA | published sMAPE | MASE | OWA | "
              "scored | fails fc/R | fc ms | R ms |")
            w("| --- " + "| ---: " * 15 + "|")
        if not e["fc"]:
            w(f"| {e['method']} | n/a |" + " |" * 14)
            continue
        p = e["published"] or {}
        ft, rt = e.get("fc_time"), e.get("r_time")
        w(f"| {e['method']} | {e['fc']['smape']:.3f} | {e['R']['smape']:.3f} "
          f"| {e['fc']['smape'] / e['R']['smape']:.4f} "
          f"| {e['fc']['mase']:.3f} | {e['R']['mase']:.3f} "
          f"| {e['fc']['mase'] / e['R']['mase']:.4f} "
          f"| {e['fc']['owa']:.3f} | {e['R']['owa']:.3f} "
          f"| {fmt(p.get('smape'))} | {fmt(p.get('mase'))} "
          f"| {fmt(p.get('owa'))} | {e['scored']} "
          f"| {sum(e['fc_failed'].values())}/{sum(e['r_failed'].values())} "
          f"| {fmt(ft['cpu_seconds_per_series'] * 1e3, 1) if ft else ''} "
          f"| {fmt(rt['seconds_per_series'] * 1e3, 1) if rt else ''} |")
    w("\n## Not scored, and why\n")
    seen = False
    for e in doc["results"]:
        if e["split"] == "ALL":
            continue
        for tool, k in (("fc", "fc_failed"), ("R", "r_failed")):
            for why, c in sorted(e[k].items()):
                seen = True
                w(f"- {e['dataset']} {e['split']} {e['method']}: {tool} "
                  f"{why} ({c} series)")
    for ds, label in walls:
        m = next(e["m"] for e in doc["results"]
                 if (e["dataset"], e["split"]) == (ds, label))
        if m == 1:
            seen = True
            w(f"- {ds} {label}: holt_winters, holt_winters_mul n/a "
              "(m = 1, no season; R's hw() refuses frequency 1)")
    if not seen:
        w("- nothing")
    w("")
    return "\n".join(L)


if __name__ == "__main__":
    main()
