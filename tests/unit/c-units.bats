#!/usr/bin/env bats
# Runs every C unit-test binary under build/tests: each prints TAP-like
# "ok"/"not ok" lines and exits non-zero on a failure.

setup() {
	load '../test_helper/common-setup'
	_common_setup
}

@test "C unit tests of lib/ numerics and parsers pass" {
	local t found=0
	for t in "$FC_ROOT"/build/tests/*_test; do
		[ -x "$t" ] || continue
		found=1
		run "$t"
		[ "$status" -eq 0 ] || { echo "$t failed:"; echo "$output"; return 1; }
	done
	[ "$found" -eq 1 ]
}
