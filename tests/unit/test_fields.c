/* test_fields.c - the field and event-type registry: lookups, argument
 * splitting, the listing, coverage of every field and event type that
 * Falco's public rule files (../shared/falco) use, and an extractor in the
 * kernel (kmod/extract.c's table) for every field the kernel computes. */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fields.h"

static const struct field_info *lk(const char *name)
{
	return field_lookup(name, strlen(name));
}

/* field_lookup_split() on a terminated token. */
static const struct field_info *split(const char *token, size_t *namelen)
{
	return field_lookup_split(token, strlen(token), namelen);
}

START_TEST(test_exact)
{
	static const struct {
		const char *name;
		int id, type, where, source, argkind;
	} want[] = {
		{ "evt.type", SHRIKE_F_EVT_TYPE, SHRIKE_T_STR, SHRIKE_W_KERNEL, SHRIKE_SRC_SYSCALL,
		  SHRIKE_ARGK_NONE },
		{ "proc.name", SHRIKE_F_PROC_NAME, SHRIKE_T_STR, SHRIKE_W_KERNEL,
		  SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NONE },
		{ "proc.aname", SHRIKE_F_PROC_ANAME, SHRIKE_T_STR, SHRIKE_W_KERNEL,
		  SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_INDEX },
		{ "proc.apid", SHRIKE_F_PROC_APID, SHRIKE_T_U64, SHRIKE_W_KERNEL,
		  SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_INDEX },
		{ "user.name", SHRIKE_F_USER_NAME, SHRIKE_T_STR, SHRIKE_W_AGENT, SHRIKE_SRC_SYSCALL,
		  SHRIKE_ARGK_NONE },
		{ "user.loginuid", SHRIKE_F_USER_LOGINUID, SHRIKE_T_S64, SHRIKE_W_KERNEL,
		  SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NONE },
		{ "evt.rawres", SHRIKE_F_EVT_RAWRES, SHRIKE_T_S64, SHRIKE_W_KERNEL,
		  SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NONE },
		{ "evt.res", SHRIKE_F_EVT_RES, SHRIKE_T_STR, SHRIKE_W_KERNEL, SHRIKE_SRC_SYSCALL,
		  SHRIKE_ARGK_NONE },
		{ "evt.arg", SHRIKE_F_EVT_ARG, SHRIKE_T_STR, SHRIKE_W_KERNEL, SHRIKE_SRC_SYSCALL,
		  SHRIKE_ARGK_NAME },
		{ "evt.rawarg", SHRIKE_F_EVT_RAWARG, SHRIKE_T_S64, SHRIKE_W_KERNEL,
		  SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NAME },
		{ "evt.is_open_read", SHRIKE_F_EVT_IS_OPEN_READ, SHRIKE_T_BOOL, SHRIKE_W_KERNEL,
		  SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NONE },
		{ "fd.sip", SHRIKE_F_FD_SIP, SHRIKE_T_IPADDR, SHRIKE_W_KERNEL, SHRIKE_SRC_SYSCALL,
		  SHRIKE_ARGK_NONE },
		{ "fd.snet", SHRIKE_F_FD_SNET, SHRIKE_T_IPNET, SHRIKE_W_KERNEL, SHRIKE_SRC_SYSCALL,
		  SHRIKE_ARGK_NONE },
		{ "fd.sport", SHRIKE_F_FD_SPORT, SHRIKE_T_U64, SHRIKE_W_KERNEL, SHRIKE_SRC_SYSCALL,
		  SHRIKE_ARGK_NONE },
		{ "fd.sip.name", SHRIKE_F_FD_SIP_NAME, SHRIKE_T_STR, SHRIKE_W_AGENT,
		  SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NONE },
		{ "container.id", SHRIKE_F_CONTAINER_ID, SHRIKE_T_STR, SHRIKE_W_KERNEL,
		  SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NONE },
		{ "container.image.repository", SHRIKE_F_CONTAINER_IMAGE_REPOSITORY, SHRIKE_T_STR,
		  SHRIKE_W_AGENT, SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NONE },
		{ "container.privileged", SHRIKE_F_CONTAINER_PRIVILEGED, SHRIKE_T_BOOL,
		  SHRIKE_W_AGENT, SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NONE },
		{ "container.mount.dest", SHRIKE_F_CONTAINER_MOUNT_DEST, SHRIKE_T_STR,
		  SHRIKE_W_AGENT, SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_KEY },
		{ "proc.env", SHRIKE_F_PROC_ENV, SHRIKE_T_STR, SHRIKE_W_KERNEL, SHRIKE_SRC_SYSCALL,
		  SHRIKE_ARGK_KEY_OPT },
		{ "k8s.ns.name", SHRIKE_F_K8S_NS_NAME, SHRIKE_T_STR, SHRIKE_W_AGENT,
		  SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NONE },
		{ "ka.verb", SHRIKE_F_KA_VERB, SHRIKE_T_STR, SHRIKE_W_AGENT, SHRIKE_SRC_K8S_AUDIT,
		  SHRIKE_ARGK_NONE },
		{ "ka.req.pod.containers.image", SHRIKE_F_KA_REQ_POD_CONTAINERS_IMAGE,
		  SHRIKE_T_STRLIST, SHRIKE_W_AGENT, SHRIKE_SRC_K8S_AUDIT, SHRIKE_ARGK_INDEX },
		{ "ka.uri.param", SHRIKE_F_KA_URI_PARAM, SHRIKE_T_STR, SHRIKE_W_AGENT,
		  SHRIKE_SRC_K8S_AUDIT, SHRIKE_ARGK_KEY },
		{ "jevt.value", SHRIKE_F_JEVT_VALUE, SHRIKE_T_STR, SHRIKE_W_AGENT,
		  SHRIKE_SRC_K8S_AUDIT, SHRIKE_ARGK_KEY },
	};
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct field_info *f = lk(want[i].name);

		ck_assert_msg(f, "%s not registered", want[i].name);
		ck_assert_str_eq(f->name, want[i].name);
		ck_assert_int_eq(f->id, want[i].id);
		ck_assert_int_eq(f->type, want[i].type);
		ck_assert_int_eq(f->where, want[i].where);
		ck_assert_int_eq(f->source, want[i].source);
		ck_assert_int_eq(f->argkind, want[i].argkind);
		ck_assert_ptr_nonnull(f->desc);
	}
	/* The name need not be terminated: only len bytes count. */
	ck_assert_ptr_eq(field_lookup("proc.namexyz", 9), lk("proc.name"));
	ck_assert_ptr_eq(field_lookup("evt.args", 7), lk("evt.arg"));
}
END_TEST

