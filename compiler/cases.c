/* cases.c - shrikec test --cases (cases.h): reads each case of a case file,
 * compiles its rules with its selection, replays its events and checks the
 * alerts against its expectations, then reports (cases_report.c). */
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
#include "../lib/match.h"
#include "../lib/strbuf.h"
#include "../lib/yamldoc.h"

/* The longest one case waits for DNS, over all the names of its rules. */
#define CASE_DNS_BUDGET_MS 2000

/* An alert a case's events raised. */
struct got {
	char *rule;
	int priority;
	char *text;	     /* the text line, as the agent prints it */
	json_object *fields; /* its JSON output_fields */
};

struct collector {
	const struct shrike_table *t;
	struct output_opts opts;
	const char *hostname;
	struct got *v;
	size_t n, cap;
	bool nomem;
};

/* A case as read from its file. */
struct tcase {
	const char *file, *name;
	const struct ynode *node;
	struct result *res;
	char *dir; /* the case file's directory, for relative paths */
	/* inputs */
	const struct ynode *rules, *trace, *events;
	char *sel[3][64]; /* -D, -T, -t as select.h takes them */
	size_t nsel[3];
	bool all_events, match_all, has_priority;
	int priority;
	/* expectations */
	bool detect, check_counts;
	int exit_status;
	const struct ynode *detect_key, *levels, *counts, *contains, *fields, *stderr_contains;
};

static void res_msg(struct tcase *c, int line, enum result_status st, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A failure (R_FAIL) or bad input (R_ERROR) of case c at line, said on
 * stderr as FILE:LINE: case NAME: what, and kept for the reports. */
static void res_msg(struct tcase *c, int line, enum result_status st, const char *fmt, ...)
{
	struct result *r = c->res;
	char *what = NULL, *msg = NULL, **nv;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) < 0)
		what = NULL;
	va_end(ap);
	if (what && asprintf(&msg, "%s:%d: case %s: %s", c->file, line, c->name, what) < 0)
		msg = NULL;
	free(what);
	if (st > r->status)
		r->status = st;
	if (!msg) {
		r->nomem = true;
		return;
	}
	fprintf(stderr, "%s\n", msg);
	nv = realloc(r->msgs, (r->nmsgs + 1) * sizeof(*nv));
	if (!nv) {
		free(msg);
		r->nomem = true;
		return;
	}
	r->msgs = nv;
	r->msgs[r->nmsgs++] = msg;
}

#define BAD(c, n, ...)	res_msg(c, (n)->start.line, R_ERROR, __VA_ARGS__)
#define FAIL(c, n, ...) res_msg(c, (n)->start.line, R_FAIL, __VA_ARGS__)

/* ---- reading a case ---- */

static bool scalar_is(const struct ynode *n, const char *const *words)
{
	for (; *words; words++)
		if (!strcmp(n->str, *words))
			return true;
	return false;
}

/* YAML 1.1 booleans, as Falco's test files write them (True, False). */
static int read_bool(struct tcase *c, const struct ynode *key, const struct ynode *v, bool *out)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes", "Yes", "on", NULL };
	static const char *const no[] = { "false", "False", "FALSE", "no", "No", "off", NULL };

	if (v->kind == Y_SCALAR && scalar_is(v, yes))
		*out = true;
	else if (v->kind == Y_SCALAR && scalar_is(v, no))
		*out = false;
	else {
		BAD(c, v, "%s takes true or false", key->str);
		return -1;
	}
	return 0;
}

static int read_long(struct tcase *c, const struct ynode *key, const struct ynode *v, long *out)
{
	char *end;

	if (v->kind == Y_SCALAR && v->len) {
		errno = 0;
		*out = strtol(v->str, &end, 10);
		if (!*end && !errno && *out >= 0)
			return 0;
	}
	BAD(c, v, "%s takes a number (0 or more), not '%s'", key->str,
	    v->kind == Y_SCALAR ? v->str : ynode_kind_str(v));
	return -1;
}

/* A string or a list of strings: 0, or -1 (said). */
static int check_strings(struct tcase *c, const struct ynode *key, const struct ynode *v)
{
	if (v->kind == Y_SCALAR)
		return 0;
	if (v->kind == Y_SEQ) {
		for (size_t i = 0; i < v->n; i++)
			if (v->items[i]->kind != Y_SCALAR) {
				BAD(c, v->items[i], "%s: an item is a string, not a %s", key->str,
				    ynode_kind_str(v->items[i]));
				return -1;
			}
		return 0;
	}
	BAD(c, v, "%s takes a string or a list of strings", key->str);
	return -1;
}

