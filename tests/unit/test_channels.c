/* test_channels.c - the agent's alert channels (agent/channels.c): file
 * with reopen, program, http to a local server, the priority filter and the
 * token bucket, bounded queues, bursts. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <curl/curl.h>
#include <microhttpd.h>

#include "agent/config.h"
#include "agent/channels.h"
#include "kmod/uapi/shrike.h"
#include "agent_helpers.h"

/* ---- outputs --------------------------------------------------------------------- */

static void wait_sent(struct outputs *o, uint64_t want)
{
	struct out_stats st[8];
	size_t i, n;
	int tries;

	for (tries = 0; tries < 500; tries++) {
		uint64_t done = 0;

		n = outputs_stats(o, st, 8);
		for (i = 0; i < n; i++)
			done += st[i].sent + st[i].failed;
		if (done >= want)
			return;
		usleep(10000);
	}
	ck_abort_msg("outputs did not finish");
}

static void quiet(struct config *c)
{
	config_init(c);
	ck_assert_int_eq(config_set(c, "stdout_output.enabled=false", NULL), 0);
	ck_assert_int_eq(config_set(c, "syslog_output.enabled=false", NULL), 0);
}

START_TEST(test_output_file_reopen)
{
	struct config c;
	struct outputs o;
	char *d = tmpdir(), path[300], moved[300], sub[300], kv[400], err[256], *s;

	snprintf(path, sizeof(path), "%s/events.txt", d);
	snprintf(moved, sizeof(moved), "%s/events.txt.1", d);
	quiet(&c);
	snprintf(kv, sizeof(kv), "file_output.filename=%s", path);
	ck_assert_int_eq(config_set(&c, kv, NULL), 0);
	ck_assert_int_eq(config_set(&c, "file_output.enabled=true", NULL), 0);
	ck_assert_int_eq(config_set(&c, "file_output.keep_alive=true", NULL), 0);
	ck_assert_int_eq(outputs_init(&o, &c, err, sizeof(err)), 0);
	outputs_send(&o, SHRIKE_PRI_WARNING, "one", NULL);
	wait_sent(&o, 1);
	/* logrotate: moved away, then reopened. */
	ck_assert_int_eq(rename(path, moved), 0);
	outputs_send(&o, SHRIKE_PRI_WARNING, "two", NULL);
	wait_sent(&o, 2);
	outputs_reopen(&o);
	outputs_send(&o, SHRIKE_PRI_WARNING, "three", NULL);
	wait_sent(&o, 3);
	s = slurp(moved);
	ck_assert_str_eq(s, "one\ntwo\n");
	free(s);
	s = slurp(path);
	ck_assert_str_eq(s, "three\n");
	free(s);
	/* A reopen that fails keeps the old file. */
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	outputs_reopen(&o);
	outputs_send(&o, SHRIKE_PRI_WARNING, "four", NULL);
	wait_sent(&o, 4);
	outputs_close(&o, 1000);
	ck_assert_int_eq(rmdir(path), 0);
	config_free(&c);
	/* Not openable at start: an error naming the option. */
	quiet(&c);
	snprintf(sub, sizeof(sub), "file_output.filename=%s/no/such/dir/x", d);
	ck_assert_int_eq(config_set(&c, sub, NULL), 0);
	ck_assert_int_eq(config_set(&c, "file_output.enabled=true", NULL), 0);
	ck_assert_int_eq(outputs_init(&o, &c, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "file_output.filename: cannot open"));
	config_free(&c);
	unlink(moved);
	rmdir(d);
	free(d);
}
END_TEST