START_TEST(test_unknown)
{
	static const char *const bad[] = {
		"",
		"proc",
		"proc.",
		"proc.nam",
		"proc.namee",
		"PROC.NAME",
		"evt.arg.flags",
		"proc.aname[2]",
		"nosuch.field",
		"ka.verbs",
		"jevt.value[/a]",
		".proc.name",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!lk(bad[i]), "'%s' should be unknown", bad[i]);
	ck_assert_ptr_null(field_lookup(NULL, 0));
	ck_assert_ptr_null(field_lookup("proc.name", 0));
	ck_assert_ptr_null(field_at(fields_count()));
}
END_TEST

START_TEST(test_table)
{
	size_t i, j, n = fields_count();

	ck_assert_uint_eq(n, __SHRIKE_F_MAX);
	for (i = 0; i < n; i++) {
		const struct field_info *f = field_at(i);

		ck_assert_uint_eq(f->id, i);
		ck_assert_ptr_eq(lk(f->name), f);
		ck_assert_int_lt(f->type, __SHRIKE_T_MAX);
		ck_assert_int_le(f->argkind, SHRIKE_ARGK_KEY_OPT);
		ck_assert_int_lt(f->source, __SHRIKE_SRC_MAX);
		ck_assert_msg(f->desc[0] && !strchr(f->desc, '\n'), "%s: desc", f->name);
		/* The k8s_audit source has no kernel side at all. */
		if (f->source == SHRIKE_SRC_K8S_AUDIT)
			ck_assert_int_eq(f->where, SHRIKE_W_AGENT);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(field_at(j)->name, f->name);
	}
	/* The first entries are wire ids already in use. */
	ck_assert_str_eq(field_at(0)->name, "evt.type");
	ck_assert_str_eq(field_at(1)->name, "evt.dir");
	ck_assert_str_eq(field_at(2)->name, "proc.name");
	ck_assert_str_eq(field_at(3)->name, "proc.aname");
	ck_assert_str_eq(field_at(4)->name, "user.name");
	ck_assert_str_eq(field_at(5)->name, "ka.verb");
}
END_TEST

