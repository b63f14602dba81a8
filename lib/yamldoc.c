/* yamldoc.c - YAML file -> position-carrying tree, with libyaml's event API,
 * and the mapping from a scalar's value back to file positions. */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "yamldoc.h"

struct anchor {
	char *name;
	struct ynode *node;
};

struct builder {
	struct ydoc *d;
	struct ynode **stack;
	size_t depth, cap;
	struct anchor *anchors;
	size_t nanchors, anchorcap;
	struct diag_list *dl;
	bool failed;
};

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 8;
	while (nc < need)
		nc *= 2;
	void *q = realloc(*p, nc * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = nc;
	return 0;
}

static void index_lines(struct ydoc *d)
{
	size_t n = 1;
	for (size_t i = 0; i < d->len; i++)
		if (d->buf[i] == '\n')
			n++;
	d->lines = malloc(n * sizeof(size_t));
	if (!d->lines)
		return;
	d->nlines = 0;
	d->lines[d->nlines++] = 0;
	for (size_t i = 0; i < d->len; i++)
		if (d->buf[i] == '\n')
			d->lines[d->nlines++] = i + 1;
}

/* libyaml marks count characters; offsets are bytes. */
static size_t mark_offset(const struct ydoc *d, const yaml_mark_t *m)
{
	if (!d->lines || m->line >= d->nlines)
		return d->len;
	size_t p = d->lines[m->line];
	for (size_t c = 0; c < m->column && p < d->len && d->buf[p] != '\n'; c++) {
		p++;
		while (p < d->len && ((unsigned char)d->buf[p] & 0xc0) == 0x80)
			p++;
	}
	return p;
}

static struct ymark to_ymark(const struct ydoc *d, const yaml_mark_t *m)
{
	struct ymark y = { (int)m->line + 1, (int)m->column + 1, mark_offset(d, m) };
	return y;
}

struct ymark ydoc_offset_mark(const struct ydoc *d, size_t off)
{
	struct ymark y = { 1, 1, off };
	if (!d->lines || !d->nlines)
		return y;
	if (off > d->len)
		off = d->len;
	size_t lo = 0, hi = d->nlines;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (d->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	int col = 1;
	for (size_t p = d->lines[lo]; p < off; p++)
		if (((unsigned char)d->buf[p] & 0xc0) != 0x80)
			col++;
	y.line = (int)lo + 1;
	y.col = col;
	y.offset = off;
	return y;
}

static struct ynode *new_node(struct builder *b, enum ynode_kind k, const yaml_event_t *ev)
{
	struct ydoc *d = b->d;
	if (grow((void **)&d->all, &d->allcap, d->nall + 1, sizeof(*d->all)))
		return NULL;
	struct ynode *n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	d->all[d->nall++] = n;
	n->kind = k;
	n->doc = d;
	n->start = to_ymark(d, &ev->start_mark);
	n->end = to_ymark(d, &ev->end_mark);
	return n;
}

static void yaml_error(struct builder *b, const yaml_mark_t *m, const char *msg)
{
	struct ymark y = to_ymark(b->d, m);
	struct src_loc l = { b->d->name, y.line, y.col };
	diag_add(b->dl, DIAG_E_YAML, &l, NULL, "%s", msg);
	b->failed = true;
}

static int add_anchor(struct builder *b, const yaml_char_t *name, struct ynode *n)
{
	if (!name)
		return 0;
	if (grow((void **)&b->anchors, &b->anchorcap, b->nanchors + 1, sizeof(*b->anchors)))
		return -1;
	b->anchors[b->nanchors].name = strdup((const char *)name);
	b->anchors[b->nanchors].node = n;
	if (!b->anchors[b->nanchors].name)
		return -1;
	b->nanchors++;
	return 0;
}

/* Attaches a finished node to the container on top of the stack. */
static int attach(struct builder *b, struct ynode *n)
{
	if (!b->depth) {
		struct ydoc *d = b->d;
		struct ynode **p = realloc(d->docs, (d->ndocs + 1) * sizeof(*p));
		if (!p)
			return -1;
		d->docs = p;
		d->docs[d->ndocs++] = n;
		return 0;
	}
	struct ynode *parent = b->stack[b->depth - 1];
	size_t cnt = parent->kind == Y_MAP ? 0 : parent->n;
	/* Maps count pairs but store keys and values flat; a map's slot count
	 * is tracked in the unused scalar length. */
	if (parent->kind == Y_MAP)
		cnt = parent->len;
	struct ynode **p = realloc(parent->items, (cnt + 1) * sizeof(*p));
	if (!p)
		return -1;
	parent->items = p;
	parent->items[cnt] = n;
	if (parent->kind == Y_MAP) {
		parent->len = cnt + 1;
		parent->n = parent->len / 2;
	} else {
		parent->n = cnt + 1;
	}
	return 0;
}

static enum yscalar_style style_of(yaml_scalar_style_t s)
{
	switch (s) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE: return YS_SINGLE;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return YS_DOUBLE;
	case YAML_LITERAL_SCALAR_STYLE: return YS_LITERAL;
	case YAML_FOLDED_SCALAR_STYLE: return YS_FOLDED;
	default: return YS_PLAIN;
	}
}

