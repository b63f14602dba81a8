/* falco_cli.c - Falco's print-and-exit flags in shrike-agent (-L, -l,
 * --support) and the one-line answers to the Falco flags it does not
 * implement (falco_cli.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "falco_cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <json-c/json.h>

#include "run.h"
#include "../lib/file.h"
#include "../lib/strbuf.h"
#include "../kmod/uapi/shrike.h"

/* The answers several flags share. */
#define ANS_BUFFERS "Shrike's alerts carry no data buffers"
#define ANS_SYSTEMD "run shrike-agent under systemd (shrike-agent.service)"
#define ANS_STATS   "shrike-agent --stats and the webserver's /metrics give the counters"
#define ANS_K8S_META \
	"Kubernetes metadata comes from the node's container runtimes (container_engines.*)"
#define ANS_FIELDS  "shrikec fields [--json]"
#define ANS_EVENTS  "shrikec explain RULE RULES... gives a rule's event types"
#define ANS_PLUGINS "Shrike loads no plugins"
#define ANS_GVISOR  "Shrike has no gVisor support"

/* Falco's flags (0.31 to today's) that shrike-agent answers instead of
 * running. Where a shrikec command or a configuration option does the job,
 * the answer names it. */
static const struct falco_flag falco_flags[] = {
	{ 'e', NULL, required_argument,
	  "events from a file: shrikec test RULES... --events FILE (JSON lines)" },
	{ 'i', NULL, no_argument,
	  "shrikec explain RULE RULES... names the event types Falco skips unless run with -A" },
	{ 'v', NULL, no_argument, "shrikec validate RULES... prints every warning" },
	{ 'b', "print-base64", no_argument, ANS_BUFFERS },
	{ 'S', "snaplen", required_argument, ANS_BUFFERS },
	{ 'd', "daemon", no_argument, ANS_SYSTEMD },
	{ 'P', "pidfile", required_argument, ANS_SYSTEMD },
	{ 'M', NULL, required_argument, "stop shrike-agent with SIGTERM (timeout N shrike-agent)" },
	{ 's', NULL, required_argument, ANS_STATS },
	{ 0, "stats-interval", required_argument, ANS_STATS },
	{ 'u', "userspace", no_argument, "Shrike's events come from shrike.ko only" },
	{ 'k', "k8s-api", required_argument, ANS_K8S_META },
	{ 'K', "k8s-api-cert", required_argument, ANS_K8S_META },
	{ 0, "k8s-node", required_argument, ANS_K8S_META },
	{ 'm', "mesos-api", required_argument, "Shrike has no Mesos support" },
	{ 0, "cri", required_argument,
	  "set container_engines.containerd.state_dirs or container_engines.cri-o.state_dirs" },
	{ 0, "disable-cri-async", no_argument,
	  "container metadata is read from the runtimes' state on disk, never asynchronously" },
	{ 0, "enable-source", required_argument,
	  "every source is on unless turned off: --disable-source syscall|k8s_audit" },
	{ 0, "list-fields-markdown", optional_argument, ANS_FIELDS },
	{ 0, "markdown", no_argument, ANS_FIELDS },
	{ 0, "format", required_argument, ANS_FIELDS },
	{ 0, "list-events", no_argument, ANS_EVENTS },
	{ 0, "list-syscall-events", no_argument, ANS_EVENTS },
	{ 0, "list-plugins", no_argument, ANS_PLUGINS },
	{ 0, "plugin-info", required_argument, ANS_PLUGINS },
	{ 0, "dry-run", no_argument,
	  "shrike-agent --print-config and shrike-agent -V RULES check the configuration and rules" },
	{ 0, "config-schema", no_argument,
	  "shrike-agent --print-config lists every option (shrike.yaml(5))" },
	{ 0, "rule-schema", no_argument, "shrikec validate RULES... checks rules files" },
	{ 0, "page-size", no_argument, "shrike.ko's per-CPU rings have a fixed size" },
	{ 'g', "gvisor-config", required_argument, ANS_GVISOR },
	{ 0, "gvisor-root", required_argument, ANS_GVISOR },
	{ 0, "gvisor-generate-config", optional_argument, ANS_GVISOR },
	{ 0, NULL, 0, NULL },
};

