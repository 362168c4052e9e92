/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Names and limits shared by the iscsi_spt module and its userspace tools.
 */
#ifndef _UAPI_LINUX_ISCSI_SPT_H
#define _UAPI_LINUX_ISCSI_SPT_H

/* Directory of the module's configfs subsystem, under /sys/kernel/config. */
#define ISCSI_SPT_CONFIGFS_ROOT		"iscsi_spt"

/* IANA-registered iSCSI port. */
#define ISCSI_SPT_DEFAULT_PORT		3260

#define ISCSI_SPT_VERSION		"0.1"

/* Global parameters at the configfs root: defaults and upper bounds. */
#define ISCSI_SPT_DEFAULT_NODE_BASE	"iqn.2026-11.org.iscsi-spt"
#define ISCSI_SPT_DEFAULT_MAX_SESSIONS	4096
#define ISCSI_SPT_DEFAULT_MAX_CONNS	1
/* A TSIH is 16 bits, 0 excluded; so is the CID space of a session. */
#define ISCSI_SPT_MAX_SESSIONS		65535
#define ISCSI_SPT_MAX_CONNS		65535

#endif /* _UAPI_LINUX_ISCSI_SPT_H */
