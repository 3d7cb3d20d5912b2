# The static embedding: the C library without Lua, the library with the
# binding and the Lua layer compiled in, the example hosts, and many states
# on many threads under ThreadSanitizer.
#   make static      build/libsiqun.a (C core + dataset, no Lua) and
#                    build/libsiqun_lua.a (+ luaopen_siqun_core, the Lua
#                    layer compiled in, siqun_openlibs: csrc/siqun_lua.h)
#   make examples    build/examples/{dataset_dump,host}
#   make tsan        16 threads x 16 lua_States under ThreadSanitizer
# (make install installs both libraries: mk/install.mk.)

AR            ?= ar

LIBSIQUN     = $(BUILD)/libsiqun.a
LIBSIQUN_LUA = $(BUILD)/libsiqun_lua.a
EXAMPLES     = $(BUILD)/examples
SIQUN_LUA_OBJ = $(SIQUN_LUA_SRC:csrc/%.c=$(BUILD)/%.o)

# Static Lua 5.4 and LPeg for the example hosts (Debian: liblua5.4-dev and
# lua-lpeg-dev).  Without the LPeg archive the hosts build without LPeg.
ifndef LUA_A
LUA_A := $(shell $(CC) -print-file-name=liblua$(LUA_VERSION).a)
endif
ifndef LPEG_A
LPEG_A := $(shell $(CC) -print-file-name=liblua$(LUA_VERSION)-lpeg.a)
endif
HOST_LPEG   = $(filter /%,$(LPEG_A))
HOST_CFLAGS = $(WARN) $(CSRC_INC) -I$(LUA_INCDIR) $(if $(HOST_LPEG),,-DSQ_HOST_NO_LPEG)
HOST_LIBS   = $(HOST_LPEG) $(LUA_A) -lm -ldl

.PHONY: static examples tsan

static: $(LIBSIQUN) $(LIBSIQUN_LUA)

$(BUILD)/sq_embed_lua: csrc/tools/sq_embed_lua.c $(EMBED_WRITER) | $(BUILD)
	$(HOSTCC) $(WARN) -O1 $< $(filter %.c,$(EMBED_WRITER)) -o $@

$(BUILD)/sq_lua_embedded.c: $(BUILD)/sq_embed_lua $(BUILD)/sq_lua_modules.list $(LAYER_FILES)
	$(BUILD)/sq_embed_lua lua $(LAYER_FILES) > $@.tmp && mv $@.tmp $@

$(BUILD)/sq_lua_embedded.o: $(BUILD)/sq_lua_embedded.c $(HEADERS)
	$(CC) $(CFLAGS) $(MYCFLAGS) -c $< -o $@

# (C only: the core and the dataset, not the Lua layer's bytecode.)
$(LIBSIQUN): $(CORE_OBJ)
	rm -f $@ && $(AR) rcs $@ $(CORE_OBJ)

$(LIBSIQUN_LUA): $(CORE_OBJ) $(LUA_OBJ) $(SIQUN_LUA_OBJ) $(BUILD)/sq_lua_embedded.o
	rm -f $@ && $(AR) rcs $@ $^

examples: $(EXAMPLES)/dataset_dump $(EXAMPLES)/host

# C only: the core library, no liblua.
$(EXAMPLES)/dataset_dump: examples/c/dataset_dump.c csrc/siqun.h $(LIBSIQUN)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 $(CSRC_INC) $< $(LIBSIQUN) -o $@

$(EXAMPLES)/host: examples/host/host.c examples/host/host_state.h csrc/siqun_lua.h $(LIBSIQUN_LUA)
	@test -f '$(LUA_A)' || { echo 'no static Lua ($(LUA_A)): install liblua$(LUA_VERSION)-dev' >&2; exit 1; }
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O2 $< $(LIBSIQUN_LUA) $(HOST_LIBS) -o $@

# The threaded host with everything of ours built with -fsanitize=thread
# (Lua and LPeg come from Debian's archives, uninstrumented).  A report
# makes the run exit with 66.
TSAN       = $(BUILD)/tsan
TSAN_FLAGS = -g -O1 -fsanitize=thread
TSAN_OBJ   = $(CORE_SRC:csrc/%.c=$(TSAN)/%.o) $(LUA_SRC:csrc/%.c=$(TSAN)/%.o) \
             $(SIQUN_LUA_SRC:csrc/%.c=$(TSAN)/%.o) $(BUILD_C:%=$(TSAN)/%.o) $(TSAN)/sq_lua_embedded.o

$(TSAN)/%.o: csrc/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(TSAN_FLAGS) -c $< -o $@

$(TSAN)/%.o: $(BUILD)/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(TSAN_FLAGS) -c $< -o $@

$(TSAN)/threads: examples/host/threads.c examples/host/host_state.h $(TSAN_OBJ) $(HEADERS)
	@test -f '$(LUA_A)' || { echo 'no static Lua ($(LUA_A)): install liblua$(LUA_VERSION)-dev' >&2; exit 1; }
	$(CC) $(HOST_CFLAGS) $(TSAN_FLAGS) -pthread $< $(TSAN_OBJ) $(HOST_LIBS) -o $@

tsan: $(TSAN)/threads
	TSAN_OPTIONS='halt_on_error=1 exitcode=66' $(TSAN)/threads examples/host/work.lua
