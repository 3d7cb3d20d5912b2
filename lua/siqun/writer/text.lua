--- siqun.writer.text: a report document for a terminal.  Columns are
-- aligned by display width (a CJK character takes two columns), numbers
-- right-aligned and grouped by thousands, bar charts drawn with '#'.
--
-- opts.width: line width (78; 0 for no limit).
-- opts.expanded: how a table wider than the line is shown.  "auto" (the
-- default) wraps the last column inside its column when only that one
-- overflows (and it can keep 20 columns), else prints the table expanded,
-- as psql's \x auto does: one block per row,
-- a "field  value" line per non-empty cell, long values wrapped; true
-- expands every table; false keeps columns and cuts the widest text
-- columns (cells end in "…").
-- opts.group: thousands separator ("," by default, "" for none).
-- opts.bar: the longest bar in columns (30).

local text = require "siqun.text"
local common = require "siqun.writer.common"
local timeline = require "siqun.writer.timeline"
local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs (through __index) on every Lua

local M = { name = "text", extension = "txt", mediatype = "text/plain; charset=utf-8" }

local MIN_COL = 8
-- The narrowest a wrapped last column may get.
local MIN_WRAP = 20

local function underline(s, ch)
  return (ch):rep(math.max(1, text.width(s)))
end

local function wrap(out, s, width, indent)
  indent = indent or ""
  for para in (s .. "\n"):gmatch("(.-)\n") do
    if width > 0 then
      for _, l in ipairs(text.wrap(para, width - text.width(indent))) do
        out[#out + 1] = (indent .. l):gsub("%s+$", "")
      end
    else
      out[#out + 1] = indent .. para
    end
  end
end

-- Column caps so that the table fits width: shrink the widest text column
-- until it fits or every text column is at MIN_COL.
local function caps(widths, numeric, sep, width)
  if width <= 0 then return {} end
  local max = {}
  for c, w in ipairs(widths) do max[c] = w end
  local function total()
    local t = (#max - 1) * text.width(sep)
    for _, w in ipairs(max) do t = t + w end
    return t
  end
  while total() > width do
    local best
    for c, w in ipairs(max) do
      if not numeric[c] and w > MIN_COL and (best == nil or w > max[best]) then best = c end
    end
    if not best then break end
    max[best] = max[best] - 1
  end
  local out = {}
  for c, w in ipairs(max) do
    if w < widths[c] then out[c] = w end
  end
  return out
end

local function expanded(out, t, rows, width)
  local kw = 0
  for _, col in ipairs(t.columns) do kw = math.max(kw, text.width(col.title)) end
  local indent = (" "):rep(kw + 2)
  for r = 2, #rows do
    local head = "-[ " .. (r - 1) .. " ]"
    out[#out + 1] = head .. ("-"):rep(math.max(3, (width > 0 and math.min(width, 40) or 40)
                                                   - #head))
    for c, col in ipairs(t.columns) do
      local v = rows[r][c]
      if v ~= "" then
        local lines = width > 0 and text.wrap(v, math.max(10, width - kw - 2)) or { v }
        for k, l in ipairs(lines) do
          out[#out + 1] = ((k == 1 and text.pad(col.title, kw) .. "  " or indent) .. l)
                          :gsub("%s+$", "")
        end
      end
    end
  end
end

local function write_table(out, t, opts, width)
  if t.caption then out[#out + 1] = t.caption end
  if #t.columns == 0 then -- (an empty result whose columns nobody knows)
    out[#out + 1] = "(no rows)"
    return
  end
  local header, numeric, align = {}, {}, {}
  for c, col in ipairs(t.columns) do
    header[c] = col.title
    numeric[c] = common.numeric(col)
    align[c] = numeric[c] and "right" or nil
  end
  local rows = { header }
  for r, row in ipairs(t.rows) do
    local cells = {}
    for c, col in ipairs(t.columns) do
      cells[c] = common.printable(tostring(common.cell_text(row[col.name], opts, col))
                                  :gsub("\r?\n", " "))
    end
    rows[r + 1] = cells
  end
  local sep = "  "
  local widths = {}
  for _, cells in ipairs(rows) do
    for c = 1, #t.columns do
      widths[c] = math.max(widths[c] or 0, text.width(cells[c]))
    end
  end
  local natural = (#t.columns - 1) * #sep
  for _, w in ipairs(widths) do natural = natural + w end
  local mode = opts.expanded
  if mode == nil then mode = "auto" end
  local too_wide = width > 0 and natural > width
  -- Only the last column too wide: wrap it inside its column.
  local last = #t.columns
  local room = width - (natural - widths[last])
  local wrap_last = mode == "auto" and too_wide and not numeric[last]
    and room >= math.max(MIN_WRAP, math.min(widths[last], text.width(rows[1][last])))
  if #t.rows > 0 and not wrap_last and (mode == true or (mode == "auto" and too_wide)) then
    return expanded(out, t, rows, width)
  end
  if wrap_last then
    local wrapped = { rows[1] }
    widths[last] = text.width(rows[1][last])
    for r = 2, #rows do
      for k, part in ipairs(text.wrap(rows[r][last], room)) do
        local cells = {}
        for c = 1, last - 1 do cells[c] = k == 1 and rows[r][c] or "" end
        cells[last] = part
        widths[last] = math.max(widths[last], text.width(part))
        wrapped[#wrapped + 1] = cells
      end
    end
    rows = wrapped
  end
  local max = caps(widths, numeric, sep, width)
  local rule = {}
  for c = 1, #t.columns do rule[c] = ("-"):rep(math.min(widths[c], max[c] or widths[c])) end
  table.insert(rows, 2, rule)
  for _, l in ipairs(text.columns(rows, { align = align, sep = sep, max = max })) do
    out[#out + 1] = l
  end
  if #t.rows == 0 then out[#out + 1] = "(no rows)" end
end

local function write_chart(out, ch, opts, width)
  local chart = require "siqun.writer.chart"
  local title = ch.title or "Chart"
  local note = chart.chart_note(ch)
  if note ~= "" then title = title .. " (" .. note .. ")" end
  out[#out + 1] = title
  if ch.chart == "timeline" then return timeline.draw_text(out, ch, opts, width) end
  local f = chart.scale(ch)
  local labels, values = {}, {}
  local lw, vw = 0, 0
  for i, d in ipairs(ch.data) do
    labels[i] = d.label
    values[i] = chart.bar_text(d, opts)
    lw = math.max(lw, text.width(labels[i]))
    vw = math.max(vw, text.width(values[i]))
  end
  local bar = compat.tointeger(opts.bar) or 30
  if width > 0 then
    lw = math.min(lw, math.max(MIN_COL, width - bar - vw - 6))
  end
  for i, d in ipairs(ch.data) do
    local n = 0
    if d.value and d.value > 0 then n = math.max(1, math.floor(f(d.value) * bar + 0.5)) end
    out[#out + 1] = ("  " .. text.fit(labels[i], lw) .. "  " .. ("#"):rep(n)
                     .. (" "):rep(bar - n) .. "  " .. values[i]):gsub("%s+$", "")
  end
end

--- The document as text (lines joined by "\n", final newline).
function M.write(doc, opts)
  doc = common.prepare(doc, 2)
  opts = opts or {}
  local width = compat.tointeger(opts.width) or 78
  local out = {}
  local function gap()
    if #out > 0 and out[#out] ~= "" then out[#out + 1] = "" end
  end
  if doc.title ~= "" then
    wrap(out, doc.title, width)
    out[#out + 1] = underline(out[#out], "=")
  end
  if doc.subtitle then wrap(out, doc.subtitle, width) end
  for _, b in ipairs(doc.blocks) do
    gap()
    if b.kind == "heading" then
      out[#out + 1] = b.text
      out[#out + 1] = underline(b.text, b.level <= 1 and "=" or "-")
    elseif b.kind == "para" then
      wrap(out, b.text, width)
    elseif b.kind == "list" then
      for _, it in ipairs(b.items) do
        local lines = {}
        wrap(lines, it, width, "  ")
        lines[1] = "-" .. lines[1]:sub(2)
        for _, l in ipairs(lines) do out[#out + 1] = l end
      end
    elseif b.kind == "table" then
      write_table(out, b, opts, width)
    elseif b.kind == "chart" then
      write_chart(out, b, opts, width)
    end
  end
  for i, l in ipairs(out) do out[i] = common.printable(l) end
  return table.concat(out, "\n") .. "\n"
end

return M
