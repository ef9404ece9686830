# accuracy.mk - make bench-accuracy: fc against R forecast and the published
# scores on M3, M4 hourly and weekly and tourism (bench/accuracy.sh; needs
# Rscript with the forecast package, jq, python3 and the datasets in
# ../shared/datasets or $FC_DATASETS). Writes bench/results/accuracy.{json,md}.
bench-accuracy: bin/fc-train bin/fc-predict
	bench/accuracy.sh

.PHONY: bench-accuracy
