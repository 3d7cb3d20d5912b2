--- siqun.article: the Article object of the facade (siqun.open returns
-- one): its tables as read-only Lists of records, made on first use;
-- A.facade makes the facade (siqun.open, siqun.summary, and the entry
-- points of the query language and the reports, which load on first use).
-- The rest of the Article (the glossary's members, attach/slice/close,
-- summary and report) is in siqun.article_more, loaded on first use.
-- Loaded by siqun/init.lua; not meant to be required on its own.

local core = require "siqun.core"
local List = require "siqun.list"
local compat = require "siqun.compat"

local A = {}
local M -- the facade (siqun), set by A.install

-- Private state of every live Article (weak: closed articles drop out).
local art_state = setmetatable({}, { __mode = "k" })
local Article = {}

local function check(self, fname)
  local s = art_state[self]
  if not s then
    error(("bad self to '%s' (siqun.Article expected, got %s)"):format(fname, type(self)), 3)
  end
  return s
end

-- siqun.article_more, loaded on first use: it fills Article with the
-- methods it holds and returns members_of and summary.  After an error
-- while loading (out of memory) the next use tries again.
local P = { Article = Article, art_state = art_state, check = check }
local more
local function load_more()
  if more == nil then more = require("siqun.article_more")(P) end
  return more
end
-- (rawget: Article's own methods never reach here)
setmetatable(Article, { __metatable = "siqun.Article class", __index = function(t, k)
  load_more()
  return rawget(t, k)
end })

-- ------------------------------------------------------------- members

-- glossary.members: each term's member texts in order (members.n), made
-- on first use (siqun.article_more).
local function members_of(rec) return load_more().members_of(rec) end

do
  local getters = core.record_getters
  if type(getters) == "table" then
    getters.glossary = getters.glossary or {}
    getters.glossary.members = members_of
    -- events: e.where is the event's place (the id of a places record, or
    -- nil), as the API names it; e.place holds the same.
    getters.events = getters.events or {}
    getters.events.where = function(rec) return rec.place end
  end
end

-- ------------------------------------------------------------- Article

local art_mt = { __name = "siqun.Article", __metatable = "siqun.Article" }

-- Keys List:get also accepts: glossary terms by their printed term.
local EXTRA_KEYS = { glossary = { "term" } }
-- Tables whose primary key has several fields (get takes one argument each).
local COMPOSITE_KEYS = { members = { "term", "n" } }

-- The List of table name of the Article state s, made on first use (from
-- the core Table and its length, both taken at open: the List is the same
-- once the dataset is closed); nil for no such table.
local function list_of(s, name)
  local l = s.lists[name]
  if l == nil then
    local t = s.tables[name]
    if t == nil then return nil end
    l = List.of_table(t, { name = name, keys = EXTRA_KEYS[name], pk = COMPOSITE_KEYS[name],
                           n = s.sizes[name] })
    s.lists[name] = l
  end
  return l
end
P.list_of = list_of

-- Field k of the Article state s: the meta record for "meta" (when there
-- is a meta table), a table's List, "dataset" the core's dataset.
local function field_of(s, k)
  local v = s.fields[k]
  if v ~= nil then return v end
  if k == "meta" and s.tables.meta ~= nil then
    v = list_of(s, "meta")[1]
  elseif s.tables[k] ~= nil then
    v = list_of(s, k)
  elseif k == "dataset" then
    return s.ds
  end
  if v ~= nil then s.fields[k] = v end
  return v
end
P.field_of = field_of

art_mt.__index = function(self, k)
  local v = field_of(art_state[self], k)
  if v ~= nil then return v end
  return Article[k]
end

art_mt.__newindex = function()
  error("siqun.Article is read-only", 2)
end

-- __tostring and __pairs are in siqun.article_more (these stubs load it
-- and tail-call them).
art_mt.__tostring = function(self) return load_more().tostring(self) end
art_mt.__pairs = function(self) return load_more().pairs(self) end

art_mt.__close = function(self) Article.close(self) end

--- The names of the dataset's tables, in order, as a List of strings.
function Article:tables()
  return List.new(check(self, "tables").names)
end

