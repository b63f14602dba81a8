/* loader_items.c - reads the list, macro and rule items of a rules file
 * into the ruleset (loader_int.h), with Falco's rule loader semantics for
 * changing an item already loaded: a redefinition replaces it in place,
 * `append: true` and `override:` append to or replace single keys, all
 * decided in one place (item_change()). Decodes rule exceptions, which
 * loader_expand.c turns into conditions. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "loader_int.h"
#include "../kmod/uapi/shrike.h"

/* ---- decoding an item's keys ---- */

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

/* Falco decode_val: a non-empty scalar. NULL (and an error if required)
 * otherwise; *present tells a missing key from a bad one. */
const struct ynode *get_scalar(struct rd *r, const char *key, bool required, bool *bad)
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

void check_keys(struct rd *r, const char *const *allowed)
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

/* ---- rule pieces: exceptions, tags, texts ---- */

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
		if (!e || !(e->name = strdup(name->str)))
			return loader_nomem(r->rs);
		e->loc = xl;
		e->fields = fields;
		e->comps = comps;
		if (values && values->n) {
			e->values = malloc(values->n * sizeof(*e->values));
			if (!e->values)
				return loader_nomem(r->rs);
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
		if (strv_has((const char *const *)ri->tags, ri->ntags, tags->items[i]->str))
			continue;
		char **slot = PUSH(ri->tags, ri->ntags);
		if (!slot)
			return -1;
		if (!(*slot = strdup(tags->items[i]->str))) {
			ri->ntags--;
			return -1;
		}
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

/* ---- Falco's append/override semantics, for lists, macros and rules ---- */

/* How an item of one kind may change the one of that name already loaded. */
struct item_kind {
	const char *type, *Type;	/* "list", "List": in messages */
	const char *dep_key;		/* the key the deprecation warning suggests */
	const char *const *can_append;	/* the keys `override:` may append to */
	const char *const *can_replace; /* ... and replace */
	/* Rules take an override key by key. A list or a macro has one
	 * overridable key: replacing it is redefining the item, appending to
	 * it is appending the item. */
	bool per_key;
};

enum item_op {
	ITEM_DEFINE,   /* a new item, or a redefinition that replaces it in place */
	ITEM_APPEND,   /* `append: true`, or (one-key kinds) an append override */
	ITEM_OVERRIDE, /* per-key kinds: the keys in o.append, then o.replace */
};

struct item_change {
	enum item_op op;
	struct overrides o;
};

/*
 * Decodes `append:` (deprecated: warned) and `override:`, refuses both
 * together, and says how the item applies: the one place the three kinds'
 * semantics are decided. bad: the item's other keys had errors (reported
 * with these, then the item is skipped). 0, or -1 if the item is skipped.
 */
static int item_change(struct rd *r, const struct item_kind *k, bool bad, struct item_change *c)
{
	bool append = false;

	get_bool(r, "append", false, &append, &bad);
	read_overrides(r, k->can_append, k->can_replace, &c->o);
	if (bad || c->o.bad)
		return -1;
	if (append)
		RERR(r, DIAG_W_DEPRECATED, &r->item.loc,
		     "'append' key is deprecated. Add an 'append' entry (e.g. '%s: append') under 'override' instead.",
		     k->dep_key);
	if (append && (c->o.nappend || c->o.nreplace)) {
		RERR(r, DIAG_E_OVERRIDE, &r->item.loc,
		     "Keys 'override' and 'append: true' cannot be used together.");
		return -1;
	}
	if (k->per_key && (c->o.nappend || c->o.nreplace))
		c->op = ITEM_OVERRIDE;
	else if (append || c->o.nappend)
		c->op = ITEM_APPEND;
	else
		c->op = ITEM_DEFINE;
	return 0;
}

/* An append or an override changes an item loaded before: prev, the one of
 * the item's name. false (reported) if there is none. */
static bool item_previous(struct rd *r, const struct item_kind *k, const void *prev, bool replace,
			  const char *name)
{
	if (prev)
		return true;
	if (replace)
		RERR(r, DIAG_E_NO_PREVIOUS, &r->item.loc,
		     "An replace override for %s '%s' was specified but no %s by that name already exists",
		     k->type, name, k->type);
	else
		RERR(r, DIAG_E_NO_PREVIOUS, &r->item.loc,
		     "%s has 'append' key or an append override but no %s by that name already exists",
		     k->Type, k->type);
	return false;
}

/* ---- lists and macros ---- */

static const char *const list_keys[] = { "items", NULL };
static const struct item_kind list_kind = { "list", "List", "items", list_keys, list_keys, false };
static const char *const macro_keys[] = { "condition", NULL };
static const struct item_kind macro_kind = {
	"macro", "Macro", "condition", macro_keys, macro_keys, false,
};

/* Appends the item nodes of seq to items, sized n. */
static int add_nodes(const struct ynode ***items, size_t *n, const struct ynode *seq)
{
	const struct ynode **ni = realloc(*items, (*n + seq->n + 1) * sizeof(*ni));

	if (!ni)
		return -1;
	*items = ni;
	for (size_t i = 0; i < seq->n; i++)
		ni[(*n)++] = seq->items[i];
	return 0;
}

void read_list(struct rd *r)
{
	struct ruleset_priv *p = r->rs->priv;
	static const char *const keys[] = { "list", "items", "append", "override", NULL };
	bool bad = false;
	struct item_change c;
	const struct ynode *name = get_scalar(r, "list", true, &bad);
	if (!name)
		return;
	r->item.name = name->str;
	check_keys(r, keys);
	/* Falco: a list name is a bare string of the condition language. */
	for (const char *ch = name->str; *ch; ch++) {
		if (strchr("()\"'=, \t\n\r\v\f", *ch)) {
			struct src_loc nl = ynode_loc(name);
			RERR(r, DIAG_E_BAD_NAME, &nl,
			     "invalid list name '%s': must be a bare string ([^()\"'[:space:]=,]+)",
			     name->str);
			return;
		}
	}
	const struct ynode *items = get_seq(r, "items", true, &bad);
	if (item_change(r, &list_kind, bad, &c))
		return;
	struct list_info *l = find_list(p, name->str);
	unsigned id = p->cur_index++;
	if (c.op == ITEM_APPEND) {
		if (!item_previous(r, &list_kind, l, false, name->str))
			return;
	} else if (l) {
		free(l->items);
		l->items = NULL;
		l->nitems = 0;
		l->loc = r->item.loc;
	} else {
		l = PUSH(p->lists, p->nlists);
		if (!l || !(l->name = strdup(name->str))) {
			if (l)
				p->nlists--;
			loader_nomem(r->rs);
			return;
		}
		l->index = id;
		l->loc = r->item.loc;
	}
	l->visibility = id;
	if (add_nodes(&l->items, &l->nitems, items))
		loader_nomem(r->rs);
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

void read_macro(struct rd *r)
{
	struct ruleset_priv *p = r->rs->priv;
	static const char *const keys[] = { "macro", "condition", "append", "override", NULL };
	bool bad = false;
	struct item_change c;
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
	if (item_change(r, &macro_kind, bad, &c))
		return;
	struct macro_info *m = find_macro(p, name->str);
	unsigned id = p->cur_index++;
	if (c.op == ITEM_APPEND) {
		if (!item_previous(r, &macro_kind, m, false, name->str))
			return;
	} else if (m) {
		ctext_free(&m->cond);
		m->loc = r->item.loc;
	} else {
		m = PUSH(p->macros, p->nmacros);
		if (!m || !(m->name = strdup(name->str))) {
			if (m)
				p->nmacros--;
			loader_nomem(r->rs);
			return;
		}
		m->index = id;
		m->loc = r->item.loc;
	}
	m->visibility = id;
	if (ctext_add(&m->cond, cond))
		loader_nomem(r->rs);
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
static const struct item_kind rule_kind = {
	"rule", "Rule", "condition", rule_can_append, rule_can_replace, true,
};

int parse_source(const char *s)
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
			if (!ne) {
				loader_nomem(r->rs);
				return;
			}
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
		if (!nv) {
			loader_nomem(r->rs);
			return;
		}
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
	bool bad = false, nomem = false;
	if (!item_previous(r, &rule_kind, prev, replace, name))
		return;
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
			nomem |= ctext_add(&prev->cond, cond) < 0;
		}
		if (out) {
			char *t = trim_dup(out->str);
			if (t) {
				free(prev->output);
				prev->output = t;
				nomem |= opos_set(&prev->opos, out) < 0;
			} else {
				nomem = true;
			}
		}
		if (desc)
			nomem |= set_str(&prev->desc, desc->str) < 0;
		if (tags) {
			strv_free(prev->tags, prev->ntags);
			prev->tags = NULL;
			prev->ntags = 0;
			nomem |= add_tags(prev, tags) < 0;
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
			nomem |= ctext_add(&prev->cond, cond) < 0;
		if (out) {
			size_t at = prev->output ? strlen(prev->output) + 1 : 1;
			if (append_str(&prev->output, out->str))
				nomem = true;
			else if (*out->str)
				nomem |= opos_add(&prev->opos, at, out, 0) < 0;
		}
		if (desc)
			nomem |= append_str(&prev->desc, desc->str) < 0;
		if (tags)
			nomem |= add_tags(prev, tags) < 0;
		if (has_ex)
			merge_exceptions(r, prev, ex, nex);
	}
	if (nomem)
		loader_nomem(r->rs);
	p->cur_index++;
out:
	exc_free(ex, nex);
}

void read_rule(struct rd *r)
{
	struct ruleset_priv *p = r->rs->priv;
	bool bad = false;
	struct item_change c;
	const struct overrides *o = &c.o;
	const struct ynode *name = get_scalar(r, "rule", true, &bad);
	if (!name)
		return;
	r->item.name = name->str;
	check_keys(r, rule_keys);
	if (item_change(r, &rule_kind, bad, &c))
		return;

	if (c.op == ITEM_OVERRIDE) {
		/* Every overridable key present must be named under override,
		 * and every key named must be present. */
		bool ok = true;
		for (const char *const *k = rule_can_replace; *k; k++) {
			bool present = ymap_get(r->node, *k) != NULL;
			bool named = strv_has(o->append, o->nappend, *k) ||
				     strv_has(o->replace, o->nreplace, *k);
			if (named && !present) {
				RERR(r, DIAG_E_OVERRIDE, &r->item.loc,
				     "An %s override for '%s' was specified but '%s' is not defined",
				     strv_has(o->append, o->nappend, *k) ? "append" : "replace", *k,
				     *k);
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
		if (o->nappend)
			rule_update(r, name->str, o->append, o->nappend, false);
		if (o->nreplace)
			rule_update(r, name->str, o->replace, o->nreplace, true);
		return;
	}
	if (c.op == ITEM_APPEND) {
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
		loader_nomem(r->rs);
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
			loader_nomem(r->rs);
			return;
		}
		ri.index = id;
		*slot = ri;
	}
}
