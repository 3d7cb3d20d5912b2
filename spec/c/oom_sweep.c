/*
 * oom_sweep.c -- allocation-failure sweeps of the Lua API (make oom): for
 * require "siqun", siqun.open(), siqun.open(dir), siqun.quantity,
 * siqun.scan, queries (siqun.query, compile, safe.query), every report
 * writer (text, markdown, csv, json, html, sqlite), a List written without a
 * document (siqun.write: json, ndjson, csv) and siqun.files (save,
 * read, scan_file), the n-th allocation
 * fails for n = 1, 2, ... (SQLite's method, Lua's memerr.lua):
 *
 *  - persistent: from the n-th allocation on, until the operation succeeds;
 *    each n on a new state where the operation never ran (so first-time
 *    work such as compiling a query is swept too);
 *  - transient: the n-th and the one after it, for every allocation a warm
 *    run makes.  Two, because Lua 5.4 answers a failed allocation with an
 *    emergency collection and one more try: failing only the n-th would
 *    almost never let a failure reach the operation's code.
 *
 * Each run is one C call (sweep_once): the allocator is swapped with
 * lua_setallocf and restored around lua_pcall of the operation, so nothing
 * at the Lua level allocates while armed.  Each run must end in a clean
 * success with the reference result, or in an error whose message says
 * "not enough memory".  After every failure the same state runs the
 * operation again unarmed and must get the reference result (no half-built
 * object is visible: a failed siqun.open leaves nothing behind, a failed
 * require can be retried, a half-filled cache is not used).  After
 * lua_close, no block is live (blocks are counted through the allocator;
 * the build is under ASan+UBSan, whose LeakSanitizer sees the rest).
 *
 * The figures line at the end ("allocation points swept: N") is what
 * make check prints.  Run from the repository root:
 *   make oom          (or build/oom/oom_sweep [scenario-name-substring])
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

int luaopen_siqun_core(lua_State *L);

#define MAXN 2000000L /* a sweep that never succeeds is a failure */

static int failures = 0;
static long long points = 0; /* allocation points swept (failed runs + the success) */

typedef struct counting {
  long calls;        /* allocations (and growing reallocations) so far */
  long fail_at;      /* 0: never fail */
  int persistent;
  int paused;        /* inside OOM_PAUSED: count, never fail */
  long long bytes;   /* live bytes */
  long long blocks;  /* live blocks */
} counting;

/* Counts; never fails.  Lua assumes that shrinking never fails, so the
   armed allocator below only fails allocations and growing reallocations. */
static void *plain_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  counting *c = (counting *)ud;
  void *p;
  if (nsize == 0) {
    if (ptr) {
      c->bytes -= (long long)osize;
      c->blocks--;
    }
    free(ptr);
    return NULL;
  }
  p = realloc(ptr, nsize);
  if (p) {
    c->calls++;
    c->bytes += (long long)nsize - (ptr ? (long long)osize : 0);
    if (ptr == NULL) c->blocks++;
  }
  return p;
}

/* The armed allocator.  A dataset opened while it is installed keeps it
   (core.open takes lua_getallocf), and it fails only while fail_at is set,
   so such a dataset frees its blocks normally after the run. */
static void *fault_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  counting *c = (counting *)ud;
  if (nsize > 0 && c->fail_at > 0 && !c->paused && (ptr == NULL || nsize > osize)) {
    long next = c->calls + 1;
    if (next == c->fail_at || (c->persistent ? next > c->fail_at : next == c->fail_at + 1)) {
      c->calls++; /* a failed attempt is an allocation point too */
      return NULL;
    }
  }
  return plain_alloc(ud, ptr, osize, nsize);
}

/* OOM_PAUSED(f, ...): calls f(...) with fault injection suspended (the
   scenario of the sqlite writer wraps LuaSQL's C functions in it: see
   SETUP_SQLITE). */
static int l_paused(lua_State *L) {
  counting *c = (counting *)lua_touserdata(L, lua_upvalueindex(1));
  int rc;
  luaL_checktype(L, 1, LUA_TFUNCTION);
  c->paused++;
  rc = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
  c->paused--;
  if (rc != LUA_OK) return lua_error(L);
  return lua_gettop(L);
}

typedef struct scenario {
  const char *name;
  const char *setup; /* run once on a fresh state, unarmed */
  const char *body;  /* the operation: returns a string (the result) */
} scenario;

