# common-setup - loaded by every bats file: assertions, PATH, a scratch dir
_common_setup() {
	bats_require_minimum_version 1.5.0
	bats_load_library bats-support
	bats_load_library bats-assert
	FC_ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
	export FC_ROOT
	PATH="$FC_ROOT/bin:$PATH"
	FIXTURES="$FC_ROOT/tests/fixtures"
	export FIXTURES
	cd "$BATS_TEST_TMPDIR" || return 1
}

# Run a command with stderr kept apart: $output is stdout, $stderr is
# stderr. Usage: run_sep CMD ARGS...
run_sep() {
	run --separate-stderr "$@"
}
