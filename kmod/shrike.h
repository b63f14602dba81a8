/* SPDX-License-Identifier: GPL-2.0 */
/* shrike.h - what the module's files share with each other. */
#ifndef _SHRIKE_INTERNAL_H
#define _SHRIKE_INTERNAL_H

#include <linux/types.h>
#include <net/netlink.h>
#include "uapi/shrike.h"
#include "common/table.h"
#include "common/guard.h"

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
	/*
	 * Rules per event type in table order: bucket_rules[bucket_start[e] ..
	 * bucket_start[e + 1]).
	 */
	u32 bucket_start[__SHRIKE_EVT_MAX + 1];
	u16 *bucket_rules;
	/* Per bucket: the rules an event can match, from one field. */
	struct shrike_guard *guards;
	/*
	 * One bit per syscall number that some rule cares about:
	 * [compat][SHRIKE_DIR_*].
	 */
	unsigned long interest[2][2][BITS_TO_LONGS(SHRIKE_NR_MAX)];
	/*
	 * Per rule: SHRIKE_RS_MATCHES, per CPU so the probes never share a
	 * cache line for it.
	 */
	u64 __percpu *matches;
	/*
	 * Per rule: the rate limiter's theoretical arrival time (GCRA), ns of
	 * ktime_get_mono_fast_ns(); 0 (long past) is a full bucket.
	 */
	atomic64_t *tat;
	u8 data[] __aligned(8);
};

/*
 * SET_CONFIG's settings. Written under the table mutex, one field at a time
 * with WRITE_ONCE; the probes read each with READ_ONCE and may see an old
 * and a new field together for one event, which is harmless.
 */
struct shrike_config {
	u32 rate;		/* SHRIKE_A_RATE, 0: no limit */
	u32 burst;		/* SHRIKE_A_BURST */
	u32 match;		/* SHRIKE_MATCH_* */
	u64 interval_ns;	/* NSEC_PER_SEC / rate; 0: no limit */
	u64 tau_ns;		/* (burst - 1) * interval_ns */
};
extern struct shrike_config shrike_cfg;

/* What GET_INFO reports, read in one go under the table mutex. */
struct shrike_table_state {
	bool loaded;
	bool locked;
	u32 checksum;
	u32 nrules;
	u64 generation;
};

/* Under rcu_read_lock(): the active table or NULL. */
struct shrike_loaded *shrike_table_active(void);

/* extract.c: at load, every kernel field has an extractor (-EINVAL if not). */
int shrike_extract_check(void);

/* probe.c: the syscall probes. */
int shrike_probe_init(void);
void shrike_probe_stop(void);	/* no syscall probe runs afterwards */
/* Under the table mutex, around the swap of the active table (see probe.c). */
void shrike_probe_publish(const struct shrike_loaded *old, const struct shrike_loaded *new,
			  bool swapped);

/* container.c: the "container" event's exec probe. */
int shrike_container_init(void);
void shrike_container_stop(void);	/* the exec probe runs no more */

/* deliver.c: counters and the subscriber. */
void shrike_stats_sum(u64 *out);	/* __SHRIKE_STAT_MAX counters */
struct sock;
void shrike_set_subscriber(struct sock *sk, u32 portid);
u32 shrike_get_subscriber(void);
void shrike_unsubscribe(u32 portid);

/* table.c: the handlers of the table and config commands. */
struct genl_info;
int shrike_table_begin(struct genl_info *info);
int shrike_table_chunk(struct genl_info *info);
int shrike_table_commit(struct genl_info *info, u64 *generation, u32 *checksum);
int shrike_table_unload(struct genl_info *info);
int shrike_table_lock_all(struct genl_info *info);
int shrike_set_config(struct genl_info *info);
/* The socket portid closed: its open transaction, if any, is abandoned. */
void shrike_table_release(u32 portid);
void shrike_table_state(struct shrike_table_state *st);
/*
 * Takes the table mutex (no load or unload until shrike_table_unlock)
 * and returns the active table, or NULL, and the generation.
 */
struct shrike_loaded *shrike_table_hold(u64 *generation);
void shrike_table_unlock(void);
/* Rule i's match count summed over CPUs. */
u64 shrike_rule_matches(const struct shrike_loaded *l, u32 i);
void shrike_table_exit(void);

#endif
