// SPDX-License-Identifier: GPL-2.0
/*
 * Portals: listening TCP sockets.
 *
 * There is no accept thread. The listening socket's sk_data_ready only
 * queues the portal's service item on a worker, which accepts without
 * blocking and hands each new socket to the connection engine, which
 * places it on the least-loaded CPU the portal group allows. The worker
 * owns the listening socket; stopping a portal asks it to close it.
 */
#include <linux/completion.h>
#include <linux/inet.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <uapi/linux/iscsi_spt.h>

#include "conn.h"
#include "portal.h"
#include "worker.h"

#define PORTAL_BACKLOG		128
#define PORTAL_ACCEPT_BUDGET	16

struct ispt_portal {
	struct ispt_work	work;
	struct socket		*sock;
	struct sockaddr_storage	addr;
	u16			tpgt;
	spinlock_t		cpus_lock;	/* protects cpus */
	cpumask_var_t		cpus;		/* where its connections may run */
	cpumask_var_t		accept_cpus;	/* the owner's copy of cpus */
	bool			stopping;
	struct completion	stopped;
	void			(*saved_data_ready)(struct sock *sk);
};

/**
 * ispt_portal_parse_addr - parse "ADDR[:PORT]" as an admin writes it
 * @str: "0.0.0.0:3260", "192.0.2.1", "[::]:3260", "[2001:db8::1]"...
 * @addr: result; the port defaults to 3260
 *
 * Return: 0, or -EINVAL if @str is not an IPv4 or bracketed IPv6 address
 * with an optional non-zero port.
 */
int ispt_portal_parse_addr(const char *str, struct sockaddr_storage *addr)
{
	char host[INET6_ADDRSTRLEN + IFNAMSIZ + 2];
	const char *port = NULL, *end;
	unsigned short family;
	size_t hostlen;
	u16 portnum;

	if (str[0] == '[') {
		end = strchr(str, ']');
		if (!end)
			return -EINVAL;
		family = AF_INET6;
		hostlen = end - str - 1;
		str++;
		end++;
		if (*end == ':')
			port = end + 1;
		else if (*end)
			return -EINVAL;
	} else {
		family = AF_INET;
		end = strchr(str, ':');
		hostlen = end ? end - str : strlen(str);
		if (end)
			port = end + 1;
	}
	if (!hostlen || hostlen >= sizeof(host))
		return -EINVAL;
	memcpy(host, str, hostlen);
	host[hostlen] = '\0';

	portnum = ISCSI_SPT_DEFAULT_PORT;
	if (port && (kstrtou16(port, 10, &portnum) || !portnum))
		return -EINVAL;

	/* inet_pton_with_scope() wants the port as a string. */
	return inet_pton_with_scope(&init_net, family, host,
				    port ? port : __stringify(ISCSI_SPT_DEFAULT_PORT),
				    addr);
}

static void portal_data_ready(struct sock *sk)
{
	struct ispt_portal *portal;

	read_lock_bh(&sk->sk_callback_lock);
	portal = sk->sk_user_data;
	if (portal && sk->sk_state == TCP_LISTEN)
		ispt_work_queue(&portal->work);
	read_unlock_bh(&sk->sk_callback_lock);
}

static void portal_close(struct ispt_portal *portal)
{
	sock_release(portal->sock);
	portal->sock = NULL;
}

static bool portal_accept_work(struct ispt_work *work)
{
	struct ispt_portal *portal = container_of(work, struct ispt_portal, work);
	struct socket *newsock;
	int budget, ret;

	if (READ_ONCE(portal->stopping)) {
		portal_close(portal);
		complete(&portal->stopped);
		return false;
	}

	spin_lock(&portal->cpus_lock);
	cpumask_copy(portal->accept_cpus, portal->cpus);
	spin_unlock(&portal->cpus_lock);

	for (budget = PORTAL_ACCEPT_BUDGET; budget; budget--) {
		ret = kernel_accept(portal->sock, &newsock, O_NONBLOCK);
		if (ret == -EAGAIN)
			break;
		if (ret) {
			net_warn_ratelimited("portal %pISpc: accept failed: %d\n",
					     &portal->addr, ret);
			break;
		}
		ret = ispt_conn_accept(newsock, portal->tpgt,
				       portal->accept_cpus);
		if (ret) {
			net_warn_ratelimited("portal %pISpc: dropping new connection: %d\n",
					     &portal->addr, ret);
			sock_release(newsock);
		}
	}
	return !budget;
}

