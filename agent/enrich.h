/* enrich.h - the agent's userspace-only fields of syscall events: user and
 * group names (the host's files, or a container's own through
 * /proc/PID/root), and container and pod metadata read from the container
 * runtimes' on-disk state (containerd/CRI, cri-o, Docker), cached per
 * container id. Never blocks on a daemon; what cannot be found stays missing
 * (<NA> in text, null in JSON). */
#ifndef SHRIKE_AGENT_ENRICH_H
#define SHRIKE_AGENT_ENRICH_H

#include "config.h"
#include "../lib/event.h"

struct enricher;

/* Directories and cache sizes from cfg's container_engines.* (copied). */
struct enricher *enricher_new(const struct config *cfg);
void enricher_free(struct enricher *en);

/* Fills the userspace-only fields ev's captures allow. Not thread-safe:
 * the caller serializes. */
void enrich_event(struct enricher *en, struct uevent *ev);

#endif
