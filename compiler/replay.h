/* replay.h - recorded events run through a compiled table, as the kernel
 * and the agent would run them: what `shrikec test` prints and `shrikec
 * test --cases` checks. Events are JSON lines: a syscall event is an object
 * of field values keyed as in rules ({"evt.type":"openat","fd.name":"/x"}),
 * a k8s_audit event a raw audit.k8s.io Event (or EventList). */
#ifndef SHRIKEC_REPLAY_H
#define SHRIKEC_REPLAY_H

#include <stddef.h>
#include <stdio.h>
#include "../lib/event.h"

struct replay {
	const struct shrike_table *t;
	/* Called for each rule that matches an event, in the order the agent
	 * would alert (the first only, unless the table matches all). */
	void (*on_alert)(const struct shrike_rule *r, struct uevent_ctx *ctx, void *data);
	void *data;
};

/* One event (a JSON text). 0; 1 when it is not an event (the message,
 * naming file:lineno, on stderr); 2 when out of memory. */
int replay_line(struct replay *rp, const char *file, size_t lineno, const char *line);
/* Every line of f (blank lines and '#' comments skipped): the worst
 * replay_line() result. */
int replay_file(struct replay *rp, FILE *f, const char *name);

#endif
