#!/usr/bin/env bats
# fc-train: cross-validated selection, fallbacks, the model file, threads,
# errors and exit statuses.

bats_require_minimum_version 1.5.0

setup() {
	load '../test_helper/common-setup'
	_common_setup
	FX="$FIXTURES/fc-train"
	# the sample project's cleansed layer
	cp "$FC_ROOT/config.yaml" .
	fc-clean -o clean.csv "$FC_ROOT/data/sample/seatbelts.csv"
}

# The rows of one series of shapes.csv, with the header.
series() {
	awk -F, -v id="$1" 'NR == 1 || $1 == id' "$FX/shapes.csv"
}

@test "cross-validation picks snaive on a purely seasonal series" {
	series seas > seas.csv
	fc-train -s schema.frequency=Q -s schema.season_length=4 seas.csv > m.json
	assert_equal "$(jq -r '.series[0].model.model' m.json)" snaive
	assert_equal "$(jq -r '.series[0].candidates[1].cv.mean' m.json)" 0
}

@test "cross-validation picks holt on a pure trend, drift when it comes first" {
	series trend > trend.csv
	fc-train -s schema.frequency=Y trend.csv > m.json
	assert_equal "$(jq -r '.series[0].model.model' m.json)" holt
	fc-train -s schema.frequency=Y -s 'train.models=[naive, drift, holt]' \
		trend.csv > m.json
	assert_equal "$(jq -r '.series[0].model.model' m.json)" drift
}

@test "every candidate's cross-validation scores are stored" {
	fc-train -s 'train.models=[naive, snaive, ses, holt, damped, theta]' \
		-o m.json clean.csv
	# 4 series, 6 candidates, 3 windows each, and a mean
	assert_equal "$(jq '[.series[].candidates[] | select(.cv.scores | length == 3) | select(.cv.mean != null)] | length' m.json)" 24
	assert_equal "$(jq -r '.series[0].candidates | map(.model) | join(" ")' m.json)" \
		"naive snaive ses holt damped theta"
	assert_equal "$(jq -r '[.series[].cv.metric] | unique | join(" ")' m.json)" mase
	# the chosen model's errors: 12 steps of 3 windows
	assert_equal "$(jq '.series[0].cv_errors | map(length) | unique' m.json | tr -d ' \n')" "[3]"
	assert_equal "$(jq '.series[0].cv_errors | length' m.json)" 12
}

@test "the model file records format, config hash, data sha256 and fits" {
	fc-train -o m.json clean.csv
	assert_equal "$(jq -r '.format, .format_version, .fc_version' m.json | tr '\n' ' ')" \
		"fc-model 1 $(fc-train -V | awk '{print $3}') "
	assert_equal "$(jq -r .data.sha256 m.json)" "$(sha256sum clean.csv | cut -d' ' -f1)"
	assert_equal "$(jq -r '.data.rows, .data.series' m.json | tr '\n' ' ')" "768 4 "
	assert_equal "$(jq -r .config.sha256 m.json)" "$(jq -r .config.sha256 m.json.meta.json)"
	assert_equal "$(jq -r '.series[0] | .id, .last_time, .frequency, .season_length, .n' m.json | tr '\n' ' ')" \
		"DriversKilled 1984-12-01 M 12 192 "
	# parameters, states and the residual variance of the fit
	jq -e '.series[0].model | (.params | length) > 0 and (.state | length) > 0 and (.sigma2 | type) == "number"' m.json
	assert_equal "$(jq -r '."program"' m.json.meta.json)" fc-train
}

@test "a series too short to cross-validate falls back to naive with a note" {
	printf 'unique_id,ds,y\nA,2024-01-01,3\nA,2024-02-01,4\n' > short.csv
	fc-train short.csv > m.json
	assert_equal "$(jq -r '.series[0].model.model' m.json)" naive
	assert_equal "$(jq -r '.series[0].note' m.json)" \
		"2 values are too few to cross-validate; fell back to naive"
}

@test "a candidate that cannot be fitted is recorded with its error" {
	series trend | head -9 > t.csv
	fc-train -s schema.frequency=Y -s 'train.models=[naive, holt_winters]' \
		-s schema.season_length=4 t.csv > m.json
	assert_equal "$(jq -r '.series[0].model.model' m.json)" naive
	assert_equal "$(jq -r '.series[0].candidates[1].error' m.json)" \
		"model 'holt_winters': series of 3 values is too short, 13 needed for season length 4"
}

