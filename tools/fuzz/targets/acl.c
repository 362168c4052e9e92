// SPDX-License-Identifier: GPL-2.0
/*
 * acl.c from configfs and the wire: an input is a control byte, then text
 * that is parsed as an initiator group's names list or netmasks list (as
 * configfs hands it over), and matched against an initiator name and a
 * peer address taken from the input (as a login presents them).
 */
#include "acl.h"

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct sockaddr_storage peer = {};
	struct ispt_acl_netmasks *masks;
	struct ispt_acl_names *names;
	struct ispt_netmask one;
	struct ispt_acl_err err;
	const char *why;
	char *text, name[ISPT_NAME_MAX + 1];
	unsigned int i;
	u8 ctl;

	if (size < 1)
		return 0;
	ctl = data[0];
	data++;
	size--;
	/* Exactly sized and not NUL-terminated: configfs gives a length. */
	text = malloc(size ? size : 1);
	memcpy(text, data, size);

	if (ctl & 1) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&peer;

		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, data, min(size, sizeof(s6->sin6_addr)));
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&peer;

		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, data, min(size, sizeof(s4->sin_addr)));
	}
	i = min(size, sizeof(name) - 1);
	memcpy(name, data, i);
	name[i] = '\0';

	ispt_iscsi_name_valid(text, size, &why);
	if (!ispt_netmask_parse(text, size, &one, &why)) {
		CHECK(one.family == AF_INET || one.family == AF_INET6);
		CHECK(one.prefix <= (one.family == AF_INET ? 32 : 128));
		ispt_netmask_match(&one, &peer);
	}

	names = ispt_acl_names_parse(text, size, &err);
	if (!IS_ERR(names)) {
		CHECK(names->nr <= ISPT_ACL_MAX);
		for (i = 0; i < names->nr; i++) {
			CHECK(strlen(names->name[i]) <= ISPT_NAME_MAX);
			CHECK(ispt_iscsi_name_valid(names->name[i],
						    strlen(names->name[i]), &why));
			CHECK(ispt_acl_names_match(names, names->name[i]));
		}
		ispt_acl_names_match(names, name);
		kfree(names);
	} else {
		CHECK(err.why);
	}

	masks = ispt_acl_netmasks_parse(text, size, &err);
	if (!IS_ERR(masks)) {
		CHECK(masks->nr <= ISPT_ACL_MAX);
		ispt_acl_netmasks_match(masks, &peer);
		kfree(masks);
	} else {
		CHECK(err.why);
	}
	free(text);
	return 0;
}
