// SPDX-License-Identifier: GPL-2.0
/*
 * table.c - receiving, verifying and swapping the rule table.
 *
 * Locking model: shrike_table_lock (a mutex) serialises loads, unloads,
 * the open transaction, the generation, the lock flag and the config. Readers (the probes) see the active table through RCU
 * only, inside rcu_read_lock(): it is published with rcu_assign_pointer()
 * (table_publish) after it was verified in full and indexed, and the table
 * it replaces is freed after synchronize_rcu() (table_retire) (loads are rare; this keeps freeing in
 * process context, where kvfree of the index is allowed). On any error the
 * new table is freed and the old one keeps running.
 *
 * A table arrives in a transaction (LOAD_BEGIN, chunks, LOAD_COMMIT: an
 * attribute holds at most 64 KiB). A transaction belongs to the socket
 * that began it, one per socket, so concurrent loaders do not clobber each
 * other and the generation check at COMMIT can tell them apart. There are
 * at most SHRIKE_TXNS open, each bounded by max_table_size; a BEGIN beyond
 * that evicts the oldest, and the owner's socket closing drops its own, so
 * abandoned transactions neither block loads nor pin memory for long.
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include "shrike.h"
#include "event.h"
#include "syscalls.h"

static struct shrike_loaded __rcu *shrike_active;
static DEFINE_MUTEX(shrike_table_lock);

static u64 shrike_generation;
static bool shrike_locked;
struct shrike_config shrike_cfg;

#define SHRIKE_TXNS	4

struct shrike_txn {
	struct shrike_loaded *buf;	/* NULL: slot free */
	u32 portid;			/* the owner's socket */
	u32 size;
	u32 got;
	bool check_gen;			/* BEGIN carried SHRIKE_A_GENERATION */
	u64 gen;
	u64 started;			/* for evicting the oldest */
};
static struct shrike_txn txns[SHRIKE_TXNS];
static u64 txn_seq;
static int txn_open;		/* slots in use, read without the mutex */

static void loaded_free(struct shrike_loaded *l)
{
	if (!l)
		return;
	if (l->guards) {
		u32 e;

		for (e = 0; e < __SHRIKE_EVT_MAX; e++)
			shrike_guard_free(&l->guards[e]);
		kvfree(l->guards);
	}
	free_percpu(l->matches);
	kvfree(l->tat);
	kvfree(l->bucket_rules);
	kvfree(l);
}

static void txn_drop(struct shrike_txn *x)
{
	if (x->buf)
		WRITE_ONCE(txn_open, txn_open - 1);
	loaded_free(x->buf);
	memset(x, 0, sizeof(*x));
}

static void txn_drop_all(void)
{
	int i;

	for (i = 0; i < SHRIKE_TXNS; i++)
		txn_drop(&txns[i]);
}

/* portid's open transaction, or NULL. */
static struct shrike_txn *txn_find(u32 portid)
{
	int i;

	for (i = 0; i < SHRIKE_TXNS; i++)
		if (txns[i].buf && txns[i].portid == portid)
			return &txns[i];
	return NULL;
}

/* A free slot, or the oldest transaction's, emptied. */
static struct shrike_txn *txn_slot(void)
{
	struct shrike_txn *old = &txns[0];
	int i;

	for (i = 0; i < SHRIKE_TXNS; i++) {
		if (!txns[i].buf)
			return &txns[i];
		if (txns[i].started < old->started)
			old = &txns[i];
	}
	txn_drop(old);
	return old;
}

struct shrike_loaded *shrike_table_active(void)
{
	return rcu_dereference(shrike_active);
}

/*
 * Makes l (or no table) the active one and returns the one it replaces. The
 * probes' own interest bitmap covers both tables until table_retire(), so
 * no event the new table wants is missed while they switch.
 */
static struct shrike_loaded *table_publish(struct shrike_loaded *l)
{
	struct shrike_loaded *old;

	lockdep_assert_held(&shrike_table_lock);
	old = rcu_dereference_protected(shrike_active, lockdep_is_held(&shrike_table_lock));
	shrike_probe_publish(old, l, false);
	rcu_assign_pointer(shrike_active, l);
	return old;
}

/* After table_publish(): once no probe can see old, it goes. */
static void table_retire(struct shrike_loaded *old, const struct shrike_loaded *l)
{
	if (old)
		synchronize_rcu();
	shrike_probe_publish(old, l, true);
	loaded_free(old);
}

struct interest_ctx {
	struct shrike_loaded *l;
	int dir;
};

