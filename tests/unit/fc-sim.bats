#!/usr/bin/env bats
# fc-sim: scenario arithmetic, target shocks, the baseline, warnings,
# sensitivity, sample paths and their seed, config errors.

bats_require_minimum_version 1.5.0

setup() {
	load '../test_helper/common-setup'
	_common_setup
	FX="$FIXTURES/fc-train"
	cat > c.yaml <<-'YAML'
	project: {seed: 7}
	schema: {frequency: M}
	train:
	  models: [regression]
	  regression: {columns: [kms, petrol_price, law]}
	predict: {horizon: 6}
	simulate:
	  paths: 200
	YAML
	fc-train -c c.yaml -o m.json "$FX/regression.csv"
}

# fc-sim with one scenario `sc` (YAML flow) named s; its rows on stdout
# as "id,ds,yhat,lo_80".
scen() {
	fc-sim -c c.yaml -m m.json -s simulate.paths=0 \
		-s "simulate.scenarios=[{name: s, changes: [$1]}]" "$FX/regression.csv" |
		awk -F, -v OFS=, '$3 == "s" { print $1, $2, $4, $5 }'
}

# fc-predict on the fixture with awk program `prog` applied to its future
# rows (target empty); "id,ds,yhat,lo_80".
pred() {
	awk -F, -v OFS=, "NR > 1 && \$3 == \"\" { $1 } 1" "$FX/regression.csv" > fut.csv
	fc-predict -c c.yaml -m m.json fut.csv | awk -F, -v OFS=, 'NR > 1 { print $1, $2, $4, $5 }'
}

@test "fc-sim --help, --version and a missing model file" {
	run fc-sim --help
	assert_success
	assert_line --index 0 "usage: fc-sim [-c FILE] [-s KEY=VALUE]... -m MODEL [-o FILE] [--summary FILE] [FUTURE]"
	run fc-sim -V
	assert_output "fc-sim (fc) $(fc-train -V | awk '{print $3}')"
	run_sep fc-sim -c c.yaml "$FX/regression.csv"
	assert_equal "$status" 64
	assert_equal "${stderr%%$'\n'*}" "fc-sim: missing model file (-m MODEL)"
}

@test "the baseline is fc-predict's forecast, intervals included" {
	fc-sim -c c.yaml -m m.json -o sim.csv "$FX/regression.csv"
	assert_equal "$(head -1 sim.csv)" \
		"unique_id,ds,scenario,yhat,lo_80,hi_80,lo_95,hi_95,baseline,delta,delta_pct"
	fc-predict -c c.yaml -m m.json "$FX/regression.csv" |
		awk -F, -v OFS=, 'NR > 1 { print $1, $2, $4, $5, $6, $7, $8 }' > p.csv
	awk -F, -v OFS=, '$3 == "baseline" { print $1, $2, $4, $5, $6, $7, $8 }' sim.csv > b.csv
	assert_equal "$(wc -l < b.csv)" 12
	cmp p.csv b.csv
	[ -s sim.csv.meta.json ]
}

@test "each op on a driver forecasts as the changed future rows would" {
	assert_equal "$(scen '{column: kms, op: add, value: 500}' 2>/dev/null)" "$(pred '$4 += 500')"
	assert_equal "$(scen '{column: kms, op: sub, value: 500}')" "$(pred '$4 -= 500')"
	assert_equal "$(scen '{column: petrol_price, op: mul, value: 1.1}')" "$(pred '$5 = sprintf("%.17g", $5 * 1.1)')"
	assert_equal "$(scen '{column: kms, op: div, value: 2}')" "$(pred '$4 /= 2')"
	assert_equal "$(scen '{column: law, op: set, value: 0}')" "$(pred '$6 = 0')"
}

@test "where narrows a change to series ids and a date range" {
	assert_equal "$(scen '{column: law, op: set, value: 0, where: {unique_id: [front]}}')" \
		"$(pred 'if ($1 == "front") $6 = 0')"
	assert_equal "$(scen '{column: law, op: set, value: 0, where: {from: 1984-09-01, to: 1984-10-01}}')" \
		"$(pred 'if ($2 >= "1984-09-01" && $2 <= "1984-10-01") $6 = 0')"
	# the rows outside are the baseline: delta 0
	fc-sim -c c.yaml -m m.json -s simulate.paths=0 \
		-s "simulate.scenarios=[{name: s, changes: [{column: law, op: set, value: 0, where: {unique_id: [front]}}]}]" \
		"$FX/regression.csv" > sim.csv
	assert_equal "$(awk -F, '$3 == "s" && $1 == "DriversKilled" { print $10 }' sim.csv | sort -u)" 0
}

