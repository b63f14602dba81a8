/* test_agent.c - the userspace event model and Falco's alert format: JSON
 * syscall events and their conversions, fetch by type through a verified
 * table, every k8s audit field on the fixtures in tests/unit/k8s/, hostile
 * JSON shapes, and the text and JSON alert lines, with exact strings. Times
 * are rendered with TZ=UTC. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>

#include "lib/event.h"
#include "uevent_helpers.h"
#include "lib/k8saudit.h"
#include "lib/alert.h"
#include "lib/strbuf.h"
#include "lib/fields.h"
#include "compiler/tablebuf.h"

#define SAMPLE                                                                           \
	"{\"evt.type\":\"openat\",\"proc.name\":\"bash\",\"proc.aname[2]\":\"sshd\","    \
	"\"evt.arg.flags\":\"O_WRONLY|O_CREAT\",\"fd.sport\":22,\"user.name\":\"root\"," \
	"\"proc.aname\":[\"bash\",\"sshd\",\"systemd\"],\"evt.time\":1700000000123456789}"

static void utc(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
}

#define EQ(ev, tok, exp) ck_assert_str_eq(val((ev), (tok)), (exp))

static void load_syscall(struct uevent *ev, const char *line)
{
	char err[256];
	int rc = uevent_from_json_syscall(ev, line, err, sizeof(err));

	ck_assert_msg(rc == 0, "parse failed: %s", err);
}

static json_object *fixture(const char *name)
{
	char path[512];
	const char *f = __FILE__, *slash = strrchr(f, '/');
	json_object *j;

	snprintf(path, sizeof(path), "%.*sk8s/%s", slash ? (int)(slash - f + 1) : 0, f, name);
	j = json_object_from_file(path);
	ck_assert_msg(j != NULL, "cannot read %s", path);
	return j;
}

static void load_audit(struct uevent *ev, const char *name)
{
	json_object *j = fixture(name);

	ck_assert_int_eq(uevent_from_audit(ev, j), 0);
	json_object_put(j); /* the event holds its own reference */
}

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

/* ---- k8s audit ------------------------------------------------------------------- */

