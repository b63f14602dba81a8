/* cases_check.c - the expectations of a case of shrikec test --cases
 * (cases.h) against the alerts its events raised: detect, detect_level and
 * detect_counts as Falco's test runner checks them, output_contains and
 * output_fields, what Falco would have printed (stdout_*), and the rules'
 * diagnostics (stderr_contains). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "cases_int.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "../lib/strbuf.h"

static int pattern_compile(struct tcase *c, const char *key, const struct ynode *n, regex_t *re);

/* See cases_int.h (Falco's test runner searches its stderr so). */
void case_check_stderr(struct tcase *c, const struct diag_list *dl, bool rejected)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f) {
		c->res->nomem = true;
		return;
	}
	diag_print_all(f, dl);
	if (fclose(f) || !text) {
		free(text);
		c->res->nomem = true;
		return;
	}
	if (rejected && c->exit_status != 1) {
		fputs(text, stderr);
		BAD(c, c->node, "its rules do not load (the errors above)");
	}
	for (size_t i = 0; (!rejected || c->exit_status == 1) && i < items_n(c->stderr_contains);
	     i++) {
		const struct ynode *s = item_at(c->stderr_contains, i);
		regex_t re;

		if (pattern_compile(c, "stderr_contains", s, &re))
			continue;
		if (regexec(&re, text, 0, NULL, 0))
			FAIL(c, s, "the rules' %s do not contain '%s'; they are:\n%s",
			     rejected ? "errors" : "warnings", s->str, text);
		regfree(&re);
	}
	free(text);
}

static size_t count_rule(const struct collector *col, const char *rule)
{
	for (size_t i = 0; i < col->nrules; i++)
		if (!strcmp(col->rules[i].rule, rule))
			return col->rules[i].n;
	return 0;
}

