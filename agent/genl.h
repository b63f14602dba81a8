/* genl.h - the agent's side of the "shrike" generic netlink family (libmnl). */
#ifndef SHRIKE_AGENT_GENL_H
#define SHRIKE_AGENT_GENL_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include "../kmod/uapi/shrike.h"

struct shrike_nl {
	struct mnl_socket *sock;
	uint16_t family;	/* resolved generic netlink family id */
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
/* Makes this socket the module's one receiver of alerts. */
int shrike_nl_subscribe(struct shrike_nl *nl);
int shrike_nl_get_stats(struct shrike_nl *nl, uint64_t stats[__SHRIKE_STAT_MAX]);
/* Blocks for one batch of messages and runs cb on each (SHRIKE_CMD_ALERT). */
int shrike_nl_recv(struct shrike_nl *nl, mnl_cb_t cb, void *data);

#endif
