// SPDX-License-Identifier: GPL-2.0
/*
 * extract.c - the kernel's field extractors: shrike_fetch() computes a
 * Falco field for the event being evaluated, from current, the syscall's
 * registers and the file or socket behind an fd.
 *
 * It runs in the sys_enter/sys_exit tracepoints with preemption disabled:
 * nothing here sleeps or allocates, user memory is only read with
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
 * Always UNKNOWN here (computed by the agent):
 *   evt.latency (at exit), evt.category, evt.args, evt.info, evt.buffer,
 *   evt.buflen, evt.io_dir, evt.is_wait, evt.is_syslog, evt.arg[N] by
 *   position, proc.env, proc.sid.exe, proc.sid.exepath, proc.vpgid.exe,
 *   proc.vpgid.exepath, proc.ppid.duration, proc.pid.ts,
 *   proc.ppid.ts, proc.is_exe_writable, proc.exe_ino.ctime,
 *   proc.exe_ino.mtime, proc.exe_ino.ctime_duration_*,
 *   proc.pidns_init_start_ts, proc.fdopencount, proc.fdlimit, proc.vmsize,
 *   proc.vmrss, proc.vmswap, thread.pfmajor, thread.pfminor,
 *   thread.cgroups, thread.cgroup, fd.uid, fd.name_changed,
 *   container.start_ts, container.duration, proc.apid without an index.
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
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/kdev_t.h>
#include <linux/kernfs.h>
#include <linux/mm_types.h>
#include <linux/net.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/tty.h>
#include <linux/uaccess.h>
#include <linux/un.h>
#include <linux/user_namespace.h>
#include <linux/version.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <uapi/linux/magic.h>
#include <uapi/linux/openat2.h>
#include "event.h"
#include "profile.h"
#include "syscalls.h"
#include "tasks.h"

#define OK	SHRIKE_FETCH_OK
#define MISSING	SHRIKE_FETCH_MISSING
#define UNKNOWN	SHRIKE_FETCH_UNKNOWN

/* Longest ancestor chain walked; deeper levels read UNKNOWN. */
#define MAX_ANCESTORS	32
/* Falco's driver reads at most a page of argv. */
#define ARGV_MAX	PAGE_SIZE

/* ev->cache slots, one bit each in ev->have. */
enum {
	C_FD,		/* struct fdx */
	C_ARGV,		/* struct argvx */
	C_CWD,		/* struct xstr */
	C_EXE,		/* struct exex */
	C_CGROUP,	/* struct xstr: container.id */
	C_PATH0,	/* struct pathx: the event's first path parameter */
	C_PATH1,	/* struct pathx: its second one (rename, link) */
	C_MISC,		/* struct miscx: small values used by many rules */
};

struct xstr {
	int rc;
	const char *p;
	u32 len;
};

/* ---- small helpers --------------------------------------------------------------- */

static int ret_str(struct shrike_val *out, const char *p, u32 len)
{
	out->type = SHRIKE_T_STR;
	out->str.ptr = p;
	out->str.len = len;
	return OK;
}

static int ret_cstr(struct shrike_val *out, const char *p)
{
	return ret_str(out, p, strlen(p));
}

static int ret_xstr(struct shrike_val *out, const struct xstr *x)
{
	if (!x || x->rc != OK)
		return x ? x->rc : UNKNOWN;
	return ret_str(out, x->p, x->len);
}

static int ret_u64(struct shrike_val *out, u64 v)
{
	out->type = SHRIKE_T_U64;
	out->u = v;
	return OK;
}

static int ret_s64(struct shrike_val *out, s64 v)
{
	out->type = SHRIKE_T_S64;
	out->s = v;
	return OK;
}

static int ret_bool(struct shrike_val *out, bool b)
{
	out->type = SHRIKE_T_BOOL;
	out->u = b;
	return OK;
}

static int ret_ip(struct shrike_val *out, u8 type, u8 fam, const u8 *ip)
{
	out->type = type;
	out->family = fam;
	out->prefix = fam == 4 ? 32 : 128;
	memset(out->ip, 0, sizeof(out->ip));
	memcpy(out->ip, ip, fam == 4 ? 4 : 16);
	return OK;
}

static bool is_exit(const struct shrike_event *ev)
{
	return ev->dir == SHRIKE_DIR_EXIT;
}

static void *cached(struct shrike_event *ev, int slot)
{
	return ev->have & BIT(slot) ? ev->cache[slot] : NULL;
}

static void *cache_new(struct shrike_event *ev, int slot, u32 size)
{
	void *p = shrike_scratch_alloc(ev, size);

	if (p) {
		memset(p, 0, size);
		ev->cache[slot] = p;
		ev->have |= BIT(slot);
	}
	return p;
}

/*
 * Hands the unused tail of the most recent allocation back, so that a
 * PATH_MAX buffer holding a short path does not starve later fields.
 */
static void scratch_shrink(struct shrike_event *ev, const char *p, u32 allocated,
			   u32 keep)
{
	struct shrike_scratch *s = ev->scratch;
	u32 a = ALIGN(allocated, 8), k = ALIGN(keep, 8);

	if (p + a == s->buf + s->used && k <= a)
		s->used -= a - k;
}

static char *sdup(struct shrike_event *ev, const char *s, u32 len)
{
	char *p = shrike_scratch_alloc(ev, len + 1);

	if (p) {
		memcpy(p, s, len);
		p[len] = 0;
	}
	return p;
}

/* a + b + c into scratch. */
static char *sjoin3(struct shrike_event *ev, const char *a, u32 al, const char *b,
		    u32 bl, const char *c, u32 cl, u32 *len)
{
	char *p = shrike_scratch_alloc(ev, al + bl + cl + 1);

	if (!p)
		return NULL;
	memcpy(p, a, al);
	memcpy(p + al, b, bl);
	memcpy(p + al + bl, c, cl);
	p[al + bl + cl] = 0;
	*len = al + bl + cl;
	return p;
}

/*
 * A NUL-terminated user string of at most max - 1 bytes, read without
 * faulting (strncpy_from_user_nofault is not exported to modules). Small
 * chunks first, so the cost follows the string's length, not the
 * buffer's; no chunk crosses a page, so a string that ends just before an
 * unmapped page still reads. Returns its length, -EFAULT or -E2BIG.
 */
static long user_str(struct shrike_event *ev, unsigned long uptr, u32 max, char **out)
{
	char *buf = shrike_scratch_alloc(ev, max);
	u32 n = 0, want = 64;

	if (!buf)
		return -ENOMEM;
	while (n < max) {
		u32 chunk = min3(want, max - n, (u32)(PAGE_SIZE - ((uptr + n) & (PAGE_SIZE - 1))));
		char *z;

		if (copy_from_user_nofault(buf + n, (const void __user *)(uptr + n), chunk)) {
			scratch_shrink(ev, buf, max, 0);
			return -EFAULT;
		}
		z = memchr(buf + n, 0, chunk);
		if (z) {
			scratch_shrink(ev, buf, max, z - buf + 1);
			*out = buf;
			return z - buf;
		}
		n += chunk;
		want = 256;
	}
	scratch_shrink(ev, buf, max, 0);
	return -E2BIG;
}

/*
 * d_path() into scratch. d_path takes only RCU and seqlocks, so it is safe
 * here as long as the caller keeps the path pinned.
 */
static int dpath(struct shrike_event *ev, const struct path *path, struct xstr *x)
{
	char *buf = shrike_scratch_alloc(ev, PATH_MAX), *s;
	u32 len;

	x->rc = UNKNOWN;
	if (!buf)
		return UNKNOWN;
	s = d_path(path, buf, PATH_MAX);
	if (IS_ERR(s) || *s != '/') {
		scratch_shrink(ev, buf, PATH_MAX, 0);
		return UNKNOWN;
	}
	len = buf + PATH_MAX - 1 - s;
	memmove(buf, s, len + 1);
	scratch_shrink(ev, buf, PATH_MAX, len + 1);
	x->p = buf;
	x->len = len;
	x->rc = OK;
	return OK;
}

static bool ends_with(const char *s, u32 n, const char *suf)
{
	u32 m = strlen(suf);

	return n >= m && !memcmp(s + n - m, suf, m);
}

static bool starts_with(const char *s, u32 n, const char *pre)
{
	u32 m = strlen(pre);

	return n >= m && !memcmp(s, pre, m);
}

/*
 * True for a path Falco's concatenate_paths() leaves as it is: no empty,
 * "." or ".." component and no trailing '/'. Falco's normalisation of the
 * others changed between versions, so those are not guessed at.
 */
static bool path_simple(const char *s, u32 n)
{
	u32 i, start = 0;

	if (n == 1 && s[0] == '/')
		return true;
	if (!n || s[n - 1] == '/')
		return false;
	for (i = 0; i <= n; i++) {
		u32 len;

		if (i < n && s[i] != '/')
			continue;
		len = i - start;
		if (len == 0 && i != 0)
			return false;
		if (len == 1 && s[start] == '.')
			return false;
		if (len == 2 && s[start] == '.' && s[start + 1] == '.')
			return false;
		start = i + 1;
	}
	return true;
}

static bool is_open_family(u16 evt)
{
	return evt == SHRIKE_EVT_OPEN || evt == SHRIKE_EVT_OPENAT ||
	       evt == SHRIKE_EVT_OPENAT2 || evt == SHRIKE_EVT_CREAT;
}

static const struct shrike_param *param_by_kind(const struct shrike_sc *sc, u8 kind, int nth)
{
	int i;

	if (!sc)
		return NULL;
	for (i = 0; i < sc->nparams && i < SHRIKE_MAX_PARAMS; i++)
		if (sc->params[i].kind == kind && nth-- == 0)
			return &sc->params[i];
	return NULL;
}

static unsigned long arg_of(const struct shrike_event *ev, const struct shrike_param *p)
{
	return p->argi >= 0 && p->argi < 6 ? ev->args[p->argi] : 0;
}

/* ---- names ------------------------------------------------------------------------ */

#define EVT_NAME_(id, nm) [SHRIKE_EVT_##id] = nm,
static const char *const evt_names[__SHRIKE_EVT_MAX] = {
	SHRIKE_EVENTS(EVT_NAME_)
};
#undef EVT_NAME_

static const char *evt_name(u16 evt)
{
	return evt < __SHRIKE_EVT_MAX ? evt_names[evt] : NULL;
}

/* Linux errno names, as Falco prints a negative result. Aliased numbers
 * (EDEADLOCK, ENOTSUP) are left out: which alias Falco picks is not known. */
