# ets-report.R - the report of bench/ets.sh, sourced by ets.R with
# a = c("report", M3DIR, FCDIR, RDIR, RESULTS): forms agreed, sMAPE per
# period of fc and R, time per series; writes RESULTS/ets.{json,md}.
m3 <- a[2]; fcd <- a[3]; rd <- a[4]; out <- a[5]
meta <- read.csv(file.path(m3, "meta.csv"), colClasses = c(unique_id = "character"))
test <- read.csv(file.path(m3, "test.csv"), colClasses = c("character", "character", "numeric"))
test$h <- ave(seq_along(test$y), test$unique_id, FUN = seq_along)
fcf <- read.csv(file.path(fcd, "fc_ets.csv"), colClasses = "character")
rf <- read.csv(file.path(rd, "r_ets.csv"), colClasses = c(unique_id = "character", form = "character"))
fct <- read.csv(file.path(fcd, "fc_times.csv"))
smape <- function(f) {
  x <- merge(test, f, by = c("unique_id", "h"))
  x$s <- ifelse(abs(x$y) + abs(x$yhat) == 0, 0, 200 * abs(x$y - x$yhat) / (abs(x$y) + abs(x$yhat)))
  s <- aggregate(s ~ unique_id, x, mean)
  s$period <- meta$period[match(s$unique_id, meta$unique_id)]
  s
}
sf <- smape(read.csv(file.path(fcd, "fc_forecasts.csv"), colClasses = c("character", "integer", "numeric")))
sr <- smape(read.csv(file.path(rd, "r_forecasts.csv"), colClasses = c("character", "character", "integer", "numeric", "numeric", "numeric"))[, c("unique_id", "h", "yhat")])
forms <- merge(fcf, rf, by = "unique_id", suffixes = c("_fc", "_r"))
forms$period <- meta$period[match(forms$unique_id, meta$unique_id)]
forms$same <- forms$form_fc == forms$form_r
periods <- c("YEARLY", "QUARTERLY", "MONTHLY", "OTHER")
row <- function(p) {
  sel <- if (p == "ALL") TRUE else forms$period == p
  tf <- if (p == "ALL") fct else fct[fct$period == p, ]
  rs <- if (p == "ALL") rf$secs else rf$secs[meta$period[match(rf$unique_id, meta$unique_id)] == p]
  smf <- if (p == "ALL") sf$s else sf$s[sf$period == p]
  smr <- if (p == "ALL") sr$s else sr$s[sr$period == p]
  fsec <- sum(tf$secs) / sum(tf$series)
  rsec <- mean(rs)
  list(period = p, series = sum(sel), same_form = mean(forms$same[sel]),
       smape_fc = mean(smf), smape_r = mean(smr),
       smape_rel_diff = mean(smf) / mean(smr) - 1,
       secs_per_series_fc = fsec, secs_per_series_r = rsec,
       speedup = rsec / fsec)
}
rows <- lapply(c(periods, "ALL"), row)
differ <- forms[!forms$same, c("unique_id", "period", "form_fc", "form_r")]
res <- list(benchmark = "ets", dataset = "m3", series = nrow(forms),
            r = paste("forecast", packageVersion("forecast")),
            note = paste("fc: fc-train -s train.models=[ets] -s runtime.threads=1,",
                         "time per series = wall time of fc-train over the series",
                         "(reading, fitting, writing); R: ets(ts(y, frequency = m)),",
                         "time of the call, each series in a single-threaded worker",
                         "of mclapply(mc.cores = 2)"),
            by_period = rows, forms_that_differ = differ)
jsonlite::write_json(res, file.path(out, "ets.json"), auto_unbox = TRUE,
                     pretty = TRUE, digits = NA)
md <- c("# Automatic ETS: fc against R's ets() on M3", "",
        sprintf("%d series, R %s; `bench/ets.sh` (`make bench-ets`).", nrow(forms), res$r), "",
        "| period | series | same form | sMAPE fc | sMAPE R | fc/R - 1 | s/series fc | s/series R | R/fc |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for (r in rows)
  md <- c(md, sprintf("| %s | %d | %.1f%% | %.3f | %.3f | %+.2f%% | %.5f | %.4f | %.0fx |",
                      r$period, r$series, 100 * r$same_form, r$smape_fc, r$smape_r,
                      100 * r$smape_rel_diff, r$secs_per_series_fc,
                      r$secs_per_series_r, r$speedup))
md <- c(md, "", res$note, "",
        sprintf("Forms that differ: %d (listed in ets.json).", nrow(differ)))
writeLines(md, file.path(out, "ets.md"))
