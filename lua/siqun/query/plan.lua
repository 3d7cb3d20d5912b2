--- siqun.query.plan: a parsed query planned -- everything that does not
-- depend on an Article: the field references to check (refs), the
-- columns, the aggregates, the where, having and order-by functions
-- (closures of siqun.query.cond), limit.  plan(text, ast) -> q, the
-- fields of a siqun.Query (siqun.query gives it its metatable).

local compat = require "siqun.compat"
local cond = require "siqun.query.cond"
local throw = require("siqun.query.errors").throw
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua
local each_ref, compile_cond, getter, field_getter, length =
  cond.each_ref, cond.compile, cond.getter, cond.field_getter, cond.length

local M = {}

--- cols' names -> columns; raises at the first column named as one before
-- it (here for a select without *, in siqun.query.exec once * is known).
function M.unique_columns(cols)
  local set = {}
  for _, c in ipairs(cols) do
    if set[c.name] then
      throw(c.pos, ("duplicate column '%s' (name one with 'as')"):format(c.name), false)
    end
    set[c.name] = c
  end
  return set
end

--- The key of an aggregate node in a group's values: "sum(value)".
local function agg_key(node)
  return node.fn .. "(" .. (node.field or "") .. ")"
end
M.agg_key = agg_key

-- The default column name of an aggregate: count, sum_value.
local function agg_column(node)
  if node.fn == "count" and not node.field then return "count" end
  return node.fn .. "_" .. node.field
end

-- The planner's record of what a query uses: refs (the field references
-- to check, { name =, p = }), aggs (key -> aggregate node) and agg_list
-- (in first-use order).
local function new_uses()
  local u = { refs = {}, aggs = {}, agg_list = {} }
  function u.ref(name, pos) u.refs[#u.refs + 1] = { name = name, p = pos } end
  function u.agg(node)
    local k = agg_key(node)
    if not u.aggs[k] then
      u.aggs[k] = node
      u.agg_list[#u.agg_list + 1] = node
    end
    if node.field then u.ref(node.field, node.fp) end
  end
  return u
end

-- Step 1: the references and aggregates of where, group by, select,
-- having and order by (in that order); true when select has a '*'.
local function collect_uses(ast, u)
  each_ref(ast.where, u.ref)
  for _, g in ipairs(ast.group or {}) do u.ref(g.name, g.p) end
  local has_star = false
  for _, item in ipairs(ast.select or {}) do
    if item.tag == "agg" then
      u.agg(item)
    elseif item.tag == "field" then
      u.ref(item.name, item.p)
    elseif item.tag == "len" then
      u.ref(item[1].name, item[1].p)
    else
      has_star = true
    end
  end
  local function walk_aggs(node)
    if node == nil then return end
    if node.tag == "agg" then u.agg(node) return end
    for _, c in ipairs(node) do walk_aggs(c) end
  end
  walk_aggs(ast.having)
  for _, k in ipairs(ast.order or {}) do
    if k.tag == "agg" then u.agg(k) end
  end
  return has_star
end

-- Step 2: the columns, { name =, pos =, kind = "field"|"len"|"agg"|"star",
-- field =, fpos =, agg = }: select's items, or (aggregated without
-- select) the group fields and count().
local function plan_columns(ast, aggregated, u)
  local cols = {}
  if ast.select then
    for _, item in ipairs(ast.select) do
      if item.tag == "star" then
        if aggregated then
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
  elseif aggregated then
    for _, g in ipairs(ast.group or {}) do
      cols[#cols + 1] = { kind = "field", field = g.name, name = g.name, pos = g.p, fpos = g.p }
    end
    u.agg({ tag = "agg", fn = "count", p = ast.tpos })
    cols[#cols + 1] = { kind = "agg", agg = "count()", name = "count", pos = ast.tpos }
  end
  return cols
end

-- Step 3: column name -> column; raises for a name used twice (not with
-- a '*', whose columns come with the table).
local function column_set(cols, has_star)
  if has_star then return {} end
  return M.unique_columns(cols)
end

-- Step 4 (aggregated): plain columns must be group fields; having and
-- order by read column names, group fields and aggregates of a group.
local function plan_groups(q, ast, colset, u)
  local group_index = q.group_index
  for _, c in ipairs(q.cols) do
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
      if not colset[name] then u.ref(name, pos) end
    end)
    q.having = compile_cond(ast.having, group_operand)
  end
  local keys = {}
  for _, k in ipairs(ast.order or {}) do
    keys[#keys + 1] = { get = getter(k, group_operand), desc = k.desc }
  end
  q.group_order = #keys > 0 and keys or nil -- (siqun.order.sort_by)
end

-- Step 4 (not aggregated): order by reads fields of the records; a column
-- name that is no field name (an alias, len_members) stands for its
-- column's value.
local function plan_order(q, ast, u)
  local alias = {}
  for _, c in ipairs(q.cols) do
    if c.kind == "len" or (c.kind == "field" and c.name ~= c.field) then alias[c.name] = c end
  end
  local keys = {}
  for _, k in ipairs(ast.order or {}) do
    local c, node = alias[k.name], k
    if c then
      node = { tag = "field", name = c.field }
      if c.kind == "len" then node = { tag = "len", node } end
    else
      each_ref(k, u.ref)
    end
    keys[#keys + 1] = { get = getter(node, field_getter), desc = k.desc }
  end
  q.order = #keys > 0 and keys or nil -- (siqun.order.sort_by)
end

--- Plans a parsed query: the fields of a Query (bound: its bindings to
-- Articles, siqun.query.exec).  Errors come in the order of the steps.
function M.plan(text, ast)
  local q = { text = text, ast = ast, table = ast.table,
              bound = setmetatable({}, { __mode = "k" }) }
  local u = new_uses()
  local has_star = collect_uses(ast, u)
  q.aggregated = ast.group ~= nil or #u.agg_list > 0
  q.aggs = u.agg_list
  if ast.having and not q.aggregated then
    throw(ast.having_pos, "'having' needs 'group by' or an aggregate", false)
  end
  local cols = plan_columns(ast, q.aggregated, u)
  q.cols, q.has_star, q.rows = cols, has_star, #cols > 0
  local colset = column_set(cols, has_star)
  local group_index = {}
  for i, g in ipairs(ast.group or {}) do group_index[g.name] = i end
  q.group_index = group_index
  if q.aggregated then
    plan_groups(q, ast, colset, u)
  else
    plan_order(q, ast, u)
  end
  if ast.where then q.where = compile_cond(ast.where, field_getter) end
  table.sort(u.refs, function(a, b) return a.p < b.p end)
  q.refs = u.refs
  q.limit = ast.limit
  return q
end

return M
