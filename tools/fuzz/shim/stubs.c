// SPDX-License-Identifier: GPL-2.0
/*
 * Link-time stand-ins for what the protocol files call outside
 * themselves (the target registry, sessions, connections). The fuzz
 * targets never reach the paths that use them for real; if one does,
 * it aborts so the fuzzer reports it.
 */
#include "shim.h"
#include "conn.h"
#include "login.h"
#include "session.h"
#include "state.h"
#include "target.h"

struct ispt_target *ispt_target_find(const char *name)
{
	return NULL;
}

void ispt_target_put(struct ispt_target *target)
{
	abort();
}

enum ispt_access ispt_target_access(struct ispt_target *target, u16 pg_tag,
				    const char *initiator,
				    const struct sockaddr_storage *peer)
{
	abort();
}

/* text.c's PDU side, never reached by ispt_text_answer(). */
const char *ispt_target_name(const struct ispt_target *target)
{
	abort();
}

int ispt_send_targets(const char *which, u16 tpgt, const char *initiator,
		      const struct sockaddr_storage *peer,
		      const struct sockaddr_storage *local, char *buf, size_t len)
{
	abort();
}

struct ispt_pdu_sn ispt_session_sn(struct ispt_conn *conn, bool advance)
{
	abort();
}

struct ispt_tx_pdu *ispt_tx_pdu_alloc(u32 data_len, gfp_t gfp)
{
	abort();
}

void ispt_conn_queue_pdu(struct ispt_conn *conn, struct ispt_tx_pdu *pdu)
{
	abort();
}

/* negotiate.c publishes a logged-in connection for the CLI's listing. */
void ispt_state_conn_publish(struct ispt_conn *conn)
{
	abort();
}

/* A configfs knob negotiate.c reads: its default. */
unsigned int ispt_max_conns_per_session = 1;

/* The stub registry has no targets, so no target's auth policy either. */
struct ispt_auth_policy *ispt_target_auth(struct ispt_target *target)
{
	abort();
}
