#!/usr/bin/env bats
# fc-load's sources besides files: SQLite, and PostgreSQL against a real
# server started here (tests/test_helper/pg.bash). A server that cannot
# start fails its tests; nothing is skipped.

setup_file() {
	load '../test_helper/pg'
	local d=$BATS_FILE_TMPDIR
	if pg_start >"$d/pg.log" 2>&1 && pg_sql fcdb >>"$d/pg.log" 2>&1 <<-'SQL'
	CREATE TABLE sales (unique_id text, ds date, y numeric, note text);
	INSERT INTO sales VALUES
	  ('A', '2024-01-01', 1, 'plain'),
	  ('A', '2024-02-01', 2.50, 'has, comma'),
	  ('A', '2024-03-01', NULL, E'two\nlines "q"');
	CREATE TABLE bad (unique_id text, ds text, y text);
	INSERT INTO bad VALUES ('A', '2024-01-01', '1'), ('A', '2024-02-01', 'abc');
	CREATE TABLE secret (x int);
	GRANT SELECT ON sales, bad TO fc;
	SQL
	then
		export PG_OK=1
	fi
	export PG_DIR PG_SOCK PG_BIN PG_OWNER PG_PASSWORD
}

teardown_file() {
	load '../test_helper/pg'
	pg_stop
}

setup() {
	load '../test_helper/common-setup'
	_common_setup
	unset PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGPASSWORD PGPASSFILE \
		PGSERVICE PGOPTIONS
	cat > config.yaml <<-'YAML'
	load:
	  columns: {unique_id: string, ds: date, y: number}
	YAML
}

# Fail, never skip, when the server did not start.
need_pg() {
	[ -n "${PG_OK:-}" ] || { cat "$BATS_FILE_TMPDIR/pg.log"; return 1; }
}

