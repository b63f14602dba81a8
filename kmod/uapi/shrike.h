/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * shrike.h - the contract between shrike.ko, shrikec and shrike-agent.
 *
 * This is the only copy. It is owned by the kernel side and included by the
 * compiler and the agent. Everything here is append-only: numbers are never
 * reused or reordered, new attributes and fields go before the __*_MAX entry.
 *
 * Generic netlink family "shrike" (SHRIKE_GENL_NAME), version SHRIKE_GENL_VERSION.
 *
 *   SHRIKE_CMD_GET_INFO   user -> kernel, reply carries:
 *       SHRIKE_A_ABI_VERSION      u32  SHRIKE_ABI_VERSION of the module
 *       SHRIKE_A_MODULE_VERSION   string, "x.y.z"
 *       SHRIKE_A_MAX_TABLE_SIZE   u32  the module's max_table_size parameter
 *       SHRIKE_A_TABLE_LOADED     u8   1 if a table is loaded
 *       SHRIKE_A_TABLE_CHECKSUM   u32  checksum of the loaded table (if loaded)
 *       SHRIKE_A_GENERATION       u64  the table generation (see below)
 *       SHRIKE_A_LOCKED           u8   1 after SHRIKE_CMD_LOCK
 *       SHRIKE_A_RATE, SHRIKE_A_BURST, SHRIKE_A_MATCH_MODE: the configuration
 *
 *   Generation: a module-wide u64, 0 at module load, incremented by every
 *   successful table load and unload. A client that read it with GET_INFO
 *   passes it back to make its change conditional: if anyone changed the
 *   table since, the change is refused with -ESTALE (optimistic locking;
 *   without SHRIKE_A_GENERATION there is no check).
 *
 *   Loading a table is a transaction of three commands from one socket (a
 *   netlink attribute holds at most 64 KiB, tables up to 4 MiB):
 *
 *   SHRIKE_CMD_LOAD_BEGIN user -> kernel:
 *       SHRIKE_A_TABLE_SIZE       u32  total table length, required
 *       SHRIKE_A_GENERATION       u64  optional: the generation the change is
 *                                      based on; checked here and at commit
 *     Opens a transaction owned by the sending socket, replacing that
 *     socket's open one. Several sockets may each have one open; past a
 *     small limit (4) a BEGIN drops the oldest, so abandoned transactions
 *     never block loads, and closing the owner's socket drops its own.
 *     Nothing changes for the running table until the commit.
 *
 *   SHRIKE_CMD_LOAD_TABLE user -> kernel, one message per chunk:
 *       SHRIKE_A_TABLE_OFFSET     u32  where this chunk goes: exactly the
 *                                      number of bytes received so far
 *       SHRIKE_A_TABLE            binary, <= SHRIKE_CHUNK_MAX bytes
 *       SHRIKE_A_TABLE_SIZE       u32  optional; if given, as at BEGIN
 *     A chunk out of order or past the size aborts the transaction. A chunk
 *     or commit from a socket without an open transaction is refused and
 *     disturbs no other socket's.
 *
 *   SHRIKE_CMD_LOAD_COMMIT user -> kernel: no attributes. Once every byte
 *     arrived, the table (see "Table format") is verified in full and
 *     indexed, then replaces the old one atomically (one RCU pointer swap);
 *     the reply carries SHRIKE_A_GENERATION (the new generation) and
 *     SHRIKE_A_TABLE_CHECKSUM. The commit ends the transaction whatever
 *     its outcome; on any error the old table keeps running and the
 *     extended ACK says why.
 *
 *   SHRIKE_CMD_UNLOAD_TABLE user -> kernel: optional SHRIKE_A_GENERATION,
 *     checked as for loads. -ENOENT when no table is loaded.
 *
 *   SHRIKE_CMD_LOCK       user -> kernel: no attributes. From then on, until
 *     reboot, the table and the configuration cannot change: loads, unloads
 *     and SET_CONFIG fail with -EPERM ("tables are locked"), an open
 *     transaction is dropped, and the module holds a reference on itself so
 *     that it cannot be removed (short of a forced rmmod). Locking twice is
 *     not an error.
 *
 *   SHRIKE_CMD_SET_CONFIG user -> kernel, any of (at least one):
 *       SHRIKE_A_RATE             u32  alerts per second allowed per rule,
 *                                      0: no limit (default), at most
 *                                      SHRIKE_MAX_RATE
 *       SHRIKE_A_BURST            u32  alerts a rule may send at once,
 *                                      1..SHRIKE_MAX_BURST (default 0, must
 *                                      be set when a rate is)
 *       SHRIKE_A_MATCH_MODE       u32  SHRIKE_MATCH_*: overrides the table's
 *                                      SHRIKE_TF_MATCH_ALL flag
 *     The configuration is module-wide operator policy, not part of a table:
 *     it is kept across table loads and unloads and lasts until changed or
 *     the module is removed. The rate limit's per-rule state belongs to the
 *     table, so each rule of a newly loaded table starts with its full
 *     burst. A rule is charged whenever the kernel puts it in an alert
 *     (decided TRUE, or UNKNOWN and sent as a candidate, even if the agent
 *     stage later rejects it): the limit bounds what reaches userspace.
 *
 *   SHRIKE_CMD_SUBSCRIBE  user -> kernel: the sending socket becomes the one
 *     receiver of alerts (a later subscriber replaces it, and the replaced
 *     socket is sent SHRIKE_CMD_REPLACED; closing the socket unsubscribes).
 *     The module holds the socket itself, not its port id: once it is
 *     closed, another socket bound to the same port id gets nothing. Alerts
 *     come as SHRIKE_CMD_ALERT messages, several to a datagram. After LOCK, a SUBSCRIBE from another socket
 *     while one is subscribed fails with -EPERM and counts in
 *     SHRIKE_STAT_SUBSCRIBE_REFUSED: the locked agent's stream cannot be
 *     taken; once its socket is closed (the agent died), its restart may
 *     subscribe again.
 *
 *   SHRIKE_CMD_REPLACED   kernel -> the subscriber another SUBSCRIBE replaced:
 *       SHRIKE_A_ALERT_PID        u32  the new subscriber's tgid
 *     It receives no more alerts.
 *
 *   SHRIKE_CMD_ALERT      kernel -> subscriber, one per event that can match:
 *       SHRIKE_A_TABLE_CHECKSUM   u32  the table the rule indices refer to
 *       SHRIKE_A_ALERT_TS         u64  ns since the epoch
 *       SHRIKE_A_ALERT_EVT        u32  SHRIKE_EVT_*
 *       SHRIKE_A_ALERT_PID        u32  tgid (for enrichment from /proc)
 *       SHRIKE_A_ALERT_TID        u32
 *       SHRIKE_A_ALERT_RULE       u32  repeated: rule indices in table order;
 *                                      with first-match, every rule up to the
 *                                      first one the kernel decided TRUE; at
 *                                      most SHRIKE_ALERT_RULES_MAX (the rest
 *                                      count in SHRIKE_STAT_DROP_RULE_CAP)
 *       SHRIKE_A_ALERT_DECIDED    u32  bitmap over the RULE list: bit i set if
 *                                      rule i was decided TRUE in the kernel
 *       SHRIKE_A_ALERT_FIELD      nested, repeated: a captured value
 *           SHRIKE_AF_ID      u16  SHRIKE_F_*
 *           SHRIKE_AF_ARG     u16  as in struct shrike_insn
 *           SHRIKE_AF_TYPE    u8   SHRIKE_T_*
 *           SHRIKE_AF_VALUE   binary: le64 (U64, S64, BOOL); bytes (STR);
 *                             each item followed by a NUL (STRLIST);
 *                             family u8,
 *                             prefix u8, then 4 or 16 address bytes (IP*)
 *
 *   SHRIKE_CMD_GET_STATS  user -> kernel, reply:
 *       SHRIKE_A_STATS            nested u64s SHRIKE_STAT_*: counters summed
 *                                 over CPUs, since the module was loaded
 *       SHRIKE_A_GENERATION       u64  and, if a table is loaded:
 *       SHRIKE_A_TABLE_CHECKSUM   u32  the table the rule indices refer to
 *       SHRIKE_A_RULE_STAT        nested, repeated, in rule order, only for
 *                                 rules with a non-zero count:
 *           SHRIKE_RS_RULE    u32  rule index
 *           SHRIKE_RS_MATCHES u64  times the kernel put the rule in an alert
 *                             (TRUE or UNKNOWN), before rate limit and
 *                             delivery; reset by every load
 *
 * Permissions: GET_INFO and GET_STATS need CAP_NET_ADMIN (the generic
 * netlink admin check); every command that changes what is monitored or
 * who hears it (LOAD_*, UNLOAD_TABLE, LOCK, SET_CONFIG, SUBSCRIBE) needs
 * CAP_SYS_ADMIN as well, of both the socket's opener and the sender. The
 * rules decide what the kernel reports about every process on the host, as
 * audit rules (CAP_AUDIT_CONTROL) or BPF LSM programs (CAP_SYS_ADMIN) do;
 * CAP_NET_ADMIN alone is routinely given to network pods (CNI plugins,
 * kube-proxy) and must not be enough to blind or read the monitor.
 * CAP_SYS_MODULE was the other candidate: it says "may change the kernel",
 * but a loader of rules does not load code, and CAP_SYS_ADMIN is what the
 * kernel asks for host-wide tracing and policy (perf, BPF, audit
 * configuration).
 *
 * Errors: -EINVAL malformed, -EOPNOTSUPP unknown enum or flag, -ERANGE out of
 * bounds, -E2BIG over a limit, -EPERM not allowed (no CAP_NET_ADMIN or
 * CAP_SYS_ADMIN, or locked), -ESTALE generation mismatch, -ENOENT nothing to
 * act on.
 */
