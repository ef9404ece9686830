/* meta - the sidecar FILE.meta.json every layer file gets */
#ifndef FC_META_H
#define FC_META_H

#include <cjson/cJSON.h>

#include "config.h"
#include "err.h"

/*
 * A new sidecar object with "program", "version" and "config" (the block
 * names and the sha256 of their canonical text, see fc_meta_config_hash).
 * The caller adds fields and owns the object (cJSON_Delete). NULL when
 * out of memory.
 */
cJSON *fc_meta_new(const char *program, const fc_config *cfg,
		   const char *const *blocks, size_t nblocks);

/*
 * sha256 (hex, 65 bytes) of the canonical text of the named blocks,
 * concatenated in the order given. 0 or FC_EX_CONFIG.
 */
int fc_meta_config_hash(const fc_config *cfg, const char *const *blocks,
			size_t nblocks, char hex[65], fc_err *err);

/* Write obj as pretty JSON to path, atomically. 0 or 73/74. */
int fc_json_write(const cJSON *obj, const char *path, fc_err *err);

/* Read and parse a JSON file; NULL when missing or not JSON. */
cJSON *fc_json_read(const char *path);

/* Write obj to "OUTPUT.meta.json" beside output. */
int fc_meta_write(const cJSON *obj, const char *output, fc_err *err);

/* Add a number only when finite, else null (never a silent NaN). */
cJSON *fc_json_num(cJSON *obj, const char *name, double x);

#endif
