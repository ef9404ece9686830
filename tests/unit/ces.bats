#!/usr/bin/env bats
# The ces model: fc-train's forms, weights and fc-predict's forecasts and
# intervals against statsforecast's AutoCES (fixtures/ces/reference.tsv),
# on its own and as an ensemble member; its edge cases.

bats_require_minimum_version 1.5.0

setup() {
	load '../test_helper/common-setup'
	_common_setup
	FX="$FIXTURES/ces"
}

# fit ID M H FILE: fc-train ces on the series ID of FILE with season
# length M, fc-predict H steps with 80% and 95% intervals into f.csv, and
# fc's numbers into fc.tsv with the keys of reference.tsv (the AICc as
# statsforecast writes it: without the constant n (log(2 pi / n) + 1)).
fit() {
	awk -F, -v id="$1" 'NR == 1 || $1 == id' "$4" > s.csv
	fc-train -c '' -s schema.season_length="$2" -s 'train.models=[ces]' \
		-s train.selection.windows=0 -o m.json s.csv
	fc-predict -c '' -s schema.season_length="$2" -s predict.horizon="$3" \
		-s 'predict.levels=[80,95]' -m m.json > f.csv
	jq -r '.series[0].model | "form\t\(.form | sub("^CES\\((?<f>.)\\)$"; "\(.f)"))",
		"sigma2\t\(.sigma2)",
		"aicc\t\(.aicc - .n * ((2 * 3.141592653589793 / .n | log) + 1))",
		(.params | to_entries[] | "\(.key | sub("(?<d>[01])$"; "_\(.d)"))\t\(.value)")' m.json > fc.tsv
	awk -F, 'NR > 1 { k = NR - 1; print "mean" k "\t" $4; print "lo80_" k "\t" $5
		print "hi80_" k "\t" $6; print "lo95_" k "\t" $7; print "hi95_" k "\t" $8 }' f.csv >> fc.tsv
}

# agrees ID: fc.tsv against the reference rows of ID. The form exactly;
# weights within 1e-3; sigma2, AICc and the means within 1e-3 relative
# (the same optimum, up to the optimiser's stopping rule); the bounds
# within 8% of the reference's half-width at that step and level, the
# Monte Carlo error of statsforecast's 5000 simulated paths, whose limit
# fc computes.
agrees() {
	awk -F'\t' -v id="$1" '
		function abs(x) { return x < 0 ? -x : x }
		NR == FNR { if ($0 !~ /^#/ && $1 == id && $3 != "nan") ref[$2] = $3; next }
		{ got[$1] = $2 }
		END {
			for (k in ref) {
				if (!(k in got)) { print id ": no " k; bad = 1; continue }
				a = got[k]; b = ref[k]
				if (k == "form") ok = a == b
				else if (k ~ /^(alpha|beta)/) ok = abs(a - b) <= 1e-3
				else if (k ~ /^(lo|hi)/) {
					split(k, p, "_"); lv = substr(p[1], 3)
					w = (ref["hi" lv "_" p[2]] - ref["lo" lv "_" p[2]]) / 2
					ok = abs(a - b) <= 0.08 * w
				} else ok = abs(a - b) <= 1e-3 * abs(b)
				if (!ok) { print id ": " k " is " a ", statsforecast " b; bad = 1 }
				n++
			}
			if (n < 10) { print id ": only " n " values compared"; bad = 1 }
			exit bad
		}' "$FX/reference.tsv" fc.tsv
}

@test "ces chooses the full seasonal form for AirPassengers as statsforecast does" {
	fit air 12 12 "$FIXTURES/fc-train/airpassengers.csv"
	agrees air
	assert_equal "$(jq -r '.series[0].model.form' m.json)" "CES(F)"
}

@test "ces on Nile: the non-seasonal form, weights, forecasts and intervals of statsforecast" {
	fit nile 1 5 "$FIXTURES/fc-train/nile.csv"
	agrees nile
}

@test "ces on M3 yearly and other series agrees with statsforecast" {
	for s in N0001:6 N2830:8; do
		fit "${s%:*}" 1 "${s#*:}" "$FX/m3.csv"
		agrees "${s%:*}"
	done
}

@test "ces on M3 quarterly series: forms N, P and S as statsforecast chooses them" {
	for id in N0646 N0650 N0750; do
		fit "$id" 4 8 "$FX/m3.csv"
		agrees "$id"
	done
}

@test "ces on M3 monthly series: forms N, P and F as statsforecast chooses them" {
	for id in N1402 N1410 N1440; do
		fit "$id" 12 18 "$FX/m3.csv"
		agrees "$id"
	done
}

@test "ces is the non-seasonal form when the series has fewer than two seasons" {
	awk -F, 'NR == 1 || ($1 == "N1402" && ++k <= 23)' "$FX/m3.csv" > s.csv
	fc-train -c '' -s schema.season_length=12 -s 'train.models=[ces]' \
		-s train.selection.windows=0 -o m.json s.csv
	assert_equal "$(jq -r '.series[0].model.form' m.json)" "CES(N)"
}

@test "ces forecasts a constant series by its value, with intervals of no width" {
	printf 'unique_id,ds,y\n' > s.csv
	for i in 01 02 03 04 05 06 07 08; do printf 'c,2020-%s-01,7\n' "$i" >> s.csv; done
	fc-train -c '' -s schema.frequency=M -s 'train.models=[ces]' \
		-s train.selection.windows=0 -o m.json s.csv
	fc-predict -c '' -s schema.frequency=M -s predict.horizon=2 \
		-s 'predict.levels=[80]' -m m.json > f.csv
	assert_equal "$(sed -n 3p f.csv)" "c,2020-10-01,ces,7,7,7"
}

@test "ces needs five values: a series of four falls back to naive with the reason" {
	printf 'unique_id,ds,y\ns,2020-01-01,1\ns,2020-02-01,3\ns,2020-03-01,2\ns,2020-04-01,5\n' > s.csv
	fc-train -c '' -s schema.frequency=M -s 'train.models=[ces]' \
		-s train.selection.windows=0 -o m.json s.csv
	assert_equal "$(jq -r '.series[0].model.model' m.json)" naive
	assert_equal "$(jq -r '.series[0].candidates[0].error' m.json)" \
		"model 'ces': series of 4 values is too short, 5 needed for season length 12"
}

@test "ces takes part in an ensemble and the model file reads back" {
	fc-train -c '' -s schema.season_length=12 -s 'train.models=[ensemble]' \
		-s 'train.ensemble.members=[ces,naive]' -s train.selection.windows=0 \
		-o m.json "$FIXTURES/fc-train/airpassengers.csv"
	assert_equal "$(jq -r '.series[0].model.members[0].form' m.json)" "CES(F)"
	fc-predict -c '' -s schema.season_length=12 -s predict.horizon=3 -m m.json > f.csv
	# the mean of ces (statsforecast's 453.01822) and naive (432)
	awk -F, 'NR == 2 { d = $4 - (453.0182204709558 + 432) / 2; exit !(d < 1e-6 && d > -1e-6) }' f.csv
}
