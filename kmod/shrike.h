/* SPDX-License-Identifier: GPL-2.0 */
/* shrike.h - what the module's files share with each other. */
#ifndef _SHRIKE_INTERNAL_H
#define _SHRIKE_INTERNAL_H

#include <linux/types.h>
#include <net/netlink.h>
#include "uapi/shrike.h"
#include "common/table.h"

extern unsigned int shrike_max_table_size;

extern struct genl_family shrike_family;
int shrike_netlink_init(void);
void shrike_netlink_exit(void);

struct tracepoint;
/* tracepoints.c: a core kernel tracepoint by name ("sys_enter"), or NULL. */
struct tracepoint *shrike_find_tracepoint(const char *name);

/* Syscall numbers covered by the interest bitmaps, per ABI. */
#define SHRIKE_NR_MAX	1024

/* A verified table and what is derived from it at load, published by RCU. */
struct shrike_loaded {
	u32 len;
	struct shrike_table t;
	/* Rules per event type in table order: bucket_rules[bucket_start[e] ..
	 * bucket_start[e + 1]). */
	u32 bucket_start[__SHRIKE_EVT_MAX + 1];
	u16 *bucket_rules;
	/* One bit per syscall number that some rule cares about:
	 * [compat][SHRIKE_DIR_*]. */
	unsigned long interest[2][2][BITS_TO_LONGS(SHRIKE_NR_MAX)];
	u8 data[] __aligned(8);
};

/* Under rcu_read_lock(): the active table or NULL. */
struct shrike_loaded *shrike_table_active(void);

/* probe.c */
int shrike_probe_init(void);
void shrike_probe_exit(void);
void shrike_stats_sum(u64 *out);	/* __SHRIKE_STAT_MAX counters */
void shrike_set_subscriber(u32 portid);
u32 shrike_get_subscriber(void);

/* table.c */
int shrike_table_chunk(u32 portid, u32 size, u32 offset, const void *chunk, u32 len,
		       struct netlink_ext_ack *extack, const struct nlattr *attr);
int shrike_table_unload(void);
bool shrike_table_info(u32 *checksum, u32 *nrules);
void shrike_table_exit(void);

#endif
