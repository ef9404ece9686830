/* sim - what-if scenarios, sensitivity and sample paths of fc-sim */
#ifndef FC_SIM_H
#define FC_SIM_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "err.h"
#include "forecast.h"

typedef struct fc_sim fc_sim;

/*
 * Read the simulate block of cfg (scenarios, sensitivity, paths,
 * thresholds) and project.seed. On success *out is a new fc_sim (free with
 * fc_sim_free) and 0 is returned; a malformed scenario is FC_EX_CONFIG
 * with the config file and the line of the offending node.
 */
int fc_sim_new(const fc_config *cfg, fc_sim **out, fc_err *err);

/* Free s; NULL is a no-op. */
void fc_sim_free(fc_sim *s);

/*
 * Simulate every series of model (see fc-sim(1)) with the future rows and
 * levels of o, writing the long CSV to out
 * (unique_id,ds,scenario,yhat,lo_L,hi_L,...,baseline,delta,delta_pct).
 * *summary receives a new JSON object (the caller frees it) with the
 * scenarios, warnings, sensitivity table and sample-path quantiles; its
 * "warnings" array holds the messages a tool prints. 0 or a status with
 * err filled, as fc_predict.
 */
int fc_sim_run(fc_sim *s, const cJSON *model, const fc_config *cfg,
	       const fc_predict_opts *o, FILE *out, cJSON **summary,
	       fc_predict_stats *st, fc_err *err);

#endif
