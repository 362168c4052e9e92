// SPDX-License-Identifier: GPL-2.0
/*
 * Connections: lifecycle, socket callbacks and the per-connection I/O loop.
 *
 * A connection belongs to one CPU's worker from accept to free. Socket
 * callbacks and timers only queue it; everything else — receiving,
 * handling PDUs, sending, teardown — runs in the owning worker, so the
 * connection's state needs no lock.
 */
#include <linux/blkdev.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "cmd.h"
#include "conn.h"
#include "login.h"
#include "session.h"
#include "text.h"
#include "target.h"

#define CONN_RECV_BUDGET	8	/* PDUs received per round */
#define CONN_SEND_BUDGET	16	/* PDUs sent per round */
#define CONN_IO_BUDGET		64	/* PDUs per turn before yielding */
#define CONN_LOGIN_TIMEOUT	(30 * HZ)
/*
 * Answers waiting for the socket past which no new PDU is read: an
 * initiator that sends without reading then meets TCP's flow control
 * instead of making us queue whatever it asks for.
 */
#define CONN_TX_MAX_BYTES	(4 << 20)

enum {
	CONN_EV_CLOSE,		/* close requested from any context */
	CONN_EV_LOGOUT,		/* ask the initiator to log out, or else */
	CONN_EV_LOGOUT_ASK,	/* only ask */
	CONN_EV_RECHECK,	/* access control changed: still allowed? */
};

/* Seconds an initiator asked to log out has before we hang up. */
#define CONN_LOGOUT_WAIT	10

unsigned int ispt_nopin_interval = 15;
unsigned int ispt_nopin_timeout = 15;

static LIST_HEAD(ispt_conns);
static DEFINE_SPINLOCK(ispt_conns_lock);	/* protects ispt_conns */
static atomic_t ispt_nr_conns = ATOMIC_INIT(0);	/* allocated connections */

static void conn_kick(struct ispt_conn *conn)
{
	ispt_work_queue(&conn->work);
}

/*
 * Ask the initiator to log out (RFC 7143 11.9.1, AsyncEvent 1); from any
 * context. The connection is dropped if it has not within
 * CONN_LOGOUT_WAIT seconds.
 */
void ispt_conn_request_logout(struct ispt_conn *conn, bool drop)
{
	set_bit(drop ? CONN_EV_LOGOUT : CONN_EV_LOGOUT_ASK, &conn->events);
	conn_kick(conn);
}

static void conn_send_logout_request(struct ispt_conn *conn, bool drop)
{
	struct ispt_pdu_async_args a = {
		.event = ISCSI_ASYNC_MSG_REQUEST_LOGOUT,
		.param3 = CONN_LOGOUT_WAIT,
	};
	struct ispt_tx_pdu *pdu;
	struct ispt_pdu_sn sn;

	if (conn->state != ISPT_CONN_FULL_FEATURE || conn->logout_deadline ||
	    (!drop && conn->logout_asked))
		return;
	pdu = ispt_tx_pdu_alloc(0, GFP_KERNEL);
	if (!pdu) {
		ispt_conn_close(conn, "no memory to ask for a logout");
		return;
	}
	sn = ispt_session_sn(conn, true);
	ispt_pdu_build_async(&pdu->bhs, &a, &sn);
	ispt_conn_queue_pdu(conn, pdu);
	conn->logout_asked = true;
	/* 0 means "none": a deadline of exactly 0 jiffies moves by one. */
	if (drop)
		conn->logout_deadline = (jiffies + CONN_LOGOUT_WAIT * HZ) ?: 1;
}

/* Ask @conn's owner to close it; from any context. */
void ispt_conn_request_close(struct ispt_conn *conn)
{
	set_bit(CONN_EV_CLOSE, &conn->events);
	conn_kick(conn);
}

static void conn_data_ready(struct sock *sk)
{
	struct ispt_conn *conn;

	read_lock_bh(&sk->sk_callback_lock);
	conn = sk->sk_user_data;
	if (conn)
		conn_kick(conn);
	read_unlock_bh(&sk->sk_callback_lock);
}

