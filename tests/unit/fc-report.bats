#!/usr/bin/env bats
# fc-report: the run report, diff, figures; refusals and exit statuses.

bats_require_minimum_version 1.5.0

setup() {
	load '../test_helper/common-setup'
	_common_setup
	cp "$FC_ROOT/config.yaml" .
	mkdir -p data/sample data/01_raw data/02_cleansed data/03_features \
		data/04_processed outputs/models outputs/forecast outputs/reports
	cp "$FC_ROOT/data/sample/seatbelts.csv" data/sample/
	fc-load -o data/01_raw/seatbelts.csv data/sample/seatbelts.csv
	fc-clean -o data/02_cleansed/seatbelts.csv data/01_raw/seatbelts.csv
	fc-feat -o data/03_features/seatbelts.csv data/02_cleansed/seatbelts.csv
	fc-feat -p -o data/04_processed/seatbelts.csv data/03_features/seatbelts.csv
	fc-train -s 'train.models=[naive, snaive, theta]' \
		-o outputs/models/seatbelts.json data/04_processed/seatbelts.csv
	fc-predict -m outputs/models/seatbelts.json \
		-o outputs/forecast/seatbelts.csv data/04_processed/seatbelts.csv
}

# ---- command line ----

@test "--help starts with the synopsis; --version prints the version" {
	run fc-report --help
	assert_success
	assert_line --index 0 "usage: fc-report [-c FILE] [-s KEY=VALUE]... [-o PATH] [-a] COMMAND [ARG]..."
	run fc-report --version
	assert_output "fc-report (fc) 0.1.0"
}

@test "no command, an unknown command and a one-report diff exit 64" {
	run_sep fc-report
	assert_equal "$status" 64
	assert_equal "${stderr_lines[0]}" "fc-report: missing command"
	run_sep fc-report frobnicate
	assert_equal "$status" 64
	assert_equal "${stderr_lines[0]}" "fc-report: unknown command 'frobnicate'"
	run_sep fc-report diff a.json
	assert_equal "$status" 64
	assert_equal "${stderr_lines[0]}" "fc-report: diff takes two reports: OLD NEW"
	run_sep fc-report run extra
	assert_equal "$status" 64
	assert_equal "${stderr_lines[0]}" "fc-report: too many arguments"
}

@test "diff of a missing report exits 66, of a file that is no report 65" {
	fc-report run > r.json
	run_sep fc-report diff nope.json r.json
	assert_equal "$status" 66
	assert_equal "$stderr" "fc-report: nope.json: cannot open: No such file or directory"
	echo '{"a": 1}' > x.json
	run_sep fc-report diff r.json x.json
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-report: x.json: not a run report: no format 'fc-report'"
	echo 'not json' > y.json
	run_sep fc-report diff y.json r.json
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-report: y.json: not a JSON file"
}

# ---- run ----

@test "run: every layer's sha256 and size are the file's, and its sidecar's" {
	fc-report run > r.json
	local n=0 path sum
	while IFS=$'\t' read -r path sum; do
		n=$((n + 1))
		assert_equal "$(sha256sum "$path" | cut -d' ' -f1)" "$sum"
		assert_equal "$(jq -r --arg p "$path" '.layers[] | select(.path == $p) | .sidecar_sha256' r.json)" \
			"$(sha256sum "$path.meta.json" | cut -d' ' -f1)"
		assert_equal "$(jq -r --arg p "$path" '.layers[] | select(.path == $p) | .bytes' r.json)" \
			"$(wc -c < "$path")"
	done < <(jq -r '.layers[] | select(.exists) | [.path, .sha256] | @tsv' r.json)
	assert_equal "$n" 6
	assert_equal "$(jq '[.layers[] | select(.exists) | .matches_sidecar] | all' r.json)" true
	assert_equal "$(jq -r '.layers[1].rows, .layers[2].rows, .layers[1].sidecar.changes.series' r.json | paste -sd' ')" "768 816 4"
	assert_equal "$(jq -r .config.sha256 r.json)" "$(fc-config show | sha256sum | cut -d' ' -f1)"
	assert_equal "$(jq -r .config.blocks.clean r.json)" "$(fc-config show clean | sha256sum | cut -d' ' -f1)"
	assert_equal "$(jq -r .config.file_sha256 r.json)" "$(sha256sum config.yaml | cut -d' ' -f1)"
	assert_equal "$(jq -r '.config.values["clean.impute.max_gap"]' r.json)" 3
}