#ifndef _UAPI_LINUX_SHRIKE_H
#define _UAPI_LINUX_SHRIKE_H

#include <linux/types.h>
#include "shrike_fields.h"

#define SHRIKE_VERSION		"0.1.0"
#define SHRIKE_GENL_NAME	"shrike"
#define SHRIKE_GENL_VERSION	1

/* Bumped on any incompatible change of commands, attributes or table format. */
#define SHRIKE_ABI_VERSION	1

enum shrike_cmd {
	SHRIKE_CMD_UNSPEC,
	SHRIKE_CMD_GET_INFO,
	SHRIKE_CMD_LOAD_TABLE,
	SHRIKE_CMD_UNLOAD_TABLE,
	SHRIKE_CMD_SUBSCRIBE,
	SHRIKE_CMD_ALERT,
	SHRIKE_CMD_GET_STATS,
	SHRIKE_CMD_LOAD_BEGIN,
	SHRIKE_CMD_LOAD_COMMIT,
	SHRIKE_CMD_LOCK,
	SHRIKE_CMD_SET_CONFIG,
	SHRIKE_CMD_REPLACED,
	__SHRIKE_CMD_MAX,
};
#define SHRIKE_CMD_MAX (__SHRIKE_CMD_MAX - 1)

enum shrike_attr {
	SHRIKE_A_UNSPEC,
	SHRIKE_A_ABI_VERSION,		/* u32 */
	SHRIKE_A_MODULE_VERSION,	/* string */
	SHRIKE_A_MAX_TABLE_SIZE,	/* u32, bytes */
	SHRIKE_A_TABLE,			/* binary: struct shrike_table_hdr ... */
	SHRIKE_A_TABLE_LOADED,		/* u8 */
	SHRIKE_A_TABLE_CHECKSUM,	/* u32 */
	SHRIKE_A_TABLE_SIZE,		/* u32, bytes */
	SHRIKE_A_TABLE_OFFSET,		/* u32, bytes */
	SHRIKE_A_ALERT_TS,		/* u64 */
	SHRIKE_A_ALERT_EVT,		/* u32 */
	SHRIKE_A_ALERT_PID,		/* u32 */
	SHRIKE_A_ALERT_TID,		/* u32 */
	SHRIKE_A_ALERT_RULE,		/* u32, repeated */
	SHRIKE_A_ALERT_DECIDED,		/* u32 */
	SHRIKE_A_ALERT_FIELD,		/* nested SHRIKE_AF_* */
	SHRIKE_A_STATS,			/* nested SHRIKE_STAT_* */
	SHRIKE_A_GENERATION,		/* u64 */
	SHRIKE_A_LOCKED,		/* u8 */
	SHRIKE_A_RATE,			/* u32, alerts per second per rule */
	SHRIKE_A_BURST,			/* u32, alerts */
	SHRIKE_A_MATCH_MODE,		/* u32, SHRIKE_MATCH_* */
	SHRIKE_A_RULE_STAT,		/* nested SHRIKE_RS_*, repeated */
	__SHRIKE_A_MAX,
};
#define SHRIKE_A_MAX (__SHRIKE_A_MAX - 1)

