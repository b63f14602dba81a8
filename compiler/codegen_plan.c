/* codegen_plan.c - plans each rule: constant folding, its event-type set and
 * direction as Falco computes them (and the types Falco skips without -A),
 * where it is evaluated (kernel, kernel + agent, agent) and why. */
#define _GNU_SOURCE
#include "codegen_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/fields.h"
#include "optimize.h"
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
