/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the subcommand files. */
#ifndef ISCSI_SPT_CMDS_H
#define ISCSI_SPT_CMDS_H

#include <getopt.h>

#include "iscsi-spt.h"

int cmd_getopt(int argc, char **argv, const char *shortopts,
	       const struct option *longopts, int *err);
int cmd_args(int argc, int min, int max);
int load_live(struct model *m);
char *live_node_base(void);
char *arg_target(const char *arg);
int fail_undo(struct undo *u, struct err *e);
void print_json(struct json_object *o);
void print_policy(const char *prefix, const struct auth_policy *p);

#endif /* ISCSI_SPT_CMDS_H */
