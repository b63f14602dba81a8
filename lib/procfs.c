/* procfs.c - process fields read from /proc/PID by the agent (see procfs.h).
 *
 * The kernel answers these UNKNOWN (kmod/extract.c): libsinsp keeps them in
 * its thread table, filled from the driver's execve/clone events and from
 * its own /proc scan, and the module has no such table. The agent reads the
 * same /proc files libscap's scan reads, when a candidate that needs one
 * arrives, with libsinsp's units and rendering:
 *   proc.vmsize, proc.vmrss, proc.vmswap  status VmSize/VmRSS/VmSwap, in kB
 *   proc.fdlimit                          limits "Max open files", soft limit
 *   proc.fdopencount                      the entries of fd/
 *   proc.env, proc.env[NAME]              environ, at most 4096 bytes as
 *                                         scap reads it (its last byte is
 *                                         the terminator); all variables
 *                                         joined by ' ', or NAME's value
 *                                         with its blanks stripped, "" when
 *                                         it is not set (not <NA>)
 *   proc.exe_ino.ctime, .mtime            stat of exe (the executable's
 *                                         inode), epoch nanoseconds
 * The values are the process's when the agent reads them, a moment after
 * the event; libsinsp's are those of the last event that updated its table
 * (the memory figures: exec, clone, brk, mmap, munmap). A process that has
 * exited by then has no values: the fields are missing, <NA> in outputs and
 * false in comparisons, as in libsinsp when a field cannot be extracted. A
 * process whose leader has exited (no VmSize line) has no memory figures.
 *
 * Nothing here blocks on anything but the kernel's procfs: each file is read
 * once per event, in bounded buffers (environ can wait for the process's
 * mmap lock, as ps does, so it is read only for rules that ask for proc.env).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "procfs.h"
#include "evstore.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

/* scap's SCAP_MAX_ENV_SIZE: the most of environ libsinsp keeps. */
#define ENV_MAX 4096
/* /proc/PID/status is about 1.5 kB; its Vm lines come first. */
#define STATUS_MAX 8192
#define LIMITS_MAX 4096

/* ev->proc_read: the files already read for this event. */
enum {
	PR_ENVIRON = 1,
	PR_ENVIRON_OK = 2,
};

bool procfs_field(u16 field)
{
	switch (field) {
	case SHRIKE_F_PROC_VMSIZE:
	case SHRIKE_F_PROC_VMRSS:
	case SHRIKE_F_PROC_VMSWAP:
	case SHRIKE_F_PROC_FDLIMIT:
	case SHRIKE_F_PROC_FDOPENCOUNT:
	case SHRIKE_F_PROC_ENV:
	case SHRIKE_F_PROC_EXE_INO_CTIME:
	case SHRIKE_F_PROC_EXE_INO_MTIME: return true;
	}
	return false;
}

bool procfs_claims(const struct uevent *ev, u16 field)
{
	return ev->proc_root && procfs_field(field);
}

/* ROOT/PID/NAME into buf; false when it does not fit. */
static bool proc_path(const struct uevent *ev, u64 pid, const char *name, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%llu/%s", ev->proc_root, (unsigned long long)pid, name);

	return n > 0 && (size_t)n < len;
}

