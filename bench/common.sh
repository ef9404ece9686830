# bench/common.sh - what the benchmarks share: messages, the panel
# generator and the timing loop. Sourced; expects runs, seed, data, work
# and gen to be set by the script that sources it.
# shellcheck shell=bash
# shellcheck disable=SC2154 # runs, seed, data, work, gen: set by the caller

die() {
	echo "bench: $*" >&2
	exit 1
}

warn() {
	echo "bench: warning: $*" >&2
}

build_generator() {
	if [ ! -x "$gen" ] || [ bench/gen-panel.c -nt "$gen" ]; then
		mkdir -p "$(dirname "$gen")"
		cc -O2 -o "$gen" bench/gen-panel.c -lm
	fi
}

# panel SERIES DAYS [-u]: print the path of the panel, generating it when
# it is absent or was made with another generator.
panel() {
	local series=$1 days=$2 flag=${3:-} path stamp want
	path=$data/panel-${series}x${days}-s${seed}${flag:+-unsorted}.csv
	want="$series $days $seed ${flag:-sorted} $(sha256sum <bench/gen-panel.c | cut -c1-16)"
	stamp=$path.params
	if [ ! -f "$path" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
		echo "bench: generating $path" >&2
		# shellcheck disable=SC2086 # $flag is empty or one word
		"$gen" $flag "$series" "$days" "$seed" >"$path.tmp"
		mv "$path.tmp" "$path"
		echo "$want" >"$stamp"
	fi
	echo "$path"
}

# timed SIZE CASE OUTDIR CMD...: run CMD $runs times, each time from an empty
# OUTDIR, appending one line per run to $work/times.tsv:
#   size case run wall_seconds time_e_seconds max_rss_kb
# Wall time comes from $EPOCHREALTIME (microseconds); GNU time's %e (10 ms
# steps) is kept beside it, and %M gives the peak resident set size.
timed() {
	local size=$1 name=$2 out=$3 i t0 t1 status
	shift 3
	for ((i = 1; i <= runs; i++)); do
		rm -rf "$out"
		mkdir -p "$out"
		t0=$EPOCHREALTIME
		status=0
		/usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null \
			2>"$work/stderr" || status=$?
		t1=$EPOCHREALTIME
		if [ "$status" -ne 0 ]; then
			warn "$name on $size failed (exit $status): $*"
			head -n 5 "$work/stderr" >&2
			printf '%s\t%s\tfailed\t%s\t%s\n' "$size" "$name" "$status" \
				"$(head -n 1 "$work/stderr" | tr '\t' ' ')" \
				>>"$work/failed.tsv"
			return 0
		fi
		printf '%s\t%s\t%d\t%s\t%s\n' "$size" "$name" "$i" \
			"$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')" \
			"$(tail -n 1 "$work/time" | tr ' ' '\t')" >>"$work/times.tsv"
	done
	echo "bench: $size $name: $runs runs" >&2
}


# m3_split M3DIR PERIOD DIR: DIR/train.PERIOD.csv and DIR/test.PERIOD.csv,
# the M3 series of that period (meta.csv's period column), sorted by id
# as fc sorts, times kept in order; their ids in DIR/ids.PERIOD.
m3_split() {
	awk -F, -v p="\"$2\"" 'NR > 1 && $3 == p { gsub(/"/, "", $1); print $1 }' \
		"$1/meta.csv" > "$3/ids.$2"
	for f in train test; do
		awk -F, 'NR == FNR { k[$1] = 1; next } FNR == 1 || k[$1]' \
			"$3/ids.$2" "$1/$f.csv" |
			{ IFS= read -r h; echo "$h"; sort -s -t, -k1,1; } > "$3/$f.$2.csv"
	done
}

# m3_periods: M3's periods, one a line: name, frequency ('-': none),
# season length and the competition's horizon.
m3_periods() {
	printf '%s\n' 'YEARLY Y 1 6' 'QUARTERLY Q 4 8' 'MONTHLY M 12 18' 'OTHER - 1 8'
}