# The credentials of the fc user in ./.env, as a user would keep them.
pg_dotenv() {
	printf '# fc-load credentials\nPGHOST=%s\nPGUSER=fc\nPGPASSWORD="%s"\n' \
		"$PG_SOCK" "$PG_PASSWORD" > .env
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

# ---- PostgreSQL ----

@test "fc-load snapshots a PostgreSQL query with credentials from .env, none in the sidecar" {
	need_pg
	pg_dotenv
	run_sep fc-load -o raw.csv 'postgresql:///fcdb?query=SELECT+*+FROM+sales+ORDER+BY+ds'
	assert_success
	assert_equal "$stderr" ""
	printf '%s\n' 'unique_id,ds,y,note' 'A,2024-01-01,1,plain' \
		'A,2024-02-01,2.50,"has, comma"' 'A,2024-03-01,,"two' \
		'lines ""q"""' > want.csv
	cmp want.csv raw.csv
	grep -q '"source":	"postgresql:///fcdb?query=SELECT+\*+FROM+sales+ORDER+BY+ds"' raw.csv.meta.json
	grep -q '"source_kind":	"postgresql"' raw.csv.meta.json
	grep -q '"query":	"SELECT \* FROM sales ORDER BY ds"' raw.csv.meta.json
	grep -q '"rows":	3' raw.csv.meta.json
	sum=$(sha256sum raw.csv | cut -d' ' -f1)
	grep -q "\"sha256\":	\"$sum\"" raw.csv.meta.json
	! grep -q "$PG_PASSWORD" raw.csv.meta.json
}

@test "fc-load takes a socket folder as host=, a table=, and postgres:// as well" {
	need_pg
	export PGUSER=fc PGPASSWORD=$PG_PASSWORD
	run_sep fc-load "postgresql:///fcdb?host=$PG_SOCK&table=sales"
	assert_success
	assert_equal "${lines[0]}" "unique_id,ds,y,note"
	run_sep fc-load "postgres://fc@%2F${PG_SOCK//\//%2F}/fcdb?table=public.sales"
	assert_success
	assert_equal "${lines[0]}" "unique_id,ds,y,note"
}

@test "fc-load takes credentials from the environment before .env" {
	need_pg
	printf 'PGHOST=%s\nPGUSER=fc\nPGPASSWORD=wrong-one\n' "$PG_SOCK" > .env
	run_sep fc-load 'postgresql:///fcdb?table=sales'
	assert_equal "$status" 77
	PGPASSWORD=$PG_PASSWORD run_sep fc-load 'postgresql:///fcdb?table=sales'
	assert_success
}

@test "fc-load exits 77 on a wrong PostgreSQL password and prints no password" {
	need_pg
	pg_dotenv
	PGPASSWORD=wrong-pw-0c2f run_sep fc-load 'postgresql:///fcdb?table=sales'
	assert_equal "$status" 77
	assert_equal "$stderr" "fc-load: postgresql:///fcdb?table=sales: credentials refused: connection to server on socket \"$PG_SOCK/.s.PGSQL.5432\" failed: FATAL:  password authentication failed for user \"fc\""
	[[ "$stderr" != *wrong-pw-0c2f* ]]
	[[ "$stderr" != *"$PG_PASSWORD"* ]]
}

@test "fc-load exits 77 without a PostgreSQL password, saying where to put one" {
	need_pg
	PGUSER=fc run_sep fc-load "postgresql:///fcdb?host=$PG_SOCK&table=sales"
	assert_equal "$status" 77
	assert_equal "$stderr" "fc-load: postgresql:///fcdb?host=$PG_SOCK&table=sales: credentials refused: no password: set PGPASSWORD in the environment or .env"
}

@test "fc-load refuses a password in a PostgreSQL URL and never shows it" {
	run_sep fc-load 'postgresql://fc:hunter2-pw@localhost/fcdb?table=sales'
	assert_equal "$status" 64
	assert_equal "$stderr" "fc-load: postgresql://localhost/fcdb?table=sales: credentials in the URL are refused: set PGPASSWORD in the environment or .env"
	run_sep fc-load 'postgresql://localhost/fcdb?table=sales&password=hunter2-pw'
	assert_equal "$status" 64
	[[ "$stderr" != *hunter2* ]]
}

@test "fc-load exits 77 when PostgreSQL refuses a table to the user" {
	need_pg
	pg_dotenv
	run_sep fc-load 'postgresql:///fcdb?table=secret'
	assert_equal "$status" 77
	assert_equal "$stderr" "fc-load: postgresql:///fcdb?table=secret: query refused: permission denied for table secret"
}

@test "fc-load exits 65 on a bad PostgreSQL query, a write, or two statements" {
	need_pg
	pg_dotenv
	run_sep fc-load 'postgresql:///fcdb?query=SELEC+1'
	assert_equal "$status" 65
	assert_equal "$stderr" 'fc-load: postgresql:///fcdb?query=SELEC+1: bad query: syntax error at or near "SELEC"'
	run_sep fc-load 'postgresql:///fcdb?query=DELETE+FROM+sales'
	assert_equal "$status" 65
	assert_equal "$stderr" 'fc-load: postgresql:///fcdb?query=DELETE+FROM+sales: bad query: cannot execute DELETE in a read-only transaction'
	run_sep fc-load 'postgresql:///fcdb?query=SELECT+1;SELECT+2'
	assert_equal "$status" 65
}

@test "fc-load checks a PostgreSQL result against the contract, naming line and column" {
	need_pg
	pg_dotenv
	run_sep fc-load 'postgresql:///fcdb?table=bad'
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-load: postgresql:///fcdb?table=bad:3: column 'y': invalid number 'abc'
fc-load: postgresql:///fcdb?table=bad: 1 bad value: nothing written"
}

@test "fc-load exits 66 on a PostgreSQL database that does not exist" {
	need_pg
	pg_dotenv
	run_sep fc-load 'postgresql:///nodb?table=sales'
	assert_equal "$status" 66
	assert_equal "$stderr" "fc-load: postgresql:///nodb?table=sales: connection to server on socket \"$PG_SOCK/.s.PGSQL.5432\" failed: FATAL:  database \"nodb\" does not exist"
}

@test "fc-load retries an unreachable PostgreSQL server, then exits 75" {
	pg_dotenv
	run_sep fc-load -s load.retries=1 "postgresql:///fcdb?host=$BATS_TEST_TMPDIR&table=sales"
	assert_equal "$status" 75
	local why="connection to server on socket \"$BATS_TEST_TMPDIR/.s.PGSQL.5432\" failed: No such file or directory"
	assert_equal "$stderr" "fc-load: postgresql:///fcdb?host=$BATS_TEST_TMPDIR&table=sales: $why: retry 1 of 1 in 1 s
fc-load: postgresql:///fcdb?host=$BATS_TEST_TMPDIR&table=sales: cannot connect (2 attempts): $why"
}

@test "fc-load keeps a .env password off its command line and out of its environment" {
	need_pg
	pg_dotenv
	rm config.yaml
	fc-load 'postgresql:///fcdb?query=SELECT+pg_sleep(1.5)::text+AS+x' > out.csv &
	local pid=$! i
	for i in $(seq 20); do
		grep -q fcdb "/proc/$pid/cmdline" 2>/dev/null && break
		sleep 0.05
	done
	sleep 0.3
	tr '\0' '\n' < "/proc/$pid/cmdline" > cmdline
	tr '\0' '\n' < "/proc/$pid/environ" > environ
	wait "$pid"
	grep -q fcdb cmdline
	! grep -q "$PG_PASSWORD" cmdline environ
	! grep -q PGPASSWORD environ
	[ "$(head -n 1 out.csv)" = x ]
}
