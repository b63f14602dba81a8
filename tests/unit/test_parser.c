/* test_parser.c - condition language: every operator, precedence, lists, field
 * arguments, escapes and parse errors with exact positions. Field names are
 * checked against the real registry (lib/fields.c). */
#define _GNU_SOURCE
#include <string.h>
#include <check.h>
#include <stdlib.h>
#include "compiler/cond.h"
#include "compiler/loader.h"

/* Parses and resolves fields; returns the canonical form, or
 * "CODE line:col message" of the first diagnostic. Caller frees. */
static char *P(const char *text)
{
	struct diag_list dl;
	diag_list_init(&dl);
	struct cond_input in = { text, strlen(text), NULL, NULL, "c", &dl, NULL, NULL, NULL };
	struct ast *a = cond_parse(&in);
	char *s = NULL;
	if (a && cond_resolve_fields(a, -1, &dl, NULL, false) == 0) {
		s = ast_to_string(a);
	} else if (dl.n) {
		if (asprintf(&s, "%s %d:%d %s", diag_code_str(dl.v[0].code), dl.v[0].loc.line,
			     dl.v[0].loc.col, dl.v[0].msg) < 0)
			s = NULL;
	}
	ast_free(a);
	diag_list_free(&dl);
	return s ? s : strdup("NULL");
}

#define EXPECT(text, want)                  \
	do {                                \
		char *_g = P(text);         \
		ck_assert_str_eq(_g, want); \
		free(_g);                   \
	} while (0)

START_TEST(every_operator)
{
	EXPECT("proc.name = bash", "proc.name = bash");
	EXPECT("proc.name == bash", "proc.name = bash");
	EXPECT("proc.name != bash", "proc.name != bash");
	EXPECT("proc.pid < 5", "proc.pid < 5");
	EXPECT("proc.pid <= 0x10", "proc.pid <= 0x10");
	EXPECT("proc.pid > -3", "proc.pid > -3");
	EXPECT("proc.pid >= 1.5e+3", "proc.pid >= 1.5e+3");
	EXPECT("fd.name contains /etc", "fd.name contains /etc");
	EXPECT("fd.name icontains ETC", "fd.name icontains ETC");
	EXPECT("evt.buffer bcontains 0a0b", "evt.buffer bcontains 0a0b");
	EXPECT("fd.name startswith /etc", "fd.name startswith /etc");
	EXPECT("evt.buffer bstartswith 7f45", "evt.buffer bstartswith 7f45");
	EXPECT("fd.name endswith .conf", "fd.name endswith .conf");
	EXPECT("fd.name glob '/home/*/.ssh/*'", "fd.name glob /home/*/.ssh/*");
	EXPECT("fd.name iglob /HOME/*", "fd.name iglob /HOME/*");
	EXPECT("fd.name pmatch (/etc, /usr/bin)", "fd.name pmatch (/etc, /usr/bin)");
	EXPECT("proc.name in (a, b)", "proc.name in (a, b)");
	EXPECT("ka.req.pod.containers.image intersects (x)",
	       "ka.req.pod.containers.image intersects (x)");
	EXPECT("fd.name exists", "fd.name exists");
	EXPECT("proc.cmdline regex '^a.*b$'", "proc.cmdline regex ^a.*b$");
	EXPECT("evt.dir = <", "evt.dir = <");
	EXPECT("evt.dir=>", "evt.dir = >");
}
END_TEST

