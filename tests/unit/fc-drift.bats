#!/usr/bin/env bats
# fc-drift: drift tests against scipy's values, PSI, accuracy against
# cross-validation, exit statuses, the split, bad input.

bats_require_minimum_version 1.5.0

setup() {
	load '../test_helper/common-setup'
	_common_setup
	FX="$FIXTURES/fc-drift"
	gen() { awk -v seed="$1" -v n="$2" -v shift="$3" -f "$FX/gen.awk"; }
	# the cases of reference.py
	gen 1 300 0 > ref.csv
	gen 2 400 0 > same.csv
	gen 3 120 1 > shift.csv
}

# |$1 - $2| <= $3
near() {
	awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }' ||
		{ echo "$1 is not within $3 of $2"; return 1; }
}

# scipy's value of CASE COLUMN WHAT
scipy() {
	awk -F '\t' -v c="$1" -v k="$2" -v w="$3" \
		'$1 == c && $2 == k && $3 == w { print $4 }' "$FX/scipy.tsv"
}

# A column's field of a report: col REPORT NAME JQ-PATH
col() {
	jq -r --arg n "$2" ".columns[] | select(.name == \$n) | $3" "$1"
}

@test "--help starts with the synopsis; --version" {
	run_sep fc-drift --help
	assert_success
	assert_equal "${lines[0]}" "usage: fc-drift [-c FILE] [-s KEY=VALUE]... -r REFERENCE [-f FORECAST] [-m MODEL] [-F LEVEL] [-o FILE] [CURRENT]"
	run_sep fc-drift --version
	assert_success
	assert_output "fc-drift (fc) 0.1.0"
}

@test "--help lists every option of the man page" {
	local opt
	for opt in $(sed -n 's/^\.It Fl \([a-zA-Z]\).*/\1/p' "$FC_ROOT/man/man1/fc-drift.1"); do
		fc-drift --help | grep -q -- "-$opt, " || { echo "-$opt not in --help"; return 1; }
	done
}

@test "a sample of the reference's distribution does not drift" {
	run_sep fc-drift -r ref.csv -o r.json same.csv
	assert_success
	assert_equal "$(jq -c '[.columns[] | .drift]' r.json)" "[false,false,false,false]"
	assert_equal "$(jq -c '[.columns[] | .test.name]' r.json)" '["ks","ks","chisquare","chisquare"]'
	assert_equal "$(jq -r '.dataset.drift' r.json)" false
	assert_equal "$(jq -r '.dataset.drifted' r.json)" 0
	assert_equal "$(jq -r '.target.name, .target.drift' r.json | paste -sd' ')" "y false"
	assert_equal "$(jq -r .status r.json)" ok
}

@test "a shifted sample drifts in every column, the dataset and the target" {
	run_sep fc-drift -r ref.csv -o r.json shift.csv
	assert_success
	assert_equal "$(jq -c '[.columns[] | .status]' r.json)" '["alert","alert","alert","alert"]'
	assert_equal "$(jq -c '.dataset | [.columns, .drifted, .share, .drift, .status]' r.json)" '[4,4,1,true,"alert"]'
	assert_equal "$(jq -r '.target.status' r.json)" alert
	assert_equal "$(jq -r .status r.json)" alert
	# the id and time columns are not tested
	assert_equal "$(jq -r '[.columns[].name] | join(" ")' r.json)" "y x color level"
}

@test "Kolmogorov-Smirnov statistics and p-values are scipy's ks_2samp" {
	local c k
	for c in same shift; do
		fc-drift -r ref.csv "$c.csv" > r.json
		for k in y x; do
			[ "$(col r.json "$k" .test.method)" = exact ]
			near "$(col r.json "$k" .test.statistic)" "$(scipy "$c" "$k" ks_statistic)" 1e-12
			near "$(col r.json "$k" .test.p_value)" "$(scipy "$c" "$k" ks_pvalue)" 1e-6
		done
	done
	# and to the last digits: 1.5000386917238134e-12
	near "$(col r.json y .test.p_value)" 1.5000386917238e-12 1e-24
}

