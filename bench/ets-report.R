# ets-report.R - the report of bench/ets.sh, sourced by ets.R with
# a = c("report", M3DIR, FCDIR, RDIR, RESULTS, RSPEEDDIR): forms agreed,
# sMAPE per period of fc and R, time per series on the subsample; writes
# RESULTS/ets.{json,md}.
m3 <- a[2]; fcd <- a[3]; rd <- a[4]; out <- a[5]; rsd <- a[6]
meta <- read.csv(file.path(m3, "meta.csv"), colClasses = c(unique_id = "character"))
test <- read.csv(file.path(m3, "test.csv"), colClasses = c("character", "character", "numeric"))
test$h <- ave(seq_along(test$y), test$unique_id, FUN = seq_along)
fcf <- read.csv(file.path(fcd, "fc_ets.csv"), colClasses = c("character", "character", "character"))
fcf$loglik <- suppressWarnings(as.numeric(fcf$loglik))
rf <- read.csv(file.path(rd, "r_ets.csv"), colClasses = c(unique_id = "character", form = "character"))
fct <- read.csv(file.path(fcd, "fc_times.csv"))
rst <- read.csv(file.path(rsd, "r_ets.csv"), colClasses = c(unique_id = "character", form = "character"))
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
forms$ll_close <- forms$same & !is.na(forms$loglik_fc) & !is.na(forms$loglik_r) &
  abs(forms$loglik_fc - forms$loglik_r) <= 1e-3 * abs(forms$loglik_r)
periods <- c("YEARLY", "QUARTERLY", "MONTHLY", "OTHER")
row <- function(p) {
  sel <- if (p == "ALL") rep(TRUE, nrow(forms)) else forms$period == p
  tf <- if (p == "ALL") fct else fct[fct$period == p, ]
  rs <- if (p == "ALL") rst$secs else rst$secs[meta$period[match(rst$unique_id, meta$unique_id)] == p]
  smf <- if (p == "ALL") sf$s else sf$s[sf$period == p]
  smr <- if (p == "ALL") sr$s else sr$s[sr$period == p]
  fsec <- sum(tf$secs) / sum(tf$series)
  rsec <- mean(rs)
  list(period = p, series = sum(sel), same_form = mean(forms$same[sel]),
       loglik_within_1e3 = sum(forms$ll_close[sel]) / sum(forms$same[sel] & !is.na(forms$loglik_r[sel])),
       smape_fc = mean(smf), smape_r = mean(smr),
       smape_rel_diff = mean(smf) / mean(smr) - 1,
       speed_series = sum(tf$series),
       secs_per_series_fc = fsec, secs_per_series_r = rsec,
       speedup = rsec / fsec)
}
rows <- lapply(c(periods, "ALL"), row)
differ <- forms[!forms$same, c("unique_id", "period", "form_fc", "form_r", "loglik_fc", "loglik_r")]
res <- list(benchmark = "ets", dataset = "m3", series = nrow(forms),
            r = paste("forecast", packageVersion("forecast")),
            note = paste("Forms, loglik and sMAPE on every series. Time per series",
                         "on the subsample of every tenth series (N0010, N0020 ... N3000),",
                         "processor time (user + system) on one core: fc, fc-train -s",
                         "train.models=[ets] -s runtime.threads=1 over the subsample",
                         "(reading, fitting and writing included); R, the sum of the",
                         "times of the ets(ts(y, frequency = m)) calls in one R process."),
            by_period = rows, forms_that_differ = differ)
jsonlite::write_json(res, file.path(out, "ets.json"), auto_unbox = TRUE,
                     pretty = TRUE, digits = NA)
md <- c("# Automatic ETS: fc against R's ets() on M3", "",
        sprintf("%d series, R %s; `bench/ets.sh` (`make bench-ets`).", nrow(forms), res$r), "",
        "| period | series | same form | loglik within 1e-3 | sMAPE fc | sMAPE R | fc/R - 1 | s/series fc | s/series R | R/fc |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for (r in rows)
  md <- c(md, sprintf("| %s | %d | %.1f%% | %.1f%% | %.3f | %.3f | %+.2f%% | %.5f | %.4f | %.0fx |",
                      r$period, r$series, 100 * r$same_form, 100 * r$loglik_within_1e3,
                      r$smape_fc, r$smape_r,
                      100 * r$smape_rel_diff, r$secs_per_series_fc,
                      r$secs_per_series_r, r$speedup))
md <- c(md, "", res$note, "",
        "loglik within 1e-3: share of the series with the same form whose log-likelihoods agree to 1e-3 relative.",
        "", sprintf("Forms that differ: %d (listed in ets.json).", nrow(differ)))
writeLines(md, file.path(out, "ets.md"))
