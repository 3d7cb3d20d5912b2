/*
 * lsq_quantity.c -- Lua binding of the quantity parser and scanner:
 * core.quantity(text) and core.scan(text [, init [, offset]]).  Nothing is allocated
 * outside Lua, so an error raised anywhere leaks nothing.
 *
 * A result is a read-only full userdata "siqun.Quantity" holding a compact
 * copy of the parsed siqun_quantity; its fields are made when read, by a C
 * __index (one userdata and no table per result: building a table of 7 to
 * 9 fields for each result cost nearly twice as much).
 * User value 1 is the text it was read from (for core.quantity the
 * argument string itself; for a scan result the matched substring); a
 * date has a user value 2, its `to` table once made (so that q.to is the
 * same table on every access).  Fields, as the plain table of earlier
 * versions gave them (nil where that table had no key):
 *   number: kind value qualifier unit min max text
 *   date:   kind qualifier year month day to text
 *   and for a scan result: start stop (1-based byte positions).
 * pairs() gives the present fields in that order; q:totable() a plain copy
 * (with a fresh `to` table); __eq compares every field; __tostring is
 * "siqun.Quantity: <text>".
 *
 * The field names and the strings the fields take ("number", "exact" ...)
 * are made once, by the first call of core.quantity or core.scan (opening
 * the module makes none of it: fill_upvalues), and kept as upvalues of every
 * function here (STR below), with the metatable, a table mapping each
 * field name to its number (the key dispatch of __index: one raw get of an
 * interned string, then a switch; `value` is compared by address first),
 * the methods table and a cache of unit strings.
 */
#include <string.h>

#include "lsq.h"
#include "siqun.h"

#define Q_MT "siqun.Quantity"

/* The strings kept as upvalues, in this order (S_* - 1 is the index).  The
   field names come first: S_KIND .. S_STOP are also the field numbers. */
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

/* The fields in the order pairs() gives them, by kind. */
#define NORDER 9
static const unsigned char NUMBER_ORDER[NORDER] = {
  S_KIND, S_VALUE, S_QUALIFIER, S_UNIT, S_MIN, S_MAX, S_TEXT, S_START, S_STOP
};
static const unsigned char DATE_ORDER[NORDER] = {
  S_KIND, S_QUALIFIER, S_YEAR, S_MONTH, S_DAY, S_TO, S_TEXT, S_START, S_STOP
};

/* The upvalues shared by every function here, after `base` others (the
   scan iterator has three of its own first). */
#define U_MT 1      /* the metatable */
#define U_KEYS 2    /* field name -> S_* */
#define U_METHODS 3 /* totable */
#define U_CACHE 4   /* unit strings, see push_unit */
#define NUP (4 + NSTR)
#define UP(base, u) lua_upvalueindex((base) + (u))
#define UPSTR(base, k) UP(base, U_CACHE + (k))
/* The unit cache: the unit strings met so far (UCACHE slots, direct-mapped
   by a hash of the bytes), shared by the functions of one module instance.
   A unit comes from a short list (the unit table and a few composed
   words), so its string is nearly always there: no hashing and interning
   of the unit each time it is read. */
#define UCACHE 64

/* The userdata: a compact copy of the siqun_quantity (the fewer bytes a
   result takes, the less the collector has to do per result), the unit's
   bytes following it.  type is &lsq_q_type: the type check of to_q
   (lsq.h). */
typedef struct lsq_q {
  const lsq_type *type; /* &lsq_q_type (lsq.h: the type check) */
  union {
    struct { double value, min, max; } n; /* number */
    struct { int date[3], to[3]; } d;     /* date: year, month, day; 0 where absent */
  } as;
  size_t start, stop;        /* scan results: byte offsets [start, stop) */
  unsigned char kind;        /* siqun_qkind */
  unsigned char qualifier;   /* siqun_qualifier */
  unsigned char flags;       /* Q_HAS_MIN | Q_HAS_MAX | Q_SCAN */
  unsigned char ulen;        /* bytes of unit (< 32) */
  char unit[];               /* not NUL-terminated */
} lsq_q;

#define Q_HAS_MIN 1
#define Q_HAS_MAX 2
#define Q_SCAN 4 /* a scan result: start and stop are fields */

const lsq_type lsq_q_type = { Q_MT, sizeof(lsq_q) };

static lsq_q *to_q(lua_State *L, int i) {
  return (lsq_q *)lsq_toobject(L, i, &lsq_q_type);
}

