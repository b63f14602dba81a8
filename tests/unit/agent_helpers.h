/* agent_helpers.h - shared by the config, channels and enrich suites: a
 * fresh temporary directory, a file read whole. */
#ifndef SHRIKE_TEST_AGENT_HELPERS_H
#define SHRIKE_TEST_AGENT_HELPERS_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline char *tmpdir(void)
{
	char *d = strdup("/tmp/shrike-test-XXXXXX");

	ck_assert_ptr_nonnull(mkdtemp(d));
	return d;
}

static inline char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = calloc(1, 1 << 20);
	size_t n;

	if (!f) {
		free(buf);
		return NULL;
	}
	n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

#endif
