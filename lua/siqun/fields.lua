--- siqun.fields: which columns a list of records or rows has, and their
-- types -- the one rule that `select *`, the writers, siqun.columns and the
-- command line follow.
--
--   local fields = require "siqun.fields"
--   fields.of_list(art.figures)             --> { names = {"id", ...}, types = {...} }
--   fields.of_list(art:query("figures group by unit select unit, count()"))
--
-- A column type is one of the document types of siqun.writer.common:
-- "string", "integer", "number", "boolean" or "list".  "number" marks a
-- measured value (writers for people group its digits by thousands),
-- "integer" an identifier, offset or count (never grouped).

local compat = require "siqun.compat"
local List = require "siqun.list"
local ipairs, pairs = compat.ipairs, compat.pairs -- 5.3's ipairs, 5.2's pairs, on every Lua

local M = {}

-- Table Schema type -> column type (siqun.h: dates and years are text).
local SCHEMA_TYPE = { integer = "integer", number = "number", string = "string",
                      boolean = "boolean", date = "string", datetime = "string",
                      year = "string" }

-- The fields the Lua layer adds to records of some tables
-- (core.record_getters) and their column types; any other getter holds text.
local GETTER_TYPE = { members = "list" }

local function getters_of(tname)
  local ok, core = pcall(require, "siqun.core")
  local g = ok and type(core.record_getters) == "table" and core.record_getters[tname]
  local names = {}
  if type(g) == "table" then
    for k in pairs(g) do
      if type(k) == "string" then names[#names + 1] = k end
    end
    table.sort(names)
  end
  return names
end

-- siqun.core's type checks (by its userdata's type, not their metatable,
-- which getmetatable hides); without the core (the query language also
-- runs on plain tables) nothing is a core Table or Record.
local core_type, core_record_table
do
  local ok, core = pcall(require, "siqun.core")
  if not ok and tostring(core):find("not enough memory", 1, true) then error(core, 0) end
  if ok and type(core) == "table" and core.type and core.record_table then
    core_type, core_record_table = core.type, core.record_table
  else
    core_type = function() return nil end
    core_record_table = core_type
  end
end

local function is_core_table(t)
  return core_type(t) == "siqun.Table"
end
M.is_core_table = is_core_table

