# Hardening: static analysis, the C tests, sanitizers, memcheck,
# allocation failure, fuzzing and coverage.  `make check` runs them all,
# each logged, and ends with the figures (allocation points swept, fuzz
# executions, coverage).  Outputs live under build/asan, build/valgrind,
# build/oom, build/fuzz, build/cov and build/check.
#   make analyze    cppcheck, clang-tidy (.clang-tidy), luacheck, and the
#                   generated sources up to date (make gen-check)
#   make ctest      the C tests of spec/c under ASan+UBSan
#   make asan       the busted suite with core.so under ASan+UBSan
#   make valgrind   the busted suite under valgrind memcheck
#   make oom        allocation-failure sweeps through the Lua binding
#   make fuzz       libFuzzer harnesses, FUZZ_SECONDS each (fuzz/)
#   make coverage   line and branch coverage of csrc/ from the specs
#   make check      all of the above

CLANG        ?= clang-14
CLANG_TIDY   ?= clang-tidy-14
FUZZ_SECONDS ?= 60
CHECK_OUT     = $(BUILD)/check
ASAN_DIR      = $(BUILD)/asan
ASAN_CFLAGS   = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
                -fno-sanitize-recover=undefined
ASAN_OBJ      = $(CORE_SRC:csrc/%.c=$(ASAN_DIR)/%.o) $(LUA_SRC:csrc/%.c=$(ASAN_DIR)/%.o) \
                $(BUILD_C:%=$(ASAN_DIR)/%.o)
# busted under Lua 5.4 with the instrumented module: prove runs each spec
# file through `env LD_PRELOAD=... lua5.4 busted`, so prove (perl) is not
# instrumented (prove splits --exec on blanks: no quotes, ':' in
# LD_PRELOAD).  spec/helper/sanitize.lua strips LD_PRELOAD from the
# commands the specs run (make, a compiler, lua5.4 bin/siqun ...): those
# subprocesses use the normal build (build/?.so), not the sanitized one.
SPEC_BUSTED = $(LUA) $(BUSTED) --ignore-lua -o TAP --helper=spec/helper/sanitize.lua
ASAN_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_string_checks=1 \
           UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
           LSAN_OPTIONS=suppressions=$(CURDIR)/spec/helper/lsan.supp:print_suppressions=0 \
           SIQUN_SANITIZE=asan SIQUN_SLOW=5

# The object rules of a build of core.so with other flags (asan, valgrind,
# coverage): $(1) its directory, $(2) its flags.
define VARIANT_OBJECTS
$(1)/%.o: csrc/%.c $$(HEADERS)
	@mkdir -p $$(@D)
	$$(CC) $$(MYCFLAGS) $(2) -c $$< -o $$@

$$(BUILD_C:%=$(1)/%.o): $(1)/%.o: $$(BUILD)/%.c $$(HEADERS)
	@mkdir -p $$(@D)
	$$(CC) $$(MYCFLAGS) $(2) -c $$< -o $$@
endef

# The generated C of the binding (the Lua layer's bytecode), for the C
# tests that link the binding.
LAYER_C = $(BUILD)/sq_layer_bc.c

# The quantity parser and scanner alone (the C tests that need no dataset).
QUANTITY_SRC = $(filter csrc/quantity/%,$(CORE_SRC))
# The include flags for a compiler run from another directory (coverage).
CSRC_INC_ABS = $(addprefix -I$(CURDIR)/,$(CSRC_DIRS))

.PHONY: ctest

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
ctest: $(BUILD)/sq_embedded.c $(LAYER_C)
	$(CC) $(WARN) $(SANITIZE) $(CSRC_INC) spec/c/quantity_test.c $(QUANTITY_SRC) \
	  -o $(BUILD)/quantity_test
	$(BUILD)/quantity_test
	$(CC) $(WARN) $(SANITIZE) $(CSRC_INC) -I$(BUILD) spec/c/dataset_test.c $(CORE_SRC) \
	  $(BUILD)/sq_embedded.c -o $(BUILD)/dataset_test
	$(BUILD)/dataset_test spec/fixtures/valid
	$(CC) $(WARN) $(SANITIZE) $(CSRC_INC) -I$(BUILD) -I$(LUA_INCDIR) spec/c/lua_oom_test.c \
	  $(CORE_SRC) $(LUA_SRC) $(BUILD)/sq_embedded.c $(LAYER_C) -llua$(LUA_VERSION) -lm -o $(BUILD)/lua_oom_test
	$(BUILD)/lua_oom_test
	$(CC) $(WARN) $(SANITIZE) -Icsrc/cli -I$(LUA_INCDIR) spec/c/cli_alloc_test.c \
	  csrc/cli/sq_cli_alloc.c -llua$(LUA_VERSION) -lm -o $(BUILD)/cli_alloc_test
	$(BUILD)/cli_alloc_test
	$(CC) $(WARN) $(SANITIZE) $(CSRC_INC) -I$(BUILD) bench/quantity_c.c $(CORE_SRC) $(BUILD)/sq_embedded.c \
	  -lm -o $(BUILD)/quantity_check
	$(BUILD)/quantity_check bench/expressions.txt check
	@for h in $(FUZZ_NAMES); do \
	  init=; [ $$h = load ] && init=-DREPLAY_INIT; \
	  $(CC) $(filter-out -Wmissing-prototypes,$(WARN)) $(SANITIZE) $$init $(CSRC_INC) -I$(BUILD) \
	    fuzz/replay.c fuzz/$${h}_fuzz.c $(CORE_SRC) $(BUILD)/sq_embedded.c -lm \
	    -o $(BUILD)/replay_$$h || exit 1; \
	  $(BUILD)/replay_$$h fuzz/corpus/$$h > $(BUILD)/replay_$$h.log 2>&1 \
	    || { tail -n 40 $(BUILD)/replay_$$h.log; exit 1; }; \
	  echo "fuzz corpus $$h: $$(tail -n 1 $(BUILD)/replay_$$h.log)"; \
	done

