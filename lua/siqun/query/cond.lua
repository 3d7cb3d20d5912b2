--- siqun.query.cond: conditions into closures.  compile(node, operand,
-- types) turns a condition's syntax tree into function(x) -> true, false
-- or nil (unknown: the logic is three-valued, as SQL's); operand(node)
-- makes the function of a field (field_getter: the item's field) or, in
-- 'having', of a group's column.  With types (the Lua type of each field
-- of the records of a core Table, when not nil: siqun.fields' lua_types),
-- a `field op literal` test compares without type tests.  Also getf,
-- len() (length) and each_ref, which the planner and the predicates use.

local compat = require "siqun.compat"
local is_list = require("siqun.list").is_list
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua
local utf8 = compat.utf8

local M = {}

-- item[name] for a record, a row or a plain table; nil for anything
-- else (never raises): siqun.item's one rule.
local getf = require("siqun.item").get
M.getf = getf

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

-- Three-valued "some item of list[1..n]": true if fn(list[i], other) is
-- true for one, else nil (unknown) if it is nil for one, else false.
local function any_of(list, n, fn, other)
  local unknown = false
  for i = 1, n do
    local r = fn(list[i], other)
    if r then return true end
    if r == nil then unknown = true end
  end
  if unknown then return nil end
  return false
end

-- Three-valued comparison: true, false or nil (unknown).
local compare
local function item_equals(item, b) return compare("=", item, b) end
local function equals_item(lit, v) return compare("=", v, lit) end
function compare(op, a, b)
  if a == nil or b == nil then return nil end
  if is_list(a) then
    if op ~= "=" then return nil end
    return any_of(a, #a, item_equals, b)
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
    return any_of(v, #v, like, needle)
  end
  return nil
end

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

-- a and b (decisive = false), a or b (decisive = true) in three-valued
-- logic: the decisive value if either side has it, else unknown (nil) if
-- either side is, else the other value.  b runs only when a is not decisive.
local function connective(a, b, decisive)
  return function(x)
    local ra = a(x)
    if ra == decisive then return decisive end
    local rb = b(x)
    if rb == decisive then return decisive end
    if ra == nil or rb == nil then return nil end
    return not decisive
  end
end

local function compile_cond(node, operand, types)
  local tag = node.tag
  if tag == "and" or tag == "or" then
    return connective(compile_cond(node[1], operand, types), compile_cond(node[2], operand, types),
                      tag == "or")
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
    return function(x) return any_of(values, n, equals_item, get(x)) end
  end
  error("internal error: bad condition node " .. tostring(tag))
end

function field_getter(node)
  local name = node.name
  return function(item) return getf(item, name) end
end

M.each_ref = each_ref
M.getter = getter
M.compile = compile_cond
M.field_getter = field_getter

return M
