#!/usr/bin/env bash
# bench/feat.sh - throughput and peak memory of fc-feat: ten features on
# the cleansed daily panels (bench/feat.yaml), 1,000 and 10,000 series.
#
# Usage: bench/feat.sh     (make bench runs it; build the tools first)
#
# Environment: BENCH_RUNS=5, BENCH_SIZES="1000x1000 10000x1000",
# BENCH_SEED=42. Results: bench/results/feat.{json,md}.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

runs=${BENCH_RUNS:-5}
sizes=${BENCH_SIZES:-1000x1000 10000x1000}
seed=${BENCH_SEED:-42}
config=bench/feat.yaml
data=bench/data
work=$data/run-feat
gen=build/bench/gen-panel
results=bench/results

# shellcheck source=bench/common.sh
. bench/common.sh

# cleansed SERIES DAYS: the cleansed panel (made once, not timed).
cleansed() {
	local p c
	p=$(panel "$1" "$2")
	c=${p%.csv}.cleansed.csv
	if [ ! -f "$c" ] || [ "$p" -nt "$c" ]; then
		bin/fc-clean -c "$config" -o "$c" "$p"
	fi
	echo "$c"
}

# median of the wall times of one size, and its peak RSS (KB)
summary() {
	awk -F '\t' -v s="$1" '$1 == s { print $4 }' "$work/times.tsv" |
		sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

main() {
	local size series days c bytes rows med rss json="" md
	for t in bin/fc-clean bin/fc-feat; do
		[ -x "$t" ] || die "$t is missing: run make first"
	done
	build_generator
	mkdir -p "$data" "$results"
	rm -rf "$work"
	mkdir -p "$work"
	: >"$work/times.tsv"
	md="# fc-feat throughput

$(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD), $(nproc) cores ($(awk -F ': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), median of $runs runs. Ten features (bench/feat.yaml) on the cleansed panel; MB/s and rows/s are input bytes and rows over the median wall time.

| panel | input MB | rows | median s | MB/s | rows/s | peak RSS MB |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	for size in $sizes; do
		series=${size%x*}
		days=${size#*x}
		c=$(cleansed "$series" "$days")
		timed "$size" fc-feat "$work/out" \
			bin/fc-feat -c "$config" -o "$work/out/features.csv" "$c"
		bytes=$(stat -c %s "$c")
		rows=$(($(wc -l <"$c") - 1))
		med=$(summary "$size")
		rss=$(awk -F '\t' -v s="$size" '$1 == s && $6 > m { m = $6 } END { print m }' "$work/times.tsv")
		md="$md
$(awk -v s="$size" -v b="$bytes" -v r="$rows" -v t="$med" -v k="$rss" 'BEGIN {
	printf "| %s | %.1f | %d | %.3f | %.1f | %.0f | %.1f |", s, b / 1e6, r, t, b / 1e6 / t, r / t, k / 1024 }')"
		json="$json${json:+,}
    {\"panel\": \"$size\", \"bytes\": $bytes, \"rows\": $rows, \"median_s\": $med, \"peak_rss_kb\": $rss, \"runs_s\": [$(awk -F '\t' -v s="$size" '$1 == s { printf "%s%s", n++ ? ", " : "", $4 }' "$work/times.tsv")]}"
	done
	printf '{\n  "date": "%s",\n  "commit": "%s",\n  "nproc": %d,\n  "results": [%s\n  ]\n}\n' \
		"$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(git rev-parse --short HEAD)" \
		"$(nproc)" "$json" >"$results/feat.json"
	printf '%s\n\nTarget: at least 50 MB/s of input, and peak memory that does not grow with the number of series.\n' "$md" >"$results/feat.md"
	cat "$results/feat.md"
}

main "$@"
