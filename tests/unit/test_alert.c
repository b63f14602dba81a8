/* test_alert.c - Falco's alert format (lib/alert.c): the text and JSON
 * alert lines with exact strings, output tokens, JSON escapes, and the time
 * strings. Times are rendered with TZ=UTC. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>

#include "lib/event.h"
#include "event_fixtures.h"
#include "lib/alert.h"
#include "lib/strbuf.h"
#include "lib/fields.h"

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

Suite *make_alert_suite(void)
{
	Suite *s = suite_create("alert");
	TCase *tc = tcase_create("alert");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_output_syscall);
	tcase_add_test(tc, test_output_k8s);
	tcase_add_test(tc, test_output_tokens);
	tcase_add_test(tc, test_output_json_escapes);
	tcase_add_test(tc, test_time_strings);
	suite_add_tcase(s, tc);
	return s;
}