@test "rows with an empty target at the end of a series are not trained on" {
	{ cat clean.csv; } | awk -F, 'NR == 1 || $1 == "front"' > f.csv
	printf 'front,1985-01-01,,1,1,1\nfront,1985-02-01,,1,1,1\n' >> f.csv
	fc-train -o m.json f.csv
	assert_equal "$(jq -r '.series[0] | .n, .last_time' m.json | tr '\n' ' ')" "192 1984-12-01 "
	assert_equal "$(jq -r '.changes.future_rows_ignored' m.json.meta.json)" 2
}

@test "an empty target inside a series is an error naming the line" {
	printf 'unique_id,ds,y\nA,2024-01-01,3\nA,2024-02-01,\nA,2024-03-01,5\n' > gap.csv
	run_sep fc-train gap.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-train: gap.csv:3: series 'A': empty target before its last value (the training data must be imputed)"
}

@test "the model file is byte-identical on 1 and 2 threads" {
	# 40 series: the sample ten times under other ids
	awk -F, 'NR == 1 { print; next } { for (k = 0; k < 10; k++) a[k] = a[k] "s" k "_" $0 "\n" }
		END { for (k = 0; k < 10; k++) printf "%s", a[k] }' clean.csv > many.csv
	fc-train -s runtime.threads=1 -o one.json many.csv
	fc-train -s runtime.threads=2 -o two.json many.csv
	fc-train -s runtime.threads=7 -o seven.json many.csv
	cmp one.json two.json
	cmp one.json seven.json
	assert_equal "$(jq '.series | length' one.json)" 40
	fc-predict -m one.json > one.csv
	fc-predict -m two.json > two.csv
	cmp one.csv two.csv
}

@test "an unknown model in train.models is a config error naming it" {
	run_sep fc-train -s 'train.models=[naive, etsx, theta]' clean.csv
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-train: -s: key 'train.models': unknown model 'etsx'"
	printf 'train:\n  models:\n    - naive\n    - prophet\n' > c.yaml
	run_sep fc-train -c c.yaml clean.csv
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-train: c.yaml:4: key 'train.models': unknown model 'prophet'"
}

@test "an empty input, or a header alone, exits 65" {
	: > empty.csv
	run_sep fc-train empty.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-train: empty.csv: empty file: expected a header line"
	printf 'unique_id,ds,y\n' > header.csv
	run_sep fc-train header.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-train: header.csv: no data rows after the header"
}

@test "unsorted input exits 65 saying so" {
	printf 'unique_id,ds,y\nB,2024-01-01,1\nB,2024-02-01,2\nA,2024-01-01,3\n' > ids.csv
	run_sep fc-train ids.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-train: ids.csv:4: input is not sorted by (id, time): series 'A' after 'B'"
	printf 'unique_id,ds,y\nA,2024-02-01,1\nA,2024-01-01,2\n' > times.csv
	run_sep fc-train times.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-train: times.csv:3: input is not sorted by (id, time): time '2024-01-01' of series 'A' is not after '2024-02-01'"
}

@test "a missing target column exits 65 naming it" {
	run_sep fc-train -s schema.target=sales clean.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-train: clean.csv:1: missing column 'sales' (schema.target)"
}

@test "a series off its frequency exits 65" {
	printf 'unique_id,ds,y\nA,2024-01-01,1\nA,2024-02-01,2\nA,2024-04-01,3\n' > irr.csv
	run_sep fc-train -s schema.frequency=M irr.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-train: irr.csv:4: series 'A' is not regular at frequency M: time '2024-04-01' does not follow '2024-02-01'"
}

@test "a full disk exits 74" {
	run_sep bash -c 'fc-train clean.csv > /dev/full'
	assert_equal "$status" 74
}

