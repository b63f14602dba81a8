/* webserver.c - the HTTP endpoints (see webserver.h), answering as Falco
 * 0.31's civetweb handlers did: "<html><body>Ok</body></html>" for an
 * accepted audit body, 400 "Wrong Content Type" / "Bad Request: ..." for the
 * rest (a body with an event Falco cannot date, too). Bodies are bounded
 * (413) and parsed with a bounded nesting depth, so no request can take the
 * agent down or hold unbounded memory. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "webserver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <microhttpd.h>

#include "agentlog.h"
#include "../lib/file.h"
#include "../lib/k8saudit.h"

#define OK_BODY	     "<html><body>Ok</body></html>"
#define HEALTHZ_BODY "{\"status\": \"ok\"}"
/* Audit events nest a pod spec inside requestObject: 64 levels is far more
 * than any real one and keeps a hostile body from recursing deep. */
#define JSON_DEPTH 64
/* 413 has two names across libmicrohttpd versions, each deprecated in some. */
#define HTTP_TOO_LARGE 413
/* The limits README "Limits and guarantees" states (tests/http):
 * connections in all (webserver.max_connections_per_address the most one
 * client address may hold, so that one client, idle or trickling bytes,
 * cannot take them all), seconds a connection may stay silent,
 * libmicrohttpd's messages logged a second (a client can provoke one per
 * request). */
#define CONN_LIMIT     256u
#define IDLE_TIMEOUT   30u
#define LOG_PER_SECOND 10
/* How much of a body over webserver.max_body_bytes is read and dropped
 * before the 413; a longer one (by its Content-Length, or as its chunks
 * come) is answered at once and its connection closed. */
#define DRAIN_MAX ((size_t)64 << 20)
/* The TLS key and certificate: a few kB; over 1 MiB is not one. */
#define PEM_FILE_MAX ((size_t)1 << 20)

struct websrv {
	struct MHD_Daemon *d;
	const struct config *cfg;
	struct websrv_hooks h;
	size_t max_body;
	unsigned per_address; /* webserver.max_connections_per_address */
	char *cert;	      /* PEM: key and certificate, as Falco's ssl_certificate */
	pthread_mutex_t lock;
	struct websrv_stats st;
	/* Open connections by client address (at most CONN_LIMIT addresses
	 * hold one), for the per-address limit; only the daemon's thread uses it. */
	struct peer {
		unsigned char addr[16];
		unsigned n;
	} peers[CONN_LIMIT];
};

/* One request's state across libmicrohttpd's calls. */
struct req {
	char *body;
	size_t len, cap;
	bool too_large;
	size_t discarded; /* bytes of a body over the limit, read and dropped */
};

static bool is_object_of_kind(json_object *j, const char *kind)
{
	json_object *k;

	return json_object_is_type(j, json_type_object) &&
	       json_object_object_get_ex(j, "kind", &k) &&
	       json_object_is_type(k, json_type_string) && !strcmp(json_object_get_string(k), kind);
}

/* Falco dates each audit event by its stageTimestamp and refuses a body
 * with an event it cannot date (Falco 0.31's parse_k8s_audit_json): the
 * whole body, none of its events evaluated. where names the event. */
static int check_time(json_object *ev, const char *where, char *err, size_t errlen)
{
	json_object *ts;
	u64 ns;

	if (k8saudit_event_time(ev, &ns) == 0)
		return 0;
	if (!json_object_object_get_ex(ev, "stageTimestamp", &ts) ||
	    !json_object_is_type(ts, json_type_string))
		snprintf(err, errlen,
			 "Data not recognized as a k8s audit event: %sno stageTimestamp", where);
	else
		snprintf(
			err, errlen,
			"Data not recognized as a k8s audit event: %sstageTimestamp \"%.64s\" is not an RFC 3339 time",
			where, json_object_get_string(ts));
	return -1;
}

/* Checks one element (an Event or an EventList; at in a top-level array,
 * else -1); counts its events. */
