# arima.R - the R side of bench/arima.sh.
#   Rscript arima.R fit DIR: auto.arima on DIR/train.csv (one core), writes
#     DIR/r.csv (unique_id,h,yhat) and DIR/r_fits.csv (unique_id,form,secs)
#   Rscript arima.R report WORK EVERY JSON MD: scores fc and R per frequency
suppressPackageStartupMessages(library(forecast))
a <- commandArgs(TRUE)
readset <- function(d) {
  meta <- read.csv(file.path(d, "meta.csv"), colClasses = c(unique_id = "character"))
  tr <- read.csv(file.path(d, "train.csv"), colClasses = c("character", "character", "numeric"))
  te <- read.csv(file.path(d, "test.csv"), colClasses = c("character", "character", "numeric"))
  list(meta = meta, tr = split(tr$y, tr$unique_id), te = split(te$y, te$unique_id))
}
if (a[1] == "fit") {
  d <- a[2]; s <- readset(d)
  fc <- list(); fits <- list()
  for (id in s$meta$unique_id) {
    m <- s$meta$frequency[s$meta$unique_id == id]; h <- s$meta$horizon[s$meta$unique_id == id]
    y <- ts(s$tr[[id]], frequency = m)
    cpu <- function() sum(proc.time()[c("user.self", "sys.self")])
    t0 <- cpu()
    f <- tryCatch(auto.arima(y), error = function(e) NULL)
    t1 <- cpu()
    yhat <- if (is.null(f)) rep(NA, h) else as.numeric(forecast(f, h = h)$mean)
    form <- if (is.null(f)) "error" else forecast:::arima.string(f)
    fc[[id]] <- data.frame(unique_id = id, h = seq_len(h), yhat = yhat)
    fits[[id]] <- data.frame(unique_id = id, form = form, secs = t1 - t0)
  }
  write.csv(do.call(rbind, fc), file.path(d, "r.csv"), row.names = FALSE)
  write.csv(do.call(rbind, fits), file.path(d, "r_fits.csv"), row.names = FALSE)
  quit(save = "no")
}
# report
work <- a[2]; every <- as.integer(a[3])
mevery <- if (length(a) >= 6) as.integer(a[6]) else every
nrep <- if (length(a) >= 7) as.integer(a[7]) else 1
times <- read.table(file.path(work, "fc_times"), col.names = c("period", "n", "t0", "t1"))
smape <- function(y, f) mean(200 * abs(y - f) / (abs(y) + abs(f)))
mase <- function(x, y, f, m) {
  if (length(x) <= m) m <- 1
  mean(abs(y - f)) / mean(abs(diff(x, lag = m)))
}
rows <- list()
for (p in c("YEARLY", "QUARTERLY", "MONTHLY", "OTHER")) {
  d <- file.path(work, p); s <- readset(d)
  r <- read.csv(file.path(d, "r.csv"), colClasses = c(unique_id = "character"))
  rf <- read.csv(file.path(d, "r_fits.csv"), colClasses = c(unique_id = "character"))
  f <- read.csv(file.path(d, "fc.csv"), colClasses = c(unique_id = "character"))
  ff <- read.csv(file.path(d, "fc_forms.csv"), header = FALSE, col.names = c("unique_id", "form"),
                 colClasses = "character")
  sc <- t(sapply(s$meta$unique_id, function(id) {
    m <- s$meta$frequency[s$meta$unique_id == id]
    x <- s$tr[[id]]; y <- s$te[[id]]
    fy <- f$yhat[f$unique_id == id]; ry <- r$yhat[r$unique_id == id]
    c(smape(y, fy), smape(y, ry), mase(x, y, fy, m), mase(x, y, ry, m))
  }))
  same <- mean(ff$form[match(s$meta$unique_id, ff$unique_id)] ==
               rf$form[match(s$meta$unique_id, rf$unique_id)])
  tt <- times[times$period == p, ]
  fc_secs <- (tt$t1 - tt$t0) / tt$n
  rows[[p]] <- data.frame(period = p, series = nrow(s$meta),
    smape_fc = mean(sc[, 1]), smape_r = mean(sc[, 2]),
    mase_fc = mean(sc[, 3]), mase_r = mean(sc[, 4]),
    same_order = same, secs_fc = fc_secs, secs_r = mean(rf$secs),
    speedup = mean(rf$secs) / fc_secs, median_r = median(rf$secs))
}
tab <- do.call(rbind, rows)
bt <- file.path(work, "base_times")
if (file.exists(bt)) { # another fc build, timed in the same run
  b <- read.table(bt, col.names = c("period", "n", "t0", "t1"))
  bs <- (b$t1 - b$t0) / b$n
  tab$secs_base <- bs[match(tab$period, b$period)]
  tab$speedup_base <- tab$secs_r / tab$secs_base
}
all <- data.frame(period = "ALL", series = sum(tab$series),
  smape_fc = sum(tab$smape_fc * tab$series) / sum(tab$series),
  smape_r = sum(tab$smape_r * tab$series) / sum(tab$series),
  mase_fc = sum(tab$mase_fc * tab$series) / sum(tab$series),
  mase_r = sum(tab$mase_r * tab$series) / sum(tab$series),
  same_order = sum(tab$same_order * tab$series) / sum(tab$series),
  secs_fc = sum(tab$secs_fc * tab$series) / sum(tab$series),
  secs_r = sum(tab$secs_r * tab$series) / sum(tab$series), speedup = NA,
  median_r = NA)
