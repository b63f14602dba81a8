/* loader.c - reads Falco rules files into lists, macros and rules, applies
 * appends/overrides, then expands everything into one condition per rule
 * (see loader.h for the semantics). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "loader.h"
#include "cond.h"
#include "../lib/yamldoc.h"
#include "../kmod/uapi/shrike.h"

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
};

#define MAX_VISIBILITY (~0u)

static void *grow_array(void *p, size_t n, size_t elem)
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

/* ---- condition text ---- */

static void ctext_free(struct ctext *c)
{
	free(c->s);
	free(c->segs);
	memset(c, 0, sizeof(*c));
}

static int ctext_add(struct ctext *c, const struct ynode *n)
{
	size_t sep = c->len ? 1 : 0;
	char *s = realloc(c->s, c->len + sep + n->len + 1);
	if (!s)
		return -1;
	c->s = s;
	struct cseg *g = realloc(c->segs, (c->nsegs + 1) * sizeof(*g));
	if (!g)
		return -1;
	c->segs = g;
	if (sep)
		c->s[c->len++] = ' ';
	c->segs[c->nsegs++] = (struct cseg){ c->len, n->len, n };
	memcpy(c->s + c->len, n->str, n->len);
	c->len += n->len;
	c->s[c->len] = 0;
	return 0;
}

static struct src_loc ctext_locate(void *ctx, size_t off)
{
	const struct ctext *c = ctx;
	struct src_loc none = { NULL, 0, 0 };
	if (!c->nsegs)
		return none;
	for (size_t i = c->nsegs; i-- > 0;) {
		const struct cseg *g = &c->segs[i];
		if (off >= g->start)
			return ynode_value_loc(g->node,
					       off - g->start > g->len ? g->len : off - g->start);
	}
	return ynode_value_loc(c->segs[0].node, 0);
}

static struct src_loc node_locate(void *ctx, size_t off)
{
	return ynode_value_loc(ctx, off);
}

static int opos_add(struct rule_output_pos *o, size_t start, const struct ynode *n, size_t skip)
{
	struct opiece *v = realloc(o->v, (o->n + 1) * sizeof(*v));

	if (!v)
		return -1;
	o->v = v;
	o->v[o->n++] = (struct opiece){ start, n, skip };
	return 0;
}

/* The output is n's value, trimmed as trim_dup() trims it. */
static int opos_set(struct rule_output_pos *o, const struct ynode *n)
{
	o->n = 0;
	return opos_add(o, 0, n, strspn(n->str, " \t\n\r"));
}

static void output_pos_free(struct rule_output_pos *o)
{
	if (o)
		free(o->v);
	free(o);
}

struct src_loc ruleset_output_loc(const struct rule_def *r, size_t off)
{
	const struct rule_output_pos *o = r->output_pos;
	struct src_loc none = { NULL, 0, 0 };

	if (!o || (o->limit && off >= o->limit))
		return none;
	for (size_t i = o->n; i-- > 0;) {
		const struct opiece *g = &o->v[i];
		if (off >= g->start) {
			size_t at = off - g->start + g->skip;
			return ynode_value_loc(g->node, at > g->node->len ? g->node->len : at);
		}
	}
	return none;
}

/* Falco's rule loader (0.31, apply_output_substitutions) with -p/-pc/-pk:
 * with replace, a %container.info in the output becomes extra and nothing
 * is appended; otherwise, and for an output without %container.info even
 * with replace, extra is appended after a space (%container.info, if any,
 * stays for the agent's output to render as "%container.name
 * (id=%container.id)"). Syscall rules only. */
int ruleset_output_extra(struct ruleset *rs, const char *extra, bool replace)
{
	static const char ci[] = "%container.info";
	size_t i;

	if (!extra || !*extra)
		return 0;
	for (i = 0; i < rs->nrules; i++) {
		struct rule_def *r = &rs->rules[i];
		size_t olen = strlen(r->output);
		char *p, *n;

		if (r->source != SHRIKE_SRC_SYSCALL)
			continue;
		if (replace && (p = strstr(r->output, ci))) {
			size_t at = (size_t)(p - r->output);

			if (asprintf(&n, "%.*s%s%s", (int)at, r->output, extra, p + strlen(ci)) < 0)
				return -1;
			/* The text after it no longer lines up with the file. */
			if (r->output_pos && (!r->output_pos->limit || r->output_pos->limit > at))
				r->output_pos->limit = at ? at : 1;
		} else {
			if (asprintf(&n, "%s%s%s", r->output, olen ? " " : "", extra) < 0)
				return -1;
			if (r->output_pos && !r->output_pos->limit)
				r->output_pos->limit = olen ? olen : 1;
		}
		free(r->output);
		r->output = n;
	}
	return 0;
}

/* ---- small helpers ---- */

static struct diag_item mkitem(const char *type, const char *name, struct src_loc loc)
{
	struct diag_item it = { type, name, loc };
	return it;
}

static char *trim_dup(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t l = strlen(s);
	while (l && (s[l - 1] == ' ' || s[l - 1] == '\t' || s[l - 1] == '\n' || s[l - 1] == '\r'))
		l--;
	return strndup(s, l);
}

