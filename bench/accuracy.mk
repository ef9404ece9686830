# accuracy.mk - make bench-accuracy: fc against R forecast and the published
# scores on M3, M4 hourly and weekly and tourism (bench/accuracy.sh; needs
# Rscript with the forecast package, jq, python3 and the datasets in
# ../shared/datasets or $FC_DATASETS). Writes bench/results/accuracy.{json,md}.
# BENCH_EVERY=k scores every k-th series of each split (default: every
# series, but every 10th of M3 monthly, tourism monthly and M4 weekly told
# its season of 52, every 40th of M4 hourly), BENCH_KEEP=DIR keeps the
# working files, BENCH_R_FROM=DIR reuses the R side of a run kept in DIR.
bench-accuracy: bin/fc-train bin/fc-predict
	bench/accuracy.sh

.PHONY: bench-accuracy
