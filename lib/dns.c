/* dns.c - fd.sip.name, fd.cip.name, fd.lip.name and fd.rip.name as libsinsp
 * evaluates them: "fd.sip.name = NAME" holds when the server address is one
 * of NAME's addresses (getaddrinfo, AF_UNSPEC: A and AAAA, /etc/hosts
 * first), "!=" is its negation, "in" any of the names (the evaluator,
 * eval_host); %fd.sip.name prints a name whose addresses hold the address,
 * <NA> if none.
 *
 * libsinsp's sinsp_dns_manager resolves a name on the event thread the first
 * time a filter compares with it, then refreshes it from a thread: every
 * 10 s, the interval doubling up to 320 s while the addresses stay the same
 * and back to 10 s when they change. Here the names are known before any
 * event: the operands the table compares these fields with. A table load
 * hands them to one resolver thread, which resolves the new ones at once and
 * then refreshes each on libsinsp's schedule, so evaluation never waits for
 * DNS: it looks up the last addresses under a mutex that the thread takes
 * only to store a result, never around getaddrinfo().
 *
 * Before its first resolution has finished, a name is UNKNOWN (no alert
 * rather than a guess); the agent does not wait for that (a resolver may
 * not answer at all). After it, a name that does not resolve has no
 * addresses: "=" is FALSE and "!=" TRUE, as in libsinsp. A temporary
 * failure (EAI_AGAIN: no DNS server reachable) keeps the addresses of the
 * last success, where libsinsp would empty them, and retries after 10 s.
 *
 * shrikec test is a batch that must decide every comparison the same way on
 * every run, and must not stall either: dns_load_table_lazy resolves a name
 * only when an evaluation first compares an address with it, as libsinsp
 * does, and that evaluation waits for it, within a budget for the whole run.
 * A name the resolver has not answered for by then is given up: it has no
 * addresses for the rest of the run, and a note on stderr says so.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "dns.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define NS_PER_S	1000000000ull
#define REFRESH_BASE_NS (10 * NS_PER_S)
#define REFRESH_MAX_NS	(320 * NS_PER_S)
#define NOT_DUE		UINT64_MAX /* lazy: not asked for yet, or done */

struct dns_name {
	char *name;
	u8 (*v4)[4];
	u8 (*v6)[16];
	u32 n4, n6;
	bool resolved; /* the first resolution has finished */
	bool gave_up;  /* lazy: not answered in time, no addresses */
	u64 due_ns;    /* next resolution, CLOCK_MONOTONIC */
	u64 interval_ns;
};

/* All under lock. cond wakes the thread (new names, stop) and the waiters
 * of dns_load_table (a resolution finished). */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond;
static struct dns_name *names;
static size_t nnames;
static pthread_t thread;
static bool started, stopping;
static bool busy;    /* the thread is in getaddrinfo() */
static bool stalled; /* ... and a lazy waiter gave up on it */
/* dns_load_table_lazy: resolve on first use, once; what is left of the
 * waits' budget; who prints the notes. */
static bool lazy;
static u64 lazy_left_ns;
static int lazy_budget_ms;
static const char *lazy_who;

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * NS_PER_S + (u64)ts.tv_nsec;
}

static void deadline(struct timespec *ts, u64 at_ns)
{
	ts->tv_sec = (time_t)(at_ns / NS_PER_S);
	ts->tv_nsec = (long)(at_ns % NS_PER_S);
}

static void name_free(struct dns_name *n)
{
	free(n->name);
	free(n->v4);
	free(n->v6);
}

static struct dns_name *find(const char *name, size_t len)
{
	size_t i;

	/* A NULL name: moved to a new table by dns_load_table. */
	for (i = 0; i < nnames; i++)
		if (names[i].name && strlen(names[i].name) == len &&
		    !memcmp(names[i].name, name, len))
			return &names[i];
	return NULL;
}

/* ---- resolving (the thread, without the lock) ----------------------------- */

struct addrs {
	u8 (*v4)[4];
	u8 (*v6)[16];
	u32 n4, n6;
};

