# accuracy.R - R forecast on one split: Rscript accuracy.R TRAIN META OUTDIR
# Writes OUTDIR/r_forecasts.csv (unique_id,method,h,yhat) and
# OUTDIR/r_times.csv (method,median_seconds_per_series); 2 cores.
suppressPackageStartupMessages({ library(forecast); library(parallel) })
a <- commandArgs(TRUE)
train <- read.csv(a[1], colClasses = c("character", "character", "numeric"))
meta <- read.csv(a[2], colClasses = c(unique_id = "character"))
out <- a[3]
ys <- split(train$y, factor(train$unique_id, levels = unique(train$unique_id)))
methods <- c("naive", "snaive", "mean", "drift", "ses", "holt", "damped",
             "holt_winters", "holt_winters_mul", "theta", "croston")
fit1 <- function(method, y, h) {
  switch(method,
    naive = naive(y, h)$mean, snaive = snaive(y, h)$mean,
    mean = meanf(y, h)$mean, drift = rwf(y, h, drift = TRUE)$mean,
    ses = ses(y, h)$mean, holt = holt(y, h)$mean,
    damped = holt(y, h, damped = TRUE)$mean,
    holt_winters = hw(y, h, seasonal = "additive")$mean,
    holt_winters_mul = hw(y, h, seasonal = "multiplicative")$mean,
    theta = thetaf(y, h)$mean, croston = croston(y, h)$mean)
}
one <- function(id) {
  m <- meta$frequency[meta$unique_id == id]; h <- meta$horizon[meta$unique_id == id]
  y <- ts(ys[[id]], frequency = m)
  do.call(rbind, lapply(methods, function(mt) {
    if (m == 1 && mt %in% c("snaive", "holt_winters", "holt_winters_mul"))
      return(NULL)
    t0 <- proc.time()[["elapsed"]]
    f <- tryCatch(as.numeric(fit1(mt, y, h)), error = function(e) rep(NA, h))
    t1 <- proc.time()[["elapsed"]]
    data.frame(unique_id = id, method = mt, h = seq_len(h), yhat = f,
               secs = t1 - t0)
  }))
}
res <- do.call(rbind, mclapply(names(ys), one, mc.cores = 2))
write.csv(res[, 1:4], file.path(out, "r_forecasts.csv"), row.names = FALSE,
          quote = FALSE)
tm <- aggregate(secs ~ method, res[res$h == 1, ], median)
write.csv(tm, file.path(out, "r_times.csv"), row.names = FALSE, quote = FALSE)
