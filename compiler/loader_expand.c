/* loader_expand.c - expansion: compiles lists (lists named in lists pasted
 * in), expands macros in the order Falco makes them visible, lists in
 * conditions and exceptions into `(cond) and not (...)`, resolves fields,
 * and makes each rule's struct rule_def: ruleset_finish() and
 * ruleset_parse_condition(). See loader.h for the semantics. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "loader_int.h"
#include "cond.h"
#include "../kmod/uapi/shrike.h"

/* ---- lists ---- */

static int compile_list(struct ruleset *rs, struct list_info *l)
{
	struct ruleset_priv *p = rs->priv;
	if (l->vals)
		return 0;
	if (l->compiling)
		return -1; /* impossible with visibility ordering; be safe */
	l->compiling = true;
	struct ast *v = ast_new(AST_CMP, l->loc);
	if (!v) {
		l->compiling = false;
		return loader_nomem(rs);
	}
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

	if (!n)
		loader_nomem(rs);
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
			loader_diag(
				rs, DIAG_E_OPERAND, &v->loc, item,
				"'%s' is an empty list: Falco pastes nothing in place of its name, "
				"which leaves operator '%s' without a value%s",
				v->str, ast_op_str(a->op), hint);
		else
			loader_diag(
				rs, DIAG_E_OPERAND, &v->loc, item,
				"'%s' is a list of %zu items: Falco pastes them in place of its name, "
				"and operator '%s' takes one value%s",
				v->str, l->vals->nvalues, ast_op_str(a->op), hint);
		return -1;
	}
	const struct ast_value *it = &l->vals->values[0];
	char *str = malloc(it->len + 1);
	if (!str)
		return loader_nomem(rs);
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