static lsq_q *check_q(lua_State *L, int i) {
  return (lsq_q *)lsq_checkobject(L, i, &lsq_q_type);
}

/* An integer when integral and below 2^53 in magnitude (where every double
   is exact to the unit), a float otherwise. */
static void push_number(lua_State *L, double v) {
  if (v > -9007199254740992.0 && v < 9007199254740992.0 &&
      (double)(lua_Integer)v == v)
    lua_pushinteger(L, (lua_Integer)v);
  else
    lua_pushnumber(L, v);
}

/* Pushes the unit (u, n) (not empty) as a string, from the cache when it
   is there (the same bytes), else made and put in its slot. */
static void push_unit(lua_State *L, int base, const char *u, size_t n) {
  size_t m;
  const char *c;
  /* the last bytes tell most units apart: 张 名 人次 个月 ... */
  lua_Integer slot = (lua_Integer)(((unsigned char)u[n - 1] * 7u +
                                    (unsigned char)u[n > 1 ? n - 2 : 0] + (unsigned)n) %
                                   UCACHE) + 1;
  if (lua_rawgeti(L, UP(base, U_CACHE), slot) == LUA_TSTRING) {
    c = lua_tolstring(L, -1, &m);
    if (m == n && memcmp(c, u, n) == 0) return;
  }
  lua_pop(L, 1);
  lua_pushlstring(L, u, n);
  lua_pushvalue(L, -1);
  lua_rawseti(L, UP(base, U_CACHE), slot);
}

/* Pushes a plain table with the parts of d (year, month, day; those not
   0). */
static void push_date(lua_State *L, int base, const int d[3]) {
  int i;
  lua_createtable(L, 0, (d[0] != 0) + (d[1] != 0) + (d[2] != 0));
  for (i = 0; i < 3; i++) {
    if (d[i]) {
      lua_pushvalue(L, UPSTR(base, S_YEAR + i));
      lua_pushinteger(L, d[i]);
      lua_rawset(L, -3);
    }
  }
}

/* Pushes field f (S_KIND .. S_STOP) of the Quantity u at stack index ui
   and returns 1, or pushes nothing and returns 0 when u has no such field.
   fresh: a new `to` table instead of the cached one. */
static int push_field(lua_State *L, int base, int ui, const lsq_q *u, int f, int fresh) {
  int date = u->kind == SIQUN_Q_DATE;
  switch (f) {
    case S_VALUE:
      if (date) return 0;
      push_number(L, u->as.n.value);
      return 1;
    case S_KIND:
      lua_pushvalue(L, UPSTR(base, date ? S_DATE : S_NUMBER));
      return 1;
    case S_QUALIFIER:
      if (u->qualifier <= SIQUN_RANGE)
        lua_pushvalue(L, UPSTR(base, S_QUAL0 + (int)u->qualifier));
      else
        /* uncovered: the parser gives only the qualifiers of the enum */
        lua_pushstring(L, siqun_qualifier_name((siqun_qualifier)u->qualifier));
      return 1;
    case S_UNIT:
      if (date || u->ulen == 0) return 0;
      push_unit(L, base, u->unit, u->ulen);
      return 1;
    case S_MIN:
      if (date || !(u->flags & Q_HAS_MIN)) return 0;
      push_number(L, u->as.n.min);
      return 1;
    case S_MAX:
      if (date || !(u->flags & Q_HAS_MAX)) return 0;
      push_number(L, u->as.n.max);
      return 1;
    case S_TEXT:
      lua_getiuservalue(L, ui, 1);
      return 1;
    case S_YEAR:
    case S_MONTH:
    case S_DAY:
      if (!date || u->as.d.date[f - S_YEAR] == 0) return 0;
      lua_pushinteger(L, u->as.d.date[f - S_YEAR]);
      return 1;
    case S_TO:
      if (!date || (u->as.d.to[0] == 0 && u->as.d.to[1] == 0 && u->as.d.to[2] == 0))
        return 0;
      if (fresh) {
        push_date(L, base, u->as.d.to);
        return 1;
      }
      if (lua_getiuservalue(L, ui, 2) == LUA_TTABLE) return 1;
      lua_pop(L, 1);
      push_date(L, base, u->as.d.to);
      lua_pushvalue(L, -1);
      lua_setiuservalue(L, ui, 2);
      return 1;
    case S_START:
      if (!(u->flags & Q_SCAN)) return 0;
      lua_pushinteger(L, (lua_Integer)u->start + 1);
      return 1;
    case S_STOP:
      if (!(u->flags & Q_SCAN)) return 0;
      lua_pushinteger(L, (lua_Integer)u->stop);
      return 1;
    default: /* uncovered: the key map holds only the fields */
      return 0;
  }
}

