/* test_fields_falco.c - coverage of every field and event type that
 * Falco's public rule files (../shared/falco) use: a scanner of their
 * conditions, outputs and lists. Its test cases are the fields suite's
 * "falco_rules". */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fields.h"

/*
 * Coverage of Falco's rule files
 * ==============================
 * A small line-oriented reader for the subset of YAML these files use: keys
 * "condition:", "output:" and "fields:" (exceptions) with their value on the
 * same line or continued on more indented lines, and "- list:" with
 * "items:" as a flow or block sequence.
 *
 * Conditions are lexed: a word in operand position (not right after a
 * comparison operator, not inside the (list) after in/intersects/pmatch, not
 * quoted) that contains a '.' must be a field. Values are not fields by
 * syntax, so "ldconfig.real" or "docker.io" need no exception. Outputs are
 * checked at every %token. The values compared with evt.type, lists
 * expanded, must be registered event types.
 */
#define FALCO_DIR "../shared/falco/"

static const char *const falco_files[] = {
	"falco_rules.yaml",	   "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml",
	"falco_rules.0.31.0.yaml", "k8s_audit_rules.0.31.0.yaml", "k8s_audit_rules.yaml",
};

/*
 * Field-looking tokens that are not fields. Kept explicit so that a new one
 * is a decision. Empty today: the lexer already tells values from fields.
 * A name added here must say why it is not a field.
 */
static const char *const not_fields[] = {
	NULL,
};

struct list {
	char *name;
	char **items;
	size_t n;
};

struct scan {
	struct list *lists;
	size_t nlists;
	size_t conditions, outputs, fieldrefs, evtrefs;
	size_t nfail;
	char msg[8192];
	size_t msglen;
};

static void note_fail(struct scan *s, const char *file, int line, const char *what, const char *tok,
		      size_t len)
{
	int n;

	s->nfail++;
	if (s->msglen >= sizeof(s->msg) - 200)
		return;
	n = snprintf(s->msg + s->msglen, sizeof(s->msg) - s->msglen, "\n  %s:%d: %s '%.*s'", file,
		     line, what, (int)len, tok);
	if (n > 0)
		s->msglen += (size_t)n;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static bool is_not_field(const char *tok, size_t len)
{
	size_t i;

	for (i = 0; not_fields[i]; i++)
		if (strlen(not_fields[i]) == len && !memcmp(not_fields[i], tok, len))
			return true;
	return false;
}

static void check_field(struct scan *s, const char *file, int line, const char *tok, size_t len)
{
	size_t nl;
	const struct field_info *f;

	s->fieldrefs++;
	if (is_not_field(tok, len))
		return;
	f = field_lookup_split(tok, len, &nl);
	if (!f)
		note_fail(s, file, line, "unknown field", tok, len);
	else if (field_arg_error(f, tok, nl, len))
		note_fail(s, file, line, field_arg_error(f, tok, nl, len), tok, len);
}

static struct list *find_list(struct scan *s, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < s->nlists; i++)
		if (strlen(s->lists[i].name) == len && !memcmp(s->lists[i].name, name, len))
			return &s->lists[i];
	return NULL;
}

static void check_evtype(struct scan *s, const char *file, int line, const char *v, size_t len,
			 int depth)
{
	struct list *l;
	size_t i;

	if (len >= 2 && (v[0] == '"' || v[0] == '\'') && v[len - 1] == v[0]) {
		v++;
		len -= 2;
	}
	if (!len)
		return;
	l = find_list(s, v, len);
	if (l && depth < 16) {
		for (i = 0; i < l->n; i++)
			check_evtype(s, file, line, l->items[i], strlen(l->items[i]), depth + 1);
		return;
	}
	s->evtrefs++;
	if (evtype_lookup(v, len) < 0)
		note_fail(s, file, line, "unknown event type", v, len);
}

/* Calls fn on each item of a comma/space separated, optionally bracketed
 * and quoted sequence; a block sequence's "- " markers are separators. */
static void for_each_item(const char *p, const char *end, void (*fn)(void *, const char *, size_t),
			  void *arg)
{
	while (p < end) {
		const char *q;

		if (strchr(" \t\n,[]()", *p) ||
		    (*p == '-' && (p + 1 == end || strchr(" \t\n", p[1])))) {
			p++;
			continue;
		}
		if (*p == '"' || *p == '\'') {
			q = memchr(p + 1, *p, (size_t)(end - p - 1));
			q = q ? q + 1 : end;
		} else {
			for (q = p; q < end && !strchr(" \t\n,[]()", *q); q++)
				;
		}
		fn(arg, p, (size_t)(q - p));
		p = q;
	}
}

