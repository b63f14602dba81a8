/* userids.c - user and group names of the agent's events, cached (see
 * userids.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "userids.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "../lib/fields.h"

/*
 * Names of user and group ids, cached: a lookup per alert would read and
 * parse /etc/passwd or /etc/group each time (NSS's files module reads the
 * file on every getpwuid), several system calls an alert.
 *
 * The host's: getpwuid/getgrgid (NSS: the files and whatever else
 * nsswitch.conf lists) once per id, an answer or "no such id", kept until
 * /etc/passwd (/etc/group) changes (device, inode, size or mtime; looked at
 * at most once a second), and at most ID_TTL seconds for NSS sources other
 * than the files.
 *
 * A container's own: /proc/PID/root/etc/passwd (group) read and parsed
 * whole, once per version of the file (device, inode, size, mtime), shared
 * by the processes that see it; which file a process sees is looked at again
 * at most once a second. Bounded: CFILES parsed files, CPIDS processes.
 */
#define ID_TTL		300
#define HOST_IDS_MAX	1024
#define CFILES		32
#define CPIDS		512
#define CFILE_MAX_BYTES (4 << 20)

struct file_stamp {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	bool ok; /* the file is there */
};

struct id_ent {
	unsigned long id;
	bool found;
	const char *name, *dir, *shell; /* dir, shell: users; "" when absent */
};

/* The host's answers for users or groups. */
struct host_ids {
	bool group;
	struct id_ent *v; /* strings malloc'd */
	size_t n, cap;
	struct file_stamp st;
	time_t checked, filled;
};

/* A container's passwd or group file, parsed. */
struct cfile {
	unsigned gen; /* 0: free slot */
	bool group;
	struct file_stamp st;
	char *text;	  /* the file; the entries point into it */
	struct id_ent *v; /* in file order: the first line of an id counts */
	size_t n;
	time_t used;
};

/* Which cfile a process sees (direct-mapped by pid and file). */
struct cpid {
	u64 pid;
	char cid[13]; /* its container: a reused pid is another process */
	bool valid, group;
	time_t checked;
	int file;     /* index in cfiles, -1: cannot be read */
	unsigned gen; /* cfiles[file].gen when it was found */
};

struct id_caches {
	const char *proc_root; /* the enricher's */
	struct host_ids users, groups;
	struct cfile files[CFILES];
	struct cpid pids[CPIDS];
	unsigned next_gen;
};

static void stamp_of(const struct stat *sb, struct file_stamp *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = sb->st_dev;
	st->ino = sb->st_ino;
	st->size = sb->st_size;
	st->mtime = sb->st_mtim;
	st->ok = true;
}

static bool stamp_eq(const struct file_stamp *a, const struct file_stamp *b)
{
	return a->ok == b->ok && a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

static void host_ids_flush(struct host_ids *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		free((char *)h->v[i].name);
		free((char *)h->v[i].dir);
		free((char *)h->v[i].shell);
	}
	h->n = 0;
}

static void cfile_clear(struct cfile *f)
{
	free(f->text);
	free(f->v);
	memset(f, 0, sizeof(*f));
}

struct id_caches *id_caches_new(const char *proc_root)
{
	struct id_caches *c = calloc(1, sizeof(*c));

	if (c) {
		c->proc_root = proc_root;
		c->groups.group = true;
	}
	return c;
}

void id_caches_free(struct id_caches *c)
{
	size_t i;

	if (!c)
		return;
	host_ids_flush(&c->users);
	host_ids_flush(&c->groups);
	free(c->users.v);
	free(c->groups.v);
	for (i = 0; i < CFILES; i++)
		cfile_clear(&c->files[i]);
	free(c);
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

/* The host's user (or group) id: NULL when it cannot be looked up now (no
 * memory), else an entry, found or not. Valid until the next call. */
static const struct id_ent *host_id(struct id_caches *c, bool group, unsigned int id)
{
	struct host_ids *h = group ? &c->groups : &c->users;
	const char *path = group ? "/etc/group" : "/etc/passwd";
	time_t now = time(NULL);
	struct id_ent e = { .id = id };
	size_t i;

	if (now != h->checked) {
		struct file_stamp st = { 0 };
		struct stat sb;

		h->checked = now;
		if (!stat(path, &sb))
			stamp_of(&sb, &st);
		if (!stamp_eq(&st, &h->st) || now - h->filled >= ID_TTL || now < h->filled) {
			host_ids_flush(h);
			h->st = st;
			h->filled = now;
		}
	}
	for (i = 0; i < h->n; i++)
		if (h->v[i].id == id)
			return &h->v[i];
	if (group) {
		struct group *gr = getgrgid((gid_t)id);

		if (gr) {
			e.found = true;
			e.name = dup_or_empty(gr->gr_name);
			e.dir = dup_or_empty(NULL);
			e.shell = dup_or_empty(NULL);
		}
	} else {
		struct passwd *pw = getpwuid((uid_t)id);

		if (pw) {
			e.found = true;
			e.name = dup_or_empty(pw->pw_name);
			e.dir = dup_or_empty(pw->pw_dir);
			e.shell = dup_or_empty(pw->pw_shell);
		}
	}
	if (e.found && (!e.name || !e.dir || !e.shell))
		goto nomem;
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 16;
		struct id_ent *nv;

		if (h->cap >= HOST_IDS_MAX) {
			host_ids_flush(h);
		} else if ((nv = realloc(h->v, cap * sizeof(*nv)))) {
			h->v = nv;
			h->cap = cap;
		} else {
			goto nomem;
		}
	}
	h->v[h->n] = e;
	return &h->v[h->n++];
nomem:
	free((char *)e.name);
	free((char *)e.dir);
	free((char *)e.shell);
	return NULL;
}