static int portal_open_socket(struct ispt_portal *portal)
{
	struct sockaddr_storage *addr = &portal->addr;
	struct socket *sock;
	int ret;

	ret = sock_create_kern(&init_net, addr->ss_family, SOCK_STREAM,
			       IPPROTO_TCP, &sock);
	if (ret)
		return ret;
	sock_set_reuseaddr(sock->sk);
	/* Let "[::]" and "0.0.0.0" on one port be two portals. */
	if (addr->ss_family == AF_INET6) {
		ret = ip6_sock_set_v6only(sock->sk);
		if (ret)
			goto err_release;
	}
	ret = kernel_bind(sock, (struct sockaddr *)addr, sizeof(*addr));
	if (ret)
		goto err_release;
	ret = kernel_listen(sock, PORTAL_BACKLOG);
	if (ret)
		goto err_release;
	portal->sock = sock;
	return 0;

err_release:
	sock_release(sock);
	return ret;
}

/**
 * ispt_portal_listen - open a listening portal
 * @addr: address and port to listen on
 * @tpgt: tag of the portal group it belongs to
 * @cpus: CPUs its connections may run on (none online: any)
 *
 * Return: the portal, or an ERR_PTR (-EADDRINUSE, -EADDRNOTAVAIL, ...).
 */
struct ispt_portal *ispt_portal_listen(const struct sockaddr_storage *addr,
				       u16 tpgt, const struct cpumask *cpus)
{
	struct ispt_portal *portal;
	struct sock *sk;
	int ret;

	portal = kzalloc(sizeof(*portal), GFP_KERNEL);
	if (!portal)
		return ERR_PTR(-ENOMEM);
	if (!zalloc_cpumask_var(&portal->cpus, GFP_KERNEL)) {
		ret = -ENOMEM;
		goto err_free;
	}
	if (!zalloc_cpumask_var(&portal->accept_cpus, GFP_KERNEL)) {
		ret = -ENOMEM;
		goto err_free_cpus;
	}
	cpumask_copy(portal->cpus, cpus);
	spin_lock_init(&portal->cpus_lock);
	init_completion(&portal->stopped);
	portal->addr = *addr;
	portal->tpgt = tpgt;
	ispt_work_init_service(&portal->work, portal_accept_work);

	ret = portal_open_socket(portal);
	if (ret)
		goto err_free_cpus;
	ret = ispt_work_attach(&portal->work, cpus);
	if (ret < 0)
		goto err_close;

	sk = portal->sock->sk;
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = portal;
	portal->saved_data_ready = sk->sk_data_ready;
	sk->sk_data_ready = portal_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);

	/* Connections may have queued before the callback was in place. */
	ispt_work_queue(&portal->work);
	pr_info("portal %pISpc (tpgt %u) listening\n", &portal->addr, tpgt);
	return portal;

err_close:
	portal_close(portal);
err_free_cpus:
	free_cpumask_var(portal->accept_cpus);
	free_cpumask_var(portal->cpus);
err_free:
	kfree(portal);
	return ERR_PTR(ret);
}

void ispt_portal_set_cpus(struct ispt_portal *portal,
			  const struct cpumask *cpus)
{
	spin_lock(&portal->cpus_lock);
	cpumask_copy(portal->cpus, cpus);
	spin_unlock(&portal->cpus_lock);
}

/*
 * Stops accepting at once; connections already accepted are not touched.
 * Sleeps until the owning worker has closed the socket.
 */
void ispt_portal_stop(struct ispt_portal *portal)
{
	struct sock *sk = portal->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	sk->sk_data_ready = portal->saved_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);

	/*
	 * No callback can queue the item now; the owner sees the flag on
	 * its next run, closes the socket and completes.
	 */
	WRITE_ONCE(portal->stopping, true);
	ispt_work_queue(&portal->work);
	wait_for_completion(&portal->stopped);
	ispt_work_detach(&portal->work);

	pr_info("portal %pISpc (tpgt %u) closed\n", &portal->addr, portal->tpgt);
	free_cpumask_var(portal->accept_cpus);
	free_cpumask_var(portal->cpus);
	kfree(portal);
}
