-- A bilingual glossary in Markdown: each numbered formulation (三个反思,
-- 四群, ...) with its members in Chinese and English, then the other terms
-- in one table.  Built as a report document and written with the Markdown
-- writer.
--
--   lua5.4 examples/glossary_markdown.lua > glossary.md

local siqun = require "siqun"
local report = require "siqun.report"

local art = assert(siqun.open())

local blocks = {
  { kind = "para", text = ("%d terms from the article (%s), with pinyin and English.")
                          :format(#art.glossary, art.meta.title) },
  { kind = "heading", text = "Formulations and their members" },
}
local others = {}
for _, g in ipairs(art.glossary) do
  local members = art.members:filter({ term = g.id }):sort("n")
  if #members > 0 then
    blocks[#blocks + 1] = { kind = "heading", level = 3,
      text = ("%s · %s · %s"):format(g.term, g.pinyin, g.en) }
    local items = {}
    for _, m in ipairs(members) do items[#items + 1] = m.text .. " — " .. m.en end
    blocks[#blocks + 1] = { kind = "list", items = items }
  else
    others[#others + 1] = g
  end
end
blocks[#blocks + 1] = { kind = "heading", text = "Other terms" }
blocks[#blocks + 1] = { kind = "table", columns = {
    { name = "term" }, { name = "pinyin" }, { name = "en", title = "English" } },
  rows = others }

io.write(report.markdown({ title = "Glossary (中文 / English)", blocks = blocks }))
