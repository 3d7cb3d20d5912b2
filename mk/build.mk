# core.so (siqun.core): the C core and the Lua binding, with the default
# dataset and the Lua layer compiled in.

# The core carries the embedded dataset (sq_embedded.c); the binding the
# Lua layer as bytecode (sq_layer_bc.c): libsiqun.a, the C library, has the
# core only, so C programs do not carry the layer.
CORE_OBJ = $(CORE_SRC:csrc/%.c=$(BUILD)/%.o) $(BUILD)/sq_embedded.o
LUA_OBJ  = $(LUA_SRC:csrc/%.c=$(BUILD)/%.o) $(BUILD)/sq_layer_bc.o
# The C files generated into $(BUILD) that the variant builds (asan,
# valgrind, coverage, tsan) compile again with their own flags.
BUILD_C  = sq_embedded sq_layer_bc

.PHONY: clean

all: $(CORE_SO)

$(BUILD)/%.o: csrc/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(MYCFLAGS) -c $< -o $@

# The embedding tools write C through one writer (string literals, byte
# arrays): sq_embed (the dataset, here) and sq_embed_lua (the Lua layer as
# source, mk/static.mk).
EMBED_WRITER = csrc/tools/sq_cwrite.c csrc/tools/sq_cwrite.h

# The default dataset is compiled in: a host tool built with the library's
# own loader loads data/ and writes the parsed model (strings, cells,
# indexes) as const C arrays.
$(BUILD)/sq_embed: csrc/tools/sq_embed.c $(EMBED_WRITER) $(CORE_SRC) $(HEADERS) | $(BUILD)
	$(HOSTCC) $(WARN) -O1 $(CSRC_INC) $< $(filter %.c,$(EMBED_WRITER)) $(CORE_SRC) -lm -o $@

# (mk/build.mk is a prerequisite: a build made before the Lua layer's
# bytecode had a file of its own has it in sq_embedded.c too.)
$(BUILD)/sq_embedded.c: $(BUILD)/sq_embed $(DATA) mk/build.mk
	$(BUILD)/sq_embed data $(DATA) > $@.tmp && mv $@.tmp $@

# The list of the layer's files: it changes when the set does, so that a
# removed module is dropped from what is compiled in.
$(BUILD)/sq_lua_modules.list: FORCE | $(BUILD)
	@printf '%s\n' $(LAYER_FILES) > $@.tmp; \
	if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

# The Lua layer goes in too, precompiled by the interpreter the module is
# for (csrc/tools/sq_dump_lua.lua; siqun/init.lua offers it in
# package.preload): without that interpreter, an empty list (the sources on
# package.path are used).
# LAYER_STRIP=0 keeps the debug information (line numbers in tracebacks
# of the layer's own functions; about a third more to load).
LAYER_STRIP ?= 1
$(BUILD)/sq_layer_bc.c: csrc/tools/sq_dump_lua.lua $(BUILD)/sq_lua_modules.list $(LAYER_FILES)
	if SQ_STRIP=$(LAYER_STRIP) $(LUA) csrc/tools/sq_dump_lua.lua lua $(LAYER_FILES) > $@.tmp; then :; \
	else echo "note: no bytecode of the Lua layer ($(LUA) failed)" >&2; \
	  printf '%s\n' '#include "sq_lua_modules.h"' \
	    'const sq_lua_module sq_layer_bc[] = { { 0, 0, 0, 0 } };' \
	    'const size_t sq_layer_nbc = 0;' > $@.tmp; fi
	mv $@.tmp $@

$(BUILD_C:%=$(BUILD)/%.o): $(BUILD)/%.o: $(BUILD)/%.c $(HEADERS)
	$(CC) $(CFLAGS) $(MYCFLAGS) -c $< -o $@

$(CORE_SO): $(CORE_OBJ) $(LUA_OBJ)
	@mkdir -p $(BUILD)/siqun
	$(CC) $(CFLAGS) $(LIBFLAG) -o $@ $(CORE_OBJ) $(LUA_OBJ)

$(BUILD):
	@mkdir -p $(BUILD)

clean:
	rm -rf $(BUILD)
