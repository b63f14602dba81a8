/* alert.c - Falco's alert format, bit for bit: the "*%evt.time: <Priority> "
 * prefix Falco puts before every rule output, token resolution as libsinsp's
 * formatter does it, and the JSON line that Falco assembles with jsoncpp's
 * FastWriter (sorted keys, its string escapes) plus its grafted
 * "output_fields"; and the agent's own ("Falco internal") alerts. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "alert.h"
#include "strbuf.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>

#include "fields.h"

static const char *const prio_names[] = {
	[SHRIKE_PRI_EMERGENCY] = "Emergency",
	[SHRIKE_PRI_ALERT] = "Alert",
	[SHRIKE_PRI_CRITICAL] = "Critical",
	[SHRIKE_PRI_ERROR] = "Error",
	[SHRIKE_PRI_WARNING] = "Warning",
	[SHRIKE_PRI_NOTICE] = "Notice",
	[SHRIKE_PRI_INFORMATIONAL] = "Informational",
	[SHRIKE_PRI_DEBUG] = "Debug",
};

void output_opts_init(struct output_opts *o)
{
	o->time_format_iso_8601 = false;
	o->json_include_output_property = true;
	o->json_include_tags_property = true;
}

const char *output_priority_name(int p)
{
	return p >= 0 && p < __SHRIKE_PRI_MAX ? prio_names[p] : "Unknown";
}

const char *output_source_name(int s)
{
	return s == SHRIKE_SRC_K8S_AUDIT ? "k8s_audit" : "syscall";
}

/* ---- growable string ------------------------------------------------------------ */

/* ---- tokens ------------------------------------------------------------------- */

struct tok {
	const char *text; /* literal text, or the field token after '%' */
	size_t len;
	const struct field_info *fi; /* NULL for literal text */
	const char *arg;
	size_t arglen;
};

struct toks {
	struct tok *v;
	size_t n, cap;
	char *fmt; /* owns the expanded format the tokens point into */
};

static int tok_add(struct toks *t, const struct tok *k)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct tok *nv = realloc(t->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		t->v = nv;
		t->cap = cap;
	}
	t->v[t->n++] = *k;
	return 0;
}

static int is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.';
}

/*
 * libsinsp takes the longest registered field (with its argument) that
 * starts right after the '%'; what follows is literal text again.
 */
static size_t field_at_pct(const char *s, size_t n, struct tok *k)
{
	size_t run = 0, end;
	const char *close;

	while (run < n && is_name_char(s[run]))
		run++;
	if (run < n && s[run] == '[' && (close = memchr(s + run, ']', n - run))) {
		end = (size_t)(close - s) + 1;
		k->fi = field_lookup_token(s, end, &k->arg, &k->arglen);
		if (k->fi)
			return end;
	}
	for (end = run; end > 0; end--) {
		k->fi = field_lookup_token(s, end, &k->arg, &k->arglen);
		if (k->fi)
			return end;
	}
	return 0;
}

static void replace_all(struct strbuf *b, const char *s, const char *what, const char *with)
{
	size_t wl = strlen(what);
	const char *p;

	while ((p = strstr(s, what))) {
		sb_put(b, s, (size_t)(p - s));
		sb_str(b, with);
		s = p + wl;
	}
	sb_str(b, s);
}

/* Splits prefix + fmt (its leading '*' dropped) into literal and field tokens. */
static int tokenize(const char *prefix, const char *fmt, int source, struct toks *t)
{
	struct strbuf b = { 0 };
	const char *s;
	size_t i, lit, n;

	memset(t, 0, sizeof(*t));
	if (prefix)
		sb_str(&b, prefix);
	if (!fmt)
		fmt = "";
	if (fmt[0] == '*')
		fmt++;
	/* Falco's rule loader without -pc/-pk (0.31's rule_loader.lua, later
	 * s_default_extra_fmt): the generic container info, no "container=". */
	if (source == SHRIKE_SRC_SYSCALL)
		replace_all(&b, fmt, "%container.info", "%container.name (id=%container.id)");
	else
		sb_str(&b, fmt);
	t->fmt = sb_take(&b);
	if (!t->fmt)
		return -ENOMEM;
	s = t->fmt;
	n = strlen(s);
	for (i = lit = 0; i < n;) {
		struct tok k = { 0 };
		size_t used;

		if (s[i] != '%') {
			i++;
			continue;
		}
		used = field_at_pct(s + i + 1, n - i - 1, &k);
		if (!used) {
			i++; /* no field here: the '%' stays literal */
			continue;
		}
		if (i > lit) {
			struct tok l = { .text = s + lit, .len = i - lit };

			if (tok_add(t, &l))
				return -ENOMEM;
		}
		k.text = s + i + 1;
		k.len = used;
		if (tok_add(t, &k))
			return -ENOMEM;
		i += 1 + used;
		lit = i;
	}
	if (n > lit) {
		struct tok l = { .text = s + lit, .len = n - lit };

		if (tok_add(t, &l))
			return -ENOMEM;
	}
	return 0;
}