START_TEST(test_output_program)
{
	struct config c;
	struct outputs o;
	char *d = tmpdir(), path[300], kv[400], err[256], *s;
	int keep;

	snprintf(path, sizeof(path), "%s/prog.txt", d);
	for (keep = 0; keep < 2; keep++) {
		quiet(&c);
		snprintf(kv, sizeof(kv), "program_output.program=cat >> %s", path);
		ck_assert_int_eq(config_set(&c, kv, NULL), 0);
		ck_assert_int_eq(config_set(&c, "program_output.enabled=true", NULL), 0);
		ck_assert_int_eq(config_set(&c,
					    keep ? "program_output.keep_alive=true"
						 : "program_output.keep_alive=false",
					    NULL),
				 0);
		ck_assert_int_eq(outputs_init(&o, &c, err, sizeof(err)), 0);
		outputs_send(&o, SHRIKE_PRI_ERROR, "a", NULL);
		outputs_send(&o, SHRIKE_PRI_ERROR, "b", NULL);
		wait_sent(&o, 2);
		outputs_close(&o, 1000); /* pclose: the program has finished */
		config_free(&c);
	}
	s = slurp(path);
	ck_assert_str_eq(s, "a\nb\na\nb\n");
	free(s);
	unlink(path);
	rmdir(d);
	free(d);
}
END_TEST

START_TEST(test_output_filter_and_rate)
{
	struct config c;
	struct outputs o;
	struct token_bucket tb;
	char err[256];
	int i, ok = 0;

	quiet(&c);
	ck_assert_int_eq(config_set(&c, "priority=warning", NULL), 0);
	ck_assert_int_eq(config_set(&c, "outputs.rate=1", NULL), 0);
	ck_assert_int_eq(config_set(&c, "outputs.max_burst=3", NULL), 0);
	ck_assert_int_eq(outputs_init(&o, &c, err, sizeof(err)), 0);
	ck_assert(!outputs_admit(&o, SHRIKE_PRI_NOTICE));
	ck_assert(!outputs_admit(&o, SHRIKE_PRI_DEBUG));
	for (i = 0; i < 10; i++)
		ok += outputs_admit(&o, SHRIKE_PRI_CRITICAL);
	ck_assert_int_eq(ok, 3);
	ck_assert_uint_eq(o.filtered, 2);
	ck_assert_uint_eq(o.rate_limited, 7);
	outputs_close(&o, 0);
	config_free(&c);

	/* The bucket: full at start, rate tokens a second, capped at burst. */
	tb_init(&tb, 2, 4, 0);
	for (i = 0; i < 4; i++)
		ck_assert(tb_claim(&tb, 0));
	ck_assert(!tb_claim(&tb, 0));
	ck_assert(!tb_claim(&tb, 400000000)); /* 0.8 tokens */
	ck_assert(tb_claim(&tb, 500000000));  /* 1.0 */
	ck_assert(!tb_claim(&tb, 500000000));
	ck_assert(tb_claim(&tb, 100000000000ull)); /* capped at 4 */
	ck_assert(tb_claim(&tb, 100000000000ull));
	ck_assert(tb_claim(&tb, 100000000000ull));
	ck_assert(tb_claim(&tb, 100000000000ull));
	ck_assert(!tb_claim(&tb, 100000000000ull));
	tb_init(&tb, 0, 1, 0); /* rate 0: no limit */
	for (i = 0; i < 100; i++)
		ck_assert(tb_claim(&tb, 0));
}
END_TEST

/* Alerts sent faster than written go out in bursts: all of them, in order,
 * counted once each; closing in the middle of a burst loses only what was
 * not written yet, and in order. */
