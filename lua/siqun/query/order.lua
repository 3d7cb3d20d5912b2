--- siqun.query.order: the one sort order of the query language and
-- siqun.compose (order by, min, max, List:order_by): natural_less(a, b),
-- multi_less(keys) for several keys, and a stable sort.

local compat = require "siqun.compat"
local is_list = require("siqun.list").is_list
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua

local M = {}

-- Sort order: nil last, then numbers < strings < booleans < Lists (by
-- length, then elements) < others (by tostring).
local type_rank = { number = 1, string = 2, boolean = 3 }
local function natural_less(a, b)
  if a == nil or b == nil then return a ~= nil and b == nil end
  local ta, tb = type(a), type(b)
  local ra = type_rank[ta] or (is_list(a) and 4) or 5
  local rb = type_rank[tb] or (is_list(b) and 4) or 5
  if ra ~= rb then return ra < rb end
  if ra <= 2 then return a < b end
  if ra == 3 then return (not a) and b end
  if ra == 4 then
    if #a ~= #b then return #a < #b end
    for i = 1, #a do
      if natural_less(a[i], b[i]) then return true end
      if natural_less(b[i], a[i]) then return false end
    end
    return false
  end
  return tostring(a) < tostring(b)
end
M.natural_less = natural_less

--- Builds "a before b" from keys { get = function(item) -> value, desc = bool }:
-- nil last whatever the direction.
function M.multi_less(keys)
  return function(a, b)
    for _, k in ipairs(keys) do
      local x, y = k.get(a), k.get(b)
      if x == nil or y == nil then
        if x ~= nil or y ~= nil then return x ~= nil end
      elseif k.desc then
        if natural_less(y, x) then return true end
        if natural_less(x, y) then return false end
      else
        if natural_less(x, y) then return true end
        if natural_less(y, x) then return false end
      end
    end
    return false
  end
end

--- items[1..n] sorted by less(a, b) ("a before b") into a new array;
-- stable: ties keep their order.
function M.sort(items, n, less)
  local idx = {}
  for i = 1, n do idx[i] = i end
  table.sort(idx, function(i, j)
    local a, c = items[i], items[j]
    if less(a, c) then return true end
    if less(c, a) then return false end
    return i < j
  end)
  local out = {}
  for i, k in ipairs(idx) do out[i] = items[k] end
  return out
end

return M