static int handle(struct builder *b, const yaml_event_t *ev)
{
	struct ynode *n;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		b->nanchors = 0; /* anchors are per document */
		return 0;
	case YAML_DOCUMENT_END_EVENT:
		for (size_t i = 0; i < b->nanchors; i++)
			free(b->anchors[i].name);
		b->nanchors = 0;
		return 0;
	case YAML_SCALAR_EVENT:
		n = new_node(b, Y_SCALAR, ev);
		if (!n)
			return -1;
		n->style = style_of(ev->data.scalar.style);
		n->tagged = ev->data.scalar.tag && !ev->data.scalar.plain_implicit &&
			    !ev->data.scalar.quoted_implicit;
		n->len = ev->data.scalar.length;
		n->str = malloc(n->len + 1);
		if (!n->str)
			return -1;
		memcpy(n->str, ev->data.scalar.value, n->len);
		n->str[n->len] = 0;
		if (add_anchor(b, ev->data.scalar.anchor, n))
			return -1;
		return attach(b, n);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		n = new_node(b, ev->type == YAML_SEQUENCE_START_EVENT ? Y_SEQ : Y_MAP, ev);
		if (!n)
			return -1;
		if (add_anchor(b,
			       ev->type == YAML_SEQUENCE_START_EVENT
				       ? ev->data.sequence_start.anchor
				       : ev->data.mapping_start.anchor,
			       n))
			return -1;
		if (attach(b, n))
			return -1;
		if (grow((void **)&b->stack, &b->cap, b->depth + 1, sizeof(*b->stack)))
			return -1;
		b->stack[b->depth++] = n;
		return 0;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (b->depth) {
			n = b->stack[--b->depth];
			n->end = to_ymark(b->d, &ev->end_mark);
			if (n->kind == Y_MAP)
				n->len = 0;
		}
		return 0;
	case YAML_ALIAS_EVENT:
		for (size_t i = b->nanchors; i-- > 0;)
			if (!strcmp(b->anchors[i].name, (const char *)ev->data.alias.anchor))
				return attach(b, b->anchors[i].node);
		yaml_error(b, &ev->start_mark, "found undefined alias");
		return 1;
	default: return 0;
	}
}

struct ydoc *ydoc_load(const char *name, const char *buf, size_t len, struct diag_list *dl)
{
	struct ydoc *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->name = strdup(name);
	d->buf = malloc(len + 1);
	if (!d->name || !d->buf) {
		ydoc_free(d);
		return NULL;
	}
	memcpy(d->buf, buf, len);
	d->buf[len] = 0;
	d->len = len;
	index_lines(d);
	diag_list_add_source(dl, d->name, d->buf, d->len);

	struct builder b = { .d = d, .dl = dl };
	yaml_parser_t p;
	yaml_event_t ev;
	if (!yaml_parser_initialize(&p)) {
		ydoc_free(d);
		return NULL;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)d->buf, d->len);
	for (;;) {
		if (!yaml_parser_parse(&p, &ev)) {
			char msg[512];
			if (p.context)
				snprintf(msg, sizeof(msg), "%s %s",
					 p.problem ? p.problem : "syntax error", p.context);
			else
				snprintf(msg, sizeof(msg), "%s",
					 p.problem ? p.problem : "syntax error");
			yaml_error(&b, &p.problem_mark, msg);
			break;
		}
		int r = handle(&b, &ev);
		bool end = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		if (r < 0) {
			yaml_error(&b, &p.mark, "out of memory");
			break;
		}
		if (r > 0 || end)
			break;
	}
	yaml_parser_delete(&p);
	for (size_t i = 0; i < b.nanchors; i++)
		free(b.anchors[i].name);
	free(b.anchors);
	free(b.stack);
	if (b.failed) {
		diag_list_drop_source(dl, d->buf);
		ydoc_free(d);
		return NULL;
	}
	return d;
}

void ydoc_free(struct ydoc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nall; i++) {
		free(d->all[i]->str);
		free(d->all[i]->items);
		free(d->all[i]);
	}
	free(d->all);
	free(d->docs);
	free(d->lines);
	free(d->buf);
	free(d->name);
	free(d);
}

const struct ynode *ymap_get(const struct ynode *map, const char *key)
{
	if (!map || map->kind != Y_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++) {
		const struct ynode *k = map->items[2 * i];
		if (k->kind == Y_SCALAR && !strcmp(k->str, key))
			return map->items[2 * i + 1];
	}
	return NULL;
}

bool ynode_is_null(const struct ynode *n)
{
	if (!n)
		return true;
	if (n->kind != Y_SCALAR || n->style != YS_PLAIN || n->tagged)
		return false;
	return !strcmp(n->str, "") || !strcmp(n->str, "~") || !strcmp(n->str, "null") ||
	       !strcmp(n->str, "Null") || !strcmp(n->str, "NULL");
}

