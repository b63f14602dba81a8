/* diag.h - compiler diagnostics: a catalogue of stable codes, a list that
 * collects errors and warnings with their file position and enclosing item,
 * and printers for humans (source line + caret) and for tools (JSON shaped
 * like Falco's `-V --json` validation result). */
#ifndef SHRIKE_LIB_DIAG_H
#define SHRIKE_LIB_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A position in a source file; line and col are 1-based. */
struct src_loc {
	const char *file; /* owned by the loader, lives as long as the ruleset */
	int line;
	int col;
};

/* The catalogue. Codes are part of the user interface (scripts grep them):
 * append only, never rename. */
/* clang-format off */
#define DIAG_CODES(X) \
	X(E_IO,			"E-IO",			ERROR,   "cannot read a rules file or directory") \
	X(E_YAML,		"E-YAML",		ERROR,   "YAML syntax error") \
	X(E_SCHEMA,		"E-SCHEMA",		ERROR,   "a rules file element has the wrong shape or type") \
	X(E_MISSING_KEY,	"E-MISSING-KEY",	ERROR,   "a required key is missing") \
	X(E_BAD_VALUE,		"E-BAD-VALUE",		ERROR,   "a value cannot be decoded") \
	X(E_BAD_NAME,		"E-BAD-NAME",		ERROR,   "invalid macro or list name") \
	X(E_PRIORITY,		"E-PRIORITY",		ERROR,   "invalid rule priority") \
	X(E_ENGINE_VERSION,	"E-ENGINE-VERSION",	ERROR,   "required engine version not satisfied or invalid") \
	X(E_PLUGIN_VERSION,	"E-PLUGIN-VERSION",	ERROR,   "invalid required plugin version") \
	X(E_NO_PREVIOUS,	"E-NO-PREVIOUS",	ERROR,   "append/override/enable of an item never defined") \
	X(E_OVERRIDE,		"E-OVERRIDE",		ERROR,   "invalid override") \
	X(E_SOURCE_CHANGE,	"E-SOURCE-CHANGE",	ERROR,   "rule redefined with a different source") \
	X(E_EXCEPTION,		"E-EXCEPTION",		ERROR,   "invalid rule exception") \
	X(E_PARSE,		"E-PARSE",		ERROR,   "condition syntax error") \
	X(E_UNSUPPORTED,	"E-UNSUPPORTED",	ERROR,   "condition construct not supported by Shrike") \
	X(E_UNDEF_MACRO,	"E-UNDEF-MACRO",	ERROR,   "undefined macro") \
	X(E_MACRO_CYCLE,	"E-MACRO-CYCLE",	ERROR,   "macro refers to itself") \
	X(E_UNKNOWN_FIELD,	"E-UNKNOWN-FIELD",	ERROR,   "unknown field") \
	X(E_FIELD_ARG,		"E-FIELD-ARG",		ERROR,   "invalid field argument") \
	X(E_FIELD_SOURCE,	"E-FIELD-SOURCE",	ERROR,   "field belongs to another event source") \
	X(W_UNKNOWN_KEY,	"W-UNKNOWN-KEY",	WARNING, "unknown key, ignored") \
	X(W_UNKNOWN_ITEM,	"W-UNKNOWN-ITEM",	WARNING, "unknown top level item, ignored") \
	X(W_UNKNOWN_SOURCE,	"W-UNKNOWN-SOURCE",	WARNING, "rule of an unknown source, skipped") \
	X(W_DEPRECATED,		"W-DEPRECATED",		WARNING, "deprecated construct") \
	X(W_APPEND_NO_VALUES,	"W-APPEND-NO-VALUES",	WARNING, "appending an exception with no values") \
	X(W_UNKNOWN_FILTER,	"W-UNKNOWN-FILTER",	WARNING, "rule skipped: unknown field (skip-if-unknown-filter)") \
	X(W_UNUSED_MACRO,	"W-UNUSED-MACRO",	WARNING, "macro not referred to by any rule or macro") \
	X(W_UNUSED_LIST,	"W-UNUSED-LIST",	WARNING, "list not referred to by any rule, macro or list") \
	X(E_OPERAND,		"E-OPERAND",		ERROR,   "a comparison's value does not fit its field or operator") \
	X(E_LIMIT,		"E-LIMIT",		ERROR,   "the rules exceed a table format limit") \
	X(W_NO_EVTTYPE,		"W-NO-EVTTYPE",		WARNING, "rule has no finite event-type set") \
	X(W_SKIPPED_EVTTYPE,	"W-SKIPPED-EVTTYPE",	WARNING, "rule names event types Falco skips unless -A") \
	X(W_ARG_POSITION,	"W-ARG-POSITION",	WARNING, "evt.arg[N] in a rule with no evt.dir test: entry and exit count differently")