enum shrike_alert_field_attr {
	SHRIKE_AF_UNSPEC,
	SHRIKE_AF_ID,			/* u16 */
	SHRIKE_AF_ARG,			/* u16 */
	SHRIKE_AF_TYPE,			/* u8 */
	SHRIKE_AF_VALUE,		/* binary */
	__SHRIKE_AF_MAX,
};
#define SHRIKE_AF_MAX (__SHRIKE_AF_MAX - 1)

/* Per-rule counters, in SHRIKE_A_RULE_STAT. */
enum shrike_rule_stat_attr {
	SHRIKE_RS_UNSPEC,
	SHRIKE_RS_RULE,			/* u32 */
	SHRIKE_RS_MATCHES,		/* u64 */
	__SHRIKE_RS_MAX,
};
#define SHRIKE_RS_MAX (__SHRIKE_RS_MAX - 1)

/* SHRIKE_A_MATCH_MODE */
enum shrike_match_mode {
	SHRIKE_MATCH_TABLE,		/* as the table's SHRIKE_TF_MATCH_ALL says */
	SHRIKE_MATCH_FIRST,
	SHRIKE_MATCH_ALL,
	__SHRIKE_MATCH_MAX,
};

/* Rules one alert names at most: SHRIKE_A_ALERT_DECIDED has a bit each. */
#define SHRIKE_ALERT_RULES_MAX	32

