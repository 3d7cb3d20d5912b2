/*
 * lsq_dataset.c -- Lua binding of the dataset model: core.open, and the
 * userdata siqun.Dataset, siqun.Table and siqun.Record.
 *
 *  - A Dataset owns the C dataset (allocated through lua_getallocf) and
 *    frees it in __gc / __close (one idempotent function).  Its user values:
 *    1 the attached source text, 2 the code point -> byte offset index,
 *    3 a cache name -> Table.
 *  - A Table keeps its Dataset alive (user value 1); 2 is its field map
 *    (name -> 0-based column, and column + 1 -> name), 3 a weak cache
 *    row -> Record, 4 the names in its key cache (see key_col), all made
 *    on first use (opening a dataset reads no field).
 *  - A Record keeps its Table (so its Dataset) alive (user value 1).  It
 *    starts with the shared metatable REC_MT, whose __index reads a field
 *    in C (a call per read, nothing made per Record).  A Record read more
 *    times than it has fields is hot (a filter or query run again and
 *    again): it is promoted to its own metatable M (REC_MT's entries,
 *    copied) whose __index is V, a plain table of its non-null field
 *    values, so a read makes no C call; V's shared metatable (VAL_MT)
 *    answers the rest (null fields, span, methods, getters).  Promoting
 *    every Record when made would cost a read-once pass four times the
 *    time and seven times the memory.  Closing a Dataset gives its live
 *    Records REC_MT again, whose __index raises (V holds copies: nothing
 *    dangles).
 *  Tables and Records point at their owner's memory block (a userdata never
 *  moves) and check it is still open before every access.
 *  Every one begins with its lsq_type (lsq.h): each function checks the
 *  type of the userdata it is given by it, not by its metatable.  Every
 *  metatable here has __metatable (its name): getmetatable gives no table,
 *  so neither REC_MT, nor a hot Record's M, nor its V can be changed from
 *  Lua without the debug library.
 *
 * Extension hooks for the Lua layer: core.record_methods,
 * core.record_getters[table][key] and core.table_methods (plain tables,
 * held as upvalues of the __index functions; they add names, never shadow
 * a field or a built-in method).  core.record_table(r) gives a Record's
 * Table.
 */
#include <stdint.h>
#include <string.h>

#include "lsq.h"
#include "siqun.h"

#define DS_MT "siqun.Dataset"
#define TABLE_MT "siqun.Table"
#define REC_MT "siqun.Record"
#define NOT_ATTACHED "no source attached: call attach(path) first"

typedef struct lsq_ds {
  const lsq_type *type; /* &DS_TYPE (lsq.h: the type check) */
  siqun_dataset *ds;    /* NULL once closed (or before it is filled) */
} lsq_ds;

/* rec_index's cache: field names (Lua strings, by address) and their
   columns.  Only short strings (at most LSQ_SHORT bytes) go in: Lua
   interns them (every Lua version), so one equal to a field name is that
   very string.  The Table keeps each name of its cache alive (user value
   4, slot i's name at i + 1): an address found here is still that string,
   and no byte needs comparing.  (Anchoring each name as it goes in costs
   a third of making the Table's whole field map, which the first read
   used to make.) */
#define LSQ_KCACHE 64 /* a power of two, about four times a table's fields */
#define LSQ_KBITS 6   /* log2(LSQ_KCACHE) */
#define LSQ_KPROBE 4  /* slots looked at from a name's own (linear probing) */
#define LSQ_SHORT 40  /* LUAI_MAXSHORTLEN of Lua 5.2 to 5.4 (5.1 interns all) */
/* (Fibonacci hashing of the address without its alignment bits: the top
   bits of the 32-bit product, which every bit of the address moves) */
#define LSQ_KHASH(k) \
  ((size_t)((uint32_t)((size_t)(k) >> 4) * 2654435761u >> (32 - LSQ_KBITS)))

typedef struct lsq_table {
  const lsq_type *type; /* &TABLE_TYPE */
  lsq_ds *owner;
  const siqun_table *t;
  long start, end;   /* columns of start/end, or -1 */
  size_t nfields;    /* siqun_nfields(t) */
  const char *kkey[LSQ_KCACHE];     /* NULL: empty slot */
  unsigned char kcol[LSQ_KCACHE];   /* SQ_MAX_FIELDS is 128 */
} lsq_table;

typedef struct lsq_rec {
  const lsq_type *type; /* &REC_TYPE */
  lsq_table *tab;
  size_t row;
  size_t reads;      /* reads through rec_index, for promotion */
  int hot;           /* promoted: rec_index then only runs when called by hand */
} lsq_rec;

