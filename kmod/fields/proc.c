// SPDX-License-Identifier: GPL-2.0
/*
 * proc.c - the process family: proc.* of current (name, pid and session
 * ids, exe, exepath and its overlayfs layer, argv, cwd, tty, duration),
 * its parent and ancestors (proc.p*, proc.a*[N], from the task tree and
 * the tasks table), thread.* (ids, capability sets), user.uid,
 * user.loginuid and group.gid.
 */
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/timekeeping.h>
#include <linux/tty.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include <linux/version.h>
#include <uapi/linux/magic.h>
#include "../tasks.h"
#include "fields.h"

/* Longest ancestor chain walked; deeper levels read UNKNOWN. */
#define MAX_ANCESTORS	32
/* Falco's driver reads at most a page of argv. */
#define ARGV_MAX	PAGE_SIZE

/* ---- capabilities ------------------------------------------------------------------ */

/* Falco's capability names, in bit order (libsinsp's caps_to_string). */
static const char *const cap_names[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
	"CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

static u64 cap_bits(kernel_cap_t c)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	return c.val;
#else
	return c.cap[0] | (u64)c.cap[1] << 32;
#endif
}

static int caps_str(struct shrike_event *ev, u64 caps, struct shrike_val *out)
{
	char *buf = shrike_scratch_alloc(ev, 1024);
	u32 n = 0, i;

	if (!buf)
		return UNKNOWN;
	for (i = 0; i < ARRAY_SIZE(cap_names); i++) {
		u32 l;

		if (!(caps & BIT_ULL(i)))
			continue;
		l = strlen(cap_names[i]);
		if (n)
			buf[n++] = ' ';
		memcpy(buf + n, cap_names[i], l);
		n += l;
	}
	buf[n] = 0;
	scratch_shrink(ev, buf, 1024, n + 1);
	return ret_str(out, buf, n);
}

/* ---- the current process ---------------------------------------------------------- */

/*
 * Falco's comm is the thread's as of exec or clone: for a thread, its
 * leader's. prctl(PR_SET_NAME) renames are not seen by Falco: the tasks
 * table keeps the comm as of exec or fork (shrike_task_comm()).
 */
static const char *self_comm(struct shrike_event *ev, u32 *len)
{
	struct miscx *m = misc(ev);

	if (!m)
		return NULL;
	if (!m->comm_done) {
		shrike_task_comm(current->group_leader, m->comm);
		m->comm_done = true;
	}
	*len = strnlen(m->comm, sizeof(m->comm));
	return m->comm;
}

struct argvx {
	int rc;
	const char *exe;	/* argv[0] */
	u32 exe_len;
	const char *args;	/* argv[1..] joined by ' ' */
	u32 args_len;
	u32 nargs;
};

/*
 * argv of current from its own address space. copy_from_user_nofault fails
 * rather than faulting a swapped-out page in: then UNKNOWN. Longer than a
 * page is UNKNOWN too, since Falco keeps only a page.
 */
static struct argvx *argv_info(struct shrike_event *ev)
{
	struct argvx *a = cached(ev, C_ARGV);
	struct mm_struct *mm = current->mm;
	unsigned long start, end, len, i;
	char *buf;

	if (a)
		return a;
	a = cache_new(ev, C_ARGV, sizeof(*a));
	if (!a)
		return NULL;
	a->rc = UNKNOWN;
	if (!mm)
		return a;
	start = READ_ONCE(mm->arg_start);
	end = READ_ONCE(mm->arg_end);
	if (end < start || end - start > ARGV_MAX)
		return a;
	len = end - start;
	if (!len) {
		a->exe = a->args = "";
		a->rc = OK;
		return a;
	}
	buf = shrike_scratch_alloc(ev, len);
	if (!buf)
		return a;
	if (copy_from_user_nofault(buf, (const void __user *)start, len)) {
		scratch_shrink(ev, buf, len, 0);
		return a;
	}
	/*
	 * A rewritten argv (setproctitle) no longer ends in NUL: Falco still
	 * has the original one.
	 */
	if (buf[len - 1])
		return a;
	a->exe = buf;
	a->exe_len = strnlen(buf, len);
	if (a->exe_len + 1 >= len) {
		a->args = "";
		a->rc = OK;
		return a;
	}
	a->args = buf + a->exe_len + 1;
	a->args_len = len - a->exe_len - 2;
	for (i = 0; i < a->args_len; i++)
		if (!buf[a->exe_len + 1 + i]) {
			buf[a->exe_len + 1 + i] = ' ';
			a->nargs++;
		}
	a->nargs++;
	a->rc = OK;
	return a;
}

