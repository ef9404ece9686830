#!/usr/bin/env bash
# bench/ensembles.sh - which members make the best ensemble on M3: every
# member fitted once per series (fc-train -s 'train.models=[MODEL]', no
# cross-validation, one thread), then every mean and median of two or more
# members scored as M4 scores (mean over series of the series' sMAPE),
# per period and overall, with each member's own CPU time.
#
# Usage: bench/ensembles.sh [MODEL ...]   (default: ets theta dotm arima ces)
# Reads ../shared/datasets/m3 (or $FC_DATASETS/m3) in place. BENCH_KEEP=DIR
# keeps the splits and forecasts in DIR and reuses the forecasts already
# there; BENCH_BIN=DIR takes fc-train and fc-predict from DIR instead of
# bin/. Results: bench/results/ensembles.md. Slow: arima on the 1428
# monthly series takes most of it (about 25 minutes of one core).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
data=${FC_DATASETS:-../shared/datasets}/m3
bin=${BENCH_BIN:-$PWD/bin}
work=${BENCH_KEEP:-$(mktemp -d)}
[ -n "${BENCH_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work" bench/results
[ $# -gt 0 ] || set -- ets theta dotm arima ces
[ -f "$data/meta.csv" ] || { echo "ensembles.sh: no M3 in '$data' (set FC_DATASETS)" >&2; exit 66; }

# shellcheck source=bench/common.sh
. bench/common.sh

: > "$work/config.yaml"
for p in YEARLY QUARTERLY MONTHLY OTHER; do
	[ -s "$work/test.$p.csv" ] || m3_split "$data" "$p" "$work"
done
for model in "$@"; do
	while read -r p f m h; do
		[ "$f" = - ] && f=
		[ -s "$work/f.$model.$p.csv" ] && continue
		/usr/bin/time -f "$model $p %U %S" -a -o "$work/times" \
			"$bin/fc-train" -c "$work/config.yaml" -s schema.frequency="$f" \
			-s "train.models=[$model]" -s train.selection.windows=0 \
			-s schema.season_length="$m" -s predict.horizon="$h" \
			-s runtime.threads=1 -o "$work/m.$model.$p.json" \
			"$work/train.$p.csv" 2>/dev/null
		"$bin/fc-predict" -c "$work/config.yaml" -s schema.frequency="$f" \
			-s schema.season_length="$m" -s predict.horizon="$h" \
			-s 'predict.levels=[]' -m "$work/m.$model.$p.json" \
			> "$work/f.$model.$p.csv"
	done < <(m3_periods)
done
python3 bench/ensembles.py "$work" "$@" > bench/results/ensembles.md
cat bench/results/ensembles.md
