--- siqun.query: a small query language over the tables of an Article.
--
--   local query = require "siqun.query"
--   local rows = query.run(art, [[figures group by unit
--                                 select unit, count(), sum(value)]])
--   for _, r in ipairs(rows) do print(r.unit, r.count, r.sum_value) end
--
--   local big = query.compile("figures where value > 100万 order by value desc")
--   big:run(art)                     -- compiled once, run on any Article
--   art.figures:filter("unit = '户' and value > 100万")  -- via query.predicate
--
-- Grammar (EBNF; keywords are case-insensitive, names are case-sensitive):
--
--   query    = name { clause } ;
--   clause   = "where" cond
--            | "group" "by" name { "," name }
--            | "having" cond
--            | "select" item { "," item }
--            | "order" "by" key [ "asc" | "desc" ] { "," key [ "asc" | "desc" ] }
--            | "limit" integer ;
--   item     = "*" | ( name | agg | len ) [ "as" name ] ;
--   key      = name | agg | len ;
--   len      = "len" "(" name ")" ;
--   agg      = "count" "(" [ "*" | name ] ")"
--            | ( "sum" | "min" | "max" | "avg" ) "(" name ")" ;
--   cond     = conj { "or" conj } ;
--   conj     = neg { "and" neg } ;
--   neg      = "not" neg | "(" cond ")" | operand test ;
--   test     = cmpop operand | "~" string | "is" [ "not" ] ( "nil" | "null" )
--            | [ "not" ] "in" "(" literal { "," literal } ")"
--            | [ "not" ] "between" operand "and" operand ;
--   operand  = name | literal | len ;        (aggregates too, in "having")
--   literal  = string | number | "true" | "false" | "nil" ;
--   cmpop    = "=" | "==" | "!=" | "~=" | "<>" | "<" | "<=" | ">" | ">=" ;
--   name     = ( letter | "_" ) { letter | digit | "_" } | "`" { any but "`" } "`" ;
--   string   = '"' ... '"' | "'" ... "'"     (escapes \n \t \r \0 \a \b \f \v
--              \\ \" \' \u{XXXX}) | "“" ... "”" | "‘" ... "’" (no escapes) ;
--   number   = [ "+" | "-" ] ( decimal | Chinese notation read by the
--              quantity parser: 100万, 35.5亿, 1/5, 30%, 百分之三十, 三 ) ;
--
-- Clauses: where, group by, having, order by and limit come in that order,
-- each at most once; select comes once, anywhere (right after the table
-- name, SQL-style, between the other clauses, or last).
-- "，（）" are accepted for ", ( )".  Reserved words (the keywords above,
-- and, or, not, in, is, as, true, false, nil) name a field only in
-- backquotes; count, sum, min, max, avg and len are ordinary names unless
-- a "(" follows, and between, like and null are keywords only where a
-- field name cannot stand.  Limits (MAX_TERMS and the others below): 1000
-- 'and'/'or', 1000 values in the 'in' lists, 1000 columns and keys, 200
-- levels of 'not' and parentheses, each refused while parsing.
--
-- Semantics (SQL-like, three-valued): a comparison involving nil, or values
-- of different types (a number and a string), is *unknown*; `not unknown`
-- is unknown, `false and unknown` is false, `true or unknown` is true; a
-- record is kept only when the condition is true.  So `x != 5` and
-- `not (x = 5)` agree, and neither keeps records where x is nil: use
-- `x is nil`.  Ordering (< <= > >=) is defined between two numbers or two
-- strings (byte order, i.e. code-point order); booleans take = and != only.
-- `~` is a case-insensitive substring test (ASCII letters only are folded;
-- UTF-8 text matches byte for byte).  On a list-valued field (glossary
-- members), `=` and `~` are true when some element matches.  `x between a
-- and b` is `x >= a and x <= b`.  len(f): the items of a List, the code
-- points of a string, nil (unknown) otherwise.
--
-- Results: without select and aggregates, a List of the table's records
-- themselves (it keeps get()).  With select or aggregates, a List of rows:
-- read-only tables whose fields come in select order: row.unit, row[1],
-- #row (the number of columns), pairs(row) (columns with a value, in
-- order), query.columns(row).  Column names: the field name, `count` for
-- count(), `<fn>_<field>` for the other aggregates (sum_value), or the
-- `as` alias; two columns with one name are an error.  Aggregates skip nil:
-- count(f) counts non-nil values, sum/avg add the numbers (nil when there
-- are none, as in SQL), min/max use the sort order below.  A sum of
-- integers past the integers raises "integer overflow" (numbers); avg is
-- exact there.  With group by, plain select fields must be group fields;
-- groups come in first-seen order; a nil key is a group of its own; keys
-- are equal as group_key says (Lists item by item).  Aggregates without
-- group by make one row of the whole (filtered) table.  Group by without select selects
-- the group fields and count().
--
-- order by: several keys, stable (ties keep table order), nil last in both
-- directions, numbers before strings before booleans.  Without aggregates,
-- keys are fields of the table (selected or not; a select alias stands for
-- its field); with aggregates, keys are column names, group fields or
-- aggregates.  limit applies last.
--
-- Errors: a bad query raises, at the caller's level,
--   query error at 15: unknown field 'vale' in figures (did you mean 'value'?)
--   figures where vale > 1
--                 ^
-- where 15 is the 1-based character (code point) offset in the query and
-- the caret sits under it (CJK characters count two columns).  Syntax
-- errors add "near '<up to 20 characters>'" or "at end of query".  Table
-- and field names are checked against the Article when the query first
-- runs on it (before any record is read); query.compile(text, art) checks
-- at once.  The safe variants in query.safe (installed as siqun.safe)
-- return nil and the message instead; misuse (an argument of the wrong
-- type) still raises.

local lpeg = require "lpeg"
local List = require "siqun.list"
local fields = require "siqun.fields"
local compat = require "siqun.compat"
local utf8 = compat.utf8
local ipairs, pairs = compat.ipairs, compat.pairs -- 5.3's ipairs, 5.2's pairs, on every Lua

local M = {}

local P, R, S, C, Cc, Cp, Cs, Cmt =
  lpeg.P, lpeg.R, lpeg.S, lpeg.C, lpeg.Cc, lpeg.Cp, lpeg.Cs, lpeg.Cmt

-- ------------------------------------------------------------ errors

-- Internal errors carry a byte position; the API turns them into messages.
local QErr = {}

local function throw(pos, msg, near, suffix)
  error(setmetatable({ pos = pos, msg = msg, near = near, suffix = suffix }, QErr), 0)
end

local function is_qerr(e) return getmetatable(e) == QErr end

-- Display width of code point c in a terminal.
local function cwidth(c)
  if c < 0x1100 then return 1 end
  if c <= 0x115F or (c >= 0x2E80 and c <= 0xA4CF and c ~= 0x303F)
     or (c >= 0xAC00 and c <= 0xD7A3) or (c >= 0xF900 and c <= 0xFAFF)
     or (c >= 0xFE30 and c <= 0xFE4F) or (c >= 0xFF00 and c <= 0xFF60)
     or (c >= 0xFFE0 and c <= 0xFFE6) or (c >= 0x1F300 and c <= 0x1F64F)
     or (c >= 0x20000 and c <= 0x3FFFD) then
    return 2
  end
  return 1
end

