/* test_dropin.c - what a Falco user dropping Shrike in relies on (issue 17):
 * every JSON "time" the agent writes is RFC 3339 (falcosidekick's Go
 * decoder is strict), the alerts' hostname from the environment, the audit
 * webhook refusing events it cannot date, the agent's own log (log_level,
 * log_stderr) and the HTTP output's rate-limited failure messages, against
 * a real HTTP server on 127.0.0.1 (libmicrohttpd). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <curl/curl.h>
#include <json-c/json.h>
#include <microhttpd.h>

#include "agent/agentlog.h"
#include "agent/config.h"
#include "lib/event.h"
#include "lib/alert.h"
#include "agent/channels.h"
#include "agent/webserver.h"
#include "kmod/uapi/shrike.h"

/* ---- a strict RFC 3339 date-time (section 5.6), as Go's time.RFC3339Nano
 * decoder takes it: full-date "T" full-time, time-offset "Z" or +hh:mm ---- */

static bool digits(const char **p, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++, (*p)++) {
		if (**p < '0' || **p > '9')
			return false;
		*v = *v * 10 + (**p - '0');
	}
	return true;
}

static bool lit(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

static bool rfc3339(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const char *p = s;
	int y, mo, d, h, mi, sec, oh, om;

	if (!digits(&p, 4, &y) || !lit(&p, '-') || !digits(&p, 2, &mo) || !lit(&p, '-') ||
	    !digits(&p, 2, &d) || !lit(&p, 'T') || !digits(&p, 2, &h) || !lit(&p, ':') ||
	    !digits(&p, 2, &mi) || !lit(&p, ':') || !digits(&p, 2, &sec))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || sec > 60)
		return false;
	if (mo == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400)))
		return false;
	if (lit(&p, '.')) {
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (lit(&p, 'Z'))
		return *p == 0;
	if (*p != '+' && *p != '-')
		return false;
	p++;
	return digits(&p, 2, &oh) && lit(&p, ':') && digits(&p, 2, &om) && oh <= 23 && om <= 59 &&
	       *p == 0;
}

START_TEST(test_rfc3339_parser)
{
	/* The parser itself: what Go accepts and what it refuses. */
	ck_assert(rfc3339("2024-01-02T03:04:05Z"));
	ck_assert(rfc3339("2024-01-02T03:04:05.123456789Z"));
	ck_assert(rfc3339("2024-02-29T23:59:59.5+01:30"));
	ck_assert(!rfc3339("2024-01-02T03:04:05.123456789+0000")); /* the old drop alert */
	ck_assert(!rfc3339("2024-01-02 03:04:05Z"));
	ck_assert(!rfc3339("2024-01-02T03:04:05"));
	ck_assert(!rfc3339("2024-01-02T03:04:05.Z"));
	ck_assert(!rfc3339("2023-02-29T00:00:00Z"));
	ck_assert(!rfc3339("2024-13-02T03:04:05Z"));
	ck_assert(!rfc3339("2024-01-02T03:04:05Zx"));
}
END_TEST

/* The "time" of a JSON alert line; checks that the line is JSON. */
static void check_time(const char *line, const char *want)
{
	json_object *j, *t;

	ck_assert_ptr_nonnull(line);
	j = json_tokener_parse(line);
	ck_assert_msg(j != NULL, "not JSON: %s", line);
	ck_assert_msg(json_object_object_get_ex(j, "time", &t), "no time: %s", line);
	ck_assert_msg(rfc3339(json_object_get_string(t)), "not RFC 3339: %s",
		      json_object_get_string(t));
	ck_assert_str_eq(json_object_get_string(t), want);
	json_object_put(j);
}

