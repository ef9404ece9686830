#!/bin/sh
# accuracy.sh - fc and R forecast on M3, M4 hourly and weekly, tourism:
# sMAPE, MASE and OWA as the M4 competition computes them, and timings.
# usage: bench/accuracy.sh [DATASET ...]   (default: m4-hourly m4-weekly m3 tourism)
# Reads ../shared/datasets (or $FC_DATASETS) in place; writes
# bench/results/accuracy.{json,md}. R runs on 2 cores (parallel::mclapply).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
data=${FC_DATASETS:-$root/../shared/datasets}
bin=$root/bin
res=$root/bench/results
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$res"
: > "$work/scores"
[ $# -gt 0 ] || set -- m4-hourly m4-weekly m3 tourism

now() { date +%s.%N; }

# The ids of meta.csv whose period is $2 (all when $2 is "all").
subset() {
	awk -F, -v p="$2" 'NR == 1 { for (i = 1; i <= NF; i++) { c = $i; gsub(/"/, "", c); if (c == "period") pc = i } next }
		{ gsub(/"/, "") } p == "all" || $pc == p { print $1 }' "$1/meta.csv"
}

# Keep the rows (and header) of CSV $2 whose id is listed in $1, sorted
# by id as bytes (fc's order), times kept in order within a series.
only() {
	awk -F, 'NR == FNR { keep[$1] = 1; next } FNR == 1 { print; next } { c = $1; gsub(/"/, "", c) } keep[c]' "$1" "$2" |
		{ IFS= read -r h; printf '%s\n' "$h"; LC_ALL=C sort -s -t, -k1,1; }
}

run_fc() { # dir m method
	d=$1 m=$2 meth=$3
	t0=$(now)
	"$bin/fc-train" -c '' -s schema.season_length="$m" -s "train.models=[$meth]" \
		-s train.selection.windows=0 -s runtime.threads=2 \
		-o "$d/$meth.json" "$d/train.csv"
	"$bin/fc-predict" -c '' -s schema.season_length="$m" -m "$d/$meth.json" \
		"$d/test.csv" > "$d/$meth.fc.csv"
	t1=$(now)
	awk -F, -v meth="$meth" 'NR > 1 { k[$1]++; print $1 "," meth "," k[$1] "," $4 }' \
		"$d/$meth.fc.csv" >> "$d/fc_forecasts.csv"
	echo "$meth $(awk -v a="$t0" -v b="$t1" -v n="$(wc -l < "$d/ids")" 'BEGIN { printf "%.6f", (b - a) / n }') \
$(grep -c 'fell back' "$d/$meth.json" || true)" >> "$d/fc_times"
}

bench_subset() { # dataset period label
	src=$data/$1 d=$work/$1-$3
	mkdir -p "$d"
	subset "$src" "$2" > "$d/ids"
	only "$d/ids" "$src/meta.csv" > "$d/meta.csv"
	only "$d/ids" "$src/train.csv" > "$d/train.csv"
	only "$d/ids" "$src/test.csv" > "$d/test.csv"
	m=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { c = $i; gsub(/"/, "", c); if (c == "frequency") fc = i } next }
		{ gsub(/"/, ""); print $fc; exit }' "$d/meta.csv")
	echo "unique_id,method,h,yhat" > "$d/fc_forecasts.csv"
	: > "$d/fc_times"
	for meth in naive snaive mean drift naive2 ses holt damped holt_winters \
	    holt_winters_mul theta croston; do
		case $meth in snaive|holt_winters*) [ "$m" -gt 1 ] || continue ;; esac
		run_fc "$d" "$m" "$meth"
	done
	Rscript "$root/bench/accuracy.R" "$d/train.csv" "$d/meta.csv" "$d"
	awk -F, -f "$root/bench/score.awk" "$d/meta.csv" "$d/train.csv" \
		"$d/test.csv" "$d/fc_forecasts.csv" | sort > "$d/fc_scores"
	awk -F, -f "$root/bench/score.awk" "$d/meta.csv" "$d/train.csv" \
		"$d/test.csv" "$d/r_forecasts.csv" | sort > "$d/r_scores"
	# dataset label tool method series smape mase failed secs fallbacks
	join "$d/fc_scores" "$(sort "$d/fc_times" > "$d/fct"; echo "$d/fct")" |
		awk -v ds="$1" -v l="$3" '{ print ds, l, "fc", $0 }' >> "$work/scores"
	awk -F, 'NR > 1 { print $1, $2 }' "$d/r_times.csv" | sort > "$d/rt"
	join "$d/r_scores" "$d/rt" |
		awk -v ds="$1" -v l="$3" '{ print ds, l, "R", $0, 0 }' >> "$work/scores"
}

for ds; do
	case $ds in
	m3)	for p in YEARLY QUARTERLY MONTHLY OTHER; do bench_subset m3 $p $p; done ;;
	tourism) for p in YEARLY QUARTERLY MONTHLY; do bench_subset tourism $p $p; done ;;
	m4-hourly) bench_subset m4-hourly all Hourly ;;
	m4-weekly) bench_subset m4-weekly all Weekly ;;
	*)	echo "accuracy.sh: unknown dataset '$ds'" >&2; exit 64 ;;
	esac
done

# OWA against fc's naive2 of the same split; published M4 scores beside.
pub=$data/m4-results/point_forecasts_by_frequency.csv
awk -v pubf="$pub" -v json="$res/accuracy.json" -v md="$res/accuracy.md" -f "$root/bench/report.awk" "$work/scores"
cat "$res/accuracy.md"
