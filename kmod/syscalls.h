/* SPDX-License-Identifier: GPL-2.0 */
/*
 * syscalls.h - which syscalls Shrike monitors, in both x86-64 ABIs, as
 * Falco's event types, and the layout of their parameters under Falco's
 * parameter names (evt.arg.NAME).
 */
#ifndef _SHRIKE_SYSCALLS_H
#define _SHRIKE_SYSCALLS_H

#include <linux/types.h>

enum shrike_param_kind {
	SHRIKE_P_INT,		/* signed integer, printed in decimal */
	SHRIKE_P_UINT,		/* unsigned integer */
	SHRIKE_P_FD,		/* file descriptor */
	SHRIKE_P_DIRFD,		/* dirfd: AT_FDCWD or an fd */
	SHRIKE_P_PATH,		/* user pointer to a NUL-terminated path */
	SHRIKE_P_STR,		/* user pointer to another string */
	SHRIKE_P_OPEN_FLAGS,	/* O_* flags, rendered O_RDONLY|O_CREAT... */
	SHRIKE_P_MODE,		/* file mode, rendered in octal */
	SHRIKE_P_UID,
	SHRIKE_P_GID,
	SHRIKE_P_PID,
	SHRIKE_P_SOCKADDR,	/* user pointer to a sockaddr, length in the next arg */
	SHRIKE_P_SIGNAL,
	SHRIKE_P_PTRACE_REQ,	/* PTRACE_* */
	SHRIKE_P_CLONE_FLAGS,	/* CLONE_* */
	SHRIKE_P_NS_TYPE,	/* CLONE_* of setns/unshare, named as clone's */
	SHRIKE_P_ARGV,		/* user pointer to a NULL-terminated string array */
	SHRIKE_P_RES,		/* the return value (errno names if negative) */
	SHRIKE_P_FLAGS,		/* other flags, rendered as a number */
	SHRIKE_P_SOCK_FAMILY,	/* AF_*: socket(2) domain */
	/* Members of a struct the argument points to (openat2, clone3). */
	SHRIKE_P_OPEN_HOW_FLAGS,	/* struct open_how .flags, as SHRIKE_P_OPEN_FLAGS */
	SHRIKE_P_OPEN_HOW_MODE,		/* struct open_how .mode, as SHRIKE_P_MODE */
	SHRIKE_P_OPEN_HOW_RESOLVE,	/* struct open_how .resolve, RESOLVE_* */
	SHRIKE_P_CLONE_ARGS_FLAGS,	/* struct clone_args .flags, as SHRIKE_P_CLONE_FLAGS */
};

struct shrike_param {
	const char *name;	/* Falco's parameter name: "flags", "name", "fd" */
	u8 kind;		/* SHRIKE_P_* */
	s8 argi;		/* syscall argument index, -1: the return value */
};

#define SHRIKE_MAX_PARAMS 8

struct shrike_sc {
	u16 evt;		/* SHRIKE_EVT_* */
	u8 nparams;
	struct shrike_param params[SHRIKE_MAX_PARAMS];
};

/* The layout of syscall nr in its ABI; NULL if Shrike has no event for it. */
const struct shrike_sc *shrike_syscall_lookup(unsigned int nr, bool compat);
/*
 * Every monitored syscall number of an event type, for the per-syscall
 * interest bitmap: calls fn(nr, compat, data) for each.
 */
void shrike_syscalls_of_evt(u16 evt, void (*fn)(unsigned int nr, bool compat, void *data),
			    void *data);
/* A parameter of the event by Falco name; NULL if it has none. */
const struct shrike_param *shrike_param_lookup(const struct shrike_sc *sc, const char *name,
					       u32 len);

#endif