static size_t nstrings(const struct ynode *v)
{
	return !v ? 0 : v->kind == Y_SCALAR ? (ynode_is_null(v) ? 0 : 1) : v->n;
}

static const struct ynode *string_at(const struct ynode *v, size_t i)
{
	return v->kind == Y_SCALAR ? v : v->items[i];
}

static int read_selection(struct tcase *c, const struct ynode *key, const struct ynode *v, int k)
{
	if (check_strings(c, key, v))
		return -1;
	for (size_t i = 0; i < nstrings(v); i++) {
		if (c->nsel[k] == sizeof(c->sel[k]) / sizeof(c->sel[k][0])) {
			BAD(c, v, "%s: more than 64 items", key->str);
			return -1;
		}
		c->sel[k][c->nsel[k]++] = string_at(v, i)->str;
	}
	return 0;
}

/* detect_counts: Falco's list of one-entry mappings [{RULE: N}], or one
 * mapping {RULE: N, ...}. */
static int check_counts(struct tcase *c, const struct ynode *key, const struct ynode *v)
{
	const struct ynode *m;
	long n;

	if (v->kind != Y_SEQ && v->kind != Y_MAP) {
		BAD(c, v, "%s takes a list of {RULE: COUNT}", key->str);
		return -1;
	}
	for (size_t i = 0; i < (v->kind == Y_SEQ ? v->n : 1); i++) {
		m = v->kind == Y_SEQ ? v->items[i] : v;
		if (m->kind != Y_MAP) {
			BAD(c, m, "%s: an item is {RULE: COUNT}, not a %s", key->str,
			    ynode_kind_str(m));
			return -1;
		}
		for (size_t j = 0; j < m->n; j++)
			if (m->items[2 * j]->kind != Y_SCALAR ||
			    read_long(c, key, m->items[2 * j + 1], &n))
				return -1;
	}
	return 0;
}

static int check_fields(struct tcase *c, const struct ynode *key, const struct ynode *v)
{
	const struct ynode *m;

	if (v->kind != Y_SEQ && v->kind != Y_MAP) {
		BAD(c, v, "%s takes a mapping of field: value, or a list of them", key->str);
		return -1;
	}
	for (size_t i = 0; i < (v->kind == Y_SEQ ? v->n : 1); i++) {
		m = v->kind == Y_SEQ ? v->items[i] : v;
		if (m->kind != Y_MAP) {
			BAD(c, m, "%s: an item is a mapping of field: value", key->str);
			return -1;
		}
		for (size_t j = 0; j < 2 * m->n; j++)
			if (m->items[j]->kind != Y_SCALAR) {
				BAD(c, m->items[j], "%s: fields and values are scalars", key->str);
				return -1;
			}
	}
	return 0;
}

