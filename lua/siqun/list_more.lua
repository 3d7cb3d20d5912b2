--- siqun.list_more: the List methods (filter, map, find, includes,
-- index_of, sort, at, first, last, get, totable, concat, iter, len,
-- is_empty), which a script opening a dataset and reading its records
-- does not need, loaded by siqun.list on the first call of one of them,
-- and the metamethods __pairs, __concat and __tostring.  Not meant to be
-- required on its own: it returns a function of siqun.list's private parts
-- (P) that returns the methods and metamethods by name.

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua
local move, math_type, tointeger, array_proxy = compat.move, compat.math_type,
  compat.tointeger, compat.array_proxy

-- siqun.list's private parts, set by the function this module returns.
local List, state, mt, st, make, inherit

local methods = {}

-- Field access that works on tables and userdata records alike and never
-- raises for plain values (siqun.item, the one rule).
local siqun_item = require "siqun.item"
local field = siqun_item.get

-- Turns a predicate argument into a function(item, index) -> boolean.
local function predicate(pred, level)
  local tp = type(pred)
  if tp == "function" then
    return pred
  elseif tp == "table" then
    return siqun_item.matcher(pred)
  elseif tp == "string" then
    local siqun = package.loaded["siqun"]
    local qp = type(siqun) == "table" and rawget(siqun, "query_predicate")
    if qp then
      return qp(pred)
    end
    error("query strings need siqun.query (got predicate '" .. pred .. "')", level + 1)
  end
  error(("bad predicate (function, table or query string expected, got %s)"):format(tp),
        level + 1)
end

--- Items for which pred(item, index) is true, in order.
function methods:filter(pred)
  local s = st(self, "filter")
  local f = predicate(pred, 2)
  -- the private fields come in the constructor (a hash part of the right
  -- size at once) rather than through make(out, n, inherit(s))
  local out = { n = 0, table = s.table, name = s.name, keys = s.keys, pk = s.pk }
  local n = 0
  for i = 1, s.n do
    local item = s[i]
    if f(item, i) then
      n = n + 1
      out[n] = item
    end
  end
  out.n = n
  local l = array_proxy(mt, out, n)
  state[l] = out
  return l
end

--- fn(item, index) for each item, as a new List of the same length.
function methods:map(fn)
  local s = st(self, "map")
  if type(fn) ~= "function" then
    require("siqun.check").type(1, "map", "function", fn)
  end
  local out = {}
  for i = 1, s.n do out[i] = fn(s[i], i) end
  return make(out, s.n)
end

--- The first item for which pred is true, and its index; nil if none.
function methods:find(pred, init)
  local s = st(self, "find")
  local f = predicate(pred, 2)
  if init == nil then init = 1 end
  if math_type(init) ~= "integer" then
    require("siqun.check").arg(2, "find", "integer expected, got " .. (math_type(init) or type(init)))
  end
  if init < 0 then init = s.n + init + 1 end
  for i = math.max(init, 1), s.n do
    if f(s[i], i) then return s[i], i end
  end
  return nil
end
methods.find_if = methods.find

