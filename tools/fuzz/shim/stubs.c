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
