// SPDX-License-Identifier: GPL-2.0
/*
 * tasks.c - the argv and executable path of every process, for the fields
 * of parents and ancestors (proc.pcmdline, proc.aexe[N], ...). At event time
 * the probe can read only current's own memory without sleeping; another
 * process's argv needs access_process_vm(), which sleeps. So each process
 * records itself while it is current and can read its own memory: at exec
 * (in the new image) and at fork (the parent, whose entry the child copies).
 * The entry goes when the last thread of the group exits.
 *
 * An entry also keeps the leader's comm as of that exec or fork: Falco's
 * proc.name. The task_rename tracepoint marks an entry whose leader was
 * renamed since; renamed_entries counts them, so that while there is none
 * shrike_task_comm() reads the live comm without a lookup.
 *
 * Entries come from a dedicated slab cache with GFP_NOWAIT: the probes run
 * with preemption disabled and must not sleep, and a best-effort cache should
 * not drain the atomic reserves. A preallocated pool would pin
 * max_tasks * ~1 KiB whether used or not. Readers walk the table under RCU;
 * writers take table_lock (process context only); unlinked entries are freed
 * after a grace period with call_rcu(), and rcu_barrier() at exit waits for
 * those callbacks before the cache goes.
 */
#include <linux/binfmts.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/version.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <trace/events/sched.h>
#include <trace/events/task.h>
#include "shrike.h"
#include "tasks.h"
#include "profile.h"

static unsigned int max_tasks = 32768;
module_param(max_tasks, uint, 0644);
MODULE_PARM_DESC(max_tasks,
		 "Processes whose argv and exe are kept for parent/ancestor fields (default 32768)");

/* 4096 buckets: chains of 8 at the default max_tasks, 32 KiB of heads. */
#define TASK_HASH_BITS	12
static DEFINE_HASHTABLE(task_ht, TASK_HASH_BITS);
static DEFINE_SPINLOCK(table_lock);	/* writers; readers use RCU */
static u32 task_count;			/* under table_lock */
static atomic64_t full_drops = ATOMIC64_INIT(0);
static struct kmem_cache *task_cache;

static struct tracepoint *tp_exec, *tp_fork, *tp_exit, *tp_rename;
static atomic_t renamed_entries = ATOMIC_INIT(0);

const struct shrike_taskinfo *shrike_task_find(pid_t tgid)
{
	struct shrike_taskinfo *t;

	hash_for_each_possible_rcu(task_ht, t, node, tgid)
		if (t->tgid == tgid)
			return t;
	return NULL;
}

u64 shrike_tasks_full_drops(void)
{
	return atomic64_read(&full_drops);
}

u32 shrike_tasks_count(void)
{
	return READ_ONCE(task_count);
}

static struct shrike_taskinfo *find_locked(pid_t tgid)
{
	struct shrike_taskinfo *t;

	lockdep_assert_held(&table_lock);
	hash_for_each_possible(task_ht, t, node, tgid)
		if (t->tgid == tgid)
			return t;
	return NULL;
}

/* A renamed entry stops counting when it leaves the table. */
static void task_uncount(struct shrike_taskinfo *t)
{
	if (test_and_clear_bit(SHRIKE_TASK_RENAMED, &t->flags))
		atomic_dec(&renamed_entries);
}

/*
 * Unlinked entries are freed after a grace period. Every exec replaces the
 * entry its own rename marked (begin_new_exec renames first): it was
 * uncounted at unlink, so the count falls back at once. A rename probe that
 * found the entry just before the unlink may mark it again: counted out here.
 */
static void task_free_rcu(struct rcu_head *rcu)
{
	struct shrike_taskinfo *t = container_of(rcu, struct shrike_taskinfo, rcu);

	task_uncount(t);
	kmem_cache_free(task_cache, t);
}

static void task_release(struct shrike_taskinfo *t)
{
	task_uncount(t);
	call_rcu(&t->rcu, task_free_rcu);
}

/*
 * The live comm is read without task_lock (a spinlock, which sleeps on
 * PREEMPT_RT): comm is always NUL-terminated in place, so a racing rename
 * gives old or new bytes, never an overrun, as get_task_comm() itself does
 * since 6.13.
 */