static void conn_write_space(struct sock *sk)
{
	struct ispt_conn *conn;

	read_lock_bh(&sk->sk_callback_lock);
	conn = sk->sk_user_data;
	if (conn && sk_stream_is_writeable(sk)) {
		clear_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		conn_kick(conn);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

static void conn_state_change(struct sock *sk)
{
	struct ispt_conn *conn;

	read_lock_bh(&sk->sk_callback_lock);
	conn = sk->sk_user_data;
	if (conn) {
		switch (sk->sk_state) {
		case TCP_FIN_WAIT1:
		case TCP_CLOSE_WAIT:
		case TCP_CLOSE:
			ispt_conn_request_close(conn);
			break;
		default:
			break;
		}
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

static void conn_timer_fn(struct timer_list *t)
{
	struct ispt_conn *conn = from_timer(conn, t, timer);

	conn_kick(conn);
}

static void conn_free(struct ispt_conn *conn)
{
	ispt_work_detach(&conn->work);
	free_cpumask_var(conn->cpus);
	kfree(conn->rx.data);
	kfree(conn);
	if (atomic_dec_and_test(&ispt_nr_conns))
		wake_up_var(&ispt_nr_conns);
}

/*
 * Free a torn-down connection once nothing can reach it: no command left
 * (their bios post back to it) and not on a ready list.
 */
static void conn_try_free(struct ispt_conn *conn)
{
	if (!conn->nr_cmds && !atomic_read(&conn->holds) &&
	    !ispt_work_pending(&conn->work))
		conn_free(conn);
}

/*
 * Keep @conn from being freed until ispt_conn_unhold(). From any CPU,
 * while @conn surely still exists: in its owner, or under its session's
 * lock while it is on the session's list. Its teardown takes it off that
 * list under the same lock before it checks @holds, so it sees this one.
 */
void ispt_conn_hold(struct ispt_conn *conn)
{
	atomic_inc(&conn->holds);
}

/* In the owner: the last hold of a torn-down connection frees it. */
void ispt_conn_unhold(struct ispt_conn *conn)
{
	if (atomic_dec_and_test(&conn->holds) && conn->dead)
		conn_try_free(conn);
}

/*
 * In the owner, when a command of @conn has been freed. A @retained one
 * (ERL 1, cmd.c) stopped counting against the session when it ended.
 */
void ispt_conn_cmd_gone(struct ispt_conn *conn, bool retained)
{
	conn->nr_cmds--;
	if (conn->sess && !retained)
		atomic_dec(&conn->sess->nr_cmds);
	if (conn->dead)
		conn_try_free(conn);
	else if (!retained)
		ispt_session_cmd_gone(conn);
}

/*
 * Runs in the owner. After the callbacks are restored and the connection
 * is off the global list, nothing can queue it again; if something did
 * just before, it is still on a ready list and is freed on that last run.
 */
static void conn_teardown(struct ispt_conn *conn)
{
	struct socket *sock = conn->sock;
	struct sock *sk = sock->sk;

	conn->state = ISPT_CONN_CLOSING;
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	sk->sk_data_ready = conn->saved_data_ready;
	sk->sk_write_space = conn->saved_write_space;
	sk->sk_state_change = conn->saved_state_change;
	write_unlock_bh(&sk->sk_callback_lock);
	del_timer_sync(&conn->timer);

	kernel_sock_shutdown(sock, SHUT_RDWR);
	ispt_conn_tx_drop_all(conn);
	ispt_cmds_conn_closing(conn);
	ispt_status_drop_all(conn);
	ispt_login_free(conn);
	ispt_text_reset(conn);
	ispt_session_conn_gone(conn);
	sock_release(sock);
	conn->sock = NULL;

	spin_lock_bh(&ispt_conns_lock);
	list_del_init(&conn->node);
	spin_unlock_bh(&ispt_conns_lock);

	pr_debug("connection %pISpc closed\n", &conn->peer);
	conn->dead = true;
	conn_try_free(conn);
}

/*
 * Checked once per turn: the login deadline, and in Full Feature Phase
 * the keepalive: after ispt_nopin_interval seconds without a PDU from
 * the initiator, ping it with a NOP-In; if nothing comes back within
 * ispt_nopin_timeout seconds, the initiator is gone: drop the connection.
 */
static void conn_check_timers(struct ispt_conn *conn)
{
	unsigned long interval = READ_ONCE(ispt_nopin_interval) * HZ;
	unsigned long timeout = READ_ONCE(ispt_nopin_timeout) * HZ;
	unsigned long next;

	if (conn->state == ISPT_CONN_LOGIN) {
		if (time_after_eq(jiffies, conn->login_deadline)) {
			net_info_ratelimited("%pISpc: login timed out\n",
					     &conn->peer);
			ispt_conn_close(conn, "login timeout");
		}
		return;
	}
	if (conn->state != ISPT_CONN_FULL_FEATURE)
		return;
	if (conn->logout_deadline) {
		if (time_after_eq(jiffies, conn->logout_deadline)) {
			net_info_ratelimited("%pISpc: asked to log out %us ago, dropping the connection\n",
					     &conn->peer, CONN_LOGOUT_WAIT);
			ispt_conn_close(conn, "no logout when asked");
			return;
		}
		/* The keepalive timer below comes first, or this one. */
		if (!timer_pending(&conn->timer) ||
		    time_before(conn->logout_deadline, conn->timer.expires))
			mod_timer(&conn->timer, conn->logout_deadline);
	}
	if (!interval)
		return;

	if (conn->nop_pending) {
		if (time_after_eq(jiffies, conn->nop_sent + timeout)) {
			net_info_ratelimited("%pISpc: no answer to NOP-In in %lus, dropping the connection\n",
					     &conn->peer, timeout / HZ);
			ispt_conn_close(conn, "keepalive timeout");
			return;
		}
		next = conn->nop_sent + timeout;
	} else if (time_after_eq(jiffies, conn->last_rx + interval)) {
		/* Without memory for a ping, try again on the next turn. */
		if (!ispt_session_ping(conn)) {
			conn->nop_pending = true;
			conn->nop_sent = jiffies;
			/* Another turn sends it: this one is past its send. */
			ispt_work_queue(&conn->work);
		}
		next = jiffies + (conn->nop_pending ? timeout : HZ);
	} else {
		next = conn->last_rx + interval;
	}
	if (conn->logout_deadline && time_before(conn->logout_deadline, next))
		next = conn->logout_deadline;
	mod_timer(&conn->timer, next);
}

/*
 * In the owner, after an access-control change: a session (or a login
 * past its access check) whose initiator may no longer reach its target
 * through this portal group ends here.
 */
static void conn_recheck_access(struct ispt_conn *conn)
{
	struct ispt_target *target = NULL;
	const char *initiator = NULL;

	if (conn->state == ISPT_CONN_FULL_FEATURE && conn->sess &&
	    !conn->sess->discovery) {
		target = conn->sess->target;
		initiator = conn->sess->initiator;
	} else if (conn->state == ISPT_CONN_LOGIN && conn->login &&
		   conn->login->target) {
		target = conn->login->target;
		initiator = conn->login->initiator;
	}
	if (!target || ispt_target_access(target, conn->tpgt, initiator,
					  &conn->peer) == ISPT_ACCESS_ALLOWED)
		return;
	pr_info("%pISpc: %s may no longer reach %s, closing its connection\n",
		&conn->peer, initiator, ispt_target_name(target));
	ispt_conn_close(conn, "access revoked");
}

static bool conn_io_work(struct ispt_work *work)
{
	struct ispt_conn *conn = container_of(work, struct ispt_conn, work);
	struct blk_plug plug;
	int ops = 0, rx, tx;

	if (conn->dead) {
		conn_try_free(conn);
		return false;
	}
	if (test_bit(CONN_EV_CLOSE, &conn->events))
		conn->state = ISPT_CONN_CLOSING;
	if (test_and_clear_bit(CONN_EV_LOGOUT, &conn->events))
		conn_send_logout_request(conn, true);
	if (test_and_clear_bit(CONN_EV_LOGOUT_ASK, &conn->events))
		conn_send_logout_request(conn, false);
	if (test_and_clear_bit(CONN_EV_RECHECK, &conn->events))
		conn_recheck_access(conn);

	/* The bios of all the commands this turn reads go down as a batch. */
	blk_start_plug(&plug);
	/* Tasks another connection's ending let go (cmd.c). */
	if (!list_empty(&conn->cmds_ready))
		ispt_cmds_run_ready(conn);
	while (conn->state != ISPT_CONN_CLOSING && ops < CONN_IO_BUDGET) {
		rx = 0;
		if (conn->state != ISPT_CONN_LOGGED_OUT &&
		    conn->tx_bytes < CONN_TX_MAX_BYTES) {
			rx = ispt_conn_recv(conn, CONN_RECV_BUDGET);
			if (rx < 0) {
				ispt_conn_close(conn, "receive");
				break;
			}
		}
		tx = ispt_conn_send(conn, CONN_SEND_BUDGET);
		if (tx < 0) {
			ispt_conn_close(conn, "send");
			break;
		}
		if (conn->state == ISPT_CONN_LOGGED_OUT &&
		    list_empty(&conn->tx_queue))
			conn->state = ISPT_CONN_CLOSING;
		if (!rx && !tx)
			break;
		ops += rx + tx;
	}
	blk_finish_plug(&plug);

	/* After the I/O, so a login that just completed arms the keepalive. */
	conn_check_timers(conn);
	if (conn->state == ISPT_CONN_CLOSING) {
		conn_teardown(conn);
		return false;
	}
	/* A move (ispt_session_spread()) is made between two turns. */
	return ops >= CONN_IO_BUDGET || conn->work.move_cpu >= 0;
}

/**
 * ispt_conn_close - end a connection from its owner's context
 * @conn: the connection
 * @why: for the debug log
 *
 * The teardown itself runs at the end of the owner's current turn.
 */
void ispt_conn_close(struct ispt_conn *conn, const char *why)
{
	if (conn->state != ISPT_CONN_CLOSING)
		pr_debug("closing connection %pISpc: %s\n", &conn->peer, why);
	conn->state = ISPT_CONN_CLOSING;
}

static void conn_install_callbacks(struct ispt_conn *conn)
{
	struct sock *sk = conn->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = conn;
	conn->saved_data_ready = sk->sk_data_ready;
	conn->saved_write_space = sk->sk_write_space;
	conn->saved_state_change = sk->sk_state_change;
	sk->sk_data_ready = conn_data_ready;
	sk->sk_write_space = conn_write_space;
	sk->sk_state_change = conn_state_change;
	write_unlock_bh(&sk->sk_callback_lock);
}

/**
 * ispt_conn_accept - take a new TCP connection from a portal
 * @sock: the accepted socket; ours on success
 * @tpgt: the portal group it came in through
 * @cpus: CPUs it may run on; it goes to the least loaded
 *
 * Return: 0, or -errno, in which case the caller still owns @sock.
 */
int ispt_conn_accept(struct socket *sock, u16 tpgt, const struct cpumask *cpus)
{
	struct ispt_conn *conn;
	int ret;

	conn = kzalloc(sizeof(*conn), GFP_KERNEL);
	if (!conn)
		return -ENOMEM;
	conn->login = kzalloc(sizeof(*conn->login), GFP_KERNEL);
	if (!conn->login) {
		ret = -ENOMEM;
		goto err_free;
	}
	if (!zalloc_cpumask_var(&conn->cpus, GFP_KERNEL)) {
		ret = -ENOMEM;
		goto err_free;
	}
	cpumask_copy(conn->cpus, cpus);
	conn->rx.data_cap = ISPT_LOGIN_MAX_DSL;
	conn->rx.data = kmalloc(conn->rx.data_cap, GFP_KERNEL);
	if (!conn->rx.data) {
		ret = -ENOMEM;
		goto err_free;
	}
	if (kernel_getpeername(sock, (struct sockaddr *)&conn->peer) < 0 ||
	    kernel_getsockname(sock, (struct sockaddr *)&conn->local) < 0) {
		ret = -ENOTCONN;
		goto err_free;
	}

	conn->sock = sock;
	conn->tpgt = tpgt;
	conn->state = ISPT_CONN_LOGIN;
	conn->max_recv_dsl = ISPT_LOGIN_MAX_DSL;
	conn->max_send_dsl = ISPT_LOGIN_MAX_DSL;
	conn->login_deadline = jiffies + CONN_LOGIN_TIMEOUT;
	INIT_LIST_HEAD(&conn->tx_queue);
	INIT_LIST_HEAD(&conn->cmds);
	INIT_LIST_HEAD(&conn->cmds_ready);
	INIT_LIST_HEAD(&conn->cmds_retained);
	INIT_LIST_HEAD(&conn->status_copies);
	conn->text.ttt = ISCSI_RESERVED_TAG;
	INIT_LIST_HEAD(&conn->node);
	INIT_LIST_HEAD(&conn->sess_node);
	timer_setup(&conn->timer, conn_timer_fn, 0);
	ispt_work_init(&conn->work, conn_io_work);
	ispt_conn_rx_reset(conn);
	ispt_state_conn_init(conn);

	tcp_sock_set_nodelay(sock->sk);
	/* The owner sends without sleeping; so must TCP's allocations. */
	sock->sk->sk_allocation = GFP_ATOMIC;

	ret = ispt_work_attach(&conn->work, cpus);
	if (ret < 0)
		goto err_free;

	atomic_inc(&ispt_nr_conns);
	spin_lock_bh(&ispt_conns_lock);
	list_add_tail(&conn->node, &ispt_conns);
	spin_unlock_bh(&ispt_conns_lock);

	conn_install_callbacks(conn);
	mod_timer(&conn->timer, conn->login_deadline);
	/* The initiator may have spoken before the callbacks were in place. */
	conn_kick(conn);
	pr_debug("connection %pISpc on cpu %d\n", &conn->peer, ret);
	return 0;

err_free:
	free_cpumask_var(conn->cpus);
	kfree(conn->rx.data);
	kfree(conn->login);
	kfree(conn);
	return ret;
}

/* Module unload: end every connection and wait until all are freed. */
void ispt_conns_shutdown(void)
{
	struct ispt_conn *conn;

	spin_lock_bh(&ispt_conns_lock);
	list_for_each_entry(conn, &ispt_conns, node)
		ispt_conn_request_close(conn);
	spin_unlock_bh(&ispt_conns_lock);
	wait_var_event(&ispt_nr_conns, !atomic_read(&ispt_nr_conns));
}

/*
 * After a map link or an initiator group changed: every connection checks
 * its own access in its owner, where its session is safe to look at.
 */
void ispt_conns_recheck_access(void)
{
	struct ispt_conn *conn;

	spin_lock_bh(&ispt_conns_lock);
	list_for_each_entry(conn, &ispt_conns, node) {
		set_bit(CONN_EV_RECHECK, &conn->events);
		conn_kick(conn);
	}
	spin_unlock_bh(&ispt_conns_lock);
}

unsigned int ispt_conns_count(void)
{
	return atomic_read(&ispt_nr_conns);
}

/*
 * Call @fn on each connection not yet torn down, under the list's lock:
 * @fn must not sleep, and may read what the owner does not change.
 */
void ispt_conns_for_each(void (*fn)(struct ispt_conn *conn, void *arg),
			 void *arg)
{
	struct ispt_conn *conn;

	spin_lock_bh(&ispt_conns_lock);
	list_for_each_entry(conn, &ispt_conns, node)
		fn(conn, arg);
	spin_unlock_bh(&ispt_conns_lock);
}