/* ---- macros ---- */

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
			loader_diag(rs, DIAG_E_UNDEF_MACRO, &a->loc, item,
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
		loader_diag(rs, DIAG_E_MACRO_CYCLE, ref, refitem,
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

/* ---- exceptions ---- */

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
		loader_diag(rs, DIAG_E_EXCEPTION, &cl, item,
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
		loader_diag(rs, DIAG_E_EXCEPTION, &vl, item, "operator 'exists' takes no value");
		goto fail;
	}
	if (value->kind == Y_SEQ) {
		if (!cond_op_takes_list(op)) {
			loader_diag(rs, DIAG_E_EXCEPTION, &vl, item,
				    "operator '%s' does not take a list of values", comp);
			goto fail;
		}
		a->is_list = true;
		for (size_t i = 0; i < value->n; i++) {
			const struct ynode *v = value->items[i];
			if (v->kind != Y_SCALAR) {
				struct src_loc l = ynode_loc(v);
				loader_diag(rs, DIAG_E_EXCEPTION, &l, item,
					    "exception value lists must contain strings");
				goto fail;
			}
			if (cond_add_item(a, v->str, v->len, ynode_loc(v)))
				goto fail;
		}
		return a;
	}
	if (value->kind != Y_SCALAR) {
		loader_diag(rs, DIAG_E_EXCEPTION, &vl, item,
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

static void note_field(struct ruleset *rs, struct rule_def *rd, const struct ynode *f)
{
	if (strv_has((const char *const *)rd->exception_fields, rd->nexception_fields, f->str))
		return;
	char **slot = PUSH(rd->exception_fields, rd->nexception_fields);
	if (!slot || !(*slot = strdup(f->str))) {
		if (slot)
			rd->nexception_fields--;
		loader_nomem(rs);
	}
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
			loader_diag(
				rs, DIAG_E_EXCEPTION, &ex->loc, item,
				"Rule exception '%s' must have fields property with a list of fields",
				ex->name);
			bad = true;
		} else if (ex->fields->kind == Y_SCALAR) {
			const char *comp = "in";
			if (ex->comps) {
				struct src_loc cl = ynode_loc(ex->comps);
				if (ex->comps->kind != Y_SCALAR) {
					loader_diag(rs, DIAG_E_EXCEPTION, &cl, item,
						    "Fields and comps must both be strings");
					bad = true;
				} else {
					comp = ex->comps->str;
					if (strcmp(comp, "in") && strcmp(comp, "pmatch") &&
					    strcmp(comp, "intersects")) {
						loader_diag(
							rs, DIAG_E_EXCEPTION, &cl, item,
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
						loader_diag(
							rs, DIAG_E_EXCEPTION, &l, item,
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
					note_field(rs, rd, ex->fields);
			}
		} else {
			const struct ynode *f = ex->fields, *c = ex->comps;
			for (size_t i = 0; i < f->n; i++) {
				if (f->items[i]->kind != Y_SCALAR) {
					struct src_loc l = ynode_loc(f->items[i]);
					loader_diag(rs, DIAG_E_EXCEPTION, &l, item,
						    "exception fields must be strings");
					bad = true;
				}
			}
			if (c && (c->kind != Y_SEQ || c->n != f->n)) {
				struct src_loc l = ynode_loc(c);
				loader_diag(rs, DIAG_E_EXCEPTION, &l, item,
					    "Fields and comps lists must have equal length");
				bad = true;
			}
			for (size_t i = 0; c && !bad && i < c->n; i++) {
				struct src_loc l = ynode_loc(c->items[i]);
				if (c->items[i]->kind != Y_SCALAR ||
				    cond_op_lookup(c->items[i]->str) < 0) {
					loader_diag(rs, DIAG_E_EXCEPTION, &l, item,
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
					loader_diag(
						rs, DIAG_E_EXCEPTION, &tl, item,
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
				note_field(rs, rd, f->items[i]);
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
				loader_nomem(rs);
				return NULL;
			}
			n->l = x;
			cond = ast_binary(AST_AND, cond, n, ex->loc);
		}
	}
	return cond;
}

/* ---- rules ---- */

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
		loader_diag(
			rs, DIAG_W_UNKNOWN_FILTER, &ri->loc, &item,
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
	bool nomem = !rd.name || !rd.desc || !rd.output || !rd.cond_text ||
		     (ri->opos.n && (!rd.output_pos || !rd.output_pos->v));
	rd.priority = ri->priority;
	rd.source = src;
	rd.enabled = ri->enabled;
	rd.warn_evttypes = ri->warn_evttypes;
	rd.skip_if_unknown_filter = ri->skip_if_unknown_filter;
	rd.cond = a;
	if (ri->ntags && !(rd.tags = calloc(ri->ntags, sizeof(char *))))
		nomem = true;
	for (; rd.tags && rd.ntags < ri->ntags; rd.ntags++)
		if (!(rd.tags[rd.ntags] = strdup(ri->tags[rd.ntags])))
			nomem = true;
	struct rule_def *slot = nomem ? NULL : PUSH(rs->rules, rs->nrules);
	if (!slot) {
		a = NULL;
		loader_nomem(rs);
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

/* ---- finishing ---- */

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
	if (p->nomem)
		return -1; /* the load failed: rules may be missing */

	int saved = nomem_watch();

	for (size_t i = 0; i < p->nlists; i++) {
		errno = 0;
		compile_list(rs, &p->lists[i]);
		nomem_check(rs, 0);
	}

	/* Every macro is parsed and expanded, used or not, as Falco does:
	 * a broken macro is an error even before a rule uses it. */
	for (size_t i = 0; i < p->nmacros; i++) {
		struct macro_info *m = &p->macros[i];
		struct diag_item item = mkitem("macro", m->name, m->loc);
		struct cond_input in = { m->cond.s,  m->cond.len, ctext_locate, &m->cond, NULL,
					 &rs->diags, &item,	  is_list_name, rs };
		errno = 0;
		m->parsed = cond_parse(&in);
		nomem_check(rs, 0);
		if (m->parsed)
			mark_lists_used(rs, m->parsed);
	}
	for (size_t i = 0; i < p->nmacros; i++) {
		struct macro_info *m = &p->macros[i];
		bool used = m->used;
		struct diag_item item = mkitem("macro", m->name, m->loc);
		errno = 0;
		macro_expanded(rs, m, &m->loc, &item);
		nomem_check(rs, 0);
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
		if (!s0) {
			loader_nomem(rs);
			continue;
		}
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
			if (!s1 || !s2)
				loader_nomem(rs);
		}
		free(stack);
	}

	if (p->nrules)
		qsort(p->rules, p->nrules, sizeof(*p->rules), by_index_rule);
	for (size_t i = 0; i < p->nrules; i++) {
		struct rule_info *ri = &p->rules[i];
		if (ri->unknown_source)
			continue;
		errno = 0;
		compile_rule(rs, ri);
		nomem_check(rs, 0);
	}

	for (size_t i = 0; i < p->nmacros; i++)
		if (!p->macros[i].used)
			loader_diag(
				rs, DIAG_W_UNUSED_MACRO, &p->macros[i].loc,
				&(struct diag_item){ "macro", p->macros[i].name, p->macros[i].loc },
				"Macro not referred to by any other rule/macro");
	for (size_t i = 0; i < p->nlists; i++)
		if (!p->lists[i].used)
			loader_diag(
				rs, DIAG_W_UNUSED_LIST, &p->lists[i].loc,
				&(struct diag_item){ "list", p->lists[i].name, p->lists[i].loc },
				"List not referred to by any other rule/macro");
	nomem_check(rs, saved);
	return ruleset_errors(rs) ? -1 : 0;
}

struct ast *ruleset_parse_condition(struct ruleset *rs, const char *name, const char *text,
				    int source)
{
	struct cond_input in = { text,	     strlen(text), NULL,	 NULL, name,
				 &rs->diags, NULL,	   is_list_name, rs };
	int saved = nomem_watch();
	struct ast *a = cond_parse(&in);
	if (a)
		a = expand_macros(rs, a, MAX_VISIBILITY, NULL);
	if (a && (expand_lists(rs, a, NULL) ||
		  cond_resolve_fields(a, source, &rs->diags, NULL, false))) {
		ast_free(a);
		a = NULL;
	}
	nomem_check(rs, saved);
	return a;
}
