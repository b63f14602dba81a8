/* genl.h - the agent's side of the "shrike" generic netlink family (libmnl). */
#ifndef SHRIKE_AGENT_GENL_H
#define SHRIKE_AGENT_GENL_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

struct shrike_nl {
	struct mnl_socket *sock;
	uint16_t family;	/* resolved generic netlink family id */
	uint32_t mcgrp_alerts;	/* multicast group id, 0 if not offered */
	uint32_t seq;
};

struct shrike_info {
	uint32_t abi;
	char version[32];
	uint32_t max_table_size;
	bool table_loaded;
	uint32_t table_checksum;
};

/* Opens a socket and resolves the family. Returns 0, -ENOENT when the module
 * is not loaded, or another -errno; errmsg gets a one-line reason. */
int shrike_nl_open(struct shrike_nl *nl, char *errmsg, size_t errlen);
void shrike_nl_close(struct shrike_nl *nl);
int shrike_nl_get_info(struct shrike_nl *nl, struct shrike_info *info);

#endif
