#!/usr/bin/env bats
# fc-clean: names, types, duplicates, order, reindexing, imputation,
# outliers, the sidecar, and what it does with bad input.

setup() {
	load '../test_helper/common-setup'
	_common_setup
	printf 'load:\n  columns: {y: number}\n' > config.yaml
	# one series, 1 NA NA 4 NA 6, months 2024-01..06
	printf 'unique_id,ds,y\nA,2024-01-01,1\nA,2024-02-01,NA\nA,2024-03-01,\nA,2024-04-01,4\nA,2024-05-01,NA\nA,2024-06-01,6\n' > gaps.csv
}

# ys FILE: the y column of a cleansed file, space-separated
ys() {
	tail -n +2 "$1" | cut -d, -f3 | paste -sd' '
}

@test "fc-clean cleans a messy export to the expected file" {
	cp "$FIXTURES/fc-clean/messy.csv" .
	run fc-clean -c "$FIXTURES/fc-clean/messy.yaml" -o out.csv messy.csv
	assert_success
	cmp out.csv "$FIXTURES/fc-clean/messy.expected.csv"
}

@test "fc-clean makes column names snake_case" {
	printf 'Unique ID,DS,UnitsSold,HTTPCode,Price ($)\nA,2024-01-01,1,200,3\n' > n.csv
	run fc-clean -s schema.target=units_sold n.csv
	assert_success
	assert_line --index 0 "unique_id,ds,units_sold,http_code,price"
}

@test "fc-clean fills a missing month by linear interpolation" {
	run fc-clean -o out.csv gaps.csv
	assert_success
	assert_equal "$(ys out.csv)" "1 2 3 4 5 6"
}

@test "fc-clean imputes by ffill, bfill, zero, mean and none" {
	fc-clean -s clean.impute.target=ffill gaps.csv > f.csv
	assert_equal "$(ys f.csv)" "1 1 1 4 4 6"
	fc-clean -s clean.impute.target=bfill gaps.csv > b.csv
	assert_equal "$(ys b.csv)" "1 4 4 4 6 6"
	fc-clean -s clean.impute.target=zero gaps.csv > z.csv
	assert_equal "$(ys z.csv)" "1 0 0 4 0 6"
	fc-clean -s clean.impute.target=mean gaps.csv > m.csv
	assert_equal "$(ys m.csv)" "1 3.6666666666666665 3.6666666666666665 4 3.6666666666666665 6"
	fc-clean -s clean.impute.target=none gaps.csv > n.csv
	assert_equal "$(tail -n +2 n.csv | cut -d, -f3 | paste -sd'|')" "1|||4||6"
}

@test "fc-clean imputes seasonally from one season earlier, else later" {
	run fc-clean -s clean.impute.target=seasonal -s schema.season_length=2 -o s.csv gaps.csv
	assert_success
	assert_equal "$(ys s.csv)" "1 4 1 4 1 6"
}

@test "fc-clean leaves runs longer than clean.impute.max_gap empty" {
	run fc-clean -s clean.impute.max_gap=1 -o g.csv gaps.csv
	assert_success
	assert_equal "$(tail -n +2 g.csv | cut -d, -f3 | paste -sd'|')" "1|||4|5|6"
}

@test "fc-clean leaves a gap at the end of a series empty under linear" {
	printf 'unique_id,ds,y\nA,2024-01-01,1\nA,2024-02-01,2\nA,2024-03-01,NA\n' > e.csv
	fc-clean e.csv > out.csv
	assert_equal "$(tail -n 1 out.csv)" "A,2024-03-01,"
}

@test "fc-clean inserts missing timestamps on the series grid" {
	printf 'unique_id,ds,y\nA,2024-01-01,1\nA,2024-04-01,4\nA,2024-02-01,2\n' > r.csv
	fc-clean -s schema.frequency=M r.csv > out.csv
	assert_equal "$(cut -d, -f2,3 out.csv | paste -sd' ')" "ds,y 2024-01-01,1 2024-02-01,2 2024-03-01,3 2024-04-01,4"
}

@test "fc-clean keeps month ends on month ends, leap years included" {
	printf 'unique_id,ds,y\nA,2024-01-31,1\nA,2024-03-31,3\nA,2024-04-30,4\n' > me.csv
	fc-clean me.csv > out.csv
	assert_equal "$(cut -d, -f2 out.csv | paste -sd' ')" "ds 2024-01-31 2024-02-29 2024-03-31 2024-04-30"
}