if (!is.null(tab$secs_base)) {
  all$secs_base <- sum(tab$secs_base * tab$series) / sum(tab$series)
  all$speedup_base <- all$secs_r / all$secs_base
}
all$speedup <- all$secs_r / all$secs_fc
tab <- rbind(tab, all)
num <- function(x) ifelse(is.na(x), "null", sprintf("%.6g", x))
js <- paste0("{\n  \"benchmark\": \"arima\",\n  \"dataset\": \"M3\",\n  \"subsample\": \"every ",
  every, "th series of each period (every ", mevery, "th monthly one) in meta.csv order\",\n  \"r\": \"forecast ",
  packageVersion("forecast"), " auto.arima() defaults, one core\",\n  \"fc\": \"fc-train train.models=[arima], runtime.threads=1, windows=0 (CPU seconds per series, I/O included, the median of ", nrep, " runs)\", \"times\": \"CPU seconds (user + system) per series, on a shared 2-core machine\",\n  \"periods\": [\n",
  paste0("    {", sprintf("\"period\": \"%s\", \"series\": %d, \"smape_fc\": %s, \"smape_r\": %s, \"mase_fc\": %s, \"mase_r\": %s, \"same_order\": %s, \"secs_per_series_fc\": %s, \"secs_per_series_r\": %s, \"speedup\": %s, \"median_secs_r\": %s",
    tab$period, tab$series, num(tab$smape_fc), num(tab$smape_r), num(tab$mase_fc), num(tab$mase_r),
    num(tab$same_order), num(tab$secs_fc), num(tab$secs_r), num(tab$speedup), num(tab$median_r)), "}", collapse = ",\n"),
  "\n  ]\n}\n")
writeLines(js, a[4], sep = "")
md <- c("# arima: fc against R auto.arima on M3", "",
  sprintf("Every %dth series of each period, every %dth monthly one (meta.csv order); forecast %s; one core each, CPU seconds per series (fc: the median of %d runs over the period; R: the mean per series, its median in the last column); `ARIMA_EVERY=%d ARIMA_MONTHLY_EVERY=%d make bench-arima`.",
          every, mevery, packageVersion("forecast"), nrep, every, mevery), "",
  "| period | series | sMAPE fc | sMAPE R | MASE fc | MASE R | same order | s/series fc | s/series R | speed-up | R median s |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  sprintf("| %s | %d | %.3f | %.3f | %.4f | %.4f | %.1f%% | %.4f | %.4f | %.1fx | %s |", tab$period, tab$series,
    tab$smape_fc, tab$smape_r, tab$mase_fc, tab$mase_r, 100 * tab$same_order, tab$secs_fc,
    tab$secs_r, tab$speedup, ifelse(is.na(tab$median_r), "", sprintf("%.4f", tab$median_r))))
if (!is.null(tab$secs_base))
  md <- c(md, "", "The same run with the fc-train given as ARIMA_BASE (before):", "",
    "| period | s/series fc before | speed-up before | s/series fc | speed-up |",
    "| --- | ---: | ---: | ---: | ---: |",
    sprintf("| %s | %.4f | %.1fx | %.4f | %.1fx |", tab$period, tab$secs_base, tab$speedup_base,
      tab$secs_fc, tab$speedup))
writeLines(md, a[5])
