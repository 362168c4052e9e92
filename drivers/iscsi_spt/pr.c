// SPDX-License-Identifier: GPL-2.0
/*
 * Reservations: SPC-4 persistent reservations and SPC-2 RESERVE/RELEASE.
 *
 * Everything about one LU's reservations happens under its PR lock:
 * registrations are a short list (at most ISPT_PR_MAX_REGS), and each
 * service action is a handful of list operations. An I_T nexus is an
 * initiator port (iSCSI name and ISID) seen through a target port
 * (relative port identifier, the portal group tag); a registration made
 * with ALL_TG_PT covers the initiator port through every target port.
 *
 * PTPL: with APTPL set by the last REGISTER, the state is what
 * ispt_pr_state_show() prints (the LU's configfs pr_state attribute); a
 * saved configuration writes it back with ispt_pr_state_store() before
 * the LU is used again, which is our power cycle.
 */
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <scsi/iscsi_proto.h>

#include "compat.h"
#include "pr.h"
#include "spc.h"

/* PERSISTENT RESERVE OUT parameter list */
#define PARAM_SPEC_I_PT		0x08
#define PARAM_ALL_TG_PT		0x04
#define PARAM_APTPL		0x01
#define MOVE_UNREG		0x02
#define MOVE_APTPL		0x01
#define MOVE_HDR_LEN		24

/* REPORT CAPABILITIES */
#define CAPS_LEN		8
#define CAPS_CRH		0x10	/* RESERVE/RELEASE yield to PRs */
#define CAPS_ATP_C		0x04	/* ALL_TG_PT understood */
#define CAPS_PTPL_C		0x01
#define CAPS_TMV		0x80
#define CAPS_PTPL_A		0x01
#define CAPS_TYPES_HI		0xea	/* WR_EX_AR EX_AC_RO WR_EX_RO EX_AC WR_EX */
#define CAPS_TYPES_LO		0x01	/* EX_AC_AR */

/* READ FULL STATUS */
#define FULL_ALL_TG_PT		0x02
#define FULL_R_HOLDER		0x01
#define FULL_DESC_LEN		24

/* iSCSI TransportID (SPC-4 7.6.4.6): name, then ",i,0x" and the ISID */
#define TID_FORMAT_PORT		0x40
#define TID_PROTO_ISCSI		0x05
#define TID_SEPARATOR		",i,0x"
#define TID_HDR_LEN		4

#define SCOPE_LU		0x0

static bool type_valid(u8 type)
{
	switch (type) {
	case ISPT_PR_TYPE_WE:
	case ISPT_PR_TYPE_EA:
	case ISPT_PR_TYPE_WE_RO:
	case ISPT_PR_TYPE_EA_RO:
	case ISPT_PR_TYPE_WE_AR:
	case ISPT_PR_TYPE_EA_AR:
		return true;
	default:
		return false;
	}
}

static bool type_all_reg(u8 type)
{
	return type == ISPT_PR_TYPE_WE_AR || type == ISPT_PR_TYPE_EA_AR;
}

/* Types under which other registrants hear of a release (SPC-4 5.13.10) */
static bool type_registrants(u8 type)
{
	return type == ISPT_PR_TYPE_WE_RO || type == ISPT_PR_TYPE_EA_RO ||
	       type_all_reg(type);
}

void ispt_pr_init(struct ispt_pr *pr)
{
	spin_lock_init(&pr->lock);
	INIT_LIST_HEAD(&pr->regs);
	pr->nr_regs = 0;
	pr->generation = 0;
	pr->holder = NULL;
	pr->type = ISPT_PR_TYPE_NONE;
	pr->aptpl = false;
	pr->spc2 = NULL;
	pr->busy = false;
}

static void free_regs(struct list_head *regs)
{
	struct ispt_pr_reg *reg, *tmp;

	list_for_each_entry_safe(reg, tmp, regs, node) {
		list_del(&reg->node);
		kfree(reg);
	}
}

/* The LU is going away: nothing else can reach @pr. */
void ispt_pr_destroy(struct ispt_pr *pr)
{
	free_regs(&pr->regs);
	kfree(pr->spc2);
	pr->spc2 = NULL;
	pr->holder = NULL;
	pr->nr_regs = 0;
}

static void update_busy(struct ispt_pr *pr)
{
	WRITE_ONCE(pr->busy, pr->type != ISPT_PR_TYPE_NONE || pr->spc2);
}

static struct ispt_pr_reg *reg_alloc(const char *initiator, const u8 *isid,
				     u16 rel_port_id, bool all_tg_pt, u64 key,
				     gfp_t gfp)
{
	size_t len = strlen(initiator) + 1;
	struct ispt_pr_reg *reg;

	reg = kmalloc(struct_size(reg, initiator, len), gfp);
	if (!reg)
		return NULL;
	INIT_LIST_HEAD(&reg->node);
	reg->key = key;
	memcpy(reg->isid, isid, sizeof(reg->isid));
	reg->rel_port_id = rel_port_id;
	reg->all_tg_pt = all_tg_pt;
	memcpy(reg->initiator, initiator, len);
	return reg;
}

