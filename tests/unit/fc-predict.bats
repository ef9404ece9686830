#!/usr/bin/env bats
# fc-predict: forecasts, intervals, future rows, refusals, exit statuses.

bats_require_minimum_version 1.5.0

setup() {
	load '../test_helper/common-setup'
	_common_setup
	cp "$FC_ROOT/config.yaml" .
	fc-clean -o clean.csv "$FC_ROOT/data/sample/seatbelts.csv"
}

# |$1 - $2| <= $3
near() {
	awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }' ||
		{ echo "$1 is not within $3 of $2"; return 1; }
}

@test "forecasts predict.horizon steps per series with the default levels" {
	fc-train -o m.json clean.csv
	fc-predict -m m.json -o f.csv
	assert_equal "$(head -1 f.csv)" "unique_id,ds,model,yhat,lo_80,hi_80,lo_95,hi_95"
	assert_equal "$(wc -l < f.csv)" 49
	assert_equal "$(sed -n 2p f.csv | cut -d, -f1-3)" "DriversKilled,1985-01-01,theta"
	assert_equal "$(sed -n 13p f.csv | cut -d, -f2)" "1985-12-01"
	# sorted by (id, ds)
	tail -n +2 f.csv | cut -d, -f1,2 | LC_ALL=C sort -c
	assert_equal "$(jq -r '.output.rows' f.csv.meta.json)" 48
}

@test "the analytic ses interval is R's" {
	# R: ses(DriversKilled, h = 12), tests/unit/c/models_ref.h
	fc-train -s 'train.models=[ses]' -o m.json clean.csv
	fc-predict -m m.json > f.csv
	IFS=, read -r _ _ model yhat lo80 hi80 lo95 hi95 < <(sed -n 2p f.csv)
	assert_equal "$model" ses
	near "$yhat" 151.11022973911449 1e-3
	near "$lo80" 123.25664966354361 1e-3
	near "$hi80" 178.96380981468536 1e-3
	near "$lo95" 108.51185503741277 1e-3
}

@test "ets forecasts and intervals are R's forecast(ets(y))" {
	# R: f <- forecast(ets(ts(y, frequency = 12)), h = 12), first step, for
	# DriversKilled (MNA, class 2) and rear (MNM, class 3)
	fc-train -s train.selection.windows=0 -s 'train.models=[ets]' -o m.json clean.csv
	fc-predict -m m.json > f.csv
	IFS=, read -r _ _ model yhat lo80 hi80 lo95 hi95 < <(sed -n 2p f.csv)
	assert_equal "$model" ets
	near "$yhat" 103.20227872751684 1e-3
	near "$lo80" 86.466969340919292 1e-3
	near "$hi80" 119.93758811411439 1e-3
	near "$lo95" 77.607831691803895 1e-3
	near "$hi95" 128.7967257632298 1e-3
	IFS=, read -r id _ _ yhat lo80 hi80 lo95 hi95 < <(sed -n 38p f.csv)
	assert_equal "$id" rear
	near "$yhat" 328.59120715191381 1e-3
	near "$lo80" 284.45817620803996 1e-3
	near "$hi95" 396.08685344830474 1e-3
}

@test "croston gets a conformal interval from its cross-validation errors" {
	fc-train -c '' -s 'train.models=[croston]' -o m.json "$FIXTURES/fc-train/demand.csv"
	fc-predict -c '' -m m.json > f.csv
	IFS=, read -r _ ds model yhat lo80 hi80 lo95 hi95 < <(sed -n 2p f.csv)
	assert_equal "$ds,$model" "2022-01-01,croston"
	[ -n "$lo80" ] && [ -n "$hi95" ]
	# the width is a stored absolute error of the first step
	w=$(awk -v a="$hi80" -v b="$yhat" 'BEGIN { printf "%.10g", a - b }')
	jq -e --argjson w "$w" '.series[0].cv_errors[0] | map(. - $w | fabs < 1e-9) | any' m.json
	near "$(awk -v a="$yhat" -v b="$lo80" 'BEGIN { printf "%.10g", a - b }')" "$w" 1e-8
}

@test "croston without cross-validation has empty bounds and a note" {
	fc-train -c '' -s 'train.models=[croston]' -s train.selection.windows=0 \
		-o m.json "$FIXTURES/fc-train/demand.csv"
	assert_equal "$(jq -r '.series[0].note' m.json)" \
		"croston has no analytic intervals and there are no cross-validation errors: no intervals"
	fc-predict -c '' -m m.json > f.csv
	assert_equal "$(sed -n 2p f.csv | cut -d, -f5-)" ",,,"
}

