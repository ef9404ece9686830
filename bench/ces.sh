#!/usr/bin/env bash
# ces.sh - fc's ces against statsforecast's AutoCES on M3: sMAPE (the mean
# of the series' sMAPE as M4 defines it) per period, how often the two
# choose the same form, and the CPU time per series.
# usage: bench/ces.sh      (CES_EVERY=k keeps every k-th series of each
#                           period, default 1: all of M3)
# The peer runs when SF_SRC names a folder holding statsforecast's ces.py
# and utils.py of release 2.0.3 (for instance
#   git -C statsforecast archive 0621049c python/statsforecast/ces.py \
#       python/statsforecast/utils.py | tar -x -C /tmp/sf
#   SF_SRC=/tmp/sf/python/statsforecast bench/ces.sh )
# with /usr/bin/python3 carrying numpy, numba and statsmodels; without it
# only fc runs. CES_OUT=DIR keeps fc's forecasts there, one
# PERIOD.csv (id,step,forecast) per period. Reads ../shared/datasets/m3 (or
# $FC_DATASETS/m3) in place; writes bench/results/ces.md. Runs under nice
# on one thread; times are CPU milliseconds (user + system), fc's at the
# 10 ms resolution of time(1) over a whole period.
set -euo pipefail
export LC_ALL=C
root=$(cd "$(dirname "$0")/.." && pwd)
data=${FC_DATASETS:-$root/../shared/datasets}/m3
every=${CES_EVERY:-1}
py=${CES_PYTHON:-/usr/bin/python3}
res=$root/bench/results
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$res"
[ -d "$data" ] || { echo "ces.sh: no M3 in '$data' (set FC_DATASETS)" >&2; exit 66; }
peer=1
if [ -z "${SF_SRC:-}" ] || [ ! -f "$SF_SRC/ces.py" ]; then
	echo "ces.sh: SF_SRC does not name statsforecast's source: statsforecast skipped" >&2
	peer=0
fi

# The rows (and header) of CSV $2 whose id is in file $1, sorted by id.
only() {
	awk -F, 'NR == FNR { keep[$1] = 1; next } FNR == 1 { print; next } { c = $1; gsub(/"/, "", c) } keep[c]' "$1" "$2" |
		{ IFS= read -r h; printf '%s\n' "$h"; sort -s -t, -k1,1; }
}

# smape TEST FORECASTS: the mean over series of the mean sMAPE of the
# steps; FORECASTS is id,step,forecast in the order of TEST's rows.
smape() {
	paste -d, <(tail -n +2 "$1") <(tail -n +2 "$2") | awk -F, '
		$1 != $4 { print "ces.sh: misaligned rows: " $1 " " $4 > "/dev/stderr"; exit 1 }
		{ a = $3 < 0 ? -$3 : $3; b = $6 < 0 ? -$6 : $6
		  s[$1] += 200 * ($6 > $3 ? $6 - $3 : $3 - $6) / (a + b); c[$1]++ }
		END { for (k in s) { t += s[k] / c[k]; n++ } printf "%.3f", t / n }'
}

{
	echo "# ces on M3: fc against statsforecast's AutoCES"
	echo
	if [ "$every" = 1 ]; then echo "every series"; else echo "every $every-th series of each period"; fi |
		sed 's/$/; sMAPE as M4 defines it; CPU milliseconds per series/'

	echo
	echo "| period | series | fc sMAPE | statsforecast sMAPE | same form | fc ms/series | statsforecast ms/series (first series, numba compiling, in s) |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
} > "$work/md"
while read -r p m h; do
	d=$work/$p
	mkdir -p "$d"
	awk -F, -v p="$p" -v k="$every" 'NR > 1 { gsub(/"/, "") } NR > 1 && $3 == p && (i++ % k) == 0 { print $1 }' \
		"$data/meta.csv" > "$d/ids"
	only "$d/ids" "$data/train.csv" > "$d/train.csv"
	only "$d/ids" "$data/test.csv" > "$d/test.csv"
	nice /usr/bin/time -f '%U %S' -o "$d/cpu" "$root/bin/fc-train" -c '' \
		-s schema.season_length="$m" -s 'train.models=[ces]' \
		-s train.selection.windows=0 -s runtime.threads=1 -o "$d/model.json" "$d/train.csv"
	"$root/bin/fc-predict" -c '' -s schema.season_length="$m" -s predict.horizon="$h" \
		-s 'predict.levels=[]' -m "$d/model.json" |
		awk -F, 'NR == 1 { print "id,step,forecast"; next } { k[$1]++; print $1 "," k[$1] "," $4 }' > "$d/fc.csv"
	if [ -n "${CES_OUT:-}" ]; then
		mkdir -p "$CES_OUT"
		cp "$d/fc.csv" "$CES_OUT/$p.csv"
	fi
	jq -r '.series[] | "\(.id),\(.model.form | sub("^CES\\((?<f>.)\\)$"; "\(.f)"))"' "$d/model.json" > "$d/fc.forms"
	ns=$(wc -l < "$d/ids")
	fs=$(smape "$d/test.csv" "$d/fc.csv")
	ft=$(awk -v n="$ns" '{ printf "%.2f", 1000 * ($1 + $2) / n }' "$d/cpu")
	if [ "$peer" = 1 ]; then
		SF_SRC=$SF_SRC nice "$py" "$root/bench/ces.py" "$d/train.csv" "$m" "$h" "$d/sf.csv"
		ss=$(smape "$d/test.csv" "$d/sf.csv")
		same=$(paste -d, "$d/fc.forms" "$d/sf.csv.forms" | awk -F, '$2 == $4 { s++ } END { printf "%d/%d", s, NR }')
		st=$(awk '{ printf "%.2f (%.1f)", ($1 > 1 ? 1000 * $3 / ($1 - 1) : 0), $2 }' "$d/sf.csv.times")
	else
		ss=- same=- st=-
	fi
	echo "| $p | $ns | $fs | $ss | $same | $ft | $st |" >> "$work/md"
	echo "$ns $fs $ss" >> "$work/all"
done <<'SPLITS'
YEARLY 1 6
QUARTERLY 4 8
MONTHLY 12 18
OTHER 1 8
SPLITS
awk '{ n += $1; f += $1 * $2; s += $1 * $3 }
	END { printf "| ALL | %d | %.3f | %s | | | |\n", n, f / n, $3 == "-" ? "-" : sprintf("%.3f", s / n) }' \
	"$work/all" >> "$work/md"
cp "$work/md" "$res/ces.md"
cat "$res/ces.md"
