/* test_dns.c - fd.sip.name and its kin as libsinsp evaluates them: names
 * resolved with getaddrinfo (only names that need no network: "localhost"
 * from /etc/hosts, numeric "::1", and a name under .invalid, which never
 * resolves), "=", "!=" and "in" compare the address with the name's, other
 * operators are FALSE, no address is no match, a name not resolved yet is
 * UNKNOWN, a reload keeps what is known, an output shows the name, and
 * shrikec test's lazy resolution within a budget. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <check.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dns.h"
#include "lib/event.h"
#include "lib/match.h"
#include "compiler/codegen.h"
#include "compiler/loader.h"

#define RULE(name, cond)                                               \
	"- rule: " name "\n  desc: d\n  output: o\n  priority: INFO\n" \
	"  condition: evt.type = connect and " cond "\n"

#define NOWHERE "shrike-unit-test.invalid"

static const char RULES[] = RULE("eq", "fd.sip.name = localhost")
	RULE("ne", "fd.sip.name != localhost") RULE("in", "fd.sip.name in (" NOWHERE ", localhost)")
		RULE("v6", "fd.sip.name = \"::1\"") RULE("nowhere_eq", "fd.sip.name = " NOWHERE)
			RULE("nowhere_ne", "fd.sip.name != " NOWHERE)
				RULE("startswith", "fd.sip.name startswith local")
					RULE("cip", "fd.cip.name = localhost")
						RULE("lip", "fd.lip.name = localhost")
							RULE("rip", "fd.rip.name in (localhost)");

struct compiled {
	void *buf;
	size_t len;
	struct shrike_table t;
};

static void compile(struct compiled *c, const char *yaml)
{
	struct ruleset *rs = ruleset_new();
	struct compile_opts o = { .match_all = true };

	ck_assert_ptr_nonnull(rs);
	ruleset_load_string(rs, "t.yaml", yaml, strlen(yaml));
	ruleset_finish(rs);
	ck_assert_int_eq(ruleset_errors(rs), 0);
	ck_assert_int_eq(compile_ruleset(rs, &o, &c->buf, &c->len, &rs->diags), 0);
	ck_assert_int_eq(shrike_table_verify(c->buf, (u32)c->len, &c->t, NULL), 0);
	ruleset_free(rs);
}

/* A connect with the given server/client addresses (NULL: none). */
static void connect_event(struct uevent *ev, const char *sip, const char *cip)
{
	u8 a[16];

	uevent_init(ev, SHRIKE_SRC_SYSCALL);
	ck_assert_int_eq(uevent_set_str(ev, SHRIKE_F_EVT_TYPE, NULL, "connect", 7), 0);
	if (sip) {
		int fam = strchr(sip, ':') ? 6 : 4;

		ck_assert_int_eq(inet_pton(fam == 4 ? AF_INET : AF_INET6, sip, a), 1);
		ck_assert_int_eq(uevent_set_ip(ev, SHRIKE_F_FD_SIP, NULL, fam, a, 0), 0);
		ck_assert_int_eq(uevent_set_ip(ev, SHRIKE_F_FD_RIP, NULL, fam, a, 0), 0);
	}
	if (cip) {
		int fam = strchr(cip, ':') ? 6 : 4;

		ck_assert_int_eq(inet_pton(fam == 4 ? AF_INET : AF_INET6, cip, a), 1);
		ck_assert_int_eq(uevent_set_ip(ev, SHRIKE_F_FD_CIP, NULL, fam, a, 0), 0);
		ck_assert_int_eq(uevent_set_ip(ev, SHRIKE_F_FD_LIP, NULL, fam, a, 0), 0);
	}
}

