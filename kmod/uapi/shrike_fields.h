/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * shrike_fields.h - part of the contract (included by shrike.h only): the
 * field registry and the event types, as X-macro lists so that the enum, the
 * kernel's extractor table and the compiler's name table cannot disagree.
 * Append only: the position in the list is the wire id.
 *
 * X(ID, "name", TYPE, WHERE, SOURCE, ARGKIND, "description")
 *   TYPE     SHRIKE_T_*     value type
 *   WHERE    SHRIKE_W_*     KERNEL: the kernel computes it; AGENT: only userspace
 *   SOURCE   SHRIKE_SRC_*   SYSCALL or K8S_AUDIT
 *   ARGKIND  SHRIKE_ARGK_*  how an argument is written after the name
 */
#ifndef _UAPI_LINUX_SHRIKE_FIELDS_H
#define _UAPI_LINUX_SHRIKE_FIELDS_H

enum shrike_type {
	SHRIKE_T_U64,		/* unsigned integer */
	SHRIKE_T_S64,		/* signed integer (evt.res, evt.rawres) */
	SHRIKE_T_STR,		/* string */
	SHRIKE_T_BOOL,		/* true/false, compared as "true"/"false" */
	SHRIKE_T_IPADDR,	/* IPv4/IPv6 address; "in" takes CIDRs */
	SHRIKE_T_IPNET,		/* network */
	SHRIKE_T_STRLIST,	/* list of strings (ka.req.pod.containers.image) */
	__SHRIKE_T_MAX,
};

enum shrike_where {
	SHRIKE_W_KERNEL,
	SHRIKE_W_AGENT,
};

enum shrike_argkind {
	SHRIKE_ARGK_NONE,	/* no argument */
	SHRIKE_ARGK_INDEX,	/* [N]: proc.aname[2]; optional */
	SHRIKE_ARGK_NAME,	/* .NAME or [N]: evt.arg.flags, evt.arg[0] */
	SHRIKE_ARGK_KEY,	/* [key]: k8s.pod.label[app], jevt.value[/a/b] */
};

#define SHRIKE_FIELDS(X) \
	X(EVT_TYPE, "evt.type", STR, KERNEL, SYSCALL, NONE, "event type (syscall name)") \
	X(EVT_DIR, "evt.dir", STR, KERNEL, SYSCALL, NONE, "event direction: > entry, < exit") \
	X(PROC_NAME, "proc.name", STR, KERNEL, SYSCALL, NONE, "process name (comm, up to 16 chars, as Falco)") \
	X(PROC_ANAME, "proc.aname", STR, KERNEL, SYSCALL, INDEX, "name of an ancestor: [N] the Nth, none: any") \
	X(USER_NAME, "user.name", STR, AGENT, SYSCALL, NONE, "user name") \
	X(KA_VERB, "ka.verb", STR, AGENT, K8S_AUDIT, NONE, "audit event verb")

/* X(ID, "falco name") */
#define SHRIKE_EVENTS(X) \
	X(OPEN, "open") \
	X(OPENAT, "openat") \
	X(EXECVE, "execve")

#define SHRIKE_F_ENUM_(id, ...) SHRIKE_F_##id,
enum shrike_field {
	SHRIKE_FIELDS(SHRIKE_F_ENUM_)
	__SHRIKE_F_MAX,
};
#undef SHRIKE_F_ENUM_

#define SHRIKE_EVT_ENUM_(id, ...) SHRIKE_EVT_##id,
enum shrike_evtype {
	SHRIKE_EVENTS(SHRIKE_EVT_ENUM_)
	__SHRIKE_EVT_MAX,
};
#undef SHRIKE_EVT_ENUM_

#endif
