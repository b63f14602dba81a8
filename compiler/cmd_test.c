/* cmd_test.c - shrikec test: evaluates rules on recorded events (replay.h)
 * with the shared evaluator and the agent's own fetch and output code, and
 * prints the alerts exactly as the agent would; with --cases, runs YAML
 * test cases instead (cases.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cases.h"
#include "codegen.h"
#include "replay.h"
#include "../lib/fields.h"
#include "../lib/dns.h"
#include "../lib/match.h"
#include "../lib/alert.h"

/* The longest shrikec test waits for DNS, over all the names of a run. */
#define DNS_BUDGET_MS 2000

struct printer {
	const struct shrike_table *t;
	struct output_opts opts;
	const char *hostname;
	bool json;
	size_t alerts;
};

static void print_alert(const struct shrike_rule *r, struct uevent_ctx *ctx, void *data)
{
	struct printer *p = data;
	struct alert_rule ar;
	struct alert a;
	char *line;

	if (alert_rule_load(&ar, p->t, r))
		return;
	alert_of_rule(&a, &ar, r, p->hostname, NULL);
	line = output_format(&a, ctx, &p->opts, p->json);
	if (line) {
		puts(line);
		p->alerts++;
	}
	free(line);
	alert_rule_clear(&ar);
}

int cmd_test(int argc, char **argv)
{
	struct cli c = {
		.cmd = "test",
		.usage =
			"Usage: shrikec test [OPTIONS] RULES... --events FILE\n"
			"       shrikec test --cases [--junit FILE] [--json] CASES...\n"
			"Evaluates the rules on recorded events and prints the alerts as\n"
			"shrike-agent would. FILE ('-' for stdin) holds one JSON event a line:\n"
			"  syscall:   {\"evt.type\":\"openat\",\"fd.name\":\"/etc/shadow\",...}\n"
			"  k8s_audit: a raw audit.k8s.io/v1 Event or EventList\n"
			"Options:\n"
			"  --json                   JSON alerts (json_output)\n"
			"  --time-format-iso-8601   ISO 8601 times in text alerts\n"
			"  --hostname NAME          hostname in JSON alerts (default: this host's)\n"
			"  --rule-matching first|all\n" CLI_FALCO_USAGE CLI_OPT_USAGE
			"A syscall event is evaluated by the rules of its evt.type at its\n"
			"evt.dir (> entry, < exit; none: exit), as in the kernel.\n"
			"\n"
			"--cases: runs YAML test cases (Falco's test/falco_tests.yaml shape), a\n"
			"mapping of case names to cases, at the top level or under trace_files:\n"
			"  rules_file: FILE | [FILE...]     the rules (paths relative to the case file)\n"
			"  trace_file: FILE.jsonl           the events, as --events reads them\n"
			"  events: [{FIELD: VALUE, ...}]    or the events inline\n"
			"  detect: true|false               alerts expected (false: none at all)\n"
			"  detect_level: LEVEL | [LEVEL...] each level has an alert\n"
			"  detect_counts: [{RULE: N}, ...]  exactly N alerts of RULE\n"
			"  output_contains: TEXT | [TEXT...] each in some alert's text line\n"
			"  output_fields: {FIELD: VALUE}    some alert's output_fields, exactly\n"
			"  disabled_rules, disable_tags, run_tags: [...]  as -D, -T, -t\n"
			"  priority: LEVEL, all_events: BOOL, rule_matching: first|all\n"
			"  check_detection_counts: false    skip the detect/detect_level checks\n"
			"  exit_status: 1, stderr_contains: [REGEX...]  rules that must be rejected\n"
			"  stdout_contains, stdout_not_contains: [REGEX...], stdout_is: TEXT\n"
			"                                   what Falco would print: the alerts, then\n"
			"                                   Events detected, counts by severity, by rule\n"
			"  json_output, json_include_output_property, json_include_tags_property,\n"
			"  time_iso_8601: BOOL              the alerts' format in that text\n"
			"A failure is said as FILE:LINE: case NAME: what. Exit 0 when every case\n"
			"holds, 1 when one does not, 2 on bad input.\n"
			"  --junit FILE             also a JUnit XML report ('-': stdout)\n"
			"  --json                   a JSON report on stdout instead of the summary\n",
	};
	struct printer p = { 0 };
	struct replay rp = { NULL, print_alert, &p };
	struct shrike_table t;
	void *table = NULL;
	size_t len = 0;
	char host[256];
	FILE *f = NULL;
	int ret, r;

	ret = cli_parse(&c, argc, argv);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (c.cases || c.junit) {
		struct cases_opts co = { c.junit, c.json, c.hostname };
		bool per_case = c.nsel_args[0] || c.nsel_args[1] || c.nsel_args[2] ||
				c.has_min_priority || c.all_events || c.match_all || c.iso8601;
		const char *why =
			!c.cases   ? "--junit goes with --cases"
			: c.events ? "--cases takes its events from the case files, not --events"
			: per_case ? "--cases: -D, -T, -t, --priority, -A, --rule-matching and "
				     "--time-format-iso-8601 are keys of each case "
				     "(disabled_rules, disable_tags, run_tags, priority, "
				     "all_events, rule_matching, time_iso_8601)"
			: !c.nargs ? "--cases: no case file given"
				   : NULL;

		if (why) {
			fprintf(stderr, "shrikec test: %s\n", why);
			ret = 2;
		} else {
			ret = cases_run(&co, c.args, c.nargs);
		}
		cli_free(&c);
		return ret;
	}
	if (!c.events) {
		fprintf(stderr, "shrikec test: no events file (--events FILE)\n");
		return 1;
	}
	c.quiet = true;
	ret = cli_load(&c, 0);
	if (!ret) {
		struct compile_opts o;
		size_t before = c.rs->diags.n;

		cli_compile_opts(&c, &o);
		if (compile_ruleset(c.rs, &o, &table, &len, &c.rs->diags) < 0)
			ret = c.rs->diags.nerrors ? 1 : 2;
		for (size_t i = before; i < c.rs->diags.n; i++)
			diag_print(stderr, &c.rs->diags.v[i]);
	}
	if (ret)
		goto out;
	if (shrike_table_verify(table, (u32)len, &t, NULL) < 0) {
		ret = 2;
		goto out;
	}
	f = strcmp(c.events, "-") ? fopen(c.events, "r") : stdin;
	if (!f) {
		fprintf(stderr, "shrikec test: cannot read %s: %s\n", c.events, strerror(errno));
		ret = 1;
		goto out;
	}
	match_init();
	/* Only the names an event's comparison needs are resolved, then (as
	 * libsinsp does), and a resolver that does not answer costs at most
	 * DNS_BUDGET_MS in all, not a resolver timeout per name. */
	dns_load_table_lazy(&t, DNS_BUDGET_MS, "shrikec test");
	output_opts_init(&p.opts);
	p.opts.time_format_iso_8601 = c.iso8601;
	p.t = &t;
	p.json = c.json;
	if (c.hostname)
		p.hostname = c.hostname;
	else if (!gethostname(host, sizeof(host))) {
		host[sizeof(host) - 1] = 0;
		p.hostname = host;
	}
	rp.t = &t;
	r = replay_file(&rp, f, c.events);
	if (r > ret)
		ret = r;
	fflush(stdout);
out:
	dns_stop();
	if (f && f != stdin)
		fclose(f);
	free(table);
	cli_free(&c);
	return ret;
}
