// SPDX-License-Identifier: GPL-2.0
/*
 * probe.c - the syscall probes: one bitmap test per syscall decides whether
 * any rule cares; if one does, the rules of the event type's bucket are
 * evaluated in table order and an event that can match is written as a
 * compact record into a per-CPU ring. A work item drains the rings and sends
 * the records to the subscriber; the probe never allocates, sleeps or sends.
 *
 * Locking model: the probes run with preemption disabled (syscall
 * tracepoints) and read the table under rcu_read_lock(). Each CPU's ring has
 * one producer (that CPU's probe: syscalls do not nest) and one consumer
 * (the work item); head is published with release semantics by the
 * producer, tail by the consumer. The subscriber's port id is a single word
 * read with READ_ONCE.
 *
 * Rate limit: one shared GCRA bucket per rule (a single u64, the rule's
 * "theoretical arrival time"), updated with cmpxchg. Shared rather than
 * per-CPU because the limit is a promise about what reaches userspace per
 * rule: per-CPU buckets with rate/ncpus would let a burst of ncpus times the
 * limit through, or throttle a process that stays on one CPU to a fraction
 * of it. It is touched only when a rule matched, which is rare by design,
 * so contention is confined to a rule that floods, and there the retries
 * are bounded: after RATE_TRIES lost races the event is counted as limited
 * (every lost race means another CPU just took a token of that same rule).
 *
 * Teardown (see shrike_exit): probes unregistered and waited for, then the
 * drain work cancelled, then the netlink family removed, then the buffers
 * freed: nothing that produces into or drains the rings outlives them.
 */
#include <linux/compat.h>
#include <linux/jhash.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/tracepoint.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <asm/syscall.h>
#include <net/genetlink.h>
#include "shrike.h"
#include "event.h"
#include "syscalls.h"

static unsigned int alert_buffer_kb = 256;
module_param(alert_buffer_kb, uint, 0444);
MODULE_PARM_DESC(alert_buffer_kb,
		 "Per-CPU buffer for events on their way to the agent, in KiB (default 256, 16..16384)");

#define REC_RULES_MAX	SHRIKE_ALERT_RULES_MAX
#define RATE_TRIES	8
#define REC_MAX		8192	/* one record, with its captured values */

struct rec_hdr {
	u32 len;		/* whole record, 8-aligned; 0: wrap to the start */
	u32 nrules;
	u32 decided;		/* bit i: rules[i] decided TRUE in the kernel */
	u32 evt;
	u32 pid;
	u32 tid;
	u64 ts;
	u32 checksum;
	u32 nfields;
	u32 rules[REC_RULES_MAX];
};

