--- siqun.query.parser: a query's text into its syntax tree (the grammar
-- is in siqun.query, init.lua).  new(text) -> a parser; p:query() -> the
-- tree of a whole query, p:cond() of a condition, p:order_list() of
-- order-by keys.  parse_order and parse_join read the key lists and join
-- conditions of siqun.compose.  Errors are query errors (siqun.query.errors).

local compat = require "siqun.compat"
local errors = require "siqun.query.errors"
local lex_one = require("siqun.query.lexer").lex_one
local utf8 = compat.utf8
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua
local throw, flat, is_qerr, protect = errors.throw, errors.flat, errors.is_qerr, errors.protect

local M = {}

-- The closest clause keyword to a name (siqun.query.suggest, loaded for
-- the error that needs it).
local function closest(name, candidates)
  return require("siqun.query.suggest").closest(name, candidates)
end

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
    local rest = part(tt.e, #self.text):gsub("%s*;+%s*$", "") -- (no ';' in this language)
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

M.new = new_parser

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

return M
