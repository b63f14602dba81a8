/* channels.c - the alert channels and their queues (see channels.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "channels.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <curl/curl.h>

#include "../kmod/uapi/shrike.h"
#include "agentlog.h"

uint64_t outputs_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

const char *outputs_hostname(char *buf, size_t len)
{
	static const char *const vars[] = { "FALCO_HOSTNAME", "SHRIKE_K8S_NODE_NAME" };
	const char *v;
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		v = getenv(vars[i]);
		if (v && *v) {
			snprintf(buf, len, "%s", v);
			return vars[i];
		}
	}
	if (gethostname(buf, len))
		snprintf(buf, len, "localhost");
	buf[len - 1] = 0;
	return NULL;
}

void tb_init(struct token_bucket *tb, double rate, double burst, uint64_t now_ns)
{
	tb->rate = rate;
	tb->burst = burst;
	tb->tokens = burst; /* Falco starts full: a quiet start allows a burst */
	tb->last_ns = now_ns;
}

bool tb_claim(struct token_bucket *tb, uint64_t now_ns)
{
	if (tb->rate <= 0)
		return true;
	if (now_ns > tb->last_ns) {
		tb->tokens += tb->rate * (double)(now_ns - tb->last_ns) / 1e9;
		if (tb->tokens > tb->burst)
			tb->tokens = tb->burst;
	}
	tb->last_ns = now_ns;
	if (tb->tokens < 1)
		return false;
	tb->tokens -= 1;
	return true;
}

/* ---- stdout ------------------------------------------------------------------ */

static int stdout_write(struct out_chan *ch, const struct out_msg *m)
{
	(void)ch;
	if (fputs(m->line, stdout) == EOF || fputc('\n', stdout) == EOF)
		return -1;
	return 0;
}

static int stdout_flush(struct out_chan *ch)
{
	return !ch->buffered && fflush(stdout) ? -1 : 0;
}

static void stdout_close(struct out_chan *ch)
{
	(void)ch;
	fflush(stdout);
}

static const struct out_ops stdout_ops = {
	.name = "stdout",
	.write = stdout_write,
	.flush = stdout_flush,
	.close = stdout_close,
};

/* ---- file: appended to; keep_alive keeps it open, else opened per burst
 * of alerts (one at a time: per alert) ---- */

struct file_priv {
	FILE *f;     /* keep_alive */
	FILE *burst; /* without keep_alive: open for the current burst */
	const char *path;
	bool keep_alive;
	/* The current burst: where it started in the file, and whether a
	 * write failed. A burst that fails is taken back out of the file
	 * (truncated to start), so that the file holds exactly the alerts
	 * counted as sent, and no half line (a full disk) ends up in it. */
	bool in_burst, burst_failed;
	off_t start;
};

static int file_open(struct out_chan *ch, char *err, size_t errlen)
{
	struct file_priv *p = calloc(1, sizeof(*p));

	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->path = cfg_str(ch->cfg, CFG_FILE_FILENAME);
	p->keep_alive = cfg_bool(ch->cfg, CFG_FILE_KEEP_ALIVE);
	/* Opened even without keep_alive, so that a bad path fails at start. */
	p->f = fopen(p->path, "a");
	if (!p->f) {
		snprintf(err, errlen, "file_output.filename: cannot open %s: %s", p->path,
			 strerror(errno));
		free(p);
		return -1;
	}
	if (!p->keep_alive) {
		fclose(p->f);
		p->f = NULL;
	}
	ch->priv = p;
	return 0;
}

static int file_write(struct out_chan *ch, const struct out_msg *m)
{
	struct file_priv *p = ch->priv;
	FILE *f = p->f ? p->f : p->burst;

	if (!f && !(f = p->burst = fopen(p->path, "a"))) {
		p->burst_failed = true;
		return -1;
	}
	if (!p->in_burst) {
		struct stat st;

		/* What is still buffered from an earlier burst (buffered_outputs)
		 * goes first, so that the size is where this burst starts. */
		p->in_burst = true;
		p->burst_failed = fflush(f) || fstat(fileno(f), &st);
		p->start = p->burst_failed ? 0 : st.st_size;
	}
	if (fputs(m->line, f) == EOF || fputc('\n', f) == EOF) {
		p->burst_failed = true;
		return -1;
	}
	return 0;
}

