#!/usr/bin/env bats
# The regression model: fc-train fits it on feature columns, fc-predict
# forecasts it from the future rows' drivers; numbers against R's lm.

bats_require_minimum_version 1.5.0

setup() {
	load '../test_helper/common-setup'
	_common_setup
	FX="$FIXTURES/fc-train"
	cat > c.yaml <<-'YAML'
	schema: {frequency: M}
	train:
	  models: [regression]
	  regression: {columns: [kms, petrol_price, law]}
	predict: {horizon: 6}
	YAML
}

# Compare a forecast CSV (yhat, then lo/hi per level) with the reference
# rows of regression.ref for `tag` (a series id or "ridge") at `level`,
# column `lo` of the CSV being the level's lower bound. Relative 1e-8.
agrees() {
	local csv=$1 tag=$2 level=$3 lo=$4
	awk -F, -v tag="$tag" -v level="$level" -v lo="$lo" '
		function bad(a, b) { d = a - b; if (d < 0) d = -d
			s = b < 0 ? -b : b; return d > 1e-8 * (s > 1 ? s : 1) }
		NR == FNR { if ($0 !~ /^#/ && $1 == tag && $6 == level) {
				yh[$2] = $3; l[$2] = $4; h[$2] = $5; n++ }
			next }
		FNR > 1 && ($2 in yh) { k++
			if (bad($4, yh[$2]) || bad($lo, l[$2]) || bad($(lo + 1), h[$2])) {
				print "differs at " $1 " " $2 ": " $0; exit 1 } }
		END { if (k != n || n == 0) { print "compared " k " of " n; exit 1 } }
	' "$FX/regression.ref" "$csv"
}

@test "regression forecasts and 80% and 95% intervals are those of R's predict.lm" {
	fc-train -c c.yaml -o m.json "$FX/regression.csv"
	fc-predict -c c.yaml -m m.json "$FX/regression.csv" > f.csv
	assert_equal "$(head -1 f.csv)" "unique_id,ds,model,yhat,lo_80,hi_80,lo_95,hi_95"
	assert_equal "$(grep -c ',regression,' f.csv)" 12
	grep DriversKilled f.csv > dk.csv; sed -i '1i h' dk.csv
	grep front f.csv > fr.csv; sed -i '1i h' fr.csv
	run agrees dk.csv DriversKilled 80 5; assert_success
	run agrees dk.csv DriversKilled 95 7; assert_success
	run agrees fr.csv front 80 5; assert_success
	run agrees fr.csv front 95 7; assert_success
}

@test "a ridge penalty gives the closed-form ridge forecasts" {
	fc-train -c c.yaml -s train.regression.ridge=1000 -o m.json \
		"$FX/regression.csv"
	fc-predict -c c.yaml -s 'predict.levels=[95]' -m m.json \
		"$FX/regression.csv" | grep -v '^front' > f.csv
	run agrees f.csv ridge 95 5
	assert_success
}

@test "the model file keeps each coefficient with its column name and training range" {
	fc-train -c c.yaml -o m.json "$FX/regression.csv"
	assert_equal "$(jq -r '.series[1].regression.columns | map(.name) | join(" ")' m.json)" \
		"kms petrol_price law"
	# R: coef(lm(y ~ kms + petrol_price + law)) of front
	jq -e '.series[1].regression | (.intercept + 684.891336248448 | fabs) < 1e-8
		and (.columns[1].coef - 9723.96878204289 | fabs) < 1e-6
		and (.columns[2].coef + 280.05767056567 | fabs) < 1e-8' m.json
	assert_equal "$(jq -c '.series[0].regression.columns[2] | [.min, .max, .last]' m.json)" "[0,1,1]"
	assert_equal "$(jq -r '.series[0].regression | .skipped_rows, .future' m.json | tr '\n' ' ')" "0 error "
}

@test "fc-predict needs future rows for a regression" {
	fc-train -c c.yaml -o m.json "$FX/regression.csv"
	run_sep fc-predict -c c.yaml -m m.json -o f.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-predict: m.json: series 'DriversKilled': model 'regression' needs future rows with its drivers (give FUTURE, e.g. the processed layer)"
	[ ! -e f.csv ]
}