@test "the header has one lo/hi pair per level of predict.levels" {
	fc-train -o m.json clean.csv
	fc-predict -s 'predict.levels=[50, 90]' -m m.json > f.csv
	assert_equal "$(head -1 f.csv)" "unique_id,ds,model,yhat,lo_50,hi_50,lo_90,hi_90"
}

@test "future rows give exactly their times" {
	fc-train -o m.json clean.csv
	fc-predict -m m.json > all.csv
	printf 'unique_id,ds\nfront,1985-01-01\nfront,1985-02-01\nfront,1985-03-01\n' > fut.csv
	fc-predict -m m.json fut.csv > f.csv
	assert_equal "$(wc -l < f.csv)" 4
	assert_equal "$(tail -n +2 f.csv)" "$(grep '^front,' all.csv | head -3)"
}

@test "future rows may carry the history and an empty target" {
	fc-train -o m.json clean.csv
	{ awk -F, 'NR == 1 || $1 == "rear"' clean.csv
	  printf 'rear,1985-01-01,,1,1,1\n'; } > fut.csv
	fc-predict -m m.json fut.csv > f.csv
	assert_equal "$(tail -n +2 f.csv | cut -d, -f1,2)" "rear,1985-01-01"
}

@test "future rows with a gap are an error naming the line" {
	fc-train -o m.json clean.csv
	printf 'unique_id,ds\nfront,1985-01-01\nfront,1985-03-01\n' > fut.csv
	run_sep fc-predict -m m.json -o f.csv fut.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-predict: fut.csv:3: series 'front': future time '1985-03-01' where '1985-02-01' was expected"
	[ ! -e f.csv ]
}

@test "future rows of an unknown series are an error" {
	fc-train -o m.json clean.csv
	printf 'unique_id,ds\nnobody,1985-01-01\n' > fut.csv
	run_sep fc-predict -m m.json fut.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-predict: fut.csv:2: series 'nobody' is not in the model file"
}

