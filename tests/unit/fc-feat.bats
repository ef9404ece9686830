#!/usr/bin/env bats
# fc-feat: calendar, Fourier, lags, rolling, differences, holidays,
# exogenous joins, horizon rows, no leakage, the processed mode, bad input.

setup() {
	load '../test_helper/common-setup'
	_common_setup
	: > config.yaml
	# one monthly series: 1 2 4 8 16
	printf 'unique_id,ds,y\nA,2024-01-01,1\nA,2024-02-01,2\nA,2024-03-01,4\nA,2024-04-01,8\nA,2024-05-01,16\n' > m.csv
}

# col FILE NAME: the column NAME of a CSV, one value a line
col() {
	awk -F, -v n="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next } { print $c }' "$1" | paste -sd'|'
}

@test "--help prints the usage on stdout, first line the synopsis" {
	run --separate-stderr fc-feat --help
	assert_success
	assert_line --index 0 "usage: fc-feat [-p] [-c FILE] [-s KEY=VALUE]... [-o FILE] [INPUT]"
	grep -q '^\.Op Fl p$' "$FC_ROOT/man/man1/fc-feat.1"
}

@test "--version prints the program and version" {
	run fc-feat --version
	assert_success
	assert_output --regexp '^fc-feat \(fc\) [0-9]+\.[0-9]+\.[0-9]+$'
}

# ---- bad input ----

@test "a missing input exits 66 and writes nothing" {
	run --separate-stderr fc-feat -o out.csv nope.csv
	assert_equal "$status" 66
	assert_equal "$stderr" "fc-feat: nope.csv: cannot open: No such file or directory"
	[ ! -e out.csv ]
}

@test "ids out of order are bad data naming the line" {
	printf 'unique_id,ds,y\nB,2024-01-01,1\nA,2024-01-01,2\n' > u.csv
	run --separate-stderr fc-feat -o out.csv u.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-feat: u.csv:3: id 'A' after 'B': not sorted by (id, time)"
	[ ! -e out.csv ]
}

@test "times out of order or off the grid are bad data" {
	printf 'unique_id,ds,y\nA,2024-02-01,1\nA,2024-01-01,2\n' > t.csv
	run --separate-stderr fc-feat t.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-feat: t.csv:3: time '2024-01-01' not after '2024-02-01': not sorted by (id, time)"
	printf 'unique_id,ds,y\nA,2024-01-01,1\nA,2024-02-01,2\nA,2024-04-01,3\n' > g.csv
	run --separate-stderr fc-feat -s schema.frequency=M g.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-feat: g.csv:4: time '2024-04-01' is not one period (M) after '2024-02-01': not a regular grid"
}

@test "a column named in the features that the layer lacks is bad data" {
	run --separate-stderr fc-feat -s 'features.lags={kms: [1]}' m.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-feat: m.csv:1: unknown column 'kms' in features.lags"
	run --separate-stderr fc-feat -s schema.target=sales m.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-feat: m.csv:1: missing column 'sales' (schema.target)"
}

@test "a bad feature item is a config error naming its line" {
	printf 'features:\n  fourier:\n    - {period: 12, k: 2}\n    - {period: 12, k: 7}\n' > config.yaml
	run --separate-stderr fc-feat m.csv
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-feat: config.yaml:4: key 'features.fourier': k 7 needs a period of at least 14"
	printf 'features:\n  rolling:\n    - {column: y, window: 3, stats: [mean, median]}\n' > config.yaml
	run --separate-stderr fc-feat m.csv
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-feat: config.yaml:3: key 'features.rolling': 'median' is not one of mean|std|min|max|sum"
	run --separate-stderr fc-feat -c /dev/null -s 'features.holidays=[{name: x, date: 02-30}]' m.csv
	assert_equal "$status" 78
	assert_equal "$stderr" "fc-feat: -s: key 'features.holidays': date '02-30' is not MM-DD or YYYY-MM-DD"
}

