-- siqun.compat_utf8: Lua 5.3's utf8 library for Lua 5.1, 5.2 and LuaJIT
-- (which have none), loaded by siqun.compat only there.  Not meant to be
-- required on its own: it returns a function of siqun.compat's table,
-- whose helpers it uses (compat.utf8 is the result).

local floor = math.floor
local byte, char = string.byte, string.char
local type, select, error, tostring = type, select, error, tostring

return function(M)
  local u = {}

  local MAXUTF = 0x7FFFFFFF
  -- "\0" in a pattern is a Lua 5.2 feature; 5.1 spells it %z.
  u.charpattern = pcall(string.find, "\0", "[\0]") and "[\0-\127\194-\253][\128-\191]*"
                  or "[%z\1-\127\194-\253][\128-\191]*"

  -- level: 1 = the caller of the utf8 function that calls argerror.
  local function argerror(n, fname, msg, level)
    require("siqun.check").arg(n, "utf8." .. fname, msg, 2 + (level or 1))
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
  return u
end