START_TEST(test_k8s_privileged_pod)
{
	struct uevent ev;

	utc();
	load_audit(&ev, "pod_create_privileged.json");
	EQ(&ev, "ka.auditid", "7c3f5e8a-1b2d-4c6e-9f0a-2b4d6e8f0a1c");
	EQ(&ev, "ka.stage", "ResponseComplete");
	EQ(&ev, "ka.auth.decision", "allow");
	EQ(&ev, "ka.auth.reason", "");
	EQ(&ev, "ka.auth.openshift.decision", "<NA>");
	EQ(&ev, "ka.security.pod.violations", "<NA>");
	EQ(&ev, "ka.user.name", "kubernetes-admin");
	EQ(&ev, "ka.user.groups", "(system:masters,system:authenticated)");
	EQ(&ev, "ka.impuser.name", "<NA>");
	EQ(&ev, "ka.verb", "create");
	EQ(&ev, "ka.uri",
	   "/api/v1/namespaces/default/pods?fieldManager=kubectl-client-side-apply&fieldValidation=Strict");
	EQ(&ev, "ka.uri.param[fieldManager]", "kubectl-client-side-apply");
	EQ(&ev, "ka.uri.param[fieldValidation]", "Strict");
	EQ(&ev, "ka.uri.param[dryRun]", "<NA>");
	EQ(&ev, "ka.target.name", "nginx-priv");
	EQ(&ev, "ka.target.namespace", "default");
	EQ(&ev, "ka.target.resource", "pods");
	EQ(&ev, "ka.target.subresource", "<NA>");
	EQ(&ev, "ka.target.pod.name", "nginx-priv");
	EQ(&ev, "ka.req.pod.containers.name", "(nginx,sidecar)");
	EQ(&ev, "ka.req.pod.containers.image",
	   "(docker.io/library/nginx:1.25.3,quay.io/prometheus/node-exporter@sha256:"
	   "4cb2b9019f1757be8482419002cb7afe028fdba35d47958829e4cfeaf6246d80)");
	EQ(&ev, "ka.req.pod.containers.image[0]", "(docker.io/library/nginx:1.25.3)");
	EQ(&ev, "ka.req.pod.containers.image[2]", "<NA>");
	EQ(&ev, "ka.req.pod.containers.image.repository",
	   "(docker.io/library/nginx,quay.io/prometheus/node-exporter)");
	EQ(&ev, "ka.req.container.image", "docker.io/library/nginx:1.25.3");
	EQ(&ev, "ka.req.container.image.repository", "docker.io/library/nginx");
	/* hostPort where set, else containerPort (the host's with hostNetwork). */
	EQ(&ev, "ka.req.pod.containers.host_port", "(8080,443)");
	EQ(&ev, "ka.req.pod.containers.host_port[1]", "<NA>");
	/* Containers without the setting are skipped, not "false". */
	EQ(&ev, "ka.req.pod.containers.privileged", "(true)");
	EQ(&ev, "ka.req.pod.containers.privileged[0]", "(true)");
	EQ(&ev, "ka.req.pod.containers.privileged[1]", "<NA>");
	EQ(&ev, "ka.req.container.privileged", "true");
	EQ(&ev, "ka.req.pod.containers.allow_privilege_escalation", "(true)");
	EQ(&ev, "ka.req.pod.containers.read_only_fs", "(true)");
	EQ(&ev, "ka.req.pod.containers.run_as_user", "(0)");
	EQ(&ev, "ka.req.pod.containers.eff_run_as_user", "(1000,0)");
	EQ(&ev, "ka.req.pod.containers.eff_run_as_user[1]", "(0)");
	EQ(&ev, "ka.req.pod.containers.run_as_group", "<NA>");
	EQ(&ev, "ka.req.pod.containers.eff_run_as_group", "(0,0)");
	EQ(&ev, "ka.req.pod.containers.proc_mount", "(Default)");
	EQ(&ev, "ka.req.pod.containers.add_capabilities", "([\"NET_ADMIN\",\"SYS_TIME\"])");
	EQ(&ev, "ka.req.pod.containers.command", "<NA>");
	EQ(&ev, "ka.req.pod.initContainers.name", "(init)");
	EQ(&ev, "ka.req.pod.initContainers.image", "(busybox:1.36)");
	EQ(&ev, "ka.req.pod.initContainers.image.repository", "(busybox)");
	EQ(&ev, "ka.req.pod.initContainers.command", "([\"sh\",\"-c\",\"true\"])");
	EQ(&ev, "ka.req.pod.initContainers.privileged", "<NA>");
	EQ(&ev, "ka.req.pod.initContainers.eff_run_as_user", "(1000)");
	EQ(&ev, "ka.req.pod.ephemeralContainers.image", "<NA>");
	EQ(&ev, "ka.req.pod.run_as_user", "1000");
	EQ(&ev, "ka.req.pod.run_as_group", "<NA>");
	EQ(&ev, "ka.req.pod.fs_group", "2000");
	EQ(&ev, "ka.req.pod.supplemental_groups", "(3000,3001)");
	EQ(&ev, "ka.req.pod.host_network", "true");
	EQ(&ev, "ka.req.container.host_network", "true");
	EQ(&ev, "ka.req.pod.host_pid", "false");
	EQ(&ev, "ka.req.pod.host_ipc", "<NA>");
	EQ(&ev, "ka.req.pod.volumes.hostpath", "(/etc)");
	EQ(&ev, "ka.req.pod.volumes.hostpath[1]", "<NA>");
	EQ(&ev, "ka.req.pod.volumes.flexvolume_driver", "(example.com/lvm)");
	EQ(&ev, "ka.req.pod.volumes.volume_type", "(hostPath,configMap,flexVolume)");
	EQ(&ev, "ka.req.pod.volumes.volume_type[1]", "(configMap)");
	EQ(&ev, "ka.req.volume.hostpath[/etc]", "true");
	EQ(&ev, "ka.req.volume.hostpath[/e*]", "true");
	EQ(&ev, "ka.req.volume.hostpath[/et]", "false");
	EQ(&ev, "ka.req.volume.hostpath[/var/run/docker.sock]", "false");
	EQ(&ev, "ka.req.binding.subjects", "<NA>");
	EQ(&ev, "ka.req.role.rules", "<NA>");
	EQ(&ev, "ka.req.service.type", "<NA>");
	EQ(&ev, "ka.resp.name", "nginx-priv");
	EQ(&ev, "ka.response.code", "201");
	EQ(&ev, "ka.response.reason", "<NA>");
	EQ(&ev, "ka.useragent", "kubectl/v1.29.1 (linux/amd64) kubernetes/bc401b9");
	EQ(&ev, "ka.sourceips", "(172.18.0.1)");
	EQ(&ev, "ka.sourceips[0]", "(172.18.0.1)");
	EQ(&ev, "ka.cluster.name", "<NA>");
	EQ(&ev, "jevt.time", "03:04:05.123456000");
	EQ(&ev, "jevt.time.iso8601", "2024-01-02T03:04:05.123456000+0000");
	EQ(&ev, "jevt.rawtime", "1704164645123456000");
	EQ(&ev, "jevt.value[/objectRef/resource]", "pods");
	EQ(&ev, "jevt.value[/requestObject/spec/containers/0/ports/0/hostPort]", "8080");
	EQ(&ev, "jevt.value[/requestObject/spec/hostNetwork]", "true");
	EQ(&ev, "jevt.value[/annotations/authorization.k8s.io~1decision]", "allow");
	EQ(&ev, "jevt.value[/requestObject/spec/containers/0/securityContext]",
	   "{\"allowPrivilegeEscalation\":true,\"capabilities\":{\"add\":[\"NET_ADMIN\",\"SYS_TIME\"]},"
	   "\"privileged\":true}");
	EQ(&ev, "jevt.value[/responseStatus/metadata]", "{}");
	EQ(&ev, "jevt.value[/nope]", "<NA>");
	EQ(&ev, "jevt.value[/requestObject/spec/containers/01/name]", "<NA>");
	EQ(&ev, "jevt.value[/requestObject/spec/containers/-]", "<NA>");
	EQ(&ev, "jevt.value[/requestObject/spec/containers/1/name]", "sidecar");
	EQ(&ev, "jevt.value[/verb/x]", "<NA>");
	/* Repeated lookups come from the cache and agree. */
	EQ(&ev, "ka.req.pod.containers.image[0]", "(docker.io/library/nginx:1.25.3)");
	EQ(&ev, "proc.name", "<NA>");
	uevent_free(&ev);
}
END_TEST

START_TEST(test_k8s_exec)
{
	struct uevent ev;

	utc();
	load_audit(&ev, "pod_exec.json");
	EQ(&ev, "ka.verb", "create");
	EQ(&ev, "ka.target.resource", "pods");
	EQ(&ev, "ka.target.subresource", "exec");
	EQ(&ev, "ka.target.name", "web-7d4b9c8f6-x2kqz");
	EQ(&ev, "ka.target.namespace", "prod");
	EQ(&ev, "ka.target.pod.name", "web-7d4b9c8f6-x2kqz");
	EQ(&ev, "ka.uri.param[command]", "/bin/sh");
	EQ(&ev, "ka.uri.param[container]", "web");
	EQ(&ev, "ka.uri.param[tty]", "true");
	EQ(&ev, "ka.user.name", "alice@example.com");
	EQ(&ev, "ka.user.groups", "(developers,system:authenticated)");
	EQ(&ev, "ka.impuser.name", "system:serviceaccount:prod:deployer");
	EQ(&ev, "ka.sourceips", "(10.0.0.5,192.168.1.20)");
	EQ(&ev, "ka.sourceips[1]", "(192.168.1.20)");
	EQ(&ev, "ka.sourceips[2]", "<NA>");
	EQ(&ev, "ka.auth.reason",
	   "RBAC: allowed by RoleBinding \"dev-exec/prod\" of Role \"exec\" to Group \"developers\"");
	EQ(&ev, "ka.response.code", "101");
	EQ(&ev, "ka.stage", "ResponseStarted");
	EQ(&ev, "ka.resp.name", "<NA>");
	EQ(&ev, "ka.req.pod.containers.image", "<NA>");
	EQ(&ev, "ka.req.container.privileged", "<NA>");
	EQ(&ev, "ka.req.volume.hostpath[/etc]", "<NA>");
	EQ(&ev, "ka.req.binding.subject.has_name[x]", "true");
	EQ(&ev, "jevt.time", "05:06:07.987654000");
	EQ(&ev, "jevt.rawtime", "1709528767987654000");
	uevent_free(&ev);
}
END_TEST

