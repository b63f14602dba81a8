/* dns.h - the host names of fd.sip.name, fd.cip.name, fd.lip.name and
 * fd.rip.name comparisons, resolved off the event path (see dns.c). One
 * resolver per process, as libsinsp's sinsp_dns_manager. */
#ifndef SHRIKE_LIB_DNS_H
#define SHRIKE_LIB_DNS_H

#include <stdbool.h>
#include "../kmod/common/table.h"

/*
 * Takes the names that table t compares the four fields with, keeping what
 * is known of the names already there, and has the resolver thread (started
 * on the first call) resolve the new ones; waits up to wait_ms for them, so
 * that the first events already see them. Names of an earlier table that t
 * does not have are forgotten.
 */
void dns_load_table(const struct shrike_table *t, int wait_ms);

/*
 * For a batch (shrikec test): takes t's names as dns_load_table does but
 * resolves none until dns_match first needs it; that call waits for it. All
 * such waits together last at most budget_ms: a name not resolved by then
 * matches no address for the rest of the run ("=" FALSE, "!=" TRUE, as a
 * name that does not resolve), and a line on stderr, prefixed with who, says
 * so. A name is resolved once, never refreshed.
 */
void dns_load_table_lazy(const struct shrike_table *t, int budget_ms, const char *who);

/*
 * The evaluator's host hook: 1 if addr (an IPADDR value) is one of name's
 * addresses, 0 if not (also when name does not resolve), -1 if name is not
 * one of the table's or its first resolution has not finished. Never waits,
 * but after dns_load_table_lazy (see there).
 */
int dns_match(const char *name, u32 len, const struct shrike_val *addr);

/* What %fd.sip.name prints: the first of the table's names (in table order)
 * whose addresses hold addr, malloc'd; NULL if none (<NA>). */
char *dns_name_of(const struct shrike_val *addr);

/* Stops the resolver thread and forgets every name. */
void dns_stop(void);

#endif
