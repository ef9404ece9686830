#!/usr/bin/env bats
# fc-load's sources besides files: SQLite, PostgreSQL and HTTP, against
# real servers started here (tests/test_helper/pg.bash, httpd.py). A server
# that cannot start fails its tests; nothing is skipped.

TOKEN=tok-5e0b1c7a9d

setup_file() {
	load '../test_helper/pg'
	local d=$BATS_FILE_TMPDIR
	export TOKEN
	# HTTP and HTTPS on free ports; the expected token reaches the server
	# through its environment
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
		-addext subjectAltName=IP:127.0.0.1 -keyout "$d/key.pem" \
		-out "$d/cert.pem" >/dev/null 2>&1
	FC_TEST_TOKEN=$TOKEN "$BATS_TEST_DIRNAME/../test_helper/httpd.py" \
		"$d/http.port" >"$d/http.log" 2>&1 3>&- &
	HTTP_PID=$!
	FC_TEST_TOKEN=$TOKEN "$BATS_TEST_DIRNAME/../test_helper/httpd.py" \
		"$d/https.port" "$d/cert.pem" "$d/key.pem" >"$d/https.log" 2>&1 3>&- &
	HTTPS_PID=$!
	export HTTP_PID HTTPS_PID
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
	local i
	for i in $(seq 50); do
		[ -s "$d/http.port" ] && [ -s "$d/https.port" ] && break
		sleep 0.1
	done
	HTTP_URL=http://127.0.0.1:$(cat "$d/http.port")
	HTTPS_URL=https://127.0.0.1:$(cat "$d/https.port")
	export HTTP_URL HTTPS_URL
}

teardown_file() {
	load '../test_helper/pg'
	kill "$HTTP_PID" "$HTTPS_PID" 2>/dev/null || true
	pg_stop
}

setup() {
	load '../test_helper/common-setup'
	_common_setup
	unset PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGPASSWORD PGPASSFILE \
		PGSERVICE PGOPTIONS FC_HTTP_TOKEN CURL_CA_BUNDLE \
		http_proxy https_proxy all_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY
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

# Succeed when none of FILES holds TEXT (a secret, usually), which goes
# to grep in a file, never on its command line. Usage: absent TEXT FILE...
absent() {
	printf '%s\n' "$1" > "$BATS_TEST_TMPDIR/.secret"
	shift
	! grep -qFf "$BATS_TEST_TMPDIR/.secret" "$@"
}

# A port nothing listens on.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
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
	absent "$PG_PASSWORD" raw.csv.meta.json
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
	# /proc shows the environment fc-load started with; that lib/dotenv
	# never calls setenv is checked by tests/unit/c/dotenv_test.c
	need_pg
	pg_dotenv
	rm config.yaml
	export -n PG_PASSWORD # the test's own copy: fc-load must not inherit it
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
	absent "$PG_PASSWORD" cmdline environ
	absent PGPASSWORD environ
	[ "$(head -n 1 out.csv)" = x ]
}

# ---- HTTP ----

@test "fc-load writes an HTTP CSV body byte for byte, with a sidecar" {
	rm config.yaml
	run_sep fc-load -o raw.csv "$HTTP_URL/good.csv"
	assert_success
	assert_equal "$stderr" ""
	printf '\xef\xbb\xbfunique_id,ds,y\r\nA,2024-01-01,1\r\nA,2024-02-01,2.5\r\n' > want.csv
	cmp want.csv raw.csv
	sum=$(sha256sum raw.csv | cut -d' ' -f1)
	grep -q "\"sha256\":	\"$sum\"" raw.csv.meta.json
	grep -q "\"source\":	\"$HTTP_URL/good.csv\"" raw.csv.meta.json
	grep -q '"source_kind":	"http"' raw.csv.meta.json
	grep -q '"rows":	2' raw.csv.meta.json
	absent '"query"' raw.csv.meta.json
	fc-load "$HTTP_URL/plain.csv" | cmp - want.csv
	fc-load "$HTTP_URL/moved.csv" | cmp - want.csv
}

