--- siqun.article_more: the parts of the Article that opening a dataset and
-- reading its records does not need: the glossary's members, attach,
-- attach_text, attached, source_info, slice, close, summary and report,
-- tostring and pairs of an Article, and siqun.summary.  Loaded by siqun.article on first use; not meant to
-- be required on its own: it returns a function of siqun.article's
-- private parts (P) that fills P.Article and returns the rest.

local compat = require "siqun.compat"
local core = require "siqun.core"
local List = require "siqun.list"
local ipairs, pairs = compat.ipairs, compat.pairs -- 5.3's ipairs, 5.2's pairs, on every Lua

-- siqun.article's private parts, set by the function this module returns:
-- P.Article (the methods), P.art_state (Article -> its state), P.check
-- (self, fname) -> state, P.list_of(state, name) -> the List of a table,
-- P.field_of(state, key) -> a field of the Article, P.M (the facade, once
-- installed).
local P, art_state, check
local Article = {}
local more = {}

-- Glossary record -> List of its members' texts (made once per record,
-- so the same List every time; weak: kept while the record is).
local members_by_record = setmetatable({}, { __mode = "k" })
-- Dataset -> term -> List of its members' texts in order (weak: kept while
-- the Dataset is).  Found from the record's own Dataset, which the record
-- keeps alive: rows of a query that outlive their Article keep theirs.
local members_by_dataset = setmetatable({}, { __mode = "k" })

-- term -> List of member texts, sorted by n, for the Dataset ds (nil when
-- it is closed); each term's empty List when it has no members table.
local function build_members(ds)
  local ok, mt = pcall(ds.table, ds, "members")
  if not ok then
    if tostring(mt):find("closed", 1, true) then return nil end
    error(mt, 0)
  end
  local by_term = {}
  if mt ~= nil then
    local table_record = core.table_record
    for i = 1, #mt do
      local m = table_record(mt, i)
      local term = m.term
      if term ~= nil then
        local g = by_term[term]
        if not g then g = {}; by_term[term] = g end
        g[#g + 1] = m
      end
    end
  end
  local out = setmetatable({}, { __index = function(t, term) -- (no members: an empty List)
    local l = List.new {}
    rawset(t, term, l)
    return l
  end })
  for term, ms in pairs(by_term) do
    out[term] = List.new(ms):sort("n"):map(function(m) return m.text end)
  end
  return out
end

local function members_of(rec)
  local m = members_by_record[rec]
  if m ~= nil then return m end
  local t = core.record_table(rec)
  local ds = t and core.table_dataset(t)
  if ds == nil then return nil end
  local by_term = members_by_dataset[ds]
  if by_term == nil then
    by_term = build_members(ds)
    if by_term == nil then return nil end -- (closed: its records raise when read)
    members_by_dataset[ds] = by_term
  end
  m = by_term[rec.id]
  members_by_record[rec] = m
  return m
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
-- nil, a message and a code (siqun.files) when the file cannot be read, is
-- not a regular file (a FIFO, device or directory is refused at once), or
-- is larger than the article can be: the dataset knows its size after the
-- BOM is removed and CRLF turned into LF, so the file may have at most a
-- BOM and one CR per byte more (2 * bytes + 3), and a larger one is
-- refused before it is read.  Raises when its SHA-256 (after that
-- normalisation) is not the one the dataset records.
function Article:attach(path)
  local s = check(self, "attach")
  if type(path) ~= "string" then
    require("siqun.check").type(1, "attach", "string", path)
  end
  local bytes = s.ds:source_info().bytes
  local max = 2 * bytes + 3
  local text, err, code = require("siqun.files").read(path, { max = max })
  if not text then
    if code == "toolarge" then
      err = ("%s (the article has %d bytes once a BOM is removed and CRLF turned into LF)")
            :format(err, bytes)
    end
    return nil, err, code
  end
  return attach_text(s, text, path, 2)
end

--- Like attach, with the article's text itself.
function Article:attach_text(text)
  local s = check(self, "attach_text")
  if type(text) ~= "string" then
    require("siqun.check").type(1, "attach_text", "string", text)
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
      require("siqun.check").arg(i, "slice", "number expected, got " .. (v == nil and "no value" or type(v)))
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

--- The summary report (see siqun.terminal_summary).
-- Raises at the caller's caller unless opts (argument #argn of 'summary')
-- suits the summary report.
local function check_summary_opts(opts, argn)
  if opts ~= nil and type(opts) ~= "table" then
    require("siqun.check").type(argn, "summary", "table", opts, 3)
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
  return P.M.summary(self, opts)
end

--- Runs report name on this article (see siqun.report.run).
function Article:report(name, format, opts)
  check(self, "report")
  -- (checked here: report.run would name its own arguments, one further)
  for i, a in ipairs { { name, "string", false }, { format, "string", true },
                       { opts, "table", true } } do
    if not ((a[3] and a[1] == nil) or type(a[1]) == a[2]) then
      require("siqun.check").arg(i, "report", a[2] .. " expected, got " .. (a[1] == nil and "no value" or type(a[1])))
    end
  end
  return P.M.report.run(name, self, format, opts)
end


--- The summary report of art (the embedded article by default), a string.
-- opts.width: line width, an integer of at least 20 (78 by default).
function more.summary(art, opts)
  check_summary_opts(opts, 2)
  local M = P.M
  if art == nil then
    local err
    art, err = M.open()
    if not art then error(err, 2) end
  elseif not art_state[art] then
    require("siqun.check").type(1, "summary", "siqun.Article", art)
  end
  return require("siqun.terminal_summary").render(art, opts)
end

more.members_of = members_of

-- (siqun.article's art_mt.__tostring)
function more.tostring(self)
  local meta = P.field_of(art_state[self], "meta")
  local title = meta and meta.title
  return "siqun.Article: " .. (title and tostring(title) or "?")
end

-- (siqun.article's art_mt.__pairs) pairs(art): meta, then each table's
-- List, in the dataset's order.
function more.pairs(self)
  local s = art_state[self]
  local i = 0
  return function()
    i = i + 1
    local name = s.names[i]
    if name == nil then return nil end
    return name, P.field_of(s, name)
  end, self, nil
end

return function(priv)
  P, art_state, check = priv, priv.art_state, priv.check
  for k, v in pairs(Article) do
    if rawget(P.Article, k) == nil then rawset(P.Article, k, v) end
  end
  return more
end
