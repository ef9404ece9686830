#!/usr/bin/env bats
# The run report, its figures, make report-diff and make lab, in a scratch
# copy of the project.

setup() {
	load '../test_helper/common-setup'
	_common_setup
	unset MAKEFLAGS MFLAGS MAKELEVEL
}

scratch() {
	mkdir -p proj
	(cd "$FC_ROOT" && cp -a Makefile pipeline.mk config.yaml deps.txt lib \
		tools man bin build "$BATS_TEST_TMPDIR/proj/")
	rm -rf proj/build/stamps proj/build/pipeline.vars.mk
	mkdir -p proj/data
	cp -a "$FC_ROOT/data/sample" proj/data/
	cd proj
}

# Path, size, mtime and sha256 of every file under the folders given.
snapshot() {
	find "$@" -type f -printf '%p %s %T@\n' | sort
	find "$@" -type f -exec sha256sum {} + | sort
}

@test "make forecast writes the report and its history copy; a rerun writes neither" {
	scratch
	run make forecast
	assert_success
	assert_output --partial "bin/fc-report -c config.yaml -o outputs/reports/latest.json run"
	r=outputs/reports/latest.json
	h=$(ls outputs/reports/history/*.json)
	assert_equal "$(echo "$h" | wc -l)" 1
	cmp "$r" "$h"
	assert_equal "$h" "outputs/reports/history/$(jq -r .run.id $r).json"
	# the report's hashes are the files'
	while IFS=$'\t' read -r path sum; do
		assert_equal "$(sha256sum "$path" | cut -d' ' -f1)" "$sum"
	done < <(jq -r '.layers[] | select(.exists) | [.path, .sha256] | @tsv' $r)
	assert_equal "$(jq '[.layers[] | select(.exists)] | length' $r)" 8
	assert_equal "$(jq -c '[.stages[] | select(.ran) | .name]' $r)" \
		'["01_raw","02_cleansed","03_features","04_processed","models","forecast","simulations","monitoring"]'
	# the verdicts: fc-sim's summary (its warnings), fc-drift's status and
	# each column's PSI
	assert_equal "$(jq -r '.simulation.status' $r)" done
	assert_equal "$(jq -r '.simulation.warnings' $r)" "$(jq '.warnings | length' outputs/simulations/seatbelts.json)"
	assert_equal "$(jq -r '.monitoring.status' $r)" "$(jq -r .status outputs/monitoring/seatbelts.json)"
	assert_equal "$(jq -c '[.monitoring.columns[] | .score]' $r)" "$(jq -c '[.columns[] | .psi.value]' outputs/monitoring/seatbelts.json)"
	run make forecast
	assert_success
	refute_output --partial "bin/fc-"
	assert_equal "$(ls outputs/reports/history | wc -l)" 1
}

@test "a train edit adds a history report; make report-diff shows what changed" {
	scratch
	make forecast
	first=$(ls outputs/reports/history/*.json)
	run make report-diff
	assert_failure
	assert_output --partial "no earlier report"
	sed -i 's/metric: mase/metric: rmse/' config.yaml
	run make forecast
	assert_success
	assert_output --partial "bin/fc-report"
	refute_output --partial "bin/fc-clean"
	assert_equal "$(ls outputs/reports/history | wc -l)" 2
	cmp outputs/reports/latest.json "$(ls outputs/reports/history/*.json | tail -n 1)"
	assert_equal "$(jq -c '[.stages[] | select(.ran) | .name]' outputs/reports/latest.json)" \
		'["models","forecast","simulations"]'
	run make report-diff
	assert_success
	assert_line --regexp '^config\.train\.selection\.metric +mase +rmse +changed$'
	assert_line --regexp '^layers\.models\.sha256 +[0-9a-f]{12} +[0-9a-f]{12} +changed$'
	refute_line --partial 'layers.02_cleansed'
	run make report-diff AGAINST="$first"
	assert_success
	assert_line --regexp '^config\.train\.selection\.metric +mase +rmse +changed$'
}

@test "the figures of make forecast are well-formed SVG and one page" {
	scratch
	make forecast
	ls outputs/figures/forecast_*.svg > svgs
	assert_equal "$(wc -l < svgs)" 4
	xmllint --noout outputs/figures/*.svg
	xmllint --html --noout outputs/figures/index.html
	if command -v rsvg-convert > /dev/null; then
		[ -s outputs/figures/forecast_front.png ]
	fi
	sed -i 's/max_series: 12/max_series: 1/' config.yaml
	grep -q 'max_series' config.yaml || printf 'report:\n  figures: {max_series: 1}\n' >> config.yaml
	run make forecast
	assert_success
	refute_output --partial "bin/fc-predict"
	refute_output --partial "fc-report -c config.yaml -o outputs/reports/latest.json run"
	assert_output --partial "figures"
	assert_equal "$(ls outputs/figures/forecast_*.svg)" "outputs/figures/forecast_front.svg"
}

@test "headless Chromium draws a forecast on the page" {
	local chrome
	chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
	[ -n "$chrome" ] || skip "no chromium installed (Debian package chromium)"
	scratch
	make forecast
	run timeout 60 "$chrome" --headless --no-sandbox --disable-gpu \
		--user-data-dir="$BATS_TEST_TMPDIR/chrome" \
		--dump-dom "file://$PWD/outputs/figures/index.html"
	assert_success
	# set by the page's script from the laid-out paths: 4 forecast lines
	# with a non-empty bounding box
	assert_output --partial 'data-forecasts-drawn="4"'
	assert_output --partial "$(jq -r .run.id outputs/reports/latest.json)"
}

@test "make lab runs the DAG under experiments/PHASE and leaves data/ and outputs/ untouched" {
	scratch
	make forecast
	snapshot data outputs > before
	sed 's/horizon: 12/horizon: 6/' config.yaml > lab.yaml
	run make lab PHASE=phase_01_short CONFIG=lab.yaml
	assert_success
	assert_output --partial "bin/fc-load -c experiments/phase_01_short/config.yaml"
	snapshot data outputs > after
	cmp before after
	e=experiments/phase_01_short
	assert_equal "$(wc -l < $e/artifacts/forecast/seatbelts.csv)" 25
	[ -f $e/artifacts/01_raw/seatbelts.csv ]
	[ -f $e/artifacts/reports/latest.json ]
	[ -f $e/figures/index.html ]
	xmllint --noout $e/figures/*.svg
	[ ! -e $e/artifacts/figures ]
	assert_equal "$(jq -r '.config.values["predict.horizon"]' $e/artifacts/reports/latest.json)" 6
	run make lab PHASE=phase_01_short CONFIG=lab.yaml
	assert_success
	refute_output --partial "bin/fc-"
	# and the main DAG still has nothing to do
	run make forecast
	refute_output --partial "bin/fc-"
	make clobber
	[ -f $e/artifacts/forecast/seatbelts.csv ]
}

@test "make lab refuses a PHASE that is not phase_NN_name" {
	scratch
	run make lab PHASE=first
	assert_failure
	assert_output --partial "make lab: PHASE must be phase_NN_name, not 'first'"
	run make lab PHASE=phase_01_../../x
	assert_failure
	assert_output --partial "PHASE may hold a-z, 0-9 and _ only"
	[ ! -e experiments ]
}
