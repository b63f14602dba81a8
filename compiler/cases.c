/* cases.c - shrikec test --cases (cases.h): reads each case of a case file
 * (its keys: cases_read.c), compiles its rules with its selection, replays
 * its events, checks the alerts against its expectations (cases_check.c),
 * then reports (cases_report.c). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "cases.h"
#include "cases_int.h"

#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>

#include "codegen.h"
#include "loader.h"
#include "replay.h"
#include "select.h"
#include "../lib/alert.h"
#include "../lib/dns.h"
#include "../lib/file.h"
#include "../lib/match.h"
#include "../lib/strbuf.h"
#include "../lib/yamldoc.h"

/* The longest one case waits for DNS, over all the names of its rules. */
#define CASE_DNS_BUDGET_MS 2000
/* A case file is text: over 64 MiB is a mistake. */
#define CASES_FILE_MAX ((size_t)64 << 20)

/* Counts alert g by rule and by priority. 0, or -1 on ENOMEM. */
static int tally_add(struct collector *col, const struct got *g)
{
	struct tally *nv;
	size_t i;

	for (i = 0; i < col->nrules && strcmp(col->rules[i].rule, g->rule); i++)
		;
	if (i == col->nrules) {
		if (col->nrules == col->rules_cap) {
			size_t cap = col->rules_cap ? 2 * col->rules_cap : 16;

			nv = realloc(col->rules, cap * sizeof(*nv));
			if (!nv)
				return -1;
			col->rules = nv;
			col->rules_cap = cap;
		}
		col->rules[col->nrules++] = (struct tally){ g->rule, 0 };
	}
	col->rules[i].n++;
	if (g->priority >= 0 && g->priority < __SHRIKE_PRI_MAX && !col->by_pri[g->priority]++)
		col->pri_order[col->npri++] = g->priority;
	return 0;
}

static void collect(const struct shrike_rule *r, struct uevent_ctx *ctx, void *data)
{
	struct collector *col = data;
	struct alert_rule ar;
	struct alert a;
	struct got *g, *nv;
	char *json;
	json_object *j, *f;

	if (col->n == col->cap) {
		nv = realloc(col->v, (col->cap ? 2 * col->cap : 16) * sizeof(*nv));
		if (!nv) {
			col->nomem = true;
			return;
		}
		col->v = nv;
		col->cap = col->cap ? 2 * col->cap : 16;
	}
	if (alert_rule_load(&ar, col->t, r)) {
		col->nomem = true;
		return;
	}
	alert_of_rule(&a, &ar, r, col->hostname, NULL);
	g = &col->v[col->n];
	memset(g, 0, sizeof(*g));
	g->rule = strdup(ar.name);
	g->priority = a.priority;
	g->text = output_format(&a, ctx, &col->opts, false);
	json = output_format(&a, ctx, &col->opts, true);
	j = json ? json_tokener_parse(json) : NULL;
	if (j && json_object_object_get_ex(j, "output_fields", &f))
		g->fields = json_object_get(f);
	json_object_put(j);
	g->json = json;
	alert_rule_clear(&ar);
	if (!g->rule || !g->text || !g->json || !g->fields || tally_add(col, g)) {
		free(g->rule);
		free(g->text);
		free(g->json);
		json_object_put(g->fields);
		col->nomem = true;
		return;
	}
	col->n++;
}

static void collector_free(struct collector *col)
{
	for (size_t i = 0; i < col->n; i++) {
		free(col->v[i].rule);
		free(col->v[i].text);
		free(col->v[i].json);
		json_object_put(col->v[i].fields);
	}
	free(col->v);
	free(col->rules);
}

static char *case_path(const struct tcase *c, const char *p)
{
	char *out;

	if (p[0] == '/' || !c->dir[0])
		return strdup(p);
	return asprintf(&out, "%s/%s", c->dir, p) < 0 ? NULL : out;
}

/* An inline event: a YAML mapping as the JSON object replay reads. Plain
 * scalars that are numbers, booleans or null keep that type. Nested at most
 * as deep as replay's JSON parser takes (64), keys strings: *deep is set
 * when it is not so. */