@test "fc-clean infers a weekly grid and fills the missing week" {
	printf 'unique_id,ds,y\nA,2024-01-01,1\nA,2024-01-08,2\nA,2024-01-22,4\n' > w.csv
	fc-clean w.csv > out.csv
	assert_equal "$(cut -d, -f2,3 out.csv | paste -sd' ')" "ds,y 2024-01-01,1 2024-01-08,2 2024-01-15,3 2024-01-22,4"
}

@test "fc-clean reindexes hourly date-times and writes them in ISO 8601" {
	printf 'unique_id,ds,y\nA,2024-03-01 22:00,1\nA,2024-03-02T01:00:00Z,4\n' > h.csv
	fc-clean -s schema.frequency=H h.csv > out.csv
	assert_equal "$(cut -d, -f2,3 out.csv | paste -sd' ')" "ds,y 2024-03-01T22:00:00,1 2024-03-01T23:00:00,2 2024-03-02T00:00:00,3 2024-03-02T01:00:00,4"
}

@test "fc-clean reindexes integer time indexes" {
	printf 'unique_id,ds,y\nA,1,10\nA,2,20\nA,4,40\n' > i.csv
	fc-clean i.csv > out.csv
	assert_equal "$(cut -d, -f2,3 out.csv | paste -sd' ')" "ds,y 1,10 2,20 3,30 4,40"
}

@test "fc-clean names a timestamp off the grid" {
	printf 'unique_id,ds,y\nA,2024-01-01,1\nA,2024-02-15,2\n' > o.csv
	run_sep fc-clean -s schema.frequency=M o.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-clean: o.csv:3: column 'ds': '2024-02-15' is not on the M grid of series 'A'"
}

@test "fc-clean refuses to fill a gap that is more likely a mistyped year" {
	printf 'unique_id,ds,y\nA,2024-01-01,1\nA,2024-01-02,2\nA,2204-01-03,3\n' > t.csv
	run_sep fc-clean -s schema.frequency=D t.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-clean: t.csv:4: series 'A': reindexing 2024-01-01 to 2204-01-03 at frequency D would insert 65743 rows for 3 present; check the timestamps or set clean.reindex: false"
}

@test "fc-clean stops on a duplicate row by default and names both lines" {
	printf 'unique_id,ds,y\nA,2024-01-01,1\nA,2024-01-01,3\n' > d.csv
	run_sep fc-clean d.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-clean: d.csv:3: duplicate row for series 'A' at 2024-01-01 (first at line 2); set clean.duplicates to resolve it"
}

@test "fc-clean resolves duplicates by first, last, mean and sum" {
	printf 'unique_id,ds,y,note\nA,2024-01-01,1,one\nA,2024-02-01,5,x\nA,2024-01-01,3,three\n' > d.csv
	assert_equal "$(fc-clean -s clean.duplicates=first d.csv | sed -n 2p)" "A,2024-01-01,1,one"
	assert_equal "$(fc-clean -s clean.duplicates=last d.csv | sed -n 2p)" "A,2024-01-01,3,three"
	assert_equal "$(fc-clean -s clean.duplicates=mean d.csv | sed -n 2p)" "A,2024-01-01,2,one"
	assert_equal "$(fc-clean -s clean.duplicates=sum d.csv | sed -n 2p)" "A,2024-01-01,4,one"
}

@test "fc-clean sorts by id and time, from a file and from a pipe alike" {
	printf 'unique_id,ds,y\nb,2024-02-01,4\nB,2024-01-01,1\na,2024-01-01,2\nb,2024-01-01,3\n' > u.csv
	fc-clean -o file.csv u.csv
	fc-clean < u.csv > pipe.csv
	cat u.csv | fc-clean > pipe2.csv
	assert_equal "$(cut -d, -f1,2 file.csv | paste -sd' ')" "unique_id,ds B,2024-01-01 a,2024-01-01 b,2024-01-01 b,2024-02-01"
	cmp file.csv pipe.csv
	cmp file.csv pipe2.csv
	grep -q '"sorted_in_memory":	true' file.csv.meta.json
}

