// SPDX-License-Identifier: GPL-2.0
/*
 * The send queue. Each PDU goes out as header (+ digest), data and
 * trailer (padding + digest); headers and kernel buffers through
 * kernel_sendmsg, data pages through zero-copy page sends. A send that
 * would block stops where it is and resumes when the socket has room.
 */
#include <linux/bvec.h>
#include <linux/crc32c.h>
#include <linux/highmem.h>
#include <linux/net.h>
#include <linux/slab.h>

#include "compat.h"
#include "conn.h"
#include "pdu.h"
#include "state.h"

/* A PDU with room for @data_len bytes of data right behind it. */
struct ispt_tx_pdu *ispt_tx_pdu_alloc(u32 data_len, gfp_t gfp)
{
	struct ispt_tx_pdu *pdu;

	pdu = kzalloc(sizeof(*pdu) + data_len, gfp);
	if (!pdu)
		return NULL;
	ispt_obj_get(tx_pdus);
	INIT_LIST_HEAD(&pdu->node);
	pdu->data = data_len ? pdu + 1 : NULL;
	pdu->data_len = data_len;
	pdu->release = ispt_tx_pdu_free;
	return pdu;
}

void ispt_tx_pdu_free(struct ispt_tx_pdu *pdu)
{
	ispt_obj_put(tx_pdus);
	kfree(pdu);
}

/* CRC32C of @len bytes of pages, starting @skip bytes into @bvec. */
u32 ispt_crc_bvec(u32 crc, const struct bio_vec *bvec, unsigned int nr,
		  u32 skip, u32 left)
{
	unsigned int i;

	for (i = 0; i < nr && left; i++) {
		const struct bio_vec *bv = &bvec[i];
		u32 len;
		void *p;

		if (skip >= bv->bv_len) {
			skip -= bv->bv_len;
			continue;
		}
		len = min(bv->bv_len - skip, left);
		p = kmap_local_page(bv->bv_page);
		crc = crc32c(crc, p + bv->bv_offset + skip, len);
		kunmap_local(p);
		left -= len;
		skip = 0;
	}
	return crc;
}

static u32 data_crc(const struct ispt_tx_pdu *pdu, u32 crc)
{
	if (pdu->data)
		return crc32c(crc, pdu->data, pdu->data_len);
	return ispt_crc_bvec(crc, pdu->bvec, pdu->nr_bvec, pdu->bvec_skip,
			     pdu->data_len);
}

/**
 * ispt_conn_queue_pdu - queue a PDU whose header fields are all set
 * @conn: the connection, in its owner's context
 * @pdu: the PDU; DataSegmentLength and digests are filled in here
 */
void ispt_conn_queue_pdu(struct ispt_conn *conn, struct ispt_tx_pdu *pdu)
{
	u32 pad = ispt_pdu_pad(pdu->data_len);

	hton24(pdu->bhs.dlength, pdu->data_len);
	pdu->bhs.hlength = 0;
	/*
	 * Digests start and stop at PDU boundaries (the last Login Response
	 * goes without them even if it is still queued when they start).
	 */
	pdu->has_hdigest = conn->header_digest;
	if (pdu->has_hdigest)
		pdu->hdigest = cpu_to_le32(~crc32c(~0U, &pdu->bhs, ISPT_BHS_LEN));

	memset(pdu->trailer, 0, sizeof(pdu->trailer));
	pdu->trailer_len = pad;
	if (conn->data_digest && pdu->data_len) {
		u32 crc = data_crc(pdu, ~0U);
		__le32 digest;

		crc = crc32c(crc, pdu->trailer, pad);
		digest = cpu_to_le32(~crc);
		memcpy(pdu->trailer + pad, &digest, ISPT_DIGEST_LEN);
		pdu->trailer_len += ISPT_DIGEST_LEN;
	}
	pdu->sent = 0;
	list_add_tail(&pdu->node, &conn->tx_queue);
	conn->tx_bytes += ISPT_BHS_LEN + pdu->data_len;
	ispt_status_copy_note(conn, pdu);
}

