# The specs (make test), the command on the embedded article (make
# summary), the stress run (make stress) and luacheck (make lint).

.PHONY: test summary stress lint

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

# 10 MB of random bytes and of random CJK through scan and quantity: ends,
# and grows linearly (reported as a ratio to the 1 MB run).
stress: $(CORE_SO)
	LUA_PATH_5_4='lua/?.lua;lua/?/init.lua;;' LUA_CPATH_5_4='$(BUILD)/?.so;;' $(LUA) bench/stress.lua

lint:
	luacheck --std lua54 lua bin/siqun spec bench examples