/* Outcome of one run. */
enum { RUN_OK, RUN_NOMEM, RUN_OTHER };

/* Runs the global OP with the allocator failing at n (0: not at all):
   one C call, the allocator swapped and restored around lua_pcall.  On
   success the result is left in *res (a copy, malloc'ed by the caller's
   buffer); otherwise the error message. */
static int sweep_once(lua_State *L, counting *c, long n, int persistent, char *out,
                      size_t outsz) {
  void *ud;
  lua_Alloc old = lua_getallocf(L, &ud);
  int rc, kind;
  const char *msg;
  lua_getglobal(L, "OP"); /* no allocation: the function exists */
  if (n > 0) {
    c->fail_at = c->calls + n;
    c->persistent = persistent;
    lua_setallocf(L, fault_alloc, c);
  }
  rc = lua_pcall(L, 0, 1, 0);
  lua_setallocf(L, old, ud);
  c->fail_at = 0;
  msg = lua_tostring(L, -1); /* unarmed: may allocate (a number result) */
  if (rc == LUA_OK) kind = RUN_OK;
  else if (rc == LUA_ERRMEM || (msg && strstr(msg, "not enough memory"))) kind = RUN_NOMEM;
  else kind = RUN_OTHER;
  snprintf(out, outsz, "%s", msg ? msg : luaL_typename(L, -1));
  lua_pop(L, 1);
  if (getenv("OOM_SWEEP_VERBOSE"))
    fprintf(stderr, "  n=%ld%s: %d %.200s\n", n, persistent ? " (persistent)" : "", kind, out);
  return kind;
}

static lua_State *fresh(counting *c, const scenario *s) {
  lua_State *L = lua_newstate(plain_alloc, c);
  if (L == NULL) {
    fprintf(stderr, "cannot create a state\n");
    exit(2);
  }
  luaL_openlibs(L);
  lua_pushlightuserdata(L, c);
  lua_pushcclosure(L, l_paused, 1);
  lua_setglobal(L, "OOM_PAUSED");
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_siqun_core);
  lua_setfield(L, -2, "siqun.core");
  lua_pop(L, 1);
  /* string.rep of 64 KB makes lauxlib create the metatable of its buffer
     boxes ("_UBOX*") now: Lua 5.4 (lauxlib.c, newbox) registers that
     metatable before setting its __gc and __close, so when the sweep made
     that step fail, every later luaL_Buffer of the state would raise
     "variable '(C temporary)' got a non-closable value".  That is a bug of
     Lua's, not of the operation under test. */
  if (luaL_dostring(L, "package.path = 'lua/?.lua;lua/?/init.lua;' .. package.path\n"
                       "local _ = ('x'):rep(1 << 16)") != LUA_OK ||
      luaL_dostring(L, s->setup) != LUA_OK || luaL_loadstring(L, s->body) != LUA_OK) {
    fprintf(stderr, "%s: setup: %s\n", s->name, lua_tostring(L, -1));
    exit(2);
  }
  lua_setglobal(L, "OP");
  return L;
}

static void close_state(lua_State *L, counting *c, const char *what) {
  if (lua_getglobal(L, "TEARDOWN") == LUA_TFUNCTION && lua_pcall(L, 0, 0, 0) != LUA_OK) {
    failures++;
    fprintf(stderr, "%s: teardown: %s\n", what, lua_tostring(L, -1));
  }
  lua_settop(L, 0);
  lua_close(L);
  if (c->blocks != 0 || c->bytes != 0) {
    failures++;
    fprintf(stderr, "%s: %lld blocks (%lld bytes) live after lua_close\n", what, c->blocks,
            c->bytes);
  }
}

#define RESMAX 4096

/* The result of a clean run on a fresh state. */
static char *reference(const scenario *s) {
  counting c = { 0, 0, 0, 0, 0, 0 };
  lua_State *L = fresh(&c, s);
  char *ref = (char *)malloc(RESMAX);
  if (ref == NULL) exit(2);
  if (sweep_once(L, &c, 0, 0, ref, RESMAX) != RUN_OK) {
    fprintf(stderr, "%s: the operation fails without fault injection: %s\n", s->name, ref);
    exit(2);
  }
  close_state(L, &c, s->name);
  return ref;
}

