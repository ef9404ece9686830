#!/usr/bin/env bats
# The arimax model (regression with ARIMA errors): fc-train fits it on
# feature columns as auto.arima(y, xreg = X), fc-predict and fc-sim
# forecast it from the future rows' drivers; numbers against R's forecast.

bats_require_minimum_version 1.5.0

setup() {
	load '../test_helper/common-setup'
	_common_setup
	FX="$FIXTURES/fc-train"
	cat > c.yaml <<-'YAML'
	project: {seed: 7}
	schema: {frequency: M}
	train:
	  models: [arimax]
	  regression: {columns: [kms, petrol_price, law]}
	predict: {horizon: 6}
	simulate: {paths: 100}
	YAML
}

# Compare a forecast CSV (yhat, then lo/hi per level) with the reference
# rows of arimax.ref for series `tag` at `level`, column `lo` of the CSV
# being the level's lower bound. Relative 1e-6.
agrees() {
	local csv=$1 tag=$2 level=$3 lo=$4
	awk -F, -v tag="$tag" -v level="$level" -v lo="$lo" '
		function bad(a, b) { d = a - b; if (d < 0) d = -d
			s = b < 0 ? -b : b; return d > 1e-6 * (s > 1 ? s : 1) }
		NR == FNR { if ($0 !~ /^#/ && $1 == tag && $6 == level) {
				yh[$2] = $3; l[$2] = $4; h[$2] = $5; n++ }
			next }
		$1 == tag && ($2 in yh) { k++
			if (bad($4, yh[$2]) || bad($lo, l[$2]) || bad($(lo + 1), h[$2])) {
				print "differs at " $1 " " $2 ": " $0; exit 1 } }
		END { if (k != n || n == 0) { print "compared " k " of " n; exit 1 } }
	' "$FX/arimax.ref" "$csv"
}

@test "arimax forecasts and 80% and 95% intervals are those of R's auto.arima with xreg" {
	fc-train -c c.yaml -o m.json "$FX/regression.csv"
	fc-predict -c c.yaml -m m.json "$FX/regression.csv" > f.csv
	assert_equal "$(grep -c ',arimax,' f.csv)" 12
	run agrees f.csv DriversKilled 80 5; assert_success
	run agrees f.csv DriversKilled 95 7; assert_success
	run agrees f.csv front 80 5; assert_success
	run agrees f.csv front 95 7; assert_success
}

@test "the model file keeps R's order and each coefficient with its column name" {
	fc-train -c c.yaml -o m.json "$FX/regression.csv"
	assert_equal "$(jq -r '.series[] | .model.form' m.json)" \
		"$(awk -F';' '$1 == "form" { print $3 }' "$FX/arimax.ref")"
	assert_equal "$(jq -r '.series[1].regression.columns | map(.name) | join(" ")' m.json)" \
		"kms petrol_price law"
	# R: coef(auto.arima(y, xreg = X)) of front (arimax.ref): sar1, kms,
	# petrol_price, law; no intercept after a seasonal difference
	jq -e '.series[1] | (.model.params.sar1 + 0.4929804655 | fabs) < 1e-8
		and (.regression.columns[0].coef - 0.01652809789 | fabs) < 1e-8
		and (.regression.columns[1].coef - 948.5976132 | fabs) < 1e-5
		and (.regression.columns[2].coef + 248.1442742 | fabs) < 1e-6
		and .regression.intercept == "nan"' m.json
}

@test "fc-predict needs future rows for arimax, and their drivers, naming file, line and column" {
	fc-train -c c.yaml -o m.json "$FX/regression.csv"
	echo keep > f.csv
	run_sep fc-predict -c c.yaml -m m.json -o f.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-predict: m.json: series 'DriversKilled': model 'arimax' needs future rows with its drivers (give FUTURE, e.g. the processed layer)"
	awk -F, -v OFS=, 'NR == 46 { $5 = "" } 1' "$FX/regression.csv" > fut.csv
	run_sep fc-predict -c c.yaml -m m.json -o f.csv fut.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-predict: fut.csv:46: series 'DriversKilled': column 'petrol_price' is empty or not a number at time '1984-09-01' (a regression needs every driver of a future row; train.regression.future: last carries the last value forward)"
	awk -F, 'NR == 1 || $1 == "DriversKilled"' "$FX/regression.csv" | cut -d, -f1-4,6 > nocol.csv
	run_sep fc-predict -c c.yaml -m m.json -o f.csv nocol.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-predict: nocol.csv:1: series 'DriversKilled': no column 'petrol_price' (the model is a regression on it)"
	assert_equal "$(cat f.csv)" keep
}

