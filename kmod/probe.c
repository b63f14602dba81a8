// SPDX-License-Identifier: GPL-2.0
/*
 * probe.c - the syscall probes and the evaluation of an event.
 *
 * The miss is the common case and costs a static branch, the syscall
 * number and one test_bit on a __read_mostly bitmap that is not part of
 * the RCU-published table: no RCU, no table lookup, no stack frame for the
 * event. The bitmap is the union of what the old and the new table want
 * while a table is swapped (shrike_probe_publish), so a new table never
 * misses an event; the slow path checks the table's own bitmap again.
 *
 * An event some rule cares about goes out of line: the rules of the event
 * type's bucket are evaluated in table order, and an event that can match
 * is written as a compact record and handed to deliver.c. The probe never
 * allocates, sleeps or sends.
 *
 * Locking model: the slow path disables preemption itself (syscall
 * tracepoints run preemptible since Linux 6.13): the per-CPU scratch,
 * record and ring belong to one probe at a time. The table is read under
 * rcu_read_lock().
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
 */
#include <linux/compat.h>
#include <linux/jump_label.h>
#include <linux/percpu.h>
#include <linux/tracepoint.h>
#include <asm/syscall.h>
#include "shrike.h"
#include "deliver.h"
#include "event.h"
#include "profile.h"
#include "syscalls.h"

#define RATE_TRIES	8

static DEFINE_STATIC_KEY_FALSE(armed);	/* a table is loaded */
/* [compat][SHRIKE_DIR_*]: syscalls some rule of the active table cares about. */
static unsigned long interest[2][2][BITS_TO_LONGS(SHRIKE_NR_MAX)] __read_mostly;
static atomic64_t event_num;
static struct tracepoint *tp_enter, *tp_exit;

/*
 * Called under the table mutex around the swap of the active table from old
 * to new (either may be NULL): before the swap with swapped false, after it
 * (and after a grace period) with swapped true.
 */
void shrike_probe_publish(const struct shrike_loaded *old, const struct shrike_loaded *new,
			  bool swapped)
{
	unsigned long *dst = &interest[0][0][0];
	const unsigned long *o = old ? &old->interest[0][0][0] : NULL;
	const unsigned long *n = new ? &new->interest[0][0][0] : NULL;
	u32 i, words = sizeof(interest) / sizeof(long);

	if (!swapped && new)
		static_branch_enable(&armed);
	for (i = 0; i < words; i++) {
		unsigned long w = n ? n[i] : 0;

		if (!swapped && o)
			w |= o[i];
		WRITE_ONCE(dst[i], w);
	}
	if (swapped && !new)
		static_branch_disable(&armed);
}

