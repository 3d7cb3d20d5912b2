--- The summary report: the article at a glance, as a structured document
-- (a chart of the headline figures, bibliographic facts, sections with
-- their themes, table sizes and the headline figures), for every format.
-- siqun.summary and `siqun summary` lay the same content out for a
-- terminal (siqun.terminal_summary).

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs (through __index) on every Lua

local M = { name = "summary",
            description = "The article at a glance: sections, counts, headline figures." }

local function both(zh, en)
  if zh and en and zh ~= en then return zh .. " (" .. en .. ")" end
  return zh or en
end

-- Categories left out of the chart: a share and a duration are no amount
-- of things or money to set beside the others.
M.NOT_CHARTED = { share = true, duration = true }

-- The chart that opens the report: the headline figures that count things
-- or money, largest first, on a log scale (they span six orders of
-- magnitude).
local function glance(head)
  local data, order = {}, {}
  for i, f in ipairs(head) do
    if type(f.value) == "number" and f.value > 0 and not M.NOT_CHARTED[f.category] then
      data[#data + 1] = { label = f.label or f.id, value = f.value, text = f.text,
                          group = f.category }
      order[data[#data]] = i
    end
  end
  table.sort(data, function(a, b)
    if a.value ~= b.value then return a.value > b.value end
    return order[a] < order[b]
  end)
  return { kind = "chart", chart = "bar", name = "at_a_glance", log = true,
           title = "At a glance: the largest figure of each category, largest first",
           data = data }
end

function M.run(art)
  local meta = art.meta
  local blocks = {}
  local rows = {}
  if meta then
    local function add(field, value)
      if value ~= nil and value ~= "" then rows[#rows + 1] = { field = field, value = value } end
    end
    add("title", meta.title)
    add("title_en", meta.title_en)
    add("outlet", both(meta.outlet, meta.outlet_en))
    add("carrier", both(meta.carrier, meta.carrier_en))
    add("url", meta.url)
    add("published", meta.published)
    add("author", both(meta.author, meta.author_pinyin))
    add("language", meta.language)
    add("source_sha256", meta.source_sha256)
    add("source_bytes", meta.source_bytes and tostring(meta.source_bytes))
    add("source_codepoints", meta.source_codepoints and tostring(meta.source_codepoints))
  end
  blocks[#blocks + 1] = { kind = "table", name = "meta", caption = "The article",
    columns = { { name = "field" }, { name = "value" } }, rows = rows }

  local secs = {}
  for _, s in ipairs(art.sections or {}) do
    secs[#secs + 1] = { number = s.number, heading = s.heading, heading_en = s.heading_en,
                        theme = s.theme, theme_zh = s.theme_zh }
  end
  blocks[#blocks + 1] = { kind = "table", name = "sections",
    caption = "Sections and the quality each one credits",
    columns = { { name = "number", type = "integer", title = "no." }, { name = "theme" },
                { name = "theme_zh" }, { name = "heading" }, { name = "heading_en" } },
    rows = secs }

  local counts = {}
  for _, name in ipairs(art:tables()) do
    counts[#counts + 1] = { table = name, rows = #art:table(name) }
  end
  blocks[#blocks + 1] = { kind = "table", name = "tables", caption = "Records per table",
    columns = { { name = "table" }, { name = "rows", type = "integer" } }, rows = counts }

  -- The largest figure of each category, categories in article order.
  local best, cats = {}, {}
  for _, f in ipairs(art.figures or {}) do
    local c = f.category or ""
    if best[c] == nil then
      cats[#cats + 1] = c
      best[c] = f
    elseif type(f.value) == "number" and (type(best[c].value) ~= "number"
                                           or f.value > best[c].value) then
      best[c] = f
    end
  end
  local head = {}
  for _, c in ipairs(cats) do head[#head + 1] = best[c] end
  table.insert(blocks, 1, glance(head))
  blocks[#blocks + 1] = { kind = "table", name = "headline_figures",
    caption = ("Headline figures: the largest of each category (%d figures in all)")
              :format(#(art.figures or {})),
    columns = { { name = "category" }, { name = "text" }, { name = "value", type = "number" },
                { name = "label" } },
    rows = head }

  return { title = "Summary: " .. ((meta and meta.title) or "?"),
           subtitle = meta and both(meta.title_en, nil), blocks = blocks }
end

return M