@test "fc-clean clips outliers outside the interquartile fences" {
	printf 'unique_id,ds,y\n' > o.csv
	i=1; for v in 10 11 12 13 100 12 11 10; do printf 'A,%d,%s\n' $i $v >> o.csv; i=$((i+1)); done
	fc-clean -s clean.outliers.method=iqr o.csv > clip.csv
	assert_equal "$(ys clip.csv)" "10 11 12 13 14.5 12 11 10"
	fc-clean -s clean.outliers.method=iqr -s clean.outliers.action=null o.csv > null.csv
	assert_equal "$(ys null.csv)" "10 11 12 13 12.5 12 11 10"
}

@test "fc-clean finds an outlier with the Hampel filter" {
	printf 'unique_id,ds,y\n' > o.csv
	i=1; for v in 10 11 12 13 100 12 11 10; do printf 'A,%d,%s\n' $i $v >> o.csv; i=$((i+1)); done
	fc-clean -o h.csv -s clean.outliers.method=hampel o.csv
	v=$(sed -n 6p h.csv | cut -d, -f3)
	awk -v v="$v" 'BEGIN { exit !(v > 16.4477 && v < 16.4479) }'
	assert_equal "$(ys h.csv | cut -d' ' -f1-4,6-)" "10 11 12 13 12 11 10"
	grep -q '"outliers":	1' h.csv.meta.json
}

@test "fc-clean normalises declared types and keeps undeclared text" {
	printf 'unique_id,ds,y,n,b,d,t\nA,2024-01-01,+1.50,007,YES,2024-01-05,007\n' > t.csv
	run fc-clean -s 'load.columns={y: number, n: integer, b: boolean, d: date}' t.csv
	assert_success
	assert_line --index 1 "A,2024-01-01,1.5,7,true,2024-01-05,007"
}

@test "fc-clean keeps numbers byte for byte when already canonical" {
	printf 'unique_id,ds,y\nA,2024-01-01,0.1029718118\nA,2024-02-01,1e3\n' > c.csv
	run fc-clean c.csv
	assert_line --index 1 "A,2024-01-01,0.1029718118"
	assert_line --index 2 "A,2024-02-01,1000"
}

@test "fc-clean quotes ids that need it" {
	printf 'unique_id,ds,y\n"North, ""A""",2024-01-01,1\n' > q.csv
	run fc-clean q.csv
	assert_line --index 1 '"North, ""A""",2024-01-01,1'
}

@test "fc-clean writes a sidecar that counts what it changed" {
	cp "$FIXTURES/fc-clean/messy.csv" .
	fc-clean -c "$FIXTURES/fc-clean/messy.yaml" -o out.csv messy.csv
	m=out.csv.meta.json
	grep -q '"program":	"fc-clean"' $m
	grep -q '"rows_inserted":	2' $m
	grep -q '"target_imputed":	3' $m
	grep -q '"features_imputed":	3' $m
	grep -q '"columns_renamed":	4' $m
	grep -q "\"sha256\":	\"$(sha256sum out.csv | cut -d' ' -f1)\"" $m
	grep -q "\"sha256\":	\"$(sha256sum messy.csv | cut -d' ' -f1)\"" $m
}

@test "fc-clean names file, line and column of a bad value" {
	printf 'unique_id,ds,y\nA,2024-01-01,1\nA,2024-02-01,abc\n' > b.csv
	run_sep fc-clean -o out.csv b.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-clean: b.csv:3: column 'y': invalid number 'abc'"
	[ ! -e out.csv ]
}

@test "fc-clean rejects an impossible date" {
	printf 'unique_id,ds,y\nA,2024-02-30,1\n' > d.csv
	run_sep fc-clean d.csv
	assert_equal "$status" 65
	[[ "$stderr" == "fc-clean: d.csv:2: column 'ds': invalid time '2024-02-30': "* ]]
}

@test "fc-clean rejects a number that overflows a double" {
	printf 'unique_id,ds,y\nA,2024-01-01,1e999\n' > o.csv
	run_sep fc-clean o.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-clean: o.csv:2: column 'y': number out of range '1e999'"
}

@test "fc-clean rejects a row without a series id" {
	printf 'unique_id,ds,y\n,2024-01-01,1\n' > m.csv
	run_sep fc-clean m.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-clean: m.csv:2: column 'unique_id': missing series id"
}