/* Counters, each a u64 attribute of SHRIKE_A_STATS. */
enum shrike_stat {
	SHRIKE_STAT_UNSPEC,
	SHRIKE_STAT_EVENTS,		/* syscalls some rule cares about */
	SHRIKE_STAT_EVALUATED,		/* rule programs run */
	SHRIKE_STAT_ALERTS,		/* events sent up */
	SHRIKE_STAT_CANDIDATES,		/* of which need the agent stage */
	SHRIKE_STAT_DROP_NO_RECEIVER,	/* an event matched, nobody subscribed */
	SHRIKE_STAT_DROP_BUFFER_FULL,	/* the per-CPU buffer was full */
	SHRIKE_STAT_DROP_RECEIVER_FULL,	/* the subscriber's socket was full */
	SHRIKE_STAT_DROP_SCRATCH,	/* a field did not fit the scratch */
	SHRIKE_STAT_DROP_TASK_TABLE,	/* the per-task table was full */
	SHRIKE_STAT_DROP_RATE_LIMIT,	/* a rule left out of an alert (or the
					 * alert not sent) by its rate limit,
					 * one per rule
					 */
	SHRIKE_STAT_DROP_RULE_CAP,	/* a rule left out of an alert: more
					 * than SHRIKE_ALERT_RULES_MAX rules
					 * matched one event, one per rule
					 */
	SHRIKE_STAT_SUBSCRIBE_REFUSED,	/* SUBSCRIBE from another socket while
					 * LOCKed and subscribed (-EPERM)
					 */
	SHRIKE_STAT_EVAL_BUDGET,	/* events whose evaluation ran out of
					 * its work budget: the rules left went
					 * up UNKNOWN, for the agent to decide
					 */
	SHRIKE_STAT_X32,		/* x32-ABI syscalls entered while a table
					 * was loaded: not monitored
					 */
	__SHRIKE_STAT_MAX,
};
/* The counters from SHRIKE_STAT_DROP_NO_RECEIVER to this one are drops. */
#define SHRIKE_STAT_DROP_LAST	SHRIKE_STAT_DROP_RULE_CAP
#define SHRIKE_STAT_MAX (__SHRIKE_STAT_MAX - 1)

