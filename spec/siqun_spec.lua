-- The siqun facade: every record type and field, derived values, the
-- quotas, the glossary, read-only behaviour and opening a directory.

local compat = require "siqun.compat"
local ipairs, pairs = compat.ipairs, compat.pairs -- 5.3's ipairs and 5.2's pairs on every Lua (siqun.compat)
local V = require "spec.lua_version"
local siqun = require "siqun"
local List = siqun.List

-- Field types by table: "string", "integer" or "number" (integer or
-- float); a trailing "?" allows nil (empty cell, or a value that does not
-- apply).  Derived fields included.
local FIELDS = {
  meta = {
    id = "string", title = "string", title_en = "string", outlet = "string",
    outlet_en = "string", carrier = "string", carrier_en = "string", url = "string?",
    published = "string", author = "string?", author_pinyin = "string?",
    language = "string", source_sha256 = "string", source_bytes = "integer",
    source_codepoints = "integer",
  },
  sections = {
    number = "integer", heading = "string", heading_en = "string", theme = "string",
    theme_zh = "string", summary_en = "string", summary_zh = "string",
    start = "integer", ["end"] = "integer", body_start = "integer", body_end = "integer",
  },
  figures = {
    id = "string", text = "string", label = "string", label_zh = "string",
    category = "string", section = "integer", start = "integer", ["end"] = "integer",
    value = "number", unit = "string?", qualifier = "string", min = "number?",
    max = "number?",
  },
  quotas = {
    id = "string", rank = "string", rank_zh = "string", activity = "string",
    text = "string", per = "string?", note = "string", section = "integer",
    start = "integer", ["end"] = "integer",
    value = "number?", unit = "string?", qualifier = "string?", min = "number?",
    max = "number?",
  },
  glossary = {
    id = "string", term = "string", pinyin = "string", en = "string", note = "string",
    section = "integer", start = "integer", ["end"] = "integer", count = "integer?",
  },
  members = {
    term = "string", n = "integer", text = "string", en = "string",
    start = "integer", ["end"] = "integer",
  },
  places = {
    id = "string", name = "string", en = "string", kind = "string", parent = "string?",
    section = "integer", start = "integer", ["end"] = "integer",
  },
  people = {
    id = "string", name = "string", pinyin = "string", role = "string",
    role_zh = "string", place = "string?", section = "integer",
    start = "integer", ["end"] = "integer",
  },
  events = {
    id = "string", date = "string", date_end = "string?", text = "string",
    what = "string", what_zh = "string", place = "string?", section = "integer",
    start = "integer", ["end"] = "integer",
  },  omissions = {
    id = "string", text = "string", reason = "string", start = "integer", ["end"] = "integer",
  },
}

local TABLES = { "meta", "sections", "figures", "quotas", "glossary", "members",
                 "places", "people", "events", "omissions" }

local ENUMS = {
  sections = { theme = { overview = true, depth = true, breadth = true, warmth = true } },
  figures = {
    category = {
      materials = true, meetings = true, participants = true, feedback = true,
      problems = true, reports = true, teams = true, projects = true, funds = true,
      donations = true, services = true, households = true, share = true, duration = true,
    },
    qualifier = {
      exact = true, approx = true, nearly = true, over = true, at_least = true,
      at_most = true, under = true, range = true,
    },
  },
  quotas = {
    rank = { province = true, prefecture = true, county = true, township = true },
    activity = {
      research = true, village_stay = true, work_team_share = true, work_team_term = true,
      work_team_cycle = true, pairing = true,
    },
    per = { year = true, term = true },
  },
  places = {
    kind = { province = true, prefecture = true, county = true, district = true,
             township = true, village = true, venue = true },
  },
}

