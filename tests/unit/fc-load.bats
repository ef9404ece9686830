#!/usr/bin/env bats
# fc-load: the data contract, the raw snapshot, its immutability, errors.

setup() {
	load '../test_helper/common-setup'
	_common_setup
	cat > config.yaml <<-'YAML'
	load:
	  columns: {unique_id: string, ds: date, y: number}
	YAML
	printf 'unique_id,ds,y\nA,2024-01-01,1\nA,2024-02-01,2.5\n' > good.csv
}

@test "fc-load writes the source unchanged and a sidecar with its sha256" {
	run fc-load -o raw.csv good.csv
	assert_success
	cmp good.csv raw.csv
	[ "$(stat -c %a raw.csv)" = 444 ]
	sum=$(sha256sum good.csv | cut -d' ' -f1)
	grep -q "\"sha256\":	\"$sum\"" raw.csv.meta.json
	grep -q '"rows":	2' raw.csv.meta.json
	grep -q '"source":	"good.csv"' raw.csv.meta.json
	grep -q '"loaded_at":	"20' raw.csv.meta.json
}

@test "fc-load passes the source to stdout byte for byte, BOM and CRLF included" {
	printf '\xef\xbb\xbfunique_id,ds,y\r\nA,2024-01-01,1\r\n' > bom.csv
	run_sep fc-load bom.csv
	assert_success
	fc-load bom.csv | cmp - bom.csv
}

@test "fc-load of an identical source changes nothing, not even the mtime" {
	fc-load -o raw.csv good.csv
	touch -d '2001-01-01 00:00' raw.csv raw.csv.meta.json
	before=$(stat -c %Y raw.csv; stat -c %Y raw.csv.meta.json)
	run fc-load -o raw.csv good.csv
	assert_success
	[ "$(stat -c %Y raw.csv; stat -c %Y raw.csv.meta.json)" = "$before" ]
	[ ! -e history ]
}

@test "fc-load of a changed source moves the previous snapshot to history" {
	fc-load -o raw.csv good.csv
	printf 'unique_id,ds,y\nA,2024-01-01,7\n' > new.csv
	run fc-load -o raw.csv new.csv
	assert_success
	cmp new.csv raw.csv
	old=$(ls history/raw.*Z.csv)
	cmp good.csv "$old"
	[ -f "$old.meta.json" ]
}

@test "fc-load rejects an empty file" {
	: > empty.csv
	run_sep fc-load -o raw.csv empty.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-load: empty.csv: empty file: expected a header line"
	[ ! -e raw.csv ]
}

@test "fc-load rejects a header without rows" {
	printf 'unique_id,ds,y\n' > h.csv
	run_sep fc-load -o raw.csv h.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-load: h.csv: no data rows after the header"
	[ ! -e raw.csv ]
}

@test "fc-load names the line of an unterminated quote" {
	printf 'unique_id,ds,y\nA,2024-01-01,1\n"A,2024-02-01,2\n' > q.csv
	run_sep fc-load q.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-load: q.csv:3: unterminated quoted field"
	assert_equal "$output" ""
}

@test "fc-load names the line of a malformed quote" {
	printf 'unique_id,ds,y\nA,2024-01-01,1"x"\n' > q.csv
	run_sep fc-load q.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-load: q.csv:2: malformed quoted field"
}

@test "fc-load names the line of a ragged row" {
	printf 'unique_id,ds,y\nA,2024-01-01,1\nA,2024-02-01\n' > r.csv
	run_sep fc-load r.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-load: r.csv:3: row has 2 fields, the header has 3"
}

@test "fc-load rejects duplicate header names" {
	printf 'unique_id,ds,y,y\nA,2024-01-01,1,2\n' > d.csv
	run_sep fc-load d.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-load: d.csv:1: duplicate column 'y'"
}

@test "fc-load rejects names that collide once snake_case" {
	printf 'unique_id,ds,y,Units Sold,units_sold\nA,2024-01-01,1,2,3\n' > d.csv
	run_sep fc-load d.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-load: d.csv:1: columns 'Units Sold' and 'units_sold' have the same snake_case name 'units_sold'"
}

@test "fc-load names file, line and column of a non-number" {
	printf 'unique_id,ds,y\nA,2024-01-01,1\nA,2024-02-01,abc\n' > n.csv
	run_sep fc-load -o raw.csv n.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-load: n.csv:3: column 'y': invalid number 'abc'
fc-load: n.csv: 1 bad value: nothing written"
	[ ! -e raw.csv ]
}

@test "fc-load rejects an impossible date" {
	printf 'unique_id,ds,y\nA,2024-02-30,1\n' > d.csv
	run_sep fc-load d.csv
	assert_equal "$status" 65
	[[ "${stderr%%$'\n'*}" == "fc-load: d.csv:2: column 'ds': invalid date '2024-02-30': "* ]]
}

@test "fc-load rejects a number that overflows a double" {
	printf 'unique_id,ds,y\nA,2024-01-01,1e999\n' > o.csv
	run_sep fc-load o.csv
	assert_equal "$status" 65
	assert_equal "${stderr%%$'\n'*}" "fc-load: o.csv:2: column 'y': number out of range '1e999'"
}

