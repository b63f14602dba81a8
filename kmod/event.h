/* SPDX-License-Identifier: GPL-2.0 */
/*
 * event.h - one syscall event as the probe builds it and the field
 * extractors read it. Lives on the probe's stack for one evaluation; the
 * strings fields point into the per-CPU scratch, reset for every event.
 */
#ifndef _SHRIKE_EVENT_H
#define _SHRIKE_EVENT_H

#include <linux/ptrace.h>
#include <linux/sched.h>
#include "common/table.h"

enum shrike_dir {
	SHRIKE_DIR_ENTER,
	SHRIKE_DIR_EXIT,
};

#define SHRIKE_SCRATCH_SIZE	(32 * 1024)

/* Per-CPU, preallocated; the probe runs with preemption disabled. */
struct shrike_scratch {
	u32 used;
	char buf[SHRIKE_SCRATCH_SIZE];
};

struct shrike_sc;

struct shrike_event {
	const struct shrike_table *t;	/* resolves STRREFS arguments */
	struct task_struct *task;	/* current */
	struct pt_regs *regs;
	const struct shrike_sc *sc;	/* the syscall's parameter layout */
	unsigned long args[6];		/* arguments as passed at entry */
	long ret;			/* return value, at exit */
	u64 ts;				/* ns since the epoch, once stamped */
	u64 num;			/* event number, from 1; 0: not stamped yet */
	u16 evt;			/* SHRIKE_EVT_* */
	u8 dir;				/* SHRIKE_DIR_* */
	bool compat;			/* a 32-bit (ia32) syscall */
	int nr;				/* syscall number in its ABI */
	struct shrike_scratch *scratch;
	bool scratch_full;		/* an extraction did not fit: counted */
	u32 work;			/* evaluation budget left (eval.c) */
	/* Lazily computed once per event by the extractors. */
	u32 have;
	void *cache[8];
};

/*
 * The kernel's fetch callback for shrike_eval() (ctx is a struct
 * shrike_event): SHRIKE_FETCH_OK, _MISSING (the event has no such value),
 * or _UNKNOWN (userspace-only field, or not computable here). Never sleeps,
 * never faults: user memory is read with the _nofault helpers.
 */
int shrike_fetch(void *ctx, u16 field, u16 arg, struct shrike_val *out);

struct shrike_pcpu;
struct shrike_loaded;

/* probe.c: ev for current on this CPU, before its syscall-specific parts. */
void shrike_event_init(struct shrike_event *ev, struct shrike_pcpu *c,
		       struct shrike_loaded *l, struct pt_regs *regs);
/* probe.c: the rules of ev's bucket; a record for the agent if one can match. */
void shrike_evaluate(struct shrike_pcpu *c, struct shrike_loaded *l, struct shrike_event *ev);
/* probe.c: takes ev's timestamp and event number, the first time only. */
void shrike_event_stamp(struct shrike_event *ev);

/* Bump allocation in the event's scratch; NULL (and scratch_full) when full. */
static inline char *shrike_scratch_alloc(struct shrike_event *ev, u32 n)
{
	struct shrike_scratch *s = ev->scratch;
	char *p;

	n = ALIGN(n, 8);
	if (n > SHRIKE_SCRATCH_SIZE - s->used) {
		ev->scratch_full = true;
		return NULL;
	}
	p = s->buf + s->used;
	s->used += n;
	return p;
}

#endif