@test "a missing exogenous file exits 66, one without the key column 65" {
	run --separate-stderr fc-feat -s 'features.exogenous=[{path: nope.csv}]' m.csv
	assert_equal "$status" 66
	assert_equal "$stderr" "fc-feat: nope.csv: cannot open exogenous file: No such file or directory"
	printf 'when,price\n2024-01-01,3\n' > x.csv
	run --separate-stderr fc-feat -s 'features.exogenous=[{path: x.csv, on: [time]}]' m.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-feat: x.csv:1: missing column 'ds'"
}

# ---- features ----

@test "calendar features of daily rows: leap day, ISO weeks, weekends, month ends" {
	printf 'unique_id,ds,y\nA,2024-02-29,1\nA,2024-03-01,1\nA,2024-03-02,1\n' > d.csv
	fc-feat -s predict.horizon=1 -s 'features.calendar=[year, quarter, month, week_of_year, day_of_week, day_of_month, day_of_year, hour, is_weekend, is_month_end]' d.csv > out.csv
	assert_equal "$(head -1 out.csv)" "unique_id,ds,y,year,quarter,month,week_of_year,day_of_week,day_of_month,day_of_year,hour,is_weekend,is_month_end"
	assert_equal "$(sed -n 2p out.csv)" "A,2024-02-29,1,2024,1,2,9,3,29,60,0,0,1"
	assert_equal "$(sed -n 4p out.csv)" "A,2024-03-02,1,2024,1,3,9,5,2,62,0,1,0"
	assert_equal "$(sed -n 5p out.csv)" "A,2024-03-03,,2024,1,3,9,6,3,63,0,1,0"
	printf 'unique_id,ds,y\nA,2024-12-29,1\nA,2024-12-30,1\n' > w.csv
	fc-feat -s predict.horizon=1 -s 'features.calendar=[week_of_year]' w.csv > w.out
	assert_equal "$(col w.out week_of_year)" "52|1|1"
}

@test "Fourier terms follow the calendar month, exact at the quarter turns" {
	fc-feat -s predict.horizon=2 -s 'features.fourier=[{period: 12, k: 2}]' m.csv > out.csv
	assert_equal "$(head -1 out.csv)" "unique_id,ds,y,fourier_12_sin_1,fourier_12_cos_1,fourier_12_sin_2,fourier_12_cos_2"
	# January: t = 0 mod 12; April: a quarter turn; July: a half turn
	assert_equal "$(sed -n 2p out.csv)" "A,2024-01-01,1,0,1,0,1"
	assert_equal "$(sed -n 5p out.csv)" "A,2024-04-01,8,1,0,0,-1"
	assert_equal "$(sed -n 8p out.csv)" "A,2024-07-01,,0,-1,0,1"
	# March: sin(pi/3), cos(pi/3) as the C library computes them
	assert_equal "$(sed -n 4p out.csv | cut -d, -f4,5)" "0.8660254037844386,0.5000000000000001"
}

@test "Fourier terms before 1970 repeat those after, whole and fractional periods" {
	printf 'unique_id,ds,y\n' > d.csv
	for d in 1969-12-25 1969-12-26 1969-12-27 1969-12-28 1969-12-29 1969-12-30 1969-12-31 \
		1970-01-01 1970-01-02 1970-01-03 1970-01-04 1970-01-05 1970-01-06 1970-01-07; do
		printf 'A,%s,1\n' "$d" >> d.csv
	done
	fc-feat -s predict.horizon=1 -s 'features.fourier=[{period: 7, k: 3}, {period: 3.5, k: 1}]' d.csv > out.csv
	# a week apart: the same terms, row for row
	assert_equal "$(sed -n 2,8p out.csv | cut -d, -f4-)" "$(sed -n 9,15p out.csv | cut -d, -f4-)"
	# 1970-01-02 is day 1: sin(2 pi / 7) and cos(2 pi 3 / 7), as awk computes them
	assert_equal "$(sed -n 10p out.csv | cut -d, -f4)" "$(awk 'BEGIN { printf "%.16g", sin(2 * atan2(0, -1) / 7) }')"
	assert_equal "$(sed -n 10p out.csv | cut -d, -f9 | cut -c1-15)" "$(awk 'BEGIN { printf "%.15f", cos(6 * atan2(0, -1) / 7) }' | cut -c1-15)"
}

