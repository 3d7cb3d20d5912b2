/*
 * lsq_table.c -- the userdata siqun.Table: t[i] and t:get(key) give its
 * Records (lsq_record.c makes and caches them), its length, name and
 * fields; and the core functions a List over a whole Table uses
 * (core.table_record, core.table_dataset, core.list_index,
 * core.list_items).  A Table is made and cached by its Dataset
 * (lsq_dataset.c).
 */
#include "lsq_userdata.h"

const lsq_type lsq_table_type = { TABLE_MT, sizeof(lsq_table) };

static int table_index(lua_State *L) {
  lsq_table *tab = check_table(L, 1);
  int isnum;
  lua_Integer i;
  switch (lua_type(L, 2)) {
    case LUA_TNUMBER:
      i = lua_tointegerx(L, 2, &isnum);
      if (!isnum || i < 1 || (lua_Unsigned)i > (lua_Unsigned)siqun_nrows(tab->t)) return 0;
      lsq_push_record(L, 1, tab, (size_t)i - 1);
      return 1;
    case LUA_TSTRING:
      lua_pushvalue(L, 2);
      if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
      lua_pop(L, 1);
      lua_pushvalue(L, 2);
      lua_gettable(L, lua_upvalueindex(2));
      return 1;
    default:
      return 0;
  }
}

/* core.table_dataset(t): the Dataset of the Table t (which keeps it
   alive), or nil when t is no Table. */
static int l_table_dataset(lua_State *L) {
  if (lsq_toobject(L, 1, &lsq_table_type) == NULL) return 0;
  lua_getiuservalue(L, 1, 1);
  return 1;
}

/* core.table_record(t, i): t[i] for an integer i in 1..#t, whether or not
   the Dataset is still open (the Lua layer's Lists make their records on
   first use, and a List of a closed Dataset still hands out its records,
   which then raise when read); nil otherwise.  Once the Dataset is closed
   its tables are gone, so i is not checked against them: the caller (a
   List knows its length) does. */
static int l_table_record(lua_State *L) {
  lsq_table *tab = check_table_any(L, 1);
  int isnum;
  lua_Integer i = lua_tointegerx(L, 2, &isnum);
  if (!isnum || i < 1) return 0;
  if (tab->owner->ds != NULL && (lua_Unsigned)i > (lua_Unsigned)siqun_nrows(tab->t)) return 0;
  lsq_push_record(L, 1, tab, (size_t)i - 1);
  return 1;
}

/* core.list_index(items, k): the __index of the items of a List over a
   whole Table (siqun.list: items.table the Table, items.n its length).
   For an integer k in 1..n (an integral float too) whose record is not
   there yet, makes the records of the block of LSQ_BLOCK rows holding k
   in one call (each put in the Table's cache, so a record stays one
   value, and in items) and returns items[k]; nil for any other key.
   Records are made on first use, a block at a time: a read pass costs
   one call per block instead of one per record, and a List read at one
   row makes at most LSQ_BLOCK records.  Once the Dataset is closed its
   records are still handed out (and raise when read). */
#define LSQ_BLOCK 64
static int l_list_index(lua_State *L) {
  lsq_table *tab;
  lua_Integer k, n, lo, hi, i;
  int isnum, ci, mi;
  luaL_checktype(L, 1, LUA_TTABLE);
  if (lua_type(L, 2) != LUA_TNUMBER) return 0;
  k = lua_tointegerx(L, 2, &isnum);
  if (!isnum || k < 1) return 0;
  lua_settop(L, 2);
  lua_pushliteral(L, "n");
  n = lua_rawget(L, 1) == LUA_TNUMBER ? lua_tointegerx(L, 3, &isnum) : 0;
  if (!isnum || k > n) return 0;
  lua_pushliteral(L, "table");
  lua_rawget(L, 1);                       /* 4: the Table */
  tab = (lsq_table *)lsq_toobject(L, 4, &TABLE_TYPE);
  if (tab == NULL) return luaL_error(L, "bad List items (no siqun.Table at 'table')");
  if (tab->owner->ds != NULL && (lua_Unsigned)n > (lua_Unsigned)siqun_nrows(tab->t))
    n = (lua_Integer)siqun_nrows(tab->t);
  if (k > n) return 0;
  lo = (k - 1) / LSQ_BLOCK * LSQ_BLOCK + 1;
  hi = lo + LSQ_BLOCK - 1 < n ? lo + LSQ_BLOCK - 1 : n;
  lsq_push_cache(L, 4, tab);              /* 5 */
  push_light_meta(L, REC_MT_KEY);         /* 6 */
  ci = 5;
  mi = 6;
  for (i = lo; i <= hi; i++) {
    /* uncovered: a block is made whole; only one a memory error cut short
       (the oom sweep's) has records already */
    if (lua_rawgeti(L, 1, i) != LUA_TNIL) {
      lua_pop(L, 1);
      continue;
    }
    lua_pop(L, 1);
    lsq_push_cached(L, 4, ci, mi, tab, (size_t)i - 1);
    lua_rawseti(L, 1, i);
  }
  lua_rawgeti(L, 1, k);
  return 1;
}