/* A captured value in a record; len bytes of value follow, padded to 4. */
struct rec_field {
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

/* Per CPU; the big buffers are allocated separately (percpu areas are small). */
struct shrike_pcpu {
	struct shrike_ring ring;
	struct shrike_scratch *scratch;
	u8 *rec;		/* REC_MAX bytes, 8-aligned: the record being built */
	u64 stats[__SHRIKE_STAT_MAX];
};

static struct shrike_pcpu __percpu *pcpu;
static atomic64_t event_num;
static u32 subscriber;		/* netlink port id, 0: none */
/*
 * The subscriber's own process: its syscalls are not monitored, as Falco
 * drops its own events, so the agent's outputs (a syslog connect, a file
 * write below /etc) cannot feed back into alerts about themselves.
 */
static pid_t subscriber_tgid;
static struct work_struct drain_work;
static struct tracepoint *tp_enter, *tp_exit;
static bool running;		/* cleared at unload: no new work queued */

static inline void stat_inc(struct shrike_pcpu *c, int s)
{
	c->stats[s]++;
}

void shrike_stats_sum(u64 *out)
{
	int cpu, s;

	memset(out, 0, sizeof(u64) * __SHRIKE_STAT_MAX);
	for_each_possible_cpu(cpu)
		for (s = 0; s < __SHRIKE_STAT_MAX; s++)
			out[s] += READ_ONCE(per_cpu_ptr(pcpu, cpu)->stats[s]);
}

void shrike_set_subscriber(u32 portid)
{
	/* Runs in the subscribing process (a netlink send), or clears both. */
	WRITE_ONCE(subscriber_tgid, portid ? task_tgid_nr(current) : 0);
	WRITE_ONCE(subscriber, portid);
}

u32 shrike_get_subscriber(void)
{
	return READ_ONCE(subscriber);
}

/*
 * Copies a finished record (len a multiple of 8) into this CPU's ring; false
 * when full. head == tail means empty, so head never catches up with tail.
 */
static bool ring_put(struct shrike_ring *r, const void *rec, u32 len)
{
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
	smp_store_release(&r->head, head);
	return true;
}

static void rec_add_field(struct rec_hdr *h, u32 *used, u16 id, u16 arg,
			  const struct shrike_val *v)
{
	struct rec_field *f = (struct rec_field *)((u8 *)h + *used);
	const void *src;
	u32 len, need, i;
	u8 ip[18];

	switch (v->type) {
	case SHRIKE_T_STR:
		src = v->str.ptr;
		len = v->str.len;
		break;
	case SHRIKE_T_IPADDR:
	case SHRIKE_T_IPNET:
		ip[0] = v->family;
		ip[1] = v->prefix;
		len = v->family == 4 ? 4 : 16;
		memcpy(ip + 2, v->ip, len);
		src = ip;
		len += 2;
		break;
	case SHRIKE_T_STRLIST:
		/* proc.aname and kin without a level: each item followed
		 * by a NUL, copied below. */
		for (i = 0, len = 0; i < v->list.n; i++)
			len += v->list.items[i].len + 1;
		src = NULL;
		break;
	default:
		src = &v->u;
		len = sizeof(u64);
		break;
	}
	need = sizeof(*f) + ALIGN(len, 4);
	if (len > U16_MAX || *used + need > REC_MAX)
		return;
	f->id = id;
	f->arg = arg;
	f->type = v->type;
	f->pad = 0;
	f->len = len;
	if (src) {
		memcpy(f + 1, src, len);
	} else {
		u8 *d = (u8 *)(f + 1);

		for (i = 0; i < v->list.n; i++) {
			memcpy(d, v->list.items[i].ptr, v->list.items[i].len);
			d += v->list.items[i].len;
			*d++ = 0;
		}
	}
	*used += need;
	h->nfields++;
}

/* The captured fields of every rule in the record, each once. */
static u32 rec_capture(struct shrike_event *ev, struct rec_hdr *h)
{
	const struct shrike_table *t = ev->t;
	u32 used = sizeof(*h), i, k, j;
	u32 seen[SHRIKE_MAX_CAPTURES];
	u32 nseen = 0;

	for (i = 0; i < h->nrules; i++) {
		const struct shrike_rule *r = &t->rules[h->rules[i]];

		for (k = 0; k < le16_to_cpu(r->ncaptures); k++) {
			const struct shrike_capture *c = shrike_rule_capture(t, r, k);
			u16 id = le16_to_cpu(c->field), arg = le16_to_cpu(c->arg);
			u32 key = (u32)id << 16 | arg;
			struct shrike_val v;

			for (j = 0; j < nseen && seen[j] != key; j++)
				;
			if (j < nseen || nseen == SHRIKE_MAX_CAPTURES)
				continue;
			seen[nseen++] = key;
			if (shrike_fetch(ev, id, arg, &v) == SHRIKE_FETCH_OK)
				rec_add_field(h, &used, id, arg, &v);
		}
	}
	return ALIGN(used, 8);
}

/*
 * One token of rule ri's bucket, if there is one (GCRA: the bucket is full
 * when its theoretical arrival time tat is in the past; each alert pushes
 * it one interval further; at most tau ahead of now is allowed).
 */
static bool rate_allow(struct shrike_loaded *l, u16 ri)
{
	u64 interval = READ_ONCE(shrike_cfg.interval_ns);
	u64 tau = READ_ONCE(shrike_cfg.tau_ns);
	atomic64_t *tat = &l->tat[ri];
	u64 now, t;
	s64 old;
	int i;

	if (!interval)
		return true;
	now = ktime_get_mono_fast_ns();
	old = atomic64_read(tat);
	for (i = 0; i < RATE_TRIES; i++) {
		t = max_t(u64, old, now);
		if (t - now > tau)
			return false;
		if (atomic64_try_cmpxchg(tat, &old, t + interval))
			return true;
	}
	return false;
}

/*
 * Evaluates the bucket of ev->evt. With first-match, rules the kernel can
 * only call UNKNOWN are sent along with the first TRUE one after them, so
 * the agent can pick the first rule that really matches: no alert is lost.
 */
static noinline void evaluate(struct shrike_pcpu *c, struct shrike_loaded *l,
			      struct shrike_event *ev)
{
	struct rec_hdr *h = (struct rec_hdr *)c->rec;
	u64 *matches = this_cpu_ptr(l->matches);
	u32 mode = READ_ONCE(shrike_cfg.match);
	bool all = mode == SHRIKE_MATCH_ALL ||
		   (mode == SHRIKE_MATCH_TABLE && (l->t.flags & SHRIKE_TF_MATCH_ALL));
	u32 i, len;

