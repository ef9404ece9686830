#!/usr/bin/env bats
# The tools piped together, and `make forecast` in a scratch copy.

setup() {
	load '../test_helper/common-setup'
	_common_setup
	# make's own flags (-s from `make -s test`) must not reach the makes
	# under test: the tests read the recipes they echo. SANITIZE stays in
	# the environment, so a sanitizer run tests sanitizer builds.
	unset MAKEFLAGS MFLAGS MAKELEVEL
}

# A scratch copy of the project with its built tools (mtimes kept, so
# make sees nothing to rebuild).
scratch() {
	mkdir -p proj
	(cd "$FC_ROOT" && cp -a Makefile pipeline.mk config.yaml deps.txt lib \
		tools man bin build "$BATS_TEST_TMPDIR/proj/")
	rm -rf proj/build/stamps proj/build/pipeline.vars.mk
	mkdir -p proj/data
	cp -a "$FC_ROOT/data/sample" proj/data/
	cd proj
}

@test "fc-load piped into fc-clean gives the cleansed layer of the files" {
	cp "$FC_ROOT/config.yaml" .
	mkdir -p data/sample data/01_raw data/02_cleansed
	cp "$FC_ROOT/data/sample/seatbelts.csv" data/sample/
	fc-load data/sample/seatbelts.csv | fc-clean > piped.csv
	fc-load -o data/01_raw/seatbelts.csv data/sample/seatbelts.csv
	fc-clean -o data/02_cleansed/seatbelts.csv data/01_raw/seatbelts.csv
	cmp piped.csv data/02_cleansed/seatbelts.csv
	# the sample is four series of 192 months, sorted by id then time
	assert_equal "$(wc -l < piped.csv)" 769
	assert_equal "$(cut -d, -f1 piped.csv | uniq | paste -sd' ')" "unique_id DriversKilled VanKilled front rear"
	assert_equal "$(sed -n 2p piped.csv)" "DriversKilled,1969-01-01,107,9059,0.1029718118,0"
}

@test "fc-clean man page example pipe runs" {
	cp "$FC_ROOT/config.yaml" .
	mkdir -p data/sample
	cp "$FC_ROOT/data/sample/seatbelts.csv" data/sample/
	run bash -c 'fc-load data/sample/seatbelts.csv |
	    fc-clean -s clean.duplicates=last -s clean.impute.target=seasonal'
	assert_success
	assert_equal "${#lines[@]}" 769
}

@test "make forecast builds the layers of the sample; a rerun runs nothing" {
	scratch
	run make forecast
	assert_success
	[ -f data/01_raw/seatbelts.csv ]
	[ -f data/02_cleansed/seatbelts.csv ]
	[ -f data/02_cleansed/seatbelts.csv.meta.json ]
	[ -f outputs/models/seatbelts.json ]
	# four series, twelve months each, after the header
	assert_equal "$(wc -l < outputs/forecast/seatbelts.csv)" 49
	run make forecast
	assert_success
	refute_output --partial "bin/fc-"
}

@test "a comment in config.yaml rebuilds nothing; a clean edit rebuilds only cleansed" {
	scratch
	make forecast
	printf '# a comment\n' >> config.yaml
	run make forecast
	assert_success
	refute_output --partial "bin/fc-"
	sed -i 's/max_gap: 3/max_gap: 2/' config.yaml
	run make forecast
	assert_success
	assert_output --partial "bin/fc-clean"
	refute_output --partial "bin/fc-load"
}

@test "a features edit rebuilds 03 and 04, never 01 or 02" {
	scratch
	make forecast
	sed -i 's/y: \[1, 12\]/y: [1, 2, 12]/' config.yaml
	run make status
	assert_line --index 2 --partial "03_features: stale: features.lags changed"
	run make forecast
	assert_success
	assert_output --partial "bin/fc-feat -c"
	assert_output --partial "bin/fc-feat -p"
	refute_output --partial "bin/fc-load"
	refute_output --partial "bin/fc-clean"
	assert_output --partial "bin/fc-train"
	assert_output --partial "bin/fc-predict"
	head -n 1 data/03_features/seatbelts.csv | grep -q y_lag_2
}

@test "a train edit refits the models and forecasts, and nothing before them" {
	scratch
	make forecast
	sed -i 's/metric: mase/metric: rmse/' config.yaml
	run make status
	assert_line --index 4 "models: stale: train.selection.metric changed (mase -> rmse)"
	assert_line --index 5 "forecast: stale: models is stale"
	run make forecast
	assert_success
	assert_output --partial "bin/fc-train"
	assert_output --partial "bin/fc-predict"
	refute_output --partial "bin/fc-feat"
	refute_output --partial "bin/fc-clean"
	assert_equal "$(jq -r .selection.metric outputs/models/seatbelts.json)" rmse
}

