# siqun -- one Makefile for `make`, `make test`, `make install` and LuaRocks
# (build.type = "make" passes CFLAGS, LIBFLAG, LUA_INCDIR, INST_* below).

# LUA_VERSION: 5.4 (the default), 5.3, 5.2, 5.1 or jit (LuaJIT 2.1, which
# loads 5.1 modules).  LuaRocks passes LUA_INCDIR only: the version then
# comes from its lua.h (luajit.h beside it means LuaJIT).
ifeq ($(origin LUA_VERSION)$(origin LUA_INCDIR),undefinedcommand line)
LUA_VERSION := $(shell if [ -f '$(LUA_INCDIR)/luajit.h' ]; then echo jit; else \
  sed -n 's/^\#define LUA_VERSION_NUM[^0-9]*\([0-9]\)0\([0-9]\).*/\1.\2/p' '$(LUA_INCDIR)/lua.h'; fi)
endif
LUA_VERSION ?= 5.4
# The Lua ABI the module is for (install directories).
LUA_ABI      = $(if $(filter jit,$(LUA_VERSION)),5.1,$(LUA_VERSION))
LUA         ?= $(if $(filter jit,$(LUA_VERSION)),luajit,lua$(LUA_VERSION))
LUA_INCDIR  ?= $(if $(filter jit,$(LUA_VERSION)),/usr/include/luajit-2.1,/usr/include/lua$(LUA_VERSION))
CC          ?= cc
HOSTCC      ?= $(CC)
CFLAGS      ?= -O2 -fPIC
LIBFLAG     ?= -shared
PREFIX      ?= /usr/local
DESTDIR     ?=
INST_LIBDIR ?= $(PREFIX)/lib/lua/$(LUA_ABI)
INST_LUADIR ?= $(PREFIX)/share/lua/$(LUA_ABI)
INST_BINDIR ?= $(PREFIX)/bin
BUSTED      ?= /usr/bin/busted

# Flags we always want, whatever CFLAGS the caller passes.
WARN   = -std=c99 -Wall -Wextra -pedantic -Werror -Wshadow -Wmissing-prototypes
MYCFLAGS = $(WARN) -fPIC -fvisibility=hidden -Icsrc -Ibuild -I$(LUA_INCDIR)

