-- The one sort order of values (siqun.order): List:sort, List:order_by and
-- the query's order by give the same order for the same key, in both
-- directions, with nil last either way (docs/api.md, docs/query.md).
-- List:sort had its own copy of the direction and nil rules, which put nil
-- items first in sort(nil, "desc") while order_by put them last.

local siqun = require "siqun"
local order = require "siqun.order"
local List = siqun.List

local art = assert(siqun.open())

local function terms(l)
  local out = {}
  for i = 1, #l do out[i] = l[i].term end
  return out
end

-- items[1..n] of a List as a plain array with its length (nil kept; on
-- Lua 5.1 `#` of a List ending in nil items may stop short: len does not).
local function items(l)
  local n = l:len()
  local out = { n = n }
  for i = 1, n do out[i] = l:at(i) end
  return out
end

local function identity(x) return x end

describe("the one sort order", function()
  it("is the same for List:sort, List:order_by and order by on the glossary's members", function()
    local g = art.glossary
    local by_sort = terms(g:sort("members"))
    assert.same(by_sort, terms(g:order_by("members")))
    assert.same(by_sort, terms(art:query("glossary order by members")))
    local desc = terms(g:sort("members", "desc"))
    assert.same(desc, terms(g:order_by("members", "desc")))
    assert.same(desc, terms(art:query("glossary order by members desc")))
  end)

  it("ranks Lists by length, then item by item, after plain values", function()
    local g = art.glossary:sort("members")
    local prev
    for i = 1, #g do
      local m = g[i].members
      if prev then
        assert.is_false(order.natural_less(m, prev), g[i].term)
        assert.is_true(#prev <= #m, g[i].term)
      end
      prev = m
    end
    assert.is_true(order.natural_less(1, "a"))
    assert.is_true(order.natural_less("a", false))
    assert.is_true(order.natural_less(false, true))
    assert.is_true(order.natural_less(true, List.new{}))
    assert.is_true(order.natural_less(List.new{ 9 }, List.new{ 1, 1 }))
    assert.is_true(order.natural_less(List.new{ 1, 2 }, List.new{ 1, 3 }))
    assert.is_true(order.natural_less(List.new{}, {}))
    assert.is_true(order.natural_less({}, nil))
    assert.is_false(order.natural_less(nil, {}))
  end)

  it("puts nil items last in both directions, as order_by does", function()
    local l = List.new({ 3, nil, "b", 1, true, nil, "a", n = 7 })
    assert.same({ 1, 3, "a", "b", true, n = 7 }, items(l:sort()))
    assert.same({ true, "b", "a", 3, 1, n = 7 }, items(l:sort(nil, "desc")))
    assert.same(items(l:sort()), items(l:order_by(identity)))
    assert.same(items(l:sort(nil, "desc")), items(l:order_by(identity, "desc")))
  end)

  it("puts a missing field last in both directions and keeps ties in order", function()
    local a, b, c, d = { k = 2, id = "a" }, { id = "b" }, { k = 1, id = "c" }, { k = 2, id = "d" }
    local l = List.new{ a, b, c, d }
    assert.same({ c, a, d, b }, l:sort("k"):totable())
    assert.same({ a, d, c, b }, l:sort("k", "desc"):totable())
    assert.same(l:sort("k"):totable(), l:order_by("k"):totable())
    assert.same(l:sort("k", "desc"):totable(), l:order_by("k", "desc"):totable())
  end)

  it("gives min and max of the query and of the List by that order", function()
    local r = art:query("glossary select min(members) as lo, max(members) as hi")[1]
    local sorted = art.glossary:sort("members")
    assert.same(sorted[1].members:totable(), r.lo:totable())
    local last = sorted[#sorted].members
    assert.same(last:totable(), r.hi:totable())
    assert.same(last:totable(), art.glossary:max("members"):totable())
  end)
end)
