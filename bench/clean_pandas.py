#!/usr/bin/python3
"""clean_pandas - the pandas peer of fc-clean in the benchmark.

usage: clean_pandas.py PANEL OUT

Does the cleaning bench/config.yaml asks of fc-clean, the way a pandas
user would write it: read the panel, drop duplicate (unique_id, ds) keeping
the last, sort by (unique_id, ds), reindex every series to a daily range
from its first to its last date, interpolate y linearly inside each series
(leading and trailing gaps stay empty, as in fc-clean), forward-fill the
features within each series, write CSV. Everything is vectorised: one
MultiIndex reindex, cythonised groupby fills, no Python loop per row or
per series.
"""
import sys

import numpy as np
import pandas as pd

ID, TIME, TARGET = "unique_id", "ds", "y"


def read(path):
    return pd.read_csv(path, dtype={ID: "category", TARGET: "float64",
                                    "price": "float64", "promo": "float64"},
                       parse_dates=[TIME])


def daily_index(df):
    """The (id, day) pairs of each series' first-to-last daily range."""
    span = df.groupby(ID, sort=False, observed=True)[TIME].agg(["min", "max"])
    n = ((span["max"] - span["min"]).dt.days + 1).to_numpy()
    first = np.repeat(span["min"].to_numpy(), n)
    step = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    ids = pd.Categorical(np.repeat(span.index.to_numpy(), n),
                         categories=df[ID].cat.categories)
    return pd.MultiIndex.from_arrays(
        [ids, first + step.astype("timedelta64[D]")], names=[ID, TIME])


def clean(df):
    df = df.drop_duplicates([ID, TIME], keep="last")
    df = df.sort_values([ID, TIME], kind="mergesort")
    df = df.set_index([ID, TIME]).reindex(daily_index(df))
    g = df.groupby(level=ID, sort=False, observed=True)
    y = df[TARGET]
    inside = g[TARGET].ffill().notna() & g[TARGET].bfill().notna()
    df[TARGET] = y.interpolate(method="linear").where(inside)
    features = [c for c in df.columns if c != TARGET]
    df[features] = g[features].ffill()
    df["promo"] = df["promo"].astype("Int64")
    return df.reset_index()


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: clean_pandas.py PANEL OUT\n")
        return 64
    clean(read(argv[1])).to_csv(argv[2], index=False, date_format="%Y-%m-%d")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
