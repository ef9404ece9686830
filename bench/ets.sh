#!/bin/sh
# ets.sh - fc's automatic ets against R forecast's ets() on the whole M3:
# the ETS form each picks, sMAPE per period, and the fit time per series
# on one core. usage: bench/ets.sh
# Reads ../shared/datasets/m3 (or $FC_DATASETS/m3) in place; writes
# bench/results/ets.{json,md}. fc runs one thread (runtime.threads=1) per
# period; R runs ets.R on 2 cores (parallel::mclapply), each series timed
# inside its single-threaded worker. ETS_R_DIR names a folder that already
# holds ets.R's output for M3 (r_ets.csv, r_forecasts.csv) to reuse.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
data=${FC_DATASETS:-$root/../shared/datasets}/m3
bin=$root/bin
res=$root/bench/results
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$res"

now() { date +%s.%N; }

# Keep the rows (and header) of CSV $2 whose id is listed in $1, sorted
# by id as bytes (fc's order), times kept in order within a series.
only() {
	awk -F, 'NR == FNR { keep[$1] = 1; next } FNR == 1 { print; next } { c = $1; gsub(/"/, "", c) } keep[c]' "$1" "$2" |
		{ IFS= read -r h; printf '%s\n' "$h"; LC_ALL=C sort -s -t, -k1,1; }
}

echo "unique_id,form" > "$work/fc_ets.csv"
echo "unique_id,h,yhat" > "$work/fc_forecasts.csv"
echo "period,series,secs" > "$work/fc_times.csv"
for p in YEARLY QUARTERLY MONTHLY OTHER; do
	d=$work/$p
	mkdir -p "$d"
	awk -F, -v p="$p" 'NR > 1 { gsub(/"/, ""); if ($3 == p) print $1 }' "$data/meta.csv" > "$d/ids"
	m=$(awk -F, -v p="$p" 'NR > 1 { gsub(/"/, ""); if ($3 == p) { print $4; exit } }' "$data/meta.csv")
	only "$d/ids" "$data/train.csv" > "$d/train.csv"
	only "$d/ids" "$data/test.csv" > "$d/test.csv"
	t0=$(now)
	"$bin/fc-train" -c '' -s schema.season_length="$m" -s 'train.models=[ets]' \
		-s train.selection.windows=0 -s runtime.threads=1 \
		-o "$d/m.json" "$d/train.csv"
	t1=$(now)
	"$bin/fc-predict" -c '' -s schema.season_length="$m" -m "$d/m.json" \
		"$d/test.csv" > "$d/f.csv"
	jq -r '.series[] | "\(.id),\(.model.form)"' "$d/m.json" >> "$work/fc_ets.csv"
	awk -F, 'NR > 1 { k[$1]++; print $1 "," k[$1] "," $4 }' "$d/f.csv" >> "$work/fc_forecasts.csv"
	echo "$p,$(wc -l < "$d/ids"),$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')" >> "$work/fc_times.csv"
done

rdir=${ETS_R_DIR:-}
if [ -z "$rdir" ]; then
	rdir=$work/r
	mkdir -p "$rdir"
	Rscript "$root/bench/ets.R" "$data/train.csv" "$data/meta.csv" "$rdir" 2
fi
Rscript "$root/bench/ets.R" report "$data" "$work" "$rdir" "$res"
cat "$res/ets.md"
