// SPDX-License-Identifier: GPL-2.0
/*
 * deliver.c - from the probes to the subscriber: per-CPU rings of records,
 * the counters, and the drain work that sends the records over netlink.
 *
 * Locking model: each CPU's ring has one producer (that CPU's probe, with
 * preemption disabled; syscalls do not nest) and one consumer (the drain
 * work, which runs one instance at a time). The producer publishes head
 * with release semantics, the consumer tail.
 *
 * The subscriber is a socket, held (sock_hold) from its SUBSCRIBE until it
 * closes or another replaces it, under sub_lock; records go onto that
 * socket's receive queue itself (sub_send), not to a port id, which another
 * process may bind once the subscriber's socket is gone. A replaced
 * subscriber is sent SHRIKE_CMD_REPLACED.
 *
 * Wakeups: the probe arms the drain only when its ring goes from empty to
 * non-empty, one tick later (DRAIN_DELAY), on an unbound workqueue: a
 * timer armed instead of a worker woken, and a steady stream of alerts
 * drained in batches, one wakeup a tick rather than one a record, so the
 * monitored process pays neither a wakeup per alert nor the drain running
 * on its CPU. A ring past half full is drained at once. No wakeup is lost:
 * the producer stores head, then (full barrier) reads tail; the drain
 * stores tail, then (full barrier) reads head again before it stops. One of
 * the two sees the other's store.
 *
 * Sending: several records per skb (each its own SHRIKE_CMD_ALERT message;
 * the agent reads them in one recv). When the subscriber's socket is full
 * the records stay in the ring and the drain retries a tick later: a burst
 * waits in the ring instead of being dropped, and only a full ring drops
 * (counted per CPU as buffer_full).
 */
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "shrike.h"
#include "deliver.h"
#include "event.h"
#include "profile.h"

static unsigned int alert_buffer_kb = 256;
module_param(alert_buffer_kb, uint, 0444);
MODULE_PARM_DESC(alert_buffer_kb,
		 "Per-CPU buffer for events on their way to the agent, in KiB (default 256, 16..16384)");

/* Records per netlink skb: well below the agent's 64 KiB receive buffer. */
#define BATCH_BYTES	(16 * 1024)
/* How long a first record waits for others to share its wakeup: a tick. */
#define DRAIN_DELAY	1

struct shrike_pcpu __percpu *shrike_pcpu;
pid_t shrike_subscriber_tgid;
static DEFINE_SPINLOCK(sub_lock);
static struct sock *sub_sk;	/* held; NULL: none */
static u32 subscriber;		/* sub_sk's port id, 0: none (lockless reads) */
static struct delayed_work drain_work;
static bool running;		/* cleared at stop: the drain re-queues no more */

void shrike_stats_sum(u64 *out)
{
	int cpu, s;

	memset(out, 0, sizeof(u64) * __SHRIKE_STAT_MAX);
	for_each_possible_cpu(cpu)
		for (s = 0; s < __SHRIKE_STAT_MAX; s++)
			out[s] += READ_ONCE(per_cpu_ptr(shrike_pcpu, cpu)->stats[s]);
}

/*
 * Queues skb on netlink socket sk as netlink_unicast would queue it for sk's
 * port id (which this module cannot address by socket): owned by sk, on its
 * receive queue, sk woken. -EAGAIN when sk's receive buffer is full (unless
 * force), -ECONNREFUSED when sk is closed. Consumes skb.
 */
static int sub_send(struct sock *sk, struct sk_buff *skb, bool force)
{
	if (sock_flag(sk, SOCK_DEAD)) {
		kfree_skb(skb);
		return -ECONNREFUSED;
	}
	if (!force && atomic_read(&sk->sk_rmem_alloc) > READ_ONCE(sk->sk_rcvbuf)) {
		kfree_skb(skb);
		return -EAGAIN;
	}
	NETLINK_CB(skb).portid = 0;	/* from the kernel */
	NETLINK_CB(skb).dst_group = 0;
	skb_set_owner_r(skb, sk);
	skb_queue_tail(&sk->sk_receive_queue, skb);
	sk->sk_data_ready(sk);
	return 0;
}