/* Falco's proc.cmdline: comm, then " arg" for each argument. */
static int fetch_cmdline(struct shrike_event *ev, struct shrike_val *out)
{
	struct argvx *a = argv_info(ev);
	const char *comm;
	u32 cl, len;
	char *p;

	comm = self_comm(ev, &cl);

	if (!a || a->rc != OK || !comm)
		return UNKNOWN;
	p = sjoin3(ev, comm, cl, " ", a->nargs ? 1 : 0, a->args, a->args_len, &len);
	return p ? ret_str(out, p, len) : UNKNOWN;
}

struct exex {
	int rc;
	struct xstr path;
	bool upper;		/* on overlayfs, in the upper (writable) layer */
	u64 ino;
};

static bool is_overlay(const struct inode *inode)
{
	const struct super_block *sb = inode->i_sb;

	return sb->s_magic == OVERLAYFS_SUPER_MAGIC && !strcmp(sb->s_type->name, "overlay");
}

/*
 * Whether an overlayfs inode has an upper copy (the file was written in, or
 * copied up to, the container's writable layer). overlayfs keeps it in its
 * private struct ovl_inode, where the upper dentry pointer directly follows
 * the VFS inode (fs/overlayfs/ovl_entry.h: the same from 4.x through 6.12;
 * Falco's driver reads it the same way). It is set once, at copy-up, and
 * never cleared while the inode lives; the inode is pinned by our file ref.
 * A kernel that moved it would fail the drop_and_execute case of the VM
 * scenario rules_syscall.
 */
static bool ovl_has_upper(const struct inode *inode)
{
	struct dentry *const *upper = (struct dentry *const *)(inode + 1);

	return READ_ONCE(*upper) != NULL;
}

static struct exex *exe_info(struct shrike_event *ev)
{
	struct exex *x = cached(ev, C_EXE);
	struct file *f;

	if (x)
		return x;
	x = cache_new(ev, C_EXE, sizeof(*x));
	if (!x)
		return NULL;
	x->rc = UNKNOWN;
	x->path.rc = UNKNOWN;
	if (!current->mm)
		return x;
	f = shrike_exe_file_get(current->mm);
	if (!f)
		return x;
	shrike_dpath(ev, &f->f_path, &x->path);
	x->upper = is_overlay(file_inode(f)) && ovl_has_upper(file_inode(f));
	x->ino = file_inode(f)->i_ino;
	fput(f);
	x->rc = OK;
	return x;
}

/* ---- ancestors ---------------------------------------------------------------------- */

/*
 * Level 0 is the process itself, 1 its parent. Falco follows the parent
 * *thread* id; when that thread is not the leader of its process, Falco's
 * view (the thread's own entry) and ours part, so that is UNKNOWN.
 * Called under rcu_read_lock(); pid 0 (the idle task) ends the chain, as
 * Falco's does at init.
 */
static struct task_struct *ancestor(u32 level, int *rc)
{
	struct task_struct *p = current->group_leader, *q;
	u32 i;

	*rc = OK;
	if (level > MAX_ANCESTORS) {
		*rc = UNKNOWN;
		return NULL;
	}
	for (i = 0; i < level; i++) {
		q = rcu_dereference(p->real_parent);
		if (!q || q == p || q->pid == 0) {
			*rc = MISSING;
			return NULL;
		}
		if (!thread_group_leader(q)) {
			*rc = UNKNOWN;
			return NULL;
		}
		p = q;
	}
	return p;
}

/*
 * Falco's cmdline of another process: its comm, then the arguments after
 * argv[0] from the entry (which holds the whole argv: "/bin/busybox sh -c
 * x" there is "busybox sh -c x" in Falco, as the process's own
 * proc.cmdline). An argv[0] or argv that filled its field may have been
 * cut, and an entry without argv may have failed to read it: UNKNOWN.
 */
