/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tasks.h - what the kernel cannot read at event time: the argv and exe of
 * other processes (parents, ancestors). A bounded table keyed by tgid,
 * filled at exec (sched_process_exec) and fork, freed at exit; when full,
 * a counter says so and the fields read MISSING.
 */
#ifndef _SHRIKE_TASKS_H
#define _SHRIKE_TASKS_H

#include <linux/types.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>

struct file;
struct mm_struct;

#define SHRIKE_TASK_CMDLINE_MAX	512
#define SHRIKE_TASK_EXE_MAX	256

/* shrike_taskinfo.flags */
#define SHRIKE_TASK_RENAMED	0	/* comm changed since the entry was made */

struct shrike_taskinfo {
	struct hlist_node node;
	struct rcu_head rcu;
	pid_t tgid;
	unsigned long flags;	/* SHRIKE_TASK_*, atomic bitops */
	char comm[TASK_COMM_LEN];	/* the leader's, at exec or fork (Falco's) */
	u16 cmdline_len;	/* argv joined by spaces, argv[0] first (Falco: comm first) */
	u16 exe_len;		/* argv[0], as Falco's proc.exe */
	u16 exepath_len;	/* the executable's full path */
	u16 filename_len;	/* execve's filename as passed (bprm->filename) */
	char cmdline[SHRIKE_TASK_CMDLINE_MAX];
	char exe[SHRIKE_TASK_EXE_MAX];
	char exepath[SHRIKE_TASK_EXE_MAX];
	char filename[SHRIKE_TASK_EXE_MAX];
};

int shrike_tasks_init(void);	/* registers the sched tracepoints */
void shrike_tasks_exit(void);	/* unregisters, frees everything */
/* Under rcu_read_lock(): the entry of tgid, or NULL. */
const struct shrike_taskinfo *shrike_task_find(pid_t tgid);
/*
 * Falco's comm of a thread-group leader into buf (TASK_COMM_LEN): as of its
 * last exec or fork, as libsinsp takes it from those events only; a later
 * prctl(PR_SET_NAME) or /proc/PID/comm write (busybox's applets, daemons
 * naming themselves) is not seen. The live comm when the leader was not
 * renamed since, or has no entry. Under RCU or with preemption disabled.
 */
void shrike_task_comm(struct task_struct *leader, char *buf);
/* mm->exe_file with a reference (fput() it; safe in atomic context), or NULL. */
struct file *shrike_exe_file_get(struct mm_struct *mm);
/* Counters for stats. */
u64 shrike_tasks_full_drops(void);
u32 shrike_tasks_count(void);

#endif
