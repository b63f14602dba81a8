/* test_file.c - lib/file.c's file_read() on files this test writes: the
 * whole content with its NUL after it, an empty file, a file of exactly
 * the bound and one byte over it (-EFBIG, nothing returned), a missing
 * file and a directory (their errno), and content with NUL bytes kept. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "lib/file.h"

static char dir[] = "/tmp/shrike-file-XXXXXX";
static char path[64];

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
}

static void teardown(void)
{
	unlink(path);
	rmdir(dir);
	strcpy(dir, "/tmp/shrike-file-XXXXXX");
}

static void write_file(const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(p, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_file_whole)
{
	/* Over one read's 64 KiB, so the buffer grows. */
	size_t n = 200000, len = 1;
	char *want = malloc(n), *buf = NULL;

	for (size_t i = 0; i < n; i++)
		want[i] = (char)('a' + i % 26);
	want[1000] = 0;
	write_file(want, n);
	ck_assert_int_eq(file_read(path, n, &buf, &len), 0);
	ck_assert_uint_eq(len, n);
	ck_assert_int_eq(memcmp(buf, want, n), 0);
	ck_assert_int_eq(buf[n], 0);
	free(buf);
	/* One byte over the bound: nothing, not a partial file. */
	buf = (char *)1;
	ck_assert_int_eq(file_read(path, n - 1, &buf, &len), -EFBIG);
	ck_assert_ptr_null(buf);
	ck_assert_uint_eq(len, 0);
	free(want);
}
END_TEST

START_TEST(test_file_empty)
{
	char *buf = NULL;
	size_t len = 1;

	write_file("", 0);
	ck_assert_int_eq(file_read(path, 0, &buf, &len), 0);
	ck_assert_uint_eq(len, 0);
	ck_assert_str_eq(buf, "");
	free(buf);
}
END_TEST

START_TEST(test_file_errors)
{
	char *buf = (char *)1;
	size_t len = 1;

	ck_assert_int_eq(file_read(path, 100, &buf, &len), -ENOENT);
	ck_assert_ptr_null(buf);
	ck_assert_int_eq(file_read(dir, 100, &buf, &len), -EISDIR);
	ck_assert_ptr_null(buf);
	ck_assert_uint_eq(len, 0);
}
END_TEST

Suite *make_file_suite(void)
{
	Suite *s = suite_create("file");
	TCase *tc = tcase_create("file");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_file_whole);
	tcase_add_test(tc, test_file_empty);
	tcase_add_test(tc, test_file_errors);
	suite_add_tcase(s, tc);
	return s;
}
