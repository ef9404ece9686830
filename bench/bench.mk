# bench/bench.mk - throughput benchmarks; the top-level Makefile includes it.
# `make bench` runs every benchmark (never part of `make test`); each one
# also has its own target. Knobs are environment variables: BENCH_RUNS,
# BENCH_SIZES, BENCH_SEED ... (see bench/clean.sh). Results are written to
# bench/results/ and tracked; generated panels go to bench/data/ (ignored).

bench: bench-clean bench-feat bench-accuracy

# fc-load and fc-clean against `mlr cat` and pandas.
bench-clean: bin/fc-load bin/fc-clean
	bench/clean.sh

# fc-feat: ten features on the cleansed panels.
bench-feat: bin/fc-clean bin/fc-feat
	bench/feat.sh

# The automatic ets against R's ets() on M3: forms, sMAPE, time per
# series (needs R with the forecast package; about an hour on 2 cores).
bench-ets: bin/fc-train bin/fc-predict
	bench/ets.sh

# arima against R's auto.arima on M3 (needs R with forecast; slow: every
# 10th series by default, ARIMA_EVERY=1 for all of M3).
bench-arima: bin/fc-train bin/fc-predict
	bench/arima.sh

# ces against statsforecast's AutoCES on M3: sMAPE, forms, time per
# series (the peer needs SF_SRC, statsforecast's source, and
# /usr/bin/python3 with numpy, numba and statsmodels; without it fc runs
# alone). CES_EVERY=k for every k-th series, CES_OUT=DIR keeps fc's
# forecasts.
bench-ces: bin/fc-train bin/fc-predict
	bench/ces.sh

# Which members make the best ensemble on M3: every member once, then
# every mean and median of them scored (slow: arima takes about 25 minutes
# of one core). BENCH_KEEP=DIR reuses forecasts already made in DIR.
bench-ensembles: bin/fc-train bin/fc-predict
	bench/ensembles.sh

# Remove the generated panels (about 700 MB) and the generator.
clean-bench:
	rm -rf bench/data build/bench

# The default model on all of M3: wall time and sMAPE.
bench-default: bin/fc-train bin/fc-predict
	bench/m3-default.sh

include bench/accuracy.mk

.PHONY: bench bench-clean bench-feat bench-ets bench-arima bench-ces bench-ensembles bench-default \
	clean-bench
