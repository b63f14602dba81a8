/* codegen_emit.c - emits a condition's program into the table with tablebuf
 * (operands checked and encoded: numbers, CIDRs, bytes, globs, regexes), and
 * collects the fields the kernel captures for the agent (output and
 * condition). */
#define _GNU_SOURCE
#include "codegen_int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/fields.h"
#include "../kmod/common/table.h"
#include "../lib/procfs.h"

/* ---- emission ---------------------------------------------------------- */

static void emit_error(struct emitter *e, const struct src_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void emit_error(struct emitter *e, const struct src_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(e->dl, DIAG_E_OPERAND, loc, e->item, fmt, ap);
	va_end(ap);
	e->errors++;
}

/* "0x..." or "-0x...": what a C programmer may take for a number. */
static bool is_hex(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	return s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

/*
 * Decimal only, as libsinsp reads a number value or a field's index
 * (sinsp_numparser: sscanf "%" PRIu64 "%c" must convert exactly one
 * item, in libs 319368f as Falco 0.31.0 uses it and still in libs 0.25): a
 * leading zero is not octal ("010" is ten), and "0x10" is refused ("0x10 is
 * not a valid number"; libs' newer condition parser, Falco 0.32 on, lexes
 * 0x10 as a number token, but the value is still read by the same sscanf).
 */
static bool parse_int(const char *s, bool sgn, uint64_t *out)
{
	const int base = 10;
	char *end;

	errno = 0;
	if (!*s || isspace((unsigned char)*s))
		return false;
	/* strtoll for every signed value, so that one past INT64_MAX is
	 * out of range rather than wrapped negative. */
	if (sgn)
		*out = (uint64_t)strtoll(s, &end, base);
	else if (*s == '-')
		return false;
	else
		*out = strtoull(s, &end, base);
	return !errno && !*end;
}

static bool parse_cidr(const char *s, struct tb_cidr *c)
{
	char buf[64], *slash;
	long prefix = -1;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash) {
		char *end;

		*slash = 0;
		prefix = strtol(slash + 1, &end, 10);
		if (*end || end == slash + 1 || prefix < 0)
			return false;
	}
	memset(c, 0, sizeof(*c));
	if (inet_pton(AF_INET, buf, c->addr) == 1)
		c->family = 4;
	else if (inet_pton(AF_INET6, buf, c->addr) == 1)
		c->family = 6;
	else
		return false;
	if (prefix < 0)
		prefix = c->family == 4 ? 32 : 128;
	if (prefix > (c->family == 4 ? 32 : 128))
		return false;
	c->prefix = (uint8_t)prefix;
	return true;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* bcontains/bstartswith take hex bytes ("0x" optional in newer Falco). */
static long bytes_operand(struct emitter *e, const struct ast_value *v)
{
	const char *s = v->str;
	size_t n = v->len, i;
	char *buf;
	long ret;

	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2, n -= 2;
	if (n % 2)
		goto bad;
	buf = malloc(n / 2 + 1);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < n; i += 2) {
		int hi = hexval((unsigned char)s[i]), lo = hexval((unsigned char)s[i + 1]);

		if (hi < 0 || lo < 0) {
			free(buf);
			goto bad;
		}
		buf[i / 2] = (char)(hi << 4 | lo);
	}
	ret = tb_string(e->tb, buf, n / 2);
	free(buf);
	return ret;
bad:
	emit_error(e, &v->loc, "'%s' is not a hex byte string", v->str);
	return -EINVAL;
}

static bool op_is_order(int op)
{
	return op == SHRIKE_CMP_LT || op == SHRIKE_CMP_LE || op == SHRIKE_CMP_GT ||
	       op == SHRIKE_CMP_GE;
}

static bool op_is_set(int op)
{
	return op == SHRIKE_CMP_IN || op == SHRIKE_CMP_INTERSECTS || op == SHRIKE_CMP_PMATCH;
}

/* Which operators apply to which field types, as libsinsp allows them. */
static bool op_fits(int op, int type)
{
	switch (type) {
	case SHRIKE_T_U64:
	case SHRIKE_T_S64:
		return op == SHRIKE_CMP_EQ || op == SHRIKE_CMP_NE || op_is_order(op) ||
		       op == SHRIKE_CMP_IN || op == SHRIKE_CMP_EXISTS;
	case SHRIKE_T_BOOL:
		return op == SHRIKE_CMP_EQ || op == SHRIKE_CMP_NE || op == SHRIKE_CMP_IN ||
		       op == SHRIKE_CMP_EXISTS;
	case SHRIKE_T_IPADDR:
	case SHRIKE_T_IPNET:
		return op == SHRIKE_CMP_EQ || op == SHRIKE_CMP_NE || op == SHRIKE_CMP_IN ||
		       op == SHRIKE_CMP_EXISTS;
	default: return !op_is_order(op);
	}
}

static long num_operand(struct emitter *e, const struct ast_value *v, int type, uint64_t *out)
{
	if (type == SHRIKE_T_BOOL) {
		if (!strcasecmp(v->str, "true"))
			*out = 1;
		else if (!strcasecmp(v->str, "false"))
			*out = 0;
		else if (!parse_int(v->str, false, out) || *out > 1)
			goto bad;
		return 0;
	}
	if (parse_int(v->str, type == SHRIKE_T_S64, out))
		return 0;
bad:
	emit_error(e, &v->loc, "'%s' is not a valid %s%s", v->str,
		   type == SHRIKE_T_BOOL ? "boolean (true or false)" : "number",
		   is_hex(v->str) ? " (Falco reads numbers in decimal only)" : "");
	return -EINVAL;
}

/*
 * A glob pattern, with each '[' that never closes (fnmatch takes it as a
 * literal '[') written as the class "[[]", which means the same: the table
 * verifier refuses unclosed brackets, whose parsing would cost the whole
 * pattern at each character of the value (kmod/common/eval.c).
 */
static long glob_operand(struct emitter *e, const struct ast_value *v)
{
	size_t n = v->len, at = 0, k;
	char *p = malloc(3 * n + 1);
	long ret;

	if (!p)
		return -ENOMEM;
	memcpy(p, v->str, n);
	while (at < n) {
		k = at + shrike_glob_unclosed(p + at, (u32)(n - at));
		if (k >= n)
			break;
		memmove(p + k + 3, p + k + 1, n - k - 1);
		memcpy(p + k, "[[]", 3);
		n += 2;
		at = k + 3;
	}
	if (n > SHRIKE_MAX_STRING_LEN) {
		emit_error(
			e, &v->loc,
			"glob pattern of %zu bytes (its unclosed '[' written as \"[[]\") over %u",
			n, SHRIKE_MAX_STRING_LEN);
		free(p);
		return -E2BIG;
	}
	ret = tb_string(e->tb, p, n);
	free(p);
	return ret;
}

/*
 * A regex as the agent will run it (lib/match.c: glibc regcomp,
 * REG_EXTENDED, anchored at both ends). libsinsp (libs 0.18 on, Falco 0.39
 * on; Falco 0.31 has no regex operator) compiles it with RE2 in its POSIX
 * mode and refuses a bad pattern at load ("invalid regex pattern"); so
 * does Shrike, instead of a rule that never matches. A backslash before a
 * letter or digit is refused too: RE2's POSIX mode refuses \d \w \s \b
 * and back-references and reads \n \t \x41 as characters, where glibc
 * reads \d as "d" and takes \w \s \b \1 as GNU extensions.
 */
static long regex_operand(struct emitter *e, const struct ast_value *v)
{
	char *anchored, msg[128];
	regex_t re;
	int rc;

	for (size_t i = 0; i + 1 < v->len; i++) {
		if (v->str[i] != '\\')
			continue;
		if (isalnum((unsigned char)v->str[i + 1])) {
			emit_error(
				e, &v->loc,
				"regex escape '\\%c' in '%s': Falco's RE2 (POSIX syntax) "
				"and Shrike's POSIX regex read it differently; write the characters or a "
				"bracket expression ([0-9], [[:space:]])",
				v->str[i + 1], v->str);
			return -EINVAL;
		}
		i++;
	}
	if (asprintf(&anchored, "^(%s)$", v->str) < 0)
		return -ENOMEM;
	rc = regcomp(&re, anchored, REG_EXTENDED | REG_NOSUB);
	free(anchored);
	if (rc) {
		regerror(rc, &re, msg, sizeof(msg));
		emit_error(e, &v->loc, "'%s' is not a valid regex: %s", v->str, msg);
		return -EINVAL;
	}
	regfree(&re);
	return tb_string(e->tb, v->str, v->len);
}

static long operand(struct emitter *e, const struct ast *a, const struct field_info *fi)
{
	size_t i;
	long ret;

	if (a->op == SHRIKE_CMP_EXISTS)
		return 0;
	if (!a->nvalues) {
		emit_error(e, &a->loc, "operator '%s' needs a value", ast_op_str(a->op));
		return -EINVAL;
	}
	if (fi->type == SHRIKE_T_IPADDR || fi->type == SHRIKE_T_IPNET) {
		struct tb_cidr *c = calloc(a->nvalues, sizeof(*c));

		if (!c)
			return -ENOMEM;
		for (i = 0; i < a->nvalues; i++)
			if (!parse_cidr(a->values[i].str, &c[i])) {
				emit_error(e, &a->values[i].loc,
					   "'%s' is not an IP address or network",
					   a->values[i].str);
				free(c);
				return -EINVAL;
			}
		ret = tb_cidr_set(e->tb, c, a->nvalues);
		free(c);
		return ret;
	}
	if (op_is_set(a->op)) {
		struct tb_bytes *items = calloc(a->nvalues, sizeof(*items));
		char(*nums)[24] = NULL;

		if (!items)
			return -ENOMEM;
		if (fi->type == SHRIKE_T_U64 || fi->type == SHRIKE_T_S64 ||
		    fi->type == SHRIKE_T_BOOL) {
			/* Numbers go in as canonical decimal, as the evaluator
			 * prints the value it looks up. */
			nums = calloc(a->nvalues, sizeof(*nums));
			if (!nums) {
				free(items);
				return -ENOMEM;
			}
		}
		for (i = 0; i < a->nvalues; i++) {
			if (nums) {
				uint64_t u;

				if (num_operand(e, &a->values[i], fi->type, &u) < 0) {
					free(items);
					free(nums);
					return -EINVAL;
				}
				if (fi->type == SHRIKE_T_S64)
					snprintf(nums[i], sizeof(nums[i]), "%" PRId64, (int64_t)u);
				else
					snprintf(nums[i], sizeof(nums[i]), "%" PRIu64, u);
				items[i].ptr = nums[i];
				items[i].len = strlen(nums[i]);
			} else {
				items[i].ptr = a->values[i].str;
				items[i].len = a->values[i].len;
			}
		}
		ret = tb_set(e->tb, items, a->nvalues);
		free(items);
		free(nums);
		return ret;
	}
	if (a->nvalues != 1) {
		emit_error(e, &a->loc, "operator '%s' takes one value, not a list",
			   ast_op_str(a->op));
		return -EINVAL;
	}
	if (fi->type == SHRIKE_T_U64 || fi->type == SHRIKE_T_S64 || fi->type == SHRIKE_T_BOOL) {
		uint64_t u;

		if (num_operand(e, &a->values[0], fi->type, &u) < 0)
			return -EINVAL;
		return tb_int(e->tb, u);
	}
	if (a->op == SHRIKE_CMP_BCONTAINS || a->op == SHRIKE_CMP_BSTARTSWITH)
		return bytes_operand(e, &a->values[0]);
	if (a->op == SHRIKE_CMP_GLOB || a->op == SHRIKE_CMP_IGLOB)
		return glob_operand(e, &a->values[0]);
	if (a->op == SHRIKE_CMP_REGEX)
		return regex_operand(e, &a->values[0]);
	return tb_string(e->tb, a->values[0].str, a->values[0].len);
}

/*
 * No value may vanish silently. An evt.type value that names no event type
 * would only leave the rule's event-type set (resolve()), and an evt.dir
 * value other than > and < would make the rule run on no event: a typo
 * would quietly disable a rule, or part of one. Both are errors at the
 * value.
 */
static void check_event_values(struct emitter *e, const struct ast *a)
{
	size_t i;

	if (is_field(a, "evt.type.is") && a->arg && evtype_lookup(a->arg, strlen(a->arg)) < 0)
		emit_error(e, &a->field_loc, "'%s' is not an event type", a->arg);
	if (a->arg || (a->op != SHRIKE_CMP_EQ && a->op != SHRIKE_CMP_NE && a->op != SHRIKE_CMP_IN))
		return;
	for (i = 0; i < a->nvalues; i++) {
		const struct ast_value *v = &a->values[i];

		if (is_field(a, "evt.type") && evtype_lookup(v->str, v->len) < 0)
			emit_error(e, &v->loc, "'%s' is not an event type", v->str);
		else if (is_field(a, "evt.dir") && strcmp(v->str, ">") && strcmp(v->str, "<"))
			emit_error(e, &v->loc, "'%s' is not an event direction ('>' or '<')",
				   v->str);
	}
}

/* The instruction arg for a field argument: a level for [N] fields, a
 * string for named and keyed ones. */
static long field_arg_operand(struct emitter *e, const struct field_info *fi, const char *arg,
			      const struct src_loc *loc)
{
	uint64_t n;

	if (!arg)
		return SHRIKE_ARG_NONE;
	if (fi->argkind == SHRIKE_ARGK_INDEX) {
		if (!parse_int(arg, false, &n) || n >= SHRIKE_ARG_NONE) {
			emit_error(e, loc, "'%s' is not a valid index for %s", arg, fi->name);
			return -EINVAL;
		}
		return (long)n;
	}
	return tb_cstring(e->tb, arg);
}

void cg_emit(struct emitter *e, const struct ast *a)
{
	const struct field_info *fi;
	long j, arg, op;

	switch (a->kind) {
	case AST_CONST: tb_insn(e->tb, SHRIKE_OP_PUSH, 0, 0, 0, (uint16_t)a->truth); return;
	case AST_NOT:
		cg_emit(e, a->l);
		tb_insn(e->tb, SHRIKE_OP_NOT, 0, 0, 0, 0);
		return;
	case AST_AND:
	case AST_OR:
		/* The right side is skipped when the left already decides. */
		cg_emit(e, a->l);
		j = tb_insn(e->tb, a->kind == AST_AND ? SHRIKE_OP_JF : SHRIKE_OP_JT, 0, 0, 0, 0);
		cg_emit(e, a->r);
		tb_insn(e->tb, a->kind == AST_AND ? SHRIKE_OP_AND : SHRIKE_OP_OR, 0, 0, 0, 0);
		if (j >= 0)
			tb_patch_jump(e->tb, j, tb_ninsns(e->tb));
		return;
	case AST_CMP: break;
	default: emit_error(e, &a->loc, "internal: unexpanded node in condition"); return;
	}
	fi = field_lookup(a->field, strlen(a->field));
	if (!fi) {
		emit_error(e, &a->field_loc, "unknown field '%s'", a->field);
		return;
	}
	if (!op_fits(a->op, fi->type)) {
		emit_error(e, &a->loc, "operator '%s' does not apply to %s field %s",
			   ast_op_str(a->op), field_type_name(fi->type), fi->name);
		return;
	}
	check_event_values(e, a);
	arg = field_arg_operand(e, fi, a->arg, &a->field_loc);
	op = operand(e, a, fi);
	if (arg < 0 || op < 0)
		return;
	if (op > 0xffff) {
		emit_error(e, &a->loc, "table too large: operand pool over 65535 entries");
		return;
	}
	tb_insn(e->tb, SHRIKE_OP_TEST, (uint8_t)a->op, fi->id, (uint16_t)arg, (uint16_t)op);
}

/* ---- captures ----------------------------------------------------------- */

static void capture_add(struct captures *c, uint16_t field, uint16_t arg)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->v[i].field == field && c->v[i].arg == arg)
			return;
	if (c->n == SHRIKE_MAX_CAPTURES) {
		c->overflow = true;
		return;
	}
	c->v[c->n].field = field;
	c->v[c->n].arg = arg;
	c->n++;
}