static int check_one(json_object *j, long at, size_t *n, char *err, size_t errlen)
{
	json_object *items;
	size_t i, len;
	char where[64];

	if (is_object_of_kind(j, "Event")) {
		if (at < 0)
			where[0] = 0;
		else
			snprintf(where, sizeof(where), "[%ld]: ", at);
		if (check_time(j, where, err, errlen))
			return -1;
		(*n)++;
		return 0;
	}
	if (!is_object_of_kind(j, "EventList")) {
		snprintf(err, errlen, "Data not recognized as a k8s audit event");
		return -1;
	}
	if (!json_object_object_get_ex(j, "items", &items) || !items) {
		return 0; /* an empty list */
	}
	if (!json_object_is_type(items, json_type_array)) {
		snprintf(err, errlen,
			 "Data not recognized as a k8s audit event: items is not an array");
		return -1;
	}
	len = json_object_array_length(items);
	for (i = 0; i < len; i++) {
		json_object *it = json_object_array_get_idx(items, i);

		if (!json_object_is_type(it, json_type_object)) {
			snprintf(
				err, errlen,
				"Data not recognized as a k8s audit event: items[%zu] is not an object",
				i);
			return -1;
		}
		if (at < 0)
			snprintf(where, sizeof(where), "items[%zu]: ", i);
		else
			snprintf(where, sizeof(where), "[%ld].items[%zu]: ", at, i);
		if (check_time(it, where, err, errlen))
			return -1;
	}
	*n += len;
	return 0;
}

static void run_one(json_object *j, void (*fn)(void *, json_object *), void *data)
{
	json_object *items;
	size_t i;

	if (is_object_of_kind(j, "Event")) {
		fn(data, j);
		return;
	}
	if (!json_object_object_get_ex(j, "items", &items) || !items)
		return;
	for (i = 0; i < json_object_array_length(items); i++)
		fn(data, json_object_array_get_idx(items, i));
}

int websrv_audit_events(json_object *body, void (*fn)(void *data, json_object *ev), void *data,
			char *err, size_t errlen)
{
	size_t n = 0, i, len;

	if (json_object_is_type(body, json_type_array)) {
		len = json_object_array_length(body);
		for (i = 0; i < len; i++)
			if (check_one(json_object_array_get_idx(body, i), (long)i, &n, err, errlen))
				return -1;
		for (i = 0; i < len; i++)
			run_one(json_object_array_get_idx(body, i), fn, data);
		return (int)n;
	}
	if (check_one(body, -1, &n, err, errlen))
		return -1;
	run_one(body, fn, data);
	return (int)n;
}

static enum MHD_Result reply(struct websrv *w, struct MHD_Connection *c, unsigned code,
			     const char *type, const char *body, size_t len, bool close)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (close)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW,
					strcmp(type, "text/plain") ? "GET" : "POST");
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	pthread_mutex_lock(&w->lock);
	w->st.requests++;
	if (code < sizeof(w->st.by_code) / sizeof(w->st.by_code[0]))
		w->st.by_code[code]++;
	if (code == MHD_HTTP_BAD_REQUEST)
		w->st.bad_requests++;
	else if (code == HTTP_TOO_LARGE)
		w->st.too_large++;
	else if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
		w->st.bad_method++;
	else if (code == MHD_HTTP_NOT_FOUND)
		w->st.not_found++;
	pthread_mutex_unlock(&w->lock);
	return ret;
}

static enum MHD_Result reply_str(struct websrv *w, struct MHD_Connection *c, unsigned code,
				 const char *type, const char *body)
{
	return reply(w, c, code, type, body, strlen(body), false);
}

static enum MHD_Result audit_body(struct websrv *w, struct MHD_Connection *c, struct req *rq)
{
	struct json_tokener *tok;
	json_object *j;
	enum json_tokener_error e;
	char err[256], msg[400];
	int n;

