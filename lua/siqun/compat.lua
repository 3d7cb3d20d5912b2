--- siqun.compat: the one Lua file where the Lua version matters (the C
-- side's is csrc/lua/lsq_compat.h).  The Lua layer is written for Lua 5.4 and
-- also runs on 5.3, 5.2, 5.1 and LuaJIT 2.1; what differs, it takes from
-- here rather than from the globals.  No global is set and no standard
-- table is changed.
--
--   utf8              the utf8 library of 5.3+, or on 5.1, 5.2 and LuaJIT a
--                     pure-Lua one with 5.4's strict rules (no surrogates,
--                     nothing above U+10FFFF): char, charpattern, codes,
--                     codepoint, len, offset
--   math_type(x)      math.type; without integers (5.1, 5.2, LuaJIT) an
--                     integral number below 2^53 in magnitude (where a
--                     double is exact, as siqun.core pushes integers there)
--                     is an "integer", any other number a "float"
--   tointeger(x)      math.tointeger; without integers, x when integral and
--                     in [-2^63, 2^63)
--   idiv(a, b)        a // b (the operator does not parse before 5.3)
--   iadd(a, b)        a + b for two integers (math_type), or nil when the
--                     sum is none: past math.maxinteger on 5.3 and 5.4 (where
--                     it would wrap round), at 2^53 or beyond without
--                     integers (where doubles stop being exact)
--   maxinteger        the largest integer: math.maxinteger, or 2^53 - 1
--   unpack, pack, move   table.unpack, table.pack, table.move
--   load, loadfile    5.2+'s load(chunk, name, mode, env) and
--                     loadfile(path, mode, env), with the mode check
--                     ("t" refuses precompiled chunks) on 5.1 too
--   searchpath        package.searchpath (5.2+, LuaJIT)
--   pairs(x)          pairs honouring __pairs (5.1 and LuaJIT ignore it)
--   ipairs(x)         ipairs honouring __index (5.1 and 5.2 read raw)
--   len(x)            #x honouring __len on tables (5.1 and LuaJIT ignore it)
--   proxy(mt)         a new empty object with metatable mt for a read-only
--                     view (siqun.List, Row, Article): a table on 5.2+; on
--                     5.1 and LuaJIT, where a table's __len and __pairs are
--                     ignored, a userdata (newproxy) with a copy of mt, so
--                     that #, indexing and assignment still go through mt
--                     (pairs and ipairs then raise: compat.pairs/ipairs)
--   array_proxy(mt, items, n)   a new object with metatable mt for a
--                     read-only view of the array items[1..n] (siqun.List):
--                     an empty table on 5.2+, where ipairs and # go through
--                     the metatable; on 5.1 and LuaJIT, whose ipairs and #
--                     read the raw table whatever its metatable, a table
--                     whose array part holds a copy of items[1..n] (read
--                     through items' metatable), so that ipairs(list),
--                     #list and list[i] work; there an assignment to an
--                     index it holds reaches no metamethod (Lua calls
--                     __newindex only for absent keys) and changes the copy
--                     only (siqun.List keeps items to itself)
--   raw_arrays        true where array_proxy copies (5.1, LuaJIT)
--   getuservalue(u, n)   user value n of a siqun.core userdata (its layout
--                     below 5.4 is csrc/lua/lsq_compat.h's: a table [0] = n, [1..n])
--   gc_paid(kb)       after kb kilobytes went to a few large strings: on 5.1
--                     and LuaJIT, whose collector pays an allocation's debt
--                     back 1 KB at each later allocation and so falls behind
--                     big strings made one after the other (memory then grows
--                     with the data, not the heap), collector steps for kb
--                     kilobytes; nothing on 5.2+, whose steps are sized by
--                     the debt
--   integers, lua_num, luajit, table_len_meta, pairs_meta, index_ipairs:
--                     what this Lua does (flags, for specs and callers)

local floor = math.floor
local type = type

-- (every field in the constructor, so that the table has its size at once;
-- those given false here are all set below)
local M = {
  lua_num = ({ ["Lua 5.1"] = 501, ["Lua 5.2"] = 502, ["Lua 5.3"] = 503,
               ["Lua 5.4"] = 504 })[_VERSION] or 504,
  luajit = type(rawget(_G, "jit")) == "table",
  integers = math.type ~= nil,
  table_len_meta = false, pairs_meta = false, index_ipairs = false, idiv = false,
  iadd = false, maxinteger = false,
  getuservalue = false, math_type = false, tointeger = false, unpack = false, pack = false,
  move = false, pairs = false, ipairs = false, len = false, proxy = false, searchpath = false,
  load = false, loadfile = false, utf8 = false, array_proxy = false, raw_arrays = false,
  gc_paid = false,
}

-- ------------------------------------------------------------- what works

-- table_len_meta: # calls __len on tables (5.2+; LuaJIT with 5.2
-- compatibility); pairs_meta: pairs calls __pairs (the same); index_ipairs:
-- ipairs reads through __index (5.3+).  All three hold on 5.3 and 5.4;
-- elsewhere siqun.compat_fallback tries them.
local modern = M.lua_num >= 503 and not M.luajit
M.table_len_meta, M.pairs_meta, M.index_ipairs = modern, modern, modern

-- ------------------------------------------------------------- numbers

--- a // b (floor division; 5.3's integer result for integers).
function M.idiv(a, b) return floor(a / b) end

if M.integers then
  M.maxinteger = math.maxinteger
  function M.iadd(a, b)
    local s = a + b -- (wraps round on overflow: then s moved against b's sign)
    if (b >= 0) ~= (s >= a) then return nil end
    return s
  end
else
  local EXACT = 2 ^ 53
  M.maxinteger = EXACT - 1
  function M.iadd(a, b)
    local s = a + b -- (exact below 2^53, and rounded to 2^53 or beyond past it)
    if s >= EXACT or s <= -EXACT then return nil end
    return s
  end
end

-- ------------------------------------------------------------- userdata

local getuv = type(debug) == "table" and debug.getuservalue
local getfenv_ = type(debug) == "table" and debug.getfenv -- luacheck: ignore 143 (5.1)

--- User value n of a userdata made by siqun.core, or nil.
function M.getuservalue(u, n)
  if M.lua_num >= 504 then
    if not getuv then return nil end
    return (getuv(u, n))
  end
  local t
  if getuv then t = getuv(u) elseif getfenv_ then t = getfenv_(u) end
  if type(t) ~= "table" then return nil end
  local count = rawget(t, 0)
  if type(count) ~= "number" or n < 1 or n > count then return nil end
  return rawget(t, n)
end

-- ------------------------------------------------------------- collector

local collect = collectgarbage
if M.lua_num <= 501 then
  function M.gc_paid(kb) if kb >= 1 then collect("step", kb) end end
else
  function M.gc_paid() end
end

-- ------------------------------------------------------------- the rest

-- On 5.3 and 5.4 the functions are Lua's own; on 5.1, 5.2 and LuaJIT
-- siqun.compat_fallback makes what is missing (a module of its own, so
-- that 5.3 and 5.4 do not load it; it takes what it uses from _G, which
-- is what this chunk sees).
local utf8_, searchpath = rawget(_G, "utf8"), package.searchpath
if modern and M.integers and math.tointeger and table.move and table.pack and table.unpack
   and searchpath and utf8_ then
  M.math_type, M.tointeger = math.type, math.tointeger
  M.unpack, M.pack, M.move = table.unpack, table.pack, table.move
  M.pairs, M.ipairs = pairs, ipairs
  function M.len(x) return #x end
  function M.proxy(mt) return setmetatable({}, mt) end
  function M.array_proxy(mt) return setmetatable({}, mt) end
  M.searchpath = searchpath
  M.load, M.loadfile = load, loadfile
  M.utf8 = utf8_
else
  require("siqun.compat_fallback")(M, _G)
end

return M
