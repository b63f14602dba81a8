/* codegen.c - plans each rule (folding, event types, kernel/agent split) and
 * emits its program into the table with tablebuf, then runs the shared
 * verifier over the result: a table shrikec writes is one shrike.ko accepts. */
#define _GNU_SOURCE
#include "codegen.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/fields.h"
#include "optimize.h"
#include "tablebuf.h"
#include "../kmod/common/table.h"
#include "../lib/procfs.h"

#define DIR_ENTER 1u
#define DIR_EXIT  2u

struct evset {
	uint64_t w[SHRIKE_EVT_BITMAP_WORDS];
	unsigned dir; /* DIR_* bits */
};

static void evset_all(struct evset *s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < evtypes_count(); i++)
		s->w[i / 64] |= 1ull << (i % 64);
	s->dir = DIR_ENTER | DIR_EXIT;
}

static void evset_complement(struct evset *s, bool types, bool dir)
{
	struct evset all;
	size_t i;

	evset_all(&all);
	if (types)
		for (i = 0; i < SHRIKE_EVT_BITMAP_WORDS; i++)
			s->w[i] = all.w[i] & ~s->w[i];
	if (dir)
		s->dir = all.dir & ~s->dir;
}

static void evset_and(struct evset *a, const struct evset *b)
{
	size_t i;

	for (i = 0; i < SHRIKE_EVT_BITMAP_WORDS; i++)
		a->w[i] &= b->w[i];
	a->dir &= b->dir;
}

static void evset_or(struct evset *a, const struct evset *b)
{
	size_t i;

	for (i = 0; i < SHRIKE_EVT_BITMAP_WORDS; i++)
		a->w[i] |= b->w[i];
	a->dir |= b->dir;
}

static bool is_field(const struct ast *a, const char *name)
{
	return a->kind == AST_CMP && a->field && !strcmp(a->field, name);
}

/*
 * The event types (and directions) for which the condition can be true, as
 * Falco's evttype resolver computes them: evt.type = / in give their values,
 * != the complement, and/or intersect/unite, any other comparison allows
 * every type. Negation is pushed down (De Morgan), so "not (evt.type=open
 * and x)" allows every type, as it must.
 */
static void resolve(const struct ast *a, bool neg, struct evset *out)
{
	struct evset r;
	size_t i;

	switch (a->kind) {
	case AST_CONST:
		if ((a->truth == SHRIKE_V_TRUE) != neg)
			evset_all(out);
		else
			memset(out, 0, sizeof(*out));
		return;
	case AST_NOT: resolve(a->l, !neg, out); return;
	case AST_AND:
	case AST_OR:
		resolve(a->l, neg, out);
		resolve(a->r, neg, &r);
		if ((a->kind == AST_AND) != neg)
			evset_and(out, &r);
		else
			evset_or(out, &r);
		return;
	case AST_CMP: break;
	default: evset_all(out); return;
	}
	evset_all(out);
	if (is_field(a, "evt.type") && !a->arg &&
	    (a->op == SHRIKE_CMP_EQ || a->op == SHRIKE_CMP_NE || a->op == SHRIKE_CMP_IN)) {
		memset(out->w, 0, sizeof(out->w));
		for (i = 0; i < a->nvalues; i++) {
			int id = evtype_lookup(a->values[i].str, a->values[i].len);

			if (id >= 0)
				out->w[id / 64] |= 1ull << (id % 64);
		}
		if ((a->op == SHRIKE_CMP_NE) != neg)
			evset_complement(out, true, false);
	} else if (is_field(a, "evt.dir") && (a->op == SHRIKE_CMP_EQ || a->op == SHRIKE_CMP_NE) &&
		   a->nvalues == 1) {
		const char *v = a->values[0].str;

		out->dir = !strcmp(v, ">") ? DIR_ENTER : !strcmp(v, "<") ? DIR_EXIT : 0;
		if ((a->op == SHRIKE_CMP_NE) != neg)
			evset_complement(out, false, true);
	}
}

/*
 * The event types Falco skips before any rule sees them unless it runs with
 * -A, among Shrike's. Falco 0.31 drops every event for which
 * sinsp_evt::simple_consumer_consider() is false (falco.cpp, do_inspect):
 * the event's flags in libsinsp's event table (driver/event_table.c) include
 * EF_DROP_SIMPLE_CONS or EF_SKIPPARSERESET, or, for a syscall without an
 * event of its own (PPME_GENERIC_*), its entry in libscap's
 * syscall_info_table.c has EF_DROP_SIMPLE_CONS. Listed from the libs Falco
 * 0.31.0 builds (319368f1), in Shrike's order of event types.
 */
static const char *const falco_skipped_evtypes[] = {
	"read",
	"write",
	"pread",
	"pwrite",
	"readv",
	"writev",
	"close",
	"mprotect",
	"mmap",
	"fcntl",
	"k8s",
	"mesos",
	"signaldeliver",
	"page_fault",
	"switch",
	"notification",
	"infra",
	"drop",
	"cpu_hotplug",
	"procinfo",
	"preadv",
	"pwritev",
	"sendfile",
	"sendmmsg",
	"recvmmsg",
	"shutdown",
	"getsockopt",
	"getsockname",
	"getpeername",
	"eventfd",
	"eventfd2",
	"timerfd_create",
	"epoll_create",
	"epoll_create1",
	"epoll_ctl",
	"epoll_wait",
	"epoll_pwait",
	"poll",
	"ppoll",
	"select",
	"pselect6",
	"futex",
	"nanosleep",
	"clock_nanosleep",
	"stat",
	"lstat",
	"fstat",
	"newfstatat",
	"stat64",
	"lstat64",
	"fstat64",
	"access",
	"lseek",
	"llseek",
	"getdents",
	"getdents64",
	"fsync",
	"fdatasync",
	"splice",
	"tee",
	"vmsplice",
	"getcwd",
	"statfs",
	"fstatfs",
	"brk",
	"munmap",
	"mremap",
	"mlock",
	"munlock",
	"mlockall",
	"munlockall",
	"madvise",
	"mmap2",
	"getsid",
	"getuid",
	"geteuid",
	"getgid",
	"getegid",
	"getresuid",
	"getresgid",
	"getgroups",
	"capget",
	"getrlimit",
	"setrlimit",
	"getpriority",
	"exit_group",
	"wait4",
	"waitid",
	"sched_yield",
	"sched_getaffinity",
	"semop",
	"semget",
	"semctl",
	"msgget",
	"msgsnd",
	"msgrcv",
	"uname",
	"getxattr",
	"lgetxattr",
	"fgetxattr",
	"listxattr",
	"llistxattr",
	"flistxattr",
	"timer_create",
	"timer_settime",
	"timerfd_settime",
	"clock_settime",
	"settimeofday",
	"rt_sigaction",
	"rt_sigprocmask",
	"pause",
	"alarm",
	"get_robust_list",
};

