-- The Lua layer precompiled into siqun.core (bytecode made at build time by
-- the interpreter the module is for; csrc/tools/sq_dump_lua.lua): every
-- module of lua/siqun is in it, and it behaves as the sources do; with
-- SIQUN_LUA_SOURCES set, the sources on package.path are used instead.

local V = require "spec.lua_version"

-- The modules of lua/siqun, by name (siqun.writer.csv ...), sorted.
local function source_modules()
  local p = assert(V.popen("cd lua && find siqun -name '*.lua' | LC_ALL=C sort"))
  local names = {}
  for line in p:lines() do
    local name = line:gsub("%.lua$", ""):gsub("/init$", ""):gsub("/", ".")
    if name ~= "siqun" then names[#names + 1] = name end -- (init.lua itself is read from the path)
  end
  p:close()
  table.sort(names)
  return names
end

-- Runs a chunk in a new interpreter pointed at this checkout; its output.
local function run(chunk, env)
  local tmp = os.tmpname()
  local f = assert(io.open(tmp, "wb"))
  f:write(chunk)
  f:close()
  local p = assert(V.popen((env or "") .. " " .. V.env("lua/?.lua;lua/?/init.lua;;", V.cpath .. ";;")
                           .. " " .. V.lua .. " " .. tmp .. " 2>&1"))
  local out = p:read("*a")
  local ok = p:close()
  os.remove(tmp)
  assert.is_true(ok, out)
  return out
end

local PRELOADED = [[
local siqun = require "siqun"
local names = {}
for name in pairs(package.preload) do
  if name:match("^siqun") then names[#names + 1] = name end
end
table.sort(names)
print(table.concat(names, " "))
print(siqun.summary(siqun.open()))
print(#siqun.query(siqun.open(), "figures where value >= 100000"))
]]

describe("the Lua layer in siqun.core", function()
  it("holds every module of lua/siqun", function()
    local out = run(PRELOADED)
    assert.equal(table.concat(source_modules(), " "), out:match("^[^\n]*"))
  end)

  it("behaves as the sources do; SIQUN_LUA_SOURCES=1 uses the sources", function()
    local compiled = run(PRELOADED)
    local sources = run(PRELOADED, "SIQUN_LUA_SOURCES=1")
    assert.equal("", sources:match("^[^\n]*")) -- nothing preloaded
    assert.equal(compiled:match("\n(.*)$"), sources:match("\n(.*)$"))
    assert.truthy(#compiled:match("\n(.*)$") > 200)
  end)
end)