void shrike_task_comm(struct task_struct *leader, char *buf)
{
	const struct shrike_taskinfo *e;

	if (unlikely(atomic_read(&renamed_entries))) {
		rcu_read_lock();
		e = shrike_task_find(leader->tgid);
		if (e && test_bit(SHRIKE_TASK_RENAMED, &e->flags)) {
			memcpy(buf, e->comm, TASK_COMM_LEN);
			rcu_read_unlock();
			return;
		}
		rcu_read_unlock();
	}
	strscpy_pad(buf, leader->comm, TASK_COMM_LEN);
}

/*
 * Whether a new entry for tgid could go in, checked before allocating so that
 * a full table costs no allocation; task_publish() decides for good.
 */
static bool task_room(pid_t tgid)
{
	bool ok;

	if (READ_ONCE(task_count) < READ_ONCE(max_tasks))
		return true;
	rcu_read_lock();
	ok = shrike_task_find(tgid);
	rcu_read_unlock();
	if (!ok)
		atomic64_inc(&full_drops);
	return ok;
}

static struct shrike_taskinfo *task_alloc(pid_t tgid, gfp_t gfp)
{
	struct shrike_taskinfo *t = kmem_cache_alloc(task_cache, gfp | __GFP_NOWARN);

	if (!t) {
		/* Same outcome for the fields as a full table: count it there. */
		atomic64_inc(&full_drops);
		return NULL;
	}
	t->tgid = tgid;
	t->flags = 0;
	memset(t->comm, 0, sizeof(t->comm));
	t->cmdline_len = 0;
	t->exe_len = 0;
	t->exepath_len = 0;
	t->filename_len = 0;
	t->cmdline[0] = '\0';
	t->exe[0] = '\0';
	t->exepath[0] = '\0';
	t->filename[0] = '\0';
	return t;
}

/*
 * Makes t the entry of its tgid. An existing entry is replaced when replace
 * is set (exec, or a fork reusing the pid of a process whose exit we missed),
 * else kept and t dropped. Returns whether t went in.
 */
static bool task_publish(struct shrike_taskinfo *t, bool replace)
{
	struct shrike_taskinfo *old;

	spin_lock(&table_lock);
	old = find_locked(t->tgid);
	if (old) {
		if (!replace) {
			spin_unlock(&table_lock);
			kmem_cache_free(task_cache, t);
			return false;
		}
		hlist_replace_rcu(&old->node, &t->node);
		spin_unlock(&table_lock);
		task_release(old);
		return true;
	}
	if (task_count >= READ_ONCE(max_tasks)) {
		spin_unlock(&table_lock);
		atomic64_inc(&full_drops);
		kmem_cache_free(task_cache, t);
		return false;
	}
	hash_add_rcu(task_ht, &t->node, t->tgid);
	task_count++;
	spin_unlock(&table_lock);
	return true;
}

/* Unlinks the entry of tgid; only if it is still `only` when that is set. */
static void task_remove(pid_t tgid, const struct shrike_taskinfo *only)
{
	struct shrike_taskinfo *t;

	spin_lock(&table_lock);
	t = find_locked(tgid);
	if (t && (!only || t == only)) {
		hash_del_rcu(&t->node);
		task_count--;
	} else {
		t = NULL;
	}
	spin_unlock(&table_lock);
	if (t)
		task_release(t);
}

/*
 * Turns the raw argument area in t->cmdline (n bytes, argv strings each
 * ending in NUL) into exe (argv[0]) and cmdline (the args joined by spaces).
 */
static void task_set_args(struct shrike_taskinfo *t, size_t n)
{
	size_t i;

	/* A full buffer may end inside an argument: keep room for the NUL. */
	n = min_t(size_t, n, SHRIKE_TASK_CMDLINE_MAX - 1);
	t->cmdline[n] = '\0';
	t->exe_len = strnlen(t->cmdline, min_t(size_t, n, SHRIKE_TASK_EXE_MAX - 1));
	memcpy(t->exe, t->cmdline, t->exe_len);
	t->exe[t->exe_len] = '\0';
	while (n && t->cmdline[n - 1] == '\0')
		n--;
	for (i = 0; i < n; i++)
		if (t->cmdline[i] == '\0')
			t->cmdline[i] = ' ';
	t->cmdline[n] = '\0';
	t->cmdline_len = n;
}

static void mm_arg_range(struct mm_struct *mm, unsigned long *start, size_t *len)
{
	unsigned long s, e;

	/* prctl(PR_SET_MM_ARG_*) moves them under arg_lock. */
	spin_lock(&mm->arg_lock);
	s = mm->arg_start;
	e = mm->arg_end;
	spin_unlock(&mm->arg_lock);
	*start = s;
	*len = e > s ? min_t(size_t, e - s, SHRIKE_TASK_CMDLINE_MAX - 1) : 0;
}