/* The initiator port part of an I_T nexus */
static bool same_port(const struct ispt_pr_reg *reg, const char *initiator,
		      const u8 *isid)
{
	return !memcmp(reg->isid, isid, sizeof(reg->isid)) &&
	       !strcmp(reg->initiator, initiator);
}

/**
 * ispt_pr_nexus_matches() - is this registration the one of @n?
 * @reg: a registration (or the SPC-2 holder)
 * @n: an I_T nexus
 *
 * Return: true if @reg registers @n's initiator port through @n's target
 * port, or through every target port.
 */
bool ispt_pr_nexus_matches(const struct ispt_pr_reg *reg,
			   const struct ispt_scsi_nexus *n)
{
	return same_port(reg, n->initiator, n->isid) &&
	       (reg->all_tg_pt || reg->rel_port_id == n->rel_port_id);
}

static struct ispt_pr_reg *find_reg(struct ispt_pr *pr,
				    const struct ispt_scsi_nexus *n)
{
	struct ispt_pr_reg *reg;

	lockdep_assert_held(&pr->lock);
	list_for_each_entry(reg, &pr->regs, node)
		if (ispt_pr_nexus_matches(reg, n))
			return reg;
	return NULL;
}

static bool is_holder(const struct ispt_pr *pr, const struct ispt_pr_reg *reg)
{
	return reg && pr->type != ISPT_PR_TYPE_NONE &&
	       (type_all_reg(pr->type) || pr->holder == reg);
}

static void notify_ua(const struct ispt_pr_notify *notify,
		      const struct ispt_pr_reg *reg, u16 asc_ascq)
{
	if (notify && notify->ua)
		notify->ua(notify->ctx, reg, asc_ascq);
}

/* Tell every registrant but @except (may be NULL) of @asc_ascq. */
static void notify_others(struct ispt_pr *pr, const struct ispt_pr_reg *except,
			  const struct ispt_pr_notify *notify, u16 asc_ascq)
{
	struct ispt_pr_reg *reg;

	list_for_each_entry(reg, &pr->regs, node)
		if (reg != except)
			notify_ua(notify, reg, asc_ascq);
}

static void release_reservation(struct ispt_pr *pr)
{
	pr->type = ISPT_PR_TYPE_NONE;
	pr->holder = NULL;
	update_busy(pr);
}

/*
 * Remove one registration. A reservation it held goes with it, except
 * that an all-registrants reservation lasts while any registrant does
 * (SPC-4 5.13.11.2.3); a registrants-only or all-registrants release
 * is told to the registrants that remain when @tell_release.
 */
static void remove_reg(struct ispt_pr *pr, struct ispt_pr_reg *reg,
		       const struct ispt_pr_notify *notify, bool tell_release)
{
	list_del(&reg->node);
	pr->nr_regs--;
	if (pr->holder == reg) {
		if (type_all_reg(pr->type) && !list_empty(&pr->regs)) {
			pr->holder = list_first_entry(&pr->regs,
						      struct ispt_pr_reg, node);
		} else {
			if (tell_release && type_registrants(pr->type))
				notify_others(pr, NULL, notify,
					      ISPT_ASC_RES_RELEASED);
			release_reservation(pr);
		}
	}
	kfree(reg);
}

/* Remove every registration with @key but @keep's; how many went. */
static unsigned int remove_key(struct ispt_pr *pr, u64 key,
			       const struct ispt_pr_reg *keep,
			       const struct ispt_pr_notify *notify)
{
	struct ispt_pr_reg *reg, *tmp;
	unsigned int n = 0;

	list_for_each_entry_safe(reg, tmp, &pr->regs, node) {
		if (reg == keep || reg->key != key)
			continue;
		notify_ua(notify, reg, ISPT_ASC_REG_PREEMPTED);
		remove_reg(pr, reg, notify, false);
		n++;
	}
	return n;
}

/**
 * ispt_pr_conflict() - must this command end in RESERVATION CONFLICT?
 * @pr: the LU's reservations
 * @n: the I_T nexus the command came from
 * @cmd: the decoded command (its pr class and SPC2_OK flag)
 *
 * SPC-4 5.13.1 and SBC-3 4.17 for persistent reservations, SPC-2 5.5.1
 * for RESERVE. PERSISTENT RESERVE OUT is judged by its own rules.
 *
 * Return: true if the command conflicts.
 */
bool ispt_pr_conflict(struct ispt_pr *pr, const struct ispt_scsi_nexus *n,
		      const struct ispt_scsi_cmd *cmd)
{
	struct ispt_pr_reg *reg;
	bool conflict = false;

	if (!READ_ONCE(pr->busy))
		return false;
	spin_lock(&pr->lock);
	if (pr->spc2 && !ispt_pr_nexus_matches(pr->spc2, n) &&
	    !(cmd->flags & ISPT_SCSI_F_SPC2_OK)) {
		conflict = true;
		goto out;
	}
	if (pr->type == ISPT_PR_TYPE_NONE || cmd->pr_class == ISPT_PR_ALLOWED ||
	    cmd->pr_class == ISPT_PR_OUT)
		goto out;
	reg = find_reg(pr, n);
	if (is_holder(pr, reg))
		goto out;
	switch (pr->type) {
	case ISPT_PR_TYPE_WE:
		conflict = cmd->pr_class != ISPT_PR_READ;
		break;
	case ISPT_PR_TYPE_EA:
		conflict = true;
		break;
	case ISPT_PR_TYPE_WE_RO:
	case ISPT_PR_TYPE_WE_AR:
		conflict = !reg && cmd->pr_class != ISPT_PR_READ;
		break;
	default:	/* EA_RO, EA_AR */
		conflict = !reg;
		break;
	}
out:
	spin_unlock(&pr->lock);
	return conflict;
}

