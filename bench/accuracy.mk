# accuracy.mk - make bench-accuracy: fc against R forecast and published M4
# scores on M3, M4 hourly and weekly, tourism (bench/accuracy.sh).
bench-accuracy: all
	bench/accuracy.sh

.PHONY: bench-accuracy
