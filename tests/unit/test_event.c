/* test_event.c - the userspace event model: JSON syscall events and their
 * conversions, the setters, and fetch by type through a verified table.
 * Times are rendered with TZ=UTC. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "lib/event.h"
#include "event_fixtures.h"
#include "lib/fields.h"
#include "compiler/tablebuf.h"

/* ---- syscall events -------------------------------------------------------------- */

START_TEST(test_syscall_parse_values)
{
	struct uevent ev;

	utc();
	load_syscall(&ev, SAMPLE);
	EQ(&ev, "evt.type", "openat");
	EQ(&ev, "proc.name", "bash");
	EQ(&ev, "proc.aname[2]", "sshd");
	EQ(&ev, "evt.arg.flags", "O_WRONLY|O_CREAT");
	EQ(&ev, "fd.sport", "22");
	EQ(&ev, "user.name", "root");
	/* Ancestors as a list, parent first: level N is item N-1, 0 the process. */
	EQ(&ev, "proc.aname[0]", "bash");
	EQ(&ev, "proc.aname[1]", "bash");
	EQ(&ev, "proc.aname[3]", "systemd");
	EQ(&ev, "proc.aname[4]", "<NA>");
	EQ(&ev, "proc.aname", "bash");
	/* The time, and everything derived from it. */
	EQ(&ev, "evt.time", "22:13:20.123456789");
	EQ(&ev, "evt.time.s", "22:13:20");
	EQ(&ev, "evt.datetime", "2023-11-14 22:13:20.123456789");
	EQ(&ev, "evt.datetime.s", "2023-11-14 22:13:20");
	EQ(&ev, "evt.time.iso8601", "2023-11-14T22:13:20.123456789+0000");
	EQ(&ev, "evt.rawtime", "1700000000123456789");
	EQ(&ev, "evt.rawtime.s", "1700000000");
	EQ(&ev, "evt.rawtime.ns", "123456789");
	EQ(&ev, "evt.source", "syscall");
	EQ(&ev, "proc.pid", "<NA>");
	EQ(&ev, "ka.verb", "<NA>");
	uevent_free(&ev);
}
END_TEST