-- s with control characters shown as spaces (one column each) and bytes
-- that are not UTF-8 as "?".
local function flat(s)
  s = s:gsub("%c", " ")
  if utf8.len(s) then return s end
  local out, i = {}, 1
  while i <= #s do
    local b = s:byte(i)
    local n = b < 0x80 and 1 or b >= 0xF0 and 4 or b >= 0xE0 and 3 or b >= 0xC2 and 2 or 0
    if n > 0 and utf8.len(s:sub(i, i + n - 1)) == 1 then
      out[#out + 1] = s:sub(i, i + n - 1)
      i = i + n
    else
      out[#out + 1] = "?"
      i = i + 1
    end
  end
  return table.concat(out)
end

local function width(s)
  local w = 0
  for _, c in utf8.codes(s) do w = w + cwidth(c) end
  return w
end

-- 1-based code-point offset of byte position pos in a valid UTF-8 text.
local function charpos(text, pos)
  if pos <= 1 then return 1 end
  return (utf8.len(text, 1, math.min(pos, #text + 1) - 1) or 0) + 1
end

local SNIPPET = 20

local function snippet(text, pos)
  local rest = text:sub(pos)
  local n = utf8.len(rest)
  if n and n > SNIPPET then
    rest = rest:sub(1, utf8.offset(rest, SNIPPET + 1) - 1) .. "..."
  end
  return flat(rest)
end

local function format_error(text, e)
  local pos = e.pos
  local parts = { ("query error at %d: %s"):format(charpos(text, pos), e.msg) }
  if e.near then
    if pos > #text or not text:find("%S", pos) then
      parts[#parts + 1] = " at end of query"
    else
      parts[#parts + 1] = " near '" .. snippet(text, pos) .. "'"
    end
  end
  if e.suffix then parts[#parts + 1] = " " .. e.suffix end
  parts[#parts + 1] = "\n" .. flat(text) .. "\n"
  parts[#parts + 1] = (" "):rep(width(flat(text:sub(1, pos - 1)))) .. "^"
  return table.concat(parts)
end

-- ------------------------------------------------------ suggestions

local function codes(s)
  local t = {}
  for _, c in utf8.codes(s:lower()) do t[#t + 1] = c end
  return t
end

-- Optimal string alignment distance (Levenshtein with transpositions).
local function distance(a, b)
  local x, y = codes(a), codes(b)
  local d = {}
  for i = 0, #x do d[i] = { [0] = i } end
  for j = 0, #y do d[0][j] = j end
  for i = 1, #x do
    for j = 1, #y do
      local cost = x[i] == y[j] and 0 or 1
      local v = math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if i > 1 and j > 1 and x[i] == y[j - 1] and x[i - 1] == y[j] then
        v = math.min(v, d[i - 2][j - 2] + 1)
      end
      d[i][j] = v
    end
  end
  return d[#x][#y]
end

-- The candidate closest to name (first in order among equals), or nil
-- when none is close enough.
local function closest(name, candidates)
  if not utf8.len(name) then return nil end
  local best, bd
  local len = utf8.len(name)
  -- distance() is quadratic: a name of a hostile length gets no suggestion
  -- (a 100 000-character name took over a second), nor a candidate whose
  -- length alone puts it out of reach.
  if len > 64 then return nil end
  local limit = len <= 3 and 1 or math.max(2, compat.idiv(len, 3))
  for _, c in ipairs(candidates) do
    local clen = utf8.len(c)
    if c ~= name and clen and math.abs(clen - len) <= limit then
      local dd = distance(name, c)
      if dd <= limit and (bd == nil or dd < bd) then best, bd = c, dd end
    end
  end
  return best
end
M.closest = closest

local function did_you_mean(name, candidates)
  local c = closest(name, candidates)
  return c and (" (did you mean '%s'?)"):format(c) or ""
end

-- ------------------------------------------------------------ lexer

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

-- True for the error a memory allocation failure raises.
local function is_nomem(e)
  return type(e) == "string" and e:find("not enough memory", 1, true) ~= nil
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

-- The token of text at byte i (after blanks): { k = kind, v = value, p =
-- start, e = the byte after it }; raises a query error for what is none.
local function lex_one(text, i)
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

-- ----------------------------------------------------------- parser

local RESERVED = {}
for w in ([[where group by having select order asc desc limit and or not in is
            nil true false as]]):gmatch("%a+") do
  RESERVED[w] = true
end
local AGG = { count = true, sum = true, min = true, max = true, avg = true }
-- Functions of one value (ordinary names unless a "(" follows, as AGG).
local FUNC = { len = true }
local CMP = { ["="] = "=", ["=="] = "=", ["!="] = "!=", ["~="] = "!=", ["<>"] = "!=",
              ["<"] = "<", ["<="] = "<=", [">"] = ">", [">="] = ">=" }
local CLAUSES = { "where", "group", "having", "select", "order", "limit" }
local CLAUSE_NAME = { where = "where", group = "group by", having = "having",
                      select = "select", order = "order by", limit = "limit" }
local STAGE = { where = 1, group = 2, having = 3, order = 4, limit = 5 }

local Parser = {}
Parser.__index = Parser

-- The limits of a query (README, Hardening).  A condition's tree is as
-- deep as it is long, and compiling and evaluating it recurse (20 000 terms
-- or levels overflowed the stack of Lua 5.1 and LuaJIT).  A query is read a
-- token at a time, so one past a limit is refused before the rest of it is
-- read (a million values in 'in (...)' took seconds and hundreds of MB).
local MAX_TERMS = 1000  -- 'and' and 'or' in a query
local MAX_DEPTH = 200   -- levels of 'not' and parentheses
local MAX_VALUES = 1000 -- values in the 'in (...)' lists of a query
local MAX_ITEMS = 1000  -- columns and keys of select, group by and order by
local LIMITS = {
  terms = { MAX_TERMS, "condition too long (more than %d 'and' and 'or')" },
  values = { MAX_VALUES, "'in' list too long (more than %d values in the 'in' lists of a query)" },
  items = { MAX_ITEMS, "too many columns and keys (more than %d in select, group by and order by)" },
}

local function new_parser(text)
  local bad = utf8.len(text) == nil and select(2, utf8.len(text))
  if bad then throw(bad, "invalid UTF-8 in query", false) end
  -- toks[i..n]: the tokens read and not yet passed (passed ones are dropped)
  return setmetatable({ toks = {}, n = 0, pos = 1, i = 1, text = text,
                        counts = { terms = 0, values = 0, items = 0 } }, Parser)
end

-- Token number j of the query, read on first use; the end of the query
-- for any j past it.
function Parser:tok(j)
  local toks = self.toks
  while self.n < j and not self.done do
    local t = lex_one(self.text, self.pos)
    self.n = self.n + 1
    toks[self.n] = t
    self.pos = t.e
    self.done = t.k == "eof"
  end
  return toks[math.min(j, self.n)]
end

function Parser:peek(k) return self:tok(self.i + (k or 0)) end
function Parser:advance()
  local t = self:tok(self.i)
  if t.k ~= "eof" then
    self.toks[self.i] = nil
    self.i = self.i + 1
  end
  return t
end

-- Counts one more of what (a key of LIMITS) at byte p.
function Parser:count(what, p)
  local n = self.counts[what] + 1
  self.counts[what] = n
  local limit = LIMITS[what]
  if n > limit[1] then throw(p, limit[2]:format(limit[1]), false) end
end

local function is_kw(t, w) return t.k == "name" and t.v:lower() == w end
local function is_op(t, o) return t.k == "op" and t.v == o end

function Parser:accept_kw(w)
  if is_kw(self:peek(), w) then return self:advance() end
end

function Parser:expect_kw(w)
  local t = self:peek()
  if not is_kw(t, w) then throw(t.p, ("expected '%s'"):format(w), true) end
  return self:advance()
end

function Parser:accept_op(o)
  if is_op(self:peek(), o) then return self:advance() end
end

function Parser:expect_op(o, what)
  local t = self:peek()
  if not is_op(t, o) then throw(t.p, "expected " .. (what or ("'" .. o .. "'")), true) end
  return self:advance()
end

-- A (table, field or column) name: a non-reserved identifier or `quoted`.
function Parser:name(what)
  local t = self:peek()
  if t.k == "qname" or (t.k == "name" and not RESERVED[t.v:lower()]) then
    self:advance()
    return t.v, t.p
  end
  throw(t.p, "expected " .. what, true)
end

-- agg = fn "(" [ "*" | name ] ")" ; the caller checked that "(" follows.
function Parser:agg(allow_in)
  local t = self:advance()
  local fn = t.v:lower()
  if not allow_in then
    throw(t.p, "aggregate functions are not allowed in " .. (self.context or "where") ..
          " (use group by and having)", false)
  end
  self:advance() -- "("
  local field, fpos
  if fn == "count" and (self:accept_op("*") or is_op(self:peek(), ")")) then
    field = nil
  else
    field, fpos = self:name("a field name")
  end
  self:expect_op(")", "')'")
  return { tag = "agg", fn = fn, field = field, p = t.p, fp = fpos }
end

function Parser:operand()
  local t = self:peek()
  if t.k == "str" or t.k == "num" then
    self:advance()
    return { tag = "lit", value = t.v, p = t.p }
  end
  if t.k == "name" then
    local w = t.v:lower()
    if w == "true" or w == "false" then
      self:advance()
      return { tag = "lit", value = (w == "true"), p = t.p }
    elseif w == "nil" then
      self:advance()
      return { tag = "lit", value = nil, p = t.p }
    elseif AGG[w] and is_op(self:peek(1), "(") then
      return self:agg(self.context == "having")
    elseif FUNC[w] and is_op(self:peek(1), "(") then
      return self:call()
    end
  end
  local name, p = self:name("a field name or a value")
  return { tag = "field", name = name, p = p }
end

-- call = "len" "(" name ")" ; the caller checked that "(" follows.  The
-- node's child is the field node (each_ref and the compilers visit it).
function Parser:call()
  local t = self:advance()
  self:advance() -- "("
  local name, p = self:name("a field name")
  self:expect_op(")", "')'")
  return { tag = t.v:lower(), { tag = "field", name = name, p = p }, p = t.p }
end

function Parser:literal()
  local t = self:peek()
  if t.k == "str" or t.k == "num" then
    self:advance()
    return t.v
  elseif is_kw(t, "true") or is_kw(t, "false") then
    self:advance()
    return t.v:lower() == "true"
  elseif is_kw(t, "nil") then
    self:advance()
    return nil
  end
  throw(t.p, "expected a value", true)
end

function Parser:cond()
  local l = self:conj()
  while true do
    local t = self:accept_kw("or")
    if not t then return l end
    self:count("terms", t.p)
    l = { tag = "or", l, self:conj(), p = t.p }
  end
end

function Parser:conj()
  local l = self:neg()
  while true do
    local t = self:accept_kw("and")
    if not t then return l end
    self:count("terms", t.p)
    l = { tag = "and", l, self:neg(), p = t.p }
  end
end

function Parser:neg()
  local t = self:accept_kw("not")
  local open = not t and self:accept_op("(")
  if not t and not open then return self:atom() end
  local depth = (self.depth or 0) + 1
  if depth > MAX_DEPTH then
    throw((t or open).p, ("nested too deeply (more than %d levels of 'not' and parentheses)")
          :format(MAX_DEPTH), false)
  end
  self.depth = depth
  local node
  if t then
    node = { tag = "not", self:neg(), p = t.p }
  else
    node = self:cond()
    self:expect_op(")", "')'")
  end
  self.depth = depth - 1
  return node
end

function Parser:in_list(lhs, p)
  local open = self:expect_op("(", "'(' after 'in'")
  local values, n = {}, 0
  repeat
    self:count("values", open.p)
    n = n + 1
    values[n] = self:literal()
  until not self:accept_op(",")
  self:expect_op(")", "')' or ','")
  return { tag = "in", lhs, values = values, n = n, p = p }
end

-- The hint for SQL's `like` at token t: what ~ does instead.
function Parser:like_hint(t)
  local s = self:peek(is_kw(t, "not") and 2 or 1)
  local needle = s.k == "str" and s.v:gsub("^%%", ""):gsub("%%$", "")
  if not needle or needle:find("[%%_\"\\%c]") then needle = "text" end
  throw(t.p, "'like' is not supported", false,
        ('(use ~ "%s": true when the text contains it, ignoring case)'):format(needle))
end

-- x between a and b is x >= a and x <= b, as SQL defines it (three-valued:
-- unknown when x, a or b is nil); its 'and' is its own, so it binds
-- tighter than the 'and' of conditions.
function Parser:between(lhs, p)
  local lo = self:operand()
  self:expect_kw("and")
  local hi = self:operand()
  return { tag = "and", { tag = "cmp", op = ">=", lhs, lo, p = p },
           { tag = "cmp", op = "<=", lhs, hi, p = p }, p = p }
end

function Parser:atom()
  local lhs = self:operand()
  local t = self:peek()
  if t.k == "op" and CMP[t.v] then
    self:advance()
    return { tag = "cmp", op = CMP[t.v], lhs, self:operand(), p = t.p }
  elseif is_op(t, "~") then
    self:advance()
    local s = self:peek()
    if s.k ~= "str" then throw(s.p, "expected a string after '~'", true) end
    self:advance()
    return { tag = "like", lhs, needle = s.v, p = t.p }
  elseif is_kw(t, "is") then
    self:advance()
    local neg = self:accept_kw("not") ~= nil
    if not self:accept_kw("null") then self:expect_kw("nil") end -- (SQL's word too)
    return { tag = "isnil", lhs, neg = neg, p = t.p }
  elseif is_kw(t, "between") then
    self:advance()
    return self:between(lhs, t.p)
  elseif is_kw(t, "not") and is_kw(self:peek(1), "between") then
    self:advance()
    self:advance()
    return { tag = "not", self:between(lhs, t.p), p = t.p }
  elseif is_kw(t, "like") or is_kw(t, "ilike")
         or (is_kw(t, "not") and (is_kw(self:peek(1), "like") or is_kw(self:peek(1), "ilike"))) then
    self:like_hint(t)
  elseif is_kw(t, "in") then
    self:advance()
    return self:in_list(lhs, t.p)
  elseif is_kw(t, "not") and is_kw(self:peek(1), "in") then
    self:advance()
    self:advance()
    return { tag = "not", self:in_list(lhs, t.p), p = t.p }
  end
  throw(t.p, "expected a comparison operator (= != < <= > >= ~ in between is)", true)
end

function Parser:select_item()
  local t = self:peek()
  self:count("items", t.p)
  local item
  if is_op(t, "*") then
    self:advance()
    return { tag = "star", p = t.p }
  elseif t.k == "name" and AGG[t.v:lower()] and is_op(self:peek(1), "(") then
    item = self:agg(true)
  elseif t.k == "name" and FUNC[t.v:lower()] and is_op(self:peek(1), "(") then
    item = self:call()
  else
    local name, p = self:name("a field name, an aggregate or '*'")
    item = { tag = "field", name = name, p = p }
  end
  if self:accept_kw("as") then
    item.alias, item.ap = self:name("a column name after 'as'")
  end
  return item
end

function Parser:order_key()
  local t = self:peek()
  self:count("items", t.p)
  local key
  if t.k == "name" and AGG[t.v:lower()] and is_op(self:peek(1), "(") then
    key = self:agg(true)
  elseif t.k == "name" and FUNC[t.v:lower()] and is_op(self:peek(1), "(") then
    key = self:call()
  else
    local name, p = self:name("a field name")
    key = { tag = "field", name = name, p = p }
  end
  if self:accept_kw("desc") then
    key.desc = true
  else
    self:accept_kw("asc")
  end
  return key
end

function Parser:order_list()
  local keys = {}
  repeat keys[#keys + 1] = self:order_key() until not self:accept_op(",")
  return keys
end

function Parser:eof(what)
  local t = self:peek()
  if t.k ~= "eof" then throw(t.p, "expected " .. what, true) end
end

-- The longest query (in bytes) shown rewritten in a hint.
local HINT_MAX = 200

-- SQL's `select ... from table ...` (token t is the select): refused with
-- the query rewritten as this language takes it, or with an example when
-- it is not that simple.
function Parser:select_from(t)
  local ok, hint = pcall(function()
    self:advance()
    repeat self:select_item() until not self:accept_op(",")
    local from = self:expect_kw("from")
    local tt = self:peek()
    self:name("a table name")
    -- (the text from byte i to j on one line, trimmed)
    local function part(i, j)
      return (flat(self.text:sub(i, j)):gsub("%s+", " "):gsub("^ ", ""):gsub(" $", ""))
    end
    local rest = part(tt.e, #self.text)
    return ("(try: %s%s select %s)"):format(part(tt.p, tt.e - 1),
                                            rest ~= "" and " " .. rest or "", part(t.e, from.p - 1))
  end)
  if not ok and not is_qerr(hint) then error(hint, 0) end
  if not ok or #hint > HINT_MAX then
    hint = "(for example: figures where value > 100万 select id, text)"
  end
  throw(t.p, "queries start with the table, not with 'select ... from'", false, hint)
end

function Parser:query()
  local q = {}
  if is_kw(self:peek(), "select") then self:select_from(self:peek()) end
  q.table, q.tpos = self:name("a table name")
  local stage, last = 0, nil
  while true do
    local t = self:peek()
    if t.k == "eof" then break end
    local w = t.k == "name" and t.v:lower()
    if w == "select" then
      if q.select then throw(t.p, "'select' given twice", false) end
      self:advance()
      q.select = {}
      repeat q.select[#q.select + 1] = self:select_item() until not self:accept_op(",")
    elseif w and STAGE[w] then
      if STAGE[w] == stage then
        throw(t.p, ("'%s' given twice"):format(CLAUSE_NAME[w]), false)
      elseif STAGE[w] < stage then
        throw(t.p, ("'%s' must come before '%s'"):format(CLAUSE_NAME[w], CLAUSE_NAME[last]),
              false)
      end
      stage, last = STAGE[w], w
      self:advance()
      if w == "where" then
        self.context = "where"
        q.where = self:cond()
      elseif w == "group" then
        self:expect_kw("by")
        q.group = {}
        repeat
          self:count("items", self:peek().p)
          local name, p = self:name("a field name")
          q.group[#q.group + 1] = { name = name, p = p }
        until not self:accept_op(",")
      elseif w == "having" then
        self.context = "having"
        q.having = self:cond()
        q.having_pos = t.p
      elseif w == "order" then
        self:expect_kw("by")
        q.order = self:order_list()
      else -- limit
        local n = self:peek()
        if n.k ~= "num" or compat.math_type(n.v) ~= "integer" or n.v < 0 then
          throw(n.p, "expected a non-negative integer after 'limit'", true)
        end
        self:advance()
        q.limit = n.v
      end
    else
      local hint
      if t.k == "name" then
        local c = closest(t.v, CLAUSES)
        hint = c and ("(did you mean '%s'?)"):format(CLAUSE_NAME[c])
      end
      throw(t.p, (last == "where" or last == "having") and
        "expected 'and', 'or', a clause or the end of the query" or
        "expected a clause (where, group by, having, select, order by, limit)" ..
        " or the end of the query", true, hint)
    end
  end
  return q
end

-- ---------------------------------------------------------- values

local function getf(item, name)
  local t = type(item)
  if t == "table" or t == "userdata" then return item[name] end
  return nil
end

local is_list = List.is_list

-- Sort order: nil last, then numbers < strings < booleans < Lists (by
-- length, then elements) < others (by tostring).
local type_rank = { number = 1, string = 2, boolean = 3 }
local function natural_less(a, b)
  if a == nil or b == nil then return a ~= nil and b == nil end
  local ta, tb = type(a), type(b)
  local ra = type_rank[ta] or (is_list(a) and 4) or 5
  local rb = type_rank[tb] or (is_list(b) and 4) or 5
  if ra ~= rb then return ra < rb end
  if ra <= 2 then return a < b end
  if ra == 3 then return (not a) and b end
  if ra == 4 then
    if #a ~= #b then return #a < #b end
    for i = 1, #a do
      if natural_less(a[i], b[i]) then return true end
      if natural_less(b[i], a[i]) then return false end
    end
    return false
  end
  return tostring(a) < tostring(b)
end
M.natural_less = natural_less

-- Builds "a before b" from keys { get = function(item) -> value, desc = bool }:
-- nil last whatever the direction.
local function multi_less(keys)
  return function(a, b)
    for _, k in ipairs(keys) do
      local x, y = k.get(a), k.get(b)
      if x == nil or y == nil then
        if x ~= nil or y ~= nil then return x ~= nil end
      elseif k.desc then
        if natural_less(y, x) then return true end
        if natural_less(x, y) then return false end
      else
        if natural_less(x, y) then return true end
        if natural_less(y, x) then return false end
      end
    end
    return false
  end
end
M.multi_less = multi_less

--- len(v): the number of code points of a string (nil when it is not
-- UTF-8), the number of items of a List; nil for anything else.
local function length(v)
  if type(v) == "string" then return (utf8.len(v)) end
  if is_list(v) then return #v end
  return nil
end
M.length = length

-- ASCII-only lower case, independent of the C locale.
local function lower(s) return (s:gsub("%u", string.lower)) end

-- Three-valued comparison: true, false or nil (unknown).
local function compare(op, a, b)
  if a == nil or b == nil then return nil end
  if is_list(a) then
    if op ~= "=" then return nil end
    local unknown = false
    for i = 1, #a do
      local r = compare("=", a[i], b)
      if r then return true end
      if r == nil then unknown = true end
    end
    if unknown then return nil end
    return false
  end
  local ta = type(a)
  if ta ~= type(b) then return nil end
  if op == "=" then return a == b end
  if op == "!=" then return a ~= b end
  if ta ~= "number" and ta ~= "string" then return nil end
  if op == "<" then return a < b
  elseif op == "<=" then return a <= b
  elseif op == ">" then return a > b
  end
  return a >= b
end

-- compare(op, item[name], v) for a literal number or string v, specialised
-- by op (the common `field op literal` test: no generic dispatch per
-- record).  nil for other literals.
local function fast_cmp(name, op, v)
  local tv = type(v)
  if tv ~= "number" and tv ~= "string" then return nil end
  if op == "=" then
    return function(x)
      local tx, a = type(x), nil
      if tx == "userdata" or tx == "table" then a = x[name] end
      if type(a) == tv then return a == v end
      if a ~= nil and is_list(a) then return compare(op, a, v) end
      return nil
    end
  elseif op == "!=" then
    return function(x)
      local tx, a = type(x), nil
      if tx == "userdata" or tx == "table" then a = x[name] end
      if type(a) == tv then return a ~= v end
      return nil
    end
  elseif op == "<" then
    return function(x)
      local tx, a = type(x), nil
      if tx == "userdata" or tx == "table" then a = x[name] end
      if type(a) == tv then return a < v end
      return nil
    end
  elseif op == "<=" then
    return function(x)
      local tx, a = type(x), nil
      if tx == "userdata" or tx == "table" then a = x[name] end
      if type(a) == tv then return a <= v end
      return nil
    end
  elseif op == ">" then
    return function(x)
      local tx, a = type(x), nil
      if tx == "userdata" or tx == "table" then a = x[name] end
      if type(a) == tv then return a > v end
      return nil
    end
  elseif op == ">=" then
    return function(x)
      local tx, a = type(x), nil
      if tx == "userdata" or tx == "table" then a = x[name] end
      if type(a) == tv then return a >= v end
      return nil
    end
  end
  return nil
end

-- compare(op, x[name], v) where x is known to be a record whose field
-- name holds nil or a value of v's type (a where clause bound to a
-- dataset table: bind): no type test at all.
local function rec_cmp(name, op, v)
  if op == "=" then
    return function(x) local a = x[name]; if a == nil then return nil end; return a == v end
  elseif op == "!=" then
    return function(x) local a = x[name]; if a == nil then return nil end; return a ~= v end
  elseif op == "<" then
    return function(x) local a = x[name]; if a == nil then return nil end; return a < v end
  elseif op == "<=" then
    return function(x) local a = x[name]; if a == nil then return nil end; return a <= v end
  elseif op == ">" then
    return function(x) local a = x[name]; if a == nil then return nil end; return a > v end
  elseif op == ">=" then
    return function(x) local a = x[name]; if a == nil then return nil end; return a >= v end
  end
  return nil
end

local function like(v, needle)
  if type(v) == "string" then
    return lower(v):find(needle, 1, true) ~= nil
  elseif is_list(v) then
    local unknown = false
    for i = 1, #v do
      local r = like(v[i], needle)
      if r then return true end
      if r == nil then unknown = true end
    end
    if unknown then return nil end
    return false
  end
  return nil
end

-- ----------------------------------------------------------- rows

local row_state = setmetatable({}, { __mode = "k" })
local row_mt = { __name = "siqun.Row", __metatable = "siqun.Row" }

row_mt.__index = function(self, k)
  local s = row_state[self]
  local i = s.shape.index[k]
  if i == nil and compat.math_type(k) == "integer" and k >= 1 and k <= s.shape.n then i = k end
  if i == nil then return nil end
  return s.values[i]
end
row_mt.__newindex = function() error("siqun.Row is read-only", 2) end
row_mt.__len = function(self) return row_state[self].shape.n end
row_mt.__pairs = function(self)
  local s = row_state[self]
  local i = 0
  return function()
    while i < s.shape.n do
      i = i + 1
      local v = s.values[i]
      if v ~= nil then return s.shape.names[i], v end
    end
    return nil
  end, self, nil
end
row_mt.__tostring = function(self)
  local s = row_state[self]
  local out = {}
  for i = 1, s.shape.n do
    local v = s.values[i]
    out[i] = s.shape.names[i] .. "=" ..
      (type(v) == "string" and ("%q"):format(v) or tostring(v))
  end
  return "siqun.Row(" .. table.concat(out, ", ") .. ")"
end

--- A shape for rows: the column names, in order (each once).
function M.shape(names)
  local index = {}
  for i, n in ipairs(names) do index[n] = i end
  return { names = names, index = index, n = #names }
end

--- A read-only row of shape with values[1..shape.n].
function M.new_row(shape, values)
  local r = compat.proxy(row_mt) -- a userdata on 5.1 and LuaJIT (see siqun.compat)
  row_state[r] = { shape = shape, values = values }
  return r
end

--- True when x is a row.
function M.is_row(x) return row_state[x] ~= nil end

--- The column names of a row, as a List of strings.
function M.columns(row)
  local s = row_state[row]
  if not s then
    error(("bad argument #1 to 'columns' (siqun.Row expected, got %s)"):format(type(row)), 2)
  end
  return List.new(s.shape.names)
end

-- -------------------------------------------------- field lists

-- (siqun.fields: which fields the records of a core Table have, the one
-- rule that select *, the writers and the command line share)
local is_core_table, record_table = fields.is_core_table, fields.record_table
local core_table_fields = fields.of_table

--- { names = {...}, set = {...}, table = name } for the items of a list
-- (records of one table, rows, or plain tables), or nil when the items
-- have no fixed fields.
function M.item_fields(item)
  local t = record_table(item)
  if t then return core_table_fields(t) end
  local s = row_state[item]
  if s then
    return { names = s.shape.names, set = s.shape.index }
  end
  return nil
end

-- Field names of table tname in art.
local function article_fields(art, tname, list)
  local ds = art.dataset
  if ds ~= nil then
    local ok, t = pcall(function() return ds:table(tname) end)
    if not ok and is_nomem(t) then error(t, 0) end
    if ok and is_core_table(t) then return core_table_fields(t) end
  end
  if #list > 0 then
    local f = M.item_fields(list[1])
    if f then return f end
  end
  -- plain tables: the keys they have (sorted: pairs has no order)
  local f = fields.of_list(list)
  local names, set = f and f.names or {}, {}
  for _, n in ipairs(names) do set[n] = true end
  return { names = names, set = set, table = tname }
end

-- ---------------------------------------------------------- compiler

-- Visits every field reference of an AST node: fn(name, pos).
local function each_ref(node, fn)
  if node == nil then return end
  if node.tag == "field" then
    fn(node.name, node.p)
  elseif node.tag == "agg" then
    if node.field then fn(node.field, node.fp) end
  else
    for _, child in ipairs(node) do each_ref(child, fn) end
  end
end

-- Compiles a condition into function(ctx) -> true/false/nil; operand(node)
-- compiles field and aggregate operands.
local field_getter -- (below) the operand of where clauses and predicates

-- function(x) -> the value of an operand node: a literal, len() of an
-- operand, or what operand(node) makes (a field, an aggregate).
local function getter(node, operand)
  local tag = node.tag
  if tag == "lit" then
    local v = node.value
    return function() return v end
  elseif tag == "len" then
    local get = getter(node[1], operand)
    return function(x) return length(get(x)) end
  end
  return operand(node)
end

local function compile_cond(node, operand, types)
  local tag = node.tag
  if tag == "and" then
    local a, b = compile_cond(node[1], operand, types), compile_cond(node[2], operand, types)
    return function(x)
      local ra = a(x)
      if ra == false then return false end
      local rb = b(x)
      if rb == false then return false end
      if ra == nil or rb == nil then return nil end
      return true
    end
  elseif tag == "or" then
    local a, b = compile_cond(node[1], operand, types), compile_cond(node[2], operand, types)
    return function(x)
      local ra = a(x)
      if ra == true then return true end
      local rb = b(x)
      if rb == true then return true end
      if ra == nil or rb == nil then return nil end
      return false
    end
  elseif tag == "not" then
    local a = compile_cond(node[1], operand, types)
    return function(x)
      local r = a(x)
      if r == nil then return nil end
      return not r
    end
  end
  local lhs = node[1]
  local get = getter(lhs, operand)
  if tag == "cmp" then
    local rhs, op = node[2], node.op
    if lhs.tag == "field" and rhs.tag == "lit" and operand == field_getter then
      local fast
      if types and types[lhs.name] ~= nil and types[lhs.name] == type(rhs.value) then
        fast = rec_cmp(lhs.name, op, rhs.value)
      end
      fast = fast or fast_cmp(lhs.name, op, rhs.value)
      if fast then return fast end
    end
    local rget = getter(rhs, operand)
    return function(x) return compare(op, get(x), rget(x)) end
  elseif tag == "like" then
    local needle = lower(node.needle)
    return function(x) return like(get(x), needle) end
  elseif tag == "isnil" then
    local neg = node.neg
    return function(x)
      if neg then return get(x) ~= nil end
      return get(x) == nil
    end
  elseif tag == "in" then
    local values, n = node.values, node.n
    return function(x)
      local v = get(x)
      local unknown = false
      for i = 1, n do
        local r = compare("=", v, values[i])
        if r then return true end
        if r == nil then unknown = true end
      end
      if unknown then return nil end
      return false
    end
  end
  error("internal error: bad condition node " .. tostring(tag))
end

function field_getter(node)
  local name = node.name
  return function(item) return getf(item, name) end
end

-- A where clause bound to a dataset table (bind), fused into generated
-- code: the closure tree of compile_cond costs a Lua call per node and per
-- record.  Only for trees of and/or/not over `field op literal` whose
-- literal has the field's type (where compile_cond makes rec_cmp); nil
-- otherwise.  Same three-valued results and short-circuits as
-- compile_cond; the field names and literals are upvalues k1, k2, ...,
-- never spliced into the source.  Returns the condition, function(x), and
-- the same test inlined in a loop, select(items, n, out) -> m: the items
-- among items[1..n] for which it is true into out[1..m], in order (what
-- filter keeps; List._select).
local LUA_OP = { ["="] = "==", ["!="] = "~=", ["<"] = "<", ["<="] = "<=", [">"] = ">", [">="] = ">=" }
local MAX_FUSED = 24 -- comparisons: 2 upvalues each (5.1 and LuaJIT allow 60)
local function gen_cond(node, types)
  local src, k, nk, nr, ncmp = {}, {}, 0, 0, 0
  local function const(v) nk = nk + 1; k[nk] = v; return "k" .. nk end
  local function var() nr = nr + 1; return "r" .. nr end
  -- appends code setting r (a fresh local, so nil) to n's result
  local function gen(n, r)
    local tag = n.tag
    if tag == "and" or tag == "or" then
      local stop, other, a, b = tostring(tag == "or"), tostring(tag == "and"), var(), var()
      src[#src + 1] = "local " .. a
      if not gen(n[1], a) then return false end
      src[#src + 1] = ("if %s == %s then %s = %s else local %s"):format(a, stop, r, stop, b)
      if not gen(n[2], b) then return false end
      src[#src + 1] = ("if %s == %s then %s = %s elseif %s ~= nil and %s ~= nil then %s = %s end end")
                      :format(b, stop, r, stop, a, b, r, other)
    elseif tag == "not" then
      local a = var()
      src[#src + 1] = "local " .. a
      if not gen(n[1], a) then return false end
      src[#src + 1] = ("if %s ~= nil then %s = not %s end"):format(a, r, a)
    else
      local lhs, rhs = n[1], n[2]
      ncmp = ncmp + 1
      if tag ~= "cmp" or ncmp > MAX_FUSED or lhs.tag ~= "field" or rhs.tag ~= "lit"
         or not LUA_OP[n.op] or types[lhs.name] == nil or types[lhs.name] ~= type(rhs.value) then
        return false
      end
      local a = var() -- the field, read once
      src[#src + 1] = ("local %s = x[%s] if %s ~= nil then %s = %s %s %s end")
                      :format(a, const(lhs.name), a, r, a, LUA_OP[n.op], const(rhs.value))
    end
    return true
  end
  if not gen(node, "r") then return nil end
  local names = {}
  for i = 1, nk do names[i] = "k" .. i end
  local body = table.concat(src, "\n")
  local text = ("local %s = ...\nreturn function(x) local r\n%s\nreturn r end,\n" ..
                "function(items, n, out) local m = 0\n" ..
                "for i = 1, n do local x = items[i] local r\n%s\n" ..
                "if r == true then m = m + 1 out[m] = x end end\nreturn m end")
               :format(table.concat(names, ", "), body, body)
  local chunk, err = compat.load(text, "=siqun.query", "t", {}) -- no globals
  if not chunk then -- past a limit of the Lua compiler: the closures then
    if is_nomem(err) then error(err, 0) end
    return nil
  end
  return chunk(compat.unpack(k, 1, nk))
end

local function agg_key(node)
  return node.fn .. "(" .. (node.field or "") .. ")"
end

local function agg_column(node)
  if node.fn == "count" and not node.field then return "count" end
  return node.fn .. "_" .. node.field
end

local math_type, iadd = compat.math_type, compat.iadd
local HALF = 4294967296 -- 2^32

-- The mean of the n integers among get(1..m) whose sum is past the
-- integers: the total kept as hi * 2^32 + lo (0 <= lo < 2^32), each part
-- exact (hi stays below 2^53 for n below 2^21, however large the integers:
-- a table has at most a million rows).
local function big_mean(m, get, n)
  local hi, lo = 0, 0
  for i = 1, m do
    local v = get(i)
    if type(v) == "number" then
      local low = v % HALF
      hi, lo = hi + (v - low) / HALF, lo + low
      if lo >= HALF then hi, lo = hi + 1, lo - HALF end
    end
  end
  return hi / n * HALF + lo / n
end

--- The numbers among get(1), ..., get(m) (other values are skipped): their
-- sum, count and mean (sum and mean nil when there are none).  Integers
-- add up exactly or not at all: when their sum would pass the integers
-- (compat.iadd) the sum is false, for the caller to raise "integer
-- overflow" as SQLite's sum() does (a wrapped or rounded total would be a
-- confident wrong answer), and the mean is still right (big_mean).  With a
-- float among them, sum and mean are floats, added as such.
local function numbers(m, get)
  local isum, fsum, n, ints = 0, 0.0, 0, true
  for i = 1, m do
    local v = get(i)
    if type(v) == "number" then
      n, fsum = n + 1, fsum + v
      if ints and math_type(v) ~= "integer" then ints = false end
      if ints and isum then isum = iadd(isum, v) or false end
    end
  end
  if n == 0 then return nil, 0, nil end
  if not ints then return fsum, n, fsum / n end
  if not isum then return false, n, big_mean(m, get, n) end
  return isum, n, isum / n
end
M.numbers = numbers

-- An aggregate of items: node is its AST node (fn, field; p for errors).
local function aggregate(node, items)
  local fn, field = node.fn, node.field
  if fn == "count" then
    if not field then return #items end
    local n = 0
    for _, it in ipairs(items) do
      if getf(it, field) ~= nil then n = n + 1 end
    end
    return n
  elseif fn == "sum" or fn == "avg" then
    local sum, _, mean = numbers(#items, function(i) return getf(items[i], field) end)
    if fn == "avg" then return mean end
    if sum == false then
      throw(node.p, ("integer overflow in sum(%s): its integers add up beyond ±%d"):format(
        field, compat.maxinteger), false)
    end
    return sum
  end
  local best
  for _, it in ipairs(items) do
    local v = getf(it, field)
    if v ~= nil then
      if best == nil then
        best = v
      elseif fn == "min" and natural_less(v, best) then
        best = v
      elseif fn == "max" and natural_less(best, v) then
        best = v
      end
    end
  end
  return best
end
M.aggregate = aggregate

local Query = {}
local query_mt = { __name = "siqun.Query", __metatable = "siqun.Query", __index = Query }
query_mt.__tostring = function(self) return "siqun.Query: " .. self.text end

-- Plans a parsed query: everything that does not depend on an Article.
local function plan(text, ast)
  local q = setmetatable({ text = text, ast = ast, table = ast.table,
                           bound = setmetatable({}, { __mode = "k" }) }, query_mt)
  local refs = {}
  local function ref(name, pos) refs[#refs + 1] = { name = name, p = pos } end
  each_ref(ast.where, ref)
  for _, g in ipairs(ast.group or {}) do ref(g.name, g.p) end

  local aggs, agg_list = {}, {}
  local function use_agg(node)
    local k = agg_key(node)
    if not aggs[k] then
      aggs[k] = node
      agg_list[#agg_list + 1] = node
    end
    if node.field then ref(node.field, node.fp) end
  end
  local has_star = false
  for _, item in ipairs(ast.select or {}) do
    if item.tag == "agg" then
      use_agg(item)
    elseif item.tag == "field" then
      ref(item.name, item.p)
    elseif item.tag == "len" then
      ref(item[1].name, item[1].p)
    else
      has_star = true
    end
  end
  local function walk_aggs(node)
    if node == nil then return end
    if node.tag == "agg" then use_agg(node) return end
    for _, c in ipairs(node) do walk_aggs(c) end
  end
  walk_aggs(ast.having)
  for _, k in ipairs(ast.order or {}) do
    if k.tag == "agg" then use_agg(k) end
  end

  q.aggregated = ast.group ~= nil or #agg_list > 0
  q.aggs = agg_list
  if ast.having and not q.aggregated then
    throw(ast.having_pos, "'having' needs 'group by' or an aggregate", false)
  end

  -- columns: { name =, pos =, kind = "field"|"len"|"agg"|"star", field =, fpos =, agg = }
  local cols = {}
  if ast.select then
    for _, item in ipairs(ast.select) do
      if item.tag == "star" then
        if q.aggregated then
          throw(item.p, "'*' cannot be used with group by or aggregates", false)
        end
        cols[#cols + 1] = { kind = "star", pos = item.p }
      elseif item.tag == "agg" then
        cols[#cols + 1] = { kind = "agg", agg = agg_key(item), name = item.alias or agg_column(item),
                            pos = item.ap or item.p }
      elseif item.tag == "len" then
        local f = item[1]
        cols[#cols + 1] = { kind = "len", field = f.name, name = item.alias or ("len_" .. f.name),
                            pos = item.ap or item.p, fpos = f.p }
      else
        cols[#cols + 1] = { kind = "field", field = item.name, name = item.alias or item.name,
                            pos = item.ap or item.p, fpos = item.p }
      end
    end
  elseif q.aggregated then
    for _, g in ipairs(ast.group or {}) do
      cols[#cols + 1] = { kind = "field", field = g.name, name = g.name, pos = g.p, fpos = g.p }
    end
    local node = { tag = "agg", fn = "count", p = ast.tpos }
    use_agg(node)
    cols[#cols + 1] = { kind = "agg", agg = "count()", name = "count", pos = ast.tpos }
  end
  q.cols, q.has_star, q.rows = cols, has_star, #cols > 0
  local colset = {}
  if not has_star then
    for _, c in ipairs(cols) do
      if colset[c.name] then
        throw(c.pos, ("duplicate column '%s' (name one with 'as')"):format(c.name), false)
      end
      colset[c.name] = c
    end
  end

  local group_index = {}
  for i, g in ipairs(ast.group or {}) do group_index[g.name] = i end
  q.group_index = group_index

  if q.aggregated then
    for _, c in ipairs(cols) do
      if (c.kind == "field" or c.kind == "len") and not group_index[c.field] then
        throw(c.fpos, ("field '%s' must be in group by or inside an aggregate"):format(
          c.field), false)
      end
    end
    -- In a group context: column names, group fields and aggregates.
    local function group_operand(node)
      if node.tag == "agg" then
        local k = agg_key(node)
        return function(g) return g.aggv[k] end
      end
      local name = node.name
      local c = colset[name]
      if c then
        local i = c.kind == "agg" and c.agg or nil
        if i then return function(g) return g.aggv[i] end end
        local gi = group_index[c.field]
        if c.kind == "len" then return function(g) return length(g.keys[gi]) end end
        return function(g) return g.keys[gi] end
      elseif group_index[name] then
        local gi = group_index[name]
        return function(g) return g.keys[gi] end
      end
      throw(node.p, ("'%s' is not a group field, a column or an aggregate"):format(name), false)
    end
    if ast.having then
      each_ref(ast.having, function(name, pos)
        if not colset[name] then ref(name, pos) end
      end)
      q.having = compile_cond(ast.having, group_operand)
    end
    local keys = {}
    for _, k in ipairs(ast.order or {}) do
      keys[#keys + 1] = { get = getter(k, group_operand), desc = k.desc }
    end
    q.group_less = #keys > 0 and multi_less(keys) or nil
  else
    -- a column name that is no field name (an alias, len_members) stands
    -- for its column's value
    local alias = {}
    for _, c in ipairs(cols) do
      if c.kind == "len" or (c.kind == "field" and c.name ~= c.field) then alias[c.name] = c end
    end
    local keys = {}
    for _, k in ipairs(ast.order or {}) do
      local c, node = alias[k.name], k
      if c then
        node = { tag = "field", name = c.field }
        if c.kind == "len" then node = { tag = "len", node } end
      else
        each_ref(k, ref)
      end
      keys[#keys + 1] = { get = getter(node, field_getter), desc = k.desc }
    end
    q.less = #keys > 0 and multi_less(keys) or nil
  end
  if ast.where then q.where = compile_cond(ast.where, field_getter) end
  table.sort(refs, function(a, b) return a.p < b.p end)
  q.refs = refs
  q.limit = ast.limit
  return q
end

local function check_article(art, fname, level, argn)
  -- an Article, or a table that looks like one (art:table(name) -> List);
  -- not a userdata: a Record, a core Table or Dataset has a 'table' too
  local ok = getmetatable(art) == "siqun.Article"
  if not ok and type(art) == "table" then
    local okp, is_fn = pcall(function() return type(art.table) == "function" end)
    ok = okp and is_fn
  end
  if not ok then
    error(("bad argument #%d to '%s' (siqun.Article expected, got %s)"):format(
      argn or 1, fname, type(art)), level + 1)
  end
end

-- Checks the query against art (table and field names) and prepares what
-- depends on its fields; memoised per Article.
local function bind(q, art)
  local b = q.bound[art]
  if b then return b end
  local list = art:table(q.table)
  if not List.is_list(list) then
    local names = {}
    local ok, tl = pcall(function() return art:tables() end)
    if not ok and is_nomem(tl) then error(tl, 0) end
    if ok and tl then
      for _, n in ipairs(tl) do names[#names + 1] = n end
    end
    throw(q.ast.tpos, ("unknown table '%s'%s"):format(q.table, did_you_mean(q.table, names)),
          false)
  end
  local f = article_fields(art, q.table, list)
  for _, r in ipairs(q.refs) do
    if not f.set[r.name] then
      throw(r.p, ("unknown field '%s' in %s%s"):format(r.name, q.table,
            did_you_mean(r.name, f.names)), false)
    end
  end
  local cols = q.cols
  if q.has_star then
    local expanded, seen = {}, {}
    for _, c in ipairs(cols) do
      if c.kind == "star" then
        for _, name in ipairs(f.names) do
          expanded[#expanded + 1] = { kind = "field", field = name, name = name, pos = c.pos }
        end
      else
        expanded[#expanded + 1] = c
      end
    end
    for _, c in ipairs(expanded) do
      if seen[c.name] then
        throw(c.pos, ("duplicate column '%s' (name one with 'as')"):format(c.name), false)
      end
      seen[c.name] = true
    end
    cols = expanded
  end
  local names = {}
  for i, c in ipairs(cols) do names[i] = c.name end
  b = { cols = cols, shape = M.shape(names) }
  -- what the result List tells writers, even when it is empty
  b.columns = { names = names, types = fields.of_query(cols, (List._origin(list))) }
  -- on an Article's own list (its items are the records of one core
  -- Table), a where clause that knows the fields' types
  if getmetatable(art) == "siqun.Article" then
    -- an Article's List of a table is the same on every call (not so for
    -- a look-alike): kept, so a run does not ask for it again
    b.list = list
    if q.ast.where and f.lua_types then
      b.where, b.select = gen_cond(q.ast.where, f.lua_types)
      b.where = b.where or compile_cond(q.ast.where, field_getter, f.lua_types)
    end
  end
  q.bound[art] = b
  return b
end

local function run_records(q, b, list)
  local recs = list
  if q.where then
    local cond = b.where or q.where
    -- a condition returns true, false or nil (unknown): filter keeps true
    if b.select and recs == b.list then -- the fused loop over its items
      recs = List._select(recs, b.select)
    else -- (called directly: a List's method lookup costs a call)
      recs = List.methods.filter(recs, cond)
    end
  end
  if q.less then recs = recs:sort(q.less) end
  if q.limit then
    local n = q.limit
    recs = recs:filter(function(_, i) return i <= n end)
  end
  if not q.rows then return recs end
  local cols, shape, out = b.cols, b.shape, {}
  for i, rec in ipairs(recs) do
    local values = {}
    for j, c in ipairs(cols) do
      local v = getf(rec, c.field)
      if c.kind == "len" then v = length(v) end
      values[j] = v
    end
    out[i] = M.new_row(shape, values)
  end
  return List.new(out, { name = "rows", columns = b.columns })
end

--- The identity of a group key, a string (here and in siqun.compose's
-- group_by and join): numbers by value (1 and 1.0 are one key), strings by
-- their bytes, Lists item by item (two glossary members Lists of the same
-- texts are one key), nil a key of its own; any other table or userdata by
-- identity, numbered in objs (a table the caller keeps while grouping).
local function group_key(v, objs)
  if v == nil then return "n" end
  local t = type(v)
  if t == "number" then
    local i = compat.tointeger(v)
    if i then return ("i%d"):format(i) end -- (exact where "i" .. i is not: 5.1's %.14g)
    return ("f%.17g"):format(v)
  elseif t == "string" then
    return "s" .. #v .. ":" .. v
  elseif t == "boolean" then
    return v and "T" or "F"
  elseif is_list(v) then
    local parts = { "l" .. #v }
    for i = 1, #v do
      local k = group_key(v[i], objs)
      parts[i + 1] = #k .. ":" .. k
    end
    return table.concat(parts, ",")
  end
  local id = objs[v]
  if not id then
    id = objs.n + 1
    objs.n, objs[v] = id, id
  end
  return "o" .. id
end
M.group_key = group_key

local function run_groups(q, b, list)
  local gfields = q.ast.group or {}
  local groups, by_key, objs = {}, {}, { n = 0 }
  local cond = q.where
  for _, rec in ipairs(list) do
    if not cond or cond(rec) == true then
      local keys, parts = {}, {}
      for i, g in ipairs(gfields) do
        keys[i] = getf(rec, g.name)
        parts[i] = group_key(keys[i], objs)
      end
      local k = table.concat(parts, "\0")
      local grp = by_key[k]
      if not grp then
        grp = { keys = keys, items = {} }
        by_key[k] = grp
        groups[#groups + 1] = grp
      end
      grp.items[#grp.items + 1] = rec
    end
  end
  if #gfields == 0 and #groups == 0 then
    groups[1] = { keys = {}, items = {} } -- aggregates of an empty table: one row
  end
  for _, grp in ipairs(groups) do
    grp.aggv = {}
    for _, a in ipairs(q.aggs) do
      grp.aggv[agg_key(a)] = aggregate(a, grp.items)
    end
  end
  if q.having then
    local h, kept = q.having, {}
    for _, grp in ipairs(groups) do
      if h(grp) == true then kept[#kept + 1] = grp end
    end
    groups = kept
  end
  if q.group_less then
    local less = q.group_less
    local idx = {}
    for i = 1, #groups do idx[i] = i end
    table.sort(idx, function(i, j)
      local a, c = groups[i], groups[j]
      if less(a, c) then return true end
      if less(c, a) then return false end
      return i < j
    end)
    local sorted = {}
    for i, k in ipairs(idx) do sorted[i] = groups[k] end
    groups = sorted
  end
  local n = #groups
  if q.limit and q.limit < n then n = q.limit end
  local out = {}
  for i = 1, n do
    local grp, values = groups[i], {}
    for j, c in ipairs(b.cols) do
      if c.kind == "agg" then
        values[j] = grp.aggv[c.agg]
      else
        local v = grp.keys[q.group_index[c.field]]
        if c.kind == "len" then v = length(v) end
        values[j] = v
      end
    end
    out[i] = M.new_row(b.shape, values)
  end
  return List.new(out, { name = "rows", columns = b.columns })
end

local function execute(q, art)
  local b = bind(q, art)
  local list = b.list or art:table(q.table)
  if q.aggregated then return run_groups(q, b, list) end
  return run_records(q, b, list)
end

-- ------------------------------------------------------------ API

local cache = setmetatable({}, { __mode = "v" })
-- Every Query made (weak keys): is_query (getmetatable gives a name).
local queries = setmetatable({}, { __mode = "k" })

local function compile(text)
  local q = cache[text]
  if q then return q end
  local p = new_parser(text)
  local ast = p:query()
  q = plan(text, ast)
  cache[text] = q
  queries[q] = true
  return q
end

-- Runs f(...) catching query errors: result, or nil and the message.
local function protect(text, f, ...)
  local ok, r = pcall(f, ...)
  if ok then return r end
  if is_qerr(r) then return nil, format_error(text, r) end
  error(r, 0)
end

local function check_text(text, fname, argn, level)
  if type(text) ~= "string" then
    error(("bad argument #%d to '%s' (query string expected, got %s)"):format(
      argn, fname, type(text)), level + 1)
  end
end

local function is_query(x) return queries[x] ~= nil end
M.is_query = is_query

local function try_compile(text, art, fname, level)
  check_text(text, fname, 1, level + 1)
  if art ~= nil then check_article(art, fname, level + 1, 2) end
  return protect(text, function()
    local q = compile(text)
    if art ~= nil then bind(q, art) end
    return q
  end)
end

local function try_run(art, text, fname, level)
  check_article(art, fname, level + 1)
  if is_query(text) then
    return protect(text.text, execute, text, art)
  end
  check_text(text, fname, 2, level + 1)
  return protect(text, function() return execute(compile(text), art) end)
end

--- Compiles text into a Query (memoised by text): q:run(art) -> List.
-- With art, table and field names are checked at once.
function M.compile(text, art)
  local q, err = try_compile(text, art, "compile", 2)
  if not q then error(err, 2) end
  return q
end

--- Runs query text (or a compiled Query) on art: a List of records, or of
-- rows when select or aggregates are used.  Also art:query(text) and
-- siqun.query(art, text) once installed.
function M.run(art, text)
  local r, err = try_run(art, text, "query", 2)
  if not r then error(err, 2) end
  return r
end
M.query = M.run

--- q:run(art): runs the compiled query on art.
function Query:run(art)
  if not is_query(self) then
    error("bad self to 'run' (siqun.Query expected, got " .. type(self) .. ")", 2)
  end
  local r, err = try_run(art, self, "run", 2)
  if not r then error(err, 2) end
  return r
end

--- Column names of the result on art (nil for a query returning records).
function Query:columns(art)
  if not is_query(self) then
    error("bad self to 'columns' (siqun.Query expected, got " .. type(self) .. ")", 2)
  end
  if art ~= nil then check_article(art, "columns", 2) end
  if not self.rows then return nil end
  local b = art and self.bound[art]
  if not b and art then
    local ok, err = try_compile(self.text, art, "columns", 2)
    if not ok then error(err, 2) end
    b = self.bound[art]
  end
  if b then return List.new(b.shape.names) end
  if self.has_star then return nil end
  local names = {}
  for i, c in ipairs(self.cols) do names[i] = c.name end
  return List.new(names)
end

-- ------------------------------------------------------ predicates

-- text -> predicate function (weak: kept while the caller keeps it), and
-- function -> its field references.
local pcache = setmetatable({}, { __mode = "v" })
local prefs = setmetatable({}, { __mode = "k" })

local function check_refs(refs, f)
  for _, r in ipairs(refs) do
    if not f.set[r.name] then
      local where = f.table and (" in " .. f.table) or ""
      throw(r.p, ("unknown field '%s'%s%s"):format(r.name, where,
            did_you_mean(r.name, f.names)), false)
    end
  end
end

-- Compiles a condition into { fn = function(item) -> boolean, refs = {...} }.
local function compile_predicate(text)
  local c = pcache[text]
  if c then return c, prefs[c] end
  local p = new_parser(text)
  p.context = "a condition"
  local ast = p:cond()
  p:eof("'and', 'or' or the end of the condition")
  local refs = {}
  each_ref(ast, function(name, pos) refs[#refs + 1] = { name = name, p = pos } end)
  table.sort(refs, function(a, b) return a.p < b.p end)
  local cond = compile_cond(ast, field_getter)
  local checked = setmetatable({}, { __mode = "k" })
  local fn = function(item)
    -- field names are checked once per kind of item (a core Table, a
    -- row shape); plain tables take any field.
    if #refs > 0 then
      local t = record_table(item)
      local key = t or (row_state[item] and row_state[item].shape)
      if key and not checked[key] then
        local ok, e = pcall(check_refs, refs, M.item_fields(item))
        if not ok then
          -- raised from the List method calling us, at its caller's level
          error(is_qerr(e) and format_error(text, e) or e, 3)
        end
        checked[key] = true
      end
    end
    return cond(item) == true
  end
  pcache[text], prefs[fn] = fn, refs
  return fn, refs
end

local function try_predicate(text, tbl, fname, level, argn)
  check_text(text, fname, 1, level + 1)
  local ok, fn, refs = pcall(compile_predicate, text)
  if not ok then
    if is_qerr(fn) then return nil, format_error(text, fn) end
    error(fn, 0)
  end
  if tbl ~= nil then
    local f
    if is_core_table(tbl) then
      f = core_table_fields(tbl)
    elseif type(tbl) == "table" and tbl.set then
      f = tbl
    else
      error(("bad argument #%d to '%s' (siqun.Table expected, got %s)"):format(
        argn, fname, type(tbl)), level + 1)
    end
    if f then
      local ok2, err2 = protect(text, check_refs, refs, f)
      if ok2 == nil and err2 then return nil, err2 end
    end
  end
  return fn
end

--- Compiles a condition ("value > 100万 and unit = '户'") into
-- function(item) -> boolean (true only when the condition is true).
-- level (optional): the error level, as error() takes it, relative to the
-- caller (default 1: the function calling predicate).  tbl (optional): a
-- core Table (List's source table) whose fields the condition must use;
-- without it, the fields are checked when the function first sees a
-- record of a table (or a row).  Memoised by text.
function M.predicate(text, level, tbl)
  level = compat.math_type(level) == "integer" and level or 1
  local f, err = try_predicate(text, tbl, "predicate", level + 1, 3)
  if not f then error(err, level + 1) end
  return f
end

-- ----------------------------------------------------- safe variants

--- The lua-cjson style twins: the same functions returning nil and the
-- message instead of raising for a bad query (misuse still raises).
-- (No tail calls below: the error levels count these frames.)
M.safe = {
  query = function(art, text)
    local r, err = try_run(art, text, "query", 2)
    return r, err
  end,
  compile = function(text, art)
    local q, err = try_compile(text, art, "compile", 2)
    return q, err
  end,
  predicate = function(text, tbl)
    local f, err = try_predicate(text, tbl, "predicate", 2, 2)
    return f, err
  end,
}
M.safe.run = M.safe.query

-- For siqun.compose: an order-by key list ("section, value desc") as
-- { { name =, desc = } ... }; raises a formatted query error.
function M.parse_order(text, level)
  local keys, err = protect(text, function()
    local p = new_parser(text)
    local ks = p:order_list()
    p:eof("',' or the end of the key list")
    local out = {}
    for i, k in ipairs(ks) do
      if k.tag ~= "field" then throw(k.p, "a key here is a field name", false) end
      out[i] = { name = k.name, desc = k.desc == true }
    end
    return out
  end)
  if not keys then error(err, (level or 1) + 1) end
  return keys
end

-- For siqun.compose: a join condition "a = b [and c = d]" as the pairs of
-- { left field, right field }; raises a formatted query error.
function M.parse_join(text, level)
  local pairs_, err = protect(text, function()
    local p = new_parser(text)
    local ast = p:cond()
    p:eof("'and' or the end of the join condition")
    local out = {}
    local function walk(node)
      if node.tag == "and" then
        walk(node[1])
        walk(node[2])
      elseif node.tag == "cmp" and node.op == "=" and node[1].tag == "field"
             and node[2].tag == "field" then
        out[#out + 1] = { node[1].name, node[2].name }
      else
        throw(node.p, "a join condition is 'field = field' joined by 'and'", false)
      end
    end
    walk(ast)
    return out
  end)
  if not pairs_ then error(err, (level or 1) + 1) end
  return pairs_
end

-- --------------------------------------------------------- install

--- Installs the query language into the facade: siqun.query(art, text),
-- siqun.compile(text), siqun.query_predicate (used by List predicates),
-- siqun.safe.{query, compile, predicate} and art:query(text).  List
-- (optional): also installs siqun.compose's methods on it.
function M.install(siqun, Article, ListClass)
  siqun.query = M.run
  siqun.compile = M.compile
  siqun.query_predicate = M.predicate
  local safe = rawget(siqun, "safe")
  if type(safe) ~= "table" then
    safe = {}
    siqun.safe = safe
  end
  for k, v in pairs(M.safe) do safe[k] = v end
  if Article then Article.query = M.run end
  if ListClass then require("siqun.compose").install(ListClass) end
  return siqun
end

M.format_error = format_error -- for tools that report positions themselves

return M