static int file_flush(struct out_chan *ch)
{
	struct file_priv *p = ch->priv;
	bool failed = p->burst_failed;

	if (p->burst) {
		failed |= fclose(p->burst) != 0;
		p->burst = NULL;
	} else if (p->f && (!ch->buffered || failed) && fflush(p->f)) {
		failed = true;
	}
	if (failed && p->in_burst) {
		/* Nothing of a failed burst stays: unwritten data is dropped,
		 * what reached the file is cut off again. */
		if (p->f) {
			__fpurge(p->f);
			if (ftruncate(fileno(p->f), p->start))
				alog(LOG_ERR, "file_output: cannot truncate %s: %s", p->path,
				     strerror(errno));
		} else if (truncate(p->path, p->start)) {
			alog(LOG_ERR, "file_output: cannot truncate %s: %s", p->path,
			     strerror(errno));
		}
	}
	p->in_burst = p->burst_failed = false;
	return failed ? -1 : 0;
}

/* A failed reopen keeps the old file: alerts must keep going somewhere. */
static void file_reopen(struct out_chan *ch)
{
	struct file_priv *p = ch->priv;
	FILE *nf;

	if (!p->f)
		return;
	nf = fopen(p->path, "a");
	if (!nf) {
		alog(LOG_ERR, "file_output: cannot reopen %s: %s; keeping the old file", p->path,
		     strerror(errno));
		return;
	}
	fclose(p->f);
	p->f = nf;
}

static void file_close(struct out_chan *ch)
{
	struct file_priv *p = ch->priv;

	if (p && p->f)
		fclose(p->f);
	if (p && p->burst)
		fclose(p->burst);
	free(p);
	ch->priv = NULL;
}

static const struct out_ops file_ops = {
	.name = "file",
	.open = file_open,
	.write = file_write,
	.flush = file_flush,
	.reopen = file_reopen,
	.close = file_close,
};

/* ---- syslog: the rule priority is the syslog level (same scale) --------- */

static int syslog_open(struct out_chan *ch, char *err, size_t errlen)
{
	(void)ch;
	(void)err;
	(void)errlen;
	openlog("shrike", LOG_PID, LOG_USER);
	return 0;
}

static int syslog_write(struct out_chan *ch, const struct out_msg *m)
{
	int level = m->priority >= SHRIKE_PRI_EMERGENCY && m->priority <= SHRIKE_PRI_DEBUG
			    ? LOG_EMERG + (m->priority - SHRIKE_PRI_EMERGENCY)
			    : LOG_INFO;

	(void)ch;
	syslog(level, "%s", m->line);
	return 0;
}

static const struct out_ops syslog_ops = {
	.name = "syslog",
	.open = syslog_open,
	.write = syslog_write,
};

/* ---- program: a shell command reading alerts on stdin ---------------------- */

struct prog_priv {
	FILE *p;
	const char *cmd;
	bool keep_alive;
};

static int prog_open(struct out_chan *ch, char *err, size_t errlen)
{
	struct prog_priv *p = calloc(1, sizeof(*p));

	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->cmd = cfg_str(ch->cfg, CFG_PROGRAM_PROGRAM);
	p->keep_alive = cfg_bool(ch->cfg, CFG_PROGRAM_KEEP_ALIVE);
	ch->priv = p;
	return 0;
}

/* SIGPIPE is ignored by the agent: a program that exited gives EPIPE here,
 * and with keep_alive it is started again for the next alert. */
static int prog_write(struct out_chan *ch, const struct out_msg *m)
{
	struct prog_priv *p = ch->priv;
	int ret = 0;

	if (!p->p) {
		p->p = popen(p->cmd, "w");
		if (!p->p)
			return -1;
		/* What sits in the pipe when the program exits is lost, and
		 * nothing can count it: one page of it at most, not 64 KiB. */
		fcntl(fileno(p->p), F_SETPIPE_SZ, 4096);
	}
	if (fputs(m->line, p->p) == EOF || fputc('\n', p->p) == EOF)
		ret = -1;
	/* Without keep_alive each alert is one run of the program. */
	if (!p->keep_alive || ret) {
		if (pclose(p->p) == -1)
			ret = -1;
		p->p = NULL;
	}
	return ret;
}

static int prog_flush(struct out_chan *ch)
{
	struct prog_priv *p = ch->priv;

	if (!p->p || ch->buffered || !fflush(p->p))
		return 0;
	pclose(p->p);
	p->p = NULL;
	return -1;
}