/* One key of a case: 0, or -1 (said). */
static int read_key(struct tcase *c, const struct ynode *key, const struct ynode *v)
{
	const char *k = key->str;
	const char *rm;
	long n;

	if (!strcmp(k, "rules_file") || !strcmp(k, "validate_rules_file")) {
		if (c->rules) {
			BAD(c, key, "rules given twice (rules_file, validate_rules_file)");
			return -1;
		}
		c->rules = v;
		return check_strings(c, key, v);
	}
	if (!strcmp(k, "trace_file") || !strcmp(k, "events_file")) {
		if (v->kind != Y_SCALAR) {
			BAD(c, v, "%s takes a path", k);
			return -1;
		}
		c->trace = v;
		return 0;
	}
	if (!strcmp(k, "events")) {
		if (v->kind != Y_SEQ) {
			BAD(c, v, "events takes a list of events");
			return -1;
		}
		c->events = v;
		return 0;
	}
	if (!strcmp(k, "detect")) {
		c->detect_key = key;
		return read_bool(c, key, v, &c->detect);
	}
	if (!strcmp(k, "check_detection_counts"))
		return read_bool(c, key, v, &c->check_counts);
	if (!strcmp(k, "all_events"))
		return read_bool(c, key, v, &c->all_events);
	if (!strcmp(k, "detect_level")) {
		c->levels = v;
		if (check_strings(c, key, v))
			return -1;
		for (size_t i = 0; i < nstrings(v); i++)
			if (ruleset_parse_priority(string_at(v, i)->str) < 0) {
				BAD(c, string_at(v, i), "detect_level: '%s' is not a priority",
				    string_at(v, i)->str);
				return -1;
			}
		return 0;
	}
	if (!strcmp(k, "priority")) {
		c->priority = v->kind == Y_SCALAR ? ruleset_parse_priority(v->str) : -1;
		c->has_priority = true;
		if (c->priority < 0) {
			BAD(c, v,
			    "priority takes emergency, alert, critical, error, warning, notice, "
			    "informational or debug");
			return -1;
		}
		return 0;
	}
	if (!strcmp(k, "rule_matching")) {
		rm = v->kind == Y_SCALAR ? v->str : "";
		if (strcmp(rm, "first") && strcmp(rm, "all")) {
			BAD(c, v, "rule_matching takes first or all");
			return -1;
		}
		c->match_all = !strcmp(rm, "all");
		return 0;
	}
	if (!strcmp(k, "detect_counts")) {
		c->counts = v;
		return check_counts(c, key, v);
	}
	if (!strcmp(k, "disabled_rules"))
		return read_selection(c, key, v, 0);
	if (!strcmp(k, "disable_tags"))
		return read_selection(c, key, v, 1);
	if (!strcmp(k, "run_tags"))
		return read_selection(c, key, v, 2);
	if (!strcmp(k, "output_contains")) {
		c->contains = v;
		return check_strings(c, key, v);
	}
	if (!strcmp(k, "output_fields")) {
		c->fields = v;
		return check_fields(c, key, v);
	}
	if (!strcmp(k, "stderr_contains")) {
		c->stderr_contains = v;
		return check_strings(c, key, v);
	}
	if (!strcmp(k, "exit_status")) {
		if (read_long(c, key, v, &n))
			return -1;
		if (n != 0 && n != 1) {
			BAD(c, v, "exit_status: 0 (the rules load) or 1 (they are rejected)");
			return -1;
		}
		c->exit_status = (int)n;
		return 0;
	}
	if (!strcmp(k, "desc") || !strcmp(k, "description"))
		return 0;
	BAD(c, key, "unknown key '%s' (shrikec test --help lists the keys)", k);
	return -1;
}

/* ---- running it ---- */

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
	free(json);
	alert_rule_clear(&ar);
	if (!g->rule || !g->text || !g->fields) {
		free(g->rule);
		free(g->text);
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
		json_object_put(col->v[i].fields);
	}
	free(col->v);
}

static char *case_path(const struct tcase *c, const char *p)
{
	char *out;

	if (p[0] == '/' || !c->dir[0])
		return strdup(p);
	return asprintf(&out, "%s/%s", c->dir, p) < 0 ? NULL : out;
}

/* An inline event: a YAML mapping as the JSON object replay reads. Plain
 * scalars that are numbers, booleans or null keep that type. */
