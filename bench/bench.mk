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

# Remove the generated panels (about 700 MB) and the generator.
clean-bench:
	rm -rf bench/data build/bench

include bench/accuracy.mk

.PHONY: bench bench-clean bench-feat clean-bench
