/* test_agent2.c - the agent's configuration (defaults, errors with their
 * position, -o and -r, rules_files, no rules file), its outputs (file with reopen, program, http to a
 * local server, the priority filter and the token bucket, bounded queues,
 * bursts), its webserver, spoken to over loopback with libcurl as a real
 * client, and its enrichment (runtime state, cached user and group names). */
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
#include <json-c/json.h>
#include <microhttpd.h>

#include "agent/config.h"
#include "agent/enrich.h"
#include "lib/event.h"
#include "agent/channels.h"
#include "agent/run.h"
#include "agent/webserver.h"
#include "kmod/uapi/shrike.h"

/* Runs fn's messages into a string. */
static char *errs;
static size_t errs_len;

static FILE *err_open(void)
{
	free(errs);
	errs = NULL;
	return open_memstream(&errs, &errs_len);
}

static int load(struct config *c, const char *yaml)
{
	FILE *f = err_open();
	int r;

	config_init(c);
	r = config_load_string(c, "t.yaml", yaml, strlen(yaml), f);
	fclose(f);
	return r;
}

static char *tmpdir(void)
{
	char *d = strdup("/tmp/shrike-test-XXXXXX");

	ck_assert_ptr_nonnull(mkdtemp(d));
	return d;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = calloc(1, 1 << 20);
	size_t n;

	if (!f) {
		free(buf);
		return NULL;
	}
	n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

/* ---- configuration --------------------------------------------------------------- */

START_TEST(test_config_defaults)
{
	struct config c;
	size_t n;
	char *const *l;

	config_init(&c);
	ck_assert(!cfg_bool(&c, CFG_JSON_OUTPUT));
	ck_assert(cfg_bool(&c, CFG_JSON_INCLUDE_OUTPUT_PROPERTY));
	ck_assert(cfg_bool(&c, CFG_STDOUT_ENABLED));
	ck_assert(cfg_bool(&c, CFG_SYSLOG_ENABLED));
	ck_assert(!cfg_bool(&c, CFG_FILE_ENABLED));
	ck_assert_int_eq(cfg_int(&c, CFG_PRIORITY), SHRIKE_PRI_DEBUG);
	ck_assert_int_eq(cfg_int(&c, CFG_WEB_LISTEN_PORT), 8765);
	ck_assert_str_eq(cfg_str(&c, CFG_WEB_K8S_AUDIT_ENDPOINT), "/k8s-audit");
	ck_assert_str_eq(cfg_str(&c, CFG_WEB_HEALTHZ_ENDPOINT), "/healthz");
	ck_assert_str_eq(cfg_str(&c, CFG_FILE_FILENAME), "./events.txt");
	ck_assert_str_eq(cfg_str(&c, CFG_HTTP_USER_AGENT), "falcosecurity/falco");
	ck_assert(cfg_double(&c, CFG_OUTPUTS_RATE) == 0);
	ck_assert(cfg_double(&c, CFG_OUTPUTS_MAX_BURST) == 1000);
	ck_assert(cfg_list_has(&c, CFG_DROPS_ACTIONS, "log"));
	ck_assert(cfg_list_has(&c, CFG_DROPS_ACTIONS, "alert"));
	l = cfg_list(&c, CFG_RULES_FILE, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(l[0], "/etc/shrike/rules.d");
	ck_assert_int_eq(config_check(&c, NULL), 0);
	config_free(&c);
}
END_TEST

/* The shipped configuration parses cleanly and gives the built-in defaults. */
START_TEST(test_config_shipped)
{
	struct config c, d;
	char path[512];
	const char *f = __FILE__, *slash = strrchr(f, '/');
	FILE *e;

	snprintf(path, sizeof(path), "%.*s../../agent/shrike.yaml",
		 slash ? (int)(slash - f + 1) : 0, f);
	config_init(&c);
	config_init(&d);
	e = err_open();
	ck_assert_int_eq(config_load_file(&c, path, true, e), 0);
	fclose(e);
	ck_assert_msg(errs_len == 0, "messages: %s", errs);
	{
		char *a = NULL, *b = NULL;
		size_t al, bl;
		FILE *fa = open_memstream(&a, &al), *fb = open_memstream(&b, &bl);

		config_dump(&c, fa);
		config_dump(&d, fb);
		fclose(fa);
		fclose(fb);
		ck_assert_str_eq(a, b);
		free(a);
		free(b);
	}
	config_free(&c);
	config_free(&d);
}
END_TEST

START_TEST(test_config_values)
{
	struct config c;
	size_t n;
	char *const *l;

	ck_assert_int_eq(load(&c,
			      "json_output: yes\n"
			      "priority: warning\n"
			      "rule_matching: all\n"
			      "rules_file: /one.yaml\n"
			      "outputs:\n  rate: 0.5\n  max_burst: 10\n"
			      "file_output: {enabled: true, keep_alive: true, filename: /tmp/x}\n"
			      "webserver:\n  listen_port: 0\n"
			      "syscall_event_drops:\n  actions: [log, exit]\n"
			      "plugins: []\ngrpc: {enabled: false}\n"),
			 0);
	ck_assert_msg(errs_len == 0, "messages: %s", errs);
	ck_assert(cfg_bool(&c, CFG_JSON_OUTPUT));
	ck_assert_int_eq(cfg_int(&c, CFG_PRIORITY), SHRIKE_PRI_WARNING);
	ck_assert_int_eq(cfg_int(&c, CFG_RULE_MATCHING), 1);
	l = cfg_list(&c, CFG_RULES_FILE, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(l[0], "/one.yaml");
	ck_assert(cfg_double(&c, CFG_OUTPUTS_RATE) == 0.5);
	ck_assert(cfg_bool(&c, CFG_FILE_KEEP_ALIVE));
	ck_assert_str_eq(cfg_str(&c, CFG_FILE_FILENAME), "/tmp/x");
	ck_assert_int_eq(cfg_int(&c, CFG_WEB_LISTEN_PORT), 0);
	ck_assert(cfg_list_has(&c, CFG_DROPS_ACTIONS, "exit"));
	ck_assert(!cfg_list_has(&c, CFG_DROPS_ACTIONS, "alert"));
	config_free(&c);
}
END_TEST

START_TEST(test_config_errors)
{
	struct config c;

	ck_assert_int_eq(load(&c, "json_output: maybe\n"), -1);
	ck_assert_str_eq(errs,
			 "t.yaml:1:14: error: json_output: expected true or false, got 'maybe'\n");
	config_free(&c);
	ck_assert_int_eq(load(&c, "outputs:\n  rate: fast\n"), -1);
	ck_assert_str_eq(errs, "t.yaml:2:9: error: outputs.rate: expected a number, got 'fast'\n");
	config_free(&c);
	ck_assert_int_eq(load(&c, "webserver:\n  listen_port: 70000\n"), -1);
	ck_assert_str_eq(
		errs,
		"t.yaml:2:16: error: webserver.listen_port: 70000 is out of range [0, 65535]\n");
	config_free(&c);
	ck_assert_int_eq(load(&c, "priority: loud\n"), -1);
	ck_assert_ptr_nonnull(strstr(errs, "priority: 'loud' is not a priority"));
	config_free(&c);
	ck_assert_int_eq(load(&c, "rule_matching: some\n"), -1);
	ck_assert_ptr_nonnull(strstr(errs, "'some' is not one of first, all"));
	config_free(&c);
	ck_assert_int_eq(load(&c, "syscall_event_drops:\n  actions: [log, panic]\n"), -1);
	ck_assert_ptr_nonnull(strstr(errs, "syscall_event_drops.actions: 'panic' is not one of"));
	config_free(&c);
	ck_assert_int_eq(load(&c, "webserver: 3\n"), -1);
	ck_assert_ptr_nonnull(strstr(errs, "webserver: expected a mapping"));
	config_free(&c);
	ck_assert_int_eq(load(&c, "json_output: [true]\n"), -1);
	ck_assert_ptr_nonnull(strstr(errs, "expected a scalar, got a"));
	config_free(&c);
	ck_assert_int_eq(load(&c, "- a\n- b\n"), -1);
	ck_assert_ptr_nonnull(strstr(errs, "the configuration must be a mapping"));
	config_free(&c);
	ck_assert_int_eq(load(&c, "a: [\n"), -1);
	ck_assert_ptr_nonnull(strstr(errs, "error[E-YAML]"));
	config_free(&c);
	/* Unknown keys only warn. */
	ck_assert_int_eq(load(&c, "json_outptu: true\nwebserver:\n  lisen_port: 1\n"), 0);
	ck_assert_str_eq(errs,
			 "t.yaml:1:1: warning: json_outptu: unknown option, ignored\n"
			 "t.yaml:3:3: warning: webserver.lisen_port: unknown option, ignored\n");
	config_free(&c);
	/* An empty file is every default. */
	ck_assert_int_eq(load(&c, ""), 0);
	ck_assert(cfg_bool(&c, CFG_STDOUT_ENABLED));
	config_free(&c);
}
END_TEST

START_TEST(test_config_overrides)
{
	struct config c;
	char *r[] = { "a.yaml", "dir" };
	size_t n;
	char *const *l;
	FILE *f;

	config_init(&c);
	f = err_open();
	ck_assert_int_eq(config_set(&c, "file_output.enabled=true", f), 0);
	ck_assert_int_eq(config_set(&c, "rules_file=[x.yaml, y.yaml]", f), 0);
	ck_assert_int_eq(config_set(&c, "program_output.program=jq -c . | cat", f), 0);
	ck_assert_int_eq(config_set(&c, "outputs.rate=nope", f), -1);
	ck_assert_int_eq(config_set(&c, "no.such=1", f), -1);
	ck_assert_int_eq(config_set(&c, "json_output", f), -1);
	fclose(f);
	ck_assert_str_eq(errs, "-o outputs.rate: error: expected a number, got 'nope'\n"
			       "-o no.such: unknown option\n"
			       "-o json_output: expected KEY=VALUE\n");
	ck_assert(cfg_bool(&c, CFG_FILE_ENABLED));
	ck_assert_str_eq(cfg_str(&c, CFG_PROGRAM_PROGRAM), "jq -c . | cat");
	l = cfg_list(&c, CFG_RULES_FILE, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(l[1], "y.yaml");
	/* -r replaces the list, as Falco's -r replaces rules_file. */
	ck_assert_int_eq(config_set_rules(&c, r, 2), 0);
	l = cfg_list(&c, CFG_RULES_FILE, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(l[0], "a.yaml");
	ck_assert(c.rules_from_cli);
	/* Checks across options. */
	ck_assert_int_eq(config_set(&c, "file_output.filename=", NULL), 0);
	f = err_open();
	ck_assert_int_eq(config_check(&c, f), -1);
	fclose(f);
	ck_assert_str_eq(errs,
			 "file_output.filename: file_output is enabled but no file name is set\n");
	config_free(&c);
}
END_TEST

/* rules_files, newer Falco's name for rules_file, is the same option; a file
 * that sets both is refused, as Falco refuses it. */
START_TEST(test_config_rules_files)
{
	struct config c;
	size_t n;
	char *const *l;
	FILE *f;

	ck_assert_int_eq(load(&c, "rules_files:\n  - /a.yaml\n  - /rules.d\n"), 0);
	ck_assert_msg(errs_len == 0, "messages: %s", errs);
	l = cfg_list(&c, CFG_RULES_FILE, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(l[0], "/a.yaml");
	ck_assert_str_eq(l[1], "/rules.d");
	ck_assert_str_eq(c.rules_key, "rules_files");
	config_free(&c);

	ck_assert_int_eq(
		load(&c, "rules_file: [/a.yaml]\njson_output: true\nrules_files: [/b.yaml]\n"), -1);
	ck_assert_str_eq(errs, "t.yaml:3:1: error: rules_files: rules_file is set too (line 1): "
			       "they name one option, keep one\n");
	config_free(&c);

	/* -o by either name replaces the file's list. */
	ck_assert_int_eq(load(&c, "rules_file: [/a.yaml]\n"), 0);
	ck_assert_str_eq(c.rules_key, "rules_file");
	f = err_open();
	ck_assert_int_eq(config_set(&c, "rules_files=[/c.yaml]", f), 0);
	fclose(f);
	l = cfg_list(&c, CFG_RULES_FILE, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(l[0], "/c.yaml");
	ck_assert(c.rules_from_o);
	config_free(&c);
}
END_TEST

/* agent_run's exit code and its stderr, captured. */
static int run_agent(struct config *c, char **err)
{
	struct agent_opts o = { .cfg = c };
	char *d = tmpdir(), path[300];
	int fd, saved, ret;

	snprintf(path, sizeof(path), "%s/stderr", d);
	fflush(stderr);
	saved = dup(2);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_ge(fd, 0);
	dup2(fd, 2);
	close(fd);
	ret = agent_run(&o);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	*err = slurp(path);
	unlink(path);
	rmdir(d);
	free(d);
	return ret;
}

/* No rules file at all: the agent stops at once, exit 1, with one line
 * naming what it looked for, before the webserver and before netlink (no
 * shrike.ko is needed to see it), where it used to warn, load 0 rules and
 * answer /healthz: Falco refuses to run without rules files too. An
 * existing directory without rule files is no better. */
START_TEST(test_agent_no_rules_files)
{
	struct config c;
	char *err, *d = tmpdir(), want[400];

	ck_assert_int_eq(load(&c, "rules_files: [/nonexistent/a.yaml, /nonexistent/rules.d]\n"
				  "webserver: {listen_address: 127.0.0.1, listen_port: 0}\n"
				  "syslog_output: {enabled: false}\n"),
			 0);
	ck_assert_int_eq(run_agent(&c, &err), 1);
	ck_assert_str_eq(err, "shrike-agent: no rules file found: looked for /nonexistent/a.yaml, "
			      "/nonexistent/rules.d (rules_files)\n");
	free(err);

	ck_assert_int_eq(config_set(&c, "rules_file=[]", NULL), 0);
	ck_assert_int_eq(run_agent(&c, &err), 1);
	ck_assert_str_eq(err, "shrike-agent: no rules file found: -o rules_file lists none\n");
	free(err);

	ck_assert_int_eq(config_set_rules(&c, &d, 1), 0);
	ck_assert_int_eq(run_agent(&c, &err), 1);
	snprintf(want, sizeof(want), "shrike-agent: no rules file found: looked for %s (-r)\n", d);
	ck_assert_str_eq(err, want);
	free(err);
	config_free(&c);
	rmdir(d);
	free(d);
}
END_TEST

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

/* ---- the webserver, with libcurl as the client -------------------------------------- */

struct seen {
	pthread_mutex_t lock;
	int events;
	char verbs[1024];
};

static void seen_event(void *data, json_object *ev)
{
	struct seen *s = data;
	json_object *v;

	pthread_mutex_lock(&s->lock);
	s->events++;
	if (json_object_object_get_ex(ev, "verb", &v) &&
	    strlen(s->verbs) + strlen(json_object_get_string(v)) + 2 < sizeof(s->verbs)) {
		strcat(s->verbs, json_object_get_string(v));
		strcat(s->verbs, ",");
	}
	pthread_mutex_unlock(&s->lock);
}

static void seen_metrics(void *data, FILE *f)
{
	(void)data;
	fputs("shrike_test_metric 42\n", f);
}

static size_t collect(char *p, size_t size, size_t n, void *data)
{
	char *buf = data;
	size_t have = strlen(buf), add = size * n;

	if (have + add >= 65536)
		add = 65535 - have;
	memcpy(buf + have, p, add);
	buf[have + add] = 0;
	return size * n;
}

/* One request: the status code, the body in resp. */
static long request(uint16_t port, const char *method, const char *path, const char *ctype,
		    const char *body, long len, char *resp)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	char url[256], hdr[200];
	long code = 0;
	CURLcode rc;

	resp[0] = 0;
	snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", port, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	if (ctype) {
		snprintf(hdr, sizeof(hdr), "Content-Type: %s", ctype);
		h = curl_slist_append(h, hdr);
	}
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, len);
	}
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return rc == CURLE_OK ? code : -(long)rc;
}

static struct websrv *start_web(struct config *c, struct seen *s, const char *extra)
{
	struct websrv_hooks h = { seen_event, seen_metrics, s };
	char err[256];
	struct websrv *w;

	config_init(c);
	ck_assert_int_eq(config_set(c, "webserver.listen_address=127.0.0.1", NULL), 0);
	ck_assert_int_eq(config_set(c, "webserver.listen_port=0", NULL), 0);
	if (extra)
		ck_assert_int_eq(config_set(c, extra, NULL), 0);
	w = websrv_start(c, &h, err, sizeof(err));
	ck_assert_msg(w != NULL, "%s", err);
	return w;
}

#define EVENT(verb)                                                                     \
	"{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"verb\":\"" verb "\"," \
	"\"stageTimestamp\":\"2024-01-02T03:04:05.000000Z\"}"

START_TEST(test_web_endpoints)
{
	static char resp[65536];
	struct seen s = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct config c;
	struct websrv *w = start_web(&c, &s, NULL);
	struct websrv_stats st;
	uint16_t port = websrv_port(w);
	const char *list =
		"{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":[" EVENT(
			"get") "," EVENT("list") "]}";
	const char *arr =
		"[" EVENT("watch") ","
				   "{\"kind\":\"EventList\",\"items\":[" EVENT("patch") "]}]";

	ck_assert_uint_ne(port, 0);
#define POST(body) \
	request(port, "POST", "/k8s-audit", "application/json", body, (long)strlen(body), resp)
	ck_assert_int_eq(POST(EVENT("create")), 200);
	ck_assert_str_eq(resp, "<html><body>Ok</body></html>");
	ck_assert_int_eq(POST(list), 200);
	ck_assert_int_eq(POST(arr), 200);
	ck_assert_int_eq(request(port, "POST", "/k8s-audit", "application/json; charset=utf-8",
				 EVENT("delete"), (long)strlen(EVENT("delete")), resp),
			 200);
	ck_assert_str_eq(s.verbs, "create,get,list,watch,patch,delete,");
	/* Bad bodies: 400 with the reason, nothing evaluated. */
	ck_assert_int_eq(POST("{\"kind\":\"Event\""), 400);
	ck_assert_str_eq(resp, "Bad Request: Could not parse data: unexpected end of input\n");
	ck_assert_int_eq(POST("{\"kind\":\"Event\"} x"), 400);
	ck_assert_int_eq(POST(""), 400);
	ck_assert_int_eq(POST("null"), 400);
	ck_assert_int_eq(POST("{\"kind\":\"Pod\"}"), 400);
	ck_assert_str_eq(resp, "Bad Request: Data not recognized as a k8s audit event\n");
	ck_assert_int_eq(POST("{\"kind\":\"EventList\",\"items\":[1]}"), 400);
	ck_assert_int_eq(POST("[" EVENT("x") ",{\"kind\":3}]"), 400);
	ck_assert_int_eq(POST("\"\\ud800\""), 400);
	{
		/* Nesting deeper than the parser takes. */
		char deep[4096];
		int i;

		for (i = 0; i < 1000; i++)
			deep[i] = '[';
		deep[i] = 0;
		ck_assert_int_eq(POST(deep), 400);
	}
	ck_assert_int_eq(request(port, "POST", "/k8s-audit", "text/plain", EVENT("x"),
				 (long)strlen(EVENT("x")), resp),
			 400);
	ck_assert_str_eq(resp, "Wrong Content Type\n");
	ck_assert_int_eq(request(port, "POST", "/k8s-audit", NULL, EVENT("x"),
				 (long)strlen(EVENT("x")), resp),
			 400);
	ck_assert_int_eq(request(port, "GET", "/k8s-audit", NULL, NULL, 0, resp), 405);
	ck_assert_int_eq(request(port, "PUT", "/k8s-audit", "application/json", EVENT("x"),
				 (long)strlen(EVENT("x")), resp),
			 405);
	ck_assert_str_eq(s.verbs, "create,get,list,watch,patch,delete,");
	/* The other endpoints. */
	ck_assert_int_eq(request(port, "GET", "/healthz", NULL, NULL, 0, resp), 200);
	ck_assert_str_eq(resp, "{\"status\": \"ok\"}");
	ck_assert_int_eq(request(port, "POST", "/healthz", "application/json", "{}", 2, resp), 405);
	ck_assert_int_eq(request(port, "GET", "/nope", NULL, NULL, 0, resp), 404);
	ck_assert_int_eq(request(port, "GET", "/metrics", NULL, NULL, 0, resp), 200);
	ck_assert_ptr_nonnull(strstr(resp, "shrike_test_metric 42\n"));
	ck_assert_ptr_null(strstr(resp, "shrike_k8s_audit_events_total"));
	ck_assert_ptr_nonnull(strstr(resp, "shrike_http_requests_total{code=\"400\"} 11\n"));
	websrv_get_stats(w, &st);
	ck_assert_uint_eq(st.audit_events, 6);
	ck_assert_uint_eq(st.bad_method, 3);
	websrv_stop(w);
	config_free(&c);
#undef POST
}
END_TEST

START_TEST(test_web_body_limit)
{
	static char resp[65536];
	struct seen s = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct config c;
	struct websrv *w = start_web(&c, &s, "webserver.max_body_bytes=4096");
	uint16_t port = websrv_port(w);
	size_t big = 100000;
	char *body = malloc(big + 1);
	CURL *cu;
	struct curl_slist *h = NULL;
	char url[128];
	long code = 0;

	memset(body, ' ', big);
	memcpy(body, EVENT("get"), strlen(EVENT("get")));
	body[big] = 0;
	/* With a Content-Length: refused before the body is read. */
	ck_assert_int_eq(
		request(port, "POST", "/k8s-audit", "application/json", body, (long)big, resp),
		413);
	/* Chunked, no length known up front: read, discarded, refused. */
	cu = curl_easy_init();
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/k8s-audit", port);
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Transfer-Encoding: chunked");
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(cu, CURLOPT_URL, url);
	curl_easy_setopt(cu, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(cu, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(cu, CURLOPT_WRITEDATA, resp);
	resp[0] = 0;
	ck_assert_int_eq(curl_easy_perform(cu), CURLE_OK);
	curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &code);
	ck_assert_int_eq(code, 413);
	curl_slist_free_all(h);
	curl_easy_cleanup(cu);
	/* Under the limit still works after. */
	ck_assert_int_eq(request(port, "POST", "/k8s-audit", "application/json", EVENT("get"),
				 (long)strlen(EVENT("get")), resp),
			 200);
	ck_assert_int_eq(s.events, 1);
	free(body);
	websrv_stop(w);
	config_free(&c);
}
END_TEST

struct client_arg {
	uint16_t port;
	int ok;
};

static void *client(void *p)
{
	struct client_arg *a = p;
	char *resp = malloc(65536);
	int i;

	for (i = 0; i < 20; i++)
		a->ok += request(a->port, "POST", "/k8s-audit", "application/json", EVENT("get"),
				 (long)strlen(EVENT("get")), resp) == 200;
	free(resp);
	return NULL;
}

START_TEST(test_web_concurrent)
{
	struct seen s = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct config c;
	struct websrv *w = start_web(&c, &s, NULL);
	struct client_arg a[16];
	pthread_t t[16];
	int i, ok = 0;

	for (i = 0; i < 16; i++) {
		a[i] = (struct client_arg){ websrv_port(w), 0 };
		ck_assert_int_eq(pthread_create(&t[i], NULL, client, &a[i]), 0);
	}
	for (i = 0; i < 16; i++) {
		pthread_join(t[i], NULL);
		ok += a[i].ok;
	}
	ck_assert_int_eq(ok, 320);
	ck_assert_int_eq(s.events, 320);
	websrv_stop(w);
	config_free(&c);
}
END_TEST

START_TEST(test_web_start_errors)
{
	struct seen s = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct websrv_hooks h = { seen_event, NULL, &s };
	struct config c, c2;
	struct websrv *w = start_web(&c, &s, NULL), *w2;
	char kv[64], err[256];

	/* The port is taken. */
	config_init(&c2);
	snprintf(kv, sizeof(kv), "webserver.listen_port=%u", websrv_port(w));
	ck_assert_int_eq(config_set(&c2, kv, NULL), 0);
	ck_assert_int_eq(config_set(&c2, "webserver.listen_address=127.0.0.1", NULL), 0);
	w2 = websrv_start(&c2, &h, err, sizeof(err));
	ck_assert_ptr_null(w2);
	ck_assert_ptr_nonnull(strstr(err, "cannot listen on 127.0.0.1"));
	ck_assert_int_eq(config_set(&c2, "webserver.listen_address=nowhere", NULL), 0);
	ck_assert_ptr_null(websrv_start(&c2, &h, err, sizeof(err)));
	ck_assert_str_eq(err, "webserver.listen_address: 'nowhere' is not an IP address");
	ck_assert_int_eq(config_set(&c2, "webserver.listen_address=127.0.0.1", NULL), 0);
	ck_assert_int_eq(config_set(&c2, "webserver.ssl_enabled=true", NULL), 0);
	ck_assert_int_eq(config_set(&c2, "webserver.ssl_certificate=/no/such.pem", NULL), 0);
	ck_assert_ptr_null(websrv_start(&c2, &h, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "webserver.ssl_certificate: cannot open /no/such.pem"));
	config_free(&c2);
	websrv_stop(w);
	config_free(&c);
}
END_TEST

/* ---- enrichment from fixture runtime directories --------------------------------- */

static const char *fval(struct uevent *ev, const char *token)
{
	static char buf[4096];
	struct uevent_ctx c = { NULL, ev };
	int r = uevent_get_str(&c, token, strlen(token), buf, sizeof(buf));

	ck_assert_msg(r >= 0, "token %s: %d", token, r);
	return r ? buf : "<NA>";
}

static struct enricher *fixture_enricher(struct config *c)
{
	char dir[512], kv[700];
	const char *f = __FILE__, *slash = strrchr(f, '/');

	snprintf(dir, sizeof(dir), "%.*scontainers", slash ? (int)(slash - f + 1) : 0, f);
	config_init(c);
	snprintf(kv, sizeof(kv), "container_engines.docker.root=%s/docker", dir);
	ck_assert_int_eq(config_set(c, kv, NULL), 0);
	snprintf(kv, sizeof(kv), "container_engines.containerd.state_dirs=[%s/containerd]", dir);
	ck_assert_int_eq(config_set(c, kv, NULL), 0);
	snprintf(kv, sizeof(kv), "container_engines.cri-o.state_dirs=[/nonexistent, %s/crio]", dir);
	ck_assert_int_eq(config_set(c, kv, NULL), 0);
	snprintf(kv, sizeof(kv), "container_engines.proc_root=%s/proc", dir);
	ck_assert_int_eq(config_set(c, kv, NULL), 0);
	ck_assert_int_eq(config_set(c, "container_engines.cache_size=2", NULL), 0);
	return enricher_new(c);
}

static void container_event(struct uevent *ev, const char *id, u64 pid, u64 uid)
{
	uevent_init(ev, SHRIKE_SRC_SYSCALL);
	ck_assert_int_eq(uevent_set_str(ev, SHRIKE_F_CONTAINER_ID, NULL, id, strlen(id)), 0);
	if (pid)
		ck_assert_int_eq(uevent_set_u64(ev, SHRIKE_F_PROC_PID, NULL, pid), 0);
	ck_assert_int_eq(uevent_set_u64(ev, SHRIKE_F_USER_UID, NULL, uid), 0);
	ck_assert_int_eq(uevent_set_u64(ev, SHRIKE_F_GROUP_GID, NULL, uid), 0);
}

START_TEST(test_enrich_runtimes)
{
	struct config c;
	struct enricher *en = fixture_enricher(&c);
	struct uevent ev;

	ck_assert_ptr_nonnull(en);
	/* Docker: names, image parts, mounts, Privileged from hostconfig. */
	container_event(&ev, "abcdef123456", 0, 0);
	enrich_event(en, &ev);
	ck_assert_str_eq(fval(&ev, "container.name"), "web-frontend");
	ck_assert_str_eq(fval(&ev, "container.type"), "docker");
	ck_assert_str_eq(fval(&ev, "container.image"),
			 "registry.example.com:5000/team/nginx:1.25.3");
	ck_assert_str_eq(fval(&ev, "container.image.repository"),
			 "registry.example.com:5000/team/nginx");
	ck_assert_str_eq(fval(&ev, "container.image.tag"), "1.25.3");
	ck_assert_str_eq(fval(&ev, "container.image.id"), "5a3ea7e55ed1");
	ck_assert_str_eq(fval(&ev, "container.privileged"), "true");
	ck_assert_str_eq(fval(&ev, "container.mounts"),
			 "/srv/data:/data::true:rprivate,/srv/conf:/etc/conf:ro:false:rprivate");
	ck_assert_str_eq(fval(&ev, "k8s.pod.name"), "<NA>");
	ck_assert_str_eq(fval(&ev, "user.name"), "root"); /* no pid: the host's */
	uevent_free(&ev);

	/* containerd/CRI: the OCI bundle's annotations. */
	container_event(&ev, "111122223333", 4242, 101);
	enrich_event(en, &ev);
	ck_assert_str_eq(fval(&ev, "container.name"), "web");
	ck_assert_str_eq(fval(&ev, "container.type"), "containerd");
	ck_assert_str_eq(fval(&ev, "container.image.repository"), "docker.io/library/nginx");
	ck_assert_str_eq(fval(&ev, "container.image.tag"), "<NA>");
	ck_assert_str_eq(fval(&ev, "container.image.digest"),
			 "sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31");
	ck_assert_str_eq(fval(&ev, "container.privileged"), "false");
	ck_assert_str_eq(fval(&ev, "container.mounts"),
			 "/var/lib/kubelet/pods/2b1c/volumes/logs:/var/log/app::true:rprivate,"
			 "/var/lib/kubelet/pods/2b1c/etc-hosts:/etc/hosts::false:rprivate");
	ck_assert_str_eq(fval(&ev, "k8s.pod.name"), "web-7d4b9c8f6-x2kqz");
	ck_assert_str_eq(fval(&ev, "k8s.ns.name"), "prod");
	ck_assert_str_eq(fval(&ev, "k8s.pod.uid"), "2b1c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d");
	ck_assert_str_eq(fval(&ev, "k8s.pod.sandbox_id"), "fedcba987654");
	ck_assert_str_eq(fval(&ev, "k8s.pod.labels"), "<NA>");
	/* The container's own passwd through /proc/PID/root. */
	ck_assert_str_eq(fval(&ev, "user.name"), "nginx");
	ck_assert_str_eq(fval(&ev, "user.homedir"), "/var/cache/nginx");
	ck_assert_str_eq(fval(&ev, "group.name"), "nginx");
	uevent_free(&ev);

	/* cri-o: annotations, the pod labels from the sandbox, privileged. */
	container_event(&ev, "444455556666", 4242, 555);
	enrich_event(en, &ev);
	ck_assert_str_eq(fval(&ev, "container.name"), "agent");
	ck_assert_str_eq(fval(&ev, "container.type"), "cri-o");
	ck_assert_str_eq(fval(&ev, "container.image.repository"), "quay.io/acme/agent");
	ck_assert_str_eq(fval(&ev, "container.image.tag"), "v2");
	ck_assert_str_eq(fval(&ev, "container.privileged"), "true");
	ck_assert_str_eq(fval(&ev, "container.mounts"), "/:/host::true:rslave");
	ck_assert_str_eq(fval(&ev, "k8s.ns.name"), "kube-system");
	ck_assert_str_eq(fval(&ev, "k8s.pod.name"), "node-agent-abcde");
	ck_assert_str_eq(fval(&ev, "k8s.pod.labels"),
			 "app:node-agent, controller-revision-hash:6d5f, tier:system");
	/* A uid the container does not know: no name, not the host's. */
	ck_assert_str_eq(fval(&ev, "user.name"), "<NA>");
	uevent_free(&ev);

	/* Unknown container, host, short id: nothing invented. */
	container_event(&ev, "0123456789ab", 0, 0);
	enrich_event(en, &ev);
	ck_assert_str_eq(fval(&ev, "container.name"), "<NA>");
	ck_assert_str_eq(fval(&ev, "container.privileged"), "<NA>");
	uevent_free(&ev);
	container_event(&ev, "host", 0, 0);
	enrich_event(en, &ev);
	ck_assert_str_eq(fval(&ev, "container.name"), "host");
	ck_assert_str_eq(fval(&ev, "k8s.ns.name"), "<NA>");
	uevent_free(&ev);
	container_event(&ev, "abc", 0, 0);
	enrich_event(en, &ev);
	ck_assert_str_eq(fval(&ev, "container.name"), "<NA>");
	uevent_free(&ev);

	/* The cache holds 2: the others were evicted, and come back. */
	container_event(&ev, "abcdef123456", 0, 0);
	enrich_event(en, &ev);
	ck_assert_str_eq(fval(&ev, "container.name"), "web-frontend");
	uevent_free(&ev);
	enricher_free(en);
	config_free(&c);
}
END_TEST

/* ---- user and group names, cached --------------------------------------------- */

static void put_file(const char *path, const char *text)
{
	char cmd[700];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	ck_assert_int_eq(system(cmd), 0);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void proc_files(const char *proc, unsigned pid, const char *passwd, const char *group)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/%u/root/etc/passwd", proc, pid);
	put_file(path, passwd);
	if (group) {
		snprintf(path, sizeof(path), "%s/%u/root/etc/group", proc, pid);
		put_file(path, group);
	}
}

/* user.name, group.name of uid = gid in container cid's process pid. */
static void names(struct enricher *en, const char *cid, u64 pid, u64 uid, const char *user,
		  const char *group)
{
	struct uevent ev;

	container_event(&ev, cid, pid, uid);
	enrich_event(en, &ev);
	ck_assert_msg(!strcmp(fval(&ev, "user.name"), user), "pid %llu uid %llu: user %s, not %s",
		      (unsigned long long)pid, (unsigned long long)uid, fval(&ev, "user.name"),
		      user);
	if (group)
		ck_assert_str_eq(fval(&ev, "group.name"), group);
	uevent_free(&ev);
}

START_TEST(test_enrich_id_cache)
{
	struct config c;
	struct enricher *en;
	struct uevent ev;
	char *d = tmpdir(), proc[300], kv[400], path[600], target[600], cmd[700], want[32];
	unsigned pid;
	int round;
	time_t t0;

	snprintf(proc, sizeof(proc), "%s/proc", d);
	config_init(&c);
	snprintf(kv, sizeof(kv), "container_engines.proc_root=%s", proc);
	ck_assert_int_eq(config_set(&c, kv, NULL), 0);
	ck_assert_int_eq(config_set(&c, "container_engines.docker.enabled=false", NULL), 0);
	ck_assert_int_eq(config_set(&c, "container_engines.containerd.enabled=false", NULL), 0);
	ck_assert_int_eq(config_set(&c, "container_engines.cri-o.enabled=false", NULL), 0);
	en = enricher_new(&c);
	ck_assert_ptr_nonnull(en);
	proc_files(proc, 100,
		   "root:x:0:0:root:/root:/bin/sh\n# comment\nbad:x::1\n"
		   "alice:x:1000:1000::/home/alice:/bin/ash\nalice2:x:1000:1000:::\n",
		   "root:x:0:\nstaff:x:1000:alice\n");

	/* The container's own names, the first line of an id; its home and shell. */
	container_event(&ev, "aaaabbbbcccc", 100, 1000);
	enrich_event(en, &ev);
	ck_assert_str_eq(fval(&ev, "user.name"), "alice");
	ck_assert_str_eq(fval(&ev, "user.homedir"), "/home/alice");
	ck_assert_str_eq(fval(&ev, "user.shell"), "/bin/ash");
	ck_assert_str_eq(fval(&ev, "group.name"), "staff");
	uevent_free(&ev);
	/* An id the container does not know has no name, not the host's. */
	names(en, "aaaabbbbcccc", 100, 4242, "<NA>", "<NA>");
	/* A process that is gone (no /proc entry): the host's. */
	names(en, "aaaabbbbcccc", 999, 0, "root", NULL);
	/* The host's, cached, the same every time. */
	names(en, "host", 0, 0, "root", NULL);
	names(en, "host", 0, 0, "root", NULL);

	/* More containers (their own files) than files cached, more processes
	 * than processes cached: still each one's own names. */
	for (pid = 200; pid < 240; pid++) {
		char pw[128];

		snprintf(pw, sizeof(pw), "u%u:x:1000:1000::/:/bin/sh\n", pid);
		proc_files(proc, pid, pw, NULL);
	}
	snprintf(target, sizeof(target), "%s/100/root", proc);
	for (pid = 1000; pid < 1600; pid++) {
		snprintf(path, sizeof(path), "%s/%u", proc, pid);
		ck_assert_int_eq(mkdir(path, 0700), 0);
		snprintf(path, sizeof(path), "%s/%u/root", proc, pid);
		ck_assert_int_eq(symlink(target, path), 0);
	}
	for (round = 0; round < 2; round++) {
		for (pid = 200; pid < 240; pid++) {
			snprintf(want, sizeof(want), "u%u", pid);
			names(en, "aaaabbbbcccc", pid, 1000, want, NULL);
		}
		for (pid = 1000; pid < 1600; pid++)
			names(en, "aaaabbbbcccc", pid, 1000, "alice", "staff");
	}

	/* A changed file is read again, from the next second on. */
	proc_files(proc, 100, "bob:x:1000:1000::/home/bob:/bin/sh\n", NULL);
	t0 = time(NULL);
	while (time(NULL) == t0)
		usleep(20000);
	names(en, "aaaabbbbcccc", 100, 1000, "bob", "staff");
	names(en, "aaaabbbbcccc", 1000, 1000, "bob", "staff");
	/* A pid seen again in another container is another process: its
	 * file is looked at again at once. */
	proc_files(proc, 100, "carol:x:1000:1000::/home/carol:/bin/sh\n", NULL);
	names(en, "ddddeeeeffff", 100, 1000, "carol", "staff");

	enricher_free(en);
	config_free(&c);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	ck_assert_int_eq(system(cmd), 0);
	free(d);
}
END_TEST

Suite *make_agent2_suite(void)
{
	Suite *s = suite_create("agent2");
	TCase *tc = tcase_create("agent2");

	curl_global_init(CURL_GLOBAL_DEFAULT);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_config_defaults);
	tcase_add_test(tc, test_config_shipped);
	tcase_add_test(tc, test_config_values);
	tcase_add_test(tc, test_config_errors);
	tcase_add_test(tc, test_config_overrides);
	tcase_add_test(tc, test_config_rules_files);
	tcase_add_test(tc, test_agent_no_rules_files);
	tcase_add_test(tc, test_output_file_reopen);
	tcase_add_test(tc, test_output_program);
	tcase_add_test(tc, test_output_filter_and_rate);
	tcase_add_test(tc, test_output_queue_bounded);
	tcase_add_test(tc, test_output_bursts);
	tcase_add_test(tc, test_output_http);
	tcase_add_test(tc, test_web_endpoints);
	tcase_add_test(tc, test_web_body_limit);
	tcase_add_test(tc, test_web_concurrent);
	tcase_add_test(tc, test_web_start_errors);
	tcase_add_test(tc, test_enrich_runtimes);
	tcase_add_test(tc, test_enrich_id_cache);
	suite_add_tcase(s, tc);
	return s;
}