.PHONY: asan valgrind oom fuzz coverage analyze check

$(eval $(call VARIANT_OBJECTS,$(ASAN_DIR),$$(ASAN_CFLAGS)))

$(ASAN_DIR)/siqun/core.so: $(ASAN_OBJ)
	@mkdir -p $(@D)
	$(CC) $(ASAN_CFLAGS) -shared -o $@ $(ASAN_OBJ)

# The C API misused (NULL, out of range, tiny buffers) under the same flags.
$(ASAN_DIR)/api_test: spec/c/api_test.c $(CORE_SRC) $(HEADERS) $(BUILD)/sq_embedded.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(ASAN_CFLAGS) $(CSRC_INC) -I$(BUILD) $< $(CORE_SRC) $(BUILD)/sq_embedded.c -lm -o $@

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
VG_OBJ = $(CORE_SRC:csrc/%.c=$(VG_DIR)/%.o) $(LUA_SRC:csrc/%.c=$(VG_DIR)/%.o) $(BUILD_C:%=$(VG_DIR)/%.o)
# (add --track-origins=yes when chasing an uninitialised value: twice slower)
VALGRIND = env SIQUN_SANITIZE=valgrind SIQUN_SLOW=40 valgrind -q --keep-debuginfo=yes \
           --leak-check=full --errors-for-leak-kinds=definite,possible --error-exitcode=1 \
           --suppressions=$(CURDIR)/spec/helper/valgrind.supp

$(eval $(call VARIANT_OBJECTS,$(VG_DIR),-g -O1))

$(VG_DIR)/siqun/core.so: $(VG_OBJ)
	@mkdir -p $(@D)
	$(CC) -g -shared -o $@ $(VG_OBJ)

