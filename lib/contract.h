/* contract - a data contract: required columns and their types */
#ifndef FC_CONTRACT_H
#define FC_CONTRACT_H

#include "config.h"
#include "csvio.h"
#include "err.h"
#include "value.h"

/*
 * The contract comes from load.columns (name: type), load.na_values and
 * schema.time_format. A contract column matches a header name exactly, or
 * failing that, by snake_case ("Units Sold" matches units_sold). NA
 * tokens pass any type. The contract owns nothing of the config's: keep
 * the config alive while the contract is used.
 */
typedef struct fc_contract fc_contract;

/* Build a contract from cfg; FC_EX_CONFIG for an unknown type name. */
int fc_contract_new(fc_contract **c, const fc_config *cfg, fc_err *err);

void fc_contract_free(fc_contract *c);

/*
 * Check the header row: no empty or duplicate names (also after
 * snake_case), every contract column present. 0 or 65 with err filled
 * (file `file`, the header's line).
 */
int fc_contract_header(fc_contract *c, const fc_csv_row *hdr,
		       const char *file, fc_err *err);

/*
 * Check one data row. Each bad cell is passed to report (err with file,
 * line and "column 'y': invalid number 'abc'"); returns the number of bad
 * cells. Stops early when report returns non-zero.
 */
size_t fc_contract_row(fc_contract *c, const fc_csv_row *row,
		       const char *file,
		       int (*report)(void *ctx, const fc_err *e), void *ctx);

#endif
