/*
 * lsq_dataset.c -- Lua binding of the dataset model: core.open and
 * core.sha256, the userdata siqun.Dataset (its methods, the attached source
 * text, its Tables made and cached by name), and the registration of the
 * three types (lsq_table.c, lsq_record.c).  lsq_userdata.h tells what each
 * userdata holds and how the files depend on each other.
 */
#include "lsq_userdata.h"

const lsq_type lsq_ds_type = { DS_MT, sizeof(lsq_ds) };

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

static int ds_slice(lua_State *L) {
  lua_Integer start, stop;
  check_ds(L, 1);
  start = luaL_checkinteger(L, 2);
  stop = luaL_checkinteger(L, 3);
  return lsq_push_slice(L, 1, start, stop);
}

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

void lsq_open_dataset(lua_State *L) {
  static const luaL_Reg ds_meta[] = {
    {"__gc", ds_gc}, {"__close", ds_close}, {"__tostring", ds_tostring}, {NULL, NULL}
  };
  static const luaL_Reg ds_methods[] = {
    {"tables", ds_tables}, {"table", ds_table}, {"source_info", ds_source_info},
    {"attach", ds_attach}, {"attached", ds_attached}, {"slice", ds_slice},
    {"close", ds_close}, {NULL, NULL}
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

  lsq_open_table(L, mod);
  lsq_open_record(L, mod);

  lua_pushcfunction(L, l_open);
  lua_setfield(L, mod, "open");
  lua_pushcfunction(L, l_sha256);
  lua_setfield(L, mod, "sha256");
}
