/* SPDX-License-Identifier: GPL-2.0 */
/* shrike.h - what the module's files share with each other. */
#ifndef _SHRIKE_INTERNAL_H
#define _SHRIKE_INTERNAL_H

#include <linux/types.h>
#include <net/netlink.h>
#include "uapi/shrike.h"
#include "common/table.h"

extern unsigned int shrike_max_table_size;

int shrike_netlink_init(void);
void shrike_netlink_exit(void);

struct tracepoint;
/* tracepoints.c: a core kernel tracepoint by name ("sys_enter"), or NULL. */
struct tracepoint *shrike_find_tracepoint(const char *name);

/* table.c */
int shrike_table_chunk(u32 portid, u32 size, u32 offset, const void *chunk, u32 len,
		       struct netlink_ext_ack *extack, const struct nlattr *attr);
int shrike_table_unload(void);
bool shrike_table_info(u32 *checksum, u32 *nrules);
void shrike_table_exit(void);

#endif
