#!/usr/bin/env bats
# Every man page: clean under groff, and every EXAMPLES command runs.

setup() {
	load '../test_helper/common-setup'
	_common_setup
	# the scene the examples assume: the sample project, its raw layer,
	# its cleansed layer, a model file, and a small export called sales.csv
	cp "$FC_ROOT/config.yaml" .
	mkdir -p data/sample data/01_raw data/02_cleansed data/03_features \
		data/04_processed outputs/models outputs/forecast
	cp "$FC_ROOT/data/sample/seatbelts.csv" data/sample/
	fc-load -o data/01_raw/seatbelts.csv data/sample/seatbelts.csv
	fc-clean -o data/02_cleansed/seatbelts.csv data/01_raw/seatbelts.csv
	fc-train -o outputs/models/seatbelts.json data/02_cleansed/seatbelts.csv
	printf 'unique_id,ds,y\nA,2024-01-01,3\nA,2024-02-01,4\n' > sales.csv
}

# The commands of a page's EXAMPLES, NUL-terminated: lines after "$ " in
# literal displays, joined with their indented continuation lines.
examples() {
	awk '
	function flush() { if (cmd != "") printf "%s%c", cmd, 0; cmd = "" }
	/^\.Sh / { ex = ($2 == "EXAMPLES") }
	ex && /^\.Bd -literal/ { lit = 1; next }
	ex && /^\.Ed/ { flush(); lit = 0; next }
	lit && /^\$ / { flush(); cmd = substr($0, 3); next }
	lit && cmd != "" && /^[ \t]/ { cmd = cmd "\n" $0; next }
	' "$1" | sed 's/\\e/\\/g; s/\\-/-/g'
}

@test "every man page is clean under groff -mandoc -ww" {
	local p w
	for p in "$FC_ROOT"/man/man*/*.[157]; do
		w=$(groff -mandoc -ww -z "$p" 2>&1)
		[ -z "$w" ] || { echo "$p: $w"; return 1; }
	done
}

@test "every man page of a tool has EXAMPLES, EXIT STATUS and SEE ALSO" {
	local p
	for p in "$FC_ROOT"/man/man1/*.1; do
		grep -q '^\.Sh EXAMPLES' "$p" || { echo "$p: no EXAMPLES"; return 1; }
		grep -q '^\.Sh EXIT STATUS' "$p" || { echo "$p: no EXIT STATUS"; return 1; }
		grep -q '^\.Sh SEE ALSO' "$p" || { echo "$p: no SEE ALSO"; return 1; }
	done
}

@test "every tool has a man page and every man page a tool" {
	local t
	for t in "$FC_ROOT"/tools/fc-*.c; do
		t=$(basename "$t" .c)
		[ -f "$FC_ROOT/man/man1/$t.1" ] || { echo "no man page for $t"; return 1; }
	done
	for t in "$FC_ROOT"/man/man1/*.1; do
		t=$(basename "$t" .1)
		[ -f "$FC_ROOT/tools/$t.c" ] || { echo "no tool for $t.1"; return 1; }
	done
}

@test "every EXAMPLES command of every man page runs" {
	local p cmd n=0
	for p in "$FC_ROOT"/man/man*/*.[157]; do
		while IFS= read -r -d '' cmd; do
			[ -n "$cmd" ] || continue
			case "$cmd" in make\ *) continue ;; esac # run in tests/integration
			n=$((n + 1))
			run bash -o pipefail -c "$cmd"
			[ "$status" -eq 0 ] || { echo "$p: '$cmd' exited $status: $output"; return 1; }
		done < <(examples "$p")
	done
	[ "$n" -ge 4 ]
}