START_TEST(op_ids)
{
	struct diag_list dl;
	diag_list_init(&dl);
	static const struct {
		const char *t;
		int op;
	} c[] = {
		{ "a.b = 1", SHRIKE_CMP_EQ },
		{ "a.b != 1", SHRIKE_CMP_NE },
		{ "a.b < 1", SHRIKE_CMP_LT },
		{ "a.b <= 1", SHRIKE_CMP_LE },
		{ "a.b > 1", SHRIKE_CMP_GT },
		{ "a.b >= 1", SHRIKE_CMP_GE },
		{ "a.b contains x", SHRIKE_CMP_CONTAINS },
		{ "a.b icontains x", SHRIKE_CMP_ICONTAINS },
		{ "a.b bcontains x", SHRIKE_CMP_BCONTAINS },
		{ "a.b startswith x", SHRIKE_CMP_STARTSWITH },
		{ "a.b bstartswith x", SHRIKE_CMP_BSTARTSWITH },
		{ "a.b endswith x", SHRIKE_CMP_ENDSWITH },
		{ "a.b glob x", SHRIKE_CMP_GLOB },
		{ "a.b iglob x", SHRIKE_CMP_IGLOB },
		{ "a.b pmatch (x)", SHRIKE_CMP_PMATCH },
		{ "a.b in (x)", SHRIKE_CMP_IN },
		{ "a.b intersects (x)", SHRIKE_CMP_INTERSECTS },
		{ "a.b exists", SHRIKE_CMP_EXISTS },
		{ "a.b regex x", SHRIKE_CMP_REGEX },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(*c); i++) {
		struct cond_input in = { c[i].t, strlen(c[i].t), NULL, NULL, "c",
					 &dl,	 NULL,		 NULL, NULL };
		struct ast *a = cond_parse(&in);
		ck_assert_msg(a && a->kind == AST_CMP && a->op == c[i].op, "%s", c[i].t);
		ck_assert_int_eq(a->is_list, cond_op_takes_list(c[i].op));
		ast_free(a);
	}
	ck_assert_int_eq(dl.n, 0);
	diag_list_free(&dl);
}
END_TEST

START_TEST(precedence)
{
	EXPECT("proc.name = a or proc.name = b and proc.name = c",
	       "(proc.name = a or (proc.name = b and proc.name = c))");
	EXPECT("proc.name = a and proc.name = b or proc.name = c",
	       "((proc.name = a and proc.name = b) or proc.name = c)");
	EXPECT("not proc.name = a and proc.name = b", "(not proc.name = a and proc.name = b)");
	EXPECT("not (proc.name = a and proc.name = b)", "not (proc.name = a and proc.name = b)");
	EXPECT("not not proc.name = a", "proc.name = a");
	/* Two negations as a tree print so as to parse back to two. */
	EXPECT("not(not proc.name = a)", "not (not proc.name = a)");
	EXPECT("not (not proc.name = a)", "not (not proc.name = a)");
	EXPECT("not(proc.name = a)", "not proc.name = a");
	EXPECT("proc.name = a and(proc.name = b or(proc.name = c))",
	       "(proc.name = a and (proc.name = b or proc.name = c))");
	EXPECT("((proc.name = a))", "proc.name = a");
	EXPECT("m1 or not m2 and m3", "(m1 or (not m2 and m3))");
	EXPECT("\n  proc.name = a\n  and fd.name = b\n", "(proc.name = a and fd.name = b)");
}
END_TEST

START_TEST(values_and_lists)
{
	EXPECT("proc.name in (a, 'b c', \"d\")", "proc.name in (a, \"b c\", d)");
	EXPECT("proc.name in ()", "proc.name in ()");
	EXPECT("proc.name in (  a  ,b,c  )", "proc.name in (a, b, c)");
	EXPECT("proc.name in shell_binaries", "proc.name in (shell_binaries)");
	EXPECT("proc.name in(a)", "proc.name in (a)");
	EXPECT("proc.name = 'it\\'s'", "proc.name = \"it's\"");
	EXPECT("proc.name = \"a\\\"b\\\\c\\n\"", "proc.name = \"a\\\"b\\\\c\\n\"");
	EXPECT("proc.cmdline contains \"perl /opt/x.pl\"",
	       "proc.cmdline contains \"perl /opt/x.pl\"");
	EXPECT("proc.name in (runc:[1:CHILD], x)", "proc.name in (runc:[1:CHILD], x)");
	EXPECT("proc.name = ''", "proc.name = \"\"");
	/* A final backslash cannot be written "\\" before the closing quote:
	 * the lexer, as Falco's, would not see the quote. */
	EXPECT("proc.name = \"a b\\ \"", "proc.name = \"a b\\ \"");
	EXPECT("proc.name in (\"a\\\\b c\\ \", x)", "proc.name in (\"a\\\\b c\\ \", x)");
}
END_TEST

