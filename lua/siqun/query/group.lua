--- siqun.query.group: the rules grouping and aggregating share in the
-- query language and siqun.compose: group_key (when two values are one
-- key) and numbers (sum, count and mean of the numbers among some
-- values, exact for integers).

local compat = require "siqun.compat"
local is_list = require("siqun.list").is_list

local M = {}

--- The identity of a group key, a string (here and in siqun.compose's
-- group_by and join): numbers by value (1 and 1.0 are one key), strings by
-- their bytes, Lists item by item (two glossary members Lists of the same
-- texts are one key), nil a key of its own; any other table or userdata by
-- identity, numbered in objs (a table the caller keeps while grouping).
local function group_key(v, objs)
  if v == nil then return "n" end
  local t = type(v)
  if t == "number" then
    local i = compat.tointeger(v)
    if i then return ("i%d"):format(i) end -- (exact where "i" .. i is not: 5.1's %.14g)
    return ("f%.17g"):format(v)
  elseif t == "string" then
    return "s" .. #v .. ":" .. v
  elseif t == "boolean" then
    return v and "T" or "F"
  elseif is_list(v) then
    local parts = { "l" .. #v }
    for i = 1, #v do
      local k = group_key(v[i], objs)
      parts[i + 1] = #k .. ":" .. k
    end
    return table.concat(parts, ",")
  end
  local id = objs[v]
  if not id then
    id = objs.n + 1
    objs.n, objs[v] = id, id
  end
  return "o" .. id
end
M.group_key = group_key

local math_type, iadd = compat.math_type, compat.iadd
local HALF = 4294967296 -- 2^32

-- The mean of the n integers among get(1..m) whose sum is past the
-- integers: the total kept as hi * 2^32 + lo (0 <= lo < 2^32), each part
-- exact (hi stays below 2^53 for n below 2^21, however large the integers:
-- a table has at most a million rows).
local function big_mean(m, get, n)
  local hi, lo = 0, 0
  for i = 1, m do
    local v = get(i)
    if type(v) == "number" then
      local low = v % HALF
      hi, lo = hi + (v - low) / HALF, lo + low
      if lo >= HALF then hi, lo = hi + 1, lo - HALF end
    end
  end
  return hi / n * HALF + lo / n
end

--- The numbers among get(1), ..., get(m) (other values are skipped): their
-- sum, count and mean (sum and mean nil when there are none).  Integers
-- add up exactly or not at all: when their sum would pass the integers
-- (compat.iadd) the sum is false, for the caller to raise "integer
-- overflow" as SQLite's sum() does (a wrapped or rounded total would be a
-- confident wrong answer), and the mean is still right (big_mean).  With a
-- float among them, sum and mean are floats, added as such.
local function numbers(m, get)
  local isum, fsum, n, ints = 0, 0.0, 0, true
  for i = 1, m do
    local v = get(i)
    if type(v) == "number" then
      n, fsum = n + 1, fsum + v
      if ints and math_type(v) ~= "integer" then ints = false end
      if ints and isum then isum = iadd(isum, v) or false end
    end
  end
  if n == 0 then return nil, 0, nil end
  if not ints then return fsum, n, fsum / n end
  if not isum then return false, n, big_mean(m, get, n) end
  return isum, n, isum / n
end
M.numbers = numbers

return M