@test "run: the models chosen, their counts and scores come from the model file" {
	fc-report run > r.json
	m=outputs/models/seatbelts.json
	assert_equal "$(jq -r .models.metric r.json)" mase
	assert_equal "$(jq -r .models.series r.json)" 4
	assert_equal "$(jq -c '[.models.per_series[] | .model]' r.json)" \
		"$(jq -c '[.series[] | .model.model]' "$m")"
	assert_equal "$(jq '.models.counts | add' r.json)" 4
	# the chosen model's score is its candidate's mean score
	assert_equal "$(jq '.models.per_series[0].cv' r.json)" \
		"$(jq '.series[0] as $s | $s.candidates[] | select(.model == $s.model.model) | .cv.mean' "$m")"
	assert_equal "$(jq '.models.candidates.naive.cv_mean' r.json)" \
		"$(jq '[.series[].candidates[] | select(.model == "naive") | .cv.mean] | add / length' "$m")"
	assert_equal "$(jq -r '.forecast.rows, .forecast.series, (.forecast.levels | join(" "))' r.json | paste -sd' ')" "48 4 80 95"
	assert_equal "$(jq -r '.forecast.per_series[0] | [.id, .rows, .first, .last] | join(" ")' r.json)" \
		"DriversKilled 12 1985-01-01 1985-12-01"
}

@test "run: missing simulation and monitoring files are not run; present ones give their verdict" {
	rm outputs/forecast/seatbelts.csv
	fc-report run > r.json
	assert_equal "$(jq -r '.simulation.status, .monitoring.status, .forecast.status' r.json | paste -sd' ')" "not run not run not run"
	mkdir -p outputs/monitoring outputs/simulations
	# the shapes fc-drift and fc-sim write (fc-drift(1), fc-sim(1))
	echo '{"status": "alert", "columns": [{"name": "y", "test": {"name": "ks", "statistic": 0.4}, "psi": {"value": 0.31}, "drift": true}, {"name": "kms", "test": {"name": "ks", "statistic": 0.1}, "psi": {"value": 0.02}, "drift": false}]}' \
		> outputs/monitoring/seatbelts.json
	echo '{"paths": {}, "warnings": ["a", "b"]}' > outputs/simulations/seatbelts.json
	fc-report run > r.json
	assert_equal "$(jq -r '.simulation.status, .simulation.warnings, .monitoring.status' r.json | paste -sd' ')" "done 2 alert"
	assert_equal "$(jq -c '.monitoring.columns' r.json)" \
		'[{"column":"y","test":"ks","statistic":0.4,"score":0.31,"drift":true},{"column":"kms","test":"ks","statistic":0.1,"score":0.02,"drift":false}]'
	mkdir figs
	fc-report -o figs figures r.json
	xmllint --noout figs/drift.svg
	grep -q '<title>Drift per column (PSI)</title>' figs/drift.svg
}

@test "run -o: the history copy has the same bytes as the report" {
	fc-report -o outputs/reports/latest.json run
	ls outputs/reports/history > h
	assert_equal "$(wc -l < h)" 1
	id=$(jq -r .run.id outputs/reports/latest.json)
	[[ "$id" =~ ^[0-9]{8}T[0-9]{6}\.[0-9]{3}Z$ ]]
	cmp outputs/reports/latest.json "outputs/reports/history/$id.json"
	fc-report -s report.history=false -o outputs/reports/latest.json run
	assert_equal "$(ls outputs/reports/history | wc -l)" 1
}

@test "run -o: a stage ran when its sidecar changed since the previous report" {
	fc-report -o outputs/reports/latest.json run
	assert_equal "$(jq '[.stages[].ran] | all' outputs/reports/latest.json)" true
	fc-report -o outputs/reports/latest.json run
	assert_equal "$(jq '[.stages[].ran] | any' outputs/reports/latest.json)" false
	fc-predict -m outputs/models/seatbelts.json \
		-o outputs/forecast/seatbelts.csv data/04_processed/seatbelts.csv
	fc-report -o outputs/reports/latest.json run
	assert_equal "$(jq -c '[.stages[] | select(.ran) | .name]' outputs/reports/latest.json)" '["forecast"]'
	# the run starts where fc-predict started
	r=outputs/reports/latest.json
	assert_equal "$(jq -r '.run.started < .run.finished' $r)" true
	assert_equal "$(jq -r '.stages[] | select(.ran) | .written_at >= "'"$(jq -r .run.started $r)"'"' $r)" true
}