@test "-o a device or a FIFO writes in place, with no temporary file and no sidecar" {
	fc-train -s train.models=[naive] -o want.json clean.csv
	# a device stays a device: /dev/full fails as a full disk
	run_sep fc-train -s train.models=[naive] -o /dev/full clean.csv
	assert_equal "$status" 74
	assert_equal "$stderr" "fc-train: /dev/full: write error: No space left on device"
	[ -c /dev/full ]
	[ ! -e /dev/full.meta.json ]
	# a FIFO gets the model, and stays a FIFO
	mkfifo fifo
	cat fifo > got.json &
	fc-train -s train.models=[naive] -o fifo clean.csv
	wait
	[ -p fifo ]
	[ ! -e fifo.meta.json ]
	assert_equal "$(ls -A | grep -c '^\.fifo\.')" 0
	cmp got.json want.json
	# -o - is standard output, with no sidecar either
	fc-train -s train.models=[naive] -o - clean.csv > out.json
	cmp out.json want.json
	[ ! -e ./-.meta.json ]
}

@test "a failed run leaves the previous model file" {
	fc-train -o m.json clean.csv
	cp m.json before.json
	printf 'unique_id,ds,y\nB,2024-01-01,1\nA,2024-01-01,3\n' > bad.csv
	run_sep fc-train -o m.json bad.csv
	assert_equal "$status" 65
	cmp m.json before.json
	# and no temporary file (.m.json.XXXXXX)
	assert_equal "$(ls -A | grep -c '^\.m\.json\.')" 0
}

@test "windows 0 keeps the first model that fits" {
	fc-train -s train.selection.windows=0 -s 'train.models=[holt_winters_mul, ses]' \
		-s 'schema.season_length=12' -o m.json clean.csv
	assert_equal "$(jq -r '[.series[].model.model] | unique | join(" ")' m.json)" holt_winters_mul
	jq -e '.series[0] | has("cv_errors") | not' m.json
}

@test "ets picks per series the ETS form R's ets() picks and records it" {
	# R: ets(ts(y, frequency = 12)) on each series of data/sample/seatbelts.csv
	fc-train -s train.selection.windows=0 -s 'train.models=[ets]' -o m.json clean.csv
	assert_equal "$(jq -r '[.series[] | .id + ":" + .model.model + ":" + .model.form] | join(" ")' m.json)" \
		"DriversKilled:ets:MNA VanKilled:ets:MNA front:ets:ANA rear:ets:MNM"
	jq -e '.series[3].model | (.aicc | type) == "number" and .params.gamma > 0' m.json
}

@test "every model --help names has its entry in fc-train(1) and its name in fc-config(5)" {
	run_sep fc-train --help
	models=$(printf '%s\n' "$output" | sed -n '/Models:/,/^See/p' | sed 's/.*Models://; /^See/d' | tr ' .' '\n\n' | sed '/^$/d')
	[ "$(wc -l <<< "$models")" -ge 20 ]
	for m in $models; do
		grep -qx "\.It Cm $m" "$FC_ROOT/man/man1/fc-train.1" || { echo "fc-train.1: no entry for $m"; return 1; }
		sed -n '/^The names are$/,/^an unknown name/p' "$FC_ROOT/man/man5/fc-config.5" |
			grep -q "^\.Cm .*\b$m\b" || { echo "fc-config.5: train.models does not name $m"; return 1; }
	done
}

@test "--help starts with the synopsis and -V prints the version" {
	run_sep fc-train --help
	assert_success
	assert_equal "${lines[0]}" "usage: fc-train [-c FILE] [-s KEY=VALUE]... [-o FILE] [INPUT]"
	run_sep fc-train -V
	assert_output --regexp '^fc-train \(fc\) [0-9]'
	run_sep fc-train -x
	assert_equal "$status" 64
}

# ---- dotm, against the authors' forecTheta 3.0 (fixtures/fc-train/README) ----

# close A B: |A - B| <= 1e-6 |B|
close() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; s = b < 0 ? -b : b; exit !(d <= 1e-6 * s) }'; }

# close_col CSV COL V...: column COL of the data rows of CSV, each close
# to its V
close_col() {
	local f=$1 c=$2 row=2 v
	shift 2
	for v; do
		close "$(sed -n "${row}p" "$f" | cut -d, -f"$c")" "$v" ||
			{ echo "$f row $row column $c: not close to $v"; return 1; }
		row=$((row + 1))
	done
}

