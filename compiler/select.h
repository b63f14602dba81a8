/* select.h - Falco's rule selection, applied to a finished ruleset before it
 * is compiled, so that shrikec (compile, list, explain, test) and
 * shrike-agent run the same rules:
 *
 *   -D SUBSTRING   disable the rules whose name contains SUBSTRING
 *   -T TAG         disable the rules with the tag TAG
 *   -t TAG         disable every rule, then enable the rules with a tag TAG
 *   rules:         newer Falco's falco.yaml list (0.38 on), in order:
 *                    - disable: {rule: NAME-OR-GLOB}  - enable: {tag: TAG}
 *
 * Precedence as in Falco (0.31's falco.cpp, 0.38's load_rules_files.cpp):
 * -t cannot be combined with -D or -T; every -D first, then every -T, then
 * -t; the command line cannot be combined with a `rules:` list. A selector
 * can enable a rule its file marks `enabled: false`, as in Falco. Rule
 * names match case-sensitively: a substring for -D, for `rules:` the whole
 * name where `*` matches any run of characters (falco::utils::
 * matches_wildcard); tags match exactly. `priority` stays apart: a rule less
 * severe is never loaded, whatever selects it. */
#ifndef SHRIKEC_SELECT_H
#define SHRIKEC_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "loader.h"

enum rsel_kind {
	RSEL_SUBSTRING, /* -D; "" matches every rule (-t's "disable all") */
	RSEL_WILDCARD,	/* rules: - {enable,disable}: {rule: ...} */
	RSEL_TAG,	/* -t, -T, rules: ... {tag: ...} */
};

struct rule_selector {
	bool enable;
	enum rsel_kind kind;
	char *pattern;
};

struct rule_selection {
	struct rule_selector *v;
	size_t n;
};

/* Appends one selector. 0, or -1 when out of memory. */
int rsel_add(struct rule_selection *s, bool enable, enum rsel_kind kind, const char *pattern);
/* The command line's -D, -T and -t, as Falco orders them. 0; or -1 with
 * Falco's message in err when -t is given with -D or -T (or no memory). */
int rsel_from_cli(struct rule_selection *s, char *const *disable_substr, size_t nd,
		  char *const *disable_tags, size_t nT, char *const *enable_tags, size_t nt,
		  char *err, size_t errlen);
void rsel_free(struct rule_selection *s);
/* Copies src over dst (dst freed first). 0, or -1 when out of memory. */
int rsel_copy(struct rule_selection *dst, const struct rule_selection *src);

bool rsel_wildcard_match(const char *pattern, const char *name);
/* Applies each selector in order to every rule's enabled. With log, one
 * line a selector as Falco logs it ("Disabling rules with tag: T"), then
 * how many rules are enabled, both after prefix. */
void rsel_apply(const struct rule_selection *s, struct ruleset *rs, FILE *log, const char *prefix);
/* One selector as Falco's falco.yaml writes it: "disable: {rule: X}". */
void rsel_print(FILE *f, const struct rule_selector *r);

#endif
