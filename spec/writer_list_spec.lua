-- A List (or array) written as JSON, NDJSON or CSV without a document
-- (issue 12 item 18): siqun.write reads each row once and writes it, and
-- gives what the document siqun.output.list_doc makes of the same rows
-- gives through siqun.writer.common.prepare and the writer -- the same
-- text (keys in column order, numbers and lists typed, invalid UTF-8
-- replaced, escapes) and the same errors -- without making that document.

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua (siqun.compat)
local siqun = require "siqun"
local output = require "siqun.output"
local common = require "siqun.writer.common"
local json = require "siqun.writer.json"
local writer = require "siqun.writer"

local art = assert(siqun.open())

-- What the document path writes: list_doc, prepare, the writer.
local function through_document(list, fmt, opts)
  local doc = output.list_doc(list, opts.title, opts.columns)
  if fmt == "csv" then return writer.render(doc, "csv", opts) end
  local t = common.prepare(doc).blocks[1]
  if fmt == "json" then return json.records(t, opts) end
  return json.lines(t)
end

-- s or an error's message, without a position, and as it is said of a
-- List (siqun.write: "cannot write the list: ...", the caller's argument)
-- or of the document list_doc makes of it ("bad report document: block 1
-- (table): ...", list_doc's argument): the same words after that.
local function result(ok, s, ...)
  if ok then return s, ... end
  local msg = tostring(s):gsub("^[^\n]-:%d+: ", "")
  msg = msg:gsub("^bad report document: block 1 %(table%): ", "", 1)
           :gsub("^cannot write the list: ", "", 1)
           :gsub("^bad argument #3 to 'list_doc'", "bad argument #3 to 'write'", 1)
  return "error: " .. msg
end

local lists = {
  { "records", art.figures },
  { "records with a list field", art.glossary },
  { "a query's records", art:query("figures where value >= 1000000") },
  { "a query's rows", art:query("figures group by unit select unit, count(), sum(value)") },
  { "rows with a list", art:query("glossary select id, members") },
  { "no records", art:query("figures where value > 1e30") },
  { "no rows, known columns", art:query("figures where value > 1e30 select id, value") },
  { "an empty array", {} },
  { "plain tables", { { a = 1, b = "x" }, { a = 2.5, c = true } } },
  { "positional rows", { { 1, "x" }, { 2, "y\255z" } }, { "n", "s" } },
  { "invalid UTF-8", { { s = "a\255b", t = "ok" } } },
  { "escapes", { { s = 'q"b\\s\1\t\n\127 \226\128\168 \226\128\169 end', t = "ok" } } },
  { "a name to escape", { { ['a"b'] = 1, ["c\255"] = "x" } } },
  { "lists", { { m = { "a", 1, "b\255" }, n = 1 }, { m = {}, n = 2 } },
    { { name = "m", type = "list" }, "n" } },
  { "numbers", { { x = 1e300, y = -0.0, z = 0.1, w = 2 ^ 53, v = 1 / 0, u = 2 ^ 63 } } },
  { "chosen columns", art.figures, { "id", "value", "nosuch" } },
  -- errors
  { "rows that are not tables", { 1, 2 } },
  { "a row that is not a table", { { a = 1 }, "x" } },
  { "a function in a cell", { { f = print } } },
  { "a column without a name", { { a = 1 } }, { { name = 3 } } },
  { "a column twice", { { a = 1 } }, { "a", "a" } },
  { "an unknown type", { { a = 1 } }, { { name = "a", type = "date" } } },
  { "a string for a list", { { a = "x" } }, { { name = "a", type = "list" } } },
  { "a list of tables", { { a = { {} } } }, { { name = "a", type = "list" } } },
}

describe("siqun.write of a List as JSON, NDJSON or CSV", function()
  for _, case in ipairs(lists) do
    it("writes " .. case[1] .. " as the document would", function()
      for _, fmt in ipairs({ "json", "ndjson", "csv" }) do
        for _, o in ipairs({ {}, { indent = 0 }, { indent = 4 }, { bom = true } }) do
          local opts = { columns = case[3] }
          for k, v in pairs(o) do opts[k] = v end
          local want = result(pcall(through_document, case[2], fmt, opts))
          local got = result(pcall(siqun.write, case[2], fmt, opts))
          assert.equal(want, got, fmt)
        end
      end
    end)
  end

  it("makes no document of the rows", function()
    local prepare, list_doc = common.prepare, output.list_doc
    local calls = 0
    common.prepare = function(...) calls = calls + 1; return prepare(...) end
    output.list_doc = function(...) calls = calls + 1; return list_doc(...) end
    local ok, err = pcall(function()
      for _, fmt in ipairs({ "json", "ndjson", "csv" }) do
        assert.is_string(siqun.write(art.figures, fmt))
        assert.is_string(siqun.write(art.glossary, fmt))
      end
    end)
    common.prepare, output.list_doc = prepare, list_doc
    assert.is_true(ok, err)
    assert.equal(0, calls)
    -- (a CSV of one chosen table goes through the document, as before)
    assert.is_nil((siqun.write(art.figures, "csv", { table = 2 })))
  end)

  it("raises a bad argument as list_doc does", function()
    local ok, err = pcall(siqun.write, art.figures, "json", { title = 42 })
    assert.is_false(ok)
    assert.matches("bad argument #2 to 'list_doc' (string expected, got number)", err, 1, true)
  end)
end)
