#!/bin/sh
# ets.sh - fc's automatic ets against R forecast's ets() on M3: the ETS
# form each picks and sMAPE per period on the whole set, and the fit time
# per series on one core on a fixed subsample (every tenth series, N0010,
# N0020 ... N3000: 300 series). usage: bench/ets.sh
# Reads ../shared/datasets/m3 (or $FC_DATASETS/m3) in place; writes
# bench/results/ets.{json,md}. Accuracy: fc with runtime.threads=2, R's
# ets.R on 2 cores (parallel::mclapply). Speed: processor time (user and
# system) of fc-train with runtime.threads=1 over the subsample, against
# the sum of the processor times of R's ets() calls in one R process.
# fc's time is the mean of ETS_REPS runs (default 10), finer than the
# 10 ms the clock counts. ETS_R_DIR names a folder that already holds
# ets.R's output for the whole M3 (r_ets.csv, r_forecasts.csv) to reuse
# for the accuracy part, ETS_R_SPEED_DIR one with its output for the
# subsample (r_ets.csv, its processor times) for the speed part.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
data=${FC_DATASETS:-$root/../shared/datasets}/m3
bin=$root/bin
res=$root/bench/results
work=$(mktemp -d)
trap '[ -n "${ETS_KEEP:-}" ] || rm -rf "$work"' EXIT
mkdir -p "$res"

# Keep the rows (and header) of CSV $2 whose id is listed in $1, sorted
# by id as bytes (fc's order), times kept in order within a series.
only() {
	awk -F, 'NR == FNR { keep[$1] = 1; next } FNR == 1 { print; next } { c = $1; gsub(/"/, "", c) } keep[c]' "$1" "$2" |
		{ IFS= read -r h; printf '%s\n' "$h"; LC_ALL=C sort -s -t, -k1,1; }
}

echo "unique_id,form,loglik" > "$work/fc_ets.csv"
echo "unique_id,h,yhat" > "$work/fc_forecasts.csv"
echo "period,series,secs" > "$work/fc_times.csv"
for p in YEARLY QUARTERLY MONTHLY OTHER; do
	d=$work/$p
	mkdir -p "$d"
	awk -F, -v p="$p" 'NR > 1 { gsub(/"/, ""); if ($3 == p) print $1 }' "$data/meta.csv" > "$d/ids"
	m=$(awk -F, -v p="$p" 'NR > 1 { gsub(/"/, ""); if ($3 == p) { print $4; exit } }' "$data/meta.csv")
	only "$d/ids" "$data/train.csv" > "$d/train.csv"
	only "$d/ids" "$data/test.csv" > "$d/test.csv"
	"$bin/fc-train" -c '' -s schema.season_length="$m" -s 'train.models=[ets]' \
		-s train.selection.windows=0 -s runtime.threads=2 \
		-o "$d/m.json" "$d/train.csv"
	"$bin/fc-predict" -c '' -s schema.season_length="$m" -m "$d/m.json" \
		"$d/test.csv" > "$d/f.csv"
	# speed: the subsample, one thread, processor time
	awk '/0$/' "$d/ids" > "$d/sids"
	[ -s "$d/sids" ] || continue
	only "$d/sids" "$data/train.csv" > "$d/strain.csv"
	: > "$d/time"
	i=0
	while [ "$i" -lt "${ETS_REPS:-10}" ]; do
		/usr/bin/time -f '%U %S' -a -o "$d/time" "$bin/fc-train" -c '' \
			-s schema.season_length="$m" -s 'train.models=[ets]' \
			-s train.selection.windows=0 -s runtime.threads=1 \
			-o "$d/s.json" "$d/strain.csv"
		i=$((i + 1))
	done
	echo "$p,$(wc -l < "$d/sids"),$(awk '{ s += $1 + $2 } END { printf "%.6f", s / NR }' "$d/time")" >> "$work/fc_times.csv"
	jq -r '.series[] | "\(.id),\(.model.form),\(.model.loglik)"' "$d/m.json" >> "$work/fc_ets.csv"
	awk -F, 'NR > 1 { k[$1]++; print $1 "," k[$1] "," $4 }' "$d/f.csv" >> "$work/fc_forecasts.csv"
done

awk -F, 'NR > 1 { gsub(/"/, ""); if ($1 ~ /0$/) print $1 }' "$data/meta.csv" > "$work/sids"
only "$work/sids" "$data/train.csv" > "$work/strain.csv"
rs=${ETS_R_SPEED_DIR:-}
if [ -z "$rs" ]; then
	rs=$work/rs
	mkdir -p "$rs"
	Rscript "$root/bench/ets.R" "$work/strain.csv" "$data/meta.csv" "$rs" 1
fi
rdir=${ETS_R_DIR:-}
if [ -z "$rdir" ]; then
	rdir=$work/r
	mkdir -p "$rdir"
	Rscript "$root/bench/ets.R" "$data/train.csv" "$data/meta.csv" "$rdir" 2
fi
Rscript "$root/bench/ets.R" report "$data" "$work" "$rdir" "$res" "$rs"
cat "$res/ets.md"
