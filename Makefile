# svx: one front end for daemontools, daemontools-encore, runit and s6.
#
#   make            build/svx, build/compat/<personality>, build/compat-matrix.md
#   make check      install test dependencies (as root), build, run every suite
#   make demo       drive one real service under each installed backend
#   make matrix     regenerate compat-matrix.md from the tables

CC	?= cc
BUILD	?= build
CFLAGS	?= -O2 -g
SAN	?=
V	?=
Q	= $(if $(V),,@)
RESULTS	?= $(abspath $(BUILD))/results
export RESULTS

# pkg-config is asked when make reads this file. On a fresh machine that is
# before `deps` has installed libbsd-dev, so every target that installs
# its dependencies first (check, demo, bench) builds in a second make,
# which reads this file again once pkg-config can answer.
BSD_CFLAGS	:= $(shell pkg-config --cflags libbsd-overlay 2>/dev/null)
# libbsd linked in statically: svx then needs only libc at run time, and
# starts ~0.1 ms sooner, which counts when scripts call it in loops.
BSD_LIBS	:= -Wl,-Bstatic $(shell pkg-config --libs --static libbsd-overlay \
	2>/dev/null || echo -lbsd -lmd) -Wl,-Bdynamic
# expat reads supervisord's XML-RPC answers (README: "Dependencies").
LIBS	= $(BSD_LIBS) -lexpat

WARNINGS = -Wall -Wextra -Werror -Wvla -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wmissing-declarations -Wpointer-arith \
	-Wcast-qual -Wsign-compare -Wimplicit-fallthrough -Wformat=2
STD	= -std=c11 -D_POSIX_C_SOURCE=200809L -D_XOPEN_SOURCE=700
ifneq ($(SAN),)
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
endif
ALL_CFLAGS = $(STD) $(WARNINGS) $(BSD_CFLAGS) $(SANFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)

# Personalities are data: one symlink each in build/compat/.
PERSONALITIES = sv svc svstat svok s6-svc s6-svstat s6-svok s6-svwait

# Sources by folder; the README's "Layout" draws the same tree.
ADAPTERS = adapter tai fifo fds proc \
	$(addprefix backends/,registry daemontools encore runit s6 supervisord) \
	$(addprefix engine/,service detect batch wait scanner names \
		doctor sd_doctor watch perms check) \
	$(addprefix supervisord/,supervisord sdconf) \
	files/svfiles files/svnew $(addprefix logs/,logrun logline logread) \
	$(addprefix systemd/,unit unit_exec unit_name)
MAPPINGS = svx doctor signals errors daemontools runit s6 divergences env_words \
	check migration supervisord_map tools watch_words systemd_map
SHIM_LIB = personality \
	$(addprefix common/,output fields dgetopt resolve tool report) \
	control/control \
	$(addprefix compat/,daemontools runit s6 words) \
	$(addprefix list/,listing listing_out) \
	$(addprefix watch/,watch watch_out dirty) \
	supervisord/sd_shim supervisord/sd_log \
	$(addprefix migrate/,mig migrate plan moves start recover undo journal \
		sd_plan sd_migrate) \
	$(addprefix svx/,svx backend_env log lifecycle doctor check perms) \
	$(addprefix import/,import plan render)
CORE_OBJ = $(ADAPTERS:%=$(BUILD)/adapters/%.o) \
	$(MAPPINGS:%=$(BUILD)/mappings/%.o) \
	$(SHIM_LIB:%=$(BUILD)/shim/%.o)
CORE_LIB = $(BUILD)/libsvx.a

UNIT_TESTS = test_unpack test_detect test_tables test_fifo test_resolve \
	test_wait test_output test_xmlrpc test_sdconf test_listing test_svfiles \
	test_logs test_svnew test_doctor test_watch test_check_perms test_unit \
	test_import

UNIT_BIN = $(UNIT_TESTS:%=$(BUILD)/tests/%)
E2E_HELPERS = sigrec launch encore-standin reaper sleeper linestamp
E2E_BIN = $(E2E_HELPERS:%=$(BUILD)/tests/%)

