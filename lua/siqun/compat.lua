--- siqun.compat: the one Lua file where the Lua version matters (the C
-- side's is csrc/lsq_compat.h).  The Lua layer is written for Lua 5.4 and
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
--   getuservalue(u, n)   user value n of a siqun.core userdata (its layout
--                     below 5.4 is csrc/lsq_compat.h's: a table [0] = n, [1..n])
--   integers, lua_num, luajit, table_len_meta, pairs_meta, index_ipairs:
--                     what this Lua does (flags, for specs and callers)

local M = {}

local floor = math.floor
local type, select, tostring = type, select, tostring
-- a host may omit the debug library
local getmt = type(debug) == "table" and debug.getmetatable or getmetatable

M.lua_num = ({ ["Lua 5.1"] = 501, ["Lua 5.2"] = 502, ["Lua 5.3"] = 503,
               ["Lua 5.4"] = 504 })[_VERSION] or 504
M.luajit = type(rawget(_G, "jit")) == "table"
M.integers = math.type ~= nil

-- ------------------------------------------------------------- what works

--- True when # calls __len on tables (5.2+; LuaJIT with 5.2 compatibility).
M.table_len_meta = #setmetatable({}, { __len = function() return 1 end }) == 1

--- True when pairs calls __pairs (5.2+; LuaJIT with 5.2 compatibility).
M.pairs_meta = false
for _ in pairs(setmetatable({}, { __pairs = function()
  return function() M.pairs_meta = true; return nil end, nil, nil
end })) do end -- luacheck: ignore 512 (the probe only calls the iterator)

--- True when ipairs reads through __index (5.3+).
M.index_ipairs = false
for _ in ipairs(setmetatable({}, { __index = function(_, i) return i == 1 or nil end })) do
  M.index_ipairs = true
end

-- ------------------------------------------------------------- numbers

local MAXI = 9223372036854775808.0 -- 2^63

local EXACT = 9007199254740992.0 -- 2^53

M.math_type = math.type or function(x)
  if type(x) ~= "number" then return nil end
  if x == floor(x) and x > -EXACT and x < EXACT then return "integer" end
  return "float"
end

M.tointeger = math.tointeger or function(x)
  if type(x) == "string" then x = tonumber(x) end
  if type(x) == "number" and x == floor(x) and x >= -MAXI and x < MAXI then return x end
  return nil
end

--- a // b (floor division; 5.3's integer result for integers).
function M.idiv(a, b) return floor(a / b) end

-- ------------------------------------------------------------- tables

M.unpack = table.unpack or unpack -- luacheck: ignore 113 (5.1's global)

M.pack = table.pack or function(...)
  return { n = select("#", ...), ... }
end

M.move = table.move or function(a1, f, e, t, a2)
  a2 = a2 or a1
  if e >= f then
    if t <= f or t > e or a1 ~= a2 then
      for i = 0, e - f do a2[t + i] = a1[f + i] end
    else
      for i = e - f, 0, -1 do a2[t + i] = a1[f + i] end
    end
  end
  return a2
end

local function metafield(x, name)
  local mt = getmt(x)
  if type(mt) == "table" then return rawget(mt, name) end
  return nil
end

M.pairs = M.pairs_meta and pairs or function(x)
  local h = metafield(x, "__pairs")
  if h then
    local f, s, c = h(x)
    return f, s, c
  end
  return pairs(x)
end

local function index_inext(t, i)
  i = i + 1
  local v = t[i]
  if v ~= nil then return i, v end
  return nil
end

M.ipairs = M.index_ipairs and ipairs or function(x)
  return index_inext, x, 0
end

M.len = M.table_len_meta and function(x) return #x end or function(x)
  if type(x) == "table" then
    local h = metafield(x, "__len")
    if h then return h(x) end
  end
  return #x
end

-- ------------------------------------------------------------- proxies

-- mt -> the userdata whose metatable (a copy of mt, made at the first
-- proxy: mt must be complete by then) newproxy gives to each new proxy.
local templates = setmetatable({}, { __mode = "k" })
local newproxy_ = rawget(_G, "newproxy")

if M.table_len_meta or not newproxy_ then
  function M.proxy(mt) return setmetatable({}, mt) end
else
  function M.proxy(mt)
    local t = templates[mt]
    if t == nil then
      t = newproxy_(true)
      local copy = getmetatable(t)
      for k, v in pairs(mt) do copy[k] = v end
      templates[mt] = t
    end
    return newproxy_(t)
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

-- ------------------------------------------------------------- loading

M.searchpath = package.searchpath or function(name, path, sep, rep)
  sep, rep = sep or ".", rep or "/"
  if sep ~= "" then name = name:gsub("%" .. sep, rep) end
  local tried = {}
  for template in path:gmatch("[^;]+") do
    local file = template:gsub("%?", name)
    local f = io.open(file, "r")
    if f then
      f:close()
      return file
    end
    tried[#tried + 1] = "\n\tno file '" .. file .. "'"
  end
  return nil, table.concat(tried)
end

-- Native load/loadfile take a mode and an environment from 5.2 on (and
-- on LuaJIT, whose load and loadfile accept both).
local native_modes = M.lua_num >= 502 or M.luajit

local function check_mode(first, mode, chunkname)
  if mode == nil then return true end
  local binary = first == "\27"
  if not tostring(mode):find(binary and "b" or "t", 1, true) then
    return nil, ("attempt to load a %s chunk (mode is '%s')"):format(
      binary and "binary" or "text", tostring(mode)), chunkname
  end
  return true
end

M.load = native_modes and load or function(chunk, name, mode, env)
  local f, err
  if type(chunk) == "string" then
    local ok, merr = check_mode(chunk:sub(1, 1), mode)
    if not ok then return nil, merr end
    f, err = loadstring(chunk, name) -- luacheck: ignore 113 (5.1's global)
  else
    local first, checked = true, false
    f, err = load(function()
      local piece = chunk()
      if first and piece ~= nil and piece ~= "" then
        first = false
        local ok, merr = check_mode(piece:sub(1, 1), mode)
        if not ok then checked = merr; return nil end
      end
      return piece
    end, name)
    if checked then return nil, checked end
  end
  if f and env ~= nil then setfenv(f, env) end -- luacheck: ignore 113 (5.1's global)
  return f, err
end

M.loadfile = native_modes and loadfile or function(path, mode, env)
  local h, oerr = io.open(path, "rb")
  if not h then return nil, "cannot open " .. tostring(oerr) end
  local text = h:read("*a")
  h:close()
  return M.load(text:gsub("^#[^\n]*", ""), "@" .. path, mode, env)
end

-- ------------------------------------------------------------- utf8

-- (the fallback is a module of its own, so that 5.3 and 5.4 do not load it)
M.utf8 = rawget(_G, "utf8") or require("siqun.compat_utf8")(M)

return M