static void add_item(void *arg, const char *v, size_t len)
{
	struct list *l = arg;

	if (len >= 2 && (v[0] == '"' || v[0] == '\'') && v[len - 1] == v[0]) {
		v++;
		len -= 2;
	}
	l->items = realloc(l->items, (l->n + 1) * sizeof(*l->items));
	ck_assert_ptr_nonnull(l->items);
	l->items[l->n++] = strndup(v, len);
}

struct evt_ctx {
	struct scan *s;
	const char *file;
	int line;
};

static void evt_item(void *arg, const char *v, size_t len)
{
	struct evt_ctx *c = arg;

	check_evtype(c->s, c->file, c->line, v, len, 0);
}

enum lex { L_END, L_LP, L_RP, L_COMMA, L_CMP, L_STR, L_WORD };

static bool is_word_end(char c)
{
	return strchr(" \t\n(),\"'=<>!", c) != NULL;
}

/* Next token of a condition from *pp; [*tok, *tok + *len) is its text. */
static enum lex next_tok(const char **pp, const char *end, const char **tok, size_t *len)
{
	const char *p = *pp, *q;
	enum lex k;

	while (p < end && strchr(" \t\n", *p))
		p++;
	*tok = p;
	if (p >= end) {
		*len = 0;
		return L_END;
	}
	q = p + 1;
	switch (*p) {
	case '(': k = L_LP; break;
	case ')': k = L_RP; break;
	case ',': k = L_COMMA; break;
	case '"':
	case '\'':
		while (q < end && *q != *p)
			q += (*q == '\\' && q + 1 < end) ? 2 : 1;
		q = q < end ? q + 1 : end;
		k = L_STR;
		break;
	case '=':
	case '!':
	case '<':
	case '>':
		if (q < end && *q == '=')
			q++;
		k = L_CMP;
		break;
	default:
		for (q = p; q < end && !is_word_end(*q); q++) {
			if (*q == '[') {
				const char *r = memchr(q, ']', (size_t)(end - q));

				q = r ? r : end - 1;
			}
		}
		k = L_WORD;
	}
	*len = (size_t)(q - p);
	*pp = q;
	return k;
}

static bool word_is(const char *w, size_t len, const char *s)
{
	return strlen(s) == len && !memcmp(w, s, len);
}

/* Skips a parenthesized list starting at p ('('), quotes respected. */
static const char *skip_list(const char *p, const char *end)
{
	int depth = 0;

	for (; p < end; p++) {
		if (*p == '"' || *p == '\'') {
			const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));

			p = q ? q : end - 1;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && --depth == 0) {
			return p + 1;
		}
	}
	return end;
}

static void scan_condition(struct scan *s, const char *file, int line, const char *p,
			   const char *end)
{
	enum { OPERAND, AFTER_CMP, AFTER_LISTOP, AFTER_FIELD } st = OPERAND;
	bool evt_type = false; /* the last field was evt.type */
	const char *tok;
	size_t len;
	enum lex k;

	s->conditions++;
	while ((k = next_tok(&p, end, &tok, &len)) != L_END) {
		if (k == L_WORD && (word_is(tok, len, "and") || word_is(tok, len, "or") ||
				    word_is(tok, len, "not"))) {
			st = OPERAND;
			continue;
		}
		if (k == L_WORD && st == AFTER_FIELD &&
		    (word_is(tok, len, "in") || word_is(tok, len, "intersects") ||
		     word_is(tok, len, "pmatch"))) {
			st = AFTER_LISTOP;
			continue;
		}
		if (k == L_WORD && st == AFTER_FIELD && word_is(tok, len, "exists")) {
			st = OPERAND;
			continue;
		}
		if (k == L_CMP || (k == L_WORD && st == AFTER_FIELD)) {
			/* "=", "<=", "contains", "startswith", "glob", ...; only
			 * = and != compare evt.type with an event type. */
			evt_type = evt_type && k == L_CMP && (tok[0] == '=' || tok[0] == '!');
			st = AFTER_CMP;
			continue;
		}
		if (st == AFTER_LISTOP && k == L_LP) {
			const char *e = skip_list(tok, end);

			if (evt_type) {
				struct evt_ctx c = { s, file, line };

				for_each_item(tok + 1, e - 1, evt_item, &c);
			}
			p = e;
			st = OPERAND;
			evt_type = false;
			continue;
		}
		if (st == AFTER_CMP || st == AFTER_LISTOP) {
			if (evt_type && (k == L_WORD || k == L_STR))
				check_evtype(s, file, line, tok, len, 0);
			st = OPERAND;
			evt_type = false;
			continue;
		}
		if (k == L_WORD && memchr(tok, '.', len)) {
			check_field(s, file, line, tok, len);
			evt_type = word_is(tok, len, "evt.type");
			st = AFTER_FIELD;
			continue;
		}
		/* Parentheses, macro and list names, transformer calls. */
		st = OPERAND;
		evt_type = false;
	}
}

