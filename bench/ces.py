#!/usr/bin/python3
# ces.py - statsforecast's AutoCES on one split of M3, the peer of
# bench/ces.sh: reads TRAIN (unique_id,ds,y sorted by id), fits
# auto_ces(y, M) (AutoCES's default model "Z"; a constant series gets the
# naive forecast, as AutoCES does) and writes H point forecasts per series
# to OUT as id,step,forecast, the chosen forms to OUT.forms and the fit
# times to OUT.times: the first series (numba compiles then) apart.
# usage: SF_SRC=DIR /usr/bin/python3 bench/ces.py TRAIN M H OUT
# DIR holds statsforecast's ces.py and utils.py (release 2.0.3, the last
# in pure Python; see tests/fixtures/ces/reference.py, which loads them).
import csv
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "fixtures", "ces"))
import numpy as np  # noqa: E402
import reference  # noqa: E402


def series(path):
    cur, ys = None, []
    with open(path) as f:
        for r in csv.DictReader(f):
            if r["unique_id"] != cur:
                if cur is not None:
                    yield cur, np.array(ys)
                cur, ys = r["unique_id"], []
            ys.append(float(r["y"]))
    if cur is not None:
        yield cur, np.array(ys)


def main():
    train, m, h, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    ces = reference.load(os.environ["SF_SRC"])
    times = []
    with open(out, "w") as fo, open(out + ".forms", "w") as ff:
        fo.write("id,step,forecast\n")
        for sid, y in series(train):
            t0 = time.process_time()
            if np.all(y == y[0]):
                mean, form = np.full(h, y[-1]), "naive"
            else:
                fit = ces.auto_ces(y, m)
                mean, form = ces.forecast_ces(fit, h)["mean"], fit["seasontype"]
            times.append(time.process_time() - t0)
            for i, v in enumerate(mean):
                fo.write("%s,%d,%r\n" % (sid, i + 1, float(v)))
            ff.write("%s,%s\n" % (sid, form))
    with open(out + ".times", "w") as ft:
        ft.write("%d %.6f %.6f\n" % (len(times), times[0], sum(times[1:])))


if __name__ == "__main__":
    main()
