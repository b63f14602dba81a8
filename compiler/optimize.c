/* optimize.c - constant folding and compiling for the bucket (see optimize.h).
 *
 * The kernel runs a rule only on the event types of its event-type set and
 * only at the direction its SHRIKE_RF_ENTRY flag names (kmod/table.c buckets
 * the rules by event type, kmod/probe.c skips the other direction), and the
 * agent re-runs a rule only on candidates the kernel sent for it, and on
 * `shrikec test` events of its set and direction (compiler/cmd_test.c). So a
 * test of evt.type or evt.dir that every such event passes is TRUE there,
 * one that none passes FALSE, and the folding that follows is exact.
 *
 * The evaluator is Kleene three-valued logic, whose AND and OR are
 * commutative and associative, and short-circuits only on a deciding value
 * (JF on FALSE, JT on TRUE). Reordering the operands of an and/or chain
 * therefore gives the same TRUE/FALSE/UNKNOWN for every event; it changes
 * only which comparisons are evaluated. Cheap tests likely to decide go
 * first so that their jumps skip the expensive ones (see "The order of a
 * chain" below, and the cost classes before it), and comparisons that are
 * UNKNOWN in the kernel go last, since an UNKNOWN never short-circuits.
 *
 * k8s_audit rules are left as written: the agent evaluates them on audit
 * events, which have no event type, and every field is the agent's.
 */
#include "optimize.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/fields.h"
#include "../kmod/common/table.h"

static bool is_field(const struct ast *a, const char *name)
{
	return a->kind == AST_CMP && a->field && !strcmp(a->field, name);
}

static struct ast *mkconst(struct ast *a, int truth)
{
	struct ast *c = ast_new(AST_CONST, a->loc);

	if (!c)
		return a;
	c->truth = truth;
	ast_free(a);
	return c;
}

/*
 * Constant folding. Falco's files use placeholder macros that are always
 * false (evt.num=0) or true (evt.num>=0) for users to override, and lists
 * left empty for the same reason; folding them keeps those checks out of
 * the kernel. Folding FALSE/TRUE through and/or/not is exact in three-valued
 * logic (FALSE and UNKNOWN is FALSE, TRUE or UNKNOWN is TRUE).
 */
struct ast *opt_fold(struct ast *a)
{
	struct ast *keep;

	switch (a->kind) {
	case AST_NOT:
		a->l = opt_fold(a->l);
		if (a->l->kind == AST_CONST)
			return mkconst(a, a->l->truth == SHRIKE_V_TRUE ? SHRIKE_V_FALSE
								       : SHRIKE_V_TRUE);
		return a;
	case AST_AND:
	case AST_OR: {
		int absorb = a->kind == AST_AND ? SHRIKE_V_FALSE : SHRIKE_V_TRUE;

		a->l = opt_fold(a->l);
		a->r = opt_fold(a->r);
		if ((a->l->kind == AST_CONST && a->l->truth == absorb) ||
		    (a->r->kind == AST_CONST && a->r->truth == absorb))
			return mkconst(a, absorb);
		if (a->l->kind == AST_CONST || a->r->kind == AST_CONST) {
			keep = a->l->kind == AST_CONST ? a->r : a->l;
			if (keep == a->l)
				a->l = NULL;
			else
				a->r = NULL;
			ast_free(a);
			return keep;
		}
		return a;
	}
	case AST_CMP:
		if ((a->op == SHRIKE_CMP_IN || a->op == SHRIKE_CMP_INTERSECTS ||
		     a->op == SHRIKE_CMP_PMATCH) &&
		    a->nvalues == 0)
			return mkconst(a, SHRIKE_V_FALSE);
		/* evt.num counts events from 1. */
		if (is_field(a, "evt.num") && a->nvalues == 1 && !strcmp(a->values[0].str, "0")) {
			switch (a->op) {
			case SHRIKE_CMP_EQ:
			case SHRIKE_CMP_LT:
			case SHRIKE_CMP_LE: return mkconst(a, SHRIKE_V_FALSE);
			case SHRIKE_CMP_NE:
			case SHRIKE_CMP_GT:
			case SHRIKE_CMP_GE: return mkconst(a, SHRIKE_V_TRUE);
			}
		}
		return a;
	default: return a;
	}
}

