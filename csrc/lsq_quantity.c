/*
 * lsq_quantity.c -- Lua binding of the quantity parser and scanner:
 * core.quantity(text) and core.scan(text [, init]).  Nothing is allocated
 * outside Lua, so an error raised anywhere leaks nothing.
 *
 * A result is a plain table, made with one lua_createtable of the exact
 * size.  Its keys and the strings it takes its values from ("number",
 * "exact" ...) are made once, when the module opens, and kept as upvalues
 * of the functions (STR below): filling a table is then a copy of an
 * upvalue and a raw set per field, with no string to hash or intern.
 */
#include <string.h>

#include "lsq.h"
#include "siqun.h"

/* The strings kept as upvalues, in this order (S_* - 1 is the index). */
enum {
  S_KIND = 1, S_QUALIFIER, S_VALUE, S_UNIT, S_MIN, S_MAX, S_TEXT, S_YEAR,
  S_MONTH, S_DAY, S_TO, S_START, S_STOP, S_NUMBER, S_DATE,
  S_QUAL0, /* the qualifier names, SIQUN_EXACT .. SIQUN_RANGE */
  NSTR = S_QUAL0 + SIQUN_RANGE
};

static const char *const STR[NSTR] = {
  "kind", "qualifier", "value", "unit", "min", "max", "text", "year",
  "month", "day", "to", "start", "stop", "number", "date",
  "exact", "approx", "nearly", "over", "at_least", "at_most", "under", "range"
};

/* The upvalue of string k of a C function whose strings follow `base`
   other upvalues. */
#define UPSTR(base, k) lua_upvalueindex((base) + (k))
/* After the strings: a table of the unit strings met so far (UCACHE slots,
   direct-mapped by a hash of the bytes), shared by the functions of one
   module instance.  A unit comes from a short list (the unit table and a
   few composed words), so the string of a result is nearly always there:
   no hashing and interning of the unit for each result. */
#define UPCACHE(base) lua_upvalueindex((base) + NSTR + 1)
#define UCACHE 64

/* An integer when integral and below 2^53 in magnitude (where every double
   is exact to the unit), a float otherwise. */
static void push_number(lua_State *L, double v) {
  if (v > -9007199254740992.0 && v < 9007199254740992.0 &&
      (double)(lua_Integer)v == v)
    lua_pushinteger(L, (lua_Integer)v);
  else
    lua_pushnumber(L, v);
}

/* Pushes the unit u (not empty) as a string, from the cache when it is
   there (the same bytes), else made and put in its slot. */
static void push_unit(lua_State *L, int base, const char *u) {
  size_t n = strlen(u), m;
  const char *c;
  /* the last bytes tell most units apart: 张 名 人次 个月 ... */
  lua_Integer slot = (lua_Integer)(((unsigned char)u[n - 1] * 7u +
                                    (unsigned char)u[n > 1 ? n - 2 : 0] + (unsigned)n) %
                                   UCACHE) + 1;
  if (lua_rawgeti(L, UPCACHE(base), slot) == LUA_TSTRING) {
    c = lua_tolstring(L, -1, &m);
    if (m == n && memcmp(c, u, n) == 0) return;
  }
  lua_pop(L, 1);
  lua_pushlstring(L, u, n);
  lua_pushvalue(L, -1);
  lua_rawseti(L, UPCACHE(base), slot);
}

/* t[key] = v for the table on top, key string k. */
static void set_int(lua_State *L, int base, int k, int v) {
  lua_pushvalue(L, UPSTR(base, k));
  lua_pushinteger(L, v);
  lua_rawset(L, -3);
}

static void set_num(lua_State *L, int base, int k, double v) {
  lua_pushvalue(L, UPSTR(base, k));
  push_number(L, v);
  lua_rawset(L, -3);
}

static void set_str(lua_State *L, int base, int k, int vk) {
  lua_pushvalue(L, UPSTR(base, k));
  lua_pushvalue(L, UPSTR(base, vk));
  lua_rawset(L, -3);
}

/* Pushes a table with the parts of d (those not 0). */
static void push_date(lua_State *L, int base, const siqun_date *d, int extra) {
  lua_createtable(L, 0, (d->year != 0) + (d->month != 0) + (d->day != 0) + extra);
  if (d->year) set_int(L, base, S_YEAR, d->year);
  if (d->month) set_int(L, base, S_MONTH, d->month);
  if (d->day) set_int(L, base, S_DAY, d->day);
}