/* current's own argv, without sleeping or faulting. */
static void task_fill_args_current(struct shrike_taskinfo *t, struct mm_struct *mm)
{
	unsigned long start;
	size_t len;

	mm_arg_range(mm, &start, &len);
	/*
	 * A partial page fault fails the whole copy. At exec the pages were
	 * just written by the kernel and are present; at fork only swapped-out
	 * args fail, and leave the entry without a cmdline.
	 */
	if (!len || copy_from_user_nofault(t->cmdline, (const void __user *)start, len))
		len = 0;
	task_set_args(t, len);
}

static void task_fill_exepath(struct shrike_taskinfo *t, const struct path *path)
{
	char *p;
	size_t n;

	/* Never sleeps: RCU and seqlock walk; ENAMETOOLONG past 255 bytes. */
	p = d_path(path, t->exepath, sizeof(t->exepath));
	if (IS_ERR(p)) {
		t->exepath[0] = '\0';
		t->exepath_len = 0;
		return;
	}
	n = strlen(p);
	memmove(t->exepath, p, n + 1);
	t->exepath_len = n;
}

/*
 * mm->exe_file with a reference (get_mm_exe_file() is not exported); the
 * reference keeps its path pinned for d_path. 6.7 made struct file
 * SLAB_TYPESAFE_BY_RCU, after which only get_file_rcu() on the __rcu slot
 * itself is safe; before, files are freed after a grace period.
 */
struct file *shrike_exe_file_get(struct mm_struct *mm)
{
	struct file *f;

	rcu_read_lock();
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	f = get_file_rcu(&mm->exe_file);
#else
	f = rcu_dereference(mm->exe_file);
	if (f && !get_file_rcu(f))
		f = NULL;
#endif
	rcu_read_unlock();
	return f;
}

static void task_fill_exe_file(struct shrike_taskinfo *t, struct mm_struct *mm)
{
	struct file *f = shrike_exe_file_get(mm);

	if (!f)
		return;
	task_fill_exepath(t, &f->f_path);
	/* Safe in atomic context: the final put is deferred to task work. */
	fput(f);
}

/*
 * sched_process_exec runs in the new image after the point of no return:
 * current->mm is the new mm with its arguments in place, and bprm->file is
 * the file now mapped (the interpreter for #! scripts, as mm->exe_file).
 */
static void probe_exec_record(void *data, struct task_struct *p, pid_t old_pid,
			      struct linux_binprm *bprm)
{
	struct shrike_taskinfo *t;
	ssize_t n;

	if (p != current)
		return;
	if (!p->mm || !task_room(p->tgid))
		return;
	t = task_alloc(p->tgid, GFP_NOWAIT);
	if (!t)
		return;
	task_fill_args_current(t, p->mm);
	task_fill_exepath(t, &bprm->file->f_path);
	/* Set by begin_new_exec() before this tracepoint: the new image's. */
	strscpy_pad(t->comm, p->comm, sizeof(t->comm));
	/*
	 * The syscall's exit reads its filename from here: its argument
	 * pointed into the old image, gone now. Longer names are not kept.
	 */
	n = strscpy(t->filename, bprm->filename, sizeof(t->filename));
	if (n > 0)
		t->filename_len = n;
	task_publish(t, true);
}

static void probe_exec(void *data, struct task_struct *p, pid_t old_pid,
		       struct linux_binprm *bprm)
{
	PROFILE_START(t0);

	probe_exec_record(data, p, old_pid, bprm);
	PROFILE_END(SHRIKE_PROF_TASK_EXEC, t0);
}

/*
 * sched_process_fork runs in the parent (current) once the child exists.
 * A new process inherits the parent's argv and executable, so it gets a
 * copy of the parent's entry. A parent without one (it was running before
 * the module loaded) is read now, while it is current, and recorded too.
 */
