// SPDX-License-Identifier: GPL-2.0
/*
 * iscsi_spt: an iSCSI target with per-CPU connection workers.
 *
 * Module init and exit only; each subsystem lives in its own file.
 */
#include <linux/module.h>
#include <uapi/linux/iscsi_spt.h>

#include "conn.h"
#include "configfs.h"
#include "worker.h"

static int __init ispt_mod_init(void)
{
	int ret;

	ret = ispt_workers_init();
	if (ret)
		return ret;

	ret = ispt_configfs_init();
	if (ret)
		goto err_workers;

	pr_info("loaded, version %s\n", ISCSI_SPT_VERSION);
	return 0;

err_workers:
	ispt_workers_exit();
	return ret;
}

static void __exit ispt_mod_exit(void)
{
	ispt_configfs_exit();
	/* Portals are gone; end what is still connected. */
	ispt_conns_shutdown();
	ispt_workers_exit();
	pr_info("unloaded\n");
}

module_init(ispt_mod_init);
module_exit(ispt_mod_exit);

MODULE_DESCRIPTION("iSCSI target with per-CPU connection workers");
MODULE_LICENSE("GPL");
MODULE_VERSION(ISCSI_SPT_VERSION);
