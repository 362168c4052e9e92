// SPDX-License-Identifier: GPL-2.0
/*
 * pdu.c from the wire: an input is a 48-byte BHS, then what follows it
 * (AHS bytes for the AHS walker). The BHS also seeds the sequence helpers
 * the receive path feeds with peer-controlled numbers: Data-In cutting,
 * the R2T plan, Data-Out acceptance and residuals. Each checks the
 * promises pdu.h makes, not only that nothing overruns.
 */
#include "pdu.h"

#define CHECK(c)	do { if (!(c)) abort(); } while (0)
/* Loops over peer-chosen sizes stop here; the invariants hold at any step. */
#define MAX_STEPS	4096

static void fuzz_datain(u32 total, u32 mrdsl, u32 max_burst)
{
	struct ispt_pdu_datain_iter it;
	struct ispt_pdu_datain_seg seg;
	u32 expect = 0, datasn = 0, in_burst = 0;
	int n = 0;

	if (ispt_pdu_datain_init(&it, total, mrdsl, max_burst)) {
		CHECK(!mrdsl || !max_burst);
		return;
	}
	while (n++ < MAX_STEPS && ispt_pdu_datain_next(&it, &seg)) {
		CHECK(seg.offset == expect);
		CHECK(seg.len && seg.len <= mrdsl);
		CHECK(seg.datasn == datasn++);
		in_burst += seg.len;
		CHECK(in_burst <= max_burst);
		expect += seg.len;
		CHECK(expect <= total);
		CHECK(seg.last == (expect == total));
		if (seg.last)
			CHECK(seg.final);
		if (seg.final)
			in_burst = 0;
	}
}

static void fuzz_r2t(const struct ispt_pdu_r2t_params *p)
{
	struct ispt_pdu_r2t_plan plan;
	struct ispt_pdu_r2t r2t;
	u32 next, r2tsn = 0;
	int n = 0;

	if (ispt_pdu_r2t_plan_init(&plan, p))
		return;
	next = plan.next_offset;
	CHECK(next <= p->edtl);
	while (n++ < MAX_STEPS) {
		if (!ispt_pdu_r2t_plan_next(&plan, &r2t)) {
			if (ispt_pdu_r2t_plan_complete(&plan))
				break;
			continue;
		}
		CHECK(r2t.r2tsn == r2tsn++);
		CHECK(r2t.offset == next);
		CHECK(r2t.length && r2t.length <= p->max_burst);
		CHECK(r2t.offset + (u64)r2t.length <= p->edtl);
		CHECK(plan.outstanding <= p->max_outstanding);
		next += r2t.length;
	}
	if (n < MAX_STEPS)
		CHECK(ispt_pdu_r2t_plan_done(&plan));
}