#define EVENT_MAX_DEPTH 64
static json_object *yaml_to_json(const struct ynode *n, int depth, bool *deep)
{
	json_object *o;
	char *end;
	long long v;

	if (depth > EVENT_MAX_DEPTH) {
		*deep = true;
		return NULL;
	}
	switch (n->kind) {
	case Y_MAP:
		o = json_object_new_object();
		for (size_t i = 0; o && i < n->n; i++) {
			if (n->items[2 * i]->kind != Y_SCALAR) {
				*deep = true;
				continue;
			}
			json_object_object_add(o, n->items[2 * i]->str,
					       yaml_to_json(n->items[2 * i + 1], depth + 1, deep));
		}
		return o;
	case Y_SEQ:
		o = json_object_new_array();
		for (size_t i = 0; o && i < n->n; i++)
			json_object_array_add(o, yaml_to_json(n->items[i], depth + 1, deep));
		return o;
	default: break;
	}
	if (n->style == YS_PLAIN && !n->tagged) {
		if (ynode_is_null(n))
			return NULL;
		if (!strcmp(n->str, "true") || !strcmp(n->str, "false"))
			return json_object_new_boolean(n->str[0] == 't');
		errno = 0;
		v = strtoll(n->str, &end, 0);
		if (n->len && !*end && !errno)
			return json_object_new_int64(v);
	}
	return json_object_new_string_len(n->str, (int)n->len);
}

static int replay_inline(struct tcase *c, struct replay *rp)
{
	int ret = 0, r;

	for (size_t i = 0; i < c->events->n; i++) {
		const struct ynode *e = c->events->items[i];
		bool deep = false;
		json_object *j;

		if (e->kind != Y_MAP) {
			BAD(c, e, "events: an event is a mapping of field: value");
			ret = 1;
			continue;
		}
		j = yaml_to_json(e, 1, &deep);
		if (!j)
			return 2;
		if (deep) {
			json_object_put(j);
			BAD(c, e,
			    "events: an event has a key that is not a string, or is nested "
			    "deeper than %d levels",
			    EVENT_MAX_DEPTH);
			ret = ret > 1 ? ret : 1;
			continue;
		}
		r = replay_line(rp, c->file, (size_t)e->start.line, json_object_to_json_string(j));
		json_object_put(j);
		if (r == 1)
			BAD(c, e, "events: not an event (said above)");
		ret = r > ret ? r : ret;
	}
	return ret;
}

static int replay_trace(struct tcase *c, struct replay *rp)
{
	const char *p = c->trace->str;
	size_t n = c->trace->len;
	char *path;
	FILE *f;
	int r;

	if ((n >= 5 && !strcmp(p + n - 5, ".scap")) || (n >= 8 && !strcmp(p + n - 8, ".scap.gz"))) {
		BAD(c, c->trace,
		    "trace_file '%s' is a capture: name JSON events instead (recorded with "
		    "shrike-agent -w)",
		    p);
		return 1;
	}
	path = case_path(c, p);
	if (!path)
		return 2;
	f = fopen(path, "r");
	if (!f) {
		BAD(c, c->trace, "cannot read %s: %s", path, strerror(errno));
		free(path);
		return 1;
	}
	r = replay_file(rp, f, path);
	fclose(f);
	free(path);
	if (r == 1)
		BAD(c, c->trace, "%s has lines that are not events (said above)", p);
	return r;
}

