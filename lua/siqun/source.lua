--- siqun.source: the Article's link to its source text and the glossary's
-- members: attach, attach_text, attached, source_info and slice (Article
-- methods, which siqun.article declares to load from here on first use), and
-- members_of (the getter of glossary.members).  Opening a dataset and
-- reading its records needs none of it.

local compat = require "siqun.compat"
local core = require "siqun.core"
local List = require "siqun.list"
local getmetatable = getmetatable
local pairs = compat.pairs -- 5.2's pairs on every Lua

local M = {}

-- The core Dataset of the Article self (its field dataset); raises at the
-- method's caller "bad self to 'fname'" when self is not an Article (known
-- by the name its metatable shows, and a core Dataset in its field
-- dataset: any table can show that name; siqun.article requires this
-- module, so this one does not ask it).
local function dataset_of(self, fname)
  local ds = getmetatable(self) == "siqun.Article" and self.dataset or nil
  if core.type(ds) ~= "siqun.Dataset" then
    error(("bad self to '%s' (siqun.Article expected, got %s)"):format(fname, type(self)), 3)
  end
  return ds
end

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

local function attach_text(ds, text, name, level)
  local ok, msg = ds:attach(text)
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
function M.attach(self, path)
  local ds = dataset_of(self, "attach")
  if type(path) ~= "string" then
    require("siqun.check").type(1, "attach", "string", path)
  end
  local bytes = ds:source_info().bytes
  local max = 2 * bytes + 3
  local text, err, code = require("siqun.files").read(path, { max = max })
  if not text then
    if code == "toolarge" then
      err = ("%s (the article has %d bytes once a BOM is removed and CRLF turned into LF)")
            :format(err, bytes)
    end
    return nil, err, code
  end
  return attach_text(ds, text, path, 2)
end

--- Like attach, with the article's text itself.
function M.attach_text(self, text)
  local ds = dataset_of(self, "attach_text")
  if type(text) ~= "string" then
    require("siqun.check").type(1, "attach_text", "string", text)
  end
  return attach_text(ds, text, nil, 2)
end

--- True once a source text is attached.
function M.attached(self)
  return dataset_of(self, "attached"):attached()
end

--- { sha256 =, bytes =, codepoints = } of the source the spans point into.
function M.source_info(self)
  return dataset_of(self, "source_info"):source_info()
end

--- The attached text from code point start to stop (0-based, stop excluded).
function M.slice(self, start, stop)
  local ds = dataset_of(self, "slice")
  -- (checked here: the core's message would number them from its own self,
  -- and name no function on LuaJIT)
  for i = 1, 2 do
    local v = stop
    if i == 1 then v = start end
    if type(v) ~= "number" then
      require("siqun.check").arg(i, "slice", "number expected, got " .. (v == nil and "no value" or type(v)))
    end
  end
  return ds:slice(start, stop)
end

M.members_of = members_of

return M
