# Shrike's one Makefile.
#   make              shrike.ko for each target kernel, shrikec, shrike-agent
#   make style        clang-format, checkpatch, shellcheck, include layers
#   make check        install missing dependencies, style, build, unit tests, fuzzers,
#                     dkms builds, then every VM scenario on every kernel
#   make vmtest T=NAME [KERNELS="6.1.0-56-cloud-amd64 ..."]
#   make deb          Debian packages shrike and shrike-dkms in $(BUILD)/deb/
#   make V=1 ...      show full commands
#
# The module builds against KDIR. Without KDIR it uses the running kernel's
# headers, and where there are none, every installed Debian cloud kernel's.

V ?= 0
ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-7s %s\n'
MAKEFLAGS += --no-print-directory
endif

BUILD ?= build
BIN := $(BUILD)/bin
CC ?= gcc
CLANG ?= clang
CFLAGS ?= -O2 -g
PKGS := libmnl yaml-0.1 json-c libmicrohttpd libcurl check
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# shrikec needs only these: fewer shared libraries, faster start (it runs in CI loops).
SHRIKEC_LIBS = $(shell pkg-config --libs yaml-0.1 json-c 2>/dev/null)
# CPPFLAGS and LDFLAGS: the hardening flags of a Debian package build (make deb).
ALL_CFLAGS = -std=gnu11 -Wall -Wextra -Werror -I. $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS)

# ---- kernel module -----------------------------------------------------------
# The test kernels (tests/kernels/lib.sh): the host's Debian cloud kernels with
# headers, the trixie build root's newest Debian kernel, the debug kernel.
KLIB = . tests/kernels/lib.sh &&
TEST_KERNELS := $(shell bash -c '$(KLIB) kernels_list')
RUNNING := $(shell uname -r)
ifdef KDIR
MOD_KVERS := $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
kbuild = $(MAKE) -C $(KDIR) M=$(2)
else ifneq ($(wildcard /lib/modules/$(RUNNING)/build/Makefile),)
MOD_KVERS := $(RUNNING)
kbuild = $(MAKE) -C /lib/modules/$(1)/build M=$(2)
else
MOD_KVERS := $(TEST_KERNELS)
kbuild = bash -c '$(KLIB) kernel_kbuild "$$@"' kbuild $(1) $(2)
MOD_NOTE := no headers for the running kernel $(RUNNING): building shrike.ko for $(if $(MOD_KVERS),$(MOD_KVERS),no kernel (run make deps))
endif
KMOD_SRC := $(wildcard kmod/*.c kmod/*.h kmod/Kbuild kmod/uapi/*.h kmod/common/*.c kmod/common/*.h \
	kmod/fields/*.c kmod/fields/*.h)
MODULES := $(foreach k,$(MOD_KVERS),$(BUILD)/kmod/$(k)/shrike.ko)

# ---- userspace -----------------------------------------------------------------
COMMON_SRC := $(wildcard kmod/common/*.c)
LIB_SRC := $(wildcard lib/*.c)
COMPILER_SRC := $(filter-out compiler/main.c,$(wildcard compiler/*.c))
AGENT_SRC := $(filter-out agent/main.c,$(wildcard agent/*.c))
UNIT_SRC := $(wildcard tests/unit/*.c)
FUZZERS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

EVENTGEN_SRC := $(wildcard eventgen/*.c)
PROGRAMS := $(BIN)/shrikec $(BIN)/shrike-agent $(BIN)/shrike-eventgen

all: module programs

programs: $(PROGRAMS)

module: $(MODULES)
	$(if $(MOD_NOTE),@echo "shrike.ko: $(MOD_NOTE)")

$(BUILD)/kmod/%/shrike.ko: $(KMOD_SRC)
	$(Q)mkdir -p $(BUILD)/kmod/$*
	$(Q)cp -a kmod/. $(BUILD)/kmod/$*/
	$(quiet) KBUILD "shrike.ko for $*"
	$(Q)$(call kbuild,$*,$(abspath $(BUILD))/kmod/$*) SHRIKE_WERROR=-Werror \
		SHRIKE_EXTRA_CFLAGS=-fcallgraph-info=su V=$(V) modules \
		$(if $(filter 1,$(V)),,>$(BUILD)/kmod/$*/build.log 2>&1 || { cat $(BUILD)/kmod/$*/build.log; exit 1; })

$(BUILD)/obj/%.o: %.c
	$(quiet) CC $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libshrike.a: $(call obj,$(COMMON_SRC) $(LIB_SRC) $(COMPILER_SRC) $(AGENT_SRC))
	$(quiet) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN)/shrikec: $(call obj,compiler/main.c) $(BUILD)/libshrike.a
	$(quiet) LD $@
	$(Q)mkdir -p $(BIN) && $(CC) $(CFLAGS) $(LDFLAGS) -Wl,--as-needed -o $@ $^ $(SHRIKEC_LIBS) -lm

