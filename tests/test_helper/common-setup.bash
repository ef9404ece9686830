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

# median_of CSV...: the median, row by row, of the forecasts (column 4) of
# fc-predict outputs with the same columns, as %.10g.
median_of() {
	paste -d, "$@" | awk -F, -v k=$# 'NR > 1 {
		n = 0
		for (i = 4; i <= NF; i += NF / k) v[++n] = $i
		for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
		printf "%.10g\n", n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }'
}
