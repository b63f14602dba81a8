/* main.c - shrike-agent's command line. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kmod/uapi/shrike.h"
#include "genl.h"
#include "config.h"
#include "run.h"
#include "falco_cli.h"
#include "../compiler/compiler.h"
#include "../lib/fields.h"
#include "../lib/file.h"
#include "../kmod/common/table.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: shrike-agent [-c CONFIG] [-r RULES]... [-o KEY=VALUE]... [-A] [-U]\n"
		"                    [-D SUBSTRING]... [-T TAG]... [-t TAG]... [-p FORMAT]\n"
		"       shrike-agent [-c CONFIG] [-r RULES]... -L | -l RULE | --support\n"
		"       shrike-agent -V RULES... | --list [SOURCE] [-N]\n"
		"       shrike-agent --status | --load-table FILE | --unload-table\n"
		"\n"
		"Loads Falco rules into shrike.ko and prints their alerts as Falco does.\n"
		"\n"
		"Options:\n"
		"  -c FILE              configuration file (default " SHRIKE_DEFAULT_CONFIG ")\n"
		"  -r FILE|DIR          rules file or directory, repeatable: replaces rules_file\n"
		"  -o KEY=VALUE         set a configuration option (file_output.enabled=true,\n"
		"                       rules_file=[a.yaml, b.yaml]), repeatable\n"
		"  -A                   as Falco's -A: also run the rules on the event types\n"
		"                       Falco skips without it (read, write, close, fstat, ...)\n"
		"  -p FORMAT            as Falco's -p: add FORMAT (%%field ...) to every syscall\n"
		"                       rule's output; -pc, -pk: put Falco's container or\n"
		"                       Kubernetes fields in place of %%container.info\n"
		"  -D SUBSTRING         as Falco's -D: disable the rules whose name has it\n"
		"  -T TAG               as Falco's -T: disable the rules with the tag TAG\n"
		"  -t TAG               as Falco's -t: only the rules with the tag TAG (not\n"
		"                       with -D or -T, nor with the configuration's rules:)\n"
		"  -U, --unbuffered     as Falco's -U: buffered_outputs=false\n"
		"  -w, --write-events FILE\n"
		"                       record mode: every event of the rules' event types is\n"
		"                       sent up and appended to FILE as a JSON line that\n"
		"                       shrikec test --events replays (alerts as usual)\n"
		"  -L                   print every rule's name and description and exit\n"
		"  -l RULE              the same for one rule\n"
		"  -V, --validate FILE  validate rules files (repeatable) and exit\n"
		"  --list [SOURCE]      the supported fields (syscall or k8s_audit) and exit;\n"
		"                       -N: their names only\n"
		"  --support            print version, system, configuration and rules files\n"
		"                       as JSON (Falco's --support) and exit\n"
		"  --disable-source SRC syscall (no shrike.ko needed) or k8s_audit\n"
		"  --print-config       print every option's value and exit\n"
		"  --status             print the loaded shrike.ko's version, ABI and table state\n"
		"  --stats              print the module's event, alert and drop counters\n"
		"  --load-table FILE    verify a compiled table (shrikec compile) and load it\n"
		"  --unload-table       unload the module's table\n"
		"  --generation N       with --load-table: load only if the module's table\n"
		"                       generation (see --status) is still N\n"
		"  --lock               forbid table and configuration changes until reboot\n"
		"  --rate-limit R/B     at most R alerts per second per rule, in bursts of at\n"
		"                       most B (0: no limit)\n"
		"  --match-mode MODE    first, all, or table (as the loaded table says)\n"
		"  --no-verify          with --load-table: skip the agent's own verification,\n"
		"                       leaving it to the kernel (to test the kernel's verifier)\n"
		"  --version            print the agent's version and ABI\n"
		"  -h, --help           this text\n"
		"Falco's other flags are answered with what does their job instead.\n");
}

/* Opens the module's netlink family: 0, or the exit code after saying why
 * (1: the module is not loaded, 2: anything else). */