/* Splits a passwd/group file into its lines' entries (the fields of lines
 * whose third field is a number), in place. 0, or -1 on ENOMEM. */
static int cfile_parse(struct cfile *f)
{
	size_t cap = 0;
	char *line = f->text, *next;

	for (; *line; line = next) {
		char *p = line, *fl[7], *end;
		int n = 0, nf = f->group ? 4 : 7;

		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = 0;
		while (n < nf) {
			fl[n++] = p;
			p = strchr(p, ':');
			if (!p)
				break;
			*p++ = 0;
		}
		if (n < 3 || !*fl[2])
			continue;
		while (n < nf)
			fl[n++] = "";
		if (f->n == cap) {
			struct id_ent *nv = realloc(f->v, (cap = cap ? cap * 2 : 32) * sizeof(*nv));

			if (!nv)
				return -1;
			f->v = nv;
		}
		f->v[f->n] = (struct id_ent){ .found = true, .name = fl[0] };
		f->v[f->n].id = strtoul(fl[2], &end, 10);
		if (*end)
			continue;
		if (!f->group) {
			f->v[f->n].dir = fl[5];
			f->v[f->n].shell = fl[6];
		}
		f->n++;
	}
	return 0;
}

/* Reads fd (stamped st) into a free or the least recently used slot. Its
 * index, or -1. */
static int cfile_load(struct id_caches *c, int fd, const struct file_stamp *st, bool group,
		      time_t now)
{
	struct cfile *f = NULL;
	size_t len = 0, want;
	ssize_t r;
	int i, slot = 0;

	for (i = 0; i < CFILES; i++) {
		if (!c->files[i].gen) {
			slot = i;
			break;
		}
		if (c->files[i].used < c->files[slot].used)
			slot = i;
	}
	f = &c->files[slot];
	cfile_clear(f);
	/* What the stamp says; a file that grew since is read again when its
	 * new stamp is seen. */
	want = st->size < CFILE_MAX_BYTES ? (size_t)st->size : CFILE_MAX_BYTES;
	f->text = malloc(want + 1);
	if (!f->text)
		return -1;
	while (len < want) {
		r = read(fd, f->text + len, want - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			cfile_clear(f);
			return -1;
		}
		if (!r)
			break;
		len += (size_t)r;
	}
	f->text[len] = 0;
	f->group = group;
	f->st = *st;
	if (cfile_parse(f)) {
		cfile_clear(f);
		return -1;
	}
	if (!++c->next_gen)
		c->next_gen = 1;
	f->gen = c->next_gen;
	f->used = now;
	return slot;
}

/* The parsed passwd (group) file that process pid of container cid sees,
 * or NULL when it cannot be read (the process is gone). */
static const struct cfile *container_file(struct id_caches *c, u64 pid, const char *cid, bool group)
{
	struct cpid *p = &c->pids[(pid * 2 + group) % CPIDS];
	time_t now = time(NULL);
	struct file_stamp st;
	struct stat sb;
	char path[4200];
	int fd, i;

	if (p->valid && p->pid == pid && p->group == group && !strcmp(p->cid, cid) &&
	    p->checked == now) {
		if (p->file < 0)
			return NULL;
		if (c->files[p->file].gen == p->gen) {
			c->files[p->file].used = now;
			return &c->files[p->file];
		}
	}
	p->valid = true;
	p->pid = pid;
	p->group = group;
	snprintf(p->cid, sizeof(p->cid), "%s", cid);
	p->checked = now;
	p->file = -1;
	snprintf(path, sizeof(path), "%s/%llu/root/etc/%s", c->proc_root, (unsigned long long)pid,
		 group ? "group" : "passwd");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		close(fd);
		return NULL;
	}
	stamp_of(&sb, &st);
	for (i = 0; i < CFILES; i++)
		if (c->files[i].gen && c->files[i].group == group && stamp_eq(&c->files[i].st, &st))
			break;
	if (i == CFILES)
		i = cfile_load(c, fd, &st, group, now);
	close(fd);
	if (i < 0)
		return NULL;
	p->file = i;
	p->gen = c->files[i].gen;
	c->files[i].used = now;
	return &c->files[i];
}

