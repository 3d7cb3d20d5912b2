-- The command's modules (issue 12 item 18): siqun.cli declares the
-- commands and each command's work is siqun.cli.<command>, loaded for that
-- command only; a query written as JSON, NDJSON or CSV loads neither the
-- other commands, nor siqun.files (no terminal to ask about), nor the
-- writers' document part (siqun.writer.common, json_doc, chart: the rows
-- are written with siqun.writer.cells' rules alone), nor the report
-- machinery; a document with charts loads siqun.writer.chart.  main's second result says whether a
-- user's file ran (the launcher then closes the state).  What is loaded is
-- seen in a new interpreter each time (the Lua under test, the layer
-- compiled into siqun.core).

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua (siqun.compat)
local V = require "spec.lua_version"
local cli = require "spec.helper.cli"
local files = require "spec.helper.files"

-- Runs chunk in a new interpreter pointed at this checkout, standard
-- output to a file (the command writes there), and returns what the chunk
-- wrote on stderr (it fails the spec when it raises).
local function run(chunk)
  local dir = files.tmpdir()
  files.write(dir .. "/chunk.lua", chunk)
  local cmd = ("env -u SIQUN_LUA_SOURCES -u COLUMNS %s %s %s >%s 2>%s"):format(
    V.env("lua/?.lua;lua/?/init.lua;;", V.cpath .. ";;"), V.lua, dir .. "/chunk.lua",
    dir .. "/out", dir .. "/err")
  local ok = V.execute(cmd)
  local err = files.read(dir .. "/err")
  assert.is_true(ok and true or false, err)
  return err
end

-- The modules of siqun loaded after main(argv), and main's results.
local function after_main(argv)
  local words = {}
  for i, a in ipairs(argv) do words[i] = ("%q"):format(a) end
  local err = run(([[
    io.stdout:setvbuf("full")
    local status, close = require("siqun.cli").main({ %s })
    io.stdout:flush()
    local names = {}
    for k in pairs(package.loaded) do
      if k:match("^siqun") then names[#names + 1] = k end
    end
    table.sort(names)
    io.stderr:write("status ", tostring(status), " close ", tostring(close), "\n",
                    table.concat(names, "\n"), "\n")
  ]]):format(table.concat(words, ", ")))
  local set = {}
  for name in err:gmatch("[^\n]+") do set[name] = true end
  return set, err:match("^status (%S+) close (%S+)")
end

local COMMANDS = { "summary", "validate", "quantity", "query", "report", "scan" }

describe("siqun.cli's modules", function()
  for _, fmt in ipairs({ "json", "ndjson", "csv" }) do
    it("a query written as " .. fmt .. " loads its command and the writer it needs, no more", function()
      local got, status, close = after_main({ "query", "figures where value >= 1000000", "-f", fmt })
      assert.equal("0", status)
      assert.equal("false", close)
      assert.is_true(got["siqun.cli.query"])
      assert.is_true(got["siqun.writer." .. fmt])
      for _, c in ipairs(COMMANDS) do
        if c ~= "query" then assert.is_nil(got["siqun.cli." .. c], c) end
      end
      assert.is_true(got["siqun.writer.cells"])
      for _, name in ipairs({ "siqun.cli.usage", "siqun.files", "siqun.writer.common",
                              "siqun.writer.json_doc", "siqun.writer.chart", "siqun.writer.text",
                              "siqun.writer.timeline", "siqun.report", "siqun.text" }) do
        assert.is_nil(got[name], name)
      end
    end)
  end

  it("each command loads its own module only", function()
    local dir = files.tmpdir()
    files.write(dir .. "/t.txt", "约2万份材料\n")
    for _, argv in ipairs({ { "summary" }, { "validate", "data" }, { "quantity", "近50万名" },
                            { "report", "quotas", "-f", "csv" }, { "scan", dir .. "/t.txt" } }) do
      local got, status = after_main(argv)
      assert.equal("0", status, argv[1])
      for _, c in ipairs(COMMANDS) do
        assert.equal(c == argv[1] or nil, got["siqun.cli." .. c], argv[1] .. ": " .. c)
      end
    end
  end)

  it("a document with charts loads the charts' part, one without does not", function()
    local got = after_main({ "report", "quotas", "-f", "text" })
    assert.is_true(got["siqun.writer.chart"])
    got = after_main({ "report", "consistency", "-f", "text" })
    assert.is_nil(got["siqun.writer.chart"])
  end)

  it("main's second result is true once a user's file has run (report --load)", function()
    local dir = files.tmpdir()
    files.write(dir .. "/mine.lua", "-- nothing\n")
    local _, status, close = after_main({ "report", "--list", "--load", dir .. "/mine.lua" })
    assert.equal("0", status)
    assert.equal("true", close)
    _, status, close = after_main({ "report", "--list" })
    assert.equal("0", status)
    assert.equal("false", close)
  end)

  it("a query's glossary records keep their members while they are written", function()
    -- (the Article stays alive until its rows are written: a record finds
    -- its members through it, whatever the collector does meanwhile)
    local out, err, code = cli.run({ "query", "glossary", "-f", "json" })
    assert.equal("", err)
    assert.equal(0, code)
    local rows = require("dkjson").decode(out)
    local n = 0
    for _, r in ipairs(rows) do
      if r.count then
        assert.equal(r.count, #r.members, r.id)
        n = n + 1
      end
    end
    assert.is_true(n >= 8)
    out = cli.run({ "query", "glossary", "-f", "csv" })
    assert.matches("\r\nsi_lianhu,四联户,[^\r]*,领导蹲点联户 · 部门挂钩联户 · 干部结对联户 · 建卡经常联户\r\n",
                   out)
  end)
end)
