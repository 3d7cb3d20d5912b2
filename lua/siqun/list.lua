--- siqun.List: a read-only list, modelled on Penlight's List and pandoc's
-- Lua lists.  Every method returns a new List and never changes its
-- receiver; the items live in a private table, out of the user's reach.
--
--   local List = require "siqun.list"
--   local l = List.new{ 3, 1, 2 }
--   l:sort():map(function(x) return x * 10 end):totable()  --> { 10, 20, 30 }
--   l:at(-1)                                                --> 2
--
-- Predicates (filter, find, ...) are a function `pred(item, index)`, a
-- table `{ field = value, ... }` (every field must equal its value), or a
-- query string, handed to siqun.query_predicate when the query language is
-- loaded.
--
-- A List built from a dataset table (see siqun.open) remembers the table,
-- so `get(key)` finds a record by its primary key; other lists look the key
-- up linearly in each item's `id` field.
--
-- Lua versions.  A List is a table with the metatable mt (the proxy,
-- siqun.compat.array_proxy); its items are in a private table (state).
-- On 5.2+ the proxy is empty: `#`, indexing, `pairs` and `ipairs` go
-- through its metamethods (__len, __index, __pairs, 5.2's __ipairs), and
-- every assignment raises.  Lua 5.1 and LuaJIT read a table raw in `#`,
-- `ipairs` and `pairs`, so there the proxy also holds a copy of the items
-- in its array part (a List of a dataset table makes its records when it
-- is made): `ipairs(list)`, `pairs(list)`, `#list` and `list[i]` work as
-- on 5.4, and assigning to a new key raises; assigning to an index the
-- List holds reaches no metamethod there and changes that copy only
-- (what `list[i]`, `ipairs` and `#` give), never the items the methods,
-- the queries and other Lists use.

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua
local move, math_type, tointeger, array_proxy = compat.move, compat.math_type,
  compat.tointeger, compat.array_proxy

local List = {}

-- Private state of each List: { n = count, [1..n] = items, table = Table
-- userdata or nil, name = what the items are ("figures") or nil,
-- keys = extra key fields for get (e.g. { "term" }) or nil, pk = the
-- fields of a composite primary key or nil }.
local state = setmetatable({}, { __mode = "k" })

local mt = { __name = "siqun.List", __metatable = "siqun.List" }

local methods = {}

local function st(self, fname)
  local s = state[self]
  if not s then
    error(("bad self to '%s' (siqun.List expected, got %s)"):format(fname, type(self)), 3)
  end
  return s
end

-- Makes a List from items[1..n] (taken over, not copied) and options.
-- Private fields are strings, so integer indexing never reaches them.
local function make(items, n, opts)
  items.n = n
  if opts then
    items.table, items.name, items.keys, items.pk = opts.table, opts.name, opts.keys, opts.pk
    items.columns = opts.columns
  end
  local self = array_proxy(mt, items, n)
  state[self] = items
  return self
end

-- The options a derived list keeps from its parent.
local function inherit(s)
  return { table = s.table, name = s.name, keys = s.keys, pk = s.pk, columns = s.columns }
end

-- ------------------------------------------------------- methods

-- Field access that works on tables and userdata records alike and never
-- raises for plain values, and tables of field values as predicates: the
-- one rule (siqun.item), loaded by the first method that needs it.
local item_rule = require("siqun.lazy").module "siqun.item"
local function field(x, name) return item_rule.get(x, name) end

-- The compiler of query-string predicates: the query language's, which
-- the facade gives (List._use_query_predicate); siqun.list is below the
-- query language and never requires it.
local string_predicate = nil

-- Turns a predicate argument into a function(item, index) -> boolean.
local function predicate(pred, level)
  local tp = type(pred)
  if tp == "function" then
    return pred
  elseif tp == "table" then
    return item_rule.matcher(pred)
  elseif tp == "string" then
    if string_predicate then
      return string_predicate(pred)
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

-- The one sort order (siqun.order: nil last, then numbers < strings <
-- booleans < Lists < other values), loaded by the first sort: opening a
-- dataset and reading its records needs none.
local order = require("siqun.lazy").module "siqun.order"

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
-- (in the metatable of Lists)

-- pairs(list) visits the items in order, like ipairs.
mt.__pairs = function(self)
  local s = state[self]
  return function(_, i)
    i = i + 1
    if i <= s.n then return i, s[i] end
    return nil
  end, self, 0
end

mt.__concat = function(a, b)
  if state[a] then return List.methods.concat(a, b) end
  -- array .. List
  return List.methods.concat(List.new(a), b)
end

mt.__tostring = function(self)
  local s = state[self]
  local name = s.name
  if name == nil then name = s.n == 1 and "item" or "items" end
  return ("List of %d %s"):format(s.n, name)
end

-- ipairs(list) on 5.2, whose ipairs reads raw unless __ipairs is set (5.3+
-- read through __index; 5.4 ignores __ipairs).
mt.__ipairs = mt.__pairs

--- Creates a List holding a copy of the array part of tbl (tbl[1..#tbl],
-- or tbl[1..tbl.n] when tbl.n is set).  opts (optional): table = a core
-- Table the items come from (enables keyed get), name = what the items are
-- (used by tostring), keys = extra fields get may match ({ "term" }),
-- pk = the fields of a composite primary key ({ "term", "n" }), columns =
-- the columns of rows ({ names = {...}, types = {...} }, what a query's
-- result knows even when it is empty).
function List.new(tbl, opts)
  if tbl == nil then tbl = {} end
  if type(tbl) ~= "table" and not state[tbl] then -- (a List is a userdata on 5.1)
    require("siqun.check").type(1, "new", "table", tbl)
  end
  if opts ~= nil and type(opts) ~= "table" then
    require("siqun.check").type(2, "new", "table", opts)
  end
  if state[tbl] then -- a List: copy its items
    local s = state[tbl]
    local items = move(s, 1, s.n, 1, {})
    return make(items, s.n, opts or inherit(s))
  end
  local n = tbl.n
  if math_type(n) ~= "integer" or n < 0 then n = #tbl end
  return make(move(tbl, 1, n, 1, {}), n, opts)
end

-- Items of a dataset Table made on first use: a List over a whole Table
-- (siqun.open) holds no record until one is read, so opening a dataset
-- creates none; then siqun.core.list_index (the __index of the items table
-- siqun.core.list_items makes) makes the records of a block of rows in one
-- call and puts each in the items (so a record stays the same value).  (An
-- integral float finds its record too, as a table's keys do.)
local core = require "siqun.core"
local core_type, list_items = core.type, core.list_items

-- (For siqun.open) A List of the records of the core Table t, made on
-- first use (by siqun.core.list_index, which still hands them out once
-- the dataset is closed); opts as for List.new (opts.table is t), and
-- opts.n the number of records when known (#t, which raises once the
-- dataset is closed).
function List.of_table(t, opts)
  if core_type(t) ~= "siqun.Table" then
    require("siqun.check").type(1, "of_table", "siqun.Table", t)
  end
  if type(opts) ~= "table" then
    require("siqun.check").type(2, "of_table", "table", opts)
  end
  local n = opts.n
  if n == nil then n = #t end
  local s = list_items(t, n) -- { n =, table = }, sized for the records
  s.name, s.keys, s.pk = opts.name, opts.keys, opts.pk
  local self = array_proxy(mt, s, n) -- (reads every record where it copies them)
  state[self] = s
  return self
end

-- (For siqun.facade) Sets the compiler of query-string predicates
-- (fn(query) -> function(item) -> boolean, or nil: strings refused);
-- returns the one before.
function List._use_query_predicate(fn)
  local before = string_predicate
  string_predicate = fn
  return before
end

-- (For siqun.fields) What a List knows of its items' columns: the core
-- Table its records come from, and the columns of a query's rows
-- ({ names = {...}, types = {...} }, kept by filter, sort and the like).
function List._origin(l)
  local s = state[l]
  if not s then return nil end
  return rawget(s, "table"), rawget(s, "columns")
end

--- True when x is a List.
function List.is_list(x)
  return state[x] ~= nil
end

-- (For the query language's generated loops.)  The List of the items of
-- List l that select keeps, as filter makes it: select(items, n, out)
-- reads l's items[1..n], puts those it keeps in out[1..m] in order and
-- returns m (out comes with l's options, a hash part of the right size).
function List._select(l, select)
  local s = state[l]
  local out = { n = 0, table = s.table, name = s.name, keys = s.keys, pk = s.pk,
                columns = s.columns }
  out.n = select(s, s.n, out)
  local self = array_proxy(mt, out, out.n)
  state[self] = out
  return self
end

-- The items table's own string keys (make, List.of_table): not items.
local PRIVATE = { n = true, table = true, name = true, keys = true, pk = true, columns = true }

mt.__index = function(self, k)
  local s = state[self]
  -- list[i] without a call (what loops do most): a float key with an
  -- integral value finds its item too, tables normalise such keys
  local v = s[k]
  if v ~= nil and not PRIVATE[k] then return v end
  if type(k) == "string" then
    return methods[k]
  end
  return nil
end

mt.__newindex = function()
  error("siqun.List is read-only", 2)
end

mt.__len = function(self) return state[self].n end

List.methods = methods -- for extensions (siqun.facade adds siqun.compose's on first use)

setmetatable(List, {
  __call = function(_, tbl, opts) return List.new(tbl, opts) end,
  __metatable = "siqun.List class",
})

return List