/* What the kernel must send so the agent can compute an agent-only field. */
static void capture_deps(struct captures *c, const struct field_info *fi)
{
	static const struct {
		const char *prefix;
		uint16_t dep;
	} deps[] = {
		/* Names come from the container's own passwd/group when the
		 * process is in one: the agent reads /proc/PID/root. */
		{ "user.", SHRIKE_F_USER_UID },		 { "user.", SHRIKE_F_PROC_PID },
		{ "user.", SHRIKE_F_CONTAINER_ID },	 { "group.", SHRIKE_F_GROUP_GID },
		{ "group.", SHRIKE_F_PROC_PID },	 { "group.", SHRIKE_F_CONTAINER_ID },
		{ "container.", SHRIKE_F_CONTAINER_ID }, { "k8s.", SHRIKE_F_CONTAINER_ID },
		{ "fd.sip.name", SHRIKE_F_FD_SIP },	 { "fd.cip.name", SHRIKE_F_FD_CIP },
		{ "fd.lip.name", SHRIKE_F_FD_LIP },	 { "fd.rip.name", SHRIKE_F_FD_RIP },
		{ "evt.time", SHRIKE_F_EVT_RAWTIME },	 { "evt.datetime", SHRIKE_F_EVT_RAWTIME },
	};
	size_t i;

	for (i = 0; i < sizeof(deps) / sizeof(deps[0]); i++)
		if (!strncmp(fi->name, deps[i].prefix, strlen(deps[i].prefix)))
			capture_add(c, deps[i].dep, SHRIKE_ARG_NONE);
}