@test "a predict.levels edit reruns fc-predict only" {
	scratch
	make forecast
	sed -i 's/levels: \[80, 95\]/levels: [50, 80, 95]/' config.yaml
	run make forecast
	assert_success
	assert_output --partial "bin/fc-predict"
	refute_output --partial "bin/fc-feat"
	assert_equal "$(head -n 1 outputs/forecast/seatbelts.csv)" \
		"unique_id,ds,model,yhat,lo_50,hi_50,lo_80,hi_80,lo_95,hi_95"
}

@test "make forecast writes the simulations; a simulate edit reruns fc-sim only" {
	scratch
	make forecast
	[ -f outputs/simulations/seatbelts.csv.meta.json ]
	# 4 series x 12 months x (baseline + 2 scenarios) + header
	assert_equal "$(wc -l < outputs/simulations/seatbelts.csv)" 145
	assert_equal "$(jq -r '.scenarios | join(" ")' outputs/simulations/seatbelts.json)" \
		"baseline petrol_up_10pct law_repealed"
	# the regression of DriversKilled moves under both scenarios
	assert_equal "$(awk -F, '$1 == "DriversKilled" && $3 != "baseline" && $10 != 0' outputs/simulations/seatbelts.csv | wc -l)" 24
	sed -i 's/value: 1.1}/value: 1.2}/' config.yaml
	run make status
	assert_line --index 7 --partial "simulations: stale: simulate.scenarios changed ("
	assert_line --index 5 "forecast: up to date"
	run make forecast
	assert_success
	assert_output --partial "bin/fc-sim"
	refute_output --partial "bin/fc-predict"
	refute_output --partial "bin/fc-train"
	refute_output --partial "bin/fc-feat"
}

@test "an edit of processed: rebuilds only 04" {
	scratch
	make forecast
	sed -i 's/^  incomplete: drop/  incomplete: drop\n  window: 24/' config.yaml
	run make forecast
	assert_success
	assert_output --partial "bin/fc-feat -p"
	refute_output --partial "bin/fc-feat -c"
	# 4 series x (24 periods + 12 horizon rows) + header
	assert_equal "$(wc -l < data/04_processed/seatbelts.csv)" 145
}

@test "make forecast writes the monitoring report; a monitor edit reruns only fc-drift" {
	scratch
	make forecast
	# valid JSON, the latest horizon of each series against the rest
	jq -e . outputs/monitoring/seatbelts.json > /dev/null
	assert_equal "$(jq -r '.current.rows, .reference.rows' outputs/monitoring/seatbelts.json | paste -sd' ')" "48 672"
	assert_equal "$(jq -r '.target.name' outputs/monitoring/seatbelts.json)" y
	[ -f outputs/monitoring/seatbelts.json.meta.json ]
	sed -i 's/^predict:/monitor:\n  psi_warn: 0.15\n\npredict:/' config.yaml
	run make status
	assert_line --index 6 "monitoring: stale: monitor.psi_warn changed (0.1 -> 0.15)"
	run make forecast
	assert_success
	assert_output --partial "bin/fc-drift"
	refute_output --partial "bin/fc-predict"
	refute_output --partial "bin/fc-train"
	refute_output --partial "bin/fc-feat"
	assert_equal "$(jq -r '.thresholds.psi_warn' outputs/monitoring/seatbelts.json)" 0.15
}

@test "drift stops make forecast only when monitor.fail_on is set, and keeps the report" {
	scratch
	make forecast
	[ "$(jq -r .status outputs/monitoring/seatbelts.json)" = alert ]
	sed -i 's/^predict:/monitor:\n  fail_on: alert\n\npredict:/' config.yaml
	run make forecast
	assert_failure
	assert_equal "$(jq -r '.failed' outputs/monitoring/seatbelts.json)" true
	# still stale: the next run compares again
	run make status
	assert_line --index 6 "monitoring: stale: build/stamps/monitoring/monitor.yaml changed"
}

@test "make clobber removes the cleansed layer and keeps the raw snapshot" {
	scratch
	make forecast
	run make clobber
	assert_success
	[ -f data/01_raw/seatbelts.csv ]
	[ ! -e data/02_cleansed ]
	[ ! -e data/03_features ]
	[ ! -e data/04_processed ]
	[ ! -e outputs ]
}

@test "make status says which layer is stale and why, and runs nothing" {
	scratch
	run make status
	assert_success
	assert_output "01_raw: stale: not built yet
02_cleansed: stale: not built yet
03_features: stale: not built yet
04_processed: stale: not built yet
models: stale: not built yet
forecast: stale: not built yet
monitoring: stale: not built yet
simulations: stale: not built yet"
	make forecast
	run make status
	assert_output "01_raw: up to date
02_cleansed: up to date
03_features: up to date
04_processed: up to date
models: up to date
forecast: up to date
monitoring: up to date
simulations: up to date"
	sed -i 's/target: linear/target: ffill/' config.yaml
	run make status
	assert_output "01_raw: up to date
02_cleansed: stale: clean.impute.target changed (linear -> ffill)
03_features: stale: 02_cleansed is stale
04_processed: stale: 03_features is stale
models: stale: 04_processed is stale
forecast: stale: models is stale
monitoring: stale: 04_processed is stale
simulations: stale: models is stale"
	touch -d '+1 minute' data/sample/seatbelts.csv
	run make status
	assert_line --index 0 "01_raw: stale: data/sample/seatbelts.csv changed"
	refute_output --partial "bin/fc-"
}