static json_object *yaml_to_json(const struct ynode *n)
{
	json_object *o;
	char *end;
	long long v;

	switch (n->kind) {
	case Y_MAP:
		o = json_object_new_object();
		for (size_t i = 0; o && i < n->n; i++)
			json_object_object_add(o, n->items[2 * i]->str,
					       yaml_to_json(n->items[2 * i + 1]));
		return o;
	case Y_SEQ:
		o = json_object_new_array();
		for (size_t i = 0; o && i < n->n; i++)
			json_object_array_add(o, yaml_to_json(n->items[i]));
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
		json_object *j;

		if (e->kind != Y_MAP) {
			BAD(c, e, "events: an event is a mapping of field: value");
			ret = 1;
			continue;
		}
		j = yaml_to_json(e);
		if (!j)
			return 2;
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

/* The diagnostics of rules that do not load, against exit_status and
 * stderr_contains (extended regular expressions, as Falco's test runner
 * searches its stderr). */
static void check_rejected(struct tcase *c, const struct diag_list *dl)
{
	struct strbuf sb = { 0 };
	char *text, *p = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&p, &len);

	if (!f) {
		c->res->nomem = true;
		return;
	}
	diag_print_all(f, dl);
	fclose(f);
	sb_put(&sb, p ? p : "", len);
	free(p);
	text = sb_take(&sb);
	if (!text) {
		c->res->nomem = true;
		return;
	}
	if (c->exit_status != 1) {
		fputs(text, stderr);
		BAD(c, c->node, "its rules do not load (the errors above)");
	}
	for (size_t i = 0; c->exit_status == 1 && i < nstrings(c->stderr_contains); i++) {
		const struct ynode *s = string_at(c->stderr_contains, i);
		regex_t re;

		if (regcomp(&re, s->str, REG_EXTENDED | REG_NOSUB)) {
			BAD(c, s, "stderr_contains: '%s' is not an extended regular expression",
			    s->str);
			continue;
		}
		if (regexec(&re, text, 0, NULL, 0))
			FAIL(c, s, "the rules' errors do not contain '%s'; they are:\n%s", s->str,
			     text);
		regfree(&re);
	}
	free(text);
}

static size_t count_rule(const struct collector *col, const char *rule)
{
	size_t n = 0;

	for (size_t i = 0; i < col->n; i++)
		n += !strcmp(col->v[i].rule, rule);
	return n;
}

/* "RULE: N, ..." of the alerts, at most 8 rules. malloc'd. */
static char *alert_summary(const struct collector *col)
{
	struct strbuf sb = { 0 };
	size_t shown = 0;

	for (size_t i = 0; i < col->n; i++) {
		size_t j;

		for (j = 0; j < i && strcmp(col->v[j].rule, col->v[i].rule); j++)
			;
		if (j < i)
			continue;
		if (shown++ == 8) {
			sb_str(&sb, ", ...");
			break;
		}
		sb_str(&sb, shown > 1 ? ", " : "");
		sb_str(&sb, col->v[i].rule);
		sb_str(&sb, ": ");
		sb_u64(&sb, count_rule(col, col->v[i].rule));
	}
	return sb_take(&sb);
}

/* want, a mapping, equals got's output_fields exactly: the same fields,
 * the same values (a YAML null for a field without value). evt.time, the
 * alert's time that Falco puts in every output_fields, is compared only
 * when want names it. */
static bool fields_equal(const struct ynode *want, json_object *got)
{
	size_t n = (size_t)json_object_object_length(got);
	json_object *v;

	if (json_object_object_get_ex(got, "evt.time", NULL) && !ymap_get(want, "evt.time"))
		n--;
	if (n != want->n)
		return false;
	for (size_t j = 0; j < want->n; j++) {
		const struct ynode *k = want->items[2 * j], *w = want->items[2 * j + 1];

		if (!json_object_object_get_ex(got, k->str, &v))
			return false;
		if (!v || json_object_is_type(v, json_type_null)) {
			if (!(ynode_is_null(w) && !w->tagged && w->style == YS_PLAIN))
				return false;
		} else if (strcmp(json_object_get_string(v), w->str)) {
			return false;
		}
	}
	return true;
}

static void check_alerts(struct tcase *c, const struct collector *col)
{
	const struct ynode *where = c->detect_key ? c->detect_key : c->node;
	char *sum = alert_summary(col);

	if (c->check_counts && !c->detect && col->n)
		FAIL(c, where, "expected no alert, got %zu (%s)", col->n, sum ? sum : "");
	if (c->check_counts && c->detect && !col->n)
		FAIL(c, where, "expected alerts, got none");
	for (size_t i = 0; c->check_counts && c->detect && i < nstrings(c->levels); i++) {
		const struct ynode *l = string_at(c->levels, i);
		int pri = ruleset_parse_priority(l->str);
		size_t n = 0;

		for (size_t j = 0; j < col->n; j++)
			n += col->v[j].priority == pri;
		if (!n)
			FAIL(c, l, "expected an alert at level %s, got none (%s)",
			     output_priority_name(pri), col->n ? sum : "no alert");
	}
	for (size_t i = 0; c->counts && i < (c->counts->kind == Y_SEQ ? c->counts->n : 1); i++) {
		const struct ynode *m = c->counts->kind == Y_SEQ ? c->counts->items[i] : c->counts;

		for (size_t j = 0; j < m->n; j++) {
			const struct ynode *k = m->items[2 * j];
			long want = strtol(m->items[2 * j + 1]->str, NULL, 10);
			size_t got = count_rule(col, k->str);

			if ((size_t)want != got)
				FAIL(c, k, "rule %s expected %ld, got %zu", k->str, want, got);
		}
	}
	for (size_t i = 0; i < nstrings(c->contains); i++) {
		const struct ynode *s = string_at(c->contains, i);
		size_t j;

		for (j = 0; j < col->n && !strstr(col->v[j].text, s->str); j++)
			;
		if (j == col->n)
			FAIL(c, s, "no alert's output contains '%s'%s%s", s->str,
			     col->n ? "; the first is: " : " (no alert)",
			     col->n ? col->v[0].text : "");
	}
	for (size_t i = 0; c->fields && i < (c->fields->kind == Y_SEQ ? c->fields->n : 1); i++) {
		const struct ynode *m = c->fields->kind == Y_SEQ ? c->fields->items[i] : c->fields;
		size_t j;

		for (j = 0; j < col->n && !fields_equal(m, col->v[j].fields); j++)
			;
		if (j == col->n)
			FAIL(c, m, "no alert has these output_fields%s%s",
			     col->n ? "; the first alert's are " : " (no alert)",
			     col->n ? json_object_to_json_string_ext(
					      col->v[0].fields,
					      JSON_C_TO_STRING_PLAIN |
						      JSON_C_TO_STRING_NOSLASHESCAPE)
				    : "");
	}
	free(sum);
}

/* Keeps the per-rule counts for the JSON report. */
static void keep_counts(struct result *r, const struct collector *col)
{
	r->counts = json_object_new_object();
	for (size_t i = 0; r->counts && i < col->n; i++)
		if (!json_object_object_get_ex(r->counts, col->v[i].rule, NULL))
			json_object_object_add(
				r->counts, col->v[i].rule,
				json_object_new_int64((int64_t)count_rule(col, col->v[i].rule)));
	r->nalerts = col->n;
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
	size_t len = 0, before;
	char err[256];
	int r;

	rs = ruleset_new();
	if (!rs) {
		c->res->nomem = true;
		return;
	}
	for (size_t i = 0; i < nstrings(c->rules); i++) {
		char *p = case_path(c, string_at(c->rules, i)->str);

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
		before = rs->diags.n;
		if (compile_ruleset(rs, &co, &table, &len, &rs->diags) < 0 && !rs->diags.nerrors) {
			c->res->nomem = true;
			goto out;
		}
		(void)before;
	}
	if (ruleset_errors(rs) || rs->diags.nerrors) {
		check_rejected(c, &rs->diags);
		goto out;
	}
	if (c->exit_status == 1) {
		FAIL(c, c->node, "expected the rules to be rejected (exit_status: 1); they load");
		goto out;
	}
	if (shrike_table_verify(table, (u32)len, &t, NULL) < 0) {
		BAD(c, c->node, "the compiled table does not verify");
		goto out;
	}
	dns_load_table_lazy(&t, CASE_DNS_BUDGET_MS, "shrikec test");
	output_opts_init(&col.opts);
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
		check_alerts(c, &col);
		keep_counts(c->res, &col);
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
	if (v->kind != Y_MAP) {
		BAD(&c, v, "a case is a mapping of keys (rules_file, trace_file, detect, ...)");
		return;
	}
	for (size_t i = 0; i < v->n; i++)
		if (v->items[2 * i]->kind != Y_SCALAR ||
		    read_key(&c, v->items[2 * i], v->items[2 * i + 1]))
			ok = false;
	if (ok && !nstrings(c.rules)) {
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
	struct strbuf sb = { 0 };
	char buf[65536], *text, *dir, *slash;
	size_t n;
	FILE *f = fopen(file, "r");

	if (!f) {
		fprintf(stderr, "shrikec test: cannot read %s: %s\n", file, strerror(errno));
		run->bad_files++;
		return;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_put(&sb, buf, n);
	fclose(f);
	text = sb_take(&sb);
	dir = strdup(file);
	if (!text || !dir) {
		fprintf(stderr, "shrikec test: out of memory\n");
		run->bad_files++;
		goto out;
	}
	slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	else
		dir[0] = 0;
	d = ydoc_load(file, text, strlen(text), &dl);
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
