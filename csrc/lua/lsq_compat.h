/*
 * lsq_compat.h -- the Lua 5.4 C API that the binding (lsq_*.c) uses, on
 * Lua 5.1, 5.2, 5.3 and LuaJIT 2.1.  The only place where the Lua version
 * matters in C: the binding is written against 5.4, and below 5.4 this
 * header supplies what is missing, with 5.4's behaviour, as static inline
 * functions (no symbol, no state) and macros that point the 5.4 names at
 * them.  Included by lsq.h after lua.h and lauxlib.h.
 *
 *  - user values: lua_newuserdatauv(L, sz, n) with n > 0 gives the
 *    userdata one table (its 5.2/5.3 user value, its 5.1 environment)
 *    holding [0] = n and [1..n] = the values; lua_getiuservalue and
 *    lua_setiuservalue read and write it, returning LUA_TNONE / 0 for a
 *    slot out of 1..n as 5.4 does.
 *  - integers: on 5.1, 5.2 and LuaJIT every number is a double, so
 *    lua_pushinteger pushes a double (exact up to 2^53, which is all the
 *    core ever pushes).  lua_tointegerx, lua_tointeger, luaL_checkinteger
 *    and luaL_optinteger accept only integral values, as on 5.3+ ("number
 *    has no integer representation"), instead of truncating.
 *  - lua_getfield, lua_gettable, lua_rawget and lua_rawgeti return the type
 *    of the value they push (5.3+).
 *  - "%I" (a lua_Integer) in lua_pushfstring and luaL_error (5.3+).
 *  - luaL_newmetatable sets __name, and luaL_checkudata / luaL_typeerror
 *    name the metatable's __name in their message ("siqun.Dataset expected,
 *    got siqun.Table"), as on 5.4.
 *  - luaL_pushfail, luaL_setfuncs, luaL_newlib, luaL_setmetatable,
 *    luaL_testudata, luaL_buffinitsize / luaL_pushresultsize, lua_absindex,
 *    lua_rawlen, luaL_len, lua_isinteger, luaL_tolstring, lua_Unsigned,
 *    luaL_checkversion (a no-op on 5.1).
 * LuaJIT's headers declare some of the 5.2 functions (luaL_setfuncs,
 * luaL_testudata, lua_tointegerx...); the macros below still point those
 * names at the versions here, so one core.so built against the 5.1 or the
 * LuaJIT headers calls only the Lua 5.1 API and loads in both.
 *
 * Metamethods that do not exist below 5.4 (__close) or 5.2 (__pairs) are
 * harmless entries of a metatable; siqun.compat (Lua) honours __pairs.
 */
#ifndef LSQ_COMPAT_H
#define LSQ_COMPAT_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h> /* (LUA_FILEHANDLE on 5.1 and LuaJIT) */

#if !defined(LUA_VERSION_NUM) || LUA_VERSION_NUM < 501
#error "siqun.core needs the headers of Lua 5.1, 5.2, 5.3, 5.4 or LuaJIT (pass LUA_INCDIR)"
#endif
#if LUA_VERSION_NUM > 504
#error "siqun.core supports Lua 5.1 to 5.4 (and LuaJIT), not this Lua"
#endif

/* ------------------------------------------------------- below 5.4 */
#if LUA_VERSION_NUM < 504

#define luaL_pushfail(L) lua_pushnil(L)

/* Pushes the user-value table of the userdata at idx (absolute). */
static inline void lsq_pushuvtable(lua_State *L, int idx) {
#if LUA_VERSION_NUM == 501
  lua_getfenv(L, idx);
#else
  lua_getuservalue(L, idx);
#endif
}

