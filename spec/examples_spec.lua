-- Every examples/NAME.lua, run with lua5.4 against this checkout, prints
-- exactly examples/NAME.out.  The examples are Lua 5.4 programs: lua5.4
-- and the 5.4 build, whichever Lua runs the suite (README "Lua versions").

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua (siqun.compat)
-- (docs/reports.md's examples: spec/readme_spec.lua, with the other docs)
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