@test "past 10000 current values the asymptotic KS p-values are scipy's" {
	local c k
	gen 4 12000 0 > big.csv
	gen 5 12000 0.25 > bigshift.csv
	for c in big bigshift; do
		fc-drift -r ref.csv "$c.csv" > r.json
		for k in y x; do
			[ "$(col r.json "$k" .test.method)" = asymptotic ]
			near "$(col r.json "$k" .test.statistic)" "$(scipy "$c" "$k" ks_statistic)" 1e-12
			near "$(col r.json "$k" .test.p_value)" "$(scipy "$c" "$k" ks_pvalue)" 1e-6
		done
	done
	# the exact Smirnov tail: 0.00011194246819114291
	near "$(col r.json x .test.p_value)" 0.000111942468191143 1e-15
}

@test "past monitor.ks_max_rows the normed Wasserstein distance is scipy's" {
	local c k
	for c in same shift; do
		fc-drift -s monitor.ks_max_rows=299 -r ref.csv "$c.csv" > r.json
		for k in y x; do
			[ "$(col r.json "$k" .test.name)" = wasserstein ]
			near "$(col r.json "$k" .test.distance)" "$(scipy "$c" "$k" wasserstein)" 1e-9
			near "$(col r.json "$k" .test.statistic)" "$(scipy "$c" "$k" wasserstein_normed)" 1e-9
		done
	done
	# 0.053 and 0.088 under the threshold 0.1, 1.01 and 0.93 over it
	fc-drift -s monitor.ks_max_rows=299 -r ref.csv same.csv > r.json
	assert_equal "$(jq -c '[.columns[0:2][] | .drift]' r.json)" "[false,false]"
	fc-drift -s monitor.ks_max_rows=299 -r ref.csv shift.csv > r.json
	assert_equal "$(jq -c '[.columns[0:2][] | .drift]' r.json)" "[true,true]"
}

@test "the chi-square test of a categorical column is scipy's chisquare" {
	local c k
	for c in same shift; do
		fc-drift -r ref.csv "$c.csv" > r.json
		for k in color level; do
			near "$(col r.json "$k" .test.statistic)" "$(scipy "$c" "$k" chi_statistic)" 1e-9
			near "$(col r.json "$k" .test.p_value)" "$(scipy "$c" "$k" chi_pvalue)" 1e-6
			[ "$(col r.json "$k" .test.df)" = 3 ]
		done
	done
	assert_equal "$(col r.json color .type)" categorical
	assert_equal "$(col r.json color '.psi.categories | join(" ")')" "a b c d"
}

@test "a numeric column of at most monitor.categorical_max_unique values is categorical" {
	fc-drift -r ref.csv same.csv > r.json
	assert_equal "$(col r.json level .type)" "categorical (numeric)"
	assert_equal "$(col r.json level .unique_values)" 4
	fc-drift -s monitor.categorical_max_unique=3 -r ref.csv same.csv > r.json
	assert_equal "$(col r.json level .type)" numeric
	assert_equal "$(col r.json level .test.name)" ks
}

@test "a category the reference never had gives an infinite statistic and p 0" {
	printf 'c\na\nb\na\nb\n' > r.csv
	printf 'c\na\nz\n' > c.csv
	fc-drift -r r.csv c.csv > r.json
	assert_equal "$(col r.json c '[.test.statistic, .test.p_value, .drift] | tostring')" "[null,0,true]"
}

