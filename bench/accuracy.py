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

The automatic models: fc's ets and arima (train.models=[ets] / [arima])
against R's ets() and auto.arima() with their defaults; fc's default
(fc-train with neither train.models nor selection windows, the default
model) against every R method, each on the series where both produced
forecasts: "better than R's best" means below every one of them.

m4-weekly-52 is M4 weekly with both tools told the year of 52 weeks
(M4 gives weekly series frequency 1): there MASE is scaled by the lag-52
naive error, M4's published scores do not apply, and fc's default is
held against R's methods both told the season and as M4 gives the series
(those named "(m4-weekly)"). mstl: fc's mstl with ETS on the adjusted
series against R's stlf(), on seasonal splits.

BENCH_EVERY=k (bench/accuracy.sh) scores every k-th series of a split;
every method is scored on that sample. Published M4 scores are for the
whole split: on a sample the M4 references are the published benchmark
submissions' forecasts (benchmark_forecasts.csv: Naive, sNaive, Naive2,
SES) scored on the same series, and the M3 ones the original M3
forecasts on the same series.
"""
import argparse
import csv
import functools
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
           "holt_winters_mul", "theta", "croston", "mstl", "ets", "arima",
           "default"]
# R's methods: all but fc's default
R_METHODS = METHODS[:-1]
# the fc model each method runs (the *_m4 run on the adjusted series);
# default's is whatever the default model is
FC_MODEL = {m: m.replace("_m4", "") for m in METHODS}
AUTO = ["ets", "arima"]
# published M4 benchmarks, by the method that computes them here
M4_PUB = {"naive": "Naive", "snaive": "sNaive", "naive2": "Naive2",
          "ses_m4": "SES", "holt_m4": "Holt", "damped_m4": "Damped",
          "theta": "Theta"}
M4_EXACT = ["naive", "snaive", "naive2", "ses_m4"]
# original M3 methods, by the method closest to them here
M3_PUB = {"naive2": "NAIVE2", "ses_m4": "SINGLE", "holt_m4": "HOLT",
          "damped_m4": "DAMPEN", "theta": "THETA"}
M3_SPLITS = ["YEARLY", "QUARTERLY", "MONTHLY", "OTHER"]
# the M4 splits as M4 gives them, whose published scores apply
M4_AS_GIVEN = ["m4-hourly", "m4-weekly"]
# a split told a season its dataset does not give, and the split of the
# same series as given: fc's default there is held against R's methods of
# both
TOLD = {"m4-weekly-52": "m4-weekly"}


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
            if tag != "default" and model != FC_MODEL[tag]:
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
    # R's times reused from an earlier run (accuracy.sh writes r_from)
    other_run = os.path.exists(os.path.join(d, "r_from"))
    # per-series scores of R's naive2, the OWA reference
    ref = {i: per_series(test[i], rf[("naive2", i)], sc[i]) for i in ids
           if ("naive2", i) not in rbad}
    out = {}

    def r_ok(meth, i):
        r = rf.get((meth, i))
        return r is not None and (meth, i) not in rbad and \
            len(r) == len(test[i])
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
            if meth != "default" and not r_ok(meth, i):
                why_r[rbad.get((meth, i), "not run")] += 1
                bad = True
            if bad or i not in ref:
                continue
            ok.append(i)
            rows[i] = (per_series(test[i], f, sc[i]),
                       per_series(test[i], r, sc[i]) if r else None)
        res = {"series": len(ids), "scored": len(ok),
               "fc_failed": dict(why_fc), "r_failed": dict(why_r),
               "per_series": rows, "ref": {i: ref[i] for i in ok},
               "fc_time": ftimes.get(meth)}
        if meth == "default":
            # fc's default against each R method, on the series of both
            res["vs_r"] = {rm: {i: (rows[i][0][0], per_series(
                test[i], rf[(rm, i)], sc[i])[0]) for i in ok if r_ok(rm, i)}
                for rm in R_METHODS if any((rm, i) in rf for i in ids)}
        secs = rsec.get(meth, [])
        if secs:
            res["r_time"] = {"seconds": sum(secs),
                             "seconds_per_series": sum(secs) / len(secs),
                             "median_seconds": statistics.median(secs),
                             "max_seconds": max(secs),
                             "other_run": other_run}
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
        if rows[ids[0]][k] is None:
            s[tool] = None
            continue
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


def m4_submissions(data, ds, d, m, ids):
    """sMAPE and MASE of the published M4 benchmark submissions
    (benchmark_forecasts.csv) on the series ids of split directory d."""
    train = series_values(os.path.join(d, "train.csv"))
    test = series_values(os.path.join(d, "test.csv"))
    fc = forecasts(os.path.join(data, ds, "benchmark_forecasts.csv"))
    out = {}
    for meth in set(M4_PUB[k] for k in M4_EXACT):
        v = [per_series(test[i], fc[(meth, i)], scale(train[i], m))
             for i in ids]
        if v:
            out[meth] = {"smape": sum(a for a, _ in v) / len(v),
                         "mase": sum(b for _, b in v) / len(v)}
    return out


@functools.lru_cache(maxsize=None)
def m3_data(data):
    """M3's meta rows by id, its training and its test values: read once,
    for the sample's scores and for those of every series."""
    meta = {r["unique_id"]: r for r in
            read_csv(os.path.join(data, "m3", "meta.csv"))}
    return (meta, series_values(os.path.join(data, "m3", "train.csv")),
            series_values(os.path.join(data, "m3", "test.csv")))