static bool out_char(char c)
{
	return c == '_' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static void scan_output(struct scan *s, const char *file, int line, const char *p, const char *end)
{
	s->outputs++;
	for (; p < end; p++) {
		const char *q;

		if (*p != '%' || p + 1 >= end || p[1] < 'a' || p[1] > 'z')
			continue;
		for (q = p + 1; q < end && out_char(*q); q++)
			;
		if (q < end && *q == '[') {
			const char *r = memchr(q, ']', (size_t)(end - q));

			q = r ? r + 1 : end;
		}
		/* A sentence may end right after a field: "... %fd.name." */
		while (q[-1] == '.')
			q--;
		if (memchr(p + 1, '.', (size_t)(q - p - 1)))
			check_field(s, file, line, p + 1, (size_t)(q - p - 1));
		p = q - 1;
	}
}

static void scan_fields(struct scan *s, const char *file, int line, const char *p, const char *end)
{
	while (p < end) {
		const char *q;

		if (strchr(" \t\n,[]-\"'", *p)) {
			p++;
			continue;
		}
		for (q = p; q < end && !strchr(" \t\n,[]\"'", *q); q++)
			;
		if (memchr(p, '.', (size_t)(q - p)))
			check_field(s, file, line, p, (size_t)(q - p));
		p = q;
	}
}

struct line {
	const char *p;
	size_t len;
	size_t indent;
};

/* The text of a key's value: the rest of its line and the more indented
 * lines after it, comment lines dropped, joined with '\n'. */
static char *collect(const struct line *ln, size_t nlines, size_t i, const char *rest, size_t *next)
{
	size_t cap = 256, len = 0, j;
	char *buf = malloc(cap);
	size_t rl = (size_t)(ln[i].p + ln[i].len - rest);

	ck_assert_ptr_nonnull(buf);
	while (rl && strchr(" \t", *rest)) {
		rest++;
		rl--;
	}
	/* Block scalar indicators carry no text. */
	if (rl && (*rest == '>' || *rest == '|') && strspn(rest, ">|-+0123456789") == rl)
		rl = 0;
	for (j = i;; j++) {
		const char *t = j == i ? rest : ln[j].p + ln[j].indent;
		size_t tl = j == i ? rl : ln[j].len - ln[j].indent;

		if (j > i) {
			if (j >= nlines)
				break;
			if (tl && ln[j].indent <= ln[i].indent)
				break;
			if (tl && *t == '#')
				continue;
		}
		while (len + tl + 2 > cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		memcpy(buf + len, t, tl);
		len += tl;
		buf[len++] = '\n';
	}
	buf[len] = '\0';
	*next = j;
	return buf;
}

/* Strips quotes that make the whole value a YAML quoted scalar. */
static void unquote(char **pp, char **endp)
{
	char *p = *pp, *e = *endp;

	while (e > p && strchr(" \t\n", e[-1]))
		e--;
	if (e - p >= 2 && (*p == '"' || *p == '\'') && e[-1] == *p) {
		p++;
		e--;
	}
	*pp = p;
	*endp = e;
}

static void scan_file(struct scan *s, const char *file, bool lists_only)
{
	char path[256], *buf, *p;
	struct line *ln = NULL;
	size_t nlines = 0, i;
	struct list *cur = NULL;

	snprintf(path, sizeof(path), FALCO_DIR "%s", file);
	buf = read_file(path);
	ck_assert_msg(buf, "cannot read %s (tests run from the repo root)", path);
	for (p = buf; *p;) {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		ln = realloc(ln, (nlines + 1) * sizeof(*ln));
		ck_assert_ptr_nonnull(ln);
		ln[nlines].p = p;
		ln[nlines].len = len;
		ln[nlines].indent = strspn(p, " ");
		if (ln[nlines].indent > len)
			ln[nlines].indent = len;
		nlines++;
		p += len + (nl ? 1 : 0);
	}
	for (i = 0; i < nlines;) {
		const char *key = ln[i].p + ln[i].indent;
		const char *eol = ln[i].p + ln[i].len;
		size_t klen, next;
		char *val, *vp, *ve;

		if (key < eol && *key == '-' && key + 1 < eol && key[1] == ' ')
			key += 2;
		klen = strspn(key, "abcdefghijklmnopqrstuvwxyz_");
		if (!klen || key + klen >= eol || key[klen] != ':' ||
		    !(word_is(key, klen, "condition") || word_is(key, klen, "output") ||
		      word_is(key, klen, "fields") || word_is(key, klen, "list") ||
		      word_is(key, klen, "items"))) {
			if (key < eol && *key != '#' && ln[i].indent == 0)
				cur = NULL;
			i++;
			continue;
		}
		val = collect(ln, nlines, i, key + klen + 1, &next);
		vp = val;
		ve = val + strlen(val);
		if (word_is(key, klen, "list")) {
			unquote(&vp, &ve);
			cur = lists_only ? find_list(s, vp, (size_t)(ve - vp)) : NULL;
			if (lists_only && !cur) {
				s->lists = realloc(s->lists, (s->nlists + 1) * sizeof(*s->lists));
				ck_assert_ptr_nonnull(s->lists);
				cur = &s->lists[s->nlists++];
				cur->name = strndup(vp, (size_t)(ve - vp));
				cur->items = NULL;
				cur->n = 0;
			}
		} else if (word_is(key, klen, "items")) {
			if (cur)
				for_each_item(vp, ve, add_item, cur);
		} else if (!lists_only) {
			int line = (int)i + 1;

			if (word_is(key, klen, "condition")) {
				unquote(&vp, &ve);
				scan_condition(s, file, line, vp, ve);
			} else if (word_is(key, klen, "output")) {
				scan_output(s, file, line, vp, ve);
			} else {
				scan_fields(s, file, line, vp, ve);
			}
		}
		free(val);
		i = next;
	}
	free(ln);
	free(buf);
}

/* The reader must flag what it should and nothing else, or the test below
 * proves nothing. */
START_TEST(test_scanner)
{
	static const char cond[] =
		"proc.nme = x and evt.type in (open, nosuchcall, my_evts) and\n"
		"fd.name in (a.b, \"c.d\") and proc.cmdline contains ldconfig.real\n"
		"and not evt.arg.flags contains O_TMPFILE and evt.type=bogus\n"
		"and (proc.aname[2]=sh or proc.name.x exists) and evt.dir=<\n"
		"and evt.type != 'execve' and fd.typechar='f' and fd.num>=0";
	static const char out[] = "Shell (user=%user.name file=%fd.name. flags=%evt.arg.flags "
				  "bad=%proc.nope x=%s pct=100% gp=%proc.aname[2])";
	struct list l = { "my_evts", NULL, 0 };
	char *items[] = { "connect", "nosuch2" };
	struct scan s;

	memset(&s, 0, sizeof(s));
	l.items = items;
	l.n = 2;
	s.lists = &l;
	s.nlists = 1;
	scan_condition(&s, "t", 1, cond, cond + sizeof(cond) - 1);
	ck_assert_msg(s.nfail == 5, "%zu:%s", s.nfail, s.msg);
	ck_assert_ptr_nonnull(strstr(s.msg, "unknown field 'proc.nme'"));
	ck_assert_ptr_nonnull(strstr(s.msg, "unknown event type 'nosuchcall'"));
	ck_assert_ptr_nonnull(strstr(s.msg, "unknown event type 'nosuch2'"));
	ck_assert_ptr_nonnull(strstr(s.msg, "unknown event type 'bogus'"));
	ck_assert_ptr_nonnull(strstr(s.msg, "unknown field 'proc.name.x'"));
	ck_assert_uint_eq(s.evtrefs, 6);
	memset(&s, 0, sizeof(s));
	scan_output(&s, "t", 1, out, out + sizeof(out) - 1);
	ck_assert_msg(s.nfail == 1, "%zu:%s", s.nfail, s.msg);
	ck_assert_ptr_nonnull(strstr(s.msg, "'proc.nope'"));
	ck_assert_uint_eq(s.fieldrefs, 5);
}
END_TEST

START_TEST(test_falco_rules)
{
	struct scan s;
	size_t i, j;

	memset(&s, 0, sizeof(s));
	/* Lists first, from all files: Falco loads them into one namespace. */
	for (i = 0; i < sizeof(falco_files) / sizeof(falco_files[0]); i++)
		scan_file(&s, falco_files[i], true);
	for (i = 0; i < sizeof(falco_files) / sizeof(falco_files[0]); i++)
		scan_file(&s, falco_files[i], false);
	/* A reader that silently found nothing would pass; these are well
	 * below what the six files hold. */
	ck_assert_uint_ge(s.nlists, 150);
	ck_assert_uint_ge(s.conditions, 900);
	ck_assert_uint_ge(s.outputs, 240);
	ck_assert_uint_ge(s.fieldrefs, 3800);
	ck_assert_uint_ge(s.evtrefs, 140);
	ck_assert_msg(s.nfail == 0, "%zu unregistered in Falco's rules:%s", s.nfail, s.msg);
	for (i = 0; i < s.nlists; i++) {
		for (j = 0; j < s.lists[i].n; j++)
			free(s.lists[i].items[j]);
		free(s.lists[i].items);
		free(s.lists[i].name);
	}
	free(s.lists);
}
END_TEST

void fields_falco_tcases(Suite *s);

void fields_falco_tcases(Suite *s)
{
	TCase *tc = tcase_create("falco_rules");

	tcase_add_test(tc, test_scanner);
	tcase_add_test(tc, test_falco_rules);
	suite_add_tcase(s, tc);
}
