/* diag.c - collection and printing of compiler diagnostics (see diag.h). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include "diag.h"

struct code_info {
	const char *str;
	enum diag_severity sev;
	const char *desc;
};

#define DIAG_INFO_(id, s, sev, d) [DIAG_##id] = { s, DIAG_SEV_##sev, d },
static const struct code_info codes[__DIAG_MAX] = { DIAG_CODES(DIAG_INFO_) };
#undef DIAG_INFO_

const char *diag_code_str(enum diag_code c)
{
	return (unsigned)c < __DIAG_MAX ? codes[c].str : "E-UNKNOWN";
}

const char *diag_code_desc(enum diag_code c)
{
	return (unsigned)c < __DIAG_MAX ? codes[c].desc : "";
}

enum diag_severity diag_code_severity(enum diag_code c)
{
	return (unsigned)c < __DIAG_MAX ? codes[c].sev : DIAG_SEV_ERROR;
}

void diag_list_init(struct diag_list *dl)
{
	memset(dl, 0, sizeof(*dl));
}

void diag_list_free(struct diag_list *dl)
{
	for (size_t i = 0; i < dl->n; i++) {
		free(dl->v[i].item_type);
		free(dl->v[i].item_name);
		free(dl->v[i].msg);
		free(dl->v[i].line_text);
	}
	free(dl->v);
	free(dl->srcs);
	for (size_t i = 0; i < dl->nnames; i++)
		free(dl->names[i]);
	free(dl->names);
	memset(dl, 0, sizeof(*dl));
}

void diag_list_add_source(struct diag_list *dl, const char *name, const char *buf, size_t len)
{
	if (dl->nsrcs == dl->srccap) {
		size_t nc = dl->srccap ? dl->srccap * 2 : 8;
		struct diag_source *p = realloc(dl->srcs, nc * sizeof(*p));
		if (!p)
			return;
		dl->srcs = p;
		dl->srccap = nc;
	}
	dl->srcs[dl->nsrcs++] = (struct diag_source){ name, buf, len };
}

void diag_list_drop_source(struct diag_list *dl, const char *buf)
{
	for (size_t i = 0; i < dl->nsrcs; i++) {
		if (dl->srcs[i].buf == buf) {
			memmove(&dl->srcs[i], &dl->srcs[i + 1],
				(dl->nsrcs - i - 1) * sizeof(*dl->srcs));
			dl->nsrcs--;
			return;
		}
	}
}

static const char *intern(struct diag_list *dl, const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < dl->nnames; i++)
		if (!strcmp(dl->names[i], name))
			return dl->names[i];
	char **p = realloc(dl->names, (dl->nnames + 1) * sizeof(*p));
	if (!p)
		return NULL;
	dl->names = p;
	if (!(p[dl->nnames] = strdup(name)))
		return NULL;
	return p[dl->nnames++];
}

static const struct diag_source *find_source(const struct diag_list *dl, const char *name)
{
	if (!name)
		return NULL;
	/* Latest first: a file loaded twice quotes its newest buffer. */
	for (size_t i = dl->nsrcs; i-- > 0;)
		if (dl->srcs[i].name == name || !strcmp(dl->srcs[i].name, name))
			return &dl->srcs[i];
	return NULL;
}

/* Finds line `line` (1-based) in buf; returns its start and sets *len. */
static const char *find_line(const struct diag_source *s, int line, size_t *len)
{
	const char *p = s->buf, *end = s->buf + s->len;
	for (int l = 1; l < line; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return NULL;
		p = nl + 1;
	}
	const char *e = p;
	while (e < end && *e != '\n' && *e != '\r')
		e++;
	*len = (size_t)(e - p);
	return p;
}

static char *xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static bool same_loc(const struct src_loc *a, const struct src_loc *b)
{
	if (a->line != b->line || a->col != b->col)
		return false;
	if (a->file == b->file)
		return true;
	return a->file && b->file && !strcmp(a->file, b->file);
}

