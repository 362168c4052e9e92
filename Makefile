# SPDX-License-Identifier: GPL-2.0
#
# iscsi_spt: build the module, run the checks, boot the test VM.
# `make help` lists the targets.

KVER ?= $(shell for d in /lib/modules/*/build; do [ -e "$$d/Makefile" ] && \
		basename "$$(dirname "$$d")"; done 2>/dev/null | sort -V | tail -n 1)
KDIR ?= /lib/modules/$(KVER)/build
W ?= 1
PWD := $(CURDIR)

# make install: the module under $(INSTALL_MOD_PATH)/lib/modules/$(KVER),
# the CLI, its man page and completion, and the systemd unit.
DESTDIR ?=
INSTALL_MOD_PATH ?= $(DESTDIR)
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system

export KVER KDIR

.PHONY: all modules tools install sparse checkpatch kunit vmtest check run bench clean help fuzz fuzz-smoke

all: modules

modules:
	@test -n "$(KVER)" -a -e "$(KDIR)/Makefile" || \
		{ echo "no kernel headers found (KDIR=$(KDIR)); run tools/install-deps.sh" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(PWD) W=$(W) modules

tools:
	$(MAKE) -C tools/iscsi-spt

install: modules tools
	$(MAKE) -C $(KDIR) M=$(PWD) INSTALL_MOD_PATH=$(INSTALL_MOD_PATH) modules_install
	$(MAKE) -C tools/iscsi-spt install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) SBINDIR=$(SBINDIR)
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	sed 's|/usr/local/sbin/|$(SBINDIR)/|g' tools/iscsi-spt.service \
		>$(DESTDIR)$(SYSTEMDUNITDIR)/iscsi-spt.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/iscsi-spt.service

sparse:
	$(MAKE) -C $(KDIR) M=$(PWD) W=$(W) C=2 CHECK="sparse -Wno-decl" modules

checkpatch:
	tools/checkpatch.sh

kunit:
	tools/kunit.sh

vmtest: modules tools
	tools/iscsi-spt-vm test $(TESTS)

check:
	tools/check.sh

run: modules tools
	tools/iscsi-spt-vm run

# libFuzzer over the protocol files in userspace (tools/fuzz/Makefile):
# FUZZ_TIME seconds per target (default 60), TARGETS="pdu scsi ..." to pick.
fuzz:
	$(MAKE) -C tools/fuzz run

fuzz-smoke:
	$(MAKE) -C tools/fuzz smoke
# Not part of check: one VM boot of about 20 minutes (Documentation/benchmark.rst).
bench: modules
	tools/iscsi-spt-vm bench

clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean
	$(MAKE) -C tools/fuzz clean
	$(MAKE) -C tools/iscsi-spt clean

help:
	@echo "make             build drivers/iscsi_spt/iscsi_spt.ko (KVER=$(KVER))"
	@echo "make check       build, sparse, checkpatch, KUnit, CLI unit tests and VM selftests"
	@echo "make tools       build tools/iscsi-spt/iscsi-spt, the CLI"
	@echo "make install     install the module (INSTALL_MOD_PATH), the CLI, man page, completion, systemd unit"
	@echo "make kunit       KUnit suites on UML"
	@echo "make vmtest      VM selftests only (TESTS='name ...' to pick)"
	@echo "make run         boot a VM serving a demo target on 127.0.0.1:3260"
	@echo "make fuzz        libFuzzer on the protocol parsers, FUZZ_TIME=60 s per target"
	@echo "make bench       iscsi_spt against LIO and nvmet-tcp in the VM (bench-results/)"
	@echo "make sparse      sparse (C=2) over the module"
	@echo "make checkpatch  checkpatch --strict over our files"
