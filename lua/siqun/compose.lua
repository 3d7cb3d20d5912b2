--- siqun.compose: grouping, aggregating, projecting, ordering and joining
-- methods for siqun.List.  compose.install(List) adds them to the List
-- class (the facade does it); compose.methods holds them as functions.
--
--   art.figures:group_by("unit")             --> List of groups
--     :map(function(g) return g.key .. " " .. #g.items end)
--   art.figures:filter("unit = '元'"):sum("value")        --> 4154200000
--   art.figures:max("value")                 --> 3550000000, the record
--   art.figures:order_by("section", "value", "desc")    -- or "section, value desc"
--   art.figures:select("id", "value")        --> List of rows
--   art.figures:join(art.sections, "section = number")  -- or (…, "section", "number")
--   art.glossary:join(art.figures, "section")           -- same field name on both sides
--
-- Predicates (count) are a function pred(item, index), a table
-- { field = value, ... } or a condition of the query language
-- ("value > 100万 and unit = '户'").  Keys (group_by, sum, min, max, avg,
-- order_by) are a field name or a function key(item, index).  Field names
-- are checked against the records' table (or the rows' columns): an unknown
-- one raises "unknown field 'vale' in figures (did you mean 'value'?)".
--
-- Every method returns a new List (or a value) and leaves its receiver
-- alone.  Rows (select, join, group_by's groups) are siqun.query rows:
-- read-only, fields in order, row.name, row[i], pairs(row).
--
-- The rules it shares with the query language are in the modules of
-- siqun.query it uses (never siqun.query itself): rows, the sort order,
-- group keys and sums, the fields of items (siqun.fields); and, loaded
-- by the method that needs them, the parser (key lists, join conditions),
-- conditions as predicates and "did you mean".

local List = require "siqun.list"
local compat = require "siqun.compat"
local of_item = require("siqun.fields").of_item
local row = require "siqun.query.row"
local order = require "siqun.order"
local group = require "siqun.query.group"
local ipairs, pairs = compat.ipairs, compat.pairs -- 5.3's ipairs, 5.2's pairs, on every Lua
local new_row, shape = row.new_row, row.shape

local M = {}
local methods = {}
M.methods = methods

local is_list = List.is_list

local getf = require("siqun.item").get

local function check_list(self, fname)
  if not is_list(self) then
    error(("bad self to '%s' (siqun.List expected, got %s)"):format(fname, type(self)), 3)
  end
end

-- The fields the items of list have: { names =, set =, table = } or nil.
local function fields_of(list)
  if #list == 0 then return nil end
  return of_item(list[1])
end

-- Raises (at the level of the method's caller) for a field the items do
-- not have, when their fields are known.
local function check_field(list, name, level)
  local f = fields_of(list)
  if f and not f.set[name] then
    local c = require("siqun.query.suggest").closest(name, f.names)
    error(("unknown field '%s'%s%s"):format(name, f.table and (" in " .. f.table) or "",
          c and (" (did you mean '%s'?)"):format(c) or ""), level + 1)
  end
end

-- A key argument as function(item, index) -> value.
local function keyfn(list, key, fname, argn, level)
  local t = type(key)
  if t == "function" then return key end
  if t == "string" then
    check_field(list, key, level + 1)
    return function(item) return getf(item, key) end
  end
  require("siqun.check").type(argn, fname, "field name or function", key, level + 1)
end

-- A predicate argument as function(item, index) -> boolean.
local function predicate(pred, fname, level)
  local t = type(pred)
  if t == "function" then return pred end
  if t == "string" then
    local f, err = require("siqun.query.predicate").try(pred, nil, "predicate", level + 1, 3)
    if not f then error(err, level + 1) end
    return f
  end
  if t == "table" then return require("siqun.item").matcher(pred) end
  require("siqun.check").type(1, fname, "function, table or query string", pred, level + 1)
end

local group_key = group.group_key -- (the one rule for query's group by too)

local GROUP = shape { "key", "items" }

--- Groups by a field or key(item, index): a List of read-only groups
-- { key = k, items = List } in first-seen order (items keep list order and,
-- for dataset records, get()).  Keys are equal as siqun.query's group by
-- sees them (group_key): Lists item by item (the group's key is the
-- first one seen).  A nil key makes a group of its own.
function methods:group_by(key)
  check_list(self, "group_by")
  local kf = keyfn(self, key, "group_by", 1, 2)
  local ids, keys, gi, objs = {}, {}, {}, { n = 0 }
  for i = 1, #self do
    local k = kf(self[i], i)
    local id = group_key(k, objs)
    local g = ids[id]
    if not g then
      g = #keys + 1
      ids[id] = g
      keys[g] = { k }
    end
    gi[i] = g
  end
  local groups = {}
  for g, k in ipairs(keys) do
    groups[g] = new_row(GROUP, { k[1], self:filter(function(_, i) return gi[i] == g end) })
  end
  return List.new(groups, { name = "groups" })
end

--- The number of items (for which pred is true).
function methods:count(pred)
  check_list(self, "count")
  if pred == nil then return #self end
  local f = predicate(pred, "count", 2)
  local n = 0
  for i = 1, #self do
    if f(self[i], i) then n = n + 1 end
  end
  return n
end

-- The numbers among key's values: sum, count and mean (group.numbers).
local function numbers(self, key, fname)
  local kf = keyfn(self, key, fname, 1, 3)
  local sum, n, mean = group.numbers(#self, function(i) return kf(self[i], i) end)
  return sum, n, mean
end

--- The sum of the numbers among the values of a field or key(item, index)
-- (other values are skipped); 0 when there are none.  Raises "integer
-- overflow" when integers add up past the integers (docs/query.md).
function methods:sum(key)
  check_list(self, "sum")
  local sum = numbers(self, key, "sum")
  if sum == false then
    error(("integer overflow in sum: the integers add up beyond ±%d"):format(compat.maxinteger), 2)
  end
  return sum or 0
end

--- The mean of the numbers among the values; nil when there are none.
-- Exact for integers whose sum would overflow.
function methods:avg(key)
  check_list(self, "avg")
  local _, _, mean = numbers(self, key, "avg")
  return mean
end

local natural_less = order.natural_less

local function extreme(self, key, fname, want_max)
  local kf = keyfn(self, key, fname, 1, 3)
  local best, item, index
  for i = 1, #self do
    local v = kf(self[i], i)
    if v ~= nil and (best == nil or
        (want_max and natural_less(best, v)) or (not want_max and natural_less(v, best))) then
      best, item, index = v, self[i], i
    end
  end
  return best, item, index
end

--- The smallest non-nil value of a field or key(item, index) (numbers
-- before strings), the first item holding it and its index; nil if none.
function methods:min(key)
  check_list(self, "min")
  local v, item, i = extreme(self, key, "min", false)
  return v, item, i
end

--- The largest value, as min.
function methods:max(key)
  check_list(self, "max")
  local v, item, i = extreme(self, key, "max", true)
  return v, item, i
end

--- A List of rows holding the given fields, in that order.
function methods:select(...)
  check_list(self, "select")
  local names, seen = { ... }, {}
  local n = select("#", ...)
  if n == 0 then require("siqun.check").arg(1, "select", "field name expected, got no value") end
  for i = 1, n do
    local name = names[i]
    if type(name) ~= "string" then
      require("siqun.check").type(i, "select", "field name", name)
    end
    if seen[name] then require("siqun.check").arg(i, "select", ("duplicate field '%s'"):format(name)) end
    seen[name] = true
    check_field(self, name, 2)
  end
  local rshape, rows = shape(names), {}
  for i = 1, #self do
    local item, values = self[i], {}
    for j, name in ipairs(names) do values[j] = getf(item, name) end
    rows[i] = new_row(rshape, values)
  end
  return List.new(rows, { name = "rows" })
end

--- A stably sorted copy by several keys: order_by(key [, "asc"|"desc"], ...)
-- where a key is a field name or key(item); or order_by("k1, k2 desc").
-- nil values go last whatever the direction; ties keep list order.
function methods:order_by(...)
  check_list(self, "order_by")
  local args = compat.pack(...)
  local keys = {}
  if args.n == 1 and type(args[1]) == "string" and args[1]:find("[%s,`]") then
    for _, k in ipairs(require("siqun.query.parser").parse_order(args[1], 2)) do
      local name = k.name
      check_field(self, name, 2)
      keys[#keys + 1] = { get = function(item) return getf(item, name) end, desc = k.desc }
    end
  else
    local i = 1
    while i <= args.n do
      local a = args[i]
      if a == "asc" or a == "desc" then
        require("siqun.check").arg(i, "order_by", ("key expected before '%s'"):format(a))
      end
      local get = keyfn(self, a, "order_by", i, 2)
      local desc = false
      if args[i + 1] == "asc" or args[i + 1] == "desc" then
        desc = args[i + 1] == "desc"
        i = i + 1
      end
      keys[#keys + 1] = { get = get, desc = desc }
      i = i + 1
    end
  end
  if #keys == 0 then return self:sort(function() return false end) end
  return self:sort(order.multi_less(keys))
end

-- Field names of a list's items: the table's or the rows', else the
-- union of the items' string keys, sorted.
local function field_names(list)
  local f = fields_of(list)
  if f then return f.names, f.table end
  local names, set = {}, {}
  for i = 1, #list do
    local item = list[i]
    if type(item) == "table" or type(item) == "userdata" then
      for k in pairs(item) do
        if type(k) == "string" and not set[k] then names[#names + 1], set[k] = k, true end
      end
    end
  end
  table.sort(names)
  return names, nil
end

-- The identity of item's values of fields (nil when one is nil), in
-- group_key's terms (objs: as group_key takes it).
local function tuple_id(item, fields, objs)
  local parts = {}
  for i, name in ipairs(fields) do
    local v = getf(item, name)
    if v == nil then return nil end
    local id = group_key(v, objs)
    parts[i] = #id .. ":" .. id
  end
  return table.concat(parts)
end

-- join's condition from its arguments after other (on, a3, a4): the key
-- fields of the left and right items (lk, rk) or a function fn, and the
-- options table.  Raises at join's caller.
local function join_condition(on, a3, a4)
  local lk, rk, fn, opts
  if type(on) == "function" then
    fn, opts = on, a3
  elseif type(on) == "string" then
    if type(a3) == "string" then
      lk, rk, opts = { on }, { a3 }, a4
    else
      opts = a3
      local name = on:match("^%s*([%a_][%w_]*)%s*$")
      if name then
        lk, rk = { name }, { name }
      else
        lk, rk = {}, {}
        for i, p in ipairs(require("siqun.query.parser").parse_join(on, 3)) do lk[i], rk[i] = p[1], p[2] end
      end
    end
  else
    require("siqun.check").type(2, "join", "join condition or function", on, 3)
  end
  if opts ~= nil and type(opts) ~= "table" then
    error(("bad options to 'join' (table expected, got %s)"):format(type(opts)), 3)
  end
  return lk, rk, fn, opts or {}
end

-- The columns of the rows joining left and right (names: join's
-- opts.names): their shape, and the fields read from the left and from
-- the right items.  A field both sides have is prefixed by its side's
-- name, except a join field of the same name on both sides (lk[i] ==
-- rk[i]), kept once.
local function join_columns(left, right, lk, rk, names)
  local lnames, ltable = field_names(left)
  local rnames, rtable = field_names(right)
  local lprefix = names[1] or ltable or "left"
  local rprefix = names[2] or rtable or "right"
  if lprefix == rprefix then lprefix, rprefix = lprefix .. "_1", rprefix .. "_2" end
  local lset, rset, shared = {}, {}, {}
  for _, n in ipairs(lnames) do lset[n] = true end
  for _, n in ipairs(rnames) do rset[n] = true end
  for i = 1, #(lk or {}) do
    if lk[i] == rk[i] then shared[lk[i]] = true end
  end
  local cols, used, lcols, rcols = {}, {}, {}, {}
  local function add(name)
    while used[name] do name = name .. "_" end
    used[name] = true
    cols[#cols + 1] = name
  end
  for _, n in ipairs(lnames) do
    add((rset[n] and not shared[n]) and (lprefix .. "_" .. n) or n)
    lcols[#lcols + 1] = n
  end
  for _, n in ipairs(rnames) do
    if not shared[n] then
      add(lset[n] and (rprefix .. "_" .. n) or n)
      rcols[#rcols + 1] = n
    end
  end
  return shape(cols), lcols, rcols
end

-- The items of other by the tuple of their fields rk (tuple_id: items
-- with a nil key are in no bucket), and the objs the ids were made with.
local function join_index(other, rk)
  local index, objs = {}, { n = 0 }
  for j = 1, #other do
    local id = tuple_id(other[j], rk, objs)
    if id then
      local bucket = index[id]
      if not bucket then bucket = {}; index[id] = bucket end
      bucket[#bucket + 1] = other[j]
    end
  end
  return index, objs
end

--- Joins this list with other: a List of rows holding the fields of both
-- items of each matching pair (left order, then right order).
--   join(other, "a = b [and c = d]")   a: field of these items, b: of other's
--   join(other, "a", "b")              the same, one pair
--   join(other, "a")                   the same field name on both sides
--   join(other, fn)                    fn(left, right) -> boolean
-- A trailing options table: left = true keeps unmatched items (other's
-- fields nil); names = { "left", "right" } names the two sides.  A field
-- both sides have is prefixed by its side's table name (figures_start,
-- sections_start), except a join field of the same name on both sides,
-- kept once.  nil never matches.
function methods:join(other, on, a3, a4)
  check_list(self, "join")
  if not is_list(other) then
    if type(other) ~= "table" then
      require("siqun.check").type(1, "join", "siqun.List", other)
    end
    other = List.new(other)
  end
  local lk, rk, fn, opts = join_condition(on, a3, a4)
  if lk then
    for i = 1, #lk do
      check_field(self, lk[i], 2)
      check_field(other, rk[i], 2)
    end
  end
  local jshape, lcols, rcols = join_columns(self, other, lk, rk, opts.names or {})
  local nl = #lcols

  local rows = {}
  local function emit(a, b)
    local values = {}
    for j, n in ipairs(lcols) do values[j] = getf(a, n) end
    if b ~= nil then
      for j, n in ipairs(rcols) do values[nl + j] = getf(b, n) end
    end
    rows[#rows + 1] = new_row(jshape, values)
  end

  local index, objs
  if not fn then index, objs = join_index(other, rk) end
  for i = 1, #self do
    local a, matched = self[i], false
    if fn then
      for j = 1, #other do
        if fn(a, other[j]) then
          emit(a, other[j])
          matched = true
        end
      end
    else
      local id = tuple_id(a, lk, objs)
      for _, b in ipairs(id and index[id] or {}) do
        emit(a, b)
        matched = true
      end
    end
    if not matched and opts.left then emit(a, nil) end
  end
  return List.new(rows, { name = "rows" })
end

--- Adds the methods to the List class (through List.methods), leaving any
-- method of the same name that List already has.  Returns the sorted
-- names added.
function M.install(ListClass)
  ListClass = ListClass or List
  local target = rawget(ListClass, "methods")
  if type(target) ~= "table" then
    error("siqun.compose: List.methods not found (list.lua must expose its methods table)", 2)
  end
  local names = {}
  for name in pairs(methods) do names[#names + 1] = name end
  table.sort(names)
  local added = {}
  for _, name in ipairs(names) do
    if target[name] == nil then
      target[name] = methods[name]
      added[#added + 1] = name
    end
  end
  return added
end

return M
