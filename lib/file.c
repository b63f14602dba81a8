/* file.c - reads a whole file into memory (file.h). */
#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int file_read(const char *path, size_t max, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL, *np;
	size_t n = 0, cap = 0, r;
	int ret = 0;

	*buf = NULL;
	*len = 0;
	if (!f)
		return -errno;
	for (;;) {
		if (n == cap) {
			/* Room for one byte over max, to tell "too large". */
			if (cap > max) {
				ret = -EFBIG;
				break;
			}
			cap = cap ? cap * 2 : 65536;
			if (cap > max + 1)
				cap = max + 1;
			np = realloc(p, cap + 1);
			if (!np) {
				ret = -ENOMEM;
				break;
			}
			p = np;
		}
		r = fread(p + n, 1, cap - n, f);
		n += r;
		if (!r)
			break;
	}
	if (!ret && ferror(f))
		ret = errno ? -errno : -EIO;
	if (!ret && n > max)
		ret = -EFBIG;
	fclose(f);
	if (ret) {
		free(p);
		return ret;
	}
	if (!p && !(p = malloc(1)))
		return -ENOMEM;
	p[n] = 0;
	*buf = p;
	*len = n;
	return 0;
}
