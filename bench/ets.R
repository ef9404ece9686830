# ets.R - R forecast's automatic ets() on one panel, and the report of
# bench/ets.sh.
#   Rscript ets.R TRAIN META OUTDIR [CORES]
#   Rscript ets.R report M3DIR FCDIR RDIR RESULTS
# For every series: ets(ts(y, frequency = m)) with R's defaults, then
# forecast(fit, h) with 80% and 95% intervals. Writes
#   OUTDIR/r_ets.csv        unique_id,form,loglik,aicc,secs
#   OUTDIR/r_forecasts.csv  unique_id,method,h,yhat,lo_95,hi_95
# secs is the processor time (user and system) of ets() alone; each
# worker of parallel::mclapply is one single-threaded R process.
suppressPackageStartupMessages({ library(forecast); library(parallel) })
a <- commandArgs(TRUE)
if (a[1] == "report") {
  source(file.path(dirname(sub("^--file=", "",
    grep("^--file=", commandArgs(FALSE), value = TRUE))), "ets-report.R"))
  quit(save = "no")
}
train <- read.csv(a[1], colClasses = c("character", "character", "numeric"))
meta <- read.csv(a[2], colClasses = c(unique_id = "character"))
out <- a[3]
cores <- if (length(a) >= 4) as.integer(a[4]) else 2L
ys <- split(train$y, factor(train$unique_id, levels = unique(train$unique_id)))
form <- function(fit) {
  k <- fit$components
  paste0(k[1], k[2], if (isTRUE(as.logical(k[4]))) "d" else "", k[3])
}
one <- function(id) {
  i <- match(id, meta$unique_id)
  m <- meta$frequency[i]; h <- meta$horizon[i]
  y <- ts(ys[[id]], frequency = m)
  cpu <- function() { p <- proc.time(); p[["user.self"]] + p[["sys.self"]] }
  t0 <- cpu()
  fit <- tryCatch(ets(y), error = function(e) NULL)
  t1 <- cpu()
  if (is.null(fit))
    return(list(data.frame(unique_id = id, form = NA, loglik = NA, aicc = NA,
                           secs = t1 - t0), NULL))
  f <- forecast(fit, h = h, level = 95)
  ll <- if (is.null(fit$loglik)) NA else fit$loglik
  ic <- if (is.null(fit$aicc)) NA else fit$aicc
  list(data.frame(unique_id = id, form = form(fit), loglik = ll, aicc = ic,
                  secs = t1 - t0),
       data.frame(unique_id = id, method = "ets", h = seq_len(h),
                  yhat = as.numeric(f$mean), lo_95 = as.numeric(f$lower),
                  hi_95 = as.numeric(f$upper)))
}
res <- if (cores > 1) mclapply(names(ys), one, mc.cores = cores) else lapply(names(ys), one)
fits <- do.call(rbind, lapply(res, `[[`, 1))
fcs <- do.call(rbind, lapply(res, `[[`, 2))
write.csv(fits, file.path(out, "r_ets.csv"), row.names = FALSE, quote = FALSE)
write.csv(fcs, file.path(out, "r_forecasts.csv"), row.names = FALSE,
          quote = FALSE)
