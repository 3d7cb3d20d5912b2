--- siqun.query.exec: a planned query run on an Article.  bind(q, art)
-- checks the query's table and field names against the Article and
-- prepares what depends on its fields (memoised in q.bound); execute(q,
-- art) -> the List of records, or of rows (a query with group by or
-- aggregates: siqun.query.aggregate).

local compat = require "siqun.compat"
local List = require "siqun.list"
local fields = require "siqun.fields"
local errors = require "siqun.query.errors"
local qcond = require "siqun.query.cond"
local row = require "siqun.query.row"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua
local throw, is_nomem = errors.throw, errors.is_nomem
local getf, length, compile_cond, field_getter = qcond.getf, qcond.length, qcond.compile,
  qcond.field_getter
local new_row = row.new_row
local sort_by = require("siqun.order").sort_by

local M = {}

-- " (did you mean 'x'?)" for an unknown name (siqun.query.suggest, loaded
-- for the error that needs it).
local function did_you_mean(name, candidates)
  return require("siqun.query.suggest").did_you_mean(name, candidates)
end

-- Field names of table tname in art.
local function article_fields(art, tname, list)
  local ds = art.dataset
  if ds ~= nil then
    local ok, t = pcall(function() return ds:table(tname) end)
    if not ok and is_nomem(t) then error(t, 0) end
    if ok and fields.is_core_table(t) then return fields.of_table(t) end
  end
  if #list > 0 then
    local f = fields.of_item(list[1])
    if f then return f end
  end
  -- plain tables: the keys they have (sorted: pairs has no order)
  local f = fields.of_list(list)
  local names, set = f and f.names or {}, {}
  for _, n in ipairs(names) do set[n] = true end
  return { names = names, set = set, table = tname }
end

-- Checks the query against art (table and field names) and prepares what
-- depends on its fields; memoised per Article.
function M.bind(q, art)
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
    local expanded = {}
    for _, c in ipairs(cols) do
      if c.kind == "star" then
        for _, name in ipairs(f.names) do
          expanded[#expanded + 1] = { kind = "field", field = name, name = name, pos = c.pos }
        end
      else
        expanded[#expanded + 1] = c
      end
    end
    require("siqun.query.plan").unique_columns(expanded)
    cols = expanded
  end
  local names = {}
  for i, c in ipairs(cols) do names[i] = c.name end
  b = { cols = cols, shape = row.shape(names) }
  -- what the result List tells writers, even when it is empty
  b.columns = { names = names, types = fields.of_query(cols, (List._origin(list))) }
  -- on an Article's own list (its items are the records of one core
  -- Table), a where clause that knows the fields' types
  if getmetatable(art) == "siqun.Article" then
    -- an Article's List of a table is the same on every call (not so for
    -- a look-alike): kept, so a run does not ask for it again
    b.list = list
    if q.ast.where and f.lua_types and not q.aggregated then -- (aggregate: q.where)
      b.where = compile_cond(q.ast.where, field_getter, f.lua_types)
      b.fuse = f.lua_types -- (execute: from the second run on)
    end
  end
  q.bound[art] = b
  return b
end

local bind = M.bind

-- The Lists of records a run makes come from List._select(l, select),
-- which makes a List with l's options (its table, for get) of what
-- select(items, n, out) puts in out[1..m] from l's items[1..n]: a where
-- clause (fused or not), order by and limit need no List method, so a
-- query does not load siqun.compose.

-- select for cond(x) == true, as filter keeps (a condition returns true,
-- false or nil: unknown).
local function keep(cond)
  return function(items, n, out)
    local m = 0
    for i = 1, n do
      local x = items[i]
      if cond(x) == true then
        m = m + 1
        out[m] = x
      end
    end
    return m
  end
end

-- select for the items in the order of keys (order by; stable).
local function sorted(keys)
  return function(items, n, out)
    local s = sort_by(items, n, keys)
    for i = 1, n do out[i] = s[i] end
    return n
  end
end

-- select for the first k items.
local function first(k)
  return function(items, n, out)
    if k < n then n = k end
    for i = 1, n do out[i] = items[i] end
    return n
  end
end

-- The records (or rows, with select) of q bound as b on the items of list.
local function run_records(q, b, list)
  local recs = list
  if q.where then
    if b.select and recs == b.list then -- the fused loop over its items
      recs = List._select(recs, b.select)
    else
      recs = List._select(recs, keep(b.where or q.where))
    end
  end
  if q.order then recs = List._select(recs, sorted(q.order)) end
  if q.limit then recs = List._select(recs, first(q.limit)) end
  if not q.rows then return recs end
  local cols, shape, out = b.cols, b.shape, {}
  -- (not ipairs: 5.3's calls __ipairs, a Lua call per item)
  for i = 1, #recs do
    local rec, values = recs[i], {}
    for j, c in ipairs(cols) do
      local v = getf(rec, c.field)
      if c.kind == "len" then v = length(v) end
      values[j] = v
    end
    out[i] = new_row(shape, values)
  end
  return List.new(out, { name = "rows", columns = b.columns })
end

-- A where clause bound to an Article's table (b.fuse: the Lua types of
-- its fields) is fused into generated code (siqun.query.fuse) when the
-- query runs the second time: generating and loading the code costs more
-- than a run of the closures, so a query run once (the command line's)
-- takes the closures.  The results are the same.  Tried once (a clause
-- that cannot be fused keeps its closures); after an error (out of memory)
-- the next run tries again.
local function fuse(q, b)
  local where, sel = require("siqun.query.fuse").gen_cond(q.ast.where, b.fuse)
  b.fuse = nil
  if where then b.where, b.select = where, sel end
end

--- The result of query q (planned: siqun.query.plan) on art.
function M.execute(q, art)
  local b = bind(q, art)
  if b.fuse then
    if b.ran then fuse(q, b) end
    b.ran = true
  end
  local list = b.list or art:table(q.table)
  if q.aggregated then return require("siqun.query.aggregate").run(q, b, list) end
  return run_records(q, b, list)
end

return M
