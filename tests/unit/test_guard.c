/* test_guard.c - the bucket guard (kmod/common/guard.c), which lets the
 * kernel skip the rules of a bucket an event cannot match: the exact rules a
 * value selects for small programs, flatness with 1,000 rules, and, for
 * every rule file at hand (../shared/falco/, rules/), that no rule the guard
 * skips would have been anything but FALSE on random events (equiv.h). */
#define _GNU_SOURCE
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compiler/codegen.h"
#include "lib/fields.h"
#include "compiler/loader.h"
#include "kmod/common/guard.h"
#include "kmod/common/table.h"
/* Only its event generator is used here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "tests/unit/equiv.h"
#pragma GCC diagnostic pop

#define RULE(name, cond) \
	"- rule: " name "\n  desc: d\n  output: o\n  priority: INFO\n  condition: " cond "\n"

struct compiled {
	struct ruleset *rs;
	void *buf;
	size_t len;
	struct shrike_table t;
};

static void compile(struct compiled *c, const char *path, const char *yaml)
{
	struct shrike_verr e;
	struct diag_list dl;

	c->rs = ruleset_new();
	ck_assert_ptr_nonnull(c->rs);
	if (yaml)
		ruleset_load_string(c->rs, "t.yaml", yaml, strlen(yaml));
	else
		ruleset_load_path(c->rs, path);
	ruleset_finish(c->rs);
	if (ruleset_errors(c->rs))
		diag_print_all(stderr, &c->rs->diags);
	ck_assert_int_eq(ruleset_errors(c->rs), 0);
	diag_list_init(&dl);
	ck_assert_int_eq(compile_ruleset(c->rs, NULL, &c->buf, &c->len, &dl), 0);
	diag_list_free(&dl);
	ck_assert_msg(shrike_table_verify(c->buf, (u32)c->len, &c->t, &e) == 0, "%s", e.msg);
}

static void compiled_free(struct compiled *c)
{
	free(c->buf);
	ruleset_free(c->rs);
}

/* The enabled syscall rules of event type evt, in table order, as the
 * kernel buckets them (kmod/table.c). */
static u32 bucket(const struct shrike_table *t, int evt, u16 *rules)
{
	u32 i, n = 0;

	for (i = 0; i < t->nrules; i++) {
		const struct shrike_rule *r = &t->rules[i];

		if (r->source == SHRIKE_SRC_SYSCALL &&
		    (le16_to_cpu(r->flags) & SHRIKE_RF_ENABLED) &&
		    shrike_rule_has_evtype(r, (u32)evt))
			rules[n++] = (u16)i;
	}
	return n;
}

static int str_val(const char *s, struct shrike_val *v)
{
	memset(v, 0, sizeof(*v));
	v->type = SHRIKE_T_STR;
	v->str.ptr = s;
	v->str.len = (u32)strlen(s);
	return SHRIKE_FETCH_OK;
}

/* "1 3" for hits {1, 3}; "all" for -1. */
static const char *hits_str(const struct shrike_guard *g, int rc, const char *value)
{
	static char buf[512];
	u16 hits[SHRIKE_GUARD_MAX_HITS];
	struct shrike_val v;
	int n, i;
	size_t o = 0;

	if (rc == SHRIKE_FETCH_OK)
		str_val(value, &v);
	else
		memset(&v, 0, sizeof(v));
	n = shrike_guard_hits(g, rc, &v, hits);
	if (n < 0)
		return "all";
	buf[0] = 0;
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%u", i ? " " : "", hits[i]);
	return buf;
}