START_TEST(test_json_times_rfc3339)
{
	struct uevent ev;
	struct uevent_ctx ctx = { NULL, &ev };
	struct alert a = { .rule = "r", .priority = SHRIKE_PRI_WARNING, .hostname = "node-1" };
	struct output_opts o;
	json_object *audit;
	char err[256], *line;

	/* Every output option that touches times. */
	output_opts_init(&o);
	o.time_format_iso_8601 = true;
	/* A syscall alert. */
	a.source = SHRIKE_SRC_SYSCALL;
	a.output_fmt = "open %fd.name at %evt.time.iso8601";
	ck_assert_int_eq(uevent_from_json_syscall(&ev,
						  "{\"evt.type\":\"openat\",\"fd.name\":\"/etc/x\","
						  "\"evt.time\":1704164645123456789}",
						  err, sizeof(err)),
			 0);
	line = output_format_json(&a, &ctx, &o);
	check_time(line, "2024-01-02T03:04:05.123456789Z");
	free(line);
	uevent_free(&ev);
	/* A Kubernetes audit alert: the event's stageTimestamp. */
	a.source = SHRIKE_SRC_K8S_AUDIT;
	a.output_fmt = "%ka.verb at %jevt.time.iso8601";
	audit = json_tokener_parse("{\"kind\":\"Event\",\"verb\":\"get\","
				   "\"stageTimestamp\":\"2024-01-02T03:04:05.250Z\"}");
	ck_assert_int_eq(uevent_from_audit(&ev, audit), 0);
	line = output_format_json(&a, &ctx, &o);
	check_time(line, "2024-01-02T03:04:05.250000000Z");
	free(line);
	uevent_free(&ev);
	json_object_put(audit);
	/* The agent's own alert: the syscall event drop. */
	line = output_internal_json(
		"node-1", "Falco internal: syscall event drop", SHRIKE_PRI_DEBUG,
		"Falco internal: syscall event drop. 5 system calls dropped in last second.",
		json_object_new_object(), 1704164645000000001ull);
	check_time(line, "2024-01-02T03:04:05.000000001Z");
	ck_assert_str_eq(
		line, "{\"hostname\":\"node-1\",\"output\":\"Falco internal: syscall event drop. "
		      "5 system calls dropped in last second.\",\"output_fields\":{},"
		      "\"priority\":\"Debug\",\"rule\":\"Falco internal: syscall event drop\","
		      "\"source\":\"syscall\",\"time\":\"2024-01-02T03:04:05.000000001Z\"}");
	free(line);
	/* Its text form keeps Falco's text time. */
	line = output_internal_text(SHRIKE_PRI_DEBUG, "m", 1704164645000000001ull, &o);
	ck_assert_str_eq(line, "2024-01-02T03:04:05.000000001+0000: Debug m");
	free(line);
	/* Before 1970 or far ahead: still RFC 3339. */
	line = output_internal_json("h", "r", SHRIKE_PRI_DEBUG, "m", NULL, 0);
	check_time(line, "1970-01-01T00:00:00.000000000Z");
	free(line);
}
END_TEST

/* ---- hostname ------------------------------------------------------------------ */

START_TEST(test_hostname_env)
{
	char buf[256], host[256];

	unsetenv("FALCO_HOSTNAME");
	unsetenv("SHRIKE_K8S_NODE_NAME");
	ck_assert_int_eq(gethostname(host, sizeof(host)), 0);
	ck_assert_ptr_null(outputs_hostname(buf, sizeof(buf)));
	ck_assert_str_eq(buf, host);
	setenv("SHRIKE_K8S_NODE_NAME", "node-b", 1);
	ck_assert_str_eq(outputs_hostname(buf, sizeof(buf)), "SHRIKE_K8S_NODE_NAME");
	ck_assert_str_eq(buf, "node-b");
	/* Falco's variable wins. */
	setenv("FALCO_HOSTNAME", "node-a", 1);
	ck_assert_str_eq(outputs_hostname(buf, sizeof(buf)), "FALCO_HOSTNAME");
	ck_assert_str_eq(buf, "node-a");
	/* Empty is unset. */
	setenv("FALCO_HOSTNAME", "", 1);
	ck_assert_str_eq(outputs_hostname(buf, sizeof(buf)), "SHRIKE_K8S_NODE_NAME");
	unsetenv("FALCO_HOSTNAME");
	unsetenv("SHRIKE_K8S_NODE_NAME");
}
END_TEST

/* ---- audit events without a time ---------------------------------------------- */

static void count_event(void *data, json_object *ev)
{
	(void)ev;
	(*(int *)data)++;
}

/* websrv_audit_events on body: the count, or -1 with err. */
static int split(const char *body, int *seen, char *err, size_t errlen)
{
	json_object *j = json_tokener_parse(body);
	int n;

	ck_assert_ptr_nonnull(j);
	*seen = 0;
	err[0] = 0;
	n = websrv_audit_events(j, count_event, seen, err, errlen);
	json_object_put(j);
	return n;
}

#define TS "\"stageTimestamp\":\"2024-01-02T03:04:05.1Z\""