$(BIN)/shrike-agent: $(call obj,agent/main.c) $(BUILD)/libshrike.a
	$(quiet) LD $@
	$(Q)mkdir -p $(BIN) && $(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

# libc only: users copy it to a node on its own.
$(BIN)/shrike-eventgen: $(call obj,$(EVENTGEN_SRC))
	$(quiet) LD $@
	$(Q)mkdir -p $(BIN) && $(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

# Test programs for the VM rig, which copies all of $(BIN) into the
# initramfs: a netlink protocol driver and fuzzer, a syslog receiver, and a
# 32-bit program without libc (needs only gcc's -m32 code generation and
# binutils, no multilib).
VMTOOLS := $(BIN)/shrike-nltest $(BIN)/shrike-nlfuzz $(BIN)/shrike-logsink $(BIN)/shrike-ia32 \
	$(BIN)/shrike-driver-loader

vmtools: $(VMTOOLS)

$(BIN)/shrike-nltest: $(call obj,tests/vm/nltest.c) $(BUILD)/libshrike.a
	$(quiet) LD $@
	$(Q)mkdir -p $(BIN) && $(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BIN)/shrike-nlfuzz: $(call obj,tests/vm/nlfuzz.c) $(BUILD)/libshrike.a
	$(quiet) LD $@
	$(Q)mkdir -p $(BIN) && $(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BIN)/shrike-logsink: tests/vm/logsink.c
	$(quiet) CC $@
	$(Q)mkdir -p $(BIN) && $(CC) $(CFLAGS) -Wall -Wextra -Werror -o $@ $<

$(BIN)/shrike-ia32: tests/vm/ia32_open.c
	$(quiet) CC32 $@
	$(Q)mkdir -p $(BIN) && $(CC) -m32 -O2 -Wall -Wextra -Werror -nostdlib -static -ffreestanding \
		-fno-pie -no-pie -fno-stack-protector -fno-asynchronous-unwind-tables -o $@ $<

$(BIN)/shrike-driver-loader: helm/images/driver-loader/shrike-driver-loader
	$(quiet) INSTALL $@
	$(Q)install -D -m 0755 $< $@

$(BIN)/unit-tests: $(call obj,$(UNIT_SRC)) $(BUILD)/libshrike.a
	$(quiet) LD $@
	$(Q)mkdir -p $(BIN) && $(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -lm

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# ---- tests -----------------------------------------------------------------------
FUZZ_SECONDS ?= 25
KERNELS ?= $(TEST_KERNELS)
SCENARIOS := $(sort $(patsubst tests/vm/scenarios/%.sh,%,$(wildcard tests/vm/scenarios/*.sh)))

# tests/deps.sh, then the differential test's and the benchmark's peers
# (sysdig; scap.ko's source downloaded, not installed: bench/deps.sh).
deps:
	$(Q)bash tests/deps.sh
	$(Q)BUILD=$(BUILD) bash bench/deps.sh
	$(Q)bash helm/images/base.sh

# A sub-make, so that the kernels and libraries deps installed are seen.
check: deps
	$(Q)$(MAKE) check-installed

check-installed: style all stack-check unit fuzz dkms-check install-check deb-check helm-check images-check vmtools
	$(Q)BUILD=$(BUILD) bash tests/vm/run.sh "$(KERNELS)" "$(SCENARIOS)"
	$(Q)BUILD=$(BUILD) DIFF_KERNEL=$(BENCH_KERNEL) bash tests/difftest/run.sh

# clang-format for userspace C, the kernel's checkpatch.pl for kmod/,
# shellcheck for scripts, and the tree's layers (tests/style/run.sh).
style:
	$(Q)bash tests/style/run.sh

# The contract header must compile on its own in strict C11.
contract-check:
	$(quiet) C11 kmod/uapi/shrike.h
	$(Q)echo '#include "kmod/uapi/shrike.h"' | $(CC) -std=c11 -Wall -Wextra -Werror -pedantic -I. -x c -c - -o /dev/null

unit: contract-check $(BIN)/unit-tests $(PROGRAMS)
	$(Q)$(BIN)/unit-tests $(SUITE)
	$(Q)$(if $(SUITE),,BUILD=$(BUILD) bash tests/cli/run.sh)
	$(Q)$(if $(SUITE),,BUILD=$(BUILD) bash tests/dns/run.sh)
	$(Q)$(if $(SUITE),,BUILD=$(BUILD) bash tests/http/run.sh)
	$(Q)$(if $(SUITE),,BUILD=$(BUILD) bash tests/faults/outputs.sh)

# A harness that includes the file it tests (fuzz_alerts: agent/run.c's
# static receive callback) is built without that file's own copy.
FUZZ_OMIT_fuzz_alerts := agent/run.c
$(BUILD)/fuzz/%: tests/fuzz/%.c $(COMMON_SRC) $(LIB_SRC) $(COMPILER_SRC) $(AGENT_SRC)
	$(quiet) FUZZ $@
	$(Q)mkdir -p $(BUILD)/fuzz
	$(Q)$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-I. $(PKG_CFLAGS) $(filter-out $(FUZZ_OMIT_$*),$^) -o $@ $(PKG_LIBS) -lm

fuzz: $(FUZZERS)
	$(Q)for f in $(FUZZERS); do \
		n=$$(basename $$f); c=$(BUILD)/fuzz/corpus-$$n; mkdir -p $$c; \
		[ -d tests/fuzz/corpus_$${n#fuzz_} ] && cp -n tests/fuzz/corpus_$${n#fuzz_}/* $$c/ 2>/dev/null; \
		echo "  FUZZ    $$n for $(FUZZ_SECONDS)s"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=0 $$c \
			>$(BUILD)/fuzz/$$n.log 2>&1 || { tail -60 $(BUILD)/fuzz/$$n.log; exit 1; }; \
		grep -E '^Done [0-9]+ runs' $(BUILD)/fuzz/$$n.log | sed 's/^/          /'; \
	done

dkms-check:
	$(Q)bash tests/dkms.sh "$(TEST_KERNELS)"

# make install into a scratch DESTDIR: the layout, and an upgrade's handling
# of configuration the admin changed (tests/install.sh).
install-check: programs
	$(Q)BUILD=$(BUILD) bash tests/install.sh

# The Debian packages built, linted, installed (DKMS builds the module for
# each installed kernel), checked and purged again; as root (tests/deb.sh).
deb-check:
	$(Q)BUILD=$(BUILD) bash tests/deb.sh

# The deepest stack path from each probe, per kernel (tests/stack/run.sh).
stack-check: module
	$(Q)BUILD=$(BUILD) bash tests/stack/run.sh "$(MOD_KVERS)"

# The chart rendered offline (Go text/template + sprig) and checked, then the
# driver loader's DKMS build for each installed kernel.
helm-check: programs $(BIN)/shrike-driver-loader
	$(Q)BUILD=$(BUILD) bash tests/helm/run.sh
	$(Q)bash tests/helm/driver_loader.sh "$(TEST_KERNELS)"

vmtest: module programs vmtools
	$(Q)BUILD=$(BUILD) bash tests/vm/run.sh "$(KERNELS)" "$(T)"

# ---- bench ------------------------------------------------------------------------
# The installed Debian 6.1 cloud kernel (Debian's 2022 Falco driver builds for
# 6.1 only): the newest with both headers and /boot/vmlinuz, version-sorted.
BENCH_KERNEL ?= $(shell for k in $(patsubst /usr/src/linux-headers-%,%,$(wildcard /usr/src/linux-headers-6.1.0-*-cloud-amd64)); do \
	[ -f /boot/vmlinuz-$$k ] && echo $$k; done | sort -V | tail -n1)
# make bench [ROUNDS=7] [BENCH_KERNEL=...]: runtime cost of Shrike with several
# rule sets and a rule-count sweep beside Falco's driver + sysdig and auditd,
# in one VM boot on 6.1 (bench/RESULTS.md). About 15 minutes under TCG.
bench: $(if $(BENCH_KERNEL),$(BUILD)/kmod/$(BENCH_KERNEL)/shrike.ko) programs
	$(Q)BUILD=$(BUILD) BENCH_KERNEL=$(BENCH_KERNEL) bash bench/run.sh

# make bench-webhook: the audit webhook under wrk (127.0.0.1): events/s,
# latency, the agent's CPU and memory, for batches of 1-100 events over 1-64
# connections, and that every accepted event became its alert
# (bench/webhook.sh; about 2 minutes). Figures in README "Limits and guarantees".
bench-webhook: programs
	$(Q)BUILD=$(BUILD) bash bench/webhook.sh

# make difftest: Shrike against libsinsp (sysdig 0.29.3, Falco's filter
# engine) on the same live events, per rule of Falco 0.31's, Falco's stable
# and the default rules, in one 6.1 boot (tests/difftest/run.sh); the report
# in $(BUILD)/difftest/report.txt.
difftest: $(if $(BENCH_KERNEL),$(BUILD)/kmod/$(BENCH_KERNEL)/shrike.ko) programs
	$(Q)BUILD=$(BUILD) DIFF_KERNEL=$(BENCH_KERNEL) bash tests/difftest/run.sh

# make profile: where an event's time goes inside shrike.ko (per-stage and
# per-field cycle counters, the "profile" parameter), one 6.1 boot.
profile: module programs
	$(Q)BUILD=$(BUILD) bash bench/profile.sh

# ---- run --------------------------------------------------------------------------
# Builds, loads shrike.ko for the running kernel if needed, and runs the agent
# in the foreground with the default configuration and rules/. Where the
# running kernel cannot take the module, it says why in one line and boots the
# interactive VM sandbox instead (tests/vm/sandbox.sh).
CONFIG ?= agent/shrike.yaml
run: deps
	$(Q)$(MAKE) run-installed

run-installed: all
	$(Q)if ! grep -q '^shrike ' /proc/modules 2>/dev/null; then \
		ko=$(BUILD)/kmod/$(RUNNING)/shrike.ko; why=; \
		if [ ! -f $$ko ]; then why="no shrike.ko for the running kernel $(RUNNING) (its headers are not installed: /lib/modules/$(RUNNING)/build)"; \
		elif ! insmod $$ko; then why="insmod $$ko failed (not root, or module loading disabled)"; fi; \
		if [ -n "$$why" ]; then \
			if [ -t 0 ]; then echo "make run: $$why: running Shrike in the VM sandbox instead (tests/vm/sandbox.sh)"; \
				BUILD=$(BUILD) exec bash tests/vm/sandbox.sh; fi; \
			echo "make run: $$why; the VM sandbox needs a terminal: run BUILD=$(BUILD) tests/vm/sandbox.sh [KERNEL]"; exit 1; \
		fi; \
	fi; \
	exec $(BIN)/shrike-agent -c $(CONFIG) -r rules/ $(AGENT_ARGS)

# ---- install ----------------------------------------------------------------------
DESTDIR ?=
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
UNITDIR ?= /lib/systemd/system
SRCDIR ?= /usr/src
DEFAULTSDIR ?= $(PREFIX)/share/shrike/defaults
# The default rules' cases (rules/tests), run against the installed rules
# directory: `shrikec test --cases $(RULESTESTSDIR)/*.cases.yaml` says
# whether the rules as tuned here still catch what the defaults catch.
RULESTESTSDIR ?= $(PREFIX)/share/shrike/rules-tests
VERSION := $(shell sed -n 's/^\#define SHRIKE_VERSION[[:space:]]*"\(.*\)"$$/\1/p' kmod/uapi/shrike.h)

# Config and rules: the defaults as installed are kept in DEFAULTSDIR, so that
# an upgrade tells an admin's change from an old default. A file that is
# absent or still the default it was installed as is replaced; one the admin
# changed is never overwritten: the new default goes beside it as *.dist.
# $(1) the source, $(2) its path below /etc/shrike.
install_conf = dst="$(DESTDIR)$(SYSCONFDIR)/shrike/$(2)"; def="$(DESTDIR)$(DEFAULTSDIR)/$(2)"; \
	if [ ! -e "$$dst" ] || cmp -s "$(1)" "$$dst" || { [ -e "$$def" ] && cmp -s "$$def" "$$dst"; }; then \
		install -m 0644 "$(1)" "$$dst"; rm -f "$$dst.dist"; \
	else install -m 0644 "$(1)" "$$dst.dist"; \
		echo "install: $(SYSCONFDIR)/shrike/$(2) was changed here: kept; the new default is $(SYSCONFDIR)/shrike/$(2).dist"; fi; \
	install -D -m 0644 "$(1)" "$$def"

install: programs
	$(Q)install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSCONFDIR)/shrike/rules.d $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)/usr/lib/modules-load.d $(DESTDIR)$(SRCDIR)/shrike-$(VERSION)
	$(Q)install -m 0755 $(PROGRAMS) $(DESTDIR)$(BINDIR)/
	$(Q)install -m 0644 compiler/shrikec.1 eventgen/shrike-eventgen.1 $(DESTDIR)$(MANDIR)/man1/
	$(Q)for m in agent/*.8; do [ -e "$$m" ] && install -m 0644 $$m $(DESTDIR)$(MANDIR)/man8/; done; true
	$(Q)for m in agent/*.5; do [ -e "$$m" ] && install -m 0644 $$m $(DESTDIR)$(MANDIR)/man5/; done; true
	$(Q)$(call install_conf,agent/shrike.yaml,shrike.yaml)
	$(Q)for r in rules/*.yaml; do $(call install_conf,$$r,rules.d/$$(basename $$r)); done
	$(Q)install -d $(DESTDIR)$(RULESTESTSDIR)/events/syscall $(DESTDIR)$(RULESTESTSDIR)/events/k8s_audit
	$(Q)for c in rules/tests/*.cases.yaml; do \
		sed 's|^\(    rules_file: \)\.\./[a-z0-9_]*\.yaml$$|\1$(SYSCONFDIR)/shrike/rules.d|' $$c \
			>$(DESTDIR)$(RULESTESTSDIR)/$$(basename $$c); done
	$(Q)install -m 0644 rules/tests/events/syscall/*.jsonl $(DESTDIR)$(RULESTESTSDIR)/events/syscall/
	$(Q)install -m 0644 rules/tests/events/k8s_audit/*.jsonl $(DESTDIR)$(RULESTESTSDIR)/events/k8s_audit/
	$(Q)sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' agent/shrike-agent.service.in \
		>$(DESTDIR)$(UNITDIR)/shrike-agent.service
	$(Q)install -m 0644 agent/shrike.conf.modules-load $(DESTDIR)/usr/lib/modules-load.d/shrike.conf
	$(Q)install -m 0644 dkms.conf $(DESTDIR)$(SRCDIR)/shrike-$(VERSION)/
	$(Q)install -d $(DESTDIR)$(SRCDIR)/shrike-$(VERSION)/kmod/uapi $(DESTDIR)$(SRCDIR)/shrike-$(VERSION)/kmod/common \
		$(DESTDIR)$(SRCDIR)/shrike-$(VERSION)/kmod/fields
	$(Q)install -m 0644 kmod/Kbuild kmod/Makefile kmod/*.c kmod/*.h $(DESTDIR)$(SRCDIR)/shrike-$(VERSION)/kmod/
	$(Q)install -m 0644 kmod/uapi/*.h $(DESTDIR)$(SRCDIR)/shrike-$(VERSION)/kmod/uapi/
	$(Q)install -m 0644 kmod/common/*.c kmod/common/*.h $(DESTDIR)$(SRCDIR)/shrike-$(VERSION)/kmod/common/
	$(Q)install -m 0644 kmod/fields/*.c kmod/fields/*.h $(DESTDIR)$(SRCDIR)/shrike-$(VERSION)/kmod/fields/
	@echo "installed shrike $(VERSION) under $(DESTDIR)$(PREFIX) (module source in $(DESTDIR)$(SRCDIR)/shrike-$(VERSION))"

# ---- images -----------------------------------------------------------------------
# make images: the agent, driver-loader and shrikec images as OCI archives in
# $(BUILD)/images (helm/images/build.sh): mmdebstrap bases (cached by make
# deps) and umoci, no registry.
images: programs module
	$(Q)BUILD=$(BUILD) VERSION=$(VERSION) KVERS="$(MOD_KVERS)" bash helm/images/build.sh

# Built twice, the same layers; each image holds what the chart runs; the
# loader image's DKMS path against this machine's headers; the shrikec image
# run under runc as a CI job runs it.
images-check: images
	$(Q)BUILD=$(BUILD) VERSION=$(VERSION) KVERS="$(MOD_KVERS)" bash tests/images/run.sh
	$(Q)BUILD=$(BUILD) VERSION=$(VERSION) bash tests/images/loader_dkms.sh "$(TEST_KERNELS)"
	$(Q)BUILD=$(BUILD) VERSION=$(VERSION) bash tests/images/shrikec.sh

# ---- Debian packages ------------------------------------------------------------
# make deb: shrike (programs, configuration, unit, man pages) and shrike-dkms
# (module source; DKMS builds it on the target) with debhelper from debian/,
# into $(BUILD)/deb/. dpkg-buildpackage writes to the parent of the tree it
# builds, so it builds a copy of the checkout's files (tracked and untracked,
# not ignored) in $(BUILD)/deb/src/shrike-VERSION.
DEB_DIR = $(BUILD)/deb
DEB_SRC = $(DEB_DIR)/src/shrike-$(VERSION)

deb:
	$(Q)v=$$(dpkg-parsechangelog -S Version); [ "$$v" = "$(VERSION)" ] || \
		{ echo "deb: debian/changelog version $$v != SHRIKE_VERSION $(VERSION) (kmod/uapi/shrike.h)" >&2; exit 1; }
	$(Q)rm -rf $(DEB_DIR) && mkdir -p $(DEB_SRC)
	$(quiet) COPY "source tree into $(DEB_SRC)"
	$(Q)if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then git ls-files -z -co --exclude-standard; \
	else find . \( -path ./.git -o -path './build*' \) -prune -o -type f -printf '%P\0'; fi | \
		grep -zv '^$(patsubst ./%,%,$(BUILD))/' | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C $(DEB_SRC)
	$(quiet) DPKG "dpkg-buildpackage -b (log: $(DEB_DIR)/build.log)"
	$(Q)cd $(DEB_SRC) && dpkg-buildpackage -b -us -uc >$(abspath $(DEB_DIR))/build.log 2>&1 || \
		{ tail -n 60 $(abspath $(DEB_DIR))/build.log; exit 1; }
	$(Q)mv $(DEB_DIR)/src/*.deb $(DEB_DIR)/src/*.buildinfo $(DEB_DIR)/src/*.changes $(DEB_DIR)/
	$(Q)for d in $(DEB_DIR)/*.deb; do printf '  %-7s %s\n' DEB $$d; done

clean:
	$(Q)rm -rf $(BUILD)

.PHONY: vmtools
.PHONY: all programs module style stack-check deps check bench-webhook check-installed contract-check unit install install-check run run-installed helm-check bench difftest images images-check profile fuzz dkms-check deb deb-check vmtest clean
