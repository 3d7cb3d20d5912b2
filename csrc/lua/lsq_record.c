/*
 * lsq_record.c -- the userdata siqun.Record: one row of a Table, made on
 * first use and cached in its Table (weak values), so a row is always the
 * same value.  Its metatable REC_MT reads a field in C: the column comes
 * from the Table's key cache (key_col), a read counts towards promotion
 * (lsq_hot.c); VAL_MT answers what a promoted Record's values lack.  Also a
 * span's text (lsq_push_slice), which Dataset:slice shares.
 */
#include "lsq_userdata.h"

const lsq_type lsq_rec_type = { REC_MT, sizeof(lsq_rec) };

/* Pushes the record cache of the Table tab at ti (row + 1 -> Record, weak
   values), made on first use, its array part sized for the rows (up to
   LSQ_PRESIZE). */
void lsq_push_cache(lua_State *L, int ti, const lsq_table *tab) {
  /* (a closed Dataset's tables are gone: no size then) */
  size_t n = tab->owner->ds != NULL ? siqun_nrows(tab->t) : 0;
  if (lua_getiuservalue(L, ti, 3) == LUA_TTABLE) return;
  lua_pop(L, 1);
  lua_createtable(L, n < LSQ_PRESIZE ? (int)n : LSQ_PRESIZE, 0);
  push_light_meta(L, WEAK_MT_KEY);
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_setiuservalue(L, ti, 3);
}

/* Pushes the Record for row r of the Table at ti (absolute), whose cache
   is at ci and REC_MT at mi: the cached one, or a new one put in the
   cache.  Everything is made before the Record goes into the cache, so a
   memory error leaves no half-made Record there. */
void lsq_push_cached(lua_State *L, int ti, int ci, int mi, lsq_table *tab, size_t r) {
  lsq_rec *rec;
  if (lua_rawgeti(L, ci, (lua_Integer)r + 1) == LUA_TUSERDATA) return;
  lua_pop(L, 1);
  rec = (lsq_rec *)lua_newuserdatauv(L, sizeof *rec, 1);
  rec->type = &REC_TYPE;
  rec->tab = tab;
  rec->row = r;
  rec->reads = 0;
  rec->hot = 0;
  lua_pushvalue(L, ti);
  lua_setiuservalue(L, -2, 1);
  lua_pushvalue(L, mi);
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_rawseti(L, ci, (lua_Integer)r + 1);
}

/* Pushes the Record for row r of the Table at ti (cached while alive),
   with REC_MT (see lsq_promote). */
void lsq_push_record(lua_State *L, int ti, lsq_table *tab, size_t r) {
  ti = lua_absindex(L, ti);
  lsq_push_cache(L, ti, tab);
  push_light_meta(L, REC_MT_KEY);
  lsq_push_cached(L, ti, lua_gettop(L) - 1, lua_gettop(L), tab, r);
  lua_replace(L, -3);
  lua_pop(L, 1);
}

/* Pushes the attached text of the Dataset at di between code points
   [start, stop); raises when not attached or out of range. */
int lsq_push_slice(lua_State *L, int di, lua_Integer start, lua_Integer stop) {
  const siqun_dataset *ds = open_ds(L, (lsq_ds *)lua_touserdata(L, di));
  siqun_source_info info;
  const char *text;
  const size_t *offs;
  siqun_source(ds, &info);
  if (lua_getiuservalue(L, di, 1) != LUA_TSTRING) return luaL_error(L, NOT_ATTACHED);
  text = lua_tostring(L, -1);
  lua_getiuservalue(L, di, 2);
  offs = (const size_t *)lua_touserdata(L, -1);
  /* uncovered: the loader refuses spans outside the source (hostile_spec)
     and attach checks the text's SHA-256, so no record's span gets here */
  if (start < 0 || stop < start || (lua_Unsigned)stop > (lua_Unsigned)info.codepoints)
    return luaL_error(L, "slice %I..%I is out of range (0..%I)", start, stop,
                      (lua_Integer)info.codepoints);
  lua_pushlstring(L, text + offs[start], offs[stop] - offs[start]);
  return 1;
}