# 5.4 builds into build/ (build/siqun/core.so), the others into
# build/<version>/ (build/5.3/siqun/core.so, build/jit/siqun/core.so).
BUILD   = $(if $(filter 5.4,$(LUA_VERSION)),build,build/$(LUA_VERSION))
CORE_SO = $(BUILD)/siqun/core.so
CORE_SRC = $(filter-out csrc/lsq_%.c,$(wildcard csrc/sq_*.c))
LUA_SRC  = $(wildcard csrc/lsq_*.c)
HEADERS  = $(wildcard csrc/*.h)
CORE_OBJ = $(CORE_SRC:csrc/%.c=$(BUILD)/%.o) $(BUILD)/sq_embedded.o
LUA_OBJ  = $(LUA_SRC:csrc/%.c=$(BUILD)/%.o)
DATA     = data/datapackage.json $(wildcard data/*.csv)

# What a fresh Debian 12 machine needs (installed by `make deps`).
DEBIAN_PACKAGES = build-essential perl lua5.4 liblua5.4-dev lua-lpeg lua-argparse \
                  lua-busted lua-check luarocks \
                  lua-sql-sqlite3 sqlite3 lua-dkjson lua-cjson chromium fonts-noto-cjk

.PHONY: all deps print-deps test ctest summary install uninstall clean lint

all: $(CORE_SO)

$(BUILD)/%.o: csrc/%.c $(HEADERS) | $(BUILD)
	$(CC) $(CFLAGS) $(MYCFLAGS) -c $< -o $@

# The default dataset is compiled in: a host tool built with the library's
# own loader loads data/ and writes the parsed model (strings, cells,
# indexes) as const C arrays.
$(BUILD)/sq_embed: csrc/tools/sq_embed.c $(CORE_SRC) $(HEADERS) | $(BUILD)
	$(HOSTCC) $(WARN) -O1 -Icsrc $< $(CORE_SRC) -lm -o $@

# The Lua layer goes in too, precompiled by the interpreter the module is
# for (csrc/tools/sq_dump_lua.lua; siqun/init.lua offers it in
# package.preload): without that interpreter, an empty list (the sources on
# package.path are used).
# LAYER_STRIP=0 keeps the debug information (line numbers in tracebacks
# of the layer's own functions; about a third more to load).
LAYER_STRIP ?= 1
LAYER_FILES := $(shell find lua/siqun -name '*.lua' 2>/dev/null | LC_ALL=C sort)
$(BUILD)/sq_embedded.c: $(BUILD)/sq_embed $(DATA) csrc/tools/sq_dump_lua.lua $(LAYER_FILES)
	$(BUILD)/sq_embed data $(DATA) > $@.tmp
	if SQ_STRIP=$(LAYER_STRIP) $(LUA) csrc/tools/sq_dump_lua.lua lua $(LAYER_FILES) > $@.bc; then cat $@.bc >> $@.tmp; \
	else echo "note: no bytecode of the Lua layer ($(LUA) failed)" >&2; \
	  printf '%s\n' '#include "sq_lua_modules.h"' \
	    'const sq_lua_module sq_layer_bc[] = { { 0, 0, 0, 0 } };' \
	    'const size_t sq_layer_nbc = 0;' >> $@.tmp; fi
	rm -f $@.bc && mv $@.tmp $@

$(BUILD)/sq_embedded.o: $(BUILD)/sq_embedded.c $(HEADERS)
	$(CC) $(CFLAGS) $(MYCFLAGS) -c $< -o $@

$(CORE_SO): $(CORE_OBJ) $(LUA_OBJ)
	@mkdir -p $(BUILD)/siqun
	$(CC) $(CFLAGS) $(LIBFLAG) -o $@ $(CORE_OBJ) $(LUA_OBJ)

$(BUILD):
	@mkdir -p $(BUILD)

# Installs the missing Debian packages (through sudo unless root).
deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  echo "installing:" $$missing; \
	  $$sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q $$missing; \
	fi

# The packages `make deps` installs (the README's table says why each).
print-deps:
	@echo $(sort $(DEBIAN_PACKAGES))

# Runs the CLI from the checkout on the embedded article.
summary: $(CORE_SO)
	LUA_PATH_5_4='lua/?.lua;lua/?/init.lua;;' LUA_CPATH_5_4='$(BUILD)/?.so;;' $(LUA) bin/siqun summary

# busted under Lua 5.4 (see .busted), driven by prove so the run ends in a
# standard summary ("Result: PASS").  With another LUA_VERSION: under that
# interpreter with build/<version>/?.so, the 5.4 build beside it (the
# README, the examples, the static hosts and lighttpd are Lua 5.4).
# SPEC_ENV tells the specs that run the CLI which Lua and core to use
# (spec/lua_version.lua), and keeps LUA_VERSION (exported to recipes, and
# in MAKEFLAGS) from the `make` that the specs run for the 5.4 hosts.
SPEC_ENV = $(if $(filter 5.4,$(LUA_VERSION)),,env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
             -u LUA_VERSION -u LUA -u LUA_INCDIR) \
           SIQUN_SPEC_LUA='$(LUA)' SIQUN_SPEC_CPATH='$(BUILD)/?.so'
# prove --directives shows the specs that skipped (busted's pending, with
# the reason); spec/skips.lua lists them again just before the summary.
test: $(CORE_SO) $(if $(filter 5.4,$(LUA_VERSION)),,core-5.4)
	@echo "$(SPEC_ENV) prove --directives --exec '$(LUA) $(BUSTED) --ignore-lua -o TAP --cpath=$(BUILD)/?.so' spec/*_spec.lua"
	@{ $(SPEC_ENV) prove --directives --exec '$(LUA) $(BUSTED) --ignore-lua -o TAP --cpath=$(BUILD)/?.so' spec/*_spec.lua 2>&1; \
	  echo "status $$?"; } | lua5.4 spec/skips.lua

# C-level tests under ASan + UBSan (about a minute), the first two linked
# without liblua (the C API alone): the quantity parser and scanner
# (values, messages, NULL arguments, invariants on random input); the
# dataset core with every allocation failing in turn and every byte of the
# fixture mutated; then the Lua binding's out-of-memory errors; then the
# command's allocator (csrc/cli/sq_cli_alloc.c); then the
# quantity parser's differential check (its fast paths and character table
# against its general path: bench/quantity_c.c check); then each
# libFuzzer harness of fuzz/ without libFuzzer (fuzz/replay.c) over its
# corpus (where an input that once broke something is kept, as regress-*).  Small arena
# blocks make allocations frequent.
SANITIZE = -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -DSQ_ARENA_BLOCK=256
ctest: $(BUILD)/sq_embedded.c
	$(CC) $(WARN) $(SANITIZE) -Icsrc spec/c/quantity_test.c $(filter csrc/sq_q%.c,$(CORE_SRC)) \
	  csrc/sq_scan.c -o $(BUILD)/quantity_test
	$(BUILD)/quantity_test
	$(CC) $(WARN) $(SANITIZE) -Icsrc -I$(BUILD) spec/c/dataset_test.c $(CORE_SRC) \
	  $(BUILD)/sq_embedded.c -o $(BUILD)/dataset_test
	$(BUILD)/dataset_test spec/fixtures/valid
	$(CC) $(WARN) $(SANITIZE) -Icsrc -I$(BUILD) -I$(LUA_INCDIR) spec/c/lua_oom_test.c \
	  $(CORE_SRC) $(LUA_SRC) $(BUILD)/sq_embedded.c -llua$(LUA_VERSION) -lm -o $(BUILD)/lua_oom_test
	$(BUILD)/lua_oom_test
	$(CC) $(WARN) $(SANITIZE) -Icsrc/cli -I$(LUA_INCDIR) spec/c/cli_alloc_test.c \
	  csrc/cli/sq_cli_alloc.c -llua$(LUA_VERSION) -lm -o $(BUILD)/cli_alloc_test
	$(BUILD)/cli_alloc_test
	$(CC) $(WARN) $(SANITIZE) -Icsrc -I$(BUILD) bench/quantity_c.c $(CORE_SRC) $(BUILD)/sq_embedded.c \
	  -lm -o $(BUILD)/quantity_check
	$(BUILD)/quantity_check bench/expressions.txt check
	@for h in $(FUZZ_NAMES); do \
	  init=; [ $$h = load ] && init=-DREPLAY_INIT; \
	  $(CC) $(filter-out -Wmissing-prototypes,$(WARN)) $(SANITIZE) $$init -Icsrc -I$(BUILD) \
	    fuzz/replay.c fuzz/$${h}_fuzz.c $(CORE_SRC) $(BUILD)/sq_embedded.c -lm \
	    -o $(BUILD)/replay_$$h || exit 1; \
	  $(BUILD)/replay_$$h fuzz/corpus/$$h > $(BUILD)/replay_$$h.log 2>&1 \
	    || { tail -n 40 $(BUILD)/replay_$$h.log; exit 1; }; \
	  echo "fuzz corpus $$h: $$(tail -n 1 $(BUILD)/replay_$$h.log)"; \
	done

# 10 MB of random bytes and of random CJK through scan and quantity: ends,
# and grows linearly (reported as a ratio to the 1 MB run).
stress: $(CORE_SO)
	LUA_PATH_5_4='lua/?.lua;lua/?/init.lua;;' LUA_CPATH_5_4='$(BUILD)/?.so;;' $(LUA) bench/stress.lua

lint:
	luacheck --std lua54 lua bin/siqun spec bench examples

install: $(CORE_SO)
	install -d $(DESTDIR)$(INST_LIBDIR)/siqun $(DESTDIR)$(INST_LUADIR)/siqun $(DESTDIR)$(INST_BINDIR)
	install -m 755 $(CORE_SO) $(DESTDIR)$(INST_LIBDIR)/siqun/core.so
	cd lua && for f in $$(find siqun -name '*.lua' | sort); do \
	  install -D -m 644 "$$f" "$(DESTDIR)$(INST_LUADIR)/$$f" || exit 1; done
	# (an older install's modules that are folders now: siqun/query/, siqun/cli/)
	rm -f $(DESTDIR)$(INST_LUADIR)/siqun/query.lua $(DESTDIR)$(INST_LUADIR)/siqun/cli.lua
	install -m 755 $(CLI_BIN) $(DESTDIR)$(INST_BINDIR)/siqun

uninstall:
	rm -rf $(DESTDIR)$(INST_LIBDIR)/siqun $(DESTDIR)$(INST_LUADIR)/siqun $(DESTDIR)$(INST_BINDIR)/siqun

clean:
	rm -rf $(BUILD)

# ====================================================================
# Embedding (issue 5): the C library without Lua, the static embedding,
# example hosts, many states on many threads under ThreadSanitizer, and
# the C library in `make install`.  This block only adds rules; it hooks
# into the ones above by adding prerequisites (install, uninstall).
#   make static      build/libsiqun.a (C core + dataset, no Lua) and
#                    build/libsiqun_lua.a (+ luaopen_siqun_core, the Lua
#                    layer compiled in, siqun_openlibs: csrc/siqun_lua.h)
#   make examples    build/examples/{dataset_dump,host}
#   make tsan        16 threads x 16 lua_States under ThreadSanitizer
#   make install     also libsiqun.a, libsiqun_lua.a, siqun.h,
#                    siqun_lua.h and a pkg-config file siqun.pc
#                    (SIQUN_INSTALL_C=no skips them: the rockspec does)

AR            ?= ar
INST_INCDIR   ?= $(PREFIX)/include
INST_CLIBDIR  ?= $(PREFIX)/lib
INST_PCDIR    ?= $(INST_CLIBDIR)/pkgconfig
SIQUN_INSTALL_C ?= yes
# The static LPeg for the hosts, the real host of spec/lighttpd_spec.lua,
# and the tools the specs drive.
DEBIAN_PACKAGES += lua-lpeg-dev lighttpd lighttpd-modules-lua curl pkg-config
SIQUN_VERSION_NUM := $(shell sed -n 's/^\#define SIQUN_VERSION "\(.*\)"/\1/p' csrc/siqun.h)

LIBSIQUN     = $(BUILD)/libsiqun.a
LIBSIQUN_LUA = $(BUILD)/libsiqun_lua.a
EXAMPLES     = $(BUILD)/examples

# The Lua layer to compile in: every .lua under lua/siqun, found at build
# time (a module a colleague adds is picked up; the .list file changes when
# the set does, so a removed one is dropped too).
SIQUN_LUA_FILES := $(shell find lua/siqun -name '*.lua' 2>/dev/null | LC_ALL=C sort)

# Static Lua 5.4 and LPeg for the example hosts (Debian: liblua5.4-dev and
# lua-lpeg-dev).  Without the LPeg archive the hosts build without LPeg.
ifndef LUA_A
LUA_A := $(shell $(CC) -print-file-name=liblua$(LUA_VERSION).a)
endif
ifndef LPEG_A
LPEG_A := $(shell $(CC) -print-file-name=liblua$(LUA_VERSION)-lpeg.a)
endif
HOST_LPEG   = $(filter /%,$(LPEG_A))
HOST_CFLAGS = $(WARN) -Icsrc -I$(LUA_INCDIR) $(if $(HOST_LPEG),,-DSQ_HOST_NO_LPEG)
HOST_LIBS   = $(HOST_LPEG) $(LUA_A) -lm -ldl

.PHONY: static examples tsan install-c uninstall-c FORCE

static: $(LIBSIQUN) $(LIBSIQUN_LUA)

$(BUILD)/sq_lua_modules.list: FORCE | $(BUILD)
	@printf '%s\n' $(SIQUN_LUA_FILES) > $@.tmp; \
	if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/sq_embed_lua: csrc/tools/sq_embed_lua.c | $(BUILD)
	$(HOSTCC) $(WARN) -O1 $< -o $@

$(BUILD)/sq_lua_embedded.c: $(BUILD)/sq_embed_lua $(BUILD)/sq_lua_modules.list $(SIQUN_LUA_FILES)
	$(BUILD)/sq_embed_lua lua $(SIQUN_LUA_FILES) > $@.tmp && mv $@.tmp $@

$(BUILD)/sq_lua_embedded.o: $(BUILD)/sq_lua_embedded.c $(HEADERS)
	$(CC) $(CFLAGS) $(MYCFLAGS) -c $< -o $@

$(LIBSIQUN): $(CORE_OBJ)
	rm -f $@ && $(AR) rcs $@ $(CORE_OBJ)

$(LIBSIQUN_LUA): $(CORE_OBJ) $(LUA_OBJ) $(BUILD)/siqun_lua.o $(BUILD)/sq_lua_embedded.o
	rm -f $@ && $(AR) rcs $@ $^

examples: $(EXAMPLES)/dataset_dump $(EXAMPLES)/host

# C only: the core library, no liblua.
$(EXAMPLES)/dataset_dump: examples/c/dataset_dump.c csrc/siqun.h $(LIBSIQUN)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -Icsrc $< $(LIBSIQUN) -o $@

$(EXAMPLES)/host: examples/host/host.c csrc/siqun_lua.h $(LIBSIQUN_LUA)
	@test -f '$(LUA_A)' || { echo 'no static Lua ($(LUA_A)): install liblua$(LUA_VERSION)-dev' >&2; exit 1; }
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O2 $< $(LIBSIQUN_LUA) $(HOST_LIBS) -o $@

# The threaded host with everything of ours built with -fsanitize=thread
# (Lua and LPeg come from Debian's archives, uninstrumented).  A report
# makes the run exit with 66.
TSAN       = $(BUILD)/tsan
TSAN_FLAGS = -g -O1 -fsanitize=thread
TSAN_OBJ   = $(CORE_SRC:csrc/%.c=$(TSAN)/%.o) $(LUA_SRC:csrc/%.c=$(TSAN)/%.o) \
             $(TSAN)/siqun_lua.o $(TSAN)/sq_embedded.o $(TSAN)/sq_lua_embedded.o

$(TSAN)/%.o: csrc/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(TSAN_FLAGS) -c $< -o $@

$(TSAN)/%.o: $(BUILD)/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(TSAN_FLAGS) -c $< -o $@

$(TSAN)/threads: examples/host/threads.c $(TSAN_OBJ) $(HEADERS)
	@test -f '$(LUA_A)' || { echo 'no static Lua ($(LUA_A)): install liblua$(LUA_VERSION)-dev' >&2; exit 1; }
	$(CC) $(HOST_CFLAGS) $(TSAN_FLAGS) -pthread $< $(TSAN_OBJ) $(HOST_LIBS) -o $@

tsan: $(TSAN)/threads
	TSAN_OPTIONS='halt_on_error=1 exitcode=66' $(TSAN)/threads examples/host/work.lua

# The C library, its headers and siqun.pc under PREFIX (LuaRocks passes
# SIQUN_INSTALL_C=no: its make install deploys PREFIX/lib as Lua modules).
install: $(if $(filter no,$(SIQUN_INSTALL_C)),,install-c)
uninstall: $(if $(filter no,$(SIQUN_INSTALL_C)),,uninstall-c)

$(BUILD)/siqun.pc: csrc/siqun.pc.in csrc/siqun.h FORCE | $(BUILD)
	@sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(INST_CLIBDIR)|g' \
	  -e 's|@INCLUDEDIR@|$(INST_INCDIR)|g' -e 's|@VERSION@|$(SIQUN_VERSION_NUM)|g' \
	  csrc/siqun.pc.in > $@.tmp && mv $@.tmp $@

install-c: $(LIBSIQUN) $(LIBSIQUN_LUA) $(BUILD)/siqun.pc
	install -d $(DESTDIR)$(INST_CLIBDIR) $(DESTDIR)$(INST_INCDIR) $(DESTDIR)$(INST_PCDIR)
	install -m 644 $(LIBSIQUN) $(LIBSIQUN_LUA) $(DESTDIR)$(INST_CLIBDIR)/
	install -m 644 csrc/siqun.h csrc/siqun_lua.h $(DESTDIR)$(INST_INCDIR)/
	install -m 644 $(BUILD)/siqun.pc $(DESTDIR)$(INST_PCDIR)/siqun.pc

uninstall-c:
	rm -f $(DESTDIR)$(INST_CLIBDIR)/libsiqun.a $(DESTDIR)$(INST_CLIBDIR)/libsiqun_lua.a \
	  $(DESTDIR)$(INST_INCDIR)/siqun.h $(DESTDIR)$(INST_INCDIR)/siqun_lua.h \
	  $(DESTDIR)$(INST_PCDIR)/siqun.pc

FORCE:

# ====================================================================
# Benchmarks (issue 7): `make bench` (siqun against cjson, dkjson, a Lua
# table file, plain Lua loops, utf8.len and npm's Chinese number
# converters; one BENCH line per comparison) and `make bench-callgrind`
# (instruction counts of the C parser and loader).  Not part of `make
# test`: nothing here fails on a timing.  See bench/README.md.  This block
# only adds rules; its inputs and outputs live in bench/ and build/bench/.

BENCH_OUT    = $(BUILD)/bench
BENCH_CFLAGS = $(WARN) -O2 -Icsrc -I$(LUA_INCDIR)
# The driver embeds Lua like lua5.4 does (static liblua, symbols exported
# for C modules); the shared library when there is no static one.
BENCH_LUALIB := $(shell $(CC) -print-file-name=liblua$(LUA_VERSION).a)
BENCH_LUALIB := $(if $(filter /%,$(BENCH_LUALIB)),$(BENCH_LUALIB),-llua$(LUA_VERSION))
BENCH_ENV = LUA_PATH_5_4='$(CURDIR)/lua/?.lua;$(CURDIR)/lua/?/init.lua;;' \
            LUA_CPATH_5_4='$(CURDIR)/$(BUILD)/?.so;;' LUA='$(LUA)' BENCH_OUT='$(BENCH_OUT)'

.PHONY: bench bench-callgrind bench-check

$(BENCH_OUT)/driver: bench/driver.c | $(BUILD)
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) $< -Wl,-E $(BENCH_LUALIB) -lm -ldl -o $@

$(BENCH_OUT)/quantity_c: bench/quantity_c.c csrc/siqun.h $(CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) $< $(CORE_OBJ) -lm -o $@

$(BENCH_OUT)/load_c: bench/load_c.c csrc/siqun.h $(CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) $< $(CORE_OBJ) -lm -o $@

# The open comparison's measuring stick (bench/floor.c): not siqun's API.
$(BENCH_OUT)/floor.so: bench/floor.c csrc/siqun.h $(CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -fPIC $(LIBFLAG) -o $@ $< $(CORE_OBJ) -lm

bench: $(CORE_SO) $(BENCH_OUT)/driver $(BENCH_OUT)/quantity_c $(BENCH_OUT)/load_c $(BENCH_OUT)/floor.so
	$(BENCH_ENV) $(BENCH_OUT)/driver bench/bench.lua $(BENCH_ONLY)

bench-callgrind: $(CORE_SO) $(BENCH_OUT)/driver $(BENCH_OUT)/quantity_c $(BENCH_OUT)/load_c $(BENCH_OUT)/floor.so
	$(BENCH_ENV) sh bench/callgrind.sh $(BENCH_OUT) $(BENCH_OUT)/quantity_c $(BENCH_OUT)/load_c \
	  bench/expressions.txt $(BENCH_OUT)/driver

# The differential check of the quantity parser's tables and fast paths
# (bench/quantity_c.c, `check`): a few seconds, exits 1 on a difference.
bench-check: $(BENCH_OUT)/quantity_c
	$(BENCH_OUT)/quantity_c bench/expressions.txt check

# ====================================================================
# Lua versions (issue 5): the module built against the headers of Lua 5.1,
# 5.2, 5.3 and LuaJIT 2.1 as well as 5.4 (csrc/lsq_compat.h, and
# lua/siqun/compat.lua for the Lua layer), and the whole spec suite under
# each interpreter with Debian's busted and LPeg for it.
#   make LUA_VERSION=5.3          build/5.3/siqun/core.so (jit: build/jit/)
#   make test LUA_VERSION=jit     the suite under luajit
#   make test-versions            the suite under each of TEST_VERSIONS, one
#                                 line per version, logs in build/versions/
# About two minutes on two cores; CI runs it (.ci/run).

DEBIAN_PACKAGES += lua5.1 lua5.2 lua5.3 luajit liblua5.1-0-dev liblua5.2-dev liblua5.3-dev \
                   libluajit-5.1-dev

TEST_VERSIONS ?= 5.1 5.2 5.3 jit 5.4
VERSIONS_LOG   = build/versions

.PHONY: core-5.4 test-versions

# The 5.4 build, for `make test LUA_VERSION=...` (LUA_INCDIR and LUA given
# again: the caller's would reach this make through MAKEFLAGS).
core-5.4:
	@$(MAKE) --no-print-directory LUA_VERSION=5.4 LUA=lua5.4 LUA_INCDIR=/usr/include/lua5.4 all

test-versions:
	@mkdir -p $(VERSIONS_LOG)
	@for v in $(TEST_VERSIONS); do \
	  $(MAKE) --no-print-directory LUA_VERSION=$$v all > $(VERSIONS_LOG)/build-$$v.log 2>&1 \
	    || { cat $(VERSIONS_LOG)/build-$$v.log; echo "build for $$v failed"; exit 1; }; \
	done
	@passed=0; failed=0; bad=; \
	for v in $(TEST_VERSIONS); do \
	  log=$(VERSIONS_LOG)/$$v.log; t0=$$(date +%s); \
	  $(MAKE) --no-print-directory test LUA_VERSION=$$v > $$log 2>&1; rc=$$?; \
	  n=$$(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\),.*/\1/p' $$log); \
	  f=$$(sed -n 's/.*Tests: [0-9]* Failed: \([0-9]*\)).*/\1/p' $$log | awk '{s += $$1} END {print s + 0}'); \
	  if [ $$rc -ne 0 ] || [ -z "$$n" ]; then bad="$$bad $$v"; [ $$f -gt 0 ] || f=1; fi; \
	  n=$${n:-0}; passed=$$((passed + n - f)); failed=$$((failed + f)); \
	  printf '%-4s %s: %d passed, %d failed, %d s (%s)\n' $$v "$$(sed -n 's/^Result: //p' $$log)" \
	    $$((n - f)) $$f $$(( $$(date +%s) - t0 )) $$log; \
	done; \
	if [ -n "$$bad" ]; then echo "failed under:$$bad"; fi; \
	echo "$$passed passed, $$failed failed"; [ -z "$$bad" ]