static int add_addr(void *arr, u32 *n, const void *a, size_t size)
{
	u8 *p = *(u8 **)arr, *np;
	u32 i;

	for (i = 0; i < *n; i++)
		if (!memcmp(p + i * size, a, size))
			return 0;
	np = realloc(p, (*n + 1) * size);
	if (!np)
		return -1;
	memcpy(np + *n * size, a, size);
	*(u8 **)arr = np;
	(*n)++;
	return 0;
}

/* 0 with the addresses (none when the name does not exist), or -1 on a
 * temporary failure. */
static int resolve(const char *name, struct addrs *out)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC }, *res, *ai;
	int rc, ret = 0;

	memset(out, 0, sizeof(*out));
	rc = getaddrinfo(name, NULL, &hints, &res);
	if (rc == EAI_NONAME || rc == EAI_NODATA || rc == EAI_ADDRFAMILY)
		return 0;
	if (rc)
		return -1;
	for (ai = res; ai && !ret; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET)
			ret = add_addr(&out->v4, &out->n4,
				       &((struct sockaddr_in *)ai->ai_addr)->sin_addr, 4);
		else if (ai->ai_family == AF_INET6)
			ret = add_addr(&out->v6, &out->n6,
				       &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, 16);
	}
	freeaddrinfo(res);
	if (ret) {
		free(out->v4);
		free(out->v6);
	}
	return ret;
}

static bool same_addrs(const struct dns_name *n, const struct addrs *a)
{
	return n->n4 == a->n4 && n->n6 == a->n6 && (!a->n4 || !memcmp(n->v4, a->v4, a->n4 * 4)) &&
	       (!a->n6 || !memcmp(n->v6, a->v6, a->n6 * 16));
}

/* Under lock: the result of resolving n's name, on libsinsp's schedule. */
static void store(struct dns_name *n, int rc, struct addrs *a)
{
	u64 now = now_ns();

	if (rc) {
		n->interval_ns = REFRESH_BASE_NS;
	} else if (n->resolved && same_addrs(n, a)) {
		if (n->interval_ns < REFRESH_MAX_NS)
			n->interval_ns *= 2;
		free(a->v4);
		free(a->v6);
	} else {
		free(n->v4);
		free(n->v6);
		n->v4 = a->v4;
		n->v6 = a->v6;
		n->n4 = a->n4;
		n->n6 = a->n6;
		n->interval_ns = REFRESH_BASE_NS;
	}
	n->resolved = true;
	/* A batch sees one answer per name. */
	n->due_ns = lazy ? NOT_DUE : now + n->interval_ns;
}