START_TEST(selects_exact_rules)
{
	static const char yaml[] = RULE(
		"r0", "evt.type = openat and fd.name startswith /etc/ and proc.name = a")
		RULE("r1", "evt.type = openat and fd.name in (/etc/shadow, /etc/passwd)") RULE(
			"r2", "evt.type = openat and evt.rawres = 5")
			RULE("r3", "evt.type = openat and (fd.name = /tmp/x or proc.name = c)") RULE(
				"r4", "evt.type = openat and not fd.name startswith /var/")
				RULE("r5",
				     "evt.type = openat and evt.rawres >= 0 and (proc.name = d and fd.name = /tmp/y)");
	struct compiled c;
	struct shrike_guard g;
	u16 rules[64];
	u64 work;
	u32 n;

	compile(&c, NULL, yaml);
	n = bucket(&c.t, evtype_lookup("openat", 6), rules);
	ck_assert_uint_eq(n, 6);
	/* Reading programs is paid from the table's budget. */
	work = 0;
	ck_assert_int_eq(shrike_guard_build(&g, &c.t, rules, n, &work), 0);
	ck_assert_uint_eq(g.nkeys, 0);
	shrike_guard_free(&g);
	work = SHRIKE_GUARD_WORK(&c.t);
	ck_assert_int_eq(shrike_guard_build(&g, &c.t, rules, n, &work), 0);
	ck_assert_uint_lt(work, SHRIKE_GUARD_WORK(&c.t));
	ck_assert_uint_eq(g.field, SHRIKE_F_FD_NAME);
	ck_assert_uint_eq(g.arg, SHRIKE_ARG_NONE);
	ck_assert_uint_eq(g.nkeys, 4);	 /* /etc/, /etc/shadow, /etc/passwd, /tmp/y */
	ck_assert_uint_eq(g.nalways, 3); /* r2, r3 (an or), r4 (a not) */
	ck_assert_uint_eq(g.always[0], 2);
	ck_assert_uint_eq(g.always[1], 3);
	ck_assert_uint_eq(g.always[2], 4);
	ck_assert_str_eq(hits_str(&g, SHRIKE_FETCH_OK, "/etc/shadow"), "0 1");
	ck_assert_str_eq(hits_str(&g, SHRIKE_FETCH_OK, "/etc/hosts"), "0");
	ck_assert_str_eq(hits_str(&g, SHRIKE_FETCH_OK, "/etc"), "");
	ck_assert_str_eq(hits_str(&g, SHRIKE_FETCH_OK, "/etc/shadow-"), "0");
	ck_assert_str_eq(hits_str(&g, SHRIKE_FETCH_OK, "/tmp/y"), "5");
	ck_assert_str_eq(hits_str(&g, SHRIKE_FETCH_OK, "/tmp/x"), "");
	ck_assert_str_eq(hits_str(&g, SHRIKE_FETCH_OK, ""), "");
	/* MISSING makes every keyed comparison FALSE; UNKNOWN runs them all. */
	ck_assert_str_eq(hits_str(&g, SHRIKE_FETCH_MISSING, NULL), "");
	ck_assert_str_eq(hits_str(&g, SHRIKE_FETCH_UNKNOWN, NULL), "all");
	shrike_guard_free(&g);

	/* One keyed rule (r0 beside r2) is not worth a guard. */
	rules[1] = rules[2];
	ck_assert_int_eq(shrike_guard_build(&g, &c.t, rules, 2, &work), 0);
	ck_assert_uint_eq(g.nkeys, 0);
	shrike_guard_free(&g);
	compiled_free(&c);
}
END_TEST

/* 1,000 rules on other paths: an event selects the one rule its path can
 * match, or none, whatever the rule count. */
START_TEST(thousand_rules_flat)
{
	size_t cap = 1 << 20, o = 0;
	char *yaml = malloc(cap);
	struct compiled c;
	struct shrike_guard g;
	static u16 rules[2048];
	u64 work;
	char path[64], want[16];
	u32 n, i;

	ck_assert_ptr_nonnull(yaml);
	for (i = 0; i < 1000; i++)
		o += (size_t)snprintf(
			yaml + o, cap - o,
			"- rule: synth %u\n  desc: d\n  output: o\n  priority: INFO\n"
			"  condition: evt.type = openat and evt.is_open_write = true and "
			"fd.name startswith /var/lib/synth%u/\n",
			i, i);
	compile(&c, NULL, yaml);
	n = bucket(&c.t, evtype_lookup("openat", 6), rules);
	ck_assert_uint_eq(n, 1000);
	work = SHRIKE_GUARD_WORK(&c.t);
	ck_assert_int_eq(shrike_guard_build(&g, &c.t, rules, n, &work), 0);
	ck_assert_uint_eq(g.nkeys, 1000);
	ck_assert_uint_eq(g.nalways, 0);
	ck_assert_str_eq(hits_str(&g, SHRIKE_FETCH_OK, "/tmp/bench-file"), "");
	for (i = 0; i < 1000; i += 37) {
		snprintf(path, sizeof(path), "/var/lib/synth%u/x", i);
		snprintf(want, sizeof(want), "%u", i);
		ck_assert_str_eq(hits_str(&g, SHRIKE_FETCH_OK, path), want);
	}
	shrike_guard_free(&g);
	compiled_free(&c);
	free(yaml);
}
END_TEST