size_t opt_stack_need(const struct ast *a)
{
	size_t l, r;

	switch (a->kind) {
	case AST_NOT: return opt_stack_need(a->l);
	case AST_AND:
	case AST_OR:
		l = opt_stack_need(a->l);
		r = opt_stack_need(a->r) + 1;
		return l > r ? l : r;
	default: return 1;
	}
}

/* ---- evt.type and evt.dir against the bucket ------------------------------- */

static unsigned char fold_ascii(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static bool find(const char *s, size_t n, const char *p, size_t m, bool ci)
{
	size_t i, k;

	if (m > n)
		return false;
	for (i = 0; i + m <= n; i++) {
		for (k = 0; k < m; k++)
			if (ci ? fold_ascii((unsigned char)s[i + k]) !=
					    fold_ascii((unsigned char)p[k])
			       : s[i + k] != p[k])
				break;
		if (k == m)
			return true;
	}
	return false;
}

/*
 * Whether comparison a holds for the string value s[0..n), exactly as
 * kmod/common/eval.c decides it for a string field: 1 or 0; -1 for an
 * operator not decided here (the comparison then stays in the program), and
 * for a comparison the code generator would refuse (an operator that takes
 * one value given another number of them): folding must not hide an error.
 */
static int cmp_holds(const struct ast *a, const char *s, size_t n)
{
	const struct ast_value *v = a->values;
	size_t i;

	switch (a->op) {
	case SHRIKE_CMP_EXISTS: return 1;
	case SHRIKE_CMP_IN:
	case SHRIKE_CMP_INTERSECTS:
		if (!a->nvalues)
			return -1;
		for (i = 0; i < a->nvalues; i++)
			if (v[i].len == n && !memcmp(v[i].str, s, n))
				return 1;
		return 0;
	case SHRIKE_CMP_EQ:
	case SHRIKE_CMP_NE:
	case SHRIKE_CMP_STARTSWITH:
	case SHRIKE_CMP_ENDSWITH:
	case SHRIKE_CMP_CONTAINS:
	case SHRIKE_CMP_ICONTAINS:
	case SHRIKE_CMP_GLOB:
	case SHRIKE_CMP_IGLOB: break;
	default: return -1;
	}
	if (a->nvalues != 1)
		return -1;
	switch (a->op) {
	case SHRIKE_CMP_EQ: return v->len == n && !memcmp(v->str, s, n);
	case SHRIKE_CMP_NE: return !(v->len == n && !memcmp(v->str, s, n));
	case SHRIKE_CMP_STARTSWITH: return n >= v->len && !memcmp(s, v->str, v->len);
	case SHRIKE_CMP_ENDSWITH: return n >= v->len && !memcmp(s + n - v->len, v->str, v->len);
	case SHRIKE_CMP_CONTAINS: return find(s, n, v->str, v->len, false);
	case SHRIKE_CMP_ICONTAINS: return find(s, n, v->str, v->len, true);
	default:
		if (v->len > SHRIKE_MAX_STRING_LEN)
			return -1;
		return shrike_glob_match(v->str, (u32)v->len, s, (u32)n,
					 a->op == SHRIKE_CMP_IGLOB) != 0;
	}
}

/* SHRIKE_V_TRUE or _FALSE when the rule's events decide comparison a; -1
 * when they do not, or a is not about evt.type or evt.dir. */
static int decided(const struct ast *a, const uint64_t *evtypes, bool entry)
{
	bool some_true = false, some_false = false;
	size_t i;
	int r;

	if (is_field(a, "evt.dir") && !a->arg) {
		r = cmp_holds(a, entry ? ">" : "<", 1);
		return r < 0 ? -1 : r ? SHRIKE_V_TRUE : SHRIKE_V_FALSE;
	}
	if (!is_field(a, "evt.type") || a->arg)
		return -1;
	for (i = 0; i < evtypes_count(); i++) {
		const char *name;

		if (!((evtypes[i / 64] >> (i % 64)) & 1))
			continue;
		name = evtype_name((int)i);
		r = cmp_holds(a, name, strlen(name));
		if (r < 0)
			return -1;
		if (r)
			some_true = true;
		else
			some_false = true;
		if (some_true && some_false)
			return -1;
	}
	if (some_true)
		return SHRIKE_V_TRUE;
	return some_false ? SHRIKE_V_FALSE : -1;
}

static struct ast *fold_bucket(struct ast *a, const uint64_t *evtypes, bool entry, bool *folded)
{
	int d;

	switch (a->kind) {
	case AST_AND:
	case AST_OR:
		a->r = fold_bucket(a->r, evtypes, entry, folded);
		/* fall through */
	case AST_NOT: a->l = fold_bucket(a->l, evtypes, entry, folded); return a;
	case AST_CMP:
		d = decided(a, evtypes, entry);
		if (d < 0)
			return a;
		*folded = true;
		return mkconst(a, d);
	default: return a;
	}
}

/* ---- cost ---------------------------------------------------------------------- */

/*
 * What a comparison costs in the kernel (kmod/extract.c), by field. The
 * classes follow what the extractor has to do for the value:
 *
 *   EVENT       read from the saved registers and the return value, or a
 *               constant of the event (evt.type, evt.dir, evt.rawres,
 *               evt.is_open_*, evt.rawarg.*, evt.arg.* of numbers and flags)
 *   TASK        a field of current or its creds (proc.name is comm, no copy
 *               from userspace; proc.tty takes the siglock)
 *   PATH        a string copied from user memory and normalised, or a d_path
 *               (fd.name and kin, fs.path.*, evt.abspath*, evt.arg.* of a path
 *               or string argument)
 *   FD          fget() and the file's or socket's fields (fd.type, fd.num of a
 *               passed fd, addresses and ports)
 *   EXE         argv copied from the process's memory, or the exe/cwd d_path
 *   CGROUP      the task's cgroup path walked and parsed (container.id)
 *   OTHER_TASK  other tasks: the parent chain walked (up to 32 levels) and the
 *               per-task table looked up (proc.aname, proc.pname, proc.apid,
 *               proc.acmdline, ...), session and group leaders by pid
 *   USERSPACE   UNKNOWN in the kernel, so it never decides an and/or there:
 *               agent-only fields (user.name, container.image, k8s.*), regex,
 *               uid/gid arguments rendered as names, and the kernel fields
 *               extract.c leaves UNKNOWN (its first comment lists them)
 *
 * The extractor caches what costs more than a load per event (ev->cache), so
 * a second field of the same kind is cheaper than this says; the order only
 * needs to be roughly right. Fields not listed are agent-only (USERSPACE)
 * or, for a kernel field added later, FD: somewhere in the middle
 * (test_optimize.c asserts every kernel field is listed).
 */
#define C(f, c) [SHRIKE_F_##f] = OPT_COST_##c + 1
static const unsigned char field_costs[__SHRIKE_F_MAX] = {
	C(EVT_TYPE, EVENT),
	C(EVT_DIR, EVENT),
	C(EVT_NUM, EVENT),
	C(EVT_RAWTIME, EVENT),
	C(EVT_RAWTIME_S, EVENT),
	C(EVT_RAWTIME_NS, EVENT),
	C(EVT_SOURCE, EVENT),
	C(EVT_CPU, EVENT),
	C(EVT_ARG, EVENT),
	C(EVT_RAWARG, EVENT),
	C(EVT_RES, EVENT),
	C(EVT_RAWRES, EVENT),
	C(EVT_FAILED, EVENT),
	C(EVT_IS_IO, EVENT),
	C(EVT_IS_IO_READ, EVENT),
	C(EVT_IS_IO_WRITE, EVENT),
	C(EVT_IS_OPEN_READ, EVENT),
	C(EVT_IS_OPEN_WRITE, EVENT),
	C(EVT_IS_OPEN_EXEC, EVENT),
	/* Whether the open created the file: FMODE_CREATED, a file lookup. */
	C(EVT_IS_OPEN_CREATE, FD),
	C(EVT_TYPE_IS, EVENT),
	C(SYSCALL_TYPE, EVENT),

	C(PROC_NAME, TASK),
	C(PROC_PID, TASK),
	C(PROC_VPID, TASK),
	C(PROC_PPID, TASK),
	C(PROC_PVPID, TASK),
	C(PROC_SID, TASK),
	C(PROC_VPGID, TASK),
	C(PROC_IS_SID_LEADER, TASK),
	C(PROC_IS_VPGID_LEADER, TASK),
	C(PROC_TTY, TASK),
	C(PROC_DURATION, TASK),
	C(THREAD_TID, TASK),
	C(THREAD_VTID, TASK),
	C(THREAD_ISMAIN, TASK),
	/* Rendered as CAP_* names, up to 41 of them (make profile: 10,700 cycles). */
	C(THREAD_CAP_PERMITTED, EXE),
	C(THREAD_CAP_INHERITABLE, EXE),
	C(THREAD_CAP_EFFECTIVE, EXE),
	C(USER_UID, TASK),
	C(USER_LOGINUID, TASK),
	C(GROUP_GID, TASK),

	C(FD_NAME, PATH),
	C(FD_NAMERAW, PATH),
	C(FD_DIRECTORY, PATH),
	C(FD_FILENAME, PATH),
	C(FS_PATH_NAME, PATH),
	C(FS_PATH_NAMERAW, PATH),
	C(FS_PATH_SOURCE, PATH),
	C(FS_PATH_SOURCERAW, PATH),
	C(FS_PATH_TARGET, PATH),
	C(FS_PATH_TARGETRAW, PATH),
	C(EVT_ABSPATH, PATH),
	C(EVT_ABSPATH_SRC, PATH),
	C(EVT_ABSPATH_DST, PATH),

	C(FD_NUM, FD),
	C(FD_TYPE, FD),
	C(FD_TYPECHAR, FD),
	C(FD_INO, FD),
	C(FD_DEV, FD),
	C(FD_DEV_MAJOR, FD),
	C(FD_DEV_MINOR, FD),
	C(FD_SOCKFAMILY, FD),
	C(FD_IS_SERVER, FD),
	C(FD_CONNECTED, FD),
	C(FD_L4PROTO, FD),
	C(FD_IP, FD),
	C(FD_CIP, FD),
	C(FD_SIP, FD),
	C(FD_LIP, FD),
	C(FD_RIP, FD),
	C(FD_PORT, FD),
	C(FD_CPORT, FD),
	C(FD_SPORT, FD),
	C(FD_LPORT, FD),
	C(FD_RPORT, FD),
	C(FD_NET, FD),
	C(FD_CNET, FD),
	C(FD_SNET, FD),
	C(FD_LNET, FD),
	C(FD_RNET, FD),

	C(PROC_EXE, EXE),
	C(PROC_EXEPATH, EXE),
	C(PROC_ARGS, EXE),
	C(PROC_CMDLINE, EXE),
	C(PROC_CMDNARGS, EXE),
	C(PROC_CMDLENARGS, EXE),
	C(PROC_EXELINE, EXE),
	C(PROC_CWD, EXE),
	C(PROC_EXE_INO, EXE),
	C(PROC_IS_EXE_UPPER_LAYER, EXE),
	C(PROC_IS_EXE_FROM_MEMFD, EXE),

	C(CONTAINER_ID, CGROUP),
	C(FD_CONTAINERNAME, CGROUP),
	C(FD_CONTAINERDIRECTORY, CGROUP),

	C(PROC_ANAME, OTHER_TASK),
	C(PROC_PNAME, OTHER_TASK),
	C(PROC_APID, OTHER_TASK),
	C(PROC_AEXE, OTHER_TASK),
	C(PROC_PEXE, OTHER_TASK),
	C(PROC_AEXEPATH, OTHER_TASK),
	C(PROC_PEXEPATH, OTHER_TASK),
	C(PROC_ACMDLINE, OTHER_TASK),
	C(PROC_PCMDLINE, OTHER_TASK),
	C(PROC_SNAME, OTHER_TASK),
	C(PROC_VPGID_NAME, OTHER_TASK),

	/* Kernel fields extract.c leaves UNKNOWN. */
	C(EVT_LATENCY, USERSPACE),
	C(EVT_CATEGORY, USERSPACE),
	C(EVT_ARGS, USERSPACE),
	C(EVT_INFO, USERSPACE),
	C(EVT_BUFFER, USERSPACE),
	C(EVT_BUFLEN, USERSPACE),
	C(EVT_IO_DIR, USERSPACE),
	C(EVT_IS_WAIT, USERSPACE),
	C(EVT_IS_SYSLOG, USERSPACE),
	C(PROC_ENV, USERSPACE),
	C(PROC_SID_EXE, USERSPACE),
	C(PROC_SID_EXEPATH, USERSPACE),
	C(PROC_VPGID_EXE, USERSPACE),
	C(PROC_VPGID_EXEPATH, USERSPACE),
	C(PROC_PPID_DURATION, USERSPACE),
	C(PROC_PID_TS, USERSPACE),
	C(PROC_PPID_TS, USERSPACE),
	C(PROC_IS_EXE_WRITABLE, USERSPACE),
	C(PROC_EXE_INO_CTIME, USERSPACE),
	C(PROC_EXE_INO_MTIME, USERSPACE),
	C(PROC_EXE_INO_CTIME_DURATION_PROC_START, USERSPACE),
	C(PROC_EXE_INO_CTIME_DURATION_PIDNS_START, USERSPACE),
	C(PROC_PIDNS_INIT_START_TS, USERSPACE),
	C(PROC_FDOPENCOUNT, USERSPACE),
	C(PROC_FDLIMIT, USERSPACE),
	C(PROC_VMSIZE, USERSPACE),
	C(PROC_VMRSS, USERSPACE),
	C(PROC_VMSWAP, USERSPACE),
	C(THREAD_PFMAJOR, USERSPACE),
	C(THREAD_PFMINOR, USERSPACE),
	C(THREAD_CGROUPS, USERSPACE),
	C(THREAD_CGROUP, USERSPACE),
	C(FD_UID, USERSPACE),
	C(FD_NAME_CHANGED, USERSPACE),
	C(CONTAINER_START_TS, USERSPACE),
	C(CONTAINER_DURATION, USERSPACE),
};
#undef C

int opt_field_cost(uint16_t field)
{
	return field < __SHRIKE_F_MAX && field_costs[field] ? field_costs[field] - 1 : -1;
}

/* Argument names of kind PATH, STR, SOCKADDR or ARGV in some syscall of
 * kmod/syscalls.c: evt.arg.NAME copies user memory (test_optimize.c checks
 * the list against that file). Sorted. */
static const char *const user_args[] = {
	"addr",	   "arg2_str", "args",	   "callout_info",  "cmdline", "description",
	"dev",	   "dir",      "filename", "from_pathname", "fs_name", "key",
	"library", "linkpath", "name",	   "new_root",	    "newpath", "oldpath",
	"path",	   "pathname", "put_old",  "special",	    "target",  "to_pathname",
	"type",	   "uargs",
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool opt_arg_reads_user(const char *name)
{
	return bsearch(&name, user_args, sizeof(user_args) / sizeof(user_args[0]),
		       sizeof(user_args[0]), cmp_str) != NULL;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

enum opt_cost opt_cost_class(const struct ast *a)
{
	const struct field_info *fi;
	int c;

	if (a->kind != AST_CMP)
		return OPT_COST_CONST;
	fi = a->field ? field_lookup(a->field, strlen(a->field)) : NULL;
	if (!fi || fi->where != SHRIKE_W_KERNEL || fi->source != SHRIKE_SRC_SYSCALL ||
	    a->op == SHRIKE_CMP_REGEX)
		return OPT_COST_USERSPACE;
	if (fi->id == SHRIKE_F_EVT_ARG && a->arg) {
		/* By position, and uid/gid rendered as names: UNKNOWN in the
		 * kernel (extract.c, codegen.c's arg_is_agent). */
		if (all_digits(a->arg) || field_arg_id_kind(a->arg, strlen(a->arg)) >= 0)
			return OPT_COST_USERSPACE;
		if (opt_arg_reads_user(a->arg))
			return OPT_COST_PATH;
		/* Rendered as names (O_*, CLONE_*, S_I*): a string built per
		 * event, and an open's flags at exit take a file lookup for
		 * O_F_CREATED (make profile: about an fd.name's cost). */
		if (!strcmp(a->arg, "flags") || !strcmp(a->arg, "mode"))
			return OPT_COST_FD;
	}
	if (fi->argkind == SHRIKE_ARGK_INDEX) {
		/* Level 0 is the process itself; proc.apid lists no pids. */
		if (a->arg && !strcmp(a->arg, "0"))
			return fi->id == SHRIKE_F_PROC_ANAME || fi->id == SHRIKE_F_PROC_APID
				       ? OPT_COST_TASK
				       : OPT_COST_EXE;
		if (!a->arg && fi->id == SHRIKE_F_PROC_APID)
			return OPT_COST_USERSPACE;
	}
	c = opt_field_cost(fi->id);
	return c < 0 ? OPT_COST_FD : (enum opt_cost)c;
}

const char *opt_cost_name(enum opt_cost c)
{
	static const char *const names[__OPT_COST_MAX] = {
		"constant", "event",  "task",	    "path",	 "fd",
		"exe",	    "cgroup", "other task", "userspace",
	};

	return c < __OPT_COST_MAX ? names[c] : "?";
}

/*
 * The order of a chain. What a chain costs is what its operands cost, each
 * weighted by the chance that it is evaluated at all: an "and" stops at the
 * first FALSE, an "or" at the first TRUE. For independent operands that is
 * least with the operands in ascending order of cost / P(it stops the chain)
 * (the classic ordering of tests in a conjunction). So:
 *
 *  - one comparison costs its class's weight below, which grows with the
 *    class: of two comparisons equally likely to stop a chain, the cheaper
 *    class goes first, in the order the classes are listed;
 *  - a comparison is assumed TRUE with a probability from its operator: one
 *    value picked out of many (=, in, startswith, glob, ...) rarely holds,
 *    != and exists nearly always do, a flag or an ordering half of the time.
 *    A negated exception list (not proc.name in (...)) nearly never stops an
 *    "and", so it goes after a selective test of the next class;
 *  - a comparison that is UNKNOWN in the kernel (class USERSPACE) never
 *    stops anything there: it goes last, whatever it costs;
 *  - a subtree costs its expected cost, with its own chains ordered, and
 *    holds with the probability its operands give (Kleene: not swaps TRUE
 *    and FALSE, UNKNOWN stays).
 *
 * These are estimates for ordering only; ties keep the written order.
 */
static const double class_cost[__OPT_COST_MAX] = {
	[OPT_COST_CONST] = 0,	[OPT_COST_EVENT] = 1,	     [OPT_COST_TASK] = 2,
	[OPT_COST_PATH] = 16,	[OPT_COST_FD] = 24,	     [OPT_COST_EXE] = 48,
	[OPT_COST_CGROUP] = 64, [OPT_COST_OTHER_TASK] = 128, [OPT_COST_USERSPACE] = 256,
};

struct est {
	double cost;   /* expected cost of evaluating it */
	double pt, pf; /* P(TRUE), P(FALSE); the rest is UNKNOWN */
};

static struct est estimate_cmp(const struct ast *a)
{
	enum opt_cost c = opt_cost_class(a);
	const struct field_info *fi = field_lookup(a->field, strlen(a->field));
	struct est e = { class_cost[c], 0, 0 };

	if (c == OPT_COST_USERSPACE)
		return e;
	switch (a->op) {
	case SHRIKE_CMP_NE:
	case SHRIKE_CMP_EXISTS: e.pt = 0.9; break;
	case SHRIKE_CMP_LT:
	case SHRIKE_CMP_LE:
	case SHRIKE_CMP_GT:
	case SHRIKE_CMP_GE: e.pt = 0.5; break;
	default: e.pt = fi && fi->type == SHRIKE_T_BOOL ? 0.5 : 0.1; break;
	}
	e.pf = 1 - e.pt;
	return e;
}

/* The chance that operand e stops a chain of kind k, over its cost. */
static double rank(const struct est *e, enum ast_kind k)
{
	double stop = k == AST_AND ? e->pf : e->pt;

	return stop > 0 ? e->cost / stop : INFINITY;
}

struct operand {
	struct ast *a;
	struct est e;
	double rank;
	size_t pos; /* position in the chain as written */
};

static int cmp_operand(const void *x, const void *y)
{
	const struct operand *a = x, *b = y;

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

struct vec {
	struct ast **v;
	size_t n, cap;
};

static int vec_push(struct vec *v, struct ast *a)
{
	if (v->n == v->cap) {
		size_t ncap = v->cap ? 2 * v->cap : 16;
		struct ast **nv = realloc(v->v, ncap * sizeof(*nv));

		if (!nv)
			return -1;
		v->v = nv;
		v->cap = ncap;
	}
	v->v[v->n++] = a;
	return 0;
}

/*
 * Orders the and/or chains of a in place; *e gets its estimate. The chain
 * at a (nested operands of the same kind, in any grouping) is flattened,
 * its operands ordered recursively and then stably by rank(), and it is
 * rebuilt left-deep from its own nodes. -1 on allocation failure (the tree
 * is then still whole and equivalent).
 */
static int order(struct ast *a, struct est *e, bool *changed)
{
	struct vec stack = { 0 }, inner = { 0 };
	struct operand *ops = NULL;
	size_t nops = 0, opscap = 0, i;
	double go = 1, p;
	int ret = -1;

	switch (a->kind) {
	case AST_CMP: *e = estimate_cmp(a); return 0;
	case AST_NOT:
		if (order(a->l, e, changed))
			return -1;
		p = e->pt;
		e->pt = e->pf;
		e->pf = p;
		return 0;
	case AST_AND:
	case AST_OR: break;
	default:
		e->cost = 0;
		e->pt = a->kind == AST_CONST && a->truth == SHRIKE_V_TRUE;
		e->pf = a->kind == AST_CONST && a->truth == SHRIKE_V_FALSE;
		return 0;
	}
	/* Operands left to right, and the chain's own nodes. */
	if (vec_push(&stack, a))
		goto out;
	while (stack.n) {
		struct ast *n = stack.v[--stack.n];

		if (n->kind == a->kind) {
			if (vec_push(&inner, n) || vec_push(&stack, n->r) || vec_push(&stack, n->l))
				goto out;
			continue;
		}
		if (nops == opscap) {
			struct operand *no;

			opscap = opscap ? 2 * opscap : 16;
			no = realloc(ops, opscap * sizeof(*no));
			if (!no)
				goto out;
			ops = no;
		}
		ops[nops].a = n;
		ops[nops].pos = nops;
		nops++;
	}
	for (i = 0; i < nops; i++) {
		if (order(ops[i].a, &ops[i].e, changed))
			goto out;
		ops[i].rank = rank(&ops[i].e, a->kind);
	}
	qsort(ops, nops, sizeof(*ops), cmp_operand);
	/* The chain's estimate, in its new order: an operand is evaluated
	 * while none before it stopped the chain. */
	e->cost = 0;
	e->pt = e->pf = 1;
	for (i = 0; i < nops; i++) {
		const struct est *o = &ops[i].e;

		if (ops[i].pos != i)
			*changed = true;
		e->cost += go * o->cost;
		if (a->kind == AST_AND) {
			go *= 1 - o->pf;
			e->pt *= o->pt;
			e->pf *= 1 - o->pf; /* P(no operand FALSE) so far */
		} else {
			go *= 1 - o->pt;
			e->pf *= o->pf;
			e->pt *= 1 - o->pt; /* P(no operand TRUE) so far */
		}
	}
	if (a->kind == AST_AND)
		e->pf = 1 - e->pf;
	else
		e->pt = 1 - e->pt;
	/* Rebuild left-deep: nops - 1 inner nodes, the first one at a (the
	 * caller holds a pointer to it) becomes the top. */
	{
		struct ast *prev = ops[0].a;

		for (i = 1; i < nops; i++) {
			struct ast *n = inner.v[nops - i - 1];

			n->l = prev;
			n->r = ops[i].a;
			prev = n;
		}
	}
	ret = 0;
out:
	free(stack.v);
	free(inner.v);
	free(ops);
	return ret;
}

struct ast *opt_for_bucket(const struct ast *a, const uint64_t *evtypes, bool entry,
			   unsigned max_stack, bool *folded, bool *ordered)
{
	struct ast *t = ast_clone(a), *keep;
	bool any = false, changed = false;
	struct est est;
	size_t i;

	*folded = *ordered = false;
	if (!t)
		return NULL;
	for (i = 0; i < SHRIKE_EVT_BITMAP_WORDS; i++)
		any |= evtypes[i] != 0;
	/* No event runs the rule: nothing decides the tests. */
	if (any)
		t = opt_fold(fold_bucket(t, evtypes, entry, folded));
	keep = ast_clone(t);
	if (!keep) {
		ast_free(t);
		return NULL;
	}
	if (order(t, &est, &changed) || opt_stack_need(t) > max_stack) {
		ast_free(t);
		return keep;
	}
	ast_free(keep);
	*ordered = changed;
	return t;
}