@test "a column the input lacks, a constant or a collinear column fails the arimax candidate, naming the column" {
	fc-train -c c.yaml -s 'train.regression.columns=[kms, price]' \
		-s 'train.models=[naive, arimax]' -o m.json "$FX/regression.csv"
	assert_equal "$(jq -r '.series[0].model.model' m.json)" naive
	assert_equal "$(jq -r '.series[0].candidates[1].error' m.json)" \
		"model 'arimax': no column 'price' (train.regression.columns) in the input"
	awk -F, -v OFS=, '{ print $0, (NR == 1 ? "kms2" : 2 * $4 + 1), (NR == 1 ? "one" : 1) }' \
		"$FX/regression.csv" > col.csv
	fc-train -c c.yaml -s 'train.regression.columns=[kms, kms2]' \
		-s 'train.models=[naive, arimax]' -o m.json col.csv
	assert_equal "$(jq -r '.series[0].model.model' m.json)" naive
	assert_equal "$(jq -r '.series[0].candidates[1].error' m.json)" \
		"model 'arimax': column 'kms2' is collinear with the intercept and the columns before it (the regressors are rank deficient)"
	# (the first cross-validation window fits 34 rows)
	fc-train -c c.yaml -s 'train.regression.columns=[one, kms]' \
		-s 'train.models=[naive, arimax]' -o m.json col.csv
	assert_equal "$(jq -r '.series[0].candidates[1].error' m.json)" \
		"model 'arimax': column 'one' is constant over the 34 rows fitted (no regressor beside the intercept)"
}

@test "leading rows with an empty feature are skipped; an empty feature inside the history fails the candidate" {
	awk -F, -v OFS=, 'NR == 2 || NR == 3 { $4 = "" } 1' "$FX/regression.csv" > lead.csv
	fc-train -c c.yaml -o m.json lead.csv
	assert_equal "$(jq -r '.series[0] | .model.model, .model.n, .regression.skipped_rows' m.json | tr '\n' ' ')" "arimax 40 2 "
	awk -F, -v OFS=, 'NR == 11 { $4 = "" } 1' "$FX/regression.csv" > gap.csv
	fc-train -c c.yaml -s 'train.models=[naive, arimax]' -o m.json gap.csv
	assert_equal "$(jq -r '.series[0].candidates[1].error' m.json)" \
		"model 'arimax': row 10 of the history has an empty feature after filled ones (its errors need consecutive rows)"
}

@test "a regressor column that is not numeric is an error naming it; the model file stays" {
	awk -F, -v OFS=, 'NR == 5 { $5 = "dear" } 1' "$FX/regression.csv" > text.csv
	echo keep > m.json
	run_sep fc-train -c c.yaml -o m.json text.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-train: text.csv:2: series 'DriversKilled': column 'petrol_price' holds a value that is not a number"
	assert_equal "$(cat m.json)" keep
}

@test "a ridge penalty is not for arimax: the candidate fails and says so" {
	fc-train -c c.yaml -s train.regression.ridge=10 \
		-s 'train.models=[naive, arimax]' -o m.json "$FX/regression.csv"
	assert_equal "$(jq -r '.series[0].candidates[1].error' m.json)" \
		"model 'arimax' takes no ridge penalty (train.regression.ridge is for model 'regression')"
}

@test "cross-validation of arimax uses each window's own features" {
	fc-train -c c.yaml -s 'train.models=[naive, regression, arimax]' -o m.json "$FX/regression.csv"
	jq -e '.series[0].candidates[2] | .model == "arimax" and (.cv.scores | length) == 3' m.json
}

@test "fc-sim re-forecasts arimax with the changed drivers" {
	fc-train -c c.yaml -o m.json "$FX/regression.csv"
	fc-sim -c c.yaml -m m.json -s simulate.paths=0 \
		-s "simulate.scenarios=[{name: s, changes: [{column: law, op: set, value: 0}]}]" \
		"$FX/regression.csv" | awk -F, -v OFS=, '$3 == "s" { print $1, $2, $4, $5 }' > s.csv
	awk -F, -v OFS=, 'NR > 1 && $3 == "" { $6 = 0 } 1' "$FX/regression.csv" > fut.csv
	fc-predict -c c.yaml -m m.json fut.csv | awk -F, -v OFS=, 'NR > 1 { print $1, $2, $4, $5 }' > p.csv
	assert_equal "$(wc -l < s.csv)" 12
	cmp s.csv p.csv
	# the repeal raises DriversKilled by R's law coefficient (-25.28...)
	fc-sim -c c.yaml -m m.json -s simulate.paths=0 \
		-s "simulate.scenarios=[{name: s, changes: [{column: law, op: set, value: 0}]}]" \
		"$FX/regression.csv" > sim.csv
	awk -F, '$3 == "s" && $1 == "DriversKilled" { d = $10 - 25.28303973; if (d < 0) d = -d; if (d > 1e-6) exit 1 }' sim.csv
	# sample paths of the total: independent steps of the forecast distribution
	fc-sim -c c.yaml -m m.json --summary s.json "$FX/regression.csv" > /dev/null
	jq -e '.paths.series[0] | .distribution and .paths == "independent steps" and .q5 < .q50 and .q50 < .q95' s.json
}
