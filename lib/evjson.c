/* evjson.c - the event model's JSON (see evjson.h): JSON test lines
 * converted to syscall events, field by field to each field's registered
 * type, and JSON strings quoted as jsoncpp, nlohmann or Go quote them. */
#include "evjson.h"
#include "strbuf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evtext.h"
#include "fields.h"

/* Deep enough for any real test line, shallow enough to keep parsing bounded. */
#define JSON_DEPTH 32

/* ---- JSON test lines ---------------------------------------------------------- */

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* A JSON scalar as text: strings as they are, numbers in decimal. */
static int scalar_text(json_object *j, const char **s, size_t *n)
{
	switch (json_object_get_type(j)) {
	case json_type_string:
		*s = json_object_get_string(j);
		*n = (size_t)json_object_get_string_len(j);
		return 0;
	case json_type_int:
	case json_type_double:
	case json_type_boolean:
		*s = json_object_get_string(j);
		*n = strlen(*s);
		return 0;
	default: return -1;
	}
}

static int parse_u64(const char *s, size_t n, u64 *out)
{
	u64 x = 0;
	size_t i;

	if (!n)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || x > (UINT64_MAX - 9) / 10)
			return -1;
		x = x * 10 + (u64)(s[i] - '0');
	}
	*out = x;
	return 0;
}

static int json_int(json_object *j, int sgn, struct shrike_val *out)
{
	const char *s;
	size_t n;
	u64 u;

	if (json_object_is_type(j, json_type_int)) {
		int64_t i = json_object_get_int64(j);

		if (sgn) {
			out->s = i;
			return 0;
		}
		if (i < 0)
			return -1;
		/* json-c keeps values above INT64_MAX as unsigned. */
		out->u = json_object_get_uint64(j);
		return 0;
	}
	if (!json_object_is_type(j, json_type_string))
		return -1;
	s = json_object_get_string(j);
	n = (size_t)json_object_get_string_len(j);
	if (sgn && n && s[0] == '-') {
		if (parse_u64(s + 1, n - 1, &u) || u > (u64)INT64_MAX + 1)
			return -1;
		out->s = (s64)(0 - u);
		return 0;
	}
	if (parse_u64(s, n, &u))
		return -1;
	if (sgn && u > INT64_MAX)
		return -1;
	out->u = u;
	return 0;
}

static int parse_ip(const char *s, size_t n, int net, struct shrike_val *out)
{
	char buf[64];
	const char *slash;
	size_t alen = n;
	u64 pfx = 0;
	int maxp;

	if (n >= sizeof(buf))
		return -1;
	slash = memchr(s, '/', n);
	if (slash) {
		if (!net)
			return -1;
		alen = (size_t)(slash - s);
		if (parse_u64(slash + 1, n - alen - 1, &pfx))
			return -1;
	}
	memcpy(buf, s, alen);
	buf[alen] = 0;
	memset(out->ip, 0, sizeof(out->ip));
	if (inet_pton(AF_INET, buf, out->ip) == 1)
		out->family = 4;
	else if (inet_pton(AF_INET6, buf, out->ip) == 1)
		out->family = 6;
	else
		return -1;
	maxp = out->family == 4 ? 32 : 128;
	if (!slash)
		pfx = (u64)maxp;
	if (pfx > (u64)maxp)
		return -1;
	out->prefix = (u8)pfx;
	return 0;
}

/* Converts one JSON value to field f's type; strings point into j. */
static int convert(struct uevent *ev, const struct field_info *f, json_object *j,
		   struct shrike_val *out, char *err, size_t errlen, const char *key)
{
	const char *s;
	size_t n, i, cnt;

