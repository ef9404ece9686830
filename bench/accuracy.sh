#!/usr/bin/env bash
# accuracy.sh - fc and R forecast on M3, M4 hourly and weekly, tourism:
# sMAPE, MASE and OWA as the M4 competition computes them, and timings.
# usage: bench/accuracy.sh [DATASET ...]   (default: m4-hourly m4-weekly m3 tourism)
# Reads ../shared/datasets (or $FC_DATASETS) in place, never copies it into
# the tree; writes bench/results/accuracy.{json,md}. BENCH_KEEP=DIR keeps
# the forecasts and scores of every split in DIR.
# BENCH_EVERY=k keeps every k-th series of each split (the 1st, k+1-th, ...
# in meta.csv order; 1 is every series): every method of fc and R is
# scored on that same sample. Unset, k is 1 (every series) where R's
# methods take a few minutes for the whole split, and a sample where they
# take ten minutes or more: 10 on M3 monthly, tourism monthly and M4 weekly
# told its season, 40 on M4 hourly, where R's auto.arima() takes from
# seconds to 20 minutes a series (m = 24, n = 700-960). The whole run is
# then about 45 minutes on 2 cores, R's calls adding up to an hour, fc's
# to 10 minutes.
# BENCH_R_FROM=DIR reuses the R forecasts and times (r_forecasts.csv,
# r_times.csv, r_wall) of an earlier run kept with BENCH_KEEP=DIR, for
# every split whose sample (ids) is the same there; R runs for the others,
# and for the methods a reused split lacks. Only fc's side is then
# recomputed (minutes), and a reused split's speed rows give no ratio.
# M4 weekly runs twice: as M4 gives it (frequency 1, no season), and as
# m4-weekly-52, both tools told the year of 52 weeks (fc's season length
# for weekly dates). There R's auto.arima() takes from a second to over
# 20 minutes a series: each R call of a split told its season is
# stopped after BENCH_R_LIMIT seconds (default 120), and that method is
# not scored on that series.
# With m3, fc's theta and R's thetaf() also run on every M3 series (a
# minute or two), for the check against the original M3 THETA, whose
# published score is for the whole set.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=${FC_DATASETS:-$root/../shared/datasets}
bin=$root/bin
res=$root/bench/results
work=${BENCH_KEEP:-$(mktemp -d)}
[ -n "${BENCH_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$res" "$work"
[ $# -gt 0 ] || set -- m4-hourly m4-weekly m3 tourism
[ -d "$data/m3" ] || { echo "accuracy.sh: no datasets in '$data' (set FC_DATASETS)" >&2; exit 66; }

case ${BENCH_EVERY-10} in ''|*[!0-9]*|0) echo "accuracy.sh: BENCH_EVERY must be a positive integer, not '${BENCH_EVERY-}'" >&2; exit 64 ;; esac
rfrom=${BENCH_R_FROM:-}
rlimit=${BENCH_R_LIMIT:-120}
case $rlimit in ''|*[!0-9]*|0) echo "accuracy.sh: BENCH_R_LIMIT must be a positive integer, not '$rlimit'" >&2; exit 64 ;; esac
[ -z "$rfrom" ] || [ -d "$rfrom" ] || { echo "accuracy.sh: BENCH_R_FROM: no directory '$rfrom'" >&2; exit 66; }
# R's BLAS and fits single-threaded: 2 processes, one core each
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
# shellcheck source=bench/common.sh
. "$root/bench/common.sh"

fc_methods="naive snaive mean drift naive2 ses holt damped holt_winters holt_winters_mul theta croston mstl ets arima default"