--- The List of records of table name (for meta too); nil and a message for
-- an unknown name.
function Article:table(name)
  local s = check(self, "table")
  local l = s.tables[name] ~= nil and list_of(s, name) or nil
  if l == nil then
    return nil, ("no table named '%s'"):format(tostring(name))
  end
  return l
end

-- The names an Article answers itself, each "method" or "field": all the
-- methods of Article (here, in siqun.article_more and art:query) and the
-- field dataset.  A resource of one of these names would be out of reach
-- behind it (art.query a List, art:query no method), so siqun.open
-- refuses it.  (spec/article_names_spec.lua holds this list to Article.)
local RESERVED = {
  attach = "method", attach_text = "method", attached = "method", close = "method",
  dataset = "field", query = "method", report = "method", slice = "method",
  source_info = "method", summary = "method", table = "method", tables = "method",
}
A.RESERVED = RESERVED

-- The core Tables are taken at open, their Lists made on first use.  nil
-- and a message for a table of a RESERVED name.
local function new_article(ds)
  local tables, sizes, names = {}, {}, ds:tables()
  for i = 1, #names do
    local name = names[i]
    local kind = RESERVED[name]
    if kind then
      return nil, ("datapackage.json: resource '%s' clashes with the Article %s (rename the resource)")
                  :format(name, kind == "method" and ("method art:" .. name) or ("field art." .. name))
    end
    local t = ds:table(name)
    tables[name] = t
    sizes[name] = #t
  end
  local self = compat.proxy(art_mt) -- a userdata on 5.1 and LuaJIT (see siqun.compat)
  art_state[self] = { ds = ds, fields = {}, lists = {}, tables = tables, sizes = sizes,
                      names = names }
  return self
end

A.Article = Article
A.new = new_article

--- (siqun.open, once siqun/init.lua has checked dir) Opens the embedded
-- dataset (dir nil) or the one in directory dir: an Article, or nil and
-- the loader's message (or new_article's).
function A.open(dir)
  local ds, err = core.open(dir)
  if not ds then return nil, err end
  local art
  art, err = new_article(ds)
  if not art then ds:close() end -- (now: the caller has nothing to close it with)
  return art, err
end
function A.is_article(x) return art_state[x] ~= nil end

--- The facade (siqun/init.lua returns it): siqun.open, and what A.install
-- puts there.  (Here rather than in siqun/init.lua, which require reads
-- and compiles from its source every time.)
function A.facade()
  local open = A.open
  --- Opens the embedded article, or the data package in directory dir: an
  -- Article, or nil and the loader's message.
  local function facade_open(dir)
    if dir ~= nil and type(dir) ~= "string" then
      require("siqun.check").type(1, "open", "string", dir)
    end
    return open(dir)
  end
  return A.install({ open = facade_open })
end