@test "lags, rolling statistics and differences use past values only" {
	fc-feat -s predict.horizon=2 -s 'features.lags={y: [1, 2]}' \
		-s 'features.rolling=[{column: y, window: 2, stats: [mean, std, min, max, sum]}]' \
		-s 'features.diffs=[1]' m.csv > out.csv
	assert_equal "$(head -1 out.csv)" "unique_id,ds,y,y_lag_1,y_lag_2,y_roll_2_mean,y_roll_2_std,y_roll_2_min,y_roll_2_max,y_roll_2_sum,y_diff_1"
	assert_equal "$(col out.csv y_lag_1)" "|1|2|4|8|16|"
	assert_equal "$(col out.csv y_lag_2)" "||1|2|4|8|16"
	assert_equal "$(col out.csv y_roll_2_mean)" "||1.5|3|6|12|"
	assert_equal "$(col out.csv y_roll_2_std)" "||0.7071067811865476|1.4142135623730951|2.8284271247461903|5.656854249492381|"
	assert_equal "$(col out.csv y_roll_2_min)" "||1|2|4|8|"
	assert_equal "$(col out.csv y_roll_2_sum)" "||3|6|12|24|"
	# diff_1 at t is y[t-1] - y[t-2]
	assert_equal "$(col out.csv y_diff_1)" "||1|2|4|8|"
}

@test "no feature of a row uses a target value at or after its time" {
	cp "$FC_ROOT/config.yaml" .
	mkdir -p data/sample
	cp "$FC_ROOT/data/sample/seatbelts.csv" data/sample/
	fc-load data/sample/seatbelts.csv | fc-clean > clean.csv
	local set=(-s 'features.diffs=[1, 12]' -s 'features.holidays=[{name: xmas, date: 12-25}]')
	fc-feat "${set[@]}" clean.csv > a.csv
	# perturb every target from 1977-05 on, and compare the rows up to it
	awk -F, -v OFS=, 'NR > 1 && $2 >= "1977-05-01" { $3 = $3 * 10 + 7 } 1' clean.csv > p.csv
	fc-feat "${set[@]}" p.csv > b.csv
	! cmp -s a.csv b.csv
	awk -F, -v OFS=, 'NR == 1 || $2 <= "1977-05-01" { $3 = ""; print }' a.csv > a.kept
	awk -F, -v OFS=, 'NR == 1 || $2 <= "1977-05-01" { $3 = ""; print }' b.csv > b.kept
	[ "$(wc -l < a.kept)" -eq $((4 * 101 + 1)) ]
	cmp a.kept b.kept
	# and the row after does change: its lag_1 is the perturbed value
	[ "$(grep -c ',1977-06-01,' a.csv)" -eq 4 ]
	! cmp -s <(grep ',1977-06-01,' a.csv) <(grep ',1977-06-01,' b.csv)
}