# ====================================================================
# Hardening (issue 6): sanitizers, allocation failure, fuzzing, coverage
# and static analysis.  `make check` runs them all and ends with the
# figures (allocation points swept, fuzz executions, coverage).  This
# block only adds rules (and gcovr to DEBIAN_PACKAGES); its outputs live
# under build/asan, build/oom, build/fuzz, build/cov and build/check.
#   make asan       the busted suite with core.so under ASan+UBSan
#   make valgrind   the busted suite under valgrind memcheck
#   make oom        allocation-failure sweeps through the Lua binding
#   make fuzz       libFuzzer harnesses, FUZZ_SECONDS each (fuzz/)
#   make coverage   line and branch coverage of csrc/ from the specs
#   make analyze    cppcheck, clang-tidy (.clang-tidy) and luacheck
#   make check      all of the above

DEBIAN_PACKAGES += gcovr valgrind cppcheck clang-14 clang-tidy-14 libclang-rt-14-dev

CLANG        ?= clang-14
CLANG_TIDY   ?= clang-tidy-14
FUZZ_SECONDS ?= 60
CHECK_OUT     = $(BUILD)/check
ASAN_DIR      = $(BUILD)/asan
ASAN_CFLAGS   = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
                -fno-sanitize-recover=undefined
ASAN_OBJ      = $(CORE_SRC:csrc/%.c=$(ASAN_DIR)/%.o) $(LUA_SRC:csrc/%.c=$(ASAN_DIR)/%.o) \
                $(ASAN_DIR)/sq_embedded.o