/*
 * User (or group) id as process pid of container cid sees it: its
 * container's passwd (group) while the process lives (cid not NULL and
 * have_pid), else the host's. NULL when there is no name.
 */
static const struct id_ent *id_lookup(struct id_caches *c, const char *cid, bool have_pid, u64 pid,
				      bool is_user, unsigned long id)
{
	const struct id_ent *e;

	if (!c)
		return NULL;
	if (cid && have_pid) {
		const struct cfile *f = container_file(c, pid, cid, !is_user);
		size_t i;

		if (f) {
			for (i = 0; i < f->n; i++)
				if (f->v[i].id == id)
					return &f->v[i];
			return NULL; /* not the host's */
		}
	}
	e = host_id(c, !is_user, (unsigned int)id);
	return e && e->found ? e : NULL;
}

void enrich_set_str(struct uevent *ev, u16 field, const char *s)
{
	if (s && *s)
		uevent_set_str(ev, field, NULL, s, strlen(s));
}

/*
 * evt.arg.uid and the other uid/gid arguments (setuid, setresuid, chown,
 * ...): libsinsp prints PT_UID and PT_GID resolved to the name; the kernel
 * sends the number (evt.rawarg), captured for the purpose (codegen). -1
 * ("unchanged") and ids without a name stay without one (<NA>).
 */
static void id_args(struct id_caches *c, struct uevent *ev, const char *cid, bool have_pid, u64 pid)
{
	size_t i, n = ev->nvals;
	char arg[8];

	for (i = 0; i < n; i++) {
		const struct uevent_val *v = &ev->vals[i];
		const struct id_ent *e;
		int is_user;

		if (v->field != SHRIKE_F_EVT_RAWARG || v->missing || v->arglen >= sizeof(arg) ||
		    (v->v.type != SHRIKE_T_S64 && v->v.type != SHRIKE_T_U64) ||
		    (u64)v->v.s >= 0xffffffffull)
			continue;
		is_user = field_arg_id_kind(v->arg, v->arglen);
		memcpy(arg, v->arg, v->arglen);
		arg[v->arglen] = 0;
		if (is_user >= 0 &&
		    (e = id_lookup(c, cid, have_pid, pid, is_user, (unsigned long)v->v.s)) &&
		    *e->name)
			uevent_set_str(ev, SHRIKE_F_EVT_ARG, arg, e->name, strlen(e->name));
	}
}

/* See userids.h. */
void enrich_users(struct id_caches *c, struct uevent *ev, const char *cid)
{
	const struct id_ent *e;
	struct shrike_val v;
	bool have_pid = false;
	u64 pid = 0;

	if (uevent_lookup(ev, SHRIKE_F_PROC_PID, NULL, 0, &v) == SHRIKE_FETCH_OK) {
		pid = v.u;
		have_pid = true;
	}
	/* In a container, its own users while the process lives; else (no
	 * pid, the process is gone) the host's, as Falco 0.31 always did. */
	if (uevent_lookup(ev, SHRIKE_F_USER_UID, NULL, 0, &v) == SHRIKE_FETCH_OK &&
	    (e = id_lookup(c, cid, have_pid, pid, true, (unsigned long)v.u))) {
		enrich_set_str(ev, SHRIKE_F_USER_NAME, e->name);
		enrich_set_str(ev, SHRIKE_F_USER_HOMEDIR, e->dir);
		enrich_set_str(ev, SHRIKE_F_USER_SHELL, e->shell);
	}
	if (uevent_lookup(ev, SHRIKE_F_USER_LOGINUID, NULL, 0, &v) == SHRIKE_FETCH_OK &&
	    (s64)v.u >= 0 && !cid && (e = id_lookup(c, NULL, false, 0, true, (unsigned long)v.u)))
		enrich_set_str(ev, SHRIKE_F_USER_LOGINNAME, e->name);
	id_args(c, ev, cid, have_pid, pid);
	if (uevent_lookup(ev, SHRIKE_F_GROUP_GID, NULL, 0, &v) == SHRIKE_FETCH_OK &&
	    (e = id_lookup(c, cid, have_pid, pid, false, (unsigned long)v.u)))
		enrich_set_str(ev, SHRIKE_F_GROUP_NAME, e->name);
}