static int entry_cmdline(struct shrike_event *ev, const struct shrike_taskinfo *e,
			 const char *comm, u32 comm_len, struct xstr *x)
{
	u32 skip = e->exe_len;

	if (!e->cmdline_len || e->exe_len >= SHRIKE_TASK_EXE_MAX - 1 ||
	    e->cmdline_len >= SHRIKE_TASK_CMDLINE_MAX - 1 || skip > e->cmdline_len)
		return UNKNOWN;
	if (skip < e->cmdline_len)
		skip++;		/* the space that replaced argv[0]'s NUL */
	x->p = sjoin3(ev, comm, comm_len, " ", skip < e->cmdline_len ? 1 : 0,
		      e->cmdline + skip, e->cmdline_len - skip, &x->len);
	x->rc = x->p ? OK : UNKNOWN;
	return x->rc;
}

/* What the tasks table knows of tgid; comm is the task's, for cmdline. */
static int task_entry_str(struct shrike_event *ev, pid_t tgid, u16 field, const char *comm,
			  u32 comm_len, struct xstr *x)
{
	const struct shrike_taskinfo *e;

	x->rc = UNKNOWN;
	rcu_read_lock();
	e = shrike_task_find(tgid);
	if (e && field == SHRIKE_F_PROC_ACMDLINE) {
		entry_cmdline(ev, e, comm, comm_len, x);
	} else if (e) {
		const char *src;
		u32 len, max;

		if (field == SHRIKE_F_PROC_AEXE)
			src = e->exe, len = e->exe_len, max = SHRIKE_TASK_EXE_MAX;
		else
			src = e->exepath, len = e->exepath_len, max = SHRIKE_TASK_EXE_MAX;
		/* A value filling its field may have been cut short. */
		if (len < max - 1) {
			x->p = sdup(ev, src, len);
			x->len = len;
		}
		if (x->p)
			x->rc = OK;
	}
	rcu_read_unlock();
	return x->rc;
}

static int fetch_self_base(struct shrike_event *ev, u16 field, struct shrike_val *out);
static int ancestor_list(struct shrike_event *ev, u16 field, struct shrike_val *out);

/*
 * One ancestor's value. pid and name come from the task itself; exe,
 * exepath and cmdline of other processes only from the tasks table, and
 * an absent entry is UNKNOWN: the process may simply predate the module.
 */
static int ancestor_val(struct shrike_event *ev, u16 field, u32 level, struct xstr *x,
			pid_t *pid)
{
	struct task_struct *p;
	char comm[TASK_COMM_LEN];
	pid_t tgid;
	int rc;

	rcu_read_lock();
	p = ancestor(level, &rc);
	if (!p) {
		rcu_read_unlock();
		return rc;
	}
	tgid = p->tgid;
	if (pid)
		*pid = tgid;
	/* ancestor() gives group leaders only. */
	if (field == SHRIKE_F_PROC_ANAME || field == SHRIKE_F_PROC_ACMDLINE)
		shrike_task_comm(p, comm);
	rcu_read_unlock();
	if (field == SHRIKE_F_PROC_APID)
		return rc;
	if (field == SHRIKE_F_PROC_ANAME) {
		x->len = strnlen(comm, sizeof(comm));
		x->p = sdup(ev, comm, x->len);
		x->rc = x->p ? OK : UNKNOWN;
		return x->rc;
	}
	return task_entry_str(ev, tgid, field, comm, strnlen(comm, sizeof(comm)), x);
}

static u16 level0_field(u16 field)
{
	switch (field) {
	case SHRIKE_F_PROC_ANAME:
		return SHRIKE_F_PROC_NAME;
	case SHRIKE_F_PROC_AEXE:
		return SHRIKE_F_PROC_EXE;
	case SHRIKE_F_PROC_AEXEPATH:
		return SHRIKE_F_PROC_EXEPATH;
	case SHRIKE_F_PROC_ACMDLINE:
		return SHRIKE_F_PROC_CMDLINE;
	default:
		return SHRIKE_F_PROC_PID;
	}
}