static void falco_skipped_set(uint64_t *w)
{
	size_t i;

	memset(w, 0, SHRIKE_EVT_BITMAP_WORDS * sizeof(*w));
	for (i = 0; i < sizeof(falco_skipped_evtypes) / sizeof(falco_skipped_evtypes[0]); i++) {
		const char *n = falco_skipped_evtypes[i];
		int id = evtype_lookup(n, strlen(n));

		if (id >= 0)
			w[id / 64] |= 1ull << (id % 64);
	}
}

static bool bits_empty(const uint64_t *w)
{
	size_t i;

	for (i = 0; i < SHRIKE_EVT_BITMAP_WORDS; i++)
		if (w[i])
			return false;
	return true;
}

/* "a, b, c", the names of the types in w. malloc'd. */
static char *evtype_list(const uint64_t *w)
{
	char *s = NULL;
	size_t len = 0, i, n = 0;
	FILE *f = open_memstream(&s, &len);

	if (!f)
		return NULL;
	for (i = 0; i < evtypes_count(); i++)
		if ((w[i / 64] >> (i % 64)) & 1)
			fprintf(f, "%s%s", n++ ? ", " : "", evtype_name((int)i));
	fclose(f);
	return s;
}

/* Falco renders uid/gid syscall arguments as names (evt.arg.uid=nobody):
 * only the agent knows the names. */
static bool arg_is_agent(const struct ast *a)
{
	return is_field(a, "evt.arg") && a->arg &&
	       (!strcmp(a->arg, "uid") || !strcmp(a->arg, "gid") || !strcmp(a->arg, "ruid") ||
		!strcmp(a->arg, "euid") || !strcmp(a->arg, "suid"));
}

/* A comparison the kernel cannot decide: a userspace-only field, a regex,
 * a uid/gid argument by name, or a field the agent reads from /proc/PID
 * (kernel fields in the registry that the module always answers UNKNOWN). */
static bool cmp_is_agent(const struct ast *a, const struct field_info *fi)
{
	return !fi || fi->where == SHRIKE_W_AGENT || a->op == SHRIKE_CMP_REGEX || arg_is_agent(a) ||
	       procfs_field(fi->id);
}

static int strv_add(char ***v, size_t *n, const char *s)
{
	char **nv;
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i], s))
			return 0;
	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv)
		return -1;
	*v = nv;
	nv[*n] = strdup(s);
	if (!nv[*n])
		return -1;
	(*n)++;
	return 0;
}

static void classify(const struct ast *a, struct rule_plan *p)
{
	const struct field_info *fi;

	if (!a)
		return;
	if (a->kind != AST_CMP) {
		classify(a->l, p);
		classify(a->r, p);
		return;
	}
	fi = field_lookup(a->field, strlen(a->field));
	if (cmp_is_agent(a, fi)) {
		char name[300];

		if (a->op == SHRIKE_CMP_REGEX)
			snprintf(name, sizeof(name), "%s regex", a->field);
		else if (arg_is_agent(a))
			snprintf(name, sizeof(name), "evt.arg.%s", a->arg);
		else
			snprintf(name, sizeof(name), "%s", a->field);
		strv_add(&p->agent_fields, &p->nagent_fields, name);
	} else if (!is_field(a, "evt.type")) {
		p->nkernel_tests++;
	}
}

/* The program's userspace-only fields listed in the order the condition
 * as written names them, whatever order the program has them in. */
static int agent_fields_in_order(struct rule_plan *p)
{
	struct rule_plan all = { 0 };
	char **v = calloc(p->nagent_fields, sizeof(*v));
	size_t i, k, n = 0;

	if (!v)
		return -1;
	classify(p->folded, &all);
	for (i = 0; i < all.nagent_fields; i++)
		for (k = 0; k < p->nagent_fields; k++)
			if (p->agent_fields[k] &&
			    !strcmp(all.agent_fields[i], p->agent_fields[k])) {
				v[n++] = p->agent_fields[k];
				p->agent_fields[k] = NULL;
			}
	/* Each is in the condition as written; belt and braces. */
	for (k = 0; k < p->nagent_fields; k++)
		if (p->agent_fields[k])
			v[n++] = p->agent_fields[k];
	free(p->agent_fields);
	p->agent_fields = v;
	for (i = 0; i < all.nagent_fields; i++)
		free(all.agent_fields[i]);
	free(all.agent_fields);
	return 0;
}

bool rule_in_table(const struct rule_def *r, const struct compile_opts *o)
{
	return !o || !o->has_min_priority || r->priority <= o->min_priority;
}

/* The event types an evt.type = / in comparison of a names. */
static void named_evtypes(const struct ast *a, uint64_t *w)
{
	size_t i;

	for (; a; a = a->l) {
		named_evtypes(a->r, w);
		if (!is_field(a, "evt.type") || a->arg ||
		    (a->op != SHRIKE_CMP_EQ && a->op != SHRIKE_CMP_IN))
			continue;
		for (i = 0; i < a->nvalues; i++) {
			int id = evtype_lookup(a->values[i].str, a->values[i].len);

			if (id >= 0)
				w[id / 64] |= 1ull << (id % 64);
		}
	}
}

/* The first evt.arg[N] or evt.rawarg[N] (by position) in a. */
static const struct ast *positional_arg(const struct ast *a)
{
	const struct ast *hit;

	for (; a; a = a->l) {
		if ((hit = positional_arg(a->r)))
			return hit;
		if (a->kind == AST_CMP && a->arg && isdigit((unsigned char)a->arg[0]) &&
		    (is_field(a, "evt.arg") || is_field(a, "evt.rawarg")))
			return a;
	}
	return NULL;
}