/* Tells the socket it no longer receives alerts: pid took the stream. */
static void tell_replaced(struct sock *sk, pid_t pid)
{
	struct sk_buff *skb = genlmsg_new(nla_total_size(sizeof(u32)), GFP_KERNEL);
	void *hdr;

	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &shrike_family, 0, SHRIKE_CMD_REPLACED);
	if (!hdr || nla_put_u32(skb, SHRIKE_A_ALERT_PID, pid)) {
		kfree_skb(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	sub_send(sk, skb, true);
}

/* Under sub_lock: sk (port portid, process tgid) or none; the old one back. */
static struct sock *sub_swap_locked(struct sock *sk, u32 portid, pid_t tgid)
{
	struct sock *old = sub_sk;

	sub_sk = sk;
	WRITE_ONCE(shrike_subscriber_tgid, tgid);
	WRITE_ONCE(subscriber, sk ? portid : 0);
	return old;
}

/*
 * sk (port portid) becomes the subscriber, from its own SUBSCRIBE (the
 * subscribing process runs this), or NULL: none. The one it replaces, if
 * another socket, is told and released.
 */
void shrike_set_subscriber(struct sock *sk, u32 portid)
{
	pid_t tgid = sk ? task_tgid_nr(current) : 0;
	struct sock *old;

	if (sk)
		sock_hold(sk);
	spin_lock_bh(&sub_lock);
	old = sub_swap_locked(sk, portid, tgid);
	spin_unlock_bh(&sub_lock);
	if (!old)
		return;
	if (old != sk && sk)
		tell_replaced(old, tgid);
	sock_put(old);
}

u32 shrike_get_subscriber(void)
{
	return READ_ONCE(subscriber);
}

/*
 * portid's socket closed: no longer the subscriber. A new socket may have
 * the same port id by now: only a closed subscriber is let go.
 */
void shrike_unsubscribe(u32 portid)
{
	struct sock *old = NULL;

	spin_lock_bh(&sub_lock);
	if (sub_sk && subscriber == portid && sock_flag(sub_sk, SOCK_DEAD))
		old = sub_swap_locked(NULL, 0, 0);
	spin_unlock_bh(&sub_lock);
	if (old)
		sock_put(old);
}

/* The subscriber, held for the caller (sock_put), or NULL. */
static struct sock *sub_get(void)
{
	struct sock *sk;

	spin_lock_bh(&sub_lock);
	sk = sub_sk;
	if (sk)
		sock_hold(sk);
	spin_unlock_bh(&sub_lock);
	return sk;
}

/* sk, found closed by the drain, is let go if it still is the subscriber. */
static void sub_gone(struct sock *sk)
{
	struct sock *old = NULL;

	spin_lock_bh(&sub_lock);
	if (sub_sk == sk)
		old = sub_swap_locked(NULL, 0, 0);
	spin_unlock_bh(&sub_lock);
	if (old)
		sock_put(old);
}

/*
 * Copies a finished record (len a multiple of 8) into the ring; false when
 * full. head == tail means empty, so head never catches up with tail.
 */
static bool ring_put(struct shrike_ring *r, const void *rec, u32 len)
{
	/* Pairs with drain_ring()'s release: the bytes before tail are read. */
	u32 head = r->head, tail = smp_load_acquire(&r->tail);

	if (head >= tail) {
		u32 room = r->size - head;

		if (len > room || (len == room && tail == 0)) {
			/* Wrap: a zero length marks the jump to the start. */
			if (len >= tail)
				return false;
			if (room >= sizeof(u32))
				*(u32 *)(r->buf + head) = 0;
			head = 0;
		}
	} else if (len >= tail - head) {
		return false;
	}
	memcpy(r->buf + head, rec, len);
	head += len;
	if (head == r->size)
		head = 0;
	/* Pairs with drain_ring()'s acquire: the record is written before head. */
	smp_store_release(&r->head, head);
	return true;
}

static u32 ring_used(const struct shrike_ring *r, u32 head, u32 tail)
{
	return head >= tail ? head - tail : r->size - tail + head;
}

static void drain_kick(unsigned long delay)
{
	if (READ_ONCE(running))
		queue_delayed_work(system_unbound_wq, &drain_work, delay);
}

void shrike_emit(struct shrike_pcpu *c, const struct shrike_rec_hdr *h)
{
	struct shrike_ring *r = &c->ring;
	u32 old_head = r->head, tail;

	if (!ring_put(r, h, h->len)) {
		shrike_stat_inc(c, SHRIKE_STAT_DROP_BUFFER_FULL);
		return;
	}
	shrike_stat_inc(c, SHRIKE_STAT_ALERTS);
	if (h->decided != (u32)(BIT_ULL(h->nrules) - 1))
		shrike_stat_inc(c, SHRIKE_STAT_CANDIDATES);
	/* Pairs with the barrier in drain_ring(): see the top comment. */
	smp_mb();
	tail = READ_ONCE(r->tail);
	if (tail == old_head)
		drain_kick(DRAIN_DELAY);
	else if (ring_used(r, old_head, tail) <= r->size / 2 &&
		 ring_used(r, r->head, tail) > r->size / 2 && READ_ONCE(running))
		mod_delayed_work(system_unbound_wq, &drain_work, 0);	/* crossed half full */
}

/* ---- the drain ---------------------------------------------------------- */

static int put_record(struct sk_buff *msg, const struct shrike_rec_hdr *h)
{
	const u8 *p = (const u8 *)(h + 1), *end = (const u8 *)h + h->len;
	struct nlattr *nest;
	u32 i;

	if (nla_put_u32(msg, SHRIKE_A_TABLE_CHECKSUM, h->checksum) ||
	    nla_put_u64_64bit(msg, SHRIKE_A_ALERT_TS, h->ts, SHRIKE_A_UNSPEC) ||
	    nla_put_u32(msg, SHRIKE_A_ALERT_EVT, h->evt) ||
	    nla_put_u32(msg, SHRIKE_A_ALERT_PID, h->pid) ||
	    nla_put_u32(msg, SHRIKE_A_ALERT_TID, h->tid) ||
	    nla_put_u32(msg, SHRIKE_A_ALERT_DECIDED, h->decided))
		return -EMSGSIZE;
	for (i = 0; i < h->nrules; i++)
		if (nla_put_u32(msg, SHRIKE_A_ALERT_RULE, h->rules[i]))
			return -EMSGSIZE;
	for (i = 0; i < h->nfields; i++) {
		const struct shrike_rec_field *f = (const struct shrike_rec_field *)p;

		if (p + sizeof(*f) > end || p + sizeof(*f) + f->len > end)
			break;
		nest = nla_nest_start(msg, SHRIKE_A_ALERT_FIELD);
		if (!nest ||
		    nla_put_u16(msg, SHRIKE_AF_ID, f->id) ||
		    nla_put_u16(msg, SHRIKE_AF_ARG, f->arg) ||
		    nla_put_u8(msg, SHRIKE_AF_TYPE, f->type) ||
		    nla_put(msg, SHRIKE_AF_VALUE, f->len, f + 1))
			return -EMSGSIZE;
		nla_nest_end(msg, nest);
		p += sizeof(*f) + ALIGN(f->len, 4);
	}
	return 0;
}

/*
 * What a record's message takes in an skb, at most: the record's bytes plus
 * netlink's headers (4 per rule, 24 per field beyond struct rec_field).
 */
static u32 msg_size(const struct shrike_rec_hdr *h)
{
	return nlmsg_total_size(GENL_HDRLEN + h->len + 128 + 4 * h->nrules + 24 * h->nfields);
}

/*
 * The record at tail, or NULL at a wrap marker (tail then moves to 0). The
 * ring is written only by this CPU's probe, but a record the producer got
 * wrong must not make the drain read out of bounds: a bad length empties
 * the ring (counted) rather than being trusted.
 */
static const struct shrike_rec_hdr *ring_peek(struct shrike_pcpu *c, u32 *tail, u32 head)
{
	struct shrike_ring *r = &c->ring;
	const struct shrike_rec_hdr *h;
	u32 len;

	if (r->size - *tail < sizeof(u32) || !*(u32 *)(r->buf + *tail)) {
		*tail = 0;
		return NULL;
	}
	h = (const struct shrike_rec_hdr *)(r->buf + *tail);
	len = h->len;
	if (WARN_ON_ONCE(len < sizeof(*h) || len > SHRIKE_REC_MAX || !IS_ALIGNED(len, 8) ||
			 len > r->size - *tail || h->nrules > SHRIKE_REC_RULES_MAX ||
			 (*tail < head && len > head - *tail))) {
		this_cpu_inc(shrike_pcpu->stats[SHRIKE_STAT_DROP_BUFFER_FULL]);
		*tail = head;
		return NULL;
	}
	return h;
}

static void advance(struct shrike_ring *r, u32 *tail, u32 len, u32 *used)
{
	*used += len;
	*tail += len;
	if (*tail == r->size)
		*tail = 0;
}

/*
 * Sends what c's ring holds, a batch per skb. 0 when the ring is empty,
 * -EAGAIN when the subscriber could not take more (records kept), -EBUSY
 * when the budget ran out with records left.
 */
static int drain_ring(struct shrike_pcpu *c)
{
	struct shrike_ring *r = &c->ring;
	u32 tail = r->tail, budget = r->size;

	for (;;) {
		/* Pairs with ring_put()'s release: records before head are whole. */
		u32 head = smp_load_acquire(&r->head), t = tail, n = 0, used = 0;
		const struct shrike_rec_hdr *h;
		struct sk_buff *skb;
		struct sock *sk;
		int ret;

		if (tail == head) {
			/* Pairs with the barrier in shrike_emit(). */
			smp_mb();
			if (READ_ONCE(r->head) == tail)
				return 0;
			continue;
		}
		if (!budget)
			return -EBUSY;
		sk = sub_get();
		skb = sk ? nlmsg_new(BATCH_BYTES, GFP_KERNEL) : NULL;
		while (t != head) {
			void *hdr;

			h = ring_peek(c, &t, head);
			if (!h)
				continue;
			if (!sk) {
				this_cpu_inc(shrike_pcpu->stats[SHRIKE_STAT_DROP_NO_RECEIVER]);
				advance(r, &t, h->len, &used);
				continue;
			}
			if (!skb)
				break;
			/* One record too big for a batch goes alone. */
			if (skb_tailroom(skb) < msg_size(h)) {
				if (n)
					break;
				kfree_skb(skb);
				skb = nlmsg_new(msg_size(h), GFP_KERNEL);
				if (!skb)
					break;
			}
			hdr = genlmsg_put(skb, 0, 0, &shrike_family, 0, SHRIKE_CMD_ALERT);
			if (!hdr || put_record(skb, h)) {
				if (hdr)
					genlmsg_cancel(skb, hdr);
				if (n)
					break;
				/* Cannot be encoded at all: drop it, counted. */
				this_cpu_inc(shrike_pcpu->stats[SHRIKE_STAT_DROP_RECEIVER_FULL]);
				advance(r, &t, h->len, &used);
				continue;
			}
			genlmsg_end(skb, hdr);
			advance(r, &t, h->len, &used);
			n++;
			if (skb_tailroom(skb) < NLMSG_GOODSIZE / 4)
				break;
		}
		if (skb && n) {
			PROFILE_START(t0);

			ret = sub_send(sk, skb, false);
			PROFILE_END(SHRIKE_PROF_DRAIN, t0);
			if (ret == -ECONNREFUSED) {
				/* The subscriber is gone: these are not for anyone. */
				sub_gone(sk);
				this_cpu_add(shrike_pcpu->stats[SHRIKE_STAT_DROP_NO_RECEIVER], n);
			} else if (ret) {
				/* Its socket is full: keep them, try again soon. */
				sock_put(sk);
				return -EAGAIN;
			}
		} else if (skb) {
			kfree_skb(skb);
		} else if (sk && t == tail) {
			sock_put(sk);
			return -EAGAIN;		/* no memory for an skb */
		}
		if (sk)
			sock_put(sk);
		budget -= min(budget, used);
		tail = t;
		/* Pairs with ring_put()'s acquire: read before the bytes are reused. */
		smp_store_release(&r->tail, tail);
		cond_resched();
	}
}

static void drain(struct work_struct *w)
{
	unsigned long delay = 0;
	bool again = false;
	int cpu, ret;

	for_each_possible_cpu(cpu) {
		ret = drain_ring(per_cpu_ptr(shrike_pcpu, cpu));
		if (ret == -EAGAIN)
			delay = 1;
		if (ret)
			again = true;
	}
	if (again)
		drain_kick(delay);
}

/* ---- setup -------------------------------------------------------------- */

static void free_buffers(void)
{
	int cpu;

	if (!shrike_pcpu)
		return;
	for_each_possible_cpu(cpu) {
		struct shrike_pcpu *c = per_cpu_ptr(shrike_pcpu, cpu);

		vfree(c->ring.buf);
		kvfree(c->scratch);
		kvfree(c->rec);
	}
	free_percpu(shrike_pcpu);
	shrike_pcpu = NULL;
}

int shrike_deliver_init(void)
{
	int cpu;

	if (alert_buffer_kb < 16 || alert_buffer_kb > 16384)
		return -ERANGE;
	shrike_pcpu = alloc_percpu(struct shrike_pcpu);
	if (!shrike_pcpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct shrike_pcpu *c = per_cpu_ptr(shrike_pcpu, cpu);

		c->ring.size = alert_buffer_kb * 1024;
		c->ring.buf = vzalloc(c->ring.size);
		c->scratch = kvzalloc(sizeof(*c->scratch), GFP_KERNEL);
		c->rec = kvzalloc(SHRIKE_REC_MAX, GFP_KERNEL);
		if (!c->ring.buf || !c->scratch || !c->rec) {
			free_buffers();
			return -ENOMEM;
		}
	}
	INIT_DELAYED_WORK(&drain_work, drain);
	WRITE_ONCE(running, true);
	return 0;
}

/* Every producer has stopped: no drain is queued or running afterwards. */
void shrike_deliver_stop(void)
{
	/*
	 * The work re-queues itself while a ring holds records: stop that,
	 * then wait for the one that may be running or pending.
	 */
	WRITE_ONCE(running, false);
	cancel_delayed_work_sync(&drain_work);
}

/* After shrike_deliver_stop() and once no command can read the counters. */
void shrike_deliver_exit(void)
{
	free_buffers();
}