static void toks_free(struct toks *t)
{
	free(t->v);
	free(t->fmt);
}

static void resolve_into(struct strbuf *b, const struct toks *t, struct uevent *ev)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		const struct tok *k = &t->v[i];
		struct shrike_val v;
		size_t at;

		if (!k->fi) {
			sb_put(b, k->text, k->len);
			continue;
		}
		if (uevent_lookup_shown(ev, k->fi->id, k->arg, k->arglen, &v) != SHRIKE_FETCH_OK) {
			sb_put(b, "<NA>", 4);
			continue;
		}
		at = b->len;
		uevent_render_into(b, k->fi->type, &v);
		/* A value shows up to its first NUL, if it has one. */
		if (!b->oom && b->len > at) {
			b->len = at + strnlen(b->p + at, b->len - at);
			b->p[b->len] = 0;
		}
	}
}

/* The alert's time stands for the event's while formatting. */
struct time_save {
	u64 ts;
	bool has_ts;
};

static void time_push(struct uevent *ev, const struct alert *a, struct time_save *s)
{
	s->ts = ev->ts;
	s->has_ts = ev->has_ts;
	if (a && a->time_ns) {
		ev->ts = a->time_ns;
		ev->has_ts = true;
	}
}

static void time_pop(struct uevent *ev, const struct time_save *s)
{
	ev->ts = s->ts;
	ev->has_ts = s->has_ts;
}

char *output_resolve(const char *fmt, int source, struct uevent_ctx *ctx)
{
	struct toks t;
	struct strbuf b = { 0 };

	if (!ctx || !ctx->ev)
		return NULL;
	if (tokenize(NULL, fmt, source, &t)) {
		toks_free(&t);
		return NULL;
	}
	resolve_into(&b, &t, ctx->ev);
	toks_free(&t);
	return sb_take(&b);
}

/* Falco prepends "*%evt.time: <Priority> " (jevt.* for k8s_audit). */
static char *prefix_of(const struct alert *a, const struct output_opts *o)
{
	struct strbuf b = { 0 };
	bool iso = o && o->time_format_iso_8601;

	if (a->source == SHRIKE_SRC_K8S_AUDIT)
		sb_str(&b, iso ? "%jevt.time.iso8601: " : "%jevt.time: ");
	else
		sb_str(&b, iso ? "%evt.time.iso8601: " : "%evt.time: ");
	sb_str(&b, output_priority_name(a->priority));
	sb_str(&b, " ");
	return sb_take(&b);
}

struct output_tmpl {
	struct toks t;		   /* prefix + output */
	const struct tok **fields; /* the field tokens sorted, each once */
	size_t nfields;
	char *mid; /* the JSON line's "priority" .. "tags" */
	size_t midlen;
};

static int cmp_tok(const void *a, const void *b);
static void json_mid(struct strbuf *b, const struct alert *a, const struct output_opts *o);

/* The tokens of a's prefix and output into t; 0 or -ENOMEM. */
static int alert_tokens(const struct alert *a, const struct output_opts *o, struct toks *t)
{
	char *prefix = prefix_of(a, o);
	int rc;

	memset(t, 0, sizeof(*t));
	if (!prefix)
		return -ENOMEM;
	rc = tokenize(prefix, a->output_fmt, a->source, t);
	free(prefix);
	return rc;
}

