--- siqun.query.lexer: the tokens of a query (LPeg).  lex_one(text, i)
-- reads the token at byte i: { k = kind, v = value, p = start, e = the
-- byte after it }, kind "str", "num" (v the number: Chinese notation is
-- read by the core's quantity parser), "name", "qname" (`quoted`), "op"
-- or "eof"; anything else is a query error.

local lpeg = require "lpeg"
local compat = require "siqun.compat"
local errors = require "siqun.query.errors"
local utf8 = compat.utf8
local throw, flat, is_nomem = errors.throw, errors.flat, errors.is_nomem

local M = {}

local P, R, S, C, Cc, Cp, Cs, Cmt =
  lpeg.P, lpeg.R, lpeg.S, lpeg.C, lpeg.Cc, lpeg.Cp, lpeg.Cs, lpeg.Cmt

local ws = (S" \t\r\n\f\v" + P"\227\128\128")^0
local alpha = R("az", "AZ") + P"_"
local digit = R"09"
local xdigit = R("09", "af", "AF")
local ident = alpha * (alpha + digit)^0

local cjk_digit = P"〇" + P"零" + P"一" + P"二" + P"三" + P"四" + P"五" + P"六"
  + P"七" + P"八" + P"九" + P"十" + P"百" + P"千" + P"万" + P"亿" + P"两"
local num_part = digit + cjk_digit + S"./%" + P"分之" + P"点"
local plain_num = (digit^1 * (P"." * digit^0)^-1 + P"." * digit^1)
  * (S"eE" * S"+-"^-1 * digit^1)^-1
local number = S"+-"^-1 * #(digit + cjk_digit + P"." * digit)
  * (plain_num * -num_part + num_part^1)
local fw_punct = P"，" + P"（" + P"）" + P"\227\128\128"
-- What may not follow a number directly (100abc, 100万元, 5"x").
local bad_follow = alpha + S"\"'`" + (R"\128\255" - fw_punct)

local escapes = {
  n = "\n", t = "\t", r = "\r", ["0"] = "\0", a = "\a", b = "\b", f = "\f", v = "\v",
  ["\\"] = "\\", ['"'] = '"', ["'"] = "'",
}
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

local token = ws * Cp() * (
    Cc"str" * str
  + Cc"num" * C(number)
  + Cc"name" * C(ident)
  + Cc"qname" * P"`" * C((1 - S"`\n")^1) * P"`"
  + Cc"op" * C(P"<=" + P">=" + P"!=" + P"~=" + P"<>" + P"==" + S"=<>~(),*")
  + Cc"op" * (P"，" * Cc"," + P"（" * Cc"(" + P"）" * Cc")")
  + Cc"eof" * P(-1) * Cc(false)
) * Cp()

local skip_ws = ws * Cp()

-- LPeg compiles a pattern on its first match; LPeg 1.0.2 leaves it
-- half-compiled (and later crashes matching it) when that compilation runs
-- out of memory.  Compiling them here means such a failure fails the
-- require, which drops the patterns with the module.
token:match("")
skip_ws:match("")
bad_follow:match("")

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
  local p, kind, val, e = token:match(text, i)
  if not p then
    local q = skip_ws:match(text, i)
    local c = text:sub(q, q)
    local ch = text:sub(q, (utf8.offset(text, 2, q) or #text + 1) - 1)
    if c == '"' or c == "'" or ch == "“" or ch == "‘" then
      throw(q, "unfinished string", false)
    elseif c == "`" then
      throw(q, "unfinished quoted name", false)
    elseif c == "\\" then
      throw(q, "unexpected '\\' outside a string", false)
    end
    throw(q, ("unexpected character '%s'%s"):format(
      flat(ch), #ch > 1 and " (strings need quotes)" or ""), false, CHAR_HINT[c])
  end
  local t = { k = kind, v = val, p = p, e = e }
  if kind == "num" then
    if bad_follow:match(text, e) then
      throw(p, "malformed number", true, "(a number is digits or Chinese numerals only)")
    end
    t.text = val
    t.v = number_value(val, p)
  end
  return t
end

return M