static void rec_add_field(struct shrike_rec_hdr *h, u32 *used, u16 id, u16 arg,
			  const struct shrike_val *v)
{
	struct shrike_rec_field *f = (struct shrike_rec_field *)((u8 *)h + *used);
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
		/*
		 * proc.aname and kin without a level: each item followed
		 * by a NUL, copied below.
		 */
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
	if (len > U16_MAX || *used + need > SHRIKE_REC_MAX)
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
static u32 rec_capture(struct shrike_event *ev, struct shrike_rec_hdr *h)
{
	const struct shrike_table *t = ev->t;
	u32 used = sizeof(*h), i, k, j;
	u32 seen[SHRIKE_MAX_CAPTURES];
	u32 nseen = 0;

	for (i = 0; i < h->nrules; i++) {
		const struct shrike_rule *r = &t->rules[h->rules[i]];
		u32 n = le16_to_cpu(r->ncaptures);

		/* A decided rule needs only its output's fields. */
		if (h->decided & (1u << i))
			n -= le16_to_cpu(r->ncond);
		for (k = 0; k < n; k++) {
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

/* evt.num and the timestamp: taken once, when a rule or a record needs them. */
void shrike_event_stamp(struct shrike_event *ev)
{
	if (ev->num)
		return;
	ev->ts = ktime_get_real_ns();
	ev->num = atomic64_inc_return(&event_num);
}

struct bucket_run {
	struct shrike_rec_hdr *h;
	u64 *matches;
	bool all;		/* every matching rule, not the first */
};

/* Rule ri of the bucket; true when the bucket is decided (first match). */
static bool run_rule(struct shrike_pcpu *c, struct shrike_loaded *l, struct shrike_event *ev,
		     struct bucket_run *b, u16 ri)
{
	const struct shrike_rule *r = &l->t.rules[ri];
	struct shrike_rec_hdr *h = b->h;
	bool entry = le16_to_cpu(r->flags) & SHRIKE_RF_ENTRY;
	int res;

	if (entry != (ev->dir == SHRIKE_DIR_ENTER))
		return false;
	shrike_stat_inc(c, SHRIKE_STAT_EVALUATED);
	res = shrike_eval_bounded(&l->t, r, shrike_fetch, ev, &ev->work);
	if (res == SHRIKE_V_FALSE)
		return false;
	b->matches[ri]++;
	if (h->nrules == SHRIKE_REC_RULES_MAX) {
		shrike_stat_inc(c, SHRIKE_STAT_DROP_RULE_CAP);
		return res == SHRIKE_V_TRUE && !b->all;
	}
	if (!rate_allow(l, ri)) {
		shrike_stat_inc(c, SHRIKE_STAT_DROP_RATE_LIMIT);
		/* First-match: a later rule must not stand in for it. */
		return res == SHRIKE_V_TRUE && !b->all;
	}
	if (res == SHRIKE_V_TRUE)
		h->decided |= 1u << h->nrules;
	h->rules[h->nrules++] = ri;
	return res == SHRIKE_V_TRUE && !b->all;
}

/*
 * The bucket's rules in table order. With a guard, only the rules whose key
 * the event's value satisfies and those without a key: the others are FALSE
 * (common/guard.h), so the result is the same.
 */
static void run_bucket(struct shrike_pcpu *c, struct shrike_loaded *l, struct shrike_event *ev,
		       struct bucket_run *b)
{
	const struct shrike_guard *g = &l->guards[ev->evt];
	const u16 *rules = l->bucket_rules + l->bucket_start[ev->evt];
	u32 n = l->bucket_start[ev->evt + 1] - l->bucket_start[ev->evt], i, j;
	u16 hits[SHRIKE_GUARD_MAX_HITS];
	struct shrike_val v;
	int nh = -1;

	if (g->nkeys) {
		int rc = shrike_fetch(ev, g->field, g->arg, &v);

		nh = shrike_guard_hits(g, rc, &v, hits);
	}
	if (nh < 0) {
		for (i = 0; i < n; i++)
			if (run_rule(c, l, ev, b, rules[i]))
				return;
		return;
	}
	/* Merge the hits with the always-run rules, both ascending. */
	for (i = 0, j = 0; i < (u32)nh || j < g->nalways;) {
		u16 pos;

		if (j == g->nalways || (i < (u32)nh && hits[i] < g->always[j]))
			pos = hits[i++];
		else
			pos = g->always[j++];
		if (run_rule(c, l, ev, b, rules[pos]))
			return;
	}
}

/*
 * Evaluates the bucket of ev->evt. With first-match, rules the kernel can
 * only call UNKNOWN are sent along with the first TRUE one after them, so
 * the agent can pick the first rule that really matches: no alert is lost.
 * Preemption disabled, under rcu_read_lock().
 */
void shrike_evaluate(struct shrike_pcpu *c, struct shrike_loaded *l, struct shrike_event *ev)
{
	struct shrike_rec_hdr *h = c->rec;
	u32 mode = READ_ONCE(shrike_cfg.match);
	struct bucket_run b = {
		.h = h,
		.matches = this_cpu_ptr(l->matches),
		.all = mode == SHRIKE_MATCH_ALL ||
		       (mode == SHRIKE_MATCH_TABLE && (l->t.flags & SHRIKE_TF_MATCH_ALL)),
	};
	PROFILE_START(t0);

	shrike_stat_inc(c, SHRIKE_STAT_EVENTS);
	/* rules[] is written up to nrules: only the header before it. */
	memset(h, 0, offsetof(struct shrike_rec_hdr, rules));
	run_bucket(c, l, ev, &b);
	PROFILE_END(SHRIKE_PROF_EVAL, t0);
	if (ev->scratch_full)
		shrike_stat_inc(c, SHRIKE_STAT_DROP_SCRATCH);
	if (!ev->work)
		shrike_stat_inc(c, SHRIKE_STAT_EVAL_BUDGET);
	if (!h->nrules)
		return;
	if (!shrike_get_subscriber()) {
		shrike_stat_inc(c, SHRIKE_STAT_DROP_NO_RECEIVER);
		return;
	}
	PROFILE_START(t1);
	shrike_event_stamp(ev);
	h->evt = ev->evt;
	h->pid = task_tgid_nr(current);
	h->tid = task_pid_nr(current);
	h->ts = ev->ts;
	h->checksum = l->t.checksum;
	h->len = rec_capture(ev, h);
	shrike_emit(c, h);
	PROFILE_END(SHRIKE_PROF_EMIT, t1);
}

/* Sets up ev for the current task on this CPU (preemption disabled). */
void shrike_event_init(struct shrike_event *ev, struct shrike_pcpu *c,
		       struct shrike_loaded *l, struct pt_regs *regs)
{
	memset(ev, 0, sizeof(*ev));
	ev->t = &l->t;
	ev->task = current;
	ev->regs = regs;
	ev->scratch = c->scratch;
	ev->work = SHRIKE_EVAL_BUDGET;
	c->scratch->used = 0;
}

/* The slow path: some rule cares about syscall nr in this direction. */
static noinline void on_syscall(struct pt_regs *regs, long nr, long ret, int dir, bool compat)
{
	PROFILE_START(t0);
	struct shrike_loaded *l;
	const struct shrike_sc *sc;
	struct shrike_event ev;
	struct shrike_pcpu *c;

	if (unlikely(task_tgid_nr(current) == READ_ONCE(shrike_subscriber_tgid)))
		return;
	preempt_disable_notrace();
	rcu_read_lock();
	l = shrike_table_active();
	if (!l || !test_bit(nr, l->interest[compat][dir]))
		goto out;
	sc = shrike_syscall_lookup(nr, compat);
	if (!sc)
		goto out;
	c = this_cpu_ptr(shrike_pcpu);
	shrike_event_init(&ev, c, l, regs);
	ev.sc = sc;
	syscall_get_arguments(current, regs, ev.args);
	ev.ret = ret;
	ev.evt = sc->evt;
	ev.dir = dir;
	ev.compat = compat;
	ev.nr = nr;
	PROFILE_END(SHRIKE_PROF_SETUP, t0);
	shrike_evaluate(c, l, &ev);
out:
	rcu_read_unlock();
	preempt_enable_notrace();
}

/* The miss: keep it small enough to inline into the tracepoint's call. */
static __always_inline bool interesting(unsigned long nr, bool compat, int dir)
{
	return nr < SHRIKE_NR_MAX && test_bit(nr, interest[compat][dir]);
}

/*
 * A syscall number past the tables, at entry: x32 ABI calls (their number
 * has __X32_SYSCALL_BIT) are not monitored, but counted. Out of line: the
 * miss pays nothing for it, it only takes the branch the range test has.
 */
static noinline void out_of_range(long nr)
{
#ifdef __X32_SYSCALL_BIT
	if (nr >= 0 && (nr & __X32_SYSCALL_BIT))
		this_cpu_inc(shrike_pcpu->stats[SHRIKE_STAT_X32]);
#endif
}

static void probe_enter(void *data, struct pt_regs *regs, long id)
{
	bool compat;

	if (!static_branch_unlikely(&armed))
		return;
	if (unlikely((unsigned long)id >= SHRIKE_NR_MAX)) {
		out_of_range(id);
		return;
	}
	compat = in_ia32_syscall();
	/* interesting() without its range test, made above. */
	if (likely(!test_bit(id, interest[compat][SHRIKE_DIR_ENTER])))
		return;
	on_syscall(regs, id, 0, SHRIKE_DIR_ENTER, compat);
}

static void probe_exit(void *data, struct pt_regs *regs, long ret)
{
	long nr;
	bool compat;

	if (!static_branch_unlikely(&armed))
		return;
	nr = syscall_get_nr(current, regs);
	compat = in_ia32_syscall();
	if (likely(!interesting(nr, compat, SHRIKE_DIR_EXIT)))
		return;
	on_syscall(regs, nr, ret, SHRIKE_DIR_EXIT, compat);
}

int shrike_probe_init(void)
{
	int ret;

	tp_enter = shrike_find_tracepoint("sys_enter");
	tp_exit = shrike_find_tracepoint("sys_exit");
	if (!tp_enter || !tp_exit) {
		pr_err("shrike: sys_enter/sys_exit tracepoints not found\n");
		return -ENOENT;
	}
	ret = tracepoint_probe_register(tp_enter, probe_enter, NULL);
	if (ret)
		return ret;
	ret = tracepoint_probe_register(tp_exit, probe_exit, NULL);
	if (ret) {
		tracepoint_probe_unregister(tp_enter, probe_enter, NULL);
		tracepoint_synchronize_unregister();
	}
	return ret;
}

/* After this no syscall probe runs. */
void shrike_probe_stop(void)
{
	tracepoint_probe_unregister(tp_exit, probe_exit, NULL);
	tracepoint_probe_unregister(tp_enter, probe_enter, NULL);
	tracepoint_synchronize_unregister();
}
