/* record.c - shrike-agent -w (record mode, compile_opts.record): every
 * kernel record written as one JSON line (lib/evjson.h) that `shrikec test
 * --events` replays, the file's opening and reopening, what is lost counted,
 * and the limits of a kernel record checked against the table. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agentlog.h"
#include "../lib/dns.h"
#include "../lib/fields.h"
#include "../lib/strbuf.h"

/* Opens (or reopens: SIGUSR1, SIGHUP) the -w file. Under ag->lock or
 * before the loop. 0, or -errno (ag->rec_fd is then -1). */
int rec_open(struct agent *ag)
{
	if (ag->rec_fd >= 0)
		close(ag->rec_fd);
	ag->rec_fd = open(ag->rec_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	return ag->rec_fd < 0 ? -errno : 0;
}

void rec_reopen(struct agent *ag)
{
	int rc;

	if (!ag->rec_path)
		return;
	pthread_mutex_lock(&ag->lock);
	rc = rec_open(ag);
	pthread_mutex_unlock(&ag->lock);
	if (rc)
		alog(LOG_ERR, "reopening %s: %s: events are not recorded", ag->rec_path,
		     strerror(-rc));
}

/* A write to the -w file failed with err (0: no memory for the line):
 * counted, and logged when the cause changes (rec_errno -1: the last
 * write worked). */
static void rec_fail(struct agent *ag, int err)
{
	ag->rec_failed++;
	if (err != ag->rec_errno) {
		ag->rec_errno = err;
		alog(LOG_ERR, "recording to %s: %s: events lost (counted)", ag->rec_path,
		     err ? strerror(err) : "out of memory");
	}
}

static void rec_tmpl_field(void *data, const struct field_info *fi, const char *arg, size_t arglen)
{
	evjson_rec_field(data, fi->id, arg, arg ? arglen : 0);
}

/* (field, arg) of table t into the record line. */
static void rec_field_id(struct evjson_rec *rec, const struct shrike_table *t, u16 field, u16 arg)
{
	char argbuf[128];
	const char *at = agent_arg_text(t, field, arg, argbuf, sizeof(argbuf));

	evjson_rec_field(rec, field, at, at ? strlen(at) : 0);
}

/*
 * The kernel record as one JSON line in the -w file (evjson.h): the fields
 * of every rule it names, each once: the rule's captures (the kernel's
 * fields of its condition and output: all of them in record mode), the
 * fields its program tests (the agent-only ones: user.name, container.*),
 * and its output's, each valued by the agent's own fetch. Under ag->lock.
 */
void record_event(struct agent *ag, const struct shrike_table *t, const u32 *rules, u32 nrules,
		  struct uevent *ev, rec_tmpl_fn tmpl_of, void *data)
{
	const struct output_tmpl *tm;
	struct strbuf b = { 0 };
	struct evjson_rec rec;
	const struct shrike_rule *r;
	size_t len, off;
	ssize_t n;
	char *line;
	u32 i, k;
	int rc;

	if (!nrules || !(r = shrike_rule_at(t, rules[0])))
		return;
	evjson_rec_begin(&rec, &b, ev, le16_to_cpu(r->flags) & SHRIKE_RF_ENTRY);
	rec.name_of = dns_name_of;
	for (i = 0; i < nrules; i++) {
		r = shrike_rule_at(t, rules[i]);
		if (!r)
			continue;
		for (k = 0; k < le16_to_cpu(r->ncaptures); k++) {
			const struct shrike_capture *c = shrike_rule_capture(t, r, k);

			if (c)
				rec_field_id(&rec, t, le16_to_cpu(c->field), le16_to_cpu(c->arg));
		}
		for (k = 0; k < le32_to_cpu(r->prog_len); k++) {
			const struct shrike_insn *in = &t->insns[le32_to_cpu(r->prog) + k];

			/* Not record mode's own `evt.time exists` (codegen.h). */
			if (in->op != SHRIKE_OP_TEST ||
			    (le16_to_cpu(in->field) == SHRIKE_F_EVT_TIME &&
			     in->cmp == SHRIKE_CMP_EXISTS))
				continue;
			rec_field_id(&rec, t, le16_to_cpu(in->field), le16_to_cpu(in->arg));
		}
		tm = tmpl_of(data, ag, r);
		if (tm)
			output_tmpl_fields(tm, rec_tmpl_field, &rec);
		else
			rec.oom = true;
	}
	rc = evjson_rec_end(&rec);
	line = sb_take(&b);
	if (rc || !line) {
		free(line);
		rec_fail(ag, 0);
		return;
	}
	if (ag->rec_fd < 0) {
		free(line);
		rec_fail(ag, EBADF);
		return;
	}
	len = strlen(line);
	for (off = 0; off < len; off += (size_t)n) {
		n = write(ag->rec_fd, line + off, len - off);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0) {
			rec_fail(ag, n < 0 ? errno : ENOSPC);
			free(line);
			return;
		}
	}
	ag->rec_events++;
	ag->rec_errno = -1;
	free(line);
}

/* See agent.h. */
void record_check_table(const struct shrike_table *t)
{
	u32 seen[SHRIKE_MAX_CAPTURES + 1];
	u32 e, d, i, k, j, nrules, nseen;

	for (e = 0; e < (u32)evtypes_count(); e++) {
		for (d = 0; d < 2; d++) {
			nrules = nseen = 0;
			for (i = 0; i < t->nrules; i++) {
				const struct shrike_rule *r = &t->rules[i];

				if (r->source != SHRIKE_SRC_SYSCALL ||
				    !(le16_to_cpu(r->flags) & SHRIKE_RF_ENABLED) ||
				    !shrike_rule_has_evtype(r, e) ||
				    !(le16_to_cpu(r->flags) & SHRIKE_RF_ENTRY) != !d)
					continue;
				nrules++;
				for (k = 0; k < le16_to_cpu(r->ncaptures); k++) {
					const struct shrike_capture *c =
						shrike_rule_capture(t, r, k);
					u32 key = (u32)le16_to_cpu(c->field) << 16 |
						  le16_to_cpu(c->arg);

					for (j = 0; j < nseen && seen[j] != key; j++)
						;
					if (j == nseen && nseen <= SHRIKE_MAX_CAPTURES)
						seen[nseen++] = key;
				}
			}
			if (nrules > SHRIKE_ALERT_RULES_MAX || nseen > SHRIKE_MAX_CAPTURES)
				alog(LOG_WARNING,
				     "-w: %s%s events: %u rules and %s%u fields, more than a kernel "
				     "record holds (%d rules, %d fields): the recording of these "
				     "events misses some (the kernel counts the rules left out as "
				     "rule_cap drops, not the fields)",
				     d ? ">" : "<", evtype_name((int)e), nrules,
				     nseen > SHRIKE_MAX_CAPTURES ? "over " : "", nseen,
				     SHRIKE_ALERT_RULES_MAX, SHRIKE_MAX_CAPTURES);
		}
	}
}
