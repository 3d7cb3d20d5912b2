-- Hostile datasets (issue 6): each is generated at run time in a temporary
-- directory from the valid fixture (spec/fixtures/valid), never committed,
-- and must be refused with its own clear message in bounded time and
-- memory (or, for the limits, loaded in bounded time).  The limits are
-- those of csrc/dataset/sq_limits.h: 64 MB a file, 4 MB the descriptor, 1 MB a
-- field, 128 fields, 1 000 000 rows and 4 194 304 cells (rows times
-- fields, derived ones included) a table.  spec/loader_spec.lua has the
-- ordinary refusals; the cases here add the sizes and the byte-level
-- attacks.

local core = require "siqun.core"
local compat = require "siqun.compat"

local files = require "spec.helper.files"
local FIXTURE, read, write, tmpdir = files.FIXTURE, files.read, files.write, files.tmpdir
local fixture, replace, refused_dir = files.fixture, files.replace, files.refused
teardown(files.cleanup)

local function refused(mutate) return refused_dir(fixture(mutate)) end

local function has(msg, text)
  assert.is_truthy(msg:find(text, 1, true), ("expected %q in %q"):format(text, msg))
end

-- Peak resident memory of this process so far (kB), from /proc; nil
-- elsewhere.
local function peak_kb()
  local f = io.open("/proc/self/status", "r")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return tonumber(s:match("VmHWM:%s*(%d+)"))
end

-- Under make asan and make valgrind (SIQUN_SANITIZE set), time bounds are
-- multiplied by SIQUN_SLOW and memory is not bounded (the instrumented
-- allocators keep freed memory in quarantine).
local SLOW = tonumber(os.getenv("SIQUN_SLOW") or "") or 1
local INSTRUMENTED = os.getenv("SIQUN_SANITIZE") ~= nil

-- Resets the peak resident memory to the current one (Linux: writing 5 to
-- /proc/self/clear_refs), so that a measurement does not compare against
-- the peak an earlier case left.
local function reset_peak()
  local f = io.open("/proc/self/clear_refs", "w")
  if f then
    f:write("5")
    f:close()
  end
end

-- Runs f; asserts it took at most secs seconds of CPU and raised the peak
-- resident memory by at most mb megabytes; returns f's results.
local function bounded(secs, mb, f)
  collectgarbage()
  collectgarbage()
  reset_peak()
  local p0, t0 = peak_kb(), os.clock()
  local r = compat.pack(f())
  local dt, p1 = os.clock() - t0, peak_kb()
  assert.is_true(dt <= secs * SLOW, ("took %.2f s (bound %d s)"):format(dt, secs * SLOW))
  if p0 and p1 and not INSTRUMENTED then
    assert.is_true((p1 - p0) / 1024 <= mb, ("peak memory grew by %d MB (bound %d MB)")
                   :format(math.floor((p1 - p0) / 1024), mb))
  end
  return compat.unpack(r, 1, r.n)
end

-- An extra resource "readings" (id, x) beside the nine, its CSV written by
-- fill(f) with f an open file.
local function with_readings(dir_files, fill)
  dir_files["datapackage.json"] = replace(dir_files["datapackage.json"], '"resources": [',
    '"resources": [ { "name": "readings", "path": "readings.csv", "schema": { "fields": ['
    .. '{ "name": "id", "type": "string" }, { "name": "x", "type": "integer" } ] } },')
  return fill
end

local function readings_dir(fill)
  local dir = fixture(function(f) with_readings(f) end)
  local out = assert(io.open(dir .. "/readings.csv", "wb"))
  out:write("id,x\n")
  fill(out)
  out:close()
  return dir
end

