/* cond.c - Falco condition lexer/parser and field resolution (see cond.h).
 * The lexical rules follow libsinsp's filter parser: identifiers
 * [a-zA-Z][a-zA-Z0-9_]*, field names are two or more identifiers joined by
 * dots, bare strings are runs of anything but ()"'=, and blanks. */
#include <stdlib.h>
#include <string.h>
#include "cond.h"
#include "../lib/fields.h"
#include "../kmod/uapi/shrike.h"

#define MAX_DEPTH 1000

struct parser {
	const struct cond_input *in;
	const char *s;
	size_t n, pos;
	unsigned depth;
	bool failed;
	size_t last_start, last_len; /* last token, for messages */
};

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\b' || c == '\r' || c == '\n';
}

static bool is_space(char c) /* POSIX [:space:] */
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static struct src_loc locate(const struct cond_input *in, size_t off)
{
	if (in->locate)
		return in->locate(in->locate_ctx, off);
	struct src_loc l = { in->name, 1, 1 };
	for (size_t i = 0; i < off && i < in->len; i++) {
		if (in->text[i] == '\n') {
			l.line++;
			l.col = 1;
		} else if (((unsigned char)in->text[i] & 0xc0) != 0x80) {
			l.col++;
		}
	}
	return l;
}

__attribute__((format(printf, 4, 5))) static void perr(struct parser *p, enum diag_code code,
						       size_t off, const char *fmt, ...)
{
	if (p->failed)
		return; /* the first error is the meaningful one */
	p->failed = true;
	struct src_loc l = locate(p->in, off);
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(p->in->dl, code, &l, p->in->item, fmt, ap);
	va_end(ap);
}

static char cur(struct parser *p)
{
	return p->pos < p->n ? p->s[p->pos] : 0;
}

static bool lex_blank(struct parser *p)
{
	bool found = false;
	while (p->pos < p->n && is_blank(p->s[p->pos])) {
		p->pos++;
		found = true;
	}
	return found;
}

static void set_last(struct parser *p, size_t start)
{
	p->last_start = start;
	p->last_len = p->pos - start;
}

static bool lex_str(struct parser *p, const char *str)
{
	size_t l = strlen(str);
	if (p->n - p->pos >= l && !memcmp(p->s + p->pos, str, l)) {
		p->pos += l;
		set_last(p, p->pos - l);
		return true;
	}
	return false;
}

/* [a-zA-Z]+[a-zA-Z0-9_]* at q; returns its length (0: none). */
static size_t ident_len(const char *s, size_t n, size_t q)
{
	size_t i = q;
	if (i >= n || !is_alpha(s[i]))
		return 0;
	while (i < n && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '_'))
		i++;
	return i - q;
}

static bool lex_identifier(struct parser *p)
{
	size_t l = ident_len(p->s, p->n, p->pos);
	if (!l)
		return false;
	p->pos += l;
	set_last(p, p->pos - l);
	return true;
}

static bool lex_field_name(struct parser *p)
{
	size_t q = p->pos, l = ident_len(p->s, p->n, q), parts = 0;
	if (!l)
		return false;
	q += l;
	while (q < p->n && p->s[q] == '.' && (l = ident_len(p->s, p->n, q + 1))) {
		q += 1 + l;
		parts++;
	}
	if (!parts)
		return false;
	size_t start = p->pos;
	p->pos = q;
	set_last(p, start);
	return true;
}

/* Falco's unescaping of a quoted string's body; -1 at a bad escape, with
 * *bad set to its offset in body. */
static int unescape(const char *body, size_t len, char delim, char *out, size_t *outlen,
		    size_t *bad)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (body[i] != '\\') {
			out[o++] = body[i];
			continue;
		}
		if (++i >= len) {
			*bad = i - 1;
			return -1;
		}
		switch (body[i]) {
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		/* Falco turns "\ " into a backslash, for old rules. */
		case ' ':
		case '\\': out[o++] = '\\'; break;
		case '/': out[o++] = '/'; break;
		case '"':
		case '\'':
			if (body[i] != delim) {
				*bad = i - 1;
				return -1;
			}
			out[o++] = body[i];
			break;
		default: *bad = i - 1; return -1;
		}
	}
	*outlen = o;
	return 0;
}

