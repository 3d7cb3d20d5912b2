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
local ipairs, pairs = compat.ipairs, compat.pairs -- 5.3's ipairs, 5.2's pairs, on every Lua
local move, math_type, array_proxy = compat.move, compat.math_type, compat.array_proxy

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

-- The methods (filter, map, find, sort, at, get, totable, concat...) are in
-- siqun.list_more, loaded on the first call of one of them: opening a
-- dataset and reading its records needs none.  Until then each is a stub
-- that loads them, puts each in place of its stub, and tail-calls the real
-- one (so error levels are unchanged); a stub a caller kept still works.
-- After an error while loading (out of memory) the next call tries again.
-- The metamethods __pairs, __concat and __tostring are stubs in mt the
-- same way.
local more -- name -> method or metamethod, once loaded
local stubs = {} -- name -> its stub

local function load_more()
  if more == nil then
    local m = require("siqun.list_more")({ List = List, state = state,
                                           mt = mt, st = st, make = make, inherit = inherit })
    for name, f in pairs(m) do
      local stub = stubs[name]
      if stub ~= nil and rawget(methods, name) == stub then
        methods[name] = f
      elseif stub ~= nil and rawget(mt, name) == stub then
        mt[name] = f
      end
    end
    if mt.__ipairs == stubs.__pairs then mt.__ipairs = mt.__pairs end
    more = m
  end
  return more
end

for _, group in ipairs { { methods, "filter", "map", "find", "find_if", "includes", "index_of",
                           "sort", "at", "first", "last", "get", "totable", "concat", "extend",
                           "iter", "len", "is_empty" },
                         { mt, "__pairs", "__concat", "__tostring" } } do
  local t = group[1]
  for i = 2, #group do
    local name = group[i]
    local function stub(...) return load_more()[name](...) end
    stubs[name] = stub
    t[name] = stub
  end
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
    local f = methods[k]
    -- a stub still in place: the real method (a call through the stub is
    -- a tail call, which on Lua 5.1 costs the caller's line in errors)
    if f ~= nil and f == stubs[k] then f = load_more()[k] end
    return f
  end
  return nil
end

mt.__newindex = function()
  error("siqun.List is read-only", 2)
end

mt.__len = function(self) return state[self].n end

-- __pairs (and __ipairs), __concat and __tostring: stubs too (above).

List.methods = methods -- for extensions (e.g. the query language)

setmetatable(List, {
  __call = function(_, tbl, opts) return List.new(tbl, opts) end,
  __metatable = "siqun.List class",
})

return List
