#!/usr/bin/env bash
# bench/clean.sh - throughput and peak memory of fc-load and fc-clean, with
# `mlr cat` as a floor and pandas doing the same cleaning as a peer.
#
# Usage: bench/clean.sh     (make bench runs it; build the tools first)
#
# Environment:
#   BENCH_RUNS=5                     timed runs of every command (median kept)
#   BENCH_SIZES="1000x1000 10000x1000"   panels, SERIESxDAYS
#   BENCH_UNSORTED="1000x1000"       sizes also timed on the date-ordered panel
#   BENCH_SEED=42                    generator seed
#   BENCH_PYTHON=/usr/bin/python3    an interpreter that has pandas
#
# Panels go to bench/data/ (ignored by git, kept between runs), scratch
# output to bench/data/run/, results to bench/results/clean.{json,md}.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

runs=${BENCH_RUNS:-5}
sizes=${BENCH_SIZES:-1000x1000 10000x1000}
unsorted_sizes=${BENCH_UNSORTED:-1000x1000}
seed=${BENCH_SEED:-42}
python=${BENCH_PYTHON:-/usr/bin/python3}
config=bench/config.yaml
data=bench/data
work=$data/run
gen=build/bench/gen-panel
results=bench/results

# shellcheck source=bench/common.sh
. bench/common.sh

check_tools() {
	local t
	for t in bin/fc-load bin/fc-clean; do
		[ -x "$t" ] || die "$t is missing: run make first"
	done
	command -v mlr >/dev/null || die "mlr is missing: make deps-bench"
	[ -x /usr/bin/time ] || die "/usr/bin/time is missing: make deps-bench"
	"$python" -c 'import pandas' 2>/dev/null ||
		die "$python has no pandas: make deps-bench, or set BENCH_PYTHON"
	[[ $runs =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS '$runs': expected a positive integer"
}

# rows FILE: data rows (lines after the header).
rows() {
	echo $(($(wc -l <"$1") - 1))
}

# compare A B: print the number of rows that differ between two cleansed
# files: ids and times exactly, numbers within a relative 1e-9, empty only
# against empty. Warns with the first differences.
compare() {
	paste -d '|' "$1" "$2" | awk -F '|' -v a="$1" -v b="$2" '
	function num(s) { return s ~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/ }
	function same(x, y,   d, m) {
		if (x == y) return 1
		if (x == "" || y == "" || !num(x) || !num(y)) return 0
		d = x - y; if (d < 0) d = -d
		m = x < 0 ? -x : x; if ((y < 0 ? -y : y) > m) m = y < 0 ? -y : y
		return d <= 1e-9 * m
	}
	{
		nx = split($1, x, ","); ny = split($2, y, ",")
		ok = nx == ny
		for (i = 1; ok && i <= nx; i++) ok = same(x[i], y[i])
		if (!ok && ++bad <= 3)
			printf "bench: warning: %s and %s differ at line %d: %s | %s\n",
				a, b, NR, $1, $2 > "/dev/stderr"
	}
	END { print bad + 0 }'
}

versions() {
	echo "fc_clean=$(bin/fc-clean -V 2>&1 | head -n 1)"
	echo "fc_load=$(bin/fc-load -V 2>&1 | head -n 1)"
	echo "mlr=$(mlr --version 2>&1 | head -n 1)"
	echo "pandas=$("$python" -c 'import pandas; print(pandas.__version__)')"
	echo "numpy=$("$python" -c 'import numpy; print(numpy.__version__)')"
	echo "python=$("$python" -c 'import platform; print(platform.python_version())')"
	echo "cc=$(cc --version | head -n 1)"
	echo "kernel=$(uname -sr)"
	echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(
		git diff --quiet HEAD -- 2>/dev/null || echo -dirty)"
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "nproc=$(nproc)"
	echo "cpu=$(awk -F ': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
	echo "mem_kb=$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)"
	echo "runs=$runs"
	echo "seed=$seed"
}

bench_size() {
	local size=$1 series days p u d
	[[ $size =~ ^([1-9][0-9]*)x([1-9][0-9]*)$ ]] ||
		die "BENCH_SIZES: '$size' is not SERIESxDAYS"
	series=${BASH_REMATCH[1]}
	days=${BASH_REMATCH[2]}
	p=$(panel "$series" "$days")
	d=$work/$size

	timed "$size" fc-load "$d/load" \
		bin/fc-load -c "$config" -o "$d/load/raw.csv" "$p"
	timed "$size" fc-clean "$d/clean" \
		bin/fc-clean -c "$config" -o "$d/clean/clean.csv" "$p"
	if [[ " $unsorted_sizes " == *" $size "* ]]; then
		u=$(panel "$series" "$days" -u)
		timed "$size" fc-clean-unsorted "$d/unsorted" \
			bin/fc-clean -c "$config" -o "$d/unsorted/clean.csv" "$u"
	fi
	timed "$size" mlr-cat "$d/mlr" mlr --icsv --ocsv cat "$p"
	timed "$size" pandas "$d/pandas" \
		"$python" bench/clean_pandas.py "$p" "$d/pandas/clean.csv"
	check_size "$size" "$series" "$days" "$p" "$d"
}

# Check that fc-load wrote the source unchanged, that fc-clean and pandas
# did the same work, and that the date-ordered panel cleans to the same
# bytes as the grouped one.
check_size() {
	local size=$1 series=$2 days=$3 p=$4 d=$5 fc pd fcr=-1 pdr=-1 bad=-1 same=
	fc=$d/clean/clean.csv
	pd=$d/pandas/clean.csv
	[ -f "$fc" ] && fcr=$(rows "$fc")
	[ -f "$pd" ] && pdr=$(rows "$pd")
	if [ "$fcr" -ge 0 ] && [ "$fcr" = "$pdr" ]; then
		bad=$(compare "$fc" "$pd")
		[ "$bad" -eq 0 ] || warn "$size: fc-clean and pandas differ on $bad rows"
	else
		warn "$size: fc-clean wrote $fcr rows, pandas $pdr: not the same work"
	fi
	if ! cmp -s "$p" "$d/load/raw.csv"; then
		warn "$size: fc-load's raw layer is not the source, byte for byte"
	fi
	if [ -f "$d/unsorted/clean.csv" ]; then
		if cmp -s "$fc" "$d/unsorted/clean.csv"; then
			same=true
		else
			same=false
			warn "$size: the date-ordered panel cleans to other bytes"
		fi
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$series" "$days" \
		"$(stat -c %s "$p")" "$(rows "$p")" "$fcr" "$pdr" "$bad" \
		"${same:-}" >>"$work/panels.tsv"
}

main() {
	local size
	check_tools
	build_generator
	mkdir -p "$data" "$results"
	rm -rf "$work"
	mkdir -p "$work"
	: >"$work/times.tsv"
	: >"$work/panels.tsv"
	: >"$work/failed.tsv"
	for size in $sizes; do
		bench_size "$size"
	done
	versions >"$work/versions.txt"
	"$python" bench/report_clean.py "$work" "$results/clean"
	cat "$results/clean.md"
}

main "$@"
