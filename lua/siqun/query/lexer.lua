--- siqun.query.lexer: the tokens of a query.  lex_one(text, i) reads the
-- token at byte i: { k = kind, v = value, p = start, e = the byte after
-- it }, kind "str", "num" (v the number: Chinese notation is read by the
-- core's quantity parser), "name", "qname" (`quoted`), "op" or "eof";
-- anything else is a query error.

local compat = require "siqun.compat"
local errors = require "siqun.query.errors"
local utf8 = compat.utf8
local throw, flat, is_nomem = errors.throw, errors.flat, errors.is_nomem

local M = {}

-- A token is blanks, then one of: a string, a number, a name, a `quoted`
-- name, an operator, a full-width operator (，（）), or the end.  The
-- first byte after the blanks tells which it can be (no two kinds begin
-- with the same byte: FIRST), and each kind is read by a function of its
-- own (READ).  A string, with its escapes, is an LPeg pattern, built when
-- a query first has one; the other kinds are a few classes of bytes,
-- read with string.find: building and compiling LPeg patterns for them
-- cost more than the rest of a query (a third of the command line's
-- `siqun query`), and the language they read is the same.

-- The byte after the blanks at byte i: ASCII blanks and U+3000 (the
-- ideographic space); i past the end is the end.
local function skip_ws(text, i)
  if i > #text then return #text + 1 end
  while true do
    local _, e = text:find("^[ \t\r\n\f\v]+", i)
    if e then
      i = e + 1
    elseif text:find("^\227\128\128", i) then
      i = i + 3
    else
      return i
    end
  end
end

-- The Chinese numerals a number may hold (as the quantity parser reads
-- them), each three bytes long in UTF-8.
local CJK_DIGIT = {}
for c in ("〇零一二三四五六七八九十百千万亿两"):gmatch("...") do CJK_DIGIT[c] = true end

-- The byte after the part of a number (an ASCII digit, a Chinese
-- numeral, . / %, 分之 or 点) at byte j, or nil when none begins there.
local function num_part(text, j)
  if text:find("^[0-9./%%]", j) then return j + 1 end
  local c = text:sub(j, j + 2)
  if CJK_DIGIT[c] or c == "点" then return j + 3 end
  if c == "分" and text:sub(j + 3, j + 5) == "之" then return j + 6 end
  return nil
end

-- The byte after a decimal number (digits, a fraction, an exponent) at
-- byte j, or nil.
local function plain_num(text, j)
  local _, e = text:find("^[0-9]+", j)
  if e then
    local _, f = text:find("^%.[0-9]*", e + 1)
    e = f or e
  else
    _, e = text:find("^%.[0-9]+", j)
    if not e then return nil end
  end
  local _, x = text:find("^[eE][+-]?[0-9]+", e + 1)
  return (x or e) + 1
end

-- A number: a sign, then a digit, a Chinese numeral or "." and a digit;
-- a decimal number that no part of a number follows, or else the parts
-- of a number as far as they go.
local function read_num(text, p)
  local j = p
  if text:find("^[+-]", j) then j = j + 1 end
  if not (text:find("^[0-9]", j) or CJK_DIGIT[text:sub(j, j + 2)]
          or text:find("^%.[0-9]", j)) then
    return nil
  end
  local e = plain_num(text, j)
  if not (e and not num_part(text, e)) then
    e = j
    repeat
      local n = num_part(text, e)
      if n then e = n end
    until not n
  end
  return "num", text:sub(p, e - 1), e
end

-- True when what follows a number at byte e may not follow it directly
-- (100abc, 100万元, 5"x"): a letter, a quote, or a character beyond
-- ASCII other than ，（） and the ideographic space.
local FW_FOLLOW = { ["，"] = true, ["（"] = true, ["）"] = true, ["\227\128\128"] = true }
local function bad_follow(text, e)
  if text:find("^[A-Za-z_\"'`]", e) then return true end
  return text:find("^[\128-\255]", e) ~= nil and not FW_FOLLOW[text:sub(e, e + 2)]
end

local OP2 = { ["<="] = true, [">="] = true, ["!="] = true, ["~="] = true, ["<>"] = true,
              ["=="] = true }
local FW_OP = { ["，"] = ",", ["（"] = "(", ["）"] = ")" }

local escapes = {
  n = "\n", t = "\t", r = "\r", ["0"] = "\0", a = "\a", b = "\b", f = "\f", v = "\v",
  ["\\"] = "\\", ['"'] = '"', ["'"] = "'",
}

-- The LPeg pattern of a string (kind, value, the byte after it).
local function string_pattern()
  local lpeg = require "lpeg"
  local P, R, S, C, Cc, Cp, Cs, Cmt =
    lpeg.P, lpeg.R, lpeg.S, lpeg.C, lpeg.Cc, lpeg.Cp, lpeg.Cs, lpeg.Cmt
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

-- LPeg compiles a pattern on its first match; LPeg 1.0.2 leaves it
-- half-compiled (and later crashes matching it) when that compilation runs
-- out of memory.  So the pattern is matched once as soon as it is built,
-- and kept only then: such a failure drops it, and the next string builds
-- it again.
local str_pattern

-- Each kind: function(text, p) -> kind, value, the byte after the token;
-- nil when there is none at p.
local READ = {}

function READ.str(text, p)
  if str_pattern == nil then
    local patt = string_pattern()
    patt:match("")
    str_pattern = patt
  end
  return str_pattern:match(text, p)
end

READ.num = read_num

function READ.name(text, p)
  local _, e = text:find("^[A-Za-z_][A-Za-z0-9_]*", p)
  return "name", text:sub(p, e), e + 1
end

function READ.qname(text, p)
  local _, e = text:find("^`[^`\n]+`", p)
  if e then return "qname", text:sub(p + 1, e - 1), e + 1 end
  return nil
end

function READ.op(text, p)
  local two = text:sub(p, p + 1)
  if OP2[two] then return "op", two, p + 2 end
  if text:find("^[=<>~(),*]", p) then return "op", text:sub(p, p), p + 1 end
  return nil
end

function READ.fw_op(text, p)
  local v = FW_OP[text:sub(p, p + 2)]
  if v then return "op", v, p + 3 end
  return nil
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
  local p = skip_ws(text, i)
  local kind, val, e
  if p > #text then
    kind, val, e = "eof", false, p
  else
    local k = FIRST[text:byte(p)]
    if k then kind, val, e = READ[k](text, p) end
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
    if bad_follow(text, e) then
      throw(p, "malformed number", true, "(a number is digits or Chinese numerals only)")
    end
    t.text = val
    t.v = number_value(val, p)
  end
  return t
end

return M