static void read_keys(struct ispt_pr *pr, struct ispt_spc_buf *b)
{
	struct ispt_pr_reg *reg;

	ispt_spc_put_be32(b, pr->generation);
	ispt_spc_put_be32(b, pr->nr_regs * 8);	/* ADDITIONAL LENGTH */
	list_for_each_entry(reg, &pr->regs, node)
		ispt_spc_put_be64(b, reg->key);
}

static void read_reservation(struct ispt_pr *pr, struct ispt_spc_buf *b)
{
	ispt_spc_put_be32(b, pr->generation);
	if (pr->type == ISPT_PR_TYPE_NONE) {
		ispt_spc_put_be32(b, 0);
		return;
	}
	ispt_spc_put_be32(b, 16);
	/* An all-registrants reservation has no one key (SPC-4 6.16.3) */
	ispt_spc_put_be64(b, type_all_reg(pr->type) ? 0 : pr->holder->key);
	ispt_spc_put_be32(b, 0);		/* obsolete */
	ispt_spc_put_u8(b, 0);
	ispt_spc_put_u8(b, SCOPE_LU << 4 | pr->type);
	ispt_spc_put_be16(b, 0);		/* obsolete */
}

static void report_capabilities(struct ispt_pr *pr, struct ispt_spc_buf *b)
{
	ispt_spc_put_be16(b, CAPS_LEN);
	ispt_spc_put_u8(b, CAPS_CRH | CAPS_ATP_C | CAPS_PTPL_C);
	/* ALLOW COMMANDS 0: the tables of SPC-4 5.13.1 are followed */
	ispt_spc_put_u8(b, CAPS_TMV | (pr->aptpl ? CAPS_PTPL_A : 0));
	ispt_spc_put_u8(b, CAPS_TYPES_HI);
	ispt_spc_put_u8(b, CAPS_TYPES_LO);
	ispt_spc_put_be16(b, 0);
}

/* The TransportID of a registration, padded to a multiple of 4 bytes */
static u32 transport_id_len(const struct ispt_pr_reg *reg)
{
	return TID_HDR_LEN + ALIGN(strlen(reg->initiator) +
				   strlen(TID_SEPARATOR) + 12 + 1, 4);
}

static void put_transport_id(struct ispt_spc_buf *b,
			     const struct ispt_pr_reg *reg)
{
	u32 len = transport_id_len(reg), name = strlen(reg->initiator);
	char isid[13];

	snprintf(isid, sizeof(isid), "%6phN", reg->isid);
	ispt_spc_put_u8(b, TID_FORMAT_PORT | TID_PROTO_ISCSI);
	ispt_spc_put_u8(b, 0);
	ispt_spc_put_be16(b, len - TID_HDR_LEN);
	ispt_spc_put(b, reg->initiator, name);
	ispt_spc_put(b, TID_SEPARATOR, strlen(TID_SEPARATOR));
	ispt_spc_put(b, isid, 12);
	ispt_spc_put_zero(b, len - TID_HDR_LEN - name -
			     strlen(TID_SEPARATOR) - 12);
}

static void read_full_status(struct ispt_pr *pr, struct ispt_spc_buf *b)
{
	struct ispt_pr_reg *reg;

	ispt_spc_put_be32(b, pr->generation);
	ispt_spc_put_be32(b, 0);	/* ADDITIONAL LENGTH, patched */
	list_for_each_entry(reg, &pr->regs, node) {
		bool holder = is_holder(pr, reg);

		ispt_spc_put_be64(b, reg->key);
		ispt_spc_put_be32(b, 0);
		ispt_spc_put_u8(b, (reg->all_tg_pt ? FULL_ALL_TG_PT : 0) |
				   (holder ? FULL_R_HOLDER : 0));
		ispt_spc_put_u8(b, holder ? SCOPE_LU << 4 | pr->type : 0);
		ispt_spc_put_be32(b, 0);
		ispt_spc_put_be16(b, reg->all_tg_pt ? 0 : reg->rel_port_id);
		ispt_spc_put_be32(b, transport_id_len(reg));
		put_transport_id(b, reg);
	}
	ispt_spc_patch_be32(b, 4, b->pos - 8);
}

/**
 * ispt_pr_in() - PERSISTENT RESERVE IN data
 * @pr: the LU's reservations
 * @cmd: the decoded command; its service action says which data
 * @buf: where to write
 * @len: bytes @buf can take; the data is also cut at @cmd->alloc_len
 *
 * The ADDITIONAL LENGTH fields give the full length whatever the
 * allocation length, as SPC-4 6.16 asks.
 *
 * Return: the full length of the data.
 */