/* Closing delimiter of a quoted string opening at q: the first delimiter
 * not preceded by a backslash (as Falco, even an escaped backslash). */
static size_t quote_end(const char *s, size_t n, size_t q)
{
	char d = s[q];
	for (size_t i = q + 1; i < n; i++)
		if (s[i] == d && s[i - 1] != '\\')
			return i;
	return n;
}

/* Lexes a quoted string into a freshly allocated buffer. Returns 1 if one
 * was lexed, 0 if none is here, -1 on error (reported). */
static int lex_quoted(struct parser *p, char **out, size_t *outlen)
{
	char d = cur(p);
	if (d != '\'' && d != '"')
		return 0;
	size_t start = p->pos, end = quote_end(p->s, p->n, start);
	if (end >= p->n) {
		perr(p, DIAG_E_PARSE, start, "unterminated quoted string");
		return -1;
	}
	char *buf = malloc(end - start);
	size_t bad;
	if (!buf)
		return -1;
	if (unescape(p->s + start + 1, end - start - 1, d, buf, outlen, &bad)) {
		free(buf);
		size_t at = start + 1 + bad;
		perr(p, DIAG_E_PARSE, at, "unsupported string escape sequence: \\%c",
		     at + 1 < p->n ? p->s[at + 1] : ' ');
		return -1;
	}
	buf[*outlen] = 0;
	*out = buf;
	p->pos = end + 1;
	set_last(p, start);
	return 1;
}

static bool lex_bare(struct parser *p)
{
	size_t q = p->pos;
	while (q < p->n && !is_space(p->s[q]) && !strchr("()\"'=,", p->s[q]))
		q++;
	if (q == p->pos)
		return false;
	size_t start = p->pos;
	p->pos = q;
	set_last(p, start);
	return true;
}

static bool lex_number(struct parser *p)
{
	const char *s = p->s;
	size_t q = p->pos, n = p->n;
	if (q + 2 < n && s[q] == '0' && (s[q + 1] == 'x' || s[q + 1] == 'X') &&
	    (is_alpha(s[q + 2]) || is_digit(s[q + 2]))) {
		q += 2;
		while (q < n && (is_alpha(s[q]) || is_digit(s[q])))
			q++;
	} else {
		if (q < n && (s[q] == '+' || s[q] == '-'))
			q++;
		if (q >= n || !is_digit(s[q]))
			return false;
		while (q < n && is_digit(s[q]))
			q++;
		if (q < n && s[q] == '.')
			q++;
		while (q < n && is_digit(s[q]))
			q++;
		if (q + 2 < n && (s[q] == 'e' || s[q] == 'E') &&
		    (s[q + 1] == '+' || s[q + 1] == '-') && is_digit(s[q + 2])) {
			q += 2;
			while (q < n && is_digit(s[q]))
				q++;
		}
	}
	size_t start = p->pos;
	p->pos = q;
	set_last(p, start);
	return true;
}

static const char *const transformers[] = { "val(", "tolower(", "toupper(", "b64(", "basename(" };

static bool at_transformer(struct parser *p, const char **which)
{
	for (size_t i = 0; i < sizeof(transformers) / sizeof(*transformers); i++) {
		size_t l = strlen(transformers[i]);
		if (p->n - p->pos >= l && !memcmp(p->s + p->pos, transformers[i], l)) {
			*which = transformers[i];
			return true;
		}
	}
	return false;
}

static struct ast *parse_or(struct parser *p);

static bool enter(struct parser *p)
{
	if (++p->depth >= MAX_DEPTH) {
		perr(p, DIAG_E_PARSE, p->pos, "exceeded max depth limit of %d", MAX_DEPTH);
		return false;
	}
	return true;
}

/* A missing ')' is found where the text goes on without it, which can be
 * far from the '(' it closes: the message names where that one opened. */
static void missing_paren(struct parser *p, size_t open)
{
	struct src_loc l = locate(p->in, open);
	size_t at = p->pos;

	/* At the end of the text, just after its last token rather than
	 * past the newline a block scalar ends with (the next line). */
	if (at == p->n)
		while (at > open + 1 && is_blank(p->s[at - 1]))
			at--;
	if (l.file)
		perr(p, DIAG_E_PARSE, at, "expected a ')' token: missing ')' (the '(' at %s:%d:%d)",
		     l.file, l.line, l.col);
	else
		perr(p, DIAG_E_PARSE, at, "expected a ')' token: missing ')' (the '(' at %d:%d)",
		     l.line, l.col);
}

