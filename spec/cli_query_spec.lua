-- The command line's query, report and scan commands: output, formats,
-- exit status (0 ok, 1 bad query or dataset, 2 usage), -o and --force, and
-- no partial output file.

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua (siqun.compat)
local V = require "spec.lua_version"

local ENV = V.env("lua/?.lua;lua/?/init.lua;;", V.cpath .. ";;")

-- Runs bin/siqun with args; returns stdout, stderr, exit status.
local function siqun(args, stdin)
  local out, err = os.tmpname(), os.tmpname()
  local cmd = ("%s %s bin/siqun %s >%s 2>%s"):format(ENV, V.lua, args, out, err)
  if stdin then cmd = ("printf '%%s' %q | %s"):format(stdin, cmd) end
  local _, _, code = V.execute(cmd)
  local function slurp(p)
    local f = assert(io.open(p, "rb"))
    local s = f:read("*a")
    f:close()
    os.remove(p)
    return s
  end
  return slurp(out), slurp(err), code
end

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

describe("siqun query", function()
  local siqun_lib = require "siqun"
  local art = siqun_lib.open()

  it("prints the rows of a query as CSV", function()
    local out, err, code = siqun([[query 'quotas where activity = "village_stay"]]
      .. [[ order by min desc select rank, min, unit' -f csv]])
    assert.are.equal("", err)
    assert.are.equal(0, code)
    local expect = { "rank,min,unit" }
    local stays = art.quotas:filter({ activity = "village_stay" }):sort("min", "desc")
    for _, q in ipairs(stays) do expect[#expect + 1] = ("%s,%d,%s"):format(q.rank, q.min, q.unit) end
    assert.are.equal(table.concat(expect, "\r\n") .. "\r\n", out:gsub("\r?\n", "\r\n"))
  end)

  it("prints aggregates by group as JSON that parses", function()
    local out, _, code = siqun([[query 'figures group by unit select unit, count()' -f json]])
    assert.are.equal(0, code)
    local rows = require("dkjson").decode(out)
    local total = 0
    for _, row in ipairs(rows) do total = total + row.count end
    assert.are.equal(#art.figures, total)
  end)

  it("exits 1 with the position of a bad query on stderr and nothing on stdout", function()
    local out, err, code = siqun([[query 'figures where vale > 1']])
    assert.are.equal(1, code)
    assert.are.equal("", out)
    assert.matches("query error at 15: unknown field 'vale' in figures %(did you mean 'value'%?%)", err)
    assert.matches("\n%s+%^", err)
  end)

  it("exits 2 on a usage error", function()
    local out, _, code = siqun("query")
    assert.are.equal(2, code)
    assert.are.equal("", out)
    local _, _, code2 = siqun("query 'figures' --format")
    assert.are.equal(2, code2)
  end)

  it("refuses to overwrite -o without --force, and leaves no file on failure", function()
    local dir = os.tmpname()
    os.remove(dir)
    assert(V.execute("mkdir " .. dir))
    local path = dir .. "/out.md"
    local _, err, code = siqun(("query 'glossary where count >= 4 select term, en, members'"
      .. " -f markdown -o %s"):format(path))
    assert.are.equal(0, code, err)
    local f = assert(io.open(path))
    local first = f:read("*a")
    f:close()
    assert.matches("四联户", first)
    local _, err2, code2 = siqun(("query 'sections' -o %s"):format(path))
    assert.are.equal(1, code2)
    assert.matches("exists", err2)
    local _, _, code3 = siqun(("query 'sections' -o %s --force"):format(path))
    assert.are.equal(0, code3)
    local bad = dir .. "/bad.csv"
    local _, _, code4 = siqun(("query 'figures where nope = 1' -f csv -o %s"):format(bad))
    assert.are.equal(1, code4)
    assert.is_false(exists(bad))
    V.execute("rm -rf " .. dir)
  end)
end)

describe("siqun report", function()
  it("runs every report in text, markdown, csv, json and html", function()
    for _, name in ipairs({ "summary", "figures", "quotas", "glossary", "timeline", "people", "consistency" }) do
      for _, fmt in ipairs({ "text", "markdown", "csv", "json", "html" }) do
        local out, err, code = siqun(("report %s -f %s"):format(name, fmt))
        assert.are.equal(0, code, name .. " " .. fmt .. ": " .. err)
        assert.is_true(#out > 0, name .. " " .. fmt)
      end
    end
  end)

  it("writes an SQLite database that the sqlite3 shell can query", function()
    if not V.execute("command -v sqlite3 >/dev/null") then
      pending("sqlite3 not installed: skipped")
      return
    end
    local path = os.tmpname()
    os.remove(path)
    local _, err, code = siqun(("report figures -f sqlite -o %s"):format(path))
    assert.are.equal(0, code, err)
    local p = assert(V.popen(([[sqlite3 %s "select count(*) from figures where unit = '元'"]]):format(path)))
    local n = p:read("*a")
    p:close()
    assert.are.equal("3\n", n)
    os.remove(path)
  end)

  it("exits 1 for an unknown report and 2 without a name", function()
    local out, err, code = siqun("report nosuch")
    assert.are.equal(1, code)
    assert.are.equal("", out)
    assert.matches("nosuch", err)
    local _, _, code2 = siqun("report")
    assert.are.equal(2, code2)
  end)
end)

describe("siqun scan", function()
  it("lists the quantities of standard input with byte positions", function()
    local out, _, code = siqun("scan - -f csv", "共有近50万名干部,约360万张卡。")
    assert.are.equal(0, code)
    assert.matches("start,stop,text,kind,value,date,qualifier,unit,min,max", out, 1, true)
    assert.matches("7,17,近50万名,number,500000,,nearly,名,,500000", out, 1, true)
    assert.matches("约360万张,number,3600000,,approx,张", out, 1, true)
  end)

  it("exits 1 for a missing file", function()
    local out, err, code = siqun("scan /nonexistent/file.txt")
    assert.are.equal(1, code)
    assert.are.equal("", out)
    assert.matches("nonexistent", err)
  end)
end)
