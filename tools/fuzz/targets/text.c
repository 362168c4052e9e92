// SPDX-License-Identifier: GPL-2.0
/*
 * text.c from the wire: the key=value pairs of a Full Feature Phase Text
 * Request, answered by ispt_text_answer() into a buffer of a size the
 * input picks (first two bytes), with a SendTargets stand-in that fills
 * what it is given. The answer must be well-formed pairs inside the
 * buffer, and a declared MaxRecvDataSegmentLength must be in its range.
 */
#include "conn.h"
#include "text.h"

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

static int send_targets(struct ispt_text_ctx *ctx, const char *which,
			char *buf, u32 cap)
{
	int n = snprintf(buf, cap, "TargetName=iqn.2026-11.org.fuzz:%.40s",
			 which);

	if (n < 0 || (u32)n + 1 > cap)
		return -ENOSPC;
	return n + 1;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct ispt_text_ctx ctx = {
		.send_targets = send_targets,
		.our_max_recv_dsl = 65536,
		.their_max_recv_dsl = 8192,
	};
	u32 cap, len = 0, off = 0;
	char *req, *buf;
	int ret;

	if (size < 2)
		return 0;
	cap = get_unaligned_be16(data) % 9000;
	data += 2;
	size -= 2;
	req = malloc(size ? size : 1);
	memcpy(req, data, size);
	buf = malloc(cap ? cap : 1);
	ret = ispt_text_answer(req, size, &ctx, buf, cap, &len);
	CHECK(ret == 0 || ret == -ENOSPC || ret == -EINVAL);
	CHECK(len <= cap);
	if (!ret) {
		while (off < len) {
			size_t n = strnlen(buf + off, len - off);

			CHECK(off + n < len && n && memchr(buf + off, '=', n));
			off += n + 1;
		}
	}
	CHECK(ctx.their_max_recv_dsl >= 512 && ctx.their_max_recv_dsl <= 16777215);
	free(buf);
	free(req);
	return 0;
}