START_TEST(test_k8s_anonymous_and_readyz)
{
	struct uevent ev;

	load_audit(&ev, "anonymous_api.json");
	EQ(&ev, "ka.user.name", "system:anonymous");
	EQ(&ev, "ka.user.groups", "(system:unauthenticated)");
	EQ(&ev, "ka.verb", "get");
	EQ(&ev, "ka.uri", "/api");
	EQ(&ev, "ka.uri.param[x]", "<NA>");
	EQ(&ev, "ka.target.resource", "<NA>");
	EQ(&ev, "ka.target.name", "<NA>");
	EQ(&ev, "ka.auth.decision", "forbid");
	EQ(&ev, "ka.response.code", "403");
	EQ(&ev, "ka.response.reason", "Forbidden");
	EQ(&ev, "ka.useragent", "curl/8.4.0");
	EQ(&ev, "ka.sourceips", "(203.0.113.7)");
	EQ(&ev, "jevt.value[/responseStatus/message]",
	   "forbidden: User \"system:anonymous\" cannot get path \"/api\"");
	EQ(&ev, "jevt.value[/responseStatus/code]", "403");
	uevent_free(&ev);

	load_audit(&ev, "readyz.json");
	EQ(&ev, "ka.uri", "/readyz");
	EQ(&ev, "ka.verb", "get");
	EQ(&ev, "ka.user.name", "system:anonymous");
	EQ(&ev, "ka.useragent", "kube-probe/1.29");
	EQ(&ev, "ka.response.code", "200");
	EQ(&ev, "ka.auth.decision", "allow");
	EQ(&ev, "ka.target.subresource", "<NA>");
	EQ(&ev, "jevt.value[/level]", "Metadata");
	uevent_free(&ev);
}
END_TEST

START_TEST(test_k8s_configmap)
{
	struct uevent ev;

	load_audit(&ev, "configmap_secret.json");
	EQ(&ev, "ka.target.resource", "configmaps");
	EQ(&ev, "ka.req.configmap.name", "app-settings");
	/* ka.* keep the document's order, jevt.* sort keys like nlohmann. */
	EQ(&ev, "ka.req.configmap.obj",
	   "{\"log_level\":\"debug\",\"aws_access_key_id\":\"AKIAIOSFODNN7EXAMPLE\","
	   "\"note\":\"line1\\nline2 \\\"quoted\\\"\"}");
	EQ(&ev, "jevt.value[/requestObject/data]",
	   "{\"aws_access_key_id\":\"AKIAIOSFODNN7EXAMPLE\",\"log_level\":\"debug\","
	   "\"note\":\"line1\\nline2 \\\"quoted\\\"\"}");
	EQ(&ev, "jevt.value[/requestObject/data/aws_access_key_id]", "AKIAIOSFODNN7EXAMPLE");
	EQ(&ev, "ka.uri.param[fieldManager]", "kubectl-create");
	EQ(&ev, "ka.req.pod.containers.image", "<NA>");
	EQ(&ev, "ka.req.pod.host_network", "<NA>");
	uevent_free(&ev);
}
END_TEST

START_TEST(test_k8s_clusterrolebinding)
{
	struct uevent ev;

	utc();
	load_audit(&ev, "crb_cluster_admin.json");
	EQ(&ev, "ka.target.resource", "clusterrolebindings");
	EQ(&ev, "ka.target.name", "backdoor");
	EQ(&ev, "ka.target.namespace", "<NA>");
	EQ(&ev, "ka.target.pod.name", "<NA>");
	EQ(&ev, "ka.req.binding.role", "cluster-admin");
	EQ(&ev, "ka.req.binding.subjects",
	   "({\"kind\":\"User\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\"mallory\"},"
	   "{\"kind\":\"ServiceAccount\",\"name\":\"builder\",\"namespace\":\"ci\"},"
	   "{\"kind\":\"Group\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\"contractors\"})");
	EQ(&ev, "ka.req.binding.subjects.user_names", "(mallory)");
	EQ(&ev, "ka.req.binding.subjects.serviceaccount_names", "(builder)");
	EQ(&ev, "ka.req.binding.subjects.serviceaccount_ns_names", "(ci:builder)");
	EQ(&ev, "ka.req.binding.subjects.group_names", "(contractors)");
	EQ(&ev, "ka.req.binding.subject.has_name[mallory]", "true");
	EQ(&ev, "ka.req.role.rules.verbs", "<NA>");
	EQ(&ev, "jevt.time", "09:10:11.000000001");
	EQ(&ev, "jevt.rawtime", "1720429811000000001");
	uevent_free(&ev);
}
END_TEST