static void prog_close(struct out_chan *ch)
{
	struct prog_priv *p = ch->priv;

	if (p && p->p)
		pclose(p->p);
	free(p);
	ch->priv = NULL;
}

static const struct out_ops prog_ops = {
	.name = "program",
	.open = prog_open,
	.write = prog_write,
	.flush = prog_flush,
	.close = prog_close,
};

/* ---- http: Falco's JSON alert POSTed, what falcosidekick takes --------- */

struct http_priv {
	CURL *curl;
	struct curl_slist *hdrs;
	const char *url;
	/* Failures are logged as Falco logs libcurl's errors, but at most one
	 * line per outputs_fail_log_ns: the failures in between are counted
	 * and the next line says how many. */
	uint64_t last_log_ns;
	bool logged;
	unsigned long long unlogged;
};

uint64_t outputs_fail_log_ns = 10000000000ull;

static void http_failed(struct http_priv *p, CURLcode rc, long code)
{
	uint64_t now = outputs_now_ns();
	char more[80] = "";

	if (p->logged && now - p->last_log_ns < outputs_fail_log_ns) {
		p->unlogged++;
		return;
	}
	if (p->unlogged)
		snprintf(more, sizeof(more), " (and %llu more since the last message)",
			 p->unlogged);
	if (rc != CURLE_OK)
		alog(LOG_ERR, "http_output: libcurl failed to perform call: %s%s",
		     curl_easy_strerror(rc), more);
	else
		alog(LOG_ERR, "http_output: %s answered HTTP %ld%s", p->url, code, more);
	p->logged = true;
	p->last_log_ns = now;
	p->unlogged = 0;
}

static size_t http_discard(char *ptr, size_t size, size_t nmemb, void *data)
{
	(void)ptr;
	(void)data;
	return size * nmemb;
}