/* libsinsp's JSON of the format's fields has each key once, sorted. */
static const struct tok **sorted_fields(const struct toks *t, size_t *n)
{
	const struct tok **v = malloc((t->n ? t->n : 1) * sizeof(*v));
	size_t i, w = 0;

	*n = 0;
	if (!v)
		return NULL;
	for (i = 0; i < t->n; i++)
		if (t->v[i].fi)
			v[(*n)++] = &t->v[i];
	qsort(v, *n, sizeof(*v), cmp_tok);
	for (i = 0; i < *n; i++)
		if (!i || cmp_tok(&v[w - 1], &v[i]))
			v[w++] = v[i];
	*n = w;
	return v;
}

struct output_tmpl *output_tmpl_new(const struct alert *a, const struct output_opts *o)
{
	struct output_tmpl *tm = calloc(1, sizeof(*tm));
	struct output_opts def;
	struct strbuf b = { 0 };

	if (!tm)
		return NULL;
	if (!o) {
		output_opts_init(&def);
		o = &def;
	}
	json_mid(&b, a, o);
	tm->midlen = b.len;
	tm->mid = sb_take(&b);
	if (!tm->mid || alert_tokens(a, o, &tm->t) ||
	    !(tm->fields = sorted_fields(&tm->t, &tm->nfields))) {
		output_tmpl_free(tm);
		return NULL;
	}
	return tm;
}

void output_tmpl_fields(const struct output_tmpl *tm,
			void (*fn)(void *data, const struct field_info *fi, const char *arg,
				   size_t arglen),
			void *data)
{
	size_t i;

	for (i = 0; tm && i < tm->nfields; i++)
		if (tm->fields[i]->fi)
			fn(data, tm->fields[i]->fi, tm->fields[i]->arg, tm->fields[i]->arglen);
}

void output_tmpl_free(struct output_tmpl *tm)
{
	if (!tm)
		return;
	toks_free(&tm->t);
	free(tm->fields);
	free(tm->mid);
	free(tm);
}

/* The tokens to format a with: its template's, or parsed into *own (which
 * the caller frees with toks_free). NULL on ENOMEM. */
static const struct toks *tokens_of(const struct alert *a, const struct output_opts *o,
				    struct toks *own)
{
	memset(own, 0, sizeof(*own));
	if (a->tmpl)
		return &a->tmpl->t;
	return alert_tokens(a, o, own) ? NULL : own;
}

static char *text_line(struct uevent *ev, const struct toks *t)
{
	struct strbuf b = { 0 };

	sb_reserve(&b, 512); /* an alert line, mostly */
	resolve_into(&b, t, ev);
	return sb_take(&b);
}

char *output_format_text(const struct alert *a, struct uevent_ctx *ctx, const struct output_opts *o)
{
	struct time_save ts;
	struct toks own;
	const struct toks *t;
	char *line = NULL;

	if (!a || !ctx || !ctx->ev)
		return NULL;
	time_push(ctx->ev, a, &ts);
	t = tokens_of(a, o, &own);
	if (t)
		line = text_line(ctx->ev, t);
	toks_free(&own);
	time_pop(ctx->ev, &ts);
	return line;
}

/* ---- JSON ------------------------------------------------------------------------- */

/* jsoncpp FastWriter's string, as Falco writes its alerts. */
static void json_str(struct strbuf *b, const char *s, size_t n)
{
	json_quote(b, s, n, JSON_QUOTE_JSONCPP);
}

static void json_cstr(struct strbuf *b, const char *s)
{
	json_str(b, s, strlen(s));
}

/* libsinsp (Falco 0.31) gives these as the raw timestamp in JSON. */
static int json_time_number(u16 f)
{
	return f == SHRIKE_F_EVT_TIME || f == SHRIKE_F_EVT_TIME_S ||
	       f == SHRIKE_F_EVT_TIME_ISO8601 || f == SHRIKE_F_EVT_DATETIME;
}