static void push_span(lua_State *L, const lsq_rec *r) {
  const siqun_table *t = r->tab->t;
  lua_createtable(L, 0, 2);
  push_value(L, siqun_cell(t, r->row, (size_t)r->tab->start));
  lua_setfield(L, -2, "start");
  push_value(L, siqun_cell(t, r->row, (size_t)r->tab->end));
  lua_setfield(L, -2, "stop");
}

/* Column of field name k (string at index ki) of the record at 1, or -1. */
static lua_Integer rec_col(lua_State *L, int ki) {
  lsq_rec *r = (lsq_rec *)lua_touserdata(L, 1);
  lua_Integer c = -1;
  lua_getiuservalue(L, 1, 1);   /* Table */
  lsq_push_field_map(L, -1, r->tab->t);
  lua_pushvalue(L, ki);
  if (lua_rawget(L, -2) == LUA_TNUMBER) c = lua_tointeger(L, -1);
  lua_pop(L, 3);
  return c;
}

/* What a Record's V lacks, for the Record r at ri and the key at ki (a
   string): span, built-in method, getter, record_methods (upvalues 1 to
   3), else nil.  (A field, null or not, comes first: the caller's.) */
static int rec_extra(lua_State *L, const lsq_rec *r, int ri, int ki) {
  if (r->tab->start >= 0 && strcmp(lua_tostring(L, ki), "span") == 0) {
    push_span(L, r);
    return 1;
  }
  lua_pushvalue(L, ki);
  if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
  lua_pop(L, 1);
  if (lua_getfield(L, lua_upvalueindex(2), siqun_table_name(r->tab->t)) == LUA_TTABLE) {
    lua_pushvalue(L, ki);
    if (lua_gettable(L, -2) != LUA_TNIL) {
      lua_pushvalue(L, ri);
      lua_call(L, 1, 1);
      return 1;
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  lua_pushvalue(L, ki);
  lua_gettable(L, lua_upvalueindex(3));
  return 1;
}

/* VAL_MT.__index(V, key): a key V lacks.  A field of the table is null
   (V holds the others); else rec_extra. */
static int val_index(lua_State *L) {
  lsq_rec *r = NULL;
  size_t klen;
  const char *k;
  if (lua_type(L, 1) == LUA_TTABLE) {
    lua_pushlightuserdata(L, REC_KEY);
    lua_rawget(L, 1);
    r = to_rec(L, -1);
  }
  if (r == NULL) return luaL_typeerror(L, 1, VAL_MT);
  open_ds(L, r->tab->owner);
  if (lua_type(L, 2) != LUA_TSTRING) return 0;
  k = lua_tolstring(L, 2, &klen);
  if (siqun_field_index(r->tab->t, k, klen) >= 0) return 0;
  return rec_extra(L, r, lua_gettop(L), 2);
}

/* The column of field name k (klen bytes, the Lua string at index 2: its
   address is its identity) of tab, the Table of the Record at 1, or -1:
   from tab's key cache (the slots from k's own, linear probing), else
   looked up and put there, k itself kept alive by the Table (its user
   value 4 holds slot i's name at i + 1, made on first use), so that an
   address found in the cache is still that name.  (A lookup ends at the
   first empty slot: slots are never emptied.) */
static lua_Integer key_col(lua_State *L, lsq_table *tab, const char *k, size_t klen) {
  size_t h = LSQ_KHASH(k), i, s = h;
  long c;
  for (i = 0; i < LSQ_KPROBE; i++) {
    s = (h + i) & (LSQ_KCACHE - 1);
    if (tab->kkey[s] == k) return tab->kcol[s];
    if (tab->kkey[s] == NULL) break;
  }
  c = siqun_field_index(tab->t, k, klen);
  if (c < 0 || c > 0xFF || klen > LSQ_SHORT) return c;
  if (i == LSQ_KPROBE) s = h; /* all taken: the name's own slot */
  lua_getiuservalue(L, 1, 1); /* Table */
  if (lua_getiuservalue(L, -1, 4) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_createtable(L, LSQ_KCACHE, 0);
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, -3, 4);
  }
  lua_pushvalue(L, 2);
  lua_rawseti(L, -2, (lua_Integer)s + 1);
  lua_pop(L, 2);
  tab->kkey[s] = k;
  tab->kcol[s] = (unsigned char)c;
  return c;
}

/* REC_MT.__index(rec, key): a field read in C (its column from the Table's
   key cache when it can), else span, method, getter.  The metatable of a
   Record until it is promoted, and again once its Dataset is closed
   (open_ds raises then). */
static int rec_index(lua_State *L) {
  lsq_rec *r = to_rec(L, 1);
  lsq_table *tab;
  lua_Integer c;
  size_t klen;
  const char *k;
  if (r == NULL) return lsq_objecterror(L, 1, &REC_TYPE);
  open_ds(L, r->tab->owner);
  if (lua_type(L, 2) != LUA_TSTRING) return 0;
  tab = r->tab;
  k = lua_tolstring(L, 2, &klen);
  c = key_col(L, tab, k, klen);
  if (!r->hot && ++r->reads > tab->nfields) lsq_promote(L, 1, r);
  if (c >= 0) {
    push_value(L, siqun_cell(tab->t, r->row, (size_t)c));
    return 1;
  }
  return rec_extra(L, r, 1, 2);
}

static int rec_newindex(lua_State *L) {
  return luaL_error(L, REC_MT " is read-only");
}

static int rec_eq(lua_State *L) {
  lsq_rec *a = to_rec(L, 1);
  lsq_rec *b = to_rec(L, 2);
  lua_pushboolean(L, a && b && a->tab->owner == b->tab->owner && a->tab->t == b->tab->t &&
                     a->row == b->row);
  return 1;
}

static int rec_totable(lua_State *L) {
  lsq_rec *r = check_rec(L, 1);
  const siqun_table *t = r->tab->t;
  size_t i, n = siqun_nfields(t);
  lua_createtable(L, 0, (int)n + 1);
  for (i = 0; i < n; i++) {
    push_value(L, siqun_cell(t, r->row, i));
    lua_setfield(L, -2, siqun_field_name(t, i));
  }
  if (r->tab->start >= 0) {
    push_span(L, r);
    lua_setfield(L, -2, "span");
  }
  return 1;
}

static int rec_table_name(lua_State *L) {
  lua_pushstring(L, siqun_table_name(check_rec(L, 1)->tab->t));
  return 1;
}

static int rec_row(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)check_rec(L, 1)->row + 1);
  return 1;
}