/*
 * Shrike evaluates a rule with no evt.dir test at the syscall's exit only;
 * Falco runs it on the entry event too. Fields mean the same at both ends
 * in Shrike except evt.arg[N] by position, which counts the parameters of
 * the event at hand: socket's entry arg 0 is the domain, its exit arg 0
 * the new fd. Such a rule may fire in Falco at the entry and never in
 * Shrike, so it is told (README, Known differences).
 */
static void warn_arg_position(const struct rule_def *r, const struct rule_plan *p, int dir,
			      struct diag_list *dl)
{
	struct diag_item item = { "rule", r->name, r->loc };
	const struct ast *a;

	if (dir != (DIR_ENTER | DIR_EXIT) || p->never || !(a = positional_arg(p->folded)))
		return;
	diag_add(dl, DIAG_W_ARG_POSITION, &a->loc, &item,
		 "%s[%s] counts the parameters of the event it is read on: this rule has no "
		 "evt.dir test, so Falco also runs it on the syscall's entry event, where the "
		 "count differs, and Shrike runs it at the exit only; name the argument "
		 "(%s.NAME) or add evt.dir = > or <",
		 a->field, a->arg, a->field);
}

/*
 * Without -A, the types Falco skips leave the rule's set: Falco never
 * evaluates a rule on them, whatever the rule names. A rule that names some
 * of them is told so (W-SKIPPED-EVTTYPE), since it misses those events in
 * Falco too; the set of one that names none (evt.type != open, no evt.type
 * test at all) is narrowed without a word.
 */
static void skip_falco_evtypes(const struct rule_def *r, struct rule_plan *p, struct diag_list *dl)
{
	struct diag_item item = { "rule", r->name, r->loc };
	uint64_t skip[SHRIKE_EVT_BITMAP_WORDS], named[SHRIKE_EVT_BITMAP_WORDS] = { 0 };
	size_t i;
	char *names;

	falco_skipped_set(skip);
	for (i = 0; i < SHRIKE_EVT_BITMAP_WORDS; i++) {
		p->skipped[i] = p->evtypes[i] & skip[i];
		p->evtypes[i] &= ~skip[i];
	}
	if (bits_empty(p->skipped))
		return;
	p->all_events = false;
	named_evtypes(p->folded, named);
	for (i = 0; i < SHRIKE_EVT_BITMAP_WORDS; i++)
		named[i] &= p->skipped[i];
	if (bits_empty(named))
		return;
	names = evtype_list(named);
	diag_add(dl, DIAG_W_SKIPPED_EVTTYPE, &r->loc, &item,
		 "rule names event types Falco skips unless run with -A (%s): %s",
		 names ? names : "?",
		 bits_empty(p->evtypes) ? "it never runs" : "it never runs on them");
	free(names);
}

int plan_rule_opts(const struct rule_def *r, const struct compile_opts *o, struct rule_plan *p,
		   struct diag_list *dl)
{
	struct evset s;
	struct diag_item item = { "rule", r->name, r->loc };
	size_t i, n = 0;

	memset(p, 0, sizeof(*p));
	p->folded = r->cond ? opt_fold(ast_clone(r->cond)) : NULL;
	if (!p->folded)
		return -1;
	p->never = p->folded->kind == AST_CONST && p->folded->truth == SHRIKE_V_FALSE;

	if (r->source != SHRIKE_SRC_SYSCALL) {
		/* k8s_audit: every field is the agent's, and the event-type
		 * set has no meaning: the program is the condition as written. */
		p->prog = ast_clone(p->folded);
		if (!p->prog) {
			plan_free(p);
			return -1;
		}
		classify(p->prog, p);
		p->stage = STAGE_AGENT;
		return 0;
	}
	resolve(p->folded, false, &s);
	memcpy(p->evtypes, s.w, sizeof(p->evtypes));
	for (i = 0; i < evtypes_count(); i++)
		n += (s.w[i / 64] >> (i % 64)) & 1;
	p->all_events = n == evtypes_count();
	p->entry = s.dir == DIR_ENTER;
	if (p->all_events && r->warn_evttypes && !p->never)
		diag_add(dl, DIAG_W_NO_EVTTYPE, &r->loc, &item,
			 "rule matches too many evt.type values: it runs on every event, "
			 "which has a significant performance penalty");
	if (!p->never && !(o && o->all_events))
		skip_falco_evtypes(r, p, dl);
	warn_arg_position(r, p, s.dir, dl);
	if (!p->never && bits_empty(p->evtypes) && !bits_empty(p->skipped)) {
		/* Named only types Falco skips: it runs on no event. */
		p->never = p->never_skipped = true;
		p->entry = false;
	}
	if (o && o->no_opt) {
		p->prog = ast_clone(p->folded);
	} else if (p->never_skipped) {
		p->prog = ast_new(AST_CONST, p->folded->loc);
		if (p->prog)
			p->prog->truth = SHRIKE_V_FALSE;
	} else
		p->prog = opt_for_bucket(p->folded, p->evtypes, p->entry, SHRIKE_MAX_STACK,
					 &p->bucket_folded, &p->ordered);
	if (!p->prog) {
		plan_free(p);
		return -1;
	}
	/* False on every event of its types and direction: then it runs on
	 * none, as a rule that folds to false as written. */
	if (!p->never && p->prog->kind == AST_CONST && p->prog->truth == SHRIKE_V_FALSE) {
		p->never = p->never_in_bucket = true;
		memset(p->evtypes, 0, sizeof(p->evtypes));
		p->all_events = p->entry = false;
	}
	classify(p->prog, p);
	if (p->nagent_fields > 1 && agent_fields_in_order(p) < 0) {
		plan_free(p);
		return -1;
	}
	if (!p->nagent_fields)
		p->stage = STAGE_KERNEL;
	else if (p->nkernel_tests)
		p->stage = STAGE_KERNEL_AGENT;
	else
		p->stage = STAGE_AGENT;
	return 0;
}

int plan_rule(const struct rule_def *r, struct rule_plan *p, struct diag_list *dl)
{
	return plan_rule_opts(r, NULL, p, dl);
}

void plan_free(struct rule_plan *p)
{
	size_t i;

	for (i = 0; i < p->nagent_fields; i++)
		free(p->agent_fields[i]);
	free(p->agent_fields);
	ast_free(p->folded);
	ast_free(p->prog);
	memset(p, 0, sizeof(*p));
}