/*
 * Table format
 * ============
 * All integers little-endian. A table is a header followed by sections:
 *
 *   struct shrike_table_hdr                    magic, versions, length, checksum
 *   struct shrike_section  sec[hdr.nsections]  type, offset, length of each
 *   ... section bodies, each 8-byte aligned, inside total_len ...
 *
 * checksum is FNV-1a (32 bit) over every byte of the table after the header
 * (offset sizeof(struct shrike_table_hdr) to total_len). Each section type
 * appears at most once; all are required except SHRIKE_SEC_CIDRS.
 *
 *   SHRIKE_SEC_STRINGS  raw bytes: the string pool (not NUL-terminated)
 *   SHRIKE_SEC_STRREFS  struct shrike_strref[]: {off, len} into STRINGS
 *   SHRIKE_SEC_INTS     __le64[]: integer constants
 *   SHRIKE_SEC_SETS     struct shrike_set[]: {first, count} into SETITEMS;
 *                       members sorted by (len, bytes) with no duplicates
 *   SHRIKE_SEC_SETITEMS __le32[]: STRREFS indices
 *   SHRIKE_SEC_CIDRS    struct shrike_cidr[]
 *   SHRIKE_SEC_INSNS    struct shrike_insn[]: all programs
 *   SHRIKE_SEC_RULES    struct shrike_rule[]: in file order
 *   SHRIKE_SEC_CAPTURES struct shrike_capture[]: fields to capture per rule
 *   SHRIKE_SEC_TAGS     __le32[]: STRREFS indices, rule tags
 *
 * Programs
 * --------
 * A program is a straight line of struct shrike_insn evaluated on a stack of
 * three-valued booleans (FALSE, TRUE, UNKNOWN): TEST pushes the result of one
 * comparison; NOT, AND, OR combine; JF/JT jump forward over the right-hand
 * side of an AND/OR when the top already decides it; RET ends. Jumps are
 * forward only and land inside the program, the stack never exceeds
 * SHRIKE_MAX_STACK and holds exactly one value at RET, so evaluation is
 * bounded by the program length. All of this is proven by the verifier.
 *
 * A comparison on a field the evaluator cannot compute where it runs (an
 * agent-only field in the kernel) is UNKNOWN; one on a field that has no value
 * for this event is FALSE. A rule whose kernel result is TRUE or UNKNOWN is sent
 * to the agent as a candidate, which evaluates the same program with every
 * field available.
 */
#define SHRIKE_TABLE_MAGIC	0x4b524853u	/* "SHRK" */
#define SHRIKE_TABLE_FORMAT	1

/* Limits, checked by the verifier. */
#define SHRIKE_MAX_TABLE_SIZE	(4u << 20)
#define SHRIKE_CHUNK_MAX	32768	/* bytes of table per LOAD_TABLE message */
#define SHRIKE_MAX_SECTIONS	16
#define SHRIKE_MAX_RULES	4096
#define SHRIKE_MAX_INSNS	65535	/* per table */
#define SHRIKE_MAX_PROG_LEN	4096	/* per program */
#define SHRIKE_MAX_STACK	32
#define SHRIKE_MAX_STRREFS	65535
#define SHRIKE_MAX_STRING_LEN	4096
#define SHRIKE_MAX_SETS		65535
#define SHRIKE_MAX_SET_SIZE	8192
#define SHRIKE_MAX_CAPTURES	64	/* per rule */
#define SHRIKE_MAX_TAGS		32	/* per rule */
#define SHRIKE_NAME_MAX		256	/* rule name length */
#define SHRIKE_EVT_BITMAP_WORDS	8	/* 512 event types */
#define SHRIKE_MAX_RATE		1000000	/* SHRIKE_A_RATE, per second */
#define SHRIKE_MAX_BURST	1000000	/* SHRIKE_A_BURST */

