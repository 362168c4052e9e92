// SPDX-License-Identifier: GPL-2.0
/*
 * iscsi-spt: manage the iscsi_spt iSCSI target. The subcommands mirror
 * the SPDK iSCSI target's RPCs (portal groups, initiator groups, target
 * nodes, LUNs, maps, auth groups and CHAP policies, connections, global
 * parameters) and add save,
 * restore, clear and top. See iscsi-spt(8).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "iscsi-spt.h"

const struct command commands[] = {
	{ "portal-group", "add", "TAG [PORTAL...] [--cpus LIST]",
	  "Create portal group TAG (1-65535) listening on each PORTAL, written\n"
	  "IPv4[:PORT] or [IPv6][:PORT] (port 3260 by default).\n"
	  "  -c, --cpus LIST   CPUs its connections run on, e.g. 0-3 (default: all)",
	  cmd_pg_add },
	{ "portal-group", "delete", "TAG",
	  "Stop the group's portals and delete it. Refused while a target maps\n"
	  "the group (delete those maps first).",
	  cmd_pg_delete },
	{ "portal-group", "list", "[--json]",
	  "List portal groups: tag, CPUs, portals.\n"
	  "  -j, --json   print JSON, as in a saved configuration",
	  cmd_pg_list },
	{ "initiator-group", "add",
	  "TAG [--initiators NAME,...] [--netmasks NET,...]",
	  "Create initiator group TAG (1-65535). A group admits an initiator\n"
	  "whose name is listed and whose address is in a netmask; ANY matches\n"
	  "every name or address. Without a list the group admits no one.\n"
	  "  -i, --initiators LIST   iSCSI names, or ANY (comma or space separated)\n"
	  "  -n, --netmasks LIST     networks such as 192.0.2.0/24 or 2001:db8::/32, or ANY",
	  cmd_ig_add },
	{ "initiator-group", "delete", "TAG",
	  "Delete an initiator group. Refused while a map links it.",
	  cmd_ig_delete },
	{ "initiator-group", "list", "[--json]",
	  "List initiator groups: tag, initiators, netmasks.\n"
	  "  -j, --json   print JSON",
	  cmd_ig_list },
	{ "target", "create",
	  "NAME [--alias TEXT] [--lun ID:DEVICE]... [--map PG:IG]...",
	  "Create a target node. NAME is an iSCSI name (iqn..., eui..., naa...),\n"
	  "or a short name the node base is put in front of (<node_base>:NAME).\n"
	  "  -a, --alias TEXT        TargetAlias sent at login\n"
	  "  -l, --lun ID:DEVICE     serve block device DEVICE as LUN ID (repeatable)\n"
	  "  -m, --map PG:IG         admit initiator group IG through portal group PG\n"
	  "                          (repeatable)\n"
	  "Nothing is left behind if a step fails.",
	  cmd_target_create },
	{ "target", "delete", "NAME",
	  "Delete a target with its maps and LUNs (each LUN waits for its\n"
	  "commands). Sessions already logged in are not ended.",
	  cmd_target_delete },
	{ "target", "list", "[--json]",
	  "List targets: name, alias, LUNs, maps, auth policy.\n"
	  "  -j, --json   print JSON",
	  cmd_target_list },
	{ "target", "auth",
	  "NAME [--group TAG|none] [--require-chap yes|no] [--mutual-chap yes|no]",
	  "Show, or change, who may log in to a target by CHAP (SPDK's\n"
	  "iscsi_target_node_set_auth). Only the options given change.\n"
	  "  -g, --group TAG|none        the auth group whose users' secrets apply\n"
	  "  -r, --require-chap yes|no   refuse logins without CHAP\n"
	  "  -m, --mutual-chap yes|no    require mutual CHAP (implies --require-chap)\n"
	  "Requiring CHAP needs an auth group. Applies to the next login.",
	  cmd_target_auth },
	{ "lun", "add", "TARGET ID DEVICE [--disabled]",
	  "Serve block device DEVICE as LUN ID (0-16383) of TARGET. The device is\n"
	  "opened exclusively: it may back one LUN only, and not be mounted.\n"
	  "  -d, --disabled   create the LUN without opening the device",
	  cmd_lun_add },
	{ "lun", "remove", "TARGET ID",
	  "Remove a LUN; its commands in flight finish first.",
	  cmd_lun_remove },
	{ "map", "add", "TARGET PG:IG...",
	  "Admit initiator group IG to TARGET through portal group PG.",
	  cmd_map_add },
	{ "map", "delete", "TARGET PG[:IG]...",
	  "Remove initiator group IG from TARGET's map for portal group PG, or\n"
	  "the whole map with PG alone. A map left empty is removed.",
	  cmd_map_delete },
	{ "auth-group", "create", "TAG [--chap-algs LIST]",
	  "Create auth group TAG (1-65535), for CHAP secrets.\n"
	  "  -a, --chap-algs LIST   CHAP_A values allowed: 5 MD5, 6 SHA-1, 7 SHA-256,\n"
	  "                         8 SHA3-256 (default 8,7,6,5; the initiator's order\n"
	  "                         decides)",
	  cmd_ag_create },
	{ "auth-group", "delete", "TAG",
	  "Delete an auth group and its users. Refused while a target or\n"
	  "discovery links it.",
	  cmd_ag_delete },
	{ "auth-group", "list", "[--json]",
	  "List auth groups: tag, CHAP algorithms, users and their mutual users,\n"
	  "and what links each group. Secrets are never shown: configfs keeps them\n"
	  "write-only.\n"
	  "  -j, --json   print JSON",
	  cmd_ag_list },
	{ "auth-group", "add-secret",
	  "TAG USER --secret SECRET [--mutual-user NAME --mutual-secret SECRET]",
	  "Add CHAP user USER (the CHAP_N an initiator sends) to auth group TAG.\n"
	  "  -s, --secret SECRET          its secret, 12 to 255 bytes\n"
	  "  -u, --mutual-user NAME       the name the target answers with (mutual CHAP)\n"
	  "  -m, --mutual-secret SECRET   the target's secret; must differ from SECRET\n"
	  "A SECRET of - is read as a line of standard input (the secret first,\n"
	  "then the mutual secret), keeping it out of the process list.",
	  cmd_ag_add_secret },
	{ "auth-group", "remove-secret", "TAG USER",
	  "Remove a CHAP user; its next login fails. Sessions stay.",
	  cmd_ag_remove_secret },
	{ NULL, "discovery-auth",
	  "[--group TAG|none] [--require-chap yes|no] [--mutual-chap yes|no] [--json]",
	  "Show, or change, CHAP for discovery sessions (SPDK's\n"
	  "iscsi_set_discovery_auth); options as for 'target auth'.\n"
	  "  -j, --json   print JSON",
	  cmd_discovery_auth },
	{ NULL, "connections", "[--json] [--long]",
	  "List connections: target, initiator, ISID, TSIH, CID, addresses,\n"
	  "CPU and state.\n"
	  "  -l, --long   also the negotiated keys\n"
	  "  -j, --json   print JSON with every field",
	  cmd_connections },
	{ "params", "get", "[NAME...] [--json]",
	  "Show global parameters (all, or those named).\n"
	  "  -j, --json   print JSON",
	  cmd_params_get },
	{ "params", "set", "NAME=VALUE...",
	  "Set global parameters; all are checked before any is written:\n"
	  "  node_base                     prefix for short target names\n"
	  "  max_sessions                  1-65535\n"
	  "  max_connections_per_session   1-65535\n"
	  "  nopin_interval                seconds, 0-3600 (0: no keepalive)\n"
	  "  nopin_timeout                 seconds, 1-3600\n"
	  "Login keys the target offers to new logins (sessions keep theirs):\n"
	  "  HeaderDigest, DataDigest      CRC32C,None | CRC32C (required) | None\n"
	  "  MaxRecvDataSegmentLength      512-262144\n"
	  "  MaxBurstLength                512-16777215\n"
	  "  FirstBurstLength              512-16777215, at most MaxBurstLength\n"
	  "  MaxOutstandingR2T             1-4\n"
	  "  DefaultTime2Wait              seconds, 0-3600\n"
	  "  DefaultTime2Retain            seconds, 0-3600\n"
	  "  InitialR2T, ImmediateData     Yes | No",
	  cmd_params_set },
	{ NULL, "save", "[FILE]",
	  "Write the whole configuration as JSON to FILE (default\n"
	  CLI_DEFAULT_CONFIG "; - for standard output).",
	  cmd_save },
	{ NULL, "restore", "[FILE] [--check] [--missing-ok]",
	  "Apply a saved configuration (default " CLI_DEFAULT_CONFIG ") to a\n"
	  "target with no objects configured. All or nothing: the whole file is\n"
	  "checked first, and if applying fails part-way, what was applied is\n"
	  "undone.\n"
	  "  --check        only check the file, change nothing\n"
	  "  --missing-ok   succeed without doing anything if FILE does not exist",
	  cmd_restore },
	{ NULL, "clear", "",
	  "Delete every target, initiator group, portal group and auth group,\n"
	  "and turn discovery CHAP off (global parameters stay).",
	  cmd_clear },
	{ NULL, "top", "[--interval SEC] [--iterations N] [--batch]",
	  "Show IOPS, bandwidth and latency per connection, LUN and CPU,\n"
	  "refreshed in place.\n"
	  "  -d, --interval SEC     seconds between refreshes (default 1)\n"
	  "  -n, --iterations N     stop after N refreshes\n"
	  "  -b, --batch            append each refresh instead of redrawing",
	  cmd_top },
	{ NULL, NULL, NULL, NULL, NULL },
};

static void command_name(const struct command *c, char *buf, size_t size)
{
	if (c->group)
		snprintf(buf, size, "%s %s", c->group, c->name);
	else
		snprintf(buf, size, "%s", c->name);
}

void command_usage(const struct command *c, FILE *f)
{
	char name[64];

	command_name(c, name, sizeof(name));
	fprintf(f, "usage: " CLI_NAME " %s %s\n\n%s\n", name, c->synopsis,
		c->help);
}

/* The command being run, for usage errors. */
static const struct command *current;

