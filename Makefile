# siqun -- one Makefile for `make`, `make test`, `make install` and LuaRocks
# (build.type = "make" passes CFLAGS, LIBFLAG, LUA_INCDIR, INST_* below).

LUA         ?= lua5.4
LUA_VERSION ?= 5.4
LUA_INCDIR  ?= /usr/include/lua$(LUA_VERSION)
CC          ?= cc
HOSTCC      ?= $(CC)
CFLAGS      ?= -O2 -fPIC
LIBFLAG     ?= -shared
PREFIX      ?= /usr/local
DESTDIR     ?=
INST_LIBDIR ?= $(PREFIX)/lib/lua/$(LUA_VERSION)
INST_LUADIR ?= $(PREFIX)/share/lua/$(LUA_VERSION)
INST_BINDIR ?= $(PREFIX)/bin
BUSTED      ?= /usr/bin/busted

# Flags we always want, whatever CFLAGS the caller passes.
WARN   = -std=c99 -Wall -Wextra -pedantic -Werror -Wshadow -Wmissing-prototypes
MYCFLAGS = $(WARN) -fPIC -fvisibility=hidden -Icsrc -Ibuild -I$(LUA_INCDIR)

BUILD   = build
CORE_SO = $(BUILD)/siqun/core.so
CORE_SRC = $(filter-out csrc/lsq_%.c,$(wildcard csrc/sq_*.c))
LUA_SRC  = $(wildcard csrc/lsq_*.c)
HEADERS  = $(wildcard csrc/*.h)
CORE_OBJ = $(CORE_SRC:csrc/%.c=$(BUILD)/%.o) $(BUILD)/sq_embedded.o
LUA_OBJ  = $(LUA_SRC:csrc/%.c=$(BUILD)/%.o)
DATA     = data/datapackage.json $(wildcard data/*.csv)

# What a fresh Debian 12 machine needs (installed by `make deps`).
DEBIAN_PACKAGES = build-essential perl lua5.4 liblua5.4-dev lua-lpeg lua-argparse \
                  lua-busted lua-check luarocks

.PHONY: all deps test ctest summary install uninstall clean lint

all: $(CORE_SO)

$(BUILD)/%.o: csrc/%.c $(HEADERS) | $(BUILD)
	$(CC) $(CFLAGS) $(MYCFLAGS) -c $< -o $@

# The default dataset is compiled in: a host tool turns data/ into C arrays.
$(BUILD)/sq_embed: csrc/tools/sq_embed.c | $(BUILD)
	$(HOSTCC) $(WARN) -O1 $< -o $@

$(BUILD)/sq_embedded.c: $(BUILD)/sq_embed $(DATA)
	$(BUILD)/sq_embed data $(DATA) > $@.tmp && mv $@.tmp $@

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

# Runs the CLI from the checkout on the embedded article.
summary: $(CORE_SO)
	LUA_PATH_5_4='lua/?.lua;lua/?/init.lua;;' LUA_CPATH_5_4='$(BUILD)/?.so;;' $(LUA) bin/siqun summary

# busted under Lua 5.4 (see .busted), driven by prove so the run ends in a
# standard summary ("Result: PASS").
test: $(CORE_SO)
	prove --exec '$(LUA) $(BUSTED) --ignore-lua -o TAP' spec/*_spec.lua

# C-level tests of the dataset core under ASan + UBSan (about a minute): every
# allocation failing in turn, every byte of the fixture mutated, and the Lua
# binding's out-of-memory errors.  Small arena blocks make allocations frequent.
SANITIZE = -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -DSQ_ARENA_BLOCK=256
ctest: $(BUILD)/sq_embedded.c
	$(CC) $(WARN) $(SANITIZE) -Icsrc -I$(BUILD) spec/c/dataset_test.c $(CORE_SRC) \
	  $(BUILD)/sq_embedded.c -o $(BUILD)/dataset_test
	$(BUILD)/dataset_test spec/fixtures/valid
	$(CC) $(WARN) $(SANITIZE) -Icsrc -I$(BUILD) -I$(LUA_INCDIR) spec/c/lua_oom_test.c \
	  $(CORE_SRC) $(LUA_SRC) $(BUILD)/sq_embedded.c -llua$(LUA_VERSION) -lm -o $(BUILD)/lua_oom_test
	$(BUILD)/lua_oom_test

# 10 MB of random bytes and of random CJK through scan and quantity: ends,
# and grows linearly (reported as a ratio to the 1 MB run).
stress: $(CORE_SO)
	LUA_PATH_5_4='lua/?.lua;lua/?/init.lua;;' LUA_CPATH_5_4='$(BUILD)/?.so;;' $(LUA) bench/stress.lua

lint:
	luacheck --std lua54 lua bin/siqun spec bench

install: $(CORE_SO)
	install -d $(DESTDIR)$(INST_LIBDIR)/siqun $(DESTDIR)$(INST_LUADIR)/siqun $(DESTDIR)$(INST_BINDIR)
	install -m 755 $(CORE_SO) $(DESTDIR)$(INST_LIBDIR)/siqun/core.so
	cd lua && for f in $$(find siqun -name '*.lua' | sort); do \
	  install -D -m 644 "$$f" "$(DESTDIR)$(INST_LUADIR)/$$f" || exit 1; done
	install -m 755 bin/siqun $(DESTDIR)$(INST_BINDIR)/siqun

uninstall:
	rm -rf $(DESTDIR)$(INST_LIBDIR)/siqun $(DESTDIR)$(INST_LUADIR)/siqun $(DESTDIR)$(INST_BINDIR)/siqun

clean:
	rm -rf $(BUILD)