	memset(out, 0, sizeof(*out));
	if (json_object_is_type(j, json_type_array)) {
		struct shrike_str *items;

		if (f->type != SHRIKE_T_STR && f->type != SHRIKE_T_STRLIST)
			return fail(err, errlen, "%s: expected a %s, not a list", key,
				    field_type_name(f->type));
		cnt = json_object_array_length(j);
		if (cnt > UINT32_MAX)
			return fail(err, errlen, "%s: list too long", key);
		items = uevent_alloc(ev, (cnt ? cnt : 1) * sizeof(*items));
		if (!items)
			return fail(err, errlen, "out of memory");
		for (i = 0; i < cnt; i++) {
			if (scalar_text(json_object_array_get_idx(j, i), &s, &n) || n > UINT32_MAX)
				return fail(err, errlen,
					    "%s: list item %zu is not a string or number", key, i);
			items[i].ptr = s;
			items[i].len = (u32)n;
		}
		out->type = SHRIKE_T_STRLIST;
		out->list.items = items;
		out->list.n = (u32)cnt;
		return 0;
	}
	switch (f->type) {
	case SHRIKE_T_STR:
	case SHRIKE_T_STRLIST:
		if (scalar_text(j, &s, &n) || n > UINT32_MAX)
			return fail(err, errlen, "%s: expected a string", key);
		if (f->type == SHRIKE_T_STRLIST) {
			struct shrike_str *one = uevent_alloc(ev, sizeof(*one));

			if (!one)
				return fail(err, errlen, "out of memory");
			one->ptr = s;
			one->len = (u32)n;
			out->type = SHRIKE_T_STRLIST;
			out->list.items = one;
			out->list.n = 1;
			return 0;
		}
		out->type = SHRIKE_T_STR;
		out->str.ptr = s;
		out->str.len = (u32)n;
		return 0;
	case SHRIKE_T_U64:
	case SHRIKE_T_S64:
		out->type = f->type;
		if (json_int(j, f->type == SHRIKE_T_S64, out))
			return fail(err, errlen, "%s: expected %s integer", key,
				    f->type == SHRIKE_T_S64 ? "a" : "an unsigned");
		return 0;
	case SHRIKE_T_BOOL:
		out->type = SHRIKE_T_BOOL;
		if (json_object_is_type(j, json_type_boolean)) {
			out->u = json_object_get_boolean(j) ? 1 : 0;
			return 0;
		}
		if (json_object_is_type(j, json_type_string)) {
			s = json_object_get_string(j);
			if (!strcmp(s, "true") || !strcmp(s, "false")) {
				out->u = s[0] == 't';
				return 0;
			}
		}
		if (json_object_is_type(j, json_type_int)) {
			int64_t x = json_object_get_int64(j);

			if (x == 0 || x == 1) {
				out->u = (u64)x;
				return 0;
			}
		}
		return fail(err, errlen, "%s: expected true or false", key);
	case SHRIKE_T_IPADDR:
	case SHRIKE_T_IPNET:
		out->type = f->type;
		if (!json_object_is_type(j, json_type_string) ||
		    parse_ip(json_object_get_string(j), (size_t)json_object_get_string_len(j),
			     f->type == SHRIKE_T_IPNET, out))
			return fail(err, errlen, "%s: expected an IP %s", key,
				    f->type == SHRIKE_T_IPNET ? "network" : "address");
		return 0;
	}
	return fail(err, errlen, "%s: field type not supported", key);
}

