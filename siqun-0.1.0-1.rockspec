rockspec_format = "3.0"
package = "siqun"
version = "0.1.0-1"
source = {
   url = "git+file:///siqun", -- no public release yet: install from a checkout with `luarocks make`
}
description = {
   summary = "One Chinese news article as a queryable Lua dataset, with a Chinese quantity parser",
   detailed = [[
siqun turns the Yunnan Daily article 「情的交融 心的呼应」 (2012-07-01) into an
immutable in-memory dataset held by a C core: sections, statistics with
values derived from their Chinese notation (54.29万本, 近50万名, 35.5亿元),
rules by rank, numbered formulations and their members, people, places and
events, each pointing at its source text by code-point span.
]],
   license = "MIT",
}
dependencies = {
   "lua >= 5.1, < 5.5", -- 5.4 first; 5.3, 5.2, 5.1 and LuaJIT 2.1 (as 5.1) too
   "lpeg >= 1.0",
   "argparse >= 0.6", -- the siqun command's options (siqun.cli)
}
build = {
   type = "make",
   makefile = "Makefile",
   build_target = "all",
   build_variables = {
      CFLAGS = "$(CFLAGS)",
      LIBFLAG = "$(LIBFLAG)",
      LUA_INCDIR = "$(LUA_INCDIR)",
      LUA = "$(LUA)",
      LUA_LIBDIR = "$(LUA_LIBDIR)", -- the Lua library the siqun command is linked with
      LUALIB = "$(LUALIB)",
   },
   install_target = "install",
   install_variables = {
      LUA_INCDIR = "$(LUA_INCDIR)", -- the Lua version, so the build of that version is installed
      CFLAGS = "$(CFLAGS)", -- as for the build, so the command is not linked again
      LUA_LIBDIR = "$(LUA_LIBDIR)",
      LUALIB = "$(LUALIB)",
      PREFIX = "$(PREFIX)",
      INST_LIBDIR = "$(LIBDIR)",
      INST_LUADIR = "$(LUADIR)",
      INST_BINDIR = "$(BINDIR)",
      SIQUN_INSTALL_C = "no", -- the C library and siqun.pc are for `make install` only
   },
}
test = {
   type = "command",
   command = "make test",
}