@test "dotm fits AirPassengers as forecTheta does: parameters and forecasts" {
	fc-train -c '' -s schema.frequency=M -s schema.season_length=12 -s 'train.models=[dotm]' \
		-s train.selection.windows=0 -o m.json "$FX/airpassengers.csv"
	close "$(jq -r '.series[0].model.params.l0' m.json)" -182.1233602
	close "$(jq -r '.series[0].model.params.alpha' m.json)" 0.7232316248
	close "$(jq -r '.series[0].model.params.theta' m.json)" 257.2769612
	fc-predict -c '' -s schema.frequency=M -s schema.season_length=12 -s predict.horizon=6 -m m.json > f.csv
	want=(442.9720415 432.3586371 495.5702134 482.6789005 487.9888311 556.2821356)
	for i in 0 1 2 3 4 5; do
		close "$(sed -n "$((i + 2))p" f.csv | cut -d, -f4)" "${want[$i]}"
	done
}

@test "dotm fits Nile as forecTheta does; its intervals widen from sigma" {
	fc-train -c '' -s schema.frequency=Y -s 'train.models=[dotm]' \
		-s train.selection.windows=0 -o m.json "$FX/nile.csv"
	close "$(jq -r '.series[0].model.params.l0' m.json)" 1051.164568
	close "$(jq -r '.series[0].model.params.alpha' m.json)" 0.2466867167
	close "$(jq -r '.series[0].model.params.theta' m.json)" 1.000000634
	close "$(jq -r '.series[0].model.sigma2 | sqrt' m.json)" 144.308669
	fc-predict -c '' -s schema.frequency=Y -s predict.horizon=5 -s 'predict.levels=[80]' -m m.json > f.csv
	close "$(sed -n 2p f.csv | cut -d, -f4)" 804.9958266
	close "$(sed -n 6p f.csv | cut -d, -f4)" 804.9958199
	# one step ahead: yhat -/+ 1.2816 sigma; later steps wider
	close "$(sed -n 2p f.csv | awk -F, '{ print ($6 - $5) / 2 }')" "$(awk 'BEGIN { print 1.2815515655446004 * 144.308669 }')"
	awk -F, 'NR > 2 && $6 - $5 <= w { exit 1 } NR > 1 { w = $6 - $5 }' f.csv
}

# ---- ets_weighted, against R's ets() fits combined (fixtures/fc-train/README) ----

@test "ets_weighted weighs R's ets() forms of Nile by their AICc, with R's forecasts and bounds" {
	fc-train -c '' -s schema.frequency=Y -s 'train.models=[ets_weighted]' \
		-s train.selection.windows=0 -o m.json "$FX/nile.csv"
	assert_equal "$(jq -r '.series[0].model | "\(.model) \([.members[] | .model + ":" + .form] | join(" "))"' m.json)" \
		"ets_weighted ets:ANN ets:AAdN ets:AAN ets:MNN ets:MAdN ets:MAN"
	# one weight a member, named by its form, summing to 1
	assert_equal "$(jq -r '.series[0].model.params | keys_unsorted | join(" ")' m.json)" \
		"w_ANN w_AAdN w_AAN w_MNN w_MAdN w_MAN"
	close "$(jq -r '.series[0].model.params | add' m.json)" 1
	close "$(jq -r '.series[0].model.params.w_MNN' m.json)" 0.46591814
	close "$(jq -r '.series[0].model.params.w_ANN' m.json)" 0.36666469
	close "$(jq -r '.series[0].model.params.w_MAdN' m.json)" 0.01431194
	fc-predict -c '' -s schema.frequency=Y -s predict.horizon=5 -s 'predict.levels=[80]' -m m.json > f.csv
	# yhat, then hi_80
	close_col f.csv 4 823.2299419 822.8677744 822.5057257 822.1437719 821.7818941
	close_col f.csv 6 999.2727892 1002.266159 1005.193345 1008.059132 1010.867744
	# the members keep no residuals; the weighted fit does
	jq -e '.series[0].model | has("residuals") and ([.members[] | has("residuals")] | any | not)' m.json
	# a weight lost from the file is an error, not a forecast
	jq '.series[0].model.params |= del(.w_MAN)' m.json > bad.json
	run --separate-stderr fc-predict -c '' -s schema.frequency=Y -m bad.json
	assert_equal "$status" 65
	assert_output ""
	assert_equal "$stderr" "fc-predict: bad.json: series 'nile': model json: member 'members' missing or invalid"
	# so are weights that do not sum to 1, or below 0
	for w in 0.5 -0.1; do
		jq --argjson w "$w" '.series[0].model.params.w_ANN = $w' m.json > bad.json
		run --separate-stderr fc-predict -c '' -s schema.frequency=Y -m bad.json
		assert_equal "$status" 65
		assert_equal "$stderr" "fc-predict: bad.json: series 'nile': model json: member 'params' missing or invalid"
	done
}

