/* match.h - the agent stage: which rules of a table an event matches, with
 * the shared evaluator and every field available. Used by the agent on
 * candidates from the kernel and audit events, and by `shrikec test`. */
#ifndef SHRIKE_LIB_MATCH_H
#define SHRIKE_LIB_MATCH_H

#include <stdbool.h>
#include "event.h"

/* Installs the userspace regex implementation (POSIX extended, whole-string
 * match as Falco's RE2 FullMatch) and host name matching (dns.c: call
 * dns_load_table for each table) in the shared evaluator. Call once. */
void match_init(void);

typedef void (*match_fn)(const struct shrike_rule *r, void *data);

/*
 * Evaluates every enabled rule of the event's source in table order; for a
 * syscall event only rules whose event-type set holds the event's evt.type.
 * Calls fn for each TRUE rule: the first only, or all with SHRIKE_TF_MATCH_ALL
 * (rule_matching: all). Returns the number of matches.
 */
int match_event(struct uevent_ctx *ctx, match_fn fn, void *data);

#endif
