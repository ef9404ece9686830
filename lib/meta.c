/* meta - the sidecar FILE.meta.json every layer file gets */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "io.h"
#include "meta.h"

int
fc_meta_config_hash(const fc_config *cfg, const char *const *blocks,
		    size_t nblocks, char hex[65], fc_err *err)
{
	fc_sha256 h;
	size_t i;

	fc_sha256_init(&h);
	for (i = 0; i < nblocks; i++) {
		char *text = fc_config_show(cfg, blocks[i], err);

		if (text == NULL)
			return FC_EX_CONFIG;
		fc_sha256_update(&h, text, strlen(text));
		free(text);
	}
	fc_sha256_hex(&h, hex);
	return 0;
}

cJSON *
fc_meta_new(const char *program, const fc_config *cfg,
	    const char *const *blocks, size_t nblocks)
{
	cJSON *m = cJSON_CreateObject(), *c, *b;
	char hex[65];
	size_t i;

	if (m == NULL)
		return NULL;
	cJSON_AddStringToObject(m, "program", program);
	cJSON_AddStringToObject(m, "version", FC_VERSION);
	c = cJSON_AddObjectToObject(m, "config");
	cJSON_AddStringToObject(c, "file", fc_config_file(cfg));
	b = cJSON_AddArrayToObject(c, "blocks");
	for (i = 0; i < nblocks; i++)
		cJSON_AddItemToArray(b, cJSON_CreateString(blocks[i]));
	if (fc_meta_config_hash(cfg, blocks, nblocks, hex, NULL) == 0)
		cJSON_AddStringToObject(c, "sha256", hex);
	return m;
}

int
fc_json_write(const cJSON *obj, const char *path, fc_err *err)
{
	char *text = cJSON_Print(obj);
	fc_out *o;
	int st;

	if (text == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, path, 0, "out of memory");
	if ((st = fc_out_open(&o, path, err)) != 0) {
		cJSON_free(text);
		return st;
	}
	fputs(text, fc_out_fp(o));
	fputc('\n', fc_out_fp(o));
	cJSON_free(text);
	return fc_out_commit(o, err);
}

cJSON *
fc_json_read(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, k;
	cJSON *j;

	if (fp == NULL)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			char *b = realloc(buf, cap = (cap ? cap * 2 : 8192));
			if (b == NULL)
				break;
			buf = b;
		}
		k = fread(buf + n, 1, cap - n - 1, fp);
		if (k == 0)
			break;
		n += k;
	}
	fclose(fp);
	if (buf == NULL)
		return NULL;
	buf[n] = '\0';
	j = cJSON_Parse(buf);
	free(buf);
	return j;
}

char *
fc_utc_now_ms(char *buf)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, 20, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + 19, 8, ".%03uZ", (unsigned)(ts.tv_nsec / 1000000) % 1000u);
	return buf;
}

int
fc_meta_write(const cJSON *obj, const char *output, fc_err *err)
{
	char path[4096], now[32];
	cJSON *m;
	int st;

	/* stdout, /dev/null, a FIFO: no layer file to describe */
	if (strcmp(output, "-") == 0 || !fc_path_regular(output))
		return 0;
	if ((size_t)snprintf(path, sizeof path, "%s.meta.json", output) >=
	    sizeof path)
		return fc_err_set(err, FC_EX_CANTCREAT, output, 0,
				  "path too long");
	if (cJSON_GetObjectItemCaseSensitive(obj, "written_at") != NULL)
		return fc_json_write(obj, path, err);
	if ((m = cJSON_Duplicate(obj, 1)) == NULL)
		return fc_err_set(err, FC_EX_SOFTWARE, output, 0,
				  "out of memory");
	cJSON_AddStringToObject(m, "written_at", fc_utc_now_ms(now));
	st = fc_json_write(m, path, err);
	cJSON_Delete(m);
	return st;
}

cJSON *
fc_json_num(cJSON *obj, const char *name, double x)
{
	if (!isfinite(x))
		return cJSON_AddNullToObject(obj, name);
	return cJSON_AddNumberToObject(obj, name, x);
}