static int parse_bool(const char *s, bool *out)
{
	static const char *const t[] = { "y",	 "Y",	 "yes", "Yes", "YES", "true",
					 "True", "TRUE", "on",	"On",  "ON" };
	static const char *const f[] = { "n",	  "N",	   "no",  "No",	 "NO", "false",
					 "False", "FALSE", "off", "Off", "OFF" };
	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++) {
		if (!strcmp(s, t[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(s, f[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

static const char *const pri_names[__SHRIKE_PRI_MAX] = {
	"Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug",
};

int ruleset_parse_priority(const char *s)
{
	for (int i = 0; i < __SHRIKE_PRI_MAX; i++)
		if (!strcasecmp(s, pri_names[i]))
			return i;
	if (!strcasecmp(s, "info"))
		return SHRIKE_PRI_INFORMATIONAL;
	return -1;
}

const char *ruleset_priority_str(int pri)
{
	return pri >= 0 && pri < __SHRIKE_PRI_MAX ? pri_names[pri] : "?";
}

/* Reading context: the item being read, for diagnostics. */
struct rd {
	struct ruleset *rs;
	struct diag_item item;
	const struct ynode *node;
};

#define RERR(r, code, loc, ...) diag_add(&(r)->rs->diags, code, loc, &(r)->item, __VA_ARGS__)

/* Falco decode_val: a non-empty scalar. NULL (and an error if required)
 * otherwise; *present tells a missing key from a bad one. */
static const struct ynode *get_scalar(struct rd *r, const char *key, bool required, bool *bad)
{
	const struct ynode *v = ymap_get(r->node, key);
	struct src_loc il = ynode_loc(r->node);
	if (!v) {
		if (required) {
			RERR(r, DIAG_E_MISSING_KEY, &il, "Item has no mapping for key '%s'", key);
			*bad = true;
		}
		return NULL;
	}
	struct src_loc vl = ynode_loc(v);
	if (ynode_is_null(v)) {
		RERR(r, DIAG_E_BAD_VALUE, &vl, "Mapping for key '%s' is empty", key);
		*bad = true;
		return NULL;
	}
	if (v->kind != Y_SCALAR) {
		RERR(r, DIAG_E_SCHEMA, &vl, "Value for key '%s' is not a scalar value (found %s)",
		     key, ynode_kind_str(v));
		*bad = true;
		return NULL;
	}
	if (!v->len) {
		RERR(r, DIAG_E_BAD_VALUE, &vl, "Value for key '%s' must be non-empty", key);
		*bad = true;
		return NULL;
	}
	return v;
}

static bool get_bool(struct rd *r, const char *key, bool required, bool *out, bool *bad)
{
	const struct ynode *v = get_scalar(r, key, required, bad);
	if (!v)
		return false;
	if (parse_bool(v->str, out)) {
		struct src_loc vl = ynode_loc(v);
		RERR(r, DIAG_E_BAD_VALUE, &vl, "Can't decode '%s' as a boolean for key '%s'",
		     v->str, key);
		*bad = true;
		return false;
	}
	return true;
}

/* A sequence of scalars (items, tags). */
static const struct ynode *get_seq(struct rd *r, const char *key, bool required, bool *bad)
{
	const struct ynode *v = ymap_get(r->node, key);
	if (!v) {
		if (required) {
			struct src_loc il = ynode_loc(r->node);
			RERR(r, DIAG_E_MISSING_KEY, &il, "Item has no mapping for key '%s'", key);
			*bad = true;
		}
		return NULL;
	}
	struct src_loc vl = ynode_loc(v);
	if (v->kind != Y_SEQ) {
		RERR(r, DIAG_E_SCHEMA, &vl, "Value for key '%s' is not a sequence (found %s)", key,
		     ynode_kind_str(v));
		*bad = true;
		return NULL;
	}
	for (size_t i = 0; i < v->n; i++) {
		if (v->items[i]->kind != Y_SCALAR) {
			struct src_loc l = ynode_loc(v->items[i]);
			RERR(r, DIAG_E_SCHEMA, &l, "sequence value is not scalar (found %s)",
			     ynode_kind_str(v->items[i]));
			*bad = true;
			return NULL;
		}
	}
	return v;
}

static void check_keys(struct rd *r, const char *const *allowed)
{
	for (size_t i = 0; i < r->node->n; i++) {
		const struct ynode *k = r->node->items[2 * i];
		struct src_loc kl = ynode_loc(k);
		if (k->kind != Y_SCALAR) {
			RERR(r, DIAG_W_UNKNOWN_KEY, &kl, "ignoring a non-scalar key");
			continue;
		}
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = !strcmp(*a, k->str);
		if (!ok)
			RERR(r, DIAG_W_UNKNOWN_KEY, &kl, "unknown key '%s' in %s, ignored", k->str,
			     r->item.type);
	}
}

/* ---- lookup ---- */

static struct list_info *find_list(struct ruleset_priv *p, const char *name)
{
	for (size_t i = 0; i < p->nlists; i++)
		if (!strcmp(p->lists[i].name, name))
			return &p->lists[i];
	return NULL;
}

static struct macro_info *find_macro(struct ruleset_priv *p, const char *name)
{
	for (size_t i = 0; i < p->nmacros; i++)
		if (!strcmp(p->macros[i].name, name))
			return &p->macros[i];
	return NULL;
}

static struct rule_info *find_rule(struct ruleset_priv *p, const char *name)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (!strcmp(p->rules[i].name, name))
			return &p->rules[i];
	return NULL;
}

static void list_info_clear(struct list_info *l)
{
	free(l->name);
	free(l->items);
	ast_free(l->vals);
}

static void macro_info_clear(struct macro_info *m)
{
	free(m->name);
	ctext_free(&m->cond);
	ast_free(m->parsed);
	ast_free(m->expanded);
}

static void exc_free(struct exc_info *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(e[i].name);
		free(e[i].values);
	}
	free(e);
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void rule_info_clear(struct rule_info *r)
{
	free(r->name);
	ctext_free(&r->cond);
	free(r->output);
	free(r->opos.v);
	free(r->desc);
	free(r->source);
	strv_free(r->tags, r->ntags);
	exc_free(r->exc, r->nexc);
}

/* ---- overrides ---- */

struct overrides {
	const char *append[8], *replace[12];
	size_t nappend, nreplace;
	bool bad;
};

static bool in_set(const char *const *set, const char *s)
{
	for (; *set; set++)
		if (!strcmp(*set, s))
			return true;
	return false;
}

static bool has(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

static void read_overrides(struct rd *r, const char *const *can_append,
			   const char *const *can_replace, struct overrides *o)
{
	memset(o, 0, sizeof(*o));
	const struct ynode *ov = ymap_get(r->node, "override");
	if (!ov)
		return;
	struct src_loc ol = ynode_loc(ov);
	if (ov->kind != Y_MAP) {
		RERR(r, DIAG_E_SCHEMA, &ol, "Value for key 'override' is not a mapping (found %s)",
		     ynode_kind_str(ov));
		o->bad = true;
		return;
	}
	for (size_t i = 0; i < ov->n; i++) {
		const struct ynode *k = ov->items[2 * i], *v = ov->items[2 * i + 1];
		struct src_loc kl = ynode_loc(k), vl = ynode_loc(v);
		if (k->kind != Y_SCALAR || v->kind != Y_SCALAR) {
			RERR(r, DIAG_E_SCHEMA, &kl,
			     "override entries must map a key to 'append' or 'replace'");
			o->bad = true;
			continue;
		}
		bool ca = in_set(can_append, k->str), cr = in_set(can_replace, k->str);
		if (!strcmp(v->str, "append")) {
			if (!ca) {
				RERR(r, DIAG_E_OVERRIDE, &kl, "Key '%s' cannot be appended to%s",
				     k->str, cr ? ", use 'replace' instead" : "");
				o->bad = true;
			} else if (o->nappend < 8) {
				o->append[o->nappend++] = k->str;
			}
		} else if (!strcmp(v->str, "replace")) {
			if (!cr) {
				RERR(r, DIAG_E_OVERRIDE, &kl, "Key '%s' cannot be replaced",
				     k->str);
				o->bad = true;
			} else if (o->nreplace < 12) {
				o->replace[o->nreplace++] = k->str;
			}
		} else {
			RERR(r, DIAG_E_OVERRIDE, &vl,
			     "Invalid override operation for key '%s': '%s'. Allowed values are: %s%s",
			     k->str, v->str, ca ? "append " : "", cr ? "replace " : "");
			o->bad = true;
		}
	}
}

/* ---- items ---- */

static int read_exceptions(struct rd *r, struct exc_info **out, size_t *nout, bool append)
{
	const struct ynode *exs = ymap_get(r->node, "exceptions");
	*out = NULL;
	*nout = 0;
	if (!exs || ynode_is_null(exs))
		return 0;
	struct src_loc el = ynode_loc(exs);
	if (exs->kind != Y_SEQ) {
		RERR(r, DIAG_E_SCHEMA, &el, "Rule exceptions must be a sequence (found %s)",
		     ynode_kind_str(exs));
		return -1;
	}
	int ret = 0;
	for (size_t i = 0; i < exs->n; i++) {
		const struct ynode *ex = exs->items[i];
		struct src_loc xl = ynode_loc(ex);
		if (ex->kind != Y_MAP) {
			RERR(r, DIAG_E_SCHEMA, &xl, "Rule exception must be a mapping (found %s)",
			     ynode_kind_str(ex));
			ret = -1;
			continue;
		}
		struct rd xr = { r->rs, r->item, ex };
		static const char *const keys[] = { "name", "fields", "comps", "values", NULL };
		check_keys(&xr, keys);
		bool bad = false;
		const struct ynode *name = get_scalar(&xr, "name", true, &bad);
		if (!name) {
			ret = -1;
			continue;
		}
		for (size_t j = 0; j < *nout; j++) {
			if (!strcmp((*out)[j].name, name->str)) {
				RERR(r, DIAG_E_EXCEPTION, &xl,
				     "Exceptions names in the same object must be unique ('%s')",
				     name->str);
				bad = true;
			}
		}
		const struct ynode *fields = ymap_get(ex, "fields"), *comps = ymap_get(ex, "comps");
		const struct ynode *values = ymap_get(ex, "values");
		if (!fields && !append) {
			RERR(r, DIAG_E_EXCEPTION, &xl,
			     "Rule exception '%s' must have a 'fields' property", name->str);
			bad = true;
		}
		if (fields && (ynode_is_null(fields) || fields->kind == Y_MAP)) {
			struct src_loc fl = ynode_loc(fields);
			RERR(r, DIAG_E_EXCEPTION, &fl,
			     "exception fields must be a field name or a sequence of field names");
			bad = true;
		}
		if (comps && (ynode_is_null(comps) || comps->kind == Y_MAP)) {
			struct src_loc cl = ynode_loc(comps);
			RERR(r, DIAG_E_EXCEPTION, &cl,
			     "exception comps must be an operator or a sequence of operators");
			bad = true;
		}
		if (values && values->kind != Y_SEQ) {
			struct src_loc vl = ynode_loc(values);
			RERR(r, DIAG_E_EXCEPTION, &vl, "Rule exception values must be a sequence");
			bad = true;
		}
		if (!values && append)
			RERR(r, DIAG_W_APPEND_NO_VALUES, &xl,
			     "Overriding/appending exception '%s' with no values", name->str);
		if (bad) {
			ret = -1;
			continue;
		}
		struct exc_info *e = PUSH(*out, *nout);
		if (!e)
			return -1;
		e->name = strdup(name->str);
		e->loc = xl;
		e->fields = fields;
		e->comps = comps;
		if (values && values->n) {
			e->values = malloc(values->n * sizeof(*e->values));
			if (!e->values)
				return -1;
			for (size_t j = 0; j < values->n; j++)
				e->values[j] = values->items[j];
			e->nvalues = values->n;
		}
	}
	return ret;
}

static int add_tags(struct rule_info *ri, const struct ynode *tags)
{
	for (size_t i = 0; tags && i < tags->n; i++) {
		if (has((const char *const *)ri->tags, ri->ntags, tags->items[i]->str))
			continue;
		char **slot = PUSH(ri->tags, ri->ntags);
		if (!slot || !(*slot = strdup(tags->items[i]->str)))
			return -1;
	}
	return 0;
}

static int set_str(char **dst, const char *s)
{
	char *d = strdup(s);
	if (!d)
		return -1;
	free(*dst);
	*dst = d;
	return 0;
}

static int append_str(char **dst, const char *s)
{
	if (!*s)
		return 0;
	char *d;
	if (asprintf(&d, "%s %s", *dst ? *dst : "", s) < 0)
		return -1;
	free(*dst);
	*dst = d;
	return 0;
}

static void read_list(struct rd *r)
{
	struct ruleset_priv *p = r->rs->priv;
	static const char *const keys[] = { "list", "items", "append", "override", NULL };
	static const char *const ovr[] = { "items", NULL };
	bool bad = false, append = false;
	const struct ynode *name = get_scalar(r, "list", true, &bad);
	if (!name)
		return;
	r->item.name = name->str;
	check_keys(r, keys);
	/* Falco: a list name is a bare string of the condition language. */
	for (const char *c = name->str; *c; c++) {
		if (strchr("()\"'=, \t\n\r\v\f", *c)) {
			struct src_loc nl = ynode_loc(name);
			RERR(r, DIAG_E_BAD_NAME, &nl,
			     "invalid list name '%s': must be a bare string ([^()\"'[:space:]=,]+)",
			     name->str);
			return;
		}
	}
	const struct ynode *items = get_seq(r, "items", true, &bad);
	get_bool(r, "append", false, &append, &bad);
	struct overrides o;
	read_overrides(r, ovr, ovr, &o);
	if (bad || o.bad)
		return;
	if (append)
		RERR(r, DIAG_W_DEPRECATED, &r->item.loc,
		     "'append' key is deprecated. Add an 'append' entry (e.g. 'items: append') under 'override' instead.");
	if (append && (o.nappend || o.nreplace)) {
		RERR(r, DIAG_E_OVERRIDE, &r->item.loc,
		     "Keys 'override' and 'append: true' cannot be used together.");
		return;
	}
	append |= o.nappend > 0;
	struct list_info *l = find_list(p, name->str);
	unsigned id = p->cur_index++;
	if (append) {
		if (!l) {
			RERR(r, DIAG_E_NO_PREVIOUS, &r->item.loc,
			     "List has 'append' key or an append override but no list by that name already exists");
			return;
		}
		const struct ynode **ni =
			realloc(l->items, (l->nitems + items->n + 1) * sizeof(*ni));
		if (!ni)
			return;
		l->items = ni;
		for (size_t i = 0; i < items->n; i++)
			l->items[l->nitems++] = items->items[i];
		l->visibility = id;
		return;
	}
	if (l) {
		free(l->items);
		l->items = NULL;
		l->nitems = 0;
		l->loc = r->item.loc;
	} else {
		l = PUSH(p->lists, p->nlists);
		if (!l || !(l->name = strdup(name->str))) {
			if (l)
				p->nlists--;
			return;
		}
		l->index = id;
		l->loc = r->item.loc;
	}
	l->visibility = id;
	l->items = malloc((items->n + 1) * sizeof(*l->items));
	if (!l->items)
		return;
	for (size_t i = 0; i < items->n; i++)
		l->items[l->nitems++] = items->items[i];
}

static bool valid_identifier(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static void read_macro(struct rd *r)
{
	struct ruleset_priv *p = r->rs->priv;
	static const char *const keys[] = { "macro", "condition", "append", "override", NULL };
	static const char *const ovr[] = { "condition", NULL };
	bool bad = false, append = false;
	const struct ynode *name = get_scalar(r, "macro", true, &bad);
	if (!name)
		return;
	r->item.name = name->str;
	check_keys(r, keys);
	if (!valid_identifier(name->str)) {
		struct src_loc nl = ynode_loc(name);
		RERR(r, DIAG_E_BAD_NAME, &nl,
		     "invalid macro name '%s': must be an identifier ([a-zA-Z]+[a-zA-Z0-9_]*)",
		     name->str);
		return;
	}
	const struct ynode *cond = get_scalar(r, "condition", true, &bad);
	get_bool(r, "append", false, &append, &bad);
	struct overrides o;
	read_overrides(r, ovr, ovr, &o);
	if (bad || o.bad)
		return;
	if (append)
		RERR(r, DIAG_W_DEPRECATED, &r->item.loc,
		     "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.");
	if (append && (o.nappend || o.nreplace)) {
		RERR(r, DIAG_E_OVERRIDE, &r->item.loc,
		     "Keys 'override' and 'append: true' cannot be used together.");
		return;
	}
	append |= o.nappend > 0;
	struct macro_info *m = find_macro(p, name->str);
	unsigned id = p->cur_index++;
	if (append) {
		if (!m) {
			RERR(r, DIAG_E_NO_PREVIOUS, &r->item.loc,
			     "Macro has 'append' key or an append override but no macro by that name already exists");
			return;
		}
		ctext_add(&m->cond, cond);
		m->visibility = id;
		return;
	}
	if (m) {
		ctext_free(&m->cond);
		m->loc = r->item.loc;
	} else {
		m = PUSH(p->macros, p->nmacros);
		if (!m || !(m->name = strdup(name->str))) {
			if (m)
				p->nmacros--;
			return;
		}
		m->index = id;
		m->loc = r->item.loc;
	}
	m->visibility = id;
	ctext_add(&m->cond, cond);
}

static const char *const rule_keys[] = {
	"rule",
	"condition",
	"output",
	"desc",
	"priority",
	"tags",
	"enabled",
	"source",
	"exceptions",
	"append",
	"override",
	"warn_evttypes",
	"skip-if-unknown-filter",
	"capture",
	"capture_duration",
	NULL,
};
static const char *const rule_can_append[] = { "condition", "output",	  "desc",
					       "tags",	    "exceptions", NULL };
static const char *const rule_can_replace[] = {
	"condition", "output",	      "desc",
	"priority",  "tags",	      "exceptions",
	"enabled",   "warn_evttypes", "skip-if-unknown-filter",
	NULL,
};

static int parse_source(const char *s)
{
	if (!strcmp(s, "syscall"))
		return SHRIKE_SRC_SYSCALL;
	if (!strcmp(s, "k8s_audit"))
		return SHRIKE_SRC_K8S_AUDIT;
	return -1;
}

static bool read_priority(struct rd *r, int *out, bool *bad)
{
	const struct ynode *pr = get_scalar(r, "priority", true, bad);
	if (!pr)
		return false;
	int v = ruleset_parse_priority(pr->str);
	if (v < 0) {
		struct src_loc l = ynode_loc(pr);
		RERR(r, DIAG_E_PRIORITY, &l,
		     "Invalid priority '%s' (expected one of Emergency, Alert, Critical, Error, Warning, Notice, Informational, Debug)",
		     pr->str);
		*bad = true;
		return false;
	}
	*out = v;
	return true;
}

/* Appends exceptions: a name already present gets the values, a new name
 * must be complete (Falco's collector::append). */
static void merge_exceptions(struct rd *r, struct rule_info *prev, struct exc_info *ex, size_t nex)
{
	for (size_t i = 0; i < nex; i++) {
		struct exc_info *pe = NULL;
		for (size_t j = 0; j < prev->nexc; j++)
			if (!strcmp(prev->exc[j].name, ex[i].name))
				pe = &prev->exc[j];
		if (!pe) {
			if (!ex[i].fields) {
				RERR(r, DIAG_E_EXCEPTION, &ex[i].loc,
				     "Rule exception '%s' must have fields property with a list of fields",
				     ex[i].name);
				continue;
			}
			if (!ex[i].nvalues) {
				RERR(r, DIAG_E_EXCEPTION, &ex[i].loc,
				     "Rule exception '%s' must have values property with a list of values",
				     ex[i].name);
				continue;
			}
			struct exc_info *ne = PUSH(prev->exc, prev->nexc);
			if (!ne)
				return;
			*ne = ex[i];
			ex[i].name = NULL;
			ex[i].values = NULL;
			continue;
		}
		if (ex[i].fields) {
			RERR(r, DIAG_E_EXCEPTION, &ex[i].loc,
			     "Can not append exception fields to existing exception, only values");
			continue;
		}
		if (ex[i].comps) {
			RERR(r, DIAG_E_EXCEPTION, &ex[i].loc,
			     "Can not append exception comps to existing exception, only values");
			continue;
		}
		const struct ynode **nv =
			realloc(pe->values, (pe->nvalues + ex[i].nvalues + 1) * sizeof(*nv));
		if (!nv)
			return;
		pe->values = nv;
		for (size_t j = 0; j < ex[i].nvalues; j++)
			pe->values[pe->nvalues++] = ex[i].values[j];
	}
}

static void rule_update(struct rd *r, const char *name, const char *const *keys, size_t nkeys,
			bool replace)
{
	struct ruleset_priv *p = r->rs->priv;
	struct rule_info *prev = find_rule(p, name);
	bool bad = false;
	if (!prev) {
		RERR(r, DIAG_E_NO_PREVIOUS, &r->item.loc,
		     replace ? "An replace override for rule '%s' was specified but no rule by that name already exists"
			     : "Rule has 'append' key or an append override but no rule by that name already exists",
		     name);
		return;
	}
	if (!nkeys) {
		RERR(r, DIAG_E_OVERRIDE, &r->item.loc,
		     "Appended rule must have exceptions or condition property");
		return;
	}
	/* Decode first, apply only if all of it is valid. */
	const struct ynode *cond = NULL, *out = NULL, *desc = NULL, *tags = NULL;
	struct exc_info *ex = NULL;
	size_t nex = 0;
	int pri = -1;
	bool en = false, we = false, sk = false;
	bool has_en = false, has_we = false, has_sk = false, has_ex = false;
	for (size_t i = 0; i < nkeys; i++) {
		const char *k = keys[i];
		if (!strcmp(k, "condition"))
			cond = get_scalar(r, k, true, &bad);
		else if (!strcmp(k, "output"))
			out = get_scalar(r, k, true, &bad);
		else if (!strcmp(k, "desc"))
			desc = get_scalar(r, k, true, &bad);
		else if (!strcmp(k, "tags"))
			tags = get_seq(r, k, true, &bad);
		else if (!strcmp(k, "priority"))
			read_priority(r, &pri, &bad);
		else if (!strcmp(k, "enabled"))
			has_en = get_bool(r, k, true, &en, &bad);
		else if (!strcmp(k, "warn_evttypes"))
			has_we = get_bool(r, k, true, &we, &bad);
		else if (!strcmp(k, "skip-if-unknown-filter"))
			has_sk = get_bool(r, k, true, &sk, &bad);
		else if (!strcmp(k, "exceptions")) {
			has_ex = true;
			if (read_exceptions(r, &ex, &nex, true))
				bad = true;
		}
	}
	if (bad)
		goto out;
	if (replace) {
		if (cond) {
			ctext_free(&prev->cond);
			ctext_add(&prev->cond, cond);
		}
		if (out) {
			char *t = trim_dup(out->str);
			if (t) {
				free(prev->output);
				prev->output = t;
				opos_set(&prev->opos, out);
			}
		}
		if (desc)
			set_str(&prev->desc, desc->str);
		if (tags) {
			strv_free(prev->tags, prev->ntags);
			prev->tags = NULL;
			prev->ntags = 0;
			add_tags(prev, tags);
		}
		if (has_ex) {
			exc_free(prev->exc, prev->nexc);
			prev->exc = ex;
			prev->nexc = nex;
			ex = NULL;
			nex = 0;
		}
		if (pri >= 0)
			prev->priority = pri;
		if (has_en)
			prev->enabled = en;
		if (has_we)
			prev->warn_evttypes = we;
		if (has_sk)
			prev->skip_if_unknown_filter = sk;
	} else {
		if (cond && cond->len)
			ctext_add(&prev->cond, cond);
		if (out) {
			size_t at = prev->output ? strlen(prev->output) + 1 : 1;
			if (!append_str(&prev->output, out->str) && *out->str)
				opos_add(&prev->opos, at, out, 0);
		}
		if (desc)
			append_str(&prev->desc, desc->str);
		if (tags)
			add_tags(prev, tags);
		if (has_ex)
			merge_exceptions(r, prev, ex, nex);
	}
	p->cur_index++;
out:
	exc_free(ex, nex);
}

static void read_rule(struct rd *r)
{
	struct ruleset_priv *p = r->rs->priv;
	bool bad = false, append = false;
	const struct ynode *name = get_scalar(r, "rule", true, &bad);
	if (!name)
		return;
	r->item.name = name->str;
	check_keys(r, rule_keys);
	get_bool(r, "append", false, &append, &bad);
	struct overrides o;
	read_overrides(r, rule_can_append, rule_can_replace, &o);
	if (bad || o.bad)
		return;
	if (append)
		RERR(r, DIAG_W_DEPRECATED, &r->item.loc,
		     "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.");
	if (append && (o.nappend || o.nreplace)) {
		RERR(r, DIAG_E_OVERRIDE, &r->item.loc,
		     "Keys 'override' and 'append: true' cannot be used together.");
		return;
	}

	if (o.nappend || o.nreplace) {
		/* Every overridable key present must be named under override,
		 * and every key named must be present. */
		bool ok = true;
		for (const char *const *k = rule_can_replace; *k; k++) {
			bool present = ymap_get(r->node, *k) != NULL;
			bool named = has(o.append, o.nappend, *k) || has(o.replace, o.nreplace, *k);
			if (named && !present) {
				RERR(r, DIAG_E_OVERRIDE, &r->item.loc,
				     "An %s override for '%s' was specified but '%s' is not defined",
				     has(o.append, o.nappend, *k) ? "append" : "replace", *k, *k);
				ok = false;
			} else if (present && !named) {
				const struct ynode *v = ymap_get(r->node, *k);
				struct src_loc vl = ynode_loc(v);
				RERR(r, DIAG_E_OVERRIDE, &vl,
				     "Unexpected key '%s': no corresponding entry under 'override' is defined.",
				     *k);
				ok = false;
			}
		}
		if (!ok)
			return;
		if (o.nappend)
			rule_update(r, name->str, o.append, o.nappend, false);
		if (o.nreplace)
			rule_update(r, name->str, o.replace, o.nreplace, true);
		return;
	}
	if (append) {
		const char *keys[2];
		size_t n = 0;
		if (ymap_get(r->node, "condition"))
			keys[n++] = "condition";
		if (ymap_get(r->node, "exceptions"))
			keys[n++] = "exceptions";
		rule_update(r, name->str, keys, n, false);
		return;
	}

	struct rule_info *prev = find_rule(p, name->str);
	if (!ymap_get(r->node, "condition") && !ymap_get(r->node, "output") &&
	    !ymap_get(r->node, "desc") && !ymap_get(r->node, "priority")) {
		bool en = true;
		if (!get_bool(r, "enabled", true, &en, &bad))
			return;
		RERR(r, DIAG_W_DEPRECATED, &r->item.loc,
		     "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace').");
		if (!prev) {
			RERR(r, DIAG_E_NO_PREVIOUS, &r->item.loc,
			     "Rule has 'enabled' key but no rule by that name already exists");
			return;
		}
		prev->enabled = en;
		return;
	}

	struct rule_info ri;
	memset(&ri, 0, sizeof(ri));
	ri.enabled = true;
	ri.warn_evttypes = true;
	const struct ynode *cond = get_scalar(r, "condition", true, &bad);
	const struct ynode *out = get_scalar(r, "output", true, &bad);
	const struct ynode *desc = get_scalar(r, "desc", true, &bad);
	read_priority(r, &ri.priority, &bad);
	const struct ynode *src = get_scalar(r, "source", false, &bad);
	get_bool(r, "enabled", false, &ri.enabled, &bad);
	get_bool(r, "warn_evttypes", false, &ri.warn_evttypes, &bad);
	get_bool(r, "skip-if-unknown-filter", false, &ri.skip_if_unknown_filter, &bad);
	const struct ynode *tags = get_seq(r, "tags", false, &bad);
	if (read_exceptions(r, &ri.exc, &ri.nexc, false))
		bad = true;
	if (bad) {
		rule_info_clear(&ri);
		return;
	}
	const char *source = src ? src->str : "syscall";
	if (prev && strcmp(prev->source, source)) {
		RERR(r, DIAG_E_SOURCE_CHANGE, &r->item.loc,
		     "Rule has been re-defined with a different source");
		rule_info_clear(&ri);
		return;
	}
	if (parse_source(source) < 0) {
		struct src_loc sl = ynode_loc(src);
		ri.unknown_source = true;
		RERR(r, DIAG_W_UNKNOWN_SOURCE, &sl, "Unknown source %s, skipping", source);
	}
	ri.name = strdup(name->str);
	ri.loc = r->item.loc;
	ri.output = trim_dup(out->str);
	ri.desc = strdup(desc->str);
	ri.source = strdup(source);
	if (!ri.name || !ri.output || !ri.desc || !ri.source || ctext_add(&ri.cond, cond) ||
	    add_tags(&ri, tags) || opos_set(&ri.opos, out)) {
		rule_info_clear(&ri);
		return;
	}
	unsigned id = p->cur_index++;
	if (prev) {
		ri.index = prev->index;
		ri.loc = prev->loc; /* keeps its place */
		rule_info_clear(prev);
		*prev = ri;
	} else {
		struct rule_info *slot = PUSH(p->rules, p->nrules);
		if (!slot) {
			rule_info_clear(&ri);
			return;
		}
		ri.index = id;
		*slot = ri;
	}
}

static int parse_version(const char *s, int v[3])
{
	int n = 0;
	char tail;
	if (sscanf(s, "%d.%d.%d%c", &v[0], &v[1], &v[2], &tail) == 3 && v[0] >= 0 && v[1] >= 0 &&
	    v[2] >= 0)
		return 0;
	(void)n;
	return -1;
}

static int cmp_version(const int a[3], const int b[3])
{
	for (int i = 0; i < 3; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

static void read_engine_version(struct rd *r)
{
	struct ruleset *rs = r->rs;
	struct ruleset_priv *p = rs->priv;
	bool bad = false;
	static const char *const keys[] = { "required_engine_version", NULL };
	check_keys(r, keys);
	const struct ynode *v = get_scalar(r, "required_engine_version", true, &bad);
	if (!v)
		return;
	int ver[3];
	char *end;
	struct src_loc vl = ynode_loc(v);
	errno = 0;
	unsigned long n = strtoul(v->str, &end, 10);
	if (v->str[0] >= '0' && v->str[0] <= '9' && !*end && !errno && n <= 0xffffffffUL) {
		/* Old integer form N means 0.N.0. */
		ver[0] = 0;
		ver[1] = (int)(n > 0x7fffffff ? 0x7fffffff : n);
		ver[2] = 0;
	} else if (parse_version(v->str, ver)) {
		RERR(r, DIAG_E_ENGINE_VERSION, &vl,
		     "Unable to parse engine version '%s' as a semver string. Expected \"x.y.z\" semver format.",
		     v->str);
		return;
	}
	int mine[3];
	parse_version(SHRIKEC_ENGINE_VERSION, mine);
	if (ver[0] != mine[0] || cmp_version(ver, mine) > 0) {
		RERR(r, DIAG_E_ENGINE_VERSION, &vl,
		     "Rules require engine version %d.%d.%d, but engine version is %s", ver[0],
		     ver[1], ver[2], SHRIKEC_ENGINE_VERSION);
		return;
	}
	if (!p->have_req_ver || cmp_version(p->req_ver, ver) < 0) {
		char *s;
		if (asprintf(&s, "%d.%d.%d", ver[0], ver[1], ver[2]) < 0)
			return;
		free(rs->required_engine_version);
		rs->required_engine_version = s;
		memcpy(p->req_ver, ver, sizeof(ver));
		p->have_req_ver = true;
	}
}

static bool read_plugin_entry(struct rd *r, const struct ynode *n, struct plugin_req *out, bool alt)
{
	struct rd pr = { r->rs, r->item, n };
	bool bad = false;
	struct src_loc l = ynode_loc(n);
	if (n->kind != Y_MAP) {
		RERR(r, DIAG_E_SCHEMA, &l,
		     alt ? "Plugin version alternative must be a mapping"
			 : "Plugin version must be a mapping");
		return false;
	}
	static const char *const keys[] = { "name", "version", "alternatives", NULL };
	static const char *const akeys[] = { "name", "version", NULL };
	check_keys(&pr, alt ? akeys : keys);
	const struct ynode *name = get_scalar(&pr, "name", true, &bad);
	const struct ynode *ver = get_scalar(&pr, "version", true, &bad);
	if (!name || !ver)
		return false;
	int v[3];
	if (parse_version(ver->str, v)) {
		struct src_loc vl = ynode_loc(ver);
		RERR(r, DIAG_E_PLUGIN_VERSION, &vl, "Invalid required version '%s' for plugin '%s'",
		     ver->str, name->str);
		return false;
	}
	out->name = strdup(name->str);
	out->version = strdup(ver->str);
	return out->name && out->version;
}

static void plugin_req_free(struct plugin_req *p)
{
	free(p->name);
	free(p->version);
	for (size_t i = 0; i < p->nalternatives; i++)
		plugin_req_free(&p->alternatives[i]);
	free(p->alternatives);
}

static void read_plugin_versions(struct rd *r)
{
	struct ruleset *rs = r->rs;
	static const char *const keys[] = { "required_plugin_versions", NULL };
	check_keys(r, keys);
	const struct ynode *seq = ymap_get(r->node, "required_plugin_versions");
	struct src_loc sl = ynode_loc(seq);
	if (seq->kind != Y_SEQ) {
		RERR(r, DIAG_E_SCHEMA, &sl, "Value of required_plugin_versions must be a sequence");
		return;
	}
	for (size_t i = 0; i < seq->n; i++) {
		struct plugin_req req;
		memset(&req, 0, sizeof(req));
		if (!read_plugin_entry(r, seq->items[i], &req, false)) {
			plugin_req_free(&req);
			continue;
		}
		const struct ynode *alts = ymap_get(seq->items[i], "alternatives");
		bool ok = true;
		if (alts) {
			struct src_loc al = ynode_loc(alts);
			if (alts->kind != Y_SEQ) {
				RERR(r, DIAG_E_SCHEMA, &al,
				     "Value of plugin version alternatives must be a sequence");
				ok = false;
			}
			for (size_t j = 0; ok && j < alts->n; j++) {
				struct plugin_req *a = PUSH(req.alternatives, req.nalternatives);
				if (!a || !read_plugin_entry(r, alts->items[j], a, true))
					ok = false;
			}
			/* Alternatives must name distinct plugins. */
			for (size_t j = 0; ok && j < req.nalternatives; j++) {
				bool dup = !strcmp(req.alternatives[j].name, req.name);
				for (size_t k = 0; k < j; k++)
					dup |= !strcmp(req.alternatives[j].name,
						       req.alternatives[k].name);
				if (dup) {
					RERR(r, DIAG_E_PLUGIN_VERSION, &al,
					     "Defined multiple alternative version requirements for plugin '%s'",
					     req.alternatives[j].name);
					ok = false;
				}
			}
		}
		struct plugin_req *slot = ok ? PUSH(rs->plugins, rs->nplugins) : NULL;
		if (slot)
			*slot = req;
		else
			plugin_req_free(&req);
	}
}

static void read_item(struct ruleset *rs, const struct ynode *item)
{
	struct rd r = { rs, mkitem("item", "", ynode_loc(item)), item };
	if (item->kind != Y_MAP) {
		diag_add(
			&rs->diags, DIAG_E_SCHEMA, &r.item.loc, NULL,
			"Unexpected element type. Each element should be a yaml associative array (found %s)",
			ynode_kind_str(item));
		return;
	}
	if (ymap_get(item, "required_engine_version")) {
		r.item.type = "required_engine_version";
		read_engine_version(&r);
	} else if (ymap_get(item, "required_plugin_versions")) {
		r.item.type = "required_plugin_versions";
		read_plugin_versions(&r);
	} else if (ymap_get(item, "list")) {
		r.item.type = "list";
		read_list(&r);
	} else if (ymap_get(item, "macro")) {
		r.item.type = "macro";
		read_macro(&r);
	} else if (ymap_get(item, "rule")) {
		r.item.type = "rule";
		read_rule(&r);
	} else {
		diag_add(&rs->diags, DIAG_W_UNKNOWN_ITEM, &r.item.loc, NULL,
			 "Unknown top level item");
	}
}

int ruleset_load_string(struct ruleset *rs, const char *name, const char *buf, size_t len)
{
	struct ruleset_priv *p = rs->priv;
	size_t before = rs->diags.nerrors;
	if (p->finished) {
		diag_add(&rs->diags, DIAG_E_IO, NULL, NULL, "%s: ruleset already finished", name);
		return -1;
	}
	struct ydoc *d = ydoc_load(name, buf, len, &rs->diags);
	char **f = PUSH(rs->files, rs->nfiles);
	if (f)
		*f = strdup(name);
	if (!d)
		return -1;
	struct ydoc **slot = PUSH(p->docs, p->ndocs);
	if (!slot) {
		ydoc_free(d);
		return -1;
	}
	*slot = d;
	for (size_t i = 0; i < d->ndocs; i++) {
		const struct ynode *root = d->docs[i];
		if (ynode_is_null(root))
			continue;
		if (root->kind != Y_SEQ) {
			struct src_loc l = ynode_loc(root);
			diag_add(&rs->diags, DIAG_E_SCHEMA, &l, NULL,
				 "Rules content is not yaml array of objects (found %s)",
				 ynode_kind_str(root));
			continue;
		}
		for (size_t j = 0; j < root->n; j++)
			if (!ynode_is_null(root->items[j]))
				read_item(rs, root->items[j]);
	}
	return rs->diags.nerrors > before ? -1 : 0;
}

static int load_file(struct ruleset *rs, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		diag_add(&rs->diags, DIAG_E_IO, NULL, NULL, "%s: %s", path, strerror(errno));
		return -1;
	}
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len == cap) {
			size_t nc = cap ? cap * 2 : 65536;
			char *nb = realloc(buf, nc);
			if (!nb)
				break;
			buf = nb;
			cap = nc;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (!got)
			break;
	}
	bool err = ferror(f);
	fclose(f);
	if (err || !buf) {
		diag_add(&rs->diags, DIAG_E_IO, NULL, NULL, "%s: read error", path);
		free(buf);
		return -1;
	}
	int r = ruleset_load_string(rs, path, buf, len);
	free(buf);
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool yaml_name(const char *n)
{
	size_t l = strlen(n);
	return (l > 5 && !strcmp(n + l - 5, ".yaml")) || (l > 4 && !strcmp(n + l - 4, ".yml"));
}

int ruleset_load_path(struct ruleset *rs, const char *path)
{
	struct stat st;
	if (stat(path, &st)) {
		diag_add(&rs->diags, DIAG_E_IO, NULL, NULL, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return load_file(rs, path);
	DIR *d = opendir(path);
	if (!d) {
		diag_add(&rs->diags, DIAG_E_IO, NULL, NULL, "%s: %s", path, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !yaml_name(e->d_name))
			continue;
		char *full;
		if (asprintf(&full, "%s/%s", path, e->d_name) < 0)
			continue;
		struct stat fs;
		char **slot = NULL;
		if (stat(full, &fs) || !S_ISREG(fs.st_mode) || !(slot = PUSH(names, n))) {
			free(full);
			continue;
		}
		*slot = full;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	int ret = 0;
	for (size_t i = 0; i < n; i++) {
		if (load_file(rs, names[i]))
			ret = -1;
		free(names[i]);
	}
	free(names);
	return ret;
}

/* ---- finishing: lists, macros, exceptions, rules ---- */

static int compile_list(struct ruleset *rs, struct list_info *l)
{
	struct ruleset_priv *p = rs->priv;
	if (l->vals)
		return 0;
	if (l->compiling)
		return -1; /* impossible with visibility ordering; be safe */
	l->compiling = true;
	struct ast *v = ast_new(AST_CMP, l->loc);
	if (!v)
		return -1;
	for (size_t i = 0; i < l->nitems; i++) {
		const struct ynode *it = l->items[i];
		struct list_info *ref = find_list(p, it->str);
		/* Only lists defined before this one (or its last append). */
		if (ref && ref != l && ref->index < l->visibility && !compile_list(rs, ref)) {
			ref->used = true;
			for (size_t j = 0; j < ref->vals->nvalues; j++) {
				const struct ast_value *rv = &ref->vals->values[j];
				if (ast_add_value(v, rv->str, rv->len, rv->quoted, rv->loc))
					goto fail;
			}
		} else if (cond_add_item(v, it->str, it->len, ynode_loc(it))) {
			goto fail;
		}
	}
	l->vals = v;
	l->compiling = false;
	return 0;
fail:
	ast_free(v);
	l->compiling = false;
	return -1;
}

static bool is_list_name(void *ctx, const char *name, size_t len)
{
	struct ruleset *rs = ctx;
	char *n = strndup(name, len);
	bool ret = n && find_list(rs->priv, n);

	free(n);
	return ret;
}

/* The list a comparison's one unquoted value names, if any. */
static struct list_info *value_list(struct ruleset *rs, const struct ast *a)
{
	if (a->kind != AST_CMP || a->is_list || a->nvalues != 1 || a->values[0].quoted)
		return NULL;
	return find_list(rs->priv, a->values[0].str);
}

/*
 * A list named as the value of a one-value operator (proc.name = my_list):
 * Falco pastes a list's items, joined with ", ", wherever its name stands
 * alone in a condition's text (blanks, parentheses, commas, '=' or the ends
 * of the text around it), before parsing. One item makes the comparison
 * with that item, as in Falco; none, or more than one, make a condition
 * Falco's parser rejects, and an error here says so, rather than comparing
 * with the list's name, which no event has. 0, or -1 after an error.
 */
static int expand_value_list(struct ruleset *rs, struct ast *a, const struct diag_item *item)
{
	struct list_info *l = value_list(rs, a);
	struct ast_value *v;

	if (!l || !l->vals)
		return 0;
	l->used = true;
	v = &a->values[0];
	if (l->vals->nvalues != 1) {
		char hint[600] = "", f[300];

		snprintf(f, sizeof(f), "%s%s%s%s", a->field, a->arg ? "[" : "",
			 a->arg ? a->arg : "", a->arg ? "]" : "");
		if (a->op == SHRIKE_CMP_EQ)
			snprintf(hint, sizeof(hint), "; '%s in (%s)' compares with each item", f,
				 v->str);
		else if (a->op == SHRIKE_CMP_NE)
			snprintf(hint, sizeof(hint), "; 'not %s in (%s)' compares with each item",
				 f, v->str);
		if (!l->vals->nvalues)
			diag_add(
				&rs->diags, DIAG_E_OPERAND, &v->loc, item,
				"'%s' is an empty list: Falco pastes nothing in place of its name, "
				"which leaves operator '%s' without a value%s",
				v->str, ast_op_str(a->op), hint);
		else
			diag_add(
				&rs->diags, DIAG_E_OPERAND, &v->loc, item,
				"'%s' is a list of %zu items: Falco pastes them in place of its name, "
				"and operator '%s' takes one value%s",
				v->str, l->vals->nvalues, ast_op_str(a->op), hint);
		return -1;
	}
	const struct ast_value *it = &l->vals->values[0];
	char *str = malloc(it->len + 1);
	if (!str)
		return -1;
	memcpy(str, it->str, it->len);
	str[it->len] = 0;
	free(v->str);
	v->str = str;
	v->len = it->len;
	v->quoted = it->quoted;
	v->loc = it->loc;
	return 0;
}

/* Replaces unquoted list values naming a list with the list's items, and a
 * list named as a single value with its one item (expand_value_list). */
static int expand_lists(struct ruleset *rs, struct ast *a, const struct diag_item *item)
{
	struct ruleset_priv *p = rs->priv;
	for (; a; a = a->l) {
		if (a->r && expand_lists(rs, a->r, item))
			return -1;
		if (expand_value_list(rs, a, item))
			return -1;
		if (a->kind != AST_CMP || !a->is_list)
			continue;
		bool any = false;
		for (size_t i = 0; i < a->nvalues && !any; i++)
			any = !a->values[i].quoted && find_list(p, a->values[i].str);
		if (!any)
			continue;
		struct ast_value *old = a->values;
		size_t nold = a->nvalues;
		a->values = NULL;
		a->nvalues = 0;
		int ret = 0;
		for (size_t i = 0; i < nold && !ret; i++) {
			struct list_info *l = old[i].quoted ? NULL : find_list(p, old[i].str);
			if (l && l->vals) {
				l->used = true;
				for (size_t j = 0; j < l->vals->nvalues && !ret; j++) {
					const struct ast_value *v = &l->vals->values[j];
					ret = ast_add_value(a, v->str, v->len, v->quoted, v->loc);
				}
			} else {
				ret = ast_add_value(a, old[i].str, old[i].len, old[i].quoted,
						    old[i].loc);
			}
		}
		ast_values_free(old, nold);
		if (ret)
			return -1;
	}
	return 0;
}

static void mark_lists_used(struct ruleset *rs, const struct ast *a)
{
	for (; a; a = a->l) {
		if (a->r)
			mark_lists_used(rs, a->r);
		struct list_info *vl = value_list(rs, a);
		if (vl)
			vl->used = true;
		if (a->kind == AST_CMP && a->is_list)
			for (size_t i = 0; i < a->nvalues; i++) {
				struct list_info *l =
					a->values[i].quoted ? NULL
							    : find_list(rs->priv, a->values[i].str);
				if (l)
					l->used = true;
			}
	}
}

static struct ast *macro_expanded(struct ruleset *rs, struct macro_info *m,
				  const struct src_loc *ref, const struct diag_item *refitem);

/* Replaces AST_MACRO nodes, seeing macros whose index < visibility.
 * Consumes a; NULL on error (reported). */
static struct ast *expand_macros(struct ruleset *rs, struct ast *a, unsigned visibility,
				 const struct diag_item *item)
{
	if (!a)
		return NULL;
	if (a->kind == AST_MACRO) {
		struct macro_info *m = find_macro(rs->priv, a->field);
		if (!m || m->index >= visibility) {
			diag_add(&rs->diags, DIAG_E_UNDEF_MACRO, &a->loc, item,
				 "Undefined macro '%s' used in filter.", a->field);
			ast_free(a);
			return NULL;
		}
		struct ast *e = macro_expanded(rs, m, &a->loc, item);
		ast_free(a);
		return e ? ast_clone(e) : NULL;
	}
	if (a->l) {
		struct ast *l = expand_macros(rs, a->l, visibility, item);
		a->l = l;
		if (!l) {
			ast_free(a);
			return NULL;
		}
	}
	if (a->r) {
		struct ast *r = expand_macros(rs, a->r, visibility, item);
		a->r = r;
		if (!r) {
			ast_free(a);
			return NULL;
		}
	}
	return a;
}

static struct ast *macro_expanded(struct ruleset *rs, struct macro_info *m,
				  const struct src_loc *ref, const struct diag_item *refitem)
{
	m->used = true;
	if (m->expanded || m->failed)
		return m->expanded;
	if (m->expanding) {
		diag_add(&rs->diags, DIAG_E_MACRO_CYCLE, ref, refitem,
			 "macro '%s' refers to itself (through the macros it uses)", m->name);
		return NULL;
	}
	struct diag_item it = mkitem("macro", m->name, m->loc);
	if (!m->parsed) {
		m->failed = true;
		return NULL;
	}
	m->expanding = true;
	m->expanded = expand_macros(rs, ast_clone(m->parsed), m->visibility, &it);
	m->expanding = false;
	if (!m->expanded)
		m->failed = true;
	return m->expanded;
}

/* The comparison of one exception field/comp/value. */
static struct ast *exc_cmp(struct ruleset *rs, const struct diag_item *item,
			   const struct ynode *field, const char *comp,
			   const struct ynode *comp_node, const struct ynode *value)
{
	struct cond_input in = { field->str, field->len, node_locate, (void *)field, NULL,
				 &rs->diags, item,	 NULL,	      NULL };
	struct src_loc cl = ynode_loc(comp_node ? comp_node : field);
	int op = cond_op_lookup(comp);
	if (op < 0) {
		diag_add(&rs->diags, DIAG_E_EXCEPTION, &cl, item,
			 "'%s' is not a supported comparison operator", comp);
		return NULL;
	}
	struct ast *a = cond_parse_field(&in);
	if (!a)
		return NULL;
	a->op = op;
	a->loc = ynode_loc(value);
	struct src_loc vl = ynode_loc(value);
	if (op == SHRIKE_CMP_EXISTS) {
		diag_add(&rs->diags, DIAG_E_EXCEPTION, &vl, item,
			 "operator 'exists' takes no value");
		goto fail;
	}
	if (value->kind == Y_SEQ) {
		if (!cond_op_takes_list(op)) {
			diag_add(&rs->diags, DIAG_E_EXCEPTION, &vl, item,
				 "operator '%s' does not take a list of values", comp);
			goto fail;
		}
		a->is_list = true;
		for (size_t i = 0; i < value->n; i++) {
			const struct ynode *v = value->items[i];
			if (v->kind != Y_SCALAR) {
				struct src_loc l = ynode_loc(v);
				diag_add(&rs->diags, DIAG_E_EXCEPTION, &l, item,
					 "exception value lists must contain strings");
				goto fail;
			}
			if (cond_add_item(a, v->str, v->len, ynode_loc(v)))
				goto fail;
		}
		return a;
	}
	if (value->kind != Y_SCALAR) {
		diag_add(&rs->diags, DIAG_E_EXCEPTION, &vl, item,
			 "exception values must be strings or lists of strings");
		goto fail;
	}
	if (cond_op_takes_list(op)) {
		a->is_list = true;
		if (value->len && value->str[0] == '(') {
			struct cond_input li = { value->str,	value->len, node_locate,
						 (void *)value, NULL,	    &rs->diags,
						 item,		NULL,	    NULL };
			if (cond_parse_list(&li, a))
				goto fail;
			return a;
		}
	}
	if (cond_add_item(a, value->str, value->len, ynode_loc(value)))
		goto fail;
	return a;
fail:
	ast_free(a);
	return NULL;
}

static int note_field(struct rule_def *rd, const struct ynode *f)
{
	if (has((const char *const *)rd->exception_fields, rd->nexception_fields, f->str))
		return 0;
	char **slot = PUSH(rd->exception_fields, rd->nexception_fields);
	return slot && (*slot = strdup(f->str)) ? 0 : -1;
}

/* cond and not (ex1) and not (ex2)...: Falco's build_rule_exception_infos
 * on the tree instead of the text. Consumes cond. */
static struct ast *add_exceptions(struct ruleset *rs, const struct rule_info *ri,
				  struct rule_def *rd, struct ast *cond,
				  const struct diag_item *item)
{
	for (size_t e = 0; e < ri->nexc && cond; e++) {
		const struct exc_info *ex = &ri->exc[e];
		struct ast *x = NULL;
		bool bad = false;
		if (!ex->fields) {
			diag_add(
				&rs->diags, DIAG_E_EXCEPTION, &ex->loc, item,
				"Rule exception '%s' must have fields property with a list of fields",
				ex->name);
			bad = true;
		} else if (ex->fields->kind == Y_SCALAR) {
			const char *comp = "in";
			if (ex->comps) {
				struct src_loc cl = ynode_loc(ex->comps);
				if (ex->comps->kind != Y_SCALAR) {
					diag_add(&rs->diags, DIAG_E_EXCEPTION, &cl, item,
						 "Fields and comps must both be strings");
					bad = true;
				} else {
					comp = ex->comps->str;
					if (strcmp(comp, "in") && strcmp(comp, "pmatch") &&
					    strcmp(comp, "intersects")) {
						diag_add(
							&rs->diags, DIAG_E_EXCEPTION, &cl, item,
							"When fields is a single value, comps must be one of (in, pmatch, intersects)");
						bad = true;
					}
				}
			}
			if (!bad && ex->nvalues) {
				struct cond_input in = { ex->fields->str,
							 ex->fields->len,
							 node_locate,
							 (void *)ex->fields,
							 NULL,
							 &rs->diags,
							 item,
							 NULL,
							 NULL };
				x = cond_parse_field(&in);
				bad = !x;
				if (x) {
					x->op = cond_op_lookup(comp);
					x->is_list = true;
					x->loc = ynode_loc(ex->values[0]);
				}
				for (size_t i = 0; x && i < ex->nvalues; i++) {
					const struct ynode *v = ex->values[i];
					if (v->kind != Y_SCALAR) {
						struct src_loc l = ynode_loc(v);
						diag_add(
							&rs->diags, DIAG_E_EXCEPTION, &l, item,
							"Expected values array to contain a list of strings");
						bad = true;
						break;
					}
					if (cond_add_item(x, v->str, v->len, ynode_loc(v))) {
						bad = true;
						break;
					}
				}
				if (!bad)
					note_field(rd, ex->fields);
			}
		} else {
			const struct ynode *f = ex->fields, *c = ex->comps;
			for (size_t i = 0; i < f->n; i++) {
				if (f->items[i]->kind != Y_SCALAR) {
					struct src_loc l = ynode_loc(f->items[i]);
					diag_add(&rs->diags, DIAG_E_EXCEPTION, &l, item,
						 "exception fields must be strings");
					bad = true;
				}
			}
			if (c && (c->kind != Y_SEQ || c->n != f->n)) {
				struct src_loc l = ynode_loc(c);
				diag_add(&rs->diags, DIAG_E_EXCEPTION, &l, item,
					 "Fields and comps lists must have equal length");
				bad = true;
			}
			for (size_t i = 0; c && !bad && i < c->n; i++) {
				struct src_loc l = ynode_loc(c->items[i]);
				if (c->items[i]->kind != Y_SCALAR ||
				    cond_op_lookup(c->items[i]->str) < 0) {
					diag_add(&rs->diags, DIAG_E_EXCEPTION, &l, item,
						 "'%s' is not a supported comparison operator",
						 c->items[i]->kind == Y_SCALAR ? c->items[i]->str
									       : "?");
					bad = true;
				}
			}
			for (size_t v = 0; !bad && v < ex->nvalues; v++) {
				const struct ynode *tuple = ex->values[v];
				struct src_loc tl = ynode_loc(tuple);
				if (tuple->kind != Y_SEQ || tuple->n != f->n) {
					diag_add(&rs->diags, DIAG_E_EXCEPTION, &tl, item,
						 "Fields and values lists must have equal length");
					bad = true;
					break;
				}
				struct ast *conj = NULL;
				for (size_t k = 0; k < f->n; k++) {
					struct ast *cmp = exc_cmp(
						rs, item, f->items[k], c ? c->items[k]->str : "=",
						c ? c->items[k] : NULL, tuple->items[k]);
					if (!cmp) {
						bad = true;
						break;
					}
					conj = conj ? ast_binary(AST_AND, conj, cmp, tl) : cmp;
				}
				if (bad) {
					ast_free(conj);
					break;
				}
				x = x ? ast_binary(AST_OR, x, conj, ex->loc) : conj;
			}
			for (size_t i = 0; !bad && ex->nvalues && i < f->n; i++)
				note_field(rd, f->items[i]);
		}
		if (bad) {
			ast_free(x);
			ast_free(cond);
			return NULL;
		}
		if (x) {
			struct ast *n = ast_new(AST_NOT, ex->loc);
			if (!n) {
				ast_free(x);
				ast_free(cond);
				return NULL;
			}
			n->l = x;
			cond = ast_binary(AST_AND, cond, n, ex->loc);
		}
	}
	return cond;
}

static int compile_rule(struct ruleset *rs, struct rule_info *ri)
{
	struct diag_item item = mkitem("rule", ri->name, ri->loc);
	struct cond_input in = { ri->cond.s, ri->cond.len, ctext_locate, &ri->cond, NULL,
				 &rs->diags, &item,	   is_list_name, rs };
	struct rule_def rd;
	memset(&rd, 0, sizeof(rd));
	struct ast *a = cond_parse(&in);
	if (!a)
		return -1;
	a = add_exceptions(rs, ri, &rd, a, &item);
	a = expand_macros(rs, a, MAX_VISIBILITY, &item);
	if (!a || expand_lists(rs, a, &item))
		goto fail;
	int src = parse_source(ri->source);
	int unknown = cond_resolve_fields(a, src, &rs->diags, &item, ri->skip_if_unknown_filter);
	if (unknown < 0)
		goto fail;
	if (unknown > 0) {
		diag_add(
			&rs->diags, DIAG_W_UNKNOWN_FILTER, &ri->loc, &item,
			"rule skipped: its condition uses %d unknown field%s and it has skip-if-unknown-filter",
			unknown, unknown > 1 ? "s" : "");
		goto fail;
	}
	rd.name = strdup(ri->name);
	rd.loc = ri->loc;
	rd.desc = strdup(ri->desc ? ri->desc : "");
	rd.output = strdup(ri->output ? ri->output : "");
	if (ri->opos.n && (rd.output_pos = malloc(sizeof(*rd.output_pos)))) {
		rd.output_pos->v = malloc(ri->opos.n * sizeof(*rd.output_pos->v));
		rd.output_pos->n = rd.output_pos->v ? ri->opos.n : 0;
		rd.output_pos->limit = 0;
		if (rd.output_pos->v)
			memcpy(rd.output_pos->v, ri->opos.v,
			       ri->opos.n * sizeof(*rd.output_pos->v));
	}
	rd.cond_text = strdup(ri->cond.s);
	rd.priority = ri->priority;
	rd.source = src;
	rd.enabled = ri->enabled;
	rd.warn_evttypes = ri->warn_evttypes;
	rd.skip_if_unknown_filter = ri->skip_if_unknown_filter;
	rd.cond = a;
	if (ri->ntags && (rd.tags = calloc(ri->ntags, sizeof(char *))))
		for (; rd.ntags < ri->ntags; rd.ntags++)
			rd.tags[rd.ntags] = strdup(ri->tags[rd.ntags]);
	struct rule_def *slot = PUSH(rs->rules, rs->nrules);
	if (!slot) {
		a = NULL;
		goto fail_def;
	}
	*slot = rd;
	return 0;
fail_def:
	free(rd.name);
	free(rd.desc);
	free(rd.output);
	output_pos_free(rd.output_pos);
	free(rd.cond_text);
	ast_free(rd.cond);
	strv_free(rd.tags, rd.ntags);
fail:
	strv_free(rd.exception_fields, rd.nexception_fields);
	ast_free(a);
	return -1;
}

static int by_index_rule(const void *a, const void *b)
{
	unsigned x = ((const struct rule_info *)a)->index, y = ((const struct rule_info *)b)->index;
	return x < y ? -1 : x > y;
}

int ruleset_finish(struct ruleset *rs)
{
	struct ruleset_priv *p = rs->priv;
	if (p->finished)
		return ruleset_errors(rs) ? -1 : 0;
	p->finished = true;

	for (size_t i = 0; i < p->nlists; i++)
		compile_list(rs, &p->lists[i]);

	/* Every macro is parsed and expanded, used or not, as Falco does:
	 * a broken macro is an error even before a rule uses it. */
	for (size_t i = 0; i < p->nmacros; i++) {
		struct macro_info *m = &p->macros[i];
		struct diag_item item = mkitem("macro", m->name, m->loc);
		struct cond_input in = { m->cond.s,  m->cond.len, ctext_locate, &m->cond, NULL,
					 &rs->diags, &item,	  is_list_name, rs };
		m->parsed = cond_parse(&in);
		if (m->parsed)
			mark_lists_used(rs, m->parsed);
	}
	for (size_t i = 0; i < p->nmacros; i++) {
		struct macro_info *m = &p->macros[i];
		bool used = m->used;
		struct diag_item item = mkitem("macro", m->name, m->loc);
		macro_expanded(rs, m, &m->loc, &item);
		m->used = used;
	}
	/* Mark macros used by other macros (expansion above marked them
	 * transitively from each root, including the root itself). */
	for (size_t i = 0; i < p->nmacros; i++) {
		struct macro_info *m = &p->macros[i];
		if (!m->parsed)
			continue;
		struct ast **stack = NULL;
		size_t n = 0;
		struct ast **s0 = PUSH(stack, n);
		if (!s0)
			continue;
		*s0 = m->parsed;
		while (n) {
			struct ast *a = stack[--n];
			if (!a)
				continue;
			if (a->kind == AST_MACRO) {
				struct macro_info *r = find_macro(p, a->field);
				if (r && r->index < m->visibility)
					r->used = true;
			}
			struct ast **s1 = PUSH(stack, n);
			if (s1)
				*s1 = a->l;
			struct ast **s2 = PUSH(stack, n);
			if (s2)
				*s2 = a->r;
		}
		free(stack);
	}

	if (p->nrules)
		qsort(p->rules, p->nrules, sizeof(*p->rules), by_index_rule);
	for (size_t i = 0; i < p->nrules; i++) {
		struct rule_info *ri = &p->rules[i];
		if (ri->unknown_source)
			continue;
		compile_rule(rs, ri);
	}

	for (size_t i = 0; i < p->nmacros; i++)
		if (!p->macros[i].used)
			diag_add(
				&rs->diags, DIAG_W_UNUSED_MACRO, &p->macros[i].loc,
				&(struct diag_item){ "macro", p->macros[i].name, p->macros[i].loc },
				"Macro not referred to by any other rule/macro");
	for (size_t i = 0; i < p->nlists; i++)
		if (!p->lists[i].used)
			diag_add(&rs->diags, DIAG_W_UNUSED_LIST, &p->lists[i].loc,
				 &(struct diag_item){ "list", p->lists[i].name, p->lists[i].loc },
				 "List not referred to by any other rule/macro");
	return ruleset_errors(rs) ? -1 : 0;
}

struct ast *ruleset_parse_condition(struct ruleset *rs, const char *name, const char *text,
				    int source)
{
	struct cond_input in = { text,	     strlen(text), NULL,	 NULL, name,
				 &rs->diags, NULL,	   is_list_name, rs };
	struct ast *a = cond_parse(&in);
	if (!a)
		return NULL;
	a = expand_macros(rs, a, MAX_VISIBILITY, NULL);
	if (!a || expand_lists(rs, a, NULL) ||
	    cond_resolve_fields(a, source, &rs->diags, NULL, false)) {
		ast_free(a);
		return NULL;
	}
	return a;
}

/* ---- lifetime and access ---- */

struct ruleset *ruleset_new(void)
{
	struct ruleset *rs = calloc(1, sizeof(*rs));
	if (!rs)
		return NULL;
	rs->priv = calloc(1, sizeof(*rs->priv));
	if (!rs->priv) {
		free(rs);
		return NULL;
	}
	diag_list_init(&rs->diags);
	return rs;
}

void ruleset_free(struct ruleset *rs)
{
	if (!rs)
		return;
	struct ruleset_priv *p = rs->priv;
	for (size_t i = 0; i < rs->nrules; i++) {
		struct rule_def *r = &rs->rules[i];
		free(r->name);
		free(r->desc);
		free(r->output);
		output_pos_free(r->output_pos);
		free(r->cond_text);
		ast_free(r->cond);
		strv_free(r->tags, r->ntags);
		strv_free(r->exception_fields, r->nexception_fields);
	}
	free(rs->rules);
	for (size_t i = 0; i < p->nlists; i++)
		list_info_clear(&p->lists[i]);
	free(p->lists);
	for (size_t i = 0; i < p->nmacros; i++)
		macro_info_clear(&p->macros[i]);
	free(p->macros);
	for (size_t i = 0; i < p->nrules; i++)
		rule_info_clear(&p->rules[i]);
	free(p->rules);
	for (size_t i = 0; i < p->ndocs; i++)
		ydoc_free(p->docs[i]);
	free(p->docs);
	free(p);
	for (size_t i = 0; i < rs->nplugins; i++)
		plugin_req_free(&rs->plugins[i]);
	free(rs->plugins);
	strv_free(rs->files, rs->nfiles);
	free(rs->required_engine_version);
	diag_list_free(&rs->diags);
	free(rs);
}

size_t ruleset_errors(const struct ruleset *rs)
{
	return rs->diags.nerrors;
}

size_t ruleset_warnings(const struct ruleset *rs)
{
	return rs->diags.nwarnings;
}

const struct rule_def *ruleset_find_rule(const struct ruleset *rs, const char *name)
{
	for (size_t i = 0; i < rs->nrules; i++)
		if (!strcmp(rs->rules[i].name, name))
			return &rs->rules[i];
	return NULL;
}

static void json_plugin(FILE *f, const struct plugin_req *p)
{
	fputs("{\"name\":", f);
	diag_json_str(f, p->name);
	fputs(",\"version\":", f);
	diag_json_str(f, p->version);
	if (p->nalternatives) {
		fputs(",\"alternatives\":[", f);
		for (size_t i = 0; i < p->nalternatives; i++) {
			if (i)
				fputc(',', f);
			json_plugin(f, &p->alternatives[i]);
		}
		fputc(']', f);
	}
	fputc('}', f);
}

void ruleset_print_json(FILE *f, const struct ruleset *rs)
{
	fputs("{\"required_engine_version\":", f);
	if (rs->required_engine_version)
		diag_json_str(f, rs->required_engine_version);
	else
		fputs("null", f);
	fputs(",\"required_plugin_versions\":[", f);
	for (size_t i = 0; i < rs->nplugins; i++) {
		if (i)
			fputc(',', f);
		json_plugin(f, &rs->plugins[i]);
	}
	fputs("],\"files\":[", f);
	for (size_t i = 0; i < rs->nfiles; i++) {
		if (i)
			fputc(',', f);
		diag_json_str(f, rs->files[i]);
	}
	fprintf(f, "],\"successful\":%s,\"errors\":", ruleset_errors(rs) ? "false" : "true");
	diag_json_array(f, &rs->diags, DIAG_SEV_ERROR);
	fputs(",\"warnings\":", f);
	diag_json_array(f, &rs->diags, DIAG_SEV_WARNING);
	fputs("}\n", f);
}