VG_SKIP  = scan cli cli_query embed install lighttpd examples readme copyright html launcher
VG_SPECS = $(filter-out $(VG_SKIP:%=spec/%_spec.lua),$(wildcard spec/*_spec.lua))

valgrind: $(CORE_SO) $(VG_DIR)/siqun/core.so
	prove -j2 --exec '$(VALGRIND) $(SPEC_BUSTED) --cpath=$(VG_DIR)/?.so' $(VG_SPECS)

# Allocation-failure sweeps through the Lua API (spec/c/oom_sweep.c), under
# ASan+UBSan; arena blocks of 4 KB (the C loader's own sweeps over 256-byte
# blocks are in ctest).
OOM_DIR    = $(BUILD)/oom
OOM_CFLAGS = -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined \
             -DSQ_ARENA_BLOCK=4096

$(OOM_DIR)/oom_sweep: spec/c/oom_sweep.c $(CORE_SRC) $(LUA_SRC) $(HEADERS) $(BUILD)/sq_embedded.c $(LAYER_C)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(OOM_CFLAGS) $(CSRC_INC) -I$(BUILD) -I$(LUA_INCDIR) spec/c/oom_sweep.c \
	  $(CORE_SRC) $(LUA_SRC) $(BUILD)/sq_embedded.c $(LAYER_C) -Wl,-E -llua$(LUA_VERSION) -lm -o $@

oom: $(OOM_DIR)/oom_sweep
	$(OOM_DIR)/oom_sweep

# libFuzzer harnesses (fuzz/*.c) with clang-14, ASan+UBSan; seeds in
# fuzz/corpus/<name> (regenerated by fuzz/make_corpus.lua), work corpora and
# crash files in build/fuzz.  FUZZ_SECONDS=0 only replays the seeds.
FUZZ_DIR     = $(BUILD)/fuzz
FUZZ_NAMES   = csv load quantity scan
FUZZ_CFLAGS  = $(filter-out -Werror,$(WARN)) -g -O1 -fsanitize=fuzzer,address,undefined \
               -fno-sanitize-recover=undefined -DSQ_ARENA_BLOCK=1024 $(CSRC_INC) -I$(BUILD)

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
COV_OBJ = $(CORE_SRC:csrc/%.c=$(COV_DIR)/%.o) $(LUA_SRC:csrc/%.c=$(COV_DIR)/%.o) $(BUILD_C:%=$(COV_DIR)/%.o)
COV_FLAGS = -O0 -g --coverage
GCOVR = gcovr --root . --filter 'csrc/' --exclude 'csrc/tools/' --exclude-unreachable-branches \
        --exclude-throw-branches

$(eval $(call VARIANT_OBJECTS,$(COV_DIR),$$(COV_FLAGS)))

$(COV_DIR)/siqun/core.so: $(COV_OBJ)
	@mkdir -p $(@D)
	$(CC) --coverage -shared -o $@ $(COV_OBJ)

coverage: $(CORE_SO) $(COV_DIR)/siqun/core.so $(BUILD)/sq_embedded.c $(LAYER_C)
	find $(COV_DIR) -name '*.gcda' -delete
	prove --exec '$(SPEC_BUSTED) --cpath=$(COV_DIR)/?.so' spec/*_spec.lua > $(COV_DIR)/specs.log 2>&1 \
	  || { tail -40 $(COV_DIR)/specs.log; exit 1; }; tail -3 $(COV_DIR)/specs.log
	@mkdir -p $(COV_DIR)/tests
	cd $(COV_DIR)/tests && $(CC) $(WARN) $(COV_FLAGS) $(CSRC_INC_ABS) \
	  $(CURDIR)/spec/c/quantity_test.c $(addprefix $(CURDIR)/,$(QUANTITY_SRC) $(filter %/sq_utf8.c,$(CORE_SRC))) \
	  -o quantity_test && ./quantity_test > /dev/null
	cd $(COV_DIR)/tests && $(CC) $(WARN) $(COV_FLAGS) -DSQ_ARENA_BLOCK=256 $(CSRC_INC_ABS) -I$(CURDIR)/$(BUILD) \
	  $(CURDIR)/spec/c/dataset_test.c $(addprefix $(CURDIR)/,$(CORE_SRC)) $(CURDIR)/$(BUILD)/sq_embedded.c \
	  -o dataset_test && ./dataset_test $(CURDIR)/spec/fixtures/valid > /dev/null
	cd $(COV_DIR)/tests && $(CC) $(WARN) $(COV_FLAGS) $(CSRC_INC_ABS) -I$(CURDIR)/$(BUILD) \
	  $(CURDIR)/spec/c/api_test.c $(addprefix $(CURDIR)/,$(CORE_SRC)) $(CURDIR)/$(BUILD)/sq_embedded.c \
	  -o api_test && ./api_test $(CURDIR)/spec/fixtures/valid > /dev/null
	cd $(COV_DIR)/tests && $(CC) $(WARN) $(COV_FLAGS) $(CSRC_INC_ABS) -I$(CURDIR)/$(BUILD) -I$(LUA_INCDIR) \
	  $(CURDIR)/spec/c/lua_oom_test.c $(addprefix $(CURDIR)/,$(CORE_SRC) $(LUA_SRC) $(BUILD)/sq_embedded.c $(LAYER_C)) \
	  -llua$(LUA_VERSION) -lm -o lua_oom_test
	$(COV_DIR)/tests/lua_oom_test > /dev/null
	cd $(COV_DIR)/tests && $(CC) $(WARN) $(COV_FLAGS) $(CSRC_INC_ABS) -I$(CURDIR)/$(BUILD) \
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
                 $(CSRC_INC) -I$(BUILD) --suppress=missingIncludeSystem --suppress=missingInclude
TIDY_FILES = $(C_FILES) $(wildcard fuzz/*.c)

analyze: $(BUILD)/sq_embedded.c gen-check
	cppcheck $(CPPCHECK_FLAGS) $(C_FILES) $(wildcard spec/c/*.c fuzz/*.c examples/c/*.c)
	@echo "clang-tidy: $(words $(TIDY_FILES)) files"; \
	printf '%s\n' $(TIDY_FILES) | xargs -P2 -I{} sh -c '$(CLANG_TIDY) --quiet {} -- -std=c99 \
	  $(CSRC_INC) -I$(BUILD) -I$(LUA_INCDIR) > $(BUILD)/tidy.$$$$.log 2>&1 \
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
