/* cases_read.c - the keys of a case of shrikec test --cases (cases.h): each
 * checked for its type and values as it is read, Falco's keys about Falco
 * itself named as such, anything else refused as unknown. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "cases_int.h"

#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

/* See cases_int.h. */
void res_msg(struct tcase *c, int line, enum result_status st, const char *fmt, ...)
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

size_t items_n(const struct ynode *v)
{
	return !v ? 0 : v->kind == Y_SEQ ? v->n : ynode_is_null(v) ? 0 : 1;
}

const struct ynode *item_at(const struct ynode *v, size_t i)
{
	return v->kind == Y_SEQ ? v->items[i] : v;
}

static int read_selection(struct tcase *c, const struct ynode *key, const struct ynode *v, int k)
{
	if (check_strings(c, key, v))
		return -1;
	for (size_t i = 0; i < items_n(v); i++) {
		if (c->nsel[k] == sizeof(c->sel[k]) / sizeof(c->sel[k][0])) {
			BAD(c, v, "%s: more than 64 items", key->str);
			return -1;
		}
		c->sel[k][c->nsel[k]++] = item_at(v, i)->str;
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
	for (size_t i = 0; i < items_n(v); i++) {
		m = item_at(v, i);
		if (m->kind != Y_MAP) {
			BAD(c, m, "%s: an item is {RULE: COUNT}, not a %s", key->str,
			    ynode_kind_str(m));
			return -1;
		}
		for (size_t j = 0; j < m->n; j++) {
			if (m->items[2 * j]->kind != Y_SCALAR) {
				BAD(c, m->items[2 * j], "%s: a rule name is a string", key->str);
				return -1;
			}
			if (read_long(c, key, m->items[2 * j + 1], &n))
				return -1;
		}
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
	for (size_t i = 0; i < items_n(v); i++) {
		m = item_at(v, i);
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

/* Keys of Falco's test/falco_test.py about Falco itself, not its rules. */
static bool is_falco_only_key(const char *k)
{
	static const char *const keys[] = {
		"conf_file",
		"addl_cmdline_opts",
		"outputs",
		"output_strictly_contains",
		"package",
		"psp_file",
		"run_duration",
		"grpc",
		"address",
		"proto",
		"service",
		"method",
		"results",
		"addl_docker_run_args",
		"copy_local_driver",
		"rules_warning",
		"rules_events",
		"stderr_is",
		"stderr_not_contains",
		"enable_source",
		"disable_source",
		NULL,
	};

	for (const char *const *p = keys; *p; p++)
		if (!strcmp(k, *p))
			return true;
	return false;
}

static int read_rules(struct tcase *c, const struct ynode *key, const struct ynode *v)
{
	if (c->rules) {
		BAD(c, key, "rules given twice (rules_file, validate_rules_file)");
		return -1;
	}
	c->rules = v;
	return check_strings(c, key, v);
}

static int read_trace(struct tcase *c, const struct ynode *key, const struct ynode *v)
{
	if (v->kind != Y_SCALAR) {
		BAD(c, v, "%s takes a path", key->str);
		return -1;
	}
	c->trace = v;
	return 0;
}

static int read_events(struct tcase *c, const struct ynode *key, const struct ynode *v)
{
	(void)key;
	if (v->kind != Y_SEQ) {
		BAD(c, v, "events takes a list of events");
		return -1;
	}
	c->events = v;
	return 0;
}

static int read_detect(struct tcase *c, const struct ynode *key, const struct ynode *v)
{
	c->detect_key = key;
	return read_bool(c, key, v, &c->detect);
}

static int read_levels(struct tcase *c, const struct ynode *key, const struct ynode *v)
{
	c->levels = v;
	if (check_strings(c, key, v))
		return -1;
	for (size_t i = 0; i < items_n(v); i++)
		if (ruleset_parse_priority(item_at(v, i)->str) < 0) {
			BAD(c, item_at(v, i), "detect_level: '%s' is not a priority",
			    item_at(v, i)->str);
			return -1;
		}
	return 0;
}

static int read_priority(struct tcase *c, const struct ynode *key, const struct ynode *v)
{
	(void)key;
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

static int read_rule_matching(struct tcase *c, const struct ynode *key, const struct ynode *v)
{
	const char *rm = v->kind == Y_SCALAR ? v->str : "";

	(void)key;
	if (strcmp(rm, "first") && strcmp(rm, "all")) {
		BAD(c, v, "rule_matching takes first or all");
		return -1;
	}
	c->match_all = !strcmp(rm, "all");
	return 0;
}

static int read_counts(struct tcase *c, const struct ynode *key, const struct ynode *v)
{
	c->counts = v;
	return check_counts(c, key, v);
}

static int read_fields(struct tcase *c, const struct ynode *key, const struct ynode *v)
{
	c->fields = v;
	return check_fields(c, key, v);
}

static int read_stdout_is(struct tcase *c, const struct ynode *key, const struct ynode *v)
{
	(void)key;
	c->stdout_is = v;
	if (v->kind != Y_SCALAR) {
		BAD(c, v, "stdout_is takes a string");
		return -1;
	}
	return 0;
}

static int read_exit_status(struct tcase *c, const struct ynode *key, const struct ynode *v)
{
	long n;

	if (read_long(c, key, v, &n))
		return -1;
	if (n != 0 && n != 1) {
		BAD(c, v, "exit_status: 0 (the rules load) or 1 (they are rejected)");
		return -1;
	}
	c->exit_status = (int)n;
	return 0;
}

/* A key of a case and how it is read: a boolean or a list of strings into
 * the field at off, a selection (-D, -T, -t: sel), or its own reader. */
struct case_key {
	const char *name;
	enum { K_BOOL, K_STRINGS, K_SELECT, K_READ, K_NOTE } kind;
	size_t off;
	int sel;
	int (*read)(struct tcase *c, const struct ynode *key, const struct ynode *v);
};

#define BOOL_KEY(k, f)                                        \
	{                                                     \
		k, K_BOOL, offsetof(struct tcase, f), 0, NULL \
	}
#define STRINGS_KEY(k, f)                                        \
	{                                                        \
		k, K_STRINGS, offsetof(struct tcase, f), 0, NULL \
	}
#define SELECT_KEY(k, s)                \
	{                               \
		k, K_SELECT, 0, s, NULL \
	}
#define READ_KEY(k, fn)             \
	{                           \
		k, K_READ, 0, 0, fn \
	}

static const struct case_key case_keys[] = {
	READ_KEY("rules_file", read_rules),
	READ_KEY("validate_rules_file", read_rules),
	READ_KEY("trace_file", read_trace),
	READ_KEY("events_file", read_trace),
	READ_KEY("events", read_events),
	READ_KEY("detect", read_detect),
	BOOL_KEY("check_detection_counts", check_counts),
	BOOL_KEY("all_events", all_events),
	READ_KEY("detect_level", read_levels),
	READ_KEY("priority", read_priority),
	READ_KEY("rule_matching", read_rule_matching),
	READ_KEY("detect_counts", read_counts),
	SELECT_KEY("disabled_rules", 0),
	SELECT_KEY("disable_tags", 1),
	SELECT_KEY("run_tags", 2),
	STRINGS_KEY("output_contains", contains),
	READ_KEY("output_fields", read_fields),
	STRINGS_KEY("stderr_contains", stderr_contains),
	STRINGS_KEY("stdout_contains", stdout_contains),
	STRINGS_KEY("stdout_not_contains", stdout_not_contains),
	READ_KEY("stdout_is", read_stdout_is),
	BOOL_KEY("json_output", json_output),
	BOOL_KEY("json_include_output_property", out.json_include_output_property),
	BOOL_KEY("json_include_tags_property", out.json_include_tags_property),
	BOOL_KEY("time_iso_8601", out.time_format_iso_8601),
	READ_KEY("exit_status", read_exit_status),
	{ "desc", K_NOTE, 0, 0, NULL },
	{ "description", K_NOTE, 0, 0, NULL },
};

/* See cases_int.h. */
int case_read_key(struct tcase *c, const struct ynode *key, const struct ynode *v)
{
	const char *k = key->str;

	for (size_t i = 0; i < sizeof(case_keys) / sizeof(case_keys[0]); i++) {
		const struct case_key *ck = &case_keys[i];

		if (strcmp(k, ck->name))
			continue;
		switch (ck->kind) {
		case K_BOOL: return read_bool(c, key, v, (bool *)((char *)c + ck->off));
		case K_STRINGS:
			*(const struct ynode **)((char *)c + ck->off) = v;
			return check_strings(c, key, v);
		case K_SELECT: return read_selection(c, key, v, ck->sel);
		case K_READ: return ck->read(c, key, v);
		case K_NOTE: return 0;
		}
	}
	if (is_falco_only_key(k))
		BAD(c, key,
		    "'%s' is a key of Falco's test runner about Falco itself (its "
		    "configuration, outputs or packaging), not its rules: shrikec test does not "
		    "run it",
		    k);
	else
		BAD(c, key, "unknown key '%s' (shrikec test --help lists the keys)", k);
	return -1;
}