const lsq_type lsq_ds_type = { DS_MT, sizeof(lsq_ds) };
const lsq_type lsq_table_type = { TABLE_MT, sizeof(lsq_table) };
const lsq_type lsq_rec_type = { REC_MT, sizeof(lsq_rec) };
#define DS_TYPE lsq_ds_type
#define TABLE_TYPE lsq_table_type
#define REC_TYPE lsq_rec_type
#define VAL_MT "siqun.Record values"
/* Light userdata keys (addresses no Lua code can make): V's key of its
   Record (private: pairs over a Record never shows V), and the registry's
   second keys of REC_MT and VAL_MT (push_record finds them without
   hashing their names).  (The casts drop const: nothing writes there.) */
static const char LIGHT_KEYS[5] = { 0, 0, 0, 0, 0 };
#define REC_KEY ((void *)&LIGHT_KEYS[0])
#define REC_MT_KEY ((void *)&LIGHT_KEYS[1])
#define VAL_MT_KEY ((void *)&LIGHT_KEYS[2])
#define TABLE_MT_KEY ((void *)&LIGHT_KEYS[3])
#define WEAK_MT_KEY ((void *)&LIGHT_KEYS[4]) /* { __mode = "v" }, of every record cache */

static void push_light_meta(lua_State *L, void *key) {
  lua_pushlightuserdata(L, key);
  lua_rawget(L, LUA_REGISTRYINDEX);
}

/* ---------------------------------------------------------- helpers */

static const siqun_dataset *open_ds(lua_State *L, const lsq_ds *d) {
  if (d->ds == NULL) luaL_error(L, "attempt to use a closed " DS_MT);
  return d->ds;
}

/* The Dataset at i, open or closed. */
static lsq_ds *check_ds_any(lua_State *L, int i) {
  return (lsq_ds *)lsq_checkobject(L, i, &DS_TYPE);
}

static lsq_ds *check_ds(lua_State *L, int i) {
  lsq_ds *d = check_ds_any(L, i);
  open_ds(L, d);
  return d;
}

/* The Table at i, its Dataset open or closed. */
static lsq_table *check_table_any(lua_State *L, int i) {
  return (lsq_table *)lsq_checkobject(L, i, &TABLE_TYPE);
}

static lsq_table *check_table(lua_State *L, int i) {
  lsq_table *t = check_table_any(L, i);
  open_ds(L, t->owner);
  return t;
}

/* The Record at i, or NULL. */
static lsq_rec *to_rec(lua_State *L, int i) {
  return (lsq_rec *)lsq_toobject(L, i, &REC_TYPE);
}

static lsq_rec *check_rec_any(lua_State *L, int i) {
  return (lsq_rec *)lsq_checkobject(L, i, &REC_TYPE);
}

static lsq_rec *check_rec(lua_State *L, int i) {
  lsq_rec *r = check_rec_any(L, i);
  open_ds(L, r->tab->owner);
  return r;
}

static const char *check_string(lua_State *L, int i, size_t *len) {
  if (lua_type(L, i) != LUA_TSTRING) luaL_typeerror(L, i, "string");
  return lua_tolstring(L, i, len);
}

static void push_value(lua_State *L, siqun_value v) {
  switch (v.type) {
    case SIQUN_T_STRING: lua_pushlstring(L, v.as.s.ptr, v.as.s.len); break;
    case SIQUN_T_INTEGER: lua_pushinteger(L, (lua_Integer)v.as.i); break;
    case SIQUN_T_NUMBER: lua_pushnumber(L, (lua_Number)v.as.n); break;
    case SIQUN_T_BOOLEAN: lua_pushboolean(L, v.as.b); break;
    default: lua_pushnil(L); break;
  }
}

/* ---------------------------------------------------------- Dataset */

static int ds_gc(lua_State *L) {
  lsq_ds *d = check_ds_any(L, 1);
  if (d->ds) {
    siqun_dataset *ds = d->ds;
    d->ds = NULL;
    siqun_close(ds);
  }
  return 0;
}

/* close and __close: first every live Record of the Dataset gets REC_MT,
   whose __index raises (its own metatable would still read its values).
   (__gc runs only once no Record refers to the Dataset: it needs none.)
   Nothing here allocates. */
