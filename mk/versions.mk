# Lua versions: the module built against the headers of Lua 5.1, 5.2, 5.3
# and LuaJIT 2.1 as well as 5.4 (csrc/lua/lsq_compat.h, and
# lua/siqun/compat.lua for the Lua layer), and the whole spec suite under
# each interpreter with Debian's busted and LPeg for it.
#   make LUA_VERSION=5.3          build/5.3/siqun/core.so (jit: build/jit/)
#   make test LUA_VERSION=jit     the suite under luajit
#   make test-versions            the suite under each of TEST_VERSIONS, one
#                                 line per version, logs in build/versions/
# About two minutes on two cores; CI runs it (.ci/run).

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