static int open_module(struct shrike_nl *nl)
{
	char err[256];
	int ret = shrike_nl_open(nl, err, sizeof(err));

	if (!ret)
		return 0;
	fprintf(stderr, "shrike-agent: %s\n", err);
	return ret == -ENOENT ? 1 : 2;
}

static int status(void)
{
	struct shrike_nl nl;
	struct shrike_info info;
	int ret;

	ret = open_module(&nl);
	if (ret) {
		return ret;
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
	printf("generation: %llu\n", (unsigned long long)info.generation);
	printf("locked: %s\n", info.locked ? "yes" : "no");
	if (info.rate)
		printf("rate limit: %u/s, burst %u\n", info.rate, info.burst);
	else
		printf("rate limit: off\n");
	printf("match mode: %s\n", info.match_mode == SHRIKE_MATCH_FIRST ? "first"
				   : info.match_mode == SHRIKE_MATCH_ALL ? "all"
									 : "table");
	if (info.abi != SHRIKE_ABI_VERSION) {
		fprintf(stderr,
			"shrike-agent: module ABI %u (shrike %s) is incompatible with agent ABI %d (shrike %s)\n",
			info.abi, info.version, SHRIKE_ABI_VERSION, SHRIKE_VERSION);
		return 1;
	}
	return 0;
}

/* Loads a compiled table: verified here first with the kernel's own
 * verifier, so a bad file is reported with the same reason either way. */
static int load_table(const char *path, bool verify, const uint64_t *gen)
{
	struct shrike_table t;
	struct shrike_verr verr;
	struct shrike_nl nl;
	char *buf = NULL;
	size_t len = 0;
	int ret;

	ret = file_read(path, SHRIKE_MAX_TABLE_SIZE, &buf, &len);
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
	ret = open_module(&nl);
	if (ret) {
		free(buf);
		return ret;
	}
	ret = shrike_nl_load_table_gen(&nl, buf, len, gen, NULL);
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

static void print_rule_stat(void *ctx, uint32_t checksum, uint32_t rule, uint64_t matches)
{
	(void)ctx;
	printf("rule %u of table %08x: %llu matches\n", rule, checksum,
	       (unsigned long long)matches);
}

static int stats(void)
{
	uint64_t st[__SHRIKE_STAT_MAX];
	struct shrike_nl nl;
	int ret, i;

	ret = open_module(&nl);
	if (ret) {
		return ret;
	}
	ret = shrike_nl_get_stats_rules(&nl, st, print_rule_stat, NULL);
	shrike_nl_close(&nl);
	if (ret) {
		fprintf(stderr, "shrike-agent: GET_STATS failed: %s\n", strerror(-ret));
		return 2;
	}
	for (i = 1; i < __SHRIKE_STAT_MAX; i++)
		printf("%s%s: %llu\n", shrike_stat_is_drop(i) ? "drops_" : "", shrike_stat_name(i),
		       (unsigned long long)st[i]);
	return 0;
}

/* Prints a module-side command's failure with the kernel's reason. */
static int simple_cmd(const char *what, int (*fn)(struct shrike_nl *nl, void *arg), void *arg)
{
	struct shrike_nl nl;
	int ret;

	ret = open_module(&nl);
	if (ret) {
		return ret;
	}
	ret = fn(&nl, arg);
	if (ret)
		fprintf(stderr, "shrike-agent: %s: %s%s%s\n", what, strerror(-ret),
			nl.errmsg[0] ? ": " : "", nl.errmsg);
	shrike_nl_close(&nl);
	return ret ? 1 : 0;
}

static int do_lock(struct shrike_nl *nl, void *arg)
{
	(void)arg;
	return shrike_nl_lock(nl);
}

struct config_args {
	bool has_rate, has_match;
	uint32_t rate, burst, match;
};

static int do_set_config(struct shrike_nl *nl, void *arg)
{
	struct config_args *a = arg;

	return shrike_nl_set_config(nl, a->has_rate ? &a->rate : NULL,
				    a->has_rate && a->rate ? &a->burst : NULL,
				    a->has_match ? &a->match : NULL);
}

/* --rate-limit R/B, or 0 */
static bool parse_rate(const char *s, struct config_args *a)
{
	char *end;
	unsigned long r = strtoul(s, &end, 10), b = 0;
	bool ok = end != s;

	if (ok && *end == '/') {
		const char *bs = end + 1;

		b = strtoul(bs, &end, 10);
		ok = end != bs;
	} else if (r) {
		ok = false; /* a rate needs its burst */
	}
	if (!ok || *end || r > UINT32_MAX || b > UINT32_MAX) {
		fprintf(stderr, "shrike-agent: --rate-limit %s: expected RATE/BURST or 0\n", s);
		return false;
	}
	a->has_rate = true;
	a->rate = (uint32_t)r;
	a->burst = (uint32_t)b;
	return true;
}

static int unload_table(void)
{
	struct shrike_nl nl;
	int ret;

	ret = open_module(&nl);
	if (ret) {
		return ret;
	}
	ret = shrike_nl_unload_table(&nl);
	if (ret)
		fprintf(stderr, "shrike-agent: unloading the table: %s%s%s\n", strerror(-ret),
			nl.errmsg[0] ? ": " : "", nl.errmsg);
	shrike_nl_close(&nl);
	return ret ? 1 : 0;
}

enum {
	OPT_STATUS = 256,
	OPT_STATS,
	OPT_LOAD_TABLE,
	OPT_UNLOAD_TABLE,
	OPT_NO_VERIFY,
	OPT_VERSION,
	OPT_DISABLE_SOURCE,
	OPT_PRINT_CONFIG,
	OPT_GENERATION,
	OPT_LOCK,
	OPT_RATE_LIMIT,
	OPT_MATCH_MODE,
	OPT_LIST,
	OPT_SUPPORT,
};

/* Appends s to a growing argument list: 0, or -1 out of memory. */
static int push(char ***l, size_t *n, char *s)
{
	char **nl = realloc(*l, (*n + 1) * sizeof(*nl));

	if (!nl)
		return -1;
	*l = nl;
	nl[(*n)++] = s;
	return 0;
}

/* Falco's -V: shrikec validate's own code and output ("FILE: Ok"), with
 * the agent's -A, and --json when json_output is set as in Falco. */
static int validate(const struct config *cfg, char **files, size_t n)
{
	char **args = calloc(n + 4, sizeof(*args));
	int argc = 0, ret;
	size_t i;

	if (!args)
		return 2;
	args[argc++] = "validate";
	if (cfg->all_events)
		args[argc++] = "-A";
	if (cfg_bool(cfg, CFG_JSON_OUTPUT))
		args[argc++] = "--json";
	args[argc++] = "--";
	for (i = 0; i < n; i++)
		args[argc++] = files[i];
	ret = cmd_validate(argc, args);
	free(args);
	return ret;
}

/* Falco's --list [SOURCE] (-N: names only). */
static int list_fields(const char *source, bool names_only)
{
	int src = -1;

	if (source && *source) {
		for (src = 0; src < __SHRIKE_SRC_MAX; src++)
			if (!strcmp(field_source_name((unsigned)src), source))
				break;
		if (src == __SHRIKE_SRC_MAX) {
			fprintf(stderr,
				"shrike-agent: --list %s: no such source (syscall, k8s_audit)\n",
				source);
			return 1;
		}
	}
	fields_print_source(stdout, false, names_only, src);
	return 0;
}

int main(int argc, char **argv)
{
	struct option opts[80] = {
		{ "status", no_argument, NULL, OPT_STATUS },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "load-table", required_argument, NULL, OPT_LOAD_TABLE },
		{ "unload-table", no_argument, NULL, OPT_UNLOAD_TABLE },
		{ "no-verify", no_argument, NULL, OPT_NO_VERIFY },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "help", no_argument, NULL, 'h' },
		{ "disable-source", required_argument, NULL, OPT_DISABLE_SOURCE },
		{ "print-config", no_argument, NULL, OPT_PRINT_CONFIG },
		{ "generation", required_argument, NULL, OPT_GENERATION },
		{ "lock", no_argument, NULL, OPT_LOCK },
		{ "rate-limit", required_argument, NULL, OPT_RATE_LIMIT },
		{ "match-mode", required_argument, NULL, OPT_MATCH_MODE },
		{ "list", optional_argument, NULL, OPT_LIST },
		{ "support", no_argument, NULL, OPT_SUPPORT },
		{ "unbuffered", no_argument, NULL, 'U' },
		{ "validate", required_argument, NULL, 'V' },
		{ "option", required_argument, NULL, 'o' },
		{ "print", required_argument, NULL, 'p' },
		{ "write-events", required_argument, NULL, 'w' },
		{ "writefile", required_argument, NULL, 'w' },
		{ 0 },
	};
	char optstr[128] = "hAc:r:o:p:D:T:t:Ll:UV:Nw:";
	struct config_args ca = { 0 };
	uint64_t gen = 0;
	bool has_gen = false;
	const char *table = NULL;
	struct agent_opts ao = { 0 };
	struct config cfg;
	const char *cfg_path = NULL;
	char **rules = NULL, **sets = NULL, **sel[3] = { NULL }, **vfiles = NULL;
	size_t nrules = 0, nsets = 0, nsel[3] = { 0 }, nvfiles = 0, i;
	bool verify = true, print_config = false, all_events = false, replace_ci = false;
	bool describe_all = false, support = false, unbuffered = false, list = false;
	bool names_only = false;
	const char *extra = NULL, *describe = NULL, *list_source = NULL;
	const struct falco_flag *ff;
	char err[160];
	int c, ret;

	if (falco_flags_getopt(optstr, sizeof(optstr), opts, sizeof(opts) / sizeof(opts[0]))) {
		fprintf(stderr, "shrike-agent: internal: option table too small\n");
		return 2;
	}
	while ((c = getopt_long(argc, argv, optstr, opts, NULL)) != -1) {
		switch (c) {
		case 'A': all_events = true; break;
		case 'p':
			/* Falco 0.31's app_actions: -pc, -pk or a format. */
			replace_ci = true;
			if (!strcmp(optarg, "c") || !strcmp(optarg, "container"))
				extra = "container=%container.name (id=%container.id)";
			else if (!strcmp(optarg, "k") || !strcmp(optarg, "kubernetes"))
				extra = "k8s.ns=%k8s.ns.name k8s.pod=%k8s.pod.name container=%container.id";
			else if (!strcmp(optarg, "m") || !strcmp(optarg, "mesos")) {
				fprintf(stderr,
					"shrike-agent: -pm is not supported: Shrike has no Mesos support\n");
				return 1;
			} else
				extra = optarg, replace_ci = false;
			break;
		case OPT_STATUS: return status();
		case OPT_STATS: return stats();
		case OPT_LOAD_TABLE: table = optarg; break;
		case OPT_NO_VERIFY: verify = false; break;
		case 'c': cfg_path = optarg; break;
		case 'r':
			if (push(&rules, &nrules, optarg))
				return 2;
			break;
		case 'o':
			if (push(&sets, &nsets, optarg))
				return 2;
			break;
		case 'D':
		case 'T':
		case 't': {
			int k = c == 'D' ? 0 : c == 'T' ? 1 : 2;

			if (push(&sel[k], &nsel[k], optarg))
				return 2;
			break;
		}
		case 'L': describe_all = true; break;
		case 'l': describe = optarg; break;
		case 'U': unbuffered = true; break;
		case 'V':
			if (push(&vfiles, &nvfiles, optarg))
				return 2;
			break;
		case 'N': names_only = true; break;
		case 'w': ao.write_events = optarg; break;
		case OPT_LIST:
			list = true;
			/* --list SOURCE as two words, as Falco's parser takes it */
			list_source = optarg					? optarg
				      : optind < argc && argv[optind][0] != '-' ? argv[optind++]
										: NULL;
			break;
		case OPT_SUPPORT: support = true; break;
		case OPT_DISABLE_SOURCE:
			if (!strcmp(optarg, "syscall")) {
				ao.no_syscall = true;
			} else if (!strcmp(optarg, "k8s_audit")) {
				ao.no_k8s_audit = true;
			} else {
				fprintf(stderr,
					"shrike-agent: --disable-source %s: expected syscall or k8s_audit\n",
					optarg);
				return 1;
			}
			break;
		case OPT_PRINT_CONFIG: print_config = true; break;
		case OPT_GENERATION: {
			char *end;

			gen = strtoull(optarg, &end, 10);
			if (!*optarg || *end) {
				fprintf(stderr,
					"shrike-agent: --generation %s: expected a number\n",
					optarg);
				return 1;
			}
			has_gen = true;
			break;
		}
		case OPT_LOCK: return simple_cmd("locking", do_lock, NULL);
		case OPT_RATE_LIMIT:
			if (!parse_rate(optarg, &ca))
				return 1;
			break;
		case OPT_MATCH_MODE:
			ca.has_match = true;
			if (!strcmp(optarg, "first"))
				ca.match = SHRIKE_MATCH_FIRST;
			else if (!strcmp(optarg, "all"))
				ca.match = SHRIKE_MATCH_ALL;
			else if (!strcmp(optarg, "table"))
				ca.match = SHRIKE_MATCH_TABLE;
			else {
				fprintf(stderr,
					"shrike-agent: --match-mode %s: expected first, all or table\n",
					optarg);
				return 1;
			}
			break;
		case OPT_UNLOAD_TABLE: return unload_table();
		case OPT_VERSION:
			printf("shrike-agent %s (abi %d)\n", SHRIKE_VERSION, SHRIKE_ABI_VERSION);
			return 0;
		case 'h': usage(stdout); return 0;
		default:
			ff = falco_flag_find(c);
			if (ff) {
				falco_flag_answer(stderr, ff);
				return 1;
			}
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "shrike-agent: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 1;
	}
	if (ca.has_rate || ca.has_match)
		return simple_cmd("setting the configuration", do_set_config, &ca);
	if (table)
		return load_table(table, verify, has_gen ? &gen : NULL);
	if (list)
		return list_fields(list_source, names_only);
	/* The file, then each -o in order, then -r: later wins. */
	config_init(&cfg);
	cfg.all_events = all_events;
	cfg.output_extra = extra;
	cfg.replace_container_info = replace_ci;
	ret = config_load_file(&cfg, cfg_path ? cfg_path : SHRIKE_DEFAULT_CONFIG, cfg_path != NULL,
			       stderr);
	for (i = 0; !ret && i < nsets; i++)
		ret = config_set(&cfg, sets[i], stderr);
	if (!ret && nrules)
		ret = config_set_rules(&cfg, rules, nrules);
	/* -U as in Falco: over the file and -o. */
	if (!ret && unbuffered)
		ret = config_set(&cfg, "buffered_outputs=false", stderr);
	if (!ret && rsel_from_cli(&cfg.cli_sel, sel[0], nsel[0], sel[1], nsel[1], sel[2], nsel[2],
				  err, sizeof(err))) {
		fprintf(stderr, "shrike-agent: %s\n", err);
		ret = -1;
	}
	if (!ret)
		ret = config_check(&cfg, stderr);
	free(rules);
	free(sets);
	for (i = 0; i < 3; i++)
		free(sel[i]);
	if (ret) {
		fprintf(stderr, "shrike-agent: invalid configuration\n");
		config_free(&cfg);
		free(vfiles);
		return 1;
	}
	config_warn_unsupported(&cfg, stderr);
	if (print_config) {
		config_dump(&cfg, stdout);
		ret = 0;
	} else if (nvfiles) {
		ret = validate(&cfg, vfiles, nvfiles);
	} else if (describe_all || describe) {
		ret = falco_describe_rules(&cfg, describe_all ? NULL : describe);
	} else if (support) {
		ret = falco_support(&cfg, argc, argv);
	} else {
		ao.cfg = &cfg;
		ret = agent_run(&ao);
	}
	free(vfiles);
	config_free(&cfg);
	return ret;
}