START_TEST(test_syscall_conversions)
{
	struct uevent ev;
	struct uevent_ctx c = { NULL, &ev };
	struct shrike_val v;

	load_syscall(
		&ev,
		"{\"proc.name\":42,\"proc.cmdline\":1.5,\"evt.failed\":\"true\","
		"\"evt.is_io\":false,\"fd.sip\":\"10.0.0.1\",\"fd.cip\":\"2001:db8::1\","
		"\"fd.snet\":\"10.1.0.0/16\",\"fd.cnet\":\"192.168.1.7\",\"evt.rawres\":-2,"
		"\"user.loginuid\":\"-1\",\"proc.pid\":\"123\",\"evt.num\":18446744073709551615,"
		"\"fd.name\":null,\"proc.exe\":true,\"proc.aname[02]\":\"init\","
		"\"proc.env[HOME]\":\"/root\",\"thread.cgroup[cpu]\":\"/user.slice\"}");
	EQ(&ev, "proc.name", "42");
	EQ(&ev, "proc.cmdline", "1.5");
	EQ(&ev, "evt.failed", "true");
	EQ(&ev, "evt.is_io", "false");
	EQ(&ev, "fd.sip", "10.0.0.1");
	EQ(&ev, "fd.cip", "2001:db8::1");
	EQ(&ev, "fd.snet", "10.1.0.0/16");
	EQ(&ev, "fd.cnet", "192.168.1.7/32");
	EQ(&ev, "evt.rawres", "-2");
	EQ(&ev, "user.loginuid", "-1");
	EQ(&ev, "proc.pid", "123");
	EQ(&ev, "evt.num", "18446744073709551615");
	EQ(&ev, "fd.name", "<NA>");
	EQ(&ev, "proc.exe", "true");
	EQ(&ev, "proc.aname[2]", "init");
	EQ(&ev, "proc.env[HOME]", "/root");
	EQ(&ev, "proc.env", "<NA>");
	EQ(&ev, "thread.cgroup[cpu]", "/user.slice");
	EQ(&ev, "evt.time", "<NA>");

	ck_assert_int_eq(uevent_lookup(&ev, SHRIKE_F_FD_SIP, NULL, 0, &v), SHRIKE_FETCH_OK);
	ck_assert_int_eq(v.type, SHRIKE_T_IPADDR);
	ck_assert_int_eq(v.family, 4);
	ck_assert_int_eq(memcmp(v.ip, "\x0a\x00\x00\x01", 4), 0);
	ck_assert_int_eq(uevent_lookup(&ev, SHRIKE_F_FD_SNET, NULL, 0, &v), SHRIKE_FETCH_OK);
	ck_assert_int_eq(v.type, SHRIKE_T_IPNET);
	ck_assert_int_eq(v.prefix, 16);
	ck_assert_int_eq(uevent_lookup(&ev, SHRIKE_F_FD_CIP, NULL, 0, &v), SHRIKE_FETCH_OK);
	ck_assert_int_eq(v.family, 6);
	ck_assert_int_eq(v.ip[0], 0x20);
	ck_assert_int_eq(v.ip[15], 1);
	ck_assert_int_eq(uevent_lookup(&ev, SHRIKE_F_EVT_RAWRES, NULL, 0, &v), SHRIKE_FETCH_OK);
	ck_assert_int_eq(v.type, SHRIKE_T_S64);
	ck_assert_int_eq(v.s, -2);
	ck_assert_int_eq(uevent_lookup(&ev, SHRIKE_F_EVT_FAILED, NULL, 0, &v), SHRIKE_FETCH_OK);
	ck_assert_int_eq(v.type, SHRIKE_T_BOOL);
	ck_assert_int_eq(v.u, 1);
	ck_assert_int_eq(uevent_lookup(&ev, SHRIKE_F_FD_NAME, NULL, 0, &v), SHRIKE_FETCH_MISSING);
	ck_assert_int_eq(uevent_get_str(&c, "no.such.field", 13, NULL, 0), -EINVAL);
	uevent_free(&ev);
}
END_TEST

START_TEST(test_syscall_errors)
{
	static const struct {
		const char *line, *msg;
	} bad[] = {
		{ "", "invalid JSON: unexpected end of input" },
		{ "{\"proc.name\":", "invalid JSON: unexpected end of input" },
		{ "[1,2]", "event is not a JSON object" },
		{ "\"x\"", "event is not a JSON object" },
		{ "{} {}", "invalid JSON: trailing data at offset 3" },
		{ "{\"proc.nam\":\"x\"}", "unknown field 'proc.nam'" },
		{ "{\"proc.name[1]\":\"x\"}", "proc.name[1]: field takes no argument" },
		{ "{\"evt.arg\":\"x\"}", "evt.arg: field requires an argument" },
		{ "{\"proc.aname[x]\":\"x\"}", "proc.aname[x]: field argument must be a number" },
		{ "{\"ka.verb\":\"get\"}", "ka.verb: not a syscall field" },
		{ "{\"fd.sport\":\"abc\"}", "fd.sport: expected an unsigned integer" },
		{ "{\"fd.sport\":-1}", "fd.sport: expected an unsigned integer" },
		{ "{\"fd.sport\":[1]}", "fd.sport: expected a uint64, not a list" },
		{ "{\"proc.name\":{\"a\":1}}", "proc.name: expected a string" },
		{ "{\"proc.aname\":[\"a\",{}]}",
		  "proc.aname: list item 1 is not a string or number" },
		{ "{\"evt.failed\":\"yes\"}", "evt.failed: expected true or false" },
		{ "{\"fd.sip\":\"10.0.0.300\"}", "fd.sip: expected an IP address" },
		{ "{\"fd.sip\":\"10.0.0.0/8\"}", "fd.sip: expected an IP address" },
		{ "{\"fd.snet\":\"10.0.0.0/33\"}", "fd.snet: expected an IP network" },
		{ "{\"evt.time\":-5}", "evt.time: expected nanoseconds since the epoch" },
	};
	char deep[2200], err[128];
	struct uevent ev;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(uevent_from_json_syscall(&ev, bad[i].line, err, sizeof(err)),
				 -EINVAL);
		ck_assert_str_eq(err, bad[i].msg);
		uevent_free(&ev);
	}
	/* Nesting beyond the parser's depth is an error, not a stack overflow. */
	strcpy(deep, "{\"proc.aname\":");
	for (i = 0; i < 1000; i++)
		strcat(deep, "[");
	ck_assert_int_eq(uevent_from_json_syscall(&ev, deep, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "invalid JSON: nesting too deep");
	uevent_free(&ev);
	ck_assert_int_eq(uevent_from_json_syscall(&ev, NULL, err, sizeof(err)), -EINVAL);
	uevent_free(&ev);
}
END_TEST

