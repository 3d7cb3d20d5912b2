-- Figures per section: how many figures each section states, in how many
-- categories, and its largest count; then a bar chart of the counts.
--
--   lua5.4 examples/figures_by_section.lua

local siqun = require "siqun"
local report = require "siqun.report"

local art = assert(siqun.open())

local rows, data = {}, {}
for _, s in ipairs(art.sections) do
  local figs = art.figures:filter { section = s.number }
  local cats, seen, top = {}, {}, nil
  for _, f in ipairs(figs) do
    if not seen[f.category] then
      seen[f.category] = true
      cats[#cats + 1] = f.category
    end
    if f.unit ~= "%" and f.value and (top == nil or f.value > top.value) then top = f end
  end
  rows[#rows + 1] = { section = s.number, theme = s.theme, figures = #figs,
                      categories = #cats, largest = top and top.text,
                      label = top and top.label }
  data[#data + 1] = { label = s.number .. " " .. s.theme, value = #figs }
end

io.write(report.text({
  title = "Figures per section",
  blocks = {
    { kind = "table", columns = {
        { name = "section", type = "integer" }, { name = "theme" },
        { name = "figures", type = "integer" },
        { name = "categories", type = "integer" }, { name = "largest" },
        { name = "label", title = "what the largest counts" } },
      rows = rows },
    { kind = "chart", title = "Figures stated per section", data = data },
  },
}, { width = 120 }))
