/* codegen.h - rules with expanded conditions -> a verified binary table.
 *
 * For each rule: constant folding of placeholder macros (evt.num=0, empty
 * lists), its event-type set and direction computed as Falco does, where it
 * is evaluated (kernel only, kernel prefilter + agent stage, agent only) and
 * why, the program (compiled for the rule's bucket unless -O0: see
 * optimize.h), and the fields the kernel captures for the agent. */
#ifndef SHRIKEC_CODEGEN_H
#define SHRIKEC_CODEGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "loader.h"

enum rule_stage {
	STAGE_KERNEL,	    /* decided in the kernel */
	STAGE_KERNEL_AGENT, /* kernel prefilter, the agent finishes */
	STAGE_AGENT,	    /* only the event type is filtered in the kernel */
};

struct rule_plan {
	uint64_t evtypes[SHRIKE_EVT_BITMAP_WORDS]; /* the types it runs on */
	/* The types of the condition's set left out of evtypes because Falco
	 * skips them unless it runs with -A (compile_opts.all_events). */
	uint64_t skipped[SHRIKE_EVT_BITMAP_WORDS];
	bool all_events; /* no finite event-type set (and none skipped) */
	bool entry;	 /* evaluated at syscall entry (evt.dir = >) */
	bool never;	 /* folded to FALSE: can never match */
	int stage;
	char **agent_fields; /* userspace-only fields the condition reads */
	size_t nagent_fields;
	size_t nkernel_tests; /* comparisons the kernel decides */
	struct ast *folded;   /* the condition after constant folding */
	struct ast *prog;     /* what the program computes: folded, then (unless
				 * no_opt) compiled for the bucket (optimize.h) */
	bool bucket_folded;   /* prog has evt.type/evt.dir tests of folded folded */
	bool ordered;	      /* prog's and/or operands are not in folded's order */
	bool never_in_bucket; /* prog is false on every event of the rule's
				 * types and direction (then never is set, and
				 * the event-type set is empty) */
	bool never_skipped;   /* every type of its set is skipped: it runs on
				 * no event (never is set) */
};

struct compile_opts {
	bool match_all; /* rule_matching: all */
	/* shrikec -O0: the program as written (constant-folded only). By
	 * default evt.type and evt.dir tests that the rule's event-type set
	 * and direction decide are folded, and/or operands are ordered by
	 * estimated cost (optimize.h) and jumps are threaded; the results are
	 * the same. */
	bool no_opt;
	/* Falco's `priority` option: a rule less severe than min_priority
	 * (SHRIKE_PRI_*) is not in the table at all, as Falco does not load
	 * it, so that with first match the first rule that matches is one
	 * that is printed. Only with has_min_priority: by default (Falco's
	 * debug) every rule is. */
	bool has_min_priority;
	int min_priority;
	/* Falco's -A. Without it Falco skips the high-volume event types
	 * libsinsp flags EF_DROP_SIMPLE_CONS (read, write, close, fstat,
	 * mmap, ...) before any rule sees them, so they are left out of
	 * every rule's event-type set (rule_plan.skipped). */
	bool all_events;
	/* shrike-agent -w (record mode): every event of a syscall rule's
	 * event types and direction is sent up, with every kernel field of
	 * its condition and output, so that the agent can record it, benign
	 * or not. The kernel cannot decide FALSE: the program is
	 * `P or (A and not A)` with A an agent-only test (evt.time exists),
	 * UNKNOWN in the kernel and FALSE in the agent, so the kernel gives
	 * TRUE or UNKNOWN (a candidate) and the agent P itself; each
	 * capture is sent with decided rules too (ncond 0). The same rules,
	 * in the same order, with the same alerts. */
	bool record;
};

/* Whether the rule goes into the table under o (its priority). */
bool rule_in_table(const struct rule_def *r, const struct compile_opts *o);

/* Plans one rule; diagnostics (warnings) go to dl. o may be NULL (defaults).
 * The warnings do not depend on o->no_opt. */
int plan_rule_opts(const struct rule_def *r, const struct compile_opts *o, struct rule_plan *p,
		   struct diag_list *dl);
/* plan_rule_opts with the defaults. */
int plan_rule(const struct rule_def *r, struct rule_plan *p, struct diag_list *dl);
void plan_free(struct rule_plan *p);
const char *stage_name(int stage);
/* One line saying why the rule is evaluated where it is. malloc'd. */
char *plan_reason(const struct rule_def *r, const struct rule_plan *p);

/* Compiles every rule of rs that rule_in_table() into a table (the others
 * are compiled aside, for their diagnostics only), verifies it with the shared
 * verifier, and returns it malloc'd in *out. Errors go to dl (with the
 * rule's location); returns 0 or -1. o may be NULL (defaults). The
 * diagnostics are the same with and without o->no_opt: they are those of
 * the program as written. */
int compile_ruleset(const struct ruleset *rs, const struct compile_opts *o, void **out, size_t *len,
		    struct diag_list *dl);

#endif
