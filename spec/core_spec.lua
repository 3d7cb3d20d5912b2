-- siqun.core, the C binding: Dataset, Table and Record userdata on the
-- fixture dataset (spec/fixtures/valid, an invented town bulletin whose
-- source text is spec/fixtures/source.txt), plus the embedded dataset.

local compat = require "siqun.compat"
local utf8 = compat.utf8
local ipairs, pairs = compat.ipairs, compat.pairs -- 5.3's ipairs and 5.2's pairs on every Lua (siqun.compat)
local core = require "siqun.core"

local FIXTURE = "spec/fixtures/valid"

local read = require("spec.helper.files").read

local SOURCE = read("spec/fixtures/source.txt")
local NINE = { "meta", "sections", "figures", "quotas", "glossary", "members", "places",
               "people", "events" }

local function open()
  return assert(core.open(FIXTURE))
end

-- A Record reads its fields in C until it has been read more times than it
-- has fields; then it is promoted: its own metatable, whose __index is the
-- table of its values (lsq_hot.c).  heat(r, t) reads a field of r (a
-- record of Table t) until then, checks it and returns r.
local function cold(r) return type(debug.getmetatable(r).__index) == "function" end
local function heat(r, t)
  local name = t:fields()[1].name
  for _ = 1, #t:fields() + 1 do local _ = r[name] end
  assert(type(debug.getmetatable(r).__index) == "table", "not promoted")
  return r
end

describe("core", function()
  it("has a version and the binding's functions", function()
    assert.matches("^siqun%.core %d+%.%d+%.%d+$", core._VERSION)
    for _, k in ipairs { "open", "quantity", "scan", "sha256", "type", "record_table" } do
      assert.is_function(core[k], k)
    end
    for _, k in ipairs { "record_methods", "record_getters", "table_methods" } do
      assert.is_table(core[k], k)
    end
  end)

  it("opens the embedded dataset without an argument", function()
    local ds, err = core.open()
    assert.is_not_nil(ds, err)
    local names = {}
    for _, n in ipairs(ds:tables()) do names[n] = true end
    for _, n in ipairs(NINE) do assert.is_true(names[n], n) end
    assert.equal(64, #ds:source_info().sha256)
  end)

  it("returns nil and a message for a bad directory, raises for misuse", function()
    local ds, err = core.open("/nonexistent/siqun")
    assert.is_nil(ds)
    assert.equal("/nonexistent/siqun: No such file or directory", err)
    assert.has_error(function() core.open(42) end,
                     "bad argument #1 to 'open' (string expected, got number)")
    assert.has_error(function() core.open({}) end)
  end)

  it("computes SHA-256", function()
    assert.equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                 core.sha256("abc"))
    assert.equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                 core.sha256(""))
    assert.equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
                 core.sha256(("a"):rep(1000000)))
  end)
end)

