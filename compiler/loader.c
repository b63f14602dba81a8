/* loader.c - the loader's files and documents: reads rules files and
 * directories, dispatches each YAML item to its reader (loader_items.c),
 * takes the required engine and plugin versions, and owns the ruleset's
 * lifetime and its public accessors; expansion is loader_expand.c's. See
 * loader.h for the semantics and loader_int.h for what the files share. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "loader_int.h"
#include "../kmod/uapi/shrike.h"
#include "../lib/file.h"

/* ---- diagnostics and out of memory ---- */

void loader_diag(struct ruleset *rs, enum diag_code code, const struct src_loc *loc,
		 const struct diag_item *item, const char *fmt, ...)
{
	int saved = nomem_watch();
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(&rs->diags, code, loc, item, fmt, ap);
	va_end(ap);
	nomem_check(rs, saved);
}

/* ---- condition text ---- */

void ctext_free(struct ctext *c)
{
	free(c->s);
	free(c->segs);
	memset(c, 0, sizeof(*c));
}

int ctext_add(struct ctext *c, const struct ynode *n)
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

struct src_loc ctext_locate(void *ctx, size_t off)
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

struct src_loc node_locate(void *ctx, size_t off)
{
	return ynode_value_loc(ctx, off);
}

int opos_add(struct rule_output_pos *o, size_t start, const struct ynode *n, size_t skip)
{
	struct opiece *v = realloc(o->v, (o->n + 1) * sizeof(*v));

	if (!v)
		return -1;
	o->v = v;
	o->v[o->n++] = (struct opiece){ start, n, skip };
	return 0;
}

/* The output is n's value, trimmed as trim_dup() trims it. */
int opos_set(struct rule_output_pos *o, const struct ynode *n)
{
	o->n = 0;
	return opos_add(o, 0, n, strspn(n->str, " \t\n\r"));
}

void output_pos_free(struct rule_output_pos *o)
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

char *trim_dup(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t l = strlen(s);
	while (l && (s[l - 1] == ' ' || s[l - 1] == '\t' || s[l - 1] == '\n' || s[l - 1] == '\r'))
		l--;
	return strndup(s, l);
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
/* ---- lookup and clean-up ---- */

struct list_info *find_list(struct ruleset_priv *p, const char *name)
{
	for (size_t i = 0; i < p->nlists; i++)
		if (!strcmp(p->lists[i].name, name))
			return &p->lists[i];
	return NULL;
}

struct macro_info *find_macro(struct ruleset_priv *p, const char *name)
{
	for (size_t i = 0; i < p->nmacros; i++)
		if (!strcmp(p->macros[i].name, name))
			return &p->macros[i];
	return NULL;
}

struct rule_info *find_rule(struct ruleset_priv *p, const char *name)
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

void exc_free(struct exc_info *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(e[i].name);
		free(e[i].values);
	}
	free(e);
}

void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void rule_info_clear(struct rule_info *r)
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

bool strv_has(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

/* ---- document headers: required versions ---- */

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
		if (asprintf(&s, "%d.%d.%d", ver[0], ver[1], ver[2]) < 0) {
			loader_nomem(rs);
			return;
		}
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
	if (!out->name || !out->version)
		return loader_nomem(r->rs), false;
	return true;
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
				if (!a)
					loader_nomem(rs);
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
		if (ok && !slot)
			loader_nomem(rs);
		if (slot)
			*slot = req;
		else
			plugin_req_free(&req);
	}
}

/* ---- files and documents ---- */

/* A file or directory that could not be opened or read: out of memory
 * too if that was why. */
static void io_error(struct ruleset *rs, const char *path)
{
	int e = errno;

	loader_diag(rs, DIAG_E_IO, NULL, NULL, "%s: %s", path, strerror(e));
	if (e == ENOMEM)
		loader_nomem(rs);
}

static void read_item(struct ruleset *rs, const struct ynode *item)
{
	struct rd r = { rs, mkitem("item", "", ynode_loc(item)), item };
	if (item->kind != Y_MAP) {
		loader_diag(
			rs, DIAG_E_SCHEMA, &r.item.loc, NULL,
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
		loader_diag(rs, DIAG_W_UNKNOWN_ITEM, &r.item.loc, NULL, "Unknown top level item");
	}
}

int ruleset_load_string(struct ruleset *rs, const char *name, const char *buf, size_t len)
{
	struct ruleset_priv *p = rs->priv;
	size_t before = rs->diags.nerrors;
	if (p->finished) {
		loader_diag(rs, DIAG_E_IO, NULL, NULL, "%s: ruleset already finished", name);
		return -1;
	}
	int saved = nomem_watch();
	struct ydoc *d = ydoc_load(name, buf, len, &rs->diags);
	nomem_check(rs, saved);
	char **f = PUSH(rs->files, rs->nfiles);
	if (f && !(*f = strdup(name)))
		rs->nfiles--, f = NULL;
	if (!f)
		loader_nomem(rs);
	if (!d)
		return -1;
	struct ydoc **slot = PUSH(p->docs, p->ndocs);
	if (!slot) {
		ydoc_free(d);
		return loader_nomem(rs);
	}
	*slot = d;
	for (size_t i = 0; i < d->ndocs; i++) {
		const struct ynode *root = d->docs[i];
		if (ynode_is_null(root))
			continue;
		if (root->kind != Y_SEQ) {
			struct src_loc l = ynode_loc(root);
			loader_diag(rs, DIAG_E_SCHEMA, &l, NULL,
				    "Rules content is not yaml array of objects (found %s)",
				    ynode_kind_str(root));
			continue;
		}
		for (size_t j = 0; j < root->n; j++) {
			if (ynode_is_null(root->items[j]))
				continue;
			saved = nomem_watch();
			read_item(rs, root->items[j]);
			nomem_check(rs, saved);
		}
	}
	return rs->diags.nerrors > before || p->nomem ? -1 : 0;
}

/* A rules file is text: over 256 MiB is a mistake, not a rule set. */
#define RULES_FILE_MAX ((size_t)256 << 20)

static int load_file(struct ruleset *rs, const char *path)
{
	char *buf;
	size_t len;
	int r = file_read(path, RULES_FILE_MAX, &buf, &len);

	if (r == -ENOMEM)
		return loader_nomem(rs); /* not a partial file: fail */
	if (r) {
		errno = -r;
		io_error(rs, path);
		return -1;
	}
	r = ruleset_load_string(rs, path, buf, len);
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
		io_error(rs, path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return load_file(rs, path);
	DIR *d = opendir(path);
	if (!d) {
		io_error(rs, path);
		return -1;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !yaml_name(e->d_name))
			continue;
		char *full;
		if (asprintf(&full, "%s/%s", path, e->d_name) < 0) {
			loader_nomem(rs);
			continue;
		}
		struct stat fs;
		char **slot = NULL;
		if (stat(full, &fs) || !S_ISREG(fs.st_mode)) {
			free(full);
			continue;
		}
		if (!(slot = PUSH(names, n))) {
			loader_nomem(rs);
			free(full);
			continue;
		}
		*slot = full;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	int ret = rs->priv->nomem ? -1 : 0;
	for (size_t i = 0; i < n; i++) {
		if (load_file(rs, names[i]))
			ret = -1;
		free(names[i]);
	}
	free(names);
	return ret;
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
	/* Out of memory is one more error: the ruleset may be incomplete. */
	return rs->diags.nerrors + (rs->priv->nomem ? 1 : 0);
}

bool ruleset_nomem(const struct ruleset *rs)
{
	return rs->priv->nomem;
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
