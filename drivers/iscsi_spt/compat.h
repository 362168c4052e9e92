/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels we build for lives here, so the
 * rest of the code reads as if there were one kernel.
 */
#ifndef ISPT_COMPAT_H
#define ISPT_COMPAT_H

#include <linux/net.h>
#include <linux/socket.h>
#include <linux/uio.h>

/*
 * The Makefile probes the kernel headers and defines ISPT_HAVE_* for
 * what they offer, so no version numbers appear here.
 */

/*
 * Send part of a page without copying it. 6.5 removed ->sendpage in
 * favour of sendmsg(MSG_SPLICE_PAGES). @more says more data follows.
 */
static inline int ispt_send_page(struct socket *sock, struct page *page,
				 unsigned int offset, size_t len, bool more)
{
#ifndef ISPT_HAVE_KERNEL_SENDPAGE
	struct bio_vec bvec;
	struct msghdr msg = {
		.msg_flags = MSG_DONTWAIT | MSG_SPLICE_PAGES |
			     (more ? MSG_MORE : 0),
	};

	bvec_set_page(&bvec, page, len, offset);
	iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, &bvec, 1, len);
	return sock_sendmsg(sock, &msg);
#else
	return kernel_sendpage(sock, page, offset, len,
			       MSG_DONTWAIT | (more ? MSG_MORE | MSG_SENDPAGE_NOTLAST : 0));
#endif
}

#endif /* ISPT_COMPAT_H */
