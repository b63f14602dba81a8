/* strbuf.h - a growable NUL-terminated string for building output, JSON and
 * rendered values. Allocation failure is sticky (oom) and checked once, at
 * sb_take(), so builders need no error path per append. */
#ifndef SHRIKE_LIB_STRBUF_H
#define SHRIKE_LIB_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *p;
	size_t len, cap;
	int oom;
};

void sb_put(struct strbuf *b, const char *s, size_t n);
void sb_str(struct strbuf *b, const char *s);
void sb_chr(struct strbuf *b, char c);
/* Room for n more bytes (and the NUL) without another allocation. */
void sb_reserve(struct strbuf *b, size_t n);
/* Decimal, as printf's %llu and %lld. */
void sb_u64(struct strbuf *b, unsigned long long v);
void sb_s64(struct strbuf *b, long long v);
/* The malloc'd string ("" if nothing was added), or NULL after a failed
 * allocation; the buffer is consumed either way. */
char *sb_take(struct strbuf *b);

#endif