	stat_inc(c, SHRIKE_STAT_EVENTS);
	/* rules[] is written up to nrules: only the header before it. */
	memset(h, 0, offsetof(struct rec_hdr, rules));
	for (i = l->bucket_start[ev->evt]; i < l->bucket_start[ev->evt + 1]; i++) {
		u16 ri = l->bucket_rules[i];
		const struct shrike_rule *r = &l->t.rules[ri];
		bool entry = le16_to_cpu(r->flags) & SHRIKE_RF_ENTRY;
		int res;

		if (entry != (ev->dir == SHRIKE_DIR_ENTER))
			continue;
		stat_inc(c, SHRIKE_STAT_EVALUATED);
		res = shrike_eval(&l->t, r, shrike_fetch, ev);
		if (res == SHRIKE_V_FALSE)
			continue;
		matches[ri]++;
		if (h->nrules == REC_RULES_MAX) {
			stat_inc(c, SHRIKE_STAT_DROP_RULE_CAP);
			if (res == SHRIKE_V_TRUE && !all)
				break;
			continue;
		}
		if (!rate_allow(l, ri)) {
			stat_inc(c, SHRIKE_STAT_DROP_RATE_LIMIT);
			/* First-match: a later rule must not stand in for it. */
			if (res == SHRIKE_V_TRUE && !all)
				break;
			continue;
		}
		if (res == SHRIKE_V_TRUE)
			h->decided |= 1u << h->nrules;
		h->rules[h->nrules++] = ri;
		if (res == SHRIKE_V_TRUE && !all)
			break;
	}
	if (ev->scratch_full)
		stat_inc(c, SHRIKE_STAT_DROP_SCRATCH);
	if (!h->nrules)
		return;
	if (!READ_ONCE(subscriber)) {
		stat_inc(c, SHRIKE_STAT_DROP_NO_RECEIVER);
		return;
	}
	h->evt = ev->evt;
	h->pid = task_tgid_nr(current);
	h->tid = task_pid_nr(current);
	h->ts = ev->ts;
	h->checksum = l->t.checksum;
	len = rec_capture(ev, h);
	h->len = len;
	if (!ring_put(&c->ring, h, len)) {
		stat_inc(c, SHRIKE_STAT_DROP_BUFFER_FULL);
		return;
	}
	stat_inc(c, SHRIKE_STAT_ALERTS);
	if (h->decided != (u32)(BIT_ULL(h->nrules) - 1))
		stat_inc(c, SHRIKE_STAT_CANDIDATES);
	if (READ_ONCE(running))
		queue_work(system_wq, &drain_work);
}

static __always_inline void on_syscall(struct pt_regs *regs, long ret, int dir)
{
	struct shrike_loaded *l;
	const struct shrike_sc *sc;
	struct shrike_event ev;
	struct shrike_pcpu *c;
	bool compat = in_ia32_syscall();
	long nr = syscall_get_nr(current, regs);

	if (nr < 0 || nr >= SHRIKE_NR_MAX)
		return;
	rcu_read_lock();
	l = shrike_table_active();
	if (likely(!l || !test_bit(nr, l->interest[compat][dir])))
		goto out;
	if (unlikely(task_tgid_nr(current) == READ_ONCE(subscriber_tgid)))
		goto out;
	sc = shrike_syscall_lookup(nr, compat);
	if (!sc)
		goto out;
	c = this_cpu_ptr(pcpu);
	memset(&ev, 0, sizeof(ev));
	ev.t = &l->t;
	ev.task = current;
	ev.regs = regs;
	ev.sc = sc;
	syscall_get_arguments(current, regs, ev.args);
	ev.ret = ret;
	ev.ts = ktime_get_real_ns();
	ev.num = atomic64_inc_return(&event_num);
	ev.evt = sc->evt;
	ev.dir = dir;
	ev.compat = compat;
	ev.nr = nr;
	ev.scratch = c->scratch;
	c->scratch->used = 0;
	evaluate(c, l, &ev);
out:
	rcu_read_unlock();
}

static void probe_enter(void *data, struct pt_regs *regs, long id)
{
	on_syscall(regs, 0, SHRIKE_DIR_ENTER);
}

static void probe_exit(void *data, struct pt_regs *regs, long ret)
{
	on_syscall(regs, ret, SHRIKE_DIR_EXIT);
}

/* ---- the "container" pseudo event --------------------------------------- */

/*
 * Falco emits a "container" event when it first sees a container; rules
 * such as 'Launch Privileged Container' (evt.type = container and
 * container.privileged = true) match on it. Here it is the first exec
 * (sched_process_exec) in a container id not seen before, while the table
 * has rules in the CONTAINER bucket: that bucket is evaluated for a
 * synthesized exit event of type "container" with no arguments, through
 * evaluate() like any syscall, so agent-only fields (container.privileged,
 * .image) go up as a candidate for the agent to finish.
 *
 * Seen ids: a set-associative cache of short ids, SEEN_SETS sets of
 * SEEN_WAYS, no allocation; a full set evicts its oldest entry (FIFO), so a
 * node with more live containers than that may see one reported again at a
 * later exec. The cache is kept across table loads: a container's start is
 * reported once, not again after a reload; it is empty at module load, so
 * the containers running then are reported at their next exec.
 */
#define SEEN_SETS	256
#define SEEN_WAYS	4
#define SHORT_ID	12

static struct {
	char id[SEEN_WAYS][SHORT_ID];
	u8 used, next;
} seen[SEEN_SETS];
static DEFINE_RAW_SPINLOCK(seen_lock);

/* True if id was not in the cache; it is then. */
static bool seen_add(const char *id)
{
	u32 set = jhash(id, SHORT_ID, 0) % SEEN_SETS, i;
	unsigned long flags;
	bool added = false;

	raw_spin_lock_irqsave(&seen_lock, flags);
	for (i = 0; i < seen[set].used; i++)
		if (!memcmp(seen[set].id[i], id, SHORT_ID))
			goto out;
	if (seen[set].used < SEEN_WAYS) {
		i = seen[set].used++;
	} else {
		i = seen[set].next;
		seen[set].next = (i + 1) % SEEN_WAYS;
	}
	memcpy(seen[set].id[i], id, SHORT_ID);
	added = true;
out:
	raw_spin_unlock_irqrestore(&seen_lock, flags);
	return added;
}

/* No parameters: evt.arg.* and fd.* read MISSING, as on Falco's event. */
static const struct shrike_sc container_sc = { .evt = SHRIKE_EVT_CONTAINER };

/* From sched_process_exec, in the exec'ing task (current). */
void shrike_probe_exec(void)
{
	struct shrike_loaded *l;
	struct shrike_event ev;
	struct shrike_pcpu *c;
	struct shrike_val v;

	rcu_read_lock();
	l = shrike_table_active();
	if (likely(!l || l->bucket_start[SHRIKE_EVT_CONTAINER] ==
			 l->bucket_start[SHRIKE_EVT_CONTAINER + 1]))
		goto out;
	if (task_tgid_nr(current) == READ_ONCE(subscriber_tgid))
		goto out;
	/* The per-CPU scratch and record, as in on_syscall (which cannot be
	 * running on this CPU: the exec is in a syscall's body). */
	preempt_disable();
	c = this_cpu_ptr(pcpu);
	memset(&ev, 0, sizeof(ev));
	ev.t = &l->t;
	ev.task = current;
	ev.regs = current_pt_regs();
	ev.sc = &container_sc;
	ev.evt = SHRIKE_EVT_CONTAINER;
	ev.dir = SHRIKE_DIR_EXIT;
	ev.nr = -1;
	ev.scratch = c->scratch;
	c->scratch->used = 0;
	/* Unknown (no cgroup v2 path, other runtimes) and "host" are not
	 * containers Falco would announce. */
	if (shrike_fetch(&ev, SHRIKE_F_CONTAINER_ID, SHRIKE_ARG_NONE, &v) == SHRIKE_FETCH_OK &&
	    v.type == SHRIKE_T_STR && v.str.len == SHORT_ID && seen_add(v.str.ptr)) {
		ev.ts = ktime_get_real_ns();
		ev.num = atomic64_inc_return(&event_num);
		evaluate(c, l, &ev);
	}
	preempt_enable();
out:
	rcu_read_unlock();
}

/* ---- delivery ----------------------------------------------------------- */

static int put_record(struct sk_buff *msg, const struct rec_hdr *h)
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
	for (i = 0; i < h->nrules && i < REC_RULES_MAX; i++)
		if (nla_put_u32(msg, SHRIKE_A_ALERT_RULE, h->rules[i]))
			return -EMSGSIZE;
	for (i = 0; i < h->nfields; i++) {
		const struct rec_field *f = (const struct rec_field *)p;

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

static void send_record(struct shrike_pcpu *c, const struct rec_hdr *h)
{
	u32 portid = READ_ONCE(subscriber);
	struct sk_buff *msg;
	void *hdr;
	int ret;

	if (!portid) {
		this_cpu_inc(pcpu->stats[SHRIKE_STAT_DROP_NO_RECEIVER]);
		return;
	}
	/* The record's bytes, plus what netlink adds: the fixed attributes,
	 * 4 more per rule (a header) and 24 more per field (the nest and the
	 * id/arg/type attributes beyond struct rec_field). */
	msg = genlmsg_new(h->len + 128 + 4 * h->nrules + 24 * h->nfields, GFP_KERNEL);
	if (!msg)
		goto drop;
	hdr = genlmsg_put(msg, 0, 0, &shrike_family, 0, SHRIKE_CMD_ALERT);
	if (!hdr || put_record(msg, h)) {
		nlmsg_free(msg);
		goto drop;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_unicast(&init_net, msg, portid);
	if (!ret)
		return;
	if (ret == -ECONNREFUSED)
		if (cmpxchg(&subscriber, portid, 0) == portid)
			WRITE_ONCE(subscriber_tgid, 0);
drop:
	this_cpu_inc(pcpu->stats[SHRIKE_STAT_DROP_RECEIVER_FULL]);
}

static void drain(struct work_struct *w)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct shrike_pcpu *c = per_cpu_ptr(pcpu, cpu);
		struct shrike_ring *r = &c->ring;
		u32 tail = r->tail, head = smp_load_acquire(&r->head);
		/* Bounded: at most one ring's worth per CPU per run. */
		u32 budget = r->size;

		while (tail != head && budget) {
			const struct rec_hdr *h = (const struct rec_hdr *)(r->buf + tail);

			if (r->size - tail < sizeof(u32) || h->len == 0) {
				tail = 0;
				continue;
			}
			send_record(c, h);
			budget = h->len < budget ? budget - h->len : 0;
			tail += h->len;
			if (tail == r->size)
				tail = 0;
			smp_store_release(&r->tail, tail);
			cond_resched();
		}
		if (tail != head && READ_ONCE(running))
			queue_work(system_wq, &drain_work);
	}
}

static void free_buffers(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct shrike_pcpu *c = per_cpu_ptr(pcpu, cpu);

		vfree(c->ring.buf);
		kvfree(c->scratch);
		kvfree(c->rec);
	}
	free_percpu(pcpu);
	pcpu = NULL;
}