static int ds_close(lua_State *L) {
  lsq_ds *d = check_ds_any(L, 1);
  if (d->ds == NULL) return 0;
  lua_settop(L, 1);
  lua_getiuservalue(L, 1, 3); /* 2: name -> Table */
  lua_pushnil(L);
  while (lua_next(L, 2)) {    /* 3: name, 4: Table */
    if (lua_getiuservalue(L, 4, 3) == LUA_TTABLE) { /* 5: row -> Record */
      lua_pushnil(L);
      while (lua_next(L, 5)) {
        push_light_meta(L, REC_MT_KEY);
        lua_setmetatable(L, -2);
        lua_pop(L, 1);
      }
    }
    lua_pop(L, 2);
  }
  return ds_gc(L);
}

static int ds_tostring(lua_State *L) {
  lsq_ds *d = check_ds_any(L, 1);
  if (d->ds == NULL) lua_pushliteral(L, DS_MT " (closed)");
  else lua_pushfstring(L, DS_MT " (%d tables)", (int)siqun_ntables(d->ds));
  return 1;
}

static int ds_tables(lua_State *L) {
  const siqun_dataset *ds = check_ds(L, 1)->ds;
  size_t i, n = siqun_ntables(ds);
  lua_createtable(L, (int)n, 0);
  for (i = 0; i < n; i++) {
    lua_pushstring(L, siqun_table_name(siqun_table_at(ds, i)));
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/* Pushes the Table userdata for t of the Dataset at index di (cached). */
static void push_table(lua_State *L, int di, lsq_ds *d, const siqun_table *t) {
  lsq_table *u;
  di = lua_absindex(L, di);
  lua_getiuservalue(L, di, 3);
  if (lua_getfield(L, -1, siqun_table_name(t)) != LUA_TNIL) {
    lua_remove(L, -2);
    return;
  }
  lua_pop(L, 1);
  u = (lsq_table *)lua_newuserdatauv(L, sizeof *u, 4);
  u->type = &TABLE_TYPE;
  u->owner = d;
  u->t = t;
  memset(u->kkey, 0, sizeof u->kkey);
  u->nfields = siqun_nfields(t);
  u->start = siqun_field_index(t, "start", 5);
  u->end = siqun_field_index(t, "end", 3);
  if (u->start < 0 || u->end < 0) u->start = u->end = -1;
  push_light_meta(L, TABLE_MT_KEY);
  lua_setmetatable(L, -2);
  lua_pushvalue(L, di);
  lua_setiuservalue(L, -2, 1);
  /* (the field map and the record cache come on first use) */
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, siqun_table_name(t)); /* cache[name] = table */
  lua_remove(L, -2);
}

static int ds_table(lua_State *L) {
  lsq_ds *d = check_ds(L, 1);
  const char *name = check_string(L, 2, NULL);
  const siqun_table *t = siqun_table_find(d->ds, name);
  if (t == NULL) return luaL_error(L, "unknown table '%s'", name);
  push_table(L, 1, d, t);
  return 1;
}

static int ds_source_info(lua_State *L) {
  siqun_source_info info;
  siqun_source(check_ds(L, 1)->ds, &info);
  lua_createtable(L, 0, 3);
  lua_pushstring(L, info.sha256);
  lua_setfield(L, -2, "sha256");
  lua_pushinteger(L, (lua_Integer)info.bytes);
  lua_setfield(L, -2, "bytes");
  lua_pushinteger(L, (lua_Integer)info.codepoints);
  lua_setfield(L, -2, "codepoints");
  return 1;
}

static void hex(const unsigned char *h, char *out) {
  static const char digits[] = "0123456789abcdef";
  int i;
  for (i = 0; i < 32; i++) {
    out[2 * i] = digits[h[i] >> 4];
    out[2 * i + 1] = digits[h[i] & 15];
  }
  out[64] = '\0';
}

/* ds:attach(text) -> true | nil, message */
static int ds_attach(lua_State *L) {
  lsq_ds *d = check_ds(L, 1);
  size_t len, n = 0, i, cps, k;
  const char *s = check_string(L, 2, &len);
  luaL_Buffer b;
  char *p, got[65];
  unsigned char h[32];
  siqun_source_info info;
  size_t *offs;
  const char *text;
  siqun_source(d->ds, &info);
  /* normalise: no BOM, CRLF -> LF */
  if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) s += 3, len -= 3;
  p = luaL_buffinitsize(L, &b, len);
  for (i = 0; i < len; i++) {
    if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') continue;
    p[n++] = s[i];
  }
  luaL_pushresultsize(&b, n);
  text = lua_tolstring(L, -1, &n);
  siqun_sha256(text, n, h);
  hex(h, got);
  if (strcmp(got, info.sha256) != 0) {
    luaL_pushfail(L);
    lua_pushfstring(L, "source SHA-256 mismatch: expected %s, got %s", info.sha256, got);
    return 2;
  }
  if (siqun_utf8_valid(text, n) != n) {
    luaL_pushfail(L);
    lua_pushliteral(L, "source text is not valid UTF-8");
    return 2;
  }
  for (i = 0, cps = 0; i < n; i++)
    if (((unsigned char)text[i] & 0xC0) != 0x80) cps++;
  if (n != info.bytes || cps != info.codepoints) {
    luaL_pushfail(L);
    lua_pushfstring(L, "source has %I bytes and %I code points, the descriptor says %I and %I",
                    (lua_Integer)n, (lua_Integer)cps, (lua_Integer)info.bytes,
                    (lua_Integer)info.codepoints);
    return 2;
  }
  offs = (size_t *)lua_newuserdatauv(L, (cps + 1) * sizeof(size_t), 0);
  for (i = 0, k = 0; i < n; i++)
    if (((unsigned char)text[i] & 0xC0) != 0x80) offs[k++] = i;
  offs[k] = n;
  lua_setiuservalue(L, 1, 2);
  lua_setiuservalue(L, 1, 1);
  lua_pushboolean(L, 1);
  return 1;
}

