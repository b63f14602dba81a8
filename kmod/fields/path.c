// SPDX-License-Identifier: GPL-2.0
/*
 * path.c - the path family: fs.path.* and evt.abspath*, and the path
 * helpers the other families use: user strings and d_path() into scratch,
 * current's cwd, and a syscall's path parameters made absolute against
 * cwd or their dirfd and normalised the way every libsinsp version agrees
 * on.
 */
#include <linux/dcache.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/path.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include "fields.h"
#include "../tasks.h"

/* ---- scratch strings from user memory and from the dcache -------------------------- */

/*
 * The filename of a successful execve or execveat, at its exit: as passed,
 * saved by the sched_process_exec probe (tasks.c) from bprm->filename,
 * which for execveat relative to a directory fd is "/dev/fd/N/name", not
 * what was passed: UNKNOWN then. Length, or -ENOENT.
 */
static long exec_filename(struct shrike_event *ev, char **out)
{
	const struct shrike_taskinfo *t = shrike_task_find(task_tgid_nr(current));

	if (!t || !t->filename_len ||
	    (ev->evt == SHRIKE_EVT_EXECVEAT && t->filename[0] != '/') ||
	    !strncmp(t->filename, "/dev/fd/", 8))
		return -ENOENT;
	*out = sdup(ev, t->filename, t->filename_len);
	return *out ? t->filename_len : -ENOMEM;
}

/*
 * A NUL-terminated user string of at most max - 1 bytes, read without
 * faulting (strncpy_from_user_nofault is not exported to modules). Small
 * chunks first, so the cost follows the string's length, not the
 * buffer's; no chunk crosses a page, so a string that ends just before an
 * unmapped page still reads. Returns its length, -EFAULT or -E2BIG.
 */
long shrike_user_str(struct shrike_event *ev, unsigned long uptr, u32 max, char **out)
{
	char *buf;
	u32 n = 0, want = 64;

	/* After a successful exec the arguments point into the old image. */
	if (exec_done(ev))
		return -EFAULT;
	buf = shrike_scratch_alloc(ev, max);
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
int shrike_dpath(struct shrike_event *ev, const struct path *path, struct xstr *x)
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

/*
 * cwd with fs->lock held across d_path: set_fs_pwd() swaps fs->pwd under
 * that spinlock and drops the old path only after releasing it, so the
 * path stays pinned without path_get()/path_put() (dput may sleep).
 * d_path's own fs->seq read cannot spin on us: writers hold fs->lock (6.17+:
 * the seqlock's own lock, which read_seqlock_excl takes without a new sequence).
 * Falco keeps cwd with a trailing '/'.
 */
struct xstr *shrike_cwd_info(struct shrike_event *ev)
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
#ifdef SHRIKE_FS_SEQLOCK
	read_seqlock_excl(&fs->seq);
	shrike_dpath(ev, &fs->pwd, &p);
	read_sequnlock_excl(&fs->seq);
#else
	spin_lock(&fs->lock);
	shrike_dpath(ev, &fs->pwd, &p);
	spin_unlock(&fs->lock);
#endif
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

/* ---- paths given to the syscall ---------------------------------------------------- */

/* The directory a relative path starts from: cwd, or dirfd's file. */
static int base_dir(struct shrike_event *ev, const struct shrike_param *dirfd, struct xstr *b)
{
	struct xstr *cwd;
	struct file *f;
	int fd;

	fd = dirfd ? (int)arg_of(ev, dirfd) : AT_FDCWD;
	if (fd == AT_FDCWD) {
		cwd = shrike_cwd_info(ev);
		if (!cwd || cwd->rc != OK)
			return UNKNOWN;
		*b = *cwd;	/* ends in '/' */
		return OK;
	}
	f = fget_raw(fd);
	if (!f)
		return UNKNOWN;
	shrike_dpath(ev, &f->f_path, b);
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
struct pathx *shrike_path_info(struct shrike_event *ev, int nth)
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
	if (exec_done(ev))
		n = exec_filename(ev, &s);
	else
		n = shrike_user_str(ev, arg_of(ev, p), PATH_MAX, &s);
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
int shrike_fetch_fs_path(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out)
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
		return shrike_fetch_fd(ev, SHRIKE_F_FD_NAME, SHRIKE_ARG_NONE, out);
	x = shrike_path_info(ev, nth);
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
int shrike_fetch_abspath(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out)
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
	x = shrike_path_info(ev, nth);
	if (!x || x->rc != OK)
		return UNKNOWN;
	return ret_xstr(out, &x->abs);
}