#define FALCO_DIR	  "../shared/falco/"
#define EVENTS_PER_BUCKET 4000

struct guard_stats {
	unsigned long buckets, guarded, events, all, run, total, skipped_checked;
};

/* Every bucket of the table: what the guard skips is FALSE. */
static void guard_equivalent(const char *what, struct compiled *c)
{
	static struct equiv_event e;
	static u16 rules[65536];
	struct guard_stats st = { 0 };
	u64 work = SHRIKE_GUARD_WORK(&c->t);
	int evt;

	for (evt = 0; evt < __SHRIKE_EVT_MAX; evt++) {
		struct equiv_pool pool = { 0 };
		struct shrike_guard g;
		u32 n = bucket(&c->t, evt, rules), i;
		unsigned ev;

		if (!n)
			continue;
		st.buckets++;
		ck_assert_int_eq(shrike_guard_build(&g, &c->t, rules, n, &work), 0);
		if (!g.nkeys) {
			shrike_guard_free(&g);
			continue;
		}
		st.guarded++;
		for (i = 0; i < n; i++)
			equiv_pool_add(&pool, c->rs->rules[rules[i]].cond);
		for (ev = 0; ev < EVENTS_PER_BUCKET; ev++) {
			u16 hits[SHRIKE_GUARD_MAX_HITS];
			struct shrike_val v;
			int rc, nh, k = 0, a = 0;
			char sel[65536 / 8];

			e.seed = equiv_mix((uint64_t)evt << 32 | ev);
			e.type = evtype_name(evt);
			e.entry = e.seed % 2;
			e.kernel = true;
			e.pool = &pool;
			e.used = 0;
			e.t = &c->t;
			rc = equiv_fetch(&e, g.field, g.arg, &v);
			nh = shrike_guard_hits(&g, rc, &v, hits);
			st.events++;
			st.total += n;
			if (nh < 0) {
				st.all++;
				st.run += n;
				continue;
			}
			memset(sel, 0, (n + 7) / 8);
			for (k = 0; k < nh; k++)
				sel[hits[k] / 8] |= 1 << hits[k] % 8;
			for (a = 0; a < (int)g.nalways; a++)
				sel[g.always[a] / 8] |= 1 << g.always[a] % 8;
			for (i = 0; i < n; i++) {
				const struct shrike_rule *r = &c->t.rules[rules[i]];
				int res;

				if (sel[i / 8] & (1 << i % 8)) {
					st.run++;
					continue;
				}
				if (!!(le16_to_cpu(r->flags) & SHRIKE_RF_ENTRY) != e.entry)
					continue;
				res = shrike_eval(&c->t, r, equiv_fetch, &e);
				st.skipped_checked++;
				ck_assert_msg(
					res == SHRIKE_V_FALSE,
					"%s: rule '%s' skipped by the guard on %s (seed %#" PRIx64
					") but evaluates to %d",
					what, c->rs->rules[rules[i]].name, e.type, e.seed, res);
			}
		}
		free(pool.v);
		shrike_guard_free(&g);
	}
	printf("guard: %s: %lu buckets, %lu guarded; %lu events, %lu ran every rule; "
	       "%.2f of %.2f rules run an event; %lu skipped rules checked FALSE\n",
	       what, st.buckets, st.guarded, st.events, st.all,
	       st.events ? (double)st.run / st.events : 0.0,
	       st.events ? (double)st.total / st.events : 0.0, st.skipped_checked);
}

START_TEST(skips_only_false_rules)
{
	glob_t files;
	size_t i;
	struct compiled c;

	ck_assert_int_eq(glob(FALCO_DIR "*rules*.yaml", 0, NULL, &files), 0);
	ck_assert_int_eq(glob("rules/*.yaml", GLOB_APPEND, NULL, &files), 0);
	ck_assert_uint_ge(files.gl_pathc, 8);
	for (i = 0; i < files.gl_pathc; i++) {
		compile(&c, files.gl_pathv[i], NULL);
		guard_equivalent(files.gl_pathv[i], &c);
		compiled_free(&c);
	}
	globfree(&files);
}
END_TEST

Suite *make_guard_suite(void)
{
	Suite *s = suite_create("guard");
	TCase *tc = tcase_create("guard");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, selects_exact_rules);
	tcase_add_test(tc, thousand_rules_flat);
	tcase_add_test(tc, skips_only_false_rules);
	suite_add_tcase(s, tc);
	return s;
}