static void json_value(struct strbuf *b, const struct tok *k, struct uevent *ev)
{
	struct shrike_val v;
	char *s;
	u32 i;

	if (uevent_lookup_shown(ev, k->fi->id, k->arg, k->arglen, &v) != SHRIKE_FETCH_OK) {
		sb_str(b, "null");
		return;
	}
	if (json_time_number(k->fi->id) && ev->has_ts) {
		sb_u64(b, ev->ts);
		return;
	}
	switch (v.type) {
	case SHRIKE_T_U64: sb_u64(b, v.u); return;
	case SHRIKE_T_S64: sb_s64(b, v.s); return;
	case SHRIKE_T_BOOL: sb_str(b, v.u ? "true" : "false"); return;
	case SHRIKE_T_STRLIST:
		if (k->fi->type == SHRIKE_T_STRLIST) {
			sb_put(b, "[", 1);
			for (i = 0; i < v.list.n; i++) {
				if (i)
					sb_put(b, ",", 1);
				json_str(b, v.list.items[i].ptr, v.list.items[i].len);
			}
			sb_put(b, "]", 1);
			return;
		}
		break;
	}
	if (v.type == SHRIKE_T_STR) {
		/* What rendering it gives, up to a NUL. */
		json_str(b, v.str.ptr, strnlen(v.str.ptr, v.str.len));
		return;
	}
	s = uevent_render(k->fi->type, &v);
	if (!s) {
		b->oom = 1;
		return;
	}
	json_cstr(b, s);
	free(s);
}

static int cmp_tok(const void *a, const void *b)
{
	const struct tok *x = *(const struct tok *const *)a;
	const struct tok *y = *(const struct tok *const *)b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->text, y->text, n);

	if (c)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