void diag_vadd(struct diag_list *dl, enum diag_code code, const struct src_loc *loc,
	       const struct diag_item *item, const char *fmt, va_list ap)
{
	struct diag d;
	memset(&d, 0, sizeof(d));
	d.code = code;
	d.sev = diag_code_severity(code);
	if (loc) {
		d.loc = *loc;
		d.loc.file = intern(dl, loc->file);
	}
	if (vasprintf(&d.msg, fmt, ap) < 0)
		d.msg = NULL;
	if (!d.msg)
		return;

	for (size_t i = 0; i < dl->n; i++) {
		const struct diag *o = &dl->v[i];
		if (o->code == code && same_loc(&o->loc, &d.loc) && !strcmp(o->msg, d.msg)) {
			free(d.msg);
			return;
		}
	}

	if (item && item->type) {
		d.item_type = xstrdup(item->type);
		d.item_name = xstrdup(item->name ? item->name : "");
		d.item_loc = item->loc;
		d.item_loc.file = intern(dl, item->loc.file);
	}
	const struct diag_source *s = find_source(dl, d.loc.file);
	if (s && d.loc.line > 0) {
		size_t len;
		const char *l = find_line(s, d.loc.line, &len);
		if (l) {
			d.line_text = strndup(l, len);
			/* Columns count characters (as libyaml marks do); the
			 * offset is in bytes, so walk UTF-8 sequences. */
			const char *p = l, *e = l + len;
			for (int c = 1; c < d.loc.col && p < e; c++) {
				p++;
				while (p < e && ((unsigned char)*p & 0xc0) == 0x80)
					p++;
			}
			d.offset = (size_t)(p - s->buf);
		}
	}

	if (dl->n == dl->cap) {
		size_t nc = dl->cap ? dl->cap * 2 : 16;
		struct diag *p = realloc(dl->v, nc * sizeof(*p));
		if (!p) {
			free(d.msg);
			free(d.item_type);
			free(d.item_name);
			free(d.line_text);
			return;
		}
		dl->v = p;
		dl->cap = nc;
	}
	dl->v[dl->n++] = d;
	if (d.sev == DIAG_SEV_ERROR)
		dl->nerrors++;
	else
		dl->nwarnings++;
}

void diag_add(struct diag_list *dl, enum diag_code code, const struct src_loc *loc,
	      const struct diag_item *item, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(dl, code, loc, item, fmt, ap);
	va_end(ap);
}

static void print_pos(FILE *f, const struct src_loc *l)
{
	fprintf(f, "%s", l->file ? l->file : "<input>");
	if (l->line > 0)
		fprintf(f, ":%d:%d", l->line, l->col);
}

void diag_print(FILE *f, const struct diag *d)
{
	print_pos(f, &d->loc);
	fprintf(f, ": %s[%s]: %s\n", d->sev == DIAG_SEV_ERROR ? "error" : "warning",
		diag_code_str(d->code), d->msg);
	if (d->item_type) {
		fprintf(f, "  in %s '%s'", d->item_type, d->item_name);
		if (d->item_loc.line > 0) {
			fputs(" (", f);
			print_pos(f, &d->item_loc);
			fputc(')', f);
		}
		fputc('\n', f);
	}
	if (d->line_text) {
		int w = fprintf(f, " %4d | ", d->loc.line) - 2;
		fprintf(f, "%s\n", d->line_text);
		fprintf(f, "%*s| ", w, "");
		/* Keep tabs so the caret lines up whatever the tab width. */
		const unsigned char *p = (const unsigned char *)d->line_text;
		for (int c = 1; c < d->loc.col && *p; c++) {
			fputc(*p == '\t' ? '\t' : ' ', f);
			p++;
			while ((*p & 0xc0) == 0x80)
				p++;
		}
		fputs("^\n", f);
	}
}

void diag_print_all(FILE *f, const struct diag_list *dl)
{
	for (size_t i = 0; i < dl->n; i++)
		diag_print(f, &dl->v[i]);
}

void diag_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void json_position(FILE *f, const struct src_loc *l, size_t offset)
{
	fputs("{\"name\":", f);
	diag_json_str(f, l->file ? l->file : "");
	fprintf(f, ",\"line\":%d,\"column\":%d,\"offset\":%zu}", l->line, l->col, offset);
}

void diag_json_array(FILE *f, const struct diag_list *dl, enum diag_severity sev)
{
	bool first = true;
	fputc('[', f);
	for (size_t i = 0; i < dl->n; i++) {
		const struct diag *d = &dl->v[i];
		if (d->sev != sev)
			continue;
		if (!first)
			fputc(',', f);
		first = false;
		fputs("{\"code\":", f);
		diag_json_str(f, diag_code_str(d->code));
		fputs(",\"codedesc\":", f);
		diag_json_str(f, diag_code_desc(d->code));
		fputs(",\"message\":", f);
		diag_json_str(f, d->msg);
		/* Falco lists locations outermost first: the item, then the
		 * exact position inside it. */
		fputs(",\"context\":{\"locations\":[", f);
		bool any = false;
		if (d->item_type) {
			fputs("{\"item_type\":", f);
			diag_json_str(f, d->item_type);
			fputs(",\"item_name\":", f);
			diag_json_str(f, d->item_name);
			fputs(",\"position\":", f);
			json_position(f, &d->item_loc, 0);
			fputc('}', f);
			any = true;
		}
		if (d->loc.line > 0) {
			if (any)
				fputc(',', f);
			fputs("{\"item_type\":", f);
			diag_json_str(f, d->item_type ? d->item_type : "file");
			fputs(",\"item_name\":", f);
			diag_json_str(f, d->item_name ? d->item_name : "");
			fputs(",\"position\":", f);
			json_position(f, &d->loc, d->offset);
			fputc('}', f);
		}
		fputs("],\"snippet\":", f);
		diag_json_str(f, d->line_text ? d->line_text : "");
		fputs("}}", f);
	}
	fputc(']', f);
}