const char *stage_name(int stage)
{
	switch (stage) {
	case STAGE_KERNEL: return "kernel only";
	case STAGE_KERNEL_AGENT: return "kernel prefilter + agent stage";
	default: return "agent only";
	}
}

char *plan_reason(const struct rule_def *r, const struct rule_plan *p)
{
	char *s = NULL, *list = NULL;
	size_t len = 0, i;
	FILE *f;

	f = open_memstream(&list, &len);
	if (!f)
		return NULL;
	for (i = 0; i < p->nagent_fields; i++)
		fprintf(f, "%s%s", i ? ", " : "", p->agent_fields[i]);
	fclose(f);
	if (r->source == SHRIKE_SRC_K8S_AUDIT)
		s = strdup("k8s_audit events come from the audit webhook, not from syscalls");
	else if (p->never_skipped) {
		char *names = evtype_list(p->skipped);

		if (asprintf(&s, "Falco skips every event type of the rule unless run with -A: %s",
			     names ? names : "?") < 0)
			s = NULL;
		free(names);
	} else if (p->never_in_bucket)
		s = strdup(
			"the condition is false on every event of its event types and direction");
	else if (p->never)
		s = strdup("the condition is always false (placeholder macros or empty lists)");
	else if (p->stage == STAGE_KERNEL)
		s = strdup("every field in the condition is computed in the kernel");
	else if (p->stage == STAGE_KERNEL_AGENT) {
		if (asprintf(&s, "%zu comparison%s decided in the kernel; userspace-only: %s",
			     p->nkernel_tests, p->nkernel_tests == 1 ? "" : "s", list) < 0)
			s = NULL;
	} else if (asprintf(&s, "only the event type is known in the kernel; userspace-only: %s",
			    list) < 0)
		s = NULL;
	free(list);
	return s;
}

/* ---- emission ---------------------------------------------------------- */

struct emitter {
	struct tablebuf *tb;
	struct diag_list *dl;
	const struct diag_item *item;
	int errors;
};

