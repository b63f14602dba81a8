/* file.h - reads a whole file into memory: the rules, tables, configs,
 * case files and certificates the programs take by path. */
#ifndef SHRIKE_LIB_FILE_H
#define SHRIKE_LIB_FILE_H

#include <stddef.h>

/*
 * Reads all of path into a malloc'd buffer with a NUL after its len bytes.
 * Returns 0, or a negative errno with *buf NULL: the open's or the read's,
 * -ENOMEM, or -EFBIG when the file holds more than max bytes. Never a
 * partial file.
 */
int file_read(const char *path, size_t max, char **buf, size_t *len);

#endif