# The ids of meta.csv whose period is $2 (all when $2 is "all"), every
# $every-th of them.
subset() {
	awk -F, -v p="$2" -v k="$every" 'NR == 1 { for (i = 1; i <= NF; i++) { c = $i; gsub(/"/, "", c); if (c == "period") pc = i } next }
		{ gsub(/"/, "") } p == "all" || $pc == p { if (n++ % k == 0) print $1 }' "$1/meta.csv"
}

# Keep the rows (and header) of CSV $2 whose id is listed in $1, sorted
# by id as bytes (fc's order), times kept in order.
only() {
	awk -F, 'NR == FNR { keep[$1] = 1; next } FNR == 1 { print; next } { id = $1; gsub(/"/, "", id) } keep[id]' "$1" "$2" |
		{ IFS= read -r h; printf '%s\n' "$h"; LC_ALL=C sort -s -t, -k1,1; }
}

# fc_fit DIR M METHOD TRAIN TAG: fc-train and fc-predict of one method on
# every series of TRAIN; appends "tag cpu_seconds wall_seconds" to
# DIR/fc_times and "id,tag,model" (the model fc fitted) to DIR/fc_models.
# METHOD "default" is fc-train without train.models and without
# train.selection.windows: the default model, as a user gets it.
fc_fit() {
	local d=$1 m=$2 meth=$3 tr=$4 tag=$5 sel
	sel=(-s "train.models=[$meth]" -s train.selection.windows=0)
	# mstl as R's stlf(): ETS on the seasonally adjusted series
	[ "$meth" != mstl ] || sel+=(-s train.mstl.model=ets)
	[ "$meth" != default ] || sel=()
	/usr/bin/time -f '%U %S %e' -o "$d/t1" "$bin/fc-train" -c '' \
		-s schema.season_length="$m" "${sel[@]}" -s runtime.threads=2 \
		-o "$d/$tag.json" "$tr" 2> "$d/$tag.err"
	/usr/bin/time -f '%U %S %e' -o "$d/t2" "$bin/fc-predict" -c '' \
		-s schema.season_length="$m" -s 'predict.levels=[]' \
		-m "$d/$tag.json" -o "$d/$tag.fc.csv" "$d/test.csv"
	cat "$d/t1" "$d/t2" | awk -v t="$tag" '{ c += $1 + $2; w += $3 } END { print t, c, w }' >> "$d/fc_times"
	jq -r --arg t "$tag" '.series[] | "\(.id),\($t),\(.model.model)"' "$d/$tag.json" >> "$d/fc_models"
}

# Append the point forecasts of DIR/TAG.fc.csv as id,TAG,h,yhat.
fc_collect() {
	awk -F, -v t="$2" 'NR > 1 { k[$1]++; print $1 "," t "," k[$1] "," $4 }' \
		"$1/$2.fc.csv" >> "$1/fc_forecasts.csv"
}

# The M4 benchmarks SES, Holt and Damped: the method on the seasonally
# adjusted series, forecasts multiplied by the seasonal indices. fc's
# naive2 fit holds the indices of its own seasonality test and
# decomposition (state[1..m], the steps after the series' end), which
# this divides out of the training data and multiplies back.
fc_m4() {
	local d=$1 m=$2
	jq -r '.series[] | "\(.id) \(.n) \(.model.state[1:] | map(tostring) | join(" "))"' \
		"$d/naive2.json" > "$d/indices"
	awk -F, 'NR == FNR { n[$1] = $2; for (i = 3; i <= NF; i++) s[$1, i - 3] = $i; k = NF - 2; next }
		FNR == 1 { print; next }
		{ t = c[$1]++; j = (t - n[$1]) % k; if (j < 0) j += k; printf "%s,%s,%.17g\n", $1, $2, $3 / s[$1, j] }' \
		FS=' ' "$d/indices" FS=, "$d/train.csv" > "$d/train_sa.csv"
	for meth in ses holt damped; do
		fc_fit "$d" "$m" "$meth" "$d/train_sa.csv" "${meth}_m4"
		awk 'NR == FNR { for (i = 3; i <= NF; i++) s[$1, i - 3] = $i; k = NF - 2; next }
			FNR == 1 { print; next }
			{ j = c[$1]++ % k; $4 = sprintf("%.17g", $4 * s[$1, j]); print }' \
			FS=' ' "$d/indices" FS=, OFS=, "$d/${meth}_m4.fc.csv" > "$d/t.csv"
		mv "$d/t.csv" "$d/${meth}_m4.fc.csv"
		fc_collect "$d" "${meth}_m4"
	done
	# the adjustment is part of each method's time
	awk '$1 == "naive2" { c = $2; w = $3 } $1 ~ /_m4$/ { $2 += c; $3 += w } { print }' \
		"$d/fc_times" > "$d/t" && mv "$d/t" "$d/fc_times"
}

# applies METHOD M: whether METHOD runs on season length M: Holt-Winters
# for a season of 2 to 24 (R's hw() takes no longer one), mstl for a
# season, the others always.
applies() {
	case $1 in
	holt_winters*) [ "$2" -gt 1 ] && [ "$2" -le 24 ] ;;
	mstl) [ "$2" -gt 1 ] ;;
	esac
}