const char *ynode_kind_str(const struct ynode *n)
{
	if (!n)
		return "nothing";
	switch (n->kind) {
	case Y_SEQ: return "a sequence";
	case Y_MAP: return "a mapping";
	default: return "a scalar";
	}
}

static size_t utf8_len(unsigned long cp)
{
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

static unsigned long hexval(const char *s, size_t n)
{
	unsigned long v = 0;
	for (size_t i = 0; i < n && s[i]; i++) {
		char c = s[i];
		int x = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : 0;
		v = v * 16 + (unsigned long)x;
	}
	return v;
}

/* Walks the scalar's source alongside its value: value bytes are matched to
 * source bytes in order, and whatever YAML drops (quotes, block indentation,
 * line-folding whitespace, escape spellings) is skipped. Every non-blank byte
 * of the value lands exactly on its source byte. */
static size_t value_offset(const struct ynode *n, size_t off)
{
	const struct ydoc *d = n->doc;
	const char *buf = d->buf, *v = n->str;
	size_t p = n->start.offset, e = n->end.offset, i = 0;
	bool block = n->style == YS_LITERAL || n->style == YS_FOLDED;
	size_t indent = 0;
	bool line_start = false;

	if (e > d->len)
		e = d->len;
	if (off > n->len)
		off = n->len;
	if (n->style == YS_SINGLE || n->style == YS_DOUBLE)
		p++;
	if (block) {
		while (p < e && buf[p] != '\n')
			p++;
		if (p < e)
			p++;
		/* Indentation: that of the first non-blank line. */
		for (size_t q = p; q < e;) {
			size_t k = 0;
			while (q + k < e && buf[q + k] == ' ')
				k++;
			if (q + k < e && buf[q + k] != '\n' && buf[q + k] != '\r') {
				indent = k;
				break;
			}
			while (q < e && buf[q] != '\n')
				q++;
			q++;
		}
		line_start = true;
	}
	while (i < off && p < e) {
		char c = buf[p];
		if (line_start) {
			for (size_t k = 0; k < indent && p < e && buf[p] == ' '; k++)
				p++;
			line_start = false;
			continue;
		}
		if (c == '\r') {
			p++;
			continue;
		}
		if (c == '\n') {
			if (v[i] == '\n' || v[i] == ' ')
				i++;
			p++;
			line_start = block;
			/* Flow scalars drop a continuation line's indentation. */
			while (!block && p < e && (buf[p] == ' ' || buf[p] == '\t'))
				p++;
			continue;
		}
		if (n->style == YS_DOUBLE && c == '\\' && p + 1 < e) {
			char nc = buf[p + 1];
			size_t dlen = 1, slen = 2;
			if (nc == '\n' || nc == '\r') {
				p += 2;
				while (p < e && (buf[p] == ' ' || buf[p] == '\t'))
					p++;
				continue;
			}
			switch (nc) {
			case 'x':
				dlen = utf8_len(hexval(buf + p + 2, 2));
				slen = 4;
				break;
			case 'u':
				dlen = utf8_len(hexval(buf + p + 2, 4));
				slen = 6;
				break;
			case 'U':
				dlen = utf8_len(hexval(buf + p + 2, 8));
				slen = 10;
				break;
			case 'N':
			case '_': dlen = 2; break;
			case 'L':
			case 'P': dlen = 3; break;
			default: break;
			}
			if (off < i + dlen)
				return p;
			i += dlen;
			p += slen;
			continue;
		}
		if (n->style == YS_SINGLE && c == '\'' && p + 1 < e && buf[p + 1] == '\'') {
			i++;
			p += 2;
			continue;
		}
		if (v[i] == c)
			i++;
		p++;
	}
	/* Blanks the value dropped before the wanted byte are not it. */
	if (i == off && off < n->len && v[off] != ' ' && v[off] != '\t') {
		while (p < e && buf[p] != v[off] &&
		       (buf[p] == ' ' || buf[p] == '\t' || buf[p] == '\n' || buf[p] == '\r'))
			p++;
	}
	return p;
}

struct ymark ynode_value_mark(const struct ynode *n, size_t off)
{
	if (!n || !n->doc)
		return (struct ymark){ 0, 0, 0 };
	if (n->kind != Y_SCALAR || !n->str)
		return n->start;
	return ydoc_offset_mark(n->doc, value_offset(n, off));
}

struct src_loc ynode_loc(const struct ynode *n)
{
	struct src_loc l = { NULL, 0, 0 };
	if (n && n->doc) {
		l.file = n->doc->name;
		l.line = n->start.line;
		l.col = n->start.col;
	}
	return l;
}

struct src_loc ynode_value_loc(const struct ynode *n, size_t off)
{
	struct src_loc l = { NULL, 0, 0 };
	if (n && n->doc) {
		struct ymark m = ynode_value_mark(n, off);
		l.file = n->doc->name;
		l.line = m.line;
		l.col = m.col;
	}
	return l;
}