/* After a failed run: the same state, unarmed, must give the reference. */
static void retry(lua_State *L, counting *c, const scenario *s, const char *mode, long n,
                  const char *ref) {
  char got[RESMAX];
  int k = sweep_once(L, c, 0, 0, got, sizeof got);
  if (k != RUN_OK || strcmp(got, ref) != 0) {
    failures++;
    fprintf(stderr, "%s (%s), n=%ld: the retry %s: %.300s\n", s->name, mode, n,
            k == RUN_OK ? "gave another result" : "failed", got);
  }
}

static int judge(const scenario *s, const char *mode, long n, int k, const char *got,
                 const char *ref) {
  if (k == RUN_OTHER) {
    failures++;
    fprintf(stderr, "%s (%s), n=%ld: not a memory error: %.300s\n", s->name, mode, n, got);
  } else if (k == RUN_OK && strcmp(got, ref) != 0) {
    failures++;
    fprintf(stderr, "%s (%s), n=%ld: succeeded with another result: %.300s\n", s->name,
            mode, n, got);
  }
  return k;
}

static void persistent_sweep(const scenario *s, const char *ref) {
  char got[RESMAX];
  long n;
  int other = 0;
  for (n = 1; n <= MAXN; n++) {
    counting c = { 0, 0, 0, 0, 0, 0 };
    lua_State *L = fresh(&c, s);
    int k = judge(s, "persistent", n, sweep_once(L, &c, n, 1, got, sizeof got), got, ref);
    points++;
    if (k != RUN_OK) retry(L, &c, s, "persistent", n, ref);
    close_state(L, &c, s->name);
    if (k == RUN_OK) break;
    if (k == RUN_OTHER && ++other == 3) {
      fprintf(stderr, "%s (persistent): stopped after 3 errors that are not memory errors\n",
              s->name);
      break;
    }
  }
  if (n > MAXN && other < 3) {
    failures++;
    fprintf(stderr, "%s (persistent): never succeeded\n", s->name);
  }
  printf("  %-22s persistent: succeeded once %ld allocations could be made\n", s->name, n - 1);
}

static void transient_sweep(const scenario *s, const char *ref) {
  counting c = { 0, 0, 0, 0, 0, 0 };
  lua_State *L = fresh(&c, s);
  char got[RESMAX];
  long n, total, before, nomem = 0;
  sweep_once(L, &c, 0, 0, got, sizeof got); /* warm: caches filled */
  before = c.calls;
  sweep_once(L, &c, 0, 0, got, sizeof got);
  total = c.calls - before;
  for (n = 1; n <= total; n++) {
    int k = judge(s, "transient", n, sweep_once(L, &c, n, 0, got, sizeof got), got, ref);
    points++;
    if (k != RUN_OK) {
      nomem++;
      retry(L, &c, s, "transient", n, ref);
    }
  }
  close_state(L, &c, s->name);
  printf("  %-22s transient: %ld allocations, %ld failures reported\n", s->name, total, nomem);
}

#define SETUP_ART "siqun = require 'siqun'\nART = assert(siqun.open())\n"

/* Every writer on one compact document holding every kind of block
   (heading, paragraph, list, a table of every column type, a bar chart
   with a log scale) with CJK text, then a built-in report through
   siqun.report.run: the writers' own allocations are swept in full within
   a bounded time (a built-in report in each format would take minutes). */
#define SETUP_DOC                                                                    \
  SETUP_ART                                                                          \
  "DOC = { title = '青石镇 figures', subtitle = 'a compact document', blocks = {\n"  \
  "  { kind = 'heading', text = '读书月', level = 2 },\n"                            \
  "  { kind = 'para', text = '本月举办读书会12场，参加群众约3000人次。' },\n"        \
  "  { kind = 'list', items = { '一', 'two, \"quoted\"', '<b>&amp;</b>' } },\n"     \
  "  { kind = 'table', name = 'figures', caption = 'Figures',\n"                      \
  "    columns = { { name = 'id' }, { name = 'text', title = '文字' },\n"            \
  "                { name = 'value', type = 'number' }, { name = 'n', type = 'integer' },\n" \
  "                { name = 'ok', type = 'boolean' } },\n"                            \
  "    rows = { { id = 'a', text = '35.5亿元', value = 3.55e9, n = 1, ok = true },\n" \
  "             { id = 'b', text = '1/5', value = 0.2, n = 2, ok = false },\n"       \
  "             { id = 'c,d', text = 'x\"y', n = 3 } } },\n"                          \
  "  { kind = 'chart', chart = 'bar', title = 'Values', unit = '元', data = {\n"     \
  "    { label = 'a', value = 3.55e9, text = '35.5亿元' },\n"                        \
  "    { label = 'b', value = 12, text = '12场', group = 'g' } } } } }\n"

