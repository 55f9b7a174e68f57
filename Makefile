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
RESULTS	?= $(CURDIR)/build/results
export RESULTS

BSD_CFLAGS	:= $(shell pkg-config --cflags libbsd-overlay 2>/dev/null)
# libbsd linked in statically: svx then needs only libc at run time, and
# starts ~0.1 ms sooner, which counts when scripts call it in loops.
BSD_LIBS	:= -Wl,-Bstatic $(shell pkg-config --libs --static libbsd-overlay \
	2>/dev/null || echo -lbsd -lmd) -Wl,-Bdynamic

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

ADAPTERS = adapter tai fifo proc daemontools encore runit s6 detect service \
	wait scanner batch fds
MAPPINGS = svx signals errors daemontools runit s6 divergences
SHIM_LIB = personality resolve output dgetopt svx listing listing_out \
	p_daemontools p_runit p_s6
CORE_OBJ = $(ADAPTERS:%=$(BUILD)/adapters/%.o) \
	$(MAPPINGS:%=$(BUILD)/mappings/%.o) \
	$(SHIM_LIB:%=$(BUILD)/shim/%.o)
CORE_LIB = $(BUILD)/libsvx.a
HEADERS = $(wildcard adapters/*.h mappings/*.h shim/*.h)

UNIT_TESTS = test_unpack test_detect test_tables test_fifo test_resolve \
	test_wait test_output

UNIT_BIN = $(UNIT_TESTS:%=$(BUILD)/tests/%)
E2E_HELPERS = sigrec launch encore-standin reaper
E2E_BIN = $(E2E_HELPERS:%=$(BUILD)/tests/%)

.DELETE_ON_ERROR:
.PHONY: all check deps unit asan-unit clang-build e2e matrix matrix-check \
	demo bench clean

all: $(BUILD)/svx $(PERSONALITIES:%=$(BUILD)/compat/%) \
	$(BUILD)/compat-matrix.md

$(BUILD)/%.o: %.c $(HEADERS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(CORE_LIB): $(CORE_OBJ)
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

$(BUILD)/svx: $(BUILD)/shim/main.o $(CORE_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(BSD_LIBS)

$(BUILD)/compat/%: | $(BUILD)/svx
	@mkdir -p $(@D)
	$(Q)ln -sf ../svx $@

$(BUILD)/gen-matrix: $(BUILD)/shim/matrix.o $(CORE_LIB)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(BSD_LIBS)

$(BUILD)/compat-matrix.md: $(BUILD)/gen-matrix
	$(Q)$(BUILD)/gen-matrix > $@

matrix: $(BUILD)/compat-matrix.md
	cp $(BUILD)/compat-matrix.md compat-matrix.md

# ---- tests -------------------------------------------------------------

$(BUILD)/tests/test_%: tests/unit/test_%.c $(wildcard tests/unit/*.h) $(CORE_LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -Wno-missing-declarations \
		-DFIXTURES=\"$(CURDIR)/tests/fixtures\" -o $@ $< $(CORE_LIB) \
		$(ALL_LDFLAGS) -lcmocka $(BSD_LIBS)

$(BUILD)/tests/%: tests/e2e/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS) $(BSD_LIBS)

$(BUILD)/tests/%: tests/bench/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS) $(BSD_LIBS)

deps:
	@sh tests/deps.sh

UNIT_SUITE ?= unit
unit: $(UNIT_BIN)
	@sh tests/run-unit.sh $(BUILD) $(UNIT_SUITE) $(UNIT_TESTS)

asan-unit:
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 CC=clang \
		UNIT_SUITE=unit-asan unit

clang-build:
	@$(MAKE) --no-print-directory BUILD=build/clang CC=clang \
		build/clang/svx build/clang/gen-matrix >/dev/null
	@echo "clang build: ok"

e2e: all $(E2E_BIN)
	@sh tests/run-e2e.sh $(BUILD)

matrix-check: $(BUILD)/compat-matrix.md
	@sh tests/run-matrix-check.sh $(BUILD)

check: deps
	@rm -rf $(RESULTS) && mkdir -p $(RESULTS)
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory clang-build
	-@$(MAKE) --no-print-directory unit
	-@$(MAKE) --no-print-directory asan-unit
	-@$(MAKE) --no-print-directory matrix-check
	-@$(MAKE) --no-print-directory e2e
	@sh tests/summary.sh $(RESULTS)

demo: deps all $(E2E_BIN)
	@sh tests/demo.sh $(BUILD)

bench: deps all $(E2E_BIN) $(BUILD)/tests/timeit
	@sh tests/bench/run.sh $(BUILD)

clean:
	rm -rf build