@test "ets_weighted on AirPassengers: fifteen seasonal forms, R's forecasts and bounds" {
	fc-train -c '' -s schema.frequency=M -s schema.season_length=12 -s 'train.models=[ets_weighted]' \
		-s train.selection.windows=0 -o m.json "$FX/airpassengers.csv"
	assert_equal "$(jq -r '.series[0].model.members | length' m.json)" 15
	close "$(jq -r '.series[0].model.params.w_MAdM' m.json)" 0.8195015722
	close "$(jq -r '.series[0].model.params.w_MAM' m.json)" 0.1804984278
	fc-predict -c '' -s schema.frequency=M -s schema.season_length=12 -s predict.horizon=5 -s 'predict.levels=[80]' -m m.json > f.csv
	close_col f.csv 4 443.0963675 432.5138441 494.3889178 487.0953793 490.3360377
	close_col f.csv 6 465.6695387 459.2081411 529.6405003 526.8073885 536.0875261
}

# ---- mstl, against R forecast's stlf and mstl (fixtures/fc-train/README) ----

@test "mstl with naive forecasts AirPassengers as R's stlf does" {
	fc-train -c '' -s schema.frequency=M -s schema.season_length=12 -s 'train.models=[mstl]' \
		-s train.mstl.model=naive -s train.selection.windows=0 -o m.json "$FX/airpassengers.csv"
	assert_equal "$(jq -r '.series[0].model.form' m.json)" naive
	fc-predict -c '' -s schema.frequency=M -s schema.season_length=12 -s predict.horizon=5 -m m.json > f.csv
	want=(443.5090671 424.9972863 465.9385876 463.3144941 470.4611908)
	lo=(429.6768815 405.4356218 441.9805393 435.6501229 439.5314835)
	for i in 0 1 2 3 4; do
		close "$(sed -n "$((i + 2))p" f.csv | cut -d, -f4)" "${want[$i]}"
		close "$(sed -n "$((i + 2))p" f.csv | cut -d, -f5)" "${lo[$i]}"
	done
}

@test "mstl takes two seasons, as R's mstl on a msts does" {
	fc-train -c '' -s schema.frequency=D -s 'train.mstl.periods=[30, 7]' -s 'train.models=[mstl]' \
		-s train.mstl.model=naive -s train.selection.windows=0 -o m.json "$FX/two-seasons.csv"
	assert_equal "$(jq -c '.series[0].model.state[0:3]' m.json)" "[2,7,30]"
	fc-predict -c '' -s schema.frequency=D -s predict.horizon=5 -m m.json > f.csv
	want=(125.0275022 126.555926 119.4928503 110.9693038 105.2470693)
	hi=(130.1899235 133.8566923 128.4344262 121.2941464 116.7905943)
	for i in 0 1 2 3 4; do
		close "$(sed -n "$((i + 2))p" f.csv | cut -d, -f4)" "${want[$i]}"
		close "$(sed -n "$((i + 2))p" f.csv | cut -d, -f8)" "${hi[$i]}"
	done
}

@test "mstl: a period of less than two is a config error" {
	run --separate-stderr fc-train -s 'train.mstl.periods=[1]' -o m.json clean.csv
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-train: config.yaml: key 'train.mstl.periods': '1' is not a period of 2 or more"
	run --separate-stderr fc-train -s train.mstl.model=ensemble -o m.json clean.csv
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-train: config.yaml: key 'train.mstl.model': 'ensemble' cannot forecast the adjusted series"
	run --separate-stderr fc-train -s train.mstl.model=arimax -o m.json clean.csv
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-train: config.yaml: key 'train.mstl.model': 'arimax' cannot forecast the adjusted series"
}

