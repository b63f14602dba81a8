/* evtext.c - the event model's rendering of values as text (see evtext.h):
 * Falco's time strings, values as libsinsp prints them, and the lookup an
 * output makes, which shows host names for fd.sip.name and its kin. */
#include "evtext.h"
#include "strbuf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fields.h"
#include "dns.h"

/* ---- time strings ------------------------------------------------------------ */

/*
 * localtime_r of sec, remembered for the last second asked (per thread):
 * alerts come many to a second. localtime_r reads the time zone once, so
 * the same second always breaks down the same way (a tzset() that changes
 * it would be seen from the next second on).
 */
static bool local_tm(time_t sec, struct tm *tm)
{
	static __thread time_t last_sec;
	static __thread struct tm last_tm;
	static __thread bool have;

	if (have && sec == last_sec) {
		*tm = last_tm;
		return true;
	}
	if (!localtime_r(&sec, tm))
		return false;
	last_sec = sec;
	last_tm = *tm;
	have = true;
	return true;
}

/* v in exactly width decimal digits (v < 10^width), as %0*u. */
static char *put_digits(char *p, unsigned v, int width)
{
	int i;

	for (i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

/* "YYYY-MM-DD" and sep (with date), then "HH:MM:SS"; tm_year in 0..9999. */
static char *put_date_time(char *p, const struct tm *tm, bool date, char sep)
{
	if (date) {
		p = put_digits(p, (unsigned)(tm->tm_year + 1900), 4);
		*p++ = '-';
		p = put_digits(p, (unsigned)(tm->tm_mon + 1), 2);
		*p++ = '-';
		p = put_digits(p, (unsigned)tm->tm_mday, 2);
		*p++ = sep;
	}
	p = put_digits(p, (unsigned)tm->tm_hour, 2);
	*p++ = ':';
	p = put_digits(p, (unsigned)tm->tm_min, 2);
	*p++ = ':';
	return put_digits(p, (unsigned)tm->tm_sec, 2);
}

static bool year_fits(const struct tm *tm)
{
	return tm->tm_year >= -1900 && tm->tm_year <= 9999 - 1900;
}

void uevent_fmt_time(u64 ts, bool date, bool ns, char *buf, size_t len)
{
	time_t sec = (time_t)(ts / 1000000000ull);
	unsigned nsec = (unsigned)(ts % 1000000000ull);
	struct tm tm;
	int n = 0;

	if (!local_tm(sec, &tm)) {
		snprintf(buf, len, "<date error>");
		return;
	}
	/* What the snprintf()s below print, without their cost (an alert's
	 * time is formatted at least once). */
	if (len >= 40 && year_fits(&tm)) {
		char *p = put_date_time(buf, &tm, date, ' ');

		if (ns) {
			*p++ = '.';
			p = put_digits(p, nsec, 9);
		}
		*p = 0;
		return;
	}
	if (date)
		n = snprintf(buf, len, "%04d-%02d-%02d ", tm.tm_year + 1900, tm.tm_mon + 1,
			     tm.tm_mday);
	if (n < 0 || (size_t)n >= len)
		return;
	if (ns)
		snprintf(buf + n, len - n, "%02d:%02d:%02d.%09u", tm.tm_hour, tm.tm_min, tm.tm_sec,
			 nsec);
	else
		snprintf(buf + n, len - n, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void uevent_fmt_rfc3339(u64 ts, char *buf, size_t len)
{
	time_t sec = (time_t)(ts / 1000000000ull);
	unsigned ns = (unsigned)(ts % 1000000000ull);
	struct tm tm;
	char *p;

	if (!gmtime_r(&sec, &tm)) {
		snprintf(buf, len, "1970-01-01T00:00:00.000000000Z");
		return;
	}
	if (len < 40 || !year_fits(&tm)) {
		snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09uZ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ns);
		return;
	}
	p = put_date_time(buf, &tm, true, 'T');
	*p++ = '.';
	p = put_digits(p, ns, 9);
	*p++ = 'Z';
	*p = 0;
}

void uevent_fmt_iso8601(u64 ts, char *buf, size_t len)
{
	time_t sec = (time_t)(ts / 1000000000ull);
	struct tm tm;

	if (!gmtime_r(&sec, &tm)) {
		snprintf(buf, len, "<date error>");
		return;
	}
	/* libsinsp prints gmtime's %z: always +0000. */
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09u+0000", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (unsigned)(ts % 1000000000ull));
}

int uevent_lookup_shown(struct uevent *ev, u16 field, const char *arg, size_t arglen,
			struct shrike_val *out)
{
	int rc = uevent_lookup(ev, field, arg, arglen, out);
	char *name;

	if (rc != SHRIKE_FETCH_OK || shrike_fields[field].type != SHRIKE_T_STR ||
	    out->type != SHRIKE_T_IPADDR)
		return rc;
	name = dns_name_of(out);
	if (!name)
		return SHRIKE_FETCH_MISSING;
	rc = uevent_copy_str(ev, name, out);
	free(name);
	return rc;
}

/* ---- rendering ------------------------------------------------------------------ */

static void render_ip(const struct shrike_val *v, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(v->family == 4 ? AF_INET : AF_INET6, v->ip, a, sizeof(a)))
		snprintf(a, sizeof(a), "<NA>");
	if (v->type == SHRIKE_T_IPNET)
		snprintf(buf, len, "%s/%u", a, v->prefix);
	else
		snprintf(buf, len, "%s", a);
}

void uevent_render_into(struct strbuf *b, u8 ftype, const struct shrike_val *v)
{
	char num[64];
	u32 i;

	switch (v->type) {
	case SHRIKE_T_STR: sb_put(b, v->str.ptr, v->str.len); break;
	case SHRIKE_T_U64: sb_u64(b, v->u); break;
	case SHRIKE_T_S64: sb_s64(b, v->s); break;
	case SHRIKE_T_BOOL: sb_put(b, v->u ? "true" : "false", v->u ? 4 : 5); break;
	case SHRIKE_T_IPADDR:
	case SHRIKE_T_IPNET:
		render_ip(v, num, sizeof(num));
		sb_put(b, num, strlen(num));
		break;
	case SHRIKE_T_STRLIST:
		/* libsinsp prints a list field as "(a,b)"; a single-valued
		 * field given several values (any ancestor) shows its first. */
		if (ftype != SHRIKE_T_STRLIST) {
			if (v->list.n)
				sb_put(b, v->list.items[0].ptr, v->list.items[0].len);
			break;
		}
		sb_put(b, "(", 1);
		for (i = 0; i < v->list.n; i++) {
			if (i)
				sb_put(b, ",", 1);
			sb_put(b, v->list.items[i].ptr, v->list.items[i].len);
		}
		sb_put(b, ")", 1);
		break;
	}
}

char *uevent_render(u8 ftype, const struct shrike_val *v)
{
	struct strbuf b = { 0 };

	uevent_render_into(&b, ftype, v);
	return sb_take(&b);
}

int uevent_get_str(struct uevent_ctx *ctx, const char *token, size_t len, char *buf, size_t buflen)
{
	const struct field_info *fi;
	const char *arg;
	struct shrike_val v;
	size_t arglen, n;
	char *s;

	if (!ctx || !ctx->ev || !token)
		return -EINVAL;
	fi = field_lookup_token(token, len, &arg, &arglen);
	if (!fi)
		return -EINVAL;
	if (uevent_lookup_shown(ctx->ev, fi->id, arg, arglen, &v) != SHRIKE_FETCH_OK)
		return 0;
	s = uevent_render(fi->type, &v);
	if (!s)
		return -ENOMEM;
	n = strlen(s);
	if (buflen) {
		size_t c = n < buflen - 1 ? n : buflen - 1;

		memcpy(buf, s, c);
		buf[c] = 0;
	}
	free(s);
	return n + 1 > INT32_MAX ? INT32_MAX : (int)(n + 1);
}