static void probe_fork_record(void *data, struct task_struct *parent, struct task_struct *child)
{
	const struct shrike_taskinfo *src;
	struct shrike_taskinfo *t, *pt;
	struct mm_struct *mm = parent->mm;

	/* A new thread shares its group's entry. */
	if (!thread_group_leader(child) || !task_room(child->tgid))
		return;
	t = task_alloc(child->tgid, GFP_NOWAIT);
	if (!t)
		return;
	/*
	 * The child's comm, copied from the parent's live one at clone: what
	 * libsinsp reads at the clone's exit. The child has not run yet.
	 */
	strscpy_pad(t->comm, child->comm, sizeof(t->comm));
	rcu_read_lock();
	src = shrike_task_find(parent->tgid);
	if (src) {
		t->cmdline_len = src->cmdline_len;
		t->exe_len = src->exe_len;
		t->exepath_len = src->exepath_len;
		memcpy(t->cmdline, src->cmdline, sizeof(t->cmdline));
		memcpy(t->exe, src->exe, sizeof(t->exe));
		memcpy(t->exepath, src->exepath, sizeof(t->exepath));
	}
	rcu_read_unlock();
	if (!src) {
		/* Kernel threads have no argv; their children exec before use. */
		if (parent != current || !mm || (parent->flags & PF_KTHREAD)) {
			kmem_cache_free(task_cache, t);
			return;
		}
		task_fill_args_current(t, mm);
		task_fill_exe_file(t, mm);
		pt = task_room(parent->tgid) ? task_alloc(parent->tgid, GFP_NOWAIT) : NULL;
		if (pt) {
			strscpy_pad(pt->comm, parent->group_leader->comm, sizeof(pt->comm));
			memcpy(pt->cmdline, t->cmdline, sizeof(pt->cmdline));
			memcpy(pt->exe, t->exe, sizeof(pt->exe));
			memcpy(pt->exepath, t->exepath, sizeof(pt->exepath));
			pt->cmdline_len = t->cmdline_len;
			pt->exe_len = t->exe_len;
			pt->exepath_len = t->exepath_len;
			/* A concurrent exec in the parent's group knows better. */
			task_publish(pt, false);
		}
	}
	task_publish(t, true);
}

static void probe_fork(void *data, struct task_struct *parent, struct task_struct *child)
{
	PROFILE_START(t0);

	probe_fork_record(data, parent, child);
	PROFILE_END(SHRIKE_PROF_TASK_FORK, t0);
}

/*
 * task_rename fires in __set_task_comm() under task_lock, before the copy:
 * for exec (begin_new_exec; the new entry probe_exec makes replaces this
 * one, marked or not), prctl(PR_SET_NAME) and /proc/PID/comm writes. Only
 * a leader's rename matters: the fields read the leader's comm.
 */
static void probe_rename(void *data, struct task_struct *task, const char *comm)
{
	struct shrike_taskinfo *e;

	if (!thread_group_leader(task))
		return;
	rcu_read_lock();
	e = (struct shrike_taskinfo *)shrike_task_find(task->tgid);
	if (e && !test_bit(SHRIKE_TASK_RENAMED, &e->flags) &&
	    strncmp(e->comm, comm, TASK_COMM_LEN - 1) &&
	    !test_and_set_bit(SHRIKE_TASK_RENAMED, &e->flags))
		atomic_inc(&renamed_entries);
	rcu_read_unlock();
}

/*
 * sched_process_exit fires for every exiting thread; do_exit() has already
 * decremented signal->live, so zero means the whole group is gone. Two
 * threads racing to zero may both get here: removal is idempotent.
 */
static void probe_exit_record(void *data, struct task_struct *p)
{
	if (atomic_read(&p->signal->live))
		return;
	task_remove(p->tgid, NULL);
}

#ifdef SHRIKE_EXIT_GROUP_DEAD
static void probe_exit(void *data, struct task_struct *p, bool group_dead)
#else
static void probe_exit(void *data, struct task_struct *p)
#endif
{
	PROFILE_START(t0);

	probe_exit_record(data, p);
	PROFILE_END(SHRIKE_PROF_TASK_EXIT, t0);
}

/*
 * Processes that were running before the module loaded: read here, where
 * sleeping is allowed, with access_process_vm(). The probes are registered
 * first and these entries never replace theirs, so a concurrent exec wins;
 * a process that exits meanwhile is taken out again below.
 */
