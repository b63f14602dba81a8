/* SPDX-License-Identifier: GPL-2.0 */
/*
 * profile.h - where an event's time goes: per-CPU cycle counters per stage
 * and per field fetched, behind the module parameter "profile" (off by
 * default: then each probe point is one patched-out static branch). Read in
 * /sys/kernel/debug/shrike/profile.
 */
#ifndef _SHRIKE_PROFILE_H
#define _SHRIKE_PROFILE_H

#include <linux/jump_label.h>
#include <linux/timex.h>
#include "common/table.h"

enum shrike_prof_stage {
	SHRIKE_PROF_SETUP,	/* slow path entry to the bucket: table, event */
	SHRIKE_PROF_EVAL,	/* the bucket's rules, fetches included */
	SHRIKE_PROF_EMIT,	/* stamp, captures, into the ring */
	SHRIKE_PROF_DRAIN,	/* the drain, per batch sent */
	SHRIKE_PROF_TASK_EXEC,	/* tasks.c's exec probe: argv and exe recorded */
	SHRIKE_PROF_TASK_FORK,	/* tasks.c's fork probe: the parent's entry copied */
	SHRIKE_PROF_TASK_EXIT,	/* tasks.c's exit probe */
	__SHRIKE_PROF_STAGES,
};

DECLARE_STATIC_KEY_FALSE(shrike_profiling);

void shrike_prof_add(unsigned int slot, u64 cycles);
int shrike_profile_init(void);
void shrike_profile_exit(void);

#define PROFILE_START(t) \
	u64 t = static_branch_unlikely(&shrike_profiling) ? get_cycles() : 0
#define PROFILE_END(stage, t) \
	do { if (unlikely(t)) shrike_prof_add(stage, get_cycles() - (t)); } while (0)

#endif