struct shrike_table_hdr {
	__le32 magic;
	__le16 format;		/* SHRIKE_TABLE_FORMAT */
	__le16 abi;		/* SHRIKE_ABI_VERSION */
	__le32 total_len;	/* header + everything after it */
	__le32 checksum;
	__le32 flags;		/* SHRIKE_TF_* */
	__le32 nsections;
};

enum shrike_table_flags {
	SHRIKE_TF_MATCH_ALL = 1 << 0,	/* rule_matching: all (default: first) */
};
#define SHRIKE_TF_MASK	(SHRIKE_TF_MATCH_ALL)

enum shrike_section_type {
	SHRIKE_SEC_UNSPEC,
	SHRIKE_SEC_STRINGS,
	SHRIKE_SEC_STRREFS,
	SHRIKE_SEC_INTS,
	SHRIKE_SEC_SETS,
	SHRIKE_SEC_SETITEMS,
	SHRIKE_SEC_CIDRS,
	SHRIKE_SEC_INSNS,
	SHRIKE_SEC_RULES,
	SHRIKE_SEC_CAPTURES,
	SHRIKE_SEC_TAGS,
	__SHRIKE_SEC_MAX,
};
#define SHRIKE_SEC_MAX (__SHRIKE_SEC_MAX - 1)

struct shrike_section {
	__le32 type;		/* SHRIKE_SEC_* */
	__le32 off;		/* from the start of the table, 8-byte aligned */
	__le32 len;		/* bytes; a multiple of the record size */
};

struct shrike_strref {
	__le32 off;		/* into SHRIKE_SEC_STRINGS */
	__le32 len;		/* <= SHRIKE_MAX_STRING_LEN */
};

struct shrike_set {
	__le32 first;		/* into SHRIKE_SEC_SETITEMS */
	__le32 count;		/* <= SHRIKE_MAX_SET_SIZE */
};

struct shrike_cidr {
	__u8 family;		/* 4 or 6 */
	__u8 prefix;		/* <= 32 or <= 128 */
	__u8 pad[2];		/* zero */
	__le32 set;		/* the CIDR set (list) this entry belongs to */
	__u8 addr[16];		/* network byte order; bits past prefix zero */
};

enum shrike_op {
	SHRIKE_OP_TEST,		/* push cmp(field[arg], operand) */
	SHRIKE_OP_PUSH,		/* push constant: operand = SHRIKE_V_* */
	SHRIKE_OP_NOT,
	SHRIKE_OP_AND,		/* pop b, a; push a AND b */
	SHRIKE_OP_OR,
	SHRIKE_OP_JF,		/* if top is FALSE: skip operand insns, keep top */
	SHRIKE_OP_JT,		/* if top is TRUE:  skip operand insns, keep top */
	SHRIKE_OP_RET,
	__SHRIKE_OP_MAX,
};

/* Three-valued logic. */
enum shrike_tv {
	SHRIKE_V_FALSE,
	SHRIKE_V_TRUE,
	SHRIKE_V_UNKNOWN,
};

