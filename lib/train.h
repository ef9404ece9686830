/* train - cross-validated model selection per series, the model file */
#ifndef FC_TRAIN_H
#define FC_TRAIN_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "err.h"

/* What fc_train did, for the sidecar. */
typedef struct fc_train_stats {
	unsigned long long rows, series, future_rows;
	unsigned long long fallbacks;   /* series with a fallback model */
	char sha256[65];                /* of the input as read */
} fc_train_stats;

/*
 * Train on the long CSV `in` (named `name` in errors and in the model
 * file), sorted by (id, time), as the config's schema, train, predict and
 * runtime blocks say (see fc-train(1)): per series, cross-validate every
 * model of train.models on rolling origins, keep the best by
 * train.selection.metric and refit it on the whole series. Series are
 * fitted on runtime.threads threads; the result does not depend on their
 * number. On success *doc is the model file (the caller frees it with
 * cJSON_Delete) and 0 is returned; otherwise *doc is NULL and the status
 * is returned with err filled: 65 bad data (unsorted, an empty target
 * inside a series, an irregular series, no rows), 74, 78, 70.
 */
int fc_train(const fc_config *cfg, FILE *in, const char *name, cJSON **doc,
	     fc_train_stats *st, fc_err *err);

#endif
