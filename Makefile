# SPDX-License-Identifier: GPL-2.0
#
# sbuddy: build the module, boot it in a VM, test it.
#
#   make                  build sbuddy.ko against KDIR
#   make run              boot the test VM, load sbuddy, show what it does
#   make vm CMD='...'     boot the test VM with sbuddy loaded, run CMD there
#   make check            every test; the last line is "N passed, N failed"
#   make bench            the benchmark against the host's allocator (4 CPUs);
#                         the table is kept in out/bench/
#   make study            the fragmentation study (policies x seeds); the
#                         report and its plot are kept in out/study/
#   make labs             re-run the labs of Documentation/labs/ in the VM and
#                         write their real output into the pages
#   make soak             long fuzz, pcp stress and chaos on the debug kernel
#   make pictures         the example pictures of the admin guide, from a
#                         workload in the VM (sbuddyctl watch, map, plot)
#   make trace            record the guest kernel's own page events (for
#                         sbuddyctl replay) into out/traces/
#
# KERNEL=6.1|6.12|debug, SMP=, MEM=, MODPARAMS='...' choose the guest.

KERNEL ?= 6.1
SMP ?= 2
MEM ?= 1G
MODPARAMS ?=
CMD ?= true
export KERNEL SMP MEM MODPARAMS

KDIR ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then \
	echo /lib/modules/$$(uname -r)/build; else tools/deps.sh kdir 6.1; fi)
SB_PROBE_DIR = $(CURDIR)/.probe/$(subst /,_,$(abspath $(KDIR)))

.PHONY: all modules probe ktest clean run vm check deps selftests kunit tools bench soak study labs trace

all: modules

probe: $(SB_PROBE_DIR)/sb_config.h

$(SB_PROBE_DIR)/sb_config.h: tools/probe.sh $(wildcard tools/probes/*.c)
	tools/probe.sh $(KDIR) $(SB_PROBE_DIR)

# With KUnit in KDIR (the debug kernel) Kbuild also builds sbuddy_kunit.ko
# from ktest/, one wrapper per core source.
SB_KUNIT_MOD := $(shell grep -qs '^CONFIG_KUNIT=y' $(KDIR)/.config && echo y)

modules: probe $(if $(SB_KUNIT_MOD),ktest)
	$(MAKE) -C $(KDIR) M=$(CURDIR) SB_PROBE_DIR=$(SB_PROBE_DIR) modules

ktest:
	@mkdir -p ktest
	@for f in src/*.c; do n=$$(basename $$f); \
		w="#include \"../src/$$n\""; \
		[ "$$(cat ktest/$$n 2>/dev/null)" = "$$w" ] || echo "$$w" >ktest/$$n; \
	done
	@printf '%s\n' '#include <linux/module.h>' \
		'MODULE_DESCRIPTION("sbuddy KUnit suites");' \
		'MODULE_LICENSE("GPL");' >ktest/modinfo.c.new
	@cmp -s ktest/modinfo.c.new ktest/modinfo.c || mv ktest/modinfo.c.new ktest/modinfo.c
	@rm -f ktest/modinfo.c.new

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf .probe ktest tools/sbuddyctl tools/sb_presets.h
	$(MAKE) -C selftests clean

deps:
	tools/deps.sh all

tools: tools/sbuddyctl

tools/sbuddyctl: tools/sbuddyctl.c include/uapi/linux/sbuddy.h tools/sb_presets.h
	$(CC) -O2 -Wall -Wextra -static -pthread -Iinclude/uapi -Itools -o $@ $< -lm

tools/sb_presets.h: tools/embed-presets.sh $(wildcard tools/workloads/*.wl)
	tools/embed-presets.sh $(wildcard tools/workloads/*.wl) > $@

selftests:
	$(MAKE) -C selftests KSRC=$$(tools/deps.sh ksrc 6.1)

run: deps tools
	tools/run-demo.sh

# a real trace of the guest kernel's page allocator (tools/trace-capture.sh)
trace: deps
	tools/trace-capture.sh

vm: deps tools
	tools/vm/run.sh -f tools/sbuddyctl $(if $(VM_SHELL),-i) -- '$(CMD)'

kunit: deps
	tools/kunit.sh

# The kernel matrix is 6.1, 6.12 and the debug kernel (KASAN, lockdep,
# built from linux-source-6.1 when its cache is cold) unless KERNEL= names
# one; the VM tests run on 4 vCPUs unless SMP= says otherwise.
check:
	CHECK_KERNELS="$(if $(filter command line environment,$(origin KERNEL)),$(KERNEL),6.1 6.12 debug)" \
	SMP="$(if $(filter command line environment,$(origin SMP)),$(SMP),4)" \
		tools/check.sh

# Not a test: never part of check.  SMP defaults to 4 here, not 2.
bench: deps
	SMP=$(if $(filter file,$(origin SMP)),4,$(SMP)) tools/bench.sh

# Not a test either: a report of what the policies achieve.
study: deps
	tools/study.sh
# The labs' pages are rewritten from a fresh run (check runs them with
# --check, writing nothing).
labs: deps tools
	tools/labs.sh

# Not part of check: a million fuzzed calls and rounds of the pcp stress
# on the debug kernel (KERNEL= picks another); knobs in tools/soak.sh.
soak: deps tools
	KERNEL=$(if $(filter command line environment,$(origin KERNEL)),$(KERNEL),debug) \
	SMP=$(if $(filter file,$(origin SMP)),4,$(SMP)) tools/soak.sh

# Not a test: redraws Documentation/admin-guide/pictures/ from a VM run.
.PHONY: pictures
pictures: deps
	tools/pictures.sh
