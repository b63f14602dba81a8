/* test_webserver.c - the agent's webserver (audit webhook, /healthz,
 * /metrics), spoken to over loopback with libcurl as a real client. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <curl/curl.h>
#include <json-c/json.h>

#include "agent/config.h"
#include "agent/webserver.h"

/* ---- the webserver, with libcurl as the client -------------------------------------- */

struct seen {
	pthread_mutex_t lock;
	int events;
	char verbs[1024];
};

static void seen_event(void *data, json_object *ev)
{
	struct seen *s = data;
	json_object *v;

	pthread_mutex_lock(&s->lock);
	s->events++;
	if (json_object_object_get_ex(ev, "verb", &v) &&
	    strlen(s->verbs) + strlen(json_object_get_string(v)) + 2 < sizeof(s->verbs)) {
		strcat(s->verbs, json_object_get_string(v));
		strcat(s->verbs, ",");
	}
	pthread_mutex_unlock(&s->lock);
}

static void seen_metrics(void *data, FILE *f)
{
	(void)data;
	fputs("shrike_test_metric 42\n", f);
}

static size_t collect(char *p, size_t size, size_t n, void *data)
{
	char *buf = data;
	size_t have = strlen(buf), add = size * n;

	if (have + add >= 65536)
		add = 65535 - have;
	memcpy(buf + have, p, add);
	buf[have + add] = 0;
	return size * n;
}

/* One request: the status code, the body in resp. */
static long request(uint16_t port, const char *method, const char *path, const char *ctype,
		    const char *body, long len, char *resp)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	char url[256], hdr[200];
	long code = 0;
	CURLcode rc;

	resp[0] = 0;
	snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", port, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	if (ctype) {
		snprintf(hdr, sizeof(hdr), "Content-Type: %s", ctype);
		h = curl_slist_append(h, hdr);
	}
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, len);
	}
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return rc == CURLE_OK ? code : -(long)rc;
}

static struct websrv *start_web(struct config *c, struct seen *s, const char *extra)
{
	struct websrv_hooks h = { seen_event, seen_metrics, s };
	char err[256];
	struct websrv *w;

	config_init(c);
	ck_assert_int_eq(config_set(c, "webserver.listen_address=127.0.0.1", NULL), 0);
	ck_assert_int_eq(config_set(c, "webserver.listen_port=0", NULL), 0);
	if (extra)
		ck_assert_int_eq(config_set(c, extra, NULL), 0);
	w = websrv_start(c, &h, err, sizeof(err));
	ck_assert_msg(w != NULL, "%s", err);
	return w;
}

#define EVENT(verb)                                                                     \
	"{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"verb\":\"" verb "\"," \
	"\"stageTimestamp\":\"2024-01-02T03:04:05.000000Z\"}"

