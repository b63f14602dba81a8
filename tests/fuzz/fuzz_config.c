/* fuzz_config.c - libFuzzer harness for shrike-agent's configuration: the
 * shrike.yaml reader (config_load_string) and the -o KEY=VALUE parser
 * (config_set), then the cross-option checks, the unsupported-option
 * warning and the dump every --help prints, so ASan/UBSan see each path a
 * hostile or broken configuration can take.
 *
 * Input: the YAML document, then optionally a NUL byte and -o arguments,
 * one a line. Whatever is read, config_free must release it all (ASan's
 * leak check runs at exit).
 *
 *   make fuzz (tests/fuzz/corpus_config holds the seeds) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "agent/config.h"

static FILE *sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	const char *nul = memchr(buf, '\0', size);
	size_t ylen = nul ? (size_t)(nul - buf) : size;
	struct config c;

	if (!sink)
		sink = fopen("/dev/null", "w");
	config_init(&c);
	config_load_string(&c, "fuzz.yaml", buf, ylen, sink);
	if (nul) {
		/* The -o arguments: NUL-terminated copies, one a line. */
		size_t rest = size - ylen - 1;
		char *opts = malloc(rest + 1);

		if (opts) {
			char *line, *save = NULL;

			memcpy(opts, nul + 1, rest);
			opts[rest] = '\0';
			for (line = strtok_r(opts, "\n", &save); line;
			     line = strtok_r(NULL, "\n", &save))
				config_set(&c, line, sink);
			free(opts);
		}
	}
	config_check(&c, sink);
	config_warn_unsupported(&c, sink);
	config_dump(&c, sink);
	config_free(&c);
	return 0;
}