/*
 * proc.aname[N] and friends. Without an index: every ancestor from the
 * parent up as a STRLIST, which eval.c matches when any element does; an
 * incomplete chain is UNKNOWN since the missing one might have matched.
 */
int shrike_fetch_ancestor(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out)
{
	struct xstr x = { .rc = UNKNOWN };
	pid_t pid = 0;
	int rc;

	if (arg != SHRIKE_ARG_NONE) {
		if (arg == 0)
			return fetch_self_base(ev, level0_field(field), out);
		rc = ancestor_val(ev, field, arg, &x, &pid);
		if (rc != OK)
			return rc;
		if (field == SHRIKE_F_PROC_APID)
			return ret_u64(out, pid);
		return ret_xstr(out, &x);
	}
	if (field == SHRIKE_F_PROC_APID)
		return UNKNOWN;		/* a number list has no type here */
	if (field == SHRIKE_F_PROC_ANAME) {
		struct miscx *m = misc(ev);

		if (!m)
			return UNKNOWN;
		if (!m->aname_done) {
			m->aname_done = true;
			m->aname_rc = ancestor_list(ev, field, &m->aname);
		}
		*out = m->aname;
		return m->aname_rc;
	}
	return ancestor_list(ev, field, out);
}

static int ancestor_list(struct shrike_event *ev, u16 field, struct shrike_val *out)
{
	struct shrike_str *items;
	struct xstr x = { .rc = UNKNOWN };
	u32 n = 0, lvl;
	int rc;

	items = (void *)shrike_scratch_alloc(ev, MAX_ANCESTORS * sizeof(*items));
	if (!items)
		return UNKNOWN;
	for (lvl = 1; lvl <= MAX_ANCESTORS; lvl++) {
		rc = ancestor_val(ev, field, lvl, &x, NULL);
		if (rc == MISSING)
			break;
		if (rc != OK)
			return UNKNOWN;
		items[n].ptr = x.p;
		items[n].len = x.len;
		n++;
	}
	if (lvl > MAX_ANCESTORS)
		return UNKNOWN;
	if (!n)
		return MISSING;
	out->type = SHRIKE_T_STRLIST;
	out->list.items = items;
	out->list.n = n;
	return OK;
}

/* The parent, as Falco's ptid: UNKNOWN unless it leads its process. */
static int fetch_parent_id(u16 field, struct shrike_val *out)
{
	struct task_struct *p;
	int rc;
	u64 v = 0;

	rcu_read_lock();
	p = ancestor(1, &rc);
	if (p) {
		switch (field) {
		case SHRIKE_F_PROC_PPID:
			v = p->tgid;
			break;
		case SHRIKE_F_PROC_PVPID:
			v = __task_pid_nr_ns(p, PIDTYPE_TGID, task_active_pid_ns(p));
			if (!v)
				rc = UNKNOWN;
			break;
		}
	}
	rcu_read_unlock();
	return rc == OK ? ret_u64(out, v) : rc;
}

/*
 * proc.sname / proc.vpgid.name: the leader's comm when it is alive and we
 * are in the initial pid namespace; Falco walks its own tree otherwise.
 */
static int fetch_leader_name(struct shrike_event *ev, enum pid_type type, struct shrike_val *out)
{
	struct task_struct *t;
	struct pid *pid;
	int rc = UNKNOWN;
	char *buf;

	if (task_active_pid_ns(current) != &init_pid_ns)
		return UNKNOWN;
	buf = shrike_scratch_alloc(ev, TASK_COMM_LEN);
	if (!buf)
		return UNKNOWN;
	rcu_read_lock();
	pid = task_pid_type(current->group_leader, type);
	t = pid ? pid_task(pid, PIDTYPE_PID) : NULL;
	if (t && thread_group_leader(t)) {
		shrike_task_comm(t, buf);
		rc = ret_str(out, buf, strnlen(buf, TASK_COMM_LEN));
	}
	rcu_read_unlock();
	return rc;
}