@test "the PSI of quantile bins is the hand-computed sum" {
	seq 1 10 | sed '1i v' > r.csv
	printf 'v\n1\n2\n3\n8\n9\n10\n11\n12\n' > c.csv
	# two bins cut at the median 5.5: reference 5 and 5, current 3 and 5:
	# (3/8 - 1/2) ln((3/8) / (1/2)) + (5/8 - 1/2) ln((5/8) / (1/2))
	fc-drift -s monitor.psi_bins=2 -r r.csv c.csv > r.json
	assert_equal "$(col r.json v '.psi.edges | tostring')" "[5.5]"
	assert_equal "$(col r.json v '.psi.current_counts | tostring')" "[3,5]"
	near "$(col r.json v .psi.value)" \
		"$(awk 'BEGIN { printf "%.17g", -0.125 * log(0.75) + 0.125 * log(1.25) }')" 1e-12
	assert_equal "$(col r.json v .psi.level)" ok
	# an empty bin counts as a share of 0.0001
	printf 'v\n1\n2\n3\n' > c.csv
	fc-drift -s monitor.psi_bins=2 -r r.csv c.csv > r.json
	near "$(col r.json v .psi.value)" \
		"$(awk 'BEGIN { printf "%.17g", 0.5 * log(2) + (0.0001 - 0.5) * log(0.0002) }')" 1e-12
	assert_equal "$(col r.json v .psi.level)" alert
	# ten deciles by default, cut as numpy.quantile does
	fc-drift -r r.csv c.csv > r.json
	assert_equal "$(col r.json v '.psi.edges | tostring')" "[1.9,2.8,3.7,4.6,5.5,6.4,7.3,8.2,9.1]"
}

@test "PSI levels: warn and alert at monitor.psi_warn and psi_alert" {
	seq 1 10 | sed '1i v' > r.csv
	printf 'v\n1\n2\n3\n8\n9\n10\n11\n12\n' > c.csv
	fc-drift -s monitor.psi_bins=2 -s monitor.psi_warn=0.05 -r r.csv c.csv > r.json
	assert_equal "$(col r.json v .psi.level)" warn
	fc-drift -s monitor.psi_bins=2 -s monitor.psi_alert=0.06 -r r.csv c.csv > r.json
	assert_equal "$(col r.json v .psi.level)" alert
}

# Series A: a reference of 8 periods, 3 current actuals, a forecast of
# them with an 80% interval, and a model file whose cross-validation MAE
# and selection metric (mae) are 0.5.
accuracy_files() {
	printf 'unique_id,ds,y\n' > r.csv
	printf 'A,%d,%s\n' 1 10 2 12 3 11 4 13 5 12 6 14 7 13 8 15 >> r.csv
	printf 'unique_id,ds,y\nA,9,14\nA,10,16\nA,11,15\n' > c.csv
	cat > f.csv <<-'EOF'
	unique_id,ds,model,yhat,lo_80,hi_80
	A,9,naive,14,13,15
	A,10,naive,15,14,16
	A,11,naive,16,15.5,16.5
	A,12,naive,16,15,17
	EOF
	cat > m.json <<-'EOF'
	{"format": "fc-model", "format_version": 1,
	 "schema": {"id": "unique_id", "time": "ds", "target": "y",
	            "frequency": "", "season_length": 1},
	 "series": [{"id": "A", "season_length": 1, "model": {"model": "naive"},
	             "candidates": [{"model": "naive",
	                             "cv": {"metric": "mae", "mean": 0.5}}],
	             "cv_errors": [[0.5, 0.5], [0.5, 0.5]]}]}
	EOF
}

@test "accuracy: MAE, MAPE, MASE, bias and coverage of the matched forecasts" {
	accuracy_files
	fc-drift -s schema.season_length=1 -r r.csv -f f.csv c.csv > r.json
	assert_equal "$(jq -r '.accuracy.matched' r.json)" 3
	assert_equal "$(jq -r '.accuracy.series[0].id' r.json)" A
	# errors 0, 1, -1; naive in-sample MAE of the reference 11/7
	near "$(jq -r '.accuracy.series[0].mae' r.json)" "$(awk 'BEGIN { printf "%.17g", 2 / 3 }')" 1e-12
	near "$(jq -r '.accuracy.series[0].bias' r.json)" 0 1e-12
	near "$(jq -r '.accuracy.series[0].mape' r.json)" "$(awk 'BEGIN { printf "%.17g", 100 * (1 / 16 + 1 / 15) / 3 }')" 1e-12
	near "$(jq -r '.accuracy.series[0].mase' r.json)" "$(awk 'BEGIN { printf "%.17g", (2 / 3) / (11 / 7) }')" 1e-12
	near "$(jq -r '.accuracy.series[0].coverage["80"]' r.json)" "$(awk 'BEGIN { printf "%.17g", 2 / 3 }')" 1e-12
	assert_equal "$(jq -r '.accuracy.overall.points' r.json)" 3
	# a point without bounds is left out of the coverage
	sed -i 's/^A,11,naive,16,15.5,16.5$/A,11,naive,16,,/' f.csv
	fc-drift -s schema.season_length=1 -r r.csv -f f.csv c.csv > r2.json
	assert_equal "$(jq -r '.accuracy.series[0].coverage["80"]' r2.json)" 1
	# no model file: nothing to compare with
	assert_equal "$(jq -r '.accuracy.status' r.json)" ok
}

