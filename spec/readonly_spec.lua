-- Read-only means read-only (issue 12, item 13): no metatable siqun hands
-- out is reachable with getmetatable (each has __metatable: getmetatable
-- gives its name), so no Lua code without the debug library can change
-- what every Record, List, Quantity ... does; and no path of a record,
-- cold or promoted ("hot": its own metatable whose __index is a table of
-- its values), can be changed: assignments raise, what a read hands out
-- is a copy or immutable, and a query sees the dataset's values.

local siqun = require "siqun"
local compat = require "siqun.compat"
local core = require "siqun.core"
local json = require "siqun.writer.json"
local List = siqun.List

local art = assert(siqun.open())

-- Reads r (a record of a table of nfields fields) until it is promoted.
local function heat(r)
  local n = 0
  for _ in compat.pairs(r) do n = n + 1 end
  for _ = 1, 2 * n + 64 do local _ = r.id end
  assert(type(debug.getmetatable(r).__index) == "table", "not promoted")
  return r
end

-- Every kind of object siqun hands out: name, value, the name getmetatable
-- must give.
local function objects()
  local a = assert(siqun.open())
  local cold = a.quotas[2]
  local hot = heat(a.quotas[3])
  return {
    { "Dataset", a.dataset, "siqun.Dataset" },
    { "Table", a.dataset:table("figures"), "siqun.Table" },
    { "Record (cold)", cold, "siqun.Record" },
    { "Record (hot)", hot, "siqun.Record" },
    { "Record of a closed Dataset", (function()
        local b = assert(siqun.open())
        local r = heat(b.figures[1])
        b:close()
        return r
      end)(), "siqun.Record" },
    { "Quantity (number)", siqun.quantity("近50万名"), "siqun.Quantity" },
    { "Quantity (date)", siqun.quantity("6月18日至19日"), "siqun.Quantity" },
    { "Quantity (scan)", siqun.scan("共3个")(), "siqun.Quantity" },
    { "List", List { 1 }, "siqun.List" },
    { "List of a dataset table", a.figures, "siqun.List" },
    { "List of a query", a:query("figures where value > 1"), "siqun.List" },
    { "Article", a, "siqun.Article" },
    { "Row", a:query("figures select id")[1], "siqun.Row" },
    { "Query", siqun.compile("figures where value > 2"), "siqun.Query" },
    { "json.null", json.null, "siqun.json.null" },
  }
end

describe("every metatable siqun hands out", function()
  for _, o in ipairs(objects()) do
    local name, x, want = o[1], o[2], o[3]
    it(name .. ": getmetatable gives its name, and setmetatable is refused", function()
      assert.equal(want, getmetatable(x))
      assert.is_table(debug.getmetatable(x)) -- (there is one)
      if type(x) == "table" then
        assert.has_error(function() setmetatable(x, {}) end, "cannot change a protected metatable")
      end
    end)
  end

  it("the core's type check is by the userdata, not its metatable's name", function()
    assert.equal("siqun.Table", core.type(art.dataset:table("figures")))
    assert.equal("siqun.Record", core.type(art.figures[1]))
    assert.equal("siqun.Dataset", core.type(art.dataset))
    assert.equal("siqun.Quantity", core.type(siqun.quantity("3个")))
    for _, v in ipairs { {}, "siqun.Table", 1, io.stdout, art, art.figures, print } do
      assert.is_nil(core.type(v))
    end
    assert.is_nil(core.record_table(art.dataset))
    assert.equal(art.dataset:table("quotas"), core.record_table(art.quotas[1]))
  end)
end)

describe("a record, cold or hot, cannot be changed from Lua", function()
  -- the fields and values of quotas as the dataset has them
  local function snapshot(a)
    local out = {}
    for i = 1, a.quotas:len() do out[i] = a.quotas[i]:totable() end
    return out
  end

  for _, state in ipairs { "cold", "hot" } do
    it(state .. ": the attacks of issue 12 fail and change nothing", function()
      local a = assert(siqun.open())
      local want = snapshot(a)
      local r = a.quotas[1]
      if state == "hot" then heat(r) end
      local min = r.min
      -- the shared metatable (and, for a hot record, its values table) is
      -- out of reach: getmetatable gives a string, which takes no field
      assert.has_error(function() getmetatable(r).__index = function() return 0 end end)
      assert.has_error(function() getmetatable(r).__index.min = 0 end)
      assert.has_error(function() r.min = 0 end, "siqun.Record is read-only")
      assert.has_error(function() r.brand_new = 0 end, "siqun.Record is read-only")
      assert.has_error(function() rawset(r, "min", 0) end)
      assert.has_error(function() setmetatable(r, nil) end)
      -- what a read hands out is a copy: editing it changes nothing
      local span = r.span
      span.start = -1
      assert.is_true(r.span.start >= 0)
      local t = r:totable()
      t.min = -1
      -- pairs gives the fields only, never the values table
      for k, v in compat.pairs(r) do
        assert.is_string(k)
        assert.is_not_table(v)
      end
      assert.equal(min, r.min)
      assert.same(want, snapshot(a))
      -- every record of every Article, and the queries, see the data
      local b = assert(siqun.open())
      assert.same(want, snapshot(b))
      assert.equal(min, a:query("quotas where id = '" .. r.id .. "'")[1].min)
      assert.equal(min, b:query("quotas where id = '" .. r.id .. "' select min")[1].min)
    end)
  end

  it("a List's items, an Article's tables and a Query's metatable are out of reach too", function()
    local a = assert(siqun.open())
    local figs = a.figures
    assert.has_error(function() getmetatable(figs).__index = nil end)
    assert.has_error(function() a.figures = List {} end, "siqun.Article is read-only")
    assert.has_error(function() getmetatable(a).__index = nil end)
    local q = siqun.compile("figures where value > 3")
    assert.has_error(function() getmetatable(q).__index = nil end)
    assert.equal(#figs, #q:run(a) + #a:query("figures where value <= 3 or value is nil"))
    assert.has_error(function() getmetatable(siqun.quantity("3个")).__index = nil end)
    assert.has_error(function() getmetatable(json.null).__tostring = nil end)
    assert.equal("null", tostring(json.null))
  end)
end)
