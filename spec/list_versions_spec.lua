-- Every List siqun hands out (List.new, a dataset table, each method's
-- result, query results of records, rows and groups) works with Lua's own
-- ipairs, pairs, # and list[i] on every Lua (issue 12, item 15).  Lua 5.1
-- and LuaJIT read a table raw in ipairs and #, ignoring its metatable:
-- there the List proxy holds a copy of the items (siqun.compat.array_proxy),
-- and an assignment to an index it holds changes that copy only, never the
-- List's items, other Lists, the records or a query (docs/api.md, Lua
-- versions).  This spec uses the plain ipairs and pairs on purpose.

local siqun = require "siqun"
local compat = require "siqun.compat"
local List = siqun.List

local art = assert(siqun.open())

-- name, List
local function lists(a)
  return {
    { "List {...}", List { "a", "b", "c" } },
    { "List.new of a List", List.new(List { 1, 2 }) },
    { "an empty List", List {} },
    { "a dataset table", a.figures },
    { "the meta table", a:table("meta") },
    { "tables()", a:tables() },
    { "filter (function)", a.figures:filter(function(f) return f.unit == "元" end) },
    { "filter (fields)", a.figures:filter({ unit = "元" }) },
    { "filter (query string)", a.quotas:filter("min > 5") },
    { "filter (none)", a.figures:filter("value < 0") },
    { "map", a.people:map(function(p) return p.name end) },
    { "sort", a.places:sort("name") },
    { "concat", a.people .. a.places },
    { "glossary members", a.glossary:get("四群").members },
    { "group_by", a.places:group_by("kind") },
    { "select", a.figures:select("id", "value") },
    { "order_by", a.quotas:order_by("activity, min desc") },
    { "join", a.people:filter("place is not nil"):join(a.places, "place = id") },
    { "query: records", a:query("figures where value > 100万") },
    { "query: rows", a:query("quotas where activity = 'village_stay' select rank, min") },
    { "query: groups", a:query("figures group by unit select unit, count() as n") },
    { "compiled query", siqun.compile("events order by date"):run(a) },
    { "siqun.query", siqun.query(a, "sections") },
  }
end

describe("every List with Lua's own ipairs, pairs, # and [i]", function()
  for _, c in ipairs(lists(art)) do
    local name, l = c[1], c[2]
    it(name, function()
      local n = l:len()
      assert.equal("table", type(l), name)
      assert.equal(n, #l, name)
      local count = 0
      for i, v in ipairs(l) do
        count = count + 1
        assert.equal(count, i)
        assert.is_true(rawequal(v, l:at(i)), name .. " item " .. i)
        assert.is_true(rawequal(v, l[i]), name .. " [" .. i .. "]")
      end
      assert.equal(n, count, name)
      count = 0
      for i, v in pairs(l) do
        count = count + 1
        assert.equal(count, i)
        assert.is_true(rawequal(v, l:at(i)))
      end
      assert.equal(n, count, name)
      assert.is_nil(l[n + 1])
      assert.is_nil(l[0])
      if n > 0 then assert.is_true(rawequal(l[n], l[n + 0.0])) end
      assert.has_error(function() l[n + 1] = 1 end, "siqun.List is read-only")
      assert.has_error(function() l.x = 1 end, "siqun.List is read-only")
    end)
  end

  it("a dataset table's List hands out the same records as the core's Table", function()
    local a = assert(siqun.open())
    local t = a.dataset:table("quotas")
    for i, q in ipairs(a.quotas) do assert.is_true(rawequal(t[i], q)) end
  end)

  it("an assignment to an index it holds changes no item, record or query", function()
    local a = assert(siqun.open())
    local figs = a.figures
    local first = figs[1]
    local ok = pcall(function() figs[1] = "x" end)
    -- refused on 5.2+; on 5.1 and LuaJIT it reaches no metamethod
    assert.equal(compat.raw_arrays, ok)
    if ok then
      assert.equal("x", figs[1])         -- the proxy's copy: what [i], ipairs and # read
      for _, f in ipairs(figs) do if f == "x" then ok = "seen" end end
      assert.equal("seen", ok)
    else
      assert.is_true(rawequal(first, figs[1]))
    end
    -- what the List's methods, queries and other Lists see is unchanged
    assert.is_true(rawequal(first, figs:at(1)))
    assert.is_true(rawequal(first, figs:first()))
    assert.is_true(rawequal(first, figs:totable()[1]))
    assert.is_true(rawequal(first, figs:filter(function() return true end)[1]))
    -- (a query without where, order by or limit returns the List itself)
    assert.is_true(rawequal(first, a:query("figures"):at(1)))
    assert.is_true(rawequal(first, a:query("figures limit 1")[1]))
    assert.is_true(rawequal(first, a:query("figures where id = '" .. first.id .. "'")[1]))
    assert.equal(first.id, figs:get(first.id).id)
    assert.equal(#a.dataset:table("figures"), figs:len())
  end)
end)