@test "a target shock moves the forecast path and its bounds" {
	fc-sim -c c.yaml -m m.json -s simulate.paths=0 \
		-s 'simulate.scenarios=[{name: up, changes: [{column: y, op: add, value: 10}]}, {name: twice, changes: [{column: target, op: mul, value: 2, where: {unique_id: [front]}}]}]' \
		"$FX/regression.csv" > sim.csv
	awk -F, '$3 == "baseline" { b[$1 $2] = $4; l[$1 $2] = $5 }
		$3 == "up" && ($4 - b[$1 $2] - 10 > 1e-9 || $4 - b[$1 $2] - 10 < -1e-9 || $10 - 10 > 1e-9 || $5 - l[$1 $2] - 10 > 1e-9) { print "bad up " $0; exit 1 }
		$3 == "twice" && $1 == "front" && ($4 != 2 * b[$1 $2] || $5 != 2 * l[$1 $2]) { print "bad twice " $0; exit 1 }
		$3 == "twice" && $1 != "front" && $4 != b[$1 $2] { print "bad " $0; exit 1 }' sim.csv
	assert_equal "$(awk -F, '$3 == "up"' sim.csv | wc -l)" 12
}

@test "the same seed gives the same bytes, whatever runtime.threads; another seed differs" {
	fc-sim -c c.yaml -m m.json -s 'simulate.thresholds={"*": 500}' --summary a.json "$FX/regression.csv" > a.csv
	fc-sim -c c.yaml -m m.json -s 'simulate.thresholds={"*": 500}' -s runtime.threads=3 --summary b.json "$FX/regression.csv" > b.csv
	cmp a.json b.json
	cmp a.csv b.csv
	fc-sim -c c.yaml -m m.json -s project.seed=8 -s 'simulate.thresholds={"*": 500}' --summary c.json "$FX/regression.csv" > /dev/null
	! cmp -s a.json c.json
	assert_equal "$(jq '.paths | .n, .seed' a.json | tr '\n' ' ')" "200 7 "
	jq -e '.paths.series[] | .q5 < .q50 and .q50 < .q95 and .threshold.value == 500 and .threshold.p_exceed >= 0 and .threshold.p_exceed <= 1' a.json
}

@test "a driver pushed outside its training range warns on stderr and in the summary" {
	run_sep fc-sim -c c.yaml -m m.json -s simulate.paths=0 --summary s.json -o sim.csv \
		-s 'simulate.scenarios=[{name: dear, changes: [{column: petrol_price, op: set, value: 0.2}]}]' \
		"$FX/regression.csv"
	assert_success
	assert_equal "$stderr" "fc-sim: warning: scenario 'dear': column 'petrol_price' value 0.2 outside the training range [0.104003, 0.12449]"
	assert_equal "$(jq -r '.warnings[0]' s.json)" "${stderr#fc-sim: warning: }"
}

@test "a driver change of a univariate model warns that its forecast does not change" {
	fc-train -c c.yaml -s 'train.models=[naive]' -o u.json "$FX/regression.csv"
	run_sep fc-sim -c c.yaml -m u.json -s simulate.paths=0 -o sim.csv \
		-s 'simulate.scenarios=[{name: repeal, changes: [{column: law, op: set, value: 0}]}]' \
		"$FX/regression.csv"
	assert_success
	assert_equal "$stderr" "fc-sim: warning: scenario 'repeal': column 'law' is not a driver of the model of 2 series (univariate, or a regression without it): their forecast does not change"
	assert_equal "$(awk -F, '$3 == "repeal" { print $10 }' sim.csv | sort -u)" 0
}

@test "the sensitivity table gives the elasticity of a linear driver" {
	fc-sim -c c.yaml -m m.json -s simulate.paths=0 --summary s.json \
		-s 'simulate.sensitivity={column: petrol_price, values: [-0.1, 0.1]}' \
		"$FX/regression.csv" > sim.csv
	# a regression is linear: %change of the total = 100 b sum(0.1 x) / sum(yhat)
	b=$(jq '.series[0].regression.columns[1].coef' m.json)
	want=$(awk -F, -v b="$b" '$3 == "" && $1 == "DriversKilled" { x += $5 } END { printf "%.9f", b * x }' "$FX/regression.csv")
	tot=$(awk -F, '$3 == "baseline" && $1 == "DriversKilled" { t += $4 } END { printf "%.9f", t }' sim.csv)
	jq -e --argjson w "$want" --argjson t "$tot" '.sensitivity.series[0] |
		.driver and (.changes[1].elasticity - ($w / $t) | fabs) < 1e-6 and
		(.changes[0].elasticity - .changes[1].elasticity | fabs) < 1e-9' s.json
}