/* Right after a "(": the inner expression and its ")". */
static struct ast *parse_embedded(struct parser *p)
{
	size_t open = p->pos - 1;

	if (!enter(p))
		return NULL;
	lex_blank(p);
	struct ast *a = parse_or(p);
	if (a) {
		lex_blank(p);
		if (!lex_str(p, ")")) {
			missing_paren(p, open);
			ast_free(a);
			a = NULL;
		}
	}
	p->depth--;
	return a;
}

static struct ast *new_node(struct parser *p, enum ast_kind k, size_t off)
{
	struct ast *a = ast_new(k, locate(p->in, off));
	if (!a)
		perr(p, DIAG_E_PARSE, off, "out of memory");
	return a;
}

/* field name already lexed at [start, pos); the optional [arg]. */
static struct ast *parse_field_rest(struct parser *p, size_t start)
{
	struct ast *a = new_node(p, AST_CMP, start);
	if (!a)
		return NULL;
	a->field = strndup(p->s + start, p->pos - start);
	if (!a->field)
		goto oom;
	if (lex_str(p, "[")) {
		char *q;
		size_t ql;
		int r = lex_quoted(p, &q, &ql);
		if (r < 0)
			goto fail;
		if (r > 0) {
			a->arg = q;
		} else {
			size_t s0 = p->pos;
			while (p->pos < p->n && !is_space(cur(p)) && !strchr("[]\"'", cur(p)))
				p->pos++;
			if (p->pos == s0) {
				perr(p, DIAG_E_PARSE, p->pos,
				     "expected a valid field argument: a quoted string or a bare string");
				goto fail;
			}
			a->arg = strndup(p->s + s0, p->pos - s0);
			if (!a->arg)
				goto oom;
		}
		if (!lex_str(p, "]")) {
			perr(p, DIAG_E_PARSE, p->pos, "expected a ']' token");
			goto fail;
		}
	}
	return a;
oom:
	perr(p, DIAG_E_PARSE, start, "out of memory");
fail:
	ast_free(a);
	return NULL;
}

static int add_value(struct parser *p, struct ast *a, const char *s, size_t len, bool quoted,
		     size_t off)
{
	if (ast_add_value(a, s, len, quoted, locate(p->in, off))) {
		perr(p, DIAG_E_PARSE, off, "out of memory");
		return -1;
	}
	return 0;
}

static bool reject_transformer(struct parser *p)
{
	const char *t;
	if (!at_transformer(p, &t))
		return false;
	perr(p, DIAG_E_UNSUPPORTED, p->pos, "field transformer '%.*s' is not supported",
	     (int)strlen(t) - 1, t);
	return true;
}

/* A string value: quoted or bare. 1 lexed, 0 none here, -1 error. */
static int parse_str_value(struct parser *p, struct ast *a)
{
	lex_blank(p);
	size_t start = p->pos;
	char *q;
	size_t ql;
	int r = lex_quoted(p, &q, &ql);
	if (r < 0)
		return -1;
	if (r > 0) {
		r = add_value(p, a, q, ql, true, start);
		free(q);
		return r ? -1 : 1;
	}
	if (lex_bare(p))
		return add_value(p, a, p->s + start, p->pos - start, false, start) ? -1 : 1;
	return 0;
}

static int parse_list_value(struct parser *p, struct ast *a)
{
	lex_blank(p);
	size_t start = p->pos;
	a->is_list = true;
	if (lex_str(p, "(")) {
		lex_blank(p);
		int r = parse_str_value(p, a);
		if (r < 0)
			return -1;
		if (r > 0) {
			lex_blank(p);
			while (lex_str(p, ",")) {
				r = parse_str_value(p, a);
				if (r < 0)
					return -1;
				if (!r) {
					perr(p, DIAG_E_PARSE, p->pos, "expected a string value");
					return -1;
				}
				lex_blank(p);
			}
		}
		if (!lex_str(p, ")")) {
			missing_paren(p, start);
			return -1;
		}
		return 0;
	}
	if (reject_transformer(p))
		return -1;
	/* A bare list name: expanded like a one-element (name). */
	if (lex_identifier(p))
		return add_value(p, a, p->s + start, p->pos - start, false, start);
	perr(p, DIAG_E_PARSE, p->pos,
	     "expected a list, an identifier, or a field with a valid transformer");
	return -1;
}

