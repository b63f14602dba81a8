// SPDX-License-Identifier: GPL-2.0
/*
 * extract.c - the kernel's field extractors: shrike_fetch() computes a
 * Falco field for the event being evaluated, from current, the syscall's
 * registers and the file or socket behind an fd.
 *
 * The extractors are in kmod/fields/, one file per family (evt.c: the
 * event and its result; arg.c: evt.arg/rawarg; proc.c: process, parent,
 * ancestors, thread, user, group; fd.c: fds and sockets; path.c: fs.path,
 * evt.abspath and path resolution; cgroup.c: container.id), with what they
 * share in fields.h. This file holds the table that gives each field the
 * extractor that computes it, indexed by field id, and the check at module
 * load that every field the registry (kmod/uapi/shrike_fields.h) puts in
 * the kernel has one.
 *
 * They run in the sys_enter/sys_exit tracepoints with preemption disabled:
 * none sleeps or allocates, user memory is only read with
 * copy_from_user_nofault(), every loop is bounded, and the only locks are
 * spinlocks (fs->lock, siglock, task_lock via helpers). Strings land in the
 * per-CPU scratch; results that cost more than a load are computed once per
 * event and kept in ev->have / ev->cache (the probe zeroes both per event).
 *
 * The rule is Falco parity or nothing: where Falco's value depends on state
 * the kernel does not have (its own fd table, a path as first opened, a
 * user-name lookup) or where Falco's rendering could not be pinned down, the
 * answer is SHRIKE_FETCH_UNKNOWN, which makes the rule a candidate for the
 * agent instead of a silent mismatch.
 *
 * fd.ip, fd.net and fd.port never reach here: the compiler splits them into
 * their client and server halves (compiler/cond.c).
 * Always UNKNOWN here. The agent reads these from /proc/PID when the
 * candidate arrives (lib/procfs.c; the compiler has proc.pid captured
 * with them): proc.vmsize, proc.vmrss, proc.vmswap (status), proc.fdlimit
 * (limits), proc.fdopencount (fd/), proc.env and proc.env[NAME] (environ),
 * proc.exe_ino.ctime and proc.exe_ino.mtime (stat of exe). The agent has no
 * value for these either (<NA> in outputs, comparisons false, as a field
 * libsinsp cannot extract):
 *   evt.latency (at exit), evt.category, evt.args, evt.info, evt.buffer,
 *   evt.buflen, evt.io_dir, evt.is_wait, evt.is_syslog, evt.arg[N] by
 *   position, proc.sid.exe, proc.sid.exepath, proc.vpgid.exe,
 *   proc.vpgid.exepath, proc.ppid.duration, proc.pid.ts, proc.ppid.ts,
 *   proc.is_exe_writable, proc.exe_ino.ctime_duration_*,
 *   proc.pidns_init_start_ts, thread.pfmajor, thread.pfminor (libsinsp's
 *   are the counts at the thread's last exec or clone, not /proc's),
 *   thread.cgroups, thread.cgroup (the driver's per-controller list, which
 *   /proc/PID/cgroup does not give on cgroup v2), fd.uid, fd.name_changed,
 *   container.start_ts, container.duration.
 * And proc.apid without an index (fields/proc.c).
 * UNKNOWN in some cases only (see the code): evt.arg.NAME for fd, dirfd,
 * uid, gid, pid, mode, flag-set and struct kinds (Falco resolves them to
 * names: "<f>/etc/passwd", "root", ...); evt.rawarg of strings and of open
 * flags at exit; relative or non-normalised paths in evt.arg; paths whose
 * last component is empty, "." or ".." (trailing '/': libsinsp versions
 * disagree there); paths relative to a dirfd in fs.path.*; deleted files; v4-mapped
 * and unix socket names; socket roles outside connect (success or
 * EINPROGRESS) and accept except for connected TCP sockets (infer_role),
 * and fd.lip/rip/lport/rport for servers; socket families with two names
 * (AF_UNIX/AF_LOCAL, AF_NETLINK/AF_ROUTE) or unknown to Falco's driver;
 * fds created by pipe/socketpair or unknown to
 * fget (closed by another thread); names of failed non-open creators;
 * memfd and named-fifo types; directories opened without O_DIRECTORY;
 * argv longer than a page or rewritten (setproctitle); processes in a user
 * namespace (uids); ancestors deeper
 * than 32 or that are not thread-group leaders, or missing from the tasks
 * table (exe, exepath, cmdline of others); container cgroups of runtimes
 * other than docker/containerd/cri-o/podman, or the root cgroup.
 */
