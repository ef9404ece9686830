#!/usr/bin/env bats
# fc-load's sources besides files: SQLite databases the tests build with
# sqlite3.

setup() {
	load '../test_helper/common-setup'
	_common_setup
	cat > config.yaml <<-'YAML'
	load:
	  columns: {unique_id: string, ds: date, y: number}
	YAML
}

# ---- SQLite ----

make_sqlite() {
	sqlite3 t.db <<-'SQL'
	CREATE TABLE sales (unique_id TEXT, ds TEXT, y REAL, note TEXT);
	INSERT INTO sales VALUES
	  ('A', '2024-01-01', 1, 'plain'),
	  ('A', '2024-02-01', 2.5, 'has, comma'),
	  ('A', '2024-03-01', NULL, 'two
	lines "q"'),
	  ('B', '2024-01-01', 3, ' padded ');
	CREATE TABLE one (v TEXT);
	INSERT INTO one VALUES ('a'), (NULL), ('');
	SQL
}

@test "fc-load snapshots a SQLite table as CSV: NULL empty, commas, newlines and quotes quoted" {
	make_sqlite
	run_sep fc-load -o raw.csv 'sqlite:t.db?table=sales'
	assert_success
	assert_equal "$stderr" ""
	printf '%s\n' 'unique_id,ds,y,note' 'A,2024-01-01,1.0,plain' \
		'A,2024-02-01,2.5,"has, comma"' 'A,2024-03-01,,"two' \
		'lines ""q"""' 'B,2024-01-01,3.0," padded "' > want.csv
	cmp want.csv raw.csv
	sum=$(sha256sum raw.csv | cut -d' ' -f1)
	grep -q "\"sha256\":	\"$sum\"" raw.csv.meta.json
	grep -q '"source":	"sqlite:t.db?table=sales"' raw.csv.meta.json
	grep -q '"source_kind":	"sqlite"' raw.csv.meta.json
	grep -q '"query":	"SELECT \* FROM \\"sales\\""' raw.csv.meta.json
	grep -q '"rows":	4' raw.csv.meta.json
}

@test "fc-load runs a URL-encoded SQLite query: %20, + and %27" {
	make_sqlite
	rm config.yaml
	run_sep fc-load 'sqlite:t.db?query=SELECT%20ds,y+FROM+sales+WHERE+unique_id%3D%27A%27+AND+y+IS+NOT+NULL'
	assert_success
	assert_equal "$output" "ds,y
2024-01-01,1.0
2024-02-01,2.5"
	fc-load -o raw.csv 'sqlite:t.db?query=SELECT+ds+FROM+sales+WHERE+y%3E2'
	grep -q '"query":	"SELECT ds FROM sales WHERE y>2"' raw.csv.meta.json
}

@test "fc-load keeps the empty values of a one-column SQLite result as rows" {
	make_sqlite
	rm config.yaml
	run_sep fc-load 'sqlite:t.db?table=one'
	assert_success
	assert_equal "$output" 'v
a
""
""'
}

@test "fc-load checks a SQLite result against the contract, naming line and column" {
	make_sqlite
	sqlite3 t.db "INSERT INTO sales VALUES ('C', '2024-01-01', 'abc', NULL)"
	run_sep fc-load -o raw.csv 'sqlite:t.db?table=sales'
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-load: sqlite:t.db?table=sales:7: column 'y': invalid number 'abc'
fc-load: sqlite:t.db?table=sales: 1 bad value: nothing written"
	[ ! -e raw.csv ]
}

@test "fc-load exits 65 on a bad SQLite query, with SQLite's message" {
	make_sqlite
	run_sep fc-load 'sqlite:t.db?query=SELEC+1'
	assert_equal "$status" 65
	assert_equal "$stderr" 'fc-load: sqlite:t.db?query=SELEC+1: bad query: near "SELEC": syntax error'
	run_sep fc-load 'sqlite:t.db?table=nope'
	assert_equal "$status" 65
	assert_equal "$stderr" 'fc-load: sqlite:t.db?table=nope: bad query: no such table: nope'
}

@test "fc-load refuses a SQLite query that writes, or two statements" {
	make_sqlite
	run_sep fc-load 'sqlite:t.db?query=DELETE+FROM+sales'
	assert_equal "$status" 65
	assert_equal "$stderr" 'fc-load: sqlite:t.db?query=DELETE+FROM+sales: bad query: it would write to the database'
	run_sep fc-load 'sqlite:t.db?query=SELECT+1;SELECT+2'
	assert_equal "$status" 65
	[ "$(sqlite3 t.db 'SELECT count(*) FROM sales')" = 4 ]
}

@test "fc-load exits 66 on a missing SQLite database and does not create it" {
	run_sep fc-load 'sqlite:nope.db?table=t'
	assert_equal "$status" 66
	assert_equal "$stderr" "fc-load: sqlite:nope.db?table=t: cannot open: No such file or directory"
	[ ! -e nope.db ]
	echo 'not a database' > text.db
	run_sep fc-load 'sqlite:text.db?table=t'
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-load: sqlite:text.db?table=t: not a SQLite database"
}

@test "fc-load needs query= or table= for SQLite, and knows no other parameter" {
	make_sqlite
	run_sep fc-load 'sqlite:t.db'
	assert_equal "$status" 64
	assert_equal "$stderr" "fc-load: sqlite:t.db: no query: add ?query=SQL or ?table=NAME"
	run_sep fc-load 'sqlite:t.db?table=sales&query=SELECT+1'
	assert_equal "$status" 64
	assert_equal "$stderr" "fc-load: sqlite:t.db?table=sales&query=SELECT+1: give query= or table=, not both"
	run_sep fc-load 'sqlite:t.db?tabel=sales'
	assert_equal "$status" 64
	assert_equal "$stderr" "fc-load: sqlite:t.db?tabel=sales: unknown parameter 'tabel': sqlite: takes query or table"
	run_sep fc-load 'sqlite:t.db?query=SELECT%zz'
	assert_equal "$status" 64
	assert_equal "$stderr" "fc-load: sqlite:t.db?query=SELECT%zz: bad percent escape in parameter 'query'"
}

@test "fc-load reads a SQLite source named by load.source, with load.delimiter" {
	make_sqlite
	printf 'load:\n  source: "sqlite:t.db?query=SELECT unique_id, ds FROM sales WHERE y < 2"\n  delimiter: ";"\n' > config.yaml
	run_sep fc-load
	assert_success
	assert_equal "$output" "unique_id;ds
A;2024-01-01"
}