/* The sqlite writer on the fixture (the whole article takes minutes), into
   a directory of its own (a failed run must leave no temporary file behind:
   the result counts the files), in memory (/dev/shm) when there is one.  LuaSQL's C
   functions run with fault injection suspended: lua-sql-sqlite3 2.6 crashes
   when an allocation of its own fails (create_cursor's luaL_ref fails, the
   cursor's __gc then decrements the counter of a NULL connection), a bug
   outside siqun.  The writer's own allocations are swept. */
#define SETUP_SQLITE                                                                 \
  "siqun = require 'siqun'\nART = assert(siqun.open('spec/fixtures/valid'))\n"     \
  "DIR = os.tmpname() os.remove(DIR)\n"                                              \
  "if io.open('/dev/shm') then DIR = '/dev/shm/' .. DIR:match('[^/]*$') end\n"       \
  "assert(os.execute('mkdir ' .. DIR))\n"                                           \
  "PATH = DIR .. '/siqun.db'\n"                                                     \
  "local luasql = require 'luasql.sqlite3'\n"                                       \
  "local function wrap(t)\n"                                                        \
  "  for k, f in pairs(t) do\n"                                                     \
  "    if type(f) == 'function' then\n"                                            \
  "      t[k] = function(...) return OOM_PAUSED(f, ...) end\n"                      \
  "    end\n"                                                                        \
  "  end\n"                                                                          \
  "end\n"                                                                            \
  "wrap(luasql)\n"                                                                   \
  "local env = luasql.sqlite3()\n"                                                  \
  "local conn = env:connect(DIR .. '/probe.db')\n"                                  \
  "local cur = conn:execute('PRAGMA foreign_key_check')\n"                         \
  "for _, o in ipairs { env, conn, cur } do wrap(debug.getmetatable(o)) end\n"           \
  "if type(cur) == 'userdata' then cur:close() end\n"                              \
  "conn:close() env:close() os.remove(DIR .. '/probe.db')\n"                       \
  "function TEARDOWN() os.execute('rm -rf ' .. DIR) end\n"

/* siqun.files (both ways of writing: O_TMPFILE and a named temporary),
   reading, and siqun.scan_file in small pieces, in a directory of their
   own: a failed run must leave no file behind (the result counts them,
   hidden ones included). */
#define SETUP_FILES                                                                  \
  "siqun = require 'siqun'\nFILES = require 'siqun.files'\nrequire 'siqun.scan_file'\n" \
  "DIR = os.tmpname() os.remove(DIR)\n"                                              \
  "if io.open('/dev/shm') then DIR = '/dev/shm/' .. DIR:match('[^/]*$') end\n"       \
  "assert(os.execute('mkdir ' .. DIR))\n"                                           \
  "function TEARDOWN() os.execute('rm -rf ' .. DIR) end\n"

/* The writer's modules are loaded in the setup, so that the sweep is of
   the writer's own work (loading modules is swept by "require siqun.report"). */
#define WRITER(fmt)                                                                  \
  { "writer " fmt, SETUP_DOC "require 'siqun.report' require 'siqun.writer." fmt "'\n", \
    "local s, e = siqun.report.render(DOC, '" fmt "')\n"                             \
    "if not s then error(e, 0) end\n"                                                \
    "return #s .. ':' .. s:sub(1, 60)" }