@test "a re-serialised config.yaml with the same settings rebuilds nothing" {
	scratch
	make forecast
	cat > config.yaml <<-'YAML'
	predict: {levels: [80, 95], horizon: 12}
	processed: {incomplete: drop}
	features: {rolling: [{window: 3, column: y, stats: [mean, std]}, {stats: [mean, std], column: y, window: 12}], lags: {petrol_price: [1], kms: [1], y: [1, 12]}, fourier: [{k: 2, period: 12}], calendar: [year, quarter, month]}
	clean: {outliers: {method: none}, impute: {max_gap: 3, features: ffill, target: linear}, reindex: true, duplicates: error}
	schema: {season_length: 12, frequency: M, target: y, time: ds, id: unique_id}
	load:
	  source: "data/sample/seatbelts.csv"
	  columns: {law: integer, petrol_price: number, kms: number, y: number, ds: date, unique_id: string}
	project: {seed: 42, name: seatbelts}
	train: {regression: {future: last, columns: [law, petrol_price, kms, fourier_12_sin_1, fourier_12_cos_1, fourier_12_sin_2, fourier_12_cos_2, y_lag_12]}, selection: {step: 1, windows: 3, metric: mase}, models: [naive, snaive, ses, holt, damped, theta, regression]}
	simulate: {thresholds: {DriversKilled: 1300}, paths: 1000, sensitivity: {values: [-0.1, 0.1], column: petrol_price}, scenarios: [{name: petrol_up_10pct, changes: [{column: petrol_price, op: mul, value: 1.1}]}, {name: law_repealed, changes: [{column: law, op: set, value: 0}]}]}
	YAML
	run make forecast
	assert_success
	refute_output --partial "bin/fc-"
}

@test "a touched but identical source reruns fc-load once and nothing after it" {
	scratch
	make forecast
	# everything built a minute ago, the source touched now
	find . -exec touch -h -d '-1 minute' {} +
	touch data/sample/seatbelts.csv
	run make forecast
	assert_output --partial "bin/fc-load"
	refute_output --partial "bin/fc-clean"
	run make forecast
	refute_output --partial "bin/fc-"
}

@test "make -j2 forecast builds the same layers as a serial make" {
	scratch
	make -j2 forecast
	cp data/04_processed/seatbelts.csv parallel.csv
	make clobber
	make forecast
	cp outputs/forecast/seatbelts.csv parallel-forecast.csv
	make clobber
	make forecast
	cmp parallel.csv data/04_processed/seatbelts.csv
	cmp parallel-forecast.csv outputs/forecast/seatbelts.csv
}

@test "a bad config stops make forecast with the config error and builds nothing" {
	scratch
	printf 'clean:\n  duplicates: frist\n' >> config.yaml
	run make forecast
	assert_failure
	assert_output --partial "config.yaml:"
	[ ! -e data/01_raw ]
}

@test "fc-clean killed mid-write leaves the previous layer and no temporary file" {
	awk 'BEGIN { print "unique_id,ds,y"; for (s = 0; s < 400; s++) for (i = 1; i <= 5000; i++) printf "s%03d,%d,%d\n", s, i, i }' > big.csv
	printf 'unique_id,ds,y\nA,1,1\n' > small.csv
	fc-clean -o out.csv small.csv
	cp out.csv before.csv
	fc-clean -o out.csv big.csv &
	pid=$!
	# wait for the temporary file to appear, then kill the writer
	for _ in $(seq 1 200); do
		ls -A | grep -q '^\.out\.csv\.' && break
		sleep 0.01
	done
	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" || true
	cmp before.csv out.csv
	[ -z "$(ls -A | grep '^\.out\.csv\.')" ]
}

@test "make install puts every tool and man page under DESTDIR" {
	scratch
	run make install DESTDIR="$BATS_TEST_TMPDIR/root" PREFIX=/usr/local
	assert_success
	local t
	for t in tools/fc-*.c; do
		t=$(basename "$t" .c)
		[ -x "$BATS_TEST_TMPDIR/root/usr/local/bin/$t" ]
		[ -f "$BATS_TEST_TMPDIR/root/usr/local/share/man/man1/$t.1" ]
	done
	[ -f "$BATS_TEST_TMPDIR/root/usr/local/share/man/man5/fc-config.5" ]
	[ -f "$BATS_TEST_TMPDIR/root/usr/local/share/man/man7/fc.7" ]
}