START_TEST(test_k8s_role_service_workload)
{
	struct uevent ev;
	json_object *j;

	load_audit(&ev, "daemonset_create.json");
	/* A workload's pod template counts as the pod. */
	EQ(&ev, "ka.req.pod.containers.privileged", "(true)");
	EQ(&ev, "ka.req.container.privileged", "true");
	EQ(&ev, "ka.req.pod.containers.image.repository", "(ghcr.io/acme/node-agent)");
	EQ(&ev, "ka.req.container.image", "ghcr.io/acme/node-agent:2.1");
	EQ(&ev, "ka.req.pod.host_pid", "true");
	EQ(&ev, "ka.req.pod.host_ipc", "true");
	EQ(&ev, "ka.req.pod.host_network", "<NA>");
	EQ(&ev, "ka.req.pod.volumes.hostpath", "(/)");
	EQ(&ev, "ka.req.volume.hostpath[/]", "true");
	EQ(&ev, "ka.req.volume.hostpath[/*]", "true");
	EQ(&ev, "ka.user.groups",
	   "(system:serviceaccounts,system:serviceaccounts:kube-system,system:authenticated)");
	uevent_free(&ev);

	j = json_tokener_parse(
		"{\"auditID\":\"r\",\"verb\":\"create\",\"objectRef\":{\"resource\":\"clusterroles\"},"
		"\"requestObject\":{\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"pods\",\"pods/exec\"],"
		"\"verbs\":[\"get\",\"create\"]},{\"nonResourceURLs\":[\"/metrics\"],\"verbs\":[\"*\"]}],"
		"\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":30080}]}}}");
	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(uevent_from_audit(&ev, j), 0);
	json_object_put(j);
	EQ(&ev, "ka.req.role.rules",
	   "({\"apiGroups\":[\"\"],\"resources\":[\"pods\",\"pods/exec\"],\"verbs\":[\"get\",\"create\"]},"
	   "{\"nonResourceURLs\":[\"/metrics\"],\"verbs\":[\"*\"]})");
	EQ(&ev, "ka.req.role.rules.verbs", "(get,create,*)");
	EQ(&ev, "ka.req.role.rules.verbs[1]", "(*)");
	EQ(&ev, "ka.req.role.rules.resources", "(pods,pods/exec)");
	EQ(&ev, "ka.req.role.rules.apiGroups", "()");
	EQ(&ev, "ka.req.role.rules.nonResourceURLs", "(/metrics)");
	EQ(&ev, "ka.req.service.type", "NodePort");
	EQ(&ev, "ka.req.service.ports", "([{\"port\":80,\"nodePort\":30080}])");
	EQ(&ev, "jevt.time", "<NA>"); /* no stageTimestamp */
	EQ(&ev, "jevt.obj",
	   "{\"auditID\":\"r\",\"objectRef\":{\"resource\":\"clusterroles\"},\"requestObject\":{\"rules\":"
	   "[{\"apiGroups\":[\"\"],\"resources\":[\"pods\",\"pods/exec\"],\"verbs\":[\"get\",\"create\"]},"
	   "{\"nonResourceURLs\":[\"/metrics\"],\"verbs\":[\"*\"]}],\"spec\":{\"ports\":[{\"nodePort\":30080,"
	   "\"port\":80}],\"type\":\"NodePort\"}},\"verb\":\"create\"}");
	uevent_free(&ev);
}
END_TEST

START_TEST(test_k8s_uri_params)
{
	static const struct {
		const char *uri, *key, *exp;
	} c[] = {
		{ "/x?a=1&a=2", "a", "1" },	 { "/x?a+b=c+d&e=%2Fz", "a b", "c d" },
		{ "/x?e=%2Fz", "e", "/z" },	 { "/x?flag", "flag", "" },
		{ "/x?a=1;b=2", "a", "<NA>" },	 /* Go rejects semicolons */
		{ "/x?a=%zz&b=1", "b", "<NA>" }, /* any bad escape spoils all */
		{ "/x#frag?a=1", "a", "<NA>" },	 { "/x?a=1#frag", "a", "1" },
		{ "/%zz?a=1", "a", "<NA>" },	 { "/x?=v&a=", "a", "" },
	};
	struct uevent ev;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		json_object *j = json_object_new_object();
		char tok[64];

		json_object_object_add(j, "auditID", json_object_new_string("u"));
		json_object_object_add(j, "requestURI", json_object_new_string(c[i].uri));
		ck_assert_int_eq(uevent_from_audit(&ev, j), 0);
		json_object_put(j);
		snprintf(tok, sizeof(tok), "ka.uri.param[%s]", c[i].key);
		ck_assert_msg(!strcmp(val(&ev, tok), c[i].exp), "%s [%s]: got %s", c[i].uri,
			      c[i].key, val(&ev, tok));
		uevent_free(&ev);
	}
}
END_TEST

START_TEST(test_k8s_time_and_pointer)
{
	json_object *j = json_tokener_parse("{\"a/b\":{\"m~n\":[10,{\"\":null}]}}"), *o;
	u64 ns;

	ck_assert_int_eq(k8saudit_parse_time("2024-01-02T03:04:05Z", &ns), 0);
	ck_assert(ns == 1704164645000000000ull);
	ck_assert_int_eq(k8saudit_parse_time("2024-01-02T03:04:05.5Z", &ns), 0);
	ck_assert(ns == 1704164645500000000ull);
	ck_assert_int_eq(k8saudit_parse_time("2024-01-02T03:04:05.1234567891Z", &ns), 0);
	ck_assert(ns == 1704164645123456789ull);
	ck_assert_int_eq(k8saudit_parse_time("2024-01-02 03:04:05Z", &ns), -EINVAL);
	ck_assert_int_eq(k8saudit_parse_time("2024-01-02T03:04:05+01:00", &ns), -EINVAL);
	ck_assert_int_eq(k8saudit_parse_time("2024-01-02T03:04:05.Z", &ns), -EINVAL);

	ck_assert_int_eq(k8saudit_pointer(j, "/a~1b/m~0n/0", 12, &o), 0);
	ck_assert_int_eq(json_object_get_int(o), 10);
	ck_assert_int_eq(k8saudit_pointer(j, "/a~1b/m~0n/1/", 13, &o), 0);
	ck_assert_ptr_null(o); /* JSON null */
	ck_assert_int_eq(k8saudit_pointer(j, "/a~1b/m~0n/1//x", 15, &o), -ENOENT);
	ck_assert_int_eq(k8saudit_pointer(j, "/a~2b", 5, &o), -ENOENT);
	ck_assert_int_eq(k8saudit_pointer(j, "a", 1, &o), -ENOENT);
	ck_assert_int_eq(k8saudit_pointer(j, "", 0, &o), 0);
	ck_assert_ptr_eq(o, j);
	json_object_put(j);
}
END_TEST