# busted under Lua 5.4 with the instrumented module: prove runs each spec
# file through `env LD_PRELOAD=... lua5.4 busted`, so prove (perl) is not
# instrumented (prove splits --exec on blanks: no quotes, ':' in LD_PRELOAD).  spec/helper/sanitize.lua strips LD_PRELOAD from the
# commands the specs run (make, a compiler, lua5.4 bin/siqun ...): those
# subprocesses use the normal build (build/?.so), not the sanitized one.
SPEC_BUSTED = $(LUA) $(BUSTED) --ignore-lua -o TAP --helper=spec/helper/sanitize.lua
ASAN_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_string_checks=1 \
           UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
           LSAN_OPTIONS=suppressions=$(CURDIR)/spec/helper/lsan.supp:print_suppressions=0 \
           SIQUN_SANITIZE=asan SIQUN_SLOW=5

.PHONY: asan valgrind oom fuzz coverage analyze check

$(ASAN_DIR)/%.o: csrc/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(MYCFLAGS) $(ASAN_CFLAGS) -c $< -o $@

$(ASAN_DIR)/sq_embedded.o: $(BUILD)/sq_embedded.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(MYCFLAGS) $(ASAN_CFLAGS) -c $< -o $@

$(ASAN_DIR)/siqun/core.so: $(ASAN_OBJ)
	@mkdir -p $(@D)
	$(CC) $(ASAN_CFLAGS) -shared -o $@ $(ASAN_OBJ)