#include <linux/indirect_call_wrapper.h>
#include <linux/printk.h>
#include "shrike.h"
#include "profile.h"
#include "fields/fields.h"

/* A kernel field the module does not compute: the agent decides. */
static int fetch_unknown(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out)
{
	return UNKNOWN;
}

/*
 * The extractor of each field the kernel computes (where KERNEL, source
 * SYSCALL in the registry); NULL for the others, which shrike_fetch()
 * answers UNKNOWN before looking here. shrike_extract_check() refuses to
 * load the module when a kernel field has no entry.
 */
static const shrike_extract_fn extractors[__SHRIKE_F_MAX] = {
	/* fields/evt.c */
	[SHRIKE_F_EVT_TYPE] = shrike_fetch_evt,
	[SHRIKE_F_SYSCALL_TYPE] = shrike_fetch_evt,
	[SHRIKE_F_EVT_TYPE_IS] = shrike_fetch_evt,
	[SHRIKE_F_EVT_DIR] = shrike_fetch_evt,
	[SHRIKE_F_EVT_NUM] = shrike_fetch_evt,
	[SHRIKE_F_EVT_RAWTIME] = shrike_fetch_evt,
	[SHRIKE_F_EVT_RAWTIME_S] = shrike_fetch_evt,
	[SHRIKE_F_EVT_RAWTIME_NS] = shrike_fetch_evt,
	[SHRIKE_F_EVT_SOURCE] = shrike_fetch_evt,
	[SHRIKE_F_EVT_CPU] = shrike_fetch_evt,
	[SHRIKE_F_EVT_LATENCY] = shrike_fetch_evt,
	[SHRIKE_F_EVT_RES] = shrike_fetch_res,
	[SHRIKE_F_EVT_RAWRES] = shrike_fetch_res,
	[SHRIKE_F_EVT_FAILED] = shrike_fetch_res,
	[SHRIKE_F_EVT_IS_IO] = shrike_fetch_is_io,
	[SHRIKE_F_EVT_IS_IO_READ] = shrike_fetch_is_io,
	[SHRIKE_F_EVT_IS_IO_WRITE] = shrike_fetch_is_io,
	[SHRIKE_F_EVT_IS_OPEN_READ] = shrike_fetch_is_open,
	[SHRIKE_F_EVT_IS_OPEN_WRITE] = shrike_fetch_is_open,
	[SHRIKE_F_EVT_IS_OPEN_EXEC] = shrike_fetch_is_open,
	[SHRIKE_F_EVT_IS_OPEN_CREATE] = shrike_fetch_is_open,
	/* fields/arg.c */
	[SHRIKE_F_EVT_ARG] = shrike_fetch_arg,
	[SHRIKE_F_EVT_RAWARG] = shrike_fetch_arg,
	/* fields/path.c */
	[SHRIKE_F_EVT_ABSPATH] = shrike_fetch_abspath,
	[SHRIKE_F_EVT_ABSPATH_SRC] = shrike_fetch_abspath,
	[SHRIKE_F_EVT_ABSPATH_DST] = shrike_fetch_abspath,
	[SHRIKE_F_FS_PATH_NAME] = shrike_fetch_fs_path,
	[SHRIKE_F_FS_PATH_NAMERAW] = shrike_fetch_fs_path,
	[SHRIKE_F_FS_PATH_SOURCE] = shrike_fetch_fs_path,
	[SHRIKE_F_FS_PATH_SOURCERAW] = shrike_fetch_fs_path,
	[SHRIKE_F_FS_PATH_TARGET] = shrike_fetch_fs_path,
	[SHRIKE_F_FS_PATH_TARGETRAW] = shrike_fetch_fs_path,
	/* fields/proc.c */
	[SHRIKE_F_PROC_NAME] = shrike_fetch_proc,
	[SHRIKE_F_PROC_PID] = shrike_fetch_proc,
	[SHRIKE_F_PROC_EXE] = shrike_fetch_proc,
	[SHRIKE_F_PROC_EXEPATH] = shrike_fetch_proc,
	[SHRIKE_F_PROC_CMDLINE] = shrike_fetch_proc,
	[SHRIKE_F_PROC_ARGS] = shrike_fetch_proc,
	[SHRIKE_F_PROC_CMDNARGS] = shrike_fetch_proc,
	[SHRIKE_F_PROC_CMDLENARGS] = shrike_fetch_proc,
	[SHRIKE_F_PROC_EXELINE] = shrike_fetch_proc,
	[SHRIKE_F_PROC_VPID] = shrike_fetch_proc,
	[SHRIKE_F_PROC_SID] = shrike_fetch_proc,
	[SHRIKE_F_PROC_VPGID] = shrike_fetch_proc,
	[SHRIKE_F_PROC_IS_SID_LEADER] = shrike_fetch_proc,
	[SHRIKE_F_PROC_IS_VPGID_LEADER] = shrike_fetch_proc,
	[SHRIKE_F_PROC_SNAME] = shrike_fetch_proc,
	[SHRIKE_F_PROC_VPGID_NAME] = shrike_fetch_proc,
	[SHRIKE_F_PROC_CWD] = shrike_fetch_proc,
	[SHRIKE_F_PROC_TTY] = shrike_fetch_proc,
	[SHRIKE_F_PROC_EXE_INO] = shrike_fetch_proc,
	[SHRIKE_F_PROC_IS_EXE_UPPER_LAYER] = shrike_fetch_proc,
	[SHRIKE_F_PROC_IS_EXE_FROM_MEMFD] = shrike_fetch_proc,
	[SHRIKE_F_PROC_DURATION] = shrike_fetch_proc,
	[SHRIKE_F_PROC_PNAME] = shrike_fetch_parent,
	[SHRIKE_F_PROC_PEXE] = shrike_fetch_parent,
	[SHRIKE_F_PROC_PEXEPATH] = shrike_fetch_parent,
	[SHRIKE_F_PROC_PCMDLINE] = shrike_fetch_parent,
	[SHRIKE_F_PROC_PPID] = shrike_fetch_parent,
	[SHRIKE_F_PROC_PVPID] = shrike_fetch_parent,
	[SHRIKE_F_PROC_ANAME] = shrike_fetch_ancestor,
	[SHRIKE_F_PROC_APID] = shrike_fetch_ancestor,
	[SHRIKE_F_PROC_AEXE] = shrike_fetch_ancestor,
	[SHRIKE_F_PROC_AEXEPATH] = shrike_fetch_ancestor,
	[SHRIKE_F_PROC_ACMDLINE] = shrike_fetch_ancestor,
	[SHRIKE_F_THREAD_TID] = shrike_fetch_thread,
	[SHRIKE_F_THREAD_VTID] = shrike_fetch_thread,
	[SHRIKE_F_THREAD_ISMAIN] = shrike_fetch_thread,
	[SHRIKE_F_THREAD_CAP_PERMITTED] = shrike_fetch_thread,
	[SHRIKE_F_THREAD_CAP_INHERITABLE] = shrike_fetch_thread,
	[SHRIKE_F_THREAD_CAP_EFFECTIVE] = shrike_fetch_thread,
	[SHRIKE_F_USER_UID] = shrike_fetch_user,
	[SHRIKE_F_GROUP_GID] = shrike_fetch_user,
	[SHRIKE_F_USER_LOGINUID] = shrike_fetch_user,
	/* fields/fd.c */
	[SHRIKE_F_FD_NUM] = shrike_fetch_fd,
	[SHRIKE_F_FD_TYPE] = shrike_fetch_fd,
	[SHRIKE_F_FD_TYPECHAR] = shrike_fetch_fd,
	[SHRIKE_F_FD_NAME] = shrike_fetch_fd,
	[SHRIKE_F_FD_NAMERAW] = shrike_fetch_fd,
	[SHRIKE_F_FD_DIRECTORY] = shrike_fetch_fd,
	[SHRIKE_F_FD_FILENAME] = shrike_fetch_fd,
	[SHRIKE_F_FD_CONTAINERNAME] = shrike_fetch_fd,
	[SHRIKE_F_FD_CONTAINERDIRECTORY] = shrike_fetch_fd,
	[SHRIKE_F_FD_INO] = shrike_fetch_fd,
	[SHRIKE_F_FD_DEV] = shrike_fetch_fd,
	[SHRIKE_F_FD_DEV_MAJOR] = shrike_fetch_fd,
	[SHRIKE_F_FD_DEV_MINOR] = shrike_fetch_fd,
	[SHRIKE_F_FD_SOCKFAMILY] = shrike_fetch_fd,
	[SHRIKE_F_FD_IS_SERVER] = shrike_fetch_fd,
	[SHRIKE_F_FD_CONNECTED] = shrike_fetch_fd,
	[SHRIKE_F_FD_L4PROTO] = shrike_fetch_fd,
	[SHRIKE_F_FD_CIP] = shrike_fetch_fd,
	[SHRIKE_F_FD_SIP] = shrike_fetch_fd,
	[SHRIKE_F_FD_LIP] = shrike_fetch_fd,
	[SHRIKE_F_FD_RIP] = shrike_fetch_fd,
	[SHRIKE_F_FD_CPORT] = shrike_fetch_fd,
	[SHRIKE_F_FD_SPORT] = shrike_fetch_fd,
	[SHRIKE_F_FD_LPORT] = shrike_fetch_fd,
	[SHRIKE_F_FD_RPORT] = shrike_fetch_fd,
	[SHRIKE_F_FD_CNET] = shrike_fetch_fd,
	[SHRIKE_F_FD_SNET] = shrike_fetch_fd,
	[SHRIKE_F_FD_LNET] = shrike_fetch_fd,
	[SHRIKE_F_FD_RNET] = shrike_fetch_fd,
	/* fields/cgroup.c */
	[SHRIKE_F_CONTAINER_ID] = shrike_fetch_container,
	/* Kernel fields the module leaves to the agent: see the first comment. */
	[SHRIKE_F_EVT_CATEGORY] = fetch_unknown,
	[SHRIKE_F_EVT_ARGS] = fetch_unknown,
	[SHRIKE_F_EVT_INFO] = fetch_unknown,
	[SHRIKE_F_EVT_BUFFER] = fetch_unknown,
	[SHRIKE_F_EVT_BUFLEN] = fetch_unknown,
	[SHRIKE_F_EVT_IO_DIR] = fetch_unknown,
	[SHRIKE_F_EVT_IS_WAIT] = fetch_unknown,
	[SHRIKE_F_EVT_IS_SYSLOG] = fetch_unknown,
	[SHRIKE_F_PROC_ENV] = fetch_unknown,
	[SHRIKE_F_PROC_SID_EXE] = fetch_unknown,
	[SHRIKE_F_PROC_SID_EXEPATH] = fetch_unknown,
	[SHRIKE_F_PROC_VPGID_EXE] = fetch_unknown,
	[SHRIKE_F_PROC_VPGID_EXEPATH] = fetch_unknown,
	[SHRIKE_F_PROC_PPID_DURATION] = fetch_unknown,
	[SHRIKE_F_PROC_PID_TS] = fetch_unknown,
	[SHRIKE_F_PROC_PPID_TS] = fetch_unknown,
	[SHRIKE_F_PROC_IS_EXE_WRITABLE] = fetch_unknown,
	[SHRIKE_F_PROC_EXE_INO_CTIME] = fetch_unknown,
	[SHRIKE_F_PROC_EXE_INO_MTIME] = fetch_unknown,
	[SHRIKE_F_PROC_EXE_INO_CTIME_DURATION_PROC_START] = fetch_unknown,
	[SHRIKE_F_PROC_EXE_INO_CTIME_DURATION_PIDNS_START] = fetch_unknown,
	[SHRIKE_F_PROC_PIDNS_INIT_START_TS] = fetch_unknown,
	[SHRIKE_F_PROC_FDOPENCOUNT] = fetch_unknown,
	[SHRIKE_F_PROC_FDLIMIT] = fetch_unknown,
	[SHRIKE_F_PROC_VMSIZE] = fetch_unknown,
	[SHRIKE_F_PROC_VMRSS] = fetch_unknown,
	[SHRIKE_F_PROC_VMSWAP] = fetch_unknown,
	[SHRIKE_F_THREAD_PFMAJOR] = fetch_unknown,
	[SHRIKE_F_THREAD_PFMINOR] = fetch_unknown,
	[SHRIKE_F_THREAD_CGROUPS] = fetch_unknown,
	[SHRIKE_F_THREAD_CGROUP] = fetch_unknown,
	[SHRIKE_F_FD_UID] = fetch_unknown,
	[SHRIKE_F_FD_NAME_CHANGED] = fetch_unknown,
	[SHRIKE_F_CONTAINER_START_TS] = fetch_unknown,
	[SHRIKE_F_CONTAINER_DURATION] = fetch_unknown,
	/* Split into client and server halves by the compiler: never asked. */
	[SHRIKE_F_FD_IP] = fetch_unknown,
	[SHRIKE_F_FD_NET] = fetch_unknown,
	[SHRIKE_F_FD_PORT] = fetch_unknown,
};