/* Every k8s field with a spread of arguments: values or MISSING, no crash. */
static void every_field(struct uevent *ev)
{
	static const char *const args[] = { NULL, "0",	  "1", "7", "999999999999",
					    "/",  "/a/0", "*", "x" };
	char tok[512], buf[256];
	struct uevent_ctx c = { NULL, ev };
	size_t i, k;

	for (i = 0; i < fields_count(); i++) {
		const struct field_info *fi = field_at(i);

		if (fi->source != SHRIKE_SRC_K8S_AUDIT)
			continue;
		for (k = 0; k < sizeof(args) / sizeof(args[0]); k++) {
			int n = args[k] ? snprintf(tok, sizeof(tok), "%s[%s]", fi->name, args[k])
					: snprintf(tok, sizeof(tok), "%s", fi->name);

			(void)uevent_get_str(&c, tok, (size_t)n, buf, sizeof(buf));
		}
	}
}

START_TEST(test_k8s_hostile_shapes)
{
	static const char *const docs[] = {
		"{}",
		"{\"auditID\":1}",
		"{\"auditID\":null,\"user\":[],\"requestObject\":\"x\",\"objectRef\":7}",
		"{\"auditID\":\"a\",\"requestObject\":{\"spec\":{\"containers\":{\"image\":\"x\"},"
		"\"volumes\":[null,1,\"s\",[],{\"hostPath\":null}],\"securityContext\":[]}}}",
		"{\"auditID\":\"a\",\"requestObject\":{\"spec\":{\"containers\":[null,1,[{\"image\":3}],"
		"{\"ports\":{\"hostPort\":1}},{\"ports\":[null,5,{\"hostPort\":{}}]}],"
		"\"template\":5},\"rules\":[1,{\"verbs\":\"get\"}],\"subjects\":[{\"kind\":1},null]},"
		"\"sourceIPs\":\"1.2.3.4\",\"requestURI\":5,\"stageTimestamp\":\"nope\"}",
		"{\"auditID\":\"a\",\"requestObject\":{\"spec\":{\"template\":{\"spec\":[]},"
		"\"jobTemplate\":{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"image\":\"cron:1\"}]}}}}}}}",
	};
	struct uevent ev;
	json_object *j, *deep, *cur;
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		j = json_tokener_parse(docs[i]);
		ck_assert_ptr_nonnull(j);
		ck_assert_int_eq(uevent_from_audit(&ev, j), 0);
		json_object_put(j);
		every_field(&ev);
		uevent_free(&ev);
	}
	j = json_tokener_parse(docs[3]);
	uevent_from_audit(&ev, j);
	json_object_put(j);
	EQ(&ev, "ka.req.pod.containers.image", "(x)");
	EQ(&ev, "ka.req.pod.volumes.hostpath", "<NA>");
	EQ(&ev, "ka.req.pod.volumes.volume_type", "(hostPath)");
	EQ(&ev, "ka.req.pod.containers.eff_run_as_user", "<NA>");
	uevent_free(&ev);
	j = json_tokener_parse(docs[4]);
	uevent_from_audit(&ev, j);
	json_object_put(j);
	EQ(&ev, "ka.req.pod.containers.image", "<NA>");
	EQ(&ev, "ka.req.pod.containers.host_port", "<NA>");
	EQ(&ev, "ka.req.binding.subjects", "({\"kind\":1},null)");
	EQ(&ev, "ka.req.role.rules.verbs", "<NA>");
	EQ(&ev, "ka.sourceips", "<NA>");
	EQ(&ev, "ka.uri.param[a]", "<NA>");
	EQ(&ev, "jevt.time", "<NA>");
	uevent_free(&ev);
	j = json_tokener_parse(docs[5]);
	uevent_from_audit(&ev, j);
	json_object_put(j);
	EQ(&ev, "ka.req.pod.containers.image", "(cron:1)");
	uevent_free(&ev);
	/* Not an audit event at all: ka.* have no value, jevt.* still work. */
	j = json_tokener_parse("{\"verb\":\"get\"}");
	uevent_from_audit(&ev, j);
	json_object_put(j);
	EQ(&ev, "ka.verb", "<NA>");
	EQ(&ev, "jevt.value[/verb]", "get");
	uevent_free(&ev);
	ck_assert_int_eq(uevent_from_audit(&ev, NULL), -EINVAL);
	EQ(&ev, "jevt.obj", "<NA>");
	uevent_free(&ev);
	j = json_object_new_array();
	ck_assert_int_eq(uevent_from_audit(&ev, j), -EINVAL);
	json_object_put(j);
	uevent_free(&ev);

	/* Arrays nested far deeper than any parser would allow, and a wide one. */
	deep = json_object_new_array();
	cur = deep;
	for (i = 0; i < 5000; i++) {
		json_object *n = json_object_new_array();

		json_object_array_add(cur, n);
		cur = n;
	}
	j = json_object_new_object();
	json_object_object_add(j, "auditID", json_object_new_string("d"));
	cur = json_object_new_object();
	json_object_object_add(j, "requestObject", cur);
	json_object_object_add(cur, "rules", json_object_get(deep));
	json_object_object_add(cur, "subjects", deep);
	cur = json_object_new_object();
	json_object_object_add(json_object_object_get(j, "requestObject"), "spec", cur);
	json_object_object_add(cur, "containers", json_object_get(deep));
	deep = json_object_new_array();
	for (i = 0; i < 200000; i++)
		json_object_array_add(deep, json_object_new_string("10.0.0.1"));
	json_object_object_add(j, "sourceIPs", deep);
	ck_assert_int_eq(uevent_from_audit(&ev, j), 0);
	json_object_put(j);
	every_field(&ev);
	EQ(&ev, "ka.req.pod.containers.image", "<NA>");
	EQ(&ev, "ka.sourceips[199999]", "(10.0.0.1)");
	uevent_free(&ev);
}
END_TEST

/* ---- output ------------------------------------------------------------------------ */

/* a as text or JSON, formatted twice: parsing the format for the call, and
 * with a template made once as the agent does; both must agree. */
