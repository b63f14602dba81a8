/* cmd_test.c - shrikec test: evaluates rules on recorded events with the
 * shared evaluator and the agent's own fetch and output code, and prints the
 * alerts exactly as the agent would. Events are JSON lines: a syscall event is an object of
 * field values keyed as in rules ({"evt.type":"openat","fd.name":"/etc/x"});
 * a k8s_audit event is a raw audit.k8s.io Event (or EventList). Syscall
 * events are matched here as the kernel buckets them (match_syscall), audit
 * events by the agent's match_event. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>

#include "cli.h"
#include "codegen.h"
#include "../lib/fields.h"
#include "../lib/dns.h"
#include "../lib/match.h"
#include "../lib/alert.h"

/* The longest shrikec test waits for DNS, over all the names of a run. */
#define DNS_BUDGET_MS 2000

struct printer {
	const struct shrike_table *t;
	struct uevent_ctx *ctx;
	struct output_opts opts;
	const char *hostname;
	bool json;
	size_t alerts;
};

static void print_alert(const struct shrike_rule *r, void *data)
{
	struct printer *p = data;
	struct alert_rule ar;
	struct alert a;
	char *line;

	if (alert_rule_load(&ar, p->t, r))
		return;
	alert_of_rule(&a, &ar, r, p->hostname, NULL);
	line = output_format(&a, p->ctx, &p->opts, p->json);
	if (line) {
		puts(line);
		p->alerts++;
	}
	free(line);
	alert_rule_clear(&ar);
}

/*
 * A syscall event is evaluated as the kernel and the agent evaluate one: by
 * the rules whose event-type set holds its evt.type, at its direction
 * (evt.dir ">" entry, "<" exit; an event without evt.dir is an exit event,
 * as most are, and gets evt.dir "<" as the kernel would give it). Each
 * program is compiled for those events only (optimize.h), so a rule must
 * not see others: an evt.type no kernel event has (or none) matches no rule,
 * nor does an evt.dir other than ">" and "<".
 */
static void match_syscall(struct printer *p, struct uevent_ctx *ctx)
{
	const struct shrike_table *t = ctx->t;
	struct shrike_val v;
	bool entry = false;
	int evt = -1, rc;
	u32 i;

	if (uevent_lookup(ctx->ev, SHRIKE_F_EVT_TYPE, NULL, 0, &v) == SHRIKE_FETCH_OK &&
	    v.type == SHRIKE_T_STR)
		evt = evtype_lookup(v.str.ptr, v.str.len);
	rc = uevent_lookup(ctx->ev, SHRIKE_F_EVT_DIR, NULL, 0, &v);
	if (rc == SHRIKE_FETCH_OK) {
		if (v.type != SHRIKE_T_STR || v.str.len != 1 ||
		    (v.str.ptr[0] != '>' && v.str.ptr[0] != '<'))
			return;
		entry = v.str.ptr[0] == '>';
	} else if (uevent_set_str(ctx->ev, SHRIKE_F_EVT_DIR, NULL, "<", 1)) {
		return;
	}
	if (evt < 0)
		return;
	for (i = 0; i < t->nrules; i++) {
		const struct shrike_rule *r = &t->rules[i];
		u16 flags = le16_to_cpu(r->flags);

		if (!(flags & SHRIKE_RF_ENABLED) || r->source != SHRIKE_SRC_SYSCALL ||
		    !shrike_rule_has_evtype(r, (u32)evt) || !(flags & SHRIKE_RF_ENTRY) != !entry)
			continue;
		if (shrike_eval(t, r, uevent_fetch, ctx) != SHRIKE_V_TRUE)
			continue;
		print_alert(r, p);
		if (!(t->flags & SHRIKE_TF_MATCH_ALL))
			break;
	}
}

static int run_event(struct printer *p, struct uevent *ev)
{
	struct uevent_ctx ctx = { p->t, ev };

	p->ctx = &ctx;
	if (ev->source == SHRIKE_SRC_SYSCALL)
		match_syscall(p, &ctx);
	else
		match_event(&ctx, print_alert, p);
	uevent_free(ev);
	return 0;
}

/* One line of the events file: 0, or 1 with a message naming the line. */
static int run_line(struct printer *p, const char *file, size_t lineno, const char *line)
{
	struct json_tokener *tok;
	json_object *j, *kind, *items;
	struct uevent ev;
	char err[256];
	size_t i;

	tok = json_tokener_new_ex(64);
	if (!tok)
		return 2;
	j = json_tokener_parse_ex(tok, line, (int)strlen(line));
	if (!j || json_tokener_get_error(tok) != json_tokener_success) {
		enum json_tokener_error e = json_tokener_get_error(tok);

		fprintf(stderr, "%s:%zu: invalid JSON: %s\n", file, lineno,
			e == json_tokener_continue ? "unexpected end of line"
						   : json_tokener_error_desc(e));
		json_object_put(j);
		json_tokener_free(tok);
		return 1;
	}
	json_tokener_free(tok);
	if (!json_object_is_type(j, json_type_object)) {
		fprintf(stderr, "%s:%zu: an event is a JSON object\n", file, lineno);
		json_object_put(j);
		return 1;
	}
	if (json_object_object_get_ex(j, "kind", &kind) &&
	    json_object_is_type(kind, json_type_string)) {
		const char *k = json_object_get_string(kind);

		if (!strcmp(k, "EventList") && json_object_object_get_ex(j, "items", &items) &&
		    json_object_is_type(items, json_type_array)) {
			for (i = 0; i < json_object_array_length(items); i++) {
				uevent_init(&ev, SHRIKE_SRC_K8S_AUDIT);
				uevent_from_audit(&ev, json_object_array_get_idx(items, i));
				run_event(p, &ev);
			}
			json_object_put(j);
			return 0;
		}
		if (!strcmp(k, "Event")) {
			uevent_init(&ev, SHRIKE_SRC_K8S_AUDIT);
			uevent_from_audit(&ev, j);
			json_object_put(j);
			return run_event(p, &ev);
		}
	}
	json_object_put(j);
	uevent_init(&ev, SHRIKE_SRC_SYSCALL);
	if (uevent_from_json_syscall(&ev, line, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s:%zu: %s\n", file, lineno, err);
		uevent_free(&ev);
		return 1;
	}
	return run_event(p, &ev);
}

int cmd_test(int argc, char **argv)
{
	struct cli c = {
		.cmd = "test",
		.usage =
			"Usage: shrikec test [OPTIONS] RULES... --events FILE\n"
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
			"evt.dir (> entry, < exit; none: exit), as in the kernel.\n",
	};
	struct printer p = { 0 };
	struct shrike_table t;
	void *table = NULL;
	size_t len = 0, lineno = 0, cap = 0;
	char *line = NULL, host[256];
	ssize_t n;
	FILE *f = NULL;
	int ret, r;

	ret = cli_parse(&c, argc, argv);
	if (ret)
		return ret < 0 ? 0 : ret;
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
	while ((n = getline(&line, &cap, f)) >= 0) {
		char *s = line;

		lineno++;
		while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
			s[--n] = 0;
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			continue;
		r = run_line(&p, c.events, lineno, s);
		if (r > ret)
			ret = r;
	}
	fflush(stdout);
out:
	dns_stop();
	if (f && f != stdin)
		fclose(f);
	free(line);
	free(table);
	cli_free(&c);
	return ret;
}
