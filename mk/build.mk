# core.so (siqun.core): the C core and the Lua binding, with the default
# dataset and the Lua layer compiled in.

CORE_OBJ = $(CORE_SRC:csrc/%.c=$(BUILD)/%.o) $(BUILD)/sq_embedded.o
LUA_OBJ  = $(LUA_SRC:csrc/%.c=$(BUILD)/%.o)

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

# The Lua layer goes in too, precompiled by the interpreter the module is
# for (csrc/tools/sq_dump_lua.lua; siqun/init.lua offers it in
# package.preload): without that interpreter, an empty list (the sources on
# package.path are used).
# LAYER_STRIP=0 keeps the debug information (line numbers in tracebacks
# of the layer's own functions; about a third more to load).
LAYER_STRIP ?= 1
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

clean:
	rm -rf $(BUILD)