/* clang-format on */

#define DIAG_ENUM_(id, str, sev, desc) DIAG_##id,
enum diag_code {
	DIAG_CODES(DIAG_ENUM_) __DIAG_MAX,
};
#undef DIAG_ENUM_

enum diag_severity {
	DIAG_SEV_ERROR,
	DIAG_SEV_WARNING,
};

/* The item a diagnostic belongs to: "rule"/"macro"/"list"/... and its name
 * and position. type NULL: no enclosing item (file-level problem). */
struct diag_item {
	const char *type;
	const char *name;
	struct src_loc loc;
};

struct diag {
	enum diag_code code;
	enum diag_severity sev;
	struct src_loc loc; /* line/col 0: no position known */
	size_t offset;	    /* byte offset in the file, when known */
	char *item_type;    /* NULL: none */
	char *item_name;
	struct src_loc item_loc;
	char *msg;
	char *line_text; /* the source line at loc, copied; NULL if unknown */
};

/* A file whose lines diagnostics may quote. Not owned. */
struct diag_source {
	const char *name;
	const char *buf;
	size_t len;
};

struct diag_list {
	struct diag *v;
	size_t n, cap;
	size_t nerrors, nwarnings;
	struct diag_source *srcs;
	size_t nsrcs, srccap;
	char **names; /* interned file names: diagnostics outlive files */
	size_t nnames;
};

const char *diag_code_str(enum diag_code c);
const char *diag_code_desc(enum diag_code c);
enum diag_severity diag_code_severity(enum diag_code c);

void diag_list_init(struct diag_list *dl);
void diag_list_free(struct diag_list *dl);
/* Registers a file buffer so that diagnostics can quote its lines. The buffer
 * must outlive every diag_add() naming that file (lines are copied then). */
void diag_list_add_source(struct diag_list *dl, const char *name, const char *buf, size_t len);
/* Forgets a buffer registered above (before it is freed). */
void diag_list_drop_source(struct diag_list *dl, const char *buf);

/* Adds a diagnostic; loc and item may be NULL. Identical diagnostics (same
 * code, position and message) are recorded once: a macro used by many rules
 * must not report its one mistake many times. */
void diag_add(struct diag_list *dl, enum diag_code code, const struct src_loc *loc,
	      const struct diag_item *item, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void diag_vadd(struct diag_list *dl, enum diag_code code, const struct src_loc *loc,
	       const struct diag_item *item, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

/* Human form:
 *   file:line:col: error[CODE]: message
 *     in rule 'X' (file:line:col)
 *      12 | source line
 *         |      ^
 */
void diag_print(FILE *f, const struct diag *d);
void diag_print_all(FILE *f, const struct diag_list *dl);
/* JSON array of the diagnostics of one severity, Falco validation style:
 * [{"code","codedesc","message","context":{"locations":[...],"snippet"}}] */
void diag_json_array(FILE *f, const struct diag_list *dl, enum diag_severity sev);
/* JSON string literal with escapes. */
void diag_json_str(FILE *f, const char *s);

#endif