/* Number of user values of the userdata at idx (absolute): [0] of its table. */
static inline int lsq_nuv(lua_State *L, int idx) {
  int n = 0;
  lsq_pushuvtable(L, idx);
  if (lua_type(L, -1) == LUA_TTABLE) {
    lua_rawgeti(L, -1, 0);
    if (lua_type(L, -1) == LUA_TNUMBER) n = (int)lua_tonumber(L, -1);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return n;
}

static inline void *lsq_newuserdatauv(lua_State *L, size_t sz, int nuv) {
  void *p = lua_newuserdata(L, sz);
  if (nuv > 0) {
    lua_createtable(L, nuv, 1);
    lua_pushinteger(L, nuv);
    lua_rawseti(L, -2, 0);
#if LUA_VERSION_NUM == 501
    lua_setfenv(L, -2);
#else
    lua_setuservalue(L, -2);
#endif
  }
  return p;
}

static inline int lsq_getiuservalue(lua_State *L, int idx, int n) {
  if (idx < 0 && idx > LUA_REGISTRYINDEX) idx = lua_gettop(L) + idx + 1;
  if (lua_type(L, idx) != LUA_TUSERDATA || n < 1 || n > lsq_nuv(L, idx)) {
    lua_pushnil(L);
    return LUA_TNONE;
  }
  lsq_pushuvtable(L, idx);
  lua_rawgeti(L, -1, n);
  lua_remove(L, -2);
  return lua_type(L, -1);
}

/* Pops a value and stores it as user value n of the userdata at idx. */
static inline int lsq_setiuservalue(lua_State *L, int idx, int n) {
  int ok = 0;
  if (idx < 0 && idx > LUA_REGISTRYINDEX) idx = lua_gettop(L) + idx + 1;
  if (lua_type(L, idx) == LUA_TUSERDATA && n >= 1 && n <= lsq_nuv(L, idx)) {
    lsq_pushuvtable(L, idx);
    lua_pushvalue(L, -2);
    lua_rawseti(L, -2, n);
    lua_pop(L, 1);
    ok = 1;
  }
  lua_pop(L, 1);
  return ok;
}

#define lua_newuserdatauv(L, sz, n) lsq_newuserdatauv(L, sz, n)
#define lua_getiuservalue(L, idx, n) lsq_getiuservalue(L, idx, n)
#define lua_setiuservalue(L, idx, n) lsq_setiuservalue(L, idx, n)

/* luaL_typeerror as in 5.4: "T expected, got <__name or type>". */
static inline int lsq_typeerror(lua_State *L, int arg, const char *tname) {
  const char *typearg;
  if (luaL_getmetafield(L, arg, "__name") && lua_type(L, -1) == LUA_TSTRING)
    typearg = lua_tostring(L, -1);
  else if (lua_type(L, arg) == LUA_TLIGHTUSERDATA)
    typearg = "light userdata";
  else
    typearg = luaL_typename(L, arg);
  return luaL_argerror(L, arg, lua_pushfstring(L, "%s expected, got %s", tname, typearg));
}
#define luaL_typeerror(L, arg, tname) lsq_typeerror(L, arg, tname)

#endif /* < 5.4 */

/* ------------------------------------------------------- below 5.3 */
#if LUA_VERSION_NUM < 503

/* lua_Integer is ptrdiff_t here (5.2's lua_Unsigned is only 32 bits). */
typedef size_t lsq_Unsigned;
#define lua_Unsigned lsq_Unsigned

static inline int lsq_getfield(lua_State *L, int idx, const char *k) {
  lua_getfield(L, idx, k);
  return lua_type(L, -1);
}
static inline int lsq_gettable(lua_State *L, int idx) {
  lua_gettable(L, idx);
  return lua_type(L, -1);
}
static inline int lsq_rawget(lua_State *L, int idx) {
  lua_rawget(L, idx);
  return lua_type(L, -1);
}
static inline int lsq_rawgeti(lua_State *L, int idx, lua_Integer n) {
  lua_rawgeti(L, idx, (int)n);
  return lua_type(L, -1);
}
#define lua_getfield(L, idx, k) lsq_getfield(L, idx, k)
#define lua_gettable(L, idx) lsq_gettable(L, idx)
#define lua_rawget(L, idx) lsq_rawget(L, idx)
#define lua_rawgeti(L, idx, n) lsq_rawgeti(L, idx, n)

/* 5.3's integer conversion: integral values in range only. */
static inline lua_Integer lsq_tointegerx(lua_State *L, int idx, int *isnum) {
  lua_Number n;
  int ok = 0;
  lua_Integer i = 0;
  if (lua_isnumber(L, idx)) {
    n = lua_tonumber(L, idx);
    if (n >= -9223372036854775808.0 && n < 9223372036854775808.0 &&
        (lua_Number)(lua_Integer)n == n) {
      i = (lua_Integer)n;
      ok = 1;
    }
  }
  if (isnum) *isnum = ok;
  return i;
}
static inline lua_Integer lsq_checkinteger(lua_State *L, int arg) {
  int ok;
  lua_Integer i = lsq_tointegerx(L, arg, &ok);
  if (!ok) {
    if (lua_isnumber(L, arg)) luaL_argerror(L, arg, "number has no integer representation");
    else luaL_typeerror(L, arg, "number");
  }
  return i;
}
static inline lua_Integer lsq_optinteger(lua_State *L, int arg, lua_Integer def) {
  return lua_isnoneornil(L, arg) ? def : lsq_checkinteger(L, arg);
}
#define lua_tointegerx(L, idx, isnum) lsq_tointegerx(L, idx, isnum)
#undef lua_tointeger
#define lua_tointeger(L, idx) lsq_tointegerx(L, idx, NULL)
#define luaL_checkinteger(L, arg) lsq_checkinteger(L, arg)
#undef luaL_optinteger
#define luaL_optinteger(L, arg, def) lsq_optinteger(L, arg, def)

static inline int lsq_isinteger(lua_State *L, int idx) {
  int ok;
  if (lua_type(L, idx) != LUA_TNUMBER) return 0;
  lsq_tointegerx(L, idx, &ok);
  return ok;
}
#define lua_isinteger(L, idx) lsq_isinteger(L, idx)

/* lua_pushfstring and luaL_error with 5.3's "%I" (a lua_Integer); the
   other options (%s %d %c %f %p %%) go to the native lua_pushfstring. */
static inline const char *lsq_pushvfstring(lua_State *L, const char *fmt, va_list ap) {
  const char *e;
  lua_pushliteral(L, "");
  while ((e = strchr(fmt, '%')) != NULL) {
    lua_pushlstring(L, fmt, (size_t)(e - fmt));
    switch (e[1]) {
      case 's': {
        const char *s = va_arg(ap, const char *);
        lua_pushstring(L, s ? s : "(null)");
        break;
      }
      case 'c': {
        char c = (char)va_arg(ap, int);
        lua_pushlstring(L, &c, 1);
        break;
      }
      case 'd': lua_pushfstring(L, "%d", va_arg(ap, int)); break;
      case 'f': lua_pushfstring(L, "%f", (lua_Number)va_arg(ap, double)); break;
      case 'p': lua_pushfstring(L, "%p", va_arg(ap, void *)); break;
      case 'I': {
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)va_arg(ap, lua_Integer));
        lua_pushstring(L, buf);
        break;
      }
      case '%': lua_pushliteral(L, "%"); break;
      default: lua_pushlstring(L, e, e[1] ? 2 : 1); break;
    }
    lua_concat(L, 3);
    fmt = e + (e[1] ? 2 : 1);
  }
  lua_pushstring(L, fmt);
  lua_concat(L, 2);
  return lua_tostring(L, -1);
}
static inline const char *lsq_pushfstring(lua_State *L, const char *fmt, ...) {
  const char *s;
  va_list ap;
  va_start(ap, fmt);
  s = lsq_pushvfstring(L, fmt, ap);
  va_end(ap);
  return s;
}
static inline int lsq_error(lua_State *L, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  luaL_where(L, 1);
  lsq_pushvfstring(L, fmt, ap);
  va_end(ap);
  lua_concat(L, 2);
  return lua_error(L);
}
#define lua_pushfstring lsq_pushfstring
#define lua_pushvfstring lsq_pushvfstring
#define luaL_error lsq_error