static void *resolver(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&lock);
	while (!stopping) {
		u64 now = now_ns(), next = UINT64_MAX;
		struct dns_name *due = NULL;
		struct timespec ts;
		struct addrs a;
		size_t i;
		char *name;
		int rc;

		for (i = 0; i < nnames; i++) {
			if (names[i].due_ns <= now) {
				due = &names[i];
				break;
			}
			if (names[i].due_ns < next)
				next = names[i].due_ns;
		}
		if (!due) {
			if (next == UINT64_MAX) {
				pthread_cond_wait(&cond, &lock);
			} else {
				deadline(&ts, next);
				pthread_cond_timedwait(&cond, &lock, &ts);
			}
			continue;
		}
		/* The table may change while we resolve: find the name again. */
		name = strdup(due->name);
		if (!name) {
			due->due_ns = now + REFRESH_BASE_NS;
			continue;
		}
		busy = true;
		pthread_mutex_unlock(&lock);
		rc = resolve(name, &a);
		pthread_mutex_lock(&lock);
		busy = false;
		due = find(name, strlen(name));
		/* A name given up on keeps its "no address" for the run. */
		if (due && !due->gave_up)
			store(due, rc, &a);
		else if (!rc) {
			free(a.v4);
			free(a.v6);
		}
		free(name);
		pthread_cond_broadcast(&cond);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

/* ---- the table's names ---------------------------------------------------- */

static bool is_name_field(u16 f)
{
	return f == SHRIKE_F_FD_SIP_NAME || f == SHRIKE_F_FD_CIP_NAME ||
	       f == SHRIKE_F_FD_LIP_NAME || f == SHRIKE_F_FD_RIP_NAME;
}

/* Appends STRREFS entry ref to *v as a new name, unless it is there. */
static int take_name(const struct shrike_table *t, u32 ref, struct dns_name **v, size_t *n)
{
	struct dns_name *nv;
	const char *s;
	u32 len;
	size_t i;

	s = shrike_str_at(t, ref, &len);
	if (!len || memchr(s, 0, len))
		return 0;
	for (i = 0; i < *n; i++)
		if (strlen((*v)[i].name) == len && !memcmp((*v)[i].name, s, len))
			return 0;
	nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		return -1;
	*v = nv;
	memset(&nv[*n], 0, sizeof(nv[*n]));
	nv[*n].name = strndup(s, len);
	if (!nv[*n].name)
		return -1;
	nv[*n].interval_ns = REFRESH_BASE_NS;
	(*n)++;
	return 0;
}

/* The operands of "=", "!=" and "in" on the four fields, in table order. */
static int table_names(const struct shrike_table *t, struct dns_name **v, size_t *n)
{
	u32 i, j, first, count;

	for (i = 0; i < t->ninsns; i++) {
		const struct shrike_insn *in = &t->insns[i];
		u16 opnd = le16_to_cpu(in->operand);

		if (in->op != SHRIKE_OP_TEST || !is_name_field(le16_to_cpu(in->field)))
			continue;
		if (in->cmp == SHRIKE_CMP_EQ || in->cmp == SHRIKE_CMP_NE) {
			if (take_name(t, opnd, v, n))
				return -1;
		} else if (in->cmp == SHRIKE_CMP_IN) {
			first = le32_to_cpu(t->sets[opnd].first);
			count = le32_to_cpu(t->sets[opnd].count);
			for (j = 0; j < count; j++)
				if (take_name(t, le32_to_cpu(t->setitems[first + j]), v, n))
					return -1;
		}
	}
	return 0;
}

static size_t pending(void)
{
	size_t i, n = 0;

	for (i = 0; i < nnames; i++)
		n += !names[i].resolved;
	return n;
}

static void load_table(const struct shrike_table *t, int wait_ms, bool on_use)
{
	struct dns_name *v = NULL, *old;
	size_t n = 0, i;
	struct timespec ts;
	u64 until;

	if (table_names(t, &v, &n)) {
		/* Out of memory: the names we have stay; the rest are UNKNOWN. */
		for (i = 0; i < n; i++)
			name_free(&v[i]);
		free(v);
		return;
	}
	pthread_mutex_lock(&lock);
	if (!started && n) {
		pthread_condattr_t ca;

		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&cond, &ca);
		pthread_condattr_destroy(&ca);
		stopping = false;
		started = pthread_create(&thread, NULL, resolver, NULL) == 0;
	}
	/* What is known of a name stays with it. */
	for (i = 0; i < n; i++) {
		old = find(v[i].name, strlen(v[i].name));
		if (old) {
			name_free(&v[i]);
			v[i] = *old;
			old->name = NULL;
			old->v4 = NULL;
			old->v6 = NULL;
		} else if (on_use) {
			v[i].due_ns = NOT_DUE;
		}
		if (!on_use && v[i].due_ns == NOT_DUE)
			v[i].due_ns = 0;
	}
	lazy = on_use;
	for (i = 0; i < nnames; i++)
		name_free(&names[i]);
	free(names);
	names = v;
	nnames = n;
	if (started) {
		pthread_cond_broadcast(&cond);
		until = now_ns() + (u64)(wait_ms > 0 ? wait_ms : 0) * 1000000ull;
		deadline(&ts, until);
		while (pending() && now_ns() < until)
			pthread_cond_timedwait(&cond, &lock, &ts);
	}
	pthread_mutex_unlock(&lock);
}