/* __index(q, key): a field, a method, or nil. */
static int q_index(lua_State *L) {
  lsq_q *u = to_q(L, 1);
  const void *k = lua_topointer(L, 2);
  if (u == NULL) return lsq_objecterror(L, 1, &lsq_q_type);
  /* q.value, the most read field, first: lua_topointer gives a string's
     object on 5.4 and LuaJIT, where short strings are interned, so a key
     "value" is the upvalue's very object (5.1 to 5.3 give NULL) */
  if (k != NULL && k == lua_topointer(L, UPSTR(0, S_VALUE)) &&
      lua_type(L, 2) == LUA_TSTRING) {
    if (!push_field(L, 0, 1, u, S_VALUE, 0)) lua_pushnil(L);
    return 1;
  }
  lua_pushvalue(L, 2);
  if (lua_rawget(L, UP(0, U_KEYS)) == LUA_TNUMBER) {
    if (!push_field(L, 0, 1, u, (int)lua_tointeger(L, -1), 0)) lua_pushnil(L);
    return 1;
  }
  lua_pop(L, 1);
  lua_pushvalue(L, 2);
  lua_rawget(L, UP(0, U_METHODS));
  return 1;
}

static int q_newindex(lua_State *L) {
  return luaL_error(L, Q_MT " is read-only");
}

/* q:totable() -> a plain table of the fields (a new `to` table too). */
static int q_totable(lua_State *L) {
  lsq_q *u = check_q(L, 1);
  const unsigned char *order = u->kind == SIQUN_Q_DATE ? DATE_ORDER : NUMBER_ORDER;
  int i;
  lua_createtable(L, 0, NORDER);
  for (i = 0; i < NORDER; i++) {
    lua_pushvalue(L, UPSTR(0, order[i]));
    if (push_field(L, 0, 1, u, order[i], 1)) lua_rawset(L, -3);
    else lua_pop(L, 1);
  }
  return 1;
}

/* The iterator of pairs(q): the present fields in the order of their kind.
   Upvalues: the shared ones. */
static int q_next(lua_State *L) {
  lsq_q *u = check_q(L, 1);
  const unsigned char *order = u->kind == SIQUN_Q_DATE ? DATE_ORDER : NUMBER_ORDER;
  int i = 0;
  if (!lua_isnoneornil(L, 2)) {
    int f = 0;
    lua_pushvalue(L, 2);
    if (lua_rawget(L, UP(0, U_KEYS)) == LUA_TNUMBER) f = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    while (i < NORDER && order[i] != f) i++;
    if (i == NORDER) return luaL_error(L, "invalid key to 'next'");
    i++;
  }
  for (; i < NORDER; i++) {
    lua_pushvalue(L, UPSTR(0, order[i]));
    if (push_field(L, 0, 1, u, order[i], 0)) return 2;
    lua_pop(L, 1);
  }
  return 0;
}

static int q_pairs(lua_State *L) {
  int k;
  check_q(L, 1);
  luaL_checkstack(L, NUP, "too many upvalues");
  for (k = 1; k <= NUP; k++) lua_pushvalue(L, UP(0, k));
  lua_pushcclosure(L, q_next, NUP);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}


/* a == b: every field the two report is equal (false for another kind of
   value). */
static int q_eq(lua_State *L) {
  const lsq_q *a = to_q(L, 1), *b = to_q(L, 2);
  int eq = a != NULL && b != NULL;
  if (eq) {
    eq = a->kind == b->kind && a->qualifier == b->qualifier && a->flags == b->flags &&
         (!(a->flags & Q_SCAN) || (a->start == b->start && a->stop == b->stop));
    if (eq && a->kind == SIQUN_Q_DATE)
      eq = memcmp(a->as.d.date, b->as.d.date, sizeof a->as.d.date) == 0 &&
           memcmp(a->as.d.to, b->as.d.to, sizeof a->as.d.to) == 0;
    else if (eq) /* (flags equal: the same bounds present) */
      eq = a->as.n.value == b->as.n.value && a->ulen == b->ulen &&
           memcmp(a->unit, b->unit, a->ulen) == 0 &&
           (!(a->flags & Q_HAS_MIN) || a->as.n.min == b->as.n.min) &&
           (!(a->flags & Q_HAS_MAX) || a->as.n.max == b->as.n.max);
    if (eq) {
      lua_getiuservalue(L, 1, 1);
      lua_getiuservalue(L, 2, 1);
      eq = lua_rawequal(L, -1, -2);
    }
  }
  lua_pushboolean(L, eq);
  return 1;
}