@functools.lru_cache(maxsize=None)
def m3_original_forecasts(data):
    """{(method, id): [yhat by h]} of every original M3 method, read once."""
    fc = defaultdict(dict)
    with gzip.open(os.path.join(data, "m3", "published_forecasts.csv.gz"),
                   "rt", newline="") as f:
        for r in csv.DictReader(f):
            fc[(r["method"], r["unique_id"])][int(r["h"])] = float(r["yhat"])
    return {k: [v[h] for h in sorted(v)] for k, v in fc.items()}


def m3_original(data, sample, want=None):
    """{(method, id): (sMAPE, MASE)} of the original M3 methods (those in
    want, every one when None) on the series of sample, with
    {id: period}."""
    meta, train, test = m3_data(data)
    out = {}
    for (meth, i), f in m3_original_forecasts(data).items():
        if (want is None or meth in want) and i in sample:
            m = int(meta[i]["frequency"])
            out[(meth, i)] = per_series(test[i], f, scale(train[i], m))
    return out, {i: meta[i]["period"] for i in sample}


def m3_published(data, splits, sample):
    """sMAPE and MASE of original M3 methods, per period and ALL, on the
    series of sample."""
    orig, period = m3_original(data, sample, set(M3_PUB.values()))
    per = defaultdict(list)
    for (meth, i), s in orig.items():
        per[(meth, period[i])].append(s)
        per[(meth, "ALL")].append(s)
    return {k: {"smape": sum(a for a, _ in v) / len(v),
                "mase": sum(b for _, b in v) / len(v), "series": len(v)}
            for k, v in per.items()}


def m3_all(data, d):
    """Every M3 series (accuracy.sh's m3-theta-all in d): the sMAPE by
    series of fc's theta and default, of R's thetaf() and of every
    original M3 method, each where it forecast (no NaN), with each
    series' period and the default's wall seconds."""
    meta, train, test = m3_data(data)
    fc = forecasts(os.path.join(d, "fc_forecasts.csv"))
    r = forecasts(os.path.join(d, "r_forecasts.csv"))

    def smapes(f, meth):
        return {i: per_series(test[i], f[(meth, i)],
                              scale(train[i], int(meta[i]["frequency"])))[0]
                for i in meta if (meth, i) in f and
                not any(math.isnan(x) for x in f[(meth, i)])}
    orig, period = m3_original(data, set(meta))
    by = defaultdict(dict)
    for (meth, i), v in orig.items():
        by[meth][i] = v[0]
    by["R thetaf()"] = smapes(r, "theta")
    with open(os.path.join(d, "default_wall")) as f:
        wall = float(f.read())
    return {"theta": smapes(fc, "theta"), "default": smapes(fc, "default"),
            "others": by, "period": period, "wall": wall,
            "series": len(meta)}


