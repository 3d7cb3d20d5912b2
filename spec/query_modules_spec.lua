-- siqun.query as modules of one job each (lua/siqun/query/, issue 12 item
-- 18): the API of siqun.query is what it was; a query loads only the
-- modules it uses (no "did you mean", no generated where clauses, no List
-- predicates, no siqun.compose), siqun.compose's List
-- methods are installed on first use without the query language, and the
-- lexer needs LPeg only for a string, whose pattern it builds when a
-- query first has one.  What is loaded is seen in a new interpreter each time (the Lua
-- under test, the layer compiled into siqun.core).

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua (siqun.compat)
local V = require "spec.lua_version"
local siqun = require "siqun"
local query = require "siqun.query"

local art = assert(siqun.open())

-- Runs a chunk in a new interpreter pointed at this checkout; its output
-- (the chunk fails the spec when it raises).
local function run(chunk)
  local tmp = os.tmpname()
  local f = assert(io.open(tmp, "wb"))
  f:write(chunk)
  f:close()
  local p = assert(V.popen("env -u SIQUN_LUA_SOURCES -u COLUMNS "
                           .. V.env("lua/?.lua;lua/?/init.lua;;", V.cpath .. ";;")
                           .. " " .. V.lua .. " " .. tmp .. " 2>&1"))
  local out = p:read("*a")
  local ok = p:close()
  os.remove(tmp)
  assert.is_true(ok, out)
  return out
end