u32 ispt_pr_in(struct ispt_pr *pr, const struct ispt_scsi_cmd *cmd,
	       u8 *buf, u32 len)
{
	struct ispt_spc_buf b;

	ispt_spc_buf_init(&b, buf, min(len, cmd->alloc_len));
	spin_lock(&pr->lock);
	switch (cmd->service_action) {
	case ISPT_PR_IN_READ_KEYS:
		read_keys(pr, &b);
		break;
	case ISPT_PR_IN_READ_RESERVATION:
		read_reservation(pr, &b);
		break;
	case ISPT_PR_IN_REPORT_CAPABILITIES:
		report_capabilities(pr, &b);
		break;
	default:
		read_full_status(pr, &b);
		break;
	}
	spin_unlock(&pr->lock);
	return b.pos;
}

struct pr_out_params {
	u64	key;
	u64	sa_key;
	u8	flags;
	u8	scope;
	u8	type;
};

static enum sam_status fail(struct ispt_scsi_cmd *cmd, struct ispt_sense s)
{
	cmd->sense = s;
	return SAM_STAT_CHECK_CONDITION;
}

/* SCOPE and TYPE of the CDB, for the service actions that use them */
static enum sam_status check_scope_type(struct ispt_scsi_cmd *cmd,
					const struct pr_out_params *p)
{
	if (p->scope != SCOPE_LU)
		return fail(cmd, ispt_sense_invalid_cdb_field(2, 7));
	if (!type_valid(p->type))
		return fail(cmd, ispt_sense_invalid_cdb_field(2, 3));
	return SAM_STAT_GOOD;
}

static enum sam_status pr_register(struct ispt_pr *pr,
				   struct ispt_scsi_cmd *cmd,
				   const struct ispt_scsi_nexus *n,
				   const struct pr_out_params *p, bool ignore,
				   const struct ispt_pr_notify *notify)
{
	struct ispt_pr_reg *reg = find_reg(pr, n);

	if (p->flags & PARAM_SPEC_I_PT)	/* SIP_C=0 */
		return fail(cmd, ispt_sense_invalid_param_field(20, 3));
	if (!reg) {
		if (!ignore && p->key)
			return SAM_STAT_RESERVATION_CONFLICT;
		if (!p->sa_key)
			return SAM_STAT_GOOD;
		if (pr->nr_regs >= ISPT_PR_MAX_REGS)
			return fail(cmd, ispt_sense_make(ILLEGAL_REQUEST,
						ISPT_ASC_INSUFFICIENT_REG));
		reg = reg_alloc(n->initiator, n->isid, n->rel_port_id,
				p->flags & PARAM_ALL_TG_PT, p->sa_key,
				GFP_ATOMIC);
		if (!reg)
			return fail(cmd, ispt_sense_make(ILLEGAL_REQUEST,
						ISPT_ASC_INSUFFICIENT_REG));
		list_add_tail(&reg->node, &pr->regs);
		pr->nr_regs++;
	} else {
		if (!ignore && p->key != reg->key)
			return SAM_STAT_RESERVATION_CONFLICT;
		if (p->sa_key)
			reg->key = p->sa_key;
		else
			remove_reg(pr, reg, notify, true);
	}
	pr->aptpl = p->flags & PARAM_APTPL;
	pr->generation++;
	return SAM_STAT_GOOD;
}

