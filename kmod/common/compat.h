/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - lets the table verifier and evaluator be one source for
 * shrike.ko, shrikec and the agent: kernel headers in the kernel, libc
 * equivalents in userspace, same names for both.
 */
#ifndef _SHRIKE_COMMON_COMPAT_H
#define _SHRIKE_COMMON_COMPAT_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/stdarg.h>
#include <linux/bug.h>
#include <asm/byteorder.h>

/* A verified table broke an invariant: a verifier bug. */
#define SHRIKE_BROKEN(cond) WARN_ON_ONCE(cond)

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
/* Load-time allocation (process context), for what is derived from a table. */
#define shrike_alloc(n)	kvmalloc(n, GFP_KERNEL)
#define shrike_free(p)	kvfree(p)
#define shrike_sort(base, n, size, cmp) sort(base, n, size, cmp, NULL)
#include <linux/sched.h>
/* Long load-time loops (process context) let others run. */
#define shrike_resched() cond_resched()

#else /* !__KERNEL__ */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <endian.h>
#include <linux/types.h>	/* __le16 & co, used by the uapi headers */

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#define le16_to_cpu(x) ((u16)le16toh(x))
#define le32_to_cpu(x) ((u32)le32toh(x))
#define le64_to_cpu(x) ((u64)le64toh(x))
#define cpu_to_le16(x) ((__le16)htole16(x))
#define cpu_to_le32(x) ((__le32)htole32(x))
#define cpu_to_le64(x) ((__le64)htole64(x))

#ifndef __printf
#define __printf(a, b) __attribute__((format(printf, a, b)))
#endif
/*
 * A verified table broke an invariant: a verifier bug. The fuzzer defines
 * SHRIKE_ABORT_ON_BROKEN so that such a bug is a crash, not a quiet UNKNOWN.
 */
#ifdef SHRIKE_ABORT_ON_BROKEN
#include <stdlib.h>
#define SHRIKE_BROKEN(cond) ((cond) ? (abort(), 1) : 0)
#else
#define SHRIKE_BROKEN(cond) (!!(cond))
#endif

#ifndef fallthrough
#define fallthrough __attribute__((__fallthrough__))
#endif

#include <stdlib.h>
#define shrike_alloc(n)	malloc(n)
#define shrike_free(p)	free(p)
#define shrike_sort(base, n, size, cmp) qsort(base, n, size, cmp)
#define shrike_resched() do { } while (0)

#endif /* __KERNEL__ */

#endif /* _SHRIKE_COMMON_COMPAT_H */