@test "holidays: Easter dates, nth and last weekdays, flags and day counts" {
	printf 'unique_id,ds,y\nA,1983-01-01,1\nB,2024-01-01,1\nC,2025-01-01,1\n' > y.csv
	fc-feat -s schema.frequency=Y -s predict.horizon=1 -s 'features.holidays=[{name: easter, easter: 0}]' y.csv > e.csv
	assert_equal "$(head -1 e.csv)" "unique_id,ds,y,hol_easter,hol_easter_days_to,hol_easter_days_since"
	# 1983-04-03, 2024-03-31 and 2025-04-20 are 92, 90 and 109 days in
	assert_equal "$(col e.csv hol_easter_days_to)" "92|112|90|109|109|94"
	assert_equal "$(col e.csv hol_easter)" "1|1|1|1|1|1"
	printf 'unique_id,ds,y\nA,2024-05-01,1\nA,2024-06-01,1\n' > n.csv
	fc-feat -s predict.horizon=6 -s 'features.holidays=[{name: thanksgiving, rule: {month: 11, weekday: thursday, nth: 4}}, {name: memorial, rule: {month: 5, weekday: mon, nth: -1}}, {name: xmas, date: 12-25}]' n.csv > h.csv
	# 2024-11-28 is 27 days after Nov 1, 2023-11-23 344 days before;
	# 2024-05-27 is 26 days after May 1, 2025-05-26 206 days after Nov 1
	assert_equal "$(grep 2024-11-01 h.csv | cut -d, -f4-)" "1,27,344,0,206,158,0,54,312"
	assert_equal "$(sed -n 2p h.csv | cut -d, -f4-)" "0,211,160,1,26,338,0,238,128"
	assert_equal "$(col h.csv hol_xmas)" "0|0|0|0|0|0|0|1"
}

@test "horizon rows continue the grid with calendar filled and the target empty" {
	printf 'unique_id,ds,y,x\nA,2023-11-30,1,5\nA,2023-12-31,2,6\nA,2024-01-31,3,7\nB,2023-12-31,4,8\n' > e.csv
	fc-feat -s schema.frequency=M -s predict.horizon=3 -s 'features.calendar=[month, is_month_end]' e.csv > out.csv
	[ "$(wc -l < out.csv)" -eq $((1 + 3 + 3 + 1 + 3)) ]
	assert_equal "$(sed -n 5,7p out.csv | paste -sd' ')" "A,2024-02-29,,,2,1 A,2024-03-31,,,3,1 A,2024-04-30,,,4,1"
	assert_equal "$(tail -1 out.csv)" "B,2024-03-31,,,3,1"
}

@test "exogenous files join on (id, time) and on time, and fill the horizon" {
	printf 'unique_id,ds,y,kms\nA,2024-01-01,1,10\nA,2024-02-01,2,\nB,2024-01-01,3,30\n' > in.csv
	printf 'unique_id,ds,kms,price\nA,2024-02-01,11,1.5\nA,2024-03-01,12,1.6\nB,2024-02-01,31,2.5\nA,2024-01-01,99,1.4\n' > by_id.csv
	printf 'ds,promo\n2024-02-01,1\n2024-03-01,0\n' > by_time.csv
	fc-feat -s schema.frequency=M -s predict.horizon=1 -s 'features.lags={kms: [1]}' \
		-s 'features.exogenous=[{path: by_id.csv, on: [unique_id, ds]}, {path: by_time.csv, on: [time]}]' in.csv > out.csv
	assert_equal "$(head -1 out.csv)" "unique_id,ds,y,kms,price,promo,kms_lag_1"
	# the layer's own value wins; empty cells and the horizon are filled
	assert_equal "$(sed -n 2,6p out.csv | paste -sd' ')" "A,2024-01-01,1,10,1.4,, A,2024-02-01,2,11,1.5,1,10 A,2024-03-01,,12,1.6,0,11 B,2024-01-01,3,30,,, B,2024-02-01,,31,2.5,1,30"
}

