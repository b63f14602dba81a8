/* test_record.c - record mode (shrike-agent -w): the JSON line of a recorded
 * event (lib/evjson.c's evjson_rec_*), read back by shrikec test's reader,
 * and the record compile option (compiler/codegen.h: compile_opts.record):
 * the program, the captures, and what the kernel and the agent make of it. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "compiler/codegen.h"
#include "compiler/loader.h"
#include "kmod/common/table.h"
#include "lib/event.h"
#include "lib/fields.h"
#include "lib/strbuf.h"
#include "lib/alert.h"
#include "agent/agent.h"
#include "tests/unit/agent_helpers.h"
#include "tests/unit/compile_helpers.h"

/* ---- the JSON line ------------------------------------------------------------ */

static void sample_event(struct uevent *ev)
{
	static const char *const anames[] = { "bash", "sshd", "systemd" };
	const u8 ip[4] = { 10, 1, 2, 3 };

	uevent_init(ev, SHRIKE_SRC_SYSCALL);
	ev->ts = 1714979281000000010ull;
	ev->has_ts = true;
	ck_assert_int_eq(uevent_set_str(ev, SHRIKE_F_EVT_TYPE, NULL, "openat", 6), 0);
	ck_assert_int_eq(uevent_set_str(ev, SHRIKE_F_FD_NAME, NULL, "/etc/\"x\"\n\x01\xc3\xa9", 12),
			 0);
	ck_assert_int_eq(uevent_set_strlist(ev, SHRIKE_F_PROC_ANAME, NULL, anames, 3), 0);
	ck_assert_int_eq(uevent_set_str(ev, SHRIKE_F_PROC_ANAME, "2", "sshd", 4), 0);
	ck_assert_int_eq(uevent_set_str(ev, SHRIKE_F_EVT_ARG, "flags", "O_RDONLY", 8), 0);
	ck_assert_int_eq(uevent_set_str(ev, SHRIKE_F_EVT_ARG, "1", "/etc/x", 6), 0);
	ck_assert_int_eq(uevent_set_s64(ev, SHRIKE_F_EVT_RAWRES, NULL, -2), 0);
	ck_assert_int_eq(uevent_set_u64(ev, SHRIKE_F_USER_UID, NULL, 0), 0);
	ck_assert_int_eq(uevent_set_bool(ev, SHRIKE_F_CONTAINER_PRIVILEGED, NULL, false), 0);
	ck_assert_int_eq(uevent_set_ip(ev, SHRIKE_F_FD_SIP, NULL, 4, ip, 32), 0);
	ck_assert_int_eq(uevent_set_str(ev, SHRIKE_F_PROC_ENV, "HOME", "/root", 5), 0);
}

/* dns_name_of's stand-in: 10.1.2.3 is api.example. */
static char *name_of(const struct shrike_val *addr)
{
	return addr->family == 4 && addr->ip[3] == 3 ? strdup("api.example") : NULL;
}

static char *record_line(struct uevent *ev, bool entry)
{
	struct strbuf b = { 0 };
	struct evjson_rec r;

	evjson_rec_begin(&r, &b, ev, entry);
	r.name_of = name_of;
	evjson_rec_field(&r, SHRIKE_F_FD_NAME, NULL, 0);
	evjson_rec_field(&r, SHRIKE_F_PROC_ANAME, NULL, 0);
	evjson_rec_field(&r, SHRIKE_F_PROC_ANAME, "02", 2); /* the level, as written */
	evjson_rec_field(&r, SHRIKE_F_PROC_ANAME, "2", 1);  /* once */
	evjson_rec_field(&r, SHRIKE_F_EVT_ARG, "flags", 5);
	evjson_rec_field(&r, SHRIKE_F_EVT_ARG, "1", 1);
	evjson_rec_field(&r, SHRIKE_F_EVT_RAWRES, NULL, 0);
	evjson_rec_field(&r, SHRIKE_F_USER_UID, NULL, 0);
	evjson_rec_field(&r, SHRIKE_F_CONTAINER_PRIVILEGED, NULL, 0);
	evjson_rec_field(&r, SHRIKE_F_FD_SIP, NULL, 0);
	evjson_rec_field(&r, SHRIKE_F_FD_SIP_NAME, NULL, 0); /* the name, not the address */
	evjson_rec_field(&r, SHRIKE_F_PROC_ENV, "HOME", 4);
	evjson_rec_field(&r, SHRIKE_F_EVT_TYPE, NULL, 0);    /* written already */
	evjson_rec_field(&r, SHRIKE_F_EVT_RAWTIME, NULL, 0); /* the same */
	evjson_rec_field(&r, SHRIKE_F_PROC_NAME, NULL, 0);   /* no value: left out */
	evjson_rec_field(&r, SHRIKE_F_KA_VERB, NULL, 0);     /* not a syscall field */
	/* An agent-only field, computed by its extractor from the time. */
	evjson_rec_field(&r, SHRIKE_F_EVT_DATETIME_S, NULL, 0);
	ck_assert_int_eq(evjson_rec_end(&r), 0);
	return sb_take(&b);
}

