/* webserver.h - the agent's HTTP server (libmicrohttpd): the Kubernetes
 * audit webhook (webserver.k8s_audit_endpoint), the health check and the
 * Prometheus metrics. Requests are served by libmicrohttpd's own thread; the
 * hooks are called from it. */
#ifndef SHRIKE_AGENT_WEBSERVER_H
#define SHRIKE_AGENT_WEBSERVER_H

#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>

#include "config.h"

struct websrv_hooks {
	/* One audit.k8s.io/v1 Event object (EventLists are split here). */
	void (*audit_event)(void *data, json_object *ev);
	/* Appends the agent's metrics, Prometheus text format. */
	void (*metrics)(void *data, FILE *f);
	void *data;
};

struct websrv_stats {
	uint64_t requests;	      /* every request answered */
	uint64_t audit_requests;      /* POSTs to the audit endpoint */
	uint64_t audit_events;	      /* events in accepted bodies */
	uint64_t bad_requests;	      /* 400 */
	uint64_t too_large;	      /* 413 */
	uint64_t bad_method;	      /* 405 */
	uint64_t not_found;	      /* 404 */
	uint64_t refused_per_address; /* connections refused: the address held its limit */
	uint64_t by_code[600];	      /* every answer, by status code */
};

struct websrv;

/* Starts serving as cfg's webserver.* says (cfg must outlive it). NULL with
 * the reason in err: port in use, certificate unreadable, ... */
struct websrv *websrv_start(const struct config *cfg, const struct websrv_hooks *h, char *err,
			    size_t errlen);
void websrv_stop(struct websrv *w);
/* The port listened on (webserver.listen_port 0 picks one). */
uint16_t websrv_port(struct websrv *w);
void websrv_get_stats(struct websrv *w, struct websrv_stats *st);

/*
 * Splits a parsed body into audit events as Falco 0.31 does: an object of
 * kind Event, of kind EventList (its items), or (Shrike) an array of either,
 * every event with a stageTimestamp that parses (the event's time). Calls fn
 * on each event. Returns the number of events, or -1 with the
 * reason in err when the body is not audit events (then fn is not called).
 */
int websrv_audit_events(json_object *body, void (*fn)(void *data, json_object *ev), void *data,
			char *err, size_t errlen);

#endif
