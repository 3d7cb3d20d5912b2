-- siqun scan of a large file (issue 12, item 11): read in pieces, and for
-- CSV, NDJSON and JSON written in parts, so memory does not grow with the
-- number of quantities; the parts put together are what siqun.write gives
-- of all the rows at once.

local cli = require "spec.helper.cli"
local files = require "spec.helper.files"
local siqun = require "siqun"
teardown(files.cleanup)

-- A text of n sentences of our own, each with two quantities.
local function text_of(n)
  local parts = {}
  for i = 1, n do
    parts[i] = ("第%d段：共有%d名干部参加，约%d.5万元。\n"):format(i, i % 997 + 1, i % 89 + 1)
  end
  return table.concat(parts)
end

-- The rows siqun scan writes, made here from siqun.scan (the oracle).
local COLUMNS = {
  { name = "start", type = "integer" }, { name = "stop", type = "integer" },
  { name = "text" }, { name = "kind" }, { name = "value", type = "number" },
  { name = "date" }, { name = "qualifier" }, { name = "unit" },
  { name = "min", type = "number" }, { name = "max", type = "number" },
}
local function rows_of(text)
  local rows = {}
  for q in siqun.scan(text) do
    local date
    if q.kind == "date" then
      date = table.concat({ q.year or "", q.month or "", q.day or "" }, "-")
      if q.to then
        date = date .. ".." .. table.concat({ q.to.year or "", q.to.month or "", q.to.day or "" }, "-")
      end
    end
    rows[#rows + 1] = { start = q.start, stop = q.stop, text = q.text, kind = q.kind,
                        value = q.value, date = date, qualifier = q.qualifier, unit = q.unit,
                        min = q.min, max = q.max }
  end
  return rows
end

describe("siqun scan of a file with many quantities", function()
  local dir = files.tmpdir()
  local path = dir .. "/many.txt"
  local text = text_of(6000) -- (12,000 quantities: three parts and a bit)
  files.write(path, text)
  local rows = rows_of(text)

  for _, fmt in ipairs { "csv", "ndjson", "json" } do
    it("writes " .. fmt .. " in parts that make what siqun.write makes of all the rows", function()
      local want = siqun.write(rows, fmt, { columns = COLUMNS })
      local out, err, code = cli.run({ "scan", path, "-f", fmt })
      assert.equal(0, code, err)
      assert.equal(want, out)
      local file = dir .. "/out." .. fmt
      local _, err2, code2 = cli.run({ "scan", path, "-o", file })
      assert.equal(0, code2, err2)
      assert.equal(want, files.read(file))
      os.remove(file)
    end)
  end

  it("needs memory for a part, not for every row (CSV under a 150 MB address space)", function()
    if os.getenv("SIQUN_SANITIZE") then -- (AddressSanitizer reserves terabytes of addresses)
      return pending("an address-space limit means nothing under make asan or valgrind")
    end
    local big = dir .. "/big.txt"
    local f = assert(io.open(big, "wb"))
    for _ = 1, 30 do f:write(text) end -- (360,000 quantities, 11 MB)
    f:close()
    -- every row held at once would take several hundred MB
    local out, err, code = cli.run({ "scan", big, "-f", "csv" }, { prefix = "ulimit -v 150000;" })
    assert.equal(0, code, err)
    local _, lines = out:gsub("\n", "")
    assert.equal(#rows * 30 + 1, lines)
  end)
end)