static const scenario SCENARIOS[] = {
  { "require siqun", "",
    "local s = require 'siqun' return s._VERSION .. ' ' .. type(s.query)" },
  { "siqun.open()", "siqun = require 'siqun'",
    "local a, e = siqun.open() if not a then error(e, 0) end\n"
    "return tostring(a) .. ' ' .. #a.figures .. ' ' .. a.glossary:get('四联户').members:at(1)" },
  { "siqun.open(dir)", "siqun = require 'siqun'",
    "local a, e = siqun.open('data') if not a then error(e, 0) end\n"
    "return tostring(a) .. ' ' .. #a.figures .. ' ' .. #a.glossary" },
  { "siqun.open(bad dir)", "siqun = require 'siqun'",
    /* a refusal: nil and the loader's message, or a memory error */
    "local a, e = siqun.open('spec') return tostring(a) .. ' ' .. e" },
  /* every field of every record, and span and a method: each Record is
     read more times than it has fields, so it is promoted (its own
     metatable and values table, set only once complete: the retry reads
     it) */
  { "record fields", "DS = assert(require('siqun.core').open())",
    "local out = {}\n"
    "for _, name in ipairs(DS:tables()) do\n"
    "  local t = DS:table(name)\n"
    "  for i = 1, #t do\n"
    "    local r = t[i]\n"
    "    for _, f in ipairs(t:fields()) do out[#out + 1] = tostring(r[f.name]) end\n"
    "    out[#out + 1] = tostring(r.span and r.span.start) .. r:table_name()\n"
    "  end\n"
    "end\n"
    "local s = table.concat(out, ',')\n"
    "return #out .. ' ' .. #s .. ' ' .. s:sub(1, 80) .. s:sub(-80)" },
  { "siqun.quantity", "siqun = require 'siqun'",
    "local out = {}\n"
    "for _, s in ipairs { '35.5亿元', '约3000人次', '10～20万', '两到三万', '1/5',\n"
    "                     '2012年7月1日', '不少于4次', '近百户', 'x万' } do\n"
    "  local q, e = siqun.quantity(s)\n"
    "  out[#out + 1] = q and (q.kind .. ' ' .. tostring(q.value) .. ' ' .. tostring(q.unit)\n"
    "                         .. ' ' .. q.qualifier) or e\n"
    "end\n"
    /* a siqun.Quantity's `to` (made on first read), totable, pairs, tostring */
    "local d = siqun.quantity('2012年6月18日至7月1日')\n"
    "local t, keys = d:totable(), {}\n"
    "for k, v in pairs(d) do keys[#keys + 1] = k end\n"
    "out[#out + 1] = d.to.month .. '/' .. d.to.day .. ' ' .. t.to.day .. ' ' .. t.text .. ' '\n"
    "  .. table.concat(keys, ',') .. ' ' .. tostring(d) .. ' ' .. tostring(d == siqun.quantity(t.text))\n"
    "return table.concat(out, '|')" },
  { "siqun.scan", "siqun = require 'siqun'\n"
    "local f = assert(io.open('spec/fixtures/source.txt', 'rb')) TEXT = f:read('a') f:close()",
    "local out = {}\n"
    "for q in siqun.scan(TEXT) do out[#out + 1] = q.start .. ':' .. q.text .. '=' ..\n"
    "  tostring(q.value or q.year) .. (q.to and ('-' .. tostring(q.to.day)) or '') ..\n"
    "  ' ' .. #q:totable().text end\n"
    "return table.concat(out, '|')" },
  { "siqun.query", SETUP_ART,
    "local r = {}\n"
    "local l = siqun.query(ART, \"figures where value > 10000 and unit = '元' order by value desc\")\n"
    "r[1] = #l .. ' ' .. l[1].id\n"
    "l = siqun.query(ART, 'figures group by section select section, count() as n, sum(value) having n > 1')\n"
    "r[2] = #l .. ' ' .. l[1].n\n"
    "l = ART:query(\"glossary where term ~ '联' select id, term\")\n"
    "r[3] = #l .. ' ' .. l[1].term\n"
    "local q = siqun.compile('people where place is not nil order by name limit 3')\n"
    "r[4] = #q:run(ART)\n"
    /* a where clause fused when its query runs the second time */
    "q = siqun.compile(\"quotas where min >= 3 and unit = '天'\")\n"
    "r[7] = #q:run(ART) .. ' ' .. #q:run(ART)\n"
    "local bad, e = siqun.safe.query(ART, 'figures where valeu > 1')\n"
    "r[5] = tostring(bad) .. ' ' .. e\n"
    "r[6] = #ART.figures:filter('value >= 100'):map(function(f) return f.id end)\n"
    "return table.concat(r, '|')" },
  WRITER("text"),
  WRITER("markdown"),
  WRITER("csv"),
  WRITER("json"),
  WRITER("html"),
  /* a List written without a document (siqun.write of JSON, NDJSON and
     CSV): records, query rows, and plain rows with invalid UTF-8, escapes
     and a list column */
  { "write List", SETUP_ART
    "require 'siqun.output' require 'siqun.writer.json' require 'siqun.writer.ndjson'\n"
    "require 'siqun.writer.csv' require 'siqun.writer.cells'\n"
    "RECS = ART:query('figures where value >= 1000000')\n"
    "ROWS = ART:query('figures group by unit select unit, count()')\n"
    "PLAIN = { { id = 'a\\255', text = 'x\"y\\n', m = { '一', 2 } }, { id = 'b', text = '35.5亿元' } }\n"
    "COLS = { 'id', 'text', { name = 'm', type = 'list' } }\n",
    "local out = {}\n"
    "for _, f in ipairs { 'json', 'ndjson', 'csv' } do\n"
    "  for _, l in ipairs { RECS, ROWS } do\n"
    "    local s = assert(siqun.write(l, f)) out[#out + 1] = #s .. s:sub(1, 30)\n"
    "  end\n"
    "  local s = assert(siqun.write(PLAIN, f, { columns = COLS })) out[#out + 1] = #s .. s\n"
    "end\n"
    "return table.concat(out, '|')" },
  { "writer sqlite", SETUP_SQLITE,
    "local ok, e = siqun.report.sqlite(ART, PATH, { force = true })\n"
    "if not ok then error(e, 0) end\n"
    "local f = assert(io.open(PATH, 'rb')) local s = f:read('a') f:close()\n"
    "local leftovers = 0\n"
    "for name in io.popen('ls -A ' .. DIR):lines() do leftovers = leftovers + 1 end\n"
    "return tostring(ok) .. ' ' .. s:sub(1, 15) .. ' files: ' .. leftovers" },
  { "siqun.files", SETUP_FILES,
    "local out, p = {}, DIR .. '/f.txt'\n"
    "for _, named in ipairs { false, true } do\n"
    "  local ok, e = FILES.save(p, { '共3个', '，约2万份' }, { force = true, named = named })\n"
    "  if not ok then error(e, 0) end\n"
    "  out[#out + 1] = FILES.read(p, { max = 100 })\n"
    "  out[#out + 1] = select(3, FILES.save(p, 'x', { named = named }))\n"
    "end\n"
    "for q in siqun.scan_file(p, { chunk = 4 }) do out[#out + 1] = q.start .. q.text end\n"
    "local n = 0\n"
    "for _ in io.popen('ls -A ' .. DIR):lines() do n = n + 1 end\n"
    "return table.concat(out, '|') .. ' files: ' .. n" },
  { "require siqun.report", "siqun = require 'siqun'",
    "local r = require 'siqun.report' return type(r.run) .. ' ' .. type(r.render)" },
  { "report.run people", SETUP_ART "require 'siqun.report' require 'siqun.writer.csv'\n",
    "local s, e = siqun.report.run('people', ART, 'csv')\n"
    "if not s then error(e, 0) end\n"
    "return #s .. ':' .. s:sub(1, 60)" },
};

