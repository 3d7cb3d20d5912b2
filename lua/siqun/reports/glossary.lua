--- The glossary report: every term, bilingual (term, pinyin, English), the
-- count its numeral names (三个反思 -> 3) and its members in Chinese and
-- English.

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs (through __index) on every Lua

local M = { name = "glossary",
            description = "Bilingual glossary: term, pinyin, English, count, members." }

function M.run(art)
  -- members by glossary id, in order
  local by_term = {}
  for _, m in ipairs(art.members or {}) do
    local l = by_term[m.term]
    if not l then l = {}; by_term[m.term] = l end
    l[#l + 1] = m
  end
  local rows = {}
  for _, g in ipairs(art.glossary or {}) do
    local ms = by_term[g.id] or {}
    table.sort(ms, function(a, b) return a.n < b.n end)
    local zh, en = {}, {}
    for i, m in ipairs(ms) do
      zh[i] = m.text
      en[i] = m.en or ""
    end
    rows[#rows + 1] = { id = g.id, term = g.term, pinyin = g.pinyin, en = g.en, count = g.count,
                        members = #zh > 0 and zh or nil, members_en = #en > 0 and en or nil }
  end
  return { title = "Glossary", blocks = {
    { kind = "para", text = ("%d terms. count is the number a term's numeral names; members "
      .. "are the items the article lists for it, in order."):format(#rows) },
    { kind = "table", name = "glossary", caption = "Terms",
      columns = { { name = "id" }, { name = "term" }, { name = "pinyin" }, { name = "en" },
                  { name = "count", type = "integer" }, { name = "members", type = "list" },
                  { name = "members_en", type = "list" } },
      rows = rows } } }
end

return M