@test "the feature layer is byte-identical on a rerun and has a sidecar" {
	cp "$FC_ROOT/config.yaml" .
	mkdir -p data/sample
	cp "$FC_ROOT/data/sample/seatbelts.csv" data/sample/
	fc-load data/sample/seatbelts.csv | fc-clean > clean.csv
	fc-feat -o a.csv clean.csv
	fc-feat -o b.csv clean.csv
	cmp a.csv b.csv
	[ "$(wc -l < a.csv)" -eq $((1 + 768 + 48)) ]
	grep -q '"horizon_rows":	48' a.csv.meta.json
	grep -q '"blocks":	\["schema", "features", "predict"\]' a.csv.meta.json
	grep -q '"columns_added":	\["year", "quarter", "month", "fourier_12_sin_1"' a.csv.meta.json
}

# ---- processed ----

@test "processed keeps or drops columns and drops incomplete first rows" {
	fc-feat -s predict.horizon=1 -s 'features.lags={y: [1, 2]}' -s 'features.calendar=[month]' m.csv > f.csv
	fc-feat -p -s 'processed.columns=[y_lag_2, month]' f.csv > p.csv
	assert_equal "$(paste -sd' ' p.csv)" "unique_id,ds,y,y_lag_2,month A,2024-03-01,4,1,3 A,2024-04-01,8,2,4 A,2024-05-01,16,4,5 A,2024-06-01,,8,6"
	fc-feat -p -s 'processed.drop=[month]' -s processed.incomplete=fill -s processed.fill_value=-1 f.csv > q.csv
	assert_equal "$(paste -sd' ' q.csv)" "unique_id,ds,y,y_lag_1,y_lag_2 A,2024-01-01,1,-1,-1 A,2024-02-01,2,1,-1 A,2024-03-01,4,2,1 A,2024-04-01,8,4,2 A,2024-05-01,16,8,4 A,2024-06-01,,16,8"
	fc-feat -p -s processed.incomplete=keep -s processed.window=2 f.csv > w.csv
	assert_equal "$(paste -sd' ' w.csv)" "unique_id,ds,y,month,y_lag_1,y_lag_2 A,2024-04-01,8,4,4,2 A,2024-05-01,16,5,8,4 A,2024-06-01,,6,16,8"
}

@test "processed aggregates days to weeks by sum, mean and last" {
	printf 'unique_id,ds,y,price,tag\n' > d.csv
	for d in 01 02 03 04 05 06 07 08 09 10; do printf 'A,2024-01-%s,%d,%d,t%s\n' "$d" "${d#0}" "$((${d#0} * 10))" "$d" >> d.csv; done
	# 2024-01-01 is a Monday: weeks of 7 and 3 days
	fc-feat -p -s processed.incomplete=keep -s processed.frequency=W -s 'processed.aggregate={y: sum, tag: last}' d.csv > w.csv
	assert_equal "$(paste -sd' ' w.csv)" "unique_id,ds,y,price,tag A,2024-01-01,28,40,t07 A,2024-01-08,27,90,t10"
	run --separate-stderr fc-feat -p -s 'processed.columns=[nope]' d.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "fc-feat: d.csv:1: unknown column 'nope' in processed.columns"
}

@test "processed aggregates a weekly layer to months, an empty value making the month empty" {
	printf 'unique_id,ds,y\nA,2024-01-01,1\nA,2024-01-08,2\nA,2024-01-15,3\nA,2024-01-22,4\nA,2024-01-29,5\nA,2024-02-05,6\nA,2024-02-12,\n' > w.csv
	fc-feat -p -s processed.frequency=M -s 'processed.aggregate={y: sum}' w.csv > m.out
	assert_equal "$(paste -sd' ' m.out)" "unique_id,ds,y A,2024-01-01,15 A,2024-02-01,"
	fc-feat -p -s processed.frequency=M -o m2.csv w.csv
	assert_equal "$(paste -sd' ' m2.csv)" "unique_id,ds,y A,2024-01-01,3 A,2024-02-01,"
	grep -q '"blocks":	\["schema", "processed"\]' m2.csv.meta.json
}

# ---- threads ----