START_TEST(test_syscall_big_list)
{
	struct uevent ev;
	char *line, *p;
	size_t i;

	line = malloc(20 * 100000 + 64);
	ck_assert_ptr_nonnull(line);
	p = line + sprintf(line, "{\"proc.aname\":[");
	for (i = 0; i < 100000; i++)
		p += sprintf(p, "%s\"p%zu\"", i ? "," : "", i);
	strcpy(p, "]}");
	load_syscall(&ev, line);
	EQ(&ev, "proc.aname[100000]", "p99999");
	EQ(&ev, "proc.aname[100001]", "<NA>");
	uevent_free(&ev);
	free(line);
}
END_TEST

START_TEST(test_setters)
{
	static const char *const groups[] = { "a", "b" };
	struct uevent ev;
	u8 v6[16] = { 0xfe, 0x80 };

	uevent_init(&ev, SHRIKE_SRC_SYSCALL);
	ck_assert_int_eq(uevent_set_str(&ev, SHRIKE_F_USER_NAME, NULL, "nobody", 6), 0);
	ck_assert_int_eq(uevent_set_str(&ev, SHRIKE_F_USER_NAME, NULL, "root", 4), 0);
	ck_assert_int_eq(uevent_set_u64(&ev, SHRIKE_F_PROC_PID, NULL, 4242), 0);
	ck_assert_int_eq(uevent_set_s64(&ev, SHRIKE_F_USER_LOGINUID, NULL, -1), 0);
	ck_assert_int_eq(uevent_set_bool(&ev, SHRIKE_F_CONTAINER_PRIVILEGED, NULL, true), 0);
	ck_assert_int_eq(uevent_set_strlist(&ev, SHRIKE_F_PROC_ANAME, NULL, groups, 2), 0);
	ck_assert_int_eq(uevent_set_str(&ev, SHRIKE_F_PROC_ENV, "HOME", "/root", 5), 0);
	ck_assert_int_eq(uevent_set_ip(&ev, SHRIKE_F_FD_RIP, NULL, 6, v6, 0), 0);
	ck_assert_int_eq(uevent_set_ip(&ev, SHRIKE_F_FD_RNET, NULL, 4, "\x0a\x00\x00\x00", 8), 0);
	ck_assert_int_eq(uevent_set_ip(&ev, SHRIKE_F_FD_RNET, NULL, 4, "\x0a\x00\x00\x00", 33),
			 -EINVAL);
	ck_assert_int_eq(uevent_set_missing(&ev, SHRIKE_F_FD_NAME, NULL), 0);
	ck_assert_int_eq(uevent_set_u64(&ev, __SHRIKE_F_MAX, NULL, 1), -EINVAL);
	EQ(&ev, "user.name", "root");
	EQ(&ev, "proc.pid", "4242");
	EQ(&ev, "user.loginuid", "-1");
	EQ(&ev, "container.privileged", "true");
	EQ(&ev, "proc.aname[2]", "b");
	EQ(&ev, "proc.env[HOME]", "/root");
	EQ(&ev, "fd.rip", "fe80::");
	EQ(&ev, "fd.rnet", "10.0.0.0/8");
	EQ(&ev, "fd.name", "<NA>");
	uevent_free(&ev);

	/* Ancestors given level by level make the "any" list, parent first. */
	uevent_init(&ev, SHRIKE_SRC_SYSCALL);
	ck_assert_int_eq(uevent_set_str(&ev, SHRIKE_F_PROC_ANAME, "3", "init", 4), 0);
	ck_assert_int_eq(uevent_set_str(&ev, SHRIKE_F_PROC_ANAME, "1", "sh", 2), 0);
	EQ(&ev, "proc.aname", "sh");
	uevent_free(&ev);
}
END_TEST

