# The command: `siqun` as a compiled launcher (csrc/cli/siqun_main.c) that
# `make`, `make install` and LuaRocks build and install: it carries siqun's
# core and Lua layer, and Lua and LPeg when static libraries of them exist,
# so it runs as it is (no LUA_PATH, no luarocks loader).
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
# The specs run the command (the sanitized and the coverage runs too).
test asan coverage: $(CLI_BIN)

# What the launcher is built with: a change (CFLAGS, CLI_LUA_A=) builds it
# again.
$(CLI_DIR)/flags: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' '$(CLI_CFLAGS)' '$(CLI_LPEG_A) $(CLI_LUA_A)' '$(CLI_LUA_SO) $(CLI_LDFLAGS)' > $@.tmp; \
	if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(CLI_DIR)/siqun_main.o: csrc/cli/siqun_main.c csrc/cli/sq_cli_alloc.h $(HEADERS) $(CLI_DIR)/flags
	@mkdir -p $(@D)
	$(CC) $(CLI_CFLAGS) -c $< -o $@

$(CLI_DIR)/sq_cli_alloc.o: csrc/cli/sq_cli_alloc.c csrc/cli/sq_cli_alloc.h $(CLI_DIR)/flags
	@mkdir -p $(@D)
	$(CC) $(CLI_CFLAGS) -c $< -o $@

# siqun/init.lua as text (the layer's bytecode leaves it out).
$(CLI_DIR)/siqun_init.c: $(BUILD)/sq_embed_lua lua/siqun/init.lua
	@mkdir -p $(@D)
	$(BUILD)/sq_embed_lua lua lua/siqun/init.lua > $@.tmp && mv $@.tmp $@

$(CLI_DIR)/siqun_init.o: $(CLI_DIR)/siqun_init.c $(HEADERS)
	@mkdir -p $(@D)
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