START_TEST(rec_line_exact)
{
	struct uevent ev;
	char *line;

	setenv("TZ", "UTC", 1);
	tzset();
	sample_event(&ev);
	line = record_line(&ev, false);
	ck_assert_str_eq(
		line,
		"{\"evt.type\":\"openat\",\"evt.dir\":\"<\",\"evt.rawtime\":1714979281000000010,"
		"\"fd.name\":\"/etc/\\\"x\\\"\\n\\u0001\xc3\xa9\","
		"\"proc.aname\":[\"bash\",\"sshd\",\"systemd\"],"
		"\"proc.aname[2]\":\"sshd\",\"evt.arg.flags\":\"O_RDONLY\","
		"\"evt.arg[1]\":\"/etc/x\",\"evt.rawres\":-2,\"user.uid\":0,"
		"\"container.privileged\":false,\"fd.sip\":\"10.1.2.3\",\"fd.sip.name\":\"api.example\","
		"\"proc.env[HOME]\":\"/root\",\"evt.datetime.s\":\"2024-05-06 07:08:01\"}\n");
	free(line);
	line = record_line(&ev, true);
	ck_assert_ptr_nonnull(strstr(line, "\"evt.dir\":\">\""));
	free(line);
	uevent_free(&ev);
}
END_TEST

/* What shrikec test reads back has the values written. */
START_TEST(rec_line_round_trip)
{
	struct uevent ev, back;
	struct uevent_ctx c = { NULL, &back };
	struct shrike_val v;
	char err[256], *line, *again;

	setenv("TZ", "UTC", 1);
	tzset();
	sample_event(&ev);
	line = record_line(&ev, false);
	line[strlen(line) - 1] = 0;
	ck_assert_msg(uevent_from_json_syscall(&back, line, err, sizeof(err)) == 0, "%s", err);
	ck_assert(back.has_ts && back.ts == ev.ts);
	ck_assert_int_eq(uevent_lookup(&back, SHRIKE_F_FD_NAME, NULL, 0, &v), SHRIKE_FETCH_OK);
	ck_assert_int_eq(v.str.len, 12);
	ck_assert_int_eq(memcmp(v.str.ptr, "/etc/\"x\"\n\x01\xc3\xa9", 12), 0);
	ck_assert_int_eq(uevent_lookup(&back, SHRIKE_F_PROC_ANAME, NULL, 0, &v), SHRIKE_FETCH_OK);
	ck_assert_int_eq(v.type, SHRIKE_T_STRLIST);
	ck_assert_int_eq(v.list.n, 3);
	ck_assert_int_eq(uevent_fetch(&c, SHRIKE_F_EVT_RAWRES, SHRIKE_ARG_NONE, &v),
			 SHRIKE_FETCH_OK);
	ck_assert(v.type == SHRIKE_T_S64 && v.s == -2);
	ck_assert_int_eq(uevent_lookup(&back, SHRIKE_F_FD_SIP, NULL, 0, &v), SHRIKE_FETCH_OK);
	ck_assert(v.family == 4 && v.ip[0] == 10 && v.ip[3] == 3);
	/* Written again from what was read: the same line. */
	again = record_line(&back, false);
	again[strlen(again) - 1] = 0;
	ck_assert_str_eq(again, line);
	free(again);
	free(line);
	uevent_free(&back);
	uevent_free(&ev);
}
END_TEST

/* ---- the compile option -------------------------------------------------------- */

#define REC_RULES                                                                           \
	"- rule: shadow\n  desc: d\n  output: \"%proc.name read %fd.name as %user.name\"\n" \
	"  priority: INFO\n"                                                                \
	"  condition: evt.type = openat and fd.name = /etc/shadow and proc.pname = sshd\n"

/* The kernel's view: every agent-only field UNKNOWN. */
static int kernel_fetch(void *ctx, u16 field, u16 arg, struct shrike_val *out)
{
	const struct field_info *fi = field_at(field);

	if (fi && fi->where == SHRIKE_W_AGENT)
		return SHRIKE_FETCH_UNKNOWN;
	return uevent_fetch(ctx, field, arg, out);
}

static void caps_text(const struct shrike_table *t, const struct shrike_rule *r, char *buf,
		      size_t len)
{
	size_t off = 0;
	u32 k;

	buf[0] = 0;
	for (k = 0; k < le16_to_cpu(r->ncaptures); k++)
		off += (size_t)snprintf(
			buf + off, len - off, "%s%s", k ? " " : "",
			field_at(le16_to_cpu(shrike_rule_capture(t, r, k)->field))->name);
}