static int http_open(struct out_chan *ch, char *err, size_t errlen)
{
	struct http_priv *p = calloc(1, sizeof(*p));

	if (!p || !(p->curl = curl_easy_init())) {
		free(p);
		snprintf(err, errlen, "http_output: cannot initialize libcurl");
		return -1;
	}
	p->hdrs = curl_slist_append(NULL, "Content-Type: application/json");
	p->url = cfg_str(ch->cfg, CFG_HTTP_URL);
	curl_easy_setopt(p->curl, CURLOPT_URL, p->url);
	curl_easy_setopt(p->curl, CURLOPT_USERAGENT, cfg_str(ch->cfg, CFG_HTTP_USER_AGENT));
	curl_easy_setopt(p->curl, CURLOPT_HTTPHEADER, p->hdrs);
	curl_easy_setopt(p->curl, CURLOPT_TIMEOUT_MS, (long)cfg_int(ch->cfg, CFG_HTTP_TIMEOUT_MS));
	curl_easy_setopt(p->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(p->curl, CURLOPT_WRITEFUNCTION, http_discard);
	ch->priv = p;
	return 0;
}

static int http_write(struct out_chan *ch, const struct out_msg *m)
{
	struct http_priv *p = ch->priv;
	const char *body = m->json ? m->json : m->line;
	long code = 0;
	CURLcode rc;

	curl_easy_setopt(p->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(p->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	rc = curl_easy_perform(p->curl);
	if (rc == CURLE_OK)
		curl_easy_getinfo(p->curl, CURLINFO_RESPONSE_CODE, &code);
	if (rc == CURLE_OK && code >= 200 && code < 300)
		return 0;
	http_failed(p, rc, code);
	return -1;
}

static void http_close(struct out_chan *ch)
{
	struct http_priv *p = ch->priv;

	if (!p)
		return;
	curl_easy_cleanup(p->curl);
	curl_slist_free_all(p->hdrs);
	free(p);
	ch->priv = NULL;
}

static const struct out_ops http_ops = {
	.name = "http",
	.open = http_open,
	.write = http_write,
	.close = http_close,
};

/* ---- queues ---------------------------------------------------------------- */

static void msg_free(struct out_msg *m)
{
	free(m->line);
	free(m->json);
	m->line = m->json = NULL;
}

/*
 * A channel's thread: writes what is queued in bursts of up to BURST
 * alerts, then flushes once (unless buffered_outputs): each alert goes out
 * as soon as the thread gets to it, and a burst that queued up meanwhile
 * costs one flush, not one per line. The burst's slots stay counted in len
 * (and in inflight) while they are written without the lock, so that the
 * producer does not reuse them and outputs_close() does not free them.
 */
#define BURST 256

static void *chan_thread(void *arg)
{
	struct out_chan *ch = arg;
	size_t start, n, i, ok, failed;
	bool reopen;

	pthread_mutex_lock(&ch->lock);
	for (;;) {
		while (!ch->len && !ch->reopen && !ch->stop)
			pthread_cond_wait(&ch->cond, &ch->lock);
		reopen = ch->reopen;
		ch->reopen = false;
		if (reopen) {
			pthread_mutex_unlock(&ch->lock);
			if (ch->ops->reopen)
				ch->ops->reopen(ch);
			pthread_mutex_lock(&ch->lock);
			continue;
		}
		if (!ch->len)
			break; /* stopped and drained */
		start = ch->head;
		n = ch->inflight = ch->len < BURST ? ch->len : BURST;
		pthread_mutex_unlock(&ch->lock);
		for (i = ok = failed = 0; i < n; i++) {
			struct out_msg *m = &ch->q[(start + i) % ch->cap];

			if (ch->ops->write(ch, m))
				failed++;
			else
				ok++;
			msg_free(m);
		}
		if (ch->ops->flush && ch->ops->flush(ch)) {
			failed += ok;
			ok = 0;
		}
		pthread_mutex_lock(&ch->lock);
		ch->head = (start + n) % ch->cap;
		ch->len -= n;
		ch->inflight = 0;
		ch->sent += ok;
		ch->failed += failed;
	}
	pthread_mutex_unlock(&ch->lock);
	return NULL;
}

static void chan_push(struct out_chan *ch, int priority, const char *line, const char *json)
{
	struct out_msg m = { priority, strdup(line), json ? strdup(json) : NULL };

	pthread_mutex_lock(&ch->lock);
	if (!m.line || (json && !m.json) || ch->len == ch->cap || ch->stop) {
		ch->dropped++;
		pthread_mutex_unlock(&ch->lock);
		msg_free(&m);
		return;
	}
	ch->q[(ch->head + ch->len) % ch->cap] = m;
	/* The thread waits only for an empty queue. */
	if (!ch->len++)
		pthread_cond_signal(&ch->cond);
	pthread_mutex_unlock(&ch->lock);
}

static int chan_start(struct outputs *o, const struct out_ops *ops, const struct config *cfg,
		      char *err, size_t errlen)
{
	struct out_chan *ch = &o->ch[o->nch];

	memset(ch, 0, sizeof(*ch));
	ch->ops = ops;
	ch->cfg = cfg;
	ch->buffered = cfg_bool(cfg, CFG_BUFFERED_OUTPUTS);
	ch->cap = (size_t)cfg_int(cfg, CFG_OUTPUTS_QUEUE_SIZE);
	ch->q = calloc(ch->cap, sizeof(*ch->q));
	if (!ch->q) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (ops->open && ops->open(ch, err, errlen)) {
		free(ch->q);
		return -1;
	}
	pthread_mutex_init(&ch->lock, NULL);
	pthread_cond_init(&ch->cond, NULL);
	if (pthread_create(&ch->thread, NULL, chan_thread, ch)) {
		snprintf(err, errlen, "%s output: cannot start a thread", ops->name);
		if (ops->close)
			ops->close(ch);
		free(ch->q);
		return -1;
	}
	ch->started = true;
	o->nch++;
	return 0;
}

int outputs_init(struct outputs *o, const struct config *cfg, char *err, size_t errlen)
{
	static const struct {
		enum cfg_id enabled;
		const struct out_ops *ops;
	} chans[] = {
		{ CFG_STDOUT_ENABLED, &stdout_ops }, { CFG_FILE_ENABLED, &file_ops },
		{ CFG_SYSLOG_ENABLED, &syslog_ops }, { CFG_PROGRAM_ENABLED, &prog_ops },
		{ CFG_HTTP_ENABLED, &http_ops },
	};
	size_t i;

	memset(o, 0, sizeof(*o));
	pthread_mutex_init(&o->lock, NULL);
	o->json = cfg_bool(cfg, CFG_JSON_OUTPUT);
	o->min_priority = (int)cfg_int(cfg, CFG_PRIORITY);
	tb_init(&o->tb, cfg_double(cfg, CFG_OUTPUTS_RATE), cfg_double(cfg, CFG_OUTPUTS_MAX_BURST),
		outputs_now_ns());
	o->ch = calloc(sizeof(chans) / sizeof(chans[0]), sizeof(*o->ch));
	if (!o->ch) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < sizeof(chans) / sizeof(chans[0]); i++) {
		if (!cfg_bool(cfg, chans[i].enabled))
			continue;
		if (chans[i].ops == &http_ops) {
			o->want_json = true;
			curl_global_init(CURL_GLOBAL_DEFAULT);
		}
		if (chan_start(o, chans[i].ops, cfg, err, errlen)) {
			outputs_close(o, 0);
			return -1;
		}
	}
	return 0;
}

bool outputs_close(struct outputs *o, int drain_ms)
{
	uint64_t deadline = outputs_now_ns() + (uint64_t)drain_ms * 1000000ull;
	struct timespec ts = { 0, 10000000 }, join_by;
	bool left_behind = false;
	size_t i;

	/* Let the queues empty, but not forever: an HTTP endpoint that is down
	 * would hold the exit for queue_size * timeout. */
	for (i = 0; i < o->nch; i++) {
		struct out_chan *ch = &o->ch[i];

		for (;;) {
			size_t len;

			pthread_mutex_lock(&ch->lock);
			len = ch->len;
			pthread_mutex_unlock(&ch->lock);
			if (!len || outputs_now_ns() >= deadline)
				break;
			nanosleep(&ts, NULL);
		}
	}
	for (i = 0; i < o->nch; i++) {
		struct out_chan *ch = &o->ch[i];

		pthread_mutex_lock(&ch->lock);
		/* What is left is dropped, but for the burst being written. */
		while (ch->len > ch->inflight) {
			msg_free(&ch->q[(ch->head + ch->len - 1) % ch->cap]);
			ch->len--;
			ch->dropped++;
		}
		ch->stop = true;
		pthread_cond_signal(&ch->cond);
		pthread_mutex_unlock(&ch->lock);
		/* A channel stuck in a write (a program that never reads, a
		 * hung file system) gets one more second, then is left
		 * behind: the process is exiting, and must. */
		clock_gettime(CLOCK_REALTIME, &join_by);
		join_by.tv_sec += 1;
		if (pthread_timedjoin_np(ch->thread, NULL, &join_by)) {
			alog(LOG_ERR, "%s output: still writing at exit; %zu alerts not written",
			     ch->ops->name, ch->inflight);
			left_behind = true;
			continue;
		}
		if (ch->ops->close)
			ch->ops->close(ch);
		pthread_mutex_destroy(&ch->lock);
		pthread_cond_destroy(&ch->cond);
		free(ch->q);
	}
	/* A thread left behind still uses its channel until the exit. */
	if (!left_behind)
		free(o->ch);
	o->ch = NULL;
	o->nch = 0;
	pthread_mutex_destroy(&o->lock);
	return !left_behind;
}

bool outputs_admit(struct outputs *o, int priority)
{
	bool ok;

	pthread_mutex_lock(&o->lock);
	if (priority > o->min_priority) {
		o->filtered++;
		ok = false;
	} else if (!tb_claim(&o->tb, outputs_now_ns())) {
		o->rate_limited++;
		ok = false;
	} else {
		ok = true;
	}
	pthread_mutex_unlock(&o->lock);
	return ok;
}

void outputs_send(struct outputs *o, int priority, const char *line, const char *json)
{
	size_t i;

	for (i = 0; i < o->nch; i++)
		chan_push(&o->ch[i], priority, line, o->ch[i].ops == &http_ops ? json : NULL);
}

void outputs_reopen(struct outputs *o)
{
	size_t i;

	for (i = 0; i < o->nch; i++) {
		pthread_mutex_lock(&o->ch[i].lock);
		o->ch[i].reopen = true;
		pthread_cond_signal(&o->ch[i].cond);
		pthread_mutex_unlock(&o->ch[i].lock);
	}
}

size_t outputs_stats(struct outputs *o, struct out_stats *st, size_t max)
{
	size_t i;

	for (i = 0; i < o->nch && i < max; i++) {
		struct out_chan *ch = &o->ch[i];

		pthread_mutex_lock(&ch->lock);
		st[i].name = ch->ops->name;
		st[i].sent = ch->sent;
		st[i].failed = ch->failed;
		st[i].dropped = ch->dropped;
		st[i].depth = ch->len;
		pthread_mutex_unlock(&ch->lock);
	}
	return i;
}