/* A verified table with rules over the fields the tests fetch. */
struct tbl {
	void *buf;
	struct shrike_table t;
	long flags, sshd, o_creat, create, mallory, ptr, openat;
};

static void build_table(struct tbl *x)
{
	struct tablebuf *tb = tb_new();
	struct tb_rule r;
	struct shrike_verr e;
	size_t len;
	long first, i22;

	ck_assert_ptr_nonnull(tb);
	x->flags = tb_cstring(tb, "flags");
	x->sshd = tb_cstring(tb, "sshd");
	x->o_creat = tb_cstring(tb, "O_CREAT");
	x->create = tb_cstring(tb, "create");
	x->mallory = tb_cstring(tb, "mallory");
	x->ptr = tb_cstring(tb, "/requestObject/roleRef/name");
	x->openat = tb_cstring(tb, "openat");
	i22 = tb_int(tb, 22);

	/* evt.type = openat and evt.arg.flags contains O_CREAT and
	 * proc.aname[2] = sshd and fd.sport = 22 */
	first = tb_ninsns(tb);
	tb_insn(tb, SHRIKE_OP_TEST, SHRIKE_CMP_EQ, SHRIKE_F_EVT_TYPE, SHRIKE_ARG_NONE,
		(u16)x->openat);
	tb_insn(tb, SHRIKE_OP_TEST, SHRIKE_CMP_CONTAINS, SHRIKE_F_EVT_ARG, (u16)x->flags,
		(u16)x->o_creat);
	tb_insn(tb, SHRIKE_OP_AND, 0, 0, 0, 0);
	tb_insn(tb, SHRIKE_OP_TEST, SHRIKE_CMP_EQ, SHRIKE_F_PROC_ANAME, 2, (u16)x->sshd);
	tb_insn(tb, SHRIKE_OP_AND, 0, 0, 0, 0);
	tb_insn(tb, SHRIKE_OP_TEST, SHRIKE_CMP_EQ, SHRIKE_F_FD_SPORT, SHRIKE_ARG_NONE, (u16)i22);
	tb_insn(tb, SHRIKE_OP_AND, 0, 0, 0, 0);
	tb_insn(tb, SHRIKE_OP_RET, 0, 0, 0, 0);
	memset(&r, 0, sizeof(r));
	r.name = "syscall rule";
	r.desc = "d";
	r.output = "o";
	r.prog = (u32)first;
	r.prog_len = (u32)(tb_ninsns(tb) - first);
	r.source = SHRIKE_SRC_SYSCALL;
	r.priority = SHRIKE_PRI_WARNING;
	r.flags = SHRIKE_RF_ENABLED | SHRIKE_RF_NEEDS_AGENT | SHRIKE_RF_ALL_EVENTS;
	ck_assert_int_ge(tb_rule(tb, &r), 0);

	/* ka.verb = create and ka.req.binding.subjects.user_names = mallory
	 * and jevt.value[/requestObject/roleRef/name] exists */
	first = tb_ninsns(tb);
	tb_insn(tb, SHRIKE_OP_TEST, SHRIKE_CMP_EQ, SHRIKE_F_KA_VERB, SHRIKE_ARG_NONE,
		(u16)x->create);
	tb_insn(tb, SHRIKE_OP_TEST, SHRIKE_CMP_EQ, SHRIKE_F_KA_REQ_BINDING_SUBJECTS_USER_NAMES,
		SHRIKE_ARG_NONE, (u16)x->mallory);
	tb_insn(tb, SHRIKE_OP_AND, 0, 0, 0, 0);
	tb_insn(tb, SHRIKE_OP_TEST, SHRIKE_CMP_EXISTS, SHRIKE_F_JEVT_VALUE, (u16)x->ptr, 0);
	tb_insn(tb, SHRIKE_OP_AND, 0, 0, 0, 0);
	tb_insn(tb, SHRIKE_OP_RET, 0, 0, 0, 0);
	r.name = "k8s rule";
	r.prog = (u32)first;
	r.prog_len = (u32)(tb_ninsns(tb) - first);
	r.source = SHRIKE_SRC_K8S_AUDIT;
	ck_assert_int_ge(tb_rule(tb, &r), 0);

	ck_assert_int_eq(tb_serialize(tb, &x->buf, &len), 0);
	tb_free(tb);
	ck_assert_int_eq(shrike_table_verify(x->buf, (u32)len, &x->t, &e), 0);
}