/* Each rule's result as a letter, in table order: T, F or U. */
static const char *results(const struct compiled *c, struct uevent *ev)
{
	static char buf[32];
	struct uevent_ctx ctx = { &c->t, ev };
	u32 i;

	for (i = 0; i < c->t.nrules && i < sizeof(buf) - 1; i++) {
		int r = shrike_eval(&c->t, &c->t.rules[i], uevent_fetch, &ctx);

		buf[i] = r == SHRIKE_V_TRUE ? 'T' : r == SHRIKE_V_FALSE ? 'F' : 'U';
	}
	buf[i] = 0;
	uevent_free(ev);
	return buf;
}

static const char *shown(struct uevent *ev, const char *token)
{
	static char buf[256];
	struct uevent_ctx ctx = { NULL, ev };
	int r = uevent_get_str(&ctx, token, strlen(token), buf, sizeof(buf));

	ck_assert_int_ge(r, 0);
	return r ? buf : "<NA>";
}

/* Whether this host's /etc/hosts gives localhost ::1 as well. */
static bool localhost_is_v6(void)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC }, *res, *ai;
	bool yes = false;

	if (getaddrinfo("localhost", NULL, &hints, &res))
		return false;
	for (ai = res; ai; ai = ai->ai_next)
		if (ai->ai_family == AF_INET6 &&
		    !memcmp(&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, &in6addr_loopback,
			    16))
			yes = true;
	freeaddrinfo(res);
	return yes;
}

START_TEST(test_dns_match)
{
	struct compiled c;
	struct uevent ev;
	bool v6lo = localhost_is_v6();

	match_init();
	compile(&c, RULES);
	dns_load_table(&c.t, 30000);

	/*                                       eq ne in v6 nwe nwn sw cip lip rip */
	connect_event(&ev, "127.0.0.1", "10.9.9.9");
	ck_assert_str_eq(results(&c, &ev), "TFTFFTFFFT");
	connect_event(&ev, "10.9.9.9", "127.0.0.1");
	ck_assert_str_eq(results(&c, &ev), "FTFFFTFTTF");
	/* localhost is ::1 too where /etc/hosts says so. */
	connect_event(&ev, "::1", NULL);
	ck_assert_str_eq(results(&c, &ev), v6lo ? "TFTTFTFFFT" : "FTFTFTFFFF");
	/* No socket address: no value, every comparison FALSE, "!=" too. */
	connect_event(&ev, NULL, NULL);
	ck_assert_str_eq(results(&c, &ev), "FFFFFFFFFF");

	/* The hook itself: a name the table does not have cannot be told. */
	{
		struct shrike_val v = { .type = SHRIKE_T_IPADDR, .family = 4 };

		inet_pton(AF_INET, "127.0.0.1", v.ip);
		ck_assert_int_eq(dns_match("localhost", 9, &v), 1);
		ck_assert_int_eq(dns_match(NOWHERE, strlen(NOWHERE), &v), 0);
		ck_assert_int_eq(dns_match("example.org", 11, &v), -1);
	}

	/* What an output shows: the table's name holding the address. */
	connect_event(&ev, "127.0.0.1", "10.9.9.9");
	ck_assert_str_eq(shown(&ev, "fd.sip.name"), "localhost");
	ck_assert_str_eq(shown(&ev, "fd.rip.name"), "localhost");
	ck_assert_str_eq(shown(&ev, "fd.cip.name"), "<NA>");
	ck_assert_str_eq(shown(&ev, "fd.sip"), "127.0.0.1");
	uevent_free(&ev);
	connect_event(&ev, "::1", NULL);
	ck_assert_str_eq(shown(&ev, "fd.sip.name"), v6lo ? "localhost" : "::1");
	ck_assert_str_eq(shown(&ev, "fd.lip.name"), "<NA>");
	uevent_free(&ev);

	dns_stop();
	free(c.buf);
}
END_TEST

/* Before a name's first resolution, or with no resolver: UNKNOWN. A new
 * table keeps what is known of the names it shares with the old one. */
