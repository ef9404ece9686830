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

@test "make clobber removes the cleansed layer and keeps the raw snapshot" {
	scratch
	make forecast
	run make clobber
	assert_success
	[ -f data/01_raw/seatbelts.csv ]
	[ ! -e data/02_cleansed ]
}

@test "make status says which layer is stale and why, and runs nothing" {
	scratch
	run make status
	assert_success
	assert_output "01_raw: stale: not built yet
02_cleansed: stale: not built yet"
	make forecast
	run make status
	assert_output "01_raw: up to date
02_cleansed: up to date"
	sed -i 's/target: linear/target: ffill/' config.yaml
	run make status
	assert_output "01_raw: up to date
02_cleansed: stale: clean.impute.target changed (linear -> ffill)"
	touch -d '+1 minute' data/sample/seatbelts.csv
	run make status
	assert_line --index 0 "01_raw: stale: data/sample/seatbelts.csv changed"
	refute_output --partial "bin/fc-"
}

@test "a re-serialised config.yaml with the same settings rebuilds nothing" {
	scratch
	make forecast
	cat > config.yaml <<-'YAML'
	clean: {outliers: {method: none}, impute: {max_gap: 3, features: ffill, target: linear}, reindex: true, duplicates: error}
	schema: {season_length: 12, frequency: M, target: y, time: ds, id: unique_id}
	load:
	  source: "data/sample/seatbelts.csv"
	  columns: {law: integer, petrol_price: number, kms: number, y: number, ds: date, unique_id: string}
	project: {seed: 42, name: seatbelts}
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
	cp data/02_cleansed/seatbelts.csv parallel.csv
	make clobber
	make forecast
	cmp parallel.csv data/02_cleansed/seatbelts.csv
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