/* luaL_newmetatable with __name; luaL_checkudata naming it. */
static inline int lsq_newmetatable(lua_State *L, const char *tname) {
  if (!luaL_newmetatable(L, tname)) return 0;
  lua_pushstring(L, tname);
  lua_setfield(L, -2, "__name");
  return 1;
}
#define luaL_newmetatable(L, tname) lsq_newmetatable(L, tname)

#endif /* < 5.3 */

/* ------------------------------------------------------- 5.1, LuaJIT */
#if LUA_VERSION_NUM == 501

#define luaL_checkversion(L) ((void)(L))

static inline int lsq_absindex(lua_State *L, int idx) {
  return (idx > 0 || idx <= LUA_REGISTRYINDEX) ? idx : lua_gettop(L) + idx + 1;
}
#define lua_absindex(L, idx) lsq_absindex(L, idx)

#define lua_rawlen(L, idx) lua_objlen(L, idx)

static inline void lsq_setfuncs(lua_State *L, const luaL_Reg *l, int nup) {
  luaL_checkstack(L, nup + 1, "too many upvalues");
  for (; l->name != NULL; l++) {
    int i;
    for (i = 0; i < nup; i++) lua_pushvalue(L, -nup);
    lua_pushcclosure(L, l->func, nup);
    lua_setfield(L, -(nup + 2), l->name);
  }
  lua_pop(L, nup);
}
#define luaL_setfuncs(L, l, nup) lsq_setfuncs(L, l, nup)
#undef luaL_newlib
#define luaL_newlib(L, l) (lua_newtable(L), lsq_setfuncs(L, l, 0))

static inline void lsq_setmetatable(lua_State *L, const char *tname) {
  luaL_getmetatable(L, tname);
  lua_setmetatable(L, -2);
}
#define luaL_setmetatable(L, tname) lsq_setmetatable(L, tname)

