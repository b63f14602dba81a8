/* userids.h - user and group names of syscall events for enrich.c: the
 * host's (NSS) or a container's own passwd and group files (through
 * /proc/PID/root), cached (see userids.c). */
#ifndef SHRIKE_AGENT_USERIDS_H
#define SHRIKE_AGENT_USERIDS_H

#include "../lib/event.h"

struct id_caches;

/* proc_root: where /proc is (the enricher's copy, which must outlive the
 * caches). NULL on ENOMEM. */
struct id_caches *id_caches_new(const char *proc_root);
void id_caches_free(struct id_caches *c);

/* user.name, user.homedir, user.shell, user.loginname, group.name and the
 * names of uid/gid arguments (evt.arg.uid, ...) of ev, as its process sees
 * them; cid: its container's id, NULL for the host. Not thread-safe. */
void enrich_users(struct id_caches *c, struct uevent *ev, const char *cid);

/* Sets field of ev to s, unless s is NULL or "". */
void enrich_set_str(struct uevent *ev, u16 field, const char *s);

#endif