enum shrike_cmp {
	SHRIKE_CMP_EQ,
	SHRIKE_CMP_NE,
	SHRIKE_CMP_LT,
	SHRIKE_CMP_LE,
	SHRIKE_CMP_GT,
	SHRIKE_CMP_GE,
	SHRIKE_CMP_CONTAINS,
	SHRIKE_CMP_ICONTAINS,
	SHRIKE_CMP_BCONTAINS,
	SHRIKE_CMP_STARTSWITH,
	SHRIKE_CMP_BSTARTSWITH,
	SHRIKE_CMP_ENDSWITH,
	SHRIKE_CMP_GLOB,
	SHRIKE_CMP_IGLOB,
	SHRIKE_CMP_PMATCH,	/* operand: set; path prefix match */
	SHRIKE_CMP_IN,		/* operand: set (or CIDR set for addresses) */
	SHRIKE_CMP_INTERSECTS,	/* operand: set */
	SHRIKE_CMP_EXISTS,	/* no operand */
	SHRIKE_CMP_REGEX,	/* userspace only: UNKNOWN in the kernel */
	__SHRIKE_CMP_MAX,
};

/*
 * One instruction. For TEST: field is a SHRIKE_F_* id, arg its argument
 * (ancestor level for proc.aname[N], STRREFS index for evt.arg.NAME or
 * jevt.value[/ptr], SHRIKE_ARG_NONE otherwise), operand indexes INTS for
 * numeric fields, STRREFS for strings, SETS for in/intersects/pmatch.
 */
struct shrike_insn {
	__u8 op;		/* SHRIKE_OP_* */
	__u8 cmp;		/* SHRIKE_CMP_* for TEST, else 0 */
	__le16 field;		/* SHRIKE_F_* for TEST, else 0 */
	__le16 arg;
	__le16 operand;
};
#define SHRIKE_ARG_NONE	0xffff

enum shrike_source {
	SHRIKE_SRC_SYSCALL,
	SHRIKE_SRC_K8S_AUDIT,
	__SHRIKE_SRC_MAX,
};

enum shrike_priority {		/* syslog order, as Falco */
	SHRIKE_PRI_EMERGENCY,
	SHRIKE_PRI_ALERT,
	SHRIKE_PRI_CRITICAL,
	SHRIKE_PRI_ERROR,
	SHRIKE_PRI_WARNING,
	SHRIKE_PRI_NOTICE,
	SHRIKE_PRI_INFORMATIONAL,
	SHRIKE_PRI_DEBUG,
	__SHRIKE_PRI_MAX,
};

enum shrike_rule_flags {
	SHRIKE_RF_ENABLED	= 1 << 0,
	SHRIKE_RF_NEEDS_AGENT	= 1 << 1,	/* program reads agent-only fields */
	SHRIKE_RF_ALL_EVENTS	= 1 << 2,	/* no finite event-type set */
	SHRIKE_RF_ENTRY		= 1 << 3,	/* evaluate at syscall entry (evt.dir=>) */
};
#define SHRIKE_RF_MASK	0xf

struct shrike_rule {
	__le32 name;		/* STRREFS: rule name */
	__le32 desc;		/* STRREFS */
	__le32 output;		/* STRREFS: Falco output format */
	__le32 prog;		/* first insn in SHRIKE_SEC_INSNS */
	__le32 prog_len;
	__le32 captures;	/* first entry in SHRIKE_SEC_CAPTURES */
	__le16 ncaptures;
	__le16 ntags;
	__le32 tags;		/* first entry in SHRIKE_SEC_TAGS */
	__u8 source;		/* SHRIKE_SRC_* */
	__u8 priority;		/* SHRIKE_PRI_* */
	__le16 flags;		/* SHRIKE_RF_* */
	__le16 ncond;		/* the last ncond captures are condition
				 * fields the output does not name: sent
				 * only when the kernel could not decide
				 */
	__le16 reserved;	/* zero */
	__le64 evtypes[SHRIKE_EVT_BITMAP_WORDS];	/* bit per SHRIKE_EVT_* */
};

/* A field the kernel must capture and send with a candidate. */
struct shrike_capture {
	__le16 field;		/* SHRIKE_F_* */
	__le16 arg;		/* as in struct shrike_insn */
};

#endif /* _UAPI_LINUX_SHRIKE_H */
