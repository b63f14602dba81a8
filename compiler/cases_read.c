/* cases_read.c - the keys of a case of shrikec test --cases (cases.h): each
 * checked for its type and values as it is read, Falco's keys about Falco
 * itself named as such, anything else refused as unknown. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "cases_int.h"

#include <errno.h>
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

/* See cases_int.h. */
int case_read_key(struct tcase *c, const struct ynode *key, const struct ynode *v)
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
		for (size_t i = 0; i < items_n(v); i++)
			if (ruleset_parse_priority(item_at(v, i)->str) < 0) {
				BAD(c, item_at(v, i), "detect_level: '%s' is not a priority",
				    item_at(v, i)->str);
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
	if (!strcmp(k, "stdout_contains")) {
		c->stdout_contains = v;
		return check_strings(c, key, v);
	}
	if (!strcmp(k, "stdout_not_contains")) {
		c->stdout_not_contains = v;
		return check_strings(c, key, v);
	}
	if (!strcmp(k, "stdout_is")) {
		c->stdout_is = v;
		if (v->kind != Y_SCALAR) {
			BAD(c, v, "stdout_is takes a string");
			return -1;
		}
		return 0;
	}
	if (!strcmp(k, "json_output"))
		return read_bool(c, key, v, &c->json_output);
	if (!strcmp(k, "json_include_output_property"))
		return read_bool(c, key, v, &c->out.json_include_output_property);
	if (!strcmp(k, "json_include_tags_property"))
		return read_bool(c, key, v, &c->out.json_include_tags_property);
	if (!strcmp(k, "time_iso_8601"))
		return read_bool(c, key, v, &c->out.time_format_iso_8601);
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