static void emit_error(struct emitter *e, const struct src_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void emit_error(struct emitter *e, const struct src_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(e->dl, DIAG_E_OPERAND, loc, e->item, fmt, ap);
	va_end(ap);
	e->errors++;
}

/* "0x..." or "-0x...": what a C programmer may take for a number. */
static bool is_hex(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	return s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

/*
 * Decimal only, as libsinsp reads a number value or a field's index
 * (sinsp_numparser: sscanf "%" PRIu64 "%c" must convert exactly one
 * item, in libs 319368f as Falco 0.31.0 uses it and still in libs 0.25): a
 * leading zero is not octal ("010" is ten), and "0x10" is refused ("0x10 is
 * not a valid number"; libs' newer condition parser, Falco 0.32 on, lexes
 * 0x10 as a number token, but the value is still read by the same sscanf).
 */
static bool parse_int(const char *s, bool sgn, uint64_t *out)
{
	const int base = 10;
	char *end;

	errno = 0;
	if (!*s || isspace((unsigned char)*s))
		return false;
	/* strtoll for every signed value, so that one past INT64_MAX is
	 * out of range rather than wrapped negative. */
	if (sgn)
		*out = (uint64_t)strtoll(s, &end, base);
	else if (*s == '-')
		return false;
	else
		*out = strtoull(s, &end, base);
	return !errno && !*end;
}

static bool parse_cidr(const char *s, struct tb_cidr *c)
{
	char buf[64], *slash;
	long prefix = -1;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash) {
		char *end;

		*slash = 0;
		prefix = strtol(slash + 1, &end, 10);
		if (*end || end == slash + 1 || prefix < 0)
			return false;
	}
	memset(c, 0, sizeof(*c));
	if (inet_pton(AF_INET, buf, c->addr) == 1)
		c->family = 4;
	else if (inet_pton(AF_INET6, buf, c->addr) == 1)
		c->family = 6;
	else
		return false;
	if (prefix < 0)
		prefix = c->family == 4 ? 32 : 128;
	if (prefix > (c->family == 4 ? 32 : 128))
		return false;
	c->prefix = (uint8_t)prefix;
	return true;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* bcontains/bstartswith take hex bytes ("0x" optional in newer Falco). */
static long bytes_operand(struct emitter *e, const struct ast_value *v)
{
	const char *s = v->str;
	size_t n = v->len, i;
	char *buf;
	long ret;

	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2, n -= 2;
	if (n % 2)
		goto bad;
	buf = malloc(n / 2 + 1);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < n; i += 2) {
		int hi = hexval((unsigned char)s[i]), lo = hexval((unsigned char)s[i + 1]);

		if (hi < 0 || lo < 0) {
			free(buf);
			goto bad;
		}
		buf[i / 2] = (char)(hi << 4 | lo);
	}
	ret = tb_string(e->tb, buf, n / 2);
	free(buf);
	return ret;
bad:
	emit_error(e, &v->loc, "'%s' is not a hex byte string", v->str);
	return -EINVAL;
}

static bool op_is_order(int op)
{
	return op == SHRIKE_CMP_LT || op == SHRIKE_CMP_LE || op == SHRIKE_CMP_GT ||
	       op == SHRIKE_CMP_GE;
}

static bool op_is_set(int op)
{
	return op == SHRIKE_CMP_IN || op == SHRIKE_CMP_INTERSECTS || op == SHRIKE_CMP_PMATCH;
}

/* Which operators apply to which field types, as libsinsp allows them. */
static bool op_fits(int op, int type)
{
	switch (type) {
	case SHRIKE_T_U64:
	case SHRIKE_T_S64:
		return op == SHRIKE_CMP_EQ || op == SHRIKE_CMP_NE || op_is_order(op) ||
		       op == SHRIKE_CMP_IN || op == SHRIKE_CMP_EXISTS;
	case SHRIKE_T_BOOL:
		return op == SHRIKE_CMP_EQ || op == SHRIKE_CMP_NE || op == SHRIKE_CMP_IN ||
		       op == SHRIKE_CMP_EXISTS;
	case SHRIKE_T_IPADDR:
	case SHRIKE_T_IPNET:
		return op == SHRIKE_CMP_EQ || op == SHRIKE_CMP_NE || op == SHRIKE_CMP_IN ||
		       op == SHRIKE_CMP_EXISTS;
	default: return !op_is_order(op);
	}
}

static long num_operand(struct emitter *e, const struct ast_value *v, int type, uint64_t *out)
{
	if (type == SHRIKE_T_BOOL) {
		if (!strcasecmp(v->str, "true"))
			*out = 1;
		else if (!strcasecmp(v->str, "false"))
			*out = 0;
		else if (!parse_int(v->str, false, out) || *out > 1)
			goto bad;
		return 0;
	}
	if (parse_int(v->str, type == SHRIKE_T_S64, out))
		return 0;
bad:
	emit_error(e, &v->loc, "'%s' is not a valid %s%s", v->str,
		   type == SHRIKE_T_BOOL ? "boolean (true or false)" : "number",
		   is_hex(v->str) ? " (Falco reads numbers in decimal only)" : "");
	return -EINVAL;
}

/*
 * A glob pattern, with each '[' that never closes (fnmatch takes it as a
 * literal '[') written as the class "[[]", which means the same: the table
 * verifier refuses unclosed brackets, whose parsing would cost the whole
 * pattern at each character of the value (kmod/common/eval.c).
 */
static long glob_operand(struct emitter *e, const struct ast_value *v)
{
	size_t n = v->len, at = 0, k;
	char *p = malloc(3 * n + 1);
	long ret;

	if (!p)
		return -ENOMEM;
	memcpy(p, v->str, n);
	while (at < n) {
		k = at + shrike_glob_unclosed(p + at, (u32)(n - at));
		if (k >= n)
			break;
		memmove(p + k + 3, p + k + 1, n - k - 1);
		memcpy(p + k, "[[]", 3);
		n += 2;
		at = k + 3;
	}
	if (n > SHRIKE_MAX_STRING_LEN) {
		emit_error(
			e, &v->loc,
			"glob pattern of %zu bytes (its unclosed '[' written as \"[[]\") over %u",
			n, SHRIKE_MAX_STRING_LEN);
		free(p);
		return -E2BIG;
	}
	ret = tb_string(e->tb, p, n);
	free(p);
	return ret;
}

/*
 * A regex as the agent will run it (lib/match.c: glibc regcomp,
 * REG_EXTENDED, anchored at both ends). libsinsp (libs 0.18 on, Falco 0.39
 * on; Falco 0.31 has no regex operator) compiles it with RE2 in its POSIX
 * mode and refuses a bad pattern at load ("invalid regex pattern"); so
 * does Shrike, instead of a rule that never matches. A backslash before a
 * letter or digit is refused too: RE2's POSIX mode refuses \d \w \s \b
 * and back-references and reads \n \t \x41 as characters, where glibc
 * reads \d as "d" and takes \w \s \b \1 as GNU extensions.
 */
static long regex_operand(struct emitter *e, const struct ast_value *v)
{
	char *anchored, msg[128];
	regex_t re;
	int rc;

	for (size_t i = 0; i + 1 < v->len; i++) {
		if (v->str[i] != '\\')
			continue;
		if (isalnum((unsigned char)v->str[i + 1])) {
			emit_error(
				e, &v->loc,
				"regex escape '\\%c' in '%s': Falco's RE2 (POSIX syntax) "
				"and Shrike's POSIX regex read it differently; write the characters or a "
				"bracket expression ([0-9], [[:space:]])",
				v->str[i + 1], v->str);
			return -EINVAL;
		}
		i++;
	}
	if (asprintf(&anchored, "^(%s)$", v->str) < 0)
		return -ENOMEM;
	rc = regcomp(&re, anchored, REG_EXTENDED | REG_NOSUB);
	free(anchored);
	if (rc) {
		regerror(rc, &re, msg, sizeof(msg));
		emit_error(e, &v->loc, "'%s' is not a valid regex: %s", v->str, msg);
		return -EINVAL;
	}
	regfree(&re);
	return tb_string(e->tb, v->str, v->len);
}

static long operand(struct emitter *e, const struct ast *a, const struct field_info *fi)
{
	size_t i;
	long ret;

	if (a->op == SHRIKE_CMP_EXISTS)
		return 0;
	if (!a->nvalues) {
		emit_error(e, &a->loc, "operator '%s' needs a value", ast_op_str(a->op));
		return -EINVAL;
	}
	if (fi->type == SHRIKE_T_IPADDR || fi->type == SHRIKE_T_IPNET) {
		struct tb_cidr *c = calloc(a->nvalues, sizeof(*c));

		if (!c)
			return -ENOMEM;
		for (i = 0; i < a->nvalues; i++)
			if (!parse_cidr(a->values[i].str, &c[i])) {
				emit_error(e, &a->values[i].loc,
					   "'%s' is not an IP address or network",
					   a->values[i].str);
				free(c);
				return -EINVAL;
			}
		ret = tb_cidr_set(e->tb, c, a->nvalues);
		free(c);
		return ret;
	}
	if (op_is_set(a->op)) {
		struct tb_bytes *items = calloc(a->nvalues, sizeof(*items));
		char(*nums)[24] = NULL;

		if (!items)
			return -ENOMEM;
		if (fi->type == SHRIKE_T_U64 || fi->type == SHRIKE_T_S64 ||
		    fi->type == SHRIKE_T_BOOL) {
			/* Numbers go in as canonical decimal, as the evaluator
			 * prints the value it looks up. */
			nums = calloc(a->nvalues, sizeof(*nums));
			if (!nums) {
				free(items);
				return -ENOMEM;
			}
		}
		for (i = 0; i < a->nvalues; i++) {
			if (nums) {
				uint64_t u;

				if (num_operand(e, &a->values[i], fi->type, &u) < 0) {
					free(items);
					free(nums);
					return -EINVAL;
				}
				if (fi->type == SHRIKE_T_S64)
					snprintf(nums[i], sizeof(nums[i]), "%" PRId64, (int64_t)u);
				else
					snprintf(nums[i], sizeof(nums[i]), "%" PRIu64, u);
				items[i].ptr = nums[i];
				items[i].len = strlen(nums[i]);
			} else {
				items[i].ptr = a->values[i].str;
				items[i].len = a->values[i].len;
			}
		}
		ret = tb_set(e->tb, items, a->nvalues);
		free(items);
		free(nums);
		return ret;
	}
	if (a->nvalues != 1) {
		emit_error(e, &a->loc, "operator '%s' takes one value, not a list",
			   ast_op_str(a->op));
		return -EINVAL;
	}
	if (fi->type == SHRIKE_T_U64 || fi->type == SHRIKE_T_S64 || fi->type == SHRIKE_T_BOOL) {
		uint64_t u;

		if (num_operand(e, &a->values[0], fi->type, &u) < 0)
			return -EINVAL;
		return tb_int(e->tb, u);
	}
	if (a->op == SHRIKE_CMP_BCONTAINS || a->op == SHRIKE_CMP_BSTARTSWITH)
		return bytes_operand(e, &a->values[0]);
	if (a->op == SHRIKE_CMP_GLOB || a->op == SHRIKE_CMP_IGLOB)
		return glob_operand(e, &a->values[0]);
	if (a->op == SHRIKE_CMP_REGEX)
		return regex_operand(e, &a->values[0]);
	return tb_string(e->tb, a->values[0].str, a->values[0].len);
}

/*
 * No value may vanish silently. An evt.type value that names no event type
 * would only leave the rule's event-type set (resolve()), and an evt.dir
 * value other than > and < would make the rule run on no event: a typo
 * would quietly disable a rule, or part of one. Both are errors at the
 * value.
 */
static void check_event_values(struct emitter *e, const struct ast *a)
{
	size_t i;

	if (is_field(a, "evt.type.is") && a->arg && evtype_lookup(a->arg, strlen(a->arg)) < 0)
		emit_error(e, &a->field_loc, "'%s' is not an event type", a->arg);
	if (a->arg || (a->op != SHRIKE_CMP_EQ && a->op != SHRIKE_CMP_NE && a->op != SHRIKE_CMP_IN))
		return;
	for (i = 0; i < a->nvalues; i++) {
		const struct ast_value *v = &a->values[i];

		if (is_field(a, "evt.type") && evtype_lookup(v->str, v->len) < 0)
			emit_error(e, &v->loc, "'%s' is not an event type", v->str);
		else if (is_field(a, "evt.dir") && strcmp(v->str, ">") && strcmp(v->str, "<"))
			emit_error(e, &v->loc, "'%s' is not an event direction ('>' or '<')",
				   v->str);
	}
}

/* The instruction arg for a field argument: a level for [N] fields, a
 * string for named and keyed ones. */
static long field_arg_operand(struct emitter *e, const struct field_info *fi, const char *arg,
			      const struct src_loc *loc)
{
	uint64_t n;

	if (!arg)
		return SHRIKE_ARG_NONE;
	if (fi->argkind == SHRIKE_ARGK_INDEX) {
		if (!parse_int(arg, false, &n) || n >= SHRIKE_ARG_NONE) {
			emit_error(e, loc, "'%s' is not a valid index for %s", arg, fi->name);
			return -EINVAL;
		}
		return (long)n;
	}
	return tb_cstring(e->tb, arg);
}

static void emit(struct emitter *e, const struct ast *a)
{
	const struct field_info *fi;
	long j, arg, op;

	switch (a->kind) {
	case AST_CONST: tb_insn(e->tb, SHRIKE_OP_PUSH, 0, 0, 0, (uint16_t)a->truth); return;
	case AST_NOT:
		emit(e, a->l);
		tb_insn(e->tb, SHRIKE_OP_NOT, 0, 0, 0, 0);
		return;
	case AST_AND:
	case AST_OR:
		/* The right side is skipped when the left already decides. */
		emit(e, a->l);
		j = tb_insn(e->tb, a->kind == AST_AND ? SHRIKE_OP_JF : SHRIKE_OP_JT, 0, 0, 0, 0);
		emit(e, a->r);
		tb_insn(e->tb, a->kind == AST_AND ? SHRIKE_OP_AND : SHRIKE_OP_OR, 0, 0, 0, 0);
		if (j >= 0)
			tb_patch_jump(e->tb, j, tb_ninsns(e->tb));
		return;
	case AST_CMP: break;
	default: emit_error(e, &a->loc, "internal: unexpanded node in condition"); return;
	}
	fi = field_lookup(a->field, strlen(a->field));
	if (!fi) {
		emit_error(e, &a->field_loc, "unknown field '%s'", a->field);
		return;
	}
	if (!op_fits(a->op, fi->type)) {
		emit_error(e, &a->loc, "operator '%s' does not apply to %s field %s",
			   ast_op_str(a->op), field_type_name(fi->type), fi->name);
		return;
	}
	check_event_values(e, a);
	arg = field_arg_operand(e, fi, a->arg, &a->field_loc);
	op = operand(e, a, fi);
	if (arg < 0 || op < 0)
		return;
	if (op > 0xffff) {
		emit_error(e, &a->loc, "table too large: operand pool over 65535 entries");
		return;
	}
	tb_insn(e->tb, SHRIKE_OP_TEST, (uint8_t)a->op, fi->id, (uint16_t)arg, (uint16_t)op);
}

/* ---- captures ----------------------------------------------------------- */

struct captures {
	struct tb_capture v[SHRIKE_MAX_CAPTURES];
	size_t n;
	bool overflow;
};

static void capture_add(struct captures *c, uint16_t field, uint16_t arg)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->v[i].field == field && c->v[i].arg == arg)
			return;
	if (c->n == SHRIKE_MAX_CAPTURES) {
		c->overflow = true;
		return;
	}
	c->v[c->n].field = field;
	c->v[c->n].arg = arg;
	c->n++;
}

