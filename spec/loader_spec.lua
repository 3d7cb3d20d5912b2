-- The loader (core.open(dir)): one spec per refusal, each checking the
-- message names the file, line and field.  Every case copies the valid
-- fixture (spec/fixtures/valid, an invented town bulletin) into a temporary
-- directory and applies one mutation.

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua (siqun.compat)
local V = require "spec.lua_version"
local core = require "siqun.core"

local files = require "spec.helper.files"
local FIXTURE, read, write, tmpdir = files.FIXTURE, files.read, files.write, files.tmpdir
local fixture, replace = files.fixture, files.replace

-- Opens the mutated fixture, expects a refusal; returns the message.
local function refused(mutate) return files.refused(fixture(mutate)) end

local function has(msg, text)
  assert.is_truthy(msg:find(text, 1, true), ("expected %q in %q"):format(text, msg))
end

teardown(files.cleanup)

describe("the loader", function()
  it("opens a copy of the valid fixture", function()
    local ds, err = core.open(fixture())
    assert.is_not_nil(ds, err)
    assert.equal(9, #ds:tables())
    assert.equal(3, #ds:table("figures"))
  end)

  it("tolerates a BOM and CRLF line ends in a CSV and in the descriptor", function()
    local ds, err = core.open(fixture(function(f)
      f["figures.csv"] = "\239\187\191" .. f["figures.csv"]:gsub("\n", "\r\n")
      f["datapackage.json"] = "\239\187\191" .. f["datapackage.json"]:gsub("\n", "\r\n")
    end))
    assert.is_not_nil(ds, err)
    assert.equal("12场", ds:table("figures")[1].text)
  end)

  -- An extra resource (allowed beside the nine) with a number field.
  local function with_numbers(cells)
    return function(f)
      f["datapackage.json"] = replace(f["datapackage.json"], '"resources": [',
        '"resources": [ { "name": "readings", "path": "readings.csv", "schema": { "fields": ['
        .. '{ "name": "id", "type": "string" }, { "name": "x", "type": "number" } ] } },')
      local rows = { "id,x" }
      for i, c in ipairs(cells) do rows[#rows + 1] = "r" .. i .. "," .. c end
      f["readings.csv"] = table.concat(rows, "\n") .. "\n"
    end
  end

  it("reads Table Schema numbers whatever the C locale", function()
    local ds, err = core.open(fixture(with_numbers {
      "1.5", "-2.25e3", "123.456e-2", "+.5", "00012.5000", "1e-400", "NaN", "INF", "-INF" }))
    assert.is_not_nil(ds, err)
    local t = ds:table("readings")
    assert.same({ 1.5, -2250.0, 1.23456, 0.5, 12.5, 0.0 }, {
      t[1].x, t[2].x, t[3].x, t[4].x, t[5].x, t[6].x })
    assert.is_true(t[7].x ~= t[7].x)
    assert.same({ math.huge, -math.huge }, { t[8].x, t[9].x })
    for i, bad in ipairs { "1e400", "0x10", "\"1,5\"", "1.5.1", "e5", "1e", "inf", " 1" } do
      local msg = refused(with_numbers { "1", bad })
      assert.equal(("readings.csv:3: field 'x': expected a number, got '%s'"):format(
                   (bad:gsub('"', ""))), msg, i)
    end
  end)

  it("keeps a tab inside a cell", function()
    local ds, err = core.open(fixture(function(f)
      f["figures.csv"] = replace(f["figures.csv"], "attendances", "atten\tdances")
    end))
    assert.is_not_nil(ds, err)
    assert.equal("atten\tdances", ds:table("figures")[2].label)
  end)

  it("reads quoted fields with doubled quotes and line breaks", function()
    local ds, err = core.open(fixture(function(f)
      f["figures.csv"] = replace(f["figures.csv"], "reading sessions", '"reading ""x""\nsessions"')
    end))
    assert.is_not_nil(ds, err)
    assert.equal('reading "x"\nsessions', ds:table("figures")[1].label)
    -- the physical line count moves on: an error in the next row is on line 4
    local msg = refused(function(f)
      f["figures.csv"] = replace(f["figures.csv"], "reading sessions", '"reading\nsessions"')
      f["figures.csv"] = replace(f["figures.csv"], "participants,1", "participants,x")
    end)
    has(msg, "figures.csv:4: field 'section'")
  end)

  describe("refuses", function()
    it("an empty directory name, saying so in the user's words", function()
      local siqun = require "siqun"
      local art, msg = siqun.open("")
      assert.is_nil(art)
      assert.equal("no dataset directory given (the path is empty)", msg)
    end)

    it("bad CSV quoting", function()
      local msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], "readers,约3000人次", 'readers,"约3000"人次')
      end)
      has(msg, "figures.csv:3: bad CSV quoting")
      msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], "books,1.5万册", 'books,1.5"万册')
      end)
      has(msg, "figures.csv:4: bad CSV quoting: quote inside an unquoted field")
      msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], "books,1.5万册", 'books,"1.5万册')
      end)
      has(msg, "figures.csv:4: bad CSV quoting: unterminated quoted field")
    end)

    it("a row with the wrong number of fields", function()
      local msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], "books,1.5万册,", "books,")
      end)
      assert.equal("figures.csv:4: expected 8 fields, got 7", msg)
    end)

    it("a blank line", function()
      local msg = refused(function(f) f["members.csv"] = f["members.csv"] .. "\n" end)
      assert.equal("members.csv:5: expected 6 fields, got 1", msg)
    end)

    it("an unknown field in the header", function()
      local msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], ",label,", ",labelx,")
      end)
      has(msg, "figures.csv:1: unknown field 'labelx'")
    end)

    it("a missing field in the header", function()
      local msg = refused(function(f)
        -- drop column 3 (label) of every line
        f["figures.csv"] = f["figures.csv"]:gsub("([^,\n]*,[^,\n]*,)[^,\n]*,", "%1")
      end)
      has(msg, "figures.csv:1: missing field 'label'")
    end)

    it("fields in another order than the schema's", function()
      local msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], "label,label_zh", "label_zh,label")
      end)
      has(msg, "figures.csv:1: field 'label_zh' is column 3")
    end)

    it("a cell of the wrong type", function()
      local msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], "meetings,1,", "meetings,abc,")
      end)
      assert.equal("figures.csv:2: field 'section': expected an integer, got 'abc'", msg)
    end)

    it("a datetime that is not one", function()
      local msg = refused(function(f)
        f["meta.csv"] = replace(f["meta.csv"], "2020-03-01T08:00:00+08:00", "2020-02-30T08:00:00")
      end)
      has(msg, "meta.csv:2: field 'published': expected a datetime")
    end)

    it("a missing required value", function()
      local msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], "reading sessions", "")
      end)
      assert.equal("figures.csv:2: field 'label': a value is required", msg)
    end)

    it("a value outside its enum", function()
      local msg = refused(function(f)
        f["places.csv"] = replace(f["places.csv"], "township", "town")
      end)
      has(msg, "places.csv:2: field 'kind': 'town' is not one of: province, prefecture, ")
    end)

    it("a value below its minimum", function()
      local msg = refused(function(f)
        f["members.csv"] = replace(f["members.csv"], "san_jian_shi,1,", "san_jian_shi,0,")
      end)
      assert.equal("members.csv:2: field 'n': expected at least 1, got '0'", msg)
    end)

    it("a duplicate id", function()
      local msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], "readers,", "sessions,")
      end)
      assert.equal("figures.csv:3: field 'id': duplicate primary key 'sessions' (also on line 2)",
                   msg)
    end)

    it("a duplicate composite key", function()
      local msg = refused(function(f)
        f["members.csv"] = replace(f["members.csv"], "san_jian_shi,3,", "san_jian_shi,2,")
      end)
      has(msg, "members.csv:4: field 'term, n': duplicate primary key 'san_jian_shi, 2' "
          .. "(also on line 3)")
    end)

    it("a duplicate value in a unique field", function()
      local msg = refused(function(f)
        f["glossary.csv"] = replace(f["glossary.csv"], "jiedui,结对帮扶", "jiedui,三件事")
      end)
      has(msg, "glossary.csv:3: field 'term': duplicate value '三件事' (also on line 2)")
    end)

    it("a dangling reference", function()
      local msg = refused(function(f)
        f["people.csv"] = replace(f["people.csv"], ",qingshi,", ",nowhere,")
      end)
      assert.equal("people.csv:2: field 'place': no row of 'places' has id 'nowhere'", msg)
    end)

    it("a dangling reference to the same table", function()
      local msg = refused(function(f)
        f["places.csv"] = replace(f["places.csv"], "venue,qingshi,", "venue,qingshi_town,")
      end)
      has(msg, "places.csv:3: field 'parent': no row of 'places' has id 'qingshi_town'")
    end)

    it("a span past the end of the source", function()
      local msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], ",43,48", ",43,999")
      end)
      assert.equal("figures.csv:4: field 'end': span 43..999 is past the end of the source "
                   .. "(115 code points)", msg)
    end)

    it("a span whose start is after its end", function()
      local msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], ",23,26", ",26,23")
      end)
      assert.equal("figures.csv:2: field 'end': span 26..23 has start > end", msg)
    end)

    it("a section body out of order", function()
      local msg = refused(function(f)
        f["sections.csv"] = replace(f["sections.csv"], ",7,12,7,69", ",7,12,70,69")
      end)
      has(msg, "sections.csv:3: field 'body_end': span 70..69 has start > end")
    end)

    it("a term whose numeral is not its number of members", function()
      local msg = refused(function(f)
        f["members.csv"] = f["members.csv"]:gsub("san_jian_shi,3,[^\n]*\n", "")
      end)
      assert.equal("glossary.csv:2: field 'term': '三件事' has numeral 3 but 2 members", msg)
    end)

    it("a pairing quota whose text is not a glossary term", function()
      local msg = refused(function(f)
        f["quotas.csv"] = replace(f["quotas.csv"], "pairing,结对帮扶", "pairing,结对")
      end)
      has(msg, "quotas.csv:3: field 'text': '结对' is not a term of the glossary")
    end)

    it("invalid UTF-8", function()
      local msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], "attendances", "atten\255dances")
      end)
      assert.equal("figures.csv:3: field 'label': invalid UTF-8 at byte 6 of the field: "
                   .. "a byte that is never in UTF-8", msg)
      msg = refused(function(f) -- an overlong encoding of '/'
        f["figures.csv"] = replace(f["figures.csv"], "attendances", "atten\192\175dances")
      end)
      assert.equal("figures.csv:3: field 'label': invalid UTF-8 at byte 6 of the field: "
                   .. "an overlong encoding", msg)
    end)

    it("an expression that does not parse", function()
      local msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], "readers,约3000人次", "readers,约")
      end)
      has(msg, "figures.csv:3: field 'text': cannot read '约' as a quantity: ")
    end)

    it("a missing file, naming its path", function()
      local dir
      local ds, msg = core.open((function()
        dir = fixture(function(f) f["quotas.csv"] = nil end)
        return dir
      end)())
      assert.is_nil(ds)
      has(msg, "quotas.csv: cannot open '" .. dir .. "/quotas.csv'")
    end)

    it("a directory without a descriptor", function()
      local ds, msg = core.open(fixture(function(f) f["datapackage.json"] = nil end))
      assert.is_nil(ds)
      has(msg, "datapackage.json: cannot open")
    end)

    it("an absolute path", function()
      local msg = refused(function(f)
        f["datapackage.json"] = replace(f["datapackage.json"], '"figures.csv"', '"/etc/passwd"')
      end)
      assert.equal("datapackage.json:225: resource 'figures': path '/etc/passwd' is absolute", msg)
    end)

    it("a path with a '..' segment", function()
      local msg = refused(function(f)
        f["datapackage.json"] = replace(f["datapackage.json"], '"figures.csv"', '"../x.csv"')
      end)
      assert.equal("datapackage.json:225: resource 'figures': path '../x.csv' is not inside the "
                   .. "dataset", msg)
      msg = refused(function(f)
        f["datapackage.json"] = replace(f["datapackage.json"], '"figures.csv"',
                                        '"sub/../../figures.csv"')
      end)
      has(msg, "is not inside the dataset")
    end)

    it("a path with a backslash", function()
      local msg = refused(function(f)
        f["datapackage.json"] = replace(f["datapackage.json"], '"figures.csv"', '"a\\\\figures.csv"')
      end)
      has(msg, "datapackage.json:225: resource 'figures': path 'a\\figures.csv' contains a backslash")
    end)

    it("a symbolic link that leads outside the directory", function()
      local outside = tmpdir()
      write(outside .. "/figures.csv", read(FIXTURE .. "/figures.csv"))
      local dir = fixture(function(f) f["figures.csv"] = nil end)
      assert(V.execute(("ln -s '%s/figures.csv' '%s/figures.csv'"):format(outside, dir)))
      local ds, msg = core.open(dir)
      assert.is_nil(ds)
      has(msg, "figures.csv: '" .. dir .. "/figures.csv' leads outside the dataset's directory")
    end)

    it("a resource that is a directory", function()
      local dir = fixture(function(f) f["figures.csv"] = nil end)
      assert(V.execute(("mkdir '%s/figures.csv'"):format(dir)))
      local ds, msg = core.open(dir)
      assert.is_nil(ds)
      has(msg, "figures.csv: '" .. dir .. "/figures.csv' is not a regular file")
    end)

    it("an unsupported type", function()
      local msg = refused(function(f)
        f["datapackage.json"] = f["datapackage.json"]:gsub('"name": "label",\n(%s*)"type": "string"',
          '"name": "label",\n%1"type": "geopoint"')
      end)
      assert.equal("datapackage.json:256: resource 'figures': field 'label': unsupported type "
                   .. "'geopoint'", msg)
    end)

    it("an unsupported constraint", function()
      local msg = refused(function(f)
        f["datapackage.json"] = f["datapackage.json"]:gsub(
          '("name": "label_zh",%s*"type": "string",%s*"constraints": {)', '%1 "pattern": "x",', 1)
      end)
      has(msg, "datapackage.json:264: resource 'figures': field 'label_zh': unsupported constraint "
          .. "'pattern'")
    end)

    it("a constraint that does not apply to the type", function()
      local msg = refused(function(f)
        f["datapackage.json"] = f["datapackage.json"]:gsub(
          '("name": "label_zh",%s*"type": "string",%s*"constraints": {)', '%1 "minimum": 1,', 1)
      end)
      has(msg, "field 'label_zh': constraint 'minimum' is not supported for type 'string'")
    end)

    it("malformed JSON", function()
      local msg = refused(function(f)
        f["datapackage.json"] = replace(f["datapackage.json"], '"version": "0.0.1",', '"version": "0.0.1"')
      end)
      assert.matches("^datapackage%.json:6: malformed JSON: expected ',' or '}'", msg)
      msg = refused(function(f) f["datapackage.json"] = f["datapackage.json"] .. "]" end)
      has(msg, "malformed JSON: text after the value")
      msg = refused(function(f) f["datapackage.json"] = ("["):rep(100) .. ("]"):rep(100) end)
      has(msg, "malformed JSON: nested too deeply")
      msg = refused(function(f)
        f["datapackage.json"] = replace(f["datapackage.json"], '"version": "0.0.1"',
                                        '"version": "0.0.1", "version": 2')
      end)
      has(msg, "malformed JSON: duplicate key")
    end)

    it("a descriptor without a siqun resource", function()
      local msg = refused(function(f)
        f["datapackage.json"] = replace(f["datapackage.json"], '"name": "events"', '"name": "happenings"')
      end)
      -- the line of the resources array
      assert.equal("datapackage.json:14: missing resource 'events' (a siqun dataset needs it)", msg)
    end)

    it("a descriptor whose siqun resource lacks a field", function()
      local msg = refused(function(f)
        f["datapackage.json"] = replace(f["datapackage.json"], '"name": "label_zh"', '"name": "label_cn"')
        f["figures.csv"] = replace(f["figures.csv"], "label_zh", "label_cn")
      end)
      -- the line of the resource
      assert.equal("datapackage.json:223: resource 'figures': missing field 'label_zh' (a siqun "
                   .. "dataset needs it)", msg)
    end)

    it("a CSV field that the loader derives", function()
      local msg = refused(function(f)
        f["datapackage.json"] = replace(f["datapackage.json"], '"name": "label_zh"', '"name": "value"')
      end)
      has(msg, "resource 'figures': field 'value' is derived by the loader")
    end)

    it("a NUL byte or another control character in a cell", function()
      local msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], "attendances", "atten\0dances")
      end)
      assert.equal("figures.csv:3: field 'label': NUL byte (U+0000) at byte 6 of the field", msg)
      msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], "readers,", "rea\0ders,")
      end)
      assert.equal("figures.csv:3: field 'id': NUL byte (U+0000) at byte 4 of the field", msg)
      msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], "attendances", "\27[31mattendances")
      end)
      assert.equal("figures.csv:3: field 'label': control character (U+001B) at byte 1 of the "
                   .. "field", msg)
    end)

    it("a number too large for its type", function()
      local msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], ",43,48", ",43,1" .. ("0"):rep(400))
      end)
      has(msg, "figures.csv:4: field 'end': expected an integer, got '1000")
      msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], ",43,48", ",43,1e400")
      end)
      assert.equal("figures.csv:4: field 'end': expected an integer, got '1e400'", msg)
      msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], ",43,48", ",43,9223372036854775808")
      end)
      has(msg, "figures.csv:4: field 'end': expected an integer")
      msg = refused(function(f)
        f["datapackage.json"] = f["datapackage.json"]:gsub('"minimum": 1', '"minimum": 1e400', 1)
      end)
      assert.matches("^datapackage%.json:%d+: malformed JSON: number out of range", msg)
    end)

    it("a field or a row beyond the limits", function()
      local msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], "attendances", ("x"):rep(1048576 + 1))
      end)
      assert.equal("figures.csv:3: field longer than 1048576 bytes", msg)
      msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], "attendances", "attendances" .. (","):rep(200))
      end)
      assert.equal("figures.csv:3: more than 128 fields", msg)
    end)

    it("a carriage return that does not end a line", function()
      local msg = refused(function(f)
        f["figures.csv"] = f["figures.csv"]:gsub("\n", "\r")
      end)
      assert.equal("figures.csv:1: carriage return not followed by a line feed", msg)
    end)

    it("a NUL byte in the descriptor", function()
      local msg = refused(function(f)
        f["datapackage.json"] = replace(f["datapackage.json"], '"0.0.1"', '"0.0\0.1"')
      end)
      assert.equal("datapackage.json:5: malformed JSON: control character in a string near "
                   .. "byte 0x00", msg)
    end)

    it("invalid UTF-8 in a header or the descriptor", function()
      local msg = refused(function(f)
        f["figures.csv"] = replace(f["figures.csv"], "label_zh", "label\192\175zh")
      end)
      assert.equal("figures.csv:1: invalid UTF-8 in the header", msg)
      msg = refused(function(f)
        f["datapackage.json"] = replace(f["datapackage.json"], '"version": "0.0.1"',
                                        '"version": "0.0\237\160\128"') -- a surrogate
      end)
      assert.matches("^datapackage%.json:%d+: malformed JSON: invalid UTF%-8", msg)
    end)

    it("a resource that is a FIFO, without blocking", function()
      local dir = fixture(function(f) f["figures.csv"] = nil end)
      assert(V.execute(("mkfifo '%s/figures.csv'"):format(dir)))
      local ds, msg = core.open(dir)
      assert.is_nil(ds)
      has(msg, "figures.csv: '" .. dir .. "/figures.csv' is not a regular file")
    end)

    it("a malformed source hash", function()
      local msg = refused(function(f)
        f["datapackage.json"] = f["datapackage.json"]:gsub('"sha256": "(%x+)"', function(h)
          return '"sha256": "' .. h:upper() .. '"'
        end)
      end)
      assert.equal("datapackage.json:9: siqun.source.sha256: expected 64 lowercase hexadecimal "
                   .. "digits", msg)
    end)
  end)
end)
