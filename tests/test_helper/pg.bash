# pg - a throwaway PostgreSQL server for the postgresql:// tests: a fresh
# cluster in a temporary folder, listening on a Unix socket only, with a
# user "fc" who logs in by password (scram-sha-256). As root the server
# runs as the postgres user. Failing to start is an error, never a skip.
#
# pg_start sets PG_DIR (the cluster and the socket), PG_SOCK (the socket
# folder) and PG_PASSWORD; pg_sql runs SQL from stdin as the superuser;
# pg_stop stops the server and removes everything.

PG_PASSWORD=fc-test-pw-61d3e9
: "${PG_BIN:=}" "${PG_DIR:=}"

# Run a command as the server's owner, from the cluster folder.
pg_as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		(cd "$PG_DIR" && runuser -u postgres -- "$@")
	else
		(cd "$PG_DIR" && "$@")
	fi
}

pg_start() {
	local b owner
	for b in /usr/lib/postgresql/*/bin; do
		[ -x "$b/initdb" ] && PG_BIN=$b
	done
	[ -n "$PG_BIN" ] || { echo "pg_start: no initdb under /usr/lib/postgresql (install postgresql)" >&2; return 1; }
	PG_DIR=$(mktemp -d /tmp/fc-pg.XXXXXX)
	PG_SOCK=$PG_DIR/sock
	mkdir "$PG_SOCK"
	owner=$(id -un)
	if [ "$(id -u)" -eq 0 ]; then
		owner=postgres
		chown -R postgres: "$PG_DIR"
	fi
	chmod 755 "$PG_DIR" "$PG_SOCK"
	export PG_DIR PG_SOCK PG_BIN PG_OWNER=$owner
	pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$owner" \
		--auth-local=peer --auth-host=reject -E UTF8 --locale=C \
		--no-sync >"$PG_DIR/initdb.log" 2>&1 ||
		{ cat "$PG_DIR/initdb.log" >&2; return 1; }
	# the fc user logs in by password; the owner by peer, for set-up
	printf '%s\n' \
		'local all fc scram-sha-256' \
		"local all $owner peer" \
		'local all all scram-sha-256' > "$PG_DIR/data/pg_hba.conf"
	pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" \
		-o "-c listen_addresses='' -k $PG_SOCK -c fsync=off" -w -t 30 \
		start >/dev/null 3>&- ||
		{ cat "$PG_DIR/server.log" >&2; return 1; }
	# the password goes through stdin, never a command line
	pg_sql postgres <<-SQL
	CREATE ROLE fc LOGIN PASSWORD '$PG_PASSWORD';
	CREATE ROLE nobody LOGIN PASSWORD 'other-pw-7a1c';
	CREATE DATABASE fcdb OWNER fc;
	SQL
}

# Run SQL from stdin in database $1 as the superuser; stops at an error.
pg_sql() {
	pg_as_owner "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCK" \
		-U "$PG_OWNER" -d "$1" >/dev/null
}

pg_stop() {
	[ -n "$PG_DIR" ] || return 0
	if [ -f "$PG_DIR/data/postmaster.pid" ]; then
		pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w \
			stop >/dev/null || return 1
	fi
	rm -rf "$PG_DIR"
}