@test "fc-load exits 65 on HTTP 404" {
	run_sep fc-load "$HTTP_URL/missing.csv"
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-load: $HTTP_URL/missing.csv: HTTP 404 Not Found"
	assert_equal "$output" ""
}

@test "fc-load exits 77 on HTTP 401 and 403" {
	run_sep fc-load "$HTTP_URL/private.csv"
	assert_equal "$status" 77
	assert_equal "$stderr" "fc-load: $HTTP_URL/private.csv: HTTP 401 Unauthorized: set FC_HTTP_TOKEN in the environment or .env"
	FC_HTTP_TOKEN=not-it run_sep fc-load "$HTTP_URL/private.csv"
	assert_equal "$status" 77
	assert_equal "$stderr" "fc-load: $HTTP_URL/private.csv: HTTP 401 Unauthorized: the server refused FC_HTTP_TOKEN"
	run_sep fc-load "$HTTP_URL/forbidden.csv"
	assert_equal "$status" 77
}

@test "fc-load sends FC_HTTP_TOKEN from .env as a bearer token and shows it nowhere" {
	rm config.yaml
	printf 'FC_HTTP_TOKEN=%s\n' "$TOKEN" > .env
	run_sep fc-load -o raw.csv "$HTTP_URL/private.csv"
	assert_success
	assert_equal "$stderr" ""
	[ "$(sed -n 2p raw.csv)" = $'A,2024-01-01,1\r' ]
	absent "$TOKEN" raw.csv.meta.json
	# a refusal shows no token either
	printf 'FC_HTTP_TOKEN=%s-x\n' "$TOKEN" > .env
	run_sep fc-load "$HTTP_URL/private.csv"
	assert_equal "$status" 77
	[[ "$stderr" != *"$TOKEN"* ]]
}

@test "fc-load sends no token to another host a redirect leads to" {
	printf 'FC_HTTP_TOKEN=%s\n' "$TOKEN" > .env
	run_sep fc-load "$HTTP_URL/away.csv"
	assert_equal "$status" 77
	assert_equal "$stderr" "fc-load: $HTTP_URL/away.csv: HTTP 401 Unauthorized: the server refused FC_HTTP_TOKEN"
}

@test "fc-load keeps a .env token off its command line and out of its environment" {
	# /proc shows the environment fc-load started with; that lib/dotenv
	# never calls setenv is checked by tests/unit/c/dotenv_test.c
	printf 'FC_HTTP_TOKEN=%s\n' "$TOKEN" > .env
	export -n TOKEN # the test's own copy: fc-load must not inherit it
	fc-load -s load.timeout=2 -s load.retries=0 "$HTTP_URL/slow.csv" 2> err &
	local pid=$!
	sleep 0.5
	tr '\0' '\n' < "/proc/$pid/cmdline" > cmdline
	tr '\0' '\n' < "/proc/$pid/environ" > environ
	local st=0
	wait "$pid" || st=$?
	assert_equal "$st" 75
	grep -q slow.csv cmdline
	absent "$TOKEN" cmdline environ err
	absent FC_HTTP_TOKEN environ
}

@test "fc-load retries HTTP 503 after the server's Retry-After, then succeeds" {
	rm config.yaml
	run_sep fc-load "$HTTP_URL/flaky.csv?$BATS_TEST_NUMBER"
	assert_success
	assert_equal "$stderr" "fc-load: $HTTP_URL/flaky.csv?$BATS_TEST_NUMBER: HTTP 503 Service Unavailable: retry 1 of 3 in 1 s"
	printf '\xef\xbb\xbfunique_id,ds,y\r\nA,2024-01-01,1\r\nA,2024-02-01,2.5\r\n' > want.csv
	fc-load "$HTTP_URL/good.csv" | cmp - want.csv
}

