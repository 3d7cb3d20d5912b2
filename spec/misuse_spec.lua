-- API misuse, table-driven (issue 6): every public function and method of
-- the Lua API, called with a value of each wrong kind in each argument
-- position (nil included, and the objects of siqun's other kinds: an
-- Article where a List is expected, a Record of the wrong table, a core
-- Table, a Query, a row ...), must raise a Lua error that names the
-- argument ("bad argument #2 to 'run'", "bad self to 'columns'") and says
-- what was expected -- never crash, never answer as if nothing were wrong.
-- Extra arguments are accepted and ignored, as by Lua's own functions
-- (string.len("x", 1)): the spec checks that they change nothing.
--
-- The binding's userdata (Dataset, Table, Record) are covered by
-- core_spec.lua (a Quantity's methods and metamethods are here, called as
-- functions: "bad argument #1"), the wrong receivers of Article and List methods by
-- siqun_spec.lua and list_spec.lua; this spec covers the arguments of the
-- rest: siqun.*, Article, List (with siqun.compose's methods), Query,
-- siqun.safe.*, siqun.report.*.

local siqun = require "siqun"
local compat = require "siqun.compat"
local unpack = compat.unpack
local List = siqun.List
local report = siqun.report

local art = assert(siqun.open())
local other = assert(siqun.open()) -- a second Article
local closing = assert(siqun.open()) -- an Article the spec may close
local rec = art.figures[1]         -- a Record of figures
local grec = art.glossary[1]       -- a Record of another table
local ctable = art.dataset:table("figures")
local query = siqun.compile("figures where value > 1")
local row = siqun.query(art, "figures select id, value")[1]
local qty = assert(siqun.quantity("近50万名")) -- a siqun.Quantity
local qmt = debug.getmetatable(qty)
local tmp = os.tmpname()
os.remove(tmp)

teardown(function() os.remove(tmp) end)

-- --------------------------------------------------------- the values

-- Every kind of value, by name.  "nil" is tested as an explicit nil.
local VALUES = {
  { "nil", nil }, { "boolean", false }, { "integer", 0 }, { "float", 1.5 },
  { "huge", math.huge }, { "nan", 0 / 0 }, { "string", "x" }, { "empty string", "" },
  { "table", {} }, { "function", print }, { "thread", coroutine.create(function() end) },
  { "file", io.stdout }, { "List", List { 1 } }, { "Article", other }, { "Record", grec },
  { "Table", ctable }, { "Dataset", art.dataset }, { "Query", query }, { "Row", row },
  { "Quantity", qty },
}

-- Kinds an argument may take, as sets; "any" accepts everything.
local function kinds(spec)
  local set = {}
  for k in spec:gmatch("[^|]+") do set[k] = true end
  if set.number then set.integer, set.float, set.huge, set.nan = true, true, true, true end
  if set.string then set["empty string"] = true end
  if set.table then set.List_as_table = true end
  return set
end

-- -------------------------------------------------------------- the API

-- { name, function, { valid arguments }, { kinds of each argument } }.
-- A method's self is argument 1 here (called as f(self, ...)).
local function api()
  local fig = art.figures
  return {
    -- the module
    { "siqun.open", siqun.open, { "spec/fixtures/valid" }, { "string|nil" } },
    { "siqun.is_article", siqun.is_article, { art }, { "any" } },
    { "siqun.summary", siqun.summary, { art, { width = 60 } }, { "Article|nil", "table|nil" } },
    { "siqun.quantity", siqun.quantity, { "3个" }, { "string" } },
    { "siqun.scan", siqun.scan, { "共3个", 1, 0 }, { "string", "number|nil", "number|nil" } },
    { "siqun.scan_file", siqun.scan_file, { "spec/fixtures/source.txt", {} },
      { "string|file", "table|nil" } },
    -- siqun.files
    { "files.kind", siqun.files.kind, { tmp }, { "string" } },
    { "files.check", siqun.files.check, { tmp, {} }, { "string", "table|nil" } },
    { "files.save", siqun.files.save, { tmp, "x", { force = true } },
      { "string", "string|table", "table|nil" } },
    { "files.save_with", siqun.files.save_with,
      { tmp, function(p) local f = io.open(p, "w") f:write("x") f:close() return true end,
        { force = true } }, { "string", "function", "table|nil" } },
    { "files.read", siqun.files.read, { "spec/fixtures/source.txt", {} }, { "string", "table|nil" } },
    { "files.open", siqun.files.open, { "spec/fixtures/source.txt" }, { "string" } },
    { "files.tty_columns", siqun.files.tty_columns, { io.stdout }, { "file" } },
    -- a Quantity (siqun.quantity's and scan's results)
    { "Quantity.totable", qty.totable, { qty }, { "Quantity" } },
    { "Quantity.__index", qmt.__index, { qty, "value" }, { "Quantity", "any" } },
    { "Quantity.__tostring", qmt.__tostring, { qty }, { "Quantity" } },
    { "Quantity.__pairs", qmt.__pairs, { qty }, { "Quantity" } },
    { "siqun.query", siqun.query, { art, "figures" }, { "Article", "string|Query" } },
    { "siqun.compile", siqun.compile, { "figures", art }, { "string", "Article|nil" } },
    { "siqun.query_predicate", siqun.query_predicate, { "value > 1", 1, ctable },
      { "string", "any", "Table|table|nil" } },
    { "siqun.safe.query", siqun.safe.query, { art, "figures" }, { "Article", "string|Query" } },
    { "siqun.safe.compile", siqun.safe.compile, { "figures", art }, { "string", "Article|nil" } },
    { "siqun.safe.predicate", siqun.safe.predicate, { "value > 1", ctable },
      { "string", "Table|table|nil" } },
    -- Article
    { "Article:tables", art.tables, { art }, { "Article" } },
    { "Article:table", art.table, { art, "figures" }, { "Article", "any" } },
    { "Article:attach", art.attach, { art, "spec/fixtures/source.txt" }, { "Article", "string" } },
    { "Article:attach_text", art.attach_text, { art, "x" }, { "Article", "string" } },
    { "Article:attached", art.attached, { art }, { "Article" } },
    { "Article:close", closing.close, { closing }, { "Article" } },
    { "Article:source_info", art.source_info, { art }, { "Article" } },
    { "Article:slice", art.slice, { art, 0, 1 }, { "Article", "number", "number" } },
    { "Article:summary", art.summary, { art, { width = 60 } }, { "Article", "table|nil" } },
    { "Article:report", art.report, { art, "people", "csv" },
      { "Article", "string", "string|nil", "table|nil" } },
    -- (art.query is siqun.query itself: its arguments are numbered as the function's)
    { "Article.query", art.query, { art, "figures" }, { "Article", "string|Query" } },
    -- List (and siqun.compose's methods)
    { "List.new", List.new, { { 1 }, {} }, { "table|List|nil", "table|nil" } },
    { "List.is_list", List.is_list, { fig }, { "any" } },
    { "List.of_table", List.of_table, { ctable, {} }, { "Table", "table" } },
    { "List:filter", fig.filter, { fig, "value > 1" }, { "List", "string|function|table" } },
    { "List:map", fig.map, { fig, tostring }, { "List", "function" } },
    { "List:find", fig.find, { fig, "value > 1", 1 }, { "List", "string|function|table", "integer|nil" } },
    { "List:includes", fig.includes, { fig, rec }, { "List", "any" } },
    { "List:index_of", fig.index_of, { fig, rec }, { "List", "any" } },
    { "List:sort", fig.sort, { fig, "value", "desc" }, { "List", "string|function|nil", "nil" } },
    { "List:at", fig.at, { fig, 1 }, { "List", "integer" } },
    { "List:first", fig.first, { fig }, { "List" } },
    { "List:last", fig.last, { fig }, { "List" } },
    { "List:get", fig.get, { fig, "sessions" }, { "List", "any" } },
    { "List:totable", fig.totable, { fig }, { "List" } },
    { "List:concat", fig.concat, { fig, { 1 } }, { "List", "table|List" } },
    { "List:iter", fig.iter, { fig }, { "List" } },
    { "List:len", fig.len, { fig }, { "List" } },
    { "List:is_empty", fig.is_empty, { fig }, { "List" } },
    { "List:group_by", fig.group_by, { fig, "unit" }, { "List", "string|function" } },
    { "List:count", fig.count, { fig, "value > 1" }, { "List", "string|function|table|nil" } },
    { "List:sum", fig.sum, { fig, "value" }, { "List", "string|function" } },
    { "List:avg", fig.avg, { fig, "value" }, { "List", "string|function" } },
    { "List:min", fig.min, { fig, "value" }, { "List", "string|function" } },
    { "List:max", fig.max, { fig, "value" }, { "List", "string|function" } },
    { "List:select", fig.select, { fig, "id", "value" }, { "List", "string", "string" },
      variadic = true },
    { "List:order_by", fig.order_by, { fig, "value", "desc" },
      { "List", "string|function", "string|function|nil" }, variadic = true },
    { "List:join", fig.join, { fig, art.sections, "section = number" },
      -- (join(other, "left", "right" [, opts]) takes a string fourth)
      { "List", "List|table", "string|function", "table|string|nil" } },
    -- Query
    { "Query:run", query.run, { query, art }, { "Query", "Article" } },
    { "Query:columns", query.columns, { query, art }, { "Query", "Article|nil" } },
    -- siqun.report
    { "report.register", report.register, { "misuse-x", function() return {} end, "d" },
      { "string", "function", "string|nil" },
      reset = function() report.unregister("misuse-x") end },
    { "report.unregister", report.unregister, { "misuse-x" }, { "any" },
      reset = function()
        report.unregister("misuse-x")
        report.register("misuse-x", function() return {} end)
      end },
    { "report.get", report.get, { "people" }, { "string" } },
    { "report.list", report.list, {}, {} },
    { "report.load", report.load, { tmp }, { "string" } },
    { "report.writer", report.writer, { "csv" }, { "string" } },
    { "report.register_writer", report.register_writer, { "misuse-w", function() return "" end },
      { "string", "function|table" },
      -- (there is no unregister_writer: each call takes a new name)
      reset = function(args) args[1] = ("misuse-w%d"):format(math.random(1000000000)) end },
    { "report.formats", report.formats, {}, {} },
    { "report.writer_builtin", report.writer_builtin, { "csv" }, { "any" } },
    { "report.text", report.text, { { title = "t", blocks = {} } }, { "table", "table|nil" } },
    { "report.markdown", report.markdown, { { title = "t", blocks = {} } }, { "table", "table|nil" } },
    { "report.csv", report.csv, { { title = "t", blocks = {} } }, { "table", "table|nil" } },
    { "report.json", report.json, { { title = "t", blocks = {} } }, { "table", "table|nil" } },
    { "report.html", report.html, { { title = "t", blocks = {} } }, { "table", "table|nil" } },
    { "report.sqlite", report.sqlite, { art, tmp, { force = true } }, { "Article", "string", "table|nil" } },
    { "report.build", report.build, { "people", art, {} }, { "string", "Article|nil", "table|nil" } },
    { "report.run", report.run, { "people", art, "csv", {} },
      { "string", "Article|nil", "string|nil", "table|nil" } },
    { "report.write", report.write, { "people", art, "csv", tmp, { force = true } },
      { "string", "Article|nil", "string|nil", "string", "table|nil" } },
    { "report.render", report.render, { { title = "t", blocks = {} }, "csv", {} },
      { "table", "string|nil", "table|nil" } },
    { "report.write_doc", report.write_doc, { { title = "t", blocks = {} }, "csv", tmp, { force = true } },
      { "table", "string|nil", "string", "table|nil" } },
    { "report.list_doc", report.list_doc, { fig, "t", { "id" }, art },
      { "List|table", "string|nil", "table|nil", "Article|nil" } },
  }
end

-- ------------------------------------------------------------ checking

local function kind_of(v, name)
  if name == "List" and List.is_list(v) then return "List" end
  return name
end

local function call(f, args, n)
  return pcall(f, unpack(args, 1, n))
end

-- Is the message one that names argument i (1-based position in the call,
-- self included) and says what was expected?  A method's self is "bad
-- self"; a writer's document (argument 1) is "bad report document"; a
-- predicate is "bad predicate".
local function names_argument(msg, i, is_method)
  if type(msg) ~= "string" or not msg:find("expected", 1, true) then return false end
  if is_method and i == 1 then return msg:find("bad self", 1, true) ~= nil end
  local n = is_method and i - 1 or i
  return msg:find("bad argument #" .. n .. " ", 1, true) ~= nil
      or msg:find("bad predicate", 1, true) ~= nil
      or msg:find("bad options", 1, true) ~= nil -- (join's trailing options)
      or (n == 1 and msg:find("bad report document (", 1, true) ~= nil)
end

-- Whether kinds ok accept the value v of kind k: a Lua table (an Article,
-- a List on 5.2+, a row) passes where a table is accepted.
local function accepted(ok, k, v)
  return ok.any or ok[k] or (ok.table and type(v) == "table")
end

describe("API misuse", function()
  local entries = api()

  for _, e in ipairs(entries) do
    local name, f, valid, spec = e[1], e[2], e[3], e[4]
    local is_method = name:find(":", 1, true) ~= nil

    it(name .. " names the argument it refuses", function()
      assert.is_function(f, name)
      for i, s in ipairs(spec) do
        local ok_kinds = kinds(s)
        for _, kv in ipairs(VALUES) do
          local kind = kind_of(kv[2], kv[1])
          if not accepted(ok_kinds, kind, kv[2]) then
            local args = { unpack(valid, 1, #spec) }
            if e.reset then e.reset(args) end
            args[i] = kv[2]
            local ok, msg = call(f, args, math.max(#spec, i))
            assert(not ok, ("%s accepted %s as argument %d"):format(name, kv[1], i))
            assert(names_argument(msg, i, is_method),
                   ("%s, argument %d = %s: %s"):format(name, i, kv[1], tostring(msg)))
          end
        end
      end
    end)

    if not e.variadic then
      it(name .. " ignores extra arguments", function()
        local n = #spec
        local args = { unpack(valid, 1, n) }
        if e.reset then e.reset(args) end
        local ok1, r1 = call(f, args, n)
        if e.reset then e.reset(args) end
        args[n + 1], args[n + 2], args[n + 3] = 1, "extra", {}
        local ok2, r2 = call(f, args, n + 3)
        assert.equal(ok1, ok2, name)
        assert.equal(type(r1), type(r2), name)
        if type(r1) == "string" and not ok1 then -- the same message, wherever raised
          r1, r2 = r1:gsub("^[^:]*:%d+: ", ""), r2:gsub("^[^:]*:%d+: ", "")
        end
        if type(r1) ~= "table" and type(r1) ~= "userdata" and type(r1) ~= "function" then
          assert.equal(r1, r2, name)
        end
      end)
    end
  end
end)

describe("records of the wrong kind", function()
  it("a Record, a core Table or a row where an Article is expected", function()
    for _, wrong in ipairs { rec, ctable, art.dataset, row, art.figures } do
      for _, case in ipairs {
        { "query", function() return siqun.query(wrong, "figures") end },
        { "summary", function() return siqun.summary(wrong) end },
        { "run", function() return report.run("people", wrong) end },
        { "sqlite", function() return report.sqlite(wrong, tmp) end },
      } do
        local ok, msg = pcall(case[2])
        assert(not ok, case[1] .. " accepted a " .. type(wrong))
        assert.matches("siqun.Article expected", msg, 1, true)
      end
    end
  end)

  it("a record of another table in a list of figures", function()
    local mixed = art.figures:concat { grec }
    -- a condition names fields: checked on each kind of record it meets
    local ok, msg = pcall(mixed.filter, mixed, "value >= 0")
    assert.is_false(ok)
    assert.matches("query error at 1: unknown field 'value' in glossary", msg, 1, true)
    -- a function sees the glossary record's missing fields as nil
    assert.equal(#art.figures, #mixed:filter(function(r) return r.value ~= nil end))
    assert.equal(grec, mixed:get(grec.id)) -- (a concatenation compares ids)
    assert.equal(#art.figures + 1, mixed:index_of(grec))
    local s = report.list_doc(mixed, "mixed", { "id", "value" }, art)
    assert.equal(#art.figures + 1, #s.blocks[1].rows)
    assert.is_string(report.render(s, "csv"))
  end)

  it("a closed Article", function()
    local a = assert(siqun.open())
    local figs = a.figures
    a:close()
    for _, f in ipairs {
      function() return siqun.query(a, "figures") end,
      function() return figs[1].value end,
      function() return report.run("people", a, "csv") end,
      function() return figs:filter("value > 1") end,
    } do
      local ok, msg = pcall(f)
      assert(not ok, "a closed Article was used")
      assert.matches("closed siqun.Dataset", msg, 1, true)
    end
  end)
end)

-- The binding on tables unlike the article's (an extra resource beside the
-- fixture's nine): keys and labels of every type, a table without a key, a
-- start without an end, a source text whose hash matches but whose bytes
-- do not.
describe("the binding on unusual tables", function()
  local core = require "siqun.core"
  local files = require "spec.helper.files"
  local function dataset(edit)
    local dir = files.fixture(function(t)
      t["datapackage.json"] = edit(t["datapackage.json"])
    end)
    files.write(dir .. "/extra.csv", "k,b,x,title,start\n1,true,0.5,7,3\n2,false,,,\n")
    files.write(dir .. "/nokey.csv", "name\nx\n")
    return assert(core.open(dir))
  end
  local RES = '"resources": [ { "name": "extra", "path": "extra.csv", "schema": { "fields": ['
    .. '{ "name": "k", "type": "integer" }, { "name": "b", "type": "boolean" }, '
    .. '{ "name": "x", "type": "number" }, { "name": "title", "type": "integer" }, '
    .. '{ "name": "start", "type": "integer" } ], "primaryKey": "k" } }, '
    .. '{ "name": "nokey", "path": "nokey.csv", "schema": { "fields": [ { "name": "name" } ] } },'
  local function with_extra(s) return (s:gsub('"resources": %[', function() return RES end, 1)) end
  teardown(files.cleanup)

  it("reads keys, labels and values of every type", function()
    local ds = dataset(with_extra)
    local t = ds:table("extra")
    assert.equal("extra[1]", tostring(t[1])) -- an integer key; a label that is no text
    assert.same({ true, 0.5, 7, 3 }, { t[1].b, t[1].x, t[1].title, t[1].start })
    assert.same({ false }, { t[2].b, t[2].x, t[2].title })
    assert.is_nil(t[1].span)                  -- a start without an end is no span
    assert.has_error(function() t[1]:source() end, "table 'extra' has no span")
    assert.equal(t[2], t:get(2))
    assert.equal(t[2], t:get(2.0))
    assert.is_nil(t:get(2.5))
    assert.equal("nokey[1]: x", tostring(ds:table("nokey")[1])) -- no key: the row number
    assert.is_false(t[1] == t[2])
    assert.is_false(t[1] == ds:table("nokey")[1])
    assert.is_false(t[1] == dataset(with_extra):table("extra")[1]) -- another dataset
    local iter, state = debug.getmetatable(t[1]).__pairs(t[1])
    local ok, msg = pcall(iter, state, "nosuch")
    assert.is_false(ok)
    assert.matches("invalid key to 'next'", msg)
    assert.is_false((pcall(iter, state, 1)))
  end)

  it("checks a source whose hash matches but whose text does not", function()
    for _, text in ipairs { "\255abc", "abc\r" } do
      local ds = dataset(function(s)
        s = s:gsub('"sha256": "%x+"', '"sha256": "' .. core.sha256(text:gsub("\r\n", "\n")) .. '"')
        return (s:gsub('"bytes": %d+', '"bytes": 300'):gsub('"codepoints": %d+', '"codepoints": 200'))
      end)
      local ok, msg = ds:attach(text)
      assert.is_nil(ok)
      assert.equal(text:find("\255") and "source text is not valid UTF-8"
                   or "source has 4 bytes and 4 code points, the descriptor says 300 and 200", msg)
    end
  end)

  it("refuses a directory name with a NUL byte", function()
    local ds, msg = core.open("spec\0fixtures")
    assert.is_nil(ds)
    assert.equal("directory name contains a NUL byte", msg)
  end)
end)