static void check_split(const char *token, const char *field, const char *arg)
{
	size_t nl = 12345, al;
	const struct field_info *f = split(token, &nl);
	const char *a;

	ck_assert_msg(f, "%s: no field", token);
	ck_assert_str_eq(f->name, field);
	ck_assert_uint_eq(nl, strlen(field));
	a = field_arg(token, nl, strlen(token), &al);
	if (!arg) {
		ck_assert_ptr_null(a);
		ck_assert_uint_eq(al, 0);
	} else {
		ck_assert_msg(a && al == strlen(arg) && !memcmp(a, arg, al),
			      "%s: arg '%.*s', want '%s'", token, (int)al, a ? a : "", arg);
	}
	ck_assert_msg(!field_arg_error(f, token, nl, strlen(token)), "%s: %s", token,
		      field_arg_error(f, token, nl, strlen(token)));
}

START_TEST(test_split)
{
	check_split("evt.arg.flags", "evt.arg", "flags");
	check_split("evt.arg[0]", "evt.arg", "0");
	check_split("evt.arg.res_or_fd", "evt.arg", "res_or_fd");
	check_split("evt.rawarg.res", "evt.rawarg", "res");
	check_split("evt.type.is.open", "evt.type.is", "open");
	check_split("proc.aname[2]", "proc.aname", "2");
	check_split("proc.aname", "proc.aname", NULL);
	check_split("proc.aexepath[2]", "proc.aexepath", "2");
	check_split("jevt.value[/a/b]", "jevt.value", "/a/b");
	check_split("jevt.value[/requestObject/ephemeralContainers/0/image]", "jevt.value",
		    "/requestObject/ephemeralContainers/0/image");
	check_split("container.mount.dest[/var/run/docker.sock]", "container.mount.dest",
		    "/var/run/docker.sock");
	check_split("container.mount.dest[/proc*]", "container.mount.dest", "/proc*");
	check_split("ka.uri.param[command]", "ka.uri.param", "command");
	check_split("k8s.pod.label[app.kubernetes.io/name]", "k8s.pod.label",
		    "app.kubernetes.io/name");
	check_split("proc.env", "proc.env", NULL);
	check_split("proc.env[HOME]", "proc.env", "HOME");
	/* Registered dotted names win over a dotted argument. */
	check_split("evt.args", "evt.args", NULL);
	check_split("evt.abspath.src", "evt.abspath.src", NULL);
	check_split("ka.req.pod.containers.image.repository",
		    "ka.req.pod.containers.image.repository", NULL);
	check_split("proc.exe_ino.ctime", "proc.exe_ino.ctime", NULL);
	check_split("fd.sip.name", "fd.sip.name", NULL);
	/* The token need not be terminated. */
	{
		size_t nl;
		const struct field_info *f = field_lookup_split("evt.arg.flags and x", 13, &nl);

		ck_assert_ptr_eq(f, lk("evt.arg"));
		ck_assert_uint_eq(nl, 7);
	}
}
END_TEST

START_TEST(test_split_bad)
{
	static const char *const nofield[] = {
		"proc.name.foo",    "evt.typo.open", "nosuch[1]", "evt.argx",
		"evt.arg.flags[1]", "user",	     "",	  "proc.aname.2",
	};
	static const struct {
		const char *token, *field;
	} badarg[] = {
		{ "proc.name[1]", "proc.name" }, /* takes none */
		{ "evt.arg", "evt.arg" },	 /* required */
		{ "evt.arg.", "evt.arg" },	 /* empty */
		{ "evt.arg[x]", "evt.arg" },	 /* [N] is a number */
		{ "proc.aname[x]", "proc.aname" },
		{ "proc.aname[]", "proc.aname" },
		{ "proc.aname[2", "proc.aname" },
		{ "jevt.value", "jevt.value" }, /* key required */
		{ "jevt.value[]", "jevt.value" },
		{ "k8s.pod.label", "k8s.pod.label" },
		{ "evt.arg.fl-ags", "evt.arg" },
	};
	size_t i, nl;

	for (i = 0; i < sizeof(nofield) / sizeof(nofield[0]); i++)
		ck_assert_msg(!split(nofield[i], &nl), "'%s' split", nofield[i]);
	for (i = 0; i < sizeof(badarg) / sizeof(badarg[0]); i++) {
		const char *t = badarg[i].token;
		const struct field_info *f = split(t, &nl);

		ck_assert_msg(f, "%s: no field", t);
		ck_assert_str_eq(f->name, badarg[i].field);
		ck_assert_msg(field_arg_error(f, t, nl, strlen(t)), "%s: argument accepted", t);
	}
}
END_TEST