START_TEST(record_compile)
{
	static const u8 want_ops[] = {
		/* fd.name = /etc/shadow and proc.pname = sshd */
		SHRIKE_OP_TEST,
		SHRIKE_OP_JF,
		SHRIKE_OP_TEST,
		SHRIKE_OP_AND,
		/* or (evt.time exists and not evt.time exists) */
		SHRIKE_OP_JT,
		SHRIKE_OP_TEST,
		SHRIKE_OP_JF,
		SHRIKE_OP_TEST,
		SHRIKE_OP_NOT,
		SHRIKE_OP_AND,
		SHRIKE_OP_OR,
		SHRIKE_OP_RET,
	};
	struct compile_opts o = { 0 };
	struct compiled plain, rec;
	const struct shrike_rule *r;
	struct uevent ev;
	struct uevent_ctx c = { NULL, &ev };
	char caps[512];
	u32 i;

	compile_verified(&plain, REC_RULES, &o);
	r = &plain.t.rules[0];
	ck_assert_int_eq(le16_to_cpu(r->flags) & SHRIKE_RF_NEEDS_AGENT, 0);
	ck_assert_int_eq(le16_to_cpu(r->ncond), 1);
	caps_text(&plain.t, r, caps, sizeof(caps));
	ck_assert_str_eq(caps, "proc.name fd.name user.uid proc.pid container.id proc.pname");

	o.record = true;
	compile_verified(&rec, REC_RULES, &o);
	r = &rec.t.rules[0];
	ck_assert_int_eq(le16_to_cpu(r->flags), SHRIKE_RF_ENABLED | SHRIKE_RF_NEEDS_AGENT);
	/* Every capture goes up with every record, decided or not. */
	ck_assert_int_eq(le16_to_cpu(r->ncond), 0);
	caps_text(&rec.t, r, caps, sizeof(caps));
	ck_assert_str_eq(caps, "proc.name fd.name user.uid proc.pid container.id proc.pname "
			       "evt.rawtime");
	ck_assert_int_eq(le32_to_cpu(r->prog_len), sizeof(want_ops));
	for (i = 0; i < sizeof(want_ops); i++)
		ck_assert_int_eq(rec.t.insns[le32_to_cpu(r->prog) + i].op, want_ops[i]);
	ck_assert_int_eq(le16_to_cpu(rec.t.insns[le32_to_cpu(r->prog) + 5].field),
			 SHRIKE_F_EVT_TIME);
	ck_assert_int_eq(rec.t.insns[le32_to_cpu(r->prog) + 5].cmp, SHRIKE_CMP_EXISTS);
	/* Same event types, same direction. */
	ck_assert_int_eq(
		memcmp(rec.t.rules[0].evtypes, plain.t.rules[0].evtypes, sizeof(r->evtypes)), 0);

	/* A benign open: FALSE in the plain table, a candidate (UNKNOWN) in
	 * the kernel with the record table, FALSE in the agent. */
	uevent_init(&ev, SHRIKE_SRC_SYSCALL);
	ev.ts = 1;
	ev.has_ts = true;
	uevent_set_str(&ev, SHRIKE_F_EVT_TYPE, NULL, "openat", 6);
	uevent_set_str(&ev, SHRIKE_F_FD_NAME, NULL, "/etc/hosts", 10);
	uevent_set_str(&ev, SHRIKE_F_PROC_PNAME, NULL, "sshd", 4);
	c.t = &plain.t;
	ck_assert_int_eq(shrike_eval(&plain.t, &plain.t.rules[0], kernel_fetch, &c),
			 SHRIKE_V_FALSE);
	c.t = &rec.t;
	ck_assert_int_eq(shrike_eval(&rec.t, r, kernel_fetch, &c), SHRIKE_V_UNKNOWN);
	ck_assert_int_eq(shrike_eval(&rec.t, r, uevent_fetch, &c), SHRIKE_V_FALSE);
	/* The attack: TRUE in the kernel (decided) and in the agent. */
	uevent_set_str(&ev, SHRIKE_F_FD_NAME, NULL, "/etc/shadow", 11);
	ck_assert_int_eq(shrike_eval(&rec.t, r, kernel_fetch, &c), SHRIKE_V_TRUE);
	ck_assert_int_eq(shrike_eval(&rec.t, r, uevent_fetch, &c), SHRIKE_V_TRUE);
	uevent_free(&ev);
	compiled_free(&plain);
	compiled_free(&rec);
}
END_TEST

/* ---- the agent's writer (agent/record.c) ---------------------------------------- */