@test "a model file of another format version is refused" {
	fc-train -o m.json clean.csv
	sed 's/"format_version":\t1/"format_version":\t2/' m.json > m2.json
	run_sep fc-predict -m m2.json
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-predict: m2.json: unsupported model format version 2 (this fc-predict reads 1)"
	echo '{"format": "other"}' > o.json
	run_sep fc-predict -m o.json
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-predict: o.json: not an fc model file (no \"format\": \"fc-model\")"
}

@test "a model trained under another schema is refused" {
	sed '1s/,y,/,sales,/' clean.csv > sales.csv
	fc-train -s schema.target=sales -o m.json sales.csv
	run_sep fc-predict -m m.json
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-predict: m.json: model trained with schema.target 'sales', config has 'y'"
	fc-train -o m.json clean.csv
	run_sep fc-predict -s schema.season_length=4 -m m.json
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-predict: m.json: model trained with schema.season_length '12', config has '4'"
}

@test "a missing -m, a missing model file and a non-JSON one" {
	run_sep fc-predict
	assert_equal "$status" 64
	assert_equal "${stderr%%$'\n'*}" "fc-predict: missing model file (-m MODEL)"
	run_sep fc-predict -m nope.json
	assert_equal "$status" 66
	assert_equal "$stderr" "fc-predict: nope.json: cannot open the model file"
	echo 'not json' > x.json
	run_sep fc-predict -m x.json
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-predict: x.json: not a JSON file"
}

@test "a full disk exits 74 and a failed run leaves the previous forecast" {
	fc-train -o m.json clean.csv
	run_sep bash -c 'fc-predict -m m.json > /dev/full'
	assert_equal "$status" 74
	fc-predict -m m.json -o f.csv
	cp f.csv before.csv
	printf 'unique_id,ds\nfront,1986-01-01\n' > fut.csv
	run_sep fc-predict -m m.json -o f.csv fut.csv
	assert_equal "$status" 65
	cmp f.csv before.csv
}

@test "--help starts with the synopsis" {
	run_sep fc-predict --help
	assert_success
	assert_equal "${lines[0]}" "usage: fc-predict [-c FILE] [-s KEY=VALUE]... -m MODEL [-o FILE] [FUTURE]"
}

# ---- the ensemble ----

# yhat of a forecast file, one line per row
yhat() { tail -n +2 "$1" | cut -d, -f4; }

@test "the ensemble forecast is the median, or mean, of its members' forecasts" {
	for m in naive mean drift; do
		fc-train -s "train.models=[$m]" -s train.selection.windows=0 -o $m.json clean.csv
		fc-predict -m $m.json > $m.csv
		yhat $m.csv > $m.y
	done
	fc-train -s 'train.models=[ensemble]' -s 'train.ensemble.members=[naive, mean, drift]' \
		-s train.ensemble.combine=median -s train.selection.windows=0 -o e.json clean.csv
	assert_equal "$(jq '.series[0].model.members | map(.model) | join(" ")' e.json)" '"naive mean drift"'
	fc-predict -m e.json > e.csv
	assert_equal "$(sed -n 2p e.csv | cut -d, -f3)" ensemble
	median_of naive.csv mean.csv drift.csv > want
	yhat e.csv | awk '{ printf "%.10g\n", $1 }' > got
	cmp want got
	# intervals around it
	awk -F, 'NR > 1 && !($5 < $4 && $4 < $6 && $7 < $5 && $6 < $8) { bad++ } END { exit bad }' e.csv
	fc-train -s 'train.models=[ensemble]' -s 'train.ensemble.members=[naive, mean, drift]' \
		-s train.ensemble.combine=mean -s train.selection.windows=0 -o e.json clean.csv
	fc-predict -m e.json > e.csv
	paste -d' ' naive.y mean.y drift.y | awk '{ printf "%.10g\n", ($1 + $2 + $3) / 3 }' > want
	yhat e.csv | awk '{ printf "%.10g\n", $1 }' > got
	cmp want got
}

@test "an ensemble member that cannot take a series is left out" {
	# 20 months: too short for holt_winters (two full years needed)
	awk -F, 'NR == 1 || ($1 == "front" && ++k <= 20)' clean.csv > short.csv
	fc-train -s 'train.models=[ensemble]' -s 'train.ensemble.members=[holt_winters, naive]' \
		-s train.selection.windows=0 -o e.json short.csv
	assert_equal "$(jq -r '.series[0].model.members | map(.model) | join(" ")' e.json)" naive
}

@test "an ensemble with an mstl member reads back: its forecast is the members' mean" {
	for m in naive mstl; do
		fc-train -s "train.models=[$m]" -s train.selection.windows=0 -o $m.json clean.csv
		fc-predict -m $m.json > $m.csv
		yhat $m.csv > $m.y
	done
	fc-train -s 'train.models=[ensemble]' -s 'train.ensemble.members=[naive, mstl]' \
		-s train.ensemble.combine=mean -s train.selection.windows=0 -o e.json clean.csv
	assert_equal "$(jq -r '.series[0].model.members | map(.model) | join(" ")' e.json)" "naive mstl"
	fc-predict -m e.json > e.csv
	paste -d' ' naive.y mstl.y | awk '{ printf "%.10g\n", ($1 + $2) / 2 }' > want
	yhat e.csv | awk '{ printf "%.10g\n", $1 }' > got
	cmp want got
	# no deeper: an mstl inside an mstl is refused as the file is read
	jq '.series[0].model.members[1].members[0] = .series[0].model.members[1]' e.json > deep.json
	run --separate-stderr fc-predict -m deep.json
	assert_equal "$status" 65
	[[ "$stderr" == *"member 'members' missing or invalid"* ]]
}

@test "ensemble members must be models other than the ensemble" {
	run --separate-stderr fc-train -s 'train.ensemble.members=[ensemble]' -o e.json clean.csv
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-train: config.yaml: key 'train.ensemble.members': 'ensemble' cannot be a member"
	run --separate-stderr fc-train -s 'train.ensemble.members=[naive, sarimax]' -o e.json clean.csv
	assert_equal "$status" 78
	[[ "$stderr" == *"unknown model 'sarimax'"* ]]
	# nor a model on feature columns, which no member is given
	run --separate-stderr fc-train -s 'train.ensemble.members=[naive, arimax]' -o e.json clean.csv
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-train: config.yaml: key 'train.ensemble.members': 'arimax' cannot be a member (it needs feature columns)"
	[ ! -e e.json ]
}