struct opdef {
	const char *s;
	int op;
	bool word; /* needs a blank after it */
};

static const struct opdef num_ops[] = {
	{ "<=", SHRIKE_CMP_LE, false },
	{ "<", SHRIKE_CMP_LT, false },
	{ ">=", SHRIKE_CMP_GE, false },
	{ ">", SHRIKE_CMP_GT, false },
};
static const struct opdef str_ops[] = {
	{ "==", SHRIKE_CMP_EQ, false },
	{ "=", SHRIKE_CMP_EQ, false },
	{ "!=", SHRIKE_CMP_NE, false },
	{ "glob", SHRIKE_CMP_GLOB, true },
	{ "iglob", SHRIKE_CMP_IGLOB, true },
	{ "contains", SHRIKE_CMP_CONTAINS, true },
	{ "icontains", SHRIKE_CMP_ICONTAINS, true },
	{ "bcontains", SHRIKE_CMP_BCONTAINS, true },
	{ "startswith", SHRIKE_CMP_STARTSWITH, true },
	{ "bstartswith", SHRIKE_CMP_BSTARTSWITH, true },
	{ "endswith", SHRIKE_CMP_ENDSWITH, true },
	{ "regex", SHRIKE_CMP_REGEX, true },
};
static const struct opdef list_ops[] = {
	{ "intersects", SHRIKE_CMP_INTERSECTS, false },
	{ "in", SHRIKE_CMP_IN, false },
	{ "pmatch", SHRIKE_CMP_PMATCH, false },
};

static bool lex_op(struct parser *p, const struct opdef *ops, size_t n, int *op)
{
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(ops[i].s);
		if (p->n - p->pos < l || memcmp(p->s + p->pos, ops[i].s, l))
			continue;
		/* libsinsp spells these "contains " etc.; any blank will do. */
		if (ops[i].word && (p->pos + l >= p->n || !is_blank(p->s[p->pos + l])))
			continue;
		p->pos += l;
		set_last(p, p->pos - l);
		*op = ops[i].op;
		return true;
	}
	return false;
}

#define NOPS(a) (sizeof(a) / sizeof(*(a)))

static struct ast *parse_condition(struct parser *p, struct ast *a)
{
	int op;
	lex_blank(p);
	if (lex_str(p, "exists")) {
		a->op = SHRIKE_CMP_EXISTS;
		return a;
	}
	if (lex_op(p, num_ops, NOPS(num_ops), &op)) {
		a->op = op;
		lex_blank(p);
		size_t start = p->pos;
		if (reject_transformer(p))
			goto fail;
		if (!lex_number(p) &&
		    !(lex_bare(p) && p->in->is_list &&
		      p->in->is_list(p->in->is_list_ctx, p->s + start, p->pos - start))) {
			perr(p, DIAG_E_PARSE, start, "expected a number value");
			goto fail;
		}
		if (add_value(p, a, p->s + start, p->pos - start, false, start))
			goto fail;
		return a;
	}
	if (lex_op(p, str_ops, NOPS(str_ops), &op)) {
		a->op = op;
		lex_blank(p);
		if (reject_transformer(p))
			goto fail;
		int r = parse_str_value(p, a);
		if (r < 0)
			goto fail;
		if (!r) {
			perr(p, DIAG_E_PARSE, p->pos, "expected a string value");
			goto fail;
		}
		return a;
	}
	if (lex_op(p, list_ops, NOPS(list_ops), &op)) {
		a->op = op;
		if (parse_list_value(p, a))
			goto fail;
		return a;
	}
	perr(p, DIAG_E_PARSE, p->pos,
	     "expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', '==', '=', '!=', "
	     "'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', "
	     "'endswith', 'regex', 'intersects', 'in', 'pmatch'");
fail:
	ast_free(a);
	return NULL;
}