# The C API misused (NULL, out of range, tiny buffers) under the same flags.
$(ASAN_DIR)/api_test: spec/c/api_test.c $(CORE_SRC) $(HEADERS) $(BUILD)/sq_embedded.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(ASAN_CFLAGS) -Icsrc -I$(BUILD) $< $(CORE_SRC) $(BUILD)/sq_embedded.c -lm -o $@

asan: $(CORE_SO) $(ASAN_DIR)/siqun/core.so $(ASAN_DIR)/api_test
	$(ASAN_DIR)/api_test spec/fixtures/valid
	prove --exec 'env $(ASAN_ENV) LD_PRELOAD=$(shell $(CC) -print-file-name=libasan.so):$(CURDIR)/$(ASAN_DIR)/siqun/core.so $(SPEC_BUSTED) --cpath=$(ASAN_DIR)/?.so' spec/*_spec.lua

# valgrind memcheck: a debug build of core.so without sanitizers, under the
# in-process specs, two at a time (about two and a half minutes).  Left
# out: the specs that mostly run commands (valgrind does not follow them:
# the CLI, builds, install, the web host, the examples, README and
# copyright checks), and scan_spec (4 minutes under memcheck for a scanner
# that allocates nothing; make asan and the scan fuzzer cover it).  busted
# exits with lua_close, so a block of ours still allocated is reported.
VG_DIR = $(BUILD)/valgrind
VG_OBJ = $(CORE_SRC:csrc/%.c=$(VG_DIR)/%.o) $(LUA_SRC:csrc/%.c=$(VG_DIR)/%.o) $(VG_DIR)/sq_embedded.o
# (add --track-origins=yes when chasing an uninitialised value: twice slower)
VALGRIND = env SIQUN_SANITIZE=valgrind SIQUN_SLOW=40 valgrind -q --keep-debuginfo=yes \
           --leak-check=full --errors-for-leak-kinds=definite,possible --error-exitcode=1 \
           --suppressions=$(CURDIR)/spec/helper/valgrind.supp

$(VG_DIR)/%.o: csrc/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(MYCFLAGS) -g -O1 -c $< -o $@

$(VG_DIR)/sq_embedded.o: $(BUILD)/sq_embedded.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(MYCFLAGS) -g -O1 -c $< -o $@

$(VG_DIR)/siqun/core.so: $(VG_OBJ)
	@mkdir -p $(@D)
	$(CC) -g -shared -o $@ $(VG_OBJ)

VG_SKIP  = scan cli cli_query embed install lighttpd examples readme copyright html
VG_SPECS = $(filter-out $(VG_SKIP:%=spec/%_spec.lua),$(wildcard spec/*_spec.lua))

valgrind: $(CORE_SO) $(VG_DIR)/siqun/core.so
	prove -j2 --exec '$(VALGRIND) $(SPEC_BUSTED) --cpath=$(VG_DIR)/?.so' $(VG_SPECS)

# Allocation-failure sweeps through the Lua API (spec/c/oom_sweep.c), under
# ASan+UBSan; arena blocks of 4 KB (the C loader's own sweeps over 256-byte
# blocks are in ctest).
OOM_DIR    = $(BUILD)/oom
OOM_CFLAGS = -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined \
             -DSQ_ARENA_BLOCK=4096

$(OOM_DIR)/oom_sweep: spec/c/oom_sweep.c $(CORE_SRC) $(LUA_SRC) $(HEADERS) $(BUILD)/sq_embedded.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(OOM_CFLAGS) -Icsrc -I$(BUILD) -I$(LUA_INCDIR) spec/c/oom_sweep.c \
	  $(CORE_SRC) $(LUA_SRC) $(BUILD)/sq_embedded.c -Wl,-E -llua$(LUA_VERSION) -lm -o $@

oom: $(OOM_DIR)/oom_sweep
	$(OOM_DIR)/oom_sweep

# libFuzzer harnesses (fuzz/*.c) with clang-14, ASan+UBSan; seeds in
# fuzz/corpus/<name> (regenerated by fuzz/make_corpus.lua), work corpora and
# crash files in build/fuzz.  FUZZ_SECONDS=0 only replays the seeds.
FUZZ_DIR     = $(BUILD)/fuzz
FUZZ_NAMES   = csv load quantity scan
FUZZ_CFLAGS  = $(filter-out -Werror,$(WARN)) -g -O1 -fsanitize=fuzzer,address,undefined \
               -fno-sanitize-recover=undefined -DSQ_ARENA_BLOCK=1024 -Icsrc -I$(BUILD)

$(FUZZ_DIR)/%_fuzz: fuzz/%_fuzz.c $(CORE_SRC) $(HEADERS) $(BUILD)/sq_embedded.c
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) $< $(CORE_SRC) $(BUILD)/sq_embedded.c -lm -o $@

fuzz: $(FUZZ_NAMES:%=$(FUZZ_DIR)/%_fuzz)
	sh fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_DIR) $(FUZZ_NAMES)

# Coverage of csrc/ (gcovr): core.so built with --coverage is what the
# specs load; the C tests of spec/c (ctest's, without sanitizers) add the
# paths only C reaches (allocation failure, mutated bytes), and the
# parser's differential check (bench/quantity_c.c check) its reference
# paths.  Report: build/cov/summary.txt, and per file, the lines and
# branches not taken, build/cov/branches.txt.
# What stays uncovered: each line not run carries a comment beginning
# "uncovered:" that says why (grep -rn uncovered: csrc); the GCOVR_EXCL_BR
# markers are on system-call failures.  The branches not taken are, by
# kind: (1) one side of a compound range test that no input can take alone
# (c >= '0' && c <= '9' after the byte is known to be ASCII, the low half
# of a surrogate pair after the high one was checked); (2) defensive tests
# of arguments that the library's own callers never pass (a NULL out, a
# zero length, a value of a type the schema excludes); (3) loop exits that
# the limits make unreachable (a field longer than 1 MB before the end of a
# 64 MB file); (4) the allocation-failure returns of the C tests' paths
# that the sweeps reach only for the first failing allocation of each
# call site.
COV_DIR = $(BUILD)/cov
COV_OBJ = $(CORE_SRC:csrc/%.c=$(COV_DIR)/%.o) $(LUA_SRC:csrc/%.c=$(COV_DIR)/%.o) $(COV_DIR)/sq_embedded.o
COV_FLAGS = -O0 -g --coverage
GCOVR = gcovr --root . --filter 'csrc/' --exclude 'csrc/tools/' --exclude-unreachable-branches \
        --exclude-throw-branches

$(COV_DIR)/%.o: csrc/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(MYCFLAGS) $(COV_FLAGS) -c $< -o $@

$(COV_DIR)/sq_embedded.o: $(BUILD)/sq_embedded.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(MYCFLAGS) $(COV_FLAGS) -c $< -o $@

$(COV_DIR)/siqun/core.so: $(COV_OBJ)
	@mkdir -p $(@D)
	$(CC) --coverage -shared -o $@ $(COV_OBJ)

coverage: $(CORE_SO) $(COV_DIR)/siqun/core.so $(BUILD)/sq_embedded.c
	find $(COV_DIR) -name '*.gcda' -delete
	prove --exec '$(SPEC_BUSTED) --cpath=$(COV_DIR)/?.so' spec/*_spec.lua > $(COV_DIR)/specs.log 2>&1 \
	  || { tail -40 $(COV_DIR)/specs.log; exit 1; }; tail -3 $(COV_DIR)/specs.log
	@mkdir -p $(COV_DIR)/tests
	cd $(COV_DIR)/tests && $(CC) $(WARN) $(COV_FLAGS) -I$(CURDIR)/csrc \
	  $(CURDIR)/spec/c/quantity_test.c $(addprefix $(CURDIR)/,$(filter csrc/sq_q%.c csrc/sq_scan.c csrc/sq_utf8.c,$(CORE_SRC))) \
	  -o quantity_test && ./quantity_test > /dev/null
	cd $(COV_DIR)/tests && $(CC) $(WARN) $(COV_FLAGS) -DSQ_ARENA_BLOCK=256 -I$(CURDIR)/csrc -I$(CURDIR)/$(BUILD) \
	  $(CURDIR)/spec/c/dataset_test.c $(addprefix $(CURDIR)/,$(CORE_SRC)) $(CURDIR)/$(BUILD)/sq_embedded.c \
	  -o dataset_test && ./dataset_test $(CURDIR)/spec/fixtures/valid > /dev/null
	cd $(COV_DIR)/tests && $(CC) $(WARN) $(COV_FLAGS) -I$(CURDIR)/csrc -I$(CURDIR)/$(BUILD) \
	  $(CURDIR)/spec/c/api_test.c $(addprefix $(CURDIR)/,$(CORE_SRC)) $(CURDIR)/$(BUILD)/sq_embedded.c \
	  -o api_test && ./api_test $(CURDIR)/spec/fixtures/valid > /dev/null
	cd $(COV_DIR)/tests && $(CC) $(WARN) $(COV_FLAGS) -I$(CURDIR)/csrc -I$(CURDIR)/$(BUILD) -I$(LUA_INCDIR) \
	  $(CURDIR)/spec/c/lua_oom_test.c $(addprefix $(CURDIR)/,$(CORE_SRC) $(LUA_SRC)) $(CURDIR)/$(BUILD)/sq_embedded.c \
	  -llua$(LUA_VERSION) -lm -o lua_oom_test
	$(COV_DIR)/tests/lua_oom_test > /dev/null
	cd $(COV_DIR)/tests && $(CC) $(WARN) $(COV_FLAGS) -I$(CURDIR)/csrc -I$(CURDIR)/$(BUILD) \
	  $(CURDIR)/bench/quantity_c.c $(addprefix $(CURDIR)/,$(CORE_SRC)) $(CURDIR)/$(BUILD)/sq_embedded.c \
	  -lm -o quantity_check && ./quantity_check $(CURDIR)/bench/expressions.txt check > /dev/null
	$(GCOVR) --branches --print-summary -o $(COV_DIR)/summary.txt \
	  --fail-under-line 95 --fail-under-branch 90 $(COV_DIR)
	$(GCOVR) --branches --txt $(COV_DIR)/branches.txt $(COV_DIR) > /dev/null

# Static analysis: cppcheck (with .cppcheck/siqun.cfg: the functions that
# never return) over our C, clang-tidy (.clang-tidy) over the library, its
# tools and the fuzz harnesses -- one file per run: clang-tidy 14 carries
# the va_list checker's state from one file to the next and then reports
# every vsnprintf -- and luacheck (make lint, and fuzz/).
CPPCHECK_FLAGS = --enable=warning,performance,portability --error-exitcode=1 --inline-suppr \
                 --std=c99 -q -D__GNUC__=12 -DLUA_VERSION_NUM=504 --library=.cppcheck/siqun.cfg \
                 -Icsrc -I$(BUILD) --suppress=missingIncludeSystem --suppress=missingInclude
TIDY_FILES = $(wildcard csrc/*.c csrc/tools/*.c csrc/cli/*.c fuzz/*.c)

analyze: $(BUILD)/sq_embedded.c
	cppcheck $(CPPCHECK_FLAGS) $(wildcard csrc/*.c csrc/tools/*.c csrc/cli/*.c spec/c/*.c fuzz/*.c examples/c/*.c)
	@echo "clang-tidy: $(words $(TIDY_FILES)) files"; \
	printf '%s\n' $(TIDY_FILES) | xargs -P2 -I{} sh -c '$(CLANG_TIDY) --quiet {} -- -std=c99 \
	  -Icsrc -I$(BUILD) -I$(LUA_INCDIR) > $(BUILD)/tidy.$$$$.log 2>&1 \
	  || { grep -v "warnings generated" $(BUILD)/tidy.$$$$.log; rm -f $(BUILD)/tidy.$$$$.log; exit 255; }; \
	  rm -f $(BUILD)/tidy.$$$$.log'
	$(MAKE) --no-print-directory lint
	luacheck --std lua54 fuzz

# Everything above, each logged to build/check/<target>.log, one line per
# target with its time, then the figures.  Runs on after a failure and
# fails at the end.
CHECK_TARGETS = analyze ctest asan valgrind oom fuzz coverage

check:
	@mkdir -p $(CHECK_OUT); rm -f $(CHECK_OUT)/*.log; failed=; t00=$$(date +%s); \
	for t in $(CHECK_TARGETS); do \
	  t0=$$(date +%s); \
	  if $(MAKE) --no-print-directory $$t > $(CHECK_OUT)/$$t.log 2>&1; then r=ok; \
	  else r=FAILED; failed="$$failed $$t"; fi; \
	  printf 'check: %-9s %-6s %5d s   %s\n' $$t $$r $$(( $$(date +%s) - t0 )) $(CHECK_OUT)/$$t.log; \
	  if [ $$r != ok ]; then tail -n 30 $(CHECK_OUT)/$$t.log | sed 's/^/    /'; fi; \
	done; \
	echo "check: figures"; \
	sed -n 's/^oom: \([0-9]*\) scenarios, allocation points swept: \([0-9]*\)/  allocation points swept: \2 (\1 Lua-level operations, transient and persistent)/p' $(CHECK_OUT)/oom.log; \
	sed -n 's/^fuzz executions: \([0-9]*\)/  fuzz executions: \1 (4 harnesses, $(FUZZ_SECONDS) s each)/p' $(CHECK_OUT)/fuzz.log; \
	sed -n 's/^fuzz \([a-z]*\): \([0-9]*\) executions.*/    \1: \2/p' $(CHECK_OUT)/fuzz.log; \
	sed -n 's/^fuzz corpus .*: replay \([0-9]*\) inputs/\1/p' $(CHECK_OUT)/ctest.log \
	  | awk '{ n += $$1 } END { if (NR) printf "  fuzz corpora replayed by ctest: %d inputs\n", n }'; \
	sed -n 's/^lines: \(.*\)/  coverage of csrc\/: lines \1/p; s/^branches: \(.*\)/  coverage of csrc\/: branches \1/p' $(CHECK_OUT)/coverage.log; \
	echo "check: $$(( $$(date +%s) - t00 )) s in all"; \
	n=$$(echo $(CHECK_TARGETS) | wc -w); f=$$(echo $$failed | wc -w); \
	if [ -n "$$failed" ]; then echo "check: FAILED:$$failed"; fi; \
	echo "$$((n - f)) passed, $$f failed"; [ -z "$$failed" ]