@test "accuracy worse than the model file's cross-validation by more than monitor.degradation is an alert" {
	accuracy_files
	run_sep fc-drift -s schema.season_length=1 -r r.csv -f f.csv -m m.json -o r.json c.csv
	assert_success
	# MAE 0.667 against 0.5: 33% worse, more than 10%
	near "$(jq -r '.accuracy.series[0].cv.mae.ratio' r.json)" "$(awk 'BEGIN { printf "%.17g", 4 / 3 }')" 1e-12
	assert_equal "$(jq -r '.accuracy.series[0].cv.metric' r.json)" mae
	assert_equal "$(jq -r '.accuracy.series[0].degraded, .accuracy.series[0].status' r.json | paste -sd' ')" "true alert"
	assert_equal "$(jq -r '.accuracy.overall.degraded, .accuracy.status, .status' r.json | paste -sd' ')" "true alert alert"
	# allowed 50% worse: not degraded
	fc-drift -s schema.season_length=1 -s monitor.degradation=0.5 -r r.csv -f f.csv -m m.json c.csv > r.json
	assert_equal "$(jq -r '.accuracy.series[0].degraded, .accuracy.status' r.json | paste -sd' ')" "false ok"
}

@test "a model file of another schema is refused" {
	accuracy_files
	run_sep fc-drift -r r.csv -f f.csv -m m.json c.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-drift: m.json: model trained with schema.season_length '1', config has '0'"
}

@test "--fail-on and monitor.fail_on set when the status exits 1" {
	run_sep fc-drift -r ref.csv -o r.json shift.csv
	assert_success
	run_sep fc-drift -F alert -r ref.csv -o r.json shift.csv
	assert_equal "$status" 1
	assert_equal "$stderr" ""
	# the report is written all the same
	assert_equal "$(jq -r '.status, .fail_on, .failed' r.json | paste -sd' ')" "alert alert true"
	run_sep fc-drift -F warn -r ref.csv shift.csv
	assert_equal "$status" 1
	run_sep fc-drift -s monitor.fail_on=alert -r ref.csv shift.csv
	assert_equal "$status" 1
	# the option wins over the key
	run_sep fc-drift -s monitor.fail_on=alert -F none -r ref.csv shift.csv
	assert_success
	run_sep fc-drift -F alert -r ref.csv same.csv
	assert_success
	# a warn-only report: PSI at warn, no test drifts
	seq 1 10 | sed '1i v' > r.csv
	printf 'v\n1\n2\n3\n8\n9\n10\n11\n12\n' > c.csv
	run_sep fc-drift -s monitor.psi_bins=2 -s monitor.psi_warn=0.05 -F alert -r r.csv c.csv
	assert_success
	run_sep fc-drift -s monitor.psi_bins=2 -s monitor.psi_warn=0.05 -F warn -r r.csv c.csv
	assert_equal "$status" 1
}

@test "a bad --fail-on level or no reference is a usage error" {
	run_sep fc-drift -F ok -r ref.csv same.csv
	assert_equal "$status" 64
	assert_equal "${stderr%%$'\n'*}" "fc-drift: invalid --fail-on 'ok': expected none, warn or alert"
	run_sep fc-drift same.csv
	assert_equal "$status" 64
	assert_equal "${stderr%%$'\n'*}" "fc-drift: missing reference file (-r REFERENCE)"
	run_sep fc-drift -s monitor.fail_on=sometimes -r ref.csv same.csv
	assert_equal "$status" 78
}