int usage_error(const char *fmt, ...)
{
	char name[64] = "";
	va_list ap;

	if (current)
		command_name(current, name, sizeof(name));
	fprintf(stderr, CLI_NAME "%s%s: ", name[0] ? " " : "", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (current)
		fprintf(stderr, "\nusage: " CLI_NAME " %s %s\n", name,
			current->synopsis);
	else
		fputc('\n', stderr);
	return EXIT_USAGE;
}

static void usage(FILE *f)
{
	const struct command *c;
	char name[64];

	fprintf(f,
		"usage: " CLI_NAME " [--root DIR] [--quiet] COMMAND [ARGS]\n\n"
		"Manage the iscsi_spt iSCSI target through its configfs tree\n"
		"(" CLI_DEFAULT_ROOT ").\n\n"
		"Commands:\n");
	for (c = commands; c->name; c++) {
		command_name(c, name, sizeof(name));
		if (c->synopsis[0])
			fprintf(f, "  %-24s %s\n", name, c->synopsis);
		else
			fprintf(f, "  %s\n", name);
	}
	fprintf(f,
		"\n'" CLI_NAME " COMMAND --help' describes a command.\n"
		"Exit status: 0 done, 1 refused or failed, 2 bad arguments (nothing\n"
		"changed), 3 module not loaded, 4 bad configuration file.\n");
}

static void group_usage(const char *group, FILE *f)
{
	const struct command *c;

	fprintf(f, "usage: " CLI_NAME " %s SUBCOMMAND\n\n", group);
	for (c = commands; c->name; c++)
		if (c->group && !strcmp(c->group, group))
			fprintf(f, "  %-12s %s\n", c->name, c->synopsis);
}

static bool is_group(const char *s)
{
	const struct command *c;

	for (c = commands; c->name; c++)
		if (c->group && !strcmp(c->group, s))
			return true;
	return false;
}

static const struct command *find(const char *group, const char *name)
{
	const struct command *c;

	for (c = commands; c->name; c++) {
		if (!c->group != !group || strcmp(c->name, name))
			continue;
		if (!group || !strcmp(c->group, group))
			return c;
	}
	return NULL;
}

static bool wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return false;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	}
	return false;
}