static void set_interest(unsigned int nr, bool compat, void *data)
{
	struct interest_ctx *c = data;

	if (nr < SHRIKE_NR_MAX)
		__set_bit(nr, c->l->interest[compat][c->dir]);
}

/*
 * Buckets the enabled syscall rules by event type, in table order, and
 * marks the syscalls of each bucket in the interest bitmap of the direction
 * the rule is evaluated at: the probe's whole filter for "no rule cares".
 */
static int table_index(struct shrike_loaded *l)
{
	/* Static, not on the stack: callers hold shrike_table_lock. */
	static u32 counts[__SHRIKE_EVT_MAX];
	const struct shrike_table *t = &l->t;
	u32 e, i, total = 0;

	memset(counts, 0, sizeof(counts));
	for (i = 0; i < t->nrules; i++) {
		const struct shrike_rule *r = &t->rules[i];

		if (r->source != SHRIKE_SRC_SYSCALL ||
		    !(le16_to_cpu(r->flags) & SHRIKE_RF_ENABLED))
			continue;
		for (e = 0; e < __SHRIKE_EVT_MAX; e++)
			if (shrike_rule_has_evtype(r, e)) {
				counts[e]++;
				total++;
			}
	}
	l->bucket_rules = kvmalloc_array(total ?: 1, sizeof(u16), GFP_KERNEL);
	if (!l->bucket_rules)
		return -ENOMEM;
	for (e = 0; e < __SHRIKE_EVT_MAX; e++)
		l->bucket_start[e + 1] = l->bucket_start[e] + counts[e];
	memset(counts, 0, sizeof(counts));
	for (i = 0; i < t->nrules; i++) {
		const struct shrike_rule *r = &t->rules[i];
		struct interest_ctx c = { l, SHRIKE_DIR_EXIT };

		if (r->source != SHRIKE_SRC_SYSCALL ||
		    !(le16_to_cpu(r->flags) & SHRIKE_RF_ENABLED))
			continue;
		if (le16_to_cpu(r->flags) & SHRIKE_RF_ENTRY)
			c.dir = SHRIKE_DIR_ENTER;
		for (e = 0; e < __SHRIKE_EVT_MAX; e++) {
			if (!shrike_rule_has_evtype(r, e))
				continue;
			l->bucket_rules[l->bucket_start[e] + counts[e]++] = i;
			shrike_syscalls_of_evt(e, set_interest, &c);
		}
	}
	return 0;
}

/*
 * A formatted extended ACK message. It must outlive the handler: genl
 * drops genl_mutex before netlink_ack() copies the message, so two
 * concurrent requests could overwrite each other's in one shared buffer.
 * Where the kernel has NL_SET_ERR_MSG_FMT (6.2+) and the message fits its
 * buffer, it is formatted into the request's own extack. Otherwise it goes
 * to the next of a ring of static buffers, which two requests would have to
 * cycle through between a handler's return and its ACK to garble.
 */
#define ERRBUFS	16
static char shrike_errbufs[ERRBUFS][SHRIKE_VERR_MSG_LEN + 32];
static atomic_t shrike_errbuf_next = ATOMIC_INIT(0);

/* bad_attr must point into the request being answered, or be NULL. */
static __printf(3, 4) void set_errf(struct netlink_ext_ack *extack, const struct nlattr *attr,
				    const char *fmt, ...)
{
	char buf[SHRIKE_VERR_MSG_LEN + 32], *dst;
	va_list ap;
	int n;

	if (!extack)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	extack->bad_attr = attr;
#ifdef NL_SET_ERR_MSG_FMT
	if (n < NETLINK_MAX_FMTMSG_LEN) {
		NL_SET_ERR_MSG_FMT(extack, "%s", buf);
		return;
	}
#endif
	dst = shrike_errbufs[(unsigned int)atomic_inc_return(&shrike_errbuf_next) % ERRBUFS];
	strscpy(dst, buf, sizeof(shrike_errbufs[0]));
	/* The NL_SET_ERR_MSG macros only take literals. */
	extack->_msg = dst;
}

static int check_locked(struct genl_info *info)
{
	lockdep_assert_held(&shrike_table_lock);
	if (!shrike_locked)
		return 0;
	NL_SET_ERR_MSG(info->extack, "tables are locked");
	return -EPERM;
}

/* Optimistic locking: the caller's view of the table must still be current. */
static int check_generation(struct genl_info *info, const struct nlattr *attr, u64 expected)
{
	lockdep_assert_held(&shrike_table_lock);
	if (expected == shrike_generation)
		return 0;
	set_errf(info->extack, attr, "stale generation %llu: the table is at generation %llu",
		 expected, shrike_generation);
	return -ESTALE;
}

