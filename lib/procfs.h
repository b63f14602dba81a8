/* procfs.h - the process fields the kernel leaves UNKNOWN that the agent
 * reads from /proc/PID when a candidate arrives: memory (status), the open
 * files limit (limits), the open fd count (fd/), the environment (environ)
 * and the executable's times (exe). Read lazily, once per event, only when a
 * rule's condition or output asks for one; a process that is gone or a file
 * that cannot be read leaves the field missing (<NA>, comparisons false), as
 * a value libsinsp cannot extract. */
#ifndef SHRIKE_LIB_PROCFS_H
#define SHRIKE_LIB_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include "../kmod/common/table.h"

struct uevent;

/* Whether field is one procfs_lookup() computes. The compiler has the kernel
 * capture proc.pid for each of them (codegen.c). */
bool procfs_field(u16 field);

/* The extractor of these fields for the store (event.c's table): claims()
 * whether field is one of them and ev has a proc_root to read it under. */
bool procfs_claims(const struct uevent *ev, u16 field);
/*
 * The value of (field, argument text) for process proc.pid of ev, read
 * under ev->proc_root: SHRIKE_FETCH_OK or SHRIKE_FETCH_MISSING. The result
 * (missing included) is kept in ev, so that a condition and an output see
 * the same value and each file is read at most once per event.
 */
int procfs_lookup(struct uevent *ev, u16 field, const char *arg, size_t arglen,
		  struct shrike_val *out);

#endif
