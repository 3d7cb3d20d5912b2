--- siqun.query.aggregate: the run of a query with group by or
-- aggregates (siqun.query.exec loads it for such a query): the groups, the
-- aggregates of each, having, order by and limit, as a List of rows.

local compat = require "siqun.compat"
local List = require "siqun.list"
local qcond = require "siqun.query.cond"
local group = require "siqun.query.group"
local order = require "siqun.order"
local throw = require("siqun.query.errors").throw
local agg_key = require("siqun.query.plan").agg_key
local new_row = require("siqun.query.row").new_row
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua
local getf, length, numbers, natural_less = qcond.getf, qcond.length, group.numbers,
  order.natural_less
local group_key = group.group_key

local M = {}

--- The aggregate node (fn, field; p for errors) of items.
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

--- The rows of query q (planned, bound as b: siqun.query.exec) on the
-- items of List list.
function M.run(q, b, list)
  local gfields = q.ast.group or {}
  local groups, by_key, objs = {}, {}, { n = 0 }
  local cond = q.where
  for r = 1, #list do -- (not ipairs: 5.3's calls __ipairs, a Lua call per item)
    local rec = list[r]
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
  if q.group_order then
    groups = order.sort_by(groups, #groups, q.group_order)
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
    out[i] = new_row(b.shape, values)
  end
  return List.new(out, { name = "rows", columns = b.columns })
end

return M
