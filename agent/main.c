/* main.c - shrike-agent's command line. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kmod/uapi/shrike.h"
#include "genl.h"
#include "run.h"
#include "../kmod/common/table.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: shrike-agent -r RULES [-r RULES]... [-o KEY=VALUE]...\n"
		"       shrike-agent --status | --load-table FILE | --unload-table\n"
		"\n"
		"Loads Falco rules into shrike.ko and prints their alerts as Falco does.\n"
		"\n"
		"Options:\n"
		"  -r FILE|DIR          rules file or directory (rules_file), repeatable\n"
		"  -o KEY=VALUE         json_output, time_format_iso_8601 (true/false),\n"
		"                       rule_matching (first/all)\n"
		"  --status             print the loaded shrike.ko's version, ABI and table state\n"
		"  --stats              print the module's event, alert and drop counters\n"
		"  --load-table FILE    verify a compiled table (shrikec compile) and load it\n"
		"  --unload-table       unload the module's table\n"
		"  --no-verify          with --load-table: skip the agent's own verification,\n"
		"                       leaving it to the kernel (to test the kernel's verifier)\n"
		"  --version            print the agent's version and ABI\n"
		"  -h, --help           this text\n");
}

static int status(void)
{
	struct shrike_nl nl;
	struct shrike_info info;
	char err[256];
	int ret;

	ret = shrike_nl_open(&nl, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "shrike-agent: %s\n", err);
		return ret == -ENOENT ? 1 : 2;
	}
	ret = shrike_nl_get_info(&nl, &info);
	shrike_nl_close(&nl);
	if (ret) {
		fprintf(stderr, "shrike-agent: GET_INFO failed: %s\n", strerror(-ret));
		return 2;
	}
	printf("module: shrike %s\n", info.version);
	printf("abi: %u\n", info.abi);
	printf("family: %s (id %u)\n", SHRIKE_GENL_NAME, nl.family);
	printf("max table size: %u\n", info.max_table_size);
	if (info.table_loaded)
		printf("table: loaded, checksum %08x\n", info.table_checksum);
	else
		printf("table: none\n");
	if (info.abi != SHRIKE_ABI_VERSION) {
		fprintf(stderr, "shrike-agent: module ABI %u (shrike %s) is incompatible with agent ABI %d (shrike %s)\n",
			info.abi, info.version, SHRIKE_ABI_VERSION, SHRIKE_VERSION);
		return 1;
	}
	return 0;
}

static int read_file(const char *path, void **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	size_t cap = 0, n = 0, r;

	if (!f)
		return -errno;
	for (;;) {
		if (n == cap) {
			char *np = realloc(p, cap ? cap * 2 : 65536);

			if (!np || cap > SHRIKE_MAX_TABLE_SIZE) {
				free(np ? np : p);
				fclose(f);
				return np ? -E2BIG : -ENOMEM;
			}
			p = np;
			cap = cap ? cap * 2 : 65536;
		}
		r = fread(p + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	*buf = p;
	*len = n;
	return 0;
}

/* Loads a compiled table: verified here first with the kernel's own
 * verifier, so a bad file is reported with the same reason either way. */
static int load_table(const char *path, bool verify)
{
	struct shrike_table t;
	struct shrike_verr verr;
	struct shrike_nl nl;
	char err[256];
	void *buf = NULL;
	size_t len = 0;
	int ret;

	ret = read_file(path, &buf, &len);
	if (ret) {
		fprintf(stderr, "shrike-agent: cannot read %s: %s\n", path, strerror(-ret));
		return 1;
	}
	memset(&t, 0, sizeof(t));
	if (verify && shrike_table_verify(buf, (uint32_t)len, &t, &verr)) {
		fprintf(stderr, "shrike-agent: %s: table rejected: %s (byte %u)\n", path, verr.msg,
			verr.offset);
		free(buf);
		return 1;
	}
	ret = shrike_nl_open(&nl, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "shrike-agent: %s\n", err);
		free(buf);
		return ret == -ENOENT ? 1 : 2;
	}
	ret = shrike_nl_load_table(&nl, buf, len);
	if (ret)
		fprintf(stderr, "shrike-agent: loading %s: %s%s%s\n", path, strerror(-ret),
			nl.errmsg[0] ? ": " : "", nl.errmsg);
	else if (verify)
		printf("loaded %s: %u rules, %zu bytes, checksum %08x\n", path, t.nrules, len,
		       t.checksum);
	else
		printf("loaded %s: %zu bytes\n", path, len);
	shrike_nl_close(&nl);
	free(buf);
	return ret ? 1 : 0;
}

