// SPDX-License-Identifier: GPL-2.0
/*
 * The configfs tree under /sys/kernel/config/iscsi_spt.
 */
#include <linux/configfs.h>
#include <linux/cpu.h>
#include <linux/module.h>
#include <uapi/linux/iscsi_spt.h>

#include "configfs.h"
#include "worker.h"

static ssize_t ispt_root_version_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%s\n", ISCSI_SPT_VERSION);
}

/* One line per present CPU: is its worker serving, how many items it owns. */
static ssize_t ispt_root_workers_show(struct config_item *item, char *page)
{
	ssize_t len = 0;
	int cpu;

	cpus_read_lock();
	for_each_present_cpu(cpu)
		len += sysfs_emit_at(page, len, "cpu %d online %d owned %u\n",
				     cpu, ispt_worker_online(cpu),
				     ispt_worker_nr_owned(cpu));
	cpus_read_unlock();
	return len;
}

CONFIGFS_ATTR_RO(ispt_root_, version);
CONFIGFS_ATTR_RO(ispt_root_, workers);

static struct configfs_attribute *ispt_root_attrs[] = {
	&ispt_root_attr_version,
	&ispt_root_attr_workers,
	NULL,
};

static const struct config_item_type ispt_root_type = {
	.ct_attrs	= ispt_root_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct configfs_subsystem ispt_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf	= ISCSI_SPT_CONFIGFS_ROOT,
			.ci_type	= &ispt_root_type,
		},
	},
};

int ispt_configfs_init(void)
{
	int ret;

	config_group_init(&ispt_subsys.su_group);
	mutex_init(&ispt_subsys.su_mutex);
	ret = configfs_register_subsystem(&ispt_subsys);
	if (ret)
		pr_err("cannot register configfs subsystem: %d\n", ret);
	return ret;
}

void ispt_configfs_exit(void)
{
	configfs_unregister_subsystem(&ispt_subsys);
}