START_TEST(test_output_bursts)
{
	struct config c;
	struct outputs o;
	struct out_stats st[4];
	char *d = tmpdir(), path[300], kv[400], err[256], line[64], *s, *p;
	int keep, i, n = 3000;

	snprintf(path, sizeof(path), "%s/burst.txt", d);
	for (keep = 0; keep < 3; keep++) {
		quiet(&c);
		snprintf(kv, sizeof(kv), "file_output.filename=%s", path);
		ck_assert_int_eq(config_set(&c, kv, NULL), 0);
		ck_assert_int_eq(config_set(&c, "file_output.enabled=true", NULL), 0);
		ck_assert_int_eq(config_set(&c,
					    keep ? "file_output.keep_alive=true"
						 : "file_output.keep_alive=false",
					    NULL),
				 0);
		if (keep == 2)
			ck_assert_int_eq(config_set(&c, "buffered_outputs=true", NULL), 0);
		ck_assert_int_eq(outputs_init(&o, &c, err, sizeof(err)), 0);
		for (i = 0; i < n; i++) {
			snprintf(line, sizeof(line), "alert %d", i);
			outputs_send(&o, SHRIKE_PRI_ERROR, line, NULL);
		}
		wait_sent(&o, (uint64_t)n);
		ck_assert_uint_eq(outputs_stats(&o, st, 4), 1);
		ck_assert_uint_eq(st[0].sent, (uint64_t)n);
		ck_assert_uint_eq(st[0].failed, 0);
		ck_assert_uint_eq(st[0].dropped, 0);
		ck_assert_uint_eq(st[0].depth, 0);
		outputs_close(&o, 1000);
		config_free(&c);
		s = slurp(path);
		ck_assert_ptr_nonnull(s);
		for (i = 0, p = s; i < n; i++) {
			snprintf(line, sizeof(line), "alert %d\n", i);
			ck_assert_msg(!strncmp(p, line, strlen(line)), "run %d line %d: %.20s",
				      keep, i, p);
			p += strlen(line);
		}
		ck_assert_str_eq(p, "");
		free(s);
		ck_assert_int_eq(unlink(path), 0);
	}

	/* Closed at once: whatever was written is a prefix, in order. */
	quiet(&c);
	snprintf(kv, sizeof(kv), "file_output.filename=%s", path);
	ck_assert_int_eq(config_set(&c, kv, NULL), 0);
	ck_assert_int_eq(config_set(&c, "file_output.enabled=true", NULL), 0);
	ck_assert_int_eq(config_set(&c, "file_output.keep_alive=true", NULL), 0);
	ck_assert_int_eq(outputs_init(&o, &c, err, sizeof(err)), 0);
	for (i = 0; i < 10000; i++) {
		snprintf(line, sizeof(line), "alert %d", i);
		outputs_send(&o, SHRIKE_PRI_ERROR, line, NULL);
	}
	outputs_close(&o, 0);
	config_free(&c);
	s = slurp(path);
	ck_assert_ptr_nonnull(s);
	for (i = 0, p = s; *p; i++) {
		snprintf(line, sizeof(line), "alert %d\n", i);
		ck_assert_msg(!strncmp(p, line, strlen(line)), "line %d: %.20s", i, p);
		p += strlen(line);
	}
	ck_assert_int_le(i, 10000);
	free(s);
	unlink(path);
	rmdir(d);
	free(d);
}
END_TEST

/* A stuck channel fills its bounded queue and drops; nothing blocks. */
START_TEST(test_output_queue_bounded)
{
	struct config c;
	struct outputs o;
	struct out_stats st[4];
	char err[256];
	int i;

	quiet(&c);
	ck_assert_int_eq(config_set(&c, "program_output.enabled=true", NULL), 0);
	ck_assert_int_eq(config_set(&c, "program_output.keep_alive=true", NULL), 0);
	ck_assert_int_eq(config_set(&c, "program_output.program=sleep 3", NULL), 0);
	ck_assert_int_eq(config_set(&c, "outputs.queue_size=4", NULL), 0);
	ck_assert_int_eq(outputs_init(&o, &c, err, sizeof(err)), 0);
	/* Far more than a pipe holds, so the writer blocks on the sleeping
	 * program and the queue fills up behind it. */
	for (i = 0; i < 2000; i++) {
		char line[200];

		memset(line, 'x', sizeof(line) - 1);
		line[sizeof(line) - 1] = 0;
		outputs_send(&o, SHRIKE_PRI_ERROR, line, NULL);
	}
	ck_assert_uint_eq(outputs_stats(&o, st, 4), 1);
	ck_assert_str_eq(st[0].name, "program");
	ck_assert_uint_gt(st[0].dropped, 1000);
	ck_assert_uint_le(st[0].depth, 4);
	outputs_close(&o, 100);
	config_free(&c);
}
END_TEST

/* ---- a tiny HTTP sink for http_output ------------------------------------------ */

struct sink {
	pthread_mutex_t lock;
	char body[65536];
	char ctype[128], agent[128];
	int n;
	unsigned code;
};