static void run_case(struct tcase *c, const struct cases_opts *o)
{
	struct collector col = { 0 };
	struct replay rp = { NULL, collect, &col };
	struct rule_selection sel = { 0 };
	struct compile_opts co = { 0 };
	struct ruleset *rs;
	struct shrike_table t;
	void *table = NULL;
	size_t len = 0;
	char err[256];
	int r;

	rs = ruleset_new();
	if (!rs) {
		c->res->nomem = true;
		return;
	}
	for (size_t i = 0; i < items_n(c->rules); i++) {
		char *p = case_path(c, item_at(c->rules, i)->str);

		if (!p) {
			c->res->nomem = true;
			goto out;
		}
		ruleset_load_path(rs, p);
		free(p);
	}
	ruleset_finish(rs);
	if (ruleset_nomem(rs)) {
		c->res->nomem = true;
		goto out;
	}
	if (rsel_from_cli(&sel, c->sel[0], c->nsel[0], c->sel[1], c->nsel[1], c->sel[2], c->nsel[2],
			  err, sizeof(err))) {
		BAD(c, c->node, "%s", err);
		goto out;
	}
	rsel_apply(&sel, rs, NULL, "");
	if (!ruleset_errors(rs)) {
		co.match_all = c->match_all;
		co.all_events = c->all_events;
		co.has_min_priority = c->has_priority;
		co.min_priority = c->priority;
		if (compile_ruleset(rs, &co, &table, &len, &rs->diags) < 0 && !rs->diags.nerrors) {
			c->res->nomem = true;
			goto out;
		}
	}
	if (ruleset_errors(rs) || rs->diags.nerrors) {
		case_check_stderr(c, &rs->diags, true);
		goto out;
	}
	if (c->stderr_contains)
		case_check_stderr(c, &rs->diags, false);
	if (c->exit_status == 1) {
		FAIL(c, c->node, "expected the rules to be rejected (exit_status: 1); they load");
		goto out;
	}
	if (shrike_table_verify(table, (u32)len, &t, NULL) < 0) {
		BAD(c, c->node, "the compiled table does not verify");
		goto out;
	}
	dns_load_table_lazy(&t, CASE_DNS_BUDGET_MS, "shrikec test");
	col.opts = c->out;
	col.t = &t;
	col.hostname = o->hostname;
	rp.t = &t;
	r = c->trace ? replay_trace(c, &rp) : c->events ? replay_inline(c, &rp) : 0;
	dns_stop();
	if (r == 2 || col.nomem) {
		c->res->nomem = true;
		goto out;
	}
	if (!r && c->res->status != R_ERROR) {
		case_check_alerts(c, &col);
		case_keep_counts(c->res, &col);
	}
out:
	collector_free(&col);
	rsel_free(&sel);
	free(table);
	ruleset_free(rs);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One case: read, run, checked; its result filled in. */
static void one_case(struct run *run, const char *file, const char *dir, const struct ynode *key,
		     const struct ynode *v)
{
	struct tcase c = { 0 };
	struct result *r = run_add(run, file, key->str, key->start.line);
	double t0 = now_s();
	bool ok = true;

	if (!r)
		return;
	c.file = file;
	c.name = r->name;
	c.node = key;
	c.res = r;
	c.dir = (char *)dir;
	c.check_counts = true;
	output_opts_init(&c.out);
	if (v->kind != Y_MAP) {
		BAD(&c, v, "a case is a mapping of keys (rules_file, trace_file, detect, ...)");
		return;
	}
	for (size_t i = 0; i < v->n; i++) {
		if (v->items[2 * i]->kind != Y_SCALAR) {
			BAD(&c, v->items[2 * i], "a key is a string");
			ok = false;
		} else if (case_read_key(&c, v->items[2 * i], v->items[2 * i + 1])) {
			ok = false;
		}
	}
	if (ok && !items_n(c.rules)) {
		BAD(&c, key, "no rules_file");
		ok = false;
	}
	if (ok && c.trace && c.events) {
		BAD(&c, c.events, "both trace_file and events: one source of events");
		ok = false;
	}
	if (ok)
		run_case(&c, run->o);
	if (r->nomem)
		res_msg(&c, key->start.line, R_ERROR, "out of memory");
	r->secs = now_s() - t0;
}

/* A case file: its cases, at the top level or under Falco's trace_files. */
static void one_file(struct run *run, const char *file)
{
	struct diag_list dl = { 0 };
	struct ydoc *d = NULL;
	char *text = NULL, *dir = NULL, *slash;
	size_t n;
	int r = file_read(file, CASES_FILE_MAX, &text, &n);

	if (r) {
		fprintf(stderr, "shrikec test: cannot read %s: %s\n", file, strerror(-r));
		run->bad_files++;
		return;
	}
	dir = strdup(file);
	if (!dir) {
		fprintf(stderr, "shrikec test: out of memory\n");
		run->bad_files++;
		goto out;
	}
	slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	else
		dir[0] = 0;
	d = ydoc_load(file, text, n, &dl);
	if (!d) {
		diag_print_all(stderr, &dl);
		run->bad_files++;
		goto out;
	}
	for (size_t i = 0; i < d->ndocs; i++) {
		const struct ynode *root = d->docs[i], *cases;

		if (!root)
			continue;
		cases = ymap_get(root, "trace_files");
		if (!cases)
			cases = root;
		if (cases->kind != Y_MAP) {
			fprintf(stderr,
				"%s:%d:%d: a case file is a mapping of case names to cases\n", file,
				cases->start.line, cases->start.col);
			run->bad_files++;
			continue;
		}
		for (size_t j = 0; j < cases->n; j++) {
			if (cases->items[2 * j]->kind != Y_SCALAR) {
				fprintf(stderr, "%s:%d:%d: a case's name is a string\n", file,
					cases->items[2 * j]->start.line,
					cases->items[2 * j]->start.col);
				run->bad_files++;
				continue;
			}
			one_case(run, file, dir, cases->items[2 * j], cases->items[2 * j + 1]);
		}
	}
out:
	ydoc_free(d);
	diag_list_free(&dl);
	free(text);
	free(dir);
}

int cases_run(const struct cases_opts *o, char *const *files, int nfiles)
{
	struct run run = { .o = o };
	int ret;

	match_init();
	for (int i = 0; i < nfiles; i++)
		one_file(&run, files[i]);
	ret = cases_report(&run);
	run_free(&run);
	return ret;
}