static int flag_val(size_t i)
{
	return falco_flags[i].shortopt ? falco_flags[i].shortopt : FALCO_FLAG_LONG_BASE + (int)i;
}

int falco_flags_getopt(char *optstr, size_t optlen, struct option *opts, size_t max)
{
	size_t i, n = 0, len = strlen(optstr);

	while (opts[n].name)
		n++;
	for (i = 0; falco_flags[i].answer; i++) {
		const struct falco_flag *f = &falco_flags[i];

		if (f->shortopt) {
			if (len + 3 >= optlen)
				return -1;
			optstr[len++] = f->shortopt;
			if (f->has_arg != no_argument)
				optstr[len++] = ':';
			if (f->has_arg == optional_argument)
				optstr[len++] = ':';
			optstr[len] = 0;
		}
		if (f->longopt) {
			if (n + 2 > max)
				return -1;
			opts[n++] = (struct option){ f->longopt, f->has_arg, NULL, flag_val(i) };
			opts[n] = (struct option){ 0 };
		}
	}
	return 0;
}

const struct falco_flag *falco_flag_find(int val)
{
	size_t i;

	for (i = 0; falco_flags[i].answer; i++)
		if (flag_val(i) == val)
			return &falco_flags[i];
	return NULL;
}

void falco_flag_answer(FILE *f, const struct falco_flag *fl)
{
	if (fl->shortopt && fl->longopt)
		fprintf(f, "shrike-agent: -%c, --%s is not supported: %s\n", fl->shortopt,
			fl->longopt, fl->answer);
	else if (fl->shortopt)
		fprintf(f, "shrike-agent: -%c is not supported: %s\n", fl->shortopt, fl->answer);
	else
		fprintf(f, "shrike-agent: --%s is not supported: %s\n", fl->longopt, fl->answer);
}

/* The configured rules, loaded, with their diagnostics on stderr. */
static int load(const struct config *cfg, struct ruleset **rs)
{
	int ret = agent_load_rules(cfg, rs);

	if (*rs)
		diag_print_all(stderr, &(*rs)->diags);
	if (ret && *rs)
		fprintf(stderr, "shrike-agent: %zu errors in the rules\n", ruleset_errors(*rs));
	if (ret && *rs) {
		ruleset_free(*rs);
		*rs = NULL;
	}
	return ret;
}

/* falco::utils::wrap_text(in, indent, line_len): words of in, each
 * followed by a space, a new line (indent spaces) before a word that
 * would take the line past line_len - indent. */
static void wrap_text(struct strbuf *b, const char *in, size_t indent, size_t line_len)
{
	const char *ws = " \t\n\v\f\r";
	size_t len = 0, wl;

	for (in += strspn(in, ws); *in; in += wl, in += strspn(in, ws)) {
		wl = strcspn(in, ws);
		if (len + wl + 1 <= line_len - indent) {
			len += wl + 1;
		} else {
			sb_str(b, "\n");
			sb_chr(b, ' '); /* setw(indent) << " " */
			for (size_t k = 1; k < indent; k++)
				sb_chr(b, ' ');
			len = wl + 1;
		}
		sb_put(b, in, wl);
		sb_str(b, " ");
	}
}

/* format_two_columns: "%-50s %s" into Falco's 4096-byte buffer. */
static void two_columns(const char *l, const char *r)
{
	char buf[4096];

	snprintf(buf, sizeof(buf) - 1, "%-50s %s", l, r);
	printf("%s\n", buf);
}

