# accuracy.mk - make bench-accuracy: fc against R forecast and the published
# scores on M3, M4 hourly and weekly and tourism (bench/accuracy.sh; needs
# Rscript with the forecast package, jq, python3 and the datasets in
# ../shared/datasets or $FC_DATASETS). Writes bench/results/accuracy.{json,md}.
# BENCH_EVERY=k scores every k-th series of each split (default 10, 40 on
# M4 hourly; 1 for every series), BENCH_KEEP=DIR keeps the working files,
# BENCH_R_FROM=DIR reuses the R side of a run kept in DIR.
bench-accuracy: bin/fc-train bin/fc-predict
	bench/accuracy.sh

.PHONY: bench-accuracy