static struct ast *parse_check(struct parser *p)
{
	lex_blank(p);
	size_t start = p->pos;
	if (lex_str(p, "("))
		return parse_embedded(p);
	if (lex_field_name(p)) {
		struct ast *a = parse_field_rest(p, start);
		return a ? parse_condition(p, a) : NULL;
	}
	if (reject_transformer(p))
		return NULL;
	if (lex_identifier(p)) {
		struct ast *a = new_node(p, AST_MACRO, start);
		if (a && !(a->field = strndup(p->s + start, p->pos - start))) {
			ast_free(a);
			perr(p, DIAG_E_PARSE, start, "out of memory");
			return NULL;
		}
		return a;
	}
	perr(p, DIAG_E_PARSE, p->pos, "expected a '(' token, a field check, or an identifier");
	return NULL;
}

/* "not" followed by a blank (Falco: not[[:space:]]+). */
static bool lex_not_blank(struct parser *p)
{
	if (p->n - p->pos < 4 || memcmp(p->s + p->pos, "not", 3) || !is_space(p->s[p->pos + 3]))
		return false;
	p->pos += 3;
	while (p->pos < p->n && is_space(cur(p)))
		p->pos++;
	return true;
}

static struct ast *parse_not(struct parser *p)
{
	if (!enter(p))
		return NULL;
	lex_blank(p);
	size_t start = p->pos;
	bool is_not = false;
	struct ast *child;
	while (lex_not_blank(p))
		is_not = !is_not;
	if (lex_str(p, "not(")) {
		is_not = !is_not;
		child = parse_embedded(p);
	} else {
		child = parse_check(p);
	}
	p->depth--;
	if (child && is_not) {
		struct ast *n = new_node(p, AST_NOT, start);
		if (!n) {
			ast_free(child);
			return NULL;
		}
		n->l = child;
		return n;
	}
	return child;
}

/* One level of and/or: operands joined left-deep; "and(" / "or(" allowed. */
static struct ast *parse_chain(struct parser *p, const char *kw, enum ast_kind kind,
			       struct ast *(*sub)(struct parser *))
{
	if (!enter(p))
		return NULL;
	lex_blank(p);
	size_t start = p->pos;
	struct ast *a = sub(p);
	if (!a)
		goto out;
	lex_blank(p);
	while (lex_str(p, kw)) {
		struct ast *r;
		if (!lex_blank(p)) {
			if (!lex_str(p, "(")) {
				perr(p, DIAG_E_PARSE, p->pos, "expected blank or '(' after '%s'",
				     kw);
				ast_free(a);
				a = NULL;
				goto out;
			}
			r = parse_embedded(p);
		} else {
			r = sub(p);
		}
		if (!r) {
			ast_free(a);
			a = NULL;
			goto out;
		}
		a = ast_binary(kind, a, r, locate(p->in, start));
		if (!a) {
			perr(p, DIAG_E_PARSE, start, "out of memory");
			goto out;
		}
		lex_blank(p);
	}
out:
	p->depth--;
	return a;
}

static struct ast *parse_and(struct parser *p)
{
	return parse_chain(p, "and", AST_AND, parse_not);
}

static struct ast *parse_or(struct parser *p)
{
	return parse_chain(p, "or", AST_OR, parse_and);
}

static void parser_init(struct parser *p, const struct cond_input *in)
{
	memset(p, 0, sizeof(*p));
	p->in = in;
	p->s = in->text ? in->text : "";
	p->n = in->text ? in->len : 0;
}

struct ast *cond_parse(const struct cond_input *in)
{
	struct parser p;
	parser_init(&p, in);
	if (!p.n) {
		perr(&p, DIAG_E_PARSE, 0, "filter input string is empty");
		return NULL;
	}
	struct ast *a = parse_or(&p);
	if (a && p.pos != p.n) {
		if (p.last_len)
			perr(&p, DIAG_E_PARSE, p.pos,
			     "unexpected token after '%.*s', expecting 'or', 'and'",
			     (int)p.last_len, p.s + p.last_start);
		else
			perr(&p, DIAG_E_PARSE, p.pos, "unexpected token, expecting 'or', 'and'");
		ast_free(a);
		return NULL;
	}
	if (p.failed) {
		ast_free(a);
		return NULL;
	}
	return a;
}

struct ast *cond_parse_field(const struct cond_input *in)
{
	struct parser p;
	parser_init(&p, in);
	lex_blank(&p);
	size_t start = p.pos;
	struct ast *a = NULL;
	if (!lex_field_name(&p)) {
		perr(&p, DIAG_E_PARSE, p.pos, "expected a field name");
		return NULL;
	}
	a = parse_field_rest(&p, start);
	if (!a)
		return NULL;
	lex_blank(&p);
	if (p.pos != p.n) {
		perr(&p, DIAG_E_PARSE, p.pos, "unexpected text after the field name");
		ast_free(a);
		return NULL;
	}
	return a;
}

