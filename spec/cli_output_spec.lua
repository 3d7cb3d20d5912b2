-- What the command line writes (issue 12): results as data in every
-- format, format names and -o, text layout, errors on standard output,
-- usage errors and internal errors.

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua (siqun.compat)
local cli = require "spec.helper.cli"
local files = require "spec.helper.files"
local json = require "dkjson"
local siqun = require "siqun"

local art = assert(siqun.open())
local NONE = "figures where value > 1e20"
teardown(files.cleanup)

local function run(...) return cli.run({ ... }) end

describe("an empty result", function()
  it("is a result in every format, with exit status 0", function()
    local cols = "id,text,label,label_zh,category,section,start,end,value,unit,qualifier,min,max"
    local want = {
      csv = function(out) assert.equal(cols .. "\r\n", out) end,
      json = function(out) assert.equal("[]\n", out) end,
      ndjson = function(out) assert.equal("", out) end,
      text = function(out) assert.matches("\n%(no rows%)\n$", out) end,
      markdown = function(out) assert.matches("\n%*%(no rows%)%*\n$", out) end,
      html = function(out) assert.matches('<td class="empty" colspan="13">no rows</td>', out, 1, true) end,
    }
    for fmt, check in pairs(want) do
      local out, err, code = run("query", NONE, "-f", fmt)
      assert.equal(0, code, fmt .. ": " .. err)
      assert.equal("", err)
      check(out)
    end
  end)

  it("keeps the columns of a select", function()
    local out, _, code = run("query", NONE .. " select id, value as v", "-f", "csv")
    assert.equal(0, code)
    assert.equal("id,v\r\n", out)
    local out2 = run("query", "figures group by unit having count() > 1000 select unit, count()",
                     "-f", "csv")
    assert.equal("unit,count\r\n", out2)
  end)
end)

