/* yamldoc.h - a YAML file loaded (with libyaml) into a small tree whose nodes
 * keep their source position and scalar style, so that anything found wrong
 * later, down to one token inside a folded block scalar, can be reported at
 * its real line and column. */
#ifndef SHRIKE_LIB_YAMLDOC_H
#define SHRIKE_LIB_YAMLDOC_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"

enum ynode_kind {
	Y_SCALAR,
	Y_SEQ,
	Y_MAP,
};

enum yscalar_style {
	YS_PLAIN,
	YS_SINGLE,  /* 'single quoted' */
	YS_DOUBLE,  /* "double quoted" */
	YS_LITERAL, /* | block */
	YS_FOLDED,  /* > block */
};

struct ymark {
	int line;      /* 1-based */
	int col;       /* 1-based, in characters */
	size_t offset; /* bytes from the start of the file */
};

struct ydoc;

struct ynode {
	enum ynode_kind kind;
	enum yscalar_style style;
	struct ymark start, end;
	const struct ydoc *doc;
	bool tagged; /* has an explicit tag: never a null */
	/* Y_SCALAR */
	char *str; /* the value, NUL-terminated */
	size_t len;
	/* Y_SEQ: items[0..n); Y_MAP: n pairs, key items[2i], value items[2i+1].
	 * Aliases point at the anchored node: the tree may share nodes, the
	 * document owns them all. */
	struct ynode **items;
	size_t n;
	/* Lazily computed source offset of each byte of str (len + 1). */
	size_t *vmap;
};

struct ydoc {
	char *name; /* file name; src_loc.file of every node */
	char *buf;  /* the file's bytes, NUL-terminated */
	size_t len;
	size_t *lines; /* byte offset of each line start */
	size_t nlines;
	struct ynode **docs; /* the root of each YAML document (NULL: empty) */
	size_t ndocs;
	struct ynode **all; /* every node, for freeing */
	size_t nall, allcap;
};

/* Parses buf (copied). On a YAML syntax error, reports E-YAML at the error's
 * position and returns NULL. The buffer is registered with dl so that
 * diagnostics can quote it: the returned document must outlive any further
 * diag_add() on that file. */
struct ydoc *ydoc_load(const char *name, const char *buf, size_t len, struct diag_list *dl);
void ydoc_free(struct ydoc *d);

/* Position of a byte offset of the file. */
struct ymark ydoc_offset_mark(const struct ydoc *d, size_t offset);
/* Position in the file of byte `off` of a scalar's value (off == len: just
 * past the last byte), for every scalar style: quotes, escapes, folding,
 * block indentation are undone. */
struct ymark ynode_value_mark(const struct ynode *n, size_t off);
struct src_loc ynode_loc(const struct ynode *n);
struct src_loc ynode_value_loc(const struct ynode *n, size_t off);

/* Mapping lookup by key; NULL if not a mapping or no such key. */
const struct ynode *ymap_get(const struct ynode *map, const char *key);
/* YAML null: an untagged plain "", "~", "null", "Null", "NULL". */
bool ynode_is_null(const struct ynode *n);
const char *ynode_kind_str(const struct ynode *n);

#endif