/* Up to cap bytes of ROOT/PID/NAME into buf: the length read, or -1. */
static ssize_t read_proc(const struct uevent *ev, u64 pid, const char *name, char *buf, size_t cap)
{
	char path[4200];
	size_t got = 0;
	int fd;

	if (!proc_path(ev, pid, name, path, sizeof(path)))
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	while (got < cap) {
		ssize_t n = read(fd, buf + got, cap - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return (ssize_t)got;
}

static void cache_u64(struct uevent *ev, u16 field, bool have, u64 x)
{
	struct shrike_val v = { .type = SHRIKE_T_U64 };

	v.u = x;
	uevent_cache(ev, field, NULL, 0, have ? &v : NULL);
}

/* The number after "KEY:" at the start of a line of status, in kB. */
static bool status_kb(const char *buf, const char *key, u64 *out)
{
	size_t klen = strlen(key);
	const char *p = buf;
	char *end;

	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == ':') {
			unsigned long long x;

			p += klen + 1;
			while (*p == ' ' || *p == '\t')
				p++;
			errno = 0;
			x = strtoull(p, &end, 10);
			if (end == p || errno)
				return false;
			*out = x;
			return true;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

static void read_status(struct uevent *ev, u64 pid)
{
	static const struct {
		u16 field;
		const char *key;
	} keys[] = {
		{ SHRIKE_F_PROC_VMSIZE, "VmSize" },
		{ SHRIKE_F_PROC_VMRSS, "VmRSS" },
		{ SHRIKE_F_PROC_VMSWAP, "VmSwap" },
	};
	char *buf = malloc(STATUS_MAX + 1);
	ssize_t n = buf ? read_proc(ev, pid, "status", buf, STATUS_MAX) : -1;
	size_t i;

	if (n >= 0)
		buf[n] = 0;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		u64 kb = 0;
		bool have = n >= 0 && status_kb(buf, keys[i].key, &kb);

		cache_u64(ev, keys[i].field, have, kb);
	}
	free(buf);
}

/* The soft limit of the "Max open files" line of limits. */
static void read_limits(struct uevent *ev, u64 pid)
{
	static const char key[] = "Max open files";
	char buf[LIMITS_MAX + 1], *p, *end;
	ssize_t n = read_proc(ev, pid, "limits", buf, LIMITS_MAX);
	unsigned long long x = 0;
	bool have = false;

	if (n >= 0) {
		buf[n] = 0;
		for (p = buf; p && *p; p = (p = strchr(p, '\n')) ? p + 1 : NULL) {
			if (strncmp(p, key, sizeof(key) - 1))
				continue;
			p += sizeof(key) - 1;
			while (*p == ' ')
				p++;
			/* "unlimited" cannot be: RLIMIT_NOFILE is at most nr_open. */
			errno = 0;
			x = strtoull(p, &end, 10);
			have = end != p && !errno && (*end == ' ' || *end == '\n');
			break;
		}
	}
	cache_u64(ev, SHRIKE_F_PROC_FDLIMIT, have, x);
}

static void read_fds(struct uevent *ev, u64 pid)
{
	char path[4200];
	struct dirent *d;
	u64 count = 0;
	DIR *dir;

	if (!proc_path(ev, pid, "fd", path, sizeof(path)) || !(dir = opendir(path))) {
		cache_u64(ev, SHRIKE_F_PROC_FDOPENCOUNT, false, 0);
		return;
	}
	errno = 0;
	while ((d = readdir(dir)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			count++;
	/* A process that exits while its fds are listed has none left. */
	cache_u64(ev, SHRIKE_F_PROC_FDOPENCOUNT, !errno, count);
	closedir(dir);
}

static void read_exe(struct uevent *ev, u64 pid)
{
	char path[4200];
	struct stat st;
	bool have = proc_path(ev, pid, "exe", path, sizeof(path)) && !stat(path, &st);
	u64 ctime = have ? (u64)st.st_ctim.tv_sec * 1000000000ull + (u64)st.st_ctim.tv_nsec : 0;
	u64 mtime = have ? (u64)st.st_mtim.tv_sec * 1000000000ull + (u64)st.st_mtim.tv_nsec : 0;

	/* libsinsp: a time of 0 is no value. */
	cache_u64(ev, SHRIKE_F_PROC_EXE_INO_CTIME, have && ctime, ctime);
	cache_u64(ev, SHRIKE_F_PROC_EXE_INO_MTIME, have && mtime, mtime);
}

/* environ as libscap reads it, into ev's arena; false if it cannot be read. */
static bool read_environ(struct uevent *ev, u64 pid)
{
	char *buf;
	ssize_t n;

	if (ev->proc_read & PR_ENVIRON)
		return ev->proc_read & PR_ENVIRON_OK;
	ev->proc_read |= PR_ENVIRON;
	buf = uevent_alloc(ev, ENV_MAX);
	if (!buf)
		return false;
	n = read_proc(ev, pid, "environ", buf, ENV_MAX);
	if (n < 0)
		return false;
	/* scap: the last byte read is the terminator, whatever it was. */
	if (n > 0)
		buf[n - 1] = 0;
	ev->environ = buf;
	ev->environ_len = (u32)n;
	ev->proc_read |= PR_ENVIRON_OK;
	return true;
}

/* The next variable of environ from *p: false at the end. Empty ones are skipped. */
static bool next_var(const struct uevent *ev, const char **p, const char **s, size_t *len)
{
	const char *end = ev->environ + ev->environ_len;

	while (*p < end) {
		const char *nul = memchr(*p, 0, (size_t)(end - *p));
		const char *stop = nul ? nul : end;

		*s = *p;
		*len = (size_t)(stop - *p);
		*p = nul ? nul + 1 : end;
		if (*len)
			return true;
	}
	return false;
}

/* libsinsp's sinsp_threadinfo::get_env(name) and concatenate_all_env(). */
static void env_value(struct uevent *ev, const char *name, size_t nlen)
{
	struct shrike_val v = { .type = SHRIKE_T_STR };
	const char *p = ev->environ, *s;
	char *all;
	size_t len, n = 0;

	v.str.ptr = "";
	if (!nlen) {
		/* Every variable and a blank between two: at most environ's length. */
		all = uevent_alloc(ev, ev->environ_len + 1);
		if (!all)
			return;
		while (next_var(ev, &p, &s, &len)) {
			if (n)
				all[n++] = ' ';
			memcpy(all + n, s, len);
			n += len;
		}
		v.str.ptr = all;
		v.str.len = (u32)n;
		uevent_cache(ev, SHRIKE_F_PROC_ENV, NULL, 0, &v);
		return;
	}
	while (next_var(ev, &p, &s, &len)) {
		size_t first, last;

		if (len <= nlen + 1 || s[nlen] != '=' || memcmp(s, name, nlen))
			continue;
		for (first = nlen + 1; first < len && s[first] == ' '; first++)
			;
		if (first < len) {
			for (last = len; s[last - 1] == ' '; last--)
				;
			v.str.ptr = s + first;
			v.str.len = (u32)(last - first);
		}
		break;
	}
	uevent_cache(ev, SHRIKE_F_PROC_ENV, name, nlen, &v);
}

int procfs_lookup(struct uevent *ev, u16 field, const char *arg, size_t arglen,
		  struct shrike_val *out)
{
	struct shrike_val pid;

	if (!ev->proc_root || !procfs_field(field))
		return SHRIKE_FETCH_MISSING;
	if (field != SHRIKE_F_PROC_ENV)
		arglen = 0;
	if (uevent_lookup(ev, SHRIKE_F_PROC_PID, NULL, 0, &pid) != SHRIKE_FETCH_OK ||
	    pid.type != SHRIKE_T_U64 || !pid.u) {
		uevent_cache(ev, field, arg, arglen, NULL);
		return SHRIKE_FETCH_MISSING;
	}
	switch (field) {
	case SHRIKE_F_PROC_VMSIZE:
	case SHRIKE_F_PROC_VMRSS:
	case SHRIKE_F_PROC_VMSWAP: read_status(ev, pid.u); break;
	case SHRIKE_F_PROC_FDLIMIT: read_limits(ev, pid.u); break;
	case SHRIKE_F_PROC_FDOPENCOUNT: read_fds(ev, pid.u); break;
	case SHRIKE_F_PROC_EXE_INO_CTIME:
	case SHRIKE_F_PROC_EXE_INO_MTIME: read_exe(ev, pid.u); break;
	case SHRIKE_F_PROC_ENV:
		if (read_environ(ev, pid.u))
			env_value(ev, arg, arglen);
		break;
	}
	/* Whatever happened, the answer is in ev now (or memory ran out):
	 * cache a missing value where nothing was stored. */
	if (uevent_lookup_cached(ev, field, arg, arglen, out) == SHRIKE_FETCH_OK)
		return SHRIKE_FETCH_OK;
	uevent_cache(ev, field, arg, arglen, NULL);
	return SHRIKE_FETCH_MISSING;
}