static char *fmt_checked(bool json, const struct alert *a, struct uevent_ctx *c,
			 const struct output_opts *o)
{
	struct alert t = *a;
	struct output_tmpl *tm = output_tmpl_new(a, o);
	char *s = json ? output_format_json(a, c, o) : output_format_text(a, c, o), *s2;

	ck_assert_ptr_nonnull(tm);
	ck_assert_ptr_nonnull(s);
	t.tmpl = tm;
	s2 = json ? output_format_json(&t, c, o) : output_format_text(&t, c, o);
	ck_assert_ptr_nonnull(s2);
	ck_assert_str_eq(s2, s);
	free(s2);
	output_tmpl_free(tm);
	return s;
}

static const char *const TAGS[] = { "mitre_persistence", "filesystem", "filesystem" };

START_TEST(test_output_syscall)
{
	struct uevent ev;
	struct uevent_ctx c = { NULL, &ev };
	struct output_opts o;
	struct alert a = {
		.rule = "Write below etc",
		.priority = SHRIKE_PRI_WARNING,
		.source = SHRIKE_SRC_SYSCALL,
		.tags = TAGS,
		.ntags = 3,
		.output_fmt =
			"File below /etc opened for writing (user=%user.name command=%proc.cmdline "
			"parent=%proc.aname[2] flags=%evt.arg.flags port=%fd.sport %container.info)",
		.time_ns = 1700000000123456789ull,
		.hostname = "node-1",
	};
	char *s;

	utc();
	output_opts_init(&o);
	load_syscall(&ev, SAMPLE);
	s = fmt_checked(false, &a, &c, &o);
	ck_assert_str_eq(
		s, "22:13:20.123456789: Warning File below /etc opened for writing (user=root "
		   "command=<NA> parent=sshd flags=O_WRONLY|O_CREAT port=22 <NA> (id=<NA>))");
	free(s);
	o.time_format_iso_8601 = true;
	s = fmt_checked(false, &a, &c, &o);
	ck_assert_str_eq(
		s, "2023-11-14T22:13:20.123456789+0000: Warning File below /etc opened for "
		   "writing (user=root command=<NA> parent=sshd flags=O_WRONLY|O_CREAT port=22 "
		   "<NA> (id=<NA>))");
	free(s);
	o.time_format_iso_8601 = false;
	s = fmt_checked(true, &a, &c, &o);
	ck_assert_str_eq(
		s,
		"{\"hostname\":\"node-1\",\"output\":\"22:13:20.123456789: Warning File below "
		"/etc opened for writing (user=root command=<NA> parent=sshd flags=O_WRONLY|O_CREAT "
		"port=22 <NA> (id=<NA>))\",\"priority\":\"Warning\",\"rule\":\"Write below etc\","
		"\"source\":\"syscall\",\"tags\":[\"filesystem\",\"mitre_persistence\"],"
		"\"time\":\"2023-11-14T22:13:20.123456789Z\", \"output_fields\": {\"container.id\":null,"
		"\"container.name\":null,\"evt.arg.flags\":\"O_WRONLY|O_CREAT\",\"evt.time\":1700000000123456789,"
		"\"fd.sport\":22,\"proc.aname[2]\":\"sshd\",\"proc.cmdline\":null,\"user.name\":\"root\"}}");
	free(s);
	o.time_format_iso_8601 = true;
	o.json_include_output_property = false;
	o.json_include_tags_property = false;
	a.hostname = NULL;
	a.priority = SHRIKE_PRI_INFORMATIONAL;
	a.output_fmt = "*pid=%proc.pid ok=%evt.failed";
	s = fmt_checked(true, &a, &c, &o);
	ck_assert_str_eq(
		s,
		"{\"priority\":\"Informational\",\"rule\":\"Write below etc\","
		"\"source\":\"syscall\",\"time\":\"2023-11-14T22:13:20.123456789Z\", \"output_fields\": "
		"{\"evt.failed\":null,\"evt.time.iso8601\":1700000000123456789,\"proc.pid\":null}}");
	free(s);
	uevent_free(&ev);

	/* Types in output_fields follow the field: numbers, booleans, strings. */
	load_syscall(
		&ev,
		"{\"proc.pid\":7,\"evt.failed\":true,\"fd.sip\":\"10.0.0.1\",\"evt.rawres\":-2,"
		"\"proc.name\":\"a\\\"b\\n\\u0001\\u00e9\\ud83d\\ude00\"}");
	a.output_fmt = "%proc.pid %evt.failed %fd.sip %evt.rawres %proc.name %proc.pid";
	a.time_ns = 1000000000ull;
	o.json_include_output_property = true;
	s = fmt_checked(true, &a, &c, &o);
	ck_assert_str_eq(
		s,
		"{\"output\":\"1970-01-01T00:00:01.000000000+0000: Informational 7 true "
		"10.0.0.1 -2 a\\\"b\\n\\u0001\\u00e9\\ud83d\\ude00 7\",\"priority\":\"Informational\","
		"\"rule\":\"Write below etc\",\"source\":\"syscall\",\"time\":\"1970-01-01T00:00:01.000000000Z\", "
		"\"output_fields\": {\"evt.failed\":true,\"evt.rawres\":-2,\"evt.time.iso8601\":1000000000,"
		"\"fd.sip\":\"10.0.0.1\",\"proc.name\":\"a\\\"b\\n\\u0001\\u00e9\\ud83d\\ude00\",\"proc.pid\":7}}");
	free(s);
	/* The event's own time was only borrowed. */
	ck_assert(!ev.has_ts);
	uevent_free(&ev);
}
END_TEST

