#!/usr/bin/env bats
# The tools piped together, and `make forecast` in a scratch copy.

setup() {
	load '../test_helper/common-setup'
	_common_setup
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
