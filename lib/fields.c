/* fields.c - the compiler's field and event-type registry: the tables built
 * from the contract's X-macros, lookups by name (plain and with an argument
 * attached), and the listing printed by `shrikec fields`. */
#include "fields.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define FIELD_ROW_(id, name, type, where, source, argk, desc) \
	[SHRIKE_F_##id] = { name,                             \
			    SHRIKE_F_##id,                    \
			    SHRIKE_T_##type,                  \
			    SHRIKE_W_##where,                 \
			    SHRIKE_SRC_##source,              \
			    SHRIKE_ARGK_##argk,               \
			    desc },
static const struct field_info fields[] = { SHRIKE_FIELDS(FIELD_ROW_) };
#undef FIELD_ROW_

#define EVT_ROW_(id, name) [SHRIKE_EVT_##id] = name,
static const char *const evtypes[] = { SHRIKE_EVENTS(EVT_ROW_) };
#undef EVT_ROW_

_Static_assert(sizeof(fields) / sizeof(fields[0]) == __SHRIKE_F_MAX,
	       "field table out of step with enum shrike_field");
/* Field ids travel in __le16 with 0xffff reserved as "no argument". */
_Static_assert(__SHRIKE_F_MAX < SHRIKE_ARG_NONE, "too many fields for __le16");
_Static_assert(__SHRIKE_EVT_MAX <= SHRIKE_EVT_BITMAP_WORDS * 64,
	       "event types do not fit the rule's evtypes bitmap");

/* Name-sorted views of the two tables, built once, for binary search. */
static uint16_t field_order[__SHRIKE_F_MAX];
static uint16_t evt_order[__SHRIKE_EVT_MAX];
static pthread_once_t order_once = PTHREAD_ONCE_INIT;

/* Orders (name, len) against a NUL-terminated s exactly as strcmp orders two
 * strings, without reading past either end: name need not be terminated. */
static int cmp_name(const char *name, size_t len, const char *s)
{
	size_t sl = strlen(s);
	int c = memcmp(name, s, len < sl ? len : sl);

	if (c)
		return c;
	return (len > sl) - (len < sl);
}

static int cmp_field_idx(const void *a, const void *b)
{
	return strcmp(fields[*(const uint16_t *)a].name, fields[*(const uint16_t *)b].name);
}

static int cmp_evt_idx(const void *a, const void *b)
{
	return strcmp(evtypes[*(const uint16_t *)a], evtypes[*(const uint16_t *)b]);
}

static void build_order(void)
{
	size_t i;

	for (i = 0; i < __SHRIKE_F_MAX; i++)
		field_order[i] = (uint16_t)i;
	qsort(field_order, __SHRIKE_F_MAX, sizeof(field_order[0]), cmp_field_idx);
	for (i = 0; i < __SHRIKE_EVT_MAX; i++)
		evt_order[i] = (uint16_t)i;
	qsort(evt_order, __SHRIKE_EVT_MAX, sizeof(evt_order[0]), cmp_evt_idx);
}

static void ensure_order(void)
{
	pthread_once(&order_once, build_order);
}