/* libsinsp's JSON of the format's fields: keys sorted, each once. */
static void output_fields(struct strbuf *b, const struct tok *const *v, size_t n, struct uevent *ev)
{
	size_t i;

	sb_put(b, "{", 1);
	for (i = 0; i < n; i++) {
		if (i)
			sb_put(b, ",", 1);
		json_str(b, v[i]->text, v[i]->len);
		sb_put(b, ":", 1);
		json_value(b, v[i], ev);
	}
	sb_put(b, "}", 1);
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The JSON line's keys between "output" and "time": "priority", "rule",
 * "source" and "tags" (jsoncpp orders an object's keys). */
static void json_mid(struct strbuf *b, const struct alert *a, const struct output_opts *o)
{
	const char **tags;
	size_t i, w = 0;

	sb_str(b, "\"priority\":");
	json_cstr(b, output_priority_name(a->priority));
	sb_str(b, ",\"rule\":");
	json_cstr(b, a->rule ? a->rule : "");
	sb_str(b, ",\"source\":");
	json_cstr(b, output_source_name(a->source));
	if (o->json_include_tags_property) {
		/* Falco keeps tags in a std::set: sorted, each once. */
		tags = malloc((a->ntags ? a->ntags : 1) * sizeof(*tags));
		if (!tags) {
			b->oom = 1;
			return;
		}
		for (i = 0; i < a->ntags; i++)
			tags[i] = a->tags[i] ? a->tags[i] : "";
		qsort(tags, a->ntags, sizeof(*tags), cmp_cstr);
		sb_str(b, ",\"tags\":[");
		for (i = 0; i < a->ntags; i++) {
			if (i && !strcmp(tags[i - 1], tags[i]))
				continue;
			if (w++)
				sb_put(b, ",", 1);
			json_cstr(b, tags[i]);
		}
		sb_put(b, "]", 1);
		free(tags);
	}
}

char *output_format_json(const struct alert *a, struct uevent_ctx *ctx, const struct output_opts *o)
{
	struct output_opts def;
	struct time_save ts;
	struct strbuf b = { 0 };
	struct toks own;
	const struct toks *t;
	const struct tok **fields = NULL;
	char *line = NULL, tbuf[64];
	size_t nfields;
	u64 when;

	if (!a || !ctx || !ctx->ev)
		return NULL;
	if (!o) {
		output_opts_init(&def);
		o = &def;
	}
	time_push(ctx->ev, a, &ts);
	t = tokens_of(a, o, &own);
	if (t)
		line = text_line(ctx->ev, t);
	if (!line) {
		b.oom = 1;
		goto out;
	}
	sb_reserve(&b, 2 * strlen(line) + 512);
	if (a->tmpl) {
		fields = a->tmpl->fields;
		nfields = a->tmpl->nfields;
	} else if (!(fields = sorted_fields(t, &nfields))) {
		b.oom = 1;
		goto out;
	}
	when = ctx->ev->has_ts ? ctx->ev->ts : 0;
	uevent_fmt_rfc3339(when, tbuf, sizeof(tbuf));
	/* jsoncpp orders an object's keys: hostname, output, priority, rule,
	 * source, tags, time. */
	sb_put(&b, "{", 1);
	if (a->hostname) {
		sb_str(&b, "\"hostname\":");
		json_cstr(&b, a->hostname);
		sb_put(&b, ",", 1);
	}
	if (o->json_include_output_property) {
		sb_str(&b, "\"output\":");
		json_cstr(&b, line);
		sb_put(&b, ",", 1);
	}
	if (a->tmpl)
		sb_put(&b, a->tmpl->mid, a->tmpl->midlen);
	else
		json_mid(&b, a, o);
	sb_str(&b, ",\"time\":");
	json_cstr(&b, tbuf);
	/* Falco grafts the formatter's JSON in as text, with its own spacing. */
	sb_str(&b, ", \"output_fields\": ");
	output_fields(&b, fields, nfields, ctx->ev);
	sb_put(&b, "}", 1);
out:
	if (!a->tmpl)
		free(fields);
	free(line);
	toks_free(&own);
	time_pop(ctx->ev, &ts);
	return sb_take(&b);
}

char *output_format(const struct alert *a, struct uevent_ctx *ctx, const struct output_opts *o,
		    bool json)
{
	return json ? output_format_json(a, ctx, o) : output_format_text(a, ctx, o);
}

/* ---- a rule's alert ------------------------------------------------------------------ */

int alert_rule_load(struct alert_rule *ar, const struct shrike_table *t,
		    const struct shrike_rule *r)
{
	const char *s;
	u32 n;

	memset(ar, 0, sizeof(*ar));
	s = shrike_rule_name(t, r, &n);
	ar->name = strndup(s, n);
	s = shrike_rule_output(t, r, &n);
	ar->fmt = strndup(s, n);
	for (ar->ntags = 0; ar->ntags < le16_to_cpu(r->ntags) && ar->ntags < SHRIKE_MAX_TAGS;
	     ar->ntags++) {
		s = shrike_rule_tag(t, r, (u32)ar->ntags, &n);
		ar->tags[ar->ntags] = strndup(s, n);
		if (!ar->tags[ar->ntags])
			goto fail;
	}
	if (ar->name && ar->fmt)
		return 0;
fail:
	alert_rule_clear(ar);
	return -1;
}

void alert_rule_clear(struct alert_rule *ar)
{
	size_t i;

	free(ar->name);
	free(ar->fmt);
	for (i = 0; i < ar->ntags; i++)
		free(ar->tags[i]);
	memset(ar, 0, sizeof(*ar));
}

void alert_of_rule(struct alert *a, const struct alert_rule *ar, const struct shrike_rule *r,
		   const char *hostname, const struct output_tmpl *tm)
{
	memset(a, 0, sizeof(*a));
	a->rule = ar->name;
	a->priority = r->priority;
	a->source = r->source;
	a->tags = (const char *const *)ar->tags;
	a->ntags = ar->ntags;
	a->output_fmt = ar->fmt;
	a->hostname = hostname;
	a->tmpl = tm;
}

char *output_internal_json(const char *hostname, const char *rule, int priority, const char *msg,
			   struct json_object *fields, u64 time_ns)
{
	json_object *j = json_object_new_object();
	char tbuf[64], *line = NULL;

	if (!j) {
		json_object_put(fields);
		return NULL;
	}
	uevent_fmt_rfc3339(time_ns, tbuf, sizeof(tbuf));
	json_object_object_add(j, "hostname", json_object_new_string(hostname ? hostname : ""));
	json_object_object_add(j, "output", json_object_new_string(msg));
	json_object_object_add(j, "output_fields", fields ? fields : json_object_new_object());
	json_object_object_add(j, "priority",
			       json_object_new_string(output_priority_name(priority)));
	json_object_object_add(j, "rule", json_object_new_string(rule));
	json_object_object_add(j, "source", json_object_new_string("syscall"));
	json_object_object_add(j, "time", json_object_new_string(tbuf));
	line = strdup(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN |
								JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(j);
	return line;
}

char *output_internal_text(int priority, const char *msg, u64 time_ns, const struct output_opts *o)
{
	char tbuf[64], *line;

	if (o && o->time_format_iso_8601)
		uevent_fmt_iso8601(time_ns, tbuf, sizeof(tbuf));
	else
		uevent_fmt_time(time_ns, false, true, tbuf, sizeof(tbuf));
	if (asprintf(&line, "%s: %s %s", tbuf, output_priority_name(priority), msg) < 0)
		return NULL;
	return line;
}
