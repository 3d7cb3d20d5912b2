--- siqun.query.predicate: a condition of the query language as a List
-- predicate ("value > 100万 and unit = '户'"): compile(text) -> function(item)
-- -> boolean (true only when the condition is true), memoised by text,
-- and try(...), what siqun.query.predicate and siqun.safe.predicate do
-- (siqun.query, init.lua; siqun.compose uses it too).

local compat = require "siqun.compat"
local fields = require "siqun.fields"
local errors = require "siqun.query.errors"
local parser = require "siqun.query.parser"
local qcond = require "siqun.query.cond"
local row = require "siqun.query.row"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua
local throw, is_qerr, format_error, protect, check_text =
  errors.throw, errors.is_qerr, errors.format_error, errors.protect, errors.check_text
local record_table, shape_of = fields.record_table, row.shape_of

local M = {}

-- " (did you mean 'x'?)" for an unknown name (siqun.query.suggest, loaded
-- for the error that needs it).
local function did_you_mean(name, candidates)
  return require("siqun.query.suggest").did_you_mean(name, candidates)
end

-- text -> predicate function (weak: kept while the caller keeps it), and
-- function -> its field references.
local pcache = setmetatable({}, { __mode = "v" })
local prefs = setmetatable({}, { __mode = "k" })

local function check_refs(refs, f)
  for _, r in ipairs(refs) do
    if not f.set[r.name] then
      local where = f.table and (" in " .. f.table) or ""
      throw(r.p, ("unknown field '%s'%s%s"):format(r.name, where,
            did_you_mean(r.name, f.names)), false)
    end
  end
end

--- The predicate of condition text, function(item) -> boolean, and its
-- field references { { name =, p = } ... } (memoised by text); a bad
-- condition raises a query error.
function M.compile(text)
  local c = pcache[text]
  if c then return c, prefs[c] end
  local p = parser.new(text)
  p.context = "a condition"
  local ast = p:cond()
  p:eof("'and', 'or' or the end of the condition")
  local refs = {}
  qcond.each_ref(ast, function(name, pos) refs[#refs + 1] = { name = name, p = pos } end)
  table.sort(refs, function(a, b) return a.p < b.p end)
  local cond = qcond.compile(ast, qcond.field_getter)
  local checked = setmetatable({}, { __mode = "k" })
  local fn = function(item)
    -- field names are checked once per kind of item (a core Table, a
    -- row shape); plain tables take any field.
    if #refs > 0 then
      local t = record_table(item)
      local key = t or shape_of(item)
      if key and not checked[key] then
        local ok, e = pcall(check_refs, refs, fields.of_item(item))
        if not ok then
          -- raised from the List method calling us, at its caller's level
          error(is_qerr(e) and format_error(text, e) or e, 3)
        end
        checked[key] = true
      end
    end
    return cond(item) == true
  end
  pcache[text], prefs[fn] = fn, refs
  return fn, refs
end

--- The predicate of condition text, or nil and the message of a query
-- error in it; tbl (optional): a core Table, or the fields of items ({
-- set = ... }), whose fields the condition must use.  Misuse raises "bad
-- argument" at level (from the caller) naming function fname, argument
-- argn for tbl.
function M.try(text, tbl, fname, level, argn)
  check_text(text, fname, 1, level + 1)
  local ok, fn, refs = pcall(M.compile, text)
  if not ok then
    if is_qerr(fn) then return nil, format_error(text, fn) end
    error(fn, 0)
  end
  if tbl ~= nil then
    local f
    if fields.is_core_table(tbl) then
      f = fields.of_table(tbl)
    elseif type(tbl) == "table" and tbl.set then
      f = tbl
    else
      require("siqun.check").type(argn, fname, "siqun.Table", tbl, level + 1)
    end
    if f then
      local ok2, err2 = protect(text, check_refs, refs, f)
      if ok2 == nil and err2 then return nil, err2 end
    end
  end
  return fn
end

return M
