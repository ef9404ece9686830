#!/usr/bin/env bats
# fc-config: loading and validating config.yaml, overrides, canonical text,
# the key table, the command line, and the two man pages.

bats_require_minimum_version 1.5.0

setup() {
	load '../test_helper/common-setup'
	_common_setup
	FX="$FIXTURES/fc-config"
}

# ---- check ----

@test "fc-config check is silent and exits 0 on a good file" {
	cp "$FX/block.yaml" config.yaml
	run_sep fc-config check
	assert_success
	assert_equal "$output" ""
	assert_equal "$stderr" ""
}

@test "fc-config uses the defaults alone when there is no config.yaml" {
	run_sep fc-config show
	assert_success
	assert_equal "$output" "$(cat "$FX/defaults.yaml")"
}

@test "fc-config reads ./config.yaml without -c" {
	printf 'project:\n  name: sales\n' > config.yaml
	run_sep fc-config get project.name
	assert_success
	assert_equal "$output" "sales"
}

@test "an empty file and a file of comments give all the defaults" {
	: > empty.yaml
	printf '# nothing here yet\n\n' > comments.yaml
	fc-config -c empty.yaml show > a
	fc-config -c comments.yaml show > b
	cmp a "$FX/defaults.yaml"
	cmp b "$FX/defaults.yaml"
}

@test "an unknown key names the file, the line and a near miss" {
	printf 'clean:\n  duplicates: first\n  imputee:\n    target: zero\n' > config.yaml
	run_sep fc-config check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: config.yaml:3: unknown key 'clean.imputee' (did you mean 'clean.impute'?)"
}

@test "an unknown key with no near miss gets no suggestion" {
	printf 'bogus:\n  models: [ets]\n' > c.yaml
	run_sep fc-config -c c.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: c.yaml:1: unknown key 'bogus'"
}

@test "a word where an integer belongs is a type error" {
	printf 'load:\n  source: x.csv\n  max_errors: abc\n' > c.yaml
	run_sep fc-config -c c.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: c.yaml:3: key 'load.max_errors': expected an integer, got 'abc'"
}

@test "a quoted number or a fraction is not an integer" {
	printf 'load: {max_errors: "42"}\n' > q.yaml
	run_sep fc-config -c q.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: q.yaml:1: key 'load.max_errors': expected an integer, got string '42'"
	printf 'clean:\n  outliers:\n    window: 1.5\n' > f.yaml
	run_sep fc-config -c f.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: f.yaml:3: key 'clean.outliers.window': expected an integer, got '1.5'"
}

@test "a value out of range names the range" {
	printf 'load:\n  max_errors: 0\n' > c.yaml
	run_sep fc-config -c c.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: c.yaml:2: key 'load.max_errors': 0 is out of range (1-1000000)"
}

@test "numbers must be finite and fit a double" {
	printf 'clean: {outliers: {iqr_k: .nan}}\n' > nan.yaml
	run_sep fc-config -c nan.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: nan.yaml:1: key 'clean.outliers.iqr_k': expected a number, got '.nan'"
	printf 'clean: {outliers: {threshold: 1e999}}\n' > big.yaml
	run_sep fc-config -c big.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: big.yaml:1: key 'clean.outliers.threshold': 1e999 is out of range (0.1-100)"
}

@test "a word that is not one of an enum's is an error listing them" {
	printf 'clean:\n  duplicates: frist\n' > c.yaml
	run_sep fc-config -c c.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: c.yaml:2: key 'clean.duplicates': 'frist' is not one of error|first|last|mean|sum"
}

@test "booleans are true/false/yes/no/on/off in any case, nothing else" {
	run_sep fc-config -s clean.reindex=No get clean.reindex
	assert_success
	assert_equal "$output" "false"
	run_sep fc-config -s clean.reindex=ON get clean.reindex
	assert_equal "$output" "true"
	run_sep fc-config -s clean.reindex=maybe check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: -s: key 'clean.reindex': expected a boolean, got 'maybe'"
}

@test "a scalar where a block belongs and a list where a scalar belongs are errors" {
	printf 'project: {name: x}\nclean: linear\n' > a.yaml
	run_sep fc-config -c a.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: a.yaml:2: key 'clean': expected a mapping, got 'linear'"
	printf 'clean:\n  duplicates: [first]\n' > b.yaml
	run_sep fc-config -c b.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: b.yaml:2: key 'clean.duplicates': expected a string, got a list"
}

@test "load.columns types are checked on their own line" {
	printf 'load:\n  columns:\n    y: number\n    price: float\n' > c.yaml
	run_sep fc-config -c c.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: c.yaml:4: key 'load.columns.price': 'float' is not one of string|number|integer|boolean|date|datetime"
}

