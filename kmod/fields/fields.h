/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fields.h - what the field families in kmod/fields/ share: the result
 * codes, the per-event cache slots, the ret_* helpers that fill a
 * struct shrike_val, scratch strings, the syscall parameter helpers, the
 * open flags and path information several families read, and each
 * family's entry points for the table in kmod/extract.c. That file's first
 * comment holds the rules every extractor keeps (no sleeping, no faults,
 * bounded loops, strings in the per-CPU scratch, costly results cached
 * once per event in ev->have / ev->cache) and which fields stay UNKNOWN.
 */
#ifndef _SHRIKE_FIELDS_H
#define _SHRIKE_FIELDS_H

#include <linux/bits.h>
#include <linux/sched.h>
#include <linux/string.h>
#include "../event.h"
#include "../syscalls.h"

struct path;

#define OK	SHRIKE_FETCH_OK
#define MISSING	SHRIKE_FETCH_MISSING
#define UNKNOWN	SHRIKE_FETCH_UNKNOWN

/* ev->cache slots, one bit each in ev->have. */
enum {
	C_FD,		/* struct fdx (fd.c) */
	C_ARGV,		/* struct argvx (proc.c) */
	C_CWD,		/* struct xstr (path.c) */
	C_EXE,		/* struct exex (proc.c) */
	C_CGROUP,	/* struct xstr: container.id (cgroup.c) */
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

static inline int ret_str(struct shrike_val *out, const char *p, u32 len)
{
	out->type = SHRIKE_T_STR;
	out->str.ptr = p;
	out->str.len = len;
	return OK;
}

static inline int ret_cstr(struct shrike_val *out, const char *p)
{
	return ret_str(out, p, strlen(p));
}

static inline int ret_xstr(struct shrike_val *out, const struct xstr *x)
{
	if (!x || x->rc != OK)
		return x ? x->rc : UNKNOWN;
	return ret_str(out, x->p, x->len);
}

static inline int ret_u64(struct shrike_val *out, u64 v)
{
	out->type = SHRIKE_T_U64;
	out->u = v;
	return OK;
}

static inline int ret_s64(struct shrike_val *out, s64 v)
{
	out->type = SHRIKE_T_S64;
	out->s = v;
	return OK;
}

static inline int ret_bool(struct shrike_val *out, bool b)
{
	out->type = SHRIKE_T_BOOL;
	out->u = b;
	return OK;
}

static inline int ret_ip(struct shrike_val *out, u8 type, u8 fam, const u8 *ip)
{
	out->type = type;
	out->family = fam;
	out->prefix = fam == 4 ? 32 : 128;
	memset(out->ip, 0, sizeof(out->ip));
	memcpy(out->ip, ip, fam == 4 ? 4 : 16);
	return OK;
}

/* At the exit of an execve or execveat that succeeded: a new image. */
static inline bool exec_done(const struct shrike_event *ev)
{
	return ev->dir == SHRIKE_DIR_EXIT && ev->ret == 0 &&
	       (ev->evt == SHRIKE_EVT_EXECVE || ev->evt == SHRIKE_EVT_EXECVEAT);
}

static inline bool is_exit(const struct shrike_event *ev)
{
	return ev->dir == SHRIKE_DIR_EXIT;
}

static inline void *cached(struct shrike_event *ev, int slot)
{
	return ev->have & BIT(slot) ? ev->cache[slot] : NULL;
}

static inline void *cache_new(struct shrike_event *ev, int slot, u32 size)
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
static inline void scratch_shrink(struct shrike_event *ev, const char *p,
				  u32 allocated, u32 keep)
{
	struct shrike_scratch *s = ev->scratch;
	u32 a = ALIGN(allocated, 8), k = ALIGN(keep, 8);

	if (p + a == s->buf + s->used && k <= a)
		s->used -= a - k;
}

static inline char *sdup(struct shrike_event *ev, const char *s, u32 len)
{
	char *p = shrike_scratch_alloc(ev, len + 1);

	if (p) {
		memcpy(p, s, len);
		p[len] = 0;
	}
	return p;
}

/* a + b + c into scratch. */
static inline char *sjoin3(struct shrike_event *ev, const char *a, u32 al,
			   const char *b, u32 bl, const char *c, u32 cl,
			   u32 *len)
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

static inline bool ends_with(const char *s, u32 n, const char *suf)
{
	u32 m = strlen(suf);

	return n >= m && !memcmp(s + n - m, suf, m);
}

static inline bool starts_with(const char *s, u32 n, const char *pre)
{
	u32 m = strlen(pre);

	return n >= m && !memcmp(s, pre, m);
}

static inline bool is_open_family(u16 evt)
{
	return evt == SHRIKE_EVT_OPEN || evt == SHRIKE_EVT_OPENAT ||
	       evt == SHRIKE_EVT_OPENAT2 || evt == SHRIKE_EVT_CREAT;
}

static inline const struct shrike_param *
param_by_kind(const struct shrike_sc *sc, u8 kind, int nth)
{
	int i;

	if (!sc)
		return NULL;
	for (i = 0; i < sc->nparams && i < SHRIKE_MAX_PARAMS; i++)
		if (sc->params[i].kind == kind && nth-- == 0)
			return &sc->params[i];
	return NULL;
}

static inline unsigned long arg_of(const struct shrike_event *ev,
				   const struct shrike_param *p)
{
	return p->argi >= 0 && p->argi < 6 ? ev->args[p->argi] : 0;
}

static inline bool is_open_like(u16 evt)
{
	return evt == SHRIKE_EVT_OPEN || evt == SHRIKE_EVT_OPENAT ||
	       evt == SHRIKE_EVT_OPENAT2 || evt == SHRIKE_EVT_OPEN_BY_HANDLE_AT;
}

/* ---- open flags, as Falco's driver encodes them (evt.c) -------------------------- */

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

struct openx {
	int rc;
	u32 ppm;		/* Falco's flags; O_F_CREATED only by shrike_open_ppm() */
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

static inline struct miscx *misc(struct shrike_event *ev)
{
	struct miscx *m = cached(ev, C_MISC);

	return m ? m : cache_new(ev, C_MISC, sizeof(*m));
}

/* Flags and mode of an open-like event; NULL when the scratch is full. */
struct openx *shrike_open_info(struct shrike_event *ev);
/* Falco's flags with O_F_CREATED, which takes an fget: only when asked. */
u32 shrike_open_ppm(struct shrike_event *ev, struct openx *o);
/* Falco's open_flags_to_scap() of the kernel's open flags f. */
u32 shrike_ppm_open_flags(unsigned long f);
/* Falco's name of errno err (positive), or NULL. */
const char *shrike_errno_name(long err);

/* ---- paths (path.c) ---------------------------------------------------------------- */

struct pathx {
	int rc;			/* MISSING: the event has no such path */
	struct xstr raw;	/* as given */
	struct xstr abs;	/* made absolute against cwd or dirfd */
	bool at_dirfd;		/* relative to a dirfd other than AT_FDCWD */
	bool simple;		/* path_simple(raw): abs is raw, or base + raw */
};

/* A user string of at most max - 1 bytes into scratch: its length or -errno. */
long shrike_user_str(struct shrike_event *ev, unsigned long uptr, u32 max, char **out);
/* d_path() of a pinned path into scratch; x->rc is also returned. */
int shrike_dpath(struct shrike_event *ev, const struct path *path, struct xstr *x);
/*
 * The nth (0 or 1) PATH parameter, raw and made absolute; NULL when the
 * scratch is full.
 */
struct pathx *shrike_path_info(struct shrike_event *ev, int nth);
/* current's cwd, with Falco's trailing '/'; NULL when the scratch is full. */
struct xstr *shrike_cwd_info(struct shrike_event *ev);

/* ---- containers (cgroup.c) ---------------------------------------------------------- */

/* container.id of current, "host" outside a container; NULL when full. */
struct xstr *shrike_container_info(struct shrike_event *ev);

/* ---- the families' entry points, for the table in kmod/extract.c --------------------- */

/*
 * An extractor: the value of field (one of those the table gives it) for
 * ev, with arg the instruction's argument, checked against the field's
 * argkind by shrike_fetch(). SHRIKE_FETCH_OK, _MISSING or _UNKNOWN.
 */
typedef int (*shrike_extract_fn)(struct shrike_event *ev, u16 field, u16 arg,
				 struct shrike_val *out);

/* evt.c: the event, its result, evt.is_io*, evt.is_open*. */
int shrike_fetch_evt(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out);
int shrike_fetch_res(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out);
int shrike_fetch_is_io(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out);
int shrike_fetch_is_open(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out);
/* arg.c: evt.arg, evt.rawarg. */
int shrike_fetch_arg(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out);
/* proc.c: the process, its parent and ancestors, thread, user and group. */
int shrike_fetch_proc(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out);
int shrike_fetch_parent(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out);
int shrike_fetch_ancestor(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out);
int shrike_fetch_thread(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out);
int shrike_fetch_user(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out);
/* fd.c: the event's fd, files and sockets. */
int shrike_fetch_fd(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out);
/* path.c: fs.path.*, evt.abspath*. */
int shrike_fetch_fs_path(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out);
int shrike_fetch_abspath(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out);
/* cgroup.c: container.id. */
int shrike_fetch_container(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out);

#endif