int falco_describe_rules(const struct config *cfg, const char *rule)
{
	struct ruleset *rs;
	size_t i;
	int ret = load(cfg, &rs);

	if (ret)
		return ret;
	if (rule && !ruleset_find_rule(rs, rule)) {
		fprintf(stderr, "shrike-agent: Rule \"%s\" is not loaded\n", rule);
		ruleset_free(rs);
		return 1;
	}
	two_columns("Rule", "Description");
	two_columns("----", "-----------");
	for (i = 0; i < rs->nrules; i++) {
		const struct rule_def *r = &rs->rules[i];
		struct strbuf b = { 0 };
		char *text;

		if (rule && strcmp(r->name, rule))
			continue;
		wrap_text(&b, r->desc ? r->desc : "", 51, 110);
		sb_str(&b, "\n");
		text = sb_take(&b);
		if (!text) {
			ruleset_free(rs);
			return 2;
		}
		two_columns(r->name, text);
		free(text);
	}
	fflush(stdout);
	ruleset_free(rs);
	return 0;
}

/* A rules file's text for --support ("" if it cannot be read now). */
static json_object *file_content(const char *path)
{
	char *s;
	size_t n;
	json_object *j;

	if (file_read(path, (size_t)256 << 20, &s, &n))
		return json_object_new_string("");
	j = json_object_new_string_len(s, (int)n);
	free(s);
	return j;
}

int falco_support(const struct config *cfg, int argc, char **argv)
{
	json_object *o, *si, *ei, *files;
	struct strbuf cmd = { 0 };
	struct utsname u;
	struct ruleset *rs;
	char *dump = NULL, *line;
	size_t dlen = 0, i;
	FILE *mf;
	int ret;

	if (uname(&u)) {
		fprintf(stderr, "shrike-agent: Could not get system info: %s\n", strerror(errno));
		return 2;
	}
	ret = load(cfg, &rs);
	if (ret)
		return ret;
	mf = open_memstream(&dump, &dlen);
	if (!mf) {
		ruleset_free(rs);
		return 2;
	}
	config_dump(cfg, mf);
	fclose(mf);
	for (i = 0; i < (size_t)argc; i++) {
		sb_str(&cmd, i ? " " : "");
		sb_str(&cmd, argv[i]);
	}
	line = sb_take(&cmd);
	/* Keys in nlohmann::json's order (sorted), as Falco prints them. */
	o = json_object_new_object();
	json_object_object_add(o, "cmdline", json_object_new_string(line ? line : ""));
	json_object_object_add(o, "config", json_object_new_string(dump ? dump : ""));
	ei = json_object_new_object();
	json_object_object_add(ei, "abi_version", json_object_new_int(SHRIKE_ABI_VERSION));
	json_object_object_add(ei, "engine_version",
			       json_object_new_string(SHRIKEC_ENGINE_VERSION));
	json_object_object_add(ei, "table_format", json_object_new_int(SHRIKE_TABLE_FORMAT));
	json_object_object_add(o, "engine_info", ei);
	files = json_object_new_array();
	for (i = 0; i < rs->nfiles; i++) {
		json_object *fo = json_object_new_object(), *vars = json_object_new_array(),
			    *v = json_object_new_object();

		json_object_object_add(v, "content", file_content(rs->files[i]));
		json_object_array_add(vars, v);
		json_object_object_add(fo, "name", json_object_new_string(rs->files[i]));
		json_object_object_add(fo, "variants", vars);
		json_object_array_add(files, fo);
	}
	json_object_object_add(o, "rules_files", files);
	si = json_object_new_object();
	json_object_object_add(si, "machine", json_object_new_string(u.machine));
	json_object_object_add(si, "nodename", json_object_new_string(u.nodename));
	json_object_object_add(si, "release", json_object_new_string(u.release));
	json_object_object_add(si, "sysname", json_object_new_string(u.sysname));
	json_object_object_add(si, "version", json_object_new_string(u.version));
	json_object_object_add(o, "system_info", si);
	json_object_object_add(o, "version", json_object_new_string(SHRIKE_VERSION));
	printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
								 JSON_C_TO_STRING_NOSLASHESCAPE));
	fflush(stdout);
	json_object_put(o);
	free(line);
	free(dump);
	ruleset_free(rs);
	return 0;
}