START_TEST(test_web_endpoints)
{
	static char resp[65536];
	struct seen s = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct config c;
	struct websrv *w = start_web(&c, &s, NULL);
	struct websrv_stats st;
	uint16_t port = websrv_port(w);
	const char *list =
		"{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":[" EVENT(
			"get") "," EVENT("list") "]}";
	const char *arr =
		"[" EVENT("watch") ","
				   "{\"kind\":\"EventList\",\"items\":[" EVENT("patch") "]}]";

	ck_assert_uint_ne(port, 0);
#define POST(body) \
	request(port, "POST", "/k8s-audit", "application/json", body, (long)strlen(body), resp)
	ck_assert_int_eq(POST(EVENT("create")), 200);
	ck_assert_str_eq(resp, "<html><body>Ok</body></html>");
	ck_assert_int_eq(POST(list), 200);
	ck_assert_int_eq(POST(arr), 200);
	ck_assert_int_eq(request(port, "POST", "/k8s-audit", "application/json; charset=utf-8",
				 EVENT("delete"), (long)strlen(EVENT("delete")), resp),
			 200);
	ck_assert_str_eq(s.verbs, "create,get,list,watch,patch,delete,");
	/* Bad bodies: 400 with the reason, nothing evaluated. */
	ck_assert_int_eq(POST("{\"kind\":\"Event\""), 400);
	ck_assert_str_eq(resp, "Bad Request: Could not parse data: unexpected end of input\n");
	ck_assert_int_eq(POST("{\"kind\":\"Event\"} x"), 400);
	ck_assert_int_eq(POST(""), 400);
	ck_assert_int_eq(POST("null"), 400);
	ck_assert_int_eq(POST("{\"kind\":\"Pod\"}"), 400);
	ck_assert_str_eq(resp, "Bad Request: Data not recognized as a k8s audit event\n");
	ck_assert_int_eq(POST("{\"kind\":\"EventList\",\"items\":[1]}"), 400);
	ck_assert_int_eq(POST("[" EVENT("x") ",{\"kind\":3}]"), 400);
	ck_assert_int_eq(POST("\"\\ud800\""), 400);
	{
		/* Nesting deeper than the parser takes. */
		char deep[4096];
		int i;

		for (i = 0; i < 1000; i++)
			deep[i] = '[';
		deep[i] = 0;
		ck_assert_int_eq(POST(deep), 400);
	}
	ck_assert_int_eq(request(port, "POST", "/k8s-audit", "text/plain", EVENT("x"),
				 (long)strlen(EVENT("x")), resp),
			 400);
	ck_assert_str_eq(resp, "Wrong Content Type\n");
	ck_assert_int_eq(request(port, "POST", "/k8s-audit", NULL, EVENT("x"),
				 (long)strlen(EVENT("x")), resp),
			 400);
	ck_assert_int_eq(request(port, "GET", "/k8s-audit", NULL, NULL, 0, resp), 405);
	ck_assert_int_eq(request(port, "PUT", "/k8s-audit", "application/json", EVENT("x"),
				 (long)strlen(EVENT("x")), resp),
			 405);
	ck_assert_str_eq(s.verbs, "create,get,list,watch,patch,delete,");
	/* The other endpoints. */
	ck_assert_int_eq(request(port, "GET", "/healthz", NULL, NULL, 0, resp), 200);
	ck_assert_str_eq(resp, "{\"status\": \"ok\"}");
	ck_assert_int_eq(request(port, "POST", "/healthz", "application/json", "{}", 2, resp), 405);
	ck_assert_int_eq(request(port, "GET", "/nope", NULL, NULL, 0, resp), 404);
	ck_assert_int_eq(request(port, "GET", "/metrics", NULL, NULL, 0, resp), 200);
	ck_assert_ptr_nonnull(strstr(resp, "shrike_test_metric 42\n"));
	ck_assert_ptr_null(strstr(resp, "shrike_k8s_audit_events_total"));
	ck_assert_ptr_nonnull(strstr(resp, "shrike_http_requests_total{code=\"400\"} 11\n"));
	websrv_get_stats(w, &st);
	ck_assert_uint_eq(st.audit_events, 6);
	ck_assert_uint_eq(st.bad_method, 3);
	websrv_stop(w);
	config_free(&c);
#undef POST
}
END_TEST