/* The evt.arg names libsinsp resolves to user or group names. */
START_TEST(test_arg_id_kind)
{
	ck_assert_int_eq(field_arg_id_kind("uid", 3), 1);
	ck_assert_int_eq(field_arg_id_kind("euid", 4), 1);
	ck_assert_int_eq(field_arg_id_kind("fsuid", 5), 1);
	ck_assert_int_eq(field_arg_id_kind("gid", 3), 0);
	ck_assert_int_eq(field_arg_id_kind("sgid", 4), 0);
	ck_assert_int_eq(field_arg_id_kind("uidx", 3), 1); /* by length: "uid" */
	ck_assert_int_eq(field_arg_id_kind("uidx", 4), -1);
	ck_assert_int_eq(field_arg_id_kind("mode", 4), -1);
	ck_assert_int_eq(field_arg_id_kind("", 0), -1);
}
END_TEST

START_TEST(test_evtypes)
{
	size_t i, j, n = evtypes_count();

	ck_assert_int_eq(evtype_lookup("open", 4), SHRIKE_EVT_OPEN);
	ck_assert_int_eq(evtype_lookup("openat", 6), SHRIKE_EVT_OPENAT);
	ck_assert_int_eq(evtype_lookup("execve", 6), SHRIKE_EVT_EXECVE);
	ck_assert_int_eq(SHRIKE_EVT_OPEN, 0);
	ck_assert_int_eq(SHRIKE_EVT_OPENAT, 1);
	ck_assert_int_eq(SHRIKE_EVT_EXECVE, 2);
	ck_assert_int_eq(evtype_lookup("openat2", 7), SHRIKE_EVT_OPENAT2);
	ck_assert_int_eq(evtype_lookup("container", 9), SHRIKE_EVT_CONTAINER);
	ck_assert_int_eq(evtype_lookup("procexit", 8), SHRIKE_EVT_PROCEXIT);
	ck_assert_int_eq(evtype_lookup("openatx", 6), SHRIKE_EVT_OPENAT);
	ck_assert_int_eq(evtype_lookup("nosuchcall", 10), -1);
	ck_assert_int_eq(evtype_lookup("ope", 3), -1);
	ck_assert_int_eq(evtype_lookup("", 0), -1);
	ck_assert_int_eq(evtype_lookup("OPEN", 4), -1);
	ck_assert_str_eq(evtype_name(SHRIKE_EVT_EXECVE), "execve");
	ck_assert_ptr_null(evtype_name(-1));
	ck_assert_ptr_null(evtype_name((int)n));
	ck_assert_uint_eq(n, __SHRIKE_EVT_MAX);
	ck_assert_uint_le(n, SHRIKE_EVT_BITMAP_WORDS * 64);
	for (i = 0; i < n; i++) {
		const char *name = evtype_name((int)i);

		ck_assert_int_eq(evtype_lookup(name, strlen(name)), (int)i);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(evtype_name((int)j), name);
	}
}
END_TEST

static char *print_to_string(bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	fields_print(f, json);
	fclose(f);
	return buf;
}

START_TEST(test_print)
{
	char *t = print_to_string(false), *j = print_to_string(true), *p;
	size_t objs = 0;

	ck_assert_ptr_nonnull(strstr(t, "Field Class: proc"));
	ck_assert_ptr_nonnull(strstr(t, "Field Class: ka"));
	ck_assert_ptr_nonnull(strstr(t, "proc.aname[N]"));
	ck_assert_ptr_nonnull(strstr(t, "evt.arg.NAME"));
	ck_assert_ptr_nonnull(strstr(t, "k8s_audit"));
	ck_assert_ptr_nonnull(strstr(j, "{\"name\": \"evt.type\", \"id\": 0,"));
	ck_assert_ptr_nonnull(strstr(j, "\"where\": \"agent\""));
	for (p = j; (p = strstr(p, "{\"name\": ")); p++)
		objs++;
	ck_assert_uint_eq(objs, fields_count());
	ck_assert_int_eq(j[0], '[');
	free(t);
	free(j);
}
END_TEST

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