def default_targets(targets, da, cores):
    """The whole-M3 targets of the default: sMAPE at most 12.5,
    below every original M3 method and R's thetaf() (each on the series
    it forecasts), all series within 2 minutes of wall time; and, for
    information, the best original method of each period."""
    mine, n = da["default"], da["series"]
    mean = sum(mine.values()) / len(mine)
    t = [{"target": f"m3 ALL fc default sMAPE at most 12.5, every series "
          f"({len(mine)} of {n}; statsforecast's published ensemble "
          "12.63)", "tool": "fc", "value": mean, "reference": 12.5,
          "ratio": mean / 12.5, "pass": mean <= 12.5 and len(mine) == n}]

    def versus(ids_of):
        """(method, default's sMAPE, the method's, series) of every
        other method, on the series of both in ids_of."""
        out = []
        for meth, v in da["others"].items():
            ids = [i for i in v if i in mine and ids_of(i)]
            if ids:
                out.append((meth, sum(mine[i] for i in ids) / len(ids),
                            sum(v[i] for i in ids) / len(ids), len(ids)))
        return out
    everyone = versus(lambda i: True)
    orig = [x for x in everyone if x[0] != "R thetaf()"]
    closest = max(orig, key=lambda x: x[1] / x[2])
    t.append({"target": f"m3 ALL fc default sMAPE below every original M3 "
              f"method ({len(orig)}), every series, each on the series it "
              f"forecasts (closest: {closest[0]}, {closest[3]} series)",
              "tool": "fc", "value": closest[1], "reference": closest[2],
              "ratio": closest[1] / closest[2],
              "pass": all(a < b for _, a, b, _ in orig)})
    th = next(x for x in everyone if x[0] == "R thetaf()")
    t.append({"target": f"m3 ALL fc default sMAPE below R's thetaf(), "
              f"every series ({th[3]})", "tool": "fc", "value": th[1],
              "reference": th[2], "ratio": th[1] / th[2],
              "pass": th[1] < th[2]})
    t.append({"target": f"m3 ALL fc default on every series ({n}): wall "
              f"seconds of fc-train and fc-predict at most 120 on "
              f"{cores} cores", "tool": "fc", "value": da["wall"],
              "reference": 120.0, "ratio": da["wall"] / 120,
              "pass": da["wall"] <= 120})
    for p in M3_SPLITS:
        v = [x for x in versus(lambda i: da["period"][i] == p)
             if x[0] != "R thetaf()"]
        best = min(v, key=lambda x: x[2])
        t.append({"target": f"m3 {p} fc default sMAPE against the best "
                  f"original M3 method of the period, every series "
                  f"({best[0]}, {best[3]} series; informative)",
                  "tool": "fc", "value": best[1], "reference": best[2],
                  "ratio": best[1] / best[2], "pass": None})
    return targets + t


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
    ap.add_argument("--r-from", default="",
                    help="the BENCH_R_FROM directory, if any")
    ap.add_argument("--theta-all", default="",
                    help="fc's and R's theta on every M3 series "
                    "(accuracy.sh's m3-theta-all)")
    for a in ["data", "splits", "total", "commit", "fc-version", "json",
              "md"]:
        ap.add_argument("--" + a, required=True)
    o = ap.parse_args()
    splits, sample = [], {}
    with open(o.splits) as f:
        for line in f:
            ds, label, m, d, every, nall = line.split()
            splits.append((ds, label, int(m), d))
            with open(os.path.join(d, "ids")) as g:
                ids = g.read().split()
            sample[(ds, label)] = {"every": int(every), "series": len(ids),
                                   "of": int(nall), "ids": set(ids)}
    m4 = m4_published(o.data)
    m3_ids = set().union(*[v["ids"] for k, v in sample.items()
                           if k[0] == "m3"])
    m3 = m3_published(o.data, splits, m3_ids) if m3_ids else {}
    results, pooled = [], defaultdict(lambda: ({}, {}))
    vs_pooled = defaultdict(lambda: defaultdict(dict))
    walls = {}
    given = {}
    for ds, label, m, d in splits:
        sc = split_scores(ds, label, m, d)
        given[(ds, label)] = sc
        base = given.get((TOLD.get(ds), label))
        if base and "default" in sc and "default" in base:
            # R's methods on the same series as given, beside those told
            mine = sc["default"]["per_series"]
            for rm, v in base["default"]["vs_r"].items():
                sc["default"]["vs_r"][f"{rm} ({TOLD[ds]})"] = {
                    i: (mine[i][0][0], b) for i, (_, b) in v.items()
                    if i in mine}
        smp = sample[(ds, label)]
        full = smp["every"] == 1
        for meth, r in sc.items():
            if ds in M4_AS_GIVEN and meth in M4_EXACT:
                ids = sorted(r["per_series"])
                r["m4_same_series"] = None if full else \
                    m4_submissions(o.data, ds, d, m, ids)
            r["full"] = full
            for rm, v in r.get("vs_r", {}).items():
                vs_pooled[ds][rm].update(v)
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
            agg["full"] = all(sample[k]["every"] == 1 for k in sample
                              if k[0] == ds)
            if meth == "default":
                agg["vs_r"] = vs_pooled[ds]
            tms = [e for e in results if e["dataset"] == ds and
                   e["method"] == meth and e.get("fc_time")]
            if tms:
                n = sum(e["series"] for e in tms)
                c = sum(e["fc_time"]["cpu_seconds"] for e in tms)
                agg["fc_time"] = {
                    "cpu_seconds": c, "cpu_seconds_per_series": c / n,
                    "wall_seconds": sum(e["fc_time"]["wall_seconds"]
                                        for e in tms)}
            rts = [e for e in results if e["dataset"] == ds and
                   e["method"] == meth and e.get("r_time")]
            if rts:
                n = sum(e["series"] for e in rts)
                c = sum(e["r_time"]["seconds"] for e in rts)
                agg["r_time"] = {"seconds": c, "seconds_per_series": c / n,
                                 "other_run": any(e["r_time"]["other_run"]
                                                  for e in rts)}
            results.append(entry(ds, "ALL", None, meth, agg,
                                 summarise(rows, ref, 0), m4, m3))
    targets = check_targets(results)
    if o.theta_all:
        ma = m3_all(o.data, o.theta_all)
        targets = default_targets(theta_targets(targets, ma), ma,
                                  os.cpu_count())
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
        "r_from": o.r_from,
        "sample": [{"dataset": k[0], "split": k[1], "every": v["every"],
                    "series": v["series"], "of": v["of"]}
                   for k, v in sample.items()],
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
    if "vs_r" in r:
        # fc default's sMAPE and each R method's on the series of both
        e["vs_r"] = {}
        for rm, v in r["vs_r"].items():
            if v:
                e["vs_r"][rm] = {
                    "series": len(v),
                    "fc_smape": sum(a for a, _ in v.values()) / len(v),
                    "r_smape": sum(b for _, b in v.values()) / len(v)}
    if r.get("fc_time"):
        e["fc_time"] = r["fc_time"]
    if r.get("r_time"):
        e["r_time"] = r["r_time"]
    if ds in M4_AS_GIVEN and meth in M4_PUB and r.get("full"):
        p = m4[M4_PUB[meth]]
        e["published"] = {"source": "M4 " + M4_PUB[meth],
                          "smape": float(p["sMAPE_" + label]),
                          "mase": float(p["MASE_" + label]),
                          "owa": float(p["OWA_" + label])}
    elif r.get("m4_same_series"):
        p = r["m4_same_series"][M4_PUB[meth]]
        e["published"] = {"source": "M4 " + M4_PUB[meth] + " submission "
                          "forecasts, same series", **p}
        if s:
            n2 = r["m4_same_series"]["Naive2"]
            e["published"]["owa"] = (p["smape"] / n2["smape"] +
                                     p["mase"] / n2["mase"]) / 2
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
            src = "published M4 " + M4_PUB[meth] if \
                e["published"]["source"] == "M4 " + M4_PUB[meth] else \
                f"M4 {M4_PUB[meth]} submission on the same series"
            for k in ("smape", "mase"):
                p = e["published"][k]
                for tool in ("fc", "R"):
                    v = e[tool][k]
                    t.append({"target": f"{ds} {meth} {k} = {src} "
                              f"to 3 decimals ({tool})",
                              "tool": tool, "value": v, "reference": p,
                              "pass": round(v, 3) == round(p, 3) and
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
    t += auto_targets(results)
    return t


def theta_targets(targets, ma):
    """The THETA check on every M3 series (m3_all), in place of the
    sample's."""
    at = next((k for k, t in enumerate(targets)
               if "original M3 THETA" in t["target"]), len(targets))
    out = [t for t in targets if "original M3 THETA" not in t["target"]]
    new = []
    pub = ma["others"]["THETA"]
    p = sum(pub.values()) / len(pub)
    for tool, v in (("fc", ma["theta"]), ("R", ma["others"]["R thetaf()"])):
        mean, n = sum(v.values()) / len(v), len(v)
        new.append({"target": "m3 ALL theta sMAPE within 1% of the original "
                    f"M3 THETA, every series ({tool}: {n}; THETA: "
                    f"{len(pub)})", "tool": tool, "value": mean,
                    "reference": p, "ratio": mean / p,
                    "pass": abs(mean / p - 1) <= 0.01 and n == len(pub)})
    return out[:at] + new + out[at:]


def auto_targets(results):
    """fc's ets and arima within 1% of R's, fc's default below R's best
    method, and (informative) R's time per series over fc's."""
    t = []
    names = {"ets": "R ets()", "arima": "R auto.arima()"}
    for e in results:
        where = f"{e['dataset']} {e['split']}"
        if e["method"] in AUTO and e["fc"]:
            meth = e["method"]
            for k, kn in (("smape", "sMAPE"), ("mase", "MASE")):
                v, r = e["fc"][k], e["R"][k]
                t.append({"target": f"{where} fc {meth} {kn} within 1% of "
                          f"{names[meth]} ({e['scored']} series)",
                          "tool": "fc", "value": v, "reference": r,
                          "ratio": v / r, "pass": v / r <= 1.01})
        if e["method"] == "default" and e.get("vs_r"):
            # the R method hardest to beat: highest fc/R sMAPE ratio
            rm, b = max(e["vs_r"].items(),
                        key=lambda kv: kv[1]["fc_smape"] / kv[1]["r_smape"])
            low = min(e["vs_r"].items(), key=lambda kv: kv[1]["r_smape"])
            t.append({"target": f"{where} fc default sMAPE below R's best "
                      f"method: every R method, each on the series of both "
                      f"(closest: {rm}, {b['series']} series; lowest R "
                      f"sMAPE: {low[0]} {low[1]['r_smape']:.3f} on "
                      f"{low[1]['series']})",
                      "tool": "fc", "value": b["fc_smape"],
                      "reference": b["r_smape"], "r_method": rm,
                      "ratio": b["fc_smape"] / b["r_smape"],
                      "pass": b["fc_smape"] < b["r_smape"]})
    for e in results:
        if e["method"] in AUTO and e.get("fc_time") and e.get("r_time"):
            f = e["fc_time"]["cpu_seconds_per_series"]
            r = e["r_time"]["seconds_per_series"]
            # times of two runs on a shared machine are not a ratio
            other = e["r_time"]["other_run"]
            t.append({"target": f"{e['dataset']} {e['split']} {e['method']} "
                      "speed: R s/series over fc CPU s/series "
                      + ("(R's time from an earlier run: no ratio)" if other
                         else "(informative)"), "tool": "fc", "value": f,
                      "reference": r,
                      "ratio": r / f if f > 0 and not other else None,
                      "pass": None})
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
    smp = doc["sample"]
    if any(x["every"] != 1 for x in smp):
        w("Sample (BENCH_EVERY): every k-th series of each split, in "
          "meta.csv order, the same series for every method of fc and R: " +
          ", ".join(f"{x['dataset']} {x['split']} k = {x['every']}, "
                    f"{x['series']} of {x['of']}" for x in smp) +
          ". Published M4 scores are for whole splits; on a sample the M4 "
          "targets compare with the published benchmark submissions' "
          "forecasts scored on the same series, the M3 ones with the "
          "original M3 forecasts of the same series.\n")
    if doc["r_from"]:
        w(f"R's forecasts and times of splits with the same sample were "
          f"reused from an earlier run (BENCH_R_FROM={doc['r_from']}); "
          "R's wall time below is that run's.\n")
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
      "mean elapsed seconds of the call per series (one process each). "
      "`ets`, `arima`: fc's automatic models against R's `ets()` and "
      "`auto.arima()` with their defaults; `default`: fc-train without "
      "train.models (the default model), scored alone (its target row "
      "compares it with every R method on the same series).\n")
    w("## Targets\n")
    w("| target | value | reference | ratio | result |")
    w("| --- | ---: | ---: | ---: | --- |")
    for t in doc["targets"]:
        res = "info" if t["pass"] is None else \
            "PASS" if t["pass"] else "MISS"
        w(f"| {t['target']} | {t['value']:.4f} | {t['reference']:.4f} | "
          f"{fmt(t.get('ratio'), 4)} | {res} |")
    checked = [x for x in doc["targets"] if x["pass"] is not None]
    npass = sum(x["pass"] for x in checked)
    w(f"\n{npass} of {len(checked)} targets met.")
    miss = [x["target"] for x in checked if not x["pass"]]
    if miss:
        w("Missed: " + "; ".join(miss) + ".")
    w("")
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
        R = e["R"] or {}
        w(f"| {e['method']} | {e['fc']['smape']:.3f} | {fmt(R.get('smape'))} "
          f"| {fmt(e['fc']['smape'] / R['smape'] if R else None, 4)} "
          f"| {e['fc']['mase']:.3f} | {fmt(R.get('mase'))} "
          f"| {fmt(e['fc']['mase'] / R['mase'] if R else None, 4)} "
          f"| {e['fc']['owa']:.3f} | {fmt(R.get('owa'))} "
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
            w(f"- {ds} {label}: holt_winters, holt_winters_mul, mstl n/a "
              "(m = 1, no season; R's hw() and stlf() refuse frequency 1)")
        elif m > 24:
            seen = True
            w(f"- {ds} {label}: holt_winters, holt_winters_mul n/a "
              f"(m = {m}; R's hw() takes no season longer than 24)")
    if not seen:
        w("- nothing")
    w("")
    return "\n".join(L)


if __name__ == "__main__":
    main()
