#!/usr/bin/env bats
# The C unit tests of lib/ (tests/unit/c/*_test.c, built into build/tests):
# each prints TAP lines and exits non-zero when a check fails.

setup() {
	load '../test_helper/common-setup'
	_common_setup
}

run_unit() {
	run "$FC_ROOT/build/tests/$1_test"
	[ "$status" -eq 0 ] || { echo "$output" | grep -v '^ok'; return 1; }
	# a binary that checked nothing proves nothing
	[[ "$output" == *"ok 1 - "* ]]
}

@test "timeutil: dates, offsets, frequencies, month ends, inference" {
	run_unit timeutil
}

@test "value: number parsing and round-trip formatting, snake_case, CSV lines" {
	run_unit value
}

@test "drift: KS, Wasserstein, quantiles, chi-square and PSI against scipy" {
	run_unit drift
}

@test "svg: ticks, coordinates, escaping, broken lines" {
	run_unit svg
}

@test "every C unit test binary is run by this file" {
	local t
	for t in "$FC_ROOT"/tests/unit/c/*_test.c; do
		t=$(basename "$t" _test.c)
		grep -q "run_unit $t\$" "$BATS_TEST_FILENAME" || { echo "$t not run"; return 1; }
	done
}

@test "config: getters, map order, overrides and error records" {
	run_unit config
}

@test "models: forecasts, intervals and fits against R's forecast package, JSON, errors" {
	run_unit models
}

@test "dotenv: KEY=VALUE lines, quotes, comments, errors by line, the environment first" {
	run_unit dotenv
}

@test "url: percent-decoding, query parameters, secret-free source names" {
	run_unit url
}

@test "arima: fixed-order fits and auto.arima's choices against R, KPSS, STL strength" {
	run_unit arima
}

@test "arimax: regression with ARIMA errors against R's Arima and auto.arima with xreg" {
	run_unit arimax
}