# big N: N daily series of 400 rows (about 20 bytes a row), sorted
big() {
	awk -v n="$1" 'BEGIN { print "unique_id,ds,y,p"
		for (s = 0; s < n; s++) for (d = 0; d < 400; d++) {
			t = 1704067200 + d * 86400
			printf "S%05d,%s,%.3f,%d\n", s, strftime("%Y-%m-%d", t, 1), (s * 7 + d * 13) % 101 / 7, d % 5 }
	}'
}

feat_args=(-s 'features.calendar=[day_of_week]' -s 'features.lags={y: [1, 7], p: [1]}'
	-s 'features.rolling=[{column: y, window: 7, stats: [mean, std]}]'
	-s 'features.diffs=[1]' -s 'features.fourier=[{period: 7, k: 1}]')

@test "one thread or several: the same bytes across many batches" {
	big 500 > big.csv
	[ "$(wc -c < big.csv)" -gt 3000000 ]
	fc-feat "${feat_args[@]}" -s runtime.threads=1 -o one.csv big.csv
	fc-feat "${feat_args[@]}" -s runtime.threads=2 -o two.csv big.csv
	fc-feat "${feat_args[@]}" -s runtime.threads=5 -o five.csv big.csv
	cmp one.csv two.csv
	cmp one.csv five.csv
	assert_equal "$(wc -l < one.csv)" $((500 * (400 + 12) + 1))
}

@test "with threads, the first bad row in the file is the one reported" {
	big 400 > big.csv
	# a bad number late in the file, then an id out of order after it
	awk -F, -v OFS=, 'NR == 120000 { $3 = "x1" } NR == 150001 { $1 = "S00001" } { print }' big.csv > bad.csv
	for t in 1 2 4; do
		run --separate-stderr fc-feat "${feat_args[@]}" -s runtime.threads=$t -o out.csv bad.csv
		assert_equal "$status" 65
		assert_equal "$stderr" "fc-feat: bad.csv:120000: column 'y': invalid number 'x1'"
		[ ! -e out.csv ]
	done
	# a broken quote after them is not reached first either
	awk 'NR == 150010 { print "S00375,\"2024-01-01,1,1"; next } { print }' bad.csv > worse.csv
	for t in 1 2; do
		run --separate-stderr fc-feat "${feat_args[@]}" -s runtime.threads=$t -o out.csv worse.csv
		assert_equal "$status" 65
		assert_equal "$stderr" "fc-feat: worse.csv:120000: column 'y': invalid number 'x1'"
	done
}

@test "with threads, an id out of order at a batch's edge is reported at its line" {
	big 400 > big.csv
	awk -F, -v OFS=, 'NR == 100001 { $1 = "S00000" } { print }' big.csv > bad.csv
	for t in 1 2; do
		run --separate-stderr fc-feat "${feat_args[@]}" -s runtime.threads=$t -o out.csv bad.csv
		assert_equal "$status" 65
		assert_equal "$stderr" "fc-feat: bad.csv:100001: id 'S00000' after 'S00249': not sorted by (id, time)"
	done
}

@test "the sidecar's sha256 are those of the input and output files, any thread count" {
	big 300 > big.csv
	for t in 1 2 3; do
		fc-feat "${feat_args[@]}" -s runtime.threads=$t -o f$t.csv big.csv
		assert_equal "$(jq -r .input.sha256 f$t.csv.meta.json)" "$(sha256sum big.csv | cut -d' ' -f1)"
		assert_equal "$(jq -r .output.sha256 f$t.csv.meta.json)" "$(sha256sum f$t.csv | cut -d' ' -f1)"
		fc-feat -p -s runtime.threads=$t -o p$t.csv f$t.csv
		assert_equal "$(jq -r .input.sha256 p$t.csv.meta.json)" "$(sha256sum f$t.csv | cut -d' ' -f1)"
		assert_equal "$(jq -r .output.sha256 p$t.csv.meta.json)" "$(sha256sum p$t.csv | cut -d' ' -f1)"
	done
}
