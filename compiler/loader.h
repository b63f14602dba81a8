/* loader.h - Falco rules files -> rules with fully expanded conditions.
 *
 * Semantics follow Falco's rule loader: items are read in file order
 * (several files/directories load as one sequence); a redefinition replaces
 * an item in place, `append: true` and `override:` append to or replace
 * single keys; macros see only macros defined (or last appended) before
 * them, rule conditions see every macro, and lists are substituted in
 * conditions with their final contents (in list values, and a list named
 * as a single value by its one item, as Falco pastes a list's items in
 * place of its name). Exceptions become
 * `(cond) and not (...)`, built exactly as Falco builds them.
 *
 * Usage:
 *	struct ruleset *rs = ruleset_new();
 *	ruleset_load_path(rs, "rules.yaml");	// or a directory; repeatable
 *	ruleset_finish(rs);			// expand and check everything
 *	if (ruleset_errors(rs)) diag_print_all(stderr, &rs->diags);
 *	for (i < rs->nrules) ... rs->rules[i].cond ...
 *	ruleset_free(rs);
 */
#ifndef SHRIKEC_LOADER_H
#define SHRIKEC_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "ast.h"
#include "../lib/diag.h"
#include "../kmod/uapi/shrike.h"

/* The Falco rules engine version Shrike implements: files requiring a later
 * one (same major) are refused. */
#define SHRIKEC_ENGINE_VERSION "0.57.0"

struct rule_output_pos;

struct rule_def {
	char *name;
	struct src_loc loc;		    /* where the rule was (first) defined */
	char *desc, *output;		    /* output trimmed, as Falco */
	struct rule_output_pos *output_pos; /* ruleset_output_loc(); may be NULL */
	int priority;			    /* SHRIKE_PRI_* */
	int source;			    /* SHRIKE_SRC_* */
	bool enabled;
	char **tags; /* in order of first appearance, no duplicates */
	size_t ntags;
	struct ast *cond; /* macros, lists and exceptions expanded; fields resolved */
	char *cond_text;  /* the condition as written, appends joined */
	bool warn_evttypes, skip_if_unknown_filter;
	char **exception_fields; /* fields named by exceptions, no duplicates */
	size_t nexception_fields;
};

struct plugin_req {
	char *name, *version;
	struct plugin_req *alternatives; /* alternatives have none themselves */
	size_t nalternatives;
};

struct ruleset_priv;

struct ruleset {
	struct diag_list diags;
	/* Valid after ruleset_finish(): the rules of known sources that
	 * compiled, in definition order. Rules with errors are left out. */
	struct rule_def *rules;
	size_t nrules;
	char *required_engine_version; /* the highest required, "x.y.z"; NULL if none */
	struct plugin_req *plugins;    /* required_plugin_versions entries, in order */
	size_t nplugins;
	char **files; /* every file loaded, in order */
	size_t nfiles;
	struct ruleset_priv *priv;
};

struct ruleset *ruleset_new(void);
void ruleset_free(struct ruleset *rs);
/* Loads a file, or a directory's *.yaml and *.yml files in name order.
 * Returns 0, or -1 if errors were reported (loading can go on). */
int ruleset_load_path(struct ruleset *rs, const char *path);
/* Loads rules from memory; name is used in positions. */
int ruleset_load_string(struct ruleset *rs, const char *name, const char *buf, size_t len);
/* Expands and checks everything loaded; fills rs->rules. Once only.
 * Returns 0, or -1 if the ruleset has errors. */
int ruleset_finish(struct ruleset *rs);

/* Errors so far; an allocation failure anywhere in loading counts as one
 * more (ruleset_nomem()): the ruleset may then be incomplete. */
size_t ruleset_errors(const struct ruleset *rs);
/* Whether an allocation failed while loading or finishing: sticky, and the
 * load has failed. Only the error count says so, not a diagnostic. */
bool ruleset_nomem(const struct ruleset *rs);
size_t ruleset_warnings(const struct ruleset *rs);
const struct rule_def *ruleset_find_rule(const struct ruleset *rs, const char *name);

/* Parses one condition in the context of the ruleset (its macros and lists,
 * after ruleset_finish(); an empty ruleset is fine) and resolves its fields
 * for `source` (SHRIKE_SRC_*). Diagnostics go to rs->diags with positions
 * inside the text, file name `name`. NULL on error. */
struct ast *ruleset_parse_condition(struct ruleset *rs, const char *name, const char *text,
				    int source);

/* Falco `-V --json`-like validation result:
 * {"required_engine_version", "required_plugin_versions", "files",
 *  "successful", "errors", "warnings"} */
void ruleset_print_json(FILE *f, const struct ruleset *rs);

/* Where byte `offset` of r->output is in its rules file, through the YAML
 * scalar's quoting, folding and indentation and the pieces appends joined;
 * file NULL if not known. */
struct src_loc ruleset_output_loc(const struct rule_def *r, size_t offset);

/* Falco's -p/-pc/-pk, after ruleset_finish(): appends extra to every
 * syscall rule's output, or with replace puts it in place of
 * %container.info. Locations of fields in extra are unknown (file NULL).
 * 0, or -1 when out of memory. */
int ruleset_output_extra(struct ruleset *rs, const char *extra, bool replace);

/* Priority by name, any case, "info" too: SHRIKE_PRI_* or -1. */
int ruleset_parse_priority(const char *s);
const char *ruleset_priority_str(int pri);

#endif