@test "fc-load exits 75 when HTTP 503 outlasts load.retries, waiting longer each time" {
	run_sep fc-load -s load.retries=2 "$HTTP_URL/down.csv"
	assert_equal "$status" 75
	assert_equal "$stderr" "fc-load: $HTTP_URL/down.csv: HTTP 503 Service Unavailable: retry 1 of 2 in 1 s
fc-load: $HTTP_URL/down.csv: HTTP 503 Service Unavailable: retry 2 of 2 in 2 s
fc-load: $HTTP_URL/down.csv: HTTP 503 Service Unavailable (3 attempts)"
}

@test "fc-load exits 75 when an HTTP server stays silent for load.timeout" {
	run_sep fc-load -s load.timeout=1 -s load.retries=0 "$HTTP_URL/slow.csv"
	assert_equal "$status" 75
	assert_equal "$stderr" "fc-load: $HTTP_URL/slow.csv: timed out: no answer for 1 s (load.timeout)"
}

@test "fc-load exits 75 when the connection is refused" {
	local url="http://127.0.0.1:$(free_port)/x.csv"
	run_sep fc-load -s load.retries=0 "$url"
	assert_equal "$status" 75
	[[ "$stderr" == "fc-load: $url: cannot connect: failed to connect to 127.0.0.1 port "* ]]
}

@test "fc-load exits 65 on an HTTP body that is not CSV" {
	run_sep fc-load "$HTTP_URL/page.html"
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-load: $HTTP_URL/page.html: not CSV: the server sent text/html"
	run_sep fc-load "$HTTP_URL/sniff.csv"
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-load: $HTTP_URL/sniff.csv: not CSV: the body starts with '<', as HTML and XML do"
}

@test "fc-load checks an HTTP body against the contract, naming the URL, line and column" {
	run_sep fc-load -o raw.csv "$HTTP_URL/bad.csv"
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-load: $HTTP_URL/bad.csv:3: column 'y': invalid number 'x'
fc-load: $HTTP_URL/bad.csv: 1 bad value: nothing written"
	[ ! -e raw.csv ]
}

@test "fc-load refuses credentials in an HTTP URL and redacts secret parameters" {
	local hostport=${HTTP_URL#http://}
	run_sep fc-load "http://me:hunter2-pw@$hostport/good.csv"
	assert_equal "$status" 64
	assert_equal "$stderr" "fc-load: $HTTP_URL/good.csv: credentials in the URL are refused: set FC_HTTP_TOKEN in the environment or .env"
	rm config.yaml
	run_sep fc-load -o raw.csv "$HTTP_URL/good.csv?api_key=k3y-v4lue&day=1"
	assert_success
	grep -q "\"source\":	\"$HTTP_URL/good.csv?api_key=REDACTED&day=1\"" raw.csv.meta.json
	absent k3y-v4lue raw.csv.meta.json
	run_sep fc-load "$HTTP_URL/missing.csv?token=k3y-v4lue"
	assert_equal "$stderr" "fc-load: $HTTP_URL/missing.csv?token=REDACTED: HTTP 404 Not Found"
}

@test "fc-load refuses an https server whose certificate does not verify" {
	run_sep fc-load "$HTTPS_URL/good.csv"
	assert_equal "$status" 77
	assert_equal "$stderr" "fc-load: $HTTPS_URL/good.csv: certificate refused: SSL certificate problem: self-signed certificate"
	# the same server, its certificate trusted: TLS itself works
	rm config.yaml
	CURL_CA_BUNDLE=$BATS_FILE_TMPDIR/cert.pem run_sep fc-load "$HTTPS_URL/good.csv"
	assert_success
	assert_equal "${lines[1]}" $'A,2024-01-01,1\r'
}

@test "fc-load reports a malformed .env by file and line, without its text" {
	printf 'FC_HTTP_TOKEN=%s\nsecret-line-without-equals\n' "$TOKEN" > .env
	run_sep fc-load "$HTTP_URL/good.csv"
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-load: .env:2: expected KEY=VALUE (a quote may be unterminated)"
}
