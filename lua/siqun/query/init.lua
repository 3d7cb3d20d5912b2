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
--
-- Modules (siqun.query.*, one job each; an arrow is a require, and every
-- one points down this list, so there is no loop):
--
--   siqun.query            (init.lua) this API: compile, run, Query,
--                          predicate, the safe variants, install
--     -> errors parser plan exec row order cond, siqun.fields
--     -> predicate, suggest, group, aggregate, compose: from a function,
--        on first use
--   siqun.query.predicate  conditions as List predicates
--     -> errors parser cond row, siqun.fields; suggest on an error
--   siqun.query.exec       bind a query to an Article, run it
--     -> errors cond row order, siqun.fields; suggest on an error,
--        fuse (a where clause run again), aggregate (group by, aggregates)
--   siqun.query.aggregate  group by, aggregates, having
--     -> errors cond group order plan row
--   siqun.query.plan       a parsed query planned, with no Article
--     -> errors cond
--   siqun.query.fuse       where clauses as generated Lua code -> errors
--   siqun.query.cond       conditions into closures
--   siqun.query.parser     text -> syntax tree -> errors lexer; suggest
--                          on an error
--   siqun.query.lexer      the tokens -> errors; LPeg for a string
--   siqun.query.group      group keys and sums, shared with siqun.compose
--   siqun.order            the one sort order (not of this folder: List:sort,
--                          siqun.compose and the query share it)
--   siqun.query.row        the read-only rows, shared with siqun.compose
--   siqun.query.suggest    "did you mean", loaded by an error
--   siqun.query.errors     query errors -> message, for an error
--   siqun.query.message    the message of a query error, with the caret
--
-- siqun.compose (List methods) uses row, order, group, and parser,
-- predicate and suggest from a function; no part of siqun.query requires
-- siqun.compose, except install (with a List class) from a function.
-- Below every one: siqun.list, siqun.compat (and siqun.fields).

local compat = require "siqun.compat"
local List = require "siqun.list"
local fields = require "siqun.fields"
local errors = require "siqun.query.errors"
local parser = require "siqun.query.parser"
local plan = require("siqun.query.plan").plan
local exec = require "siqun.query.exec"
local row = require "siqun.query.row"
local order = require "siqun.order"
local qcond = require "siqun.query.cond"
local ipairs, pairs = compat.ipairs, compat.pairs -- 5.3's ipairs, 5.2's pairs, on every Lua
local protect, check_text = errors.protect, errors.check_text
local bind, execute = exec.bind, exec.execute

local M = {}

-- ---------------------------------------------------------- shared parts
-- (as siqun.query has always offered them; each where it lives)

--- The candidate closest to name, or nil (siqun.query.suggest).
function M.closest(name, candidates)
  return require("siqun.query.suggest").closest(name, candidates)
end
M.natural_less, M.multi_less = order.natural_less, order.multi_less
M.length = qcond.length
M.shape, M.new_row, M.is_row, M.columns = row.shape, row.new_row, row.is_row, row.columns
M.item_fields = fields.of_item
--- siqun.query.group's numbers and group_key, siqun.query.aggregate's
-- aggregate.
function M.numbers(m, get) return require("siqun.query.group").numbers(m, get) end
function M.group_key(v, objs) return require("siqun.query.group").group_key(v, objs) end
function M.aggregate(node, items) return require("siqun.query.aggregate").aggregate(node, items) end

-- ------------------------------------------------------------ API

local Query = {}
local query_mt = { __name = "siqun.Query", __metatable = "siqun.Query", __index = Query }
query_mt.__tostring = function(self) return "siqun.Query: " .. self.text end

local function check_article(art, fname, level, argn)
  -- an Article, or a table that looks like one (art:table(name) -> List);
  -- not a userdata: a Record, a core Table or Dataset has a 'table' too
  local ok = getmetatable(art) == "siqun.Article"
  if not ok and type(art) == "table" then
    local okp, is_fn = pcall(function() return type(art.table) == "function" end)
    ok = okp and is_fn
  end
  if not ok then
    require("siqun.check").type(argn or 1, fname, "siqun.Article", art, level + 1)
  end
end

local cache = setmetatable({}, { __mode = "v" })
-- Every Query made (weak keys): is_query (getmetatable gives a name).
local queries = setmetatable({}, { __mode = "k" })

local function compile(text)
  local q = cache[text]
  if q then return q end
  local p = parser.new(text)
  local ast = p:query()
  q = setmetatable(plan(text, ast), query_mt)
  cache[text] = q
  queries[q] = true
  return q
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

--- Compiles a condition ("value > 100万 and unit = '户'") into
-- function(item) -> boolean (true only when the condition is true).
-- level (optional): the error level, as error() takes it, relative to the
-- caller (default 1: the function calling predicate).  tbl (optional): a
-- core Table (List's source table) whose fields the condition must use;
-- without it, the fields are checked when the function first sees a
-- record of a table (or a row).  Memoised by text.
function M.predicate(text, level, tbl)
  level = compat.math_type(level) == "integer" and level or 1
  local f, err = require("siqun.query.predicate").try(text, tbl, "predicate", level + 1, 3)
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
    local f, err = require("siqun.query.predicate").try(text, tbl, "predicate", 2, 2)
    return f, err
  end,
}
M.safe.run = M.safe.query

-- For siqun.compose: an order-by key list ("section, value desc") as
-- { { name =, desc = } ... }, a join condition "a = b [and c = d]" as the
-- pairs of { left field, right field } (siqun.query.parser).
M.parse_order, M.parse_join = parser.parse_order, parser.parse_join

-- --------------------------------------------------------- install

--- Installs the query language into a facade-like table: siqun.query(art,
-- text), siqun.compile(text), siqun.query_predicate (used by List
-- predicates), siqun.safe.{query, compile, predicate} and art:query(text).
-- List (optional): also installs siqun.compose's methods on it.  (Part of
-- this module's API; siqun's own facade declares these entry points
-- itself, with siqun.lazy: siqun.facade.)
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

M.format_error = errors.format_error -- for tools that report positions themselves

return M
