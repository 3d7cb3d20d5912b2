-- bin/siqun: output and exit status of each command.  Run from the root of
-- the checkout (bin/siqun finds lua/ and build/ beside itself).

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua (siqun.compat)
local V = require "spec.lua_version"
local siqun = require "siqun"
local width = require("siqun.text").width

local function shell_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

-- Runs `lua5.4 bin/siqun args...` (the Lua under test: spec/lua_version.lua);
-- returns exit status, stdout, stderr.
local function run(args, prefix)
  local errfile = os.tmpname()
  local quoted = {}
  for i, a in ipairs(args) do quoted[i] = shell_quote(a) end
  local cmd = (prefix or "") .. V.lua .. " bin/siqun " .. table.concat(quoted, " ")
              .. " 2>" .. shell_quote(errfile)
  local p = assert(V.popen(cmd))
  local out = p:read("*a")
  local _, _, code = p:close()
  local f = assert(io.open(errfile, "rb"))
  local err = f:read("*a")
  f:close()
  os.remove(errfile)
  return code, out, err
end

local art = assert(siqun.open())

describe("siqun summary", function()
  it("prints the summary of the embedded dataset", function()
    local code, out, err = run { "summary" }
    assert.equal(0, code, err)
    assert.equal("", err)
    assert.matches(art.meta.title, out, 1, true)
    assert.equal(siqun.summary(art), out)
  end)

  it("fits 80 lines of 78 columns", function()
    local _, out = run { "summary" }
    local n = 0
    for line in out:gmatch("([^\n]*)\n") do
      n = n + 1
      assert.is_true(width(line) <= 78, line)
    end
    assert.is_true(n <= 80)
  end)

  it("reads --data DIR", function()
    local code, out = run { "summary", "--data", "data" }
    assert.equal(0, code)
    assert.equal(siqun.summary(art), out)
  end)

  it("honours --width", function()
    local code, out = run { "summary", "--width", "60" }
    assert.equal(0, code)
    for line in out:gmatch("([^\n]*)\n") do
      assert.is_true(width(line) <= 60, line)
    end
  end)

  it("fails with status 1 and nothing on stdout for a bad --data", function()
    local code, out, err = run { "summary", "--data", "/nonexistent/siqun" }
    assert.equal(1, code)
    assert.equal("", out)
    assert.matches("^siqun: ", err)
  end)

  it("works from another directory through the script's path", function()
    local root = assert(V.popen("pwd")):read("*l")
    local errfile = os.tmpname()
    local p = assert(V.popen("cd / && " .. V.lua .. " " .. shell_quote(root .. "/bin/siqun")
                              .. " validate " .. shell_quote(root .. "/data") .. " 2>" .. errfile))
    local out = p:read("*a")
    local _, _, code = p:close()
    os.remove(errfile)
    assert.equal(0, code)
    assert.matches("^ok: ", out)
  end)
end)

describe("siqun validate", function()
  it("loads a good directory and counts tables and rows", function()
    local rows = 0
    for _, name in ipairs(art:tables()) do rows = rows + #art:table(name) end
    local code, out, err = run { "validate", "data" }
    assert.equal(0, code, err)
    assert.equal(("ok: %d tables, %d rows\n"):format(#art:tables(), rows), out)
  end)

  it("reports a bad directory on stderr with status 1", function()
    local dir = os.tmpname()
    os.remove(dir)
    assert(V.execute("cp -r data " .. shell_quote(dir)))
    os.remove(dir .. "/figures.csv")
    local code, out, err = run { "validate", dir }
    V.execute("rm -rf " .. shell_quote(dir))
    assert.equal(1, code)
    assert.equal("", out)
    assert.matches("figures.csv", err, 1, true)
  end)
end)

describe("siqun quantity", function()
  it("prints key = value lines in a fixed order", function()
    local code, out = run { "quantity", "54.29万本" }
    assert.equal(0, code)
    local keys, values = {}, {}
    for k, v in out:gmatch("([%w_.]+) = ([^\n]*)\n") do
      keys[#keys + 1] = k
      values[k] = v
    end
    assert.same({ "text", "kind", "value", "qualifier", "unit", "min", "max" },
                { compat.unpack(keys, 1, 7) })
    assert.equal("54.29万本", values.text)
    assert.equal("542900", values.value)
    assert.equal("本", values.unit)
    assert.equal("exact", values.qualifier)
    assert.equal("542900", values.min)
  end)

  it("prints large and fractional values in full", function()
    local _, out = run { "quantity", "35.5亿元" }
    assert.matches("\nvalue = 3550000000\n", out, 1, true)
    _, out = run { "quantity", "近50万名" }
    assert.matches("\nqualifier = nearly\n", out, 1, true)
    assert.matches("\nmin = nil\nmax = 500000\n", out, 1, true)
    _, out = run { "quantity", "1/5" }
    assert.matches("\nvalue = 0.2\n", out, 1, true)
    assert.matches("\nunit = nil\n", out, 1, true)
  end)

  it("prints dates by their parts", function()
    local code, out = run { "quantity", "6月18日至19日" }
    assert.equal(0, code)
    local keys, values = {}, {}
    for k, v in out:gmatch("([%w_.]+) = ([^\n]*)\n") do
      keys[#keys + 1] = k
      values[k] = v
    end
    assert.same({ "text", "kind", "qualifier", "year", "month", "day",
                  "to.year", "to.month", "to.day" }, { compat.unpack(keys, 1, 9) })
    assert.equal("date", values.kind)
    assert.equal("6", values.month)
    assert.equal("18", values.day)
    assert.equal("19", values["to.day"])
    assert.equal("nil", values.year)
  end)

  it("fails with status 1 for something that is not a quantity", function()
    local code, out, err = run { "quantity", "abc" }
    assert.equal(1, code)
    assert.equal("", out)
    assert.matches("^siqun: ", err)
  end)
end)

describe("usage", function()
  it("--help and command --help exit 0", function()
    local code, out = run { "--help" }
    assert.equal(0, code)
    assert.matches("Usage: siqun", out, 1, true)
    for _, c in ipairs { "summary", "validate", "quantity" } do
      code, out = run { c, "--help" }
      assert.equal(0, code)
      assert.matches("Usage: siqun " .. c, out, 1, true)
    end
  end)

  it("--version prints the version", function()
    local code, out = run { "--version" }
    assert.equal(0, code)
    assert.equal(siqun._VERSION .. "\n", out)
  end)

  local bad = {
    {}, { "nope" }, { "validate" }, { "quantity" }, { "summary", "--bogus" },
    { "summary", "--width", "x" }, { "validate", "a", "b" },
  }
  for _, args in ipairs(bad) do
    it("exits 2 with usage on stderr: siqun " .. table.concat(args, " "), function()
      local code, out, err = run(args)
      assert.equal(2, code)
      assert.equal("", out)
      assert.matches("Usage: siqun", err, 1, true)
      assert.matches("Error: ", err, 1, true)
    end)
  end
end)
