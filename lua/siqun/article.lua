--- siqun.article: the Article object of the facade (siqun.open returns
-- one): its tables as read-only Lists of records, made on first use, the
-- glossary's members, attach/slice/close, and the reports; A.install
-- fills the facade (siqun.summary, and the entry points of the query
-- language and the reports, which load on first use).  Loaded by
-- siqun/init.lua, which keeps siqun.open itself; not meant to be required
-- on its own.

local core = require "siqun.core"
local List = require "siqun.list"
local compat = require "siqun.compat"
local ipairs, pairs = compat.ipairs, compat.pairs -- 5.3's ipairs, 5.2's pairs, on every Lua

local A = {}
local M -- the facade (siqun), set by A.install

-- ------------------------------------------------------------- members

-- Glossary record -> List of its members' texts, for records that belong
-- to an Article (materialised once, so the userdata is the key).
local members_by_record = setmetatable({}, { __mode = "k" })
-- Private state of every live Article (weak: closed articles drop out).
local art_state = setmetatable({}, { __mode = "k" })

-- Fills members_by_record for the glossary of the Article state s (on
-- first use of a members field: opening a dataset does not pay for it).
local function build_members(s)
  local lists = s.lists
  if not lists.glossary then
    s.members_built = true
    return
  end
  local by_term = {}
  if lists.members then
    for _, m in ipairs(lists.members) do
      local term = m.term
      if term ~= nil then
        local g = by_term[term]
        if not g then g = {}; by_term[term] = g end
        g[#g + 1] = m
      end
    end
  end
  for _, g in ipairs(lists.glossary) do
    local ms = by_term[g.id] or {}
    local texts = List.new(ms):sort("n"):map(function(m) return m.text end)
    members_by_record[g] = texts
  end
  s.members_built = true -- (not before: an error on the way leaves it to do)
end

local function members_of(rec)
  local m = members_by_record[rec]
  if m ~= nil then return m end
  for _, s in pairs(art_state) do
    -- (a closed article has no members to give: its records raise)
    if not s.members_built then
      local ok, err = pcall(s.ds.attached, s.ds)
      if ok then
        build_members(s)
      elseif not tostring(err):find("closed", 1, true) then
        error(err, 0)
      end
    end
  end
  m = members_by_record[rec]
  if m ~= nil then return m end
  -- A record fetched from the core directly (not through an Article's
  -- lists): find its twin among the live articles.
  for _, s in pairs(art_state) do
    local gl = s.fields.glossary
    if gl then
      local i = gl:index_of(rec)
      if i then return members_by_record[gl[i]] end
    end
  end
  return nil
end

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

local Article = {}
local art_mt = { __name = "siqun.Article", __metatable = "siqun.Article" }

art_mt.__index = function(self, k)
  local v = art_state[self].fields[k]
  if v ~= nil then return v end
  return Article[k]
end

art_mt.__newindex = function()
  error("siqun.Article is read-only", 2)
end

art_mt.__tostring = function(self)
  local meta = art_state[self].fields.meta
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
    return name, s.fields[name]
  end, self, nil
end

local function check(self, fname)
  local s = art_state[self]
  if not s then
    error(("bad self to '%s' (siqun.Article expected, got %s)"):format(fname, type(self)), 3)
  end
  return s
end

--- The names of the dataset's tables, in order, as a List of strings.
function Article:tables()
  return List.new(check(self, "tables").names)
end

--- The List of records of table name (for meta too); nil and a message for
-- an unknown name.
function Article:table(name)
  local s = check(self, "table")
  local l = s.lists[name]
  if l == nil then
    return nil, ("no table named '%s'"):format(tostring(name))
  end
  return l
end

local function attach_text(s, text, name, level)
  local ok, msg = s.ds:attach(text)
  if not ok then
    error((name and (name .. ": ") or "") .. tostring(msg), level + 1)
  end
  return true
end

--- Attaches the user's copy of the article (the file at path), so that
-- record:source() returns the text of each record's span.  Returns true;
-- nil and a message when the file cannot be read; raises when its SHA-256
-- (after BOM/CRLF normalisation) is not the one the dataset records.
function Article:attach(path)
  local s = check(self, "attach")
  if type(path) ~= "string" then
    error(("bad argument #1 to 'attach' (string expected, got %s)"):format(type(path)), 2)
  end
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local text, rerr = f:read("*a")
  f:close()
  if text == nil then
    return nil, path .. ": " .. tostring(rerr)
  end
  return attach_text(s, text, path, 2)
end

--- Like attach, with the article's text itself.
function Article:attach_text(text)
  local s = check(self, "attach_text")
  if type(text) ~= "string" then
    error(("bad argument #1 to 'attach_text' (string expected, got %s)"):format(type(text)), 2)
  end
  return attach_text(s, text, nil, 2)
end

--- True once a source text is attached.
function Article:attached()
  return check(self, "attached").ds:attached()
end

--- { sha256 =, bytes =, codepoints = } of the source the spans point into.
function Article:source_info()
  return check(self, "source_info").ds:source_info()
end

--- The attached text from code point start to stop (0-based, stop excluded).
function Article:slice(start, stop)
  local s = check(self, "slice")
  -- (checked here: the core's message would number them from its own self,
  -- and name no function on LuaJIT)
  for i = 1, 2 do
    local v = stop
    if i == 1 then v = start end
    if type(v) ~= "number" then
      error(("bad argument #%d to 'slice' (number expected, got %s)"):format(
        i, v == nil and "no value" or type(v)), 2)
    end
  end
  return s.ds:slice(start, stop)
end

--- Releases the dataset now instead of at garbage collection (also on
-- leaving the scope of `local art <close> = siqun.open()`).  Idempotent;
-- the records then raise "attempt to use a closed siqun.Dataset".
function Article:close()
  check(self, "close").ds:close()
end

art_mt.__close = function(self) Article.close(self) end

--- The summary report (see siqun.summary).
-- Raises at the caller's caller unless opts (argument #argn of 'summary')
-- suits the summary report.
local function check_summary_opts(opts, argn)
  if opts ~= nil and type(opts) ~= "table" then
    error(("bad argument #%d to 'summary' (table expected, got %s)"):format(argn, type(opts)), 3)
  end
  local width = opts and opts.width
  if width ~= nil and (compat.math_type(width) ~= "integer" or width < 20) then
    error(("bad option 'width' to 'summary' (integer of at least 20 expected, got %s)"):format(
          tostring(width)), 3)
  end
end

function Article:summary(opts)
  check(self, "summary")
  check_summary_opts(opts, 1)
  return M.summary(self, opts)
end

--- Runs report name on this article (see siqun.report.run).
function Article:report(name, format, opts)
  check(self, "report")
  -- (checked here: report.run would name its own arguments, one further)
  for i, a in ipairs { { name, "string", false }, { format, "string", true },
                       { opts, "table", true } } do
    if not ((a[3] and a[1] == nil) or type(a[1]) == a[2]) then
      error(("bad argument #%d to 'report' (%s expected, got %s)"):format(
        i, a[2], a[1] == nil and "no value" or type(a[1])), 2)
    end
  end
  return M.report.run(name, self, format, opts)
end

-- Keys List:get also accepts: glossary terms by their printed term.
local EXTRA_KEYS = { glossary = { "term" } }
-- Tables whose primary key has several fields (get takes one argument each).
local COMPOSITE_KEYS = { members = { "term", "n" } }

local function new_article(ds)
  local fields, lists, names = { dataset = ds }, {}, {}
  for _, name in ipairs(ds:tables()) do
    local t = ds:table(name)
    local l = List.of_table(t, { name = name, keys = EXTRA_KEYS[name], pk = COMPOSITE_KEYS[name] })
    names[#names + 1] = name
    lists[name] = l
    fields[name] = l
  end
  if lists.meta then fields.meta = lists.meta[1] end
  -- glossary.members: each term's member texts in order (members.n), made
  -- on first use (build_members).

  local self = compat.proxy(art_mt) -- a userdata on 5.1 and LuaJIT (see siqun.compat)
  art_state[self] = { ds = ds, fields = fields, lists = lists, names = names }
  return self
end


A.Article = Article
A.new = new_article
function A.is_article(x) return art_state[x] ~= nil end

--- Fills the facade M (siqun/init.lua, which defines M.open itself): its
-- fields, siqun.summary, and the lazy entry points of the query language
-- and the reports.
function A.install(facade)
  M = facade
  M._VERSION = "siqun 0.1.0"
  M.version = "0.1.0"
  M.List = List
  M.core = core
  M.quantity = core.quantity
  M.scan = core.scan

  --- True when x is an Article.
  M.is_article = A.is_article

  --- The summary report of art (the embedded article by default), a string.
  -- opts.width: line width, an integer of at least 20 (78 by default).
  function M.summary(art, opts)
    check_summary_opts(opts, 2)
    if art == nil then
      local err
      art, err = M.open()
      if not art then error(err, 2) end
    elseif not art_state[art] then
      error(("bad argument #1 to 'summary' (siqun.Article expected, got %s)"):format(type(art)), 2)
    end
    return require("siqun.summary").render(art, opts)
  end

  -- The query language (siqun.query, which also installs siqun.compose's List
  -- methods) and the reports load on first use: compiling them costs more
  -- than opening the dataset, and most scripts need neither.  Until then the
  -- entry points are stubs that load the language and tail-call the real
  -- function (so error levels are unchanged).  LPeg is needed from then on.
  -- Marked loaded only once install has run to the end: after an error
  -- (out of memory, no LPeg) the next call tries again, and a stub never
  -- finds itself still in place (it would call itself for ever).  While
  -- installing, the List.methods hook below stays quiet (siqun.compose
  -- looks its names up there); the flag is set inside the protected call,
  -- so an error before it (pcall itself out of memory) cannot leave it set.
  local query_loaded, installing = false, false
  local function install_query()
    installing = true
    require("siqun.query").install(M, Article, List)
  end
  local function load_query()
    if query_loaded or installing then return end
    local ok, err = pcall(install_query)
    installing = false
    if not ok then error(err, 0) end
    query_loaded = true
    setmetatable(List.methods, nil)
  end
  M.query = function(...) load_query(); return M.query(...) end
  M.compile = function(...) load_query(); return M.compile(...) end
  M.query_predicate = function(...) load_query(); return M.query_predicate(...) end
  M.safe = {
    query = function(...) load_query(); return M.safe.query(...) end,
    run = function(...) load_query(); return M.safe.run(...) end,
    compile = function(...) load_query(); return M.safe.compile(...) end,
    predicate = function(...) load_query(); return M.safe.predicate(...) end,
  }
  Article.query = function(...) load_query(); return Article.query(...) end
  -- the List methods siqun.compose adds
  setmetatable(List.methods, { __index = function(t, k)
    load_query()
    return rawget(t, k)
  end })
  setmetatable(M, { __index = function(t, k)
    if k == "report" then
      local r = require "siqun.report"
      rawset(t, "report", r)
      return r
    end
  end })
  return M
end

return A