# make install: PREFIX (default /usr/local), DESTDIR for staging.
PREFIX		?= /usr/local
BINDIR		?= $(PREFIX)/bin
LIBDIR		?= $(PREFIX)/lib/svx
MANDIR		?= $(PREFIX)/share/man
BASHCOMPDIR	?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR	?= $(PREFIX)/share/zsh/site-functions
SYSCONFDIR	?= /etc
# Every file install writes, relative to DESTDIR: uninstall removes these.
INSTALLED = $(BINDIR)/svx $(PERSONALITIES:%=$(LIBDIR)/compat/%) \
	$(LIBDIR)/openrc.sh $(SYSCONFDIR)/init.d/supervision \
	$(SYSCONFDIR)/conf.d/supervision $(MANDIR)/man8/svx.8 \
	$(MANDIR)/man7/svx-compat.7 $(BASHCOMPDIR)/svx $(ZSHCOMPDIR)/_svx

# libFuzzer targets (tests/fuzz/), built with clang into build/fuzz/.
FUZZ_TARGETS = fuzz_unpack fuzz_detect fuzz_args fuzz_resolve fuzz_xmlrpc \
	fuzz_sdconf fuzz_unit
FUZZ_SECONDS ?= 60
FUZZ_BUILD = $(BUILD)/fuzz
FUZZ_CFLAGS = $(STD) $(WARNINGS) $(BSD_CFLAGS) -g -O1 \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_OBJ = $(ADAPTERS:%=$(FUZZ_BUILD)/adapters/%.o) \
	$(MAPPINGS:%=$(FUZZ_BUILD)/mappings/%.o) \
	$(SHIM_LIB:%=$(FUZZ_BUILD)/shim/%.o)
# fuzz_args acts out every command line: these answer without acting.
FUZZ_WRAP = exit ctl_send kill fork unlinkat renameat mkfifoat openat open \
	mkdirat symlink symlinkat clock_gettime mkdir unlink connect linkat rmdir \
	epoll_wait fchownat fchmodat syscall

.DEFAULT_GOAL := all
# The header dependencies -MMD wrote (none before the first build).
-include $(CORE_OBJ:.o=.d) $(BUILD)/shim/main.d $(BUILD)/shim/matrix.d \
	$(UNIT_BIN:=.d) $(FUZZ_OBJ:.o=.d) \
	$(FUZZ_TARGETS:%=$(FUZZ_BUILD)/tests/fuzz/%.d)

.DELETE_ON_ERROR:
# Objects made on the way to the fuzz targets are kept: no rebuilds.
.SECONDARY:
.PHONY: all check deps unit asan-unit clang-build e2e matrix matrix-check layout-check \
	demo bench clean install uninstall install-path uninstall-path \
	fuzz fuzz-build fuzz-check e2e-asan e2e-memcheck

all: $(BUILD)/svx $(PERSONALITIES:%=$(BUILD)/compat/%) \
	$(BUILD)/compat-matrix.md

# -MMD: each object depends on the headers it includes, no more.
$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(CORE_LIB): $(CORE_OBJ)
	$(Q)rm -f $@
	$(Q)$(AR) rcsP $@ $^

