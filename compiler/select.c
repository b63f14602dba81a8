/* select.c - Falco's rule selection (-D, -T, -t, falco.yaml's `rules:`) on
 * a finished ruleset: see select.h. */
#define _GNU_SOURCE
#include "select.h"

#include <stdlib.h>
#include <string.h>

int rsel_add(struct rule_selection *s, bool enable, enum rsel_kind kind, const char *pattern)
{
	struct rule_selector *nv = realloc(s->v, (s->n + 1) * sizeof(*nv));
	char *p;

	if (!nv)
		return -1;
	s->v = nv;
	p = strdup(pattern);
	if (!p)
		return -1;
	nv[s->n++] = (struct rule_selector){ enable, kind, p };
	return 0;
}

int rsel_from_cli(struct rule_selection *s, char *const *disable_substr, size_t nd,
		  char *const *disable_tags, size_t nT, char *const *enable_tags, size_t nt,
		  char *err, size_t errlen)
{
	size_t i;

	if ((nd || nT) && nt) {
		snprintf(err, errlen,
			 "You can not specify both disabled (-D/-T) and enabled (-t) rules");
		return -1;
	}
	for (i = 0; i < nd; i++)
		if (rsel_add(s, false, RSEL_SUBSTRING, disable_substr[i]))
			goto oom;
	for (i = 0; i < nT; i++)
		if (rsel_add(s, false, RSEL_TAG, disable_tags[i]))
			goto oom;
	/* -t: "since we only want to enable specific rules, first disable
	 * all rules" (Falco), then every tag given. */
	if (nt && rsel_add(s, false, RSEL_SUBSTRING, ""))
		goto oom;
	for (i = 0; i < nt; i++)
		if (rsel_add(s, true, RSEL_TAG, enable_tags[i]))
			goto oom;
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
	return -1;
}

void rsel_free(struct rule_selection *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].pattern);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

int rsel_copy(struct rule_selection *dst, const struct rule_selection *src)
{
	size_t i;

	rsel_free(dst);
	for (i = 0; i < src->n; i++)
		if (rsel_add(dst, src->v[i].enable, src->v[i].kind, src->v[i].pattern))
			return -1;
	return 0;
}

/*
 * falco::utils::matches_wildcard, step for step: a literal piece after a
 * '*' is looked for at its first occurrence only, so "*ab" does not match
 * "abab" in Falco either. Both agree on every pattern with a single '*' at
 * an end, the common case ("*", "Write below*", "*shell*").
 */
bool rsel_wildcard_match(const char *p, const char *s)
{
	for (;;) {
		const char *star = strchr(p, '*');

		if (!star)
			return !strcmp(p, s);
		if (star == p) {
			const char *next = p + strspn(p, "*"), *found;
			size_t n;
			char *piece;

			if (!*next)
				return true;
			n = strcspn(next, "*");
			piece = strndup(next, n);
			if (!piece)
				return false;
			found = strstr(s, piece);
			free(piece);
			if (!found)
				return false;
			p = next + n;
			s = found + n;
		} else {
			size_t n = (size_t)(star - p);

			if (strlen(s) < n || strncmp(p, s, n))
				return false;
			p += n;
			s += n;
		}
	}
}

static bool rule_has_tag(const struct rule_def *r, const char *tag)
{
	size_t i;

	for (i = 0; i < r->ntags; i++)
		if (!strcmp(r->tags[i], tag))
			return true;
	return false;
}

static bool selects(const struct rule_selector *sel, const struct rule_def *r)
{
	switch (sel->kind) {
	case RSEL_SUBSTRING: return strstr(r->name, sel->pattern) != NULL;
	case RSEL_WILDCARD: return rsel_wildcard_match(sel->pattern, r->name);
	case RSEL_TAG: return rule_has_tag(r, sel->pattern);
	}
	return false;
}

/* Falco's own log lines (0.31's falco.cpp, 0.38's load_rules_files.cpp). */
static void log_selector(FILE *f, const char *prefix, const struct rule_selector *sel)
{
	const char *verb = sel->enable ? "Enabling" : "Disabling";

	switch (sel->kind) {
	case RSEL_SUBSTRING:
		if (!*sel->pattern)
			fprintf(f, "%s%s all rules\n", prefix, verb);
		else
			fprintf(f, "%s%s rules matching substring: %s\n", prefix, verb,
				sel->pattern);
		break;
	case RSEL_WILDCARD:
		fprintf(f, "%s%s rules with name: %s\n", prefix, verb, sel->pattern);
		break;
	case RSEL_TAG: fprintf(f, "%s%s rules with tag: %s\n", prefix, verb, sel->pattern); break;
	}
}

void rsel_apply(const struct rule_selection *s, struct ruleset *rs, FILE *log, const char *prefix)
{
	size_t i, j, on = 0;

	if (!s || !s->n)
		return;
	for (i = 0; i < s->n; i++) {
		if (log)
			log_selector(log, prefix, &s->v[i]);
		for (j = 0; j < rs->nrules; j++)
			if (selects(&s->v[i], &rs->rules[j]))
				rs->rules[j].enabled = s->v[i].enable;
	}
	for (j = 0; j < rs->nrules; j++)
		on += rs->rules[j].enabled;
	if (log)
		fprintf(log, "%s%zu of %zu rules enabled\n", prefix, on, rs->nrules);
}

void rsel_print(FILE *f, const struct rule_selector *r)
{
	fprintf(f, "%s: {%s: ", r->enable ? "enable" : "disable",
		r->kind == RSEL_TAG ? "tag" : "rule");
	diag_json_str(f, r->pattern); /* also a YAML string: "*" */
	fputc('}', f);
}
