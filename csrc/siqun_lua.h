/*
 * siqun_lua.h -- siqun for hosts that embed Lua 5.4 and link siqun
 * statically (build/libsiqun_lua.a, `make static`).
 *
 *   lua_State *L = luaL_newstate();
 *   luaL_openlibs(L);
 *   siqun_openlibs(L);            -- package.preload: siqun.core, siqun, siqun.*
 *   ...  luaL_dostring(L, "local siqun = require 'siqun' ...")
 *
 * siqun's query language needs LPeg ("lpeg"): a host without LPeg on
 * package.cpath preloads its luaopen_lpeg the same way (see
 * examples/host/host.c).  Everything is per lua_State: any number of states,
 * on any number of threads, may call these at once.
 */
#ifndef SIQUN_LUA_H
#define SIQUN_LUA_H

#include <lua.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Opens the C module (what require "siqun.core" returns). */
int luaopen_siqun_core(lua_State *L);

/* Registers siqun.core and every Lua module of siqun compiled into the
   library in package.preload (the registry's LUA_PRELOAD_TABLE, so before
   or after luaL_openlibs alike), replacing entries of the same name.  Loads
   nothing yet: require does, as for modules on disk.  Returns 0 and pushes
   nothing, so it is also a lua_CFunction: call it through lua_pcall to
   catch a memory error instead of raising it. */
int siqun_openlibs(lua_State *L);

#ifdef __cplusplus
}
#endif
#endif /* SIQUN_LUA_H */
