-- siqun.List on plain values, and on records of a dataset table.

local compat = require "siqun.compat"
local ipairs, pairs = compat.ipairs, compat.pairs -- 5.3's ipairs and 5.2's pairs on every Lua (siqun.compat)
local List = require "siqun.list"

local function items(l) return l:totable() end

describe("siqun.List", function()
  describe("construction", function()
    it("copies the array part of a table", function()
      local src = { 1, 2, 3 }
      local l = List.new(src)
      src[1] = 99
      assert.equal(3, #l)
      assert.same({ 1, 2, 3 }, items(l))
    end)

    it("is callable and accepts an empty table or nothing", function()
      assert.equal(0, #List())
      assert.equal(0, #List.new({}))
      assert.same({ "a" }, items(List { "a" }))
    end)

    it("respects an explicit n (holes allowed)", function()
      local l = List.new({ n = 3, 1, nil, 3 })
      assert.equal(3, l:len())
      -- (on 5.1 and LuaJIT # reads the proxy raw: a border, as for any
      -- table with holes; docs/api.md, Lua versions)
      if not compat.raw_arrays then assert.equal(3, #l) end
      assert.is_nil(l[2])
      assert.equal(3, l[3])
    end)

    it("copies another List", function()
      local a = List { 1, 2 }
      local b = List.new(a)
      assert.same(items(a), items(b))
      assert.is_true(List.is_list(b))
    end)

    it("rejects non-tables", function()
      assert.has_error(function() List.new("abc") end,
        "bad argument #1 to 'new' (table expected, got string)")
    end)

    it("tells Lists from other values", function()
      assert.is_true(List.is_list(List {}))
      assert.is_false(List.is_list({}))
      assert.is_false(List.is_list(nil))
    end)
  end)

  describe("access", function()
    local l = List { "a", "b", "c" }

    it("indexes by integer and has a length", function()
      assert.equal(3, #l)
      assert.equal("a", l[1])
      assert.equal("c", l[3])
      assert.is_nil(l[0])
      assert.is_nil(l[4])
      assert.is_nil(l[-1])
      assert.equal("b", l[2.0])
    end)

    it("indexes a dataset's List by integral floats before any record is made", function()
      local fresh = assert(require("siqun").open())
      local figs = fresh.figures
      local second = figs[2.0] -- (its items are made on first use)
      assert.is_not_nil(second)
      assert.is_true(rawequal(second, figs[2]))
      assert.is_nil(figs[2.5])
      assert.is_nil(figs[0.0])
      assert.is_nil(figs[#figs + 1.0])
      assert.is_nil(figs["2"])
      assert.is_true(rawequal(fresh.figures[3], figs[3.0]))
    end)

    it("gives its methods, not stubs that load them, once asked", function()
      -- (a method called through a loading stub loses the caller's line in
      -- errors on Lua 5.1)
      local m = List { 1 }.at
      assert.equal(m, List { 2 }.at)
      local ok, err = pcall(function() local r = l:at("x"); return r end)
      assert.is_false(ok)
      assert.matches("^[^:]+:%d+: bad argument #1 to 'at'", err)
    end)

    it("iterates with ipairs, pairs and iter, in order", function()
      local seen = {}
      for i, v in ipairs(l) do seen[#seen + 1] = i .. v end
      assert.same({ "1a", "2b", "3c" }, seen)
      seen = {}
      for i, v in pairs(l) do seen[#seen + 1] = i .. v end
      assert.same({ "1a", "2b", "3c" }, seen)
      seen = {}
      for v, i in l:iter() do seen[#seen + 1] = i .. v end
      assert.same({ "1a", "2b", "3c" }, seen)
    end)

    it("at counts negative indices from the end", function()
      assert.equal("a", l:at(1))
      assert.equal("c", l:at(-1))
      assert.equal("a", l:at(-3))
      assert.is_nil(l:at(-4))
      assert.is_nil(l:at(0))
      assert.is_nil(l:at(4))
      assert.has_error(function() l:at("1") end)
    end)

    it("first and last", function()
      assert.equal("a", l:first())
      assert.equal("c", l:last())
      assert.is_nil(List{}:first())
      assert.is_nil(List{}:last())
    end)

    it("len and is_empty", function()
      assert.equal(3, l:len())
      assert.is_false(l:is_empty())
      assert.is_true(List{}:is_empty())
    end)

    it("does not expose its private state", function()
      assert.is_nil(l.n)
      assert.is_nil(l.table)
      assert.equal("siqun.List", getmetatable(l))
    end)
  end)

  describe("read-only", function()
    local l = List { 1, 2 }

    it("refuses assignment to items, new indices and fields", function()
      local m = List { 1, 2 }
      if compat.raw_arrays then
        -- 5.1 and LuaJIT: the proxy holds a copy of the items, and Lua
        -- calls no metamethod when an index it holds is assigned: the copy
        -- changes, never the List's items (docs/api.md, Lua versions)
        m[1] = 5
        assert.equal(5, m[1])
        assert.equal(1, m:at(1))
        assert.equal(1, m:first())
      else
        assert.has_error(function() m[1] = 5 end, "siqun.List is read-only")
      end
      assert.has_error(function() m[3] = 5 end, "siqun.List is read-only")
      assert.has_error(function() m.x = 5 end, "siqun.List is read-only")
      assert.same({ 1, 2 }, items(m))
      assert.equal(2, #m)
    end)

    it("totable returns an independent copy", function()
      local t = l:totable()
      t[1] = 99
      assert.equal(1, l[1])
    end)

    it("refuses to replace its metatable", function()
      assert.has_error(function() setmetatable(l, {}) end)
    end)
  end)

  describe("filter / map / find", function()
    local nums = List { 5, 3, 8, 1, 8 }
    local recs = List {
      { id = "a", kind = "x", v = 2 },
      { id = "b", kind = "y", v = 1 },
      { id = "c", kind = "x", v = 3 },
    }

    it("filter with a function gets the item and index", function()
      assert.same({ 5, 8, 8 }, items(nums:filter(function(x) return x > 4 end)))
      assert.same({ 5, 8 }, items(nums:filter(function(_, i) return i % 2 == 1 and i < 5 end)))
    end)

    it("filter with a table predicate matches every field", function()
      assert.same({ "a", "c" }, items(recs:filter { kind = "x" }:map(function(r) return r.id end)))
      local ids = recs:filter { kind = "x", v = 3 }:map(function(r) return r.id end)
      assert.same({ "c" }, items(ids))
      assert.equal(0, #recs:filter { kind = "z" })
      -- plain values have no fields
      assert.equal(0, #nums:filter { kind = "x" })
    end)

    it("never changes the receiver", function()
      nums:filter(function() return false end)
      nums:sort()
      nums:map(tostring)
      assert.same({ 5, 3, 8, 1, 8 }, items(nums))
    end)

    it("map keeps the length, even with nil results", function()
      assert.same({ "5", "3", "8", "1", "8" }, items(nums:map(tostring)))
      local m = nums:map(function(x) if x > 4 then return x end end)
      assert.equal(5, m:len())
      if not compat.raw_arrays then assert.equal(5, #m) end -- (a border there)
      assert.is_nil(m[2])
      assert.equal(8, m[5])
      assert.has_error(function() nums:map("x") end)
    end)

    it("find returns the first match and its index", function()
      local v, i = nums:find(function(x) return x == 8 end)
      assert.equal(8, v)
      assert.equal(3, i)
      assert.is_nil(nums:find(function(x) return x > 100 end))
      local r, j = recs:find { kind = "x" }
      assert.equal("a", r.id)
      assert.equal(1, j)
      v, i = nums:find(function(x) return x == 8 end, 4)
      assert.equal(5, i)
      assert.equal(v, 8)
    end)

    it("find_if is find", function()
      local _, i = nums:find_if(function(x) return x == 1 end)
      assert.equal(4, i)
    end)

    it("includes and index_of compare with ==", function()
      assert.is_true(nums:includes(3))
      assert.is_false(nums:includes(4))
      assert.equal(3, nums:index_of(8))
      assert.is_nil(nums:index_of(4))
    end)

    it("rejects bad predicates", function()
      assert.has_error(function() nums:filter(42) end)
    end)
  end)

  describe("query-string predicates", function()
    local l = List { { id = "a" }, { id = "b" } }

    it("need siqun.query", function()
      local saved = List._use_query_predicate(nil)
      local ok, err = pcall(function() return l:filter("id = 'a'") end)
      List._use_query_predicate(saved)
      assert.is_false(ok)
      assert.matches("query strings need siqun.query", err, 1, true)
    end)

    it("are compiled by the compiler the facade gives", function()
      local saved = List._use_query_predicate(function(q)
        local want = q:match("^id = '(.*)'$")
        return function(item) return item.id == want end
      end)
      local ok, res = pcall(function() return l:filter("id = 'b'") end)
      List._use_query_predicate(saved)
      assert.is_true(ok)
      assert.equal(1, #res)
      assert.equal("b", res[1].id)
    end)

    it("are siqun's query language once siqun is loaded", function()
      require "siqun"
      local res = l:filter("id = 'b'")
      assert.equal(1, #res)
      assert.equal("b", res[1].id)
      assert.has_error(function() l:filter("id = ") end)
    end)
  end)

  describe("sort", function()
    it("sorts plain values naturally, ascending or descending", function()
      assert.same({ 1, 3, 5, 8, 8 }, items(List { 5, 3, 8, 1, 8 }:sort()))
      assert.same({ 8, 8, 5, 3, 1 }, items(List { 5, 3, 8, 1, 8 }:sort(nil, "desc")))
      assert.same({ "a", "b", "c" }, items(List { "c", "a", "b" }:sort()))
    end)

    it("orders mixed types deterministically: numbers, strings, booleans", function()
      assert.same({ 1, 2, "a", "b", false, true },
        items(List { "b", true, 2, "a", false, 1 }:sort()))
    end)

    it("takes a comparator", function()
      assert.same({ 8, 5, 3 }, items(List { 5, 8, 3 }:sort(function(a, b) return a > b end)))
    end)

    it("is stable", function()
      local l = List {
        { k = 2, n = "a" }, { k = 1, n = "b" }, { k = 2, n = "c" },
        { k = 1, n = "d" }, { k = 2, n = "e" },
      }
      local names = function(x) return table.concat(x:map(function(r) return r.n end):totable()) end
      assert.equal("bdace", names(l:sort("k")))
      assert.equal("acebd", names(l:sort("k", "desc")))
      assert.equal("bdace", names(l:sort(function(a, b) return a.k < b.k end)))
      -- an always-false comparator keeps the original order
      assert.equal("abcde", names(l:sort(function() return false end)))
    end)

    it("puts missing field values last in both directions", function()
      local l = List { { v = 2 }, {}, { v = 1 }, { v = 3 } }
      local vs = function(x)
        return table.concat(x:map(function(r) return tostring(r.v) end):totable(), ",")
      end
      assert.equal("1,2,3,nil", vs(l:sort("v")))
      assert.equal("3,2,1,nil", vs(l:sort("v", "desc")))
    end)

    it("rejects bad arguments", function()
      assert.has_error(function() List { 1 }:sort(42) end)
      assert.has_error(function() List { 1 }:sort("v", "down") end)
    end)
  end)

  describe("get", function()
    it("finds plain records by id, linearly", function()
      local l = List { { id = "a", v = 1 }, { id = "b", v = 2 } }
      local r, i = l:get("b")
      assert.equal(2, r.v)
      assert.equal(2, i)
      assert.is_nil(l:get("z"))
      assert.is_nil(List { 1, 2 }:get(1))
      assert.has_error(function() l:get(nil) end)
    end)
  end)

  describe("concat", function()
    it("joins Lists and arrays, without changing either", function()
      local a, b = List { 1, 2 }, List { 3 }
      assert.same({ 1, 2, 3 }, items(a:concat(b)))
      assert.same({ 1, 2, 3, 4 }, items(a:concat { 3, 4 }))
      assert.same({ 1, 2, 3 }, items(a .. b))
      assert.same({ 0, 1, 2 }, items({ 0 } .. a))
      assert.same({ 1, 2 }, items(a))
      assert.same({ 1, 2, 3 }, items(a:extend(b)))
      assert.has_error(function() return a .. "x" end)
    end)
  end)

  describe("tostring", function()
    it("says how many items", function()
      assert.equal("List of 3 items", tostring(List { 1, 2, 3 }))
      assert.equal("List of 1 item", tostring(List { 1 }))
      assert.equal("List of 0 items", tostring(List {}))
      assert.equal("List of 2 things", tostring(List.new({ 1, 2 }, { name = "things" })))
    end)
  end)

  describe("methods on a bad self", function()
    it("raise a clear error", function()
      local filter = List{}.filter
      assert.has_error(function() filter({}, function() end) end,
        "bad self to 'filter' (siqun.List expected, got table)")
    end)

    it("raise for every method and every kind of wrong self", function()
      local l = List{ 1, 2 }
      for name, f in pairs(List.methods) do
        for _, wrong in ipairs { false, 0, "x", {}, print, io.stdout, List } do
          local ok, err = pcall(f, wrong, 1)
          assert(not ok, name .. " accepted a " .. type(wrong))
          assert.matches("bad self to '.-' %(siqun%.List expected, got " .. type(wrong), err)
        end
        assert.is_function(l[name], name)
      end
    end)
  end)

  describe("bad arguments", function()
    local l = List{ 3, 1, 2 }
    -- method -> arguments that must raise (each a list of arguments)
    local BAD = {
      filter = { { nil }, { 1 }, { true } },
      find = { { nil }, { 1 }, { function() end, "x" }, { function() end, 1.5 },
               { function() end, {} } },
      map = { { nil }, { "x" }, { {} } },
      sort = { { 1 }, { true }, { nil, "up" } },
      at = { { nil }, { "1" }, { 1.5 } },
      get = { { nil } },
      concat = { { 1 }, { "x" }, { true } },
    }
    for name, cases in pairs(BAD) do
      it(name, function()
        for _, args in ipairs(cases) do
          local ok, err = pcall(l[name], l, compat.unpack(args, 1, 2))
          assert(not ok, name .. " accepted " .. tostring(args[1]) .. ", " .. tostring(args[2]))
          assert.is_string(err)
        end
      end)
    end

    it("new", function()
      assert.has_error(function() List.new({}, 5) end,
                       "bad argument #2 to 'new' (table expected, got number)")
      assert.has_error(function() List.new(5) end,
                       "bad argument #1 to 'new' (table expected, got number)")
    end)
  end)
end)

describe("siqun.List of records", function()
  local siqun = require "siqun"
  local art = assert(siqun.open())

  it("says what it holds", function()
    assert.equal("List of " .. #art.figures .. " figures", tostring(art.figures))
    local funds = art.figures:filter { category = "funds" }
    assert.equal("List of " .. #funds .. " figures", tostring(funds))
  end)

  it("gets a record by primary key, also from a derived list", function()
    local f = art.figures:find(function(x) return x.text == "35.5亿元" end)
    assert.is_not_nil(f)
    local g, i = art.figures:get(f.id)
    assert.equal(f, g)
    assert.equal(f, art.figures[i])
    local funds = art.figures:filter { category = "funds" }
    assert.equal(f, (funds:get(f.id)))
    -- a record outside the derived list is not found there
    local other = art.figures:find(function(x) return x.category ~= "funds" end)
    assert.is_nil(funds:get(other.id))
    assert.is_nil(art.figures:get("no such id"))
  end)

  it("gets members by their composite key (term, n)", function()
    local g = art.glossary:get("三同")
    local m, i = art.members:get(g.id, 2)
    assert.equal(g.id, m.term)
    assert.equal(2, m.n)
    assert.equal(m, art.members[i])
    assert.is_nil(art.members:get(g.id, 99))
  end)

  it("gets sections by their integer number", function()
    assert.equal(0, art.sections:get(0).number)
    assert.equal(2, art.sections:get(2).number)
    assert.equal(2, art.sections:get(2.0).number)
    assert.is_nil(art.sections:get(99))
  end)

  it("sorts records by a field, stably", function()
    local by_value = art.figures:sort("value", "desc")
    assert.equal(#art.figures, #by_value)
    for i = 2, #by_value do
      assert.is_true(by_value[i - 1].value >= by_value[i].value)
    end
    local by_section = art.figures:sort("section")
    for i = 2, #by_section do
      local a, b = by_section[i - 1], by_section[i]
      assert.is_true(a.section < b.section or
        (a.section == b.section and art.figures:index_of(a) < art.figures:index_of(b)))
    end
  end)

  it("filters records with table predicates", function()
    local over = art.figures:filter { qualifier = "over" }
    assert.is_true(#over > 0)
    for _, f in ipairs(over) do assert.equal("over", f.qualifier) end
  end)
end)