static int rec_source(lua_State *L) {
  lsq_rec *r = check_rec(L, 1);
  siqun_value s, e;
  if (r->tab->start < 0)
    return luaL_error(L, "table '%s' has no span", siqun_table_name(r->tab->t));
  s = siqun_cell(r->tab->t, r->row, (size_t)r->tab->start);
  e = siqun_cell(r->tab->t, r->row, (size_t)r->tab->end);
  if (s.type != SIQUN_T_INTEGER || e.type != SIQUN_T_INTEGER) return 0;
  lua_getiuservalue(L, 1, 1);  /* Table */
  lua_getiuservalue(L, -1, 1); /* Dataset */
  return lsq_push_slice(L, lua_gettop(L), (lua_Integer)s.as.i, (lua_Integer)e.as.i);
}

/* Appends the key text of value v to b. */
static void add_key(luaL_Buffer *b, siqun_value v) {
  lua_State *L = b->L;
  switch (v.type) {
    case SIQUN_T_STRING: luaL_addlstring(b, v.as.s.ptr, v.as.s.len); break;
    case SIQUN_T_NULL: luaL_addstring(b, "nil"); break;
    default: /* uncovered: no key of the specs' datasets is a number */
      push_value(L, v);
      luaL_addvalue(b);
  }
}

