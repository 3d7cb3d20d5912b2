# What a fresh Debian 12 machine needs, in one list: `make deps` installs
# the missing ones, `make print-deps` lists them.  The README's table of
# packages says the same, group by group (spec/deps_spec.lua checks that
# they agree).

DEBIAN_PACKAGES :=
# Building: the C compiler and make; Lua 5.4, its headers and the static
# liblua5.4.a the command is linked with.
DEBIAN_PACKAGES += build-essential lua5.4 liblua5.4-dev
# LPeg, which the query language is written in, and its static library
# (the command, make static and the example hosts); argparse, the
# command's options.
DEBIAN_PACKAGES += lua-lpeg lua-lpeg-dev lua-argparse
# The SQLite writer (LuaSQL).
DEBIAN_PACKAGES += lua-sql-sqlite3
# The specs: busted, driven by prove (perl); make lint: luacheck.
DEBIAN_PACKAGES += perl lua-busted lua-check
# The install specs: luarocks make --tree, and the C library's siqun.pc.
DEBIAN_PACKAGES += luarocks pkg-config
# Reading back what the writers write (SQLite, JSON); cjson is also a
# benchmark peer.
DEBIAN_PACKAGES += sqlite3 lua-dkjson lua-cjson
# The HTML spec renders every report headless, with Chinese fonts.
DEBIAN_PACKAGES += chromium fonts-noto-cjk
# The lighttpd example's spec (mod_magnet answering queries).
DEBIAN_PACKAGES += lighttpd lighttpd-modules-lua curl
# make test-versions: the specs under every other Lua siqun supports.
DEBIAN_PACKAGES += lua5.1 lua5.2 lua5.3 luajit liblua5.1-0-dev liblua5.2-dev liblua5.3-dev \
                   libluajit-5.1-dev
# make check: coverage, memcheck, static analysis, the sanitizers and the
# libFuzzer harnesses.
DEBIAN_PACKAGES += gcovr valgrind cppcheck clang-14 clang-tidy-14 libclang-rt-14-dev

.PHONY: deps print-deps

# Installs the missing Debian packages (through sudo unless root).
deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  echo "installing:" $$missing; \
	  $$sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q $$missing; \
	fi

# The packages `make deps` installs (the README's table says why each).
print-deps:
	@echo $(sort $(DEBIAN_PACKAGES))
