/* optimize.h - rewriting a rule's condition into the program the kernel
 * runs: constant folding, and "compiling for the bucket" (folding the
 * evt.type and evt.dir tests that the rule's event-type set and direction
 * already decide, then ordering and/or operands by estimated cost, cheap
 * and likely to decide first; codegen.c then threads the jumps). Every
 * rewrite keeps the rule's three-valued result on every event it is
 * evaluated on; only which fields are fetched changes. */
#ifndef SHRIKEC_OPTIMIZE_H
#define SHRIKEC_OPTIMIZE_H

#include <stdbool.h>
#include <stdint.h>
#include "ast.h"
#include "../kmod/uapi/shrike.h"

/* Constant folding of a (consumed) tree: placeholder macros (evt.num = 0),
 * empty lists, TRUE/FALSE through and/or/not. Returns the new tree; on an
 * allocation failure part of it may stay unfolded, which is still exact. */
struct ast *opt_fold(struct ast *a);

/*
 * The program tree of a syscall rule evaluated only on the event types in
 * evtypes (a SHRIKE_EVT_BITMAP_WORDS bitmap) at entry (entry) or exit: a new
 * tree, a is not changed. evt.type and evt.dir comparisons that hold for
 * every such event become TRUE, those that hold for none FALSE, the result
 * is constant-folded, and then the operands of every and/or chain are
 * ordered by estimated cost: the cost class of each comparison
 * (opt_cost_class) over the chance that it decides the chain, least first
 * (stable; the chain is rebuilt left-deep). When ordering would make the
 * program need more than
 * max_stack stack entries, the chains are left in their order. *folded is
 * set when some test was folded, *ordered when the order of some chain
 * changed. NULL on allocation failure.
 */
struct ast *opt_for_bucket(const struct ast *a, const uint64_t *evtypes, bool entry,
			   unsigned max_stack, bool *folded, bool *ordered);

/* Stack entries the program of a needs, as the code generator lays it out
 * (the right side of and/or is evaluated above the left side's value). */
size_t opt_stack_need(const struct ast *a);

/*
 * Estimated cost classes of a comparison in the kernel, cheapest first (see
 * optimize.c for why each field is where it is).
 */
enum opt_cost {
	OPT_COST_CONST,	     /* a constant */
	OPT_COST_EVENT,	     /* registers: arguments, return value, evt.* flags */
	OPT_COST_TASK,	     /* current task: proc.name, proc.pid, user.uid, thread.* */
	OPT_COST_PATH,	     /* user strings and paths: fd.name, fs.path.*, path arguments */
	OPT_COST_FD,	     /* fd and socket lookups: fd.type, fd.num, fd.sip, ... */
	OPT_COST_EXE,	     /* argv and executable: proc.cmdline, proc.exepath, proc.cwd */
	OPT_COST_CGROUP,     /* cgroup path: container.id */
	OPT_COST_OTHER_TASK, /* ancestors and leaders: proc.aname, proc.pname, proc.sname */
	OPT_COST_USERSPACE,  /* UNKNOWN in the kernel: agent-only fields, regex, ... */
	__OPT_COST_MAX,
};

/* The class of comparison a (an AST_CMP), or OPT_COST_CONST for any other node. */
enum opt_cost opt_cost_class(const struct ast *a);
const char *opt_cost_name(enum opt_cost c);
/* The class of a kernel field id without regard to its argument; -1 for a
 * field the table does not list (agent-only and k8s_audit fields). */
int opt_field_cost(uint16_t field);
/* Whether evt.arg.NAME reads user memory (a path, string, sockaddr or argv
 * in some syscall's layout). */
bool opt_arg_reads_user(const char *name);

#endif
