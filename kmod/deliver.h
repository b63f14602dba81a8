/* SPDX-License-Identifier: GPL-2.0 */
/*
 * deliver.h - the way out of the probes: the per-CPU state they write (the
 * record being built, the scratch, the counters), the rings that hold
 * finished records, and the drain that sends them to the subscriber.
 */
#ifndef _SHRIKE_DELIVER_H
#define _SHRIKE_DELIVER_H

#include <linux/types.h>
#include <linux/percpu.h>
#include "uapi/shrike.h"

#define SHRIKE_REC_RULES_MAX	SHRIKE_ALERT_RULES_MAX
#define SHRIKE_REC_MAX		8192	/* one record, with its captured values */

/* A record: this header, then nfields struct shrike_rec_field. */
struct shrike_rec_hdr {
	u32 len;		/* whole record, 8-aligned; 0: wrap to the start */
	u32 nrules;
	u32 decided;		/* bit i: rules[i] decided TRUE in the kernel */
	u32 evt;
	u32 pid;
	u32 tid;
	u64 ts;
	u32 checksum;
	u32 nfields;
	u32 rules[SHRIKE_REC_RULES_MAX];
};

/* A captured value in a record; len bytes of value follow, padded to 4. */
struct shrike_rec_field {
	u16 id;
	u16 arg;
	u8 type;
	u8 pad;
	u16 len;
};

struct shrike_ring {
	u32 head;		/* producer */
	u32 tail;		/* consumer */
	u32 size;
	u8 *buf;
};

struct shrike_scratch;

/* Per CPU; the big buffers are allocated separately (percpu areas are small). */
struct shrike_pcpu {
	struct shrike_ring ring;
	struct shrike_scratch *scratch;
	struct shrike_rec_hdr *rec;	/* SHRIKE_REC_MAX bytes: the record being built */
	u64 stats[__SHRIKE_STAT_MAX];
};

extern struct shrike_pcpu __percpu *shrike_pcpu;
/* The subscriber's process, whose own syscalls are not monitored. */
extern pid_t shrike_subscriber_tgid;

static inline void shrike_stat_inc(struct shrike_pcpu *c, int s)
{
	c->stats[s]++;
}

/*
 * Queues a finished record (h->len set, a multiple of 8) on this CPU's ring
 * and wakes the drain if the ring was empty; counts it as sent or dropped.
 * Preemption disabled.
 */
void shrike_emit(struct shrike_pcpu *c, const struct shrike_rec_hdr *h);

int shrike_deliver_init(void);	/* buffers; the drain is idle */
void shrike_deliver_stop(void);	/* after every producer stopped: no drain runs */
void shrike_deliver_exit(void);	/* frees the buffers */

#endif
