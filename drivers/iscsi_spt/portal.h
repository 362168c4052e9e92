/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_PORTAL_H
#define ISPT_PORTAL_H

#include <linux/cpumask.h>
#include <linux/socket.h>
#include <linux/types.h>

struct ispt_portal;

/* portal.c APIs: */
int ispt_portal_parse_addr(const char *str, struct sockaddr_storage *addr);
struct ispt_portal *ispt_portal_listen(const struct sockaddr_storage *addr,
				       u16 tpgt, const struct cpumask *cpus);
void ispt_portal_set_cpus(struct ispt_portal *portal,
			  const struct cpumask *cpus);
void ispt_portal_stop(struct ispt_portal *portal);

#endif /* ISPT_PORTAL_H */
