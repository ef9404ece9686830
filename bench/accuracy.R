# accuracy.R - R forecast on one split, the reference of bench/accuracy.sh
# usage: Rscript accuracy.R TRAIN META OUTDIR | --methods
# TRAIN is unique_id,ds,y sorted by (id, time); META has unique_id,
# frequency (m) and horizon (h). Writes OUTDIR/r_forecasts.csv
# (unique_id,method,h,yhat) and OUTDIR/r_times.csv
# (unique_id,method,seconds,status): the elapsed time of each fit and
# forecast, and "ok" or why there is no forecast. Series run in 2
# processes (parallel::mclapply), each fit single-threaded. ets and arima
# are forecast::ets(y) and forecast::auto.arima(y) with their defaults.
suppressPackageStartupMessages({
	library(forecast)
	library(parallel)
})
methods <- c("naive", "snaive", "mean", "drift", "naive2", "ses", "holt",
	     "damped", "ses_m4", "holt_m4", "damped_m4", "holt_winters",
	     "holt_winters_mul", "theta", "croston", "mstl", "ets", "arima")
a <- commandArgs(TRUE)
# --methods: the methods, one line, space-separated (for accuracy.sh)
if (identical(a, "--methods")) {
	cat(methods, "\n")
	quit(save = "no")
}
train <- read.csv(a[1], colClasses = c("character", "NULL", "numeric"))
meta <- read.csv(a[2], colClasses = c(unique_id = "character"))
out <- a[3]
ids <- unique(train$unique_id)
ys <- split(train$y, factor(train$unique_id, levels = ids))
freq <- setNames(meta$frequency, meta$unique_id)
hor <- setNames(meta$horizon, meta$unique_id)

# The M4 benchmarks' seasonal adjustment: a series of at least 3 seasons
# is seasonal when its autocorrelation at lag m exceeds the 90% limit
# 1.645 sqrt((1 + 2 sum_{k<m} r_k^2) / n); a seasonal series is divided
# by the figure of a classical multiplicative decomposition and the
# forecasts multiplied by the figure of the steps ahead.
seasonal_adjust <- function(y, h) {
	m <- frequency(y)
	n <- length(y)
	seasonal <- FALSE
	if (m > 1 && n >= 3 * m) {
		r <- acf(y, lag.max = m, plot = FALSE)$acf[-1]
		limit <- 1.645 * sqrt((1 + 2 * sum(r[seq_len(m - 1)]^2)) / n)
		seasonal <- isTRUE(abs(r[m]) > limit)
	}
	if (!seasonal)
		return(list(y = y, index = rep(1, h)))
	s <- decompose(y, type = "multiplicative")$seasonal
	last <- as.numeric(s[(n - m + 1):n])
	list(y = y / s, index = rep(last, length.out = h))
}

# Methods with m = 1 only where they make sense.
seasonal_only <- c("holt_winters", "holt_winters_mul", "mstl")
# hw() takes no season longer than 24
short_season_only <- c("holt_winters", "holt_winters_mul")

forecast1 <- function(method, y, h) {
	switch(method,
		naive = naive(y, h)$mean,
		snaive = snaive(y, h)$mean,
		mean = meanf(y, h)$mean,
		drift = rwf(y, h, drift = TRUE)$mean,
		naive2 = with(seasonal_adjust(y, h), naive(y, h)$mean * index),
		ses = ses(y, h)$mean,
		holt = holt(y, h)$mean,
		damped = holt(y, h, damped = TRUE)$mean,
		ses_m4 = with(seasonal_adjust(y, h), ses(y, h)$mean * index),
		holt_m4 = with(seasonal_adjust(y, h), holt(y, h)$mean * index),
		damped_m4 = with(seasonal_adjust(y, h),
				 holt(y, h, damped = TRUE)$mean * index),
		holt_winters = hw(y, h, seasonal = "additive")$mean,
		holt_winters_mul = hw(y, h, seasonal = "multiplicative")$mean,
		theta = thetaf(y, h)$mean,
		mstl = stlf(y, h)$mean,
		# croston() also computes n - 1 in-sample refits for its fitted
		# values (quadratic in n: 90 s on one weekly M4 series); this is
		# the function it calls, with the same mean and no fitted values.
		croston = {
			if (any(y < 0))
				stop("Series should not contain negative values")
			forecast:::croston2(y, h, alpha = 0.1, nofits = TRUE)
		},
		# the automatic models, as a user calls them
		ets = forecast(ets(y), h = h)$mean,
		arima = forecast(auto.arima(y), h = h)$mean,
		stop("unknown method"))
}

# R_TIME_LIMIT (seconds, default none) stops a call that takes longer:
# that method then has no forecast for the series. The call runs in a
# child process, killed at the limit (auto.arima()'s C code does not
# heed setTimeLimit()).
limit <- suppressWarnings(as.numeric(Sys.getenv("R_TIME_LIMIT")))
if (is.na(limit)) limit <- 0
limited <- function(call, h) {
	if (!(limit > 0))
		return(call())
	job <- mcparallel(call(), silent = TRUE)
	res <- mccollect(job, wait = FALSE, timeout = limit)
	if (is.null(res)) {
		tools::pskill(job$pid, tools::SIGKILL)
		suppressWarnings(mccollect(job, wait = TRUE))
		return(list(rep(NA_real_, h),
			    sprintf("stopped at the %g s limit", limit)))
	}
	res[[1]]
}
# R_METHODS (comma-separated) runs only those
if (nzchar(Sys.getenv("R_METHODS")))
	methods <- intersect(methods, strsplit(Sys.getenv("R_METHODS"), ",")[[1]])

one <- function(id) {
	m <- freq[[id]]
	h <- hor[[id]]
	y <- ts(ys[[id]], frequency = m)
	fc <- list()
	tm <- list()
	for (mt in methods) {
		if ((m == 1 && mt %in% seasonal_only) ||
		    (m > 24 && mt %in% short_season_only))
			next
		t0 <- proc.time()[["elapsed"]]
		f <- limited(function()
			tryCatch(list(as.numeric(forecast1(mt, y, h)), "ok"),
				 error = function(e) list(rep(NA_real_, h),
							  conditionMessage(e))), h)
		t1 <- proc.time()[["elapsed"]]
		yhat <- f[[1]]
		status <- f[[2]]
		if (status == "ok" && (length(yhat) != h || any(!is.finite(yhat))))
			status <- "non-finite forecast"
		if (status != "ok")
			yhat <- rep(NA_real_, h)
		fc[[mt]] <- sprintf("%s,%s,%d,%.17g", id, mt, seq_len(h), yhat)
		tm[[mt]] <- sprintf("%s,%s,%.4f,%s", id, mt, t1 - t0,
				    gsub("[,\n\"]", " ", status))
	}
	list(fc = unlist(fc, use.names = FALSE),
	     tm = unlist(tm, use.names = FALSE))
}

t0 <- proc.time()[["elapsed"]]
res <- mclapply(ids, one, mc.cores = 2)
bad <- vapply(res, inherits, NA, "try-error")
if (any(bad))
	stop("R failed on series ", paste(ids[bad], collapse = " "))
writeLines(c("unique_id,method,h,yhat",
	     unlist(lapply(res, `[[`, "fc"), use.names = FALSE)),
	   file.path(out, "r_forecasts.csv"))
writeLines(c("unique_id,method,seconds,status",
	     unlist(lapply(res, `[[`, "tm"), use.names = FALSE)),
	   file.path(out, "r_times.csv"))
cat(sprintf("%.3f\n", proc.time()[["elapsed"]] - t0),
    file = file.path(out, "r_wall"))