int shrike_table_begin(struct genl_info *info)
{
	struct nlattr *size_attr = info->attrs[SHRIKE_A_TABLE_SIZE];
	struct nlattr *gen_attr = info->attrs[SHRIKE_A_GENERATION];
	struct shrike_txn *x;
	u32 size;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, SHRIKE_A_TABLE_SIZE)) {
		NL_SET_ERR_MSG(info->extack, "LOAD_BEGIN needs SHRIKE_A_TABLE_SIZE");
		return -EINVAL;
	}
	size = nla_get_u32(size_attr);
	mutex_lock(&shrike_table_lock);
	x = txn_find(info->snd_portid);
	if (x)
		txn_drop(x);
	ret = check_locked(info);
	if (ret)
		goto out;
	if (gen_attr) {
		ret = check_generation(info, gen_attr, nla_get_u64(gen_attr));
		if (ret)
			goto out;
	}
	if (size < sizeof(struct shrike_table_hdr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, size_attr, "table shorter than its header");
		ret = -EINVAL;
		goto out;
	}
	if (size > READ_ONCE(shrike_max_table_size)) {
		NL_SET_ERR_MSG_ATTR(info->extack, size_attr, "table larger than max_table_size");
		ret = -E2BIG;
		goto out;
	}
	x = txn_slot();
	x->buf = kvzalloc(struct_size(x->buf, data, size), GFP_KERNEL_ACCOUNT);
	if (!x->buf) {
		ret = -ENOMEM;
		goto out;
	}
	x->portid = info->snd_portid;
	x->size = size;
	x->check_gen = gen_attr;
	x->gen = gen_attr ? nla_get_u64(gen_attr) : 0;
	x->started = ++txn_seq;
	WRITE_ONCE(txn_open, txn_open + 1);
out:
	mutex_unlock(&shrike_table_lock);
	return ret;
}

int shrike_table_chunk(struct genl_info *info)
{
	struct nlattr *off_attr = info->attrs[SHRIKE_A_TABLE_OFFSET];
	struct nlattr *data_attr = info->attrs[SHRIKE_A_TABLE];
	struct nlattr *size_attr = info->attrs[SHRIKE_A_TABLE_SIZE];
	struct shrike_txn *x;
	u32 offset, len;
	int ret = 0;

	if (GENL_REQ_ATTR_CHECK(info, SHRIKE_A_TABLE_OFFSET) ||
	    GENL_REQ_ATTR_CHECK(info, SHRIKE_A_TABLE)) {
		NL_SET_ERR_MSG(info->extack, "LOAD_TABLE needs SHRIKE_A_TABLE_OFFSET and SHRIKE_A_TABLE");
		return -EINVAL;
	}
	offset = nla_get_u32(off_attr);
	len = nla_len(data_attr);
	mutex_lock(&shrike_table_lock);
	/* Another socket's transaction is not touched. */
	x = txn_find(info->snd_portid);
	if (!x) {
		NL_SET_ERR_MSG_ATTR(info->extack, off_attr,
				    "no table load in progress on this socket (LOAD_BEGIN first)");
		ret = -EINVAL;
		goto out;
	}
	if (size_attr && nla_get_u32(size_attr) != x->size) {
		NL_SET_ERR_MSG_ATTR(info->extack, size_attr, "table size differs from LOAD_BEGIN's");
		ret = -EINVAL;
		goto drop;
	}
	if (offset != x->got) {
		NL_SET_ERR_MSG_ATTR(info->extack, off_attr, "table chunk out of order");
		ret = -EINVAL;
		goto drop;
	}
	if (len > x->size - offset) {
		NL_SET_ERR_MSG_ATTR(info->extack, data_attr, "table chunk beyond the table size");
		ret = -ERANGE;
		goto drop;
	}
	memcpy(x->buf->data + offset, nla_data(data_attr), len);
	x->got += len;
	goto out;
drop:
	/*
	 * The sender lost track of its own transaction: nothing it sends
	 * next can be trusted to complete the table it meant.
	 */
	txn_drop(x);
out:
	mutex_unlock(&shrike_table_lock);
	return ret;
}