int uevent_from_json_syscall(struct uevent *ev, const char *line, char *err, size_t errlen)
{
	struct json_tokener *tok;
	json_object *root;
	size_t len;
	int rc = 0;

	uevent_init(ev, SHRIKE_SRC_SYSCALL);
	if (err && errlen)
		err[0] = 0;
	if (!line)
		return fail(err, errlen, "no event");
	len = strlen(line);
	if (len > INT32_MAX)
		return fail(err, errlen, "event too long");
	tok = json_tokener_new_ex(JSON_DEPTH);
	if (!tok)
		return fail(err, errlen, "out of memory");
	root = json_tokener_parse_ex(tok, line, (int)len);
	if (!root || json_tokener_get_error(tok) != json_tokener_success) {
		enum json_tokener_error je = json_tokener_get_error(tok);

		if (root)
			json_object_put(root);
		rc = fail(err, errlen, "invalid JSON: %s",
			  je == json_tokener_continue ? "unexpected end of input"
						      : json_tokener_error_desc(je));
		json_tokener_free(tok);
		return rc;
	}
	{
		size_t off = json_tokener_get_parse_end(tok);

		while (off < len && strchr(" \t\r\n", line[off]))
			off++;
		json_tokener_free(tok);
		if (off < len) {
			json_object_put(root);
			return fail(err, errlen, "invalid JSON: trailing data at offset %zu", off);
		}
	}
	if (!json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return fail(err, errlen, "event is not a JSON object");
	}
	/* Values point into root until uevent_put() copies them. */
	json_object_object_foreach(root, key, val)
	{
		size_t klen = strlen(key), arglen, namelen;
		const struct field_info *fi = field_lookup_split(key, klen, &namelen);
		const char *why, *arg;
		struct shrike_val v;
		char idx[24];

		if (!fi) {
			rc = fail(err, errlen, "unknown field '%s'", key);
			break;
		}
		why = field_arg_error(fi, key, namelen, klen);
		if (why) {
			rc = fail(err, errlen, "%s: %s", key, why);
			break;
		}
		if (fi->source != SHRIKE_SRC_SYSCALL) {
			rc = fail(err, errlen, "%s: not a syscall field", key);
			break;
		}
		arg = field_arg(key, namelen, klen, &arglen);
		if (arg && fi->argkind == SHRIKE_ARGK_INDEX) {
			u64 x;

			/* Stored as the level the kernel sends: "02" is 2. */
			if (uevent_parse_level(arg, arglen, &x)) {
				rc = fail(err, errlen, "%s: bad index", key);
				break;
			}
			arglen = (size_t)snprintf(idx, sizeof(idx), "%" PRIu64, x);
			arg = idx;
		}
		if ((fi->id == SHRIKE_F_EVT_TIME || fi->id == SHRIKE_F_EVT_RAWTIME) &&
		    json_object_is_type(val, json_type_int)) {
			struct shrike_val t = { .type = SHRIKE_T_U64 };

			if (json_int(val, 0, &t)) {
				rc = fail(err, errlen, "%s: expected nanoseconds since the epoch",
					  key);
				break;
			}
			ev->ts = t.u;
			ev->has_ts = true;
			continue;
		}
		if (json_object_is_type(val, json_type_null)) {
			rc = uevent_put(ev, fi->id, arg, arglen, NULL);
		} else {
			rc = convert(ev, fi, val, &v, err, errlen, key);
			if (!rc)
				rc = uevent_put(ev, fi->id, arg, arglen, &v);
		}
		if (rc) {
			if (rc == -ENOMEM)
				fail(err, errlen, "out of memory");
			rc = -EINVAL;
			break;
		}
	}
	json_object_put(root);
	return rc;
}

/* ---- quoting ------------------------------------------------------------------ */

/* jsoncpp's utf8ToCodepoint: lenient, U+FFFD for what it cannot decode. */
static unsigned utf8_cp(const unsigned char **ps, const unsigned char *e)
{
	const unsigned char *s = *ps;
	unsigned c = s[0], cp;

	if (c < 0x80)
		return c;
	if (c < 0xE0) {
		if (e - s < 2)
			return 0xFFFD;
		cp = ((c & 0x1F) << 6) | (s[1] & 0x3F);
		*ps += 1;
		return cp < 0x80 ? 0xFFFD : cp;
	}
	if (c < 0xF0) {
		if (e - s < 3)
			return 0xFFFD;
		cp = ((c & 0x0F) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3F);
		*ps += 2;
		if (cp >= 0xD800 && cp <= 0xDFFF)
			return 0xFFFD;
		return cp < 0x800 ? 0xFFFD : cp;
	}
	if (c < 0xF8) {
		if (e - s < 4)
			return 0xFFFD;
		cp = ((c & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) |
		     (s[3] & 0x3F);
		*ps += 3;
		return cp < 0x10000 ? 0xFFFD : cp;
	}
	return 0xFFFD;
}

static void hex16(struct strbuf *b, unsigned v)
{
	char e[7];

	snprintf(e, sizeof(e), "\\u%04x", v & 0xFFFF);
	sb_put(b, e, 6);
}

/* The bytes each quoting copies as they are: from 0x20 on, but '"' and '\\'. */
static const unsigned char json_plain[][256] = {
	[JSON_QUOTE_JSONCPP] = { [0x20 ... '"' - 1] = 1,
				 ['"' + 1 ... '\\' - 1] = 1,
				 ['\\' + 1 ... 0x7f] = 1 },
	[JSON_QUOTE_NLOHMANN] = { [0x20 ... '"' - 1] = 1,
				  ['"' + 1 ... '\\' - 1] = 1,
				  ['\\' + 1 ... 0xff] = 1 },
	[JSON_QUOTE_GO] = { [0x20 ... '"' - 1] = 1,
			    ['"' + 1 ... '\\' - 1] = 1,
			    ['\\' + 1 ... 0x7e] = 1,
			    [0x80 ... 0xff] = 1 },
};

/* Go: \a, \v, else \xXX. */
static void go_escape(struct strbuf *b, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };

	if (c == '\a')
		sb_put(b, "\\a", 2);
	else if (c == '\v')
		sb_put(b, "\\v", 2);
	else
		sb_put(b, e, 4);
}

