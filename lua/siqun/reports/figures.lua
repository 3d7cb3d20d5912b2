--- The figures report: every statistic the article states, as printed and
-- as parsed (value, unit, qualifier, min, max), and a bar chart of the
-- counts grouped by category (log scale: they span nine orders of
-- magnitude).  opts.category keeps one category.

local compat = require "siqun.compat"
local ipairs, pairs = compat.ipairs, compat.pairs -- 5.3's ipairs, 5.2's pairs, on every Lua

local M = { name = "figures",
            description = "Every figure as printed and parsed; a bar chart by category." }

-- Categories that are proportions, not counts: in the table, not the chart.
local NOT_CHARTED = { share = true }

function M.run(art, opts)
  local rows, order, by_cat = {}, {}, {}
  for _, f in ipairs(art.figures or {}) do
    if opts.category == nil or f.category == opts.category then
      rows[#rows + 1] = f
      local c = f.category or "?"
      if not by_cat[c] then
        by_cat[c] = {}
        order[#order + 1] = c
      end
      table.insert(by_cat[c], f)
    end
  end
  local data = {}
  for _, c in ipairs(order) do
    if not NOT_CHARTED[c] then
      for _, f in ipairs(by_cat[c]) do
        if type(f.value) == "number" then
          data[#data + 1] = { label = f.label, value = f.value, text = f.text, group = c }
        end
      end
    end
  end
  local blocks = {
    { kind = "para", text = ("%d figures in %d %s, each with the text as printed and "
      .. "the quantity parsed from it: scale words folded in (35.5亿元 is 3550000000 元), "
      .. "qualifier exact, over (…多, …余: min only), nearly (近: max only) or approx.")
      :format(#rows, #order, #order == 1 and "category" or "categories") },
    { kind = "table", name = "figures", caption = "Figures",
      columns = {
        { name = "id" }, { name = "text" }, { name = "value", type = "number" },
        { name = "unit" }, { name = "qualifier" }, { name = "min", type = "number" },
        { name = "max", type = "number" }, { name = "label" }, { name = "category" },
        { name = "section", type = "integer" } },
      rows = rows },
  }
  if #data > 0 then
    local skipped = {}
    for c in pairs(NOT_CHARTED) do
      if by_cat[c] then skipped[#skipped + 1] = c end
    end
    table.sort(skipped)
    blocks[#blocks + 1] = { kind = "chart", chart = "bar", name = "by_category",
      title = "Figures by category" .. (#skipped > 0
        and (" (without " .. table.concat(skipped, ", ") .. ")") or ""),
      data = data }
  end
  return { title = "Figures", blocks = blocks }
end

return M
