/*
 * lsq_userdata.h -- what the files of the dataset binding share: the three
 * userdata (siqun.Dataset, siqun.Table, siqun.Record), their metatables'
 * names and private registry keys, the checks of an argument's type and the
 * push of a cell's value (static inline: the record read path is hot).
 *
 * The files, each calling only those below it:
 *   lsq_dataset.c   the Dataset: core.open, its methods, the source text,
 *                   its Tables (made and cached); registers all three types
 *   lsq_table.c     the Table: its methods, core.list_items and friends
 *   lsq_record.c    the Record: made and cached per row, a field read in C,
 *                   its methods, a span's text
 *   lsq_hot.c       hot-record promotion (a Record's own metatable), the
 *                   Table's field map
 *
 *  - A Dataset owns the C dataset (allocated through lua_getallocf) and
 *    frees it in __gc / __close (one idempotent function).  Its user values:
 *    1 the attached source text, 2 the code point -> byte offset index,
 *    3 a cache name -> Table.
 *  - A Table keeps its Dataset alive (user value 1); 2 is its field map
 *    (name -> 0-based column, and column + 1 -> name), 3 a weak cache
 *    row -> Record, 4 the names in its key cache (see key_col,
 *    lsq_record.c), all made on first use (opening a dataset reads no
 *    field).
 *  - A Record keeps its Table (so its Dataset) alive (user value 1).  It
 *    starts with the shared metatable REC_MT, whose __index reads a field
 *    in C (a call per read, nothing made per Record); a Record read often
 *    is promoted (lsq_hot.c).
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
#ifndef LSQ_USERDATA_H
#define LSQ_USERDATA_H

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

#define DS_TYPE lsq_ds_type
#define TABLE_TYPE lsq_table_type
#define REC_TYPE lsq_rec_type
#define VAL_MT "siqun.Record values"
/* Light userdata keys (addresses no Lua code can make): V's key of its
   Record (private: pairs over a Record never shows V), and the registry's
   second keys of REC_MT and VAL_MT (push_record finds them without
   hashing their names).  Defined in lsq_hot.c, the lowest of the files.
   (The casts drop const: nothing writes there.) */
extern const char lsq_light_keys[5];
#define REC_KEY ((void *)&lsq_light_keys[0])
#define REC_MT_KEY ((void *)&lsq_light_keys[1])
#define VAL_MT_KEY ((void *)&lsq_light_keys[2])
#define TABLE_MT_KEY ((void *)&lsq_light_keys[3])
#define WEAK_MT_KEY ((void *)&lsq_light_keys[4]) /* { __mode = "v" }, of every record cache */

/* Array part of a Table's record cache and of a List's items, at most. */
#define LSQ_PRESIZE 4096

static inline void push_light_meta(lua_State *L, void *key) {
  lua_pushlightuserdata(L, key);
  lua_rawget(L, LUA_REGISTRYINDEX);
}

/* (The message has no position: luaL_error's would be a line of siqun's
   own Lua on 5.1 and LuaJIT, never the user's.) */
static inline const siqun_dataset *open_ds(lua_State *L, const lsq_ds *d) {
  if (d->ds == NULL) {
    lua_pushliteral(L, "attempt to use a closed " DS_MT);
    lua_error(L);
  }
  return d->ds;
}

/* The Dataset at i, open or closed. */
static inline lsq_ds *check_ds_any(lua_State *L, int i) {
  return (lsq_ds *)lsq_checkobject(L, i, &DS_TYPE);
}

static inline lsq_ds *check_ds(lua_State *L, int i) {
  lsq_ds *d = check_ds_any(L, i);
  open_ds(L, d);
  return d;
}

/* The Table at i, its Dataset open or closed. */
static inline lsq_table *check_table_any(lua_State *L, int i) {
  return (lsq_table *)lsq_checkobject(L, i, &TABLE_TYPE);
}

static inline lsq_table *check_table(lua_State *L, int i) {
  lsq_table *t = check_table_any(L, i);
  open_ds(L, t->owner);
  return t;
}

/* The Record at i, or NULL. */
static inline lsq_rec *to_rec(lua_State *L, int i) {
  return (lsq_rec *)lsq_toobject(L, i, &REC_TYPE);
}

static inline lsq_rec *check_rec_any(lua_State *L, int i) {
  return (lsq_rec *)lsq_checkobject(L, i, &REC_TYPE);
}

static inline lsq_rec *check_rec(lua_State *L, int i) {
  lsq_rec *r = check_rec_any(L, i);
  open_ds(L, r->tab->owner);
  return r;
}

static inline const char *check_string(lua_State *L, int i, size_t *len) {
  if (lua_type(L, i) != LUA_TSTRING) luaL_typeerror(L, i, "string");
  return lua_tolstring(L, i, len);
}

static inline void push_value(lua_State *L, siqun_value v) {
  switch (v.type) {
    case SIQUN_T_STRING: lua_pushlstring(L, v.as.s.ptr, v.as.s.len); break;
    case SIQUN_T_INTEGER: lua_pushinteger(L, (lua_Integer)v.as.i); break;
    case SIQUN_T_NUMBER: lua_pushnumber(L, (lua_Number)v.as.n); break;
    case SIQUN_T_BOOLEAN: lua_pushboolean(L, v.as.b); break;
    default: lua_pushnil(L); break;
  }
}

/* Creates metatable mt with the functions meta, protected (lsq_protect). */
static inline void new_meta(lua_State *L, const char *mt, const luaL_Reg *meta) {
  luaL_newmetatable(L, mt);
  luaL_setfuncs(L, meta, 0);
  lsq_protect(L, mt);
  lua_pop(L, 1);
}

/* lsq_table.c: the Table's metatable (TABLE_MT, with the hook table
   core.table_methods of the module at mod) and the core functions over
   Tables and Lists (table_record, table_dataset, list_index, list_items). */
void lsq_open_table(lua_State *L, int mod);

/* lsq_record.c: REC_MT and VAL_MT (with the hook tables record_getters
   and record_methods of the module at mod), and core.record_table. */
void lsq_open_record(lua_State *L, int mod);
/* Pushes the Record for row r of the Table at ti (cached while alive),
   with REC_MT (see lsq_promote). */
void lsq_push_record(lua_State *L, int ti, lsq_table *tab, size_t r);
/* Pushes the record cache of the Table tab at ti (row + 1 -> Record, weak
   values: user value 3), made on first use. */
void lsq_push_cache(lua_State *L, int ti, const lsq_table *tab);
/* Pushes the Record for row r of the Table at ti (absolute), whose cache
   is at ci and REC_MT at mi: the cached one, or a new one put there. */
void lsq_push_cached(lua_State *L, int ti, int ci, int mi, lsq_table *tab, size_t r);
/* Pushes the attached text of the Dataset at di between code points
   [start, stop); raises when not attached or out of range. */
int lsq_push_slice(lua_State *L, int di, lua_Integer start, lua_Integer stop);

/* lsq_hot.c: pushes the field map of the Table at ti (user value 2). */
void lsq_push_field_map(lua_State *L, int ti, const siqun_table *t);
/* lsq_hot.c: gives the Record r at ri its own metatable (promotion). */
void lsq_promote(lua_State *L, int ri, lsq_rec *r);

#endif
