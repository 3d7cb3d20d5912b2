-- The C files form layers, not circles (docs/architecture.md): no C file of
-- the library calls, through others, back into itself, and no header
-- includes, through others, itself.  Calls are read from the compiled
-- objects (`nm`: which file defines a global symbol, which files use it),
-- so a declaration moved to another header cannot hide a call; includes
-- from the sources.

local V = require "spec.lua_version"
local find_cycle = require("spec.helper.graph").find_cycle

-- The library's C sources (the launcher and the build tools are programs
-- of their own), relative to csrc/, sorted.
local function sources(pattern)
  local p = assert(V.popen("cd csrc && find . -name '" .. pattern .. "' ! -path './tools/*' "
                           .. "! -path './cli/*' | sed 's|^\\./||' | LC_ALL=C sort"))
  local list = {}
  for line in p:lines() do list[#list + 1] = line end
  p:close()
  return list
end

-- nm's portable output for one object: defined globals and undefined names.
local function symbols(object)
  local p = assert(V.popen("nm -P " .. object .. " 2>&1"))
  local defined, used = {}, {}
  for line in p:lines() do
    local name, kind = line:match("^(%S+) (%a)")
    if kind == "U" then used[#used + 1] = name
    elseif kind and kind:match("[TDRBC]") then defined[#defined + 1] = name end
  end
  p:close()
  return defined, used
end

local function sorted_keys(set)
  local list = {}
  for k in pairs(set) do list[#list + 1] = k end
  table.sort(list)
  return list
end

describe("the C files", function()
  it("call each other in layers, with no circle", function()
    local files = sources("*.c")
    assert.is_true(#files > 10, "no C sources found under csrc/")
    local owner, uses = {}, {}
    for _, file in ipairs(files) do
      -- the 5.4 build's objects: build/<path>.o, made by make when missing
      -- (siqun_lua.c's only by make static)
      local object = "build/" .. file:gsub("%.c$", ".o")
      local f = io.open(object, "rb")
      if not f then
        assert(V.execute("env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u LUA_VERSION make -s "
                         .. object .. " >/dev/null"), "make " .. object .. " failed")
        f = assert(io.open(object, "rb"))
      end
      f:close()
      local defined, used = symbols(object)
      for _, name in ipairs(defined) do owner[name] = file end
      uses[file] = used
    end
    local edges = {}
    for _, file in ipairs(files) do
      local to = {}
      for _, name in ipairs(uses[file]) do
        local o = owner[name]
        if o and o ~= file then to[o] = true end
      end
      edges[file] = sorted_keys(to)
    end
    local found = find_cycle(edges, files)
    assert.is_nil(found, found and ("C files call each other in a circle: " .. table.concat(found, " -> ")))
  end)

  it("include headers in layers, with no circle", function()
    local headers = sources("*.h")
    local by_name = {}
    for _, h in ipairs(headers) do by_name[h:match("[^/]+$")] = h end
    local edges = {}
    for _, h in ipairs(headers) do
      local to = {}
      for line in io.lines("csrc/" .. h) do
        local inc = line:match('^%s*#%s*include%s+"([^"]+)"')
        local target = inc and by_name[inc:match("[^/]+$")]
        if target and target ~= h then to[target] = true end
      end
      edges[h] = sorted_keys(to)
    end
    local found = find_cycle(edges, headers)
    assert.is_nil(found, found and ("headers include each other in a circle: " .. table.concat(found, " -> ")))
  end)

  it("finds a circle when there is one (the check itself)", function()
    local found = find_cycle({ a = { "b" }, b = { "c" }, c = { "a" } }, { "a", "b", "c" })
    assert.same({ "a", "b", "c", "a" }, found)
    assert.is_nil(find_cycle({ a = { "b" } }, { "a", "b" }))
  end)
end)
