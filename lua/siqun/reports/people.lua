--- The people report: everyone the article names, with pinyin, role in
-- English and as printed, and the place of the role.

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs (through __index) on every Lua

local M = { name = "people", description = "People: name, pinyin, role, role_zh, place." }

function M.run(art)
  local places = {}
  for _, p in ipairs(art.places or {}) do places[p.id] = p end
  local rows = {}
  for _, p in ipairs(art.people or {}) do
    local pl = p.place and places[p.place]
    rows[#rows + 1] = { id = p.id, name = p.name, pinyin = p.pinyin, role = p.role,
                        role_zh = p.role_zh, place = pl and pl.name or p.place,
                        place_en = pl and pl.en or nil, section = p.section }
  end
  return { title = "People", blocks = {
    { kind = "para", text = ("%d people, in the order the dataset lists them."):format(#rows) },
    { kind = "table", name = "people", caption = "People",
      columns = { { name = "id" }, { name = "name" }, { name = "pinyin" }, { name = "role" },
                  { name = "role_zh" }, { name = "place" }, { name = "place_en" },
                  { name = "section", type = "integer" } },
      rows = rows } } }
end

return M