START_TEST(test_output_k8s)
{
	struct uevent ev;
	struct uevent_ctx c = { NULL, &ev };
	struct output_opts o;
	struct alert a = {
		.rule = "Create Privileged Pod",
		.priority = SHRIKE_PRI_WARNING,
		.source = SHRIKE_SRC_K8S_AUDIT,
		.tags = NULL,
		.ntags = 0,
		.output_fmt =
			"Pod started with privileged container (user=%ka.user.name pod=%ka.resp.name "
			"resource=%ka.target.resource ns=%ka.target.namespace images=%ka.req.pod.containers.image "
			"uri=%jevt.value[/requestURI] code=%ka.response.code cluster=%ka.cluster.name "
			"%container.info)",
		.time_ns = 0,
		.hostname = "falco-0",
	};
	char *s;

	utc();
	output_opts_init(&o);
	load_audit(&ev, "pod_create_privileged.json");
	s = fmt_checked(false, &a, &c, &o);
	ck_assert_str_eq(
		s,
		"03:04:05.123456000: Warning Pod started with privileged container "
		"(user=kubernetes-admin pod=nginx-priv resource=pods ns=default images=(docker.io/library/"
		"nginx:1.25.3,quay.io/prometheus/node-exporter@sha256:4cb2b9019f1757be8482419002cb7afe028fdba3"
		"5d47958829e4cfeaf6246d80) uri=/api/v1/namespaces/default/pods?fieldManager=kubectl-client-"
		"side-apply&fieldValidation=Strict code=201 cluster=<NA> <NA>)");
	free(s);
	s = fmt_checked(true, &a, &c, &o);
	ck_assert_str_eq(
		s,
		"{\"hostname\":\"falco-0\",\"output\":\"03:04:05.123456000: Warning Pod started "
		"with privileged container (user=kubernetes-admin pod=nginx-priv resource=pods ns=default "
		"images=(docker.io/library/nginx:1.25.3,quay.io/prometheus/node-exporter@sha256:4cb2b9019f1757be"
		"8482419002cb7afe028fdba35d47958829e4cfeaf6246d80) uri=/api/v1/namespaces/default/pods?"
		"fieldManager=kubectl-client-side-apply&fieldValidation=Strict code=201 cluster=<NA> <NA>)\","
		"\"priority\":\"Warning\",\"rule\":\"Create Privileged Pod\",\"source\":\"k8s_audit\",\"tags\":[],"
		"\"time\":\"2024-01-02T03:04:05.123456000Z\", \"output_fields\": {\"container.info\":null,"
		"\"jevt.time\":\"03:04:05.123456000\",\"jevt.value[/requestURI]\":\"/api/v1/namespaces/default/"
		"pods?fieldManager=kubectl-client-side-apply&fieldValidation=Strict\",\"ka.cluster.name\":null,"
		"\"ka.req.pod.containers.image\":[\"docker.io/library/nginx:1.25.3\",\"quay.io/prometheus/"
		"node-exporter@sha256:4cb2b9019f1757be8482419002cb7afe028fdba35d47958829e4cfeaf6246d80\"],"
		"\"ka.resp.name\":\"nginx-priv\",\"ka.response.code\":\"201\",\"ka.target.namespace\":\"default\","
		"\"ka.target.resource\":\"pods\",\"ka.user.name\":\"kubernetes-admin\"}}");
	free(s);
	/* The cluster name is configuration: the agent sets it. */
	ck_assert_int_eq(uevent_set_str(&ev, SHRIKE_F_KA_CLUSTER_NAME, NULL, "prod-eu", 7), 0);
	o.time_format_iso_8601 = true;
	a.output_fmt = "%ka.cluster.name %jevt.rawtime";
	s = fmt_checked(false, &a, &c, &o);
	ck_assert_str_eq(s,
			 "2024-01-02T03:04:05.123456000+0000: Warning prod-eu 1704164645123456000");
	free(s);
	s = fmt_checked(true, &a, &c, &o);
	ck_assert_str_eq(
		s,
		"{\"hostname\":\"falco-0\",\"output\":\"2024-01-02T03:04:05.123456000+0000: "
		"Warning prod-eu 1704164645123456000\",\"priority\":\"Warning\",\"rule\":\"Create Privileged Pod\","
		"\"source\":\"k8s_audit\",\"tags\":[],\"time\":\"2024-01-02T03:04:05.123456000Z\", "
		"\"output_fields\": {\"jevt.rawtime\":1704164645123456000,\"jevt.time.iso8601\":"
		"\"2024-01-02T03:04:05.123456000+0000\",\"ka.cluster.name\":\"prod-eu\"}}");
	free(s);
	uevent_free(&ev);
}
END_TEST

START_TEST(test_output_tokens)
{
	struct uevent ev;
	struct uevent_ctx c = { NULL, &ev };
	char *s;

	load_syscall(&ev, SAMPLE);
	s = output_resolve(
		"100% of %proc.name. %proc.names %foo.bar %evt.arg.flags, %proc.aname[2]] "
		"%proc.aname[9] %% %",
		SHRIKE_SRC_SYSCALL, &c);
	ck_assert_str_eq(s, "100% of bash. bashs %foo.bar O_WRONLY|O_CREAT, sshd] <NA> %% %");
	free(s);
	s = output_resolve("*%proc.name", SHRIKE_SRC_SYSCALL, &c);
	ck_assert_str_eq(s, "bash");
	free(s);
	s = output_resolve("", SHRIKE_SRC_SYSCALL, &c);
	ck_assert_str_eq(s, "");
	free(s);
	ck_assert_str_eq(output_priority_name(SHRIKE_PRI_EMERGENCY), "Emergency");
	ck_assert_str_eq(output_priority_name(SHRIKE_PRI_ALERT), "Alert");
	ck_assert_str_eq(output_priority_name(SHRIKE_PRI_CRITICAL), "Critical");
	ck_assert_str_eq(output_priority_name(SHRIKE_PRI_ERROR), "Error");
	ck_assert_str_eq(output_priority_name(SHRIKE_PRI_NOTICE), "Notice");
	ck_assert_str_eq(output_priority_name(SHRIKE_PRI_DEBUG), "Debug");
	ck_assert_str_eq(output_priority_name(99), "Unknown");
	uevent_free(&ev);
}
END_TEST

