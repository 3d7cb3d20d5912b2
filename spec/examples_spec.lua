-- Every examples/NAME.lua, run with lua5.4 against this checkout, prints
-- exactly examples/NAME.out.  The examples are Lua 5.4 programs: lua5.4
-- and the 5.4 build, whichever Lua runs the suite (README "Lua versions").

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua (siqun.compat)
local V = require "spec.lua_version"

local function sh(cmd)
  local p = assert(V.popen(cmd))
  local out = p:read("*a")
  local _, _, code = p:close()
  return out, code
end

local read = require("spec.helper.files").read

local root = sh("pwd"):gsub("%s+$", "")
local env = ("LUA_PATH_5_4='%s/lua/?.lua;%s/lua/?/init.lua;;' LUA_CPATH_5_4='%s/build/?.so;;' ")
            :format(root, root, root)

local scripts = {}
for line in sh("ls examples/*.lua"):gmatch("[^\n]+") do scripts[#scripts + 1] = line end
table.sort(scripts)

describe("examples", function()
  it("has at least four scripts, each with its output", function()
    assert.is_true(#scripts >= 4)
    for _, s in ipairs(scripts) do
      local f = io.open((s:gsub("%.lua$", ".out")), "rb")
      assert.is_truthy(f, s .. " has no .out")
      if f then f:close() end
    end
  end)

  for _, script in ipairs(scripts) do
    it(script .. " prints its .out", function()
      local errfile = os.tmpname()
      local out, code = sh(env .. "lua5.4 " .. script .. " 2>" .. errfile)
      local err = read(errfile)
      os.remove(errfile)
      assert.equal(0, code, err)
      assert.equal("", err)
      assert.equal(read((script:gsub("%.lua$", ".out"))), out)
    end)
  end
end)

-- docs/reports.md: every ```lua block followed by a ```text block prints
-- exactly that text.
describe("docs/reports.md", function()
  local doc = read("docs/reports.md")
  local examples, pos = {}, 1
  while true do
    local s, e, body = doc:find("```lua\n(.-)```\n", pos)
    if not s then break end
    -- (a text block holding ``` is fenced with ````)
    local _, out = doc:match("^%s*(````?)text\n(.-)%1\n", e + 1)
    if out then examples[#examples + 1] = { code = body, out = out, line = select(2,
      doc:sub(1, s):gsub("\n", "")) + 1 } end
    pos = e + 1
  end

  it("has an example with its output for each report and format", function()
    assert.is_true(#examples >= 14)
  end)

  for _, ex in ipairs(examples) do
    it(("example at line %d prints what the page shows"):format(ex.line), function()
      local path = os.tmpname()
      local f = assert(io.open(path, "wb"))
      f:write(ex.code)
      f:close()
      local out = sh(env .. "lua5.4 " .. path .. " 2>&1")
      os.remove(path)
      assert.equal(ex.out, out)
    end)
  end
end)