int shrike_probe_init(void)
{
	int cpu, ret;

	if (alert_buffer_kb < 16 || alert_buffer_kb > 16384)
		return -ERANGE;
	pcpu = alloc_percpu(struct shrike_pcpu);
	if (!pcpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct shrike_pcpu *c = per_cpu_ptr(pcpu, cpu);

		c->ring.size = alert_buffer_kb * 1024;
		c->ring.buf = vzalloc(c->ring.size);
		c->scratch = kvzalloc(sizeof(*c->scratch), GFP_KERNEL);
		c->rec = kvzalloc(REC_MAX, GFP_KERNEL);
		if (!c->ring.buf || !c->scratch || !c->rec) {
			ret = -ENOMEM;
			goto err_free;
		}
	}
	INIT_WORK(&drain_work, drain);
	WRITE_ONCE(running, true);
	tp_enter = shrike_find_tracepoint("sys_enter");
	tp_exit = shrike_find_tracepoint("sys_exit");
	if (!tp_enter || !tp_exit) {
		pr_err("shrike: sys_enter/sys_exit tracepoints not found\n");
		ret = -ENOENT;
		goto err_free;
	}
	ret = tracepoint_probe_register(tp_enter, probe_enter, NULL);
	if (ret)
		goto err_free;
	ret = tracepoint_probe_register(tp_exit, probe_exit, NULL);
	if (ret)
		goto err_enter;
	return 0;

err_enter:
	tracepoint_probe_unregister(tp_enter, probe_enter, NULL);
	tracepoint_synchronize_unregister();
err_free:
	free_buffers();
	return ret;
}

/* After this no probe runs and no drain work is queued or running. */
void shrike_probe_stop(void)
{
	tracepoint_probe_unregister(tp_exit, probe_exit, NULL);
	tracepoint_probe_unregister(tp_enter, probe_enter, NULL);
	/* The probes were the only ones to queue the work from outside it. */
	tracepoint_synchronize_unregister();
	/* The work re-queues itself while a ring holds records: stop that,
	 * then wait for the one that may be running. */
	WRITE_ONCE(running, false);
	cancel_work_sync(&drain_work);
}

/* After shrike_probe_stop() and once no command can read the counters. */
void shrike_probe_exit(void)
{
	free_buffers();
}