static enum sam_status pr_reserve(struct ispt_pr *pr, struct ispt_scsi_cmd *cmd,
				  struct ispt_pr_reg *reg,
				  const struct pr_out_params *p)
{
	if (check_scope_type(cmd, p) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;
	if (pr->type != ISPT_PR_TYPE_NONE)
		return is_holder(pr, reg) && pr->type == p->type ?
		       SAM_STAT_GOOD : SAM_STAT_RESERVATION_CONFLICT;
	pr->type = p->type;
	pr->holder = reg;
	update_busy(pr);
	return SAM_STAT_GOOD;
}

static enum sam_status pr_release(struct ispt_pr *pr, struct ispt_scsi_cmd *cmd,
				  struct ispt_pr_reg *reg,
				  const struct pr_out_params *p,
				  const struct ispt_pr_notify *notify)
{
	u8 type = pr->type;

	if (!is_holder(pr, reg))	/* no reservation, or not ours */
		return SAM_STAT_GOOD;
	if (p->scope != SCOPE_LU || p->type != type)
		return fail(cmd, ispt_sense_make(ILLEGAL_REQUEST,
						 ISPT_ASC_INVALID_RELEASE));
	release_reservation(pr);
	if (type_registrants(type))
		notify_others(pr, reg, notify, ISPT_ASC_RES_RELEASED);
	return SAM_STAT_GOOD;
}

static enum sam_status pr_clear(struct ispt_pr *pr, struct ispt_pr_reg *reg,
				const struct ispt_pr_notify *notify)
{
	notify_others(pr, reg, notify, ISPT_ASC_RES_PREEMPTED);
	free_regs(&pr->regs);
	pr->nr_regs = 0;
	release_reservation(pr);
	pr->generation++;
	return SAM_STAT_GOOD;
}

/*
 * PREEMPT and PREEMPT AND ABORT (SPC-4 5.13.11.4). Registrations with the
 * SERVICE ACTION RESERVATION KEY go; if that key is the holder's (or,
 * under an all-registrants reservation, if it is zero), the preempting
 * nexus also takes the reservation with the CDB's type. Our own
 * registration is never removed by our own preempt. Aborting the
 * preempted nexuses' commands is the task manager's: here the
 * registrations and the reservation change, and the nexuses are told.
 */
static enum sam_status pr_preempt(struct ispt_pr *pr, struct ispt_scsi_cmd *cmd,
				  struct ispt_pr_reg *reg,
				  const struct pr_out_params *p,
				  const struct ispt_pr_notify *notify)
{
	u8 old_type = pr->type;
	bool take;

	if (pr->type == ISPT_PR_TYPE_NONE) {
		if (!p->sa_key)
			return fail(cmd, ispt_sense_invalid_param_field(8, -1));
		if (!remove_key(pr, p->sa_key, reg, notify))
			return SAM_STAT_RESERVATION_CONFLICT;
		pr->generation++;
		return SAM_STAT_GOOD;
	}

	if (type_all_reg(pr->type))
		take = !p->sa_key;
	else
		take = p->sa_key == pr->holder->key;
	if (!take) {
		if (!p->sa_key)
			return fail(cmd, ispt_sense_invalid_param_field(8, -1));
		if (!remove_key(pr, p->sa_key, reg, notify))
			return SAM_STAT_RESERVATION_CONFLICT;
		pr->generation++;
		return SAM_STAT_GOOD;
	}

	if (check_scope_type(cmd, p) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;
	if (type_all_reg(pr->type)) {
		struct ispt_pr_reg *r, *tmp;

		list_for_each_entry_safe(r, tmp, &pr->regs, node) {
			if (r == reg)
				continue;
			notify_ua(notify, r, ISPT_ASC_REG_PREEMPTED);
			pr->holder = reg;	/* keep remove_reg off it */
			remove_reg(pr, r, notify, false);
		}
	} else {
		/* The old holder's reservation is replaced, not released */
		pr->holder = reg;
		remove_key(pr, p->sa_key, reg, notify);
	}
	pr->type = p->type;
	pr->holder = reg;
	update_busy(pr);
	/* Registrants left see the reservation change type (SPC-4 5.13.11.4.3) */
	if (old_type != p->type)
		notify_others(pr, reg, notify, ISPT_ASC_RES_RELEASED);
	pr->generation++;
	return SAM_STAT_GOOD;
}

/*
 * An iSCSI TransportID naming an initiator port (format 01b): the name,
 * ",i,0x", twelve hex digits of ISID, NUL-terminated within its length.
 */
static bool parse_transport_id(const u8 *tid, u32 len, char *name,
			       size_t name_size, u8 *isid)
{
	const char *s = (const char *)&tid[TID_HDR_LEN], *sep;
	u32 add_len;
	size_t n;

	if (len < TID_HDR_LEN ||
	    tid[0] != (TID_FORMAT_PORT | TID_PROTO_ISCSI))
		return false;
	add_len = get_unaligned_be16(&tid[2]);
	if (add_len > len - TID_HDR_LEN || add_len % 4)
		return false;
	n = strnlen(s, add_len);
	if (n == add_len)			/* not NUL-terminated */
		return false;
	sep = strnstr(s, TID_SEPARATOR, n);
	if (!sep || sep == s || s + n - sep != strlen(TID_SEPARATOR) + 12)
		return false;
	if (sep - s >= name_size)
		return false;
	if (hex2bin(isid, sep + strlen(TID_SEPARATOR), 6))
		return false;
	memcpy(name, s, sep - s);
	name[sep - s] = '\0';
	return true;
}

static enum sam_status pr_register_move(struct ispt_pr *pr,
					struct ispt_scsi_cmd *cmd,
					const struct ispt_scsi_nexus *n,
					struct ispt_pr_reg *reg,
					const struct pr_out_params *p,
					const u8 *data, u32 len)
{
	char name[ISCSI_NAME_LEN];
	struct ispt_scsi_nexus dest;
	struct ispt_pr_reg *dreg;
	u8 isid[6];
	u32 tid_len;

	if (!is_holder(pr, reg) || type_all_reg(pr->type))
		return SAM_STAT_RESERVATION_CONFLICT;
	if (check_scope_type(cmd, p) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;
	if (!p->sa_key)
		return fail(cmd, ispt_sense_invalid_param_field(8, -1));
	tid_len = get_unaligned_be32(&data[20]);
	if (tid_len != len - MOVE_HDR_LEN)
		return fail(cmd, ispt_sense_param_list_length());
	if (!parse_transport_id(&data[MOVE_HDR_LEN], tid_len, name,
				sizeof(name), isid))
		return fail(cmd, ispt_sense_invalid_param_field(MOVE_HDR_LEN,
								-1));
	dest.initiator = name;
	memcpy(dest.isid, isid, sizeof(isid));
	dest.rel_port_id = get_unaligned_be16(&data[18]);
	if (ispt_pr_nexus_matches(reg, &dest) ||
	    (same_port(reg, name, isid) && dest.rel_port_id == n->rel_port_id))
		return fail(cmd, ispt_sense_invalid_param_field(MOVE_HDR_LEN,
								-1));

	dreg = find_reg(pr, &dest);
	if (!dreg) {
		if (pr->nr_regs >= ISPT_PR_MAX_REGS)
			return fail(cmd, ispt_sense_make(ILLEGAL_REQUEST,
						ISPT_ASC_INSUFFICIENT_REG));
		dreg = reg_alloc(name, isid, dest.rel_port_id, false,
				 p->sa_key, GFP_ATOMIC);
		if (!dreg)
			return fail(cmd, ispt_sense_make(ILLEGAL_REQUEST,
						ISPT_ASC_INSUFFICIENT_REG));
		list_add_tail(&dreg->node, &pr->regs);
		pr->nr_regs++;
	} else {
		dreg->key = p->sa_key;
	}
	pr->holder = dreg;
	pr->type = p->type;
	if (data[17] & MOVE_UNREG)
		remove_reg(pr, reg, NULL, false);
	pr->aptpl = data[17] & MOVE_APTPL;
	pr->generation++;
	return SAM_STAT_GOOD;
}

/* Lengths first: what the CDB announced must have come, and make sense. */
static enum sam_status check_param_len(struct ispt_scsi_cmd *cmd,
				       const u8 *data, u32 len)
{
	u32 want = cmd->data_len;

	if (len < want)
		return fail(cmd, ispt_sense_param_list_length());
	if (cmd->service_action == ISPT_PR_OUT_REGISTER_MOVE) {
		if (want < MOVE_HDR_LEN)
			return fail(cmd, ispt_sense_param_list_length());
		return SAM_STAT_GOOD;
	}
	if (want == ISPT_PR_PARAM_LEN)
		return SAM_STAT_GOOD;
	/* Longer lists only come with SPEC_I_PT, which we do not offer */
	if (want > ISPT_PR_PARAM_LEN && (data[20] & PARAM_SPEC_I_PT))
		return fail(cmd, ispt_sense_invalid_param_field(20, 3));
	return fail(cmd, ispt_sense_param_list_length());
}

/**
 * ispt_pr_out() - run a PERSISTENT RESERVE OUT
 * @pr: the LU's reservations
 * @cmd: the decoded command; @cmd->sense is set on CHECK CONDITION
 * @n: the I_T nexus it came from
 * @data: the parameter list
 * @len: bytes received
 * @notify: how to establish unit attentions for other nexuses
 *
 * Return: SAM_STAT_GOOD, SAM_STAT_RESERVATION_CONFLICT, or
 * SAM_STAT_CHECK_CONDITION with @cmd->sense set.
 */
enum sam_status ispt_pr_out(struct ispt_pr *pr, struct ispt_scsi_cmd *cmd,
			    const struct ispt_scsi_nexus *n,
			    const u8 *data, u32 len,
			    const struct ispt_pr_notify *notify)
{
	u8 sa = cmd->service_action;
	struct pr_out_params p;
	struct ispt_pr_reg *reg;
	enum sam_status ret;

	if (check_param_len(cmd, data, len) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;
	len = cmd->data_len;
	p.key = get_unaligned_be64(&data[0]);
	p.sa_key = get_unaligned_be64(&data[8]);
	p.flags = sa == ISPT_PR_OUT_REGISTER_MOVE ? 0 : data[20];
	p.scope = cmd->pr.scope;
	p.type = cmd->pr.type;

	spin_lock(&pr->lock);
	if (sa == ISPT_PR_OUT_REGISTER || sa == ISPT_PR_OUT_REGISTER_IGNORE) {
		ret = pr_register(pr, cmd, n, &p,
				  sa == ISPT_PR_OUT_REGISTER_IGNORE, notify);
		goto out;
	}
	if ((p.flags & PARAM_SPEC_I_PT)) {
		ret = fail(cmd, ispt_sense_invalid_param_field(20, 3));
		goto out;
	}
	reg = find_reg(pr, n);
	if (!reg || reg->key != p.key) {
		ret = SAM_STAT_RESERVATION_CONFLICT;
		goto out;
	}
	switch (sa) {
	case ISPT_PR_OUT_RESERVE:
		ret = pr_reserve(pr, cmd, reg, &p);
		break;
	case ISPT_PR_OUT_RELEASE:
		ret = pr_release(pr, cmd, reg, &p, notify);
		break;
	case ISPT_PR_OUT_CLEAR:
		ret = pr_clear(pr, reg, notify);
		break;
	case ISPT_PR_OUT_PREEMPT:
	case ISPT_PR_OUT_PREEMPT_ABORT:
		ret = pr_preempt(pr, cmd, reg, &p, notify);
		break;
	default:
		ret = pr_register_move(pr, cmd, n, reg, &p, data, len);
		break;
	}
out:
	spin_unlock(&pr->lock);
	return ret;
}

/**
 * ispt_pr_reserve() - RESERVE(6/10)
 * @pr: the LU's reservations
 * @n: the I_T nexus reserving
 *
 * CRH=1 (SPC-4 5.13.3): under a persistent reservation, RESERVE
 * succeeds without effect for its holder and conflicts for anyone else.
 * Another nexus's RESERVE never gets here (the conflict check stops it).
 *
 * Return: SAM_STAT_GOOD, SAM_STAT_RESERVATION_CONFLICT, or SAM_STAT_BUSY
 * when no memory is left to record the holder.
 */
enum sam_status ispt_pr_reserve(struct ispt_pr *pr,
				const struct ispt_scsi_nexus *n)
{
	enum sam_status ret = SAM_STAT_GOOD;
	struct ispt_pr_reg *holder;

	spin_lock(&pr->lock);
	if (pr->type != ISPT_PR_TYPE_NONE) {
		if (!is_holder(pr, find_reg(pr, n)))
			ret = SAM_STAT_RESERVATION_CONFLICT;
		goto out;
	}
	if (pr->spc2) {
		if (!ispt_pr_nexus_matches(pr->spc2, n))
			ret = SAM_STAT_RESERVATION_CONFLICT;
		goto out;
	}
	holder = reg_alloc(n->initiator, n->isid, n->rel_port_id, false, 0,
			   GFP_ATOMIC);
	if (!holder) {
		ret = SAM_STAT_BUSY;
		goto out;
	}
	pr->spc2 = holder;
	update_busy(pr);
out:
	spin_unlock(&pr->lock);
	return ret;
}

static void spc2_drop(struct ispt_pr *pr)
{
	kfree(pr->spc2);
	pr->spc2 = NULL;
	update_busy(pr);
}

/**
 * ispt_pr_release() - RELEASE(6/10)
 * @pr: the LU's reservations
 * @n: the I_T nexus releasing
 *
 * Releases an SPC-2 reservation @n holds; from anyone else it is GOOD
 * with no effect (SPC-2 7.21). Under a persistent reservation (CRH=1,
 * SPC-4 5.13.3) it is GOOD with no effect from the holder, and from any
 * registrant of a registrants-only or all-registrants type; from anyone
 * else it conflicts.
 *
 * Return: SAM_STAT_GOOD or SAM_STAT_RESERVATION_CONFLICT.
 */
enum sam_status ispt_pr_release(struct ispt_pr *pr,
				const struct ispt_scsi_nexus *n)
{
	enum sam_status ret = SAM_STAT_GOOD;
	struct ispt_pr_reg *reg;

	spin_lock(&pr->lock);
	if (pr->type != ISPT_PR_TYPE_NONE) {
		reg = find_reg(pr, n);
		if (!is_holder(pr, reg) &&
		    !(reg && type_registrants(pr->type)))
			ret = SAM_STAT_RESERVATION_CONFLICT;
	} else if (pr->spc2 && ispt_pr_nexus_matches(pr->spc2, n)) {
		spc2_drop(pr);
	}
	spin_unlock(&pr->lock);
	return ret;
}

/**
 * ispt_pr_nexus_lost() - an I_T nexus ended (logout, dropped connection)
 * @pr: the LU's reservations
 * @n: the nexus
 *
 * SPC-2 reservations do not outlive their nexus; persistent ones do.
 */
void ispt_pr_nexus_lost(struct ispt_pr *pr, const struct ispt_scsi_nexus *n)
{
	spin_lock(&pr->lock);
	if (pr->spc2 && ispt_pr_nexus_matches(pr->spc2, n))
		spc2_drop(pr);
	spin_unlock(&pr->lock);
}

/**
 * ispt_pr_reset() - a LOGICAL UNIT RESET or a target reset
 * @pr: the LU's reservations
 *
 * Clears an SPC-2 reservation; persistent reservations stay (SPC-4).
 */
void ispt_pr_reset(struct ispt_pr *pr)
{
	spin_lock(&pr->lock);
	if (pr->spc2)
		spc2_drop(pr);
	spin_unlock(&pr->lock);
}

/*
 * The saved state, one item per line:
 *	aptpl 1
 *	generation 12
 *	reservation 5 2		(type, index of the holder's "reg" line)
 *	reg 0x1234 1 0 23d000000001 iqn.1994-05.com.example:host
 *		(key, relative port, all_tg_pt, ISID, initiator name)
 * Without APTPL there is nothing to keep across a power cycle: only
 * "aptpl 0" is shown.
 */
static __printf(4, 5) int state_line(char *buf, size_t size, size_t *pos,
				     const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(buf + *pos, size - *pos, fmt, args);
	va_end(args);
	if (n >= size - *pos)
		return -EFBIG;
	*pos += n;
	return 0;
}

/**
 * ispt_pr_state_show() - print the state persisted through power loss
 * @pr: the LU's reservations
 * @buf: where to print
 * @size: its size
 *
 * Return: bytes printed, or -EFBIG if @buf is too small.
 */
ssize_t ispt_pr_state_show(struct ispt_pr *pr, char *buf, size_t size)
{
	struct ispt_pr_reg *reg;
	unsigned int i = 0, holder = 0;
	size_t pos = 0;
	int ret;

	if (size)
		buf[0] = '\0';
	spin_lock(&pr->lock);
	/*
	 * Nothing to persist reads as nothing, so that a saved configuration
	 * carries pr_state only for the LUs that have some.
	 */
	if (!pr->aptpl)
		goto out;
	ret = state_line(buf, size, &pos, "aptpl 1\n");
	if (ret)
		goto out;
	list_for_each_entry(reg, &pr->regs, node) {
		if (reg == pr->holder)
			holder = i;
		i++;
	}
	ret = state_line(buf, size, &pos, "generation %u\n",
			 pr->generation);
	if (!ret && pr->type != ISPT_PR_TYPE_NONE)
		ret = state_line(buf, size, &pos, "reservation %u %u\n",
				 pr->type, holder);
	list_for_each_entry(reg, &pr->regs, node) {
		if (ret)
			break;
		ret = state_line(buf, size, &pos,
				 "reg 0x%llx %u %d %6phN %s\n", reg->key,
				 reg->rel_port_id, reg->all_tg_pt, reg->isid,
				 reg->initiator);
	}
out:
	spin_unlock(&pr->lock);
	return ret ? ret : pos;
}

/* A name as iSCSI allows: printable, no spaces (RFC 3722) */
static bool name_ok(const char *s)
{
	if (!*s || strlen(s) >= ISCSI_NAME_LEN)
		return false;
	for (; *s; s++)
		if (!isgraph(*s))
			return false;
	return true;
}

static int parse_reg_line(char *args, struct list_head *regs)
{
	char *key_s = strsep(&args, " "), *port_s = strsep(&args, " ");
	char *all_s = strsep(&args, " "), *isid_s = strsep(&args, " ");
	struct ispt_pr_reg *reg;
	u8 isid[6];
	u16 port;
	bool all;
	u64 key;

	if (!key_s || !port_s || !all_s || !isid_s || !args ||
	    kstrtou64(key_s, 0, &key) || !key || kstrtou16(port_s, 0, &port) ||
	    kstrtobool(all_s, &all) || strlen(isid_s) != 12 ||
	    hex2bin(isid, isid_s, 6) || !name_ok(args))
		return -EINVAL;
	reg = reg_alloc(args, isid, port, all, key, GFP_KERNEL);
	if (!reg)
		return -ENOMEM;
	list_add_tail(&reg->node, regs);
	return 0;
}

static int parse_reservation(const char *line, unsigned int *type,
			     unsigned int *holder_idx, bool *have_res)
{
	if (!line || sscanf(line, "%u %u", type, holder_idx) != 2 ||
	    !type_valid(*type))
		return -EINVAL;
	*have_res = true;
	return 0;
}

/**
 * ispt_pr_state_store() - restore a state ispt_pr_state_show() printed
 * @pr: the LU's reservations
 * @buf: the text
 * @len: its length
 *
 * The whole text is checked before anything changes; it then replaces
 * the persistent reservations of the LU. "aptpl 0" (or nothing) clears
 * them.
 *
 * Return: 0, -EINVAL naming nothing applied, or -ENOMEM.
 */
int ispt_pr_state_store(struct ispt_pr *pr, const char *buf, size_t len)
{
	unsigned int nr = 0, type = 0, holder_idx = 0, i;
	struct ispt_pr_reg *reg, *holder = NULL;
	bool aptpl = false, have_res = false;
	char *text, *cur, *line;
	LIST_HEAD(regs);
	LIST_HEAD(old);
	u32 gen = 0;
	int ret = 0;

	text = kmemdup_nul(buf, len, GFP_KERNEL);
	if (!text)
		return -ENOMEM;
	cur = text;
	while (!ret && (line = strsep(&cur, "\n"))) {
		char *word = strsep(&line, " ");

		if (!*word)
			continue;
		if (!strcmp(word, "aptpl"))
			ret = line ? kstrtobool(line, &aptpl) : -EINVAL;
		else if (!strcmp(word, "generation"))
			ret = line ? kstrtou32(line, 0, &gen) : -EINVAL;
		else if (!strcmp(word, "reservation"))
			ret = parse_reservation(line, &type, &holder_idx,
						&have_res);
		else if (!strcmp(word, "reg"))
			ret = ++nr > ISPT_PR_MAX_REGS ? -EINVAL :
			      parse_reg_line(line, &regs);
		else
			ret = -EINVAL;
	}
	kfree(text);
	if (!ret && have_res) {
		i = 0;
		list_for_each_entry(reg, &regs, node)
			if (i++ == holder_idx)
				holder = reg;
		if (!holder)
			ret = -EINVAL;
	}
	if (ret || !aptpl) {
		free_regs(&regs);
		if (ret)
			return ret;
		nr = 0;
	}

	spin_lock(&pr->lock);
	list_splice_init(&pr->regs, &old);
	list_splice_init(&regs, &pr->regs);
	pr->nr_regs = nr;
	pr->generation = gen;
	pr->aptpl = aptpl;
	pr->type = holder ? type : ISPT_PR_TYPE_NONE;
	pr->holder = holder;
	update_busy(pr);
	spin_unlock(&pr->lock);
	free_regs(&old);
	return 0;
}
