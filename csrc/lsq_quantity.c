/*
 * lsq_quantity.c -- Lua binding of the quantity parser and scanner:
 * core.quantity(text) and core.scan(text [, init]).  Nothing is allocated
 * outside Lua, so an error raised anywhere leaks nothing.
 */
#include "lsq.h"
#include "siqun.h"

/* An integer when integral and below 2^53 in magnitude (where every double
   is exact to the unit), a float otherwise. */
static void push_number(lua_State *L, double v) {
  if (v > -9007199254740992.0 && v < 9007199254740992.0 &&
      (double)(lua_Integer)v == v)
    lua_pushinteger(L, (lua_Integer)v);
  else
    lua_pushnumber(L, v);
}

static void set_int_field(lua_State *L, const char *k, int v) {
  if (v) {
    lua_pushinteger(L, v);
    lua_setfield(L, -2, k);
  }
}

/* Pushes the table describing q; text is the matched source. */
static void push_quantity(lua_State *L, const siqun_quantity *q,
                          const char *text, size_t len) {
  lua_createtable(L, 0, 10);
  lua_pushstring(L, q->kind == SIQUN_Q_DATE ? "date" : "number");
  lua_setfield(L, -2, "kind");
  lua_pushstring(L, siqun_qualifier_name(q->qualifier));
  lua_setfield(L, -2, "qualifier");
  if (q->kind == SIQUN_Q_DATE) {
    set_int_field(L, "year", q->date.year);
    set_int_field(L, "month", q->date.month);
    set_int_field(L, "day", q->date.day);
    if (q->to.year || q->to.month || q->to.day) {
      lua_createtable(L, 0, 3);
      set_int_field(L, "year", q->to.year);
      set_int_field(L, "month", q->to.month);
      set_int_field(L, "day", q->to.day);
      lua_setfield(L, -2, "to");
    }
  } else {
    push_number(L, q->value);
    lua_setfield(L, -2, "value");
    if (q->unit[0]) {
      lua_pushstring(L, q->unit);
      lua_setfield(L, -2, "unit");
    }
    if (q->has_min) {
      push_number(L, q->min);
      lua_setfield(L, -2, "min");
    }
    if (q->has_max) {
      push_number(L, q->max);
      lua_setfield(L, -2, "max");
    }
  }
  lua_pushlstring(L, text, len);
  lua_setfield(L, -2, "text");
}

static const char *check_text(lua_State *L, int arg, size_t *len) {
  if (lua_type(L, arg) != LUA_TSTRING) luaL_typeerror(L, arg, "string");
  return lua_tolstring(L, arg, len);
}

/* core.quantity(text) -> table | nil, message */
static int l_quantity(lua_State *L) {
  size_t len;
  const char *s = check_text(L, 1, &len);
  siqun_quantity q;
  char err[SIQUN_ERRMAX];
  if (siqun_quantity_parse(s, len, &q, err, sizeof err) < 0) {
    luaL_pushfail(L);
    lua_pushstring(L, err);
    return 2;
  }
  push_quantity(L, &q, s, len);
  return 1;
}

/* Upvalues: the text, the 0-based byte position to scan from. */
static int scan_iter(lua_State *L) {
  size_t len;
  const char *s = lua_tolstring(L, lua_upvalueindex(1), &len);
  lua_Integer at = lua_tointeger(L, lua_upvalueindex(2));
  size_t pos;
  siqun_quantity q;
  if (at < 0 || (lua_Unsigned)at >= (lua_Unsigned)len) return 0;
  pos = (size_t)at;
  if (!siqun_scan_next(s, len, &pos, &q)) {
    lua_pushinteger(L, (lua_Integer)len);
    lua_replace(L, lua_upvalueindex(2));
    return 0;
  }
  lua_pushinteger(L, (lua_Integer)pos);
  lua_replace(L, lua_upvalueindex(2));
  push_quantity(L, &q, s + q.start, q.stop - q.start);
  lua_pushinteger(L, (lua_Integer)q.start + 1);
  lua_setfield(L, -2, "start");
  lua_pushinteger(L, (lua_Integer)q.stop);
  lua_setfield(L, -2, "stop");
  return 1;
}

/* core.scan(text [, init]) -> iterator over the quantities of text */
static int l_scan(lua_State *L) {
  size_t len;
  lua_Integer init;
  check_text(L, 1, &len);
  init = luaL_optinteger(L, 2, 1);
  if (init < 0) init = (lua_Integer)len + init + 1; /* as string.find */
  if (init < 1) init = 1;
  if ((lua_Unsigned)init > (lua_Unsigned)len + 1) init = (lua_Integer)len + 1;
  lua_settop(L, 1);
  lua_pushinteger(L, init - 1);
  lua_pushcclosure(L, scan_iter, 2);
  return 1;
}

void sq_open_quantity(lua_State *L) {
  static const luaL_Reg fns[] = {
    {"quantity", l_quantity},
    {"scan", l_scan},
    {NULL, NULL}
  };
  luaL_setfuncs(L, fns, 0);
}
