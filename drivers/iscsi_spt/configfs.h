/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_CONFIGFS_H
#define ISPT_CONFIGFS_H

#include <linux/types.h>

/*
 * Global parameters from the configfs root, read with READ_ONCE(): the
 * most sessions the target runs at once, and the most connections one
 * session may have (the login path enforces both).
 */
extern unsigned int ispt_max_sessions;
extern unsigned int ispt_max_conns_per_session;

/* configfs.c APIs: */
size_t ispt_node_base(char *buf, size_t size);
int ispt_configfs_init(void);
void ispt_configfs_exit(void);

#endif /* ISPT_CONFIGFS_H */
