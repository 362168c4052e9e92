/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels we build for lives here, so the
 * rest of the code reads as if there were one kernel.
 */
#ifndef ISPT_COMPAT_H
#define ISPT_COMPAT_H

#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <linux/uio.h>

/* 6.12 moved the unaligned access helpers out of asm/. */
#ifdef ISPT_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

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

/*
 * An exclusive read/write open of a block device. 6.9 made the open a
 * struct file (bdev_file_open_by_path); 6.1 returns the block_device
 * itself. Kernels between the two (6.5-6.8 changed the mode type and the
 * holder rules twice) are not supported.
 */
struct ispt_bdev_open {
	struct block_device	*bdev;
#ifdef ISPT_HAVE_BDEV_FILE_OPEN
	struct file		*file;
#endif
};

/* Return: 0, or -errno (-ENOENT, -EBUSY when another holder has it...). */
static inline int ispt_bdev_open(struct ispt_bdev_open *open,
				 const char *path, void *holder)
{
#ifdef ISPT_HAVE_BDEV_FILE_OPEN
	struct file *file;

	file = bdev_file_open_by_path(path, BLK_OPEN_READ | BLK_OPEN_WRITE,
				      holder, NULL);
	if (IS_ERR(file))
		return PTR_ERR(file);
	open->file = file;
	open->bdev = file_bdev(file);
#else
	struct block_device *bdev;

	bdev = blkdev_get_by_path(path, FMODE_READ | FMODE_WRITE | FMODE_EXCL,
				  holder);
	if (IS_ERR(bdev))
		return PTR_ERR(bdev);
	open->bdev = bdev;
#endif
	return 0;
}

static inline void ispt_bdev_close(struct ispt_bdev_open *open)
{
#ifdef ISPT_HAVE_BDEV_FILE_OPEN
	/* bdev_fput gives up the exclusive claim now, not at the last fput. */
	bdev_fput(open->file);
#else
	blkdev_put(open->bdev, FMODE_READ | FMODE_WRITE | FMODE_EXCL);
#endif
}

#endif /* ISPT_COMPAT_H */