$(BUILD)/svx: $(BUILD)/shim/main.o $(CORE_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/compat/%: | $(BUILD)/svx
	@mkdir -p $(@D)
	$(Q)ln -sf ../svx $@

$(BUILD)/gen-matrix: $(BUILD)/shim/matrix.o $(CORE_LIB)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/compat-matrix.md: $(BUILD)/gen-matrix
	$(Q)$(BUILD)/gen-matrix > $@

matrix: $(BUILD)/compat-matrix.md
	cp $(BUILD)/compat-matrix.md compat-matrix.md

# ---- tests -------------------------------------------------------------

# Compiled apart from the link: a header touched recompiles the tests
# that include it; the others are only linked again.
.SECONDARY: $(UNIT_BIN:=.o)
$(BUILD)/tests/test_%.o: tests/unit/test_%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -Wno-missing-declarations \
		-DFIXTURES=\"$(CURDIR)/tests/fixtures\" -MMD -MP -c -o $@ $<

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(CORE_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -o $@ $< $(CORE_LIB) $(ALL_LDFLAGS) -lcmocka $(LIBS)

$(BUILD)/tests/%: tests/e2e/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS) $(LIBS)

$(BUILD)/tests/%: tests/bench/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS) $(LIBS)

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $@")
	$(Q)clang $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/fuzz_args: $(FUZZ_BUILD)/tests/fuzz/fuzz_args.o $(FUZZ_OBJ)
	@$(if $(Q),echo "  LD      $@")
	$(Q)clang -fsanitize=fuzzer,address,undefined -o $@ $^ \
		$(FUZZ_WRAP:%=-Wl,--wrap=%) $(LIBS)

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_OBJ)
	@$(if $(Q),echo "  LD      $@")
	$(Q)clang -fsanitize=fuzzer,address,undefined -o $@ $^ $(LIBS)

fuzz-build: $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/%)

# make fuzz: each target for FUZZ_SECONDS from its seeds (the captured
# status files); findings land in build/fuzz/findings/TARGET/.
fuzz: fuzz-build
	@sh tests/run-fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# In make check: the kept findings replayed, then a short pass of each.
fuzz-check: fuzz-build
	@sh tests/run-fuzz.sh $(FUZZ_BUILD) $${FUZZ_CHECK_SECONDS:-5} \
		$(FUZZ_TARGETS)

# DEPS_SH: how dependencies are installed (tests/e2e/setup_test.sh
# replaces it to play a fresh machine).
DEPS_SH ?= sh tests/deps.sh
deps:
	@$(DEPS_SH)

UNIT_SUITE ?= unit
unit: $(UNIT_BIN)
	@sh tests/run-unit.sh $(BUILD) $(UNIT_SUITE) $(UNIT_TESTS)

asan-unit:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan SAN=1 CC=clang \
		UNIT_SUITE=unit-asan unit

clang-build:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/clang CC=clang \
		$(BUILD)/clang/svx $(BUILD)/clang/gen-matrix >/dev/null
	@echo "clang build: ok"

e2e: all $(E2E_BIN) $(BUILD)/tests/timeit
	@sh tests/run-e2e.sh $(BUILD)

# The end-to-end suites with every svx under ASan+UBSan, then (one
# backend) under valgrind's memcheck.
e2e-asan:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan SAN=1 CC=clang all \
		$(E2E_HELPERS:%=$(BUILD)/asan/tests/%) >/dev/null
	@sh tests/run-e2e-sanitized.sh asan $(BUILD)

e2e-memcheck: all $(E2E_BIN)
	@sh tests/run-e2e-sanitized.sh memcheck $(BUILD)

matrix-check: $(BUILD)/compat-matrix.md
	@sh tests/run-matrix-check.sh $(BUILD)

# The README's Layout, one-way dependencies, no folder cycles, and
# header dependencies that rebuild only what includes a header.
layout-check: all
	@LAYOUT_OBJECTS="$(CORE_OBJ) $(BUILD)/shim/main.o $(BUILD)/shim/matrix.o" \
		sh tests/run-layout-check.sh $(BUILD)

# The builds inside make check use every CPU unless make was given -j.
CHECK_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CHECK_J = $(if $(findstring j,$(MAKEFLAGS)),,-j$(CHECK_JOBS))

