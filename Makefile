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

# The newest installed kernel of a series (6.1, 6.12), for check-6.1/6.12.
kver_series = $(shell for d in /lib/modules/$(1).*/build /lib/modules/$(1)-*/build; do \
		[ -e "$$d/Makefile" ] && basename "$$(dirname "$$d")"; done 2>/dev/null | sort -V | tail -n 1)

.PHONY: all modules tools install dkms-install dkms-remove sparse checkpatch kunit vmtest check check-6.1 check-6.12 check-long check-debug run bench clean help fuzz fuzz-smoke

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

# DKMS (tools/dkms.sh): the sources to /usr/src/iscsi_spt-<version>,
# built and installed for every kernel with headers, and for each kernel
# installed later.
dkms-install:
	tools/dkms.sh install

dkms-remove:
	tools/dkms.sh remove

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

# The supported kernels (README): everything on 6.1; on 6.12 the stages
# that depend on the kernel (build, sparse, VM selftests).
check-6.1:
	@test -n "$(call kver_series,6.1)" || \
		{ echo "no 6.1 kernel headers: run tools/install-deps.sh" >&2; exit 1; }
	KVER=$(call kver_series,6.1) env -u KDIR tools/check.sh

check-6.12:
	@test -n "$(call kver_series,6.12)" || \
		{ echo "no 6.12 kernel: run tools/install-deps.sh --kernel 6.12" >&2; exit 1; }
	KVER=$(call kver_series,6.12) env -u KDIR tools/check.sh --kernel-only

# The VM tests marked "# long:" (the whole libiscsi suite...), alone.
check-long: modules tools
	ISPT_VM_LONG=1 tools/iscsi-spt-vm test $$(grep -l '^# long:' selftests/vm/tests/*.sh | xargs -n1 basename | sed 's/\.sh$$//')

# The VM selftests on a KASAN/lockdep/kmemleak kernel built from
# linux-source-6.1 into the cache (tools/debug-kernel.sh); TESTS picks some.
check-debug:
	tools/check-debug.sh $(TESTS)

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
	@echo "make check-6.1   make check on the newest installed 6.1 kernel"
	@echo "make check-6.12  build, sparse and VM selftests on 6.12 (install-deps.sh --kernel 6.12)"
	@echo "make check-debug VM selftests on a KASAN/lockdep/kmemleak 6.1 kernel (built once, ~1 h)"
	@echo "make dkms-install  register the module with DKMS and build it for every kernel"
	@echo "make tools       build tools/iscsi-spt/iscsi-spt, the CLI"
	@echo "make install     install the module (INSTALL_MOD_PATH), the CLI, man page, completion, systemd unit"
	@echo "make kunit       KUnit suites on UML"
	@echo "make vmtest      VM selftests only (TESTS='name ...' to pick)"
	@echo "make run         boot a VM serving a demo target on 127.0.0.1:3260"
	@echo "make fuzz        libFuzzer on the protocol parsers, FUZZ_TIME=60 s per target"
	@echo "make bench       iscsi_spt against LIO and nvmet-tcp in the VM (bench-results/)"
	@echo "make sparse      sparse (C=2) over the module"
	@echo "make checkpatch  checkpatch --strict over our files"