static inline void *lsq_testudata(lua_State *L, int ud, const char *tname) {
  void *p = lua_touserdata(L, ud);
  if (p != NULL && lua_getmetatable(L, ud)) {
    luaL_getmetatable(L, tname);
    if (!lua_rawequal(L, -1, -2)) p = NULL;
    lua_pop(L, 2);
    return p;
  }
  return NULL;
}
#define luaL_testudata(L, ud, tname) lsq_testudata(L, ud, tname)

/* luaL_buffinitsize: the bytes live in a userdata on the stack until
   luaL_pushresultsize replaces it with the string. */
static inline char *lsq_buffinitsize(lua_State *L, luaL_Buffer *B, size_t sz) {
  luaL_buffinit(L, B);
  return (char *)lua_newuserdata(L, sz ? sz : 1);
}
static inline void lsq_pushresultsize(luaL_Buffer *B, size_t sz) {
  lua_State *L = B->L;
  lua_pushlstring(L, (const char *)lua_touserdata(L, -1), sz);
  lua_remove(L, -2);
}
#define luaL_buffinitsize(L, B, sz) lsq_buffinitsize(L, B, sz)
#define luaL_pushresultsize(B, sz) lsq_pushresultsize(B, sz)

/* luaL_len honouring __len (5.1 ignores it on tables). */
static inline lua_Integer lsq_len(lua_State *L, int idx) {
  lua_Integer n;
  int ok;
  idx = lsq_absindex(L, idx);
  if (luaL_callmeta(L, idx, "__len")) {
    n = lsq_tointegerx(L, -1, &ok);
    lua_pop(L, 1);
    if (!ok) luaL_error(L, "object length is not an integer");
    return n;
  }
  return (lua_Integer)lua_objlen(L, idx);
}
#define luaL_len(L, idx) lsq_len(L, idx)

/* luaL_tolstring as in 5.2+: __tostring, __name, or the type and address. */
static inline const char *lsq_tolstring(lua_State *L, int idx, size_t *len) {
  idx = lsq_absindex(L, idx);
  if (luaL_callmeta(L, idx, "__tostring")) {
    if (!lua_isstring(L, -1)) luaL_error(L, "'__tostring' must return a string");
  } else {
    switch (lua_type(L, idx)) {
      case LUA_TNUMBER:
      case LUA_TSTRING: lua_pushvalue(L, idx); break;
      case LUA_TBOOLEAN: lua_pushstring(L, lua_toboolean(L, idx) ? "true" : "false"); break;
      case LUA_TNIL: lua_pushliteral(L, "nil"); break;
      default: {
        const char *kind = luaL_typename(L, idx);
        if (luaL_getmetafield(L, idx, "__name") && lua_type(L, -1) == LUA_TSTRING) {
          kind = lua_tostring(L, -1);
          lua_pushfstring(L, "%s: %p", kind, lua_topointer(L, idx));
          lua_remove(L, -2);
        } else {
          lua_pushfstring(L, "%s: %p", kind, lua_topointer(L, idx));
        }
      }
    }
  }
  return lua_tolstring(L, -1, len);
}
#define luaL_tolstring(L, idx, len) lsq_tolstring(L, idx, len)

#endif /* 5.1 */

/* luaL_checkudata with the 5.4 message, on 5.1 and 5.2 (5.3's names
   __name already).  After the 5.1 luaL_testudata above. */
#if LUA_VERSION_NUM < 503
static inline void *lsq_checkudata(lua_State *L, int ud, const char *tname) {
  void *p = luaL_testudata(L, ud, tname);
  if (p == NULL) lsq_typeerror(L, ud, tname);
  return p;
}
#define luaL_checkudata(L, ud, tname) lsq_checkudata(L, ud, tname)
#endif

/* The FILE of the Lua file handle (io.stdout, io.open's) at idx, NULL
   once it is closed; raises "file expected" for anything else.  5.2+
   keep a luaL_Stream, 5.1 and LuaJIT a FILE * first. */
static inline FILE *lsq_checkfile(lua_State *L, int idx) {
#if LUA_VERSION_NUM >= 502
  luaL_Stream *p = (luaL_Stream *)luaL_testudata(L, idx, LUA_FILEHANDLE);
  if (p == NULL) {
    luaL_typeerror(L, idx, "file");
    return NULL; /* uncovered: not reached (luaL_typeerror raises) */
  }
  return p->closef != NULL ? p->f : NULL;
#else
  FILE **p = (FILE **)luaL_testudata(L, idx, LUA_FILEHANDLE);
  if (p == NULL) {
    luaL_typeerror(L, idx, "file");
    return NULL; /* uncovered: not reached (luaL_typeerror raises) */
  }
  return *p;
#endif
}

#endif