@test "run: a sidecar that is not JSON exits 65 and leaves the report as it was" {
	fc-report -o outputs/reports/latest.json run
	cp outputs/reports/latest.json before.json
	echo '{oops' > data/03_features/seatbelts.csv.meta.json
	run_sep fc-report -o outputs/reports/latest.json run
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-report: data/03_features/seatbelts.csv.meta.json: not a JSON file"
	cmp before.json outputs/reports/latest.json
	assert_equal "$(ls outputs/reports/history | wc -l)" 1
}

@test "run: a full disk on stdout exits 74" {
	run_sep bash -c 'fc-report run > /dev/full'
	assert_equal "$status" 74
}

# ---- diff ----

@test "diff: a metric change shows the key, the old and new values; no change prints nothing" {
	fc-report run > a.json
	run fc-report diff a.json a.json
	assert_success
	assert_output ""
	fc-report -s train.selection.metric=rmse run > b.json
	run fc-report diff a.json b.json
	assert_success
	assert_line --index 0 --regexp '^Key +Old +New +Change$'
	assert_line --regexp '^config\.train\.selection\.metric +mase +rmse +changed$'
	assert_line --regexp '^config\.sha256 +[0-9a-f]{12} +[0-9a-f]{12} +changed$'
	assert_equal "${#lines[@]}" 3
}

@test "diff: data hashes, rows and accuracy with their differences" {
	fc-report run > a.json
	fc-train -o outputs/models/seatbelts.json data/04_processed/seatbelts.csv
	fc-predict -m outputs/models/seatbelts.json \
		-o outputs/forecast/seatbelts.csv data/04_processed/seatbelts.csv
	fc-report run > b.json
	run fc-report diff a.json b.json
	assert_success
	assert_line --regexp '^layers\.models\.sha256 +[0-9a-f]{12} +[0-9a-f]{12} +changed$'
	refute_line --partial 'layers.02_cleansed.sha256'
	old=$(jq .models.cv_mean a.json) new=$(jq .models.cv_mean b.json)
	want=$(awk -v a="$old" -v b="$new" 'BEGIN { printf "%+.6g", b - a }')
	assert_line --regexp "^models\.cv_mean +[0-9.]+ +[0-9.]+ +\\$want\$"
	assert_line --regexp '^models\.candidates\.holt\.cv_mean +- +[0-9.]+ +added$'
	run fc-report -a diff a.json a.json
	assert_line --regexp '^layers\.01_raw\.rows +768 +768 +-$'
}

# ---- figures ----

@test "figures: one well-formed SVG per series, the accuracy chart and the page" {
	fc-report -o outputs/reports/latest.json run
	fc-report figures
	cd outputs/figures
	for f in forecast_DriversKilled forecast_VanKilled forecast_front forecast_rear cv_accuracy; do
		[ -f $f.svg ] || { echo "no $f.svg"; return 1; }
	done
	xmllint --noout ./*.svg
	# history, bands and the forecast line of each series
	assert_equal "$(grep -c '<path class="forecast"' forecast_front.svg)" 1
	assert_equal "$(grep -c '<path class="history"' forecast_front.svg)" 1
	assert_equal "$(grep -c '<path class="band' forecast_front.svg)" 2
	# 12 forecast points: M then 11 L
	assert_equal "$(grep -o '<path class="forecast" d="[^"]*"' forecast_front.svg | grep -o L | wc -l)" 11
	xmllint --html --noout index.html
	assert_equal "$(grep -c '<path class="forecast"' index.html)" 4
	grep -q '<a href="forecast_front.svg">' index.html
	grep -q "$(jq -r .run.id ../reports/latest.json)" index.html
}

@test "figures: report.figures.max_series draws the largest series; others are removed" {
	fc-report -o outputs/reports/latest.json run
	fc-report figures
	fc-report -s report.figures.max_series=2 -s report.figures.history=24 figures
	ls outputs/figures | grep '^forecast_.*svg$' > drawn
	# the two series of largest mean: front (837) and rear (401)
	assert_equal "$(paste -sd' ' drawn)" "forecast_front.svg forecast_rear.svg"
	grep -q '2 of 4 series drawn' outputs/figures/index.html
	grep -q 'history (24), forecast (12)' outputs/figures/forecast_front.svg
}

@test "figures: a malformed forecast exits 65; a folder that cannot be made 73" {
	fc-report -o outputs/reports/latest.json run
	printf 'a,b\n1,2\n' > outputs/forecast/seatbelts.csv
	run_sep fc-report figures
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-report: outputs/forecast/seatbelts.csv:1: no column 'unique_id'"
	touch afile
	run_sep fc-report -o afile/figs figures
	assert_equal "$status" 73
	assert_equal "$stderr" "fc-report: afile/figs: cannot create: Not a directory"
}
