/*
 * lsq.h -- internal header shared by the Lua binding files (lsq_*.c).
 * Each binding file registers its functions into the module table that
 * luaopen_siqun_core (lsq_core.c) is building, at the top of the stack.
 */
#ifndef LSQ_H
#define LSQ_H

#include <lua.h>
#include <lauxlib.h>

/* Lua 5.1 to 5.4 and LuaJIT: the binding is written against 5.4, and this
   header supplies the 5.4 API on the older ones (it #errors below 5.1). */
#include "lsq_compat.h"

/* Adds quantity(text) and scan(text [, init]) to the table on top of the stack. */
void sq_open_quantity(lua_State *L);
/* Adds the dataset functions and metatables to the table on top of the stack. */
void sq_open_dataset(lua_State *L);
/* Adds the table files (lsq_file.c: writing and reading a user's files). */
void sq_open_file(lua_State *L);

#endif
