#!/bin/sh
# arima.sh - fc's arima against R's forecast::auto.arima on M3: sMAPE and
# MASE per frequency, how often the two choose the same order, and the fit
# time per series on one core.
# usage: bench/arima.sh          (ARIMA_EVERY=k keeps every k-th series of
#                                 each frequency, default 10; 1 is all;
#                                 ARIMA_MONTHLY_EVERY=k every k-th monthly
#                                 one, default ARIMA_EVERY; ARIMA_REPEAT=r
#                                 runs fc r times, default 3, and keeps the
#                                 median time; ARIMA_BASE=FC_TRAIN times
#                                 another fc-train build once, for a
#                                 before/after column)
# Reads ../shared/datasets/m3 (or $FC_DATASETS/m3) in place; writes
# bench/results/arima.{json,md}. Both sides run in one process on one core
# (runtime.threads=1; R without parallel), under nice; times are CPU
# seconds (user + system), which a loaded machine inflates less than wall
# time.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
data=${FC_DATASETS:-$root/../shared/datasets}/m3
every=${ARIMA_EVERY:-10}
mevery=${ARIMA_MONTHLY_EVERY:-$every}
repeat=${ARIMA_REPEAT:-3}
res=$root/bench/results
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$res"

# The rows (and header) of CSV $2 whose id is in file $1, sorted by id.
only() {
	awk -F, 'NR == FNR { keep[$1] = 1; next } FNR == 1 { print; next } { c = $1; gsub(/"/, "", c) } keep[c]' "$1" "$2" |
		{ IFS= read -r h; printf '%s\n' "$h"; LC_ALL=C sort -s -t, -k1,1; }
}

: > "$work/fc_times"
for p in YEARLY QUARTERLY MONTHLY OTHER; do
	d=$work/$p
	mkdir -p "$d"
	# every k-th series of the period, in meta.csv order (deterministic)
	k=$every
	[ "$p" = MONTHLY ] && k=$mevery
	awk -F, -v p="$p" -v k="$k" 'NR > 1 { gsub(/"/, "") } NR > 1 && $3 == p && (i++ % k) == 0 { print $1 }' \
		"$data/meta.csv" > "$d/ids"
	only "$d/ids" "$data/meta.csv" > "$d/meta.csv"
	only "$d/ids" "$data/train.csv" > "$d/train.csv"
	only "$d/ids" "$data/test.csv" > "$d/test.csv"
	m=$(awk -F, 'NR == 2 { print $4 }' "$d/meta.csv")
	h=$(awk -F, 'NR == 2 { print $5 }' "$d/meta.csv")
	# fc's time: the median of $repeat runs
	: > "$d/cpus"
	i=0
	while [ "$i" -lt "$repeat" ]; do
		nice /usr/bin/time -f '%U %S' -o "$d/cpu" "$root/bin/fc-train" -c '' \
			-s schema.season_length="$m" -s 'train.models=[arima]' \
			-s train.selection.windows=0 -s runtime.threads=1 -o "$d/model.json" "$d/train.csv"
		awk '{ print $1 + $2 }' "$d/cpu" >> "$d/cpus"
		i=$((i + 1))
	done
	sort -n "$d/cpus" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }' > "$d/cpu"
	"$root/bin/fc-predict" -c '' -s schema.season_length="$m" -s predict.horizon="$h" \
		-m "$d/model.json" "$d/test.csv" > "$d/fc.csv"
	jq -r '.series[] | [.id, .model.form // .model.model] | @csv' "$d/model.json" > "$d/fc_forms.csv"
	echo "$p $(wc -l < "$d/ids") 0 $(cat "$d/cpu")" >> "$work/fc_times"
	if [ -n "${ARIMA_BASE:-}" ]; then
		nice /usr/bin/time -f '%U %S' -o "$d/cpu" "$ARIMA_BASE" -c '' \
			-s schema.season_length="$m" -s 'train.models=[arima]' \
			-s train.selection.windows=0 -s runtime.threads=1 -o "$d/base.json" "$d/train.csv"
		echo "$p $(wc -l < "$d/ids") 0 $(awk '{ print $1 + $2 }' "$d/cpu")" >> "$work/base_times"
	fi
	nice Rscript "$root/bench/arima.R" fit "$d"
done
Rscript "$root/bench/arima.R" report "$work" "$every" "$res/arima.json" "$res/arima.md" "$mevery" "$repeat"
cat "$res/arima.md"
