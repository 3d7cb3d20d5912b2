/*
 * host_state.h -- the Lua state both example hosts give a script (host.c,
 * and each thread of threads.c): Lua's standard libraries, siqun and LPeg
 * linked in statically and answered from package.preload, and
 * package.path and package.cpath emptied so that nothing is looked for on
 * disk.  With -DSQ_HOST_NO_LPEG (no static LPeg) require "lpeg" fails.
 */
#ifndef HOST_STATE_H
#define HOST_STATE_H

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "siqun_lua.h"

#ifndef SQ_HOST_NO_LPEG
int luaopen_lpeg(lua_State *L); /* Debian: <lua-lpeg.h>, liblua5.4-lpeg.a */
#endif

/* Sets L up as above; raises on an error, so call it in protected mode. */
static void host_openlibs(lua_State *L) {
  luaL_openlibs(L);
  lua_pushcfunction(L, siqun_openlibs);
  lua_call(L, 0, 0);
#ifndef SQ_HOST_NO_LPEG
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_lpeg);
  lua_setfield(L, -2, "lpeg");
  lua_pop(L, 1);
#endif
  /* Nothing from disk: only package.preload (and package.loaded) answer. */
  lua_getglobal(L, "package");
  lua_pushliteral(L, "");
  lua_setfield(L, -2, "path");
  lua_pushliteral(L, "");
  lua_setfield(L, -2, "cpath");
  lua_pop(L, 1);
}

#endif