void json_quote(struct strbuf *b, const char *str, size_t n, enum json_quoting how)
{
	const unsigned char *s = (const unsigned char *)str, *e = s + n;
	const unsigned char *plain = json_plain[how];

	sb_put(b, "\"", 1);
	for (; s < e; s++) {
		const unsigned char *run = s;
		unsigned cp;

		/* A run of characters that stand for themselves, in one go. */
		while (s < e && plain[*s])
			s++;
		if (s > run)
			sb_put(b, (const char *)run, (size_t)(s - run));
		if (s == e)
			break;
		switch (*s) {
		case '"': sb_put(b, "\\\"", 2); continue;
		case '\\': sb_put(b, "\\\\", 2); continue;
		case '\b': sb_put(b, "\\b", 2); continue;
		case '\f': sb_put(b, "\\f", 2); continue;
		case '\n': sb_put(b, "\\n", 2); continue;
		case '\r': sb_put(b, "\\r", 2); continue;
		case '\t': sb_put(b, "\\t", 2); continue;
		}
		if (how == JSON_QUOTE_GO) {
			go_escape(b, *s);
			continue;
		}
		/* nlohmann: a control character; jsoncpp: a code point. */
		cp = how == JSON_QUOTE_NLOHMANN ? *s : utf8_cp(&s, e);
		if (cp < 0x10000) {
			hex16(b, cp);
		} else {
			cp -= 0x10000;
			hex16(b, (cp >> 10) + 0xD800);
			hex16(b, (cp & 0x3FF) + 0xDC00);
		}
	}
	sb_put(b, "\"", 1);
}

/* ---- recorded events (shrike-agent -w) ---------------------------------------- */

/* The key of (fi, arg) as written in rules. */
static void rec_key(struct strbuf *k, const struct field_info *fi, const char *arg, size_t arglen)
{
	size_t i;
	bool digits = arglen > 0;
	u64 lvl;

	sb_str(k, fi->name);
	if (!arg)
		return;
	for (i = 0; i < arglen; i++)
		digits = digits && arg[i] >= '0' && arg[i] <= '9';
	if (fi->argkind == SHRIKE_ARGK_INDEX && !uevent_parse_level(arg, arglen, &lvl)) {
		sb_chr(k, '[');
		sb_u64(k, lvl);
		sb_chr(k, ']');
	} else if (fi->argkind == SHRIKE_ARGK_NAME && !digits) {
		sb_chr(k, '.');
		sb_put(k, arg, arglen);
	} else {
		sb_chr(k, '[');
		sb_put(k, arg, arglen);
		sb_chr(k, ']');
	}
}