static void tasks_prefill(void)
{
	struct task_struct **list, *p;
	unsigned int i, n = 0, max = READ_ONCE(max_tasks);

	if (!max)
		return;
	list = kvmalloc_array(max, sizeof(*list), GFP_KERNEL);
	if (!list)
		return;
	rcu_read_lock();
	for_each_process(p) {
		if (n == max)
			break;
		if (p->flags & PF_KTHREAD)
			continue;
		get_task_struct(p);
		list[n++] = p;
	}
	rcu_read_unlock();

	for (i = 0; i < n; i++) {
		struct shrike_taskinfo *t = NULL;
		struct mm_struct *mm;
		unsigned long start;
		size_t len;
		int got;

		p = list[i];
		mm = get_task_mm(p);
		if (mm)
			t = task_alloc(p->tgid, GFP_KERNEL);
		if (t) {
			mm_arg_range(mm, &start, &len);
			got = len ? access_process_vm(p, start, t->cmdline, len, 0) : 0;
			task_set_args(t, got > 0 ? got : 0);
			task_fill_exe_file(t, mm);
			strscpy_pad(t->comm, p->comm, sizeof(t->comm));
		}
		if (mm)
			mmput(mm);
		if (t && task_publish(t, false) && atomic_read(&p->signal->live) == 0)
			task_remove(p->tgid, t);
		put_task_struct(p);
		cond_resched();
	}
	kvfree(list);
}

static void tasks_unregister(void)
{
	if (tp_exec)
		tracepoint_probe_unregister(tp_exec, (void *)probe_exec, NULL);
	if (tp_fork)
		tracepoint_probe_unregister(tp_fork, (void *)probe_fork, NULL);
	if (tp_exit)
		tracepoint_probe_unregister(tp_exit, (void *)probe_exit, NULL);
	if (tp_rename)
		tracepoint_probe_unregister(tp_rename, (void *)probe_rename, NULL);
	tp_rename = NULL;
	tp_exec = NULL;
	tp_fork = NULL;
	tp_exit = NULL;
	/* No probe is still running when this returns. */
	tracepoint_synchronize_unregister();
}

static int tasks_register(struct tracepoint **slot, const char *name, void *probe)
{
	struct tracepoint *tp = shrike_find_tracepoint(name);
	int ret;

	if (!tp) {
		pr_err("shrike: tracepoint %s not found\n", name);
		return -ENOENT;
	}
	ret = tracepoint_probe_register(tp, probe, NULL);
	if (ret) {
		pr_err("shrike: cannot attach to %s: %d\n", name, ret);
		return ret;
	}
	*slot = tp;
	return 0;
}

int shrike_tasks_init(void)
{
	int ret;

	/*
	 * The probes are attached by name, so the compiler cannot see that
	 * their types match the tracepoints. These empty inline checks from
	 * <trace/events/sched.h> make a changed TP_PROTO a build error.
	 */
	check_trace_callback_type_sched_process_exec(probe_exec);
	check_trace_callback_type_sched_process_fork(probe_fork);
	check_trace_callback_type_sched_process_exit(probe_exit);
	check_trace_callback_type_task_rename(probe_rename);

	/*
	 * The argv is copied from user memory straight into the entry:
	 * hardened usercopy wants that region declared.
	 */
	task_cache = kmem_cache_create_usercopy("shrike_task", sizeof(struct shrike_taskinfo), 0, 0,
						offsetof(struct shrike_taskinfo, cmdline),
						sizeof_field(struct shrike_taskinfo, cmdline),
						NULL);
	if (!task_cache)
		return -ENOMEM;
	/* Exit first: every entry created from here on has its removal. */
	ret = tasks_register(&tp_exit, "sched_process_exit", (void *)probe_exit);
	if (!ret)
		ret = tasks_register(&tp_fork, "sched_process_fork", (void *)probe_fork);
	if (!ret)
		ret = tasks_register(&tp_exec, "sched_process_exec", (void *)probe_exec);
	if (!ret)
		ret = tasks_register(&tp_rename, "task_rename", (void *)probe_rename);
	if (ret) {
		shrike_tasks_exit();
		return ret;
	}
	tasks_prefill();
	return 0;
}

void shrike_tasks_exit(void)
{
	struct shrike_taskinfo *t;
	struct hlist_node *tmp;
	unsigned int bkt;

	tasks_unregister();
	spin_lock(&table_lock);
	hash_for_each_safe(task_ht, bkt, tmp, t, node) {
		hash_del_rcu(&t->node);
		task_release(t);
	}
	task_count = 0;
	spin_unlock(&table_lock);
	/* Readers elsewhere may still hold entries: wait, then free the cache. */
	rcu_barrier();
	kmem_cache_destroy(task_cache);
	task_cache = NULL;
}
