-- Misuse never crashes (issue 12, item 14): every siqun metatable (reached
-- with debug.getmetatable) is put on every kind of siqun object with
-- debug.setmetatable, and every metamethod and method is called on it.
-- Each call must return or raise a Lua error; a function of siqun.core
-- given a userdata of another kind must raise "<type> expected" (its type
-- check reads the userdata, not the metatable it wears).  `make asan` runs
-- this spec under AddressSanitizer with the rest of the suite.

local siqun = require "siqun"
local compat = require "siqun.compat"
local core = require "siqun.core"
local json = require "siqun.writer.json"
local List = siqun.List

local getmt, setmt = debug.getmetatable, debug.setmetatable

-- The TempFiles made, discarded (newest first: each restores the signal
-- mask it found) when a test ends: until then they hold the process's
-- SIGINT and SIGTERM blocked, and a child a later spec kills would ignore
-- them.
local made_temps = {}
local TEMP_MT = (function()
  local t = assert(core.files.temp(os.tmpname() .. ".mt", false))
  local mt = getmt(t)
  t:discard()
  return mt
end)()
local function discard_temps()
  for i = #made_temps, 1, -1 do
    local t = made_temps[i]
    made_temps[i] = nil
    setmt(t, TEMP_MT)
    t:discard()
  end
end

local function heat(r)
  for _ = 1, 200 do local _ = r.id end
  assert(type(getmt(r).__index) == "table", "not promoted")
  return r
end

