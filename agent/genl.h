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
	char errmsg[256];	/* the kernel's extended-ACK message of the last error */
	mnl_cb_t cb;		/* the current transaction's reply callback */
	void *cb_data;
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
/* Sends a table in SHRIKE_CHUNK_MAX chunks; on error nl->errmsg says why. */
int shrike_nl_load_table(struct shrike_nl *nl, const void *table, size_t len);
int shrike_nl_unload_table(struct shrike_nl *nl);

#endif