/* What the kernel must send so the agent can compute an agent-only field. */
static void capture_deps(struct captures *c, const struct field_info *fi)
{
	static const struct {
		const char *prefix;
		uint16_t dep;
	} deps[] = {
		/* Names come from the container's own passwd/group when the
		 * process is in one: the agent reads /proc/PID/root. */
		{ "user.", SHRIKE_F_USER_UID },		 { "user.", SHRIKE_F_PROC_PID },
		{ "user.", SHRIKE_F_CONTAINER_ID },	 { "group.", SHRIKE_F_GROUP_GID },
		{ "group.", SHRIKE_F_PROC_PID },	 { "group.", SHRIKE_F_CONTAINER_ID },
		{ "container.", SHRIKE_F_CONTAINER_ID }, { "k8s.", SHRIKE_F_CONTAINER_ID },
		{ "fd.sip.name", SHRIKE_F_FD_SIP },	 { "fd.cip.name", SHRIKE_F_FD_CIP },
		{ "fd.lip.name", SHRIKE_F_FD_LIP },	 { "fd.rip.name", SHRIKE_F_FD_RIP },
		{ "evt.time", SHRIKE_F_EVT_RAWTIME },	 { "evt.datetime", SHRIKE_F_EVT_RAWTIME },
	};
	size_t i;

	for (i = 0; i < sizeof(deps) / sizeof(deps[0]); i++)
		if (!strncmp(fi->name, deps[i].prefix, strlen(deps[i].prefix)))
			capture_add(c, deps[i].dep, SHRIKE_ARG_NONE);
}