void dns_load_table(const struct shrike_table *t, int wait_ms)
{
	load_table(t, wait_ms, false);
}

void dns_load_table_lazy(const struct shrike_table *t, int budget_ms, const char *who)
{
	pthread_mutex_lock(&lock);
	lazy_budget_ms = budget_ms > 0 ? budget_ms : 0;
	lazy_left_ns = (u64)lazy_budget_ms * 1000000ull;
	lazy_who = who;
	pthread_mutex_unlock(&lock);
	load_table(t, 0, true);
}

/*
 * Lazy, under lock: has the thread resolve name now and waits for it with
 * what is left of the budget; gives it up (no addresses, a note) if it does
 * not come. Once the budget is spent nothing more is asked: the resolver is
 * not answering, and no one would wait for its answer. The name found again
 * (the thread does not change the table, but the lookup is cheap), or NULL.
 */
static struct dns_name *wait_for(struct dns_name *n, const char *name, u32 len)
{
	u64 start = now_ns(), until = start + lazy_left_ns, spent;
	struct timespec ts;

	if (started && lazy_left_ns) {
		if (n->due_ns == NOT_DUE) {
			n->due_ns = 0;
			pthread_cond_broadcast(&cond);
		}
		deadline(&ts, until);
		while ((n = find(name, len)) && !n->resolved && now_ns() < until)
			pthread_cond_timedwait(&cond, &lock, &ts);
		spent = now_ns() - start;
		lazy_left_ns -= spent < lazy_left_ns ? spent : lazy_left_ns;
	}
	if (n && !n->resolved) {
		n->resolved = true;
		n->gave_up = true;
		n->due_ns = NOT_DUE;
		stalled |= busy;
		fprintf(stderr,
			"%s: resolving %.*s timed out (at most %g s of DNS waits in all): "
			"it matches no address\n",
			lazy_who ? lazy_who : "shrike", (int)len, name, lazy_budget_ms / 1000.0);
	}
	return n;
}

static bool has_addr(const struct dns_name *n, const struct shrike_val *a)
{
	u32 i;

	if (a->family == 4) {
		for (i = 0; i < n->n4; i++)
			if (!memcmp(n->v4[i], a->ip, 4))
				return true;
	} else if (a->family == 6) {
		for (i = 0; i < n->n6; i++)
			if (!memcmp(n->v6[i], a->ip, 16))
				return true;
	}
	return false;
}

int dns_match(const char *name, u32 len, const struct shrike_val *addr)
{
	struct dns_name *n;
	int r = -1;

	pthread_mutex_lock(&lock);
	n = find(name, len);
	if (n && !n->resolved && lazy)
		n = wait_for(n, name, len);
	if (n && n->resolved)
		r = has_addr(n, addr);
	pthread_mutex_unlock(&lock);
	return r;
}

char *dns_name_of(const struct shrike_val *addr)
{
	char *s = NULL;
	size_t i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < nnames && !s; i++)
		if (has_addr(&names[i], addr))
			s = strdup(names[i].name);
	pthread_mutex_unlock(&lock);
	return s;
}

void dns_stop(void)
{
	struct timespec ts;
	size_t i;
	bool joined = true, hung;

	pthread_mutex_lock(&lock);
	stopping = true;
	hung = stalled;
	if (started)
		pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	if (started) {
		/* A getaddrinfo() can take a resolver timeout: do not wait
		 * for it at exit (not at all for one a waiter already gave
		 * up on); the thread then keeps what it uses. */
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += hung ? 0 : 2;
		joined = pthread_timedjoin_np(thread, NULL, &ts) == 0;
		if (!joined)
			pthread_detach(thread);
	}
	if (!joined)
		return;
	pthread_mutex_lock(&lock);
	for (i = 0; i < nnames; i++)
		name_free(&names[i]);
	free(names);
	names = NULL;
	nnames = 0;
	if (started)
		pthread_cond_destroy(&cond);
	started = false;
	lazy = stalled = false;
	pthread_mutex_unlock(&lock);
}
