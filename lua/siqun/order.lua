--- siqun.order: the one sort order of values, for the query language
-- (order by, min, max), siqun.compose (List:order_by, min, max) and
-- List:sort: natural_less(a, b), multi_less(keys) for several keys, and
-- stable sorts by keys or by a comparison.  It requires neither the List
-- nor the query language: a List is told by its type name.

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua

-- getmetatable gives a List's type name (siqun.List hides its metatable);
-- the answer is kept per value (weakly), as a sort asks it of the same
-- values again and again and getmetatable costs more than a table lookup.
local list_seen = setmetatable({}, { __mode = "k" })
local function is_list(x)
  local r = list_seen[x]
  if r == nil then
    r = getmetatable(x) == "siqun.List"
    list_seen[x] = r
  end
  return r
end

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

-- The order of x and y, the values of one key, desc or not: true (x
-- first), false (y first) or nil (neither); nil last whatever the
-- direction.
local function key_order(x, y, desc)
  if x == nil or y == nil then
    if x ~= nil or y ~= nil then return x ~= nil end
    return nil
  end
  if desc then x, y = y, x end
  if natural_less(x, y) then return true end
  if natural_less(y, x) then return false end
  return nil
end

--- Builds "a before b" from keys { get = function(item) -> value, desc = bool }:
-- nil last whatever the direction.
function M.multi_less(keys)
  return function(a, b)
    for _, k in ipairs(keys) do
      local r = key_order(k.get(a), k.get(b), k.desc)
      if r ~= nil then return r end
    end
    return false
  end
end

--- items[1..n] sorted by keys (as multi_less takes them) into a new
-- array; stable (ties keep their order).  Each key is read once per item.
function M.sort_by(items, n, keys)
  local nk, cols = #keys, {}
  for k = 1, nk do
    local get, col = keys[k].get, {}
    for i = 1, n do col[i] = get(items[i]) end
    cols[k] = col
  end
  local idx = {}
  for i = 1, n do idx[i] = i end
  table.sort(idx, function(i, j)
    for k = 1, nk do
      local col = cols[k]
      local r = key_order(col[i], col[j], keys[k].desc)
      if r ~= nil then return r end
    end
    return i < j
  end)
  local out = {}
  for i, k in ipairs(idx) do out[i] = items[k] end
  return out
end

--- items[1..n] sorted by less(a, b) ("a before b") into a new array;
-- stable (ties keep their order).
function M.sort_with(items, n, less)
  local idx = {}
  for i = 1, n do idx[i] = i end
  table.sort(idx, function(i, j)
    local a, b = items[i], items[j]
    if less(a, b) then return true end
    if less(b, a) then return false end
    return i < j
  end)
  local out = {}
  for k = 1, n do out[k] = items[idx[k]] end
  return out
end

return M