int cond_parse_list(const struct cond_input *in, struct ast *a)
{
	struct parser p;
	parser_init(&p, in);
	if (parse_list_value(&p, a))
		return -1;
	lex_blank(&p);
	if (p.pos != p.n) {
		perr(&p, DIAG_E_PARSE, p.pos, "unexpected text after the list");
		return -1;
	}
	return 0;
}

int cond_add_item(struct ast *a, const char *s, size_t len, struct src_loc loc)
{
	if (len >= 2 && (s[0] == '"' || s[0] == '\'') && quote_end(s, len, 0) == len - 1) {
		char *buf = malloc(len);
		size_t ol, bad;
		if (!buf)
			return -1;
		if (!unescape(s + 1, len - 2, s[0], buf, &ol, &bad)) {
			int r = ast_add_value(a, buf, ol, true, loc);
			free(buf);
			return r;
		}
		free(buf);
	}
	/* Falco quotes items containing spaces before pasting them. */
	return ast_add_value(a, s, len, memchr(s, ' ', len) != NULL, loc);
}

int cond_op_lookup(const char *s)
{
	static const struct {
		const char *s;
		int op;
	} all[] = {
		{ "=", SHRIKE_CMP_EQ },
		{ "==", SHRIKE_CMP_EQ },
		{ "!=", SHRIKE_CMP_NE },
		{ "<", SHRIKE_CMP_LT },
		{ "<=", SHRIKE_CMP_LE },
		{ ">", SHRIKE_CMP_GT },
		{ ">=", SHRIKE_CMP_GE },
		{ "contains", SHRIKE_CMP_CONTAINS },
		{ "icontains", SHRIKE_CMP_ICONTAINS },
		{ "bcontains", SHRIKE_CMP_BCONTAINS },
		{ "startswith", SHRIKE_CMP_STARTSWITH },
		{ "bstartswith", SHRIKE_CMP_BSTARTSWITH },
		{ "endswith", SHRIKE_CMP_ENDSWITH },
		{ "glob", SHRIKE_CMP_GLOB },
		{ "iglob", SHRIKE_CMP_IGLOB },
		{ "pmatch", SHRIKE_CMP_PMATCH },
		{ "in", SHRIKE_CMP_IN },
		{ "intersects", SHRIKE_CMP_INTERSECTS },
		{ "exists", SHRIKE_CMP_EXISTS },
		{ "regex", SHRIKE_CMP_REGEX },
	};
	for (size_t i = 0; i < NOPS(all); i++)
		if (!strcmp(all[i].s, s))
			return all[i].op;
	return -1;
}

bool cond_op_takes_list(int op)
{
	return op == SHRIKE_CMP_IN || op == SHRIKE_CMP_INTERSECTS || op == SHRIKE_CMP_PMATCH;
}

static const char *source_name(int src)
{
	switch (src) {
	case SHRIKE_SRC_SYSCALL: return "syscall";
	case SHRIKE_SRC_K8S_AUDIT: return "k8s_audit";
	default: return "?";
	}
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!is_digit(*s))
			return false;
	return true;
}