START_TEST(test_output_json_escapes)
{
	struct uevent ev;
	struct uevent_ctx c = { NULL, &ev };
	struct output_opts o;
	struct alert a = {
		.rule = "r\"\\/\t",
		.priority = SHRIKE_PRI_DEBUG,
		.source = SHRIKE_SRC_SYSCALL,
		.output_fmt = "x",
		.time_ns = 1,
	};
	char *s;

	output_opts_init(&o);
	o.json_include_output_property = false;
	uevent_init(&ev, SHRIKE_SRC_SYSCALL);
	/* A lone continuation-less lead byte and a stray 0xff become U+FFFD; DEL passes. */
	a.tags = (const char *const[]){ "\xc3", "\xff", "\x7f", "\xe2\x82\xac" };
	a.ntags = 4;
	s = fmt_checked(true, &a, &c, &o);
	ck_assert_str_eq(
		s,
		"{\"priority\":\"Debug\",\"rule\":\"r\\\"\\\\/\\t\",\"source\":\"syscall\","
		"\"tags\":[\"\x7f\",\"\\ufffd\",\"\\u20ac\",\"\\ufffd\"],"
		"\"time\":\"1970-01-01T00:00:00.000000001Z\", \"output_fields\": {\"evt.time\":1}}");
	free(s);
	/* A value with a NUL in it shows up to the NUL, in text and JSON. */
	ck_assert_int_eq(uevent_set_str(&ev, SHRIKE_F_PROC_NAME, NULL, "ab\0cd", 5), 0);
	a.output_fmt = "[%proc.name] [%proc.name]";
	a.ntags = 0;
	s = fmt_checked(false, &a, &c, &o);
	ck_assert_str_eq(s, "00:00:00.000000001: Debug [ab] [ab]");
	free(s);
	s = fmt_checked(true, &a, &c, &o);
	ck_assert_str_eq(
		s, "{\"priority\":\"Debug\",\"rule\":\"r\\\"\\\\/\\t\",\"source\":\"syscall\","
		   "\"tags\":[],\"time\":\"1970-01-01T00:00:00.000000001Z\", \"output_fields\": "
		   "{\"evt.time\":1,\"proc.name\":\"ab\"}}");
	free(s);
	uevent_free(&ev);
}
END_TEST

/* The time strings, against libc's formatting of the same broken-down time,
 * in UTC and in a zone with daylight saving time (a POSIX TZ: no tzdata). */
static void check_times(void)
{
	static const u64 secs[] = { 0,
				    1,
				    59,
				    86399,
				    951782400 /* 2000-02-29 */,
				    1700000000,
				    1710054000,
				    1710054000 + 3599,
				    1710054000 + 3600,
				    1730613600,
				    4102444800ull /* 2100 */,
				    18446744073ull /* 2554 */ };
	static const u32 nsecs[] = { 0, 1, 999999999, 123456789 };
	size_t i, j;
	int k;

	for (i = 0; i < sizeof(secs) / sizeof(secs[0]); i++)
		for (j = 0; j < sizeof(nsecs) / sizeof(nsecs[0]); j++)
			for (k = 0; k < 4; k++) {
				u64 ts = secs[i] * 1000000000ull + nsecs[j];
				time_t sec;
				struct tm tm;
				char got[64], want[64];
				int n = 0;

				if (ts / 1000000000ull != secs[i])
					continue; /* past u64 */
				sec = (time_t)secs[i];
				ck_assert_ptr_nonnull(localtime_r(&sec, &tm));
				if (k & 1)
					n = snprintf(want, sizeof(want), "%04d-%02d-%02d ",
						     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
				if (k & 2)
					snprintf(want + n, sizeof(want) - n, "%02d:%02d:%02d.%09u",
						 tm.tm_hour, tm.tm_min, tm.tm_sec, nsecs[j]);
				else
					snprintf(want + n, sizeof(want) - n, "%02d:%02d:%02d",
						 tm.tm_hour, tm.tm_min, tm.tm_sec);
				uevent_fmt_time(ts, k & 1, k & 2, got, sizeof(got));
				ck_assert_str_eq(got, want);
			}
}

START_TEST(test_time_strings)
{
	struct strbuf b = { 0 };
	char *s;

	utc();
	check_times();
	setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1);
	tzset();
	check_times();
	utc();
	/* Decimal numbers as %llu / %lld. */
	sb_u64(&b, 0);
	sb_put(&b, " ", 1);
	sb_u64(&b, 18446744073709551615ull);
	sb_put(&b, " ", 1);
	sb_s64(&b, -9223372036854775807ll - 1);
	sb_put(&b, " ", 1);
	sb_s64(&b, -1);
	sb_put(&b, " ", 1);
	sb_s64(&b, 42);
	s = sb_take(&b);
	ck_assert_str_eq(s, "0 18446744073709551615 -9223372036854775808 -1 42");
	free(s);
}
END_TEST

Suite *make_agent_suite(void)
{
	Suite *s = suite_create("agent");
	TCase *tc = tcase_create("agent");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_syscall_parse_values);
	tcase_add_test(tc, test_syscall_conversions);
	tcase_add_test(tc, test_syscall_errors);
	tcase_add_test(tc, test_syscall_big_list);
	tcase_add_test(tc, test_setters);
	tcase_add_test(tc, test_fetch_by_type);
	tcase_add_test(tc, test_k8s_privileged_pod);
	tcase_add_test(tc, test_k8s_exec);
	tcase_add_test(tc, test_k8s_anonymous_and_readyz);
	tcase_add_test(tc, test_k8s_configmap);
	tcase_add_test(tc, test_k8s_clusterrolebinding);
	tcase_add_test(tc, test_k8s_role_service_workload);
	tcase_add_test(tc, test_k8s_uri_params);
	tcase_add_test(tc, test_k8s_time_and_pointer);
	tcase_add_test(tc, test_k8s_hostile_shapes);
	tcase_add_test(tc, test_output_syscall);
	tcase_add_test(tc, test_output_k8s);
	tcase_add_test(tc, test_output_tokens);
	tcase_add_test(tc, test_output_json_escapes);
	tcase_add_test(tc, test_time_strings);
	suite_add_tcase(s, tc);
	return s;
}