START_TEST(test_fetch_by_type)
{
	struct tbl x;
	struct uevent ev;
	struct uevent_ctx c;
	struct shrike_val v;

	build_table(&x);
	load_syscall(&ev, SAMPLE);
	c.t = &x.t;
	c.ev = &ev;

	ck_assert_int_eq(uevent_fetch(&c, SHRIKE_F_FD_SPORT, SHRIKE_ARG_NONE, &v), SHRIKE_FETCH_OK);
	ck_assert_int_eq(v.type, SHRIKE_T_U64);
	ck_assert_int_eq(v.u, 22);
	ck_assert_int_eq(uevent_fetch(&c, SHRIKE_F_EVT_ARG, (u16)x.flags, &v), SHRIKE_FETCH_OK);
	ck_assert_int_eq(v.type, SHRIKE_T_STR);
	ck_assert_int_eq(v.str.len, 16);
	ck_assert_int_eq(memcmp(v.str.ptr, "O_WRONLY|O_CREAT", 16), 0);
	ck_assert_int_eq(uevent_fetch(&c, SHRIKE_F_PROC_ANAME, 2, &v), SHRIKE_FETCH_OK);
	ck_assert_int_eq(v.type, SHRIKE_T_STR);
	ck_assert_int_eq(memcmp(v.str.ptr, "sshd", 4), 0);
	ck_assert_int_eq(uevent_fetch(&c, SHRIKE_F_PROC_ANAME, SHRIKE_ARG_NONE, &v),
			 SHRIKE_FETCH_OK);
	ck_assert_int_eq(v.type, SHRIKE_T_STRLIST);
	ck_assert_int_eq(v.list.n, 3);
	ck_assert_int_eq(uevent_fetch(&c, SHRIKE_F_EVT_RAWTIME, SHRIKE_ARG_NONE, &v),
			 SHRIKE_FETCH_OK);
	ck_assert_int_eq(v.type, SHRIKE_T_U64);
	ck_assert(v.u == 1700000000123456789ull);
	ck_assert_int_eq(uevent_fetch(&c, SHRIKE_F_PROC_PID, SHRIKE_ARG_NONE, &v),
			 SHRIKE_FETCH_MISSING);
	ck_assert_int_eq(uevent_fetch(&c, SHRIKE_F_KA_VERB, SHRIKE_ARG_NONE, &v),
			 SHRIKE_FETCH_MISSING);
	/* Arguments the table cannot have. */
	ck_assert_int_eq(uevent_fetch(&c, SHRIKE_F_EVT_ARG, 60000, &v), SHRIKE_FETCH_UNKNOWN);
	ck_assert_int_eq(uevent_fetch(&c, SHRIKE_F_PROC_NAME, 1, &v), SHRIKE_FETCH_UNKNOWN);
	ck_assert_int_eq(uevent_fetch(&c, __SHRIKE_F_MAX, SHRIKE_ARG_NONE, &v),
			 SHRIKE_FETCH_UNKNOWN);
	c.t = NULL;
	ck_assert_int_eq(uevent_fetch(&c, SHRIKE_F_EVT_ARG, (u16)x.flags, &v),
			 SHRIKE_FETCH_UNKNOWN);
	c.t = &x.t;

	/* The whole path: the evaluator over this fetch callback. */
	ck_assert_int_eq(shrike_eval(&x.t, shrike_rule_at(&x.t, 0), uevent_fetch, &c),
			 SHRIKE_V_TRUE);
	ck_assert_int_eq(shrike_eval(&x.t, shrike_rule_at(&x.t, 1), uevent_fetch, &c),
			 SHRIKE_V_FALSE);
	uevent_free(&ev);

	load_audit(&ev, "crb_cluster_admin.json");
	ck_assert_int_eq(shrike_eval(&x.t, shrike_rule_at(&x.t, 1), uevent_fetch, &c),
			 SHRIKE_V_TRUE);
	ck_assert_int_eq(shrike_eval(&x.t, shrike_rule_at(&x.t, 0), uevent_fetch, &c),
			 SHRIKE_V_FALSE);
	ck_assert_int_eq(uevent_fetch(&c, SHRIKE_F_JEVT_VALUE, (u16)x.ptr, &v), SHRIKE_FETCH_OK);
	ck_assert_int_eq(v.str.len, 13);
	ck_assert_int_eq(memcmp(v.str.ptr, "cluster-admin", 13), 0);
	ck_assert_int_eq(
		uevent_fetch(&c, SHRIKE_F_KA_REQ_POD_CONTAINERS_IMAGE, SHRIKE_ARG_NONE, &v),
		SHRIKE_FETCH_MISSING);
	uevent_free(&ev);

	load_audit(&ev, "pod_create_privileged.json");
	ck_assert_int_eq(uevent_fetch(&c, SHRIKE_F_KA_REQ_POD_CONTAINERS_IMAGE, 1, &v),
			 SHRIKE_FETCH_OK);
	ck_assert_int_eq(v.type, SHRIKE_T_STRLIST);
	ck_assert_int_eq(v.list.n, 1);
	ck_assert_int_eq(uevent_fetch(&c, SHRIKE_F_JEVT_RAWTIME, SHRIKE_ARG_NONE, &v),
			 SHRIKE_FETCH_OK);
	ck_assert_int_eq(v.type, SHRIKE_T_U64);
	ck_assert(v.u == 1704164645123456000ull);
	ck_assert_int_eq(uevent_fetch(&c, SHRIKE_F_PROC_NAME, SHRIKE_ARG_NONE, &v),
			 SHRIKE_FETCH_MISSING);
	uevent_free(&ev);
	free(x.buf);
}
END_TEST

Suite *make_event_suite(void)
{
	Suite *s = suite_create("event");
	TCase *tc = tcase_create("event");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_syscall_parse_values);
	tcase_add_test(tc, test_syscall_conversions);
	tcase_add_test(tc, test_syscall_errors);
	tcase_add_test(tc, test_syscall_big_list);
	tcase_add_test(tc, test_setters);
	tcase_add_test(tc, test_fetch_by_type);
	suite_add_tcase(s, tc);
	return s;
}
