/* channels.h - where alerts go: Falco's channels (stdout, file, syslog,
 * program, http), each a struct of callbacks behind its own bounded queue and
 * thread, after Falco's priority filter and outputs.rate/max_burst token
 * bucket.
 *
 * Blocking: the alert path (the kernel reader, the webhook) only ever takes a
 * short lock to append to each channel's queue; a channel that is slow (a
 * stalled pipe, an HTTP endpoint timing out, a full disk) fills its own queue
 * and then loses alerts, counted in its "dropped", while the other channels
 * and the kernel reader go on. A write that fails is counted in "failed"; the
 * HTTP output also logs its failures, at most one line per
 * outputs_fail_log_ns (10 s) with the number not logged in between. At
 * exit each queue is drained for at most a few seconds.
 *
 * Writing: each channel's thread takes what is queued as a burst, writes it
 * and then flushes once (buffered_outputs: false, Falco's default): every
 * alert goes out as soon as the thread gets to it, and alerts that queued up
 * meanwhile cost one write(2), not one each. */
#ifndef SHRIKE_AGENT_CHANNELS_H
#define SHRIKE_AGENT_CHANNELS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

struct out_msg {
	int priority; /* SHRIKE_PRI_* */
	char *line;   /* text or JSON line as json_output says, no newline */
	char *json;   /* the JSON line, for channels that always send JSON */
};

struct out_chan;

struct out_ops {
	const char *name; /* as in the config: "file" for file_output */
	/* At start; an error is a bad configuration. */
	int (*open)(struct out_chan *ch, char *err, size_t errlen);
	/* One alert: 0, or -1 (counted as a failure). */
	int (*write)(struct out_chan *ch, const struct out_msg *m);
	/* After a burst of writes (NULL: nothing to do): what was written goes
	 * out now, unless buffered_outputs. -1 counts the burst as failed. */
	int (*flush)(struct out_chan *ch);
	void (*reopen)(struct out_chan *ch);
	void (*close)(struct out_chan *ch);
};

struct out_chan {
	const struct out_ops *ops;
	const struct config *cfg;
	void *priv;
	bool buffered; /* buffered_outputs */

	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread;
	bool started;
	struct out_msg *q; /* ring of cap entries */
	size_t cap, head, len;
	size_t inflight; /* the first of len, being written by the thread */
	bool stop, reopen;
	uint64_t sent, failed, dropped;
};

/* The token bucket alone (also used for the drop alert). rate 0: no limit. */
struct token_bucket {
	double rate, burst, tokens;
	uint64_t last_ns;
};
void tb_init(struct token_bucket *tb, double rate, double burst, uint64_t now_ns);
bool tb_claim(struct token_bucket *tb, uint64_t now_ns);

uint64_t outputs_now_ns(void);	     /* CLOCK_MONOTONIC */
extern uint64_t outputs_fail_log_ns; /* see above; tests shorten it */

struct out_stats {
	const char *name;
	uint64_t sent, failed, dropped, depth;
};

struct outputs {
	struct out_chan *ch;
	size_t nch;
	bool json;	  /* json_output: what m->line is */
	bool want_json;	  /* some channel needs the JSON form */
	int min_priority; /* priority: less severe alerts are dropped */

	pthread_mutex_t lock; /* the token bucket and the counters below */
	struct token_bucket tb;
	uint64_t rate_limited, filtered;
};

/*
 * Opens every enabled channel of cfg (which must outlive o) and starts its
 * thread. 0, or -1 with the reason in err (a file that cannot be opened, a
 * program that cannot be started, ...).
 */
int outputs_init(struct outputs *o, const struct config *cfg, char *err, size_t errlen);
/* Drains each queue (for at most drain_ms), stops and closes every channel.
 * false: a channel still stuck in a write a second later was left behind
 * (its thread and stream live on): the caller must end the process with
 * _exit(), since exit() would flush that stream and block as well. */
bool outputs_close(struct outputs *o, int drain_ms);

/*
 * Whether an alert of this priority goes out: the priority filter, then one
 * token of the bucket. Call before formatting the alert; a false is counted.
 */
bool outputs_admit(struct outputs *o, int priority);
/* Queues an alert on every channel (the strings are copied). */
void outputs_send(struct outputs *o, int priority, const char *line, const char *json);
/* Makes every channel reopen its file (logrotate: SIGHUP/SIGUSR1). */
void outputs_reopen(struct outputs *o);

/*
 * The "hostname" of every alert, in buf: env FALCO_HOSTNAME (Falco's; its
 * chart sets it to the node's name), else SHRIKE_K8S_NODE_NAME (Shrike's
 * chart sets it), else gethostname(), which in a pod is the pod's name.
 * An empty variable counts as unset. Returns the variable's name, or NULL.
 */
const char *outputs_hostname(char *buf, size_t len);

/* Per-channel counters; returns how many (at most max). */
size_t outputs_stats(struct outputs *o, struct out_stats *st, size_t max);

#endif
