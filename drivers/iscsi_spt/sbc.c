// SPDX-License-Identifier: GPL-2.0
/*
 * Block commands beyond READ, WRITE and SYNCHRONIZE CACHE (which cmd.c
 * runs itself): each gets the decoded CDB and, for data-out commands,
 * its parameter data in the command's pages; see cmd.h for the API.
 */
#include <linux/errno.h>

#include "cmd.h"

/**
 * ispt_sbc_execute - run a decoded command cmd.c does not run itself
 * @cmd: the command, in its owner, its data-out already received
 *
 * Return: 0 when the command has ended or its bios are under way, or
 * -EOPNOTSUPP for a command with no executor (the caller answers
 * INVALID COMMAND OPERATION CODE). UNMAP and WRITE SAME decode but have
 * no executor yet, which is why thin provisioning is not advertised.
 */
int ispt_sbc_execute(struct ispt_cmd *cmd)
{
	switch (cmd->scsi.handler) {
	default:
		return -EOPNOTSUPP;
	}
}