/* Pushes the table describing q, with `extra` more slots in its hash
   part; the text it was read from is at stack index text (or, when text
   is 0, is (s, len)).  The function's strings follow `base` upvalues. */
static void push_quantity(lua_State *L, int base, const siqun_quantity *q, int text,
                          const char *s, size_t len, int extra) {
  if (q->kind == SIQUN_Q_DATE) {
    int to = q->to.year || q->to.month || q->to.day;
    push_date(L, base, &q->date, 3 + to + extra);
    if (to) {
      lua_pushvalue(L, UPSTR(base, S_TO));
      push_date(L, base, &q->to, 0);
      lua_rawset(L, -3);
    }
    set_str(L, base, S_KIND, S_DATE);
  } else {
    lua_createtable(L, 0, 4 + (q->unit[0] != 0) + (q->has_min != 0) + (q->has_max != 0) +
                              extra);
    set_str(L, base, S_KIND, S_NUMBER);
    set_num(L, base, S_VALUE, q->value);
    if (q->unit[0]) {
      lua_pushvalue(L, UPSTR(base, S_UNIT));
      push_unit(L, base, q->unit);
      lua_rawset(L, -3);
    }
    if (q->has_min) set_num(L, base, S_MIN, q->min);
    if (q->has_max) set_num(L, base, S_MAX, q->max);
  }
  lua_pushvalue(L, UPSTR(base, S_QUALIFIER));
  if (q->qualifier >= SIQUN_EXACT && q->qualifier <= SIQUN_RANGE)
    lua_pushvalue(L, UPSTR(base, S_QUAL0 + (int)q->qualifier));
  else
    /* uncovered: the parser gives only the qualifiers of the enum */
    lua_pushstring(L, siqun_qualifier_name(q->qualifier));
  lua_rawset(L, -3);
  lua_pushvalue(L, UPSTR(base, S_TEXT));
  if (text) lua_pushvalue(L, text);
  else lua_pushlstring(L, s, len);
  lua_rawset(L, -3);
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
  push_quantity(L, 0, &q, 1, NULL, 0, 0);
  return 1;
}

/* Upvalues: the text, the 0-based byte position to scan from, then the
   strings and the unit cache. */
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
  push_quantity(L, 2, &q, 0, s + q.start, q.stop - q.start, 2);
  lua_pushvalue(L, UPSTR(2, S_START));
  lua_pushinteger(L, (lua_Integer)q.start + 1);
  lua_rawset(L, -3);
  lua_pushvalue(L, UPSTR(2, S_STOP));
  lua_pushinteger(L, (lua_Integer)q.stop);
  lua_rawset(L, -3);
  return 1;
}

/* core.scan(text [, init]) -> iterator over the quantities of text */
static int l_scan(lua_State *L) {
  size_t len;
  lua_Integer init;
  int k;
  check_text(L, 1, &len);
  init = luaL_optinteger(L, 2, 1);
  if (init < 0) init = (lua_Integer)len + init + 1; /* as string.find */
  if (init < 1) init = 1;
  if ((lua_Unsigned)init > (lua_Unsigned)len + 1) init = (lua_Integer)len + 1;
  lua_settop(L, 1);
  lua_pushinteger(L, init - 1);
  luaL_checkstack(L, NSTR + 1, "too many upvalues");
  for (k = 1; k <= NSTR + 1; k++) lua_pushvalue(L, UPSTR(0, k));
  lua_pushcclosure(L, scan_iter, 2 + NSTR + 1);
  return 1;
}

void sq_open_quantity(lua_State *L) {
  static const luaL_Reg fns[] = {
    {"quantity", l_quantity},
    {"scan", l_scan},
    {NULL, NULL}
  };
  int k;
  luaL_checkstack(L, NSTR + 1, "too many upvalues");
  for (k = 0; k < NSTR; k++) lua_pushstring(L, STR[k]);
  lua_createtable(L, UCACHE, 0); /* the unit cache */
  luaL_setfuncs(L, fns, NSTR + 1);
}