# r_missing DIR M [LIMIT]: run R for the methods that R's reused side in
# DIR lacks (a method added since) and that apply to season length M,
# appending to its forecasts, times and wall time.
r_methods= # accuracy.R's methods, asked once
r_missing() {
	local d=$1 m=$2 more
	[ -n "$r_methods" ] || r_methods=$(Rscript "$root/bench/accuracy.R" --methods)
	more=$(tail -n +2 "$d/r_times.csv" | cut -d, -f2 | LC_ALL=C sort -u |
		LC_ALL=C comm -13 - <(tr ' ' '\n' <<< "$r_methods" | sed '/^$/d' | LC_ALL=C sort) |
		while read -r meth; do
			! applies "$meth" "$m" || echo "$meth"
		done | paste -sd, -)
	[ -n "$more" ] || return 0
	echo "accuracy: R's methods missing there, run now: $more" >&2
	rm -rf "$d/r_more" && mkdir "$d/r_more"
	R_METHODS=$more R_TIME_LIMIT=${3:-} nice Rscript "$root/bench/accuracy.R" "$d/train.csv" "$d/meta.csv" "$d/r_more"
	tail -n +2 "$d/r_more/r_forecasts.csv" >> "$d/r_forecasts.csv"
	tail -n +2 "$d/r_more/r_times.csv" >> "$d/r_times.csv"
	awk '{ s += $1 } END { printf "%.3f\n", s }' "$d/r_wall" "$d/r_more/r_wall" > "$d/r_wall.new"
	mv "$d/r_wall.new" "$d/r_wall"
	rm -rf "$d/r_more"
}


# default_every NAME LABEL: the sample's k of a split without
# BENCH_EVERY: every series, but where R's methods take ten minutes or
# more for the whole split (sum of R's seconds a series in a run of every
# series, times the series: M3 monthly 92 min, tourism monthly 10, M4
# weekly told its season 186 and M4 hourly 422; the others 1 to 6).
default_every() {
	case $1-$2 in
	m4-hourly-*) echo 40 ;;
	m3-MONTHLY|tourism-MONTHLY|m4-weekly-52-*) echo 10 ;;
	*) echo 1 ;;
	esac
}

# bench_subset DATASET PERIOD LABEL [M NAME]: the split of DATASET whose
# period is PERIOD (all: every series), reported as NAME (default
# DATASET) LABEL. M, when given, is the season length both tools are
# told instead of meta.csv's frequency.
bench_subset() {
	local src=$data/$1 name=${5:-$1} m t0 every=${BENCH_EVERY:-}
	local d=$work/$name-$3
	[ -n "$every" ] || every=$(default_every "$name" "$3")
	local nall
	nall=$(every=1 subset "$src" "$2" | wc -l)
	echo "accuracy: $name $3" >&2
	mkdir -p "$d"
	subset "$src" "$2" > "$d/ids.new"
	# R's side of an earlier run on the same sample (read before the ids
	# are replaced: BENCH_R_FROM may be this very directory)
	local old=$rfrom/$name-$3 reuse=
	if [ -n "$rfrom" ] && [ -s "$old/r_forecasts.csv" ] && [ -s "$old/r_times.csv" ] &&
		[ -s "$old/r_wall" ] && cmp -s "$old/ids" "$d/ids.new"; then
		reuse=1
		if [ "$(cd "$old" && pwd -P)" != "$(cd "$d" && pwd -P)" ]; then
			cp "$old/r_forecasts.csv" "$old/r_times.csv" "$old/r_wall" "$d/"
		fi
	fi
	[ -n "$reuse" ] || rm -f "$d/r_forecasts.csv" "$d/r_times.csv" "$d/r_wall"
	# r_from names the run R's times came from: a speed ratio is only
	# worth quoting between the two sides of one run
	if [ -n "$reuse" ]; then echo "$old" > "$d/r_from"; else rm -f "$d/r_from"; fi
	mv "$d/ids.new" "$d/ids"
	only "$d/ids" "$src/meta.csv" |
		awk -F, -v OFS=, -v m="${4:-}" 'NR == 1 { for (i = 1; i <= NF; i++) { c = $i; gsub(/"/, "", c); if (c == "frequency") fc = i } }
			NR > 1 && m != "" { $fc = m } { print }' > "$d/meta.csv"
	only "$d/ids" "$src/train.csv" > "$d/train.csv"
	only "$d/ids" "$src/test.csv" > "$d/test.csv"
	m=$(awk -F, '{ gsub(/"/, "") } NR == 1 { for (i = 1; i <= NF; i++) if ($i == "frequency") fc = i; next } { print $fc; exit }' "$d/meta.csv")
	echo "unique_id,method,h,yhat" > "$d/fc_forecasts.csv"
	: > "$d/fc_times"
	: > "$d/fc_models"
	t0=$EPOCHREALTIME
	for meth in $fc_methods; do
		applies "$meth" "$m" || continue
		fc_fit "$d" "$m" "$meth" "$d/train.csv" "$meth"
		fc_collect "$d" "$meth"
	done
	fc_m4 "$d" "$m"
	awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f\n", b - a }' > "$d/fc_wall"
	if [ -n "$reuse" ]; then
		echo "accuracy: $name $3: R's forecasts from $old" >&2
		r_missing "$d" "$m" "${4:+$rlimit}"
	else
		R_TIME_LIMIT=${4:+$rlimit} nice Rscript "$root/bench/accuracy.R" "$d/train.csv" "$d/meta.csv" "$d"
	fi
	echo "$name $3 $m $d $every $nall" >> "$work/splits"
}

