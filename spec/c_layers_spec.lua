-- The C files form layers, not circles (docs/architecture.md): no C file of
-- the library calls, through others, back into itself, and no header
-- includes, through others, itself.  Calls are read from the compiled
-- objects (`nm`: which file defines a global symbol, which files use it),
-- so a declaration moved to another header cannot hide a call; includes
-- from the sources.

local V = require "spec.lua_version"

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

-- The first circle in a graph (node -> sorted list of nodes), as a list of
-- nodes that starts and ends with the same one, or nil.
local function circle(nodes, edges)
  local state, stack = {}, {}
  local function visit(n)
    state[n] = "open"
    stack[#stack + 1] = n
    for _, m in ipairs(edges[n] or {}) do
      if state[m] == "open" then
        local path, i = {}, #stack
        while stack[i] ~= m do i = i - 1 end
        for j = i, #stack do path[#path + 1] = stack[j] end
        path[#path + 1] = m
        return path
      elseif not state[m] then
        local found = visit(m)
        if found then return found end
      end
    end
    stack[#stack] = nil
    state[n] = "done"
  end
  for _, n in ipairs(nodes) do
    if not state[n] then
      local found = visit(n)
      if found then return found end
    end
  end
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
    local found = circle(files, edges)
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
    local found = circle(headers, edges)
    assert.is_nil(found, found and ("headers include each other in a circle: " .. table.concat(found, " -> ")))
  end)

  it("finds a circle when there is one (the check itself)", function()
    local found = circle({ "a", "b", "c" }, { a = { "b" }, b = { "c" }, c = { "a" } })
    assert.same({ "a", "b", "c", "a" }, found)
    assert.is_nil(circle({ "a", "b" }, { a = { "b" } }))
  end)
end)
