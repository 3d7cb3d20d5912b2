-- siqun.query, issue 12 item 6: group by a list-valued field, integer sums
-- that never wrap, bounded 'in' lists, len(), between, and hints for SQL
-- habits.  Expected results are computed here with plain loops.

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua (siqun.compat)
local siqun = require "siqun"
local query = require "siqun.query"
local files = require "spec.helper.files"
local List = siqun.List
local utf8 = compat.utf8

teardown(files.cleanup)

local art = assert(siqun.open())

-- the first line of a query error, without a "file:line: " prefix
local function first_line(msg)
  return (tostring(msg):gsub("^[^\n]-:%d+: ", ""):match("^[^\n]*"))
end

-- the error of a query that must fail (on art by default)
local function err_of(q, a)
  local r, err = siqun.safe.query(a or art, q)
  assert.is_nil(r, "query should have failed: " .. q)
  return err
end

local function ids(l)
  local out = {}
  for i, r in ipairs(l) do out[i] = r.id end
  return out
end

local function where(list, keep)
  local out = {}
  for _, r in ipairs(list) do
    if keep(r) then out[#out + 1] = r.id end
  end
  return out
end

-- A copy of the fixture with a resource "readings" (id string, x integer)
-- holding the given x values (strings, as written in the CSV), opened.
local function readings(xs)
  local dir = files.fixture(function(t)
    t["datapackage.json"] = files.replace(t["datapackage.json"], '"resources": [',
      '"resources": [ { "name": "readings", "path": "readings.csv", "schema": { "fields": ['
      .. '{ "name": "id", "type": "string" }, { "name": "x", "type": "integer" } ] } },')
    local csv = { "id,x" }
    for i, x in ipairs(xs) do csv[#csv + 1] = "r" .. i .. "," .. x end
    t["readings.csv"] = table.concat(csv, "\n") .. "\n"
  end)
  return assert(siqun.open(dir))
end

-- An Article look-alike whose one table t is the List of the given items.
local function fake(items)
  local l = List.new(items)
  return { table = function(_, name) if name == "t" then return l end end }
end

-- Members of a glossary record joined, an identity of its list by value.
local function members_id(g)
  local t = {}
  for i, m in ipairs(g.members) do t[i] = m end
  return #t .. "\0" .. table.concat(t, "\0")
end

describe("group by a list-valued field", function()
  it("groups glossary terms whose members are equal item by item", function()
    local want, order = {}, {}
    for _, g in ipairs(art.glossary) do
      local k = members_id(g)
      if not want[k] then want[k] = 0; order[#order + 1] = k end
      want[k] = want[k] + 1
    end
    local rows = art:query("glossary group by members select members, count() as n")
    assert.equal(#order, #rows)
    assert.is_true(#rows < #art.glossary) -- (the terms without members are one group)
    for i, r in ipairs(rows) do
      assert.is_true(List.is_list(r.members), "the key is a List, not a string")
      local t = {}
      for j, m in ipairs(r.members) do t[j] = m end
      assert.equal(order[i], #t .. "\0" .. table.concat(t, "\0"))
      assert.equal(want[order[i]], r.n)
    end
  end)

  it("puts equal Lists that are different objects in one group, in query and compose", function()
    local items = {
      { m = List.new { "a", "b" } }, { m = List.new { "a", "b" } }, { m = List.new { "a" } },
      { m = List.new { "b", "a" } }, { m = List.new {} }, { m = List.new {} },
      { m = List.new { "a", "b" } },
    }
    local rows = query.run(fake(items), "t group by m")
    local got = {}
    for i, r in ipairs(rows) do got[i] = table.concat(r.m:totable(), "+") .. "=" .. r.count end
    assert.same({ "a+b=3", "a=1", "b+a=1", "=2" }, got)
    local groups = List.new(items):group_by("m")
    got = {}
    for i, g in ipairs(groups) do got[i] = table.concat(g.key:totable(), "+") .. "=" .. #g.items end
    assert.same({ "a+b=3", "a=1", "b+a=1", "=2" }, got)
    assert.equal(items[1].m, groups[1].key) -- the first List seen is the key
  end)

  it("keys Lists by their items' values (1 and 1.0 alike; '1' apart)", function()
    local items = { { m = List.new { 1, "x" } }, { m = List.new { 1.0, "x" } },
                    { m = List.new { "1", "x" } } }
    assert.equal(2, #query.run(fake(items), "t group by m"))
    assert.equal(2, #List.new(items):group_by("m"))
  end)

  it("tells integers apart by every digit, in query and compose (5.1: '..' kept 14)", function()
    local a = readings { "123456789012341", "123456789012342", "123456789012341" }
    local rows = a:query("readings group by x select x, count() as n")
    assert.equal(2, #rows)
    assert.equal(123456789012341, rows[1].x)
    assert.equal(2, rows[1].n)
    assert.equal(2, #a.readings:group_by("x"))
  end)

  it("sorts Lists the same way in query, List:sort and List:order_by (the one order)", function()
    local items = {
      { id = 1, m = List.new { "b" } }, { id = 2, m = List.new { "a", "b", "c", "d", "e", "f",
      "g", "h", "i", "j" } }, { id = 3, m = List.new { "a", "c" } }, { id = 4, m = List.new {} },
      { id = 5, m = List.new { "a", "b" } }, { id = 6 }, { id = 7, m = List.new { "a" } },
    }
    local want = { 4, 7, 1, 5, 3, 2, 6 } -- by length, then items; nil last
    assert.same(want, ids(query.run(fake(items), "t order by m")))
    assert.same(want, ids(List.new(items):sort("m")))
    assert.same(want, ids(List.new(items):order_by("m")))
    local glossary = ids(art:query("glossary order by members desc, id"))
    assert.same(glossary, ids(art.glossary:order_by("members", "desc", "id")))
    local by_sort = ids(art.glossary:sort("id"):sort("members", "desc"))
    assert.same(glossary, by_sort)
  end)

  it("orders groups by their List keys, and shows len()", function()
    local rows = art:query("glossary group by members select members, len(members) as n "
                           .. "order by n desc limit 2")
    assert.equal(6, rows[1].n)
    assert.equal(6, #rows[1].members)
  end)
end)

describe("integer sums", function()
  if compat.integers then
    local max, min = math.maxinteger, math.mininteger

    it("raise 'integer overflow' where the sum would wrap round, at the aggregate", function()
      local a = readings { tostring(max), tostring(max), "1" }
      local err = err_of("readings select count(), sum(x)", a)
      assert.equal(("query error at 26: integer overflow in sum(x): its integers add up "
                    .. "beyond ±%d"):format(max), first_line(err))
      assert.matches("\n" .. (" "):rep(25) .. "%^$", err)
      local two = readings { tostring(max), "1" }
      assert.equal("query error at 17: integer overflow in sum(x): its integers add up beyond "
                   .. "±" .. max, first_line(err_of("readings having sum(x) > 1 select count()", two)))
      assert.equal("query error at 34: integer overflow in sum(x): its integers add up beyond "
                   .. "±" .. max, first_line(err_of("readings select count() order by sum(x)", two)))
      local neg = readings { tostring(min), "-1" }
      assert.matches("integer overflow in sum%(x%)", err_of("readings select sum(x)", neg))
    end)

    it("stay exact integers up to the edge", function()
      local a = readings { tostring(max - 1), "1", "-5", "5" }
      local r = a:query("readings select sum(x), avg(x)")[1]
      assert.equal("integer", math.type(r.sum_x))
      assert.equal(max, r.sum_x)
      assert.equal(readings({ tostring(min + 1), "-1" }):query("readings select sum(x)")[1].sum_x, min)
    end)

    it("give avg exactly where the sum overflows", function()
      -- (2 * max + 1) / 3 = (2^64 - 1) / 3 = 6148914691236517205, an integer
      local a = readings { tostring(max), tostring(max), "1" }
      local r = a:query("readings select avg(x)")[1]
      assert.equal(6148914691236517205 + 0.0, r.avg_x)
      assert.equal(max + 0.0, readings({ tostring(max), tostring(max) })
                                :query("readings select avg(x)")[1].avg_x)
      assert.equal(min + 0.0, readings({ tostring(min), tostring(min) })
                                :query("readings select avg(x)")[1].avg_x)
    end)

    it("are floats, never an error, with a float among the numbers", function()
      local l = List.new { { v = max }, { v = max }, { v = 0.5 } }
      assert.equal("float", math.type(l:sum("v")))
      assert.is_true(l:sum("v") > 1.8e19)
    end)

    it("raise in List:sum, and List:avg is exact", function()
      local l = List.new { { v = max }, { v = max }, { v = 1 } }
      local ok, err = pcall(function() local s = l:sum("v"); return s end)
      assert.is_false(ok)
      assert.matches("query_more_spec%.lua:%d+: integer overflow in sum: the integers add up beyond", err)
      assert.equal(6148914691236517205 + 0.0, l:avg("v"))
      assert.equal(max, List.new({ { v = max - 2 }, { v = 2 } }):sum("v"))
    end)
  else
    -- numbers are doubles: integers are exact below 2^53 (compat.math_type)
    local big = 2 ^ 52 + 1

    it("raise 'integer overflow' where the sum would reach 2^53 and lose digits", function()
      local a = readings { ("%.0f"):format(big), ("%.0f"):format(big) }
      assert.equal(("query error at 17: integer overflow in sum(x): its integers add up "
                    .. "beyond ±%.0f"):format(2 ^ 53 - 1),
                   first_line(err_of("readings select sum(x)", a)))
      assert.equal(big, a:query("readings select avg(x)")[1].avg_x)
      local ok, err = pcall(function() return a.readings:sum("x") end)
      assert.is_false(ok)
      assert.matches("integer overflow in sum", err)
      assert.equal(big, a.readings:avg("x"))
    end)

    it("stay exact below 2^53, and floats add up as floats", function()
      local a = readings { ("%.0f"):format(2 ^ 52), ("%.0f"):format(2 ^ 52 - 1) }
      assert.equal(2 ^ 53 - 1, a:query("readings select sum(x)")[1].sum_x)
      assert.equal(2 ^ 60, List.new({ { v = 2 ^ 59 }, { v = 2 ^ 59 } }):sum("v"))
    end)
  end
end)

describe("'in' lists", function()
  local function values(n) return ("1, "):rep(n - 1) .. "1" end

  it("take 1000 values", function()
    local r = art:query("figures where section in (" .. values(999) .. ", 3)")
    assert.same(where(art.figures, function(f) return f.section == 1 or f.section == 3 end), ids(r))
  end)

  it("refuse a 1001st value in a query, pointing at its list", function()
    local q = "figures where section in (" .. values(1001) .. ")"
    assert.equal("query error at 26: 'in' list too long (more than 1000 values in the 'in' "
                 .. "lists of a query)", first_line(err_of(q)))
    q = "figures where section in (" .. values(600) .. ") or value not in (" .. values(401) .. ")"
    local at = #("figures where section in (" .. values(600) .. ") or value not in ")
    assert.equal("query error at " .. (at + 1) .. ": 'in' list too long",
                 first_line(err_of(q)):match("^[^(]*list too long"))
  end)

  it("stop reading the query at the limit (a million values are not read)", function()
    -- the malformed number after the 1001st value is never reached
    local q = "figures where section in (" .. values(1001) .. ", 100abc" .. (", 1"):rep(1000000) .. ")"
    assert.matches("'in' list too long", first_line(err_of(q)))
    local p = siqun.safe.predicate("x in (" .. values(1001) .. ", @)")
    assert.is_nil(p)
  end)

  it("bound select, group by and order by lists too", function()
    local cols = {}
    for i = 1, 1001 do cols[i] = "id as c" .. i end
    local at = #("figures select " .. table.concat(cols, ", ", 1, 1000) .. ", ") + 1
    assert.equal("query error at " .. at .. ": too many columns and keys (more than 1000 in "
                 .. "select, group by and order by)",
                 first_line(err_of("figures select " .. table.concat(cols, ", "))))
    assert.matches("too many columns and keys",
                   err_of("figures order by " .. ("id, "):rep(1000) .. "id"))
    assert.is_not_nil(siqun.safe.query(art, "figures order by " .. ("id, "):rep(999) .. "id"))
  end)
end)

describe("len()", function()
  it("counts the items of a List and the code points of a string", function()
    local rows = art:query("glossary select id, len(members), len(term) as n")
    assert.same({ "id", "len_members", "n" }, query.columns(rows[1]):totable())
    for i, g in ipairs(art.glossary) do
      assert.equal(#g.members, rows[i].len_members)
      assert.equal(utf8.len(g.term), rows[i].n)
    end
  end)

  it("works in where, order by and having", function()
    assert.same(where(art.glossary, function(g) return #g.members >= 4 end),
                ids(art:query("glossary where len(members) >= 4")))
    assert.same(where(art.glossary, function(g) return utf8.len(g.term) == 2 end),
                ids(art.glossary:filter("len(term) = 2")))
    local sorted = art:query("glossary order by len(term) desc, id")
    for i = 2, #sorted do
      local a, b = utf8.len(sorted[i - 1].term), utf8.len(sorted[i].term)
      assert.is_true(a > b or (a == b and sorted[i - 1].id < sorted[i].id))
    end
    local by_alias = art:query("glossary select id, len(term) as n order by n desc, id")
    assert.same(ids(sorted), ids(by_alias))
    local groups = art:query("glossary group by members having len(members) >= 4 "
                             .. "select members, count() as n")
    local want = {}
    for _, g in ipairs(art.glossary) do
      if #g.members >= 4 then want[members_id(g)] = true end
    end
    local n = 0
    for _ in pairs(want) do n = n + 1 end
    assert.equal(n, #groups)
    for _, r in ipairs(groups) do assert.is_true(#r.members >= 4) end
  end)

  it("is nil (unknown) for a number or nil, and a field name without '('", function()
    assert.equal(0, #art:query("figures where len(value) >= 0"))
    assert.equal(#art.figures, #art:query("figures where len(value) is nil"))
    assert.equal("query error at 15: unknown field 'len' in figures",
                 first_line(err_of("figures where len > 1")))
    assert.equal("query error at 33: field 'term' must be in group by or inside an aggregate",
                 first_line(err_of("glossary group by id select len(term)")))
  end)
end)

describe("between", function()
  local function check(cond, keep)
    assert.same(where(art.figures, keep), ids(art:query("figures where " .. cond)), cond)
  end

  it("is inclusive, with numbers and Chinese quantities", function()
    check("value between 100万 and 1亿", function(f) return f.value and f.value >= 1e6 and f.value <= 1e8 end)
    check("section between 1 and 2", function(f) return f.section >= 1 and f.section <= 2 end)
    check("value between 12万 and 120000", function(f) return f.value == 120000 end)
    assert.is_true(#art:query("figures where value between 12万 and 120000") > 0)
  end)

  it("binds tighter than 'and', and 'not between' is its complement among non-nil", function()
    check("value between 1 and 100万 and unit = '名'", function(f)
      return f.value and f.value >= 1 and f.value <= 1e6 and f.unit == "名"
    end)
    check("unit = '名' or value between 1 and 10 and section = 3", function(f)
      return f.unit == "名" or (f.value and f.value >= 1 and f.value <= 10 and f.section == 3)
    end)
    check("value not between 100 and 100万", function(f)
      return f.value and (f.value < 100 or f.value > 1e6)
    end)
    check("not value between 100 and 100万", function(f)
      return f.value and (f.value < 100 or f.value > 1e6)
    end)
  end)

  it("compares strings in code-point order, and leaves nil out both ways", function()
    check("unit between '个' and '名'", function(f) return f.unit and f.unit >= "个" and f.unit <= "名" end)
    check("unit not between '个' and '名'", function(f) return f.unit and (f.unit < "个" or f.unit > "名") end)
    assert.is_true(#art:query("figures where unit is nil") > 0)
  end)

  it("needs its 'and'", function()
    assert.equal("query error at 30: expected 'and' near ', 5'", first_line(err_of("figures where value between 1, 5")))
  end)
end)

describe("SQL habits", function()
  it("'select ... from' is refused with the query rewritten, which runs", function()
    local q = "select id, text from figures where value > 100万 order by value desc"
    local msg = first_line(err_of(q))
    assert.equal("query error at 1: queries start with the table, not with 'select ... from' "
                 .. "(try: figures where value > 100万 order by value desc select id, text)", msg)
    local try = msg:match("%(try: (.*)%)$")
    local a, b = art:query(try), art:query("figures where value > 100万 order by value desc")
    assert.same(ids(b), ids(a))
    assert.matches("%(try: figures select %*%)$", first_line(err_of("SELECT * FROM figures")))
    assert.matches("%(try: figures where value > 5 select id%)$",
                   first_line(err_of("select id from figures where value > 5;")))
    assert.matches("%(for example: figures where value > 100万 select id, text%)$",
                   first_line(err_of("select distinct id from figures")))
  end)

  it("C operators and a final ';' get a hint", function()
    assert.equal("query error at 22: unexpected character '&' (use 'and')",
                 first_line(err_of("figures where id = 1 && section = 2")))
    assert.equal("query error at 22: unexpected character '|' (use 'or')",
                 first_line(err_of("figures where id = 1 || section = 2")))
    assert.equal("query error at 15: unexpected character '!' (use 'not', or '!=' to compare)",
                 first_line(err_of("figures where !(id = 1)")))
    assert.equal("query error at 21: unexpected character ';' (a query does not end in ';')",
                 first_line(err_of("figures where id = 1;")))
  end)

  it("'like' points at ~", function()
    assert.equal("query error at 21: 'like' is not supported (use ~ \"cadre\": true when "
                 .. "the text contains it, ignoring case)",
                 first_line(err_of("figures where label LIKE '%cadre%'")))
    assert.matches("%(use ~ \"text\"", first_line(err_of("figures where label not like 'a_b'")))
  end)

  it("'is null' is 'is nil'", function()
    assert.same(ids(art:query("figures where unit is nil")), ids(art:query("figures where unit IS NULL")))
    assert.same(ids(art:query("figures where unit is not nil")),
                ids(art:query("figures where unit is not null")))
  end)
end)

describe("the message of an error in a long query", function()
  it("shows the part around the place, not the whole query", function()
    local values = {}
    for i = 1, 3000 do values[i] = tostring(i) end
    local q = "figures where id = 'x' or " .. ("section = 1 or "):rep(500) .. "vale > 1"
    local err = err_of(q)
    assert.is_true(#err < 400, #err)
    local line, caret = err:match("\n([^\n]*)\n([^\n]*)$")
    assert.equal("...", line:sub(1, 3))
    assert.equal("vale > 1", line:sub(#caret))
    local big = err_of("figures where id in (" .. table.concat(values, ",") .. ")")
    assert.is_true(#big < 400, #big)
    assert.matches("%.%.%.\n *%^$", big)
  end)
end)