/* Everything a load allocates besides the table itself, in process context. */
/* Each bucket's guard (common/guard.h): the rules an event can match. */
static int table_guards(struct shrike_loaded *l)
{
	u64 work = SHRIKE_GUARD_WORK(&l->t);
	u32 e;
	int ret;

	l->guards = kvcalloc(__SHRIKE_EVT_MAX, sizeof(*l->guards), GFP_KERNEL_ACCOUNT);
	if (!l->guards)
		return -ENOMEM;
	for (e = 0; e < __SHRIKE_EVT_MAX; e++) {
		ret = shrike_guard_build(&l->guards[e], &l->t, l->bucket_rules + l->bucket_start[e],
					 l->bucket_start[e + 1] - l->bucket_start[e], &work);
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;
}

static int table_prepare(struct shrike_loaded *l)
{
	u32 n = max(l->t.nrules, 1u);
	int ret = table_index(l);

	if (ret)
		return ret;
	l->matches = __alloc_percpu_gfp(n * sizeof(u64), sizeof(u64), GFP_KERNEL_ACCOUNT);
	l->tat = kvcalloc(n, sizeof(*l->tat), GFP_KERNEL_ACCOUNT);
	if (!l->matches || !l->tat)
		return -ENOMEM;
	return table_guards(l);
}

int shrike_table_commit(struct genl_info *info, u64 *generation, u32 *checksum)
{
	struct shrike_loaded *l, *old;
	struct shrike_verr verr;
	struct shrike_txn *x;
	int ret;

	mutex_lock(&shrike_table_lock);
	x = txn_find(info->snd_portid);
	if (!x) {
		NL_SET_ERR_MSG(info->extack,
			       "no table load in progress on this socket (LOAD_BEGIN first)");
		mutex_unlock(&shrike_table_lock);
		return -EINVAL;
	}
	ret = check_locked(info);
	if (ret)
		goto drop;
	if (x->got != x->size) {
		set_errf(info->extack, NULL,
			 "table incomplete: %u of SHRIKE_A_TABLE_SIZE %u bytes received",
			 x->got, x->size);
		ret = -EINVAL;
		goto drop;
	}
	/* Checked again: another load may have committed since BEGIN. */
	if (x->check_gen) {
		ret = check_generation(info, NULL, x->gen);
		if (ret)
			goto drop;
	}

	/* The whole table is here: verify every byte, then index it. */
	l = x->buf;
	ret = shrike_table_verify(l->data, x->size, &l->t, &verr);
	if (ret) {
		set_errf(info->extack, NULL, "table rejected: %s (byte %u)", verr.msg,
			 verr.offset);
		goto drop;
	}
	l->len = x->size;
	ret = table_prepare(l);
	if (ret)
		goto drop;

	/* Publish it; free the old one once no probe can be using it. */
	old = table_publish(l);
	x->buf = NULL;
	txn_drop(x);
	WRITE_ONCE(txn_open, txn_open - 1);
	shrike_generation++;
	*generation = shrike_generation;
	*checksum = l->t.checksum;
	/*
	 * Rate-limited, as the unload: root can commit tables as fast as
	 * netlink takes them (thousands a minute under netlink_fuzz), which
	 * would wrap the kernel log; the generation says how many went by.
	 */
	pr_info_ratelimited("shrike: table loaded: %u rules, %u bytes, checksum %08x, generation %llu\n",
		l->t.nrules, l->len, l->t.checksum, shrike_generation);
	table_retire(old, l);
	mutex_unlock(&shrike_table_lock);
	return 0;

drop:
	txn_drop(x);
	mutex_unlock(&shrike_table_lock);
	return ret;
}

int shrike_table_unload(struct genl_info *info)
{
	struct nlattr *gen_attr = info->attrs[SHRIKE_A_GENERATION];
	struct shrike_loaded *old;
	int ret;

	mutex_lock(&shrike_table_lock);
	ret = check_locked(info);
	if (!ret && gen_attr)
		ret = check_generation(info, gen_attr, nla_get_u64(gen_attr));
	if (ret) {
		mutex_unlock(&shrike_table_lock);
		return ret;
	}
	old = table_publish(NULL);
	if (old) {
		shrike_generation++;
		table_retire(old, NULL);
	}
	mutex_unlock(&shrike_table_lock);
	if (!old) {
		NL_SET_ERR_MSG(info->extack, "no table loaded");
		return -ENOENT;
	}
	pr_info_ratelimited("shrike: table unloaded\n");
	return 0;
}

int shrike_table_lock_all(struct genl_info *info)
{
	mutex_lock(&shrike_table_lock);
	if (!shrike_locked) {
		/*
		 * "Until reboot": removing and reloading the module would undo
		 * the lock, so the module pins itself.
		 */
		__module_get(THIS_MODULE);
		shrike_locked = true;
		txn_drop_all();
		pr_info("shrike: tables locked until reboot\n");
	}
	mutex_unlock(&shrike_table_lock);
	return 0;
}

int shrike_set_config(struct genl_info *info)
{
	struct nlattr *rate_attr = info->attrs[SHRIKE_A_RATE];
	struct nlattr *burst_attr = info->attrs[SHRIKE_A_BURST];
	struct nlattr *match_attr = info->attrs[SHRIKE_A_MATCH_MODE];
	u32 rate, burst, match;
	u64 interval = 0;
	int ret;

	if (!rate_attr && !burst_attr && !match_attr) {
		NL_SET_ERR_MSG(info->extack,
			       "SET_CONFIG needs SHRIKE_A_RATE, SHRIKE_A_BURST or SHRIKE_A_MATCH_MODE");
		return -EINVAL;
	}
	mutex_lock(&shrike_table_lock);
	ret = check_locked(info);
	if (ret)
		goto out;
	rate = rate_attr ? nla_get_u32(rate_attr) : shrike_cfg.rate;
	burst = burst_attr ? nla_get_u32(burst_attr) : shrike_cfg.burst;
	match = match_attr ? nla_get_u32(match_attr) : shrike_cfg.match;
	ret = -ERANGE;
	if (rate > SHRIKE_MAX_RATE) {
		NL_SET_ERR_MSG_ATTR(info->extack, rate_attr, "rate above SHRIKE_MAX_RATE");
		goto out;
	}
	if (burst > SHRIKE_MAX_BURST) {
		NL_SET_ERR_MSG_ATTR(info->extack, burst_attr, "burst above SHRIKE_MAX_BURST");
		goto out;
	}
	if (rate && !burst) {
		NL_SET_ERR_MSG_ATTR(info->extack, burst_attr ?: rate_attr,
				    "a rate needs a burst of at least 1 (SHRIKE_A_BURST)");
		ret = -EINVAL;
		goto out;
	}
	if (match >= __SHRIKE_MATCH_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, match_attr, "unknown SHRIKE_A_MATCH_MODE");
		ret = -EOPNOTSUPP;
		goto out;
	}
	ret = 0;
	if (rate)
		interval = div_u64(NSEC_PER_SEC, rate);
	WRITE_ONCE(shrike_cfg.rate, rate);
	WRITE_ONCE(shrike_cfg.burst, burst);
	WRITE_ONCE(shrike_cfg.match, match);
	/*
	 * tau before interval: a probe that sees the new interval (the on
	 * switch) sees a matching tau.
	 */
	WRITE_ONCE(shrike_cfg.tau_ns, rate ? (u64)(burst - 1) * interval : 0);
	WRITE_ONCE(shrike_cfg.interval_ns, interval);
out:
	mutex_unlock(&shrike_table_lock);
	return ret;
}