static int rec_tostring(lua_State *L) {
  static const char *const labels[] = { "text", "term", "heading", "name", "title", NULL };
  lsq_rec *r = check_rec_any(L, 1);
  const siqun_table *t;
  luaL_Buffer b;
  size_t pk[8], npk, i;
  if (r->tab->owner->ds == NULL) {
    lua_pushliteral(L, REC_MT " (closed)");
    return 1;
  }
  t = r->tab->t;
  npk = siqun_primary_key(t, pk, 8);
  luaL_buffinit(L, &b);
  luaL_addstring(&b, siqun_table_name(t));
  luaL_addchar(&b, '[');
  if (npk == 0 || npk > 8) {
    lua_pushinteger(L, (lua_Integer)r->row + 1);
    luaL_addvalue(&b);
  } else {
    for (i = 0; i < npk; i++) {
      if (i) luaL_addchar(&b, ',');
      add_key(&b, siqun_cell(t, r->row, pk[i]));
    }
  }
  luaL_addchar(&b, ']');
  for (i = 0; labels[i]; i++) {
    long c = siqun_field_index(t, labels[i], strlen(labels[i]));
    if (c >= 0) {
      siqun_value v = siqun_cell(t, r->row, (size_t)c);
      if (v.type == SIQUN_T_STRING) {
        luaL_addstring(&b, ": ");
        luaL_addlstring(&b, v.as.s.ptr, v.as.s.len);
        break;
      }
    }
  }
  luaL_pushresult(&b);
  return 1;
}

/* pairs(r): fields with a value, in schema order. */
static int rec_next(lua_State *L) {
  lsq_rec *r = check_rec(L, 1);
  const siqun_table *t = r->tab->t;
  size_t n = siqun_nfields(t), c = 0;
  if (!lua_isnil(L, 2)) {
    lua_Integer k = lua_type(L, 2) == LUA_TSTRING ? rec_col(L, 2) : -1;
    if (k < 0) return luaL_error(L, "invalid key to 'next'");
    c = (size_t)k + 1;
  }
  for (; c < n; c++) {
    siqun_value v = siqun_cell(t, r->row, c);
    if (v.type != SIQUN_T_NULL) {
      lua_pushstring(L, siqun_field_name(t, c));
      push_value(L, v);
      return 2;
    }
  }
  return 0;
}

static int rec_pairs(lua_State *L) {
  check_rec(L, 1);
  lua_pushcfunction(L, rec_next);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

/* core.record_table(r): the Table of the Record r, or nil when r is no
   Record (the query language's check of a record's fields). */
static int l_record_table(lua_State *L) {
  if (to_rec(L, 1) == NULL) return 0;
  lua_getiuservalue(L, 1, 1);
  return 1;
}

void lsq_open_record(lua_State *L, int mod) {
  static const luaL_Reg rec_meta[] = {
    {"__newindex", rec_newindex}, {"__eq", rec_eq}, {"__tostring", rec_tostring},
    {"__pairs", rec_pairs}, {NULL, NULL}
  };
  static const luaL_Reg rec_methods[] = {
    {"totable", rec_totable}, {"table_name", rec_table_name}, {"row", rec_row},
    {"source", rec_source}, {NULL, NULL}
  };

  /* Record: REC_MT (the metamethods each Record's own metatable copies;
     the whole metatable of a closed Dataset's Records) and VAL_MT, both
     with __index(methods, core.record_getters, core.record_methods) */
  new_meta(L, REC_MT, rec_meta);
  luaL_newmetatable(L, VAL_MT);
  lsq_protect(L, VAL_MT);
  luaL_getmetatable(L, REC_MT);
  luaL_newlib(L, rec_methods);
  lua_getfield(L, mod, "record_getters");
  lua_getfield(L, mod, "record_methods");
  lua_pushvalue(L, -3);
  lua_pushvalue(L, -3);
  lua_pushvalue(L, -3);
  lua_pushcclosure(L, val_index, 3);
  lua_setfield(L, -6, "__index");      /* VAL_MT */
  lua_pushcclosure(L, rec_index, 3);
  lua_setfield(L, -2, "__index");      /* REC_MT */
  lua_pushlightuserdata(L, REC_MT_KEY);
  lua_insert(L, -2);
  lua_rawset(L, LUA_REGISTRYINDEX);
  lua_pushlightuserdata(L, VAL_MT_KEY);
  lua_insert(L, -2);
  lua_rawset(L, LUA_REGISTRYINDEX);

  lua_pushcfunction(L, l_record_table);
  lua_setfield(L, mod, "record_table");
}