static void capture_field(struct emitter *e, struct captures *c, const struct field_info *fi,
			  const char *arg, const struct src_loc *loc)
{
	long a;

	if (fi->source != SHRIKE_SRC_SYSCALL)
		return;
	if (fi->where == SHRIKE_W_AGENT) {
		capture_deps(c, fi);
		return;
	}
	a = field_arg_operand(e, fi, arg, loc);
	if (a >= 0)
		capture_add(c, fi->id, (uint16_t)a);
	/* proc.vmsize and kin: UNKNOWN in the kernel, read by the agent from
	 * /proc/PID (lib/procfs.c). */
	if (procfs_field(fi->id))
		capture_add(c, SHRIKE_F_PROC_PID, SHRIKE_ARG_NONE);
	/* evt.arg.uid and kin: the kernel has the number, the agent the name
	 * (enrich.c). */
	if (a >= 0 && fi->id == SHRIKE_F_EVT_ARG && arg && field_arg_id_kind(arg, strlen(arg)) >= 0)
		capture_add(c, SHRIKE_F_EVT_RAWARG, (uint16_t)a);
}

void cg_capture_cond(struct emitter *e, struct captures *c, const struct ast *a)
{
	const struct field_info *fi;

	if (!a)
		return;
	if (a->kind != AST_CMP) {
		cg_capture_cond(e, c, a->l);
		cg_capture_cond(e, c, a->r);
		return;
	}
	fi = field_lookup(a->field, strlen(a->field));
	if (fi)
		capture_field(e, c, fi, a->arg, &a->field_loc);
}

