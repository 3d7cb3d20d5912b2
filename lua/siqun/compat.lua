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
local byte, char = string.byte, string.char
local type, select, error, tostring = type, select, error, tostring
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

if rawget(_G, "utf8") then
  M.utf8 = utf8
else
  local u = {}

  local MAXUTF = 0x7FFFFFFF
  -- "\0" in a pattern is a Lua 5.2 feature; 5.1 spells it %z.
  u.charpattern = pcall(string.find, "\0", "[\0]") and "[\0-\127\194-\253][\128-\191]*"
                  or "[%z\1-\127\194-\253][\128-\191]*"

  -- level: 1 = the caller of the utf8 function that calls argerror.
  local function argerror(n, fname, msg, level)
    error(("bad argument #%d to 'utf8.%s' (%s)"):format(n, fname, msg), 2 + (level or 1))
  end

  local function checkint(v, n, fname, default)
    if v == nil and default ~= nil then return default end
    if type(v) == "string" then v = tonumber(v) or v end
    if type(v) ~= "number" then
      argerror(n, fname, "number expected, got " .. (v == nil and "no value" or type(v)), 2)
    end
    local i = M.tointeger(v)
    if not i then argerror(n, fname, "number has no integer representation", 2) end
    return i
  end

  local function checkstr(s, fname)
    if type(s) == "number" then return tostring(s) end
    if type(s) ~= "string" then
      argerror(1, fname, "string expected, got " .. (s == nil and "no value" or type(s)), 2)
    end
    return s
  end

  -- 5.4's u_posrelat: a negative position counts from the end.
  local function posrelat(pos, len)
    if pos >= 0 then return pos end
    if -pos > len then return 0 end
    return len + pos + 1
  end

  local function iscont(s, i)
    local c = byte(s, i)
    return c ~= nil and c >= 0x80 and c < 0xC0
  end

  -- Decodes the sequence at byte i: the code point and the index after
  -- it, or nil.  strict: no surrogates, nothing above U+10FFFF.
  local LIMITS = { 0x80, 0x800, 0x10000, 0x200000, 0x4000000 }
  local function decode(s, i, strict)
    local c = byte(s, i)
    if c == nil then return nil end
    local res, count
    if c < 0x80 then
      res, count = c, 0
    elseif c < 0xC0 then
      return nil
    else
      if c < 0xE0 then count, res = 1, c - 0xC0
      elseif c < 0xF0 then count, res = 2, c - 0xE0
      elseif c < 0xF8 then count, res = 3, c - 0xF0
      elseif c < 0xFC then count, res = 4, c - 0xF8
      elseif c < 0xFE then count, res = 5, c - 0xFC
      else return nil end
      for k = 1, count do
        local cc = byte(s, i + k)
        if cc == nil or cc < 0x80 or cc >= 0xC0 then return nil end
        res = res * 64 + (cc - 0x80)
      end
      if res > MAXUTF or res < LIMITS[count] then return nil end
    end
    if strict and (res > 0x10FFFF or (res >= 0xD800 and res <= 0xDFFF)) then return nil end
    return res, i + count + 1
  end

  local function encode(x)
    if x < 0x80 then return char(x) end
    local out, mfb = {}, 0x3F
    repeat
      out[#out + 1] = 0x80 + x % 64
      x = floor(x / 64)
      mfb = floor(mfb / 2)
    until x <= mfb
    local first = 256 - (mfb + 1) * 2 + x
    local s = char(first)
    for k = #out, 1, -1 do s = s .. char(out[k]) end
    return s
  end

  function u.char(...)
    local n = select("#", ...)
    local parts = {}
    for k = 1, n do
      local code = checkint((select(k, ...)), k, "char")
      if code < 0 or code > MAXUTF then argerror(k, "char", "value out of range") end
      parts[k] = encode(code)
    end
    return table.concat(parts)
  end

  function u.len(s, i, j, lax)
    s = checkstr(s, "len")
    local len = #s
    local posi = posrelat(checkint(i, 2, "len", 1), len)
    local posj = posrelat(checkint(j, 3, "len", -1), len)
    if not (posi >= 1 and posi - 1 <= len) then
      argerror(2, "len", "initial position out of bounds")
    end
    if posj - 1 >= len then argerror(3, "len", "final position out of bounds") end
    local n = 0
    while posi <= posj do
      local _, nxt = decode(s, posi, not lax)
      if not nxt then return nil, posi end
      posi = nxt
      n = n + 1
    end
    return n
  end

  function u.codepoint(s, i, j, lax)
    s = checkstr(s, "codepoint")
    local len = #s
    local posi = posrelat(checkint(i, 2, "codepoint", 1), len)
    local pose = posrelat(checkint(j, 3, "codepoint", posi), len)
    if posi < 1 then argerror(2, "codepoint", "out of bounds") end
    if pose > len then argerror(3, "codepoint", "out of bounds") end
    if posi > pose then return end
    local out, n = {}, 0
    local p = posi
    while p <= pose do
      local code, nxt = decode(s, p, not lax)
      if not code then error("invalid UTF-8 code", 2) end
      n = n + 1
      out[n] = code
      p = nxt
    end
    return M.unpack(out, 1, n)
  end

  function u.offset(s, n, i)
    s = checkstr(s, "offset")
    local len = #s
    n = checkint(n, 2, "offset")
    local posi = posrelat(checkint(i, 3, "offset", n >= 0 and 1 or len + 1), len)
    if not (posi >= 1 and posi - 1 <= len) then argerror(3, "offset", "position out of bounds") end
    posi = posi - 1 -- 0-based, as in lutf8lib.c
    if n == 0 then
      while posi > 0 and iscont(s, posi + 1) do posi = posi - 1 end
    else
      if iscont(s, posi + 1) then error("initial position is a continuation byte", 2) end
      if n < 0 then
        while n < 0 and posi > 0 do
          repeat posi = posi - 1 until not (posi > 0 and iscont(s, posi + 1))
          n = n + 1
        end
      else
        n = n - 1
        while n > 0 and posi < len do
          repeat posi = posi + 1 until not iscont(s, posi + 1)
          n = n - 1
        end
      end
    end
    if n == 0 then return posi + 1 end
    return nil
  end

  local function iter(strict)
    return function(s, i)
      local len = #s
      local n = i -- 0-based index of the previous sequence (0 at the start)
      if n < len then
        while iscont(s, n + 1) do n = n + 1 end
      end
      if n >= len then return nil end
      local code = decode(s, n + 1, strict)
      if not code then error("invalid UTF-8 code", 2) end
      return n + 1, code
    end
  end
  local iter_strict, iter_lax = iter(true), iter(false)

  function u.codes(s, lax)
    s = checkstr(s, "codes")
    return lax and iter_lax or iter_strict, s, 0
  end

  M.utf8 = u
end

return M