	if (rq->too_large)
		return reply_str(w, c, HTTP_TOO_LARGE, "text/plain", "Request body too large\n");
	tok = json_tokener_new_ex(JSON_DEPTH);
	if (!tok)
		return MHD_NO;
	j = json_tokener_parse_ex(tok, rq->body ? rq->body : "", (int)rq->len);
	e = json_tokener_get_error(tok);
	/* Trailing bytes after the value are as bad as a broken value. */
	if (e == json_tokener_success && json_tokener_get_parse_end(tok) < rq->len) {
		size_t k;

		for (k = json_tokener_get_parse_end(tok); k < rq->len; k++)
			if (!strchr(" \t\r\n", rq->body[k])) {
				e = json_tokener_error_parse_unexpected;
				break;
			}
	}
	json_tokener_free(tok);
	if (!j || e != json_tokener_success) {
		snprintf(msg, sizeof(msg), "Bad Request: Could not parse data: %s\n",
			 e == json_tokener_continue || e == json_tokener_success
				 ? "unexpected end of input"
				 : json_tokener_error_desc(e));
		json_object_put(j);
		return reply_str(w, c, MHD_HTTP_BAD_REQUEST, "text/plain", msg);
	}
	n = websrv_audit_events(j, w->h.audit_event, w->h.data, err, sizeof(err));
	json_object_put(j);
	if (n < 0) {
		snprintf(msg, sizeof(msg), "Bad Request: %s\n", err);
		return reply_str(w, c, MHD_HTTP_BAD_REQUEST, "text/plain", msg);
	}
	pthread_mutex_lock(&w->lock);
	w->st.audit_events += (uint64_t)n;
	pthread_mutex_unlock(&w->lock);
	return reply_str(w, c, MHD_HTTP_OK, "text/html", OK_BODY);
}

static enum MHD_Result metrics(struct websrv *w, struct MHD_Connection *c)
{
	struct websrv_stats st;
	char *buf = NULL;
	size_t len = 0;
	unsigned code;
	enum MHD_Result ret;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return MHD_NO;
	if (w->h.metrics)
		w->h.metrics(w->h.data, f);
	websrv_get_stats(w, &st);
	/* The codes this server answers with, always; any other once seen. The
	 * answer to this request is not counted yet. Audit events are counted
	 * once, by the agent (shrike_events_total{source="k8s_audit"}). */
	fputs("# HELP shrike_http_requests_total HTTP requests answered, by status code.\n"
	      "# TYPE shrike_http_requests_total counter\n",
	      f);
	for (code = 100; code < sizeof(st.by_code) / sizeof(st.by_code[0]); code++)
		if (st.by_code[code] || code == MHD_HTTP_OK || code == MHD_HTTP_BAD_REQUEST ||
		    code == MHD_HTTP_NOT_FOUND || code == MHD_HTTP_METHOD_NOT_ALLOWED ||
		    code == HTTP_TOO_LARGE)
			fprintf(f, "shrike_http_requests_total{code=\"%u\"} %llu\n", code,
				(unsigned long long)st.by_code[code]);
	fprintf(f,
		"# HELP shrike_http_connections_refused_total Connections refused: their client "
		"address held %u already.\n",
		w->per_address);
	fprintf(f,
		"# TYPE shrike_http_connections_refused_total counter\n"
		"shrike_http_connections_refused_total %llu\n",
		(unsigned long long)st.refused_per_address);
	fclose(f);
	ret = reply(w, c, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", buf, len, false);
	free(buf);
	return ret;
}

static enum MHD_Result count_content_length(void *cls, enum MHD_ValueKind kind, const char *key,
					    const char *value)
{
	(void)kind;
	(void)value;
	if (!strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH))
		++*(unsigned *)cls;
	return MHD_YES;
}

/*
 * A request whose body could be framed two ways is refused before its body
 * is read (RFC 9112 6.1, 6.3): both Content-Length and Transfer-Encoding,
 * two Content-Lengths, or a transfer coding other than chunked (501).
 * libmicrohttpd would take one of the framings, or wait for a body it
 * cannot delimit; a proxy in front of the agent might take the other and
 * smuggle a request past it. The status to answer, or 0; why gets the body.
 */
