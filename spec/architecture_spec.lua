-- docs/architecture.md is kept true: every folder of the C and Lua layers,
-- every build file and every top-level Lua module is named there, and
-- every path it names exists.  (The directions themselves are checked by
-- spec/c_layers_spec.lua and spec/layers_spec.lua.)

local V = require "spec.lua_version"
local read = require("spec.helper.files").read

local function lines_of(cmd)
  local p = assert(V.popen(cmd))
  local list = {}
  for line in p:lines() do list[#list + 1] = line end
  p:close()
  return list
end

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() return true end
  return V.execute("test -e '" .. path .. "'") == true
end

local DOC = "docs/architecture.md"

describe("docs/architecture.md", function()
  local doc = read(DOC)

  it("names every folder of csrc/ and lua/siqun/ and every build file", function()
    local missing = {}
    local wanted = {}
    for _, d in ipairs(lines_of("find csrc lua/siqun -mindepth 1 -type d | LC_ALL=C sort")) do
      wanted[#wanted + 1] = d .. "/"
    end
    for _, f in ipairs(lines_of("ls mk/*.mk")) do wanted[#wanted + 1] = f end
    for _, w in ipairs(wanted) do
      -- a folder may be named with or without its trailing slash
      if not doc:find("`" .. w, 1, true) and not doc:find("`" .. w:gsub("/$", "") .. "`", 1, true) then
        missing[#missing + 1] = w
      end
    end
    assert.same({}, missing)
  end)

  it("names every top-level module of the Lua layer", function()
    local missing = {}
    for _, f in ipairs(lines_of("cd lua/siqun && ls *.lua")) do
      local name = "siqun." .. f:gsub("%.lua$", "")
      if name ~= "siqun.init" and not doc:find("`" .. name .. "`", 1, true)
         and not doc:find(name .. "`", 1, true) then
        missing[#missing + 1] = name
      end
    end
    assert.same({}, missing)
  end)

  it("names only paths that exist", function()
    local gone = {}
    for path in doc:gmatch("`([%w_%-%./]+)`") do
      -- a path: has a slash and starts at one of the repository's folders
      local top = path:match("^([%w_%.%-]+)/")
      if top and top ~= "build" and exists(top) and not path:find("<", 1, true) then
        if not exists(path) then gone[#gone + 1] = path end
      end
    end
    assert.same({}, gone)
  end)

  it("names every C file of the binding and of the quantity parser", function()
    local missing = {}
    for _, f in ipairs(lines_of("cd csrc && ls lua/*.c quantity/*.c dataset/*.c common/*.c")) do
      local base = f:match("([%w_]+)%.c$")
      if not doc:find(base, 1, true) then missing[#missing + 1] = f end
    end
    assert.same({}, missing)
  end)
end)