--- True when some item == x (records compare with the core's __eq).
function methods:includes(x)
  local s = st(self, "includes")
  for i = 1, s.n do
    if s[i] == x then return true end
  end
  return false
end

--- Index of the first item == x, or nil.
function methods:index_of(x)
  local s = st(self, "index_of")
  for i = 1, s.n do
    if s[i] == x then return i end
  end
  return nil
end


--- A sorted copy.  sort() orders the items themselves; sort(fn) uses
-- fn(a, b) as "a before b"; sort("field" [, "desc"]) orders by a field
-- (missing values last, whatever the direction).  Stable: ties keep their
-- original order.
function methods:sort(cmp, dir)
  local s = st(self, "sort")
  if dir ~= nil and dir ~= "asc" and dir ~= "desc" then
    require("siqun.check").arg(2, "sort", '"asc" or "desc" expected, got ' .. tostring(dir))
  end
  local desc = dir == "desc"
  -- the one sort order (nil last, then numbers < strings < booleans <
  -- Lists < other values), loaded by the first sort
  local order = require "siqun.order"
  local tc, out = type(cmp), nil
  if cmp == nil then
    out = order.sort_by(s, s.n, { { get = function(x) return x end, desc = desc } })
  elseif tc == "string" then
    out = order.sort_by(s, s.n, { { get = function(x) return field(x, cmp) end, desc = desc } })
  elseif tc == "function" then
    out = order.sort_with(s, s.n, desc and function(a, b) return cmp(b, a) end or cmp)
  else
    require("siqun.check").type(1, "sort", "function or field name", cmp)
  end
  return make(out, s.n, inherit(s))
end


-- Normalises a key for the core's Table:get (which takes text).
local function keytext(key)
  if math_type(key) == "float" and tointeger(key) then
    return tostring(tointeger(key))
  end
  return key
end

--- The item whose primary key is key, and its index; nil if none.  A list
-- from a dataset table asks the table (Table:get) and also tries its extra
-- key fields (glossary: term); a table with a composite key takes one
-- argument per key field (members: get(term, n)); other lists compare each
-- item's `id`.
function methods:get(key, ...)
  local s = st(self, "get")
  if key == nil then
    require("siqun.check").arg(1, "get", "key expected, got nil")
  end
  if s.pk and #s.pk > 1 then
    local want = { key, ... }
    for i = 1, s.n do
      local match = true
      for j, name in ipairs(s.pk) do
        if field(s[i], name) ~= want[j] then match = false; break end
      end
      if match then return s[i], i end
    end
    return nil
  end
  if s.table ~= nil then
    local rec = s.table:get(keytext(key))
    if rec ~= nil then
      for i = 1, s.n do
        if s[i] == rec then return s[i], i end
      end
    end
    for _, name in ipairs(s.keys or {}) do
      for i = 1, s.n do
        if field(s[i], name) == key then return s[i], i end
      end
    end
    return nil
  end
  for i = 1, s.n do
    if field(s[i], "id") == key then return s[i], i end
  end
  return nil
end


--- A new List: these items followed by other's (a List or an array).
function methods:concat(other)
  local s = st(self, "concat")
  local o = state[other]
  local on
  if o then
    on = o.n
  elseif type(other) == "table" then
    o, on = other, (math_type(other.n) == "integer" and other.n or #other)
  else
    require("siqun.check").type(1, "concat", "siqun.List or table", other)
  end
  local out = move(s, 1, s.n, 1, {})
  move(o, 1, on, s.n + 1, out)
  local opts
  if state[other] and o.table == s.table and o.name == s.name then
    opts = inherit(s)
  elseif on == 0 then
    opts = inherit(s)
  end
  return make(out, s.n + on, opts)
end
methods.extend = methods.concat


--- The item at index i; negative i counts from the end (-1 is the last).
function methods:at(i)
  local s = st(self, "at")
  if math_type(i) ~= "integer" then
    require("siqun.check").arg(1, "at", "integer expected, got " .. (math_type(i) or type(i)))
  end
  if i < 0 then i = s.n + i + 1 end
  if i < 1 or i > s.n then return nil end
  return s[i]
end

function methods:first() return st(self, "first")[1] end

function methods:last()
  local s = st(self, "last")
  return s[s.n]
end

--- A plain array copy of the items.
function methods:totable()
  local s = st(self, "totable")
  return move(s, 1, s.n, 1, {})
end

--- Iterator over the items: `for item, i in list:iter() do ... end`.
function methods:iter()
  local s = st(self, "iter")
  local i = 0
  return function()
    i = i + 1
    if i <= s.n then return s[i], i end
    return nil
  end
end

--- The number of items (same as #list).
function methods:len() return st(self, "len").n end

--- True when the list has no items.
function methods:is_empty() return st(self, "is_empty").n == 0 end


-- ------------------------------------------------------- metamethods
-- (siqun.list puts them in its metatable of Lists)

-- pairs(list) visits the items in order, like ipairs.
methods.__pairs = function(self)
  local s = state[self]
  return function(_, i)
    i = i + 1
    if i <= s.n then return i, s[i] end
    return nil
  end, self, 0
end

methods.__concat = function(a, b)
  if state[a] then return List.methods.concat(a, b) end
  -- array .. List
  return List.methods.concat(List.new(a), b)
end

methods.__tostring = function(self)
  local s = state[self]
  local name = s.name
  if name == nil then name = s.n == 1 and "item" or "items" end
  return ("List of %d %s"):format(s.n, name)
end

return function(P)
  List, state, mt, st, make, inherit = P.List, P.state, P.mt, P.st, P.make, P.inherit
  return methods
end