static void capture_field(struct emitter *e, struct captures *c, const struct field_info *fi,
			  const char *arg, const struct src_loc *loc)
{
	long a;

	if (fi->source != SHRIKE_SRC_SYSCALL)
		return;
	if (fi->where == SHRIKE_W_AGENT) {
		capture_deps(c, fi);
		return;
	}
	a = field_arg_operand(e, fi, arg, loc);
	if (a >= 0)
		capture_add(c, fi->id, (uint16_t)a);
	/* proc.vmsize and kin: UNKNOWN in the kernel, read by the agent from
	 * /proc/PID (lib/procfs.c). */
	if (procfs_field(fi->id))
		capture_add(c, SHRIKE_F_PROC_PID, SHRIKE_ARG_NONE);
	/* evt.arg.uid and kin: the kernel has the number, the agent the name
	 * (enrich.c). */
	if (a >= 0 && fi->id == SHRIKE_F_EVT_ARG && arg && field_arg_id_kind(arg, strlen(arg)) >= 0)
		capture_add(c, SHRIKE_F_EVT_RAWARG, (uint16_t)a);
}

static void capture_cond(struct emitter *e, struct captures *c, const struct ast *a)
{
	const struct field_info *fi;

	if (!a)
		return;
	if (a->kind != AST_CMP) {
		capture_cond(e, c, a->l);
		capture_cond(e, c, a->r);
		return;
	}
	fi = field_lookup(a->field, strlen(a->field));
	if (fi)
		capture_field(e, c, fi, a->arg, &a->field_loc);
}

static bool tokchar(int ch)
{
	return isalnum(ch) || ch == '.' || ch == '_';
}

/* Where byte off of the rule's output is in its file (the rule's own
 * position when that is not known). */
static struct src_loc output_loc(const struct rule_def *r, size_t off)
{
	struct src_loc l = ruleset_output_loc(r, off);

	return l.file ? l : r->loc;
}

/* The %field tokens of a Falco output format. */
static void capture_output(struct emitter *e, struct captures *c, const struct rule_def *r)
{
	const char *p = r->output, *q;

	if (!p)
		return;
	while ((p = strchr(p, '%'))) {
		const struct field_info *fi;
		size_t namelen, arglen;
		const char *arg, *why;
		char *argz;
		/* Errors point at the %field token itself. */
		struct src_loc at = output_loc(r, (size_t)(p - r->output));

		p++;
		q = p;
		while (tokchar((unsigned char)*q))
			q++;
		if (*q == '[') {
			const char *close = strchr(q, ']');

			if (close)
				q = close + 1;
		}
		while (q > p && q[-1] == '.')
			q--;
		if (q == p)
			continue;
		fi = field_lookup_split(p, (size_t)(q - p), &namelen);
		if (!fi) {
			diag_add(e->dl, DIAG_E_UNKNOWN_FIELD, &at, e->item,
				 "output uses unknown field '%.*s'", (int)(q - p), p);
			e->errors++;
			p = q;
			continue;
		}
		/* As in conditions: a table whose capture lacks a required
		 * argument, or has one where none is taken, fails to verify. */
		why = field_arg_error(fi, p, namelen, (size_t)(q - p));
		if (why) {
			diag_add(e->dl, DIAG_E_FIELD_ARG, &at, e->item, "output field '%.*s': %s",
				 (int)(q - p), p, why);
			e->errors++;
			p = q;
			continue;
		}
		arg = field_arg(p, namelen, (size_t)(q - p), &arglen);
		argz = arg ? strndup(arg, arglen) : NULL;
		capture_field(e, c, fi, argz, &at);
		free(argz);
		p = q;
	}
}

/*
 * Jump threading over the program in [start, end): a JF lands where the
 * FALSE it leaves on the stack goes next. Landing on another JF, it goes on
 * to that one's target; landing on a JT, it goes past it (FALSE does not
 * jump); JT alike. The value on the stack is the same all the way, so the
 * result is; but a FALSE that decides a long "and" chain now leaves it in
 * one jump instead of one jump per remaining operand. From the end, so that
 * every later jump is already threaded.
 */
static void thread_jumps(struct tablebuf *tb, long start, long end)
{
	uint8_t op, top;
	uint16_t off, toff;
	long i, t;

	for (i = end - 1; i >= start; i--) {
		if (tb_insn_get(tb, i, &op, &off) || (op != SHRIKE_OP_JF && op != SHRIKE_OP_JT))
			continue;
		t = i + 1 + off;
		while (t < end && !tb_insn_get(tb, t, &top, &toff)) {
			if (top == op)
				t = t + 1 + toff;
			else if (top == SHRIKE_OP_JF || top == SHRIKE_OP_JT)
				t = t + 1;
			else
				break;
		}
		if (t != i + 1 + off)
			tb_patch_jump(tb, i, t);
	}
}

/*
 * Emits a (the condition as written) into a scratch table, with its
 * diagnostics set aside: the length of its program with the RET, or -1 if
 * it has an error (or memory ran out).
 */
static long dry_run(const struct ast *a, const struct diag_item *item)
{
	struct tablebuf *tb = tb_new();
	struct diag_list dl;
	struct emitter e = { tb, &dl, item, 0 };
	long n = -1;

	if (!tb)
		return -1;
	diag_list_init(&dl);
	emit(&e, a);
	tb_insn(tb, SHRIKE_OP_RET, 0, 0, 0, 0);
	if (!e.errors && !dl.nerrors)
		n = tb_ninsns(tb);
	diag_list_free(&dl);
	tb_free(tb);
	return n;
}

