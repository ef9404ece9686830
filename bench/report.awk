# report.awk - accuracy.json and accuracy.md from the lines of accuracy.sh:
# dataset split tool method series smape mase failed secs_per_series notes
# OWA is against fc's naive2 on the same split; published M4 scores
# (pubf) sit beside the M4 splits.
BEGIN {
	pname["naive"] = "Naive"; pname["snaive"] = "sNaive"; pname["naive2"] = "Naive2"
	pname["ses"] = "SES"; pname["holt"] = "Holt"; pname["damped"] = "Damped"; pname["theta"] = "Theta"
	FS = ","
	while ((getline line < pubf) > 0) {
		gsub(/"/, "", line); np = split(line, f, ",")
		if (f[1] == "method") { for (i = 1; i <= np; i++) col[f[i]] = i; continue }
		for (p in col) pub[f[1], p] = f[col[p]]
	}
	FS = " "
}
{ n++; for (i = 1; i <= 10; i++) r[n, i] = $i
  if ($3 == "fc" && $4 == "naive2") { n2s[$1, $2] = $6; n2m[$1, $2] = $7 } }
END {
	print "# Accuracy: fc and R forecast" > md
	print "" > md
	print "sMAPE and MASE as the M4 competition computes them; OWA against fc's naive2 on the same split." > md
	print "Time: fc = wall time of fc-train + fc-predict over the split (2 threads) per series;" > md
	print "R = median elapsed time per series of the method call (2 processes, mclapply)." > md
	print "`pub` = published M4 score of the benchmark. `fallbacks` = series fc fitted with a simpler model (too short)." > md
	print "" > md
	print "| dataset | split | tool | method | series | sMAPE | MASE | OWA | pub sMAPE | pub MASE | failed | fallbacks | s/series |" > md
	print "|---|---|---|---|---|---|---|---|---|---|---|---|---|" > md
	printf "{\n  \"results\": [\n" > json
	for (i = 1; i <= n; i++) {
		ds = r[i, 1]; sp = r[i, 2]
		owa = ((ds, sp) in n2s) ? (r[i, 6] / n2s[ds, sp] + r[i, 7] / n2m[ds, sp]) / 2 : -1
		ps = pm = ""
		if (ds ~ /^m4-/ && r[i, 4] in pname) {
			ps = pub[pname[r[i, 4]], "sMAPE_" sp]; pm = pub[pname[r[i, 4]], "MASE_" sp]
		}
		printf "| %s | %s | %s | %s | %d | %.3f | %.3f | %.3f | %s | %s | %d | %d | %.5f |\n",
			ds, sp, r[i, 3], r[i, 4], r[i, 5], r[i, 6], r[i, 7], owa, ps, pm, r[i, 8], r[i, 10], r[i, 9] > md
		printf "    {\"dataset\": \"%s\", \"split\": \"%s\", \"tool\": \"%s\", \"method\": \"%s\", \"series\": %d, \"smape\": %.6f, \"mase\": %.6f, \"owa\": %.6f, \"published_smape\": %s, \"published_mase\": %s, \"failed\": %d, \"fallbacks\": %d, \"seconds_per_series\": %.6f}%s\n",
			ds, sp, r[i, 3], r[i, 4], r[i, 5], r[i, 6], r[i, 7], owa, ps == "" ? "null" : ps, pm == "" ? "null" : pm,
			r[i, 8], r[i, 10], r[i, 9], i < n ? "," : "" > json
	}
	printf "  ]\n}\n" > json
}
