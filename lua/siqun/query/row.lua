--- siqun.query.row: the read-only rows of query results and of
-- siqun.compose (select, join, group_by's groups): fields in the order of
-- their shape, row.name, row[i], #row, pairs(row), tostring(row).

local compat = require "siqun.compat"
local List = require "siqun.list"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua

local M = {}

local row_state = setmetatable({}, { __mode = "k" })
local row_mt = { __name = "siqun.Row", __metatable = "siqun.Row" }

row_mt.__index = function(self, k)
  local s = row_state[self]
  local i = s.shape.index[k]
  if i == nil and compat.math_type(k) == "integer" and k >= 1 and k <= s.shape.n then i = k end
  if i == nil then return nil end
  return s.values[i]
end
row_mt.__newindex = function() error("siqun.Row is read-only", 2) end
row_mt.__len = function(self) return row_state[self].shape.n end
row_mt.__pairs = function(self)
  local s = row_state[self]
  local i = 0
  return function()
    while i < s.shape.n do
      i = i + 1
      local v = s.values[i]
      if v ~= nil then return s.shape.names[i], v end
    end
    return nil
  end, self, nil
end
row_mt.__tostring = function(self)
  local s = row_state[self]
  local out = {}
  for i = 1, s.shape.n do
    local v = s.values[i]
    out[i] = s.shape.names[i] .. "=" ..
      (type(v) == "string" and ("%q"):format(v) or tostring(v))
  end
  return "siqun.Row(" .. table.concat(out, ", ") .. ")"
end

--- A shape for rows: the column names, in order (each once).
function M.shape(names)
  local index = {}
  for i, n in ipairs(names) do index[n] = i end
  return { names = names, index = index, n = #names }
end

--- A read-only row of shape with values[1..shape.n].
function M.new_row(shape, values)
  local r = compat.proxy(row_mt) -- a userdata on 5.1 and LuaJIT (see siqun.compat)
  row_state[r] = { shape = shape, values = values }
  return r
end

--- True when x is a row.
function M.is_row(x) return row_state[x] ~= nil end

--- The shape of row x (nil when x is no row).
function M.shape_of(x)
  local s = row_state[x]
  return s and s.shape
end

--- The column names of a row, as a List of strings.
function M.columns(row)
  local s = row_state[row]
  if not s then
    require("siqun.check").type(1, "columns", "siqun.Row", row)
  end
  return List.new(s.shape.names)
end

return M