static unsigned framing_error(struct MHD_Connection *c, const char **why)
{
	const char *te =
		MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
	unsigned ncl = 0;

	MHD_get_connection_values(c, MHD_HEADER_KIND, count_content_length, &ncl);
	if (te && ncl) {
		*why = "Bad Request: both Content-Length and Transfer-Encoding\n";
		return MHD_HTTP_BAD_REQUEST;
	}
	if (ncl > 1) {
		*why = "Bad Request: more than one Content-Length\n";
		return MHD_HTTP_BAD_REQUEST;
	}
	if (te && strcasecmp(te, "chunked")) {
		*why = "Not Implemented: Transfer-Encoding other than chunked\n";
		return MHD_HTTP_NOT_IMPLEMENTED;
	}
	return 0;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version, const char *upload,
			       size_t *upload_size, void **con_cls)
{
	struct websrv *w = cls;
	const struct config *cfg = w->cfg;
	struct req *rq = *con_cls;
	bool get = !strcmp(method, MHD_HTTP_METHOD_GET) || !strcmp(method, MHD_HTTP_METHOD_HEAD);
	const char *why;
	unsigned code;

	(void)version;
	/* The first call for a request (only audit POSTs get a second):
	 * headers read, body not yet. The connection closes after the
	 * answer, as after every refusal before the body. */
	if (!rq && (code = framing_error(c, &why)))
		return reply(w, c, code, "text/plain", why, strlen(why), true);
	if (!strcmp(url, cfg_str(cfg, CFG_WEB_K8S_AUDIT_ENDPOINT))) {
		if (!rq) {
			const char *ct, *cl;
			unsigned long long len;

			/* Refused before the body is read: the connection closes. */
			if (strcmp(method, MHD_HTTP_METHOD_POST))
				return reply_str(w, c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
						 "Method Not Allowed\n");
			ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							 MHD_HTTP_HEADER_CONTENT_TYPE);
			if (!ct || strncasecmp(ct, "application/json", 16))
				return reply_str(w, c, MHD_HTTP_BAD_REQUEST, "text/plain",
						 "Wrong Content Type\n");
			cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							 MHD_HTTP_HEADER_CONTENT_LENGTH);
			len = cl ? strtoull(cl, NULL, 10) : 0;
			if (len > w->max_body + DRAIN_MAX)
				return reply_str(w, c, HTTP_TOO_LARGE, "text/plain",
						 "Request body too large\n");
			rq = calloc(1, sizeof(*rq));
			if (!rq)
				return MHD_NO;
			rq->too_large = len > w->max_body;
			*con_cls = rq;
			pthread_mutex_lock(&w->lock);
			w->st.audit_requests++;
			pthread_mutex_unlock(&w->lock);
			return MHD_YES;
		}
		if (*upload_size) {
			size_t n = *upload_size;

			*upload_size = 0;
			if (rq->too_large || rq->len + n > w->max_body) {
				/* Over the limit: read and discarded, so the
				 * client reads the 413 (a connection closed
				 * on unread data is reset, answer and all). */
				rq->too_large = true;
				rq->discarded += n;
				if (rq->discarded > DRAIN_MAX)
					return reply_str(w, c, HTTP_TOO_LARGE, "text/plain",
							 "Request body too large\n");
				return MHD_YES;
			}
			if (rq->len + n + 1 > rq->cap) {
				size_t cap = rq->cap ? rq->cap : 16384;
				char *nb;

				while (cap < rq->len + n + 1)
					cap *= 2;
				nb = realloc(rq->body, cap);
				if (!nb)
					return MHD_NO;
				rq->body = nb;
				rq->cap = cap;
			}
			memcpy(rq->body + rq->len, upload, n);
			rq->len += n;
			rq->body[rq->len] = 0;
			return MHD_YES;
		}
		return audit_body(w, c, rq);
	}
	if (!strcmp(url, cfg_str(cfg, CFG_WEB_HEALTHZ_ENDPOINT)))
		return get ? reply_str(w, c, MHD_HTTP_OK, "application/json", HEALTHZ_BODY)
			   : reply_str(w, c, MHD_HTTP_METHOD_NOT_ALLOWED, "application/json",
				       "{\"error\": \"method not allowed\"}");
	if (!strcmp(url, cfg_str(cfg, CFG_WEB_METRICS_ENDPOINT)))
		return get ? metrics(w, c)
			   : reply_str(w, c, MHD_HTTP_METHOD_NOT_ALLOWED, "application/json",
				       "{\"error\": \"method not allowed\"}");
	return reply_str(w, c, MHD_HTTP_NOT_FOUND, "text/plain", "Not Found\n");
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct req *rq = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (rq) {
		free(rq->body);
		free(rq);
		*con_cls = NULL;
	}
}