static const struct output_tmpl *given_tmpl(void *data, struct agent *ag,
					    const struct shrike_rule *r)
{
	(void)ag;
	(void)r;
	return data;
}

START_TEST(record_event_counts)
{
	struct compile_opts o = { .record = true };
	struct output_opts oo;
	struct compiled rec;
	struct agent ag = { 0 };
	struct alert_rule ar;
	struct alert a;
	struct output_tmpl *tm;
	struct uevent ev;
	u32 rules[1] = { 0 };
	char *dir = tmpdir(), path[256], *got;

	setenv("TZ", "UTC", 1);
	tzset();
	compile_verified(&rec, REC_RULES, &o);
	ck_assert_int_eq(alert_rule_load(&ar, &rec.t, &rec.t.rules[0]), 0);
	alert_of_rule(&a, &ar, &rec.t.rules[0], NULL, NULL);
	output_opts_init(&oo);
	tm = output_tmpl_new(&a, &oo);
	ck_assert_ptr_nonnull(tm);
	uevent_init(&ev, SHRIKE_SRC_SYSCALL);
	ev.ts = 1000000001;
	ev.has_ts = true;
	uevent_set_str(&ev, SHRIKE_F_EVT_TYPE, NULL, "openat", 6);
	uevent_set_str(&ev, SHRIKE_F_FD_NAME, NULL, "/etc/hosts", 10);
	uevent_set_str(&ev, SHRIKE_F_PROC_NAME, NULL, "cat", 3);
	uevent_set_str(&ev, SHRIKE_F_PROC_PNAME, NULL, "sshd", 4);
	uevent_set_u64(&ev, SHRIKE_F_PROC_PID, NULL, 42);
	uevent_set_str(&ev, SHRIKE_F_USER_NAME, NULL, "root", 4);

	snprintf(path, sizeof(path), "%s/rec.jsonl", dir);
	ag.rec_path = path;
	ag.rec_fd = -1;
	ag.rec_errno = -1;
	ck_assert_int_eq(rec_open(&ag), 0);
	record_event(&ag, &rec.t, rules, 1, &ev, given_tmpl, tm);
	record_event(&ag, &rec.t, rules, 0, &ev, given_tmpl, tm); /* no rule: no line */
	ck_assert(ag.rec_events == 1 && ag.rec_failed == 0);
	got = slurp(path);
	/* Captures (user.uid, container.id: no value), the program's tests,
	 * then the output's fields, with the alert prefix's evt.time. */
	ck_assert_str_eq(got,
			 "{\"evt.type\":\"openat\",\"evt.dir\":\"<\",\"evt.rawtime\":1000000001,"
			 "\"proc.name\":\"cat\",\"fd.name\":\"/etc/hosts\",\"proc.pid\":42,"
			 "\"proc.pname\":\"sshd\",\"evt.time\":\"00:00:01.000000001\","
			 "\"user.name\":\"root\"}\n");
	free(got);
	/* Appended, never truncated: a reopen (SIGUSR1) keeps what is there. */
	ck_assert_int_eq(rec_open(&ag), 0);
	record_event(&ag, &rec.t, rules, 1, &ev, given_tmpl, tm);
	got = slurp(path);
	ck_assert_int_eq(strlen(got), 2 * (size_t)(strchr(got, '\n') - got + 1));
	free(got);

	/* A full disk: counted lost. */
	ag.rec_path = "/dev/full";
	ck_assert_int_eq(rec_open(&ag), 0);
	record_event(&ag, &rec.t, rules, 1, &ev, given_tmpl, tm);
	ck_assert(ag.rec_events == 2 && ag.rec_failed == 1);
	/* No template (ENOMEM): counted lost. */
	record_event(&ag, &rec.t, rules, 1, &ev, given_tmpl, NULL);
	ck_assert(ag.rec_events == 2 && ag.rec_failed == 2);
	/* No file (a reopen failed): counted lost. */
	ag.rec_path = "/nonexistent/rec.jsonl";
	ck_assert_int_lt(rec_open(&ag), 0);
	ck_assert_int_eq(ag.rec_fd, -1);
	record_event(&ag, &rec.t, rules, 1, &ev, given_tmpl, tm);
	ck_assert(ag.rec_events == 2 && ag.rec_failed == 3);

	unlink(path);
	rmdir(dir);
	free(dir);
	uevent_free(&ev);
	output_tmpl_free(tm);
	alert_rule_clear(&ar);
	compiled_free(&rec);
}
END_TEST

Suite *make_record_suite(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("record");

	tcase_add_test(tc, rec_line_exact);
	tcase_add_test(tc, rec_line_round_trip);
	tcase_add_test(tc, record_compile);
	tcase_add_test(tc, record_event_counts);
	suite_add_tcase(s, tc);
	return s;
}