START_TEST(test_dns_pending_and_reload)
{
	struct compiled a, b;
	struct uevent ev;
	struct shrike_val v = { .type = SHRIKE_T_IPADDR, .family = 4 };

	inet_pton(AF_INET, "127.0.0.1", v.ip);
	match_init();
	compile(&a, RULE("eq", "fd.sip.name = localhost") RULE("ne", "fd.sip.name != localhost"));
	connect_event(&ev, "127.0.0.1", NULL);
	ck_assert_str_eq(results(&a, &ev), "UU");

	dns_load_table(&a.t, 30000);
	connect_event(&ev, "127.0.0.1", NULL);
	ck_assert_str_eq(results(&a, &ev), "TF");

	compile(&b, RULE("eq", "fd.sip.name = localhost") RULE("other", "fd.sip.name = " NOWHERE));
	dns_load_table(&b.t, 0);
	ck_assert_int_eq(dns_match("localhost", 9, &v), 1);
	dns_load_table(&b.t, 30000);
	ck_assert_int_eq(dns_match(NOWHERE, strlen(NOWHERE), &v), 0);

	/* A table without names: the old ones are forgotten. */
	free(a.buf);
	compile(&a, RULE("plain", "fd.sip = 127.0.0.1"));
	dns_load_table(&a.t, 0);
	ck_assert_int_eq(dns_match("localhost", 9, &v), -1);

	dns_stop();
	free(a.buf);
	free(b.buf);
}
END_TEST

/* shrikec test's way (dns_load_table_lazy): no name is resolved until a
 * comparison needs it, that comparison waits for it, and a name not
 * resolved within the budget matches no address for the rest of the run
 * (tests/dns/run.sh shows it with a resolver that never answers). */
START_TEST(test_dns_lazy)
{
	struct compiled c;
	struct uevent ev;
	struct shrike_val v = { .type = SHRIKE_T_IPADDR, .family = 4 };

	inet_pton(AF_INET, "127.0.0.1", v.ip);
	match_init();
	compile(&c, RULE("eq", "fd.sip.name = localhost") RULE("ne", "fd.sip.name != localhost"));
	dns_load_table_lazy(&c.t, 30000, "test");
	/* Nothing compared yet: no name holds the address, as libsinsp's. */
	connect_event(&ev, "127.0.0.1", NULL);
	ck_assert_str_eq(shown(&ev, "fd.sip.name"), "<NA>");
	uevent_free(&ev);
	/* No address: no comparison needs the name. */
	connect_event(&ev, NULL, NULL);
	ck_assert_str_eq(results(&c, &ev), "FF");
	connect_event(&ev, "127.0.0.1", NULL);
	ck_assert_str_eq(shown(&ev, "fd.sip.name"), "<NA>");
	uevent_free(&ev);
	/* The first comparison resolves it, and waits. */
	connect_event(&ev, "127.0.0.1", NULL);
	ck_assert_str_eq(results(&c, &ev), "TF");
	connect_event(&ev, "127.0.0.1", NULL);
	ck_assert_str_eq(shown(&ev, "fd.sip.name"), "localhost");
	uevent_free(&ev);
	dns_stop();

	/* No budget left: given up without asking, for the whole run, as a
	 * name that does not resolve ("!=" TRUE). */
	dns_load_table_lazy(&c.t, 0, "test");
	connect_event(&ev, "127.0.0.1", NULL);
	ck_assert_str_eq(results(&c, &ev), "FT");
	ck_assert_int_eq(dns_match("localhost", 9, &v), 0);
	connect_event(&ev, "127.0.0.1", NULL);
	ck_assert_str_eq(shown(&ev, "fd.sip.name"), "<NA>");
	uevent_free(&ev);
	dns_stop();
	free(c.buf);
}
END_TEST

Suite *make_dns_suite(void)
{
	Suite *s = suite_create("dns");
	TCase *tc = tcase_create("dns");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_dns_match);
	tcase_add_test(tc, test_dns_pending_and_reload);
	tcase_add_test(tc, test_dns_lazy);
	suite_add_tcase(s, tc);
	return s;
}