@test "load.delimiter must be one byte and schema.id must not be empty" {
	printf 'load: {delimiter: ";;"}\n' > d.yaml
	run_sep fc-config -c d.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: d.yaml:1: key 'load.delimiter': ';;' is not one byte"
	printf 'schema:\n  id: ""\n' > i.yaml
	run_sep fc-config -c i.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: i.yaml:2: key 'schema.id': must not be empty"
}

@test "a key given twice is an error, also when once written with dots" {
	printf 'clean:\n  duplicates: first\n  duplicates: last\n' > a.yaml
	run_sep fc-config -c a.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: a.yaml:3: duplicate key 'clean.duplicates' (first set on line 2)"
	printf 'clean:\n  duplicates: first\nclean.duplicates: last\n' > b.yaml
	run_sep fc-config -c b.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: b.yaml:3: duplicate key 'clean.duplicates' (first set on line 2)"
	printf 'load:\n  columns:\n    y: number\n    y: date\n' > c.yaml
	run_sep fc-config -c c.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: c.yaml:4: duplicate key 'load.columns.y' (first set on line 3)"
}

@test "a YAML syntax error names its line" {
	printf 'project:\n  name: x\nclean: {duplicates: first\nruntime: {}\n' > c.yaml
	run_sep fc-config -c c.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: c.yaml:4: yaml: did not find expected ',' or '}'"
}

@test "a top level that is not a mapping is an error" {
	printf -- '- clean\n- load\n' > c.yaml
	run_sep fc-config -c c.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: c.yaml:1: expected a mapping of blocks at the top level, got a list"
}

@test "a second YAML document is an error" {
	printf 'clean: {}\n---\nload: {}\n' > c.yaml
	run_sep fc-config -c c.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: c.yaml:3: more than one yaml document"
}

@test "a missing -c file exits 66 and names it" {
	run_sep fc-config -c nope.yaml check
	assert_equal "$status" 66
	assert_equal "$stderr" "fc-config: nope.yaml: cannot open config: No such file or directory"
}

@test "a tree key keeps lists of maps and shows them in flow style, keys sorted" {
	printf 'features:\n  fourier:\n    - period: 12\n      k: 2\n    - {k: 1, period: 52.18}\n  lags:\n    y: [1, 12]\n    kms:\n      - 1\n' > b.yaml
	printf 'features: {fourier: [{k: 2, period: 12}, {period: 52.18, k: 1}], lags: {kms: [1], y: [1, 12]}}\n' > f.yaml
	fc-config -c b.yaml show features > b.out
	fc-config -c f.yaml show features > f.out
	cmp b.out f.out
	run_sep fc-config -c b.yaml get features.fourier
	assert_equal "$output" "[{k: 2, period: 12}, {k: 1, period: 52.18}]"
	run_sep fc-config -c b.yaml get features.lags
	assert_equal "$output" "{kms: [1], 'y': [1, 12]}"
}

@test "a tree key checks its shape and names the line of a bad item" {
	printf 'features:\n  fourier:\n    - {period: 12, k: 2}\n    - 12\n' > a.yaml
	run_sep fc-config -c a.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: a.yaml:4: key 'features.fourier': expected a list of maps, got an item that is '12'"
	printf 'features:\n  lags: [1, 12]\n' > b.yaml
	run_sep fc-config -c b.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: b.yaml:2: key 'features.lags': expected a mapping, got a list"
	printf 'features:\n  lags:\n    y: [1]\n    y: [2]\n' > c.yaml
	run_sep fc-config -c c.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: c.yaml:4: key 'features.lags': duplicate name 'y' (first set on line 3)"
}

@test "-s sets a tree key from flow YAML, and an empty value is the empty tree" {
	run_sep fc-config -s 'features.rolling=[{column: y, window: 3, stats: [mean, std]}]' get features.rolling
	assert_success
	assert_equal "$output" "[{column: 'y', stats: [mean, std], window: 3}]"
	run_sep fc-config -s 'features.rolling=' get features.rolling
	assert_equal "$output" "[]"
}

@test "features.calendar items are checked on their own line" {
	printf 'features:\n  calendar:\n    - month\n    - montth\n' > c.yaml
	run_sep fc-config -c c.yaml check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: c.yaml:4: key 'features.calendar': 'montth' is not one of year|quarter|month|week_of_year|day_of_week|day_of_month|day_of_year|hour|is_weekend|is_month_end"
}

# ---- overrides ----

@test "-s overrides a scalar of the file" {
	cp "$FX/block.yaml" config.yaml
	run_sep fc-config -s clean.duplicates=first -s clean.impute.max_gap=5 show clean
	assert_success
	assert_line --index 1 "  duplicates: first"
	assert_line --index 4 "    max_gap: 5"
}

@test "-s reads a list value as YAML" {
	run_sep fc-config -s 'load.na_values=[ets,theta]' get load.na_values
	assert_success
	assert_equal "$output" "[ets, theta]"
}