@test "a column of the reference missing from the current data is an error" {
	cut -d, -f1-4,6 same.csv > cur.csv
	run_sep fc-drift -r ref.csv cur.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-drift: cur.csv:1: missing column 'color' (the reference has it)"
}

@test "an empty file is an error" {
	: > empty.csv
	run_sep fc-drift -r ref.csv empty.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-drift: empty.csv: empty file: expected a header line"
	run_sep fc-drift -r empty.csv same.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-drift: empty.csv: empty file: expected a header line"
}

@test "a non-number in a numeric column names the file, the line and the column" {
	sed '5s/^\(A,[0-9]*,[0-9.]*\),[^,]*,/\1,abc,/' same.csv > cur.csv
	run_sep fc-drift -r ref.csv cur.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-drift: cur.csv:5: column 'x': invalid number 'abc'"
}

@test "a missing input is 66 and a failed run leaves the previous report" {
	fc-drift -r ref.csv -o r.json same.csv
	cp r.json before.json
	run_sep fc-drift -r ref.csv -o r.json nosuch.csv
	assert_equal "$status" 66
	cut -d, -f1-4 same.csv > cur.csv
	run_sep fc-drift -r ref.csv -o r.json cur.csv
	assert_equal "$status" 65
	cmp before.json r.json
}

@test "the report is the same bytes for the same inputs; the sidecar names them" {
	fc-drift -r ref.csv -o a.json shift.csv
	fc-drift -r ref.csv < shift.csv > b.json
	diff <(jq 'del(.current.path)' a.json) <(jq 'del(.current.path)' b.json)
	fc-drift -r ref.csv -o c.json shift.csv
	cmp a.json c.json
	assert_equal "$(jq -r '.program, .reference.path, .current.path' a.json.meta.json | paste -sd' ')" "fc-drift ref.csv shift.csv"
}

@test "a full disk on stdout exits 74" {
	run_sep bash -c 'fc-drift -r ref.csv same.csv > /dev/full'
	assert_equal "$status" 74
	assert_equal "$stderr" "fc-drift: -: write error: No space left on device"
}

@test "--split puts each series' last monitor.current_periods rows with a target in the current part" {
	{
		printf 'unique_id,ds,y,x\n'
		printf 'A,%d,%d,1\n' 1 1 2 2 3 3 4 4 5 5
		printf 'A,6,,1\nA,7,,1\n'
		printf 'B,%d,%d,2\n' 1 10 2 20 3 30
	} > layer.csv
	fc-drift -S -s monitor.current_periods=2 -r r.csv -o c.csv layer.csv
	assert_equal "$(cat c.csv | paste -sd' ')" "unique_id,ds,y,x A,4,4,1 A,5,5,1 B,2,20,2 B,3,30,2"
	assert_equal "$(cat r.csv | paste -sd' ')" "unique_id,ds,y,x A,1,1,1 A,2,2,1 A,3,3,1 B,1,10,2"
	# the reference keeps monitor.reference_periods rows
	fc-drift -S -s monitor.current_periods=2 -s monitor.reference_periods=1 -r r.csv -o c.csv layer.csv
	assert_equal "$(cat r.csv | paste -sd' ')" "unique_id,ds,y,x A,3,3,1 B,1,10,2"
	# by default the current part is predict.horizon periods
	fc-drift -S -s predict.horizon=1 -r r.csv -o c.csv layer.csv
	assert_equal "$(cat c.csv | paste -sd' ')" "unique_id,ds,y,x A,5,5,1 B,3,30,2"
}

@test "--split refuses input not sorted by id" {
	printf 'unique_id,ds,y\nB,1,1\nA,1,1\n' > layer.csv
	run_sep fc-drift -S -r r.csv -o c.csv layer.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-drift: layer.csv:3: input is not sorted by (id, time): series 'A' after 'B'"
	[ ! -e c.csv ]
	[ ! -e r.csv ]
}
