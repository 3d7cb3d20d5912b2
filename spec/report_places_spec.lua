-- The people and timeline reports name a place by the id the record holds
-- (people.place, events.place are places ids), whatever the places table
-- declares as its primary key: none, or another field.  (List:get asks the
-- table's own primary key, so it cannot stand in for this lookup.)

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua (siqun.compat)
local siqun = require "siqun"
local report = require "siqun.report"
local files = require "spec.helper.files"

teardown(files.cleanup)

-- The fixture with the places resource's primaryKey ("id") replaced by
-- pk_text ("" for none).
local function places_keyed(pk_text)
  return files.fixture(function(t)
    local s = t["datapackage.json"]
    local at = assert(s:find('"name": "places"', 1, true))
    local i, j = s:find('"primaryKey": "id",', at, true)
    t["datapackage.json"] = s:sub(1, i - 1) .. pk_text .. s:sub(j + 1)
  end)
end

local function rows_of(art, name)
  local doc = assert(report.build(name, art))
  for _, b in ipairs(doc.blocks) do
    if b.kind == "table" then return b.rows end
  end
  error("no table in report " .. name)
end

local CASES = {
  { "the fixture as it is", nil },
  { "no primary key on places", "" },
  { "places keyed by name", '"primaryKey": "name",' },
}

for _, case in ipairs(CASES) do
  describe("people and timeline, " .. case[1], function()
    local art = assert(siqun.open(case[2] and places_keyed(case[2]) or files.FIXTURE))

    it("name the place of a person by its id", function()
      local rows = rows_of(art, "people")
      assert.equal("wang_xiaoming", rows[1].id)
      assert.equal("青石镇", rows[1].place)
      assert.equal("Qingshi Town", rows[1].place_en)
    end)

    it("name the place of an event by its id", function()
      local found = false
      for _, r in ipairs(rows_of(art, "timeline")) do
        if r.text == "本月" then
          found = true
          assert.equal("青石镇", r.place)
          assert.equal("Qingshi Town", r.place_en)
        end
      end
      assert.is_true(found)
    end)
  end)
end