static enum MHD_Result sink_handler(void *cls, struct MHD_Connection *c, const char *url,
				    const char *method, const char *version, const char *upload,
				    size_t *upload_size, void **con_cls)
{
	struct sink *s = cls;
	struct MHD_Response *r;
	enum MHD_Result ret;
	const char *h;

	(void)url;
	(void)method;
	(void)version;
	if (!*con_cls) {
		*con_cls = s;
		pthread_mutex_lock(&s->lock);
		s->body[0] = 0;
		pthread_mutex_unlock(&s->lock);
		return MHD_YES;
	}
	if (*upload_size) {
		pthread_mutex_lock(&s->lock);
		strncat(s->body, upload,
			*upload_size < sizeof(s->body) - strlen(s->body) - 1
				? *upload_size
				: sizeof(s->body) - strlen(s->body) - 1);
		pthread_mutex_unlock(&s->lock);
		*upload_size = 0;
		return MHD_YES;
	}
	pthread_mutex_lock(&s->lock);
	h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	snprintf(s->ctype, sizeof(s->ctype), "%s", h ? h : "");
	h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "User-Agent");
	snprintf(s->agent, sizeof(s->agent), "%s", h ? h : "");
	s->n++;
	pthread_mutex_unlock(&s->lock);
	r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	ret = MHD_queue_response(c, s->code, r);
	MHD_destroy_response(r);
	return ret;
}

START_TEST(test_output_http)
{
	struct sink s = { .code = 200 };
	struct MHD_Daemon *d;
	struct config c;
	struct outputs o;
	struct out_stats st[4];
	char kv[200], err[256];
	const union MHD_DaemonInfo *di;

	pthread_mutex_init(&s.lock, NULL);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, sink_handler, &s,
			     MHD_OPTION_END);
	ck_assert_ptr_nonnull(d);
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	quiet(&c);
	snprintf(kv, sizeof(kv), "http_output.url=http://127.0.0.1:%u/", di->port);
	ck_assert_int_eq(config_set(&c, kv, NULL), 0);
	ck_assert_int_eq(config_set(&c, "http_output.enabled=true", NULL), 0);
	ck_assert_int_eq(config_set(&c, "http_output.user_agent=shrike-test", NULL), 0);
	ck_assert_int_eq(outputs_init(&o, &c, err, sizeof(err)), 0);
	ck_assert(o.want_json);
	outputs_send(&o, SHRIKE_PRI_ERROR, "text line", "{\"rule\":\"r\"}");
	wait_sent(&o, 1);
	pthread_mutex_lock(&s.lock);
	ck_assert_int_eq(s.n, 1);
	ck_assert_str_eq(s.body, "{\"rule\":\"r\"}");
	ck_assert_str_eq(s.ctype, "application/json");
	ck_assert_str_eq(s.agent, "shrike-test");
	s.code = 500; /* an error answer is a failure */
	pthread_mutex_unlock(&s.lock);
	outputs_send(&o, SHRIKE_PRI_ERROR, "text line", "{}");
	wait_sent(&o, 2);
	outputs_stats(&o, st, 4);
	ck_assert_uint_eq(st[0].sent, 1);
	ck_assert_uint_eq(st[0].failed, 1);
	MHD_stop_daemon(d);
	/* Nobody listening: failures, counted, nothing stuck. */
	outputs_send(&o, SHRIKE_PRI_ERROR, "text line", "{}");
	wait_sent(&o, 3);
	outputs_stats(&o, st, 4);
	ck_assert_uint_eq(st[0].failed, 2);
	outputs_close(&o, 1000);
	config_free(&c);
}
END_TEST

Suite *make_channels_suite(void)
{
	Suite *s = suite_create("channels");
	TCase *tc = tcase_create("channels");

	curl_global_init(CURL_GLOBAL_DEFAULT);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_output_file_reopen);
	tcase_add_test(tc, test_output_program);
	tcase_add_test(tc, test_output_filter_and_rate);
	tcase_add_test(tc, test_output_queue_bounded);
	tcase_add_test(tc, test_output_bursts);
	tcase_add_test(tc, test_output_http);
	suite_add_tcase(s, tc);
	return s;
}