@test "fc-load accepts NA tokens in typed columns" {
	printf 'unique_id,ds,y\nA,2024-01-01,NA\nA,2024-02-01,\n' > na.csv
	run fc-load na.csv
	assert_success
}

@test "fc-load reports a missing contract column" {
	printf 'unique_id,ds,value\nA,2024-01-01,1\n' > m.csv
	run_sep fc-load m.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-load: m.csv:1: missing column 'y' (required by load.columns)"
}

@test "fc-load matches contract columns by snake_case" {
	printf 'Unique ID,DS,Y\nA,2024-01-01,x\n' > s.csv
	run_sep fc-load s.csv
	assert_equal "$status" 65
	assert_equal "${stderr%%$'\n'*}" "fc-load: s.csv:2: column 'y': invalid number 'x'"
}

@test "fc-load stops after load.max_errors bad values" {
	printf 'unique_id,ds,y\n' > many.csv
	for i in 1 2 3 4 5; do printf 'A,2024-0%s-01,bad%s\n' "$i" "$i" >> many.csv; done
	run_sep fc-load -s load.max_errors=2 many.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-load: many.csv:2: column 'y': invalid number 'bad1'
fc-load: many.csv:3: column 'y': invalid number 'bad2'
fc-load: many.csv: 2 bad values (load.max_errors reached): nothing written"
}

@test "fc-load leaves an existing snapshot untouched when the new source is bad" {
	fc-load -o raw.csv good.csv
	printf 'unique_id,ds,y\nA,2024-01-01,zz\n' > bad.csv
	run fc-load -o raw.csv bad.csv
	assert_equal "$status" 65
	cmp good.csv raw.csv
	[ ! -e history ]
	[ -z "$(ls -A . | grep '^\.raw')" ]
}

@test "fc-load exits 66 on a missing source" {
	run_sep fc-load nope.csv
	assert_equal "$status" 66
	assert_equal "$stderr" "fc-load: nope.csv: cannot open: No such file or directory"
}

@test "fc-load exits 73 when the output folder does not exist" {
	run_sep fc-load -o no/such/dir/raw.csv good.csv
	assert_equal "$status" 73
	assert_equal "$stderr" "fc-load: no/such/dir/raw.csv: cannot create: No such file or directory"
}

@test "fc-load exits 74 on a full disk" {
	run_sep bash -c 'fc-load good.csv > /dev/full'
	assert_equal "$status" 74
	[[ "$stderr" == "fc-load: "*"No space left on device" ]]
}

@test "fc-load -o a device or a FIFO: the checked bytes in place, no history, no sidecar" {
	run_sep fc-load -o /dev/full good.csv
	assert_equal "$status" 74
	assert_equal "$stderr" "fc-load: /dev/full: write error: No space left on device"
	[ -c /dev/full ]
	[ ! -e /dev/history ] && [ ! -e /dev/full.meta.json ]
	mkfifo fifo
	cat fifo > got.csv &
	fc-load -o fifo good.csv
	wait
	cmp good.csv got.csv
	[ -p fifo ] && [ ! -e fifo.meta.json ] && [ ! -e history ]
	# a bad row: the reader gets nothing, and the end of it
	printf 'unique_id,ds,y\nA,2024-01-01,1\nA,2024-02-01,x\n' > bad.csv
	cat fifo > got.csv &
	run_sep fc-load -o fifo bad.csv
	wait
	assert_equal "$status" 65
	[ ! -s got.csv ]
	# -o - is standard output: checked first, no sidecar
	run_sep bash -c 'fc-load -o - bad.csv > got.csv'
	assert_equal "$status" 65
	[ ! -s got.csv ]
	fc-load -o - good.csv > got.csv
	cmp good.csv got.csv
	[ ! -e ./-.meta.json ] && [ ! -e history ]
}

@test "fc-load without a source says so" {
	rm config.yaml
	run_sep fc-load
	assert_equal "$status" 64
	assert_equal "${stderr%%$'\n'*}" "fc-load: no source: give SOURCE or set load.source"
}

@test "fc-load refuses a source scheme it does not know" {
	run_sep fc-load ftp://example/x.csv
	assert_equal "$status" 64
	assert_equal "$stderr" "fc-load: unsupported source 'ftp:': fc-load reads files, stdin, sqlite:, postgresql:// and http(s)://"
}

@test "fc-load --help starts with the synopsis of its man page" {
	run fc-load --help
	assert_success
	assert_equal "${lines[0]}" "usage: fc-load [-c FILE] [-s KEY=VALUE]... [-o FILE] [SOURCE]"
	run fc-load --version
	assert_output --regexp '^fc-load \(fc\) [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "fc-load rejects an unknown option with a hint" {
	run_sep fc-load --bogus
	assert_equal "$status" 64
	assert_equal "${stderr##*$'\n'}" "Try 'fc-load --help' for more information."
}

@test "fc-load reports a mistyped config key with file and line" {
	printf 'load:\n  max_erors: 3\n' > config.yaml
	run_sep fc-load good.csv
	assert_equal "$status" 78
	[[ "$stderr" == "fc-load: config.yaml:2: unknown key 'load.max_erors'"* ]]
}
