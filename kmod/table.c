// SPDX-License-Identifier: GPL-2.0
/*
 * table.c - receiving, verifying and swapping the rule table.
 *
 * Locking model: shrike_table_lock (a mutex) serialises loads, unloads and
 * the pending upload. Readers (the probes) see the active table through RCU
 * only, inside rcu_read_lock(): it is published with rcu_replace_pointer()
 * after it was verified in full and indexed, and the table it replaces is
 * freed after synchronize_rcu() (loads are rare; this keeps freeing in
 * process context, where kvfree of the index is allowed). On any error the
 * new table is freed and the old one keeps running.
 *
 * A table arrives in chunks (an attribute holds at most 64 KiB). The pending
 * upload belongs to the socket that started it with offset 0; another
 * start, from any socket, drops it. Its buffer is bounded by max_table_size.
 */
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include "shrike.h"
#include "event.h"
#include "syscalls.h"

static struct shrike_loaded __rcu *shrike_active;
static DEFINE_MUTEX(shrike_table_lock);

static struct {
	struct shrike_loaded *buf;
	u32 portid;
	u32 size;
	u32 got;
} pending;

static void loaded_free(struct shrike_loaded *l)
{
	if (!l)
		return;
	kvfree(l->bucket_rules);
	kvfree(l);
}

static void pending_drop(void)
{
	loaded_free(pending.buf);
	memset(&pending, 0, sizeof(pending));
}

struct shrike_loaded *shrike_table_active(void)
{
	return rcu_dereference(shrike_active);
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
 * Extended ACK messages must outlive the handler: the family is not
 * parallel_ops, so genl_mutex serialises handlers and the ACK that carries
 * the message, and one static buffer is enough.
 */
static char shrike_errbuf[SHRIKE_VERR_MSG_LEN + 32];

int shrike_table_chunk(u32 portid, u32 size, u32 offset, const void *chunk, u32 len,
		       struct netlink_ext_ack *extack, const struct nlattr *attr)
{
	struct shrike_loaded *old;
	struct shrike_verr verr;
	int ret = 0;

	mutex_lock(&shrike_table_lock);
	/* 1. A chunk at offset 0 starts a new upload. */
	if (offset == 0) {
		pending_drop();
		if (size < sizeof(struct shrike_table_hdr)) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "table shorter than its header");
			ret = -EINVAL;
			goto out;
		}
		if (size > READ_ONCE(shrike_max_table_size)) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "table larger than max_table_size");
			ret = -E2BIG;
			goto out;
		}
		pending.buf = kvzalloc(struct_size(pending.buf, data, size), GFP_KERNEL);
		if (!pending.buf) {
			ret = -ENOMEM;
			goto out;
		}
		pending.portid = portid;
		pending.size = size;
	}
	/* 2. Later chunks continue the same upload, in order. */
	if (!pending.buf || pending.portid != portid || pending.size != size ||
	    pending.got != offset) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "table chunk out of order");
		ret = -EINVAL;
		goto out;
	}
	if (len > size - offset) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "table chunk beyond the table size");
		pending_drop();
		ret = -ERANGE;
		goto out;
	}
	memcpy(pending.buf->data + offset, chunk, len);
	pending.got += len;
	if (pending.got < size)
		goto out;

	/* 3. The whole table is here: verify every byte. */
	ret = shrike_table_verify(pending.buf->data, size, &pending.buf->t, &verr);
	if (ret) {
		snprintf(shrike_errbuf, sizeof(shrike_errbuf), "table rejected: %s (byte %u)",
			 verr.msg, verr.offset);
		/* The NL_SET_ERR_MSG macros only take literals. */
		if (extack) {
			extack->_msg = shrike_errbuf;
			extack->bad_attr = attr;
		}
		pending_drop();
		goto out;
	}
	pending.buf->len = size;
	ret = table_index(pending.buf);
	if (ret) {
		pending_drop();
		goto out;
	}

	/* 4. Publish it; free the old one once no probe can be using it. */
	old = rcu_replace_pointer(shrike_active, pending.buf,
				  lockdep_is_held(&shrike_table_lock));
	pr_info("shrike: table loaded: %u rules, %u bytes, checksum %08x\n",
		pending.buf->t.nrules, size, pending.buf->t.checksum);
	pending.buf = NULL;
	pending_drop();
	if (old) {
		synchronize_rcu();
		loaded_free(old);
	}
out:
	mutex_unlock(&shrike_table_lock);
	return ret;
}

int shrike_table_unload(void)
{
	struct shrike_loaded *old;

	mutex_lock(&shrike_table_lock);
	old = rcu_replace_pointer(shrike_active, NULL, lockdep_is_held(&shrike_table_lock));
	if (old) {
		synchronize_rcu();
		loaded_free(old);
	}
	mutex_unlock(&shrike_table_lock);
	if (!old)
		return -ENOENT;
	pr_info("shrike: table unloaded\n");
	return 0;
}

bool shrike_table_info(u32 *checksum, u32 *nrules)
{
	struct shrike_loaded *l;
	bool loaded;

	rcu_read_lock();
	l = rcu_dereference(shrike_active);
	loaded = l;
	if (l) {
		*checksum = l->t.checksum;
		*nrules = l->t.nrules;
	}
	rcu_read_unlock();
	return loaded;
}

void shrike_table_exit(void)
{
	struct shrike_loaded *old;

	mutex_lock(&shrike_table_lock);
	pending_drop();
	old = rcu_replace_pointer(shrike_active, NULL, lockdep_is_held(&shrike_table_lock));
	mutex_unlock(&shrike_table_lock);
	synchronize_rcu();
	loaded_free(old);
}