check: deps
	@rm -rf $(RESULTS) && mkdir -p $(RESULTS)
	@$(MAKE) --no-print-directory $(CHECK_J) all
	@$(MAKE) --no-print-directory $(CHECK_J) clang-build
	@# A suite that does not even build counts as failed, not as absent.
	-@$(MAKE) --no-print-directory $(CHECK_J) unit || \
		[ -f $(RESULTS)/unit.result ] || \
		echo "unit 0 1" >$(RESULTS)/unit.result
	-@$(MAKE) --no-print-directory $(CHECK_J) asan-unit || \
		[ -f $(RESULTS)/unit-asan.result ] || \
		echo "unit-asan 0 1" >$(RESULTS)/unit-asan.result
	-@$(MAKE) --no-print-directory $(CHECK_J) fuzz-check
	-@$(MAKE) --no-print-directory matrix-check
	-@$(MAKE) --no-print-directory layout-check
	-@$(MAKE) --no-print-directory $(CHECK_J) e2e || \
		ls $(RESULTS)/e2e-*.result >/dev/null 2>&1 || \
		echo "e2e 0 1" >$(RESULTS)/e2e.result
	-@$(MAKE) --no-print-directory $(CHECK_J) e2e-asan || \
		ls $(RESULTS)/asan-e2e-*.result >/dev/null 2>&1 || \
		echo "e2e-asan 0 1" >$(RESULTS)/e2e-asan.result
	-@$(MAKE) --no-print-directory $(CHECK_J) e2e-memcheck
	@sh tests/summary.sh $(RESULTS)

DEMO_SH ?= sh tests/demo.sh
demo: deps
	@$(MAKE) --no-print-directory all $(E2E_BIN)
	@$(DEMO_SH) $(BUILD)

BENCH_SH ?= sh tests/bench/run.sh
bench: deps
	@$(MAKE) --no-print-directory all $(E2E_BIN) $(BUILD)/tests/timeit
	@$(BENCH_SH) $(BUILD)

# The personalities go in svx's library directory, never over the native
# tools, as relative links (they work from a DESTDIR staging tree too); install-path (opt-in) puts them first on every login
# shell's PATH. The OpenRC files name svx by its installed path, since
# OpenRC resets PATH.
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/compat \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) \
		$(DESTDIR)$(SYSCONFDIR)/init.d $(DESTDIR)$(SYSCONFDIR)/conf.d
	install -m 755 $(BUILD)/svx $(DESTDIR)$(BINDIR)/svx
	rel=$$(realpath -m --relative-to=$(LIBDIR)/compat $(BINDIR)/svx) && \
	for p in $(PERSONALITIES); do \
		ln -sf "$$rel" $(DESTDIR)$(LIBDIR)/compat/$$p || exit 1; \
	done
	sed 's|^: "$${svx_bin:=svx}"|: "$${svx_bin:=$(BINDIR)/svx}"|' \
		shim/openrc/svx.sh >$(DESTDIR)$(LIBDIR)/openrc.sh
	sed 's|^: "$${svx_bin:=svx}"|: "$${svx_bin:=$(BINDIR)/svx}"|' \
		shim/openrc/supervision >$(DESTDIR)$(SYSCONFDIR)/init.d/supervision
	chmod 755 $(DESTDIR)$(SYSCONFDIR)/init.d/supervision
	install -m 644 shim/openrc/supervision.conf \
		$(DESTDIR)$(SYSCONFDIR)/conf.d/supervision
	install -m 644 shim/man/svx.8 $(DESTDIR)$(MANDIR)/man8/svx.8
	install -m 644 shim/man/svx-compat.7 $(DESTDIR)$(MANDIR)/man7/svx-compat.7
	install -m 644 shim/completion/svx.bash $(DESTDIR)$(BASHCOMPDIR)/svx
	install -m 644 shim/completion/_svx $(DESTDIR)$(ZSHCOMPDIR)/_svx

uninstall:
	rm -f $(INSTALLED:%=$(DESTDIR)%)
	-rmdir $(DESTDIR)$(LIBDIR)/compat $(DESTDIR)$(LIBDIR) 2>/dev/null

install-path:
	install -d $(DESTDIR)$(SYSCONFDIR)/profile.d
	printf '# svx personalities before the native tools (make install-path)\nPATH=%s:$$PATH\n' \
		'$(LIBDIR)/compat' >$(DESTDIR)$(SYSCONFDIR)/profile.d/svx-compat.sh

uninstall-path:
	rm -f $(DESTDIR)$(SYSCONFDIR)/profile.d/svx-compat.sh

clean:
	rm -rf $(BUILD)
