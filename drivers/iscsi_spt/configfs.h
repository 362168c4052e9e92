/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_CONFIGFS_H
#define ISPT_CONFIGFS_H

/* configfs.c APIs: */
int ispt_configfs_init(void);
void ispt_configfs_exit(void);

#endif /* ISPT_CONFIGFS_H */