static void fuzz_dataout(const struct ispt_pdu_summary *s, u32 ttt,
			 u32 offset, u32 length, u32 buf_len)
{
	struct ispt_pdu_dataout_seq seq;
	enum ispt_pdu_dataout_verdict v;
	u32 before;

	if (ispt_pdu_dataout_seq_init(&seq, ttt, offset, length, buf_len))
		return;
	before = seq.received;
	v = ispt_pdu_dataout_accept(&seq, s);
	if (v == ISPT_PDU_DATAOUT_ACCEPT || v == ISPT_PDU_DATAOUT_ACCEPT_LAST) {
		/* Data may only land inside the buffer and the sequence. */
		CHECK(s->data.offset + (u64)s->data_len <= buf_len);
		CHECK(s->data.offset >= offset);
		CHECK(s->data.offset + (u64)s->data_len <= offset + (u64)length);
		CHECK(seq.received == before + s->data_len);
		CHECK((v == ISPT_PDU_DATAOUT_ACCEPT_LAST) == (seq.received == length));
		CHECK(ispt_pdu_dataout_reject(v) == ISPT_PDU_REJECT_NONE);
	} else {
		CHECK(seq.received == before);
		CHECK(ispt_pdu_dataout_reject(v) != ISPT_PDU_REJECT_NONE);
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct ispt_pdu_summary s;
	struct ispt_pdu_ahs ahs;
	struct iscsi_hdr bhs;
	enum ispt_pdu_reject rej;
	u32 w[8], rest;
	u8 *tail;
	int i;

	if (size < ISPT_PDU_BHS_LEN)
		return 0;
	memcpy(&bhs, data, ISPT_PDU_BHS_LEN);
	rej = ispt_pdu_decode(&bhs, &s);
	CHECK(s.opcode == (bhs.opcode & ISCSI_OPCODE_MASK));
	CHECK(s.data_len == (u32)ntoh24(bhs.dlength));
	CHECK(s.ahs_len == bhs.hlength * 4u);
	CHECK(s.kind < ISPT_PDU_NR_KINDS);

	rej = ispt_pdu_check_lengths(&s, 8192, ISPT_PDU_MAX_AHS_LEN);
	if (rej == ISPT_PDU_REJECT_NONE)
		CHECK(s.data_len <= 8192 && s.ahs_len <= ISPT_PDU_MAX_AHS_LEN);
	rej = ispt_pdu_check_unsolicited(&s, data[1] & 1, data[1] & 2,
					 get_unaligned_be32(data + 20));
	if (rej == ISPT_PDU_REJECT_NONE && s.kind == ISPT_PDU_SCSI_CMD &&
	    s.cmd.write)
		CHECK(s.data_len <= get_unaligned_be32(data + 20));
	CHECK(ispt_pdu_wire_len(s.ahs_len, s.data_len, true, true) >=
	      ISPT_PDU_BHS_LEN + (u64)s.ahs_len + s.data_len);

	/* The AHS walker on an exactly sized copy, so ASan sees overreads. */
	rest = size - ISPT_PDU_BHS_LEN;
	if (rest > ISPT_PDU_MAX_AHS_LEN)
		rest = ISPT_PDU_MAX_AHS_LEN;
	tail = malloc(rest ? rest : 1);
	memcpy(tail, data + ISPT_PDU_BHS_LEN, rest);
	if (ispt_pdu_parse_ahs(tail, rest, &ahs) == ISPT_PDU_REJECT_NONE && ahs.ecdb) {
		CHECK(ahs.ecdb >= tail && ahs.ecdb + ahs.ecdb_len <= tail + rest);
		CHECK(ahs.ecdb_len <= ISPT_PDU_MAX_ECDB_LEN);
	}
	free(tail);

	for (i = 0; i < 8; i++)
		w[i] = get_unaligned_be32(data + 16 + 4 * i);
	fuzz_datain(w[0] >> (w[7] & 15), w[1] >> (w[7] >> 4 & 15),
		    w[2] >> (w[7] >> 8 & 15));
	{
		struct ispt_pdu_r2t_params p = {
			.edtl = w[0] >> (w[6] & 15),
			.immediate_len = w[1] >> (w[6] >> 4 & 31),
			.first_burst = w[2] >> (w[6] >> 9 & 15),
			.max_burst = w[3] >> (w[6] >> 13 & 15),
			.max_outstanding = w[4] & 0xff,
			.unsolicited = w[6] >> 31,
		};

		fuzz_r2t(&p);
	}
	if (s.kind == ISPT_PDU_DATA_OUT)
		fuzz_dataout(&s, w[3], w[4] >> (w[7] & 15),
			     w[5] >> (w[7] >> 4 & 15), w[6] >> (w[7] >> 8 & 15));
	{
		struct ispt_pdu_residual r = ispt_pdu_residual(w[0], (u64)w[1] << (w[2] & 31));

		CHECK(!(r.overflow && r.underflow));
		CHECK(r.overflow || r.underflow || !r.count);
	}
	return 0;
}
