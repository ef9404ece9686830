#!/usr/bin/env bash
# bench/m3-default.sh - the default model (a config without train.models)
# on all 3003 series of M3: wall time on this machine and sMAPE, the mean
# of the series' sMAPE as M4 defines it, per period and overall.
#
# Usage: bench/m3-default.sh   (build the tools first; reads
# ../shared/datasets/m3, or $FC_DATASETS/m3, in place)
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
data=${FC_DATASETS:-../shared/datasets}/m3
bin=$PWD/bin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# shellcheck source=bench/common.sh
. bench/common.sh

: > "$work/config.yaml"
for p in YEARLY QUARTERLY MONTHLY OTHER; do m3_split "$data" "$p" "$work"; done
t0=$(date +%s.%N)
while read -r p f m h; do
	[ "$f" = - ] && f=
	"$bin/fc-train" -c "$work/config.yaml" -s schema.frequency="$f" \
		-s schema.season_length="$m" -s predict.horizon="$h" \
		-o "$work/m.$p.json" "$work/train.$p.csv" 2>/dev/null
	"$bin/fc-predict" -c "$work/config.yaml" -s schema.frequency="$f" \
		-s schema.season_length="$m" -s predict.horizon="$h" \
		-m "$work/m.$p.json" > "$work/f.$p.csv"
done < <(m3_periods)
t1=$(date +%s.%N)
echo "default model on M3: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s wall, $(nproc) cores"
for p in YEARLY QUARTERLY MONTHLY OTHER; do
	paste -d, <(tail -n +2 "$work/test.$p.csv") <(tail -n +2 "$work/f.$p.csv") |
		awk -F, -v p="$p" '
		$1 != $4 { print "misaligned rows: " $1 " " $4 > "/dev/stderr"; exit 1 }
		{ a = $3 < 0 ? -$3 : $3; b = $7 < 0 ? -$7 : $7
		  s = 200 * ($7 > $3 ? $7 - $3 : $3 - $7) / (a + b)
		  sum[$1] += s; cnt[$1]++ }
		END { for (k in sum) { t += sum[k] / cnt[k]; n++ }
		      printf "%-9s %5d series  sMAPE %.3f\n", p, n, t / n }'
done | awk '{ print; w += $2 * $5; n += $2 } END { printf "%-9s %5d series  sMAPE %.3f\n", "ALL", n, w / n }'