/* The 16 bytes an address is kept as (IPv4 as v4-mapped IPv6). */
static bool peer_key(const struct sockaddr *sa, unsigned char key[16])
{
	memset(key, 0, 16);
	if (sa && sa->sa_family == AF_INET) {
		key[10] = key[11] = 0xff;
		memcpy(key + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return true;
	}
	if (sa && sa->sa_family == AF_INET6) {
		memcpy(key, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
		return true;
	}
	return false;
}

/* The address's entry; with add, a free one for it if it has none. */
static struct peer *peer_find(struct websrv *w, const unsigned char key[16], bool add)
{
	struct peer *free_slot = NULL;
	size_t i;

	for (i = 0; i < CONN_LIMIT; i++) {
		if (w->peers[i].n && !memcmp(w->peers[i].addr, key, 16))
			return &w->peers[i];
		if (!w->peers[i].n && !free_slot)
			free_slot = &w->peers[i];
	}
	if (add && free_slot)
		memcpy(free_slot->addr, key, 16);
	return add ? free_slot : NULL;
}

/* libmicrohttpd's accept policy: a client address holding
 * webserver.max_connections_per_address connections gets no more (counted). */
static enum MHD_Result accept_policy(void *cls, const struct sockaddr *sa, socklen_t len)
{
	struct websrv *w = cls;
	unsigned char key[16];
	struct peer *p;

	(void)len;
	if (!peer_key(sa, key))
		return MHD_YES;
	p = peer_find(w, key, false);
	if (!p || p->n < w->per_address)
		return MHD_YES;
	pthread_mutex_lock(&w->lock);
	w->st.refused_per_address++;
	pthread_mutex_unlock(&w->lock);
	return MHD_NO;
}

/* Connections opened and closed, for the per-address count. */
static void connection_event(void *cls, struct MHD_Connection *c, void **socket_context,
			     enum MHD_ConnectionNotificationCode code)
{
	struct websrv *w = cls;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	unsigned char key[16];
	struct peer *p;

	(void)socket_context;
	if (!ci || !peer_key(ci->client_addr, key))
		return;
	p = peer_find(w, key, code == MHD_CONNECTION_NOTIFY_STARTED);
	if (!p)
		return;
	if (code == MHD_CONNECTION_NOTIFY_STARTED)
		p->n++;
	else if (p->n)
		p->n--;
}

/* Falco's ssl_certificate: the key and the certificate in one PEM file. */
static char *read_pem(const char *path, char *err, size_t errlen)
{
	char *buf;
	size_t len;
	int r = file_read(path, PEM_FILE_MAX, &buf, &len);

	if (r) {
		snprintf(err, errlen, "webserver.ssl_certificate: cannot read %s: %s", path,
			 r == -EFBIG ? "over 1 MiB" : strerror(-r));
		return NULL;
	}
	if (!len || strlen(buf) != len) {
		snprintf(err, errlen, "webserver.ssl_certificate: %s is %s", path,
			 len ? "not PEM text (a NUL byte)" : "empty");
		free(buf);
		return NULL;
	}
	return buf;
}

/* libmicrohttpd's own messages (a client's broken request, a failed bind),
 * marked as the agent's like every other line it logs; at most
 * LOG_PER_SECOND a second, as a client can provoke one per request: the
 * next one logged says how many were left out. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	static time_t second;
	static unsigned in_second, left_out;
	time_t now = time(NULL);
	char msg[512];

	(void)cls;
	if (now != second) {
		second = now;
		in_second = 0;
	}
	if (++in_second > LOG_PER_SECOND) {
		left_out++;
		return;
	}
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = 0;
	if (left_out)
		alog(LOG_ERR, "webserver: %s (and %u more messages left out)", msg, left_out);
	else
		alog(LOG_ERR, "webserver: %s", msg);
	left_out = 0;
}

struct websrv *websrv_start(const struct config *cfg, const struct websrv_hooks *h, char *err,
			    size_t errlen)
{
	struct websrv *w = calloc(1, sizeof(*w));
	const char *addr = cfg_str(cfg, CFG_WEB_LISTEN_ADDRESS);
	uint16_t port = (uint16_t)cfg_int(cfg, CFG_WEB_LISTEN_PORT);
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	const struct sockaddr *sa;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;

	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->cfg = cfg;
	w->h = *h;
	w->max_body = (size_t)cfg_int(cfg, CFG_WEB_MAX_BODY_BYTES);
	w->per_address = (unsigned)cfg_int(cfg, CFG_WEB_MAX_CONN_PER_ADDRESS);
	pthread_mutex_init(&w->lock, NULL);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) == 1) {
		sa = (const struct sockaddr *)&sin;
	} else if (inet_pton(AF_INET6, addr, &sin6.sin6_addr) == 1) {
		sa = (const struct sockaddr *)&sin6;
		flags |= MHD_USE_IPv6;
	} else {
		snprintf(err, errlen, "webserver.listen_address: '%s' is not an IP address", addr);
		goto fail;
	}
	if (cfg_bool(cfg, CFG_WEB_SSL_ENABLED)) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			snprintf(err, errlen,
				 "webserver.ssl_enabled: libmicrohttpd has no TLS support");
			goto fail;
		}
		w->cert = read_pem(cfg_str(cfg, CFG_WEB_SSL_CERTIFICATE), err, errlen);
		if (!w->cert)
			goto fail;
		flags |= MHD_USE_TLS;
	}
	/* Without TLS the options end before the key and certificate (MHD
	 * reads them up to the first MHD_OPTION_END). Falco's ssl_certificate
	 * holds the key and the certificate: GnuTLS picks each from the same
	 * PEM. */
	w->d = MHD_start_daemon(
		flags, port, accept_policy, w, handler, w, MHD_OPTION_EXTERNAL_LOGGER, mhd_log,
		NULL, MHD_OPTION_SOCK_ADDR, sa, MHD_OPTION_NOTIFY_COMPLETED, completed, w,
		MHD_OPTION_NOTIFY_CONNECTION, connection_event, w, MHD_OPTION_CONNECTION_LIMIT,
		CONN_LIMIT, MHD_OPTION_CONNECTION_TIMEOUT, IDLE_TIMEOUT,
		w->cert ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, w->cert,
		MHD_OPTION_HTTPS_MEM_CERT, w->cert, MHD_OPTION_END);
	if (!w->d) {
		snprintf(err, errlen, "webserver: cannot listen on %s port %u%s", addr, port,
			 cfg_bool(cfg, CFG_WEB_SSL_ENABLED)
				 ? " (or the TLS key/certificate was refused)"
				 : " (in use?)");
		goto fail;
	}
	return w;
fail:
	pthread_mutex_destroy(&w->lock);
	free(w->cert);
	free(w);
	return NULL;
}

void websrv_stop(struct websrv *w)
{
	if (!w)
		return;
	MHD_stop_daemon(w->d);
	pthread_mutex_destroy(&w->lock);
	free(w->cert);
	free(w);
}

uint16_t websrv_port(struct websrv *w)
{
	const union MHD_DaemonInfo *i = MHD_get_daemon_info(w->d, MHD_DAEMON_INFO_BIND_PORT);

	return i ? i->port : 0;
}

void websrv_get_stats(struct websrv *w, struct websrv_stats *st)
{
	pthread_mutex_lock(&w->lock);
	*st = w->st;
	pthread_mutex_unlock(&w->lock);
}
