-- No require loop in lua/siqun: every module's requires, the ones at its
-- top and the ones a function makes on first use (require "x",
-- require("x"), lazy "x", siqun.lazy's module "x" and the modules its
-- fields and stubs come from, and require("siqun.writer." .. name) as an
-- edge to each module of that prefix), read from the sources, make a graph
-- with no cycle.  A cycle is named, module by module.

local V = require "spec.lua_version"
local find_cycle = require("spec.helper.graph").find_cycle

-- Module name -> its source path, for every module of lua/siqun.
local function modules()
  local p = assert(V.popen("cd lua && find siqun -name '*.lua' | LC_ALL=C sort"))
  local paths, names = {}, {}
  for line in p:lines() do
    local name = line:gsub("%.lua$", ""):gsub("/init$", ""):gsub("/", ".")
    paths[name] = "lua/" .. line
    names[#names + 1] = name
  end
  p:close()
  table.sort(names)
  return paths, names
end

-- The source of path without its comments (-- to the end of a line; the
-- layer has no long comments around code).
local function code_of(path)
  local f = assert(io.open(path, "rb"))
  local src = f:read("*a")
  f:close()
  local out = {}
  for line in (src .. "\n"):gmatch("([^\n]*)\n") do
    out[#out + 1] = line:gsub("%-%-.*$", "")
  end
  return table.concat(out, "\n")
end

-- The modules of lua/siqun the source of module self requires, sorted.
local function requires_of(code, paths, names, self)
  local set = {}
  local function add(name) if paths[name] then set[name] = true end end
  for _, pat in ipairs { "require%s*%(?%s*[\"']([%w_.]+)[\"']%s*%)?",
                         "lazy%s*%(?%s*[\"']([%w_.]+)[\"']",
                         -- siqun.lazy's module "x", and where a field of
                         -- lazy.fields or lazy.stubs comes from: k = "x",
                         -- k = { "x", "field" }
                         "%.module%s*%(?%s*[\"']([%w_.]+)[\"']",
                         "=%s*[\"'](siqun%.[%w_.]+)[\"']",
                         "{%s*[\"'](siqun%.[%w_.]+)[\"']" } do
    for name in code:gmatch(pat) do add(name) end
  end
  -- require("prefix." .. name): each module one level below prefix
  for prefix in code:gmatch("require%s*%(%s*[\"']([%w_.]+%.)[\"']%s*%.%.") do
    for _, name in ipairs(names) do
      if name:sub(1, #prefix) == prefix and not name:find(".", #prefix + 1, true)
         and name ~= self then
        set[name] = true
      end
    end
  end
  local out = {}
  for name in pairs(set) do out[#out + 1] = name end
  table.sort(out)
  return out
end

-- The module siqun.core's open_layer requires (csrc/lua/lsq_core.c), to which
-- siqun/init.lua hands over.
local function open_layer_module()
  local f = assert(io.open("csrc/lua/lsq_core.c", "rb"))
  local src = f:read("*a")
  f:close()
  local body = assert(src:match("static int open_layer%(.-\n}"))
  return assert(body:match('lua_pushliteral%(L, "(siqun[%w_.]*)"%)'))
end

-- The require graph: module -> sorted list of the modules it requires
-- (siqun's: the one open_layer requires).
local function graph()
  local paths, names = modules()
  local g = {}
  for _, name in ipairs(names) do
    g[name] = requires_of(code_of(paths[name]), paths, names, name)
  end
  local top = open_layer_module()
  if g.siqun then
    local edges = g.siqun
    edges[#edges + 1] = top
  end
  return g, names, top
end

describe("the require graph of lua/siqun", function()
  it("finds a cycle when there is one", function()
    local g = { a = { "b" }, b = { "c" }, c = { "a" }, d = {} }
    assert.same({ "a", "b", "c", "a" }, find_cycle(g, { "a", "b", "c", "d" }))
    assert.is_nil(find_cycle({ a = { "b" }, b = {} }, { "a", "b" }))
  end)

  it("reads static, lazy and prefixed requires", function()
    local paths = { ["siqun.x"] = "", ["siqun.w.a"] = "", ["siqun.w.b"] = "", ["siqun.y"] = "" }
    local names = { "siqun.w.a", "siqun.w.b", "siqun.x", "siqun.y" }
    local code = 'local x = require "siqun.x"\nlocal function f() return require("siqun.w." .. k) end\n'
                 .. 'local y = lazy("siqun.y")\n'
    assert.same({ "siqun.w.a", "siqun.w.b", "siqun.x", "siqun.y" }, requires_of(code, paths, names))
    -- siqun.lazy's declarations
    code = 'local x = lazy.module "siqun.x"\nlazy.fields(T, { a = "siqun.y", b = { "siqun.w.a", "f" } })\n'
           .. 'local z = require("siqun.lazy").module("siqun.w.b")\n'
    assert.same({ "siqun.w.a", "siqun.w.b", "siqun.x", "siqun.y" }, requires_of(code, paths, names))
    assert.same({}, requires_of(code_of("spec/layers_spec.lua"):gsub("siqun", "nothing"),
                                paths, names))
  end)

  it("has no cycle", function()
    local g, names, top = graph()
    assert.truthy(#g[top] > 0)
    local cycle = find_cycle(g, names)
    assert.is_nil(cycle, cycle and ("require loop: " .. table.concat(cycle, " -> ")))
  end)
end)
