/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_CMD_H
#define ISPT_CMD_H

struct ispt_conn;
struct ispt_pdu_summary;

/* cmd.c APIs: */
int ispt_cmd_handle(struct ispt_conn *conn, const struct ispt_pdu_summary *s);
int ispt_cmd_tmf(struct ispt_conn *conn, const struct ispt_pdu_summary *s);
int ispt_cmd_data_out(struct ispt_conn *conn, const struct ispt_pdu_summary *s);
int ispt_cmd_rx_immediate(struct ispt_conn *conn,
			  const struct ispt_pdu_summary *s);
int ispt_cmd_rx_data_out(struct ispt_conn *conn,
			 const struct ispt_pdu_summary *s);
void ispt_cmd_rx_abandon(struct ispt_conn *conn);
void ispt_cmds_conn_closing(struct ispt_conn *conn);

#endif /* ISPT_CMD_H */
