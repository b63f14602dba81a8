/* genl.h - the agent's side of the "shrike" generic netlink family (libmnl). */
#ifndef SHRIKE_AGENT_GENL_H
#define SHRIKE_AGENT_GENL_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include "../kmod/uapi/shrike.h"

struct shrike_nl {
	struct mnl_socket *sock;
	uint16_t family; /* resolved generic netlink family id */
	uint32_t seq;
	char errmsg[256]; /* the kernel's extended-ACK message of the last error */
	mnl_cb_t cb;	  /* the current transaction's reply callback */
	void *cb_data;
	uint64_t recv_calls, recv_dgrams; /* shrike_nl_recv: system calls, skbs */
};

struct shrike_info {
	uint32_t abi;
	char version[32];
	uint32_t max_table_size;
	bool table_loaded;
	uint32_t table_checksum;
	uint64_t generation;  /* bumped by every load and unload */
	bool locked;	      /* SHRIKE_CMD_LOCK was sent: no more changes */
	uint32_t rate, burst; /* per-rule rate limit, 0: none */
	uint32_t match_mode;  /* SHRIKE_MATCH_* */
};

/* Opens a socket and resolves the family. Returns 0, -ENOENT when the module
 * is not loaded, or another -errno; errmsg gets a one-line reason. */
int shrike_nl_open(struct shrike_nl *nl, char *errmsg, size_t errlen);
void shrike_nl_close(struct shrike_nl *nl);
int shrike_nl_get_info(struct shrike_nl *nl, struct shrike_info *info);
/* Sends a table in SHRIKE_CHUNK_MAX chunks; on error nl->errmsg says why. */
int shrike_nl_load_table(struct shrike_nl *nl, const void *table, size_t len);
/* The same, refused with -ESTALE unless the module's generation is still
 * *expect (NULL: no check); *committed (if not NULL) gets the new one. */
int shrike_nl_load_table_gen(struct shrike_nl *nl, const void *table, size_t len,
			     const uint64_t *expect, uint64_t *committed);
/* The steps of a load, for tests of the protocol itself. */
int shrike_nl_load_begin(struct shrike_nl *nl, uint32_t size, const uint64_t *expect);
int shrike_nl_load_chunk(struct shrike_nl *nl, uint32_t off, const void *data, uint32_t n);
int shrike_nl_load_commit(struct shrike_nl *nl, uint64_t *committed);
int shrike_nl_unload_table(struct shrike_nl *nl);
/* Freezes the table and configuration until reboot. */
int shrike_nl_lock(struct shrike_nl *nl);
/* Each pointer that is not NULL is set (SHRIKE_A_RATE, _BURST, _MATCH_MODE). */
int shrike_nl_set_config(struct shrike_nl *nl, const uint32_t *rate, const uint32_t *burst,
			 const uint32_t *match_mode);
/* Makes this socket the module's one receiver of alerts. */
int shrike_nl_subscribe(struct shrike_nl *nl);
int shrike_nl_get_stats(struct shrike_nl *nl, uint64_t stats[__SHRIKE_STAT_MAX]);
/* A SHRIKE_STAT_* counter's name ("sent", "buffer_full", ...; NULL for
 * none) and whether it counts events or alerts lost. */
const char *shrike_stat_name(int stat);
bool shrike_stat_is_drop(int stat);
/* The same, and fn for each rule of the loaded table (checksum) that matched. */
typedef void (*shrike_rule_stat_fn)(void *ctx, uint32_t checksum, uint32_t rule, uint64_t matches);
int shrike_nl_get_stats_rules(struct shrike_nl *nl, uint64_t stats[__SHRIKE_STAT_MAX],
			      shrike_rule_stat_fn fn, void *ctx);
/* Blocks for the first of up to 8 datagrams (batches of messages from the
 * kernel) and runs cb on each message of each (SHRIKE_CMD_ALERT). 0, or
 * -errno: -ENOSPC when a datagram did not fit the buffer (its messages are
 * lost; the others were run), an error of mnl_cb_run, or of recvmmsg. */
int shrike_nl_recv(struct shrike_nl *nl, mnl_cb_t cb, void *data);

#endif
