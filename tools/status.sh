#!/usr/bin/env bash
# status.sh - say, layer by layer, whether the pipeline is up to date and
# why not. Called by `make status` (pipeline.mk) with one argument per
# layer, in DAG order:
#   NAME|TARGET|PROGRAM|BLOCKS|INPUTS|UPSTREAM
# BLOCKS and INPUTS are space-separated; UPSTREAM names the layer this one
# reads (empty for the first). Block stamps are STAMPS/NAME/BLOCK.yaml:
# the canonical text of the block when the layer was last built.
set -eu

config=$1 stamps=$2 fcconfig=$3
shift 3

# Flatten canonical block YAML (two-space indents, "key: value" leaves)
# into "dotted.key<TAB>value" lines.
flatten() {
	awk '{
		match($0, /^ */); depth = RLENGTH / 2
		line = substr($0, RLENGTH + 1)
		i = index(line, ":"); key = substr(line, 1, i - 1)
		val = substr(line, i + 1); sub(/^ /, "", val)
		path[depth] = key; p = path[0]
		for (d = 1; d <= depth; d++) p = p "." path[d]
		if (val != "") printf "%s\t%s\n", p, val
	}'
}

# What changed between two canonical texts of a block, one reason a line.
block_diff() {
	old=$(mktemp) new=$(mktemp)
	flatten < "$1" | sort > "$old"
	printf '%s\n' "$2" | flatten | sort > "$new"
	join -t '	' -a 1 -a 2 -e '(none)' -o 0,1.2,2.2 "$old" "$new" |
		awk -F '\t' '$2 != $3 { printf "%s changed (%s -> %s)\n", $1, $2, $3 }'
	rm -f "$old" "$new"
}

stale_layers=" "
for spec in "$@"; do
	IFS='|' read -r name target program blocks inputs upstream <<-EOF
	$spec
	EOF
	reasons=""
	add() { reasons="${reasons:+$reasons; }$1"; }
	if [ ! -e "$target" ]; then
		add "not built yet"
	else
		case "$stale_layers" in *" $upstream "*) add "$upstream is stale" ;; esac
		for f in $inputs; do
			if [ ! -e "$f" ]; then add "$f is missing"
			elif [ "$f" -nt "$target" ]; then add "$f changed"; fi
		done
		if [ "$program" -nt "$target" ]; then add "$program changed"; fi
		for b in $blocks; do
			stamp="$stamps/$name/$b.yaml"
			now=$("$fcconfig" -c "$config" show "$b")
			if [ ! -e "$stamp" ]; then
				add "block '$b' not stamped yet"
			elif [ "$now" != "$(cat "$stamp")" ]; then
				while IFS= read -r r; do add "$r"; done <<-EOF
				$(block_diff "$stamp" "$now")
				EOF
			fi
		done
	fi
	if [ -n "$reasons" ]; then
		echo "$name: stale: $reasons"
		stale_layers="$stale_layers$name "
	else
		echo "$name: up to date"
	fi
done