static int stats(void)
{
	static const char *const names[__SHRIKE_STAT_MAX] = {
		[SHRIKE_STAT_EVENTS] = "events",
		[SHRIKE_STAT_EVALUATED] = "evaluated",
		[SHRIKE_STAT_ALERTS] = "sent",
		[SHRIKE_STAT_CANDIDATES] = "candidates",
		[SHRIKE_STAT_DROP_NO_RECEIVER] = "drops_no_receiver",
		[SHRIKE_STAT_DROP_BUFFER_FULL] = "drops_buffer_full",
		[SHRIKE_STAT_DROP_RECEIVER_FULL] = "drops_receiver_full",
		[SHRIKE_STAT_DROP_SCRATCH] = "drops_scratch",
		[SHRIKE_STAT_DROP_TASK_TABLE] = "drops_task_table",
	};
	uint64_t st[__SHRIKE_STAT_MAX];
	struct shrike_nl nl;
	char err[256];
	int ret, i;

	ret = shrike_nl_open(&nl, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "shrike-agent: %s\n", err);
		return ret == -ENOENT ? 1 : 2;
	}
	ret = shrike_nl_get_stats(&nl, st);
	shrike_nl_close(&nl);
	if (ret) {
		fprintf(stderr, "shrike-agent: GET_STATS failed: %s\n", strerror(-ret));
		return 2;
	}
	for (i = 1; i < __SHRIKE_STAT_MAX; i++)
		printf("%s: %llu\n", names[i], (unsigned long long)st[i]);
	return 0;
}

static int unload_table(void)
{
	struct shrike_nl nl;
	char err[256];
	int ret;

	ret = shrike_nl_open(&nl, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "shrike-agent: %s\n", err);
		return ret == -ENOENT ? 1 : 2;
	}
	ret = shrike_nl_unload_table(&nl);
	if (ret)
		fprintf(stderr, "shrike-agent: unloading the table: %s%s%s\n", strerror(-ret),
			nl.errmsg[0] ? ": " : "", nl.errmsg);
	shrike_nl_close(&nl);
	return ret ? 1 : 0;
}

static bool parse_bool(const char *key, const char *v, bool *out)
{
	if (!strcmp(v, "true")) {
		*out = true;
		return true;
	}
	if (!strcmp(v, "false")) {
		*out = false;
		return true;
	}
	fprintf(stderr, "shrike-agent: -o %s=%s: expected true or false\n", key, v);
	return false;
}

/* -o KEY=VALUE, with Falco's option names. */
static bool set_option(struct agent_opts *o, const char *kv)
{
	const char *eq = strchr(kv, '=');
	char key[64];

	if (!eq || (size_t)(eq - kv) >= sizeof(key)) {
		fprintf(stderr, "shrike-agent: -o %s: expected KEY=VALUE\n", kv);
		return false;
	}
	memcpy(key, kv, (size_t)(eq - kv));
	key[eq - kv] = 0;
	eq++;
	if (!strcmp(key, "json_output"))
		return parse_bool(key, eq, &o->json_output);
	if (!strcmp(key, "time_format_iso_8601"))
		return parse_bool(key, eq, &o->time_format_iso_8601);
	if (!strcmp(key, "rule_matching")) {
		if (!strcmp(eq, "first") || !strcmp(eq, "all")) {
			o->match_all = !strcmp(eq, "all");
			return true;
		}
		fprintf(stderr, "shrike-agent: -o rule_matching=%s: expected first or all\n", eq);
		return false;
	}
	fprintf(stderr, "shrike-agent: -o %s: unknown option\n", key);
	return false;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "status", no_argument, NULL, 's' },
		{ "stats", no_argument, NULL, 'S' },
		{ "load-table", required_argument, NULL, 'l' },
		{ "unload-table", no_argument, NULL, 'u' },
		{ "no-verify", no_argument, NULL, 'n' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *table = NULL;
	struct agent_opts ao = { 0 };
	bool verify = true;
	int c, ret;

	while ((c = getopt_long(argc, argv, "hr:o:", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			return status();
		case 'S':
			return stats();
		case 'l':
			table = optarg;
			break;
		case 'n':
			verify = false;
			break;
		case 'r': {
			char **nr = realloc(ao.rules_files, (ao.nrules_files + 1) * sizeof(*nr));

			if (!nr)
				return 2;
			ao.rules_files = nr;
			ao.rules_files[ao.nrules_files++] = optarg;
			break;
		}
		case 'o':
			if (!set_option(&ao, optarg))
				return 1;
			break;
		case 'u':
			return unload_table();
		case 'V':
			printf("shrike-agent %s (abi %d)\n", SHRIKE_VERSION, SHRIKE_ABI_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (table)
		return load_table(table, verify);
	if (ao.nrules_files) {
		ret = agent_run(&ao);
		free(ao.rules_files);
		return ret;
	}
	usage(stderr);
	return 1;
}
