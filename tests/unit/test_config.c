/* test_config.c - the agent's configuration: defaults, errors with their
 * position, -o and -r, rules_files, and no rules file (the agent stops). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "agent/config.h"
#include "agent/run.h"
#include "agent_helpers.h"

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

/* yaml is refused, with a message that contains what. */
static void refused(const char *yaml, const char *what)
{
	struct config c;

	ck_assert_int_eq(load(&c, yaml), -1);
	ck_assert_ptr_nonnull(strstr(errs, what));
	config_free(&c);
}

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
	refused("priority: loud\n", "priority: 'loud' is not a priority");
	refused("rule_matching: some\n", "'some' is not one of first, all");
	refused("syscall_event_drops:\n  actions: [log, panic]\n",
		"syscall_event_drops.actions: 'panic' is not one of");
	refused("webserver: 3\n", "webserver: expected a mapping");
	refused("json_output: [true]\n", "expected a scalar, got a");
	refused("- a\n- b\n", "the configuration must be a mapping");
	refused("a: [\n", "error[E-YAML]");
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

Suite *make_config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_config_defaults);
	tcase_add_test(tc, test_config_shipped);
	tcase_add_test(tc, test_config_values);
	tcase_add_test(tc, test_config_errors);
	tcase_add_test(tc, test_config_overrides);
	tcase_add_test(tc, test_config_rules_files);
	tcase_add_test(tc, test_agent_no_rules_files);
	suite_add_tcase(s, tc);
	return s;
}
