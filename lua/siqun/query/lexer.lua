--- siqun.query.lexer: the tokens of a query (LPeg).  lex_one(text, i)
-- reads the token at byte i: { k = kind, v = value, p = start, e = the
-- byte after it }, kind "str", "num" (v the number: Chinese notation is
-- read by the core's quantity parser), "name", "qname" (`quoted`), "op"
-- or "eof"; anything else is a query error.

local lpeg = require "lpeg"
local compat = require "siqun.compat"
local errors = require "siqun.query.errors"
local utf8 = compat.utf8
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua
local throw, flat, is_nomem = errors.throw, errors.flat, errors.is_nomem

local M = {}

local P, R, S, C, Cc, Cp, Cs, Cmt =
  lpeg.P, lpeg.R, lpeg.S, lpeg.C, lpeg.Cc, lpeg.Cp, lpeg.Cs, lpeg.Cmt

-- A token is blanks, then one of: a string, a number, a name, a `quoted`
-- name, an operator, a full-width operator (，（）), or the end.  The
-- first byte after the blanks tells which it can be (no two kinds begin
-- with the same byte: see FIRST), so each kind is a pattern of its own,
-- built when a query first needs it: building and compiling them all cost
-- more than the rest of the query language's require, and most queries
-- use a few kinds (a string, with its escapes, only when it has one).

-- LPeg compiles a pattern on its first match; LPeg 1.0.2 leaves it
-- half-compiled (and later crashes matching it) when that compilation runs
-- out of memory.  So every pattern is matched once as soon as it is built,
-- and kept only then: such a failure drops it, and the next query that
-- needs it builds it again.
local function compiled(patt)
  patt:match("")
  return patt
end

local ws = (S" \t\r\n\f\v" + P"\227\128\128")^0
-- the position after the blanks at byte i
local skip_ws = compiled(ws * Cp())

local alpha = R("az", "AZ") + P"_"
local digit = R"09"

-- The patterns of each kind: kind name -> function making it.  Each
-- matches at the token's first byte and captures kind, value and the
-- position after the token, as lex_one takes them.
local MAKE = {}

function MAKE.name()
  return Cc"name" * C(alpha * (alpha + digit)^0) * Cp()
end

-- The Chinese numerals a number may hold (as the quantity parser reads
-- them), all three bytes long in UTF-8: a choice of the characters that
-- share their first two bytes, each one P(first two) * S(last bytes)
-- (the same characters as a choice of each, whatever the order, since
-- none is a prefix of another; a third of the pattern to build and
-- compile).
local CJK_DIGITS = "〇零一二三四五六七八九十百千万亿两"

local function cjk_digit()
  local last, prefixes = {}, {}
  for i = 1, #CJK_DIGITS, 3 do
    local pre = CJK_DIGITS:sub(i, i + 1)
    if not last[pre] then
      last[pre] = {}
      prefixes[#prefixes + 1] = pre
    end
    local l = last[pre]
    l[#l + 1] = CJK_DIGITS:sub(i + 2, i + 2)
  end
  local patt = P(false)
  for _, pre in ipairs(prefixes) do patt = patt + P(pre) * S(table.concat(last[pre])) end
  return patt
end

function MAKE.num()
  local cjk = cjk_digit()
  local num_part = digit + cjk + S"./%" + P"分之" + P"点"
  local plain_num = (digit^1 * (P"." * digit^0)^-1 + P"." * digit^1)
    * (S"eE" * S"+-"^-1 * digit^1)^-1
  local number = S"+-"^-1 * #(digit + cjk + P"." * digit)
    * (plain_num * -num_part + num_part^1)
  return Cc"num" * C(number) * Cp()
end

-- What may not follow a number directly (100abc, 100万元, 5"x").
function MAKE.bad_follow()
  local fw_punct = P"，" + P"（" + P"）" + P"\227\128\128"
  return alpha + S"\"'`" + (R"\128\255" - fw_punct)
end

local escapes = {
  n = "\n", t = "\t", r = "\r", ["0"] = "\0", a = "\a", b = "\b", f = "\f", v = "\v",
  ["\\"] = "\\", ['"'] = '"', ["'"] = "'",
}

function MAKE.str()
  local xdigit = R("09", "af", "AF")
  local escape = (P"\\" * S"ntr0abfv\\\"'") / function(s) return escapes[s:sub(2)] end
    + Cmt(Cp() * P"\\u{" * C(xdigit^1) * P"}", function(_, i, p, hex)
        local n = #hex <= 8 and tonumber(hex, 16)
        if not n or n > 0x10FFFF or (n >= 0xD800 and n <= 0xDFFF) then
          throw(p, "invalid escape sequence", true)
        end
        return i, utf8.char(n)
      end)
    + Cmt(Cp() * P"\\", function(_, _, p) throw(p, "invalid escape sequence", true) end)
  local function quoted(q)
    return P(q) * Cs((escape + (1 - S(q .. "\\\n")))^0) * P(q)
  end
  local str = quoted('"') + quoted("'")
    + P"“" * C((1 - P"”" - P"\n")^0) * P"”"
    + P"‘" * C((1 - P"’" - P"\n")^0) * P"’"
  return Cc"str" * str * Cp()
end

function MAKE.qname()
  return Cc"qname" * P"`" * C((1 - S"`\n")^1) * P"`" * Cp()
end

function MAKE.op()
  return Cc"op" * C(P"<=" + P">=" + P"!=" + P"~=" + P"<>" + P"==" + S"=<>~(),*") * Cp()
end

function MAKE.fw_op()
  return Cc"op" * (P"，" * Cc"," + P"（" * Cc"(" + P"）" * Cc")") * Cp()
end

-- The kind a token beginning with byte b can be (nil: none): strings
-- begin with " ' or “ ‘ (byte 0xE2), numbers with + - . a digit or a
-- Chinese numeral (0xE3 〇, 0xE4, 0xE5, 0xE7 百, 0xE9 零), full-width
-- operators with 0xEF.
local FIRST = { [34] = "str", [39] = "str", [0xE2] = "str", [96] = "qname", [95] = "name",
                [0xE3] = "num", [0xE4] = "num", [0xE5] = "num", [0xE7] = "num",
                [0xE9] = "num", [0xEF] = "fw_op" }
for c in ("+-.0123456789"):gmatch(".") do FIRST[c:byte()] = "num" end
for c in ("<>!~=(),*"):gmatch(".") do FIRST[c:byte()] = "op" end
for b = 65, 90 do FIRST[b], FIRST[b + 32] = "name", "name" end

local patterns = {} -- kind -> its pattern, once built and compiled

local function pattern(kind)
  local patt = patterns[kind]
  if patt == nil then
    patt = compiled(MAKE[kind]())
    patterns[kind] = patt
  end
  return patt
end

-- The quantity parser of the core, loaded on first use.
local function quantity(s)
  local ok, core = pcall(require, "siqun.core")
  if not ok and is_nomem(core) then error(core, 0) end
  if not ok or type(core.quantity) ~= "function" then
    return nil, "Chinese numbers need siqun.core"
  end
  local ok2, q, err = pcall(core.quantity, s)
  if not ok2 then
    if is_nomem(q) then error(q, 0) end -- out of memory is no malformed number
    return nil, q
  end
  return q, err
end

local function number_value(s, pos)
  if s:find("^[+-]?[%d.][%d.eE+-]*$") then
    local n = tonumber(s)
    if n then return n end
    throw(pos, ("malformed number '%s'"):format(s), false)
  end
  local sign, body = s:match("^([+-]?)(.*)$")
  local q, err = quantity(body)
  if not q or type(q.value) ~= "number"
     or (q.unit ~= nil and q.unit ~= "%") then
    throw(pos, ("malformed number '%s'%s"):format(
      s, err and (" (" .. tostring(err) .. ")") or ""), false)
  end
  return sign == "-" and -q.value or q.value
end

-- Hints for characters SQL and C habits put in a query.
local CHAR_HINT = {
  ["&"] = "(use 'and')", ["|"] = "(use 'or')", ["!"] = "(use 'not', or '!=' to compare)",
  [";"] = "(a query does not end in ';')",
}

--- The token of text at byte i (after blanks): { k = kind, v = value, p =
-- start, e = the byte after it }; raises a query error for what is none.
function M.lex_one(text, i)
  local p = skip_ws:match(text, i)
  local kind, val, e
  if p > #text then
    kind, val, e = "eof", false, p
  else
    local k = FIRST[text:byte(p)]
    if k then kind, val, e = pattern(k):match(text, p) end
  end
  if not kind then
    local c = text:sub(p, p)
    local ch = text:sub(p, (utf8.offset(text, 2, p) or #text + 1) - 1)
    if c == '"' or c == "'" or ch == "“" or ch == "‘" then
      throw(p, "unfinished string", false)
    elseif c == "`" then
      throw(p, "unfinished quoted name", false)
    elseif c == "\\" then
      throw(p, "unexpected '\\' outside a string", false)
    end
    throw(p, ("unexpected character '%s'%s"):format(
      flat(ch), #ch > 1 and " (strings need quotes)" or ""), false, CHAR_HINT[c])
  end
  local t = { k = kind, v = val, p = p, e = e }
  if kind == "num" then
    if pattern("bad_follow"):match(text, e) then
      throw(p, "malformed number", true, "(a number is digits or Chinese numerals only)")
    end
    t.text = val
    t.v = number_value(val, p)
  end
  return t
end

return M
