# SPDX-License-Identifier: GPL-2.0
#
# iscsi_spt: build the module, run the checks, boot the test VM.
# `make help` lists the targets.

KVER ?= $(shell for d in /lib/modules/*/build; do [ -e "$$d/Makefile" ] && \
		basename "$$(dirname "$$d")"; done 2>/dev/null | sort -V | tail -n 1)
KDIR ?= /lib/modules/$(KVER)/build
W ?= 1
PWD := $(CURDIR)

export KVER KDIR

.PHONY: all modules sparse checkpatch kunit vmtest check run bench clean help

all: modules

modules:
	@test -n "$(KVER)" -a -e "$(KDIR)/Makefile" || \
		{ echo "no kernel headers found (KDIR=$(KDIR)); run tools/install-deps.sh" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(PWD) W=$(W) modules

sparse:
	$(MAKE) -C $(KDIR) M=$(PWD) W=$(W) C=2 CHECK="sparse -Wno-decl" modules

checkpatch:
	tools/checkpatch.sh

kunit:
	tools/kunit.sh

vmtest: modules
	tools/iscsi-spt-vm test $(TESTS)

check:
	tools/check.sh

run: modules
	tools/iscsi-spt-vm run

# Not part of check: one VM boot of about 20 minutes (Documentation/benchmark.rst).
bench: modules
	tools/iscsi-spt-vm bench

clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean

help:
	@echo "make             build drivers/iscsi_spt/iscsi_spt.ko (KVER=$(KVER))"
	@echo "make check       build, sparse, checkpatch, KUnit and VM selftests"
	@echo "make kunit       KUnit suites on UML"
	@echo "make vmtest      VM selftests only (TESTS='name ...' to pick)"
	@echo "make run         boot a VM serving a demo target on 127.0.0.1:3260"
	@echo "make bench       iscsi_spt against LIO and nvmet-tcp in the VM (bench-results/)"
	@echo "make sparse      sparse (C=2) over the module"
	@echo "make checkpatch  checkpatch --strict over our files"