describe("JSON of a query", function()
  it("is an array of records, keys in select order, values typed", function()
    local out, err, code = run("query",
      "glossary where count >= 6 order by id select term, count, members, note", "-f", "json")
    assert.equal(0, code, err)
    local rows = assert(json.decode(out))
    local want = art:query("glossary where count >= 6 order by id")
    assert.equal(#want, #rows)
    for i, r in ipairs(rows) do
      assert.equal(want[i].term, r.term)
      assert.equal("number", type(r.count))
      assert.equal(want[i].count, r.count)
      assert.same(want[i].members:totable(), r.members)
    end
  end)

  it("keeps the select order of keys on every record", function()
    local out = run("query", "figures order by id select unit, id, value, qualifier", "-f", "json")
    local n = 0
    for line in out:gmatch("{[^\n]*") do
      n = n + 1
      local u, i, v, q = line:find('"unit"'), line:find('"id"'), line:find('"value"'),
                         line:find('"qualifier"')
      assert.is_true(u < i and i < v and v < q, line)
    end
    assert.equal(#art.figures, n)
  end)

  it("writes nil as null and keeps integers exact", function()
    local out = run("query", "figures where id = 'linking_funds' select id, value", "-f", "json")
    assert.matches('"value": 3550000000', out, 1, true)
    local near = run("query", "figures where id = 'linking_cadres' select value, min", "-f", "json")
    assert.equal('[\n  {"value": 500000, "min": null}\n]\n', near)
  end)

  it("ndjson (and jsonl) writes one record per line", function()
    local q = "quotas where activity = 'village_stay' order by min select rank, min"
    local out, _, code = run("query", q, "-f", "ndjson")
    assert.equal(0, code)
    local n = 0
    for line in out:gmatch("([^\n]*)\n") do
      n = n + 1
      local r = assert(json.decode(line))
      assert.equal("number", type(r.min))
    end
    assert.equal(4, n)
    assert.equal(out, (run("query", q, "-f", "JSONL")))
  end)

  it("of a report keeps the document, with each column's type", function()
    local out = run("report", "glossary", "-f", "json")
    local doc = assert(json.decode(out))
    local types = {}
    for _, b in ipairs(doc.blocks) do
      for _, c in ipairs(b.columns or {}) do types[c.name] = c.type end
    end
    assert.equal("list", types.members)
    assert.equal("integer", types.count)
    local figs = assert(json.decode((run("report", "figures", "-f", "json"))))
    for _, b in ipairs(figs.blocks) do
      for _, c in ipairs(b.columns or {}) do
        if c.name == "value" then assert.equal("number", c.type) end
      end
    end
  end)
end)

describe("format names", function()
  it("take any case and the usual aliases", function()
    local q = "quotas where rank = 'province' select id"
    local md = run("query", q, "-f", "markdown")
    assert.matches("^# ", md)
    for _, f in ipairs { "md", "MD", "Markdown" } do assert.equal(md, (run("query", q, "-f", f))) end
    assert.equal((run("query", q, "-f", "html")), (run("query", q, "-f", "HTM")))
    assert.equal((run("query", q, "-f", "json")), (run("query", q, "-f", "Json")))
  end)

  it("a bad one is a usage error (status 2) naming --format and the formats", function()
    local out, err, code = run("query", "figures", "-f", "xml")
    assert.equal(2, code)
    assert.equal("", out)
    assert.matches("Usage: siqun query", err, 1, true)
    assert.matches("--format: unknown format 'xml' (formats: text, markdown, csv, json, ndjson, html, sqlite)",
                   err, 1, true)
    local _, err2, code2 = run("report", "figures", "--format", "docx")
    assert.equal(2, code2)
    assert.matches("--format: unknown format 'docx'", err2, 1, true)
  end)

  it("a format that needs a file says so as a usage error", function()
    local _, err, code = run("report", "figures", "-f", "sqlite")
    assert.equal(2, code)
    assert.matches("--format: the sqlite format writes a file", err, 1, true)
  end)
end)

describe("-o", function()
  it("takes the format from the file's extension; an explicit one wins", function()
    local dir = files.tmpdir()
    local q = "quotas where rank = 'province' select id, min"
    for ext, fmt in pairs { csv = "csv", JSON = "json", md = "markdown", jsonl = "ndjson",
                            htm = "html", txt = "text" } do
      local path = dir .. "/out." .. ext
      local _, err, code = run("query", q, "-o", path)
      assert.equal(0, code, err)
      assert.equal((run("query", q, "-f", fmt, "--width", "0")), files.read(path), ext)
    end
    local path = dir .. "/x.csv"
    assert.equal(0, select(3, run("query", q, "-o", path, "-f", "json")))
    assert.equal((run("query", q, "-f", "json")), files.read(path))
  end)

  it("'-' is standard output", function()
    local dir = files.tmpdir()
    local out, _, code = cli.run({ "query", "sections select number", "-o", "-", "-f", "csv" })
    assert.equal(0, code)
    assert.matches("^number\r\n0\r\n1\r\n", out)
    assert.is_nil(files.read_optional(dir .. "/-"))
    assert.is_nil(files.read_optional("-"))
  end)

  it("writes an SQLite database holding the result", function()
    local dir = files.tmpdir()
    local path = dir .. "/r.db"
    local _, err, code = run("query", "figures where unit = '元' select id, value", "-o", path)
    assert.equal(0, code, err)
    local p = io.popen(("sqlite3 %s 'select count(*), sum(value) from result'"):format(cli.quote(path)))
    local got = p:read("*a")
    p:close()
    local n, sum = 0, 0
    for _, f in ipairs(art.figures) do
      if f.unit == "元" then n, sum = n + 1, sum + f.value end
    end
    assert.equal(("%d|%d\n"):format(n, sum), got)
  end)
end)

describe("siqun query -", function()
  it("reads the query from standard input", function()
    local q = "quotas where activity = 'research' select rank, min"
    local out, err, code = cli.run({ "query", "-", "-f", "csv" }, { stdin = q .. "\n" })
    assert.equal(0, code, err)
    assert.equal((run("query", q, "-f", "csv")), out)
  end)
end)

describe("text output", function()
  it("right-aligns numbers and groups only measured values", function()
    local out = run("query", "figures where id = 'linking_funds' select id, section, start, value")
    local head, rule, row = out:match("\n\n([^\n]+)\n([^\n]+)\n([^\n]+)\n$")
    assert.truthy(head, out)
    assert.matches("3,550,000,000$", row)        -- a measured value: grouped
    local start = tostring(art.figures:get("linking_funds").start)
    assert.matches(" " .. start .. "  ", row)    -- an offset: never grouped
    assert.is_nil(row:find(start:sub(1, 1) .. "," .. start:sub(2), 1, true))
    -- right-aligned: each number ends where its column's rule ends
    local function ends(s, at) return s:sub(1, at):match("%S$") ~= nil end
    local e = rule:find("%-+$") and #rule
    assert.is_true(ends(row, e) and ends(head, e))
  end)

  it("is never wrapped into the expanded layout when piped, whatever COLUMNS says", function()
    for _, env in ipairs { "", "COLUMNS=60" } do
      local out = cli.run({ "query", "figures order by id limit 3" }, { env = env })
      local lines = {}
      for l in out:gmatch("[^\n]+") do lines[#lines + 1] = l end
      assert.equal(3 + 4, #lines, env) -- title, rule, header, rule, three rows
    end
  end)

  it("fits a terminal: its width, or COLUMNS", function()
    if not os.execute("command -v script >/dev/null 2>&1") then
      return pending("no script(1): skipped")
    end
    local function on_tty(env)
      return (cli.run({ "query", "figures order by id limit 3" }, { tty = 70, env = env }))
    end
    for env, width in pairs { [""] = 70, ["COLUMNS=60"] = 60 } do
      local out = on_tty(env)
      assert.matches("%-%[ 1 %]", out, nil, env)
      for l in out:gsub("\r", ""):gmatch("[^\n]+") do
        assert.is_true(require("siqun.text").width(l) <= width, env .. ": " .. l)
      end
    end
  end)
end)

describe("errors", function()
  it("a write error on standard output is one line and status 1", function()
    local f = io.open("/dev/full", "wb")
    if not f then return pending("no /dev/full here") end
    f:close()
    for _, args in ipairs { { "report", "figures" }, { "summary" }, { "query", "figures", "-f", "json" },
                            { "quantity", "5万" } } do
      local _, err, code = cli.run(args, { stdout = ">/dev/full" })
      assert.equal(1, code, table.concat(args, " "))
      assert.equal("siqun: write error: No space left on device\n", err)
    end
  end)

  it("a closed pipe stays silent, whether SIGPIPE ends it or is ignored", function()
    local dir = files.tmpdir()
    -- (more than a pipe holds: the writer meets the closed end)
    local lines = {}
    for i = 1, 20000 do lines[i] = ("第%d项：共%d名干部。"):format(i, i) end
    files.write(dir .. "/t.txt", table.concat(lines, "\n"))
    for _, prefix in ipairs { "", "trap '' PIPE;" } do
      local _, err = cli.run({ "scan", dir .. "/t.txt", "-f", "csv" },
                             { prefix = prefix, stdout = "| head -c 10 >" .. dir .. "/o" })
      assert.equal("", err, prefix)
      assert.equal(10, #files.read(dir .. "/o"))
    end
  end)

  it("an internal error is one line without siqun's file:line, the traceback under SIQUN_DEBUG=1", function()
    local dir = files.tmpdir()
    local load = dir .. "/break.lua"
    -- a report whose run breaks inside siqun: the text writer loses a helper
    files.write(load, 'require("siqun.writer.common").cell_text = nil\n')
    local out, err, code = run("report", "figures", "--load", load)
    assert.equal(1, code)
    assert.equal("", out)
    assert.matches("^siqun: internal error: [^\n]+%(SIQUN_DEBUG=1 shows where%)\n$", err)
    assert.is_nil(err:find("%.lua:%d+:"), err)
    assert.is_nil(err:find("?:-1", 1, true), err)
    local _, err2 = cli.run({ "report", "figures", "--load", load }, { env = "SIQUN_DEBUG=1" })
    assert.matches("stack traceback", err2, 1, true)
  end)

  it("a report of the user's that fails is their error, named, not an internal one", function()
    local dir = files.tmpdir()
    local load = dir .. "/mine.lua"
    files.write(load, 'local r = require "siqun.report"\n'
      .. 'r.register("broken", function() error("no data for this") end)\n'
      .. 'r.register("wrong", function() return 42 end)\n')
    local out, err, code = run("report", "broken", "--load", load)
    assert.equal(1, code)
    assert.equal("", out)
    assert.equal("siqun: report 'broken': " .. load .. ":2: no data for this\n", err)
    local _, err2 = run("report", "wrong", "--load", load)
    assert.equal("siqun: report 'wrong' returned number, not a document\n", err2)
  end)

  it("a usage error names the flag", function()
    local _, err, code = run("query", "figures", "--width", "7")
    assert.equal(2, code)
    assert.matches("--width must be 0 or an integer from 40 to 1000", err, 1, true)
    local _, err2, code2 = run("query", "figures", "--nope")
    assert.equal(2, code2)
    assert.matches("--nope", err2, 1, true)
  end)
end)

describe("siqun.write and siqun.columns", function()
  it("write any List or query result in any format, to a string", function()
    local rows = art:query("quotas where activity = 'village_stay' order by min select rank, min")
    assert.same({ "rank", "min" }, siqun.columns(rows):totable())
    local first = rows:filter(function(_, i) return i == 1 end)
    assert.same({ { rank = "province", min = 3 } }, json.decode(siqun.write(first, "json")))
    assert.equal("rank,min\r\nprovince,3\r\nprefecture,7\r\ncounty,10\r\ntownship,60\r\n",
                 siqun.write(rows, "CSV"))
    assert.equal(siqun.write(rows, "markdown"), siqun.write(rows, "md"))
    local empty = art:query(NONE .. " select id, value")
    assert.same({ "id", "value" }, siqun.columns(empty):totable())
    assert.equal("[]\n", siqun.write(empty, "json"))
    assert.equal(#art.dataset:table("figures"):fields(), #siqun.columns(art.figures))
  end)

  it("write a List of plain values as one column 'value', and arrays by position", function()
    local members = art.glossary:get("四群").members
    assert.same({ "value" }, siqun.columns(members):totable())
    assert.same({ { value = "群众观点" }, { value = "群众路线" }, { value = "群众利益" },
                  { value = "群众工作" } }, json.decode(siqun.write(members, "json")))
    assert.equal("value\r\n3\r\n7\r\n", siqun.write({ 3, 7 }, "csv"))
    assert.equal("1,2\r\n1,x\r\n3,y\r\n", siqun.write({ { 1, "x" }, { 3, "y" } }, "csv"))
  end)

  it("refuse a cell they cannot write, saying which and why, never writing it empty", function()
    assert.has_error(function() siqun.write({ { a = { x = 1 } } }, "json") end,
      "cannot write the list: row 1: column 'a': unsupported cell type table "
      .. "(a cell is a string, number, boolean or a list of strings and numbers)")
    local ok, err = pcall(siqun.write, art.figures:group_by("unit"), "csv")
    assert.is_false(ok)
    assert.matches("cannot write the list: row 1: column 'items'", err, 1, true)
    assert.has_error(function() siqun.write(art.figures, "json", { columns = { "id", "id" } }) end,
      "bad argument #3 to 'write' (columns: 'id' named twice)")
  end)

  it("return nil, a message and a code for an unknown format", function()
    local s, err, code = siqun.write(art.quotas, "xml")
    assert.is_nil(s)
    assert.equal("format", code)
    assert.matches("unknown format 'xml'", err, 1, true)
  end)

  it("write to a file under the CLI's rules", function()
    local dir = files.tmpdir()
    local path = dir .. "/q.json"
    assert.is_true(siqun.write(art.quotas, nil, { output = path }))
    assert.same(#art.quotas, #json.decode(files.read(path)))
    local ok, err, code = siqun.write(art.quotas, nil, { output = path })
    assert.is_nil(ok)
    assert.equal("exists", code)
    assert.matches(path, err, 1, true)
    assert.is_true(siqun.write(art.sections, "csv", { output = path, force = true }))
    assert.matches("^number,", files.read(path))
  end)

  it("raise for misuse", function()
    assert.has_error(function() siqun.write(42) end,
      "bad argument #1 to 'write' (siqun.List, table or report document expected, got number)")
    assert.has_error(function() siqun.write({}, 3) end,
      "bad argument #2 to 'write' (string expected, got number)")
    assert.has_error(function() siqun.columns("x") end,
      "bad argument #1 to 'columns' (siqun.List or table expected, got string)")
  end)
end)
