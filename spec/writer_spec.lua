-- The writers on hand-made documents: alignment by display width, CSV
-- quoting and formula neutralisation, exact JSON, HTML escaping, Markdown
-- escaping, document checks.

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua (siqun.compat)
local report = require "siqun.report"
local common = require "siqun.writer.common"
local width = require("siqun.text").width
local dkjson = require "dkjson"
local cjson = require "cjson"

local function doc(rows, columns, extra)
  local d = { title = "T", blocks = { { kind = "table", name = "t", caption = "c",
    columns = columns or { { name = "name" }, { name = "n", type = "number" } },
    rows = rows } } }
  for _, b in ipairs(extra or {}) do d.blocks[#d.blocks + 1] = b end
  return d
end

local function lines(s)
  local out = {}
  for l in s:gmatch("([^\n]*)\n") do out[#out + 1] = l end
  return out
end

local NASTY = "<b>&\"'</b>"
-- 2^53 + 1 as the writers print it: exact with 5.3's integers; without
-- them (5.1, 5.2, LuaJIT) the literal is already the double 2^53, which
-- must still come out in full digits, not as 9.007199254741e+15
local BIG = compat.integers and "9007199254740993" or "9007199254740992"

describe("document checks", function()
  it("accept keyed and positional rows alike", function()
    local a = report.csv(doc { { name = "x", n = 1 }, { name = "y" } })
    local b = report.csv(doc { { "x", 1 }, { "y" } })
    assert.equal("name,n\r\nx,1\r\ny,\r\n", a)
    assert.equal(a, b)
  end)

  it("name the faulty block", function()
    assert.has_error(function() report.text({ blocks = { { kind = "poem" } } }) end,
      "bad report document: block 1: unknown kind 'poem' "
      .. "(heading, para, list, table or chart)")
    assert.has_error(function()
      report.text(doc({ { name = { {} } } }))
    end, "bad report document: block 1 (table): row 1: column 'name': unsupported cell type "
      .. "table (a cell is a string, number, boolean or a list of strings and numbers)")
    assert.has_error(function()
      report.text(doc({ { name = print } }))
    end, "bad report document: block 1 (table): row 1: column 'name': unsupported cell type function")
  end)

  it("join list-valued cells (a term's members) into one cell", function()
    local out = report.csv(doc({ { name = { "同吃", "同住", 3 } }, { name = {} } }))
    assert.matches("同吃 · 同住 · 3", out, 1, true)
    assert.has_error(function()
      report.text(doc({}, { { name = "a" }, { name = "a" } }))
    end, "bad report document: block 1 (table): column 2: duplicate column 'a'")
    assert.has_error(function() report.json("nope") end,
      "bad report document (table expected, got string)")
    assert.has_error(function()
      report.html { blocks = { { kind = "chart", data = { { label = "a", value = "1" } } } } }
    end, "bad report document: block 1 (chart): data 1: value: number expected, got string")
  end)

  it("replace invalid UTF-8", function()
    local out = report.text { title = "a\255b", blocks = {} }
    assert.equal("a\239\191\189b\n===\n", out)
  end)
end)

describe("text writer", function()
  it("aligns columns by display width", function()
    local out = report.text(doc {
      { name = "情的交融", n = 1 }, { name = "abc", n = 22 }, { name = "四群x", n = 333 } })
    local ls = lines(out)
    -- title, rule, blank, caption, header, rule, 3 rows
    assert.equal(9, #ls)
    local w = width(ls[5])
    for i = 6, 9 do assert.equal(w, width(ls[i]), ls[i]) end
    assert.equal("情的交融    1", ls[7])
    assert.equal("abc        22", ls[8])
  end)

  it("groups thousands and right-aligns numbers", function()
    local out = report.text(doc { { name = "a", n = 3550000000 }, { name = "b", n = 0.2 } })
    assert.matches("a     3,550,000,000\n", out, 1, true)
    assert.matches("b               0.2\n", out, 1, true)
    out = report.text(doc { { name = "a", n = 3550000000 } }, { group = "" })
    assert.matches("a     3550000000\n", out, 1, true)
  end)

  it("expands a table wider than the line", function()
    local long = ("word "):rep(30)
    local d = doc { { name = long, n = 1 } }
    local out = report.text(d, { width = 40 })
    assert.matches("-[ 1 ]", out, 1, true)
    for _, l in ipairs(lines(out)) do assert.is_true(width(l) <= 40, l) end
    out = report.text(d, { width = 40, expanded = false })
    assert.not_matches("-[ 1 ]", out, 1, true)
    assert.matches("…", out, 1, true)
    out = report.text(d, { width = 0 })
    assert.matches(long:gsub("%s+$", ""), out, 1, true)
  end)

  it("wraps only the last column when that is enough", function()
    local d = { blocks = { { kind = "table", columns = { "k", "v" },
      rows = { { "四群", ("word "):rep(12) }, { "b", "short" } } } } }
    local out = report.text(d, { width = 30 })
    assert.equal("k     v\n----  ------------------------\n"
                 .. "四群  word word word word word\n      word word word word word\n"
                 .. "      word word\nb     short\n", out)
  end)

  it("draws bars, on a log scale when values span more than 1000x", function()
    local ch = { kind = "chart", title = "C", unit = "元",
                 data = { { label = "a", value = 1 }, { label = "b", value = 1e6 } } }
    local out = report.text({ blocks = { ch } }, { bar = 10 })
    assert.equal("C (unit: 元; log scale)\n  a  #           1\n  b  ##########  1,000,000\n", out)
    ch.log = false
    out = report.text({ blocks = { ch } }, { bar = 10 })
    assert.equal("C (unit: 元)\n  a  #           1\n  b  ##########  1,000,000\n", out)
  end)
end)

describe("csv writer", function()
  it("quotes per RFC 4180 with CRLF line ends", function()
    local out = report.csv(doc {
      { name = 'say "hi", then\nleave', n = 1 }, { name = "plain", n = -2 } })
    assert.equal('name,n\r\n"say ""hi"", then\nleave",1\r\nplain,-2\r\n', out)
  end)

  it("neutralises formula cells", function()
    local cells = { "=SUM(A1)", "+1", "-1+2", "@cmd", "\tx", "\rx", "safe=1" }
    local rows = {}
    for i, c in ipairs(cells) do rows[i] = { name = c } end
    local out = report.csv(doc(rows))
    assert.equal("name,n\r\n'=SUM(A1),\r\n'+1,\r\n'-1+2,\r\n'@cmd,\r\n'\tx,\r\n\"'\rx\",\r\n"
                 .. "safe=1,\r\n", out)
  end)

  it("writes numbers exactly, never grouped", function()
    local out = report.csv(doc { { name = "big", n = 9007199254740993 }, { name = "f", n = 0.1 } })
    assert.equal("name,n\r\nbig," .. BIG .. "\r\nf,0.1\r\n", out)
  end)

  it("writes the first table, or the one opts.table names", function()
    local d = doc({ { name = "a", n = 1 } }, nil, {
      { kind = "table", name = "second", columns = { "x" }, rows = { { x = "y" } } } })
    assert.equal("name,n\r\na,1\r\n", report.csv(d))
    assert.equal("x\r\ny\r\n", report.csv(d, { table = "second" }))
    assert.equal("x\r\ny\r\n", report.csv(d, { table = 2 }))
    local out, err = report.csv(d, { table = "third" })
    assert.is_nil(out)
    assert.equal("no table named 'third' (tables: t, second)", err)
    out, err = report.csv { blocks = { { kind = "para", text = "x" } } }
    assert.is_nil(out)
    assert.equal("the report has no table", err)
    assert.equal("\239\187\191name,n\r\na,1\r\n", report.csv(d, { bom = true }))
  end)
end)

describe("json writer", function()
  local d = doc({ { name = "big", n = 3550000000 }, { name = "huge", n = 9007199254740993 },
                  { name = "frac", n = 0.2 }, { name = NASTY .. "\n\0\226\128\168" },
                  { name = "nan", n = 0 / 0 } },
                nil, { { kind = "table", name = "empty", columns = { "a" }, rows = {} },
                       { kind = "list", items = {} } })
  local out = report.json(d)

  it("parses with dkjson and cjson", function()
    assert.is_table(dkjson.decode(out))
    assert.is_table(cjson.decode(out))
  end)

  it("keeps integers exact", function()
    assert.matches('"n": 3550000000', out, 1, true)
    assert.matches('"n": ' .. BIG, out, 1, true)
    local back = dkjson.decode(out)
    assert.equal(9007199254740993, back.blocks[1].rows[2].n)
    assert.equal(compat.integers and "integer" or "float", compat.math_type(back.blocks[1].rows[2].n))
    assert.equal(3550000000, cjson.decode(out).blocks[1].rows[1].n)
    assert.equal(0.2, back.blocks[1].rows[3].n)
  end)

  it("keeps empty arrays arrays and every column in each row", function()
    assert.matches('"rows": []', out, 1, true)
    assert.matches('"items": []', out, 1, true)
    local back = dkjson.decode(out, 1, dkjson.null)
    assert.equal(dkjson.null, back.blocks[1].rows[4].n)
    assert.equal(dkjson.null, back.blocks[1].rows[5].n)   -- NaN
    assert.matches('{"name": "nan", "n": null}', out, 1, true)
  end)

  it("escapes strings", function()
    local back = dkjson.decode(out)
    assert.equal(NASTY .. "\n\0\226\128\168", back.blocks[1].rows[4].name)
    assert.matches("\\u2028", out, 1, true)
    assert.matches("\\u0000", out, 1, true)
  end)

  it("writes keys in a fixed order (a row's in column order)", function()
    assert.equal(out, report.json(d))
    assert.matches('{"name": "big", "n": 3550000000}', out, 1, true)
    local top = out:match('^{\n  "title"')
    assert.is_truthy(top)
    local compact = report.json(d, { indent = 0 })
    assert.not_matches("\n.", compact)
    assert.matches('^{"title":"T","blocks":%[{"kind":"table","name":"t"', compact)
  end)

  it("encodes plain Lua data with sorted keys", function()
    local json = require "siqun.writer.json"
    assert.equal('{"a":[1,2],"b":{"c":"d"},"e":[]}',
                 json.encode({ b = { c = "d" }, a = { 1, 2 }, e = {} }, { indent = 0 }))
  end)
end)

describe("html writer", function()
  local d = doc({ { name = NASTY, n = 1234567 } }, nil, {
    { kind = "heading", text = NASTY }, { kind = "para", text = NASTY .. "\nline" },
    { kind = "list", items = { NASTY } },
    { kind = "chart", title = NASTY, data = { { label = NASTY, value = 1, group = NASTY },
                                              { label = "b", value = 1e5, group = "g2" } } } })
  d.title = NASTY
  local out = report.html(d)

  it("escapes every text", function()
    assert.not_matches("<b>", out, 1, true)
    assert.matches("&lt;b&gt;&amp;&quot;&#39;&lt;/b&gt;", out, 1, true)
    local raw = 0
    for _ in out:gmatch("&[^#a-z]") do raw = raw + 1 end
    assert.equal(0, raw, "no bare ampersand")
  end)

  it("is one self-contained page with an inline SVG chart", function()
    assert.matches("^<!DOCTYPE html>\n<html lang=\"en\">", out)
    assert.not_matches("<script", out, 1, true)
    assert.not_matches("<link", out, 1, true)
    assert.not_matches('src="', out, 1, true)
    assert.matches("<style>", out, 1, true)
    assert.matches('<svg class="chart bar wide" xmlns="http://www.w3.org/2000/svg"', out, 1, true)
    assert.matches('<svg class="chart bar narrow" xmlns="http://www.w3.org/2000/svg"', out, 1, true)
    assert.matches('data-scale="log"', out, 1, true)
    assert.matches('<td class="num" data-value="1234567">1,234,567</td>', out, 1, true)
    assert.matches('<ul class="legend">', out, 1, true)
  end)

  it("draws a linear scale below 1000x", function()
    local h = report.html { blocks = { { kind = "chart",
      data = { { label = "a", value = 3 }, { label = "b", value = 60 } } } } }
    assert.matches('data-scale="linear"', h, 1, true)
    local n = 0
    for _ in h:gmatch('<g class="bar"') do n = n + 1 end
    assert.equal(4, n) -- (each bar in the wide and the narrow layout)
  end)
end)

describe("markdown writer", function()
  it("escapes pipes and markup in cells and text", function()
    local out = report.markdown(doc({ { name = "a|b *c* <d>", n = 5 } }, nil,
                                    { { kind = "para", text = "# not a heading" } }))
    assert.matches("| a\\|b \\*c\\* \\<d\\> | 5 |", out, 1, true)
    assert.matches("| name | n |\n| --- | ---: |", out, 1, true)
    assert.matches("\n\\# not a heading\n", out, 1, true)
  end)

  it("keeps snake_case ids readable", function()
    local out = report.markdown(doc { { name = "study_books", n = 1 } })
    assert.matches("| study_books | 1 |", out, 1, true)
  end)

  it("draws charts in a fenced block", function()
    local out = report.markdown { blocks = { { kind = "chart", title = "C",
      data = { { label = "a", value = 1 } } } } }
    assert.equal("**C**\n\n```text\n  a  ##############################  1\n```\n", out)
  end)
end)

describe("writer helpers", function()
  it("exact numbers read back", function()
    for _, v in ipairs { 0.1, 1 / 3, 2 ^ 60, 3550000000, -0.5, 1e300 } do
      assert.equal(v, tonumber(common.exact(v)))
    end
    assert.equal("3", common.exact(3.0))
    assert.is_nil(common.exact(1 / 0))
  end)
end)

describe("terminal safety", function()
  it("text and Markdown drop control characters", function()
    local evil = "a\27[31mred\194\155b\7"
    local d = { title = evil, blocks = { { kind = "para", text = evil },
      { kind = "table", columns = { "x" }, rows = { { evil } } } } }
    for _, fmt in ipairs { "text", "markdown" } do
      local out = report[fmt](d)
      assert.not_matches("[\27\7]", out, nil, fmt)
      assert.not_matches("\194\155", out, 1, true)
      assert.matches(fmt == "text" and "a[31mredb" or "a\\[31mredb", out, 1, true)
    end
  end)
end)

describe("timeline charts", function()
  local function tl(data) return { blocks = { { kind = "chart", chart = "timeline",
                                                 title = "T", data = data } } } end
  local d = tl {
    { label = "a", date = "2012-01", text = "1月" },
    { label = "b", date = "2012-03-01", date_end = "2012-03-02", text = "3月1日至2日" },
    { label = "c", date = "2012-06-30" },
  }

  it("are checked: ISO dates as precise as known, date_end not before date", function()
    local prepared = common.prepare(d)
    local c = prepared.blocks[1]
    assert.equal("timeline", c.chart)
    local timeline = require "siqun.writer.timeline"
    assert.equal(timeline.days(2012, 1, 1), c.data[1].start)
    assert.equal(timeline.days(2012, 1, 31), c.data[1].stop)
    assert.is_false(c.data[1].exact)
    assert.is_true(c.data[2].exact)
    assert.equal(c.data[1].start, c.from)
    assert.equal(timeline.days(2012, 6, 30), c.to)
    assert.equal(0, timeline.days(1970, 1, 1))
    assert.same({ 2012, 2, 29 }, { timeline.civil(timeline.days(2012, 2, 29)) })
    local cases = {
      { { label = "x", date = "2012-13" },
        "data 1: date: '2012-13' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)" },
      { { label = "x", date = "2011-02-29" },
        "data 1: date: '2011-02-29' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)" },
      { { label = "x", date = 2012 }, "data 1: date: date expected (YYYY, YYYY-MM or "
                                       .. "YYYY-MM-DD), got number" },
      { { label = "x", date = "2012-06", date_end = "2012-05-31" },
        "data 1: date_end '2012-05-31' is before date '2012-06'" },
    }
    for _, case in ipairs(cases) do
      assert.has_error(function() report.json(tl { case[1] }) end,
                       "bad report document: block 1 (chart): " .. case[2])
    end
    assert.has_error(function()
      report.json { blocks = { { kind = "chart", chart = "pie", data = {} } } }
    end, "bad report document: block 1 (chart): unknown chart 'pie' (bar or timeline)")
  end)

  it("are drawn in text on a time axis, a day with #, a month with =", function()
    assert.equal("T\n"
      .. "     2012-01   2012-03   2012-05\n"
      .. "  a  =====                           1月\n"
      .. "  b            #                     3月1日至2日\n"
      .. "  c                               #  2012-06-30\n"
      .. "  (# the day or days given; = some time in that month or year)\n",
      report.text(d))
    local md = report.markdown(d)
    assert.matches("**T**\n\n```text\n     2012-01", md, 1, true)
    -- without a line width (Markdown), a long label is cut at 60 columns
    local long = tl { { label = ("word "):rep(30), date = "2012" } }
    md = report.markdown(long)
    assert.matches("\n  " .. ("word "):rep(11) .. "word…  =", md, 1, true)
    assert.matches(("word "):rep(30), report.html(long), 1, true) -- (in the tooltip)
  end)

  it("keep their dates in JSON", function()
    local out = report.json(d, { indent = 0 })
    assert.matches('"chart":"timeline"', out, 1, true)
    assert.matches('{"label":"b","date":"2012-03-01","date_end":"2012-03-02",'
                   .. '"text":"3月1日至2日"}', out, 1, true)
    assert.not_matches('"value"', out, 1, true)
  end)

  it("are drawn in SVG with a time axis, in both layouts", function()
    local h = report.html(d)
    assert.matches('<svg class="chart timeline wide"', h, 1, true)
    assert.matches('<svg class="chart timeline narrow"', h, 1, true)
    assert.matches('data-scale="time"', h, 1, true)
    assert.matches('<g class="event" data-date="2012-03-01/2012-03-02"><title>'
                   .. 'b: 3月1日至2日 (2012-03-01/2012-03-02)</title>', h, 1, true)
    assert.matches('<circle class="s1 day"', h, 1, true)
    assert.matches('<rect class="s1 period"', h, 1, true)
    assert.matches('<rect class="s1 days"', h, 1, true)
    assert.matches('<span class="key s1 period"></span>some time in that month or year', h, 1, true)
  end)
end)

describe("columns with decimals and status", function()
  local d = { blocks = { { kind = "table", columns = {
    { name = "id" }, { name = "r", type = "number", decimals = 2 },
    { name = "v", status = { ok = "good", off = "bad" } } },
    rows = { { "a", 30.015007503752, "ok" }, { "b", 1e6 + 0.004, "off" }, { "c", -0.001, "?" } } } } }

  it("round in text, Markdown and HTML, and keep every digit in CSV and JSON", function()
    local t = report.text(d)
    assert.equal("id          r  v\n--  ---------  ---\na       30.02  ok\n"
                 .. "b   1,000,000  off\nc           0  ?\n", t)
    assert.matches("| a | 30.02 | ok |", report.markdown(d), 1, true)
    local h = report.html(d)
    assert.matches('<td class="num" data-value="30.015007503752">30.02</td>', h, 1, true)
    assert.matches("a,30.015007503752,ok", report.csv(d), 1, true)
    assert.matches('"r": 30.015007503752', report.json(d), 1, true)
    assert.has_error(function()
      report.text { blocks = { { kind = "table", columns = { { name = "x", decimals = 1.5 } } } } }
    end, "bad report document: block 1 (table): column 1: decimals: integer from 0 to 15 "
         .. "expected, got 1.5")
    assert.has_error(function()
      report.text { blocks = { { kind = "table", columns = { { name = "x",
        status = { ok = "green" } } } } } }
    end, "bad report document: block 1 (table): column 1: status: cell text -> 'good', "
         .. "'bad' or 'warn' expected, got ok -> green")
  end)

  it("show a status as a badge with a sign and the word in HTML", function()
    local h = report.html(d)
    assert.matches('<span class="status good"><span aria-hidden="true">✓</span> ok</span>', h, 1,
                   true)
    assert.matches('<span class="status bad"><span aria-hidden="true">✗</span> off</span>', h, 1,
                   true)
    assert.matches('<td class="nw">?</td>', h, 1, true)
  end)

  it("the consistency report rounds its results to two decimals", function()
    local art = require("siqun").open()
    local out = report.run("consistency", art, "text", { width = 0, expanded = true })
    assert.matches("result      30.02\n", out, 1, true)
    assert.not_matches("30.0150", out, 1, true)
    assert.matches(",30.01500750375%d*,", report.run("consistency", art, "csv"))
  end)
end)

describe("Chinese in HTML", function()
  local han = require "siqun.writer.han"
  local function marked(s)
    local parts = {}
    for _, r in ipairs(han.runs(s)) do parts[#parts + 1] = r.zh and ("[" .. r.text .. "]") or r.text end
    return table.concat(parts)
  end

  it("finds the Chinese runs of a text", function()
    assert.equal("outlet [云南日报] (Yunnan Daily)", marked("outlet 云南日报 (Yunnan Daily)"))
    assert.equal("[情的交融 心的呼应]", marked("情的交融 心的呼应"))
    assert.equal("[近300万户] ÷ [999.5万] = 3,000,000", marked("近300万户 ÷ 999.5万 = 3,000,000"))
    assert.equal("1/5 × ([5年内] ÷ [一年])", marked("1/5 × (5年内 ÷ 一年)"))
    assert.equal("[县(市、区)] and [“四群”教育], [近30%]", marked("县(市、区) and “四群”教育, 近30%"))
    assert.equal("Chéng Sānjuān", marked("Chéng Sānjuān"))
    assert.is_false(han.has_han("Lǐ Jìhéng ÷ × …"))
  end)

  it("marks it lang=zh, in the page and in the charts, and links a web address", function()
    local h = report.html { title = "T 三同", blocks = {
      { kind = "table", columns = { "a", "b" }, rows = { { "同吃", "see http://x.org/ 同住" },
                                                       { "http://www.sina.com.cn", "x" } } },
      { kind = "chart", data = { { label = "吃 (eat)", value = 1, text = "1天" } } } } }
    assert.matches('<html lang="en">', h, 1, true)
    assert.matches('<h1>T <span lang="zh">三同</span></h1>', h, 1, true)
    assert.matches('<td class="nw" lang="zh">同吃</td>', h, 1, true)
    assert.matches('<a href="http://www.sina.com.cn">http://www.sina.com.cn</a>', h, 1, true)
    assert.matches('<text x="262" y="[%d.]+" text%-anchor="end"><tspan lang="zh">吃</tspan> %(eat%)</text>', h)
    assert.matches('<text class="value" x="[%d.]+" y="[%d.]+" lang="zh">1天</text>', h)
    -- a Chinese page marks nothing
    local zh = report.html({ title = "三同", blocks = {} }, { lang = "zh-CN" })
    assert.matches('<html lang="zh-CN">', zh, 1, true)
    assert.matches("<h1>三同</h1>", zh, 1, true)
  end)

  it("has colours for light and dark pages, and one layout per width", function()
    local h = report.html { blocks = {} }
    assert.matches("@media (prefers-color-scheme: dark)", h, 1, true)
    assert.matches('<meta name="color-scheme" content="light dark">', h, 1, true)
    assert.matches("background: var(--bg)", h, 1, true)
    assert.matches("svg.chart.wide { display: none; }", h, 1, true)
  end)
end)