static int help(int argc, char **argv)
{
	const struct command *c;

	if (argc < 1) {
		usage(stdout);
		return EXIT_OK;
	}
	if (is_group(argv[0])) {
		c = argc > 1 ? find(argv[0], argv[1]) : NULL;
		if (!c) {
			group_usage(argv[0], stdout);
			return argc > 1 ? EXIT_USAGE : EXIT_OK;
		}
	} else {
		c = find(NULL, argv[0]);
		if (!c)
			return usage_error("no command \"%s\"", argv[0]);
	}
	command_usage(c, stdout);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *c;
	const char *env = getenv("ISCSI_SPT_ROOT");
	int opt;

	if (env && *env)
		cli_root = env;
	/* "+": stop at the command; its options are its own. */
	while ((opt = getopt_long(argc, argv, "+r:qhV", opts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			cli_root = optarg;
			break;
		case 'q':
			cli_quiet = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf(CLI_NAME " %s\n", ISCSI_SPT_VERSION);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[0], "help"))
		return help(argc - 1, argv + 1);
	if (is_group(argv[0])) {
		if (argc < 2 || !strcmp(argv[1], "-h") ||
		    !strcmp(argv[1], "--help")) {
			group_usage(argv[0], argc < 2 ? stderr : stdout);
			return argc < 2 ? EXIT_USAGE : EXIT_OK;
		}
		c = find(argv[0], argv[1]);
		if (!c) {
			fprintf(stderr, CLI_NAME " %s: no subcommand \"%s\"\n",
				argv[0], argv[1]);
			group_usage(argv[0], stderr);
			return EXIT_USAGE;
		}
		argc--;
		argv++;
	} else {
		c = find(NULL, argv[0]);
		if (!c) {
			fprintf(stderr, CLI_NAME ": no command \"%s\"\n", argv[0]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	current = c;
	if (wants_help(argc, argv)) {
		command_usage(c, stdout);
		return EXIT_OK;
	}
	/* Each command parses its own options from argv[1] on. */
	optind = 0;
	return c->fn(argc, argv);
}
