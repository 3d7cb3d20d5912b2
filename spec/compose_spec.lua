-- siqun.compose: group_by, count, sum, avg, min, max, select, order_by and
-- join on siqun.List.  Expected values come from plain loops.

local compat = require "siqun.compat"
local ipairs, pairs = compat.ipairs, compat.pairs -- 5.3's ipairs and 5.2's pairs on every Lua (siqun.compat)
local siqun = require "siqun"
local List = require "siqun.list"
local query = require "siqun.query"
local compose = require "siqun.compose"

local art = assert(siqun.open())

local function ids(l)
  local out = {}
  for i, r in ipairs(l) do out[i] = r.id end
  return out
end

local function stable_sort(arr, less)
  local idx = {}
  for i = 1, #arr do idx[i] = i end
  table.sort(idx, function(i, j)
    if less(arr[i], arr[j]) then return true end
    if less(arr[j], arr[i]) then return false end
    return i < j
  end)
  local out = {}
  for k, i in ipairs(idx) do out[k] = arr[i] end
  return out
end

local function bare(msg) return (msg:gsub("^[^\n]-:%d+: ", "")) end

describe("siqun.compose", function()
  local added

  setup(function()
    added = compose.install(List)
  end)

  teardown(function()
    for _, name in ipairs(added) do List.methods[name] = nil end
  end)

  it("installs its methods on List without replacing existing ones", function()
    local names = {}
    for name in pairs(compose.methods) do names[#names + 1] = name end
    table.sort(names)
    for _, name in ipairs(names) do assert.is_function(List.methods[name], name) end
    local fake = { methods = { count = "theirs" } }
    local got = compose.install(fake)
    assert.equal("theirs", fake.methods.count)
    assert.is_function(fake.methods.join)
    for _, name in ipairs(got) do assert.is_not.equal("count", name) end
    assert.has_error(function() compose.install({}) end)
  end)

  describe("group_by", function()
    it("groups by a field in first-seen order; items keep order and get()", function()
      local groups = art.figures:group_by("unit")
      local order, by = {}, {}
      for _, f in ipairs(art.figures) do
        local k = f.unit == nil and "\0" or f.unit
        if not by[k] then
          by[k] = {}
          order[#order + 1] = k
        end
        table.insert(by[k], f.id)
      end
      assert.equal(#order, #groups)
      for i, g in ipairs(groups) do
        local k = g.key == nil and "\0" or g.key
        assert.equal(order[i], k)
        assert.same(by[k], ids(g.items))
        assert.is_true(List.is_list(g.items))
        assert.equal(g.items[1], g.items:get(g.items[1].id))
      end
      assert.equal("List of " .. #order .. " groups", tostring(groups))
      assert.has_error(function() groups[1].key = 1 end)
    end)

    it("groups by a function of the item and its index", function()
      local groups = art.figures:group_by(function(f) return f.value >= 100000 end)
      assert.equal(2, #groups)
      local total = 0
      for _, g in ipairs(groups) do
        for _, f in ipairs(g.items) do assert.equal(g.key, f.value >= 100000) end
        total = total + #g.items
      end
      assert.equal(#art.figures, total)
      local parity = List { "a", "b", "c" }:group_by(function(_, i) return i % 2 end)
      assert.same({ "a", "c" }, parity[1].items:totable())
    end)

    it("treats 1 and 1.0 as one key", function()
      local g = List { { k = 1 }, { k = 1.0 }, { k = 2 } }:group_by("k")
      assert.equal(2, #g)
      assert.equal(2, #g[1].items)
    end)
  end)

  describe("count, sum, avg, min, max", function()
    it("count with no predicate, a function, a table or a condition", function()
      assert.equal(#art.figures, art.figures:count())
      local n = 0
      for _, f in ipairs(art.figures) do
        if f.value > 1000000 then n = n + 1 end
      end
      assert.equal(n, art.figures:count(function(f) return f.value > 1000000 end))
      assert.equal(n, art.figures:count("value > 100万"))
      local m = 0
      for _, f in ipairs(art.figures) do
        if f.section == 2 then m = m + 1 end
      end
      assert.equal(m, art.figures:count({ section = 2 }))
    end)

    it("sum and avg of a field or a function, skipping non-numbers", function()
      local s, n = 0, 0
      for _, f in ipairs(art.figures) do
        if f.unit == "元" then s, n = s + f.value, n + 1 end
      end
      local yuan = art.figures:filter(function(f) return f.unit == "元" end)
      assert.equal(s, yuan:sum("value"))
      assert.equal(s / n, yuan:avg("value"))
      assert.equal(2 * s, yuan:sum(function(f) return 2 * f.value end))
      assert.equal(3, List { 1, "x", 2 }:sum(function(v) return v end))
      assert.equal(0, List {}:sum("value"))
      assert.is_nil(List {}:avg("value"))
    end)

    it("min and max return the value, the first item holding it and its index", function()
      local best, bi
      for i, f in ipairs(art.figures) do
        if best == nil or f.value > best.value then best, bi = f, i end
      end
      local v, item, i = art.figures:max("value")
      assert.equal(best.value, v)
      assert.equal(best, item)
      assert.equal(bi, i)
      local low
      for _, q in ipairs(art.quotas) do
        if q.min ~= nil and (low == nil or q.min < low) then low = q.min end
      end
      assert.equal(low, (art.quotas:min("min"))) -- nil values skipped
      assert.is_nil(List {}:max("value"))
      assert.equal("a", (List { "b", "a", "c" }:min(function(x) return x end)))
    end)

    it("check field names against the records' table", function()
      local ok, err = pcall(function()
        local x = art.figures:sum("vale")
        return x
      end)
      assert.is_false(ok)
      assert.matches("compose_spec%.lua:%d+: unknown field 'vale' in figures %(did you mean 'value'%?%)",
                     err)
      assert.has_error(function() art.figures:sum(42) end,
        "bad argument #1 to 'sum' (field name or function expected, got number)")
    end)

    it("report query errors in condition strings at the caller's level", function()
      local ok, err = pcall(function()
        local x = art.figures:count("value >")
        return x
      end)
      assert.is_false(ok)
      assert.matches("compose_spec%.lua:%d+: query error at 8: expected", err)
    end)
  end)

  describe("select", function()
    it("makes rows of the given fields, in order", function()
      local rows = art.glossary:select("term", "members", "count")
      assert.equal(#art.glossary, #rows)
      for i, g in ipairs(art.glossary) do
        assert.equal(g.term, rows[i].term)
        assert.same(g.members:totable(), rows[i].members:totable())
        assert.equal(g.count, rows[i].count)
      end
      assert.same({ "term", "members", "count" }, query.columns(rows[1]):totable())
    end)

    it("rejects unknown and duplicate fields", function()
      assert.equal("unknown field 'trem' in glossary (did you mean 'term'?)",
        bare(select(2, pcall(function()
          local r = art.glossary:select("trem")
          return r
        end))))
      assert.has_error(function() art.glossary:select("term", "term") end)
      assert.has_error(function() art.glossary:select() end)
    end)
  end)

  describe("order_by", function()
    local function want_section_desc_value()
      return ids(stable_sort(art.figures:totable(), function(a, b)
        if a.section ~= b.section then return a.section > b.section end
        return a.value < b.value
      end))
    end

    it("sorts by several keys with directions", function()
      local want = want_section_desc_value()
      assert.same(want, ids(art.figures:order_by("section", "desc", "value")))
      assert.same(want, ids(art.figures:order_by("section", "desc", "value", "asc")))
      assert.same(want, ids(art.figures:order_by("section desc, value")))
      assert.same(want, ids(art.figures:order_by(function(f) return -f.section end, "value")))
    end)

    it("is stable and keeps nil last in both directions", function()
      local asc = art.quotas:order_by("activity")
      assert.same(ids(stable_sort(art.quotas:totable(), function(a, b)
        return a.activity < b.activity
      end)), ids(asc))
      for _, dir in ipairs { "asc", "desc" } do
        local l = art.quotas:order_by("min", dir)
        local seen_nil = false
        for _, q in ipairs(l) do
          if q.min == nil then seen_nil = true else assert.is_false(seen_nil) end
        end
      end
    end)

    it("keeps the list's source (get works) and rejects bad keys", function()
      local l = art.figures:order_by("value")
      assert.equal(art.figures:get("study_books"), l:get("study_books"))
      assert.has_error(function() art.figures:order_by("desc") end)
      assert.has_error(function() art.figures:order_by("vale") end)
      local ok, err = pcall(function()
        local r = art.figures:order_by("value desc, , id")
        return r
      end)
      assert.is_false(ok)
      assert.matches("query error at 13: expected a field name", err)
    end)
  end)

  describe("join", function()
    it("joins figures with their sections; clashing fields get the table name", function()
      local rows = art.figures:join(art.sections, "section = number")
      assert.equal(#art.figures, #rows)
      local cols = query.columns(rows[1]):totable()
      local has = {}
      for _, c in ipairs(cols) do has[c] = true end
      for _, c in ipairs { "id", "value", "heading", "theme", "figures_start", "sections_start",
                           "figures_end", "sections_end", "section", "number" } do
        assert.is_true(has[c], c)
      end
      assert.is_nil(has.start)
      for i, f in ipairs(art.figures) do
        local s = art.sections:get(f.section)
        assert.equal(f.id, rows[i].id)
        assert.equal(s.heading, rows[i].heading)
        assert.equal(f.start, rows[i].figures_start)
        assert.equal(s.start, rows[i].sections_start)
      end
    end)

    it("takes the two field names separately, or a function", function()
      local a = art.figures:join(art.sections, "section = number")
      local b = art.figures:join(art.sections, "section", "number")
      local c = art.figures:join(art.sections, function(f, s) return f.section == s.number end)
      for i = 1, #a do
        assert.equal(a[i].heading, b[i].heading)
        assert.equal(a[i].heading, c[i].heading)
        assert.equal(a[i].id, c[i].id)
      end
    end)

    it("joins terms with the figures of the same section (shared key kept once)", function()
      local rows = art.glossary:join(art.figures, "section")
      local want = {}
      for _, g in ipairs(art.glossary) do
        for _, f in ipairs(art.figures) do
          if g.section == f.section then want[#want + 1] = { g.term, f.text, g.section } end
        end
      end
      assert.equal(#want, #rows)
      for i, w in ipairs(want) do
        assert.same(w, { rows[i].term, rows[i].text, rows[i].section })
      end
      local cols = query.columns(rows[1]):totable()
      local n = 0
      for _, c in ipairs(cols) do
        if c == "section" then n = n + 1 end
      end
      assert.equal(1, n)
      assert.is_true(List.is_list(rows[1].members))
    end)

    it("keeps unmatched items with left = true, and names the sides", function()
      local a = List { { id = "x", k = 1 }, { id = "y", k = 2 }, { id = "z" } }
      local b = List { { id = "p", k = 1 }, { id = "q", k = 1 } }
      local inner = a:join(b, "k")
      assert.same({ "x", "x" }, { inner[1].left_id, inner[2].left_id })
      assert.same({ "p", "q" }, { inner[1].right_id, inner[2].right_id })
      local outer = a:join(b, "k", { left = true, names = { "a", "b" } })
      assert.equal(4, #outer)
      assert.same({ "x", "x", "y", "z" },
        { outer[1].a_id, outer[2].a_id, outer[3].a_id, outer[4].a_id })
      assert.is_nil(outer[3].b_id)
      assert.is_nil(outer[4].k) -- nil keys never match, but the item is kept
    end)

    it("rejects conditions other than field = field and unknown fields", function()
      assert.has_error(function() art.figures:join(art.sections, "section < number") end)
      local ok, err = pcall(function()
        local r = art.figures:join(art.sections, "section = numbr")
        return r
      end)
      assert.is_false(ok)
      assert.matches("compose_spec%.lua:%d+: unknown field 'numbr' in sections", err)
      assert.has_error(function() art.figures:join(42, "section") end)
      assert.has_error(function() art.figures:join(art.sections, 42) end)
    end)
  end)

  it("chains, with query conditions as predicates", function()
    local groups = art.figures:filter(function(f) return f.section == 2 end)
      :order_by("value", "desc")
      :group_by("category")
    local want_first
    for _, f in ipairs(stable_sort(art.figures:totable(), function(a, b) return a.value > b.value end)) do
      if f.section == 2 then want_first = f.category break end
    end
    assert.equal(want_first, groups[1].key)
    local n = 0
    for _, f in ipairs(art.figures) do
      if f.section == 2 and f.unit == "元" then n = n + 1 end
    end
    assert.equal(n, art.figures:count("section = 2 and unit = '元'"))
    local total = 0
    for _, g in ipairs(groups) do total = total + #g.items end
    assert.equal(art.figures:count({ section = 2 }), total)
    assert.equal(n, groups:map(function(g) return g.items:count("unit = '元'") end):sum(
      function(x) return x end))
  end)
end)