-- The Lua type of a record's field of each Table Schema type, when it is
-- not nil (what the query language's typed where clauses rely on).
local LUA_TYPE = { integer = "number", number = "number", string = "string",
                   boolean = "boolean", date = "string", datetime = "string",
                   year = "string" }

-- Columns of a core Table, cached per Table: schema fields in order, then
-- the Lua layer's getters (sorted).
local cache = setmetatable({}, { __mode = "k" })

--- { names = {...}, types = {...}, set = { name = type }, table = name,
-- lua_types = { name = Lua type } (schema fields only) } of the records of
-- core Table t.
function M.of_table(t)
  local c = cache[t]
  if c then return c end
  local names, types, set, lua_types = {}, {}, {}, {}
  for _, f in ipairs(t:fields()) do
    names[#names + 1] = f.name
    types[#types + 1] = SCHEMA_TYPE[f.type] or "string"
    set[f.name] = types[#types]
    lua_types[f.name] = LUA_TYPE[f.type]
  end
  for _, g in ipairs(getters_of(t:name())) do
    if not set[g] then
      names[#names + 1] = g
      types[#types + 1] = GETTER_TYPE[g] or "string"
      set[g] = types[#types]
    end
  end
  c = { names = names, types = types, set = set, table = t:name(), lua_types = lua_types }
  cache[t] = c
  return c
end

--- The core Table of a record (nil for anything else).
function M.record_table(rec)
  if type(rec) ~= "userdata" then return nil end
  return core_record_table(rec)
end
local record_table = M.record_table

-- The shape of a query row (siqun.query.row: loaded once there is a row),
-- or nil.
local function row_shape(x)
  local row = package.loaded["siqun.query.row"]
  return row and row.shape_of(x)
end

--- { names = {...}, set = {...}, table = name } for the items of a list
-- whose first item is item (records of one core Table, query rows), or nil
-- when the items have no fixed fields (plain tables).
function M.of_item(item)
  local t = record_table(item)
  if t then return M.of_table(t) end
  local shape = row_shape(item)
  if shape then return { names = shape.names, set = shape.index } end
  return nil
end

local function is_list_value(v)
  if List.is_list(v) then return true end
  if type(v) ~= "table" or getmetatable(v) ~= nil then return false end
  local n = #v
  for k in pairs(v) do
    if compat.math_type(k) ~= "integer" or k < 1 or k > n then return false end
  end
  return n > 0
end

--- The column type of the values vals[1..n] (nil values skipped): integer
-- when every number is integral (an integer on 5.3+), number, boolean,
-- list, or string (mixed or none).
function M.infer(vals, n)
  local ty
  for i = 1, n do
    local v = vals[i]
    local t
    if type(v) == "number" then
      if compat.math_type(v) == "integer" then t = "integer" else t = "number" end
    elseif type(v) == "boolean" then
      t = "boolean"
    elseif v ~= nil and is_list_value(v) then
      t = "list"
    elseif v ~= nil then
      t = "string"
    end
    if t then
      if ty == nil then
        ty = t
      elseif ty ~= t then
        if (ty == "integer" or ty == "number") and (t == "integer" or t == "number") then
          ty = "number"
        else
          return "string"
        end
      end
    end
  end
  return ty or "string"
end

-- Columns of plain tables: their string keys (sorted: pairs has no order),
-- types inferred from the values.
local function of_plain(items, n)
  local names, set, width = {}, {}, 0
  for i = 1, n do
    local it = items[i]
    if type(it) == "table" then
      for k in pairs(it) do
        if type(k) == "string" and not set[k] then names[#names + 1], set[k] = k, true end
      end
      if #it > width then width = #it end
    end
  end
  table.sort(names)
  local positional = #names == 0
  if positional then -- arrays ({ 1, "a" }): their positions, "1", "2" ...
    for k = 1, width do
      names[k] = tostring(k)
      set[names[k]] = true
    end
  end
  local types = {}
  for c, name in ipairs(names) do
    local vals = {}
    local key = positional and c or name
    for i = 1, n do
      local it = items[i]
      vals[i] = type(it) == "table" and it[key] or nil
    end
    types[c] = M.infer(vals, n)
  end
  return { names = names, types = types, set = set }
end

--- The column types of a query's columns (as siqun.query plans them:
-- { kind = "field", field = } or { kind = "agg", agg = "fn(field)" }) over
-- the records of core Table t (nil: types unknown, found from the values);
-- { kind = "len" } is a count.
function M.of_query(cols, t)
  local set = is_core_table(t) and M.of_table(t).set or {}
  local types = {}
  for i, c in ipairs(cols) do
    if c.kind == "len" then -- (items of a list, code points of a string)
      types[i] = "integer"
    elseif c.kind == "agg" then
      local fn, field = tostring(c.agg):match("^(%a+)%((.*)%)$")
      if fn == "count" then
        types[i] = "integer"
      elseif fn == "avg" then
        types[i] = "number"
      elseif field then
        types[i] = set[field]
      end
    else
      types[i] = set[c.field]
    end
  end
  return types
end

--- The columns { names = {...}, types = {...} } of a List or array of
-- records, query rows or plain tables: a query's columns (known even for
-- an empty result), else the schema of the records' table, else the
-- fields of the first row, else the sorted keys of plain tables (their
-- positions "1", "2" ... for arrays), else one column "value" for plain
-- values (strings, numbers; scalar = true: siqun.output makes each a row
-- { value = v }).  nil when nothing tells (an empty plain array).
function M.of_list(x)
  local t, cols = List._origin(x)
  if is_core_table(t) and not cols then return M.of_table(t) end
  local n = #x
  local shape = not cols and n > 0 and row_shape(x[1])
  if shape then
    local names = {}
    for i, name in ipairs(shape.names) do names[i] = name end
    cols = { names = names, types = {} }
  end
  if cols then -- a type the query could not tell comes from the values
    local types, vals = {}, {}
    for c, name in ipairs(cols.names) do
      types[c] = cols.types[c]
      if types[c] == nil then
        for i = 1, n do vals[i] = x[i][name] end
        types[c] = M.infer(vals, n)
      end
    end
    return { names = cols.names, types = types }
  end
  if n == 0 then return nil end
  local first = x[1]
  local rt = record_table(first)
  if rt then return M.of_table(rt) end
  local tf = type(first)
  if tf == "string" or tf == "number" or tf == "boolean" then -- plain values: one column
    local vals = {}
    for i = 1, n do vals[i] = x[i] end
    return { names = { "value" }, types = { M.infer(vals, n) }, scalar = true }
  end
  local items = {}
  for i = 1, n do items[i] = x[i] end
  return of_plain(items, n)
end

return M