static int ds_attached(lua_State *L) {
  check_ds(L, 1);
  lua_pushboolean(L, lua_getiuservalue(L, 1, 1) == LUA_TSTRING);
  return 1;
}

/* Pushes the attached text of the Dataset at di between code points
   [start, stop); raises when not attached or out of range. */
static int push_slice(lua_State *L, int di, lua_Integer start, lua_Integer stop) {
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

static int ds_slice(lua_State *L) {
  lua_Integer start, stop;
  check_ds(L, 1);
  start = luaL_checkinteger(L, 2);
  stop = luaL_checkinteger(L, 3);
  return push_slice(L, 1, start, stop);
}

/* ---------------------------------------------------------- Record */

/* Pushes the field map of the Table at ti: name -> 0-based column, and
   column + 1 -> name; made on first use: user value 2 (set only once
   complete). */
static void push_field_map(lua_State *L, int ti, const siqun_table *t) {
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
  push_field_map(L, ti, t); /* its names: no hashing of C strings here */
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

/* Pushes the record cache of the Table tab at ti (row + 1 -> Record, weak
   values), made on first use, its array part sized for the rows (up to
   LSQ_PRESIZE). */
#define LSQ_PRESIZE 4096
static void push_cache(lua_State *L, int ti, const lsq_table *tab) {
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
static void push_cached(lua_State *L, int ti, int ci, int mi, lsq_table *tab, size_t r) {
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
   with REC_MT (see promote). */
static void push_record(lua_State *L, int ti, lsq_table *tab, size_t r) {
  ti = lua_absindex(L, ti);
  push_cache(L, ti, tab);
  push_light_meta(L, REC_MT_KEY);
  push_cached(L, ti, lua_gettop(L) - 1, lua_gettop(L), tab, r);
  lua_replace(L, -3);
  lua_pop(L, 1);
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
  push_field_map(L, -1, r->tab->t);
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

/* Gives the Record r at ri (of an open Dataset) its own metatable M,
   whose __index is V (see the top of this file).  M and V are complete
   before M is set: a memory error leaves r as it was. */
static void promote(lua_State *L, int ri, lsq_rec *r) {
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
  if (!r->hot && ++r->reads > tab->nfields) promote(L, 1, r);
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
  return push_slice(L, lua_gettop(L), (lua_Integer)s.as.i, (lua_Integer)e.as.i);
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

/* ---------------------------------------------------------- Table */

static int table_index(lua_State *L) {
  lsq_table *tab = check_table(L, 1);
  int isnum;
  lua_Integer i;
  switch (lua_type(L, 2)) {
    case LUA_TNUMBER:
      i = lua_tointegerx(L, 2, &isnum);
      if (!isnum || i < 1 || (lua_Unsigned)i > (lua_Unsigned)siqun_nrows(tab->t)) return 0;
      push_record(L, 1, tab, (size_t)i - 1);
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

/* core.record_table(r): the Table of the Record r, or nil when r is no
   Record (the query language's check of a record's fields). */
static int l_record_table(lua_State *L) {
  if (to_rec(L, 1) == NULL) return 0;
  lua_getiuservalue(L, 1, 1);
  return 1;
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
  push_record(L, 1, tab, (size_t)i - 1);
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
  push_cache(L, 4, tab);                       /* 5 */
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
    push_cached(L, 4, ci, mi, tab, (size_t)i - 1);
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
  push_record(L, 1, tab, (size_t)r);
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

/* ---------------------------------------------------------- module */

/* core.open([dir]) -> Dataset | nil, message */
static int l_open(lua_State *L) {
  const char *dir = NULL;
  size_t dlen = 0;
  lsq_ds *d;
  void *ud;
  lua_Alloc alloc;
  char err[SIQUN_ERRMAX];
  int rc;
  if (!lua_isnoneornil(L, 1)) dir = check_string(L, 1, &dlen);
  if (dir && strlen(dir) != dlen) {
    luaL_pushfail(L);
    lua_pushliteral(L, "directory name contains a NUL byte");
    return 2;
  }
  if (dir && dlen == 0) { /* (the C API's message would name its function) */
    luaL_pushfail(L);
    lua_pushliteral(L, "no dataset directory given (the path is empty)");
    return 2;
  }
  /* construct, then fill: __gc is armed before anything is allocated */
  d = (lsq_ds *)lua_newuserdatauv(L, sizeof *d, 3);
  d->type = &DS_TYPE;
  d->ds = NULL;
  luaL_setmetatable(L, DS_MT);
  lua_newtable(L);
  lua_setiuservalue(L, -2, 3);
  alloc = lua_getallocf(L, &ud);
  err[0] = '\0';
  rc = dir ? siqun_open_dir(dir, alloc, ud, &d->ds, err, sizeof err)
           : siqun_open_embedded(alloc, ud, &d->ds, err, sizeof err);
  if (rc < 0) {
    if (strcmp(err, "not enough memory") == 0) {
      lua_pushliteral(L, "not enough memory");
      return lua_error(L);
    }
    luaL_pushfail(L);
    lua_pushstring(L, err);
    return 2;
  }
  return 1;
}

/* core.sha256(s) -> lowercase hex digest */
static int l_sha256(lua_State *L) {
  size_t len;
  const char *s = check_string(L, 1, &len);
  unsigned char h[32];
  char out[65];
  siqun_sha256(s, len, h);
  hex(h, out);
  lua_pushlstring(L, out, 64);
  return 1;
}

/* Creates metatable mt; fills its __index with methods (a table), or
   with fn closed over methods and the hook tables at -nhooks..-1. */
static void new_meta(lua_State *L, const char *mt, const luaL_Reg *meta) {
  luaL_newmetatable(L, mt);
  luaL_setfuncs(L, meta, 0);
  lsq_protect(L, mt);
  lua_pop(L, 1);
}

void sq_open_dataset(lua_State *L) {
  static const luaL_Reg ds_meta[] = {
    {"__gc", ds_gc}, {"__close", ds_close}, {"__tostring", ds_tostring}, {NULL, NULL}
  };
  static const luaL_Reg ds_methods[] = {
    {"tables", ds_tables}, {"table", ds_table}, {"source_info", ds_source_info},
    {"attach", ds_attach}, {"attached", ds_attached}, {"slice", ds_slice},
    {"close", ds_close}, {NULL, NULL}
  };
  static const luaL_Reg table_meta[] = {
    {"__newindex", table_newindex}, {"__len", table_len},
    {"__tostring", table_tostring}, {NULL, NULL}
  };
  static const luaL_Reg table_methods[] = {
    {"get", table_get}, {"name", table_name}, {"fields", table_fields},
    {"field_index", table_field_index}, {NULL, NULL}
  };
  static const luaL_Reg rec_meta[] = {
    {"__newindex", rec_newindex}, {"__eq", rec_eq}, {"__tostring", rec_tostring},
    {"__pairs", rec_pairs}, {NULL, NULL}
  };
  static const luaL_Reg rec_methods[] = {
    {"totable", rec_totable}, {"table_name", rec_table_name}, {"row", rec_row},
    {"source", rec_source}, {NULL, NULL}
  };
  int mod = lua_gettop(L);

  /* Dataset: __index is the methods table */
  new_meta(L, DS_MT, ds_meta);
  luaL_getmetatable(L, DS_MT);
  luaL_newlib(L, ds_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);

  /* hook tables */
  lua_newtable(L);
  lua_setfield(L, mod, "record_methods");
  lua_newtable(L);
  lua_setfield(L, mod, "record_getters");
  lua_newtable(L);
  lua_setfield(L, mod, "table_methods");

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

  lua_pushcfunction(L, l_open);
  lua_setfield(L, mod, "open");
  lua_pushcfunction(L, l_sha256);
  lua_setfield(L, mod, "sha256");
  lua_pushcfunction(L, l_table_record);
  lua_setfield(L, mod, "table_record");
  lua_pushcfunction(L, l_record_table);
  lua_setfield(L, mod, "record_table");
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