# theta_all: on every M3 series, fc's theta and R's thetaf(), for the
# check against the original M3 THETA (its published score is for all
# 3003 series, and on a sample of a tenth the two drift apart by several
# percent), and fc's default, for its whole-M3 targets: its sMAPE,
# every original M3 method, and its wall time on this machine's cores. Forecasts in $work/m3-theta-all/{fc,r}_forecasts.csv
# (unique_id,method,h,yhat), the default's wall seconds in default_wall.
# R's side is reused from BENCH_R_FROM when it is there.
theta_all() {
	local d=$work/m3-theta-all src=$data/m3 old=$rfrom/m3-theta-all p m h meth t0 sel
	echo "accuracy: m3 theta and default, every series" >&2
	mkdir -p "$d"
	echo "unique_id,method,h,yhat" > "$d/fc_forecasts.csv"
	while read -r p _ m h; do m3_split "$src" "$p" "$d"; done < <(m3_periods)
	for meth in theta default; do
		t0=$EPOCHREALTIME
		while read -r p _ m h; do
			# the default as a user gets it: train.models,
			# the windows (3 of cross-validation) and the threads
			# (every core) left to their defaults
			sel=(-s "train.models=[$meth]" -s train.selection.windows=0 -s runtime.threads=2)
			[ "$meth" != default ] || sel=()
			"$bin/fc-train" -c '' -s schema.season_length="$m" "${sel[@]}" \
				-s predict.horizon="$h" \
				-o "$d/$meth.$p.json" "$d/train.$p.csv" 2> "$d/$meth.$p.err"
			"$bin/fc-predict" -c '' -s schema.season_length="$m" -s predict.horizon="$h" \
				-s 'predict.levels=[]' -m "$d/$meth.$p.json" -o "$d/$meth.$p.csv"
		done < <(m3_periods)
		[ "$meth" != default ] ||
			awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f\n", b - a }' > "$d/default_wall"
		for p in YEARLY QUARTERLY MONTHLY OTHER; do
			awk -F, -v t="$meth" 'NR > 1 { k[$1]++; print $1 "," t "," k[$1] "," $4 }' \
				"$d/$meth.$p.csv" >> "$d/fc_forecasts.csv"
		done
	done
	if [ -n "$rfrom" ] && [ -s "$old/r_forecasts.csv" ]; then
		[ "$(cd "$old" && pwd -P)" = "$(cd "$d" && pwd -P)" ] || cp "$old/r_forecasts.csv" "$d/"
		echo "accuracy: m3 theta, every series: R's forecasts from $old" >&2
		return 0
	fi
	cat "$d"/ids.* > "$d/ids"
	only "$d/ids" "$src/meta.csv" > "$d/meta.csv"
	only "$d/ids" "$src/train.csv" > "$d/train.csv"
	R_METHODS=theta nice Rscript "$root/bench/accuracy.R" "$d/train.csv" "$d/meta.csv" "$d"
}

theta_dir=
: > "$work/splits"
t_start=$EPOCHREALTIME
for ds; do
	case $ds in
	m3)	while read -r p _; do bench_subset m3 "$p" "$p"; done < <(m3_periods)
		theta_all
		theta_dir=$work/m3-theta-all ;;
	tourism) for p in YEARLY QUARTERLY MONTHLY; do bench_subset tourism $p $p; done ;;
	m4-hourly) bench_subset m4-hourly all Hourly ;;
	# M4 gives weekly series no season (frequency 1); m4-weekly-52
	# tells both tools the year of 52 weeks, as fc's schema does for
	# weekly data
	m4-weekly) bench_subset m4-weekly all Weekly
		bench_subset m4-weekly all Weekly 52 m4-weekly-52 ;;
	*)	echo "accuracy.sh: unknown dataset '$ds'" >&2; exit 64 ;;
	esac
done
total=$(awk -v a="$t_start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')

python3 "$root/bench/accuracy.py" --data "$data" --splits "$work/splits" \
	--total "$total" --r-from "$rfrom" \
	${theta_dir:+--theta-all "$theta_dir"} --commit "$(git -C "$root" rev-parse --short HEAD)" \
	--fc-version "$("$bin/fc-train" --version)" \
	--json "$res/accuracy.json" --md "$res/accuracy.md"
cat "$res/accuracy.md"
