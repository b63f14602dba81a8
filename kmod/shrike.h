/* SPDX-License-Identifier: GPL-2.0 */
/* shrike.h - what the module's files share with each other. */
#ifndef _SHRIKE_INTERNAL_H
#define _SHRIKE_INTERNAL_H

#include <linux/types.h>
#include "uapi/shrike.h"

extern unsigned int shrike_max_table_size;

int shrike_netlink_init(void);
void shrike_netlink_exit(void);

#endif