@test "auto, the default: for a long season, the median of mstl, snaive, arima, and above 24 ets_weighted and a seasonal arima" {
	# four weeks of hours: a daily and a weekly cycle
	awk 'BEGIN { print "unique_id,ds,y"
		for (i = 0; i < 672; i++) {
			t = 1704067200 + 3600 * i
			printf "H,%s,%.4f\n", strftime("%Y-%m-%dT%H:%M:%S", t, 1),
				100 + 10 * sin(6.283185307179586 * i / 24) + 5 * (int(i / 24) % 7 == 6) + (i * 7919 % 13) / 10 }
	}' > h.csv
	: > config.yaml
	fc-train -s train.selection.windows=0 -o h.json h.csv
	assert_equal "$(jq -r '.series[0].model | "\(.model) \(.form) \([.members[].model] | join(","))"' h.json)" \
		"ensemble median mstl,snaive,arima"
	# mstl with the day and the week; arima without a season
	assert_equal "$(jq -c '.series[0].model.members[0].state[0:3]' h.json)" "[2,24,168]"
	assert_equal "$(jq -c '[.series[0].model.members[].season_length]' h.json)" "[24,24,1]"
	fc-predict -m h.json > h.fc.csv
	assert_equal "$(tail -n +2 h.fc.csv | wc -l)" "$(fc-config get predict.horizon)"
	# each member fitted alone, and the median of their forecasts
	fc-train -s train.selection.windows=0 -s 'train.models=[mstl]' -s 'train.mstl.periods=[24, 168]' -o a.json h.csv
	fc-train -s train.selection.windows=0 -s 'train.models=[snaive]' -o b.json h.csv
	fc-train -s train.selection.windows=0 -s 'train.models=[arima]' -s schema.season_length=1 -o c.json h.csv
	for x in a b; do fc-predict -m $x.json > $x.fc.csv; done
	fc-predict -s schema.season_length=1 -m c.json > c.fc.csv
	median_of a.fc.csv b.fc.csv c.fc.csv > want
	cut -d, -f4 h.fc.csv | tail -n +2 | awk '{ printf "%.10g\n", $1 }' > got
	assert_equal "$(cat got)" "$(cat want)"
	# train.mstl.periods, when set, are the ones auto uses
	fc-train -s train.selection.windows=0 -s 'train.mstl.periods=[24]' -o h1.json h.csv
	assert_equal "$(jq -c '.series[0].model.members[0].state[0:2]' h1.json)" "[1,24]"

	# three years of weeks, and one of 80 weeks: ets without a season
	# and arima with it join; mstl needs two years
	awk 'BEGIN { print "unique_id,ds,y"
		for (i = 0; i < 156; i++) printf "A,%s,%.4f\n", strftime("%Y-%m-%d", 1704067200 + 604800 * i, 1),
			50 + 8 * sin(6.283185307179586 * i / 52) + i / 20 + (i * 7919 % 13) / 5
		for (i = 0; i < 80; i++) printf "B,%s,%.4f\n", strftime("%Y-%m-%d", 1704067200 + 604800 * i, 1),
			30 + 5 * sin(6.283185307179586 * i / 52) + (i * 7919 % 11) / 4 }' > w.csv
	fc-train -s train.selection.windows=0 -s predict.horizon=13 -o w.json w.csv
	assert_equal "$(jq -r '.series[] | "\(.id) \(.model.form) \([.model.members[] | "\(.model)/\(.season_length)"] | join(","))"' w.json)" \
		"A median mstl/52,snaive/52,arima/1,ets_weighted/1,arima/52
B median snaive/52,arima/1,ets_weighted/1,arima/52"
	fc-predict -s predict.horizon=13 -m w.json > w.fc.csv
	fc-train -s train.selection.windows=0 -s 'train.models=[mstl]' -o a.json w.csv
	fc-train -s train.selection.windows=0 -s 'train.models=[snaive]' -o b.json w.csv
	fc-train -s train.selection.windows=0 -s 'train.models=[arima]' -s schema.season_length=1 -o c.json w.csv
	fc-train -s train.selection.windows=0 -s 'train.models=[ets_weighted]' -s schema.season_length=1 -o d.json w.csv
	fc-train -s train.selection.windows=0 -s 'train.models=[arima]' -o e.json w.csv
	for x in a b c d e; do
		s=0
		case $x in [cd]) s=1 ;; esac
		fc-predict -s schema.season_length=$s -s predict.horizon=13 -m $x.json | awk -F, 'NR == 1 || $1 == "A"' > $x.fc.csv
	done
	median_of a.fc.csv b.fc.csv c.fc.csv d.fc.csv e.fc.csv > want
	awk -F, '$1 == "A" { printf "%.10g\n", $4 }' w.fc.csv > got
	assert_equal "$(cat got)" "$(cat want)"

	# the sample's monthly series: the ensemble
	fc-train -s train.selection.windows=0 -o m.json clean.csv
	assert_equal "$(jq -r '[.series[].model.model] | unique | join(" ")' m.json)" ensemble
	assert_equal "$(jq -r '[.series[].model.form] | unique | join(" ")' m.json)" mean
	# auto is neither a member nor the adjusted series' model
	run --separate-stderr fc-train -s 'train.ensemble.members=[ets, auto]' -o e.json clean.csv
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-train: config.yaml: key 'train.ensemble.members': 'auto' cannot be a member"
	run --separate-stderr fc-train -s train.mstl.model=auto -o e.json clean.csv
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-train: config.yaml: key 'train.mstl.model': 'auto' cannot forecast the adjusted series"
}

