// SPDX-License-Identifier: GPL-2.0
/*
 * container.c - the "container" pseudo event. Falco emits one when it first
 * sees a container; rules such as 'Launch Privileged Container'
 * (evt.type = container and container.privileged = true) match on it. Here
 * it is the first exec (sched_process_exec, this file's own probe) in a
 * container id not seen before, while the table has rules in the CONTAINER
 * bucket: that bucket is evaluated for a synthesized exit event of type
 * "container" with no arguments, through shrike_evaluate() like any
 * syscall, so agent-only fields (container.privileged, .image) go up as a
 * candidate for the agent to finish.
 *
 * Seen ids: a set-associative cache of short ids, SEEN_SETS sets of
 * SEEN_WAYS, no allocation; a full set evicts its oldest entry (FIFO), so a
 * node with more live containers than that may see one reported again at a
 * later exec. The cache is kept across table loads: a container's start is
 * reported once, not again after a reload; it is empty at module load, so
 * the containers running then are reported at their next exec.
 */
#include <linux/binfmts.h>
#include <linux/jhash.h>
#include <linux/sched/task_stack.h>
#include <linux/spinlock.h>
#include <linux/tracepoint.h>
#include "shrike.h"
#include "deliver.h"
#include "event.h"
#include "syscalls.h"

#define SEEN_SETS	256
#define SEEN_WAYS	4
#define SHORT_ID	12
/*
 * Before the task table's own exec probe (default priority 10), so the
 * event sees the tables as they were before this exec, as it always did.
 */
#define EXEC_PRIO	(TRACEPOINT_DEFAULT_PRIO + 1)

static struct {
	char id[SEEN_WAYS][SHORT_ID];
	u8 used, next;
} seen[SEEN_SETS];
static DEFINE_RAW_SPINLOCK(seen_lock);
static struct tracepoint *tp_exec;

/* True if id was not in the cache; it is then. */
static bool seen_add(const char *id)
{
	u32 set = jhash(id, SHORT_ID, 0) % SEEN_SETS, i;
	unsigned long flags;
	bool added = false;

	raw_spin_lock_irqsave(&seen_lock, flags);
	for (i = 0; i < seen[set].used; i++)
		if (!memcmp(seen[set].id[i], id, SHORT_ID))
			goto out;
	if (seen[set].used < SEEN_WAYS) {
		i = seen[set].used++;
	} else {
		i = seen[set].next;
		seen[set].next = (i + 1) % SEEN_WAYS;
	}
	memcpy(seen[set].id[i], id, SHORT_ID);
	added = true;
out:
	raw_spin_unlock_irqrestore(&seen_lock, flags);
	return added;
}

/* No parameters: evt.arg.* and fd.* read MISSING, as on Falco's event. */
static const struct shrike_sc container_sc = { .evt = SHRIKE_EVT_CONTAINER };

/* sched_process_exec, in the exec'ing task (current). */
static void probe_exec(void *data, struct task_struct *p, pid_t old_pid,
		       struct linux_binprm *bprm)
{
	struct shrike_loaded *l;
	struct shrike_event ev;
	struct shrike_pcpu *c;
	struct shrike_val v;

	if (p != current)
		return;
	/*
	 * The per-CPU scratch and record, as in the syscall probes (which
	 * cannot be running on this CPU: the exec is in a syscall's body).
	 */
	preempt_disable_notrace();
	rcu_read_lock();
	l = shrike_table_active();
	if (likely(!l || l->bucket_start[SHRIKE_EVT_CONTAINER] ==
			 l->bucket_start[SHRIKE_EVT_CONTAINER + 1]))
		goto out;
	if (task_tgid_nr(current) == READ_ONCE(shrike_subscriber_tgid))
		goto out;
	c = this_cpu_ptr(shrike_pcpu);
	shrike_event_init(&ev, c, l, current_pt_regs());
	ev.sc = &container_sc;
	ev.evt = SHRIKE_EVT_CONTAINER;
	ev.dir = SHRIKE_DIR_EXIT;
	ev.nr = -1;
	/*
	 * Unknown (no cgroup v2 path, other runtimes) and "host" are not
	 * containers Falco would announce.
	 */
	if (shrike_fetch(&ev, SHRIKE_F_CONTAINER_ID, SHRIKE_ARG_NONE, &v) == SHRIKE_FETCH_OK &&
	    v.type == SHRIKE_T_STR && v.str.len == SHORT_ID && seen_add(v.str.ptr))
		shrike_evaluate(c, l, &ev);
out:
	rcu_read_unlock();
	preempt_enable_notrace();
}

int shrike_container_init(void)
{
	tp_exec = shrike_find_tracepoint("sched_process_exec");
	if (!tp_exec) {
		pr_err("shrike: sched_process_exec tracepoint not found\n");
		return -ENOENT;
	}
	return tracepoint_probe_register_prio(tp_exec, (void *)probe_exec, NULL, EXEC_PRIO);
}

/* After this the exec probe runs no more. */
void shrike_container_stop(void)
{
	tracepoint_probe_unregister(tp_exec, (void *)probe_exec, NULL);
	tracepoint_synchronize_unregister();
}
