// SPDX-License-Identifier: GPL-2.0
/*
 * arg.c - evt.arg and evt.rawarg: a syscall parameter by Falco's name,
 * rendered as libsinsp prints it (flag sets, modes, signals, ptrace
 * requests, clone and namespace flags, socket families and addresses,
 * paths, strings) or as the raw number Falco's driver records.
 */
#include <linux/in.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/signal.h>
#include <linux/socket.h>
#include <linux/uaccess.h>
#include <linux/un.h>
#include "fields.h"

/* ---- names ------------------------------------------------------------------------ */

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

/* ---- flag sets, as libsinsp prints them ------------------------------------------- */

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

/*
 * evt.arg.NAME and evt.rawarg.NAME: the parameter Falco calls NAME, as
 * libsinsp prints it or as its raw number. evt.arg[N] (by position) is
 * UNKNOWN: it counts Falco's per-direction parameter list.
 */
int shrike_fetch_arg(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out)
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
			s = shrike_errno_name(-ev->ret);
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
			o = shrike_open_info(ev);
			if (!o || o->rc != OK)
				return UNKNOWN;
			/* Newer drivers add overlay-layer bits at exit. */
			if (raw)
				return is_exit(ev) ? UNKNOWN : ret_s64(out, o->ppm);
			if (o->rendered.rc != OK &&
			    render_open_flags(ev, shrike_open_ppm(ev, o), out) == OK) {
				o->rendered.p = out->str.ptr;
				o->rendered.len = out->str.len;
				o->rendered.rc = OK;
			}
			return ret_xstr(out, &o->rendered);
		}
		if (p->kind != SHRIKE_P_OPEN_FLAGS)
			return UNKNOWN;
		return raw ? ret_s64(out, shrike_ppm_open_flags((u32)v)) :
		       render_open_flags(ev, shrike_ppm_open_flags((u32)v), out);
	case SHRIKE_P_MODE:
	case SHRIKE_P_OPEN_HOW_MODE:
		/*
		 * chmod's PT_MODE prints as S_I* names; the opens' mode is
		 * Falco's PT_UINT32, whose printing is not pinned down here.
		 */
		if (!raw)
			return mode_is_ppm(ev->evt) && (v & 07777) ?
			       render_flags(ev, chmod_mode_names, ARRAY_SIZE(chmod_mode_names),
					    v & 07777, out) : UNKNOWN;
		if (is_open_like(ev->evt) || ev->evt == SHRIKE_EVT_CREAT) {
			o = shrike_open_info(ev);
			return o && o->rc == OK ? ret_s64(out, o->mode) : UNKNOWN;
		}
		return mode_is_ppm(ev->evt) ? ret_s64(out, v & 07777) : UNKNOWN;
	case SHRIKE_P_PATH:
		if (raw)
			return UNKNOWN;
		/* Falco prints a path made absolute: equal only when simple. */
		px = shrike_path_info(ev, path_index(ev->sc, p));
		if (!px || px->rc != OK || px->abs.rc != OK || px->raw.p[0] != '/' || !px->simple)
			return UNKNOWN;
		return ret_xstr(out, &px->abs);
	case SHRIKE_P_STR:
		if (raw)
			return UNKNOWN;
		n = shrike_user_str(ev, v, PATH_MAX, &str);
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