/*
 * The kernel's extractor table (kmod/extract.c, read as source: it is
 * kernel code) against the registry: every field the registry puts in the
 * kernel (where KERNEL, source SYSCALL) has exactly one entry, and no other
 * field has one (shrike_fetch() would never call it). The module checks
 * the first at load as well (shrike_extract_check); this needs no kernel.
 */
#define EXTRACT_C "kmod/extract.c"

struct ext_id {
	const char *id;	    /* "EVT_TYPE" */
	unsigned int field; /* SHRIKE_F_EVT_TYPE */
};
#define EXT_ID_(id, nm, ty, wh, src, argk, desc) { #id, SHRIKE_F_##id },
static const struct ext_id ext_ids[] = { SHRIKE_FIELDS(EXT_ID_) };
#undef EXT_ID_

START_TEST(test_extractors)
{
	static unsigned char seen[__SHRIKE_F_MAX];
	size_t n = 0, got, i, entries = 0;
	char *src = NULL, *p, *end;
	FILE *f = fopen(EXTRACT_C, "rb");

	ck_assert_msg(f, "%s: %s (run from the top of the checkout)", EXTRACT_C, strerror(errno));
	do {
		src = realloc(src, n + 65536 + 1);
		ck_assert_ptr_nonnull(src);
		got = fread(src + n, 1, 65536, f);
		n += got;
	} while (got);
	fclose(f);
	src[n] = 0;
	p = strstr(src, "extractors[__SHRIKE_F_MAX] = {");
	ck_assert_msg(p, "%s: no extractor table", EXTRACT_C);
	end = strstr(p, "\n};");
	ck_assert_msg(end, "%s: the extractor table does not end", EXTRACT_C);
	*end = 0;
	memset(seen, 0, sizeof(seen));
	while ((p = strstr(p, "[SHRIKE_F_"))) {
		const char *id = p + strlen("[SHRIKE_F_");
		size_t len = strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
		const struct ext_id *e = NULL;

		ck_assert_msg(id[len] == ']', "%s: entry '%.40s'", EXTRACT_C, p);
		for (i = 0; i < sizeof(ext_ids) / sizeof(ext_ids[0]); i++)
			if (strlen(ext_ids[i].id) == len && !memcmp(ext_ids[i].id, id, len))
				e = &ext_ids[i];
		ck_assert_msg(e, "%s: SHRIKE_F_%.*s is no field", EXTRACT_C, (int)len, id);
		ck_assert_msg(!seen[e->field], "%s: %s has two entries", EXTRACT_C,
			      field_at(e->field)->name);
		seen[e->field] = 1;
		entries++;
		p = (char *)id + len;
	}
	for (i = 0; i < __SHRIKE_F_MAX; i++) {
		const struct field_info *fi = field_at(i);
		bool kernel = fi->where == SHRIKE_W_KERNEL && fi->source == SHRIKE_SRC_SYSCALL;

		ck_assert_msg(!kernel || seen[i], "%s: kernel field %s has no extractor", EXTRACT_C,
			      fi->name);
		ck_assert_msg(kernel || !seen[i],
			      "%s: %s is not a kernel field but has an extractor", EXTRACT_C,
			      fi->name);
	}
	/* A reader that found nothing would pass the loop above vacuously. */
	ck_assert_uint_ge(entries, 100);
	free(src);
}
END_TEST

Suite *make_fields_suite(void)
{
	Suite *s = suite_create("fields");
	TCase *tc = tcase_create("registry");

	tcase_add_test(tc, test_exact);
	tcase_add_test(tc, test_unknown);
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_split);
	tcase_add_test(tc, test_split_bad);
	tcase_add_test(tc, test_arg_id_kind);
	tcase_add_test(tc, test_evtypes);
	tcase_add_test(tc, test_print);
	suite_add_tcase(s, tc);

	tc = tcase_create("falco_rules");
	tcase_add_test(tc, test_scanner);
	tcase_add_test(tc, test_falco_rules);
	suite_add_tcase(s, tc);

	tc = tcase_create("extractors");
	tcase_add_test(tc, test_extractors);
	suite_add_tcase(s, tc);
	return s;
}
