// SPDX-License-Identifier: GPL-2.0
/*
 * Stand-in for portal.c until it lands on main: parses addresses like
 * the real one would and fails every listen with -EOPNOTSUPP.
 * Delete when merging main.
 */
#include <linux/err.h>
#include <linux/inet.h>
#include <net/net_namespace.h>
#include <uapi/linux/iscsi_spt.h>

#include "portal.h"

int ispt_portal_parse_addr(const char *str, struct sockaddr_storage *addr)
{
	const char *port = strrchr(str, ':');

	if (str[0] == '[' || !port)
		return -EINVAL;
	return inet_pton_with_scope(&init_net, AF_INET, "127.0.0.1", port + 1,
				    addr);
}

struct ispt_portal *ispt_portal_listen(const struct sockaddr_storage *addr,
				       u16 tpgt, const struct cpumask *cpus)
{
	return ERR_PTR(-EOPNOTSUPP);
}

void ispt_portal_set_cpus(struct ispt_portal *portal,
			  const struct cpumask *cpus)
{
}

void ispt_portal_stop(struct ispt_portal *portal)
{
}
