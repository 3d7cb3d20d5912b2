--- siqun.item: reading the fields of any item a List holds (a record, a
-- row, a plain table, or a plain value, which has none): the one rule of
-- the List methods, siqun.compose and the query's conditions.
--
--   local item = require "siqun.item"
--   item.get(rec, "unit")                     -- rec.unit; nil for 42 or "x"
--   item.matcher({ unit = "元" })(rec)        -- every field equals its value

local compat = require "siqun.compat"
local ipairs, pairs = compat.ipairs, compat.pairs -- 5.3's ipairs, 5.2's pairs, on every Lua

local M = {}

--- x[name] for a record, a row or a plain table; nil for anything else
-- (never raises).
local function get(x, name)
  local t = type(x)
  if t == "table" or t == "userdata" then return x[name] end
  return nil
end
M.get = get

--- The predicate of a table of field values ({ unit = "元", ... }): true
-- for an item each of whose fields equals its value (read from want at
-- each call, fields in the order of their names).
function M.matcher(want)
  local keys = {}
  for k in pairs(want) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  return function(x)
    for _, k in ipairs(keys) do
      if get(x, k) ~= want[k] then return false end
    end
    return true
  end
end

return M