/* tostring(q): "siqun.Quantity: " and the text. */
static int q_tostring(lua_State *L) {
  check_q(L, 1);
  lua_pushliteral(L, Q_MT ": ");
  lua_getiuservalue(L, 1, 1);
  lua_concat(L, 2);
  return 1;
}

/* Pushes a new Quantity holding q, without its text (user value 1).
   flags: Q_SCAN or 0. */
static void new_q(lua_State *L, int base, const siqun_quantity *q, int flags) {
  int date = q->kind == SIQUN_Q_DATE;
  size_t ulen = date ? 0 : strlen(q->unit); /* < sizeof q->unit */
  lsq_q *u = (lsq_q *)lua_newuserdatauv(L, sizeof *u + ulen, date ? 2 : 1);
  u->type = &lsq_q_type;
  if (date) {
    u->as.d.date[0] = q->date.year;
    u->as.d.date[1] = q->date.month;
    u->as.d.date[2] = q->date.day;
    u->as.d.to[0] = q->to.year;
    u->as.d.to[1] = q->to.month;
    u->as.d.to[2] = q->to.day;
  } else {
    u->as.n.value = q->value;
    u->as.n.min = q->min;
    u->as.n.max = q->max;
    flags |= (q->has_min ? Q_HAS_MIN : 0) | (q->has_max ? Q_HAS_MAX : 0);
    memcpy(u->unit, q->unit, ulen);
  }
  u->start = q->start;
  u->stop = q->stop;
  u->kind = (unsigned char)q->kind;
  u->qualifier = (unsigned char)q->qualifier;
  u->flags = (unsigned char)flags;
  u->ulen = (unsigned char)ulen;
  lua_pushvalue(L, UP(base, U_MT));
  lua_setmetatable(L, -2);
}

static void fill_upvalues(lua_State *L);

static const char *check_text(lua_State *L, int arg, size_t *len) {
  if (lua_type(L, arg) != LUA_TSTRING) luaL_typeerror(L, arg, "string");
  return lua_tolstring(L, arg, len);
}

/* core.quantity(text) -> Quantity | nil, message */
static int l_quantity(lua_State *L) {
  size_t len;
  const char *s = check_text(L, 1, &len);
  siqun_quantity q;
  char err[SIQUN_ERRMAX];
  if (lua_type(L, UP(0, U_MT)) == LUA_TNIL) fill_upvalues(L);
  if (siqun_quantity_parse(s, len, &q, err, sizeof err) < 0) {
    luaL_pushfail(L);
    lua_pushstring(L, err);
    return 2;
  }
  new_q(L, 0, &q, 0);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);
  return 1;
}

/* Upvalues: the text, the 0-based byte position to scan from, the offset
   added to the positions of the results, then the shared ones. */
static int scan_iter(lua_State *L) {
  size_t len;
  const char *s = lua_tolstring(L, lua_upvalueindex(1), &len);
  lua_Integer at = lua_tointeger(L, lua_upvalueindex(2));
  size_t pos, off = (size_t)lua_tointeger(L, lua_upvalueindex(3));
  siqun_quantity q;
  lsq_q *u;
  if (at < 0 || (lua_Unsigned)at >= (lua_Unsigned)len) return 0;
  pos = (size_t)at;
  if (!siqun_scan_next(s, len, &pos, &q)) {
    lua_pushinteger(L, (lua_Integer)len);
    lua_replace(L, lua_upvalueindex(2));
    return 0;
  }
  lua_pushinteger(L, (lua_Integer)pos);
  lua_replace(L, lua_upvalueindex(2));
  new_q(L, 3, &q, Q_SCAN);
  u = (lsq_q *)lua_touserdata(L, -1);
  u->start += off;
  u->stop += off;
  lua_pushlstring(L, s + q.start, q.stop - q.start);
  lua_setiuservalue(L, -2, 1);
  return 1;
}

/* core.scan(text [, init [, offset]]) -> iterator over the quantities of
   text; offset (0 by default) is added to their positions: text is a part
   of a larger one that begins offset bytes earlier (siqun.scan_file). */