@test "-s replaces the whole of a map" {
	cp "$FX/block.yaml" config.yaml
	run_sep fc-config -s 'load.columns={y: number, ds: datetime}' get load.columns
	assert_success
	assert_equal "$output" "{ds: datetime, 'y': number}"
}

@test "-s takes a string literally and sets a group from a mapping" {
	run_sep fc-config -s load.source=- -s 'schema.time_format=%Y-%m-%d %H:%M' \
		-s 'clean.impute={target: zero, max_gap: 2}' show
	assert_success
	assert_line "  source: '-'"
	assert_line "  time_format: '%Y-%m-%d %H:%M'"
	assert_line "    target: zero"
	assert_line "    max_gap: 2"
}

@test "the last -s of a key wins" {
	run_sep fc-config -s project.seed=1 -s project.seed=2 get project.seed
	assert_success
	assert_equal "$output" "2"
}

@test "-s with an unknown key names the override" {
	run_sep fc-config -s clean.foo=1 check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: -s: unknown key 'clean.foo'"
	run_sep fc-config -s clean.imputee.target=zero check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: -s: unknown key 'clean.imputee.target' (did you mean 'clean.impute.target'?)"
}

@test "-s without = is a usage error" {
	run_sep fc-config -s clean.reindex check
	assert_equal "$status" 64
	assert_equal "$stderr" "fc-config: -s: expected KEY=VALUE, got 'clean.reindex'"
}

@test "-s with bad YAML names the key" {
	run_sep fc-config -s 'load.na_values=[a' check
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: -s: key 'load.na_values': yaml: did not find expected ',' or ']'"
}

# ---- show and get ----

@test "show is byte-identical across block, flow and dotted styles, key order, quoting and comments" {
	fc-config -c "$FX/block.yaml" show > block.out
	fc-config -c "$FX/flow.yaml" show > flow.out
	fc-config -c "$FX/dotted.yaml" show > dotted.out
	cmp block.out "$FX/block.show"
	cmp flow.out "$FX/block.show"
	cmp dotted.out "$FX/block.show"
}

@test "show of one block is that block of the whole" {
	fc-config -c "$FX/block.yaml" show clean > clean.out
	# from "clean:" to the next block
	awk '/^clean:/ { p = 1; print; next } p && /^[a-z]/ { exit } p' \
		"$FX/block.show" > want
	cmp clean.out want
}

@test "show of an unknown block exits 78" {
	run_sep fc-config show cleen
	assert_equal "$status" 78
	assert_equal "$output" ""
	assert_equal "$stderr" "fc-config: unknown block 'cleen'"
}

@test "show quotes strings only where YAML needs it" {
	run_sep fc-config -s project.name=2024 -s 'load.source=a: b' \
		-s "load.na_values=[-, '#', ' x', 'yes', 12, it's, \"'q\"]" show
	assert_success
	assert_line "  name: '2024'"
	assert_line "  source: 'a: b'"
	assert_line "  na_values: ['-', '#', ' x', 'yes', 12, it's, '''q']"
}

@test "numbers print in the shortest form that reads back the same" {
	run_sep fc-config -s clean.outliers.iqr_k=2.50 get clean.outliers.iqr_k
	assert_equal "$output" "2.5"
	run_sep fc-config -s clean.outliers.iqr_k=0.30000000000000004 get clean.outliers.iqr_k
	assert_equal "$output" "0.30000000000000004"
}

@test "get prints strings as they are and other values canonically" {
	cp "$FX/block.yaml" config.yaml
	run_sep fc-config get paths.raw
	assert_equal "$output" "data/01_raw"
	run_sep fc-config get schema.time_format
	assert_success
	assert_equal "$output" ""
	run_sep fc-config get load.columns
	assert_equal "$output" "{ds: date, unique_id: string, 'y': number}"
	run_sep fc-config get clean.reindex
	assert_equal "$output" "false"
}

@test "get of an unknown key exits 78 with a near miss" {
	run_sep fc-config get clean.imputee
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-config: unknown key 'clean.imputee' (did you mean 'clean.impute'?)"
}

# ---- keys ----

@test "keys prints five tab-separated fields per key" {
	run_sep fc-config keys
	assert_success
	assert_line "$(printf 'clean.duplicates\tenum\terror\terror|first|last|mean|sum\twhat to do with rows that share (id, time)')"
	assert_line "$(printf 'load.source\tstring\t%s\t\tthe source: a CSV file, - for stdin, or a sqlite:, postgresql:// or http(s):// URL' "''")"
	fc-config keys | awk -F'\t' 'NF != 5 { print; bad = 1 } END { exit bad }'
}

