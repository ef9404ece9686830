# score.awk - sMAPE and MASE as the M4 competition computes them
# usage: awk -F, -f score.awk META TRAIN TEST FORECASTS
# META has a "frequency" column (m of MASE); TRAIN and TEST are
# unique_id,ds,y sorted by (id, ds); FORECASTS is unique_id,method,h,yhat.
# Prints "method series smape mase failed" per method: the mean over series
# of mean_h 200|y-f|/(|y|+|f|), and of mean_h |y-f| over the in-sample mean
# absolute difference at lag m. Series with a missing forecast are counted
# as failed and left out.
FNR == 1 {
	file++
	if (file == 1)
		for (i = 1; i <= NF; i++) { c = $i; gsub(/"/, "", c); if (c == "frequency") fcol = i }
	next
}
{ gsub(/"/, "") }
file == 1 { m[$1] = $fcol; next }
file == 2 {
	k = ++n[$1]; x[$1, k] = $3
	if (k > m[$1]) { s[$1] += ($3 - x[$1, k - m[$1]]) < 0 ? x[$1, k - m[$1]] - $3 : $3 - x[$1, k - m[$1]] }
	next
}
file == 3 { y[$1, ++nt[$1]] = $3; next }
{
	id = $1; meth = $2; h = $3; f = $4
	if (!((meth, id) in seen)) { seen[meth, id] = 1; ids[meth] = ids[meth] SUBSEP id; methods[meth] = 1 }
	if (f == "" || f == "NA" || !((id, h) in y)) { bad[meth, id] = 1; next }
	a = y[id, h]; d = a - f; if (d < 0) d = -d
	den = (a < 0 ? -a : a) + (f < 0 ? -f : f)
	sm[meth, id] += den == 0 ? 0 : 200 * d / den
	ae[meth, id] += d
	cnt[meth, id]++
}
END {
	for (meth in methods) {
		ns = 0; ts = 0; tm = 0; nf = 0
		k = split(substr(ids[meth], 2), list, SUBSEP)
		for (i = 1; i <= k; i++) {
			id = list[i]
			if ((meth, id) in bad || cnt[meth, id] != nt[id]) { nf++; continue }
			scale = s[id] / (n[id] - m[id])
			ts += sm[meth, id] / nt[id]
			tm += ae[meth, id] / nt[id] / scale
			ns++
		}
		printf "%s %d %.6f %.6f %d\n", meth, ns, ns ? ts / ns : 0, ns ? tm / ns : 0, nf
	}
}
