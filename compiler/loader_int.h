/* loader_int.h - what the loader's files share (loader.c: files, document
 * dispatch, lifetime and access; loader_items.c: the list, macro and rule
 * readers with Falco's append/override semantics; loader_expand.c:
 * expansion of lists, macros and exceptions, ruleset_finish()). Internal to
 * the loader: loader.h is the public interface. */
#ifndef SHRIKEC_LOADER_INT_H
#define SHRIKEC_LOADER_INT_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "loader.h"
#include "../lib/yamldoc.h"

/* A condition assembled from one or more YAML scalars (appends join them
 * with a space, as Falco does textually); positions map back per piece. */
struct cseg {
	size_t start, len;
	const struct ynode *node;
};

struct ctext {
	char *s;
	size_t len;
	struct cseg *segs;
	size_t nsegs;
};

/* Where a rule's output text came from, piece by piece: Falco trims the
 * output, and an append joins another piece to it with a space. */
struct opiece {
	size_t start; /* offset in the output text */
	const struct ynode *node;
	size_t skip; /* bytes of node's value trimmed before it */
};

struct rule_output_pos {
	struct opiece *v;
	size_t n;
	size_t limit; /* offsets from here on come from no file
					 * (ruleset_output_extra); 0: none */
};

struct list_info {
	char *name;
	struct src_loc loc;
	unsigned index, visibility;
	const struct ynode **items;
	size_t nitems;
	struct ast *vals; /* compiled items (values of an AST_CMP) */
	bool used, compiling;
};

struct macro_info {
	char *name;
	struct src_loc loc;
	unsigned index, visibility;
	struct ctext cond;
	struct ast *parsed, *expanded;
	bool used, expanding, failed;
};

struct exc_info {
	char *name;
	struct src_loc loc;
	const struct ynode *fields, *comps;
	const struct ynode **values;
	size_t nvalues;
};

struct rule_info {
	char *name;
	struct src_loc loc;
	unsigned index;
	struct ctext cond;
	char *output, *desc, *source;
	struct rule_output_pos opos;
	int priority;
	bool enabled, warn_evttypes, skip_if_unknown_filter, unknown_source;
	char **tags;
	size_t ntags;
	struct exc_info *exc;
	size_t nexc;
};

struct ruleset_priv {
	struct ydoc **docs;
	size_t ndocs;
	struct list_info *lists;
	size_t nlists;
	struct macro_info *macros;
	size_t nmacros;
	struct rule_info *rules;
	size_t nrules;
	unsigned cur_index;
	bool finished;
	int req_ver[3];
	bool have_req_ver;
	/* An allocation failed somewhere in loading or expanding: sticky; the
	 * ruleset then counts as failed (ruleset_errors(), ruleset_nomem()). */
	bool nomem;
};

#define MAX_VISIBILITY (~0u)

static inline void *grow_array(void *p, size_t n, size_t elem)
{
	/* Exactly n+1 slots: simple, and the counts involved are small. */
	return realloc(p, (n + 1) * elem);
}

#define PUSH(arr, n)                                                         \
	({                                                                   \
		__typeof__(arr) _q = grow_array((arr), (n), sizeof(*(arr))); \
		if (_q) {                                                    \
			(arr) = _q;                                          \
			memset(&(arr)[(n)], 0, sizeof(*(arr)));              \
		}                                                            \
		_q ? &(arr)[(n)++] : NULL;                                   \
	})

/* ---- out of memory ----
 *
 * Any allocation failure while loading sets priv->nomem, which is never
 * cleared: the item it happened in may be incomplete, so the whole load
 * fails (ruleset_errors() counts it, ruleset_nomem() tells) rather than
 * going on without it. The loader checks its own allocations;
 * loader_nomem() sets the flag and returns -1. cond.c, ast.c, yamldoc.c and
 * diag.c return NULL or -1 without a diagnostic, or drop what they could
 * not allocate, so calls into them are bracketed with nomem_watch() and
 * nomem_check(): malloc() failing sets errno to ENOMEM, and nothing else
 * does. */
static inline int loader_nomem(struct ruleset *rs)
{
	rs->priv->nomem = true;
	return -1;
}

/* Starts watching for a failed allocation; returns errno to restore. */
static inline int nomem_watch(void)
{
	int saved = errno;

	errno = 0;
	return saved;
}

/* Ends it: nomem if an allocation failed since nomem_watch(). */
static inline void nomem_check(struct ruleset *rs, int saved)
{
	if (errno == ENOMEM)
		rs->priv->nomem = true;
	errno = saved;
}

/* diag_add() for the loader: a diagnostic the list could not record
 * (diag_add() drops it silently) sets nomem. */
void loader_diag(struct ruleset *rs, enum diag_code code, const struct src_loc *loc,
		 const struct diag_item *item, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static inline struct diag_item mkitem(const char *type, const char *name, struct src_loc loc)
{
	struct diag_item it = { type, name, loc };
	return it;
}

/* Reading context: the item being read, for diagnostics. */
struct rd {
	struct ruleset *rs;
	struct diag_item item;
	const struct ynode *node;
};

#define RERR(r, code, loc, ...) loader_diag((r)->rs, code, loc, &(r)->item, __VA_ARGS__)

/* loader.c */
void ctext_free(struct ctext *c);
int ctext_add(struct ctext *c, const struct ynode *n);
struct src_loc ctext_locate(void *ctx, size_t off);
struct src_loc node_locate(void *ctx, size_t off);
int opos_add(struct rule_output_pos *o, size_t start, const struct ynode *n, size_t skip);
int opos_set(struct rule_output_pos *o, const struct ynode *n);
void output_pos_free(struct rule_output_pos *o);
char *trim_dup(const char *s);
struct list_info *find_list(struct ruleset_priv *p, const char *name);
struct macro_info *find_macro(struct ruleset_priv *p, const char *name);
struct rule_info *find_rule(struct ruleset_priv *p, const char *name);
void exc_free(struct exc_info *e, size_t n);
void strv_free(char **v, size_t n);
bool strv_has(const char *const *v, size_t n, const char *s);
void rule_info_clear(struct rule_info *r);

/* loader_items.c: reading items; r->node is the item's mapping. */
const struct ynode *get_scalar(struct rd *r, const char *key, bool required, bool *bad);
void check_keys(struct rd *r, const char *const *allowed);
void read_list(struct rd *r);
void read_macro(struct rd *r);
void read_rule(struct rd *r);
/* SHRIKE_SRC_* of a source name, or -1 */
int parse_source(const char *s);

#endif