-- The chunk that prints, one per line after "loaded:", the modules of
-- siqun (and lpeg) that are loaded.
local LOADED = [[
local names = {}
for k in pairs(package.loaded) do
  if k:match("^siqun") or k == "lpeg" then names[#names + 1] = k end
end
table.sort(names)
print("loaded:")
print(table.concat(names, "\n"))
]]

local function loaded(out)
  local set = {}
  for name in (out:match("\nloaded:\n(.*)$") or out:match("^loaded:\n(.*)$")):gmatch("[^\n]+") do
    set[name] = true
  end
  return set
end

-- What no query needs unless it asks for it.
local NOT_FOR_A_QUERY = { "siqun.query.suggest", "siqun.query.message", "siqun.query.fuse",
                          "siqun.query.predicate", "siqun.query.aggregate", "siqun.query.group",
                          "siqun.compose" }

local QUERY = "figures where value > 100万 order by value desc select id, text, value, unit"

describe("siqun.query in modules", function()
  it("keeps its API", function()
    for _, name in ipairs({ "closest", "natural_less", "multi_less", "length", "shape", "new_row",
                            "is_row", "columns", "item_fields", "numbers", "aggregate",
                            "group_key", "is_query", "compile", "run", "query", "predicate",
                            "parse_order", "parse_join", "install", "format_error" }) do
      assert.is_function(query[name], name)
    end
    for _, name in ipairs({ "query", "run", "compile", "predicate" }) do
      assert.is_function(query.safe[name], "safe." .. name)
    end
    assert.equal(query.run, query.query)
    -- the parts that live in modules loaded on first use answer as they do
    assert.equal("value", query.closest("vale", { "id", "value" }))
    assert.is_nil(query.closest("zzzz", { "id", "value" }))
    assert.same({ 6, 3, 2 }, { query.numbers(3, function(i) return ({ 1, 2, 3 })[i] end) })
    assert.equal(query.group_key(1, { n = 0 }), query.group_key(1.0, { n = 0 }))
    assert.equal(3, query.aggregate({ fn = "max", field = "n" }, { { n = 3 }, { n = 1 } }))
    local q = query.compile("figures where value > 100万 order by value desc")
    assert.equal("siqun.Query: figures where value > 100万 order by value desc", tostring(q))
    assert.equal(#q:run(art), #art.figures:filter(function(f) return f.value > 1000000 end))
  end)

  it("loads only the modules a query uses, from the command line too", function()
    local out = run(([[
      local siqun = require "siqun"
      local rows = siqun.open():query(%q)
      assert(#rows > 0 and rows[1].id)
    ]]):format(QUERY) .. LOADED)
    local got = loaded(out)
    for _, name in ipairs({ "siqun.query", "siqun.query.lexer", "siqun.query.parser",
                            "siqun.query.plan", "siqun.query.exec" }) do
      assert.is_true(got[name], name .. " not loaded:\n" .. out)
    end
    for _, name in ipairs(NOT_FOR_A_QUERY) do
      assert.is_nil(got[name], name .. " loaded by a query:\n" .. out)
    end
    assert.is_nil(got.lpeg, "LPeg loaded by a query without a string") -- (lexer)
    out = run(([[
      io.stdout:setvbuf("full")
      local status = require("siqun.cli").main({ "query", %q, "-f", "json" })
      io.stdout:write("\n")
      assert(status == 0, "status " .. tostring(status))
    ]]):format(QUERY) .. LOADED)
    assert.matches('"id": "linking_funds"', out, 1, true)
    got = loaded(out)
    assert.is_true(got["siqun.query.exec"], out)
    for _, name in ipairs(NOT_FOR_A_QUERY) do
      assert.is_nil(got[name], name .. " loaded by siqun query:\n" .. out)
    end
  end)

  it("loads 'did you mean' for the error that needs it, and the rest for what uses it", function()
    local out = run([[
      local siqun = require "siqun"
      local art = siqun.open()
      local r, err = siqun.safe.query(art, "figures where vale > 1")
      assert(r == nil and err:find("did you mean 'value'", 1, true), err)
      assert(not package.loaded["siqun.query.fuse"] and not package.loaded["siqun.query.group"])
      local q = siqun.compile("figures where value > 1")
      q:run(art)
      assert(not package.loaded["siqun.query.fuse"], "fuse loaded by the first run")
      q:run(art)
      assert(#art:query("figures group by unit select unit, count()") > 1)
      assert(#art.figures:filter("value > 1") > 1)
    ]] .. LOADED)
    local got = loaded(out)
    for _, name in ipairs({ "siqun.query.suggest", "siqun.query.message", "siqun.query.fuse",
                            "siqun.query.aggregate", "siqun.query.group",
                            "siqun.query.predicate" }) do
      assert.is_true(got[name], name .. " not loaded:\n" .. out)
    end
    assert.is_nil(got["siqun.compose"], out)
  end)

  it("installs siqun.compose's List methods on first use, without the query language", function()
    local out = run([[
      local siqun = require "siqun"
      local art = siqun.open()
      assert(rawget(siqun.List.methods, "group_by") == nil)
      local groups = art.figures:group_by("unit")
      assert(#groups > 1 and groups[1].items[1].unit == groups[1].key)
      assert(rawget(siqun.List.methods, "group_by") == groups.group_by)
      assert(art.figures:sum("value") > 0)
      assert(getmetatable(siqun.List.methods) == nil, "the hook is still there")
    ]] .. LOADED)
    local got = loaded(out)
    assert.is_true(got["siqun.compose"], out)
    for _, name in ipairs({ "siqun.query", "siqun.query.lexer", "siqun.query.parser", "lpeg" }) do
      assert.is_nil(got[name], name .. " loaded by List methods:\n" .. out)
    end
    -- and a query after them, or them after a query, as before
    out = run([[
      local siqun = require "siqun"
      local art = siqun.open()
      assert(#art:query("figures where unit = '元'") == 3)
      assert(art.figures:filter("unit = '元'"):sum("value") == 4154200000)
      assert(#art.figures:order_by("section, value desc") == #art.figures)
    ]] .. LOADED)
    assert.is_true(loaded(out)["siqun.compose"], out)
  end)

  it("reads a query with LPeg only for its strings, built when a query first has one", function()
    local out = run([[
      local query = require "siqun.query"
      query.compile("figures where value > 100万 and `unit` != 1 or id in （2，3） order by id")
      print(package.loaded.lpeg ~= nil)
      -- every constructor of LPeg, counted
      local lpeg = require "lpeg"
      local calls = 0
      for _, name in ipairs({ "P", "R", "S", "C", "Cc", "Cp", "Cs", "Cmt" }) do
        local f = lpeg[name]
        lpeg[name] = function(...) calls = calls + 1 return f(...) end
      end
      local function built(text)
        local before = calls
        query.compile(text)
        return calls - before
      end
      print(built("figures where unit = '元'"), built('figures where id = "x" or id = “y”'))
    ]])
    local loaded_lpeg, a, b = out:match("^(%a+)\n(%d+)\t(%d+)")
    assert.equal("false", loaded_lpeg, out)
    assert.is_true(tonumber(a) > 0, out)
    assert.equal("0", b)
  end)
end)