int compile_ruleset(const struct ruleset *rs, const struct compile_opts *o, void **out, size_t *len,
		    struct diag_list *dl)
{
	struct tablebuf *table = tb_new(), *aside = tb_new();
	struct shrike_table t;
	struct shrike_verr verr;
	size_t i;
	int ret = -1;

	*out = NULL;
	*len = 0;
	if (!table || !aside)
		goto out;
	tb_set_flags(table, o && o->match_all ? SHRIKE_TF_MATCH_ALL : 0);
	for (i = 0; i < rs->nrules; i++) {
		const struct rule_def *r = &rs->rules[i];
		struct diag_item item = { "rule", r->name, r->loc };
		/* A rule Falco would not load is still compiled, as Falco
		 * compiles it, so that its errors are the same; but into a
		 * table of its own that is thrown away. */
		struct tablebuf *tb = rule_in_table(r, o) ? table : aside;
		struct emitter e = { tb, dl, &item, 0 };
		struct captures caps = { .n = 0 };
		size_t noutput;
		struct rule_plan p;
		struct tb_rule tr;
		long start, plen;
		int rc;

		if (plan_rule_opts(r, o, &p, dl) < 0) {
			diag_add(dl, DIAG_E_LIMIT, &r->loc, &item, "out of memory");
			goto out;
		}
		/* The verifier would refuse these; say so at the rule, not as
		 * an internal error. */
		if (opt_stack_need(p.folded) > SHRIKE_MAX_STACK)
			diag_add(
				dl, DIAG_E_LIMIT, &r->loc, &item,
				"condition nests too deeply: it needs %zu stack entries, more than %d",
				opt_stack_need(p.folded), SHRIKE_MAX_STACK);
		if (strlen(r->name) > SHRIKE_NAME_MAX)
			diag_add(dl, DIAG_E_LIMIT, &r->loc, &item,
				 "rule name of %zu bytes, more than %d", strlen(r->name),
				 SHRIKE_NAME_MAX);
		/* Compiled for the bucket, a rule must be accepted or refused
		 * as written: the condition as written is emitted aside first,
		 * and its errors and length are what count. With an error the
		 * rule is planned and emitted as written, so that the
		 * diagnostics are exactly those of -O0. */
		plen = -1;
		if (r->source == SHRIKE_SRC_SYSCALL && !(o && o->no_opt)) {
			plen = dry_run(p.folded, &item);
			if (plen < 0) {
				struct compile_opts o0 = { 0 };
				struct diag_list quiet;

				if (o)
					o0 = *o;
				o0.no_opt = true;
				plan_free(&p);
				diag_list_init(&quiet);
				rc = plan_rule_opts(r, &o0, &p, &quiet);
				diag_list_free(&quiet);
				if (rc < 0) {
					diag_add(dl, DIAG_E_LIMIT, &r->loc, &item, "out of memory");
					goto out;
				}
			}
		}
		start = tb_ninsns(tb);
		emit(&e, p.prog);
		tb_insn(tb, SHRIKE_OP_RET, 0, 0, 0, 0);
		if (plen < 0)
			plen = tb_ninsns(tb) - start;
		else
			thread_jumps(tb, start, tb_ninsns(tb));
		/*
		 * The output's fields, then the condition's: the kernel sends
		 * the latter only with a rule it could not decide (a field
		 * it cannot compute, its work budget spent), so the agent
		 * can decide it.
		 */
		capture_output(&e, &caps, r);
		noutput = caps.n;
		capture_cond(&e, &caps, p.prog);
		if (caps.overflow)
			diag_add(dl, DIAG_E_LIMIT, &r->loc, &item,
				 "rule needs more than %d captured fields", SHRIKE_MAX_CAPTURES);
		if (plen > SHRIKE_MAX_PROG_LEN)
			diag_add(dl, DIAG_E_LIMIT, &r->loc, &item,
				 "condition compiles to %ld instructions, more than %d", plen,
				 SHRIKE_MAX_PROG_LEN);
		memset(&tr, 0, sizeof(tr));
		tr.name = r->name;
		tr.desc = r->desc ? r->desc : "";
		tr.output = r->output ? r->output : "";
		tr.prog = (uint32_t)start;
		tr.prog_len = (uint32_t)(tb_ninsns(tb) - start);
		tr.source = (uint8_t)r->source;
		tr.priority = (uint8_t)r->priority;
		tr.flags = (r->enabled ? SHRIKE_RF_ENABLED : 0) |
			   (p.nagent_fields ? SHRIKE_RF_NEEDS_AGENT : 0) |
			   (p.all_events && r->source == SHRIKE_SRC_SYSCALL ? SHRIKE_RF_ALL_EVENTS
									    : 0) |
			   (p.entry ? SHRIKE_RF_ENTRY : 0);
		memcpy(tr.evtypes, p.evtypes, sizeof(tr.evtypes));
		tr.captures = caps.v;
		tr.ncaptures = caps.n;
		tr.ncond = caps.n - noutput;
		tr.tags = (const char *const *)r->tags;
		tr.ntags = r->ntags;
		if (r->ntags > SHRIKE_MAX_TAGS)
			diag_add(dl, DIAG_E_LIMIT, &r->loc, &item, "rule has more than %d tags",
				 SHRIKE_MAX_TAGS);
		tb_rule(tb, &tr);
		plan_free(&p);
	}
	if (dl->nerrors)
		goto out;
	if (tb_serialize(table, out, len) < 0) {
		diag_add(dl, DIAG_E_LIMIT, NULL, NULL, "the table exceeds a format limit");
		goto out;
	}
	/* The same verifier the kernel runs: a table we write, it accepts. */
	if (shrike_table_verify(*out, (uint32_t)*len, &t, &verr) < 0) {
		diag_add(dl, DIAG_E_LIMIT, NULL, NULL, "internal: the table fails verification: %s",
			 verr.msg);
		free(*out);
		*out = NULL;
		*len = 0;
		goto out;
	}
	ret = 0;
out:
	tb_free(table);
	tb_free(aside);
	return ret;
}