static const char *const errno_names[] = {
	[EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH", [EINTR] = "EINTR",
	[EIO] = "EIO", [ENXIO] = "ENXIO", [E2BIG] = "E2BIG", [ENOEXEC] = "ENOEXEC",
	[EBADF] = "EBADF", [ECHILD] = "ECHILD", [EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM",
	[EACCES] = "EACCES", [EFAULT] = "EFAULT", [ENOTBLK] = "ENOTBLK", [EBUSY] = "EBUSY",
	[EEXIST] = "EEXIST", [EXDEV] = "EXDEV", [ENODEV] = "ENODEV", [ENOTDIR] = "ENOTDIR",
	[EISDIR] = "EISDIR", [EINVAL] = "EINVAL", [ENFILE] = "ENFILE", [EMFILE] = "EMFILE",
	[ENOTTY] = "ENOTTY", [ETXTBSY] = "ETXTBSY", [EFBIG] = "EFBIG", [ENOSPC] = "ENOSPC",
	[ESPIPE] = "ESPIPE", [EROFS] = "EROFS", [EMLINK] = "EMLINK", [EPIPE] = "EPIPE",
	[EDOM] = "EDOM", [ERANGE] = "ERANGE", [ENAMETOOLONG] = "ENAMETOOLONG",
	[ENOLCK] = "ENOLCK", [ENOSYS] = "ENOSYS", [ENOTEMPTY] = "ENOTEMPTY",
	[ELOOP] = "ELOOP", [ENOMSG] = "ENOMSG", [EIDRM] = "EIDRM", [ENOSTR] = "ENOSTR",
	[ENODATA] = "ENODATA", [ETIME] = "ETIME", [ENOSR] = "ENOSR", [ENOLINK] = "ENOLINK",
	[EPROTO] = "EPROTO", [EBADMSG] = "EBADMSG", [EOVERFLOW] = "EOVERFLOW",
	[EILSEQ] = "EILSEQ", [EUSERS] = "EUSERS", [ENOTSOCK] = "ENOTSOCK",
	[EDESTADDRREQ] = "EDESTADDRREQ", [EMSGSIZE] = "EMSGSIZE", [EPROTOTYPE] = "EPROTOTYPE",
	[ENOPROTOOPT] = "ENOPROTOOPT", [EPROTONOSUPPORT] = "EPROTONOSUPPORT",
	[ESOCKTNOSUPPORT] = "ESOCKTNOSUPPORT", [EPFNOSUPPORT] = "EPFNOSUPPORT",
	[EAFNOSUPPORT] = "EAFNOSUPPORT", [EADDRINUSE] = "EADDRINUSE",
	[EADDRNOTAVAIL] = "EADDRNOTAVAIL", [ENETDOWN] = "ENETDOWN",
	[ENETUNREACH] = "ENETUNREACH", [ENETRESET] = "ENETRESET",
	[ECONNABORTED] = "ECONNABORTED", [ECONNRESET] = "ECONNRESET", [ENOBUFS] = "ENOBUFS",
	[EISCONN] = "EISCONN", [ENOTCONN] = "ENOTCONN", [ESHUTDOWN] = "ESHUTDOWN",
	[ETOOMANYREFS] = "ETOOMANYREFS", [ETIMEDOUT] = "ETIMEDOUT",
	[ECONNREFUSED] = "ECONNREFUSED", [EHOSTDOWN] = "EHOSTDOWN",
	[EHOSTUNREACH] = "EHOSTUNREACH", [EALREADY] = "EALREADY",
	[EINPROGRESS] = "EINPROGRESS", [ESTALE] = "ESTALE", [EDQUOT] = "EDQUOT",
	[ECANCELED] = "ECANCELED", [EOWNERDEAD] = "EOWNERDEAD",
	[ENOTRECOVERABLE] = "ENOTRECOVERABLE",
};

static const char *errno_name(long err)
{
	return err > 0 && err < ARRAY_SIZE(errno_names) ? errno_names[err] : NULL;
}

/* Aliased signal numbers (SIGIOT, SIGPOLL, SIGUNUSED) are left out. */
static const char *const signal_names[] = {
	[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT", [SIGILL] = "SIGILL",
	[SIGTRAP] = "SIGTRAP", [SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE",
	[SIGKILL] = "SIGKILL", [SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV",
	[SIGUSR2] = "SIGUSR2", [SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM",
	[SIGTERM] = "SIGTERM", [SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT",
	[SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP", [SIGTTIN] = "SIGTTIN",
	[SIGTTOU] = "SIGTTOU", [SIGURG] = "SIGURG", [SIGXCPU] = "SIGXCPU",
	[SIGXFSZ] = "SIGXFSZ", [SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF",
	[SIGWINCH] = "SIGWINCH",
};

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

/* ---- open flags, as Falco's driver encodes and libsinsp prints them --------------- */

#define PPM_O_RDONLY	(1 << 0)
#define PPM_O_WRONLY	(1 << 1)
#define PPM_O_RDWR	(PPM_O_RDONLY | PPM_O_WRONLY)
#define PPM_O_CREAT	(1 << 2)
#define PPM_O_APPEND	(1 << 3)
#define PPM_O_DSYNC	(1 << 4)
#define PPM_O_EXCL	(1 << 5)
#define PPM_O_NONBLOCK	(1 << 6)
#define PPM_O_SYNC	(1 << 7)
#define PPM_O_TRUNC	(1 << 8)
#define PPM_O_DIRECT	(1 << 9)
#define PPM_O_DIRECTORY	(1 << 10)
#define PPM_O_LARGEFILE	(1 << 11)
#define PPM_O_CLOEXEC	(1 << 12)
#define PPM_O_TMPFILE	(1 << 13)
#define PPM_O_F_CREATED	(1 << 14)

/*
 * Bit-for-bit what Falco's open_flags_to_scap() does, including testing
 * multi-bit flags (O_TMPFILE, O_SYNC) with a plain '&': O_DIRECTORY alone
 * therefore also reads as O_TMPFILE, as it does in Falco.
 */
static u32 ppm_open_flags(unsigned long f)
{
	u32 r;

	switch (f & (O_RDONLY | O_WRONLY | O_RDWR)) {
	case O_WRONLY:
		r = PPM_O_WRONLY;
		break;
	case O_RDWR:
		r = PPM_O_RDWR;
		break;
	default:
		r = PPM_O_RDONLY;
		break;
	}
	if (f & O_CREAT)
		r |= PPM_O_CREAT;
	if (f & O_TMPFILE)
		r |= PPM_O_TMPFILE;
	if (f & O_APPEND)
		r |= PPM_O_APPEND;
	if (f & O_DSYNC)
		r |= PPM_O_DSYNC;
	if (f & O_EXCL)
		r |= PPM_O_EXCL;
	if (f & O_NONBLOCK)
		r |= PPM_O_NONBLOCK;
	if (f & O_SYNC)
		r |= PPM_O_SYNC;
	if (f & O_TRUNC)
		r |= PPM_O_TRUNC;
	if (f & O_DIRECT)
		r |= PPM_O_DIRECT;
	if (f & O_DIRECTORY)
		r |= PPM_O_DIRECTORY;
	if (f & O_LARGEFILE)
		r |= PPM_O_LARGEFILE;
	if (f & O_CLOEXEC)
		r |= PPM_O_CLOEXEC;
	return r;
}

/* Falco's open_modes_to_scap(): the mode only counts when creating. */
static u32 ppm_open_mode(unsigned long flags, unsigned long mode)
{
	if (!(flags & (O_CREAT | O_TMPFILE)))
		return 0;
	return mode & 07777;	/* PPM_S_* have the kernel's bit positions */
}

/* One entry of a libs driver/flags_table.c table: a name and its value. */
struct flag_name {
	const char *name;
	u32 val;
};

static const struct flag_name open_flag_names[] = {	/* flags_table.c order */
	{ "O_LARGEFILE", PPM_O_LARGEFILE }, { "O_DIRECTORY", PPM_O_DIRECTORY },
	{ "O_DIRECT", PPM_O_DIRECT }, { "O_TRUNC", PPM_O_TRUNC },
	{ "O_SYNC", PPM_O_SYNC }, { "O_NONBLOCK", PPM_O_NONBLOCK },
	{ "O_EXCL", PPM_O_EXCL }, { "O_DSYNC", PPM_O_DSYNC },
	{ "O_APPEND", PPM_O_APPEND }, { "O_CREAT", PPM_O_CREAT },
	{ "O_RDWR", PPM_O_RDWR }, { "O_WRONLY", PPM_O_WRONLY },
	{ "O_RDONLY", PPM_O_RDONLY }, { "O_CLOEXEC", PPM_O_CLOEXEC },
	{ "O_NONE", 0 }, { "O_TMPFILE", PPM_O_TMPFILE },
	{ "O_F_CREATED", PPM_O_F_CREATED },
};

#define FLAGS_STR_MAX	768

/*
 * libsinsp's PT_FLAGS rendering (sinsp_evt::get_param_as_str): every entry
 * whose bits are all still in the value is printed, '|' between them, and
 * its bits taken out; an entry equal to the whole value ends the walk; a 0
 * entry only matches a value of 0. "O_TRUNC|O_CREAT|O_WRONLY" for 0x106.
 * evt.arg falls back to the decimal value when no name resolved.
 */
static int render_flags(struct shrike_event *ev, const struct flag_name *tab, u32 ntab,
			u32 initial, struct shrike_val *out)
{
	char *buf = shrike_scratch_alloc(ev, FLAGS_STR_MAX);
	u32 val = initial, n = 0, i;

	if (!buf)
		return UNKNOWN;
	for (i = 0; i < ntab; i++) {
		u32 f = tab[i].val, l;

		if (!((f == 0 && initial == 0) || (f && (val & f) == f && val)))
			continue;
		l = strlen(tab[i].name);
		if (n + l + 2 > FLAGS_STR_MAX) {
			scratch_shrink(ev, buf, FLAGS_STR_MAX, 0);
			return UNKNOWN;
		}
		if (n)
			buf[n++] = '|';
		memcpy(buf + n, tab[i].name, l);
		n += l;
		val &= ~f;
		if (f == initial)
			break;
	}
	if (!n)
		n = scnprintf(buf, FLAGS_STR_MAX, "%u", initial);
	buf[n] = 0;
	scratch_shrink(ev, buf, FLAGS_STR_MAX, n + 1);
	return ret_str(out, buf, n);
}

/* flags_table.c's chmod_mode: PT_MODE's names (PPM_S_* are the kernel's bits). */
static const struct flag_name chmod_mode_names[] = {
	{ "S_IXOTH", 0001 }, { "S_IWOTH", 0002 }, { "S_IROTH", 0004 },
	{ "S_IXGRP", 0010 }, { "S_IWGRP", 0020 }, { "S_IRGRP", 0040 },
	{ "S_IXUSR", 0100 }, { "S_IWUSR", 0200 }, { "S_IRUSR", 0400 },
	{ "S_ISVTX", 01000 }, { "S_ISGID", 02000 }, { "S_ISUID", 04000 },
};

static int render_open_flags(struct shrike_event *ev, u32 initial, struct shrike_val *out)
{
	return render_flags(ev, open_flag_names, ARRAY_SIZE(open_flag_names), initial, out);
}

/* ---- other flag and enum arguments, as the driver converts them ------------------ */

/*
 * ptrace requests: the driver's ptrace_requests_to_scap() numbers (PPM_PTRACE_*,
 * what evt.rawarg.request holds) and flags_table.c's names. The table there
 * runs from the highest value down, so only the exact entry ever matches:
 * evt.arg.request is the request's name, PTRACE_UNKNOWN for one the driver
 * does not know.
 */
static const struct {
	unsigned long req;
	u16 ppm;
	const char *name;
} ptrace_reqs[] = {
	{ PTRACE_TRACEME, 1, "PTRACE_TRACEME" }, { PTRACE_PEEKTEXT, 2, "PTRACE_PEEKTEXT" },
	{ PTRACE_PEEKDATA, 3, "PTRACE_PEEKDATA" }, { PTRACE_PEEKUSR, 4, "PTRACE_PEEKUSR" },
	{ PTRACE_POKETEXT, 5, "PTRACE_POKETEXT" }, { PTRACE_POKEDATA, 6, "PTRACE_POKEDATA" },
	{ PTRACE_POKEUSR, 7, "PTRACE_POKEUSR" }, { PTRACE_CONT, 8, "PTRACE_CONT" },
	{ PTRACE_KILL, 9, "PTRACE_KILL" }, { PTRACE_SINGLESTEP, 10, "PTRACE_SINGLESTEP" },
	{ PTRACE_ATTACH, 11, "PTRACE_ATTACH" }, { PTRACE_DETACH, 12, "PTRACE_DETACH" },
	{ PTRACE_SYSCALL, 13, "PTRACE_SYSCALL" }, { PTRACE_SETOPTIONS, 14, "PTRACE_SETOPTIONS" },
	{ PTRACE_GETEVENTMSG, 15, "PTRACE_GETEVENTMSG" },
	{ PTRACE_GETSIGINFO, 16, "PTRACE_GETSIGINFO" },
	{ PTRACE_SETSIGINFO, 17, "PTRACE_SETSIGINFO" },
	{ PTRACE_GETREGSET, 18, "PTRACE_GETREGSET" }, { PTRACE_SETREGSET, 19, "PTRACE_SETREGSET" },
	{ PTRACE_SEIZE, 20, "PTRACE_SEIZE" }, { PTRACE_INTERRUPT, 21, "PTRACE_INTERRUPT" },
	{ PTRACE_LISTEN, 22, "PTRACE_LISTEN" }, { PTRACE_PEEKSIGINFO, 23, "PTRACE_PEEKSIGINFO" },
	{ PTRACE_GETSIGMASK, 24, "PTRACE_GETSIGMASK" },
	{ PTRACE_SETSIGMASK, 25, "PTRACE_SETSIGMASK" },
#ifdef PTRACE_GETREGS
	{ PTRACE_GETREGS, 26, "PTRACE_GETREGS" },
#endif
#ifdef PTRACE_SETREGS
	{ PTRACE_SETREGS, 27, "PTRACE_SETREGS" },
#endif
#ifdef PTRACE_GETFPREGS
	{ PTRACE_GETFPREGS, 28, "PTRACE_GETFPREGS" },
#endif
#ifdef PTRACE_SETFPREGS
	{ PTRACE_SETFPREGS, 29, "PTRACE_SETFPREGS" },
#endif
#ifdef PTRACE_GETFPXREGS
	{ PTRACE_GETFPXREGS, 30, "PTRACE_GETFPXREGS" },
#endif
#ifdef PTRACE_SETFPXREGS
	{ PTRACE_SETFPXREGS, 31, "PTRACE_SETFPXREGS" },
#endif
#ifdef PTRACE_OLDSETOPTIONS
	{ PTRACE_OLDSETOPTIONS, 32, "PTRACE_OLDSETOPTIONS" },
#endif
#ifdef PTRACE_GET_THREAD_AREA
	{ PTRACE_GET_THREAD_AREA, 33, "PTRACE_GET_THREAD_AREA" },
#endif
#ifdef PTRACE_SET_THREAD_AREA
	{ PTRACE_SET_THREAD_AREA, 34, "PTRACE_SET_THREAD_AREA" },
#endif
#ifdef PTRACE_ARCH_PRCTL
	{ PTRACE_ARCH_PRCTL, 35, "PTRACE_ARCH_PRCTL" },
#endif
#ifdef PTRACE_SYSEMU
	{ PTRACE_SYSEMU, 36, "PTRACE_SYSEMU" },
#endif
#ifdef PTRACE_SYSEMU_SINGLESTEP
	{ PTRACE_SYSEMU_SINGLESTEP, 37, "PTRACE_SYSEMU_SINGLESTEP" },
#endif
#ifdef PTRACE_SINGLEBLOCK
	{ PTRACE_SINGLEBLOCK, 38, "PTRACE_SINGLEBLOCK" },
#endif
};

static int fetch_ptrace_req(unsigned long v, bool raw, struct shrike_val *out)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(ptrace_reqs); i++)
		if (ptrace_reqs[i].req == v)
			return raw ? ret_s64(out, ptrace_reqs[i].ppm) :
			       ret_cstr(out, ptrace_reqs[i].name);
	return raw ? ret_s64(out, 0) : ret_cstr(out, "PTRACE_UNKNOWN");
}

/*
 * CLONE_* flags (clone, unshare, setns's nstype) as the driver's
 * clone_flags_to_scap() numbers them (PPM_CL_*), in flags_table.c's
 * clone_flags order, which is how they print: "CLONE_NEWNS|CLONE_NEWUSER".
 * Bits the driver does not map (CLONE_NEWTIME, CLONE_PIDFD, ...) are
 * dropped, as there.
 */
static const struct flag_name clone_flag_names[] = {	/* flags_table.c order */
	{ "CLONE_FILES", 1u << 0 }, { "CLONE_FS", 1u << 1 }, { "CLONE_IO", 1u << 2 },
	{ "CLONE_NEWIPC", 1u << 3 }, { "CLONE_NEWNET", 1u << 4 }, { "CLONE_NEWNS", 1u << 5 },
	{ "CLONE_NEWPID", 1u << 6 }, { "CLONE_NEWUTS", 1u << 7 }, { "CLONE_PARENT", 1u << 8 },
	{ "CLONE_PARENT_SETTID", 1u << 9 }, { "CLONE_PTRACE", 1u << 10 },
	{ "CLONE_SIGHAND", 1u << 11 }, { "CLONE_SYSVSEM", 1u << 12 },
	{ "CLONE_THREAD", 1u << 13 }, { "CLONE_UNTRACED", 1u << 14 }, { "CLONE_VM", 1u << 15 },
	{ "CLONE_NEWUSER", 1u << 20 }, { "CLONE_CHILD_CLEARTID", 1u << 23 },
	{ "CLONE_CHILD_SETTID", 1u << 24 }, { "CLONE_SETTLS", 1u << 25 },
	{ "CLONE_VFORK", 1u << 27 }, { "CLONE_NEWCGROUP", 1u << 28 },
};

/* The kernel's flag for each entry of clone_flag_names. */
static const unsigned long clone_flag_native[] = {
	CLONE_FILES, CLONE_FS, CLONE_IO, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID,
	CLONE_NEWUTS, CLONE_PARENT, CLONE_PARENT_SETTID, CLONE_PTRACE, CLONE_SIGHAND,
	CLONE_SYSVSEM, CLONE_THREAD, CLONE_UNTRACED, CLONE_VM, CLONE_NEWUSER,
	CLONE_CHILD_CLEARTID, CLONE_CHILD_SETTID, CLONE_SETTLS, CLONE_VFORK, CLONE_NEWCGROUP,
};

static int fetch_clone_flags(struct shrike_event *ev, unsigned long v, bool raw,
			     struct shrike_val *out)
{
	u32 ppm = 0, i;

	BUILD_BUG_ON(ARRAY_SIZE(clone_flag_native) != ARRAY_SIZE(clone_flag_names));
	for (i = 0; i < ARRAY_SIZE(clone_flag_native); i++)
		if (v & clone_flag_native[i])
			ppm |= clone_flag_names[i].val;
	return raw ? ret_s64(out, ppm) :
	       render_flags(ev, clone_flag_names, ARRAY_SIZE(clone_flag_names), ppm, out);
}

/*
 * Socket families: the driver's socket_family_to_scap() keeps the Linux
 * numbers of the families it knows (others become AF_UNSPEC there: UNKNOWN
 * here, a newer driver may know more). AF_UNIX/AF_LOCAL (1) and
 * AF_NETLINK/AF_ROUTE (16) have two names in flags_table.c, printed one or
 * both depending on the libsinsp version: their names are UNKNOWN too.
 */
static const char *const af_names[] = {
	[AF_UNSPEC] = "AF_UNSPEC", [AF_INET] = "AF_INET", [AF_AX25] = "AF_AX25",
	[AF_IPX] = "AF_IPX", [AF_APPLETALK] = "AF_APPLETALK", [AF_NETROM] = "AF_NETROM",
	[AF_BRIDGE] = "AF_BRIDGE", [AF_ATMPVC] = "AF_ATMPVC", [AF_X25] = "AF_X25",
	[AF_INET6] = "AF_INET6", [AF_ROSE] = "AF_ROSE", [AF_DECnet] = "AF_DECnet",
	[AF_NETBEUI] = "AF_NETBEUI", [AF_SECURITY] = "AF_SECURITY", [AF_KEY] = "AF_KEY",
	[AF_PACKET] = "AF_PACKET", [AF_ASH] = "AF_ASH", [AF_ECONET] = "AF_ECONET",
	[AF_ATMSVC] = "AF_ATMSVC", [AF_RDS] = "AF_RDS", [AF_SNA] = "AF_SNA",
	[AF_IRDA] = "AF_IRDA", [AF_PPPOX] = "AF_PPPOX", [AF_WANPIPE] = "AF_WANPIPE",
	[AF_LLC] = "AF_LLC", [AF_CAN] = "AF_CAN", [AF_TIPC] = "AF_TIPC",
	[AF_BLUETOOTH] = "AF_BLUETOOTH", [AF_IUCV] = "AF_IUCV", [AF_RXRPC] = "AF_RXRPC",
	[AF_ISDN] = "AF_ISDN", [AF_PHONET] = "AF_PHONET", [AF_IEEE802154] = "AF_IEEE802154",
	[AF_CAIF] = "AF_CAIF", [AF_ALG] = "AF_ALG", [AF_NFC] = "AF_NFC",
};

static int fetch_sock_family(unsigned long v, bool raw, struct shrike_val *out)
{
	bool two_names = v == AF_UNIX || v == AF_NETLINK;

	if (v >= ARRAY_SIZE(af_names) || (!af_names[v] && !two_names))
		return UNKNOWN;
	if (raw)
		return ret_s64(out, v);
	return two_names ? UNKNOWN : ret_cstr(out, af_names[v]);
}

struct openx {
	int rc;
	u32 ppm;		/* Falco's flags; O_F_CREATED only through open_ppm() */
	bool created_done;	/* O_F_CREATED looked up */
	u32 mode;		/* Falco's mode */
	unsigned long raw_flags;
	struct xstr rendered;	/* evt.arg.flags */
};

/*
 * Values every rule of an event may ask for again: kept so that a table
 * with hundreds of rules does not render them hundreds of times into the
 * scratch.
 */
struct miscx {
	bool open_done, comm_done, aname_done;
	struct openx open;
	char comm[TASK_COMM_LEN];
	int aname_rc;
	struct shrike_val aname;	/* proc.aname without an index */
};

static struct miscx *misc(struct shrike_event *ev)
{
	struct miscx *m = cached(ev, C_MISC);

	return m ? m : cache_new(ev, C_MISC, sizeof(*m));
}

static bool file_created(struct shrike_event *ev)
{
	struct file *f;
	bool created;

	if (!is_exit(ev) || ev->ret < 0)
		return false;
	f = fget_raw(ev->ret);
	if (!f)
		return false;
	created = f->f_mode & FMODE_CREATED;
	fput(f);
	return created;
}

/* Flags and mode of an open-like event (open, openat, openat2, creat,
 * open_by_handle_at). */
static struct openx *open_info(struct shrike_event *ev)
{
	const struct shrike_param *p;
	struct miscx *m = misc(ev);
	struct openx *o;
	unsigned long flags = 0, mode = 0;

	if (!m)
		return NULL;
	o = &m->open;
	if (m->open_done)
		return o;
	m->open_done = true;
	o->rc = UNKNOWN;
	o->rendered.rc = UNKNOWN;
	if (ev->evt == SHRIKE_EVT_OPENAT2) {
		struct open_how how;

		if (ev->args[3] < sizeof(how) ||
		    copy_from_user_nofault(&how, (const void __user *)ev->args[2], sizeof(how)))
			return o;
		flags = how.flags;
		mode = how.mode;
	} else if (ev->evt == SHRIKE_EVT_CREAT) {
		p = param_by_kind(ev->sc, SHRIKE_P_MODE, 0);
		if (!p)
			return o;
		flags = O_CREAT | O_WRONLY | O_TRUNC;
		mode = arg_of(ev, p);
	} else {
		p = param_by_kind(ev->sc, SHRIKE_P_OPEN_FLAGS, 0);
		if (!p)
			return o;
		flags = (u32)arg_of(ev, p);
		p = param_by_kind(ev->sc, SHRIKE_P_MODE, 0);
		mode = p ? arg_of(ev, p) : 0;
	}
	o->raw_flags = flags;
	o->ppm = ppm_open_flags(flags);
	o->mode = ppm_open_mode(flags, mode);
	o->rc = OK;
	return o;
}

/* Falco's flags with O_F_CREATED, which takes an fget: only when asked. */
static u32 open_ppm(struct shrike_event *ev, struct openx *o)
{
	if (!o->created_done) {
		o->created_done = true;
		if (file_created(ev))
			o->ppm |= PPM_O_F_CREATED;
	}
	return o->ppm;
}

static bool is_open_like(u16 evt)
{
	return evt == SHRIKE_EVT_OPEN || evt == SHRIKE_EVT_OPENAT ||
	       evt == SHRIKE_EVT_OPENAT2 || evt == SHRIKE_EVT_OPEN_BY_HANDLE_AT;
}

/* evt.is_open_*: Falco looks at exit events only, and for creat only at
 * the exec bits. */
static int fetch_is_open(struct shrike_event *ev, u16 field, struct shrike_val *out)
{
	struct openx *o;
	bool v = false;

	if (!is_exit(ev) || (!is_open_like(ev->evt) && ev->evt != SHRIKE_EVT_CREAT))
		return ret_bool(out, false);
	o = open_info(ev);
	if (!o || o->rc != OK)
		return UNKNOWN;
	if (ev->evt == SHRIKE_EVT_CREAT)
		return ret_bool(out, field == SHRIKE_F_EVT_IS_OPEN_EXEC && (o->mode & 0111));
	switch (field) {
	case SHRIKE_F_EVT_IS_OPEN_READ:
		v = o->ppm & PPM_O_RDONLY;
		break;
	case SHRIKE_F_EVT_IS_OPEN_WRITE:
		v = o->ppm & PPM_O_WRONLY;
		break;
	case SHRIKE_F_EVT_IS_OPEN_CREATE:
		v = (open_ppm(ev, o) & PPM_O_F_CREATED) ||
		    ((o->ppm & PPM_O_TMPFILE) && ev->ret >= 0);
		break;
	case SHRIKE_F_EVT_IS_OPEN_EXEC:
		v = (o->ppm & (PPM_O_TMPFILE | PPM_O_CREAT)) &&
		    ev->evt != SHRIKE_EVT_OPEN_BY_HANDLE_AT && (o->mode & 0111);
		break;
	}
	return ret_bool(out, v);
}

/* ---- the current process ---------------------------------------------------------- */

/* Falco's comm is the thread's as of exec or clone: for a thread, its
 * leader's. prctl(PR_SET_NAME) renames are not seen by Falco. */
static const char *self_comm(struct shrike_event *ev, u32 *len)
{
	struct miscx *m = misc(ev);

	if (!m)
		return NULL;
	if (!m->comm_done) {
		__get_task_comm(m->comm, sizeof(m->comm), current->group_leader);
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
	/* A rewritten argv (setproctitle) no longer ends in NUL: Falco still
	 * has the original one. */
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
	dpath(ev, &f->f_path, &x->path);
	x->upper = is_overlay(file_inode(f)) && ovl_has_upper(file_inode(f));
	x->ino = file_inode(f)->i_ino;
	fput(f);
	x->rc = OK;
	return x;
}

/*
 * cwd with fs->lock held across d_path: set_fs_pwd() swaps fs->pwd under
 * that spinlock and drops the old path only after releasing it, so the
 * path stays pinned without path_get()/path_put() (dput may sleep).
 * d_path's own fs->seq read cannot spin on us: writers hold fs->lock.
 * Falco keeps cwd with a trailing '/'.
 */
static struct xstr *cwd_info(struct shrike_event *ev)
{
	struct xstr *x = cached(ev, C_CWD), p;
	struct fs_struct *fs = current->fs;
	char *s;

	if (x)
		return x;
	x = cache_new(ev, C_CWD, sizeof(*x));
	if (!x)
		return NULL;
	x->rc = UNKNOWN;
	if (!fs)
		return x;
	spin_lock(&fs->lock);
	dpath(ev, &fs->pwd, &p);
	spin_unlock(&fs->lock);
	if (p.rc != OK || ends_with(p.p, p.len, " (deleted)"))
		return x;
	if (p.len == 1) {
		*x = p;
		return x;
	}
	s = sjoin3(ev, p.p, p.len, "/", 1, "", 0, &x->len);
	if (!s)
		return x;
	x->p = s;
	x->rc = OK;
	return x;
}

/* ---- container.id from the cgroup v2 path ---------------------------------------- */

static bool hex64(const char *s, u32 n)
{
	u32 i;

	if (n != 64)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* One cgroup path component: the container id in it, if any. */
static const char *component_id(const char *c, u32 n)
{
	static const char *const prefixes[] = {
		"docker-", "cri-containerd-", "crio-", "libpod-",
	};
	u32 i;

	if (hex64(c, n))
		return c;
	if (!ends_with(c, n, ".scope"))
		return NULL;
	n -= 6;
	for (i = 0; i < ARRAY_SIZE(prefixes); i++) {
		u32 l = strlen(prefixes[i]);

		if (starts_with(c, n, prefixes[i]) && hex64(c + l, n - l))
			return c + l;
	}
	return NULL;
}

/*
 * The cgroup is pinned by a reference on its self css, taken under RCU
 * (css_tryget/css_put never sleep); kernfs_path only takes a spinlock.
 * A bare 64-hex component counts only under /docker or /kubepods, as
 * Falco's docker and CRI matchers do. Unrecognised runtimes (lxc, mesos),
 * and "/" (a cgroup v1 system: the answer would be in a v1 hierarchy) are
 * UNKNOWN rather than "host".
 */
static struct xstr *container_info(struct shrike_event *ev)
{
	struct xstr *x = cached(ev, C_CGROUP);
	struct cgroup *cg;
	char *buf, *c, *id = NULL;
	bool under_rt = false;
	int n;

	if (x)
		return x;
	x = cache_new(ev, C_CGROUP, sizeof(*x));
	if (!x)
		return NULL;
	x->rc = UNKNOWN;
	buf = shrike_scratch_alloc(ev, PATH_MAX);
	if (!buf)
		return x;
	rcu_read_lock();
	cg = task_dfl_cgroup(current);
	if (!cg || !css_tryget(&cg->self)) {
		rcu_read_unlock();
		return x;
	}
	rcu_read_unlock();
	n = kernfs_path(cg->kn, buf, PATH_MAX);
	css_put(&cg->self);
	if (n <= 1 || n >= PATH_MAX || strstr(buf, "lxc") || strstr(buf, "mesos") ||
	    strstr(buf, "garden") || strstr(buf, "bpm")) {
		scratch_shrink(ev, buf, PATH_MAX, 0);
		return x;
	}
	for (c = buf; *c; ) {
		char *e = strchrnul(c + 1, '/');
		char *comp = *c == '/' ? c + 1 : c;
		const char *hit = component_id(comp, e - comp);

		if (hit && (hit != comp || under_rt))
			id = (char *)hit;
		if (starts_with(comp, e - comp, "docker") || starts_with(comp, e - comp, "kubepods"))
			under_rt = true;
		c = e;
	}
	if (id) {
		char short_id[12];

		memcpy(short_id, id, sizeof(short_id));
		scratch_shrink(ev, buf, PATH_MAX, 0);
		x->p = sdup(ev, short_id, sizeof(short_id));
		x->len = sizeof(short_id);
	} else {
		scratch_shrink(ev, buf, PATH_MAX, 0);
		x->p = "host";
		x->len = 4;
	}
	x->rc = x->p ? OK : UNKNOWN;
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
	if (field == SHRIKE_F_PROC_ANAME || field == SHRIKE_F_PROC_ACMDLINE)
		__get_task_comm(comm, sizeof(comm), p);
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
static int fetch_ancestor(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out)
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
static int fetch_parent(u16 field, struct shrike_val *out)
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

/* proc.sname / proc.vpgid.name: the leader's comm when it is alive and we
 * are in the initial pid namespace; Falco walks its own tree otherwise. */
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
		__get_task_comm(buf, TASK_COMM_LEN, t);
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

	/* signal->tty changes only under siglock; the tty stays valid while
	 * attached, so its devnum can be read before unlocking. */
	spin_lock_irqsave(&sh->siglock, flags);
	tty = current->signal->tty;
	if (tty)
		v = new_encode_dev(tty_devnum(tty));
	spin_unlock_irqrestore(&sh->siglock, flags);
	return ret_u64(out, v);
}

/* Falco's user.uid/group.gid are the effective ids; a user namespace
 * would make its view ambiguous (host vs. namespace ids). */
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

/* ---- paths given to the syscall ---------------------------------------------------- */

struct pathx {
	int rc;			/* MISSING: the event has no such path */
	struct xstr raw;	/* as given */
	struct xstr abs;	/* made absolute against cwd or dirfd */
	bool at_dirfd;		/* relative to a dirfd other than AT_FDCWD */
	bool simple;		/* path_simple(raw): abs is raw, or base + raw */
};

/* The directory a relative path starts from: cwd, or dirfd's file. */
static int base_dir(struct shrike_event *ev, const struct shrike_param *dirfd, struct xstr *b)
{
	struct xstr *cwd;
	struct file *f;
	int fd;

	fd = dirfd ? (int)arg_of(ev, dirfd) : AT_FDCWD;
	if (fd == AT_FDCWD) {
		cwd = cwd_info(ev);
		if (!cwd || cwd->rc != OK)
			return UNKNOWN;
		*b = *cwd;	/* ends in '/' */
		return OK;
	}
	f = fget_raw(fd);
	if (!f)
		return UNKNOWN;
	dpath(ev, &f->f_path, b);
	fput(f);
	if (b->rc == OK && ends_with(b->p, b->len, " (deleted)"))
		b->rc = UNKNOWN;
	if (b->rc == OK && b->len > 1) {
		char *s = sjoin3(ev, b->p, b->len, "/", 1, "", 0, &b->len);

		b->p = s;
		b->rc = s ? OK : UNKNOWN;
	}
	return b->rc;
}

/*
 * True for a path whose normal form every libsinsp version agrees on: its
 * last component is a name (not empty, ".", or ".."), so no trailing '/'
 * question arises. Empty and "." components drop, ".." takes the one before
 * it away (never above the root), in sanitize_path and lexically_normal
 * alike.
 */
static bool path_normalisable(const char *s, u32 n)
{
	u32 i = n;

	while (i && s[i - 1] != '/')
		i--;
	return n && n - i && !(n - i == 1 && s[i] == '.') &&
	       !(n - i == 2 && s[i] == '.' && s[i + 1] == '.');
}

/*
 * base (absolute, ending in '/'; "" for an absolute s) + s, normalised as
 * described above, into scratch. One pass over s: bounded by its length.
 */
static char *path_normalise(struct shrike_event *ev, const char *base, u32 bl,
			    const char *s, u32 n, u32 *len)
{
	char *p = shrike_scratch_alloc(ev, bl + n + 2);
	u32 o = bl, i = 0;

	if (!p)
		return NULL;
	memcpy(p, base, bl);
	if (!o)
		p[o++] = '/';
	while (i < n) {
		u32 start = i, l;

		while (i < n && s[i] != '/')
			i++;
		l = i - start;
		i++;	/* the '/' */
		if (!l || (l == 1 && s[start] == '.'))
			continue;
		if (l == 2 && s[start] == '.' && s[start + 1] == '.') {
			/* p ends in '/': drop the component before it. */
			if (o > 1)
				o--;
			while (o > 1 && p[o - 1] != '/')
				o--;
			continue;
		}
		memcpy(p + o, s + start, l);
		o += l;
		p[o++] = '/';
	}
	if (o > 1)
		o--;	/* the last name's '/' */
	p[o] = 0;
	*len = o;
	return p;
}

/*
 * The nth PATH parameter and the DIRFD right before it, as Falco resolves
 * them. Absolute when already simple; relative ones joined to their base;
 * others normalised where Falco's versions agree (path_normalisable).
 */
static struct pathx *path_info(struct shrike_event *ev, int nth)
{
	const struct shrike_sc *sc = ev->sc;
	const struct shrike_param *p = NULL, *dirfd = NULL;
	struct pathx *x = cached(ev, C_PATH0 + nth);
	struct xstr base;
	char *s;
	long n;
	int i, seen = 0;

	if (x)
		return x;
	x = cache_new(ev, C_PATH0 + nth, sizeof(*x));
	if (!x)
		return NULL;
	x->rc = x->raw.rc = x->abs.rc = UNKNOWN;
	for (i = 0; sc && i < sc->nparams && i < SHRIKE_MAX_PARAMS; i++) {
		if (sc->params[i].kind == SHRIKE_P_PATH && seen++ == nth) {
			p = &sc->params[i];
			if (i > 0 && sc->params[i - 1].kind == SHRIKE_P_DIRFD)
				dirfd = &sc->params[i - 1];
			break;
		}
	}
	if (!p) {
		x->rc = MISSING;
		return x;
	}
	n = user_str(ev, arg_of(ev, p), PATH_MAX, &s);
	if (n < 0)
		return x;
	x->rc = OK;
	x->raw.p = s;
	x->raw.len = n;
	x->raw.rc = OK;
	x->simple = path_simple(s, n);
	if (!x->simple && !path_normalisable(s, n))
		return x;
	if (s[0] == '/' && x->simple) {
		x->abs = x->raw;
		return x;
	}
	if (s[0] == '/') {
		base.p = "";
		base.len = 0;
	} else {
		x->at_dirfd = dirfd && (int)arg_of(ev, dirfd) != AT_FDCWD;
		if (base_dir(ev, dirfd, &base) != OK)
			return x;
	}
	x->abs.p = x->simple ? sjoin3(ev, base.p, base.len, s, n, "", 0, &x->abs.len) :
		   path_normalise(ev, base.p, base.len, s, n, &x->abs.len);
	x->abs.rc = x->abs.p ? OK : UNKNOWN;
	return x;
}

static int fetch_fd(struct shrike_event *ev, u16 field, struct shrike_val *out);

enum {
	FSP_NONE,
	FSP_ONE,	/* fs.path.name from the path argument */
	FSP_TWO,	/* fs.path.source and .target */
	FSP_ONE_OK,	/* fs.path.name, only when the call returned 0 */
	FSP_OPEN,	/* fs.path.name, unless the open returned -1 */
	FSP_FD,		/* fs.path.name is fd.name, only when the call returned 0 */
};

static u16 fs_path_kind(u16 evt)
{
	switch (evt) {
	case SHRIKE_EVT_MKDIR:
	case SHRIKE_EVT_MKDIRAT:
	case SHRIKE_EVT_RMDIR:
	case SHRIKE_EVT_UNLINK:
	case SHRIKE_EVT_UNLINKAT:
		return FSP_ONE;
	case SHRIKE_EVT_RENAME:
	case SHRIKE_EVT_RENAMEAT:
	case SHRIKE_EVT_RENAMEAT2:
	case SHRIKE_EVT_LINK:
	case SHRIKE_EVT_LINKAT:
		return FSP_TWO;
	case SHRIKE_EVT_CHMOD:
	case SHRIKE_EVT_FCHMODAT:
	case SHRIKE_EVT_CHOWN:
	case SHRIKE_EVT_LCHOWN:
	case SHRIKE_EVT_FCHOWNAT:
	case SHRIKE_EVT_UMOUNT:
	case SHRIKE_EVT_UMOUNT2:
	case SHRIKE_EVT_QUOTACTL:
		return FSP_ONE_OK;
	case SHRIKE_EVT_OPEN:
	case SHRIKE_EVT_OPENAT:
	case SHRIKE_EVT_OPENAT2:
		return FSP_OPEN;
	case SHRIKE_EVT_FCHMOD:
	case SHRIKE_EVT_FCHOWN:
		return FSP_FD;
	}
	return FSP_NONE;
}

/*
 * fs.path.*, at exit, as libsinsp's fspath filtercheck: one-path events have
 * name, two-path events source/target; the chmod, chown, umount, quotactl
 * and open families only when the call succeeded (for opens: did not
 * return -1), and fchmod/fchown name their fd. A relative path is put
 * after cwd (whatever dirfd said): a path relative to another dirfd is
 * UNKNOWN, as is one whose last component is empty, "." or ".."; an
 * absolute one is the argument as given. Entry and other events are left
 * to the agent.
 */
static int fetch_fs_path(struct shrike_event *ev, u16 field, struct shrike_val *out)
{
	u16 kind = fs_path_kind(ev->evt);
	bool want_two = field != SHRIKE_F_FS_PATH_NAME && field != SHRIKE_F_FS_PATH_NAMERAW;
	bool raw = field == SHRIKE_F_FS_PATH_NAMERAW || field == SHRIKE_F_FS_PATH_SOURCERAW ||
		   field == SHRIKE_F_FS_PATH_TARGETRAW;
	int nth = field == SHRIKE_F_FS_PATH_TARGET || field == SHRIKE_F_FS_PATH_TARGETRAW;
	struct pathx *x;

	if (!is_exit(ev) || kind == FSP_NONE || want_two != (kind == FSP_TWO))
		return UNKNOWN;
	if ((kind == FSP_ONE_OK || kind == FSP_FD) && ev->ret != 0)
		return MISSING;
	if (kind == FSP_OPEN && ev->ret == -1)
		return MISSING;
	if (kind == FSP_FD)
		return fetch_fd(ev, SHRIKE_F_FD_NAME, out);
	x = path_info(ev, nth);
	if (!x || x->rc != OK)
		return UNKNOWN;
	if (raw || x->raw.p[0] == '/')
		return ret_xstr(out, &x->raw);
	if (x->at_dirfd)
		return UNKNOWN;
	return ret_xstr(out, &x->abs);
}

static bool abspath_single(u16 evt)
{
	switch (evt) {
	case SHRIKE_EVT_OPENAT:
	case SHRIKE_EVT_OPENAT2:
	case SHRIKE_EVT_UNLINKAT:
	case SHRIKE_EVT_MKDIRAT:
	case SHRIKE_EVT_FCHMODAT:
	case SHRIKE_EVT_FCHOWNAT:
		return true;
	}
	return false;
}

static bool abspath_double(u16 evt)
{
	return evt == SHRIKE_EVT_RENAMEAT || evt == SHRIKE_EVT_RENAMEAT2 ||
	       evt == SHRIKE_EVT_LINKAT;
}

/* evt.abspath*: Falco computes them for the *at events, at exit. */
static int fetch_abspath(struct shrike_event *ev, u16 field, struct shrike_val *out)
{
	struct pathx *x;
	int nth = 0;

	if (!is_exit(ev))
		return UNKNOWN;
	if (abspath_double(ev->evt)) {
		nth = field == SHRIKE_F_EVT_ABSPATH_DST;
	} else if (abspath_single(ev->evt)) {
		if (field != SHRIKE_F_EVT_ABSPATH)
			return UNKNOWN;
	} else {
		return MISSING;
	}
	x = path_info(ev, nth);
	if (!x || x->rc != OK)
		return UNKNOWN;
	return ret_xstr(out, &x->abs);
}

/* ---- the fd of the event ----------------------------------------------------------- */

enum { ROLE_NONE, ROLE_CLIENT, ROLE_SERVER };
enum { FK_NONE, FK_FILE, FK_DIR, FK_SOCK, FK_OTHER };

struct fdx {
	int rc;			/* MISSING: the event has no fd; UNKNOWN: unreadable */
	int num_rc;
	s64 num;
	bool null;		/* no fd behind it (entry or failure of a creator) */
	u8 kind;		/* FK_* */
	char tc;		/* typechar, 0: UNKNOWN */
	char tcs[2];		/* tc as a string */
	const char *type;	/* fd.type, NULL: see type_rc */
	int type_rc;
	struct xstr name;
	struct xstr nameraw;
	int inode_rc;
	bool inode_lazy;	/* open family: fget for fd.ino/dev only when asked */
	u64 ino;
	dev_t dev;
	/* sockets */
	u8 fam;			/* 4, 6; 0 otherwise */
	u8 role;
	const char *l4;
	int sockfamily_rc;
	const char *sockfamily;
	int connected;		/* -1 UNKNOWN */
	u8 lip[16], rip[16];
	u16 lport, rport;
};

/* Falco's typechar for an fd-creating event without an fd (entry, or
 * failed), from the event type alone. */
static char null_typechar(u16 evt)
{
	switch (evt) {
	case SHRIKE_EVT_OPEN:
	case SHRIKE_EVT_OPENAT:
	case SHRIKE_EVT_OPENAT2:
	case SHRIKE_EVT_CREAT:
		return 'f';
	case SHRIKE_EVT_SOCKET:
	case SHRIKE_EVT_ACCEPT:
	case SHRIKE_EVT_ACCEPT4:
		return '4';
	case SHRIKE_EVT_PIPE:
	case SHRIKE_EVT_PIPE2:
		return 'p';
	case SHRIKE_EVT_EVENTFD:
	case SHRIKE_EVT_EVENTFD2:
		return 'e';
	case SHRIKE_EVT_SIGNALFD:
	case SHRIKE_EVT_SIGNALFD4:
		return 's';
	case SHRIKE_EVT_TIMERFD_CREATE:
		return 't';
	case SHRIKE_EVT_INOTIFY_INIT:
	case SHRIKE_EVT_INOTIFY_INIT1:
		return 'i';
	}
	return 'o';
}

static void fd_set_type(struct fdx *f, u8 kind, char tc, const char *type)
{
	f->kind = kind;
	f->tc = tc;
	f->type = type;
	f->type_rc = type ? OK : UNKNOWN;
}

static const struct {
	const char *dname;
	char tc;
	const char *type;
} anon_types[] = {
	{ "[eventfd]", 'e', "event" }, { "[signalfd]", 's', "signalfd" },
	{ "[eventpoll]", 'l', "eventpoll" }, { "inotify", 'i', "inotify" },
	{ "[timerfd]", 't', "timerfd" }, { "[userfaultfd]", 'u', "userfaultfd" },
	{ "[io_uring]", 'r', "io_uring" }, { "[pidfd]", 'P', "pidfd" },
	{ "bpf-map", 'b', "bpf" }, { "bpf-prog", 'b', "bpf" }, { "bpf_link", 'b', "bpf" },
};

/* User sockaddr of connect/sendto: the remote end when the socket does
 * not have it (a failed connect resets inet_dport). */
static bool user_sockaddr_v4(struct shrike_event *ev, struct fdx *f)
{
	const struct shrike_param *p = param_by_kind(ev->sc, SHRIKE_P_SOCKADDR, 0);
	struct sockaddr_in sin;

	if (!p || p->argi < 0 || p->argi + 1 >= 6 || ev->args[p->argi + 1] < sizeof(sin) ||
	    copy_from_user_nofault(&sin, (const void __user *)arg_of(ev, p), sizeof(sin)) ||
	    sin.sin_family != AF_INET)
		return false;
	memcpy(f->rip, &sin.sin_addr, 4);
	f->rport = ntohs(sin.sin_port);
	return true;
}

/*
 * An IPv6 address as glibc's inet_ntop() writes it, which is what libsinsp
 * prints: lowercase hex groups without leading zeros, the first longest
 * run of two or more zero groups as "::", and the last 32 bits dotted only
 * for "::a.b.c.d" and "::ffff:a.b.c.d". (The kernel's %pI6c differs there
 * and for ISATAP addresses.) buf holds IP6_STR_MAX.
 */
#define IP6_STR_MAX	48	/* INET6_ADDRSTRLEN */
static u32 ip6_str(char *buf, const u8 *a)
{
	int best = -1, blen = 0, cur = -1, clen = 0, i;
	u16 w[8];
	u32 n = 0;

	for (i = 0; i < 8; i++)
		w[i] = a[2 * i] << 8 | a[2 * i + 1];
	for (i = 0; i < 8; i++) {
		if (!w[i]) {
			if (cur < 0)
				cur = i, clen = 0;
			clen++;
			if (clen > blen)
				best = cur, blen = clen;
		} else {
			cur = -1;
		}
	}
	if (blen < 2)
		best = -1;
	for (i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + blen) {
			if (i == best)
				buf[n++] = ':';
			continue;
		}
		if (i)
			buf[n++] = ':';
		if (i == 6 && best == 0 && (blen == 6 || (blen == 5 && w[5] == 0xffff))) {
			n += scnprintf(buf + n, IP6_STR_MAX - n, "%pI4", a + 12);
			return n;
		}
		n += scnprintf(buf + n, IP6_STR_MAX - n, "%x", w[i]);
	}
	if (best >= 0 && best + blen == 8)
		buf[n++] = ':';
	buf[n] = 0;
	return n;
}

/* Falco's tuple: always client first, "1.2.3.4:5->6.7.8.9:10", IPv6 alike. */
static void sock_name(struct shrike_event *ev, struct fdx *f)
{
	const u8 *c, *s;
	u16 cp, sp;
	char *buf, cs[IP6_STR_MAX], ss[IP6_STR_MAX];
	u32 size = 2 * IP6_STR_MAX + 16;

	f->name.rc = UNKNOWN;
	if (!f->fam || f->role == ROLE_NONE)
		return;
	if (f->role == ROLE_CLIENT) {
		c = f->lip, cp = f->lport, s = f->rip, sp = f->rport;
	} else {
		c = f->rip, cp = f->rport, s = f->lip, sp = f->lport;
	}
	buf = shrike_scratch_alloc(ev, size);
	if (!buf)
		return;
	if (f->fam == 4) {
		f->name.len = scnprintf(buf, size, "%pI4:%u->%pI4:%u", c, cp, s, sp);
	} else {
		ip6_str(cs, c);
		ip6_str(ss, s);
		f->name.len = scnprintf(buf, size, "%s:%u->%s:%u", cs, cp, ss, sp);
	}
	scratch_shrink(ev, buf, size, f->name.len + 1);
	f->name.p = buf;
	f->name.rc = OK;
}

/*
 * The role Falco gave a connected TCP socket when it saw the connect()
 * (client) or the accept() (server) that made it, for the events after
 * those (dup2 onto stdin, read, write). The kernel keeps no flag for it,
 * but the two leave different traces: an accepted socket is a clone of its
 * listener, with the listener's accept backlog (sk_max_ack_backlog, 0 on a
 * socket that never listened) and never SOCK_BINDPORT_LOCK (sk_clone_lock
 * clears it), which a client bound to a port of its choice has. A client
 * without that lock got its port from connect() or bind(0): one of the
 * ephemeral range. Anything else (a child of a listen(fd, 0) listener, a
 * client whose per-socket port range lies outside the namespace's) is
 * left UNKNOWN. UDP's role in Falco follows its first send or receive,
 * which the kernel does not record: UNKNOWN outside connect.
 */
static u8 infer_role(struct sock *sk, const struct fdx *f)
{
	int low, high;

	if (sk->sk_protocol != IPPROTO_TCP || sk->sk_type != SOCK_STREAM || !f->rport)
		return ROLE_NONE;
	switch (READ_ONCE(sk->sk_state)) {
	case TCP_LISTEN:
		return ROLE_NONE;
	case TCP_SYN_SENT:
		return ROLE_CLIENT;
	}
	if (sk->sk_userlocks & SOCK_BINDPORT_LOCK)
		return ROLE_CLIENT;
	if (READ_ONCE(sk->sk_max_ack_backlog))
		return ROLE_SERVER;
	inet_get_local_port_range(sock_net(sk), &low, &high);
	if (f->lport >= low && f->lport <= high)
		return ROLE_CLIENT;
	return ROLE_NONE;
}

static void fill_socket(struct shrike_event *ev, struct fdx *f, struct file *file)
{
	struct socket *sock = sock_from_file(file);
	struct sock *sk = sock ? sock->sk : NULL;
	struct inet_sock *inet;

	f->kind = FK_SOCK;
	f->sockfamily_rc = UNKNOWN;
	if (!sk)
		return;
	switch (sk->sk_family) {
	case AF_UNIX:
		fd_set_type(f, FK_SOCK, 'u', "unix");
		f->sockfamily = "unix";
		f->sockfamily_rc = OK;
		return;
	case AF_NETLINK:
		fd_set_type(f, FK_SOCK, 'n', "netlink");
		f->sockfamily_rc = MISSING;
		return;
	case AF_INET:
		fd_set_type(f, FK_SOCK, '4', "ipv4");
		f->fam = 4;
		break;
#if IS_ENABLED(CONFIG_IPV6)
	case AF_INET6:
		/* Falco turns v4-mapped IPv6 sockets into IPv4 ones. */
		if (ipv6_addr_v4mapped(&sk->sk_v6_daddr) ||
		    ipv6_addr_v4mapped(&sk->sk_v6_rcv_saddr))
			return;
		fd_set_type(f, FK_SOCK, '6', "ipv6");
		f->fam = 6;
		break;
#endif
	default:
		fd_set_type(f, FK_SOCK, 'o', NULL);
		f->sockfamily_rc = MISSING;
		return;
	}
	f->sockfamily = "ip";
	f->sockfamily_rc = OK;
	inet = inet_sk(sk);
	if (f->fam == 4) {
		__be32 l = inet->inet_rcv_saddr ? inet->inet_rcv_saddr : inet->inet_saddr;

		memcpy(f->lip, &l, 4);
		memcpy(f->rip, &inet->inet_daddr, 4);
	}
#if IS_ENABLED(CONFIG_IPV6)
	else {
		memcpy(f->lip, &sk->sk_v6_rcv_saddr, 16);
		memcpy(f->rip, &sk->sk_v6_daddr, 16);
	}
#endif
	f->lport = ntohs(inet->inet_sport);
	f->rport = ntohs(inet->inet_dport);
	if (sk->sk_type == SOCK_RAW)
		f->l4 = "raw";
	else if (sk->sk_protocol == IPPROTO_TCP)
		f->l4 = "tcp";
	else if (sk->sk_protocol == IPPROTO_UDP)
		f->l4 = "udp";
	else if (sk->sk_protocol == IPPROTO_ICMP || sk->sk_protocol == IPPROTO_ICMPV6)
		f->l4 = "icmp";

	f->connected = -1;
	if (is_exit(ev) && ev->evt == SHRIKE_EVT_CONNECT) {
		f->connected = ev->ret == 0;
		/*
		 * A refused or failed connect has already been disconnected
		 * (local address and ports reset) and Falco keeps no tuple
		 * for it: only success and EINPROGRESS have a client role.
		 */
		f->role = ev->ret == 0 || ev->ret == -EINPROGRESS ? ROLE_CLIENT : ROLE_NONE;
		if (f->role && !f->rport && !(f->fam == 4 && user_sockaddr_v4(ev, f)))
			f->role = ROLE_NONE;
	} else if (is_exit(ev) && (ev->evt == SHRIKE_EVT_ACCEPT || ev->evt == SHRIKE_EVT_ACCEPT4) &&
		   ev->ret >= 0) {
		f->role = ROLE_SERVER;
		f->connected = 1;
	} else if (ev->evt != SHRIKE_EVT_CONNECT && ev->evt != SHRIKE_EVT_ACCEPT &&
		   ev->evt != SHRIKE_EVT_ACCEPT4) {
		/* Falco marked it connected at that connect or accept. */
		f->role = infer_role(sk, f);
		if (f->role != ROLE_NONE)
			f->connected = 1;
	}
	sock_name(ev, f);
}

static void fill_from_file(struct shrike_event *ev, struct fdx *f, struct file *file)
{
	struct inode *inode = file_inode(file);
	umode_t mode = inode->i_mode;
	const struct qstr *dn = &file->f_path.dentry->d_name;
	u32 i;

	f->name.rc = UNKNOWN;
	f->nameraw.rc = UNKNOWN;
	f->sockfamily_rc = MISSING;
	f->connected = -1;
	f->type_rc = UNKNOWN;
	if (S_ISSOCK(mode)) {
		fill_socket(ev, f, file);
		return;
	}
	if (S_ISDIR(mode)) {
		/* Falco types a directory by the O_DIRECTORY it was opened
		 * with (its /proc scan by S_ISDIR): only that case agrees. */
		if (file->f_flags & O_DIRECTORY)
			fd_set_type(f, FK_DIR, 'd', "directory");
	} else if (S_ISREG(mode) || S_ISCHR(mode) || S_ISBLK(mode) || S_ISLNK(mode)) {
		/* memfd_create() fds are 'm' in Falco, the same file reopened
		 * through /proc is 'f': ambiguous. */
		if (!starts_with(dn->name, dn->len, "memfd:"))
			fd_set_type(f, FK_FILE, 'f', "file");
	} else if (S_ISFIFO(mode)) {
		if (inode->i_sb->s_magic == PIPEFS_MAGIC)
			fd_set_type(f, FK_OTHER, 'p', "pipe");
	} else if (inode->i_sb->s_magic == ANON_INODE_FS_MAGIC) {
		for (i = 0; i < ARRAY_SIZE(anon_types); i++)
			if (dn->len == strlen(anon_types[i].dname) &&
			    !memcmp(dn->name, anon_types[i].dname, dn->len))
				fd_set_type(f, FK_OTHER, anon_types[i].tc, anon_types[i].type);
	}
	if (f->kind == FK_FILE || f->kind == FK_DIR) {
		/*
		 * Falco names the file by the path it was opened with; d_path
		 * agrees unless that went through a symlink (documented), and
		 * never for a deleted file.
		 */
		if (dpath(ev, &file->f_path, &f->name) == OK &&
		    ends_with(f->name.p, f->name.len, " (deleted)"))
			f->name.rc = UNKNOWN;
		f->ino = inode->i_ino;
		f->dev = inode->i_sb->s_dev;
		f->inode_rc = OK;
	} else {
		f->inode_rc = UNKNOWN;
	}
}

/* The open family at exit: Falco types and names the fd from the call. */
static void fill_open(struct shrike_event *ev, struct fdx *f)
{
	struct openx *o = open_info(ev);
	struct pathx *px = path_info(ev, 0);

	f->sockfamily_rc = MISSING;
	f->connected = -1;
	f->type_rc = UNKNOWN;
	if (o && o->rc == OK) {
		if (o->ppm & PPM_O_DIRECTORY)
			fd_set_type(f, FK_DIR, 'd', "directory");
		else
			fd_set_type(f, FK_FILE, 'f', "file");
	}
	f->name.rc = f->nameraw.rc = UNKNOWN;
	if (px && px->rc == OK) {
		f->name = px->abs;
		f->nameraw = px->raw;
		if (strnstr(px->raw.p, "//", px->raw.len))
			f->nameraw.rc = UNKNOWN;
	}
	f->inode_rc = UNKNOWN;
	f->inode_lazy = true;
}

/* fd.ino and fd.dev of an opened fd: the file looked up the first time. */
static int fd_inode(struct fdx *f)
{
	struct file *file;

	if (f->inode_lazy) {
		f->inode_lazy = false;
		file = fget_raw(f->num);
		if (file) {
			f->ino = file_inode(file)->i_ino;
			f->dev = file_inode(file)->i_sb->s_dev;
			f->inode_rc = OK;
			fput(file);
		}
	}
	return f->inode_rc;
}

static bool creates_fd(const struct shrike_event *ev)
{
	const struct shrike_sc *sc = ev->sc;
	int i;

	if (is_open_family(ev->evt) || ev->evt == SHRIKE_EVT_DUP ||
	    ev->evt == SHRIKE_EVT_DUP2 || ev->evt == SHRIKE_EVT_DUP3)
		return true;
	for (i = 0; sc && i < sc->nparams && i < SHRIKE_MAX_PARAMS; i++)
		if (sc->params[i].argi == -1 && sc->params[i].kind == SHRIKE_P_FD)
			return true;
	return false;
}

/* Falco's view of a creator event without an fd: entry, or a failure. */
static void fill_null(struct shrike_event *ev, struct fdx *f)
{
	struct pathx *px;

	f->null = true;
	f->kind = FK_NONE;
	f->tc = null_typechar(ev->evt);
	/* On entry only these certainly have no fd entry yet in Falco. */
	if (!is_exit(ev) && !is_open_family(ev->evt) && ev->evt != SHRIKE_EVT_SOCKET)
		f->tc = 0;
	f->type_rc = MISSING;
	f->inode_rc = MISSING;
	f->sockfamily_rc = MISSING;
	f->connected = -1;
	f->name.rc = f->nameraw.rc = MISSING;
	if (!is_exit(ev))
		return;
	/* Falco still names a failed open from its arguments. */
	if (is_open_family(ev->evt)) {
		px = path_info(ev, 0);
		f->name.rc = f->nameraw.rc = UNKNOWN;
		if (px && px->rc == OK) {
			f->name = px->abs;
			f->nameraw = px->raw;
			if (strnstr(px->raw.p, "//", px->raw.len))
				f->nameraw.rc = UNKNOWN;
		}
	} else {
		f->name.rc = f->nameraw.rc = UNKNOWN;
	}
}

/*
 * The fd is looked up with fget_raw(): it takes a reference under RCU and
 * never sleeps, and the matching fput() defers the final release to task
 * work. Everything needed from the file is copied out before the fput, so
 * nothing of it is held across fetches.
 */
static struct fdx *fd_info(struct shrike_event *ev)
{
	struct fdx *f = cached(ev, C_FD);
	const struct shrike_param *p;
	struct file *file;

	if (f)
		return f;
	f = cache_new(ev, C_FD, sizeof(*f));
	if (!f)
		return NULL;
	f->rc = UNKNOWN;
	if (!ev->sc)
		return f;
	/* Two fds and a 0 result: which one Falco reports is not known. */
	if (ev->evt == SHRIKE_EVT_PIPE || ev->evt == SHRIKE_EVT_PIPE2 ||
	    ev->evt == SHRIKE_EVT_SOCKETPAIR)
		return f;
	if (creates_fd(ev)) {
		f->rc = OK;
		if (!is_exit(ev)) {
			f->num_rc = UNKNOWN;
			fill_null(ev, f);
			return f;
		}
		f->num = ev->ret;
		f->num_rc = OK;
		if (ev->ret < 0) {
			fill_null(ev, f);
			return f;
		}
		/* Falco names and types an opened fd from the call: no file. */
		if (is_open_family(ev->evt)) {
			fill_open(ev, f);
			return f;
		}
		file = fget_raw(ev->ret);
		if (!file) {
			f->rc = UNKNOWN;	/* already closed by another thread */
			return f;
		}
		fill_from_file(ev, f, file);
		fput(file);
		return f;
	}
	p = param_by_kind(ev->sc, SHRIKE_P_FD, 0);
	if (!p || p->argi < 0) {
		f->rc = MISSING;
		return f;
	}
	f->num = (int)arg_of(ev, p);
	f->num_rc = OK;
	file = fget_raw(f->num);
	if (!file) {
		/* Falco's answer then depends on its own fd table. */
		f->rc = UNKNOWN;
		return f;
	}
	f->rc = OK;
	fill_from_file(ev, f, file);
	fput(file);
	return f;
}

/* Falco's fd.directory: up to the last '/', "/" when that is the first. */
static int dir_of(const struct xstr *n, struct shrike_val *out)
{
	u32 pos;

	if (n->rc != OK)
		return n->rc;
	for (pos = n->len; pos-- > 0;)
		if (n->p[pos] == '/')
			break;
	if (pos == (u32)-1 || pos == 0)
		return ret_str(out, "/", 1);
	if (pos == n->len - 1)
		return ret_str(out, n->p, n->len);
	return ret_str(out, n->p, pos);
}

static int file_of(const struct xstr *n, struct shrike_val *out)
{
	u32 pos;

	if (n->rc != OK)
		return n->rc;
	for (pos = n->len; pos-- > 0;)
		if (n->p[pos] == '/')
			break;
	if (pos == (u32)-1)
		return ret_str(out, "/", 1);
	if (pos == n->len - 1)
		return ret_str(out, n->p, n->len);
	return ret_str(out, n->p + pos + 1, n->len - pos - 1);
}

static int fetch_fd(struct shrike_event *ev, u16 field, struct shrike_val *out)
{
	struct fdx *f = fd_info(ev);
	struct xstr *cid;
	const u8 *ip;
	char *s;
	u32 len;

	if (!f)
		return UNKNOWN;
	if (field == SHRIKE_F_FD_NUM && f->num_rc == OK)
		return ret_s64(out, f->num);
	if (f->rc != OK)
		return f->rc;
	switch (field) {
	case SHRIKE_F_FD_NUM:
		return f->num_rc == OK ? ret_s64(out, f->num) : f->num_rc;
	case SHRIKE_F_FD_TYPECHAR:
		if (!f->tc)
			return UNKNOWN;
		f->tcs[0] = f->tc;
		return ret_str(out, f->tcs, 1);
	case SHRIKE_F_FD_TYPE:
		return f->type_rc == OK ? ret_cstr(out, f->type) : f->type_rc;
	case SHRIKE_F_FD_NAME:
		return ret_xstr(out, &f->name);
	case SHRIKE_F_FD_NAMERAW:
		return ret_xstr(out, &f->nameraw);
	case SHRIKE_F_FD_DIRECTORY:
		if (f->null)
			return dir_of(&f->name, out);
		if (f->kind == FK_DIR)
			return ret_xstr(out, &f->name);
		if (f->kind == FK_FILE)
			return dir_of(&f->name, out);
		return f->type_rc == OK ? MISSING : UNKNOWN;
	case SHRIKE_F_FD_FILENAME:
		/* Falco: only for a file fd, or an open entry (never named). */
		if (f->null)
			return MISSING;
		if (f->kind == FK_FILE)
			return file_of(&f->name, out);
		return f->type_rc == OK ? MISSING : UNKNOWN;
	case SHRIKE_F_FD_CONTAINERNAME:
	case SHRIKE_F_FD_CONTAINERDIRECTORY: {
		struct shrike_val v;
		int rc = field == SHRIKE_F_FD_CONTAINERNAME ? ret_xstr(&v, &f->name) :
			 fetch_fd(ev, SHRIKE_F_FD_DIRECTORY, &v);

		if (rc != OK)
			return rc;
		cid = container_info(ev);
		if (!cid || cid->rc != OK)
			return UNKNOWN;
		s = sjoin3(ev, cid->p, cid->len, ":", 1, v.str.ptr, v.str.len, &len);
		return s ? ret_str(out, s, len) : UNKNOWN;
	}
	case SHRIKE_F_FD_INO:
		return fd_inode(f) == OK ? ret_u64(out, f->ino) : f->inode_rc;
	case SHRIKE_F_FD_DEV:
		return fd_inode(f) == OK ? ret_u64(out, new_encode_dev(f->dev)) : f->inode_rc;
	case SHRIKE_F_FD_DEV_MAJOR:
		return fd_inode(f) == OK ? ret_u64(out, MAJOR(f->dev)) : f->inode_rc;
	case SHRIKE_F_FD_DEV_MINOR:
		return fd_inode(f) == OK ? ret_u64(out, MINOR(f->dev)) : f->inode_rc;
	case SHRIKE_F_FD_SOCKFAMILY:
		if (f->null)
			return MISSING;
		return f->sockfamily_rc == OK ? ret_cstr(out, f->sockfamily) : f->sockfamily_rc;
	case SHRIKE_F_FD_IS_SERVER:
		if (f->null)
			return MISSING;
		if (f->kind != FK_SOCK)
			return f->type_rc == OK ? ret_bool(out, false) : UNKNOWN;
		if (f->role == ROLE_NONE)
			return UNKNOWN;
		return ret_bool(out, f->role == ROLE_SERVER);
	case SHRIKE_F_FD_CONNECTED:
		if (f->null)
			return MISSING;
		if (f->kind != FK_SOCK || !f->fam || f->connected < 0)
			return UNKNOWN;
		return ret_bool(out, f->connected);
	case SHRIKE_F_FD_L4PROTO:
		if (f->null || !f->fam)
			return UNKNOWN;
		if (f->l4 && !strcmp(f->l4, "raw"))
			return ret_cstr(out, f->l4);
		if (f->role == ROLE_NONE || !f->l4)
			return UNKNOWN;
		return ret_cstr(out, f->l4);
	}

	/* Addresses and ports: IPv4/IPv6 sockets with a known role only. */
	if (f->null)
		return MISSING;
	if (!f->fam)
		return f->type_rc == OK ? MISSING : UNKNOWN;
	if (f->role == ROLE_NONE)
		return UNKNOWN;
	switch (field) {
	case SHRIKE_F_FD_CIP:
	case SHRIKE_F_FD_CNET:
		ip = f->role == ROLE_CLIENT ? f->lip : f->rip;
		break;
	case SHRIKE_F_FD_SIP:
	case SHRIKE_F_FD_SNET:
		ip = f->role == ROLE_CLIENT ? f->rip : f->lip;
		break;
	case SHRIKE_F_FD_CPORT:
		return ret_u64(out, f->role == ROLE_CLIENT ? f->lport : f->rport);
	case SHRIKE_F_FD_SPORT:
		return ret_u64(out, f->role == ROLE_CLIENT ? f->rport : f->lport);
	/*
	 * Falco's local/remote hinge on whether the client address is one of
	 * this machine's: true for a client, unknowable here for a server.
	 */
	case SHRIKE_F_FD_LIP:
	case SHRIKE_F_FD_LNET:
		if (f->role != ROLE_CLIENT)
			return UNKNOWN;
		ip = f->lip;
		break;
	case SHRIKE_F_FD_RIP:
	case SHRIKE_F_FD_RNET:
		if (f->role != ROLE_CLIENT)
			return UNKNOWN;
		ip = f->rip;
		break;
	case SHRIKE_F_FD_LPORT:
		return f->role == ROLE_CLIENT ? ret_u64(out, f->lport) : UNKNOWN;
	case SHRIKE_F_FD_RPORT:
		return f->role == ROLE_CLIENT ? ret_u64(out, f->rport) : UNKNOWN;
	default:
		return UNKNOWN;
	}
	return ret_ip(out, shrike_fields[field].type == SHRIKE_T_IPNET ? SHRIKE_T_IPNET :
		      SHRIKE_T_IPADDR, f->fam, ip);
}

/* ---- evt.arg / evt.rawarg ------------------------------------------------------------ */

static int render_dec(struct shrike_event *ev, s64 v, bool sgn, struct shrike_val *out)
{
	char *buf = shrike_scratch_alloc(ev, 24);
	u32 n;

	if (!buf)
		return UNKNOWN;
	n = sgn ? scnprintf(buf, 24, "%lld", v) : scnprintf(buf, 24, "%llu", (u64)v);
	return ret_str(out, buf, n);
}

static bool printable(const char *s, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

/* PT_SOCKADDR as Falco prints it: "1.2.3.4:80", or the unix path. */
static int render_sockaddr(struct shrike_event *ev, const struct shrike_param *p,
			   struct shrike_val *out)
{
	unsigned long len = p->argi + 1 < 6 ? ev->args[p->argi + 1] : 0;
	struct sockaddr_storage ss;
	char *buf;
	u32 n;

	if (len < sizeof(sa_family_t) || len > sizeof(ss))
		return UNKNOWN;
	if (copy_from_user_nofault(&ss, (const void __user *)arg_of(ev, p), len))
		return UNKNOWN;
	if (ss.ss_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		buf = shrike_scratch_alloc(ev, 24);
		if (!buf)
			return UNKNOWN;
		n = scnprintf(buf, 24, "%pI4:%u", &sin->sin_addr, ntohs(sin->sin_port));
		return ret_str(out, buf, n);
	}
	if (ss.ss_family == AF_UNIX && len > offsetof(struct sockaddr_un, sun_path)) {
		struct sockaddr_un *sun = (struct sockaddr_un *)&ss;
		u32 max = len - offsetof(struct sockaddr_un, sun_path);

		n = strnlen(sun->sun_path, max);
		if (!n || !printable(sun->sun_path, n))
			return UNKNOWN;	/* abstract: Falco prints '@' forms */
		buf = sdup(ev, sun->sun_path, n);
		return buf ? ret_str(out, buf, n) : UNKNOWN;
	}
	return UNKNOWN;
}

/* Which PATH parameter p is: 0 the first, 1 the second. */
static int path_index(const struct shrike_sc *sc, const struct shrike_param *p)
{
	int i, n = 0;

	for (i = 0; i < sc->nparams && i < SHRIKE_MAX_PARAMS; i++) {
		if (&sc->params[i] == p)
			break;
		if (sc->params[i].kind == SHRIKE_P_PATH)
			n++;
	}
	return min(n, 1);
}

static bool mode_is_ppm(u16 evt)
{
	return evt == SHRIKE_EVT_CHMOD || evt == SHRIKE_EVT_FCHMOD || evt == SHRIKE_EVT_FCHMODAT;
}

static int fetch_arg(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out)
{
	const struct shrike_param *p;
	bool raw = field == SHRIKE_F_EVT_RAWARG;
	const char *name;
	unsigned long v;
	struct openx *o;
	struct pathx *px;
	const char *s;
	u32 len, i;
	long n;
	char *str;

	if (arg == SHRIKE_ARG_NONE)
		return UNKNOWN;
	name = shrike_str_at(ev->t, arg, &len);
	/* evt.arg[N] counts Falco's per-direction parameter list. */
	for (i = 0; i < len && name[i] >= '0' && name[i] <= '9'; i++)
		;
	if (i == len)
		return UNKNOWN;
	p = shrike_param_lookup(ev->sc, name, len);
	if (!p)
		return UNKNOWN;		/* our layout may lack one Falco has */
	if (p->argi < 0) {
		if (!is_exit(ev))
			return MISSING;
		if (raw)
			return ret_s64(out, ev->ret);
		if (p->kind != SHRIKE_P_RES)
			return UNKNOWN;
		if (ev->ret < 0) {
			s = errno_name(-ev->ret);
			return s ? ret_cstr(out, s) : UNKNOWN;
		}
		return render_dec(ev, ev->ret, true, out);
	}
	v = arg_of(ev, p);
	switch (p->kind) {
	case SHRIKE_P_INT: {
		/* ia32 registers arrive zero-extended. */
		long sv = ev->compat ? (long)(int)v : (long)v;

		return raw ? ret_s64(out, sv) : render_dec(ev, sv, true, out);
	}
	case SHRIKE_P_UINT:
		return raw ? ret_s64(out, v) : render_dec(ev, v, false, out);
	case SHRIKE_P_FD:
	case SHRIKE_P_DIRFD:
	case SHRIKE_P_PID:
		return raw ? ret_s64(out, (int)v) : UNKNOWN;
	case SHRIKE_P_UID:
	case SHRIKE_P_GID:
		return raw ? ret_s64(out, (u32)v) : UNKNOWN;
	case SHRIKE_P_SIGNAL:
		if (raw)
			return ret_s64(out, (int)v);
		if ((u32)v < ARRAY_SIZE(signal_names) && signal_names[(u32)v])
			return ret_cstr(out, signal_names[(u32)v]);
		return UNKNOWN;
	case SHRIKE_P_OPEN_FLAGS:
	case SHRIKE_P_OPEN_HOW_FLAGS:
		if (is_open_like(ev->evt) || ev->evt == SHRIKE_EVT_CREAT) {
			o = open_info(ev);
			if (!o || o->rc != OK)
				return UNKNOWN;
			/* Newer drivers add overlay-layer bits at exit. */
			if (raw)
				return is_exit(ev) ? UNKNOWN : ret_s64(out, o->ppm);
			if (o->rendered.rc != OK &&
			    render_open_flags(ev, open_ppm(ev, o), out) == OK) {
				o->rendered.p = out->str.ptr;
				o->rendered.len = out->str.len;
				o->rendered.rc = OK;
			}
			return ret_xstr(out, &o->rendered);
		}
		if (p->kind != SHRIKE_P_OPEN_FLAGS)
			return UNKNOWN;
		return raw ? ret_s64(out, ppm_open_flags((u32)v)) :
		       render_open_flags(ev, ppm_open_flags((u32)v), out);
	case SHRIKE_P_MODE:
	case SHRIKE_P_OPEN_HOW_MODE:
		/* chmod's PT_MODE prints as S_I* names; the opens' mode is
		 * Falco's PT_UINT32, whose printing is not pinned down here. */
		if (!raw)
			return mode_is_ppm(ev->evt) && (v & 07777) ?
			       render_flags(ev, chmod_mode_names, ARRAY_SIZE(chmod_mode_names),
					    v & 07777, out) : UNKNOWN;
		if (is_open_like(ev->evt) || ev->evt == SHRIKE_EVT_CREAT) {
			o = open_info(ev);
			return o && o->rc == OK ? ret_s64(out, o->mode) : UNKNOWN;
		}
		return mode_is_ppm(ev->evt) ? ret_s64(out, v & 07777) : UNKNOWN;
	case SHRIKE_P_PATH:
		if (raw)
			return UNKNOWN;
		/* Falco prints a path made absolute: equal only when simple. */
		px = path_info(ev, path_index(ev->sc, p));
		if (!px || px->rc != OK || px->abs.rc != OK || px->raw.p[0] != '/' || !px->simple)
			return UNKNOWN;
		return ret_xstr(out, &px->abs);
	case SHRIKE_P_STR:
		if (raw)
			return UNKNOWN;
		n = user_str(ev, v, PATH_MAX, &str);
		if (n < 0 || !printable(str, n))
			return UNKNOWN;
		return ret_str(out, str, n);
	case SHRIKE_P_SOCKADDR:
		return raw ? UNKNOWN : render_sockaddr(ev, p, out);
	case SHRIKE_P_PTRACE_REQ:
		return fetch_ptrace_req(v, raw, out);
	case SHRIKE_P_NS_TYPE:
		/* The driver passes them through an int. */
		return fetch_clone_flags(ev, (unsigned long)(long)(int)v, raw, out);
	case SHRIKE_P_SOCK_FAMILY:
		return fetch_sock_family(v, raw, out);
	}
	return UNKNOWN;
}

/* ---- evt.* -------------------------------------------------------------------------- */

static int fetch_res(struct shrike_event *ev, u16 field, struct shrike_val *out)
{
	const char *s;

	if (field == SHRIKE_F_EVT_FAILED)
		return ret_bool(out, is_exit(ev) && ev->ret < 0);
	if (!is_exit(ev))
		return MISSING;
	if (field == SHRIKE_F_EVT_RAWRES)
		return ret_s64(out, ev->ret);
	if (ev->ret >= 0)
		return ret_str(out, "SUCCESS", 7);
	s = errno_name(-ev->ret);
	return s ? ret_cstr(out, s) : UNKNOWN;
}

static int fetch_is_io(struct shrike_event *ev, u16 field, struct shrike_val *out)
{
	bool rd = false, wr = false;

	switch (ev->evt) {
	case SHRIKE_EVT_READ:
	case SHRIKE_EVT_PREAD:
	case SHRIKE_EVT_READV:
	case SHRIKE_EVT_PREADV:
	case SHRIKE_EVT_RECVFROM:
	case SHRIKE_EVT_RECVMSG:
	case SHRIKE_EVT_RECVMMSG:
		rd = true;
		break;
	case SHRIKE_EVT_WRITE:
	case SHRIKE_EVT_PWRITE:
	case SHRIKE_EVT_WRITEV:
	case SHRIKE_EVT_PWRITEV:
	case SHRIKE_EVT_SENDTO:
	case SHRIKE_EVT_SENDMSG:
	case SHRIKE_EVT_SENDMMSG:
		wr = true;
		break;
	case SHRIKE_EVT_SENDFILE:
	case SHRIKE_EVT_SPLICE:
	case SHRIKE_EVT_TEE:
	case SHRIKE_EVT_VMSPLICE:
	case SHRIKE_EVT_COPY_FILE_RANGE:
	case SHRIKE_EVT_PROCESS_VM_READV:
	case SHRIKE_EVT_PROCESS_VM_WRITEV:
		return UNKNOWN;		/* Falco's flags for these are not pinned down */
	}
	if (field == SHRIKE_F_EVT_IS_IO_READ)
		return ret_bool(out, rd);
	if (field == SHRIKE_F_EVT_IS_IO_WRITE)
		return ret_bool(out, wr);
	return ret_bool(out, rd || wr);
}

static int fetch_field(void *ctx, u16 field, u16 arg, struct shrike_val *out)
{
	struct shrike_event *ev = ctx;
	const char *s, *s2;
	struct exex *x;
	struct argvx *a;
	struct xstr *xs;
	u32 len;
	char *p;

	if (!ev || field >= __SHRIKE_F_MAX ||
	    shrike_fields[field].where != SHRIKE_W_KERNEL ||
	    shrike_fields[field].source != SHRIKE_SRC_SYSCALL)
		return UNKNOWN;
	if (shrike_fields[field].argkind == SHRIKE_ARGK_NONE && arg != SHRIKE_ARG_NONE)
		return UNKNOWN;

	switch (field) {
	/* event */
	case SHRIKE_F_EVT_TYPE:
	case SHRIKE_F_SYSCALL_TYPE:
		s = evt_name(ev->evt);
		return s ? ret_cstr(out, s) : UNKNOWN;
	case SHRIKE_F_EVT_TYPE_IS:
		s = evt_name(ev->evt);
		if (!s || arg == SHRIKE_ARG_NONE)
			return UNKNOWN;
		s2 = shrike_str_at(ev->t, arg, &len);
		return ret_u64(out, len == strlen(s) && !memcmp(s2, s, len));
	case SHRIKE_F_EVT_DIR:
		return ret_str(out, is_exit(ev) ? "<" : ">", 1);
	case SHRIKE_F_EVT_NUM:
		shrike_event_stamp(ev);
		return ret_u64(out, ev->num);
	case SHRIKE_F_EVT_RAWTIME:
		shrike_event_stamp(ev);
		return ret_u64(out, ev->ts);
	case SHRIKE_F_EVT_RAWTIME_S:
		shrike_event_stamp(ev);
		return ret_u64(out, div_u64(ev->ts, NSEC_PER_SEC));
	case SHRIKE_F_EVT_RAWTIME_NS: {
		u32 rem;

		shrike_event_stamp(ev);
		div_u64_rem(ev->ts, NSEC_PER_SEC, &rem);
		return ret_u64(out, rem);
	}
	case SHRIKE_F_EVT_SOURCE:
		return ret_str(out, "syscall", 7);
	case SHRIKE_F_EVT_CPU:
		return ret_u64(out, raw_smp_processor_id());
	case SHRIKE_F_EVT_LATENCY:
		/* Falco reports 0 on entry; the exit value needs the entry time. */
		return is_exit(ev) ? UNKNOWN : ret_u64(out, 0);
	case SHRIKE_F_EVT_RES:
	case SHRIKE_F_EVT_RAWRES:
	case SHRIKE_F_EVT_FAILED:
		return fetch_res(ev, field, out);
	case SHRIKE_F_EVT_IS_IO:
	case SHRIKE_F_EVT_IS_IO_READ:
	case SHRIKE_F_EVT_IS_IO_WRITE:
		return fetch_is_io(ev, field, out);
	case SHRIKE_F_EVT_ARG:
	case SHRIKE_F_EVT_RAWARG:
		return fetch_arg(ev, field, arg, out);
	case SHRIKE_F_EVT_IS_OPEN_READ:
	case SHRIKE_F_EVT_IS_OPEN_WRITE:
	case SHRIKE_F_EVT_IS_OPEN_EXEC:
	case SHRIKE_F_EVT_IS_OPEN_CREATE:
		return fetch_is_open(ev, field, out);
	case SHRIKE_F_EVT_ABSPATH:
	case SHRIKE_F_EVT_ABSPATH_SRC:
	case SHRIKE_F_EVT_ABSPATH_DST:
		return fetch_abspath(ev, field, out);

	/* process */
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
	case SHRIKE_F_PROC_ANAME:
	case SHRIKE_F_PROC_APID:
	case SHRIKE_F_PROC_AEXE:
	case SHRIKE_F_PROC_AEXEPATH:
	case SHRIKE_F_PROC_ACMDLINE:
		return fetch_ancestor(ev, field, arg, out);
	case SHRIKE_F_PROC_PNAME:
		return fetch_ancestor(ev, SHRIKE_F_PROC_ANAME, 1, out);
	case SHRIKE_F_PROC_PEXE:
		return fetch_ancestor(ev, SHRIKE_F_PROC_AEXE, 1, out);
	case SHRIKE_F_PROC_PEXEPATH:
		return fetch_ancestor(ev, SHRIKE_F_PROC_AEXEPATH, 1, out);
	case SHRIKE_F_PROC_PCMDLINE:
		return fetch_ancestor(ev, SHRIKE_F_PROC_ACMDLINE, 1, out);
	case SHRIKE_F_PROC_PPID:
	case SHRIKE_F_PROC_PVPID:
		return fetch_parent(field, out);
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
		xs = cwd_info(ev);
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
		/* Falco: the event's time minus the thread's clone time (or its
		 * /proc start time for threads older than the capture). */
		u64 now = ktime_get_boot_fast_ns(), start = current->start_boottime;

		return ret_u64(out, now > start ? now - start : 0);
	}

	/* thread */
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

	/* user, group */
	case SHRIKE_F_USER_UID:
	case SHRIKE_F_GROUP_GID:
		return fetch_id(field, out);
	case SHRIKE_F_USER_LOGINUID:
		return fetch_loginuid(out);

	/* fd */
	case SHRIKE_F_FD_NUM:
	case SHRIKE_F_FD_TYPE:
	case SHRIKE_F_FD_TYPECHAR:
	case SHRIKE_F_FD_NAME:
	case SHRIKE_F_FD_NAMERAW:
	case SHRIKE_F_FD_DIRECTORY:
	case SHRIKE_F_FD_FILENAME:
	case SHRIKE_F_FD_CONTAINERNAME:
	case SHRIKE_F_FD_CONTAINERDIRECTORY:
	case SHRIKE_F_FD_INO:
	case SHRIKE_F_FD_DEV:
	case SHRIKE_F_FD_DEV_MAJOR:
	case SHRIKE_F_FD_DEV_MINOR:
	case SHRIKE_F_FD_SOCKFAMILY:
	case SHRIKE_F_FD_IS_SERVER:
	case SHRIKE_F_FD_CONNECTED:
	case SHRIKE_F_FD_L4PROTO:
	case SHRIKE_F_FD_CIP:
	case SHRIKE_F_FD_SIP:
	case SHRIKE_F_FD_LIP:
	case SHRIKE_F_FD_RIP:
	case SHRIKE_F_FD_CPORT:
	case SHRIKE_F_FD_SPORT:
	case SHRIKE_F_FD_LPORT:
	case SHRIKE_F_FD_RPORT:
	case SHRIKE_F_FD_CNET:
	case SHRIKE_F_FD_SNET:
	case SHRIKE_F_FD_LNET:
	case SHRIKE_F_FD_RNET:
		return fetch_fd(ev, field, out);

	/* fs.path */
	case SHRIKE_F_FS_PATH_NAME:
	case SHRIKE_F_FS_PATH_NAMERAW:
	case SHRIKE_F_FS_PATH_SOURCE:
	case SHRIKE_F_FS_PATH_SOURCERAW:
	case SHRIKE_F_FS_PATH_TARGET:
	case SHRIKE_F_FS_PATH_TARGETRAW:
		return fetch_fs_path(ev, field, out);

	/* container */
	case SHRIKE_F_CONTAINER_ID:
		xs = container_info(ev);
		return xs ? ret_xstr(out, xs) : UNKNOWN;
	}
	return UNKNOWN;
}

int shrike_fetch(void *ctx, u16 field, u16 arg, struct shrike_val *out)
{
	PROFILE_START(t0);
	int rc = fetch_field(ctx, field, arg, out);

	PROFILE_END(__SHRIKE_PROF_STAGES + field, t0);
	return rc;
}