static int fetch_field(void *ctx, u16 field, u16 arg, struct shrike_val *out)
{
	struct shrike_event *ev = ctx;
	shrike_extract_fn fn;

	if (!ev || field >= __SHRIKE_F_MAX ||
	    shrike_fields[field].where != SHRIKE_W_KERNEL ||
	    shrike_fields[field].source != SHRIKE_SRC_SYSCALL)
		return UNKNOWN;
	if (shrike_fields[field].argkind == SHRIKE_ARGK_NONE && arg != SHRIKE_ARG_NONE)
		return UNKNOWN;
	fn = extractors[field];
	if (unlikely(!fn))
		return UNKNOWN;
	/* Direct calls for the families most rules use: no retpoline there. */
	return INDIRECT_CALL_4(fn, shrike_fetch_proc, shrike_fetch_fd, shrike_fetch_parent,
			       shrike_fetch_evt, ev, field, arg, out);
}

int shrike_fetch(void *ctx, u16 field, u16 arg, struct shrike_val *out)
{
	PROFILE_START(t0);
	int rc = fetch_field(ctx, field, arg, out);

	PROFILE_END(__SHRIKE_PROF_STAGES + field, t0);
	return rc;
}

/*
 * At module load: every field the registry says the kernel computes has an
 * extractor (fetch_unknown counts: leaving a field to the agent is said in
 * the table, not by omission). Each one missing is named; -EINVAL if any.
 */
int __init shrike_extract_check(void)
{
	int ret = 0;
	u32 i;

	for (i = 0; i < __SHRIKE_F_MAX; i++) {
		const struct shrike_field_desc *d = &shrike_fields[i];

		if (d->where != SHRIKE_W_KERNEL || d->source != SHRIKE_SRC_SYSCALL ||
		    extractors[i])
			continue;
		pr_err("shrike: kernel field %s (id %u) has no extractor\n", d->name, i);
		ret = -EINVAL;
	}
	return ret;
}