static int resolve_one(struct ast *a, int source, struct diag_list *dl,
		       const struct diag_item *item, bool unknown_is_ok, int *unknown)
{
	size_t len = strlen(a->field);
	const struct field_info *fi = field_lookup(a->field, len);
	if (!fi && !a->arg) {
		/* Longest known prefix that takes a dotted argument. */
		for (size_t i = len; i-- > 1;) {
			if (a->field[i] != '.')
				continue;
			const struct field_info *pf = field_lookup(a->field, i);
			if (pf &&
			    (pf->argkind == SHRIKE_ARGK_NAME || pf->argkind == SHRIKE_ARGK_KEY)) {
				char *arg = strdup(a->field + i + 1);
				if (!arg)
					return -1;
				a->arg = arg;
				a->field[i] = 0;
				fi = pf;
				break;
			}
		}
	}
	if (!fi) {
		(*unknown)++;
		if (!unknown_is_ok)
			diag_add(dl, DIAG_E_UNKNOWN_FIELD, &a->field_loc, item,
				 "unknown field '%s'", a->field);
		return 0;
	}
	if (a->arg && fi->argkind == SHRIKE_ARGK_NONE) {
		diag_add(dl, DIAG_E_FIELD_ARG, &a->field_loc, item,
			 "field '%s' does not take an argument", a->field);
		return -1;
	}
	/* evt.arg alone names no value; the table format has no such test. */
	if (!a->arg && field_arg_required(fi)) {
		diag_add(dl, DIAG_E_FIELD_ARG, &a->field_loc, item,
			 "field '%s' requires an argument", a->field);
		return -1;
	}
	if (a->arg && fi->argkind == SHRIKE_ARGK_INDEX && !all_digits(a->arg)) {
		diag_add(dl, DIAG_E_FIELD_ARG, &a->field_loc, item,
			 "field '%s' takes a numeric argument, not '%s'", a->field, a->arg);
		return -1;
	}
	if (source >= 0 && fi->source != source) {
		diag_add(dl, DIAG_E_FIELD_SOURCE, &a->field_loc, item,
			 "field '%s' belongs to source '%s', not to this rule's source '%s'",
			 a->field, source_name(fi->source), source_name(source));
		return -1;
	}
	return 0;
}

/* In source order, so that several errors come out top to bottom. */
static int resolve_rec(struct ast *a, int source, struct diag_list *dl,
		       const struct diag_item *item, bool unknown_is_ok, int *unknown)
{
	int ret = 0;
	if (!a)
		return 0;
	if (a->l && resolve_rec(a->l, source, dl, item, unknown_is_ok, unknown))
		ret = -1;
	if (a->kind == AST_CMP && a->field &&
	    resolve_one(a, source, dl, item, unknown_is_ok, unknown))
		ret = -1;
	if (a->r && resolve_rec(a->r, source, dl, item, unknown_is_ok, unknown))
		ret = -1;
	return ret;
}

/*
 * fd.ip, fd.net and fd.port match either end of a connection, as libsinsp's
 * compare_ip, compare_net and compare_port: "!=" holds when both the client's
 * and the server's value differ, every other operator when either end's
 * value satisfies it. Each such comparison becomes the two per-end ones the
 * kernel computes, joined by "and" ("!=") or "or". A fd that is no socket
 * has neither, so all of them are false there, as in libsinsp.
 */
static const struct {
	const char *field, *client, *server;
} either_end[] = {
	{ "fd.ip", "fd.cip", "fd.sip" },
	{ "fd.net", "fd.cnet", "fd.snet" },
	{ "fd.port", "fd.cport", "fd.sport" },
};

static int split_either_end(struct ast *a)
{
	struct ast *c, *s;
	size_t i;

	if (!a)
		return 0;
	if (a->kind != AST_CMP)
		return split_either_end(a->l) || split_either_end(a->r) ? -1 : 0;
	for (i = 0; i < sizeof(either_end) / sizeof(either_end[0]); i++)
		if (a->field && !strcmp(a->field, either_end[i].field))
			break;
	if (i == sizeof(either_end) / sizeof(either_end[0]) || a->op == SHRIKE_CMP_EXISTS)
		return 0;
	c = ast_clone(a);
	s = ast_clone(a);
	if (c) {
		free(c->field);
		c->field = strdup(either_end[i].client);
	}
	if (s) {
		free(s->field);
		s->field = strdup(either_end[i].server);
	}
	if (!c || !s || !c->field || !s->field) {
		ast_free(c);
		ast_free(s);
		return -1;
	}
	free(a->field);
	free(a->arg);
	ast_values_free(a->values, a->nvalues);
	a->field = a->arg = NULL;
	a->values = NULL;
	a->nvalues = 0;
	a->kind = a->op == SHRIKE_CMP_NE ? AST_AND : AST_OR;
	a->l = c;
	a->r = s;
	return 0;
}

int cond_resolve_fields(struct ast *a, int source, struct diag_list *dl,
			const struct diag_item *item, bool unknown_is_ok)
{
	int unknown = 0;
	if (resolve_rec(a, source, dl, item, unknown_is_ok, &unknown))
		return -1;
	if (split_either_end(a))
		return -1;
	if (unknown && !unknown_is_ok)
		return -1;
	return unknown;
}
