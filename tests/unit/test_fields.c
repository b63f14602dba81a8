/* test_fields.c - the field and event-type registry: lookups, argument
 * splitting, the listing, and an extractor in the kernel (kmod/extract.c's
 * table) for every field the kernel computes; the fields suite, whose
 * "falco_rules" test cases are in test_fields_falco.c (coverage of every
 * field and event type that Falco's public rule files use). */
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

/* test_fields_falco.c */
void fields_falco_tcases(Suite *s);

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

	fields_falco_tcases(s);

	tc = tcase_create("extractors");
	tcase_add_test(tc, test_extractors);
	suite_add_tcase(s, tc);
	return s;
}