@test "every key's default is what show prints for it" {
	local key def
	while IFS=$'\t' read -r key _ def _ _; do
		run_sep fc-config show "${key%%.*}"
		assert_line --partial ": $def"
	done < <(fc-config keys)
}

# ---- command line ----

@test "--help prints the usage on stdout, first line the synopsis" {
	run_sep fc-config --help
	assert_success
	assert_line --index 0 "usage: fc-config [-c FILE] [-s KEY=VALUE]... COMMAND [ARG]"
	assert_equal "$stderr" ""
}

@test "--version prints the program and version" {
	run_sep fc-config --version
	assert_success
	assert_output --regexp '^fc-config \(fc\) [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "a bad option exits 64 with a try line" {
	run_sep fc-config --bogus check
	assert_equal "$status" 64
	assert_equal "$output" ""
	assert_equal "$stderr" "fc-config: unrecognized option '--bogus'
Try 'fc-config --help' for more information."
}

@test "an unknown command exits 64 with a try line" {
	run_sep fc-config shwo
	assert_equal "$status" 64
	assert_equal "$stderr" "fc-config: unknown command 'shwo'
Try 'fc-config --help' for more information."
}

@test "no command, or a missing argument, exits 64" {
	run_sep fc-config
	assert_equal "$status" 64
	assert_equal "$stderr" "fc-config: missing command
Try 'fc-config --help' for more information."
	run_sep fc-config get
	assert_equal "$status" 64
	assert_equal "$stderr" "fc-config: get: missing argument
Try 'fc-config --help' for more information."
}

@test "a full disk on stdout exits 74" {
	run_sep bash -c 'fc-config show > /dev/full'
	assert_equal "$status" 74
	assert_equal "$stderr" "fc-config: write error: No space left on device"
}

# ---- man pages ----

# The commands of a page's EXAMPLES: lines after "$ " in literal displays.
examples() {
	awk '
	/^\.Sh / { ex = ($2 == "EXAMPLES") }
	ex && /^\.Bd -literal/ { lit = 1; next }
	ex && /^\.Ed/ { lit = 0; next }
	lit && /^\$ / { print substr($0, 3) }
	' "$1" | sed 's/\\e/\\/g; s/\\-/-/g'
}

@test "every EXAMPLES command of fc-config(1) runs" {
	local cmd n=0
	cp "$FX/block.yaml" config.yaml
	while IFS= read -r cmd; do
		n=$((n + 1))
		run bash -o pipefail -c "$cmd"
		[ "$status" -eq 0 ] || { echo "'$cmd' exited $status: $output"; return 1; }
		[ -n "$output" ] || [ "$cmd" = "fc-config check" ] ||
			{ echo "'$cmd' printed nothing"; return 1; }
	done < <(examples "$FC_ROOT/man/man1/fc-config.1")
	[ "$n" -ge 5 ]
}

@test "fc-config(5) documents every key with its type, default and range" {
	local key type def range page="$FC_ROOT/man/man5/fc-config.5" n=0
	# tabs as unit separators: read must not merge an empty range field
	while IFS=$'\037' read -r key type def range _; do
		n=$((n + 1))
		# .It Cm KEY Pq TYPE / Default / .Ql "DEF" , / range / .Ql "RANGE" .
		awk -v it=".It Cm $key Pq $type" -v def=".Ql \"$def\"" \
		    -v range="$range" '
			$0 == it { at = NR }
			at && NR == at + 1 && $0 != "Default" { bad = 1 }
			at && NR == at + 2 {
				if (range == "" && $0 != def " .") bad = 1
				if (range != "" && $0 != def " ,") bad = 1
			}
			at && range != "" && NR == at + 4 &&
			    $0 != ".Ql \"" range "\" ." { bad = 1 }
			END { exit !at || bad }
		' "$page" || { echo "fc-config.5: $key ($type) default $def range '$range' missing or different"; return 1; }
	done < <(fc-config keys | tr '\t' '\037')
	[ "$n" -gt 0 ]
	# and no key documented that the table lacks
	[ "$(grep -c '^\.It Cm [a-z_]*\.[a-z_.]* Pq ' "$page")" -eq "$n" ]
}

@test "fc-config(1) and fc-config(5) are clean under groff -mandoc -ww" {
	local p w
	for p in "$FC_ROOT/man/man1/fc-config.1" "$FC_ROOT/man/man5/fc-config.5"; do
		w=$(groff -mandoc -ww -z "$p" 2>&1)
		[ -z "$w" ] || { echo "$p: $w"; return 1; }
	done
}

@test "--help lists every option of the man page's OPTIONS" {
	local opt
	for opt in $(sed -n 's/^\.It Fl \([a-zA-Z]\).*/\1/p' "$FC_ROOT/man/man1/fc-config.1"); do
		fc-config --help | grep -q -- "-$opt, " || { echo "-$opt not in --help"; return 1; }
	done
}