START_TEST(test_audit_needs_time)
{
	char err[256];
	int seen;

	ck_assert_int_eq(split("{\"kind\":\"Event\"," TS "}", &seen, err, sizeof(err)), 1);
	ck_assert_int_eq(seen, 1);
	ck_assert_int_eq(split("{\"kind\":\"Event\",\"verb\":\"get\"}", &seen, err, sizeof(err)),
			 -1);
	ck_assert_str_eq(err, "Data not recognized as a k8s audit event: no stageTimestamp");
	ck_assert_int_eq(
		split("{\"kind\":\"Event\",\"stageTimestamp\":null}", &seen, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "Data not recognized as a k8s audit event: no stageTimestamp");
	ck_assert_int_eq(split("{\"kind\":\"Event\",\"stageTimestamp\":\"yesterday\"}", &seen, err,
			       sizeof(err)),
			 -1);
	ck_assert_str_eq(err,
			 "Data not recognized as a k8s audit event: stageTimestamp \"yesterday\" "
			 "is not an RFC 3339 time");
	/* As Falco: one event of a list without a time refuses the whole body,
	 * none of its events is evaluated. */
	ck_assert_int_eq(split("{\"kind\":\"EventList\",\"items\":[{" TS "},{\"verb\":\"get\"},{" TS
			       "}]}",
			       &seen, err, sizeof(err)),
			 -1);
	ck_assert_str_eq(err,
			 "Data not recognized as a k8s audit event: items[1]: no stageTimestamp");
	ck_assert_int_eq(seen, 0);
	ck_assert_int_eq(split("[{\"kind\":\"Event\"," TS
			       "},{\"kind\":\"EventList\",\"items\":[{" TS "},{}]}]",
			       &seen, err, sizeof(err)),
			 -1);
	ck_assert_str_eq(
		err, "Data not recognized as a k8s audit event: [1].items[1]: no stageTimestamp");
	ck_assert_int_eq(seen, 0);
	ck_assert_int_eq(split("[{\"kind\":\"Event\"},{\"kind\":\"Event\"," TS "}]", &seen, err,
			       sizeof(err)),
			 -1);
	ck_assert_str_eq(err, "Data not recognized as a k8s audit event: [0]: no stageTimestamp");
	/* An empty list has nothing to date. */
	ck_assert_int_eq(split("{\"kind\":\"EventList\",\"items\":[]}", &seen, err, sizeof(err)),
			 0);
}
END_TEST

/* ---- the agent's own log ---------------------------------------------------------- */

/* What the log wrote to f since the last call, f rewound and emptied. */
static char *taken(FILE *f)
{
	static char buf[4096];
	size_t n;

	fflush(f);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	rewind(f);
	ck_assert_int_eq(ftruncate(fileno(f), 0), 0);
	return buf;
}

START_TEST(test_log_levels)
{
	FILE *f = tmpfile();
	struct config c;

	ck_assert_ptr_nonnull(f);
	agentlog_set_stream(f);
	/* log_level: warning; what is less severe is dropped. */
	config_init(&c);
	ck_assert_int_eq(config_set(&c, "log_level=warning", NULL), 0);
	ck_assert_int_eq(config_set(&c, "log_syslog=false", NULL), 0);
	agentlog_configure_from(&c);
	alog(LOG_DEBUG, "debug %d", 1);
	alog(LOG_INFO, "info");
	alog(LOG_NOTICE, "notice");
	alog(LOG_WARNING, "warning: %s", "w");
	alog(LOG_ERR, "error\n");
	alog(LOG_EMERG, "emergency");
	ck_assert_str_eq(taken(f), "shrike-agent: warning: w\nshrike-agent: error\n"
				   "shrike-agent: emergency\n");
	config_free(&c);
	/* debug: everything. */
	config_init(&c);
	ck_assert_int_eq(config_set(&c, "log_level=debug", NULL), 0);
	agentlog_configure_from(&c);
	alog(LOG_DEBUG, "d");
	ck_assert_str_eq(taken(f), "shrike-agent: d\n");
	config_free(&c);
	/* log_stderr: false: nothing here but the errors the agent exits on. */
	agentlog_configure(LOG_DEBUG, false, false);
	alog(LOG_ERR, "e");
	alog_fatal("fatal %s", "x");
	ck_assert_str_eq(taken(f), "shrike-agent: fatal x\n");
	/* ... also below log_level. */
	agentlog_configure(LOG_CRIT, true, false);
	alog(LOG_ERR, "e");
	alog_fatal("f");
	ck_assert_str_eq(taken(f), "shrike-agent: f\n");
	/* The default. */
	config_init(&c);
	ck_assert_int_eq(cfg_int(&c, CFG_LOG_LEVEL), LOG_INFO);
	config_free(&c);
	agentlog_configure(LOG_INFO, true, false);
	agentlog_set_stream(NULL);
	fclose(f);
}
END_TEST

/* ---- the HTTP output's failures, logged at most once per interval -------------- */

struct answer {
	pthread_mutex_t lock;
	unsigned code;
	int n;
};

static enum MHD_Result answer_handler(void *cls, struct MHD_Connection *c, const char *url,
				      const char *method, const char *version, const char *upload,
				      size_t *upload_size, void **con_cls)
{
	struct answer *a = cls;
	struct MHD_Response *r;
	enum MHD_Result ret;
	unsigned code;

	(void)url, (void)method, (void)version, (void)upload;
	if (!*con_cls) {
		*con_cls = a;
		return MHD_YES;
	}
	if (*upload_size) {
		*upload_size = 0;
		return MHD_YES;
	}
	pthread_mutex_lock(&a->lock);
	code = a->code;
	a->n++;
	pthread_mutex_unlock(&a->lock);
	r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

/* Waits until the outputs wrote or failed want alerts in all. */
static void written(struct outputs *o, uint64_t want)
{
	struct out_stats st[4];
	int tries;

	for (tries = 0; tries < 1000; tries++) {
		outputs_stats(o, st, 4);
		if (st[0].sent + st[0].failed >= want)
			return;
		usleep(5000);
	}
	ck_abort_msg("the http output did not get to %llu alerts", (unsigned long long)want);
}

START_TEST(test_http_failures_logged)
{
	struct answer a = { .lock = PTHREAD_MUTEX_INITIALIZER, .code = 500 };
	struct MHD_Daemon *d;
	struct config c;
	struct outputs o;
	char kv[200], err[256], want[1024];
	FILE *f = tmpfile();
	unsigned port;
	uint64_t saved = outputs_fail_log_ns;

	ck_assert_ptr_nonnull(f);
	agentlog_set_stream(f);
	agentlog_configure(LOG_INFO, true, false);
	outputs_fail_log_ns = 400000000ull; /* 0.4 s */
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, answer_handler, &a,
			     MHD_OPTION_END);
	ck_assert_ptr_nonnull(d);
	port = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)->port;
	config_init(&c);
	ck_assert_int_eq(config_set(&c, "stdout_output.enabled=false", NULL), 0);
	ck_assert_int_eq(config_set(&c, "syslog_output.enabled=false", NULL), 0);
	ck_assert_int_eq(config_set(&c, "http_output.enabled=true", NULL), 0);
	snprintf(kv, sizeof(kv), "http_output.url=http://127.0.0.1:%u/", port);
	ck_assert_int_eq(config_set(&c, kv, NULL), 0);
	ck_assert_int_eq(outputs_init(&o, &c, err, sizeof(err)), 0);
	/* The first failure is logged at once; the next two in the interval
	 * are not, and the first line after it counts them. */
	outputs_send(&o, SHRIKE_PRI_ERROR, "l", "{}");
	written(&o, 1);
	outputs_send(&o, SHRIKE_PRI_ERROR, "l", "{}");
	outputs_send(&o, SHRIKE_PRI_ERROR, "l", "{}");
	written(&o, 3);
	snprintf(want, sizeof(want),
		 "shrike-agent: http_output: http://127.0.0.1:%u/ answered HTTP 500\n", port);
	ck_assert_str_eq(taken(f), want);
	usleep(500000);
	outputs_send(&o, SHRIKE_PRI_ERROR, "l", "{}");
	written(&o, 4);
	snprintf(want, sizeof(want),
		 "shrike-agent: http_output: http://127.0.0.1:%u/ answered HTTP 500 "
		 "(and 2 more since the last message)\n",
		 port);
	ck_assert_str_eq(taken(f), want);
	/* A success logs nothing; nobody listening is libcurl's error, as Falco
	 * words it. */
	pthread_mutex_lock(&a.lock);
	a.code = 200;
	pthread_mutex_unlock(&a.lock);
	outputs_send(&o, SHRIKE_PRI_ERROR, "l", "{}");
	written(&o, 5);
	ck_assert_str_eq(taken(f), "");
	MHD_stop_daemon(d);
	usleep(500000);
	outputs_send(&o, SHRIKE_PRI_ERROR, "l", "{}");
	written(&o, 6);
	ck_assert_str_eq(taken(f), "shrike-agent: http_output: libcurl failed to perform call: "
				   "Couldn't connect to server\n");
	outputs_close(&o, 1000);
	config_free(&c);
	ck_assert_int_eq(a.n, 5);
	outputs_fail_log_ns = saved;
	agentlog_set_stream(NULL);
	fclose(f);
}
END_TEST

Suite *make_dropin_suite(void)
{
	Suite *s = suite_create("dropin");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_rfc3339_parser);
	tcase_add_test(tc, test_json_times_rfc3339);
	tcase_add_test(tc, test_hostname_env);
	tcase_add_test(tc, test_audit_needs_time);
	tcase_add_test(tc, test_log_levels);
	tcase_add_test(tc, test_http_failures_logged);
	suite_add_tcase(s, tc);
	return s;
}