--- Fills the facade M (A.facade, which defines M.open): its fields,
-- siqun.summary, and the lazy entry points of the query language and the
-- reports.
function A.install(facade)
  M = facade
  P.M = facade
  M._VERSION = "siqun 0.1.0"
  M.version = "0.1.0"
  M.List = List
  M.core = core
  M.quantity = core.quantity
  M.scan = core.scan

  --- The quantities of a file (a path, or an open file handle such as
  -- io.stdin) read in pieces: what siqun.scan would give of its whole text
  -- (siqun.scan_file).  A tail call: error levels are scan_file's own.
  function M.scan_file(src, opts) return require("siqun.scan_file").scan_file(src, opts) end

  --- True when x is an Article.
  M.is_article = A.is_article

  --- The summary report of art (the embedded article by default), a string.
  -- opts.width: line width, an integer of at least 20 (78 by default).
  function M.summary(art, opts) return load_more().summary(art, opts) end

  -- The query language (siqun.query) and siqun.compose's List methods load
  -- on first use: compiling them costs more than opening the dataset, and
  -- most scripts need neither (a query needs no List method of
  -- siqun.compose, and those methods need no query).  Until then the
  -- entry points of the query language are stubs that load it and
  -- tail-call the real function (so error levels are unchanged), and a
  -- hook on List.methods installs siqun.compose's methods when a List
  -- looks one up.  LPeg is needed once a query has a string.
  -- once(install) makes the one loader both use: it runs install on its
  -- first call, and is marked loaded only once install has run to the end:
  -- after an error (out of memory, no LPeg) the next call tries again, and
  -- a stub never finds itself still in place (it would call itself for
  -- ever).  While install runs, its loader stays quiet (siqun.compose looks
  -- its names up in List.methods, behind the hook); the flag is set inside
  -- the protected call, so an error before it (pcall itself out of memory)
  -- cannot leave it set.
  local function once(install)
    local loaded, busy = false, false
    local function run()
      busy = true
      install()
    end
    return function()
      if loaded or busy then return end
      local ok, err = pcall(run)
      busy = false
      if not ok then error(err, 0) end
      loaded = true
    end
  end
  local load_query = once(function() require("siqun.query").install(M, Article) end)
  local load_compose = once(function()
    require("siqun.compose").install(List)
    setmetatable(List.methods, nil)
  end)
  -- (the stubs of t[k], or of t[sub][k]: looked up again once loaded)
  local function stubs(t, sub, keys)
    for i = 1, #keys do
      local k = keys[i]
      local function stub(...)
        load_query()
        if sub then return t[sub][k](...) end
        return t[k](...)
      end
      if sub then t[sub][k] = stub else t[k] = stub end
    end
  end
  stubs(M, nil, { "query", "compile", "query_predicate" })
  M.safe = {}
  stubs(M, "safe", { "query", "run", "compile", "predicate" })
  stubs(Article, nil, { "query" })
  -- the List methods siqun.compose adds
  setmetatable(List.methods, { __index = function(t, k)
    load_compose()
    return rawget(t, k)
  end })
  --- Loads now every part siqun loads on first use (the query language and
  -- its parts, the List and Article methods beyond the first ones, the
  -- writers and reports, LPeg), so that a host that forks (OpenResty's
  -- init_by_lua) or times its requests pays nothing for them later.
  -- Returns the names loaded.  (spec/load_all_spec.lua holds the list to
  -- lua/siqun.)
  function M.load_all()
    local names = { "lpeg", "siqun.article_more", "siqun.list_more", "siqun.compose",
      "siqun.fields", "siqun.files", "siqun.output", "siqun.scan_file", "siqun.check", "siqun.item",
      "siqun.terminal_summary",
      "siqun.text", "siqun.query", "siqun.query.aggregate", "siqun.query.cond",
      "siqun.query.errors", "siqun.query.exec", "siqun.query.fuse", "siqun.query.group",
      "siqun.query.lexer", "siqun.query.message", "siqun.order", "siqun.query.parser",
      "siqun.query.plan", "siqun.query.predicate", "siqun.query.row", "siqun.query.suggest",
      "siqun.report", "siqun.reports.consistency", "siqun.reports.figures",
      "siqun.reports.glossary", "siqun.reports.people", "siqun.reports.quotas",
      "siqun.reports.summary", "siqun.reports.timeline", "siqun.writer",
      "siqun.writer.cells", "siqun.writer.chart", "siqun.writer.common", "siqun.writer.csv",
      "siqun.writer.han", "siqun.writer.html", "siqun.writer.json", "siqun.writer.json_doc",
      "siqun.writer.markdown", "siqun.writer.markup",
      "siqun.writer.ndjson", "siqun.writer.sqlite", "siqun.writer.svg", "siqun.writer.text",
      "siqun.writer.timeline" }
    for _, name in ipairs(names) do require(name) end
    -- (the entry points in place of their stubs)
    load_query()
    load_compose()
    load_more()
    local _, _, _ = M.report, M.files, M.write
    return names
  end

  -- siqun.report, siqun.files, siqun.write and siqun.columns (siqun.output)
  -- on first use (the facade is a module table, as mutable as any; its
  -- metatable is hidden all the same)
  setmetatable(M, { __metatable = "siqun", __index = function(t, k)
    if k == "report" or k == "files" then
      local r = require("siqun." .. k)
      rawset(t, k, r)
      return r
    elseif k == "write" or k == "columns" then
      local o = require "siqun.output"
      rawset(t, "write", o.write)
      rawset(t, "columns", o.columns)
      return o[k]
    end
  end })
  return M
end

return A
