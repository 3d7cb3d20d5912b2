--- siqun.article: the Article object (siqun.open returns one): its tables
-- as read-only Lists of records, made on first use.  Its rarer methods
-- load on first use (attach, slice, source_info: siqun.source; query:
-- siqun.query; declared below with siqun.lazy); summary and report are
-- given to it by siqun.facade.
-- Loaded by siqun.facade; not meant to be required on its own.

local core = require "siqun.core"
local List = require "siqun.list"
local compat = require "siqun.compat"
local lazy = require "siqun.lazy"

local A = {}

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

--- (For Article methods elsewhere: siqun.facade's summary and report)
-- Raises at the method's caller "bad self to 'fname'" unless self is an
-- Article.
function A.check(self, fname)
  if not art_state[self] then
    error(("bad self to '%s' (siqun.Article expected, got %s)"):format(fname, type(self)), 3)
  end
end

-- ------------------------------------------------------------- on first use

-- The Article's link to its source text (siqun.source) and its query
-- (siqun.query) load on first use: opening a dataset and reading its
-- records needs neither.  (summary and report: siqun.facade.)
local LAZY = {
  attach = "siqun.source", attach_text = "siqun.source", attached = "siqun.source",
  source_info = "siqun.source", slice = "siqun.source",
  query = { "siqun.query", "run" },
}
A.LAZY = LAZY
lazy.fields(Article, LAZY, { __metatable = "siqun.Article class" })

do
  local getters = core.record_getters
  if type(getters) == "table" then
    -- glossary.members: each term's member texts in order (members.n),
    -- made on first use (siqun.source)
    local source = lazy.module "siqun.source"
    getters.glossary = getters.glossary or {}
    getters.glossary.members = function(rec) return source.members_of(rec) end
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

art_mt.__index = function(self, k)
  local v = field_of(art_state[self], k)
  if v ~= nil then return v end
  return Article[k]
end

art_mt.__newindex = function()
  error("siqun.Article is read-only", 2)
end

art_mt.__tostring = function(self)
  local meta = field_of(art_state[self], "meta")
  local title = meta and meta.title
  return "siqun.Article: " .. (title and tostring(title) or "?")
end

-- pairs(art): meta, then each table's List, in the dataset's order.
art_mt.__pairs = function(self)
  local s = art_state[self]
  local i = 0
  return function()
    i = i + 1
    local name = s.names[i]
    if name == nil then return nil end
    return name, field_of(s, name)
  end, self, nil
end

art_mt.__close = function(self) Article.close(self) end

--- The names of the dataset's tables, in order, as a List of strings.
function Article:tables()
  return List.new(check(self, "tables").names)
end

--- Releases the dataset now instead of at garbage collection (also on
-- leaving the scope of `local art <close> = siqun.open()`).  Idempotent;
-- the records then raise "attempt to use a closed siqun.Dataset".
function Article:close()
  check(self, "close").ds:close()
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
-- methods of Article (here and those siqun.facade gives it) and the
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

return A