static int fetch_tty(struct shrike_val *out)
{
	/* Only current's own exec replaces its sighand. */
	struct sighand_struct *sh = rcu_dereference_protected(current->sighand, 1);
	unsigned long flags;
	struct tty_struct *tty;
	u64 v = 0;

	/*
	 * signal->tty changes only under siglock; the tty stays valid while
	 * attached, so its devnum can be read before unlocking.
	 */
	spin_lock_irqsave(&sh->siglock, flags);
	tty = current->signal->tty;
	if (tty)
		v = new_encode_dev(tty_devnum(tty));
	spin_unlock_irqrestore(&sh->siglock, flags);
	return ret_u64(out, v);
}

/*
 * Falco's user.uid/group.gid are the effective ids; a user namespace
 * would make its view ambiguous (host vs. namespace ids).
 */
static int fetch_id(u16 field, struct shrike_val *out)
{
	const struct cred *c = current_cred();

	if (c->user_ns != &init_user_ns)
		return UNKNOWN;
	if (field == SHRIKE_F_USER_UID)
		return ret_u64(out, from_kuid(&init_user_ns, c->euid));
	return ret_u64(out, from_kgid(&init_user_ns, c->egid));
}

static int fetch_loginuid(struct shrike_val *out)
{
	kuid_t uid = audit_get_loginuid(current);

	if (!uid_valid(uid))
		return ret_s64(out, -1);
	return ret_s64(out, from_kuid(&init_user_ns, uid));
}

/* Fields of the process itself, also proc.a*[0]. */
static int fetch_self_base(struct shrike_event *ev, u16 field, struct shrike_val *out)
{
	struct argvx *a;
	struct exex *x;
	const char *s;
	u32 len;

	switch (field) {
	case SHRIKE_F_PROC_NAME:
		s = self_comm(ev, &len);
		return s ? ret_str(out, s, len) : UNKNOWN;
	case SHRIKE_F_PROC_PID:
		return ret_u64(out, task_tgid_nr(current));
	case SHRIKE_F_PROC_EXE:
		a = argv_info(ev);
		if (!a || a->rc != OK)
			return UNKNOWN;
		return ret_str(out, a->exe, a->exe_len);
	case SHRIKE_F_PROC_EXEPATH:
		x = exe_info(ev);
		return x ? ret_xstr(out, &x->path) : UNKNOWN;
	case SHRIKE_F_PROC_CMDLINE:
		return fetch_cmdline(ev, out);
	}
	return UNKNOWN;
}

/* ---- proc.*, thread.*, user.*, group.* ---------------------------------------------- */

/* The process itself: proc.* other than its parent's and ancestors'. */
int shrike_fetch_proc(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out)
{
	struct exex *x;
	struct argvx *a;
	struct xstr *xs;
	u32 len;
	char *p;

	switch (field) {
	case SHRIKE_F_PROC_NAME:
	case SHRIKE_F_PROC_PID:
	case SHRIKE_F_PROC_EXE:
	case SHRIKE_F_PROC_EXEPATH:
	case SHRIKE_F_PROC_CMDLINE:
		return fetch_self_base(ev, field, out);
	case SHRIKE_F_PROC_ARGS:
		a = argv_info(ev);
		if (!a || a->rc != OK)
			return UNKNOWN;
		return ret_str(out, a->args, a->args_len);
	case SHRIKE_F_PROC_CMDNARGS:
		a = argv_info(ev);
		return a && a->rc == OK ? ret_u64(out, a->nargs) : UNKNOWN;
	case SHRIKE_F_PROC_CMDLENARGS:
		a = argv_info(ev);
		if (!a || a->rc != OK)
			return UNKNOWN;
		return ret_u64(out, a->nargs ? a->args_len - (a->nargs - 1) : 0);
	case SHRIKE_F_PROC_EXELINE:
		/* Falco: exe, a space, then the args. */
		a = argv_info(ev);
		if (!a || a->rc != OK)
			return UNKNOWN;
		p = sjoin3(ev, a->exe, a->exe_len, " ", 1, a->args, a->args_len, &len);
		return p ? ret_str(out, p, len) : UNKNOWN;
	case SHRIKE_F_PROC_VPID:
		return ret_u64(out, task_tgid_vnr(current));
	case SHRIKE_F_PROC_SID:
		return ret_u64(out, task_session_vnr(current));
	case SHRIKE_F_PROC_VPGID:
		return ret_u64(out, task_pgrp_vnr(current));
	case SHRIKE_F_PROC_IS_SID_LEADER:
		return ret_bool(out, task_session_vnr(current) == task_tgid_vnr(current));
	case SHRIKE_F_PROC_IS_VPGID_LEADER:
		return ret_bool(out, task_pgrp_vnr(current) == task_tgid_vnr(current));
	case SHRIKE_F_PROC_SNAME:
		return fetch_leader_name(ev, PIDTYPE_SID, out);
	case SHRIKE_F_PROC_VPGID_NAME:
		return fetch_leader_name(ev, PIDTYPE_PGID, out);
	case SHRIKE_F_PROC_CWD:
		xs = shrike_cwd_info(ev);
		return xs ? ret_xstr(out, xs) : UNKNOWN;
	case SHRIKE_F_PROC_TTY:
		return fetch_tty(out);
	case SHRIKE_F_PROC_EXE_INO:
		x = exe_info(ev);
		return x && x->rc == OK && x->ino ? ret_u64(out, x->ino) : UNKNOWN;
	case SHRIKE_F_PROC_IS_EXE_UPPER_LAYER:
		x = exe_info(ev);
		if (!x || x->rc != OK)
			return UNKNOWN;
		return ret_bool(out, x->upper);
	case SHRIKE_F_PROC_IS_EXE_FROM_MEMFD:
		x = exe_info(ev);
		if (!x || x->path.rc != OK)
			return UNKNOWN;
		return ret_bool(out, starts_with(x->path.p, x->path.len, "/memfd:"));
	case SHRIKE_F_PROC_DURATION: {
		/*
		 * Falco: the event's time minus the thread's clone time (or its
		 * /proc start time for threads older than the capture).
		 */
		u64 now = ktime_get_boot_fast_ns(), start = current->start_boottime;

		return ret_u64(out, now > start ? now - start : 0);
	}
	}
	return UNKNOWN;
}