static int l_scan(lua_State *L) {
  size_t len;
  lua_Integer init, offset;
  int k;
  check_text(L, 1, &len);
  if (lua_type(L, UP(0, U_MT)) == LUA_TNIL) fill_upvalues(L);
  init = luaL_optinteger(L, 2, 1);
  offset = luaL_optinteger(L, 3, 0);
  luaL_argcheck(L, offset >= 0, 3, "non-negative integer expected");
  if (init < 0) init = (lua_Integer)len + init + 1; /* as string.find */
  if (init < 1) init = 1;
  if ((lua_Unsigned)init > (lua_Unsigned)len + 1) init = (lua_Integer)len + 1;
  lua_settop(L, 1);
  lua_pushinteger(L, init - 1);
  lua_pushinteger(L, offset);
  luaL_checkstack(L, NUP, "too many upvalues");
  for (k = 1; k <= NUP; k++) lua_pushvalue(L, UP(0, k));
  lua_pushcclosure(L, scan_iter, 3 + NUP);
  return 1;
}

/* t[name] = f closed over the NUP shared values at stack index first.. */
static void set_fn(lua_State *L, int t, const char *name, lua_CFunction f, int first) {
  int k;
  for (k = 0; k < NUP; k++) lua_pushvalue(L, first + k);
  lua_pushcclosure(L, f, NUP);
  lua_setfield(L, t, name);
}

/* The registry's key of the shared values (an address no Lua code can
   make). */
static const char SHARED_KEY = 0;

/* Pushes the table [1..NUP] of the shared values, made the first time:
   the metatable (its metamethods closed over the same values), the keys,
   the methods, the unit cache and the strings. */
static void push_shared(lua_State *L) {
  static const luaL_Reg meta[] = {
    {"__index", q_index}, {"__newindex", q_newindex}, {"__eq", q_eq},
    {"__tostring", q_tostring}, {"__pairs", q_pairs}, {NULL, NULL}
  };
  int first, k;
  const luaL_Reg *r;
  lua_pushlightuserdata(L, (void *)&SHARED_KEY);
  if (lua_rawget(L, LUA_REGISTRYINDEX) == LUA_TTABLE) return;
  lua_pop(L, 1);
  luaL_checkstack(L, 2 * NUP + 4, "too many upvalues");
  lua_createtable(L, NUP, 0);
  first = lua_gettop(L) + 1;
  luaL_newmetatable(L, Q_MT);           /* U_MT */
  lsq_protect(L, Q_MT);
  lua_createtable(L, 0, S_STOP);        /* U_KEYS */
  for (k = S_KIND; k <= S_STOP; k++) {
    lua_pushstring(L, STR[k - 1]);
    lua_pushinteger(L, k);
    lua_rawset(L, -3);
  }
  lua_createtable(L, 0, 1);             /* U_METHODS */
  lua_createtable(L, UCACHE, 0);        /* U_CACHE */
  for (k = 0; k < NSTR; k++) lua_pushstring(L, STR[k]);
  for (r = meta; r->name != NULL; r++) set_fn(L, first + U_MT - 1, r->name, r->func, first);
  set_fn(L, first + U_METHODS - 1, "totable", q_totable, first);
  for (k = NUP; k >= 1; k--) lua_rawseti(L, first - 1, k);
  lua_pushlightuserdata(L, (void *)&SHARED_KEY);
  lua_pushvalue(L, -2);
  lua_rawset(L, LUA_REGISTRYINDEX);
}

/* core.quantity and core.scan are made with their upvalues nil (opening
   siqun.core makes no metatable nor string for the quantities): the first
   call of either fills them with the shared values.  U_MT last, which
   says they are there: an error before leaves them all nil. */
static void fill_upvalues(lua_State *L) {
  int k;
  push_shared(L);
  for (k = NUP; k >= 1; k--) {
    lua_rawgeti(L, -1, k);
    lua_replace(L, UP(0, k));
  }
  lua_pop(L, 1);
}

void lsq_open_quantity(lua_State *L) {
  static const luaL_Reg fns[] = {
    {"quantity", l_quantity}, {"scan", l_scan}, {NULL, NULL}
  };
  const luaL_Reg *r;
  int k;
  luaL_checkstack(L, NUP + 2, "too many upvalues");
  for (r = fns; r->name != NULL; r++) {
    for (k = 0; k < NUP; k++) lua_pushnil(L);
    lua_pushcclosure(L, r->func, NUP);
    lua_setfield(L, -2, r->name);
  }
}