local function check_type(want, v, where)
  local optional = want:sub(-1) == "?"
  local base = optional and want:sub(1, -2) or want
  if v == nil then
    assert(optional, where .. ": nil, but " .. base .. " is required")
    return
  end
  if base == "integer" then
    assert(compat.math_type(v) == "integer", where .. ": integer expected, got " ..
           (compat.math_type(v) or type(v)) .. " " .. tostring(v))
  elseif base == "number" then
    assert(type(v) == "number", where .. ": number expected, got " .. type(v))
  else
    assert(type(v) == base, where .. ": " .. base .. " expected, got " .. type(v))
  end
end

local art = assert(siqun.open())

local function figure(text)
  return art.figures:find(function(f) return f.text == text end)
end

describe("the siqun module", function()
  it("has a version and its parts", function()
    assert.is_string(siqun._VERSION)
    assert.matches("^siqun %d+%.%d+%.%d+$", siqun._VERSION)
    assert.is_function(siqun.open)
    assert.is_function(siqun.quantity)
    assert.is_function(siqun.scan)
    assert.is_function(siqun.summary)
    assert.equal(require "siqun.list", siqun.List)
    assert.equal(require "siqun.core", siqun.core)
  end)

  it("re-exports the quantity parser", function()
    local q = assert(siqun.quantity("54.29万本"))
    assert.equal(542900, q.value)
    assert.equal("本", q.unit)
    assert.equal("exact", q.qualifier)
    local bad, msg = siqun.quantity("挂县包乡联户")
    assert.is_nil(bad)
    assert.is_string(msg)
    local d = assert(siqun.quantity("6月18日至19日"))
    assert.equal("date", d.kind)
    assert.equal(6, d.month)
    assert.equal(18, d.day)
  end)

  it("re-exports the scanner", function()
    local found = {}
    for q in siqun.scan("甲地54.29万本，乙地约360万张。") do
      found[#found + 1] = q.value
    end
    assert.same({ 542900, 3600000 }, found)
  end)
end)

describe("an Article", function()
  it("lists its tables in order", function()
    local names = art:tables()
    assert.is_true(List.is_list(names))
    assert.same(TABLES, names:totable())
  end)

  it("has a List per table, the same as art:table(name)", function()
    for _, name in ipairs(TABLES) do
      local l = art:table(name)
      assert.is_true(List.is_list(l), name)
      if name ~= "meta" then assert.equal(l, art[name]) end
      assert.is_true(#l > 0, name .. " is empty")
    end
    local none, msg = art:table("nope")
    assert.is_nil(none)
    assert.matches("no table named 'nope'", msg, 1, true)
  end)

  it("has the single meta record as art.meta", function()
    assert.equal(1, #art:table("meta"))
    assert.equal(art:table("meta")[1], art.meta)
    assert.equal("article", art.meta.id)
    assert.equal("情的交融 心的呼应", art.meta.title)
    assert.equal("云南日报", art.meta.outlet)
    assert.matches("^2012%-07%-01", art.meta.published)
    assert.equal(art:source_info().sha256, art.meta.source_sha256)
    assert.equal(art:source_info().bytes, art.meta.source_bytes)
    assert.equal(art:source_info().codepoints, art.meta.source_codepoints)
  end)

  it("is readable with tostring and pairs in order", function()
    assert.matches("情的交融", tostring(art), 1, true)
    local names = {}
    for k in pairs(art) do names[#names + 1] = k end
    assert.same(TABLES, names)
    assert.is_true(siqun.is_article(art))
    assert.is_false(siqun.is_article({}))
  end)

  it("is read-only, and so are its lists and records", function()
    assert.has_error(function() art.figures = {} end, "siqun.Article is read-only")
    assert.has_error(function() art.x = 1 end, "siqun.Article is read-only")
    if compat.raw_arrays then
      -- 5.1 and LuaJIT: assigning an index a List holds changes the copy
      -- that # and ipairs read there, never the items (docs/api.md, Lua
      -- versions; spec/list_versions_spec.lua): on a List of its own
      local figs = assert(siqun.open()).figures
      figs[1] = false
      assert.equal("study_books", figs:first().id)
    else
      assert.has_error(function() art.figures[1] = false end, "siqun.List is read-only")
    end
    assert.has_error(function() art.figures.x = 1 end, "siqun.List is read-only")
    assert.has_error(function() art.meta.title = "x" end)
    assert.has_error(function() art.figures[1].value = 0 end)
    assert.has_error(function() art.figures[1].newfield = 0 end)
    assert.equal("情的交融 心的呼应", art.meta.title)
  end)
end)

describe("records", function()
  for _, name in ipairs(TABLES) do
    it("of " .. name .. " have exactly the schema's fields, typed", function()
      local spec = FIELDS[name]
      -- the core agrees on the field list
      local core_fields = {}
      for _, f in ipairs(art.dataset:table(name):fields()) do
        core_fields[#core_fields + 1] = f.name
        assert.is_not_nil(spec[f.name], name .. "." .. f.name .. " is not in the spec")
      end
      local want = {}
      for k in pairs(spec) do want[#want + 1] = k end
      table.sort(want)
      table.sort(core_fields)
      assert.same(want, core_fields)
      for i, r in ipairs(art:table(name)) do
        assert.equal(name, r:table_name())
        for field, ty in pairs(spec) do
          check_type(ty, r[field], ("%s[%d].%s"):format(name, i, field))
        end
        local enums = ENUMS[name] or {}
        for field, allowed in pairs(enums) do
          local v = r[field]
          if v ~= nil then
            assert(allowed[v], ("%s[%d].%s: unexpected %s"):format(name, i, field, tostring(v)))
          end
        end
        -- totable: a plain copy of the same values
        local t = r:totable()
        assert.equal("table", type(t))
        for k, v in pairs(t) do
          if k == "span" then
            assert.same(r.span, v)
          else
            assert.is_not_nil(spec[k], name .. ": totable has unknown key " .. tostring(k))
            assert.equal(r[k], v)
          end
        end
        -- pairs(record): the fields that have a value, in schema order
        local n = 0
        for k, v in pairs(r) do
          n = n + 1
          assert.equal(r[k], v)
          assert.is_not_nil(spec[k], k)
        end
        local want_n = 0
        for k in pairs(spec) do if r[k] ~= nil then want_n = want_n + 1 end end
        assert.equal(want_n, n)
        assert.is_string(tostring(r))
      end
    end)
  end

  it("have spans that match their start and end", function()
    for _, name in ipairs(TABLES) do
      for i, r in ipairs(art:table(name)) do
        if name == "meta" then
          assert.is_nil(r.span)
        else
          local sp = r.span
          assert.is_table(sp, name .. "[" .. i .. "].span")
          assert.equal(r.start, sp.start)
          assert.equal(r["end"], sp.stop)
          assert.is_true(sp.start <= sp.stop)
          assert.is_true(sp.stop <= art.meta.source_codepoints)
        end
      end
    end
  end)

  it("compare equal to the same row fetched again", function()
    local f = art.figures[1]
    assert.equal(f, art.figures:get(f.id))
    assert.equal(f, art.dataset:table("figures")[1])
    assert.not_equal(art.figures[1], art.figures[2])
  end)

  it("cannot show their source text before one is attached", function()
    assert.is_false(art:attached())
    assert.has_error(function() art.figures[1]:source() end)
  end)

  it("follow their foreign keys", function()
    for _, name in ipairs { "figures", "quotas", "glossary", "places", "people", "events" } do
      for _, r in ipairs(art[name]) do
        assert.is_not_nil(art.sections:get(r.section), name .. " " .. tostring(r.id))
      end
    end
    for _, m in ipairs(art.members) do
      assert.is_not_nil(art.glossary:get(m.term), "members.term " .. m.term)
    end
    for _, p in ipairs(art.places) do
      if p.parent then assert.is_not_nil(art.places:get(p.parent), p.id) end
    end
    for _, name in ipairs { "people", "events" } do
      for _, r in ipairs(art[name]) do
        if r.place then assert.is_not_nil(art.places:get(r.place), r.id) end
      end
    end
  end)

  it("have unique primary keys", function()
    for _, name in ipairs { "figures", "quotas", "glossary", "places", "people", "events" } do
      local seen = {}
      for _, r in ipairs(art[name]) do
        assert.is_nil(seen[r.id], name .. " duplicate " .. r.id)
        seen[r.id] = true
      end
    end
  end)
end)

describe("sections", function()
  it("are the lead and three headed sections with their themes", function()
    assert.equal(4, #art.sections)
    local themes = art.sections:map(function(s) return s.theme end):totable()
    assert.same({ "overview", "depth", "breadth", "warmth" }, themes)
    for i, s in ipairs(art.sections) do
      assert.equal(i - 1, s.number)
      assert.is_true(s.body_start <= s.start and s["end"] <= s.body_end)
    end
    assert.equal(art.meta.title, art.sections:get(0).heading)
  end)
end)

describe("figures", function()
  local cases = {
    -- text, value, unit, qualifier, min, max (an exact figure is its own
    -- bounds; nearly bounds above, over below, approx neither)
    { "54.29万本", 542900, "本", "exact", 542900, 542900 },
    { "近50万名", 500000, "名", "nearly", nil, 500000 },
    { "1万多个", 10000, "个", "over", 10000, nil },
    { "420余万元", 4200000, "元", "over", 4200000, nil },
    { "35.5亿元", 3550000000, "元", "exact", 3550000000, 3550000000 },
    { "近30%", 30, "%", "nearly", nil, 30 },
    { "约360万张", 3600000, "张", "approx", nil, nil },
    { "86.81万人次", 868100, "人次", "exact", 868100, 868100 },
    { "21.40万条", 214000, "条", "exact", 214000, 214000 },
    { "1479支", 1479, "支", "exact", 1479, 1479 },
  }
  for _, c in ipairs(cases) do
    local text, value, unit, qualifier, min, max = compat.unpack(c, 1, 6)
    it(text .. " -> " .. value .. " " .. unit .. " (" .. qualifier .. ")", function()
      local f = figure(text)
      assert.is_not_nil(f, "no figure printed as " .. text)
      assert.equal(value, f.value)
      assert.equal(compat.math_type(value), compat.math_type(f.value))
      assert.equal(unit, f.unit)
      assert.equal(qualifier, f.qualifier)
      assert.equal(min, f.min)
      assert.equal(max, f.max)
    end)
  end

  it("1/5 -> 0.2", function()
    local f = figure("1/5")
    assert.is_not_nil(f)
    assert.equal(0.2, f.value)
    assert.equal("exact", f.qualifier)
    assert.is_true(f.unit == nil or f.unit == "")
  end)

  it("have English and Chinese labels", function()
    for _, f in ipairs(art.figures) do
      assert.is_true(#f.label > 0 and #f.label_zh > 0, f.id)
    end
  end)

  it("agree with the quantity parser", function()
    for _, f in ipairs(art.figures) do
      local q = assert(siqun.quantity(f.text))
      for _, k in ipairs { "value", "unit", "qualifier", "min", "max" } do
        assert.equal(q[k], f[k], f.id .. "." .. k)
      end
    end
  end)
end)

describe("quotas", function()
  local function quota(rank, activity)
    return art.quotas:find { rank = rank, activity = activity }
  end

  local minima = {
    { "province", "research", 1, "个月" }, { "prefecture", "research", 2, "个月" },
    { "county", "research", 3, "个月" },
    { "province", "village_stay", 3, "天" }, { "prefecture", "village_stay", 7, "天" },
    { "county", "village_stay", 10, "天" }, { "township", "village_stay", 60, "天" },
  }
  for _, m in ipairs(minima) do
    local rank, activity, min, unit = compat.unpack(m)
    it(("%s %s: at least %d %s a year"):format(rank, activity, min, unit), function()
      local q = quota(rank, activity)
      assert.is_not_nil(q)
      assert.equal(min, q.min)
      assert.equal(min, q.value)
      assert.equal(unit, q.unit)
      assert.equal("at_least", q.qualifier)
      assert.equal("integer", compat.math_type(q.min))
      assert.equal("year", q.per)
      assert.is_nil(q.max)
      assert.equal("不少于" .. min .. unit, q.text)
    end)
  end

  it("set no research minimum for townships", function()
    assert.is_nil(quota("township", "research"))
  end)

  it("send a fifth of the cadres to work teams each year", function()
    local shares = art.quotas:filter { activity = "work_team_share" }
    assert.is_true(#shares > 0)
    for _, q in ipairs(shares) do
      assert.equal(0.2, q.value)
      assert.equal("year", q.per)
    end
  end)

  it("name a pairing tier that is a glossary term", function()
    local pairing = art.quotas:filter { activity = "pairing" }
    assert.is_true(#pairing > 0)
    for _, q in ipairs(pairing) do
      assert.is_not_nil(art.glossary:get(q.text), q.text)
    end
  end)
end)

describe("the glossary", function()
  local numbered = { "三个反思", "四群", "三深入", "四联户", "三同", "三本书", "六个专题", "六个一" }
  for _, term in ipairs(numbered) do
    it(term .. ": count == #members", function()
      local g = art.glossary:get(term)
      assert.is_not_nil(g, "no glossary term " .. term)
      assert.is_true(List.is_list(g.members))
      assert.equal("integer", compat.math_type(g.count))
      assert.equal(g.count, #g.members)
      for _, m in ipairs(g.members) do assert.is_string(m) end
    end)
  end

  it("keeps a term's members in rows and records that outlive their Article", function()
    local rows = siqun.open():query("glossary where term = '四群'")
    local rec = siqun.open().glossary:get("六个一")
    local core_rec = siqun.core.open():table("glossary"):get("san_tong") -- no Article at all
    collectgarbage()
    collectgarbage()
    assert.same(art.glossary:get("四群").members:totable(), rows[1].members:totable())
    assert.equal(6, #rec.members)
    assert.equal(rec.members, rec.members) -- (the same List every time)
    assert.same({ "同吃", "同住", "同劳动" }, core_rec.members:totable())
  end)

  it("gets a term by id and by term alike", function()
    local g = art.glossary:get("四联户")
    assert.equal(g, art.glossary:get(g.id))
    assert.equal("四联户", g.term)
    assert.equal(4, g.count)
  end)

  it("lists members in the article's order", function()
    assert.same({ "同吃", "同住", "同劳动" }, art.glossary:get("三同").members:totable())
    assert.equal("领导蹲点联户", art.glossary:get("四联户").members:at(1))
    assert.equal("建卡经常联户", art.glossary:get("四联户").members:at(-1))
    local m = art.members:filter { term = art.glossary:get("三同").id }:sort("n")
    assert.same({ 1, 2, 3 }, m:map(function(r) return r.n end):totable())
  end)

  it("gives every term a members List (empty when it lists none)", function()
    for _, g in ipairs(art.glossary) do
      assert.is_true(List.is_list(g.members), g.term)
      local n = #art.members:filter { term = g.id }
      assert.equal(n, #g.members, g.term)
    end
  end)

  it("members also work on records fetched from the core directly", function()
    local g = art.glossary:get("三同")
    local raw = art.dataset:table("glossary"):get(g.id)
    assert.same(g.members:totable(), raw.members:totable())
  end)
end)

describe("people, places and events", function()
  it("events say where they happened (e.where is the place)", function()
    local onsite = art.events:find(function(e) return e.date_end ~= nil end)
    assert.is_not_nil(onsite)
    assert.is_string(onsite.where)
    assert.equal(onsite.place, onsite.where)
    assert.is_not_nil(art.places:get(onsite.where))
    for _, e in ipairs(art.events) do assert.equal(e.place, e.where) end
  end)

  it("have names, kinds and dates", function()
    for _, p in ipairs(art.people) do
      assert.is_true(#p.name > 0 and #p.role > 0)
    end
    for _, p in ipairs(art.places) do
      assert.is_true(#p.name > 0 and #p.kind > 0)
    end
    for _, e in ipairs(art.events) do
      -- ISO 8601 as precise as the article: YYYY, YYYY-MM or YYYY-MM-DD
      local ok = e.date:match("^%d%d%d%d$") or e.date:match("^%d%d%d%d%-%d%d$")
                 or e.date:match("^%d%d%d%d%-%d%d%-%d%d$")
      assert.is_truthy(ok, e.date)
      if e.date_end then assert.is_true(e.date_end >= e.date) end
      assert.is_true(#e.what > 0)
    end
  end)
end)

describe("closing an Article", function()
  it("releases its dataset; records then raise", function()
    local f
    if compat.lua_num >= 504 then
      -- `local x <close>` does not parse before Lua 5.4: compiled here only
      f = assert(load([[
        local siqun, assert = ...
        local f
        do
          local a <close> = assert(siqun.open())
          f = a.figures[1]
          assert.is_string(f.text)
        end
        return f
      ]]))(siqun, assert)
    else
      -- before 5.4 nothing closes by itself: close as <close> would
      local a = assert(siqun.open())
      f = a.figures[1]
      assert.is_string(f.text)
      a:close()
    end
    assert.has_error(function() return f.text end)
    local b = assert(siqun.open())
    b:close()
    b:close()
    assert.has_error(function() return b.meta.title end)
  end)
end)

describe("siqun.open(dir)", function()
  local function sh(cmd)
    local ok = V.execute(cmd)
    assert(ok, "command failed: " .. cmd)
  end

  local function copy_data()
    local dir = os.tmpname()
    os.remove(dir)
    sh(("cp -r data '%s'"):format(dir))
    return dir
  end

  local function rewrite(path, fn)
    local f = assert(io.open(path, "rb"))
    local s = f:read("*a")
    f:close()
    f = assert(io.open(path, "wb"))
    f:write(fn(s))
    f:close()
  end

  local dirs = {}
  teardown(function()
    for _, d in ipairs(dirs) do V.execute(("rm -rf '%s'"):format(d)) end
  end)

  it("opens a copy of data/ with the same content as the embedded dataset", function()
    local dir = copy_data()
    dirs[#dirs + 1] = dir
    local mine, err = siqun.open(dir)
    assert.is_not_nil(mine, err)
    for _, name in ipairs(TABLES) do
      assert.equal(#art:table(name), #mine:table(name), name)
    end
    assert.equal(art.meta.title, mine.meta.title)
    assert.same(art.glossary:get("四联户").members:totable(),
                mine.glossary:get("四联户").members:totable())
    -- two datasets: their records are distinct
    assert.not_equal(art.figures[1], mine.figures[1])
  end)

  it("returns nil and a message naming the file and field for a bad cell", function()
    local dir = copy_data()
    dirs[#dirs + 1] = dir
    -- make the first figure's section not an integer
    -- the first figure's row ends in section,start,end: make section "x"
    rewrite(dir .. "/figures.csv", function(s)
      local header, first, rest = s:match("^([^\n]*\n)([^\n]*\n)(.*)$")
      assert(header:match(",section,start,end\n$"))
      local n
      first, n = first:gsub(",%d+,(%d+),(%d+)\n$", ",x,%1,%2\n")
      assert(n == 1)
      return header .. first .. rest
    end)
    local mine, err = siqun.open(dir)
    assert.is_nil(mine)
    assert.is_string(err)
    assert.matches("figures.csv", err, 1, true)
    assert.matches("section", err, 1, true)
  end)

  it("returns nil and a message for a missing resource", function()
    local dir = copy_data()
    dirs[#dirs + 1] = dir
    os.remove(dir .. "/quotas.csv")
    local mine, err = siqun.open(dir)
    assert.is_nil(mine)
    assert.matches("quotas.csv", err, 1, true)
  end)

  it("returns nil and a message for a directory without a data package", function()
    local mine, err = siqun.open("/nonexistent/siqun-data")
    assert.is_nil(mine)
    assert.is_string(err)
  end)

  it("raises for a non-string argument", function()
    assert.has_error(function() siqun.open(42) end)
  end)
end)

describe("siqun.summary", function()
  it("reports the article from dataset fields", function()
    local s = siqun.summary(art)
    assert.is_string(s)
    assert.matches(art.meta.title, s, 1, true)
    assert.matches(art.meta.outlet, s, 1, true)
    assert.matches(art.meta.author, s, 1, true)
    for _, sec in ipairs(art.sections) do
      assert.matches(sec.heading, s, 1, true)
      assert.matches(sec.theme, s, 1, true)
    end
    -- the largest figure heads its category
    assert.matches(art.figures:sort("value", "desc")[1].text, s, 1, true)
    assert.matches("四联户", s, 1, true)
    assert.equal(s, art:summary())
    assert.equal(s, siqun.summary())
  end)

  it("fits a terminal: at most 80 lines of at most 78 columns", function()
    local width = require("siqun.text").width
    local s = siqun.summary(art)
    local n = 0
    for line in s:gmatch("([^\n]*)\n") do
      n = n + 1
      assert.is_true(width(line) <= 78, line)
      assert.is_nil(line:find("%s$"), "trailing space: " .. line)
    end
    assert.is_true(n <= 80, n .. " lines")
    for line in siqun.summary(art, { width = 60 }):gmatch("([^\n]*)\n") do
      assert.is_true(width(line) <= 60, line)
    end
  end)

  it("shows the quota matrix", function()
    local s = siqun.summary(art)
    assert.matches("province%s*|%s*1 个月%s*|%s*3 天", s)
    assert.matches("township%s*|%s*%-%s*|%s*60 天", s)
  end)

  it("rejects other values", function()
    assert.has_error(function() siqun.summary({}) end)
    assert.has_error(function() siqun.summary(art, 78) end,
                     "bad argument #2 to 'summary' (table expected, got number)")
    assert.has_error(function() art:summary("wide") end,
                     "bad argument #1 to 'summary' (table expected, got string)")
    for _, w in ipairs { "78", 78.5, 0, -1, 19 } do
      assert.has_error(function() siqun.summary(art, { width = w }) end,
                       "bad option 'width' to 'summary' (integer of at least 20 expected, got "
                       .. tostring(w) .. ")")
    end
    assert.is_string(siqun.summary(art, { width = 20 }))
  end)
end)

-- Misuse of the facade raises a Lua error with a message: every Article
-- method with every kind of wrong receiver, and with wrong arguments.
describe("misuse of an Article", function()
  local WRONG = { false, 0, "x", {}, print, io.stdout, List{} }

  it("raises for a wrong receiver of every method", function()
    for _, name in ipairs { "tables", "table", "attach", "attach_text", "attached",
                            "source_info", "slice", "close", "summary", "report" } do
      local f = art[name]
      assert.is_function(f, name)
      for _, wrong in ipairs(WRONG) do
        local ok, err = pcall(f, wrong, "figures")
        assert(not ok, name .. " accepted a " .. type(wrong))
        assert.matches("bad self to '" .. name .. "' (siqun.Article expected", err, 1, true)
      end
      -- a record or a core userdata is no Article either
      assert.is_false((pcall(f, art.figures[1], "figures")))
      assert.is_false((pcall(f, art.dataset, "figures")))
    end
  end)

  it("raises for wrong arguments", function()
    for _, wrong in ipairs { false, 0, {}, print } do
      assert.has_error(function() art:attach(wrong) end)
      assert.has_error(function() art:attach_text(wrong) end)
      assert.has_error(function() art:slice(wrong, 1) end)
      assert.has_error(function() siqun.open(wrong) end)
    end
    assert.has_error(function() art:slice(0, 1) end,
                     "no source attached: call attach(path) first")
    assert.is_nil((art:table(42)))
  end)
end)