static void rec_value(struct strbuf *b, const struct shrike_val *v)
{
	u32 i;

	switch (v->type) {
	case SHRIKE_T_U64: sb_u64(b, v->u); return;
	case SHRIKE_T_S64: sb_s64(b, v->s); return;
	case SHRIKE_T_BOOL: sb_str(b, v->u ? "true" : "false"); return;
	case SHRIKE_T_STR: json_quote(b, v->str.ptr, v->str.len, JSON_QUOTE_NLOHMANN); return;
	case SHRIKE_T_STRLIST:
		sb_chr(b, '[');
		for (i = 0; i < v->list.n; i++) {
			if (i)
				sb_chr(b, ',');
			json_quote(b, v->list.items[i].ptr, v->list.items[i].len,
				   JSON_QUOTE_NLOHMANN);
		}
		sb_chr(b, ']');
		return;
	case SHRIKE_T_IPADDR:
	case SHRIKE_T_IPNET:
		/* "10.0.0.1", "10.0.0.0/8": as rendered, quoted. */
		sb_chr(b, '"');
		uevent_render_into(b, v->type, v);
		sb_chr(b, '"');
		return;
	}
	sb_str(b, "null");
}

/* Whether key is new; if so it is kept (the record owns it). */
static bool rec_new_key(struct evjson_rec *r, char *key)
{
	size_t i;

	for (i = 0; i < r->nkeys; i++)
		if (!strcmp(r->keys[i], key))
			return false;
	if (r->nkeys == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 32;
		char **n = realloc(r->keys, cap * sizeof(*n));

		if (!n) {
			r->oom = true;
			return false;
		}
		r->keys = n;
		r->cap = cap;
	}
	r->keys[r->nkeys++] = key;
	return true;
}

/* The separator before the next member: none right after the '{'. */
static void rec_sep(struct evjson_rec *r)
{
	if (r->b->len && r->b->p[r->b->len - 1] != '{')
		sb_chr(r->b, ',');
}

/* Marks a fixed key written; true if it is new. */
static bool rec_fixed(struct evjson_rec *r, const char *name)
{
	char *key = strdup(name);

	if (!key) {
		r->oom = true;
		return false;
	}
	if (!rec_new_key(r, key)) {
		free(key);
		return false;
	}
	return true;
}

void evjson_rec_begin(struct evjson_rec *r, struct strbuf *b, struct uevent *ev, bool entry)
{
	memset(r, 0, sizeof(*r));
	r->b = b;
	r->ev = ev;
	sb_chr(b, '{');
	evjson_rec_field(r, SHRIKE_F_EVT_TYPE, NULL, 0);
	/* evt.dir and evt.rawtime from the record itself. */
	if (rec_fixed(r, "evt.dir")) {
		rec_sep(r);
		sb_str(b, entry ? "\"evt.dir\":\">\"" : "\"evt.dir\":\"<\"");
	}
	if (rec_fixed(r, "evt.rawtime") && ev->has_ts) {
		rec_sep(r);
		sb_str(b, "\"evt.rawtime\":");
		sb_u64(b, ev->ts);
	}
}

void evjson_rec_field(struct evjson_rec *r, u16 field, const char *arg, size_t arglen)
{
	const struct field_info *fi = field_at(field);
	struct strbuf k = { 0 };
	struct shrike_val v;
	char *key;

	if (!fi || fi->source != SHRIKE_SRC_SYSCALL)
		return;
	rec_key(&k, fi, arg, arglen);
	key = sb_take(&k);
	if (!key) {
		r->oom = true;
		return;
	}
	if (!rec_new_key(r, key)) {
		free(key);
		return;
	}
	if (uevent_lookup(r->ev, field, arg, arg ? arglen : 0, &v) != SHRIKE_FETCH_OK)
		return;
	rec_sep(r);
	json_quote(r->b, key, strlen(key), JSON_QUOTE_NLOHMANN);
	sb_chr(r->b, ':');
	if (fi->type == SHRIKE_T_STR && v.type == SHRIKE_T_IPADDR && r->name_of) {
		char *name = r->name_of(&v);

		if (name) {
			json_quote(r->b, name, strlen(name), JSON_QUOTE_NLOHMANN);
			free(name);
			return;
		}
	}
	rec_value(r->b, &v);
}

int evjson_rec_end(struct evjson_rec *r)
{
	size_t i;
	bool oom = r->oom;

	sb_str(r->b, "}\n");
	for (i = 0; i < r->nkeys; i++)
		free(r->keys[i]);
	free(r->keys);
	memset(r, 0, sizeof(*r));
	return oom ? -ENOMEM : 0;
}
