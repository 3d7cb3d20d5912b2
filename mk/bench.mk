# Benchmarks: `make bench` (siqun against cjson, dkjson, a Lua table file,
# plain Lua loops, utf8.len and npm's Chinese number converters; one BENCH
# line per comparison), `make bench-callgrind` (instruction counts of the C
# parser and loader) and `make bench-check` (the quantity parser's
# differential check).  Not part of `make test`: nothing here fails on a
# timing.  See bench/README.md.  Inputs in bench/, outputs in build/bench/.

BENCH_OUT    = $(BUILD)/bench
BENCH_CFLAGS = $(WARN) -O2 $(CSRC_INC) -I$(LUA_INCDIR)
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
$(BENCH_OUT)/floor.so: bench/floor.c $(HEADERS) $(CORE_OBJ)
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

# `make bench`'s cli comparison runs the command as installed: into
# build/bench/cli/ (bench/pair_cli.lua).
CLI_BENCH_PREFIX = $(CURDIR)/$(BENCH_OUT)/cli
bench: $(BENCH_OUT)/cli/bin/siqun
bench: BENCH_ENV += BENCH_CLI='$(CLI_BENCH_PREFIX)/bin/siqun'

$(BENCH_OUT)/cli/bin/siqun: $(CLI_BIN) $(CORE_SO) $(LAYER_FILES)
	@$(MAKE) --no-print-directory install PREFIX='$(CLI_BENCH_PREFIX)' SIQUN_INSTALL_C=no > /dev/null
