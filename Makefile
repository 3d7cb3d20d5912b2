# siqun -- one Makefile for `make`, `make test`, `make install` and LuaRocks
# (build.type = "make" passes CFLAGS, LIBFLAG, LUA_INCDIR, INST_* below).
# This file sets what every part shares (the Lua version, compilers, flags,
# directories, the source lists); the rules live in mk/, one file per
# concern (see the include list at the end).

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

# 5.4 builds into build/ (build/siqun/core.so), the others into
# build/<version>/ (build/5.3/siqun/core.so, build/jit/siqun/core.so).
BUILD   = $(if $(filter 5.4,$(LUA_VERSION)),build,build/$(LUA_VERSION))
CORE_SO = $(BUILD)/siqun/core.so

# The sources, wherever they sit under csrc/ (csrc/dataset/sq_csv.c builds
# into $(BUILD)/dataset/sq_csv.o): the core is every sq_*.c but the build
# tools, the command and the binding; the binding every lsq_*.c; every
# folder that holds a header is on the include path, so an #include
# "sq_x.h" keeps working when sq_x.h moves to another folder (the tools'
# and the command's headers are found beside the files that include them).
CSRC_FIND = $(shell find csrc $(1) 2>/dev/null | LC_ALL=C sort)
CORE_SRC := $(call CSRC_FIND,\( -path csrc/tools -o -path csrc/cli -o -path csrc/lua \) -prune -o -name 'sq_*.c' -print)
LUA_SRC  := $(call CSRC_FIND,-name 'lsq_*.c')
HEADERS  := $(call CSRC_FIND,-name '*.h')
C_FILES  := $(call CSRC_FIND,-name '*.c')
# siqun_openlibs, the entry of the static embedding (libsiqun_lua.a).
SIQUN_LUA_SRC := $(filter %/siqun_lua.c,$(C_FILES))
CSRC_DIRS := $(filter-out csrc/tools csrc/cli,$(patsubst %/,%,$(sort csrc/ $(dir $(HEADERS)))))
CSRC_INC  := $(addprefix -I,$(CSRC_DIRS))
DATA     = data/datapackage.json $(wildcard data/*.csv)

# The Lua layer, found once: every .lua under lua/siqun (a module a colleague
# adds is picked up).  Compiled into core.so as bytecode and into
# libsiqun_lua.a as source.  SIQUN_LUA_FILES is the same list.
LAYER_FILES := $(shell find lua/siqun -name '*.lua' 2>/dev/null | LC_ALL=C sort)
SIQUN_LUA_FILES = $(LAYER_FILES)

# Flags we always want, whatever CFLAGS the caller passes.
WARN   = -std=c99 -Wall -Wextra -pedantic -Werror -Wshadow -Wmissing-prototypes
MYCFLAGS = $(WARN) -fPIC -fvisibility=hidden $(CSRC_INC) -Ibuild -I$(LUA_INCDIR)

# `make` alone: core.so and the command (mk/build.mk, mk/cli.mk).
all:

.PHONY: all FORCE
# A prerequisite that is always out of date: the rules that write a file
# only when its content changes (flags, file lists) depend on it.
FORCE:

# Order matters where a file names another's variable in a prerequisite.
include mk/deps.mk      # DEBIAN_PACKAGES, make deps, make print-deps
include mk/build.mk     # core.so: the C core, the embedded data and Lua layer
include mk/gen.mk       # make gen: the generated sources kept under csrc/gen/
include mk/static.mk    # libsiqun.a, libsiqun_lua.a, the example hosts, tsan
include mk/cli.mk       # the siqun command (compiled launcher)
include mk/install.mk   # install and uninstall: the module, the command, the C library
include mk/test.mk      # test, summary, stress, lint
include mk/versions.mk  # the specs under every Lua version
include mk/check.mk     # check: analyze ctest asan valgrind oom fuzz coverage
include mk/bench.mk     # benchmarks