/* "RULE: N, ..." of the alerts, at most 8 rules. malloc'd. */
static char *alert_summary(const struct collector *col)
{
	struct strbuf sb = { 0 };

	for (size_t i = 0; i < col->nrules; i++) {
		if (i == 8) {
			sb_str(&sb, ", ...");
			break;
		}
		sb_str(&sb, i ? ", " : "");
		sb_str(&sb, col->rules[i].rule);
		sb_str(&sb, ": ");
		sb_u64(&sb, col->rules[i].n);
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

/* A pattern of Falco's test runner (Python's re.search): a POSIX extended
 * regular expression, with Python's \\d and \\D (not in POSIX) and a
 * leading (?i) translated. 0, or -1 (said). */
static int pattern_compile(struct tcase *c, const char *key, const struct ynode *n, regex_t *re)
{
	struct strbuf sb = { 0 };
	const char *p = n->str;
	int flags = REG_EXTENDED | REG_NOSUB, bracket = 0, rc;
	char *ere;

	if (!strncmp(p, "(?i)", 4)) {
		flags |= REG_ICASE;
		p += 4;
	}
	for (; *p; p++) {
		if (*p == '\\' && (p[1] == 'd' || p[1] == 'D')) {
			sb_str(&sb, bracket ? "0-9" : p[1] == 'd' ? "[0-9]" : "[^0-9]");
			p++;
			continue;
		}
		if (*p == '\\' && p[1]) {
			sb_put(&sb, p, 2);
			p++;
			continue;
		}
		if (*p == '[' && !bracket)
			bracket = 1;
		else if (*p == ']' && bracket)
			bracket = 0;
		sb_chr(&sb, *p);
	}
	ere = sb_take(&sb);
	if (!ere) {
		c->res->nomem = true;
		return -1;
	}
	rc = regcomp(re, ere, flags);
	free(ere);
	if (rc) {
		BAD(c, n, "%s: '%s' is not a regular expression", key, n->str);
		return -1;
	}
	return 0;
}

/* Falco's priority names as rule files write them, for its statistics. */
static const char *const falco_pri[__SHRIKE_PRI_MAX] = {
	"EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG",
};

/*
 * What Falco 0.31 prints on stdout for a capture (falco -e FILE -v): each
 * alert (its text line, or JSON line with json_output), then its
 * statistics, "Events detected: N", "Rule counts by severity:" and
 * "Triggered rules by rule name:" with a line "   NAME: N" for each. Lua
 * printed those in no set order; here they are in the order first seen.
 */
static char *falco_stdout(const struct tcase *c, const struct collector *col)
{
	struct strbuf sb = { 0 };
	size_t i;

	for (i = 0; i < col->n; i++) {
		sb_str(&sb, c->json_output ? col->v[i].json : col->v[i].text);
		sb_chr(&sb, '\n');
	}
	sb_str(&sb, "Events detected: ");
	sb_u64(&sb, col->n);
	sb_str(&sb, "\nRule counts by severity:\n");
	for (i = 0; i < col->npri; i++) {
		sb_str(&sb, "   ");
		sb_str(&sb, falco_pri[col->pri_order[i]]);
		sb_str(&sb, ": ");
		sb_u64(&sb, col->by_pri[col->pri_order[i]]);
		sb_chr(&sb, '\n');
	}
	sb_str(&sb, "Triggered rules by rule name:\n");
	for (i = 0; i < col->nrules; i++) {
		sb_str(&sb, "   ");
		sb_str(&sb, col->rules[i].rule);
		sb_str(&sb, ": ");
		sb_u64(&sb, col->rules[i].n);
		sb_chr(&sb, '\n');
	}
	return sb_take(&sb);
}

/* stdout_contains, stdout_not_contains and stdout_is against what Falco
 * would have printed (falco_stdout). */
static void check_stdout(struct tcase *c, const struct collector *col)
{
	char *out;
	regex_t re;

	if (!c->stdout_contains && !c->stdout_not_contains && !c->stdout_is)
		return;
	out = falco_stdout(c, col);
	if (!out) {
		c->res->nomem = true;
		return;
	}
	for (size_t i = 0; i < items_n(c->stdout_contains); i++) {
		const struct ynode *s = item_at(c->stdout_contains, i);

		if (pattern_compile(c, "stdout_contains", s, &re))
			continue;
		if (regexec(&re, out, 0, NULL, 0))
			FAIL(c, s, "stdout does not contain '%s'; it is:\n%s", s->str, out);
		regfree(&re);
	}
	for (size_t i = 0; i < items_n(c->stdout_not_contains); i++) {
		const struct ynode *s = item_at(c->stdout_not_contains, i);

		if (pattern_compile(c, "stdout_not_contains", s, &re))
			continue;
		if (!regexec(&re, out, 0, NULL, 0))
			FAIL(c, s, "stdout contains '%s'; it is:\n%s", s->str, out);
		regfree(&re);
	}
	if (c->stdout_is && strcmp(c->stdout_is->str, out))
		FAIL(c, c->stdout_is, "stdout is not exactly as given; it is:\n%s", out);
	free(out);
}

void case_check_alerts(struct tcase *c, const struct collector *col)
{
	const struct ynode *where = c->detect_key ? c->detect_key : c->node;
	char *sum = alert_summary(col);

	if (c->check_counts && !c->detect && col->n)
		FAIL(c, where, "expected no alert, got %zu (%s)", col->n, sum ? sum : "");
	if (c->check_counts && c->detect && !col->n)
		FAIL(c, where, "expected alerts, got none");
	for (size_t i = 0; c->check_counts && c->detect && i < items_n(c->levels); i++) {
		const struct ynode *l = item_at(c->levels, i);
		int pri = ruleset_parse_priority(l->str);

		if (!col->by_pri[pri])
			FAIL(c, l, "expected an alert at level %s, got none (%s)",
			     output_priority_name(pri), col->n ? sum : "no alert");
	}
	for (size_t i = 0; i < items_n(c->counts); i++) {
		const struct ynode *m = item_at(c->counts, i);

		for (size_t j = 0; j < m->n; j++) {
			const struct ynode *k = m->items[2 * j];
			long want = strtol(m->items[2 * j + 1]->str, NULL, 10);
			size_t got = count_rule(col, k->str);

			if ((size_t)want != got)
				FAIL(c, k, "rule %s expected %ld, got %zu", k->str, want, got);
		}
	}
	for (size_t i = 0; i < items_n(c->contains); i++) {
		const struct ynode *s = item_at(c->contains, i);
		size_t j;

		for (j = 0; j < col->n && !strstr(col->v[j].text, s->str); j++)
			;
		if (j == col->n)
			FAIL(c, s, "no alert's output contains '%s'%s%s", s->str,
			     col->n ? "; the first is: " : " (no alert)",
			     col->n ? col->v[0].text : "");
	}
	for (size_t i = 0; i < items_n(c->fields); i++) {
		const struct ynode *m = item_at(c->fields, i);
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
	check_stdout(c, col);
}

/* See cases_int.h. */
void case_keep_counts(struct result *r, const struct collector *col)
{
	r->counts = json_object_new_object();
	for (size_t i = 0; r->counts && i < col->nrules; i++)
		json_object_object_add(r->counts, col->rules[i].rule,
				       json_object_new_int64((int64_t)col->rules[i].n));
	r->nalerts = col->n;
}
