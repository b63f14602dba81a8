/* test_loader_oom.c - the loader fails closed when memory runs out: with the
 * Nth allocation of a load failing, for every N (and with every allocation
 * from the Nth on failing), loading a small ruleset either gives exactly
 * the result of a load with no failure or fails as out of memory
 * (ruleset_nomem(), an error, shrikec's cli_load() returning 2), never a
 * ruleset with a rule, list item, exception or tag missing.
 *
 * The failures come from this file's malloc(), calloc() and realloc(),
 * which replace glibc's for the whole unit-test program (ELF interposition;
 * glibc's own strdup(), vasprintf() and libyaml's allocations come here
 * too) and pass through to glibc's allocator unless the calling thread has
 * armed them. No production code has a hook. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "compiler/cli.h"
#include "compiler/loader.h"

/* ---- the failing allocator ---- */

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);

/* Per thread: only the test's own allocations count and fail. */
static __thread long oom_at;	   /* fail allocation number oom_at; 0: off */
static __thread bool oom_sticky;   /* and every one after it */
static __thread long oom_count;	   /* allocations since arming */
static __thread bool oom_happened; /* an allocation was failed */

static bool oom_fail(void)
{
	if (!oom_at)
		return false;
	oom_count++;
	if (oom_count == oom_at || (oom_sticky && oom_count > oom_at)) {
		oom_happened = true;
		errno = ENOMEM;
		return true;
	}
	return false;
}

void *malloc(size_t n)
{
	return oom_fail() ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	return oom_fail() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	return oom_fail() ? NULL : __libc_realloc(p, n);
}

static void oom_arm(long at, bool sticky)
{
	oom_count = 0;
	oom_happened = false;
	oom_sticky = sticky;
	oom_at = at;
}

static void oom_disarm(void)
{
	oom_at = 0;
}

/* ---- the ruleset ---- */

/* Two files of a directory, loaded in name order: lists, macros and rules
 * defined, redefined, appended to and overridden, exceptions, tags, both
 * version headers. */
static const char file_a[] = "- required_engine_version: 0.26.0\n"
			     "- required_plugin_versions:\n"
			     "  - name: k8saudit\n"
			     "    version: 0.1.0\n"
			     "    alternatives:\n"
			     "    - name: k8saudit-eks\n"
			     "      version: 0.1.0\n"
			     "- list: shells\n"
			     "  items: [bash, sh]\n"
			     "- list: shells\n"
			     "  items: [zsh, \"fish\"]\n"
			     "  override:\n"
			     "    items: append\n"
			     "- list: all_shells\n"
			     "  items: [shells, csh]\n"
			     "- list: unused\n"
			     "  items: [x]\n"
			     "- macro: spawned\n"
			     "  condition: evt.type = execve and evt.dir = <\n"
			     "- macro: spawned\n"
			     "  condition: and proc.name != init\n"
			     "  override:\n"
			     "    condition: append\n"
			     "- macro: shell_procs\n"
			     "  condition: proc.name in (all_shells)\n";

static const char file_b[] =
	"- rule: shell\n"
	"  desc: a shell\n"
	"  condition: spawned and shell_procs\n"
	"  output: shell %proc.name (user=%user.name)\n"
	"  priority: WARNING\n"
	"  tags: [a, b, a]\n"
	"  exceptions:\n"
	"  - name: ok\n"
	"    fields: [proc.pname, user.name]\n"
	"    values: [[sshd, root], [cron, daemon]]\n"
	"  - name: single\n"
	"    fields: proc.exe\n"
	"    values: [/bin/true]\n"
	"- rule: shell\n"
	"  condition: and not proc.pname = init\n"
	"  output: extra\n"
	"  tags: [c]\n"
	"  exceptions:\n"
	"  - name: ok\n"
	"    values: [[bash, nobody]]\n"
	"  override:\n"
	"    condition: append\n"
	"    output: append\n"
	"    tags: append\n"
	"    exceptions: append\n"
	"- rule: other\n"
	"  desc: other\n"
	"  condition: evt.type = open and fd.name startswith /etc and not proc.name in (shells)\n"
	"  output: opened %fd.name\n"
	"  priority: INFO\n"
	"- rule: other\n"
	"  priority: ERROR\n"
	"  enabled: false\n"
	"  override:\n"
	"    priority: replace\n"
	"    enabled: replace\n"
	"- rule: legacy\n"
	"  desc: legacy\n"
	"  condition: evt.type = connect\n"
	"  output: connect\n"
	"  priority: NOTICE\n"
	"- rule: legacy\n"
	"  condition: or evt.type = accept\n"
	"  append: true\n";

static char dir[64];

static void write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

static void setup_dir(void)
{
	strcpy(dir, "/tmp/shrike-oom-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	write_file("a.yaml", file_a);
	write_file("b.yaml", file_b);
}

static void remove_dir(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/a.yaml", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/b.yaml", dir);
	unlink(path);
	rmdir(dir);
}

/* Everything a load gives, as text: rules with every field, versions,
 * files and diagnostics. Called disarmed. */
