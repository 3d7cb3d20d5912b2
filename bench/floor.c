/*
 * floor.c -- the `open_floor` side of the open comparison: what opening the
 * embedded dataset could cost at the very least in a fresh lua_State.  It
 * is not siqun's API but a measuring stick: a C module (`require "floor"`,
 * built by `make bench` as build/bench/floor.so, linked with the core's
 * objects, so it is as large as siqun.core) whose open() turns every record
 * of every table into a plain Lua table in one C call: no Lua layer, no
 * read-only records, no laziness, keys made once per table.  A fresh state
 * must still make every string and table the read touches, and cjson does
 * no more than that plus its parse: this side's ratio to cjson bounds what
 * any implementation returning Lua values can reach (bench/README.md).
 *
 *   local t = require("floor").open()   -- { figures = { {id = ..}, .. }, .. }
 */
#include "lauxlib.h"
#include "lua.h"
#include "siqun.h"
/* push_value: a dataset value as a Lua value, by the binding's own rule
   (the same string interning as siqun's reads) */
#include "lsq_userdata.h"

/* fill(box) -> { table name = records } for the dataset in the box. */
static int fill(lua_State *L) {
  const siqun_dataset *ds = *(siqun_dataset **)lua_touserdata(L, 1);
  size_t i, r, c;
  lua_settop(L, 1);
  lua_createtable(L, 0, (int)siqun_ntables(ds)); /* 2 */
  for (i = 0; i < siqun_ntables(ds); i++) {
    const siqun_table *t = siqun_table_at(ds, i);
    size_t nf = siqun_nfields(t), nr = siqun_nrows(t);
    int keys = lua_gettop(L) + 1;
    luaL_checkstack(L, (int)nf + 8, "too many fields");
    for (c = 0; c < nf; c++) lua_pushstring(L, siqun_field_name(t, c));
    lua_createtable(L, (int)nr, 0);
    for (r = 0; r < nr; r++) {
      lua_createtable(L, 0, (int)nf);
      for (c = 0; c < nf; c++) {
        siqun_value v = siqun_cell(t, r, c);
        if (v.type == SIQUN_T_NULL) continue; /* as siqun: nil */
        lua_pushvalue(L, keys + (int)c);
        push_value(L, v);
        lua_rawset(L, -3);
      }
      lua_rawseti(L, -2, (lua_Integer)r + 1);
    }
    lua_setfield(L, 2, siqun_table_name(t));
    lua_settop(L, 2);
  }
  return 1;
}

/* floor.open() -> { table name = array of plain records } */
static int f_open(lua_State *L) {
  siqun_dataset **box;
  char err[SIQUN_ERRMAX];
  int ok;
  /* everything that may raise runs in the protected call, the handle
     closed after it whatever happens */
  box = (siqun_dataset **)lua_newuserdatauv(L, sizeof *box, 0);
  *box = NULL;
  lua_pushcfunction(L, fill);
  lua_pushvalue(L, -2);
  if (siqun_open_embedded(NULL, NULL, box, err, sizeof err) < 0) return luaL_error(L, "%s", err);
  ok = lua_pcall(L, 1, 1, 0);
  siqun_close(*box);
  *box = NULL;
  if (ok != LUA_OK) return lua_error(L);
  return 1;
}

int luaopen_floor(lua_State *L); /* the one exported symbol */

int luaopen_floor(lua_State *L) {
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, f_open);
  lua_setfield(L, -2, "open");
  return 1;
}
