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

/*
 * Write obj to "OUTPUT.meta.json" beside output, with "written_at" (UTC,
 * milliseconds, see fc_utc_now_ms) added when obj has none; obj itself is
 * left as it was. The run report reads it with "seconds" to place each
 * stage in time.
 */
int fc_meta_write(const cJSON *obj, const char *output, fc_err *err);

/* Current time as "YYYY-MM-DDTHH:MM:SS.mmmZ" into buf (>= 28 bytes). */
char *fc_utc_now_ms(char *buf);

/* Add a number only when finite, else null (never a silent NaN). */
cJSON *fc_json_num(cJSON *obj, const char *name, double x);

#endif