int main(int argc, char **argv) {
  size_t i;
  int ran = 0;
  if (getenv("OOM_SWEEP_BODY")) { /* an ad-hoc scenario, for debugging */
    scenario adhoc;
    char *ref;
    adhoc.name = "adhoc";
    adhoc.setup = getenv("OOM_SWEEP_SETUP") ? getenv("OOM_SWEEP_SETUP") : "";
    adhoc.body = getenv("OOM_SWEEP_BODY");
    ref = reference(&adhoc);
    persistent_sweep(&adhoc, ref);
    transient_sweep(&adhoc, ref);
    free(ref);
    return failures != 0;
  }
  printf("allocation-failure sweeps (persistent: fail from the n-th allocation on; "
         "transient: the n-th and its retry)\n");
  for (i = 0; i < sizeof SCENARIOS / sizeof SCENARIOS[0]; i++) {
    const scenario *s = &SCENARIOS[i];
    char *ref;
    if (argc > 1 && strstr(s->name, argv[1]) == NULL) continue;
    ran++;
    ref = reference(s);
    persistent_sweep(s, ref);
    transient_sweep(s, ref);
    free(ref);
    fflush(stdout);
  }
  if (ran == 0) {
    fprintf(stderr, "no scenario matches '%s'\n", argc > 1 ? argv[1] : "");
    return 2;
  }
  printf("oom: %d scenarios, allocation points swept: %lld\n", ran, points);
  if (failures) {
    fprintf(stderr, "%d failure(s)\n", failures);
    return 1;
  }
  printf("all checks passed\n");
  return 0;
}
