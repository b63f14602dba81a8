/* strbuf.c - see strbuf.h. */
#include "strbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void sb_reserve(struct strbuf *b, size_t n)
{
	if (b->oom || b->cap - b->len >= n + 1)
		return;
	sb_put(b, "", 0); /* at least the first allocation */
	if (!b->oom && b->cap - b->len < n + 1) {
		char *np = realloc(b->p, b->len + n + 1);

		if (!np) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = b->len + n + 1;
	}
}

void sb_put(struct strbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->cap - b->len < n + 1) {
		size_t cap = b->cap ? b->cap : 128;
		char *np;

		while (cap - b->len < n + 1) {
			if (cap > SIZE_MAX / 2) {
				b->oom = 1;
				return;
			}
			cap *= 2;
		}
		np = realloc(b->p, cap);
		if (!np) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

void sb_str(struct strbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

void sb_chr(struct strbuf *b, char c)
{
	sb_put(b, &c, 1);
}

void sb_u64(struct strbuf *b, unsigned long long v)
{
	char d[24], *p = d + sizeof(d);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sb_put(b, p, (size_t)(d + sizeof(d) - p));
}

void sb_s64(struct strbuf *b, long long v)
{
	if (v < 0) {
		sb_put(b, "-", 1);
		sb_u64(b, 0ull - (unsigned long long)v);
	} else {
		sb_u64(b, (unsigned long long)v);
	}
}

char *sb_take(struct strbuf *b)
{
	char *p = b->p;

	if (b->oom) {
		free(p);
		p = NULL;
	} else if (!p) {
		p = strdup("");
	}
	memset(b, 0, sizeof(*b));
	return p;
}