describe("a Dataset", function()
  local ds = open()

  it("lists its tables in descriptor order", function()
    assert.same(NINE, ds:tables())
    assert.equal("siqun.Dataset (9 tables)", tostring(ds))
  end)

  it("gives a table by name, the same userdata each time", function()
    local t = ds:table("figures")
    assert.equal("userdata", type(t))
    assert.is_true(rawequal(t, ds:table("figures")))
    assert.has_error(function() ds:table("nope") end, "unknown table 'nope'")
    assert.has_error(function() ds:table(1) end)
  end)

  it("reports its source", function()
    local info = ds:source_info()
    assert.equal(core.sha256(SOURCE), info.sha256)
    assert.equal(#SOURCE, info.bytes)
    assert.equal(utf8.len(SOURCE), info.codepoints)
  end)

  it("refuses misuse with the type's name", function()
    assert.has_error(function() ds.table({}, "figures") end,
                     "bad argument #1 to 'table' (siqun.Dataset expected, got table)")
    assert.has_error(function() ds.tables(ds:table("figures")) end,
                     "bad argument #1 to 'tables' (siqun.Dataset expected, got siqun.Table)")
  end)

  it("closes once, idempotently, and refuses use afterwards", function()
    local d = open()
    local t = d:table("figures")
    local r = t[1]
    d:close()
    d:close()
    debug.getmetatable(d).__gc(d)
    assert.equal("siqun.Dataset (closed)", tostring(d))
    assert.has_error(function() d:tables() end, "attempt to use a closed siqun.Dataset")
    assert.has_error(function() return t[1] end, "attempt to use a closed siqun.Dataset")
    assert.has_error(function() return r.text end, "attempt to use a closed siqun.Dataset")
    assert.has_error(function() return #t end, "attempt to use a closed siqun.Dataset")
    assert.equal("siqun.Record (closed)", tostring(r))
    if compat.lua_num >= 504 then
      -- `local x <close>` does not parse before Lua 5.4: compiled here only
      assert(load([[
        local open, assert = ...
        do
          local d2 <close> = open()
          assert.equal(9, #d2:tables())
        end
      ]]))(open, assert)
    else
      -- before 5.4 nothing calls __close by itself: call it as <close> would
      local d2 = open()
      assert.equal(9, #d2:tables())
      debug.getmetatable(d2).__close(d2)
      assert.equal("siqun.Dataset (closed)", tostring(d2))
    end
  end)
end)

describe("a Table", function()
  local ds = open()
  local figures = ds:table("figures")

  it("has a length, a name, and 1-based records", function()
    assert.equal(3, #figures)
    assert.equal("figures", figures:name())
    assert.equal("siqun.Table figures (3 rows)", tostring(figures))
    assert.equal("sessions", figures[1].id)
    assert.equal("books", figures[3].id)
    assert.is_nil(figures[0])
    assert.is_nil(figures[4])
    assert.is_nil(figures[-1])
    assert.is_nil(figures[1.5])
    assert.equal("sessions", figures[1.0].id)
  end)

  it("works with ipairs", function()
    local ids = {}
    for i, r in ipairs(figures) do ids[i] = r.id end
    assert.same({ "sessions", "readers", "books" }, ids)
  end)

  it("finds a record by primary key", function()
    assert.equal("1.5万册", figures:get("books").text)
    assert.is_nil(figures:get("nothing"))
    local sections = ds:table("sections")
    assert.equal("一、读书月", sections:get(1).heading)
    assert.equal("一、读书月", sections:get("1").heading)
    assert.equal("一、读书月", sections:get(1.0).heading)
    assert.is_nil(sections:get(7))
    assert.is_nil(sections:get(1.5))
    assert.is_nil(ds:table("members"):get("san_jian_shi")) -- composite key
    assert.has_error(function() figures:get(true) end,
                     "bad argument #1 to 'get' (string or integer expected, got boolean)")
    assert.has_error(function() figures.get({}, "books") end,
                     "bad argument #1 to 'get' (siqun.Table expected, got table)")
  end)

  it("describes its fields, derived ones last", function()
    local fields = figures:fields()
    assert.same({ name = "id", type = "string", derived = false }, fields[1])
    assert.same({ name = "end", type = "integer", derived = false }, fields[8])
    assert.same({ name = "value", type = "number", derived = true }, fields[9])
    assert.same({ name = "max", type = "number", derived = true }, fields[13])
    assert.equal(13, #fields)
    assert.equal(2, figures:field_index("text"))
    assert.equal(11, figures:field_index("qualifier"))
    assert.is_nil(figures:field_index("nope"))
    local meta = ds:table("meta"):fields()
    assert.same({ name = "published", type = "datetime", derived = false }, meta[9])
    assert.same({ name = "source_codepoints", type = "integer", derived = true }, meta[#meta])
  end)

  it("is read-only and has no other keys", function()
    assert.is_nil(figures.nope)
    assert.is_nil(figures[{}])
    assert.has_error(function() figures.x = 1 end, "siqun.Table is read-only")
    assert.has_error(function() figures[1] = 1 end, "siqun.Table is read-only")
  end)
end)

describe("a Record", function()
  local ds = open()
  local figures = ds:table("figures")

  it("gives its fields typed, nil for null", function()
    local r = figures:get("readers")
    assert.equal("约3000人次", r.text)
    assert.equal(1, r.section)
    assert.equal("integer", compat.math_type(r.section))
    local place = ds:table("places")[1]
    assert.is_nil(place.parent)
    assert.equal("qingshi", ds:table("places")[2].parent)
    assert.is_nil(r.nope)
    assert.is_nil(r[1])
  end)

  it("has the quantity derived from its text", function()
    local r = figures:get("readers")
    assert.equal(3000, r.value)
    assert.equal("integer", compat.math_type(r.value))
    assert.equal("人次", r.unit)
    assert.equal("approx", r.qualifier)
    assert.is_nil(r.min)
    assert.is_nil(r.max)
    local b = figures:get("books")
    assert.equal(15000, b.value)
    assert.equal("exact", b.qualifier)
    assert.equal(15000, b.min)
    local q = ds:table("quotas")
    assert.equal(2, q[1].value)
    assert.equal("天", q[1].unit)
    assert.equal("at_least", q[1].qualifier)
    assert.equal(2, q[1].min)
    assert.is_nil(q[1].max)
    for _, k in ipairs { "value", "unit", "qualifier", "min", "max" } do
      assert.is_nil(q[2][k], k) -- activity 'pairing'
    end
  end)

  it("has a glossary count, and meta's source fields", function()
    local g = ds:table("glossary")
    assert.equal(3, g:get("san_jian_shi").count)
    assert.is_nil(g:get("jiedui").count)
    local m = ds:table("meta")[1]
    assert.equal(core.sha256(SOURCE), m.source_sha256)
    assert.equal(#SOURCE, m.source_bytes)
    assert.equal(utf8.len(SOURCE), m.source_codepoints)
  end)

  it("has a span when its table has start and end", function()
    local r = figures[1]
    assert.same({ start = 23, stop = 26 }, r.span)
    assert.is_false(rawequal(r.span, r.span)) -- a new table each time
    assert.is_nil(ds:table("meta")[1].span)
  end)

  it("knows its table and row", function()
    local r = figures[2]
    assert.equal("figures", r:table_name())
    assert.equal(2, r:row())
  end)

  it("converts to a plain table", function()
    local t = figures[1]:totable()
    assert.same({
      id = "sessions", text = "12场", label = "reading sessions", label_zh = "读书会场次",
      category = "meetings", section = 1, start = 23, ["end"] = 26, value = 12, unit = "场",
      qualifier = "exact", min = 12, max = 12, span = { start = 23, stop = 26 },
    }, t)
  end)

  it("iterates its fields in schema order with pairs", function()
    local keys = {}
    for k, v in pairs(figures[1]) do -- pairs on 5.2+: __pairs
      keys[#keys + 1] = k
      assert.equal(figures[1][k], v)
    end
    assert.same({ "id", "text", "label", "label_zh", "category", "section", "start", "end",
                  "value", "unit", "qualifier", "min", "max" }, keys)
    keys = {}
    for k in pairs(ds:table("places")[1]) do keys[#keys + 1] = k end
    assert.same({ "id", "name", "en", "kind", "section", "start", "end" }, keys) -- no null parent
  end)

  it("compares equal to the same row, and to nothing else", function()
    assert.equal(figures[1], figures:get("sessions"))
    assert.not_equal(figures[1], figures[2])
    local other = open()
    assert.not_equal(figures[1], other:table("figures")[1])
    assert.is_false(figures[1] == {})
  end)

  it("is readable with tostring", function()
    assert.equal("figures[sessions]: 12场", tostring(figures[1]))
    assert.equal("members[san_jian_shi,2]: 打井", tostring(ds:table("members")[2]))
    assert.equal("sections[0]: 青石镇简报", tostring(ds:table("sections")[1]))
    assert.equal("meta[article]: 青石镇简报", tostring(ds:table("meta")[1]))
    assert.equal("places[qingshi_school]: 建校", tostring(ds:table("places")[2]))
  end)

  it("is read-only", function()
    assert.has_error(function() figures[1].text = "x" end, "siqun.Record is read-only")
    assert.has_error(function() figures[1].new = 1 end, "siqun.Record is read-only")
  end)

  it("keeps its dataset alive", function()
    local r = open():table("figures")[3]
    collectgarbage()
    collectgarbage()
    assert.equal("1.5万册", r.text)
  end)
end)

describe("the source text", function()
  it("is refused when its SHA-256 differs", function()
    local ds = open()
    local ok, err = ds:attach(SOURCE .. "x")
    assert.is_nil(ok)
    assert.matches("^source SHA%-256 mismatch: expected " .. core.sha256(SOURCE) .. ", got %x+$", err)
    assert.is_false(ds:attached())
    assert.has_error(function() ds:table("figures")[1]:source() end,
                     "no source attached: call attach(path) first")
    assert.has_error(function() ds:slice(0, 1) end, "no source attached: call attach(path) first")
    assert.has_error(function() ds:attach(42) end)
  end)

  it("is attached after normalising a BOM and CRLF", function()
    local ds = open()
    assert.is_true(ds:attach("\239\187\191" .. SOURCE:gsub("\n", "\r\n")))
    assert.is_true(ds:attached())
    for _, name in ipairs { "figures", "quotas", "members", "people" } do
      for _, r in ipairs(ds:table(name)) do
        local field = (name == "people") and "name" or "text"
        assert.equal(r[field], r:source())
      end
    end
    for _, r in ipairs(ds:table("glossary")) do assert.equal(r.term, r:source()) end
  end)

  it("is sliced by code points", function()
    local ds = open()
    assert.is_true(ds:attach(SOURCE))
    assert.equal("青石镇", ds:slice(0, 3))
    assert.equal("", ds:slice(4, 4))
    local n = utf8.len(SOURCE)
    assert.equal(SOURCE, ds:slice(0, n))
    assert.has_error(function() ds:slice(3, 2) end, "slice 3..2 is out of range (0.." .. n .. ")")
    assert.has_error(function() ds:slice(-1, 2) end)
    assert.has_error(function() ds:slice(0, n + 1) end)
    assert.has_error(function() ds:slice("a", 2) end)
    local s = ds:table("sections")[3]
    assert.equal(s.heading, s:source())
    assert.equal(SOURCE:sub(-#"结对帮扶。\n"), ds:slice(s.body_end - 6, s.body_end))
  end)
end)

describe("the extension hooks", function()
  local ds = open()
  local figures = ds:table("figures")

  after_each(function()
    core.record_methods.describe = nil
    core.record_getters.figures = nil
    core.table_methods.ids = nil
  end)

  it("add record methods", function()
    core.record_methods.describe = function(r) return r:table_name() .. "#" .. r:row() end
    assert.equal("figures#2", figures[2]:describe())
    assert.is_nil(figures[2].nonexistent)
  end)

  it("add computed fields per table", function()
    core.record_getters.figures = { double = function(r) return r.value * 2 end }
    assert.equal(24, figures[1].double)
    assert.is_nil(ds:table("quotas")[1].double)
    -- fields win over getters
    core.record_getters.figures.text = function() return "shadowed" end
    assert.equal("12场", figures[1].text)
  end)

  it("add table methods", function()
    core.table_methods.ids = function(t)
      local out = {}
      for i, r in ipairs(t) do out[i] = r.id end
      return out
    end
    assert.same({ "sessions", "readers", "books" }, figures:ids())
    assert.is_nil(figures.nonexistent)
  end)
end)

-- Misuse from Lua raises a Lua error with a message, never crashes: every
-- function and method of the binding, called with every kind of wrong value
-- in each position (the userdata of the other kinds included), and through
-- a closed dataset.
describe("misuse of the binding", function()
  local ds = open()
  local tab = ds:table("figures")
  local rec = tab[1]
  local BAD = { false, 0, -1, 1.5, math.huge, math.mininteger or -2 ^ 63, "", "x\0y", {}, print,
                coroutine.create(function() end), io.stdout }

  -- name -> function, self (a valid receiver), and the types its arguments
  -- may have (one entry per argument: "string|number", or "any").
  local function targets(d, t, r)
    local tm, rm = debug.getmetatable(t), debug.getmetatable(r)
    local hm = debug.getmetatable(heat(t[#t], t))
    return {
      { "Dataset:tables", d.tables, d, {} },
      { "Dataset:table", d.table, d, { "string" } },
      { "Dataset:source_info", d.source_info, d, {} },
      { "Dataset:attach", d.attach, d, { "string" } },
      { "Dataset:attached", d.attached, d, {} },
      { "Dataset:slice", d.slice, d, { "number", "number" } },
      { "Table:get", t.get, t, { "string|number" } },
      { "Table:name", t.name, t, {} },
      { "Table:fields", t.fields, t, {} },
      { "Table:field_index", t.field_index, t, { "string" } },
      { "Table.__len", tm.__len, t, {} },
      { "Table.__index", tm.__index, t, { "any" } },
      { "Table.__tostring", tm.__tostring, t, {} },
      { "Record:totable", r.totable, r, {} },
      { "Record:table_name", r.table_name, r, {} },
      { "Record:row", r.row, r, {} },
      { "Record:source", r.source, r, {} },
      -- a Record's __index reads in C until the Record is promoted; then
      -- it is the table of its values (read without a call), and what that
      -- lacks comes from the values table's metatable's __index
      { "Record.__index", rm.__index, r, { "any" } },
      { "Record values.__index", debug.getmetatable(hm.__index).__index, hm.__index, { "any" } },
      { "Record.__tostring", rm.__tostring, r, {} },
      { "Record.__pairs", rm.__pairs, r, {} },
    }
  end

  local function expect_error(name, f, ...)
    local ok, err = pcall(f, ...)
    assert(not ok, name .. " accepted a wrong value")
    assert(type(err) == "string" and #err > 0, name .. ": no message")
    return err
  end

  -- A wrong value must be named as in lauxlib: "bad argument #n to 'f'
  -- (<what> expected, got <type>)".
  local function expect_argerror(name, f, ...)
    local err = expect_error(name, f, ...)
    assert(err:find("bad argument #%d+ to '[%w_.?]+' %(.*expected") ~= nil, name .. ": " .. err)
  end

  it("raises for a wrong receiver of every method", function()
    for _, tg in ipairs(targets(ds, tab, rec)) do
      local name, f = tg[1], tg[2]
      for _, wrong in ipairs { ds, tab, rec, compat.unpack(BAD) } do
        if debug.getmetatable(wrong) ~= debug.getmetatable(tg[3]) then
          expect_argerror(name, f, wrong, "id", 1)
        end
      end
      expect_argerror(name, f)
    end
  end)

  it("raises for a wrong argument, or answers nil", function()
    for _, tg in ipairs(targets(ds, tab, rec)) do
      local name, f, self, types = tg[1], tg[2], tg[3], tg[4]
      for i, ty in ipairs(types) do
        for _, wrong in ipairs { ds, tab, rec, compat.unpack(BAD) } do
          if ty ~= "any" and not ty:find(type(wrong), 1, true) then
            local args = { "id", 1 }
            args[i] = wrong
            expect_argerror(("%s arg %d %s"):format(name, i, type(wrong)), f, self, args[1], args[2])
          elseif ty == "any" then
            assert.is_nil(f(self, wrong), name) -- no such key
          end
        end
      end
    end
    -- the module functions
    for _, f in ipairs { core.open, core.quantity, core.scan, core.sha256 } do
      for _, wrong in ipairs { ds, tab, rec, 0, {}, print, true } do
        expect_argerror("core function", f, wrong)
      end
    end
    expect_error("core.scan init", core.scan, "3个", "x")
    expect_error("core.scan init", core.scan, "3个", 1.5)
  end)

  it("raises for every method once the dataset is closed", function()
    local d = open()
    local t = d:table("figures")
    local r = t[1]
    local list = targets(d, t, r)
    d:close()
    for _, tg in ipairs(list) do
      local name, f, self = tg[1], tg[2], tg[3]
      if name:match("__tostring$") then
        assert.matches("%(closed%)$", f(self))
      else
        expect_error(name, f, self, "id", 1)
      end
    end
  end)

  it("refuses assignment and comparison with other kinds", function()
    assert.has_error(function() tab.get = nil end, "siqun.Table is read-only")
    assert.has_error(function() rec.id = nil end, "siqun.Record is read-only")
    assert.has_error(function() rawset(rec, "id", 1) end)
    assert.is_false(rec == tab)
    assert.is_false(debug.getmetatable(rec).__eq(rec, ds))
  end)
end)

-- A Record reads its fields in C (REC_MT's __index) until it is hot; then
-- it has its own metatable whose __index is a plain table of its non-null
-- values (lsq_hot.c): reading a field makes no call.  Both must give
-- the same values and behave alike.
describe("a Record's fields", function()
  local math_type = compat.math_type

  local function same(a, b, what)
    assert.equal(type(a), type(b), what)
    if type(a) == "number" then assert.equal(math_type(a), math_type(b), what) end
    assert.equal(a, b, what)
  end

  local function check_dataset(ds)
    local n = 0
    for _, name in ipairs(ds:tables()) do
      local t = ds:table(name)
      local fields = t:fields()
      for i = 1, #t do
        local r = core.table_record(t, i)
        -- totable and pairs read the C cells, not the values table
        local whole, seen = r:totable(), {}
        for k, v in pairs(r) do seen[k] = v end
        assert.is_true(cold(r))
        for _, f in ipairs(fields) do -- read in C
          same(whole[f.name], r[f.name], ("%s[%d].%s"):format(name, i, f.name))
        end
        heat(r, t)
        for _, f in ipairs(fields) do -- read from the values table
          local what = ("%s[%d].%s (promoted)"):format(name, i, f.name)
          same(whole[f.name], r[f.name], what)
          same(seen[f.name], r[f.name], what)
          n = n + 1
        end
        for k in pairs(seen) do assert.is_not_nil(t:field_index(k), k) end
      end
    end
    return n
  end

  it("are the values of every field of every record", function()
    assert.is_true(check_dataset(open()) > 100)
    assert.is_true(check_dataset(assert(core.open())) > 500)
  end)

  -- rec_index finds a name's column in its Table's key cache (64 slots,
  -- probed from the name's own): with 128 fields the names outnumber the
  -- slots, so they take each other's places; every read must still give
  -- its own field.  A name longer than 40 bytes never goes in the cache.
  it("come from their own column when a table's names outnumber the key cache", function()
    local files = require "spec.helper.files"
    local LONG = "w_" .. ("long"):rep(11) -- 46 bytes
    local N = 120
    local dir = files.fixture(function(f)
      local extra, head = {}, {}
      for i = 1, N do
        local name = i == N and LONG or ("w" .. i)
        extra[i] = ('{ "name": "%s", "type": "%s" },'):format(name, i % 2 == 0 and "integer" or "string")
        head[i] = name
      end
      local dp = f["datapackage.json"]
      local at = dp:find('"fields": [', dp:find('"name": "places"', 1, true), true) + 10
      f["datapackage.json"] = dp:sub(1, at) .. table.concat(extra, "\n") .. dp:sub(at + 1)
      local lines, r = {}, 0
      for line in f["places.csv"]:gmatch("[^\n]+") do
        local vals = {}
        for i = 1, N do
          vals[i] = r == 0 and head[i] or (i % 2 == 0 and tostring(r * 1000 + i) or ("v" .. r .. "_" .. i))
        end
        lines[#lines + 1] = table.concat(vals, ",") .. "," .. line
        r = r + 1
      end
      f["places.csv"] = table.concat(lines, "\n") .. "\n"
    end)
    finally(files.cleanup)
    -- three orders (each on a fresh Table, so a fresh cache), each record
    -- read at most once per field: it stays cold (read in C)
    local orders = { {}, {}, {} }
    local names = {}
    for i, f in ipairs(assert(core.open(dir)):table("places"):fields()) do names[i] = f.name end
    assert.equal(128, #names)
    for i = 1, #names do
      orders[1][i], orders[2][#names + 1 - i] = names[i], names[i]
      orders[3][i] = names[(i * 37) % #names + 1] -- 37 is prime to 128: each once
    end
    local reads = 0
    local ref = assert(core.open(dir)):table("places") -- (r:totable() would be a read of r)
    for _, order in ipairs(orders) do
      local t = assert(core.open(dir)):table("places")
      assert.equal(2, #t)
      for row = 1, #t do
        local r = core.table_record(t, row)
        local whole = core.table_record(ref, row):totable()
        assert.equal("v" .. row .. "_1", whole.w1)
        assert.equal(row * 1000 + 2, whole.w2)
        assert.equal("v" .. row .. "_119", whole.w119)
        for _, name in ipairs(order) do
          same(whole[name], r[name], ("places[%d].%s"):format(row, name))
          reads = reads + 1
        end
        assert.is_true(cold(r))
      end
    end
    assert.equal(3 * 2 * 128, reads)
  end)

  it("are nil when null, and for unknown keys", function()
    for pass = 1, 2 do -- cold records, then promoted ones
    local ds = open()
    local nulls = 0
    for _, name in ipairs(ds:tables()) do
      local t = ds:table(name)
      for _, r in ipairs(t) do
        if pass == 2 then heat(r, t) end
        for _, f in ipairs(t:fields()) do
          if r:totable()[f.name] == nil then
            nulls = nulls + 1
            assert.is_nil(r[f.name])
          end
        end
        assert.is_nil(r.no_such_field)
        assert.is_nil(r[1])
        assert.is_nil(r[true])
        assert.is_nil(r[r])
      end
    end
    assert.is_true(nulls > 0)
    end
  end)

  it("leave span, methods and getters working", function()
    for pass = 1, 2 do -- a cold record, then a promoted one
    local ds = open()
    local f = ds:table("figures")[1]
    if pass == 2 then heat(f, ds:table("figures")) end
    assert.same({ start = f.start, stop = f["end"] }, f.span)
    assert.not_equal(f.span, f.span) -- a fresh table each time, as before
    assert.equal("figures", f:table_name())
    assert.equal(1, f:row())
    assert.is_function(f.totable)
    assert.is_true(ds:attach(SOURCE))
    assert.equal(f.text, f:source())
    core.record_getters.figures = { double = function(r) return r.value * 2 end }
    core.record_methods.describe = function(r) return r:table_name() .. "#" .. r:row() end
    assert.equal(f.value * 2, f.double)
    assert.equal("figures#1", f:describe())
    core.record_getters.figures, core.record_methods.describe = nil, nil
    assert.is_nil(f.double)
    -- the Lua layer's getters
    local siqun = require "siqun"
    local art = assert(siqun.open())
    local g = art.glossary[1]
    assert.is_truthy(g.members) -- a List (a table, or a proxy before 5.2)
    assert.equal(g.members, g.members)
    for _, e in ipairs(art.events) do
      if pass == 2 then heat(e, art.dataset:table("events")) end
      assert.equal(e.place, e.where)
    end
    if pass == 2 then heat(g, art.dataset:table("glossary")) end
    assert.equal(g.members, g.members)
    end
  end)

  it("are read-only, and not in pairs but the fields", function()
    local ds = open()
    local r = ds:table("figures")[2]
    assert.has_error(function() r.text = "x" end, "siqun.Record is read-only")
    assert.has_error(function() r.value = 1 end, "siqun.Record is read-only")
    assert.has_error(function() r.brand_new = 1 end, "siqun.Record is read-only")
    assert.has_error(function() r[1] = 1 end, "siqun.Record is read-only")
    assert.equal(r:totable().text, r.text)
    for k in pairs(r) do assert.equal("string", type(k)) end
    for k in pairs(r:totable()) do assert.equal("string", type(k)) end
    local mt = debug.getmetatable(r)
    assert.equal("siqun.Record", mt.__name)
    assert.is_function(mt.__index)
    heat(r, ds:table("figures"))
    assert.has_error(function() r.text = "x" end, "siqun.Record is read-only")
    assert.has_error(function() r.brand_new = 1 end, "siqun.Record is read-only")
    assert.equal(r:totable().text, r.text)
    mt = debug.getmetatable(r)
    assert.equal("siqun.Record", mt.__name)
    assert.is_table(mt.__index)
  end)

  it("belong to the same record each time", function()
    local ds = open()
    local t = ds:table("figures")
    assert.is_true(rawequal(t[2], t[2]))
    assert.is_true(rawequal(t[1], t:get("sessions")))
    assert.is_true(rawequal(t[3], core.table_record(t, 3)))
    assert.equal(t[2], t[2])
    assert.is_false(rawequal(t[1], open():table("figures")[1]))
    assert.equal(debug.getmetatable(t[1]).__eq, debug.getmetatable(t[2]).__eq)
  end)

  it("of a List are made a block at a time, never past the table (list_items, list_index)", function()
    local ds = open()
    local t = ds:table("figures")
    local items = core.list_items(t, #t)
    assert.equal(#t, items.n)
    assert.equal(t, items.table)
    assert.is_nil(rawget(items, 1))
    assert.is_true(rawequal(t[2], items[2]))
    -- the whole block of rows holding row 2 (64 rows) is made by that read
    for i = 1, math.min(#t, 64) do assert.is_true(rawequal(t[i], rawget(items, i)), i) end
    for _, k in ipairs { 0, -1, #t + 1, 1.5, "1", true } do assert.is_nil(items[k]) end
    assert.is_true(rawequal(t[3], items[3.0]))
    -- a length past the table's rows hands out nothing past them
    local long = core.list_items(t, #t + 100)
    assert.is_nil(long[#t + 1])
    assert.is_true(rawequal(t[#t], long[#t]))
    assert.is_nil(rawget(long, #t + 1))
    -- misuse
    assert.has_error(function() core.list_items({}, 1) end,
                     "bad argument #1 to 'list_items' (siqun.Table expected, got table)")
    assert.has_error(function() core.list_items(t, -1) end)
    assert.has_error(function() core.list_items(t, 1.5) end)
    assert.has_error(function() return core.list_index({ n = 3, table = {} }, 1) end,
                     "bad List items (no siqun.Table at 'table')")
    assert.is_nil(core.list_index({ n = 3 }, 1.5))
  end)

  it("raise once the dataset is closed, for records made before and after", function()
    local d = open()
    local t = d:table("figures")
    local r1, r2, g = heat(t[1], t), t[2], d:table("glossary")[1]
    local v = r1.value
    assert.is_number(v)
    assert.is_true(cold(r2))
    local mt1 = debug.getmetatable(r1)
    d:close()
    for _, r in ipairs { r1, r2, g } do
      assert.equal("siqun.Record (closed)", tostring(r))
      assert.has_error(function() return r.value end, "attempt to use a closed siqun.Dataset")
      assert.has_error(function() return r.text end, "attempt to use a closed siqun.Dataset")
      assert.has_error(function() return r.nothing end, "attempt to use a closed siqun.Dataset")
      assert.has_error(function() return r:totable() end, "attempt to use a closed siqun.Dataset")
      assert.has_error(function() return pairs(r) end, "attempt to use a closed siqun.Dataset")
      assert.has_error(function() r.text = 1 end, "siqun.Record is read-only")
      assert.equal("siqun.Record", debug.getmetatable(r).__name)
    end
    assert.equal(r1, r1)
    assert.not_equal(r1, r2)
    -- the values table of a record of a closed dataset raises too
    assert.has_error(function() return mt1.__index.nothing end,
                     "attempt to use a closed siqun.Dataset")
    -- made after the close
    local r3 = core.table_record(t, 3)
    assert.equal("siqun.Record (closed)", tostring(r3))
    assert.has_error(function() return r3.text end, "attempt to use a closed siqun.Dataset")
    -- __close closes the same way
    local d2 = open()
    local r4 = d2:table("figures")[1]
    debug.getmetatable(d2).__close(d2)
    assert.has_error(function() return r4.value end, "attempt to use a closed siqun.Dataset")
  end)

  it("are checked by type with the lauxlib message", function()
    local ds = open()
    local r = heat(ds:table("figures")[1], ds:table("figures"))
    local fake = setmetatable({}, debug.getmetatable(r))
    -- (the function's name: '?' on LuaJIT, and for some calls before 5.2)
    local function refuses(f, x, got)
      local ok, err = pcall(f, x)
      assert.is_false(ok)
      assert.matches("^bad argument #1 to '.-' %(siqun%.Record expected, got " .. got .. "%)$", err)
    end
    refuses(r.totable, fake, "table") -- (not "got siqun.Record": it wears the metatable)
    refuses(r.totable, {}, "table")
    refuses(r.row, io.stdout, "%S+") -- a FILE* is named so from 5.2 on
    refuses(r.table_name, ds, "siqun%.Dataset")
    refuses(r.source, 1, "number")
    assert.has_error(function() return debug.getmetatable(r).__tostring({}) end)
    assert.has_error(function() return debug.getmetatable(r).__pairs(ds:table("figures")) end)
    assert.is_false(debug.getmetatable(r).__eq(r, fake))
    assert.is_false(debug.getmetatable(r).__eq(fake, r))
    -- the values table's own __index refuses anything but a values table
    local vi = debug.getmetatable(debug.getmetatable(r).__index).__index
    local ok, err = pcall(vi, {}, "id")
    assert.is_false(ok)
    assert.matches("bad argument #1 to '.-' %(siqun.Record values expected, got table%)", err)
    assert.has_error(function() return vi(r, "id") end)
  end)
end)