static bool tokchar(int ch)
{
	return isalnum(ch) || ch == '.' || ch == '_';
}

/* Where byte off of the rule's output is in its file (the rule's own
 * position when that is not known). */
static struct src_loc output_loc(const struct rule_def *r, size_t off)
{
	struct src_loc l = ruleset_output_loc(r, off);

	return l.file ? l : r->loc;
}

/* The %field tokens of a Falco output format. */
void cg_capture_output(struct emitter *e, struct captures *c, const struct rule_def *r)
{
	const char *p = r->output, *q;

	if (!p)
		return;
	while ((p = strchr(p, '%'))) {
		const struct field_info *fi;
		size_t namelen, arglen;
		const char *arg, *why;
		char *argz;
		/* Errors point at the %field token itself. */
		struct src_loc at = output_loc(r, (size_t)(p - r->output));

		p++;
		q = p;
		while (tokchar((unsigned char)*q))
			q++;
		if (*q == '[') {
			const char *close = strchr(q, ']');

			if (close)
				q = close + 1;
		}
		while (q > p && q[-1] == '.')
			q--;
		if (q == p)
			continue;
		fi = field_lookup_split(p, (size_t)(q - p), &namelen);
		if (!fi) {
			diag_add(e->dl, DIAG_E_UNKNOWN_FIELD, &at, e->item,
				 "output uses unknown field '%.*s'", (int)(q - p), p);
			e->errors++;
			p = q;
			continue;
		}
		/* As in conditions: a table whose capture lacks a required
		 * argument, or has one where none is taken, fails to verify. */
		why = field_arg_error(fi, p, namelen, (size_t)(q - p));
		if (why) {
			diag_add(e->dl, DIAG_E_FIELD_ARG, &at, e->item, "output field '%.*s': %s",
				 (int)(q - p), p, why);
			e->errors++;
			p = q;
			continue;
		}
		arg = field_arg(p, namelen, (size_t)(q - p), &arglen);
		argz = arg ? strndup(arg, arglen) : NULL;
		capture_field(e, c, fi, argz, &at);
		free(argz);
		p = q;
	}
}
