/*
 * lsq_hot.c -- hot-record promotion.  A Record read more times than it has
 * fields is hot (a filter or query run again and again): it is promoted to
 * its own metatable M (REC_MT's entries, copied) whose __index is V, a
 * plain table of its non-null field values, so a read makes no C call; V's
 * shared metatable (VAL_MT, lsq_record.c) answers the rest (null fields,
 * span, methods, getters).  Promoting every Record when made would cost a
 * read-once pass four times the time and seven times the memory.  Closing
 * a Dataset gives its live Records REC_MT again, whose __index raises (V
 * holds copies: nothing dangles).  Also the Table's field map, which V's
 * names come from (and pairs over a Record uses).
 */
#include "lsq_userdata.h"

/* (lsq_userdata.h: their addresses are the keys) */
const char lsq_light_keys[5] = { 0, 0, 0, 0, 0 };

/* Pushes the field map of the Table at ti: name -> 0-based column, and
   column + 1 -> name; made on first use: user value 2 (set only once
   complete). */
void lsq_push_field_map(lua_State *L, int ti, const siqun_table *t) {
  size_t i, n;
  ti = lua_absindex(L, ti);
  if (lua_getiuservalue(L, ti, 2) == LUA_TTABLE) return;
  lua_pop(L, 1);
  n = siqun_nfields(t);
  lua_createtable(L, (int)n, (int)n);
  for (i = 0; i < n; i++) {
    lua_pushstring(L, siqun_field_name(t, i));
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, (lua_Integer)i + 1);
    lua_pushinteger(L, (lua_Integer)i);
    lua_rawset(L, -3);
  }
  lua_pushvalue(L, -1);
  lua_setiuservalue(L, ti, 2);
}

/* Pushes V, the values of the non-null fields of row r of the Table at ti
   (VAL_MT as its metatable), sized exactly. */
static void push_values(lua_State *L, int ti, const siqun_table *t, size_t r) {
  size_t i, n = siqun_nfields(t), k = 0;
  lsq_push_field_map(L, ti, t); /* its names: no hashing of C strings here */
  for (i = 0; i < n; i++)
    if (siqun_cell(t, r, i).type != SIQUN_T_NULL) k++;
  lua_createtable(L, 0, (int)k + 1); /* + the Record (REC_KEY) */
  for (i = 0; i < n; i++) {
    siqun_value v = siqun_cell(t, r, i);
    if (v.type == SIQUN_T_NULL) continue;
    lua_rawgeti(L, -2, (lua_Integer)i + 1);
    push_value(L, v);
    lua_rawset(L, -3);
  }
  push_light_meta(L, VAL_MT_KEY);
  lua_setmetatable(L, -2);
  lua_remove(L, -2);
}

/* Pushes M, the metatable of a Record whose V is at -1 (popped): REC_MT's
   entries (the very function values: 5.1 and 5.2 call __eq only when both
   operands' are the same; __metatable too, so getmetatable(rec) gives the
   name, never M nor V) with __index = V; once the Dataset is closed,
   REC_MT. */
static void push_rec_meta(lua_State *L) {
  lua_createtable(L, 0, 7); /* REC_MT's seven entries */
  push_light_meta(L, REC_MT_KEY);
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, -5);
  }
  lua_pop(L, 1);
  lua_insert(L, -2);
  lua_setfield(L, -2, "__index");
}

/* Gives the Record r at ri (of an open Dataset) its own metatable M,
   whose __index is V (see the top of this file).  M and V are complete
   before M is set: a memory error leaves r as it was. */
void lsq_promote(lua_State *L, int ri, lsq_rec *r) {
  ri = lua_absindex(L, ri);
  lua_getiuservalue(L, ri, 1);        /* Table */
  push_values(L, -1, r->tab->t, r->row);
  lua_pushlightuserdata(L, REC_KEY);
  lua_pushvalue(L, ri);
  lua_rawset(L, -3);                  /* V[REC_KEY] = r (a slot kept for it) */
  push_rec_meta(L);                   /* Table, M */
  lua_setmetatable(L, ri);
  lua_pop(L, 1);
  r->hot = 1;
}