static void tx_pdu_done(struct ispt_conn *conn, struct ispt_tx_pdu *pdu)
{
	list_del_init(&pdu->node);
	conn->tx_bytes -= ISPT_BHS_LEN + pdu->data_len;
	pdu->release(pdu);
}

static int send_kvec(struct ispt_conn *conn, const void *buf, size_t len,
		     bool more)
{
	struct msghdr msg = {
		.msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL | (more ? MSG_MORE : 0),
	};
	struct kvec kv = { .iov_base = (void *)buf, .iov_len = len };

	return kernel_sendmsg(conn->sock, &msg, &kv, 1, len);
}

/* Send from byte @off of the data segment; returns bytes sent or -errno. */
static int send_data(struct ispt_conn *conn, struct ispt_tx_pdu *pdu,
		     u32 off, bool more)
{
	u32 left = pdu->data_len - off;
	unsigned int i;

	if (pdu->data)
		return send_kvec(conn, pdu->data + off, left,
				 more || pdu->trailer_len);

	/* From here @off counts from the start of the bvec array. */
	off += pdu->bvec_skip;
	for (i = 0; i < pdu->nr_bvec; i++) {
		const struct bio_vec *bv = &pdu->bvec[i];

		if (off < bv->bv_len) {
			u32 len = min(bv->bv_len - off, left);

			return ispt_send_page(conn->sock, bv->bv_page,
					      bv->bv_offset + off, len,
					      more || len < left || pdu->trailer_len);
		}
		off -= bv->bv_len;
	}
	return -EINVAL;
}

/* 0 when the whole PDU is on the wire, -EAGAIN to resume later. */
static int send_pdu(struct ispt_conn *conn, struct ispt_tx_pdu *pdu, bool more)
{
	u32 hdr_len = ISPT_BHS_LEN + (pdu->has_hdigest ? ISPT_DIGEST_LEN : 0);
	u8 hdr[ISPT_BHS_LEN + ISPT_DIGEST_LEN];
	u32 data_end = hdr_len + pdu->data_len;
	u32 total = data_end + pdu->trailer_len;
	int ret;

	while (pdu->sent < total) {
		if (pdu->sent < hdr_len) {
			memcpy(hdr, &pdu->bhs, ISPT_BHS_LEN);
			memcpy(hdr + ISPT_BHS_LEN, &pdu->hdigest, ISPT_DIGEST_LEN);
			ret = send_kvec(conn, hdr + pdu->sent, hdr_len - pdu->sent,
					more || total > hdr_len);
		} else if (pdu->sent < data_end) {
			ret = send_data(conn, pdu, pdu->sent - hdr_len, more);
		} else {
			ret = send_kvec(conn, pdu->trailer + pdu->sent - data_end,
					total - pdu->sent, more);
		}
		if (ret < 0)
			return ret;
		pdu->sent += ret;
	}
	return 0;
}

/**
 * ispt_conn_send - send up to @budget queued PDUs
 * @conn: the connection, in its owner's context
 * @budget: most PDUs to complete in this call
 *
 * Return: PDUs completed, or -errno when the connection must close.
 */
int ispt_conn_send(struct ispt_conn *conn, int budget)
{
	struct ispt_tx_pdu *pdu;
	int done = 0, ret;

	while (done < budget && !list_empty(&conn->tx_queue)) {
		pdu = list_first_entry(&conn->tx_queue, struct ispt_tx_pdu, node);
		ret = send_pdu(conn, pdu, !list_is_singular(&conn->tx_queue));
		if (ret == -EAGAIN)
			break;
		if (ret)
			return ret;
		tx_pdu_done(conn, pdu);
		done++;
	}
	return done;
}

void ispt_conn_tx_drop_all(struct ispt_conn *conn)
{
	struct ispt_tx_pdu *pdu, *tmp;

	list_for_each_entry_safe(pdu, tmp, &conn->tx_queue, node)
		tx_pdu_done(conn, pdu);
}