const struct field_info *field_lookup(const char *name, size_t len)
{
	size_t lo = 0, hi = __SHRIKE_F_MAX;

	if (!name)
		return NULL;
	ensure_order();
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct field_info *f = &fields[field_order[mid]];
		int c = cmp_name(name, len, f->name);

		if (!c)
			return f;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct field_info *field_lookup_split(const char *token, size_t len, size_t *namelen)
{
	const struct field_info *f;
	const char *br;
	size_t head, i;

	if (!token)
		return NULL;
	br = memchr(token, '[', len);
	head = br ? (size_t)(br - token) : len;
	f = field_lookup(token, head);
	if (f) {
		if (namelen)
			*namelen = head;
		return f;
	}
	/* Only NAME fields take a dotted argument, and never with [..] after it. */
	if (br)
		return NULL;
	for (i = head; i-- > 0;) {
		if (token[i] != '.')
			continue;
		f = field_lookup(token, i);
		if (f && f->argkind == SHRIKE_ARGK_NAME) {
			if (namelen)
				*namelen = i;
			return f;
		}
	}
	return NULL;
}

const char *field_arg(const char *token, size_t namelen, size_t len, size_t *arglen)
{
	size_t n = 0;
	const char *a = NULL;

	if (token && namelen < len) {
		a = token + namelen + 1;
		n = len - namelen - 1;
		if (token[namelen] == '[' && n && token[len - 1] == ']')
			n--;
	}
	if (arglen)
		*arglen = n;
	return n ? a : NULL;
}

const struct field_info *field_lookup_token(const char *token, size_t len, const char **arg,
					    size_t *arglen)
{
	const struct field_info *fi;
	size_t namelen;

	fi = field_lookup_split(token, len, &namelen);
	if (!fi || field_arg_error(fi, token, namelen, len))
		return NULL;
	*arg = field_arg(token, namelen, len, arglen);
	return fi;
}

int field_arg_id_kind(const char *arg, size_t len)
{
	static const char *const ids[][2] = {
		{ "uid", "gid" },   { "euid", "egid" },	  { "ruid", "rgid" },
		{ "suid", "sgid" }, { "fsuid", "fsgid" },
	};
	size_t i;
	int k;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		for (k = 0; k < 2; k++)
			if (strlen(ids[i][k]) == len && !memcmp(ids[i][k], arg, len))
				return !k;
	return -1;
}

bool field_arg_required(const struct field_info *f)
{
	return f->argkind == SHRIKE_ARGK_NAME || f->argkind == SHRIKE_ARGK_KEY;
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

static bool all_ident(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!(s[i] == '_' || (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z')))
			return false;
	return n > 0;
}

const char *field_arg_error(const struct field_info *f, const char *token, size_t namelen,
			    size_t len)
{
	const char *arg;
	size_t n;

	if (namelen > len)
		return "malformed field";
	if (namelen == len)
		return field_arg_required(f) ? "field requires an argument" : NULL;
	if (f->argkind == SHRIKE_ARGK_NONE)
		return "field takes no argument";
	arg = field_arg(token, namelen, len, &n);
	if (token[namelen] == '.') {
		if (f->argkind != SHRIKE_ARGK_NAME)
			return "field argument must be written in brackets";
		if (!all_ident(arg, n))
			return "argument name must be letters, digits or '_'";
		return NULL;
	}
	if (token[namelen] != '[' || token[len - 1] != ']' || len - namelen < 2)
		return "malformed field argument, expected [..]";
	if (!n)
		return "empty field argument";
	switch (f->argkind) {
	case SHRIKE_ARGK_INDEX:
	case SHRIKE_ARGK_NAME: return all_digits(arg, n) ? NULL : "field argument must be a number";
	default: return NULL;
	}
}

size_t fields_count(void)
{
	return __SHRIKE_F_MAX;
}

const struct field_info *field_at(size_t i)
{
	return i < __SHRIKE_F_MAX ? &fields[i] : NULL;
}

int evtype_lookup(const char *name, size_t len)
{
	size_t lo = 0, hi = __SHRIKE_EVT_MAX;

	if (!name)
		return -1;
	ensure_order();
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_name(name, len, evtypes[evt_order[mid]]);

		if (!c)
			return evt_order[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

const char *evtype_name(int id)
{
	return id >= 0 && id < __SHRIKE_EVT_MAX ? evtypes[id] : NULL;
}

size_t evtypes_count(void)
{
	return __SHRIKE_EVT_MAX;
}

const char *field_type_name(unsigned int type)
{
	static const char *const names[__SHRIKE_T_MAX] = {
		[SHRIKE_T_U64] = "uint64",    [SHRIKE_T_S64] = "int64",
		[SHRIKE_T_STR] = "string",    [SHRIKE_T_BOOL] = "bool",
		[SHRIKE_T_IPADDR] = "ipaddr", [SHRIKE_T_IPNET] = "ipnet",
		[SHRIKE_T_STRLIST] = "list",
	};

	return type < __SHRIKE_T_MAX && names[type] ? names[type] : "?";
}

const char *field_where_name(unsigned int where)
{
	switch (where) {
	case SHRIKE_W_KERNEL: return "kernel";
	case SHRIKE_W_AGENT: return "agent";
	}
	return "?";
}

/* Falco's names for the sources, as written in a rule's source: key. */
const char *field_source_name(unsigned int source)
{
	switch (source) {
	case SHRIKE_SRC_SYSCALL: return "syscall";
	case SHRIKE_SRC_K8S_AUDIT: return "k8s_audit";
	}
	return "?";
}

const char *field_argkind_syntax(unsigned int argkind)
{
	switch (argkind) {
	case SHRIKE_ARGK_NONE: return "";
	case SHRIKE_ARGK_INDEX: return "[N]";
	case SHRIKE_ARGK_NAME: return ".NAME";
	case SHRIKE_ARGK_KEY: return "[KEY]";
	case SHRIKE_ARGK_KEY_OPT: return "[KEY]";
	}
	return "?";
}

static const char *argkind_json(unsigned int argkind)
{
	switch (argkind) {
	case SHRIKE_ARGK_INDEX: return "index";
	case SHRIKE_ARGK_NAME: return "name";
	case SHRIKE_ARGK_KEY: return "key";
	case SHRIKE_ARGK_KEY_OPT: return "optional key";
	}
	return "none";
}

/* Field classes in the order `falco --list` shows them, with its wording. A
 * class missing here is still printed, after these, in registry order. */
static const struct {
	const char *name;
	const char *desc;
} classes[] = {
	{ "evt",
	  "Event fields applicable to syscall events. The arguments of each syscall are accessed via evt.arg, e.g. evt.arg.filename." },
	{ "syscall", "The system call behind a syscall event." },
	{ "proc", "Additional information about the process executing the syscall event." },
	{ "thread", "Additional information about the thread executing the syscall event." },
	{ "user", "Information about the user executing the specific event." },
	{ "group", "Information about the user group." },
	{ "fd",
	  "Every syscall that has a file descriptor in its arguments has these fields set with information related to the file." },
	{ "fs",
	  "Every syscall that has a filesystem path in its arguments has these fields set with information related to the path arguments." },
	{ "container",
	  "Container information. If the event is not happening inside a container, both id and name will be set to 'host'." },
	{ "k8s", "Kubernetes related context, from the container runtime and the API server." },
	{ "ka", "Access K8s Audit Log Events." },
	{ "jevt", "Generic ways to access json events (k8s_audit in Falco 0.31)." },
};

static size_t class_len(const char *name)
{
	const char *dot = strchr(name, '.');

	return dot ? (size_t)(dot - name) : strlen(name);
}

/* fields_print_source()'s source: SHRIKE_SRC_*, or -1 for every field. */
static int only_source = -1;

static bool shown(const struct field_info *f)
{
	return only_source < 0 || f->source == only_source;
}

static bool in_class(const struct field_info *f, const char *cls, size_t n)
{
	return shown(f) && class_len(f->name) == n && !memcmp(f->name, cls, n);
}

static bool class_known(const char *cls, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strlen(classes[i].name) == n && !memcmp(classes[i].name, cls, n))
			return true;
	return false;
}

static int class_width(const char *cls, size_t n)
{
	int width = 0;
	size_t i;

	for (i = 0; i < __SHRIKE_F_MAX; i++) {
		const struct field_info *f = &fields[i];
		int w = (int)(strlen(f->name) + strlen(field_argkind_syntax(f->argkind)));

		if (in_class(f, cls, n) && w > width)
			width = w;
	}
	return width;
}

static void print_class(FILE *out, const char *cls, size_t n, const char *desc)
{
	int width = class_width(cls, n);
	size_t i;

	if (!width)
		return; /* no field of the source asked for */
	fprintf(out, "-------------------------------\n");
	fprintf(out, "Field Class: %.*s\n", (int)n, cls);
	if (desc)
		fprintf(out, "%s\n", desc);
	fprintf(out, "\n%-*s %-7s %-6s %-9s %s\n", width, "NAME", "TYPE", "WHERE", "SOURCE",
		"DESCRIPTION");
	for (i = 0; i < __SHRIKE_F_MAX; i++) {
		const struct field_info *f = &fields[i];
		const char *syn = field_argkind_syntax(f->argkind);
		int w = (int)(strlen(f->name) + strlen(syn));

		if (!in_class(f, cls, n))
			continue;
		fprintf(out, "%s%s%*s %-7s %-6s %-9s %s\n", f->name, syn, width - w, "",
			field_type_name(f->type), field_where_name(f->where),
			field_source_name(f->source), f->desc);
	}
	fputc('\n', out);
}

static void print_table(FILE *out)
{
	size_t i, j;

	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		print_class(out, classes[i].name, strlen(classes[i].name), classes[i].desc);
	for (i = 0; i < __SHRIKE_F_MAX; i++) {
		const char *name = fields[i].name;
		size_t n = class_len(name);
		bool seen = class_known(name, n);

		for (j = 0; j < i && !seen; j++)
			seen = in_class(&fields[j], name, n);
		if (!seen)
			print_class(out, name, n, NULL);
	}
}

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void print_json(FILE *out)
{
	size_t i;

	size_t last = 0;

	for (i = 0; i < __SHRIKE_F_MAX; i++)
		if (shown(&fields[i]))
			last = i;
	fputs("[\n", out);
	for (i = 0; i < __SHRIKE_F_MAX; i++) {
		const struct field_info *f = &fields[i];

		if (!shown(f))
			continue;
		fputs("  {\"name\": ", out);
		json_str(out, f->name);
		fprintf(out,
			", \"id\": %u, \"class\": \"%.*s\", \"type\": \"%s\", "
			"\"where\": \"%s\", \"source\": \"%s\", \"arg\": \"%s\", "
			"\"desc\": ",
			f->id, (int)class_len(f->name), f->name, field_type_name(f->type),
			field_where_name(f->where), field_source_name(f->source),
			argkind_json(f->argkind));
		json_str(out, f->desc);
		fputs(i < last ? "},\n" : "}\n", out);
	}
	fputs("]\n", out);
}

void fields_print(FILE *out, bool json)
{
	fields_print_source(out, json, false, -1);
}

void fields_print_source(FILE *out, bool json, bool names_only, int source)
{
	size_t i;

	only_source = source;
	if (names_only) {
		for (i = 0; i < __SHRIKE_F_MAX; i++)
			if (shown(&fields[i]))
				fprintf(out, "%s\n", fields[i].name);
	} else if (json) {
		print_json(out);
	} else {
		print_table(out);
	}
	only_source = -1;
}
