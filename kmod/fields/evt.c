// SPDX-License-Identifier: GPL-2.0
/*
 * evt.c - the event family: evt.type, evt.dir, evt.num, the timestamps,
 * evt.source, evt.cpu and evt.latency; the result (evt.res, evt.rawres,
 * evt.failed, with Falco's errno names); evt.is_io*; and evt.is_open*, with
 * the open-family flags and mode as Falco's driver encodes them, which
 * evt.arg.flags (arg.c) and fd.type (fd.c) share.
 */
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/math64.h>
#include <linux/smp.h>
#include <linux/time64.h>
#include <linux/uaccess.h>
#include <uapi/linux/openat2.h>
#include "fields.h"

/* ---- names ------------------------------------------------------------------------ */

#define EVT_NAME_(id, nm)	\
	[SHRIKE_EVT_##id] = nm,
static const char *const evt_names[__SHRIKE_EVT_MAX] = {
	SHRIKE_EVENTS(EVT_NAME_)
};
#undef EVT_NAME_

static const char *evt_name(u16 evt)
{
	return evt < __SHRIKE_EVT_MAX ? evt_names[evt] : NULL;
}

/*
 * Linux errno names, as Falco prints a negative result. Aliased numbers
 * (EDEADLOCK, ENOTSUP) are left out: which alias Falco picks is not known.
 */
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

const char *shrike_errno_name(long err)
{
	return err > 0 && err < ARRAY_SIZE(errno_names) ? errno_names[err] : NULL;
}

/* ---- open flags, as Falco's driver encodes them ------------------------------------ */

/*
 * Bit-for-bit what Falco's open_flags_to_scap() does, including testing
 * multi-bit flags (O_TMPFILE, O_SYNC) with a plain '&': O_DIRECTORY alone
 * therefore also reads as O_TMPFILE, as it does in Falco.
 */
u32 shrike_ppm_open_flags(unsigned long f)
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

/*
 * Flags and mode of an open-like event (open, openat, openat2, creat,
 * open_by_handle_at).
 */
struct openx *shrike_open_info(struct shrike_event *ev)
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
	o->ppm = shrike_ppm_open_flags(flags);
	o->mode = ppm_open_mode(flags, mode);
	o->rc = OK;
	return o;
}

/* Falco's flags with O_F_CREATED, which takes an fget: only when asked. */
u32 shrike_open_ppm(struct shrike_event *ev, struct openx *o)
{
	if (!o->created_done) {
		o->created_done = true;
		if (file_created(ev))
			o->ppm |= PPM_O_F_CREATED;
	}
	return o->ppm;
}

/*
 * evt.is_open_*: Falco looks at exit events only, and for creat only at
 * the exec bits.
 */
int shrike_fetch_is_open(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out)
{
	struct openx *o;
	bool v = false;

	if (!is_exit(ev) || (!is_open_like(ev->evt) && ev->evt != SHRIKE_EVT_CREAT))
		return ret_bool(out, false);
	o = shrike_open_info(ev);
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
		v = (shrike_open_ppm(ev, o) & PPM_O_F_CREATED) ||
		    ((o->ppm & PPM_O_TMPFILE) && ev->ret >= 0);
		break;
	case SHRIKE_F_EVT_IS_OPEN_EXEC:
		v = (o->ppm & (PPM_O_TMPFILE | PPM_O_CREAT)) &&
		    ev->evt != SHRIKE_EVT_OPEN_BY_HANDLE_AT && (o->mode & 0111);
		break;
	}
	return ret_bool(out, v);
}

/* ---- evt.* -------------------------------------------------------------------------- */

/*
 * The event itself: evt.type and syscall.type, evt.type.is.NAME, evt.dir,
 * evt.num and the evt.rawtime* (stamped the first time one is asked for),
 * evt.source, evt.cpu and evt.latency.
 */
int shrike_fetch_evt(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out)
{
	const char *s, *s2;
	u32 len;

	switch (field) {
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
	}
	return UNKNOWN;
}

/* evt.res, evt.rawres, evt.failed. */
int shrike_fetch_res(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out)
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
	s = shrike_errno_name(-ev->ret);
	return s ? ret_cstr(out, s) : UNKNOWN;
}

/* evt.is_io, evt.is_io_read, evt.is_io_write. */
int shrike_fetch_is_io(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out)
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