START_TEST(field_args)
{
	EXPECT("proc.aname[2] = sshd", "proc.aname[2] = sshd");
	EXPECT("proc.apid[1] > 0", "proc.apid[1] > 0");
	EXPECT("evt.arg.flags contains O_CREAT", "evt.arg.flags contains O_CREAT");
	EXPECT("evt.rawarg.res < 0", "evt.rawarg.res < 0");
	EXPECT("evt.arg[0] = 1", "evt.arg[0] = 1");
	EXPECT("jevt.value[/a/b] = x", "jevt.value[/a/b] = x");
	EXPECT("k8s.pod.label[app] = web", "k8s.pod.label[app] = web");
	EXPECT("k8s.pod.label.app = web", "k8s.pod.label[app] = web");
	EXPECT("container.mount.dest[/var/run/docker.sock] exists",
	       "container.mount.dest[/var/run/docker.sock] exists");
	EXPECT("jevt.value['/a b'] = x", "jevt.value[\"/a b\"] = x");
	EXPECT("proc.aname[x] = a",
	       "E-FIELD-ARG 1:1 field 'proc.aname' takes a numeric argument, not 'x'");
	EXPECT("proc.name[1] = a", "E-FIELD-ARG 1:1 field 'proc.name' does not take an argument");
	EXPECT("evt.arg = a", "E-FIELD-ARG 1:1 field 'evt.arg' requires an argument");
	EXPECT("not ka.uri.param exists",
	       "E-FIELD-ARG 1:5 field 'ka.uri.param' requires an argument");
}
END_TEST

/* fd.ip, fd.net, fd.port: either end (libsinsp's compare_ip/net/port). */
START_TEST(either_end_fields)
{
	EXPECT("fd.ip = 10.0.0.1", "(fd.cip = 10.0.0.1 or fd.sip = 10.0.0.1)");
	EXPECT("fd.ip != 0.0.0.0", "(fd.cip != 0.0.0.0 and fd.sip != 0.0.0.0)");
	EXPECT("fd.ip in (1.2.3.4, ::1)", "(fd.cip in (1.2.3.4, ::1) or fd.sip in (1.2.3.4, ::1))");
	EXPECT("not fd.net = 127.0.0.0/8", "not (fd.cnet = 127.0.0.0/8 or fd.snet = 127.0.0.0/8)");
	EXPECT("fd.net != 10.0.0.0/8", "(fd.cnet != 10.0.0.0/8 and fd.snet != 10.0.0.0/8)");
	EXPECT("fd.port < 1024 and evt.type = connect",
	       "((fd.cport < 1024 or fd.sport < 1024) and evt.type = connect)");
	EXPECT("fd.port != 22", "(fd.cport != 22 and fd.sport != 22)");
	EXPECT("fd.ip exists", "fd.ip exists");
	EXPECT("fd.sip = 1.2.3.4", "fd.sip = 1.2.3.4");
}
END_TEST