@test "a future row without a driver value is an error naming file, line and column" {
	fc-train -c c.yaml -o m.json "$FX/regression.csv"
	awk -F, -v OFS=, 'NR == 46 { $5 = "" } 1' "$FX/regression.csv" > fut.csv
	run_sep fc-predict -c c.yaml -m m.json fut.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-predict: fut.csv:46: series 'DriversKilled': column 'petrol_price' is empty or not a number at time '1984-09-01' (a regression needs every driver of a future row; train.regression.future: last carries the last value forward)"
	awk -F, 'NR == 1 || $1 == "DriversKilled"' "$FX/regression.csv" | cut -d, -f1-4,6 > nocol.csv
	run_sep fc-predict -c c.yaml -m m.json nocol.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-predict: nocol.csv:1: series 'DriversKilled': no column 'petrol_price' (the model is a regression on it)"
}

@test "train.regression.future: last carries the last observed driver into the future rows" {
	fc-train -c c.yaml -s train.regression.future=last -o m.json "$FX/regression.csv"
	# the drivers of the future rows emptied; the last history row's
	# values (kms 19976, petrol_price 0.114777, law 1) filled in instead
	awk -F, -v OFS=, '$3 == "" && NR > 1 { $4 = $5 = $6 = "" } 1' \
		"$FX/regression.csv" > empty.csv
	awk -F, -v OFS=, '$3 == "" && NR > 1 && $1 == "DriversKilled" { $4 = 19976; $5 = 0.114777; $6 = 1 } 1' \
		"$FX/regression.csv" > filled.csv
	fc-predict -c c.yaml -m m.json empty.csv > a.csv
	fc-predict -c c.yaml -m m.json filled.csv > b.csv
	assert_equal "$(grep -c DriversKilled a.csv)" 6
	cmp <(grep DriversKilled a.csv) <(grep DriversKilled b.csv)
}

@test "history rows with an empty feature are skipped and counted" {
	awk -F, -v OFS=, 'NR == 2 || NR == 3 { $4 = "" } 1' "$FX/regression.csv" > gap.csv
	fc-train -c c.yaml -o m.json gap.csv
	assert_equal "$(jq -r '.series[0].regression.skipped_rows, .series[1].regression.skipped_rows' m.json | tr '\n' ' ')" "2 0 "
	assert_equal "$(jq -r '.series[0].model.n' m.json)" 40
}

@test "cross-validation of a regression uses each window's own features" {
	fc-train -c c.yaml -s 'train.models=[naive, regression]' -o m.json "$FX/regression.csv"
	jq -e '.series[0].candidates[1] | .model == "regression" and (.cv.scores | length) == 3' m.json
	assert_equal "$(jq '.series[0].cv.horizon' m.json)" 6
}

@test "by default every numeric feature column is a regressor" {
	awk -F, -v OFS=, '{ print $0, (NR == 1 ? "tag" : "x" NR) }' "$FX/regression.csv" > tagged.csv
	fc-train -c c.yaml -s 'train.regression.columns=[]' -o m.json tagged.csv
	assert_equal "$(jq -r '.series[0].regression.columns | map(.name) | join(" ")' m.json)" \
		"kms petrol_price law"
}

@test "a column of train.regression.columns the input lacks fails the regression candidate" {
	fc-train -c c.yaml -s 'train.regression.columns=[kms, price]' \
		-s 'train.models=[naive, regression]' -o m.json "$FX/regression.csv"
	assert_equal "$(jq -r '.series[0].model.model' m.json)" naive
	assert_equal "$(jq -r '.series[0].candidates[1].error' m.json)" \
		"model 'regression': no column 'price' (train.regression.columns) in the input"
}

@test "collinear columns fail the regression candidate, which is recorded" {
	awk -F, -v OFS=, '{ print $0, (NR == 1 ? "kms2" : 2 * $4) }' "$FX/regression.csv" > col.csv
	fc-train -c c.yaml -s 'train.regression.columns=[kms, kms2]' \
		-s 'train.models=[naive, regression]' -o m.json col.csv
	assert_equal "$(jq -r '.series[0].model.model' m.json)" naive
	assert_equal "$(jq -r '.series[0].candidates[1].error' m.json)" \
		"model 'regression': the intercept and the feature columns are collinear (rank 2 of 3)"
}