START_TEST(test_web_body_limit)
{
	static char resp[65536];
	struct seen s = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct config c;
	struct websrv *w = start_web(&c, &s, "webserver.max_body_bytes=4096");
	uint16_t port = websrv_port(w);
	size_t big = 100000;
	char *body = malloc(big + 1);
	CURL *cu;
	struct curl_slist *h = NULL;
	char url[128];
	long code = 0;

	memset(body, ' ', big);
	memcpy(body, EVENT("get"), strlen(EVENT("get")));
	body[big] = 0;
	/* With a Content-Length over the limit: read, dropped, refused (the
	 * client sends it all, so an early close would reset the answer). */
	ck_assert_int_eq(
		request(port, "POST", "/k8s-audit", "application/json", body, (long)big, resp),
		413);
	/* Chunked, no length known up front: read, discarded, refused. */
	cu = curl_easy_init();
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/k8s-audit", port);
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Transfer-Encoding: chunked");
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(cu, CURLOPT_URL, url);
	curl_easy_setopt(cu, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(cu, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(cu, CURLOPT_WRITEDATA, resp);
	resp[0] = 0;
	ck_assert_int_eq(curl_easy_perform(cu), CURLE_OK);
	curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &code);
	ck_assert_int_eq(code, 413);
	curl_slist_free_all(h);
	curl_easy_cleanup(cu);
	/* Under the limit still works after. */
	ck_assert_int_eq(request(port, "POST", "/k8s-audit", "application/json", EVENT("get"),
				 (long)strlen(EVENT("get")), resp),
			 200);
	ck_assert_int_eq(s.events, 1);
	free(body);
	websrv_stop(w);
	config_free(&c);
}
END_TEST

struct client_arg {
	uint16_t port;
	int ok;
};

static void *client(void *p)
{
	struct client_arg *a = p;
	char *resp = malloc(65536);
	int i;

	for (i = 0; i < 20; i++)
		a->ok += request(a->port, "POST", "/k8s-audit", "application/json", EVENT("get"),
				 (long)strlen(EVENT("get")), resp) == 200;
	free(resp);
	return NULL;
}

START_TEST(test_web_concurrent)
{
	struct seen s = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct config c;
	struct websrv *w = start_web(&c, &s, NULL);
	struct client_arg a[16];
	pthread_t t[16];
	int i, ok = 0;

	for (i = 0; i < 16; i++) {
		a[i] = (struct client_arg){ websrv_port(w), 0 };
		ck_assert_int_eq(pthread_create(&t[i], NULL, client, &a[i]), 0);
	}
	for (i = 0; i < 16; i++) {
		pthread_join(t[i], NULL);
		ok += a[i].ok;
	}
	ck_assert_int_eq(ok, 320);
	ck_assert_int_eq(s.events, 320);
	websrv_stop(w);
	config_free(&c);
}
END_TEST

START_TEST(test_web_start_errors)
{
	struct seen s = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct websrv_hooks h = { seen_event, NULL, &s };
	struct config c, c2;
	struct websrv *w = start_web(&c, &s, NULL), *w2;
	char kv[64], err[256];

	/* The port is taken. */
	config_init(&c2);
	snprintf(kv, sizeof(kv), "webserver.listen_port=%u", websrv_port(w));
	ck_assert_int_eq(config_set(&c2, kv, NULL), 0);
	ck_assert_int_eq(config_set(&c2, "webserver.listen_address=127.0.0.1", NULL), 0);
	w2 = websrv_start(&c2, &h, err, sizeof(err));
	ck_assert_ptr_null(w2);
	ck_assert_ptr_nonnull(strstr(err, "cannot listen on 127.0.0.1"));
	ck_assert_int_eq(config_set(&c2, "webserver.listen_address=nowhere", NULL), 0);
	ck_assert_ptr_null(websrv_start(&c2, &h, err, sizeof(err)));
	ck_assert_str_eq(err, "webserver.listen_address: 'nowhere' is not an IP address");
	ck_assert_int_eq(config_set(&c2, "webserver.listen_address=127.0.0.1", NULL), 0);
	ck_assert_int_eq(config_set(&c2, "webserver.ssl_enabled=true", NULL), 0);
	ck_assert_int_eq(config_set(&c2, "webserver.ssl_certificate=/no/such.pem", NULL), 0);
	ck_assert_ptr_null(websrv_start(&c2, &h, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(
		err,
		"webserver.ssl_certificate: cannot read /no/such.pem: No such file or directory"));
	config_free(&c2);
	websrv_stop(w);
	config_free(&c);
}
END_TEST

Suite *make_webserver_suite(void)
{
	Suite *s = suite_create("webserver");
	TCase *tc = tcase_create("webserver");

	curl_global_init(CURL_GLOBAL_DEFAULT);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_web_endpoints);
	tcase_add_test(tc, test_web_body_limit);
	tcase_add_test(tc, test_web_concurrent);
	tcase_add_test(tc, test_web_start_errors);
	suite_add_tcase(s, tc);
	return s;
}