void shrike_table_release(u32 portid)
{
	struct shrike_txn *x;

	/*
	 * Every generic netlink socket that closes comes here; a socket being
	 * released cannot be beginning a transaction at the same time.
	 */
	if (!READ_ONCE(txn_open))
		return;
	mutex_lock(&shrike_table_lock);
	x = txn_find(portid);
	if (x)
		txn_drop(x);
	mutex_unlock(&shrike_table_lock);
}

void shrike_table_state(struct shrike_table_state *st)
{
	struct shrike_loaded *l;

	memset(st, 0, sizeof(*st));
	mutex_lock(&shrike_table_lock);
	l = rcu_dereference_protected(shrike_active, lockdep_is_held(&shrike_table_lock));
	if (l) {
		st->loaded = true;
		st->checksum = l->t.checksum;
		st->nrules = l->t.nrules;
	}
	st->generation = shrike_generation;
	st->locked = shrike_locked;
	mutex_unlock(&shrike_table_lock);
}

struct shrike_loaded *shrike_table_hold(u64 *generation)
{
	mutex_lock(&shrike_table_lock);
	*generation = shrike_generation;
	return rcu_dereference_protected(shrike_active, lockdep_is_held(&shrike_table_lock));
}

void shrike_table_unlock(void)
{
	mutex_unlock(&shrike_table_lock);
}

u64 shrike_rule_matches(const struct shrike_loaded *l, u32 i)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(l->matches, cpu)[i]);
	return sum;
}

void shrike_table_exit(void)
{
	struct shrike_loaded *old;

	mutex_lock(&shrike_table_lock);
	txn_drop_all();
	old = table_publish(NULL);
	table_retire(old, NULL);
	mutex_unlock(&shrike_table_lock);
}
