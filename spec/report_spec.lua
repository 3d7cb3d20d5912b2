-- siqun.report: the registry, the runner, the built-in reports in every
-- format, the consistency checks and the SQLite writer.

local compat = require "siqun.compat"
local utf8 = compat.utf8
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua (siqun.compat)
local V = require "spec.lua_version"
local siqun = require "siqun"
local report = require "siqun.report"
local dkjson = require "dkjson"

local art = assert(siqun.open())

local function tmpdir()
  local p = assert(V.popen("mktemp -d"))
  local d = p:read("*l")
  p:close()
  return d
end

local function sh(cmd)
  local p = assert(V.popen(cmd .. " 2>&1"))
  local out = p:read("*a")
  local _, _, code = p:close()
  return out, code
end

local function files_in(dir)
  local out = {}
  local p = assert(V.popen("ls -A " .. dir))
  for l in p:lines() do out[#out + 1] = l end
  p:close()
  table.sort(out)
  return out
end

local function has_luasql()
  return (pcall(require, "luasql.sqlite3"))
end

local function has_sqlite3_cli()
  local _, code = sh("command -v sqlite3")
  return code == 0
end

-- The first row of table name whose id is id.
local function row_by_id(doc, tname, id)
  for _, b in ipairs(doc.blocks) do
    if b.kind == "table" and b.name == tname then
      for _, r in ipairs(b.rows) do
        if r.id == id then return r end
      end
    end
  end
end

describe("siqun.report registry", function()
  it("lists the built-in reports sorted, with descriptions", function()
    local names = {}
    for _, r in ipairs(report.list()) do
      names[#names + 1] = r.name
      assert.is_string(r.description)
      assert.is_true(#r.description > 0, r.name)
    end
    for _, b in ipairs(report.BUILTIN) do
      local found = false
      for _, n in ipairs(names) do found = found or n == b end
      assert.is_true(found, b)
    end
    local sorted = { compat.unpack(names) }
    table.sort(sorted)
    assert.same(sorted, names)
  end)

  it("registers, runs and unregisters a user's report", function()
    report.register("spec_big", function(a, opts)
      local rows = {}
      for _, f in ipairs(a.figures) do
        if (f.value or 0) >= opts.min then rows[#rows + 1] = f end
      end
      return { title = "big", blocks = { { kind = "table", name = "big",
        columns = { "id", { name = "value", type = "number" } }, rows = rows } } }
    end, "figures above opts.min")
    finally(function() report.unregister("spec_big") end)
    local found
    for _, r in ipairs(report.list()) do
      if r.name == "spec_big" then found = r end
    end
    assert.same({ name = "spec_big", description = "figures above opts.min" }, found)
    local csv = report.run("spec_big", art, "csv", { min = 1e9 })
    assert.equal("id,value\r\nlinking_funds,3550000000\r\n", csv)
    assert.has_error(function() report.register("spec_big", function() end) end,
                     "report 'spec_big' is already registered")
    assert.has_error(function() report.register("quotas", function() end) end,
                     "report 'quotas' is already registered")
    -- built-in names stay taken where no file is found (the compiled
    -- command, a static host): the layer's bytecode, not package.path
    -- (a fresh siqun.report: this one has loaded the built-ins already)
    local path, loaded = package.path, package.loaded["siqun.report"]
    package.path, package.loaded["siqun.report"] = "", nil
    local layer, fresh = pcall(require, "siqun.report") -- (not with SIQUN_LUA_SOURCES=1)
    local ok, err
    if layer then ok, err = pcall(fresh.register, "timeline", function() end) end
    package.path, package.loaded["siqun.report"] = path, loaded
    if layer then
      assert.is_false(ok)
      assert.matches("report 'timeline' is already registered", err, 1, true)
    end
    assert.is_true(report.unregister("spec_big"))
    assert.is_false(report.unregister("spec_big"))
  end)

  it("rejects bad names and non-functions", function()
    assert.has_error(function() report.register("has space", function() end) end)
    assert.has_error(function() report.register(nil, function() end) end)
    assert.has_error(function() report.register("ok_name", "nope") end,
      "bad argument #2 to 'register' (function expected, got string)")
  end)

  it("returns nil and a message for an unknown report or format", function()
    local out, err = report.run("no_such_report", art, "text")
    assert.is_nil(out)
    assert.matches("no report named 'no_such_report' (reports: ", err, 1, true)
    assert.matches("quotas", err, 1, true)
    out, err = report.run("quotas", art, "docx")
    assert.is_nil(out)
    assert.equal("unknown format 'docx' (formats: text, markdown, csv, json, ndjson, html, sqlite)", err)
  end)

  it("raises for misuse", function()
    assert.has_error(function() report.run("quotas", {}, "text") end,
      "bad argument #2 to 'run' (siqun.Article expected, got table)")
    assert.has_error(function() report.run("quotas", art, "text", "x") end)
    assert.has_error(function() report.run(42, art) end)
  end)

  it("names the report whose document is malformed", function()
    report.register("spec_bad", function()
      return { title = "bad", blocks = { { kind = "table", columns = {}, rows = { { 1 } } } } }
    end)
    finally(function() report.unregister("spec_bad") end)
    assert.has_error(function() report.run("spec_bad", art, "text") end,
      "report 'spec_bad': bad report document: block 1 (table): "
      .. "table needs a non-empty array 'columns'")
  end)

  it("runs on the embedded article when art is nil", function()
    assert.equal(report.run("people", art, "csv"), report.run("people", nil, "csv"))
  end)

  it("loads a user's file that registers a report", function()
    local dir = tmpdir()
    finally(function() V.execute("rm -rf " .. dir) end)
    local path = dir .. "/mine.lua"
    local f = assert(io.open(path, "w"))
    f:write([[require("siqun.report").register("spec_loaded", function()
      return { title = "x", blocks = { { kind = "para", text = "hello" } } }
    end, "from a file")]])
    f:close()
    finally(function() report.unregister("spec_loaded") end)
    assert.is_true(report.load(path))
    assert.equal("x\n=\n\nhello\n", report.run("spec_loaded", art, "text"))
    local ok, err = report.load(dir .. "/missing.lua")
    assert.is_nil(ok)
    assert.matches("missing.lua", err, 1, true)
  end)

  it("takes a user's writer", function()
    report.register_writer("spec_lines", {
      extension = "txt",
      write = function(doc) return doc.title .. ":" .. #doc.blocks end,
    })
    assert.equal("Quotas:5", report.run("quotas", art, "spec_lines"))
    assert.has_error(function() report.register_writer("csv", function() end) end,
                     "format 'csv' is already registered")
    local formats = report.formats()
    assert.equal("spec_lines", formats[#formats])
  end)
end)

describe("built-in reports", function()
  local formats = { "text", "markdown", "csv", "json", "html" }
  for _, entry in ipairs(report.list()) do
    local name = entry.name
    if not name:match("^spec_") then
      it(name .. " works in every format", function()
        for _, fmt in ipairs(formats) do
          local out, err = report.run(name, art, fmt)
          assert.is_string(out, fmt .. ": " .. tostring(err))
          assert.is_true(#out > 0, fmt)
          assert.is_truthy(utf8.len(out), fmt .. " output is UTF-8")
          if fmt == "json" then
            local doc = assert(dkjson.decode(out))
            assert.equal(name, doc.report)
          elseif fmt == "html" then
            assert.matches("^<!DOCTYPE html>", out)
            assert.not_matches("<script", out)
            assert.not_matches("https?://[^\"<]*%.css", out)
          end
        end
      end)
    end
  end

  it("figures: one row per figure with the derived fields", function()
    local doc = report.build("figures", art)
    local r = row_by_id(doc, "figures", "linking_funds")
    assert.equal(3550000000, r.value)
    assert.equal("integer", compat.math_type(r.value))
    assert.equal("元", r.unit)
    assert.equal("35.5亿元", r.text)
    local rows = doc.blocks[2].rows
    assert.equal(#art.figures, #rows)
    local chart = doc.blocks[3]
    assert.equal("chart", chart.kind)
    assert.is_true(chart.log, "values span more than 1000x: log scale")
  end)

  it("quotas: ranks in order as rows, activities as columns", function()
    local doc = report.build("quotas", art)
    local m = doc.blocks[2]
    local ranks = {}
    for i, r in ipairs(m.rows) do ranks[i] = r.rank end
    assert.same({ "province", "prefecture", "county", "township" }, ranks)
    assert.equal("rank", m.columns[1].name)
    assert.equal("research", m.columns[2].name)
    assert.equal("village_stay", m.columns[3].name)
    assert.equal(art.quotas:get("stay_township").text, m.rows[4].village_stay)
    assert.is_nil(m.rows[4].research)
    -- the charts: each activity in its own unit
    local units = {}
    for _, b in ipairs(doc.blocks) do
      if b.kind == "chart" then units[b.name] = b.unit end
    end
    assert.same({ research = art.quotas:get("research_county").unit,
                  village_stay = art.quotas:get("stay_county").unit }, units)
  end)

  it("glossary: bilingual with counts and members", function()
    local doc = report.build("glossary", art)
    local r = row_by_id(doc, "glossary", "san_tong")
    local g = art.glossary:get("san_tong")
    assert.equal(g.term, r.term)
    assert.equal(g.pinyin, r.pinyin)
    assert.equal(g.en, r.en)
    assert.equal(3, r.count)
    assert.same(g.members:totable(), r.members)
  end)

  it("timeline: events sorted by date, first on a time axis", function()
    local doc = report.build("timeline", art)
    local rows = doc.blocks[3].rows
    assert.equal(#art.events, #rows)
    for i = 2, #rows do assert.is_true(rows[i - 1].date <= rows[i].date) end
    local chart = doc.blocks[2]
    assert.equal("timeline", chart.chart)
    assert.equal(#rows, #chart.data)
    for i, d in ipairs(chart.data) do
      assert.equal(rows[i].date, d.date)
      assert.equal(rows[i].date_end, d.date_end)
      assert.equal(rows[i].text, d.text)
    end
  end)

  it("people: place names resolved", function()
    local doc = report.build("people", art)
    local r = row_by_id(doc, "people", "qin_guangrong")
    local p = art.people:get("qin_guangrong")
    assert.equal(art.places:get(p.place).name, r.place)
    assert.equal(p.role_zh, r.role_zh)
  end)

  it("summary: meta, sections with themes, counts and headline figures", function()
    local doc = report.build("summary", art)
    local names = {}
    for _, b in ipairs(doc.blocks) do names[#names + 1] = b.name end
    assert.same({ "at_a_glance", "meta", "sections", "tables", "headline_figures" }, names)
    assert.equal(#art.sections, #doc.blocks[3].rows)
    assert.equal("depth", doc.blocks[3].rows[2].theme)
    assert.equal(#art:tables(), #doc.blocks[4].rows)
    -- the chart: the headline figures that count things or money, largest first
    local chart, head = doc.blocks[1], doc.blocks[5].rows
    local charted = 0
    for _, r in ipairs(head) do
      if r.category ~= "share" and r.category ~= "duration" then charted = charted + 1 end
    end
    assert.equal(charted, #chart.data)
    assert.is_true(chart.log)
    for i = 2, #chart.data do assert.is_true(chart.data[i - 1].value >= chart.data[i].value) end
    assert.equal(art.figures:get("linking_funds").text, chart.data[1].text)
  end)
end)

describe("consistency report", function()
  local doc = report.build("consistency", art)
  local checks = doc.blocks[2].rows
  local by = {}
  for _, c in ipairs(checks) do by[c.id] = c end

  it("passes every check on the dataset", function()
    for _, c in ipairs(checks) do
      assert.equal("ok", c.verdict, c.id .. ": " .. tostring(c.arithmetic))
      assert.is_string(c.tolerance)
      assert.is_string(c.arithmetic)
    end
  end)

  it("recomputes from the records' values", function()
    local f = function(id) return art.figures:get(id) end
    assert.equal(f("households_linked").max / f("rural_households").value * 100,
                 by.linked_share.result)
    assert.near(30.0, by.linked_share.result, 0.05)
    assert.equal(f("team_members").value / f("work_teams").value, by.members_per_team.result)
    assert.near(16.8, by.members_per_team.result, 0.05)
    assert.equal(60000, by.funds_per_team_project.result)
    assert.equal(f("linking_funds").value / f("linking_projects").min,
                 by.funds_per_linking_project.result)
    assert.equal(1, by.share_cycle_county.result)
    assert.matches("< 60 天", by.village_stay_rising.arithmetic, 1, true)
    assert.is_truthy(by.numeral_liu_ge_yi)
  end)

  it("has a check for every numbered glossary term", function()
    local n = 0
    for _, g in ipairs(art.glossary) do
      if g.count then
        n = n + 1
        assert.is_truthy(by["numeral_" .. g.id], g.id)
      end
    end
    assert.is_true(n >= 8)
  end)

  -- A stand-in article with one number changed.
  local function tampered(fig_id, field, value, drop)
    local fake = { figures = {}, quotas = {}, glossary = {}, members = {} }
    for _, t in ipairs { "figures", "quotas", "glossary", "members" } do
      for _, r in ipairs(art[t]) do
        local copy = r:totable()
        if t == "glossary" then copy.count = r.count end
        if copy.id == fig_id then
          if drop then copy = nil else copy[field] = value end
        end
        fake[t][#fake[t] + 1] = copy
      end
    end
    return require("siqun.reports.consistency").run(fake, {})
  end

  local function verdict(d, id)
    for _, r in ipairs(d.blocks[2].rows) do
      if r.id == id then return r.verdict, r end
    end
  end

  it("says off when a number disagrees", function()
    assert.equal("off", verdict(tampered("linked_share", "value", 40), "linked_share"))
    assert.equal("off", verdict(tampered("stay_county", "min", 70), "village_stay_rising"))
    assert.equal("off", verdict(tampered("team_cycle_county", "max", 4), "share_cycle_county"))
    assert.equal("ok", verdict(tampered("stay_county", "min", 11), "village_stay_rising"))
  end)

  it("says off, naming the record, when one is missing", function()
    local v, row = verdict(tampered("work_teams", nil, nil, true), "members_per_team")
    assert.equal("off", v)
    assert.equal("figures record 'work_teams' not found", row.arithmetic)
  end)
end)

describe("sqlite writer", function()
  if not has_luasql() then
    pending("LuaSQL for SQLite 3 is not installed (apt-get install lua-sql-sqlite3)")
    return
  end
  local dir
  before_each(function() dir = tmpdir() end)
  after_each(function() V.execute("rm -rf " .. dir) end)

  local function query(db, sql)
    local luasql = require "luasql.sqlite3"
    local env = luasql.sqlite3()
    local conn = assert(env:connect(db))
    local cur = assert(conn:execute(sql))
    local rows = {}
    local r = cur:fetch({}, "a")
    while r do
      rows[#rows + 1] = r
      r = cur:fetch({}, "a")
    end
    cur:close()
    conn:close()
    env:close()
    return rows
  end

  it("writes every table with its rows", function()
    local db = dir .. "/siqun.db"
    assert.is_true(report.sqlite(art, db))
    for _, name in ipairs(art:tables()) do
      local rows = query(db, ('select count(*) as n from "%s"'):format(name))
      assert.equal(#art:table(name), rows[1].n, name)
    end
    assert.same({ "siqun.db" }, files_in(dir))
  end)

  it("answers the sqlite3 command line", function()
    if not has_sqlite3_cli() then
      pending("the sqlite3 command is not installed")
      return
    end
    local db = dir .. "/siqun.db"
    assert.is_true(report.sqlite(art, db))
    local out, code = sh("sqlite3 " .. db .. " 'select count(*) from figures'")
    assert.equal(0, code)
    assert.equal(#art.figures .. "\n", out)
    out = sh("sqlite3 " .. db .. " \"select value from figures where id = 'linking_funds'\"")
    assert.equal("3550000000\n", out)
    out = sh("sqlite3 " .. db .. " 'PRAGMA foreign_key_check'")
    assert.equal("", out)
  end)

  it("types the columns and declares the keys", function()
    local db = dir .. "/siqun.db"
    assert.is_true(report.sqlite(art, db))
    local cols = {}
    for _, r in ipairs(query(db, "PRAGMA table_info(figures)")) do cols[r.name] = r end
    assert.equal("INTEGER", cols.section.type)
    assert.equal("NUMERIC", cols.value.type)
    assert.equal("TEXT", cols.text.type)
    assert.equal(1, cols.id.pk)
    local t = query(db, "select typeof(value) as v, typeof(section) as s from figures "
                        .. "where id = 'study_books'")[1]
    assert.same({ v = "integer", s = "integer" }, t)
    t = query(db, "select typeof(value) as v from figures where id = 'cadre_share'")[1]
    assert.equal("real", t.v)
    local fks = {}
    for _, r in ipairs(query(db, "PRAGMA foreign_key_list(places)")) do
      fks[r.from] = r.table .. "." .. r.to
    end
    assert.same({ section = "sections.number", parent = "places.id" }, fks)
    local members_pk = {}
    for _, r in ipairs(query(db, "PRAGMA table_info(members)")) do
      if r.pk > 0 then members_pk[r.pk] = r.name end
    end
    assert.same({ "term", "n" }, members_pk)
    -- the keys are enforced
    local luasql = require "luasql.sqlite3"
    local env = luasql.sqlite3()
    local conn = assert(env:connect(db))
    assert(conn:execute("PRAGMA foreign_keys = ON"))
    local res = conn:execute("insert into members (term, n, text) values ('nope', 1, 'x')")
    conn:close()
    env:close()
    assert.is_nil(res)
  end)

  it("declares the keys the data package declares", function()
    local f = assert(io.open("data/datapackage.json", "rb"))
    local pkg = assert(dkjson.decode(f:read("*a")))
    f:close()
    local keys = require("siqun.writer.sqlite").KEYS
    local function arr(x) return type(x) == "table" and x or { x } end
    for _, res in ipairs(pkg.resources) do
      local k = keys[res.name]
      assert.is_truthy(k, res.name)
      assert.same(arr(res.schema.primaryKey), k.pk, res.name)
      local want = {}
      for _, fk in ipairs(res.schema.foreignKeys or {}) do
        want[#want + 1] = { fields = arr(fk.fields), table = fk.reference.resource,
                            ref = arr(fk.reference.fields) }
      end
      assert.same(want, k.fks or {}, res.name)
    end
  end)

  it("refuses an existing file unless forced", function()
    local db = dir .. "/siqun.db"
    local f = assert(io.open(db, "w"))
    f:write("keep me")
    f:close()
    local ok, err = report.sqlite(art, db)
    assert.is_nil(ok)
    assert.equal(db .. ": file exists (pass force to replace it)", err)
    f = assert(io.open(db, "rb"))
    assert.equal("keep me", f:read("*a"))
    f:close()
    assert.is_true(report.sqlite(art, db, { force = true }))
    assert.equal(#art.figures, query(db, "select count(*) as n from figures")[1].n)
    assert.same({ "siqun.db" }, files_in(dir))
  end)

  it("leaves no partial file when writing fails", function()
    local db = dir .. "/siqun.db"
    -- keys that the rows break: the commit fails
    local ok, err = report.sqlite(art, db, { keys = {
      members = { pk = { "term", "n" }, fks = { { fields = { "term" }, table = "places",
                                                  ref = { "id" } } } } } })
    assert.is_nil(ok)
    assert.matches("FOREIGN KEY", err:upper(), 1, true)
    assert.same({}, files_in(dir))
    ok, err = report.sqlite(art, dir .. "/no/such/dir/x.db")
    assert.is_nil(ok)
    assert.is_string(err)
  end)

  it("adds a report's tables through run", function()
    local db = dir .. "/c.db"
    assert.equal(db, report.run("consistency", art, "sqlite", { path = db }))
    local rows = query(db, "select verdict, count(*) as n from report_checks group by verdict")
    assert.same({ { verdict = "ok", n = #report.build("consistency", art).blocks[2].rows } },
                rows)
    assert.has_error(function() report.run("consistency", art, "sqlite") end)
  end)
end)

describe("report.write", function()
  local dir
  before_each(function() dir = tmpdir() end)
  after_each(function() V.execute("rm -rf " .. dir) end)

  it("writes a file and refuses to overwrite it", function()
    local path = dir .. "/q.md"
    assert.is_true(report.write("quotas", art, "markdown", path))
    local f = assert(io.open(path, "rb"))
    assert.equal(report.run("quotas", art, "markdown"), f:read("*a"))
    f:close()
    local ok, err = report.write("quotas", art, "markdown", path)
    assert.is_nil(ok)
    assert.matches("file exists", err, 1, true)
    assert.is_true(report.write("people", art, "csv", path, { force = true }))
    assert.same({ "q.md" }, files_in(dir))
    ok = report.write("nope", art, "csv", dir .. "/n.csv")
    assert.is_nil(ok)
    assert.same({ "q.md" }, files_in(dir))
  end)
end)