static char *fingerprint(const struct ruleset *rs)
{
	char *buf = NULL, *s;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	fprintf(f, "errors %zu warnings %zu\n", ruleset_errors(rs), ruleset_warnings(rs));
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct rule_def *r = &rs->rules[i];
		struct src_loc ol = ruleset_output_loc(r, 0);

		s = ast_to_string(r->cond);
		ck_assert_ptr_nonnull(s);
		fprintf(f,
			"rule %s %d:%d desc=%s output=%s@%d:%d pri=%d src=%d en=%d we=%d sk=%d\n",
			r->name, r->loc.line, r->loc.col, r->desc, r->output, ol.line, ol.col,
			r->priority, r->source, r->enabled, r->warn_evttypes,
			r->skip_if_unknown_filter);
		fprintf(f, "  cond %s\n  text %s\n  tags", s, r->cond_text);
		free(s);
		for (size_t j = 0; j < r->ntags; j++)
			fprintf(f, " %s", r->tags[j]);
		fprintf(f, "\n  exception fields");
		for (size_t j = 0; j < r->nexception_fields; j++)
			fprintf(f, " %s", r->exception_fields[j]);
		fprintf(f, "\n");
	}
	fprintf(f, "engine %s\n", rs->required_engine_version ? rs->required_engine_version : "-");
	for (size_t i = 0; i < rs->nplugins; i++) {
		fprintf(f, "plugin %s %s", rs->plugins[i].name, rs->plugins[i].version);
		for (size_t j = 0; j < rs->plugins[i].nalternatives; j++)
			fprintf(f, " | %s %s", rs->plugins[i].alternatives[j].name,
				rs->plugins[i].alternatives[j].version);
		fprintf(f, "\n");
	}
	for (size_t i = 0; i < rs->nfiles; i++)
		fprintf(f, "file %s\n", rs->files[i]);
	for (size_t i = 0; i < rs->diags.n; i++) {
		const struct diag *d = &rs->diags.v[i];
		fprintf(f, "%s %d:%d %s\n", diag_code_str(d->code), d->loc.line, d->loc.col,
			d->msg);
	}
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

/* Loads the directory with allocation `at` failing (0: none). Returns the
 * fingerprint, or NULL if the load failed as out of memory. */
static char *load_with_failure(long at, bool sticky, bool *happened)
{
	struct ruleset *rs;
	int r1, r2;
	char *fp = NULL;

	oom_arm(at, sticky);
	rs = ruleset_new();
	if (!rs) {
		oom_disarm();
		*happened = true;
		return NULL;
	}
	r1 = ruleset_load_path(rs, dir);
	r2 = ruleset_finish(rs);
	oom_disarm();
	*happened = oom_happened;
	if (ruleset_nomem(rs)) {
		ck_assert_msg(oom_happened, "out of memory with no failed allocation");
		ck_assert_msg(r1 == -1 || r2 == -1, "failed allocation %ld: load succeeded", at);
		ck_assert_int_eq(r2, -1);
		ck_assert_uint_gt(ruleset_errors(rs), 0);
	} else {
		fp = fingerprint(rs);
	}
	ruleset_free(rs);
	return fp;
}

static void every_allocation(bool sticky)
{
	bool happened;
	char *ref, *fp;
	long at, nomem = 0, full = 0;

	setup_dir();
	ref = load_with_failure(0, false, &happened);
	ck_assert_ptr_nonnull(ref);
	ck_assert_msg(strstr(ref, "errors 0 "), "%s", ref);
	ck_assert_msg(strstr(ref, "rule legacy ") && strstr(ref, "tags a b c"), "%s", ref);
	for (at = 1;; at++) {
		fp = load_with_failure(at, sticky, &happened);
		if (!happened) {
			/* Past the last allocation: nothing failed. */
			ck_assert_ptr_nonnull(fp);
			ck_assert_str_eq(fp, ref);
			free(fp);
			break;
		}
		if (fp) {
			ck_assert_msg(!strcmp(fp, ref),
				      "allocation %ld failed, load succeeded with:\n%s\nnot:\n%s",
				      at, fp, ref);
			full++;
		} else {
			nomem++;
		}
		free(fp);
	}
	/* Most failures must have been seen (a few are retried or harmless,
	 * as in glibc's qsort, which falls back without memory). */
	ck_assert_int_gt(at, 100);
	ck_assert_int_gt(nomem, at / 2);
	fprintf(stderr, "oom: %ld allocations, %ld failed the load, %ld harmless\n", at - 1, nomem,
		full);
	free(ref);
	remove_dir();
}

START_TEST(nth_allocation_fails)
{
	every_allocation(false);
}
END_TEST

START_TEST(allocations_fail_from_nth_on)
{
	every_allocation(true);
}
END_TEST

/* shrikec: out of memory while loading is exit code 2, with a message;
 * everything else the same as with memory. */
START_TEST(cli_exit_code)
{
	static const char *const usage = "usage\n";
	char *args[] = { dir, NULL };
	int saved_err = dup(2), devnull = open("/dev/null", O_WRONLY);
	long at, twos = 0;

	ck_assert_int_ge(saved_err, 0);
	ck_assert_int_ge(devnull, 0);
	setup_dir();
	for (at = 1;; at++) {
		struct cli c;
		int rc;

		memset(&c, 0, sizeof(c));
		c.cmd = "validate";
		c.usage = usage;
		c.args = args;
		c.nargs = 1;
		c.json = true;
		dup2(devnull, 2);
		oom_arm(at, false);
		rc = cli_load(&c, 0);
		oom_disarm();
		dup2(saved_err, 2);
		if (!oom_happened) {
			ck_assert_int_eq(rc, 0);
			cli_free(&c);
			break;
		}
		if (c.rs && ruleset_nomem(c.rs))
			ck_assert_int_eq(rc, 2);
		else
			ck_assert_msg(rc == 0 || (rc == 2 && !c.rs), "allocation %ld: exit %d", at,
				      rc);
		twos += rc == 2;
		cli_free(&c);
	}
	ck_assert_int_gt(twos, 0);
	close(devnull);
	close(saved_err);
	remove_dir();
}
END_TEST

Suite *make_oom_suite(void)
{
	Suite *s = suite_create("oom");
	TCase *tc = tcase_create("oom");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, nth_allocation_fails);
	tcase_add_test(tc, allocations_fail_from_nth_on);
	tcase_add_test(tc, cli_exit_code);
	suite_add_tcase(s, tc);
	return s;
}