/* core.list_items(t, n): the items table of a List over the whole Table t
   of n records (siqun.list): { n = n, table = t }, its array part sized
   for the records (up to LSQ_PRESIZE: a List read at one row of a huge
   table does not pay for all), with the metatable (upvalue 1) whose
   __index is core.list_index. */
static int l_list_items(lua_State *L) {
  lua_Integer n = luaL_checkinteger(L, 2);
  check_table_any(L, 1);
  luaL_argcheck(L, n >= 0, 2, "not a length");
  lua_createtable(L, n < LSQ_PRESIZE ? (int)n : LSQ_PRESIZE, 5);
  lua_pushvalue(L, 2);
  lua_setfield(L, -2, "n");
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "table");
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_setmetatable(L, -2);
  return 1;
}

static int table_newindex(lua_State *L) {
  return luaL_error(L, TABLE_MT " is read-only");
}

static int table_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)siqun_nrows(check_table(L, 1)->t));
  return 1;
}

static int table_tostring(lua_State *L) {
  lsq_table *tab = check_table_any(L, 1);
  if (tab->owner->ds == NULL) lua_pushliteral(L, TABLE_MT " (closed)");
  else lua_pushfstring(L, TABLE_MT " %s (%I rows)", siqun_table_name(tab->t),
                       (lua_Integer)siqun_nrows(tab->t));
  return 1;
}

static int table_name(lua_State *L) {
  lua_pushstring(L, siqun_table_name(check_table(L, 1)->t));
  return 1;
}

/* t:get(key): by single-field primary key; key a string or an integer. */
static int table_get(lua_State *L) {
  lsq_table *tab = check_table(L, 1);
  const char *key;
  size_t len;
  long r;
  switch (lua_type(L, 2)) {
    case LUA_TSTRING:
      key = lua_tolstring(L, 2, &len);
      break;
    case LUA_TNUMBER: {
      int isnum;
      lua_Integer i = lua_tointegerx(L, 2, &isnum);
      if (!isnum) return 0;
      lua_pushfstring(L, "%I", i);
      key = lua_tolstring(L, -1, &len);
      break;
    }
    default:
      return luaL_typeerror(L, 2, "string or integer");
  }
  r = siqun_find_key(tab->t, key, len);
  if (r < 0) return 0;
  lsq_push_record(L, 1, tab, (size_t)r);
  return 1;
}

static int table_fields(lua_State *L) {
  const siqun_table *t = check_table(L, 1)->t;
  size_t i, n = siqun_nfields(t);
  lua_createtable(L, (int)n, 0);
  for (i = 0; i < n; i++) {
    lua_createtable(L, 0, 3);
    lua_pushstring(L, siqun_field_name(t, i));
    lua_setfield(L, -2, "name");
    lua_pushstring(L, siqun_field_schema_type(t, i));
    lua_setfield(L, -2, "type");
    lua_pushboolean(L, siqun_field_derived(t, i));
    lua_setfield(L, -2, "derived");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

static int table_field_index(lua_State *L) {
  lsq_table *tab = check_table(L, 1);
  size_t len;
  const char *name = check_string(L, 2, &len);
  long c = siqun_field_index(tab->t, name, len);
  if (c < 0) return 0;
  lua_pushinteger(L, (lua_Integer)c + 1);
  return 1;
}

void lsq_open_table(lua_State *L, int mod) {
  static const luaL_Reg table_meta[] = {
    {"__newindex", table_newindex}, {"__len", table_len},
    {"__tostring", table_tostring}, {NULL, NULL}
  };
  static const luaL_Reg table_methods[] = {
    {"get", table_get}, {"name", table_name}, {"fields", table_fields},
    {"field_index", table_field_index}, {NULL, NULL}
  };

  /* Table: __index(methods, core.table_methods) */
  new_meta(L, TABLE_MT, table_meta);
  luaL_getmetatable(L, TABLE_MT);
  luaL_newlib(L, table_methods);
  lua_getfield(L, mod, "table_methods");
  lua_pushcclosure(L, table_index, 2);
  lua_setfield(L, -2, "__index");
  lua_pushlightuserdata(L, TABLE_MT_KEY);
  lua_insert(L, -2);
  lua_rawset(L, LUA_REGISTRYINDEX);
  lua_pushlightuserdata(L, WEAK_MT_KEY);
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "v");
  lua_setfield(L, -2, "__mode");
  lua_rawset(L, LUA_REGISTRYINDEX);

  lua_pushcfunction(L, l_table_record);
  lua_setfield(L, mod, "table_record");
  lua_pushcfunction(L, l_table_dataset);
  lua_setfield(L, mod, "table_dataset");
  lua_pushcfunction(L, l_list_index);
  lua_setfield(L, mod, "list_index");
  lua_createtable(L, 0, 1); /* the metatable of list_items' tables */
  lua_getfield(L, mod, "list_index");
  lua_setfield(L, -2, "__index");
  lua_pushcclosure(L, l_list_items, 1);
  lua_setfield(L, mod, "list_items");
}