# ====================================================================
# The command (issue 12): `siqun` as a compiled launcher
# (csrc/cli/siqun_main.c) that `make`, `make install` and LuaRocks build
# and install: it carries siqun's core and Lua layer, and Lua and LPeg
# when static libraries of them exist, so it runs as it is (no LUA_PATH,
# no luarocks loader).  This block only adds rules (and the launcher to
# all, install and test).
#   CLI_LUA_A     the static Lua to link, the first that exists of
#                 LUA_LIBDIR/LUALIB when that is an archive (LuaRocks
#                 passes them where it links Lua explicitly), lib<lua>.a
#                 (liblua5.4.a, libluajit-5.1.a) or liblua54.a where the
#                 compiler finds it, and LUA_INCDIR/../lib/liblua.a (Lua
#                 installed from lua.org's sources); CLI_LUA_A= links the
#                 shared one
#   CLI_LPEG_A    the static LPeg to link (Debian: lua-lpeg-dev); empty:
#                 LPeg is found on package.cpath at run time
#   CLI_CPPFLAGS  more flags for siqun_main.c (the specs build a variant
#                 with -DSQ_CLI_NO_PROC into CLI_DIR=build/cli-noproc)
# Without a static Lua (or when linking it fails) the shared one is linked:
# LUA_LIBDIR/LUALIB when that is one, else -llua5.4, -llua54 (jit:
# -lluajit-5.1).  When no Lua library can be linked at all, the Lua script
# bin/siqun is installed instead, with a note: it needs LUA_PATH set.

