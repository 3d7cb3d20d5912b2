/*
 * lsq.h -- internal header shared by the Lua binding files (lsq_*.c).
 * Each binding file registers its functions into the module table that
 * luaopen_siqun_core (lsq_core.c) is building, at the top of the stack.
 */
#ifndef LSQ_H
#define LSQ_H

#include <string.h>

#include <lua.h>
#include <lauxlib.h>

/* Lua 5.1 to 5.4 and LuaJIT: the binding is written against 5.4, and this
   header supplies the 5.4 API on the older ones (it #errors below 5.1). */
#include "lsq_compat.h"

/* The type check of every userdata of the binding (Dataset, Table, Record,
   Quantity, FileStream, TempFile).  Each begins with a pointer to its type's lsq_type, a static
   descriptor: a full userdata at least t->size bytes long whose first
   pointer is t was made by us as a t (Lua code cannot write into a
   userdata), whatever metatable debug.setmetatable has put on it since
   (luaL_checkudata trusts the metatable).  The size is checked first, so
   the pointer is read inside the block (a newproxy userdata has none, and
   a light userdata, whose "block" lua_touserdata also gives, has length
   0 for lua_rawlen: lua_type need not be asked). */
typedef struct lsq_type {
  const char *name; /* the metatable's name: "siqun.Record" */
  size_t size;      /* the least size of one (a Quantity's unit follows it) */
} lsq_type;

/* The userdata at i when it is a t, else NULL. */
static inline void *lsq_toobject(lua_State *L, int i, const lsq_type *t) {
  void *p = lua_touserdata(L, i);
  if (p == NULL || lua_rawlen(L, i) < t->size) return NULL;
  return *(const lsq_type *const *)p == t ? p : NULL;
}

/* Raises "bad argument #i to 'f' (<t> expected, got <type>)", naming the
   type as lauxlib does, except that a value wearing a metatable of the
   name expected (debug.setmetatable) is named by its Lua type: "got
   userdata", not "got <t>". */
static inline int lsq_objecterror(lua_State *L, int i, const lsq_type *t) {
  if (luaL_getmetafield(L, i, "__name")) {
    int same = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), t->name) == 0;
    lua_pop(L, 1);
    if (same)
      return luaL_argerror(L, i, lua_pushfstring(L, "%s expected, got %s", t->name,
                                                 luaL_typename(L, i)));
  }
  return luaL_typeerror(L, i, t->name);
}

/* The userdata at i when it is a t; raises otherwise. */
static inline void *lsq_checkobject(lua_State *L, int i, const lsq_type *t) {
  void *p = lsq_toobject(L, i, t);
  if (p == NULL) lsq_objecterror(L, i, t);
  return p;
}

/* Sets __metatable on the metatable at the top of the stack: getmetatable
   (without the debug library) then returns the type's name, never the
   table, so no Lua code can change what every object of the type does. */
static inline void lsq_protect(lua_State *L, const char *name) {
  lua_pushstring(L, name);
  lua_setfield(L, -2, "__metatable");
}

/* The types of the binding's userdata (lsq_dataset.c, lsq_table.c,
   lsq_record.c, lsq_quantity.c, lsq_filestream.c, lsq_filetemp.c). */
extern const lsq_type lsq_ds_type, lsq_table_type, lsq_rec_type, lsq_q_type;
extern const lsq_type lsq_stream_type, lsq_temp_type;

/* Adds quantity(text) and scan(text [, init]) to the table on top of the stack. */
void lsq_open_quantity(lua_State *L);
/* Adds the dataset functions and metatables to the table on top of the stack. */
void lsq_open_dataset(lua_State *L);
/* Adds the table files (lsq_files.c: writing and reading a user's files). */
void lsq_open_file(lua_State *L);

#endif
