-- siqun.query.lexer against the tokens of the grammar (siqun.query, init.lua)
-- written as one LPeg pattern, the lexer's former implementation: on
-- generated text, at every byte, lex_one must read the same token (kind,
-- value, start, end) where the pattern reads one, refuse a number the
-- pattern's bad_follow refuses, and raise a query error where the
-- pattern reads none.  (The lexer reads the kinds with string.find and
-- only strings with LPeg, which is cheaper to start; the pattern below is
-- the reference, not a copy the library uses.)

local lpeg = require "lpeg"
local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua (siqun.compat)
local utf8 = compat.utf8
require "siqun"
local lexer = require "siqun.query.lexer"

-- The reference (a string's value, its escapes replaced, is left to the
-- lexer's own pattern; a bad escape raises { pos = where it begins }).
local P, R, S, C, Cc, Cp, Cs, Cmt =
  lpeg.P, lpeg.R, lpeg.S, lpeg.C, lpeg.Cc, lpeg.Cp, lpeg.Cs, lpeg.Cmt
local ws = (S" \t\r\n\f\v" + P"\227\128\128")^0
local alpha = R("az", "AZ") + P"_"
local digit = R"09"
local ident = alpha * (alpha + digit)^0
local cjk_digit = P"〇" + P"零" + P"一" + P"二" + P"三" + P"四" + P"五" + P"六"
  + P"七" + P"八" + P"九" + P"十" + P"百" + P"千" + P"万" + P"亿" + P"两"
local num_part = digit + cjk_digit + S"./%" + P"分之" + P"点"
local plain_num = (digit^1 * (P"." * digit^0)^-1 + P"." * digit^1)
  * (S"eE" * S"+-"^-1 * digit^1)^-1
local number = S"+-"^-1 * #(digit + cjk_digit + P"." * digit)
  * (plain_num * -num_part + num_part^1)
local fw_punct = P"，" + P"（" + P"）" + P"\227\128\128"
local bad_follow = alpha + S"\"'`" + (R"\128\255" - fw_punct)
local escape = P"\\" * S"ntr0abfv\\\"'" / "x"
  + Cmt(Cp() * P"\\u{" * C(R("09", "af", "AF")^1) * P"}", function(_, i, p, hex)
      local n = #hex <= 8 and tonumber(hex, 16)
      if not n or n > 0x10FFFF or (n >= 0xD800 and n <= 0xDFFF) then error({ pos = p }) end
      return i, "x"
    end)
  + Cmt(Cp() * P"\\", function(_, _, p) error({ pos = p }) end)
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

-- Pieces of queries: blanks, letters, digits, Chinese numerals and other
-- characters, parts of numbers, quotes, escapes (good and bad),
-- operators, full-width punctuation, SQL's characters.  (A query is
-- valid UTF-8 before it is lexed: the parser refuses it otherwise.)
local PIECES = {
  " ", "\t", "\n", "\r", "\v", "\f", "\227\128\128", "a", "Z", "_", "e", "E", "x1", "_a",
  "0", "9", "12", "1e5", "1e+5", "E-2", "3e", "e+", ".5", "3.", ".", "..", "+", "-", "+.5", "-.",
  "%", "/", "30%", "1/5", "分之", "分", "之", "点", "点5", "一", "万", "亿", "两", "〇", "零",
  "百", "千", "百分之三十", "中", "文", "。", "\"", "'", "\\", "\\n", "\\\"", "\\u{41}",
  "\\u{D800}", "\\u{110000}", "\\x", "“", "”", "‘", "’", "`", "``", "`a`", "<", ">", "=", "!",
  "~", "(", ")", ",", "*", "<=", "<>", "==", "，", "（", "）", "&", "|", ";", "\0",
  "\226\128\148", "\239\188\129",
}

-- A small deterministic generator (math.random differs between versions).
local function lcg(seed)
  return function(n)
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % n + 1
  end
end

-- What the lexer does at byte i of text, as a string.
local function lexed(text, i)
  local ok, t = pcall(lexer.lex_one, text, i)
  if not ok then
    assert(type(t) == "table" and t.pos and t.msg, "not a query error: " .. tostring(t))
    return ("error at %d"):format(t.pos), t.msg
  end
  local v = t.k == "num" and t.text or t.v
  return ("%s %q %d %d"):format(t.k, tostring(v), t.p, t.e)
end

-- What the reference reads there, as lexed says it; for a number, also
-- the error the quantity parser's refusal of it gives (at its start).
local function expected(text, i)
  local ok, p, kind, val, e = pcall(token.match, token, text, i)
  if not ok then return ("error at %d"):format(p.pos) end
  if not p then return ("error at %d"):format(skip_ws:match(text, i)) end
  if kind == "num" and bad_follow:match(text, e) then return ("error at %d"):format(p) end
  if kind == "str" then return nil end -- (the value: escapes replaced, by the lexer's own pattern)
  local malformed = kind == "num" and ("malformed number '%s'"):format(val) or nil
  return ("%s %q %d %d"):format(kind, tostring(val), p, e), ("error at %d"):format(p), malformed
end

describe("siqun.query.lexer", function()
  it("reads the tokens of the grammar, and refuses what it refuses, at every byte", function()
    local rand, positions, tokens = lcg(20240611), 0, 0
    for _ = 1, 20000 do
      local parts = {}
      for k = 1, rand(7) do parts[k] = PIECES[rand(#PIECES)] end
      local text = table.concat(parts)
      local i = 1
      while i <= #text + 1 do
        local want, refused, malformed = expected(text, i)
        local got, msg = lexed(text, i)
        if want == nil then
          assert(got:match("^str ") or got:match("^error"), got)
        elseif got ~= want and not (malformed and got == refused
                                    and msg:sub(1, #malformed) == malformed) then
          error(("%q at %d: got %s (%s), expected %s"):format(text, i, got, tostring(msg), want), 0)
        end
        if not got:match("^error") then tokens = tokens + 1 end
        positions = positions + 1
        i = utf8.offset(text, 2, i) or #text + 2 -- (the next character)
      end
    end
    assert.is_true(positions > 50000)
    assert.is_true(tokens > 20000)
  end)

  it("reads strings with their escapes, and refuses bad ones where they begin", function()
    local cases = {
      { [["a\"b\u{4E2D}\n" x]], 1, "str", "a\"b中\n" },
      { [['it''s']], 1, "str", "it" },
      { "“中文”", 1, "str", "中文" },
      { "‘x\\n’", 1, "str", "x\\n" },
    }
    for _, c in ipairs(cases) do
      local t = lexer.lex_one(c[1], c[2])
      assert.equal(c[3], t.k)
      assert.equal(c[4], t.v)
    end
    for _, bad in ipairs({ [["a\u{D800}"]], [["a\x"]], [["a\u{110000}"]] }) do
      local ok, e = pcall(lexer.lex_one, bad, 1)
      assert.is_false(ok)
      assert.equal("invalid escape sequence", e.msg)
      assert.equal(3, e.pos)
    end
  end)
end)