LUA_LIBDIR  ?=
LUALIB      ?=
CLI_DIR      = $(BUILD)/cli
CLI_BIN      = $(CLI_DIR)/siqun
CLI_OBJ      = $(CLI_DIR)/siqun_main.o $(CLI_DIR)/sq_cli_alloc.o $(CLI_DIR)/siqun_init.o
CLI_NAMES    = $(if $(filter jit,$(LUA_VERSION)),luajit-5.1,lua$(LUA_VERSION) lua$(subst .,,$(LUA_VERSION)))
# (recursive: the compiler is asked only when the launcher is built)
CLI_FOUND    = $(filter /%,$(shell $(CC) -print-file-name=$(1)))
CLI_LUA_A   ?= $(firstword $(wildcard $(if $(filter %.a,$(LUALIB)),$(LUA_LIBDIR)/$(LUALIB)) \
                 $(foreach n,$(CLI_NAMES),$(call CLI_FOUND,lib$(n).a)) \
                 $(if $(filter jit,$(LUA_VERSION)),,$(abspath $(LUA_INCDIR)/../lib/liblua.a))))
CLI_LPEG_A  ?= $(call CLI_FOUND,liblua$(LUA_ABI)-lpeg.a)
CLI_LUA_SO   = $(if $(filter %.so %.dylib,$(LUALIB)),$(LUA_LIBDIR)/$(LUALIB),$(CLI_NAMES:%=-l%))
CLI_COMMA   := ,
CLI_LDFLAGS  = $(if $(LUA_LIBDIR),-L$(LUA_LIBDIR) -Wl$(CLI_COMMA)-rpath$(CLI_COMMA)$(LUA_LIBDIR))
CLI_CPPFLAGS ?=
CLI_CFLAGS   = $(CFLAGS) $(MYCFLAGS) $(if $(CLI_LPEG_A),-DSQ_CLI_LPEG) $(CLI_CPPFLAGS)
CLI_LINK     = $(CC) $(CFLAGS) -o $@.tmp $(CLI_OBJ) $(CORE_OBJ) $(LUA_OBJ) $(CLI_LPEG_A)

