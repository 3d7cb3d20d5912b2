/*
 * lsq.h -- internal header shared by the Lua binding files (lsq_*.c).
 * Each binding file registers its functions into the module table that
 * luaopen_siqun_core (lsq_core.c) is building, at the top of the stack.
 */
#ifndef LSQ_H
#define LSQ_H

#include <lua.h>
#include <lauxlib.h>

#if !defined(LUA_VERSION_NUM) || LUA_VERSION_NUM < 504
#error "siqun.core needs the Lua 5.4 headers (pass LUA_INCDIR / --lua-version=5.4)"
#endif

/* Adds quantity(text) and scan(text [, init]) to the table on top of the stack. */
void sq_open_quantity(lua_State *L);
/* Adds the dataset functions and metatables to the table on top of the stack. */
void sq_open_dataset(lua_State *L);

#endif