START_TEST(parse_errors)
{
	EXPECT("", "E-PARSE 1:1 filter input string is empty");
	EXPECT("proc.name =", "E-PARSE 1:12 expected a string value");
	EXPECT("proc.name = a and", "E-PARSE 1:18 expected blank or '(' after 'and'");
	EXPECT("proc.name = a and ",
	       "E-PARSE 1:19 expected a '(' token, a field check, or an identifier");
	EXPECT("proc.name in (a,", "E-PARSE 1:17 expected a string value");
	/* A missing ')' says where its '(' opened. */
	EXPECT("proc.name in (a b)",
	       "E-PARSE 1:17 expected a ')' token: missing ')' (the '(' at c:1:14)");
	EXPECT("(proc.name = a",
	       "E-PARSE 1:15 expected a ')' token: missing ')' (the '(' at c:1:1)");
	EXPECT("(proc.name = a and (fd.name = b or (fd.name = c)) and\n  evt.type = open",
	       "E-PARSE 2:18 expected a ')' token: missing ')' (the '(' at c:1:1)");
	EXPECT("proc.name = a and ((fd.name = b or fd.name = c) and evt.type = open",
	       "E-PARSE 1:68 expected a ')' token: missing ')' (the '(' at c:1:19)");
	EXPECT("proc.name = a and not(fd.name = b",
	       "E-PARSE 1:34 expected a ')' token: missing ')' (the '(' at c:1:22)");
	EXPECT("proc.name = a and(fd.name = b",
	       "E-PARSE 1:30 expected a ')' token: missing ')' (the '(' at c:1:18)");
	EXPECT("proc.name = a b", "E-PARSE 1:15 unexpected token after 'a', expecting 'or', 'and'");
	EXPECT("proc.name = \"abc", "E-PARSE 1:13 unterminated quoted string");
	EXPECT("proc.name = 'a\\qb'", "E-PARSE 1:15 unsupported string escape sequence: \\q");
	EXPECT("proc.pid < abc", "E-PARSE 1:12 expected a number value");
	EXPECT("proc.name foo bar",
	       "E-PARSE 1:11 expected a valid check operator: one of 'exists', '<=', '<', '>=', "
	       "'>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', "
	       "'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch'");
	EXPECT("proc.name = a andx", "E-PARSE 1:18 expected blank or '(' after 'and'");
	EXPECT("tolower(proc.name) = a",
	       "E-UNSUPPORTED 1:1 field transformer 'tolower' is not supported");
	EXPECT("proc.name = a and\n   xyz.nope = 1",
	       "E-UNKNOWN-FIELD 2:4 unknown field 'xyz.nope'");
	EXPECT("proc.aname[2 = x", "E-PARSE 1:13 expected a ']' token");
}
END_TEST

START_TEST(depth_limit)
{
	size_t n = 1200;
	char *s = malloc(2 * n + 20);
	size_t o = 0;
	for (size_t i = 0; i < n; i++)
		s[o++] = '(';
	memcpy(s + o, "a.b = 1", 7);
	o += 7;
	for (size_t i = 0; i < n; i++)
		s[o++] = ')';
	s[o] = 0;
	char *g = P(s);
	ck_assert_msg(!strncmp(g, "E-PARSE 1:", 10) &&
			      strstr(g, "exceeded max depth limit of 1000"),
		      "%s", g);
	free(g);
	free(s);
}
END_TEST

START_TEST(positions)
{
	struct diag_list dl;
	diag_list_init(&dl);
	const char *t = "proc.name = a and\n  not fd.name in (x, \"y\")";
	struct cond_input in = { t, strlen(t), NULL, NULL, "c", &dl, NULL, NULL, NULL };
	struct ast *a = cond_parse(&in);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->kind, AST_AND);
	ck_assert_int_eq(a->l->loc.col, 1);
	ck_assert_int_eq(a->r->kind, AST_NOT);
	ck_assert_int_eq(a->r->loc.line, 2);
	ck_assert_int_eq(a->r->loc.col, 3);
	ck_assert_int_eq(a->r->l->field_loc.col, 7);
	ck_assert_int_eq(a->r->l->values[1].loc.col, 22);
	ck_assert(a->r->l->values[1].quoted);
	ck_assert(!a->r->l->values[0].quoted);
	/* round trip: the canonical form parses back to itself */
	char *s1 = ast_to_string(a);
	struct cond_input in2 = { s1, strlen(s1), NULL, NULL, "c", &dl, NULL, NULL, NULL };
	struct ast *b = cond_parse(&in2);
	char *s2 = ast_to_string(b);
	ck_assert_str_eq(s1, s2);
	free(s1);
	free(s2);
	ast_free(a);
	ast_free(b);
	diag_list_free(&dl);
}
END_TEST

Suite *make_parser_suite(void)
{
	Suite *s = suite_create("parser");
	TCase *tc = tcase_create("cond");
	tcase_add_test(tc, every_operator);
	tcase_add_test(tc, op_ids);
	tcase_add_test(tc, precedence);
	tcase_add_test(tc, values_and_lists);
	tcase_add_test(tc, field_args);
	tcase_add_test(tc, either_end_fields);
	tcase_add_test(tc, parse_errors);
	tcase_add_test(tc, depth_limit);
	tcase_add_test(tc, positions);
	suite_add_tcase(s, tc);
	return s;
}