/* The parent: proc.pname, pexe, pexepath, pcmdline (proc.a*[1]), ppid, pvpid. */
int shrike_fetch_parent(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out)
{
	switch (field) {
	case SHRIKE_F_PROC_PNAME:
		return shrike_fetch_ancestor(ev, SHRIKE_F_PROC_ANAME, 1, out);
	case SHRIKE_F_PROC_PEXE:
		return shrike_fetch_ancestor(ev, SHRIKE_F_PROC_AEXE, 1, out);
	case SHRIKE_F_PROC_PEXEPATH:
		return shrike_fetch_ancestor(ev, SHRIKE_F_PROC_AEXEPATH, 1, out);
	case SHRIKE_F_PROC_PCMDLINE:
		return shrike_fetch_ancestor(ev, SHRIKE_F_PROC_ACMDLINE, 1, out);
	case SHRIKE_F_PROC_PPID:
	case SHRIKE_F_PROC_PVPID:
		return fetch_parent_id(field, out);
	}
	return UNKNOWN;
}

/* thread.tid, vtid, ismain and the capability sets. */
int shrike_fetch_thread(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out)
{
	switch (field) {
	case SHRIKE_F_THREAD_TID:
		return ret_u64(out, task_pid_nr(current));
	case SHRIKE_F_THREAD_VTID:
		return ret_u64(out, task_pid_vnr(current));
	case SHRIKE_F_THREAD_ISMAIN:
		return ret_bool(out, thread_group_leader(current));
	case SHRIKE_F_THREAD_CAP_PERMITTED:
		return caps_str(ev, cap_bits(current_cred()->cap_permitted), out);
	case SHRIKE_F_THREAD_CAP_INHERITABLE:
		return caps_str(ev, cap_bits(current_cred()->cap_inheritable), out);
	case SHRIKE_F_THREAD_CAP_EFFECTIVE:
		return caps_str(ev, cap_bits(current_cred()->cap_effective), out);
	}
	return UNKNOWN;
}

/* user.uid, group.gid, user.loginuid. */
int shrike_fetch_user(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out)
{
	switch (field) {
	case SHRIKE_F_USER_UID:
	case SHRIKE_F_GROUP_GID:
		return fetch_id(field, out);
	case SHRIKE_F_USER_LOGINUID:
		return fetch_loginuid(out);
	}
	return UNKNOWN;
}