@test "auto, the default, without a season: the mean of ets_weighted and arima from 50 values, the ensemble below" {
	# yearly series: L of 60 values, S of 49, a trend and an AR(1) wobble
	awk 'BEGIN { print "unique_id,ds,y"
		e = 0; for (i = 0; i < 60; i++) { e = 0.6 * e + (i * 7919 % 17) / 4 - 2; printf "L,%d-01-01,%.4f\n", 1900 + i, 100 + i / 2 + e }
		e = 0; for (i = 0; i < 49; i++) { e = 0.6 * e + (i * 7919 % 13) / 4 - 1.5; printf "S,%d-01-01,%.4f\n", 1900 + i, 50 + i / 3 + e } }' > y.csv
	: > config.yaml
	fc-train -s train.selection.windows=0 -s predict.horizon=6 -o y.json y.csv
	assert_equal "$(jq -r '.series[] | "\(.id) \(.model.model) \(.model.form) \([.model.members[] | "\(.model)/\(.season_length)"] | join(","))"' y.json)" \
		"L ensemble mean ets_weighted/1,arima/1
S ensemble mean ets_weighted/1,theta/1,dotm/1"
	fc-predict -s predict.horizon=6 -m y.json | awk -F, 'NR == 1 || $1 == "L"' > y.fc.csv
	# L's forecast: the mean of ets_weighted and arima, each fitted alone
	for x in ets_weighted arima; do
		fc-train -s train.selection.windows=0 -s predict.horizon=6 -s "train.models=[$x]" -o $x.json y.csv
		fc-predict -s predict.horizon=6 -m $x.json | awk -F, 'NR == 1 || $1 == "L"' > $x.fc.csv
	done
	median_of ets_weighted.fc.csv arima.fc.csv > want
	tail -n +2 y.fc.csv | awk -F, '{ printf "%.10g\n", $4 }' > got
	assert_equal "$(wc -l < got)" 6
	assert_equal "$(cat got)" "$(cat want)"
	# a season, however long the series: the ensemble
	fc-train -s train.selection.windows=0 -s schema.season_length=4 -o q.json y.csv
	assert_equal "$(jq -r '[.series[] | [.model.members[].model] | join(",")] | unique | join(" ")' q.json)" "ets_weighted,theta,dotm"
}

@test "arima chooses R's auto.arima orders; fc-predict gives nested intervals" {
	awk -F, 'NR == 1 || $1 == "DriversKilled" || $1 == "rear"' clean.csv > two.csv
	fc-train -s 'train.models=[arima]' -s train.selection.windows=0 \
		-o m.json two.csv
	# R: forecast::auto.arima(ts(y, frequency = 12)) on the series of
	# data/sample/seatbelts.csv, forecast 8.20
	assert_equal "$(jq -r '.series[] | .id + ": " + .model.form' m.json)" \
"DriversKilled: ARIMA(1,0,2)(0,1,1)[12] with drift
rear: ARIMA(1,0,1)(0,1,1)[12] with drift"
	assert_equal "$(jq -r '.series[0].model.params | keys_unsorted | join(" ")' m.json)" \
		"ar1 ma1 ma2 sma1 drift"
	fc-predict -m m.json > f.csv
	assert_equal "$(awk -F, 'NR > 1 && $3 == "arima"' f.csv | wc -l)" 24
	# every row: lo_95 < lo_80 < yhat < hi_80 < hi_95
	assert_equal "$(awk -F, 'NR > 1 && !($7 < $5 && $5 < $4 && $4 < $6 && $6 < $8)' f.csv | wc -l)" 0
}
