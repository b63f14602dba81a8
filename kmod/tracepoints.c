// SPDX-License-Identifier: GPL-2.0
/*
 * tracepoints.c - finding the kernel's tracepoints by name: sys_enter and
 * sys_exit, sched_process_*, are not exported as symbols to modules.
 */
#include <linux/string.h>
#include <linux/tracepoint.h>
#include "shrike.h"

struct tp_find {
	const char *name;
	struct tracepoint *tp;
};

static void tp_match(struct tracepoint *tp, void *data)
{
	struct tp_find *f = data;

	if (!strcmp(tp->name, f->name))
		f->tp = tp;
}

struct tracepoint *shrike_find_tracepoint(const char *name)
{
	struct tp_find f = { .name = name };

	for_each_kernel_tracepoint(tp_match, &f);
	return f.tp;
}