@test "bad scenarios are config errors naming the file and line" {
	cat > bad.yaml <<-'YAML'
	simulate:
	  scenarios:
	    - name: a
	      changes:
	        - {column: kms, op: pow, value: 2}
	YAML
	run_sep fc-sim -c bad.yaml -m m.json -o out.csv "$FX/regression.csv"
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-sim: bad.yaml:5: key 'simulate.scenarios': op 'pow' is not one of add|sub|mul|div|set"
	[ ! -e out.csv ]
	printf 'simulate:\n  scenarios:\n    - changes: [{column: kms, op: add, value: 1}]\n' > bad.yaml
	run_sep fc-sim -c bad.yaml -m m.json "$FX/regression.csv"
	assert_equal "$stderr" "fc-sim: bad.yaml:3: key 'simulate.scenarios': a scenario needs a name"
	printf 'simulate:\n  scenarios:\n    - name: a\n      changes:\n        - {column: kms, op: add, value: x}\n' > bad.yaml
	run_sep fc-sim -c bad.yaml -m m.json "$FX/regression.csv"
	assert_equal "$stderr" "fc-sim: bad.yaml:5: key 'simulate.scenarios': value must be a number"
	printf 'simulate:\n  scenarios:\n    - name: a\n      changes:\n        - {column: kms, op: add, value: 1, where: {id: [a]}}\n' > bad.yaml
	run_sep fc-sim -c bad.yaml -m m.json "$FX/regression.csv"
	assert_equal "$stderr" "fc-sim: bad.yaml:5: key 'simulate.scenarios': unknown name 'id'"
	printf 'simulate:\n  scenarios:\n    - {name: a, changes: [{column: kms, op: add, value: 1}]}\n    - {name: a, changes: [{column: kms, op: add, value: 2}]}\n' > bad.yaml
	run_sep fc-sim -c bad.yaml -m m.json "$FX/regression.csv"
	assert_equal "$stderr" "fc-sim: bad.yaml:4: key 'simulate.scenarios': scenario 'a' given twice"
	printf 'simulate:\n  sensitivity: {column: kms, values: [0]}\n' > bad.yaml
	run_sep fc-sim -c bad.yaml -m m.json "$FX/regression.csv"
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-sim: bad.yaml:2: key 'simulate.sensitivity': '0' is not a relative change above -1 and not 0"
}

@test "a failing run leaves the previous outputs intact" {
	fc-sim -c c.yaml -m m.json -o sim.csv --summary s.json "$FX/regression.csv"
	cp sim.csv before.csv
	cp s.json before.json
	awk -F, -v OFS=, 'NR == 46 { $4 = "" } 1' "$FX/regression.csv" > fut.csv
	run_sep fc-sim -c c.yaml -m m.json -o sim.csv --summary s.json fut.csv
	assert_equal "$status" 65
	assert_equal "${stderr%%:*}" fc-sim
	cmp sim.csv before.csv
	cmp s.json before.json
	run_sep bash -c 'fc-sim -c c.yaml -m m.json "$1" > /dev/full' - "$FX/regression.csv"
	assert_equal "$status" 74
}

@test "a regression's sample paths have the horizon total's distribution under lm" {
	fc-sim -c c.yaml -m m.json -s simulate.paths=20000 --summary s.json "$FX/regression.csv" > /dev/null
	# R's mean and sd of the total (regression.ref: total_sd); the 5% and
	# 95% quantiles of a normal are 1.6449 sd from the mean
	read -r mean sd < <(awk -F, '$1 == "total_sd" { print $2, $3 }' "$FX/regression.ref")
	jq -e --argjson m "$mean" --argjson sd "$sd" '.paths.series[0] |
		.paths == "regression" and (.total_mean - $m | fabs) < 1e-6 and
		(.q50 - $m | fabs) < 0.05 * $sd and
		((.q95 - .q5) / (2 * 1.6449) / $sd - 1 | fabs) < 0.03' s.json
}
