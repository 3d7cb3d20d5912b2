/*
 * host.c -- a program that embeds Lua 5.4 and siqun statically and runs the
 * Lua script given on its command line.  It needs no file on disk besides
 * that script: siqun's C core, its Lua modules and the dataset are in
 * build/libsiqun_lua.a (siqun_openlibs), Lua in liblua5.4.a and LPeg in
 * Debian's liblua5.4-lpeg.a (lua-lpeg-dev), and package.path and
 * package.cpath are emptied so that nothing else is looked for.
 *
 *   make static                      # build/libsiqun_lua.a
 *   make build/examples/host         # this program
 *   build/examples/host script.lua [args...]
 *
 * As in lua.c, the script's arguments are in the global table arg (arg[0]
 * is the script) and in ...; an error prints a traceback and exits with 1.
 * Built with -DSQ_HOST_NO_LPEG where the static LPeg is missing: then
 * require "lpeg" fails, and so does siqun's query language.
 */
#include <stdio.h>
#include <stdlib.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "host_state.h"

/* Message handler: the error with a traceback. */
static int traceback(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

/* Runs in protected mode: (argc, argv) as light userdata/integer. */
static int pmain(lua_State *L) {
  int argc = (int)lua_tointeger(L, 1);
  char **argv = (char **)lua_touserdata(L, 2);
  int i, base;
  host_openlibs(L); /* siqun and LPeg, nothing from disk (host_state.h) */
  /* arg, as lua.c builds it */
  lua_createtable(L, argc - 2, 1);
  for (i = 1; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - 1);
  }
  lua_setglobal(L, "arg");
  lua_pushcfunction(L, traceback);
  base = lua_gettop(L);
  if (luaL_loadfilex(L, argv[1], "t") != LUA_OK) return lua_error(L);
  for (i = 2; i < argc; i++) lua_pushstring(L, argv[i]);
  if (lua_pcall(L, argc - 2, 0, base) != LUA_OK) return lua_error(L);
  return 0;
}

int main(int argc, char **argv) {
  lua_State *L;
  int rc;
  if (argc < 2) {
    fprintf(stderr, "usage: %s script.lua [args...]\n", argv[0]);
    return 2;
  }
  L = luaL_newstate();
  if (L == NULL) {
    fprintf(stderr, "%s: cannot create a Lua state: not enough memory\n", argv[0]);
    return 1;
  }
  lua_pushcfunction(L, pmain);
  lua_pushinteger(L, argc);
  lua_pushlightuserdata(L, argv);
  rc = lua_pcall(L, 2, 0, 0);
  if (rc != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "%s: %s\n", argv[0], msg ? msg : "(error object is not a string)");
  }
  lua_close(L);
  return rc == LUA_OK ? 0 : 1;
}