describe("a hostile dataset", function()
  describe("of great size", function()
    it("a 100 MB line is refused before it is read", function()
      local dir = fixture(function(f) f["figures.csv"] = nil end)
      local out = assert(io.open(dir .. "/figures.csv", "wb"))
      out:write("id,text,label,label_zh,category,section,start,end\n")
      local chunk = ("x"):rep(1048576)
      for _ = 1, 100 do out:write(chunk) end
      out:write("\n")
      out:close()
      local msg = bounded(2, 16, function() return refused_dir(dir) end)
      assert.equal("figures.csv: file larger than 67108864 bytes", msg)
    end)

    it("a 10 MB field is refused at its first megabyte", function()
      local dir = readings_dir(function(out)
        out:write("r1,")
        local chunk = ("7"):rep(1048576)
        for _ = 1, 10 do out:write(chunk) end
        out:write("\n")
      end)
      local msg = bounded(2, 40, function() return refused_dir(dir) end)
      assert.equal("readings.csv:2: field longer than 1048576 bytes", msg)
    end)

    it("a descriptor over 4 MB is refused", function()
      local msg = refused(function(f)
        f["datapackage.json"] = replace(f["datapackage.json"], '"version": "0.0.1",',
          '"version": "0.0.1", "padding": "' .. ("x"):rep(4194304) .. '",')
      end)
      assert.equal("datapackage.json: file larger than 4194304 bytes", msg)
    end)

    it("a million rows load in bounded time; one more is refused", function()
      local function rows(n)
        return function(out)
          local buf = {}
          for i = 1, n do
            buf[#buf + 1] = "r" .. i .. "," .. i .. "\n"
            if #buf == 10000 then out:write(table.concat(buf)) buf = {} end
          end
          out:write(table.concat(buf))
        end
      end
      local dir = readings_dir(rows(1000000))
      local ds, err = bounded(30, 400, function() return core.open(dir) end)
      assert.is_not_nil(ds, err)
      local t = ds:table("readings")
      assert.equal(1000000, #t)
      assert.equal(1000000, t[1000000].x)
      ds:close() -- (its million records are freed with the state's next cycle)
      collectgarbage()
      local msg = bounded(30, 400, function() return refused_dir(readings_dir(rows(1000001))) end)
      assert.equal("readings.csv:1000002: too many rows (a table has at most 1000000)", msg)
    end)

    it("too many cells are refused before any is converted", function()
      local dir = fixture(function(f)
        local rows = { (f["figures.csv"]:match("^[^\n]*\n")) }
        for i = 1, 330000 do rows[#rows + 1] = "f" .. i .. ",12场,x,x,meetings,1,23,26\n" end
        f["figures.csv"] = table.concat(rows)
      end)
      local msg = bounded(10, 200, function() return refused_dir(dir) end)
      assert.equal("figures.csv:322640: too many cells (a table has at most 4194304: rows "
                   .. "times 13 fields, derived ones included)", msg)
    end)
  end)

  describe("with bad bytes", function()
    it("NUL in a header, a quoted field, a path or a key", function()
      local msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], "label_zh", "label\0zh")
      end)
      assert.equal("figures.csv:1: unknown field 'label?zh' (not in the schema of resource "
                   .. "'figures')", msg)
      msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], "reading sessions", '"reading\0sessions"')
      end)
      assert.equal("figures.csv:2: field 'label': NUL byte (U+0000) at byte 8 of the field", msg)
      msg = refused(function(f)
        f["datapackage.json"] = replace(f["datapackage.json"], '"figures.csv"',
                                        '"figures.csv\\u0000.txt"')
      end)
      assert.equal("datapackage.json:225: resource 'figures': path 'figures.csv?.txt' contains "
                   .. "a control character", msg)
    end)

    it("overlong, surrogate, out-of-range and cut UTF-8 in cells", function()
      for _, case in ipairs {
        { "\224\128\175", "an overlong encoding" },        -- 3 bytes for '/'
        { "\240\128\128\175", "an overlong encoding" },    -- 4 bytes
        { "\237\160\128", "a surrogate (U+D800..U+DFFF)" }, -- U+D800
        { "\237\191\191", "a surrogate (U+D800..U+DFFF)" }, -- U+DFFF
        { "\244\144\128\128", "a code point above U+10FFFF" },
        { "\128", "a continuation byte without a lead byte" },
        { "\228\184", "a sequence cut short" },
        { "\254\255", "a byte that is never in UTF-8" },  -- UTF-16's byte order mark
      } do
        local msg = refused(function(f)
          f["figures.csv"] = replace(f["figures.csv"], "attendances", "atten" .. case[1] .. "dances")
        end)
        assert.equal("figures.csv:3: field 'label': invalid UTF-8 at byte 6 of the field: "
                     .. case[2], msg)
      end
      local msg = refused(function(f) -- cut at the very end of the file
        f["figures.csv"] = f["figures.csv"]:gsub("\n$", "\228")
      end)
      assert.matches("^figures%.csv:4: field 'end': invalid UTF%-8 at byte %d+ of the field: "
                     .. "a sequence cut short$", msg)
    end)

    it("surrogates and overlong forms in the descriptor", function()
      local msg = refused(function(f)
        f["datapackage.json"] = replace(f["datapackage.json"], '"0.0.1"', '"\\ud800"')
      end)
      assert.matches("^datapackage%.json:5: malformed JSON: ", msg)
      has(msg, "surrogate")
      msg = refused(function(f)
        f["datapackage.json"] = replace(f["datapackage.json"], '"0.0.1"', '"\224\128\175"')
      end)
      assert.matches("^datapackage%.json:5: malformed JSON: invalid UTF%-8", msg)
    end)

    it("a second byte order mark", function()
      local msg = refused(function(f)
        f["figures.csv"] = "\239\187\191\239\187\191" .. f["figures.csv"]
      end)
      assert.equal("figures.csv:1: unknown field '\239\187\191id' (not in the schema of "
                   .. "resource 'figures')", msg)
    end)

    it("mixed line ends are read; a line break inside quotes is text", function()
      local ds, err = core.open(fixture(function(f)
        local n = 0
        f["figures.csv"] = f["figures.csv"]:gsub("\n", function()
          n = n + 1
          return n % 2 == 0 and "\r\n" or "\n"
        end)
        f["figures.csv"] = replace(f["figures.csv"], "reading sessions", '"reading\r\nsessions"')
      end))
      assert.is_not_nil(ds, err)
      assert.equal("reading\r\nsessions", ds:table("figures")[1].label)
    end)

    it("unbalanced quotes, wherever they are", function()
      local msg = refused(function(f) f["figures.csv"] = f["figures.csv"] .. '"' end)
      assert.equal("figures.csv:5: bad CSV quoting: unterminated quoted field", msg)
      msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], "id,text", '"id,text')
      end)
      assert.equal("figures.csv:1: bad CSV quoting: unterminated quoted field", msg)
      msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], "id,text", '"id"",text')
      end)
      assert.equal("figures.csv:1: bad CSV quoting: unterminated quoted field", msg)
      msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], "books,", '"books"x,')
      end)
      assert.equal("figures.csv:4: bad CSV quoting: text after a closing quote", msg)
    end)
  end)

  describe("with paths that escape", function()
    it("a descriptor that is a link to a file outside", function()
      local outside = tmpdir()
      write(outside .. "/datapackage.json", read(FIXTURE .. "/datapackage.json"))
      local dir = fixture(function(f) f["datapackage.json"] = nil end)
      assert(os.execute(("ln -s '%s/datapackage.json' '%s/datapackage.json'"):format(outside, dir)))
      assert.equal(("datapackage.json: '%s/datapackage.json' leads outside the dataset's "
                    .. "directory"):format(dir), refused_dir(dir))
    end)

    it("a resource under a linked directory that leads outside", function()
      local outside = tmpdir()
      write(outside .. "/figures.csv", read(FIXTURE .. "/figures.csv"))
      local dir = fixture(function(f)
        f["figures.csv"] = nil
        f["datapackage.json"] = replace(f["datapackage.json"], '"figures.csv"', '"sub/figures.csv"')
      end)
      assert(os.execute(("ln -s '%s' '%s/sub'"):format(outside, dir)))
      assert.equal(("sub/figures.csv: '%s/sub/figures.csv' leads outside the dataset's "
                    .. "directory"):format(dir), refused_dir(dir))
    end)

    it("a link that loops", function()
      local dir = fixture(function(f) f["figures.csv"] = nil end)
      assert(os.execute(("ln -s figures.csv '%s/figures.csv'"):format(dir)))
      assert.equal(("figures.csv: cannot open '%s/figures.csv': Too many levels of symbolic "
                    .. "links"):format(dir), refused_dir(dir))
    end)

    it("links that stay inside are followed", function()
      local dir = fixture(function(f)
        f["figures-data.csv"], f["figures.csv"] = f["figures.csv"], nil
      end)
      assert(os.execute(("ln -s figures-data.csv '%s/figures.csv'"):format(dir)))
      local top = tmpdir()
      assert(os.execute(("ln -s '%s' '%s/linked'"):format(dir, top)))
      local ds, err = core.open(top .. "/linked")
      assert.is_not_nil(ds, err)
      assert.equal(3, #ds:table("figures"))
    end)
  end)

  describe("with values out of range", function()
    it("10^400 in an integer, a number and a quantity", function()
      local big = "1" .. ("0"):rep(400)
      local msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], ",43,48", ",43," .. big)
      end)
      assert.equal("figures.csv:4: field 'end': expected an integer, got '"
                   .. big:sub(1, 48) .. "...'", msg)
      local dir = fixture(function(f)
        f["datapackage.json"] = replace(f["datapackage.json"], '"resources": [',
          '"resources": [ { "name": "readings", "path": "readings.csv", "schema": { "fields": ['
          .. '{ "name": "id", "type": "string" }, { "name": "x", "type": "number" } ] } },')
        f["readings.csv"] = "id,x\nr1," .. big .. "\n"
      end)
      assert.equal("readings.csv:2: field 'x': expected a number, got '" .. big:sub(1, 48)
                   .. "...'", refused_dir(dir))
      msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], "12场", big .. "场")
      end)
      assert.matches("^figures%.csv:2: field 'text': cannot read '1000+%.%.%.' as a quantity: ", msg)
    end)

    it("spans that start or end outside the source", function()
      local msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], ",43,48", ",999,999")
      end)
      assert.equal("figures.csv:4: field 'end': span 999..999 is past the end of the source "
                   .. "(115 code points)", msg)
      msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], ",43,48", ",-1,48")
      end)
      assert.equal("figures.csv:4: field 'start': expected at least 0, got '-1'", msg)
      msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], ",43,48", ",43,9223372036854775807")
      end)
      assert.equal("figures.csv:4: field 'end': span 43..9223372036854775807 is past the end "
                   .. "of the source (115 code points)", msg)
      local ds, err = core.open(fixture(function(f) -- up to the very end is inside
        f["figures.csv"] = replace(f["figures.csv"], ",43,48", ",115,115")
      end))
      assert.is_not_nil(ds, err)
    end)
  end)

  describe("with cycles in references", function()
    -- places.parent refers to places.id; rows appended to places.csv.
    local function places(rows)
      return function(f)
        f["places.csv"] = f["places.csv"] .. table.concat(rows, "\n") .. "\n"
      end
    end

    it("a -> b -> a", function()
      local msg = refused(places {
        "a,甲,A,village,b,0,0,1", "b,乙,B,village,a,0,0,1" })
      assert.equal("places.csv:4: field 'parent': a cycle of references: 'a' -> 'b' -> 'a'", msg)
    end)

    it("a place that is its own parent", function()
      local msg = refused(places { "a,甲,A,village,a,0,0,1" })
      assert.equal("places.csv:4: field 'parent': a cycle of references: 'a' -> 'a'", msg)
    end)

    it("a cycle reached from outside it", function()
      local msg = refused(places {
        "x,甲,X,village,a,0,0,1", "a,乙,A,village,b,0,0,1", "b,丙,B,village,c,0,0,1",
        "c,丁,C,village,a,0,0,1" })
      assert.equal("places.csv:5: field 'parent': a cycle of references: 'a' -> 'b' -> 'c' "
                   .. "-> 'a'", msg)
    end)

    it("a long cycle, named in part", function()
      local rows = {}
      for i = 1, 1000 do rows[i] = ("p%d,甲,P,village,p%d,0,0,1"):format(i, i % 1000 + 1) end
      local msg = bounded(5, 100, function() return refused(places(rows)) end)
      assert.matches("^places%.csv:4: field 'parent': a cycle of references: 'p1' %-> 'p2' "
                     .. "%-> .* %-> %.%.%.$", msg)
    end)

    it("a long chain without a cycle is loaded", function()
      local rows = {}
      for i = 1, 5000 do
        rows[i] = ("p%d,甲,P,village,%s,0,0,1"):format(i, i == 5000 and "qingshi" or "p" .. i + 1)
      end
      local ds, err = bounded(5, 100, function() return core.open(fixture(places(rows))) end)
      assert.is_not_nil(ds, err)
      assert.equal(5002, #ds:table("places"))
    end)
  end)
end)