@test "fc-clean names the schema key of a missing column" {
	printf 'id,ds,y\nA,2024-01-01,1\n' > m.csv
	run_sep fc-clean m.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-clean: m.csv:1: missing column 'unique_id' (schema.id)"
}

@test "fc-clean rejects an empty file and a header without rows" {
	: > e.csv
	run_sep fc-clean e.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-clean: e.csv: empty file: expected a header line"
	printf 'unique_id,ds,y\n' > h.csv
	run_sep fc-clean h.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-clean: h.csv: no data rows after the header"
}

@test "fc-clean names the line of a ragged row and of a bad quote" {
	printf 'unique_id,ds,y\nA,2024-01-01\n' > r.csv
	run_sep fc-clean r.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-clean: r.csv:2: row has 2 fields, the header has 3"
	printf 'unique_id,ds,y\nA,2024-01-01,"1\n' > q.csv
	run_sep fc-clean q.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-clean: q.csv:2: unterminated quoted field"
}

@test "fc-clean leaves an existing output untouched when it fails" {
	fc-clean -o out.csv gaps.csv
	cp out.csv before.csv
	printf 'unique_id,ds,y\nA,2024-01-01,x\n' > bad.csv
	run fc-clean -o out.csv bad.csv
	assert_equal "$status" 65
	cmp before.csv out.csv
	[ -z "$(ls -A | grep '^\.out')" ]
}

@test "fc-clean exits 66 on a missing input, 73 on a missing folder, 74 on a full disk" {
	run_sep fc-clean nope.csv
	assert_equal "$status" 66
	assert_equal "$stderr" "fc-clean: nope.csv: cannot open: No such file or directory"
	run_sep fc-clean -o no/dir/out.csv gaps.csv
	assert_equal "$status" 73
	run_sep bash -c 'fc-clean gaps.csv > /dev/full'
	assert_equal "$status" 74
}

@test "fc-clean reports a bad config value with its key" {
	printf 'clean:\n  duplicates: frist\n' > config.yaml
	run_sep fc-clean gaps.csv
	assert_equal "$status" 78
	[[ "$stderr" == "fc-clean: config.yaml:2: key 'clean.duplicates': 'frist' is not one of "* ]]
	rm config.yaml
	run_sep fc-clean -s schema.frequency=fortnightly gaps.csv
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-clean: -s: key 'schema.frequency': 'fortnightly' is not a frequency (e.g. D, W, M, Q, Y, H, 15min)"
}

@test "fc-clean --help starts with the synopsis; bad options get a hint" {
	run fc-clean --help
	assert_success
	assert_equal "${lines[0]}" "usage: fc-clean [-c FILE] [-s KEY=VALUE]... [-o FILE] [INPUT]"
	run_sep fc-clean -x
	assert_equal "$status" 64
	assert_equal "${stderr##*$'\n'}" "Try 'fc-clean --help' for more information."
}

@test "fc-clean output is byte-identical across runs" {
	fc-clean -o a.csv gaps.csv
	fc-clean -o b.csv gaps.csv
	cmp a.csv b.csv
}

@test "fc-clean reads the delimiter of load.delimiter and writes commas" {
	printf 'unique_id;ds;y;note\nA;2024-01-01;1;a,b\nA;2024-02-01;2;c\n' > semi.csv
	run fc-clean -s 'load.delimiter=;' semi.csv
	assert_success
	assert_output 'unique_id,ds,y,note
A,2024-01-01,1,"a,b"
A,2024-02-01,2,c'
	run fc-load -s 'load.delimiter=;' semi.csv
	assert_success
}

@test "fc-clean reads times with schema.time_format and writes ISO 8601" {
	printf 'unique_id,ds,y\nA,31/01/2024,1\nA,29/02/2024,2\n' > f.csv
	run fc-clean -s 'schema.time_format=%d/%m/%Y' f.csv
	assert_success
	assert_output 'unique_id,ds,y
A,2024-01-31,1
A,2024-02-29,2'
	printf 'unique_id,ds,y\nA,30/02/2024,1\n' > bad.csv
	run_sep fc-clean -s 'schema.time_format=%d/%m/%Y' bad.csv
	assert_equal "$status" 65
	[[ "$stderr" == "fc-clean: bad.csv:2: column 'ds': invalid time '30/02/2024': "* ]]
}
