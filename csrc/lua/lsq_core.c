/*
 * lsq_core.c -- luaopen_siqun_core: the module table of siqun.core, filled
 * by the binding files (lsq_dataset.c, lsq_quantity.c, lsq_files.c).  The only symbol
 * the library exports.  No global is set.
 *
 * core.preload_layer(preload, loaded): the Lua layer precompiled into the
 * module (sq_layer_bc, made at build time by the interpreter the module
 * is for) is put in preload (package.preload) for each module that neither
 * preload nor loaded (package.loaded) has yet, so that siqun/init.lua's
 * require calls skip parsing the sources.  Returns true, or false (and
 * registers nothing) when this interpreter cannot load the bytecode: the
 * sources on package.path are used then.
 *
 * core.open_layer(): what siqun/init.lua does: preload_layer on
 * package.preload and package.loaded unless SIQUN_LUA_SOURCES is set, then
 * require("siqun.facade").facade().  (In C because require reads and
 * compiles init.lua from its source every time: 27,000 instructions of
 * `require "siqun"` for the seven lines it took.)
 *
 * core.type(x): the name of the binding's type of x (lsq.h), or nil.
 */
#include <stdlib.h>
#include <string.h>

#include "lsq.h"
#include "siqun.h"
#include "sq_lua_modules.h"

#if defined(__GNUC__)
#define LSQ_EXPORT __attribute__((visibility("default")))
#else
#define LSQ_EXPORT
#endif

LSQ_EXPORT int luaopen_siqun_core(lua_State *L);

/* package.preload loader: (name, extra) -> the module's value.  A light C
   function (no closure to make for each module): the module is found by
   the name require passes. */
static int load_bytecode(lua_State *L) {
  const sq_lua_module *m = NULL;
  const char *name = lua_tostring(L, 1);
  size_t i;
  for (i = 1; name != NULL && i < sq_layer_nbc; i++) {
    if (strcmp(sq_layer_bc[i].name, name) == 0) {
      m = &sq_layer_bc[i];
      break;
    }
  }
  /* uncovered: require passes the name each loader is registered under;
     only a loader called by hand with another name gets here */
  if (m == NULL)
    return luaL_error(L, "module '%s' is not in siqun.core", name ? name : "?");
  lua_settop(L, 2);
  /* uncovered: the probe in preload_layer has loaded this interpreter's
     bytecode already; only a damaged module file gets here */
  if (luaL_loadbuffer(L, m->src, m->len, m->chunkname) != 0)
    return luaL_error(L, "error loading module '%s' from siqun.core:\n\t%s", m->name,
                      lua_tostring(L, -1));
  lua_insert(L, 1);
  lua_call(L, 2, 1);
  return 1;
}

/* Registers the layer in the tables at 1 (preload) and 2 (loaded):
   pushes true, or false when this interpreter cannot load it. */
static void register_layer(lua_State *L) {
  size_t i;
  /* the probe: a chunk this interpreter cannot load means none will do
     (uncovered by make coverage, which runs 5.4 with its own build: a
     core.so built for Lua 5.1 and loaded by LuaJIT gets here) */
  if (sq_layer_nbc < 2 ||
      luaL_loadbuffer(L, sq_layer_bc[0].src, sq_layer_bc[0].len,
                      sq_layer_bc[0].chunkname) != 0) {
    lua_pushboolean(L, 0);
    return;
  }
  lua_pop(L, 1);
  /* (each name made once: 3: the name, 4: preload[name], 5: loaded[name]) */
  for (i = 1; i < sq_layer_nbc; i++) {
    lua_pushstring(L, sq_layer_bc[i].name);
    lua_pushvalue(L, 3);
    if (lua_gettable(L, 1) == LUA_TNIL) {
      lua_pushvalue(L, 3);
      if (lua_gettable(L, 2) == LUA_TNIL) {
        lua_pushvalue(L, 3);
        lua_pushcfunction(L, load_bytecode);
        lua_settable(L, 1);
      }
    }
    lua_settop(L, 2);
  }
  lua_pushboolean(L, 1);
}

static int preload_layer(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  register_layer(L);
  return 1;
}

/* core.open_layer() -> the facade (see the top of this file).  The
   globals package and require, as init.lua would use them. */
static int open_layer(lua_State *L) {
  lua_settop(L, 0);
  if (getenv("SIQUN_LUA_SOURCES") == NULL) {
    lua_getglobal(L, "package");
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "preload");
    lua_getfield(L, 1, "loaded");
    lua_remove(L, 1);
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checktype(L, 2, LUA_TTABLE);
    register_layer(L);
    lua_settop(L, 0);
  }
  lua_getglobal(L, "require");
  lua_pushliteral(L, "siqun.facade");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "facade");
  lua_call(L, 0, 1);
  return 1;
}

/* core.type(x): "siqun.Dataset", "siqun.Table", "siqun.Record" or
   "siqun.Quantity" when x is one (by its lsq_type, whatever metatable it
   wears), else nil (as io.type and lpeg.type). */
static int l_type(lua_State *L) {
  static const lsq_type *const types[] = { &lsq_rec_type, &lsq_table_type, &lsq_ds_type,
                                           &lsq_q_type, &lsq_stream_type, &lsq_temp_type };
  size_t i;
  for (i = 0; i < sizeof types / sizeof types[0]; i++) {
    if (lsq_toobject(L, 1, types[i]) != NULL) {
      lua_pushstring(L, types[i]->name);
      return 1;
    }
  }
  return 0;
}

int luaopen_siqun_core(lua_State *L) {
  luaL_checkversion(L);
  lua_newtable(L);
  lsq_open_dataset(L);
  lsq_open_quantity(L);
  lua_pushcfunction(L, l_type);
  lua_setfield(L, -2, "type");
  lsq_open_file(L);
  lua_pushcfunction(L, preload_layer);
  lua_setfield(L, -2, "preload_layer");
  lua_pushcfunction(L, open_layer);
  lua_setfield(L, -2, "open_layer");
  lua_pushliteral(L, "siqun.core " SIQUN_VERSION);
  lua_setfield(L, -2, "_VERSION");
  return 1;
}