-- Every kind of object, made fresh by each call (a new Article: a call may
-- close its Dataset): kind -> the object.  `core` marks siqun.core's
-- userdata (the kind its C functions check for).
local KINDS = {
  { "Dataset", core = "siqun.Dataset", make = function(a) return a.dataset end },
  { "Table", core = "siqun.Table", make = function(a) return a.dataset:table("figures") end },
  { "Record (cold)", core = "siqun.Record", make = function(a) return a.figures[1] end },
  { "Record (hot)", core = "siqun.Record", make = function(a) return heat(a.quotas[2]) end },
  { "Record values", make = function(a) return getmt(heat(a.people[1])).__index end },
  { "Quantity (number)", core = "siqun.Quantity",
    make = function() return siqun.quantity("420余万元") end },
  { "Quantity (date)", core = "siqun.Quantity",
    make = function() return siqun.quantity("6月18日至19日") end },
  { "Quantity (scan)", core = "siqun.Quantity", make = function() return siqun.scan("共3个")() end },
  { "List", make = function() return List { 1, 2 } end },
  { "List of a dataset table", make = function(a) return a.glossary end },
  { "Article", make = function(a) return a end },
  { "Row", make = function(a) return a:query("figures select id, value")[1] end },
  { "Query", make = function() return siqun.compile("figures where value > 4") end },
  { "json.null", make = function() return json.null end },
  -- siqun.files' C objects: a file read in pieces, a temporary file
  { "FileStream", core = "siqun.FileStream",
    make = function() return assert(core.files.open("README.md")) end },
  -- (a TempFile blocks SIGINT/SIGTERM until discarded: each one made is
  -- discarded at the end of the test, below)
  { "TempFile", core = "siqun.TempFile", make = function()
      local t = assert(core.files.temp(os.tmpname() .. ".swap", false))
      made_temps[#made_temps + 1] = t
      return t
    end },
}

-- The metatables, each with the kind it belongs to and the names of the
-- methods its objects answer (read from one of them, as a user would).
local function metatables()
  local a = assert(siqun.open())
  local out = {}
  for _, k in ipairs(KINDS) do
    local x = k.make(a)
    local methods = {}
    if k.core == "siqun.Dataset" then
      methods = { "tables", "table", "source_info", "attach", "attached", "slice", "close" }
    elseif k.core == "siqun.Table" then
      methods = { "get", "name", "fields", "field_index" }
    elseif k.core == "siqun.Record" or k[1] == "Record values" then
      methods = { "totable", "table_name", "row", "source", "span", "members", "where" }
    elseif k.core == "siqun.Quantity" then
      methods = { "totable" }
    elseif k.core == "siqun.FileStream" then
      methods = { "read", "size", "close" }
    elseif k.core == "siqun.TempFile" then
      methods = { "path", "commit", "discard" }
    elseif k[1]:find("^List") then
      methods = { "filter", "map", "find", "includes", "index_of", "sort", "at", "first", "last",
                  "get", "totable", "concat", "iter", "len", "is_empty", "group_by", "count",
                  "sum", "avg", "min", "max", "select", "order_by", "join" }
    elseif k[1] == "Article" then
      methods = { "tables", "table", "attach", "attach_text", "attached", "source_info", "slice",
                  "query", "summary", "report", "close" }
    elseif k[1] == "Query" then
      methods = { "run", "columns" }
    end
    local fns = {}
    for _, m in ipairs(methods) do
      local f = x[m]
      if type(f) == "function" then fns[#fns + 1] = { m, f } end
    end
    out[#out + 1] = { name = k[1], core = k.core, mt = getmt(x), methods = fns }
  end
  return out
end

-- Arguments to try after the object itself.
local ARGS = { {}, { "id" }, { 1 }, { 1, 2 }, { "figures", 1 }, { {} }, { "value > 1" } }

-- Calls f(...) and checks it returned or raised a Lua error (a string, or
-- the query language's formatted message); returns ok, err.
local function try(what, f, ...)
  local ok, err = pcall(f, ...)
  if not ok then
    assert(type(err) == "string", what .. ": an error that is not a message: " .. tostring(err))
  end
  return ok, err
end

-- Everything the object x (wearing mt, of kind) answers: metamethods
-- called directly and through the operators, and every method.
local function exercise(x, other, m, kind)
  local mt = m.mt
  local foreign = m.core ~= nil and kind.core ~= m.core -- a core function, another kind
  local what = ("%s's metatable on a %s"):format(m.name, kind[1])
  for k, f in pairs(mt) do
    if type(f) == "function" then
      for _, args in ipairs(ARGS) do
        local ok, err = try(what .. ": " .. tostring(k), f, x, compat.unpack(args))
        if foreign and k ~= "__eq" and debug.getinfo(f, "S").what == "C" then
          assert(not ok, what .. ": " .. k .. " accepted it")
          if k ~= "__newindex" then
            assert(err:find(m.core .. " expected", 1, true) or err:find("values expected", 1, true),
                   what .. ": " .. k .. ": " .. err)
          end
        end
      end
    end
  end
  if type(mt.__eq) == "function" then
    -- (the core's __eq answers false for another kind: a comparison never raises)
    local eq = mt.__eq(x, other)
    assert.is_boolean(eq, what .. ": __eq")
    if foreign then assert.is_false(eq, what .. ": __eq") end
  end
  for _, mf in ipairs(m.methods) do
    for _, args in ipairs(ARGS) do
      local ok, err = try(what .. ": " .. mf[1], mf[2], x, compat.unpack(args))
      if foreign and debug.getinfo(mf[2], "S").what == "C" then
        assert(not ok, what .. ": " .. mf[1] .. " accepted it")
        assert(err:find(m.core .. " expected", 1, true), what .. ": " .. mf[1] .. ": " .. err)
      end
    end
  end
  -- the operators, through whatever mt holds
  try(what .. ": index", function() return x.id, x[1], x.value, x.totable, x.n end)
  try(what .. ": newindex", function() x.id = 1 end)
  try(what .. ": len", function() return #x end)
  try(what .. ": tostring", tostring, x)
  try(what .. ": eq", function() return x == other end)
  try(what .. ": concat", function() return x .. "x" end)
  try(what .. ": pairs", function()
    local n = 0
    for _ in compat.pairs(x) do
      n = n + 1
      if n > 100 then break end
    end
  end)
  -- siqun.core's functions given the object go by its type, not mt
  try(what .. ": table_record", core.table_record, x, 1)
  try(what .. ": record_table", core.record_table, x)
  try(what .. ": of_table", List.of_table, x, {})
  assert.equal(kind.core, core.type(x), what .. ": core.type")
end

describe("every siqun metatable on every kind of siqun object", function()
  local mts = metatables()
  discard_temps()
  after_each(discard_temps)
  for _, kind in ipairs(KINDS) do
    it("a " .. kind[1] .. " wearing each metatable: errors, never a crash", function()
      for _, m in ipairs(mts) do
        local a, b = assert(siqun.open()), assert(siqun.open())
        local x, other = kind.make(a), kind.make(b)
        local saved = getmt(x)
        setmt(x, m.mt)
        local ok, err = pcall(exercise, x, other, m, kind)
        setmt(x, saved)
        a:close()
        b:close()
        collectgarbage()
        assert(ok, err)
      end
    end)
  end

  it("and the objects still work afterwards", function()
    local a = assert(siqun.open())
    assert.equal(28, #a.figures)
    assert.equal("linking_cadres", a.figures:get("linking_cadres").id)
    assert.equal(4200000, siqun.quantity("420余万元").value)
    assert.equal(7, #a:query("figures where value > 100万"))
  end)
end)