all: $(CLI_BIN)
install: $(CLI_BIN)
test asan coverage: $(CLI_BIN)
VG_SKIP += launcher

# What the launcher is built with: a change (CFLAGS, CLI_LUA_A=) builds it
# again.
$(CLI_DIR)/flags: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' '$(CLI_CFLAGS)' '$(CLI_LPEG_A) $(CLI_LUA_A)' '$(CLI_LUA_SO) $(CLI_LDFLAGS)' > $@.tmp; \
	if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(CLI_DIR)/siqun_main.o: csrc/cli/siqun_main.c csrc/cli/sq_cli_alloc.h $(HEADERS) $(CLI_DIR)/flags
	$(CC) $(CLI_CFLAGS) -c $< -o $@

$(CLI_DIR)/sq_cli_alloc.o: csrc/cli/sq_cli_alloc.c csrc/cli/sq_cli_alloc.h $(CLI_DIR)/flags
	$(CC) $(CLI_CFLAGS) -c $< -o $@

# siqun/init.lua as text (the layer's bytecode leaves it out).
$(CLI_DIR)/siqun_init.c: $(BUILD)/sq_embed_lua lua/siqun/init.lua
	@mkdir -p $(@D)
	$(BUILD)/sq_embed_lua lua lua/siqun/init.lua > $@.tmp && mv $@.tmp $@

$(CLI_DIR)/siqun_init.o: $(CLI_DIR)/siqun_init.c $(HEADERS)
	$(CC) $(CFLAGS) $(MYCFLAGS) -c $< -o $@

# The static Lua (its symbols exported for the C modules require loads),
# else a shared one, else the script.
$(CLI_BIN): $(CLI_OBJ) $(CORE_OBJ) $(LUA_OBJ) $(CLI_DIR)/flags
	@rm -f $@.tmp; \
	for lua in $(addsuffix :static,$(CLI_LUA_A)) $(CLI_LUA_SO); do \
	  case $$lua in *:static) lib="$${lua%:static} -Wl,-E";; *) lib="$(CLI_LDFLAGS) $$lua";; esac; \
	  echo "$(CLI_LINK) $$lib -lm -ldl"; \
	  if $(CLI_LINK) $$lib -lm -ldl; then mv $@.tmp $@; exit 0; fi; \
	done; \
	echo "note: no Lua library to link the siqun command with: the Lua script bin/siqun is used" >&2; \
	cp bin/siqun $@

# `make bench`'s cli comparison runs the command as installed: into
# build/bench/cli/ (bench/pair_cli.lua).
CLI_BENCH_PREFIX = $(CURDIR)/$(BENCH_OUT)/cli
bench: $(BENCH_OUT)/cli/bin/siqun
bench: BENCH_ENV += BENCH_CLI='$(CLI_BENCH_PREFIX)/bin/siqun'

$(BENCH_OUT)/cli/bin/siqun: $(CLI_BIN) $(CORE_SO) $(SIQUN_LUA_FILES)
	@$(MAKE) --no-print-directory install PREFIX='$(CLI_BENCH_PREFIX)' SIQUN_INSTALL_C=no > /dev/null
