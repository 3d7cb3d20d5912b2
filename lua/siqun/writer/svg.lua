--- siqun.writer.svg: a prepared chart (bar or timeline) as inline SVG, in
-- one of two layouts, so that chart text stays readable at any width
-- without a script:
--
--   wide    760 units, labels in a column left of the axis (12 px text);
--           shown at 1:1 on wide screens
--   narrow  340 units, each label on its own lines above its mark (13 px
--           text); shown on narrow screens, where it is drawn near 1:1
--           (siqun.writer.html switches them with a media query)
--
-- Both scale with their viewBox.  A label is wrapped on up to three lines,
-- the last cut with "…" when needed; each mark's <title> holds the full
-- label and value.  Text width is estimated (0.6 em a Latin character, 1 em
-- a CJK one), a little generously, since the page's font is not known.

local text = require "siqun.text"
local common = require "siqun.writer.common"
local chart = require "siqun.writer.chart"
local timeline = require "siqun.writer.timeline"
local markup = require "siqun.writer.markup"
local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs (through __index) on every Lua
local utf8 = compat.utf8

local M = {}

M.LAYOUTS = {
  wide = { name = "wide", width = 760, font = 12, tick = 11, line = 15, label_w = 270,
           mark = 14, lines = 3 },
  narrow = { name = "narrow", width = 340, font = 13, tick = 13, line = 17, mark = 14,
             lines = 3 },
}

-- Colours are classes s1 … sN (siqun.writer.html gives each a colour for
-- light and for dark pages).
M.COLOURS = 16

local esc = markup.escape

-- A number for an SVG attribute (at most 2 decimals).
local function px(v)
  local s = ("%.2f"):format(v):gsub("%.?0+$", "")
  if s == "" or s == "-" then s = "0" end
  return s
end

--- Estimated width of s in units at font size font.
function M.width(s, font)
  local cols = text.width(s)
  local chars = utf8.len(s) or cols
  local wide = math.max(0, cols - chars)
  return ((chars - wide) * 0.6 + wide) * font
end

-- s wrapped into at most max lines fitting avail units at font size font.
local function wrap(s, avail, font, max)
  local cols = math.max(4, math.floor(avail / (0.6 * font)))
  local lines = text.wrap(s, cols)
  if #lines > max then
    local rest = table.concat(lines, " ", max)
    lines = { compat.unpack(lines, 1, max - 1) }
    lines[max] = text.truncate(rest, cols)
  end
  return lines
end

-- <text> with Chinese runs in <tspan lang="zh">.
local function svg_text(attrs, s, plain)
  return markup.element("text", " " .. attrs, s, "tspan", plain)
end

--- The groups of a chart's data in order of appearance, and the colour
-- (1 … M.COLOURS, class s1 …) of each group.
function M.colours(ch)
  local groups, index = {}, {}
  for _, d in ipairs(ch.data) do
    if d.group and not index[d.group] then
      groups[#groups + 1] = d.group
      index[d.group] = (#groups - 1) % M.COLOURS + 1
    end
  end
  return groups, index
end

-- The scale: fraction of the axis of a datum's mark and the ticks.
local function scale(ch, L, axis_w)
  if ch.chart == "timeline" then
    return timeline.scale(ch, function(count, cols)
      return count * (cols * 0.6 * L.tick + 10) <= axis_w
    end)
  end
  return chart.scale(ch)
end

-- Markup of one datum's mark on an axis from x0, axis_w wide, centred on
-- cy; returns it and the x where it ends.
local function mark(ch, d, f, x0, axis_w, cy, L, class)
  local h = L.mark
  if ch.chart ~= "timeline" then
    local len = 0
    if d.value and d.value > 0 then len = math.max(1, f(d.value) * axis_w) end
    return ('<rect class="%s" x="%s" y="%s" width="%s" height="%d"/>')
           :format(class, px(x0), px(cy - h / 2), px(len), h), x0 + len
  end
  local a = x0 + f(d.start) * axis_w
  local b = x0 + f(d.stop + 1) * axis_w
  if d.exact and d.start == d.stop then
    local r = h / 2 - 1
    local cx = math.min(math.max(a, x0 + r), x0 + axis_w - r)
    return ('<circle class="%s day" cx="%s" cy="%s" r="%s"/>')
           :format(class, px(cx), px(cy), px(r)), cx + r
  end
  local w = math.max(b - a, d.exact and h or 4)
  a = math.min(a, x0 + axis_w - w)
  return ('<rect class="%s %s" x="%s" y="%s" width="%s" height="%d" rx="%d"/>')
         :format(class, d.exact and "days" or "period", px(a), px(cy - h / 2), px(w), h,
                 d.exact and h / 2 or 2), a + w
end

-- The text shown after a mark, and the tooltip.
local function value_text(ch, d, opts)
  if ch.chart == "timeline" then
    local shown = d.text or d.date
    local iso = d.date .. (d.date_end and ("/" .. d.date_end) or "")
    return shown, d.label .. ": " .. shown .. (shown ~= iso and (" (" .. iso .. ")") or "")
  end
  local shown = chart.bar_text(d, opts)
  local full = d.label .. ": " .. shown
  if d.text and d.value then full = full .. " (" .. common.cell_text(d.value, opts) .. ")" end
  return shown, full
end

-- Grid lines (from top to base; in the narrow layout only across the mark
-- rows, clear of the labels) and tick labels that do not overlap the one
-- before, kept inside the chart.  A time tick's label starts at its line
-- (it names the period that begins there); a value's is centred on it.
local function ticks_markup(out, ticks, x0, axis_w, spans, base, L, time, plain)
  local last_right = -math.huge
  for _, t in ipairs(ticks) do
    local x = x0 + t.at * axis_w
    for _, sp in ipairs(spans) do
      out[#out + 1] = ('<line class="grid" x1="%s" y1="%s" x2="%s" y2="%s"/>')
                      :format(px(x), px(sp[1]), px(x), px(sp[2]))
    end
    local w = M.width(t.label, L.tick)
    local left, anchor, at = x - w / 2, "middle", x
    if time then left, anchor = x, "start" end
    if left < 0 then left, anchor, at = 0, "start", 0 end
    if left + w > L.width then left, anchor, at = L.width - w, "end", L.width end
    if left >= last_right + 6 then
      out[#out + 1] = svg_text(('class="tick" x="%s" y="%s" text-anchor="%s"')
                               :format(px(at), px(base + L.tick + 4), anchor), t.label, plain)
      last_right = left + w
    end
  end
end

-- The geometry of a chart in layout L: rows (datum, value text, tooltip,
-- label lines, y, height, the centre of its mark), the axis (x0, width) and
-- the y of its base line.
local function layout(ch, opts, L)
  local g = { wide = L.name == "wide", rows = {}, top = 6 }
  local reserve = 40 -- room right of the axis for the value texts
  for i, d in ipairs(ch.data) do
    local shown, full = value_text(ch, d, opts)
    g.rows[i] = { d = d, shown = shown, full = full }
    reserve = math.max(reserve, M.width(shown, L.font) + 10)
  end
  reserve = math.min(reserve, L.width * 0.35)
  g.x0 = g.wide and L.label_w or 2
  g.axis_w = L.width - g.x0 - reserve
  local label_w = g.wide and L.label_w - 8 or L.width
  local y = g.top
  for _, r in ipairs(g.rows) do
    r.lines = wrap(r.d.label, label_w, L.font, L.lines)
    r.y = y
    if g.wide then
      r.h = math.max(22, #r.lines * L.line + 7)
      r.cy = y + r.h / 2
    else
      r.h = #r.lines * L.line + L.mark + 12
      r.cy = y + #r.lines * L.line + 6 + L.mark / 2
    end
    y = y + r.h
  end
  g.base = y
  return g
end

-- Where the grid lines run: top to base, or in the narrow layout across
-- each mark row only, clear of the labels.
local function grid_spans(g, L)
  if g.wide then return { { g.top, g.base } } end
  local spans = {}
  for _, r in ipairs(g.rows) do
    local mark_top = r.y + #r.lines * L.line + 3
    spans[#spans + 1] = { mark_top, math.min(g.base, mark_top + L.mark + 6) }
  end
  return spans
end

-- One datum: a group with its tooltip, label lines, mark and value text.
local function row_markup(out, ch, g, r, f, L, class, plain)
  local d = r.d
  local data = ch.chart == "timeline"
    and ('data-date="%s"'):format(esc(d.date .. (d.date_end and ("/" .. d.date_end) or "")))
    or ('data-value="%s"'):format(esc(d.value and common.exact(d.value) or ""))
  out[#out + 1] = ('<g class="%s" %s><title>%s</title>')
                  :format(ch.chart == "timeline" and "event" or "bar", data, esc(r.full))
  for k, l in ipairs(r.lines) do
    if g.wide then
      local ly = r.cy - (#r.lines - 1) * L.line / 2 + (k - 1) * L.line + L.font * 0.35
      out[#out + 1] = svg_text(('x="%d" y="%s" text-anchor="end"'):format(L.label_w - 8, px(ly)),
                               l, plain)
    else
      out[#out + 1] = svg_text(('x="0" y="%s"'):format(px(r.y + (k - 1) * L.line + L.font)), l,
                               plain)
    end
  end
  local m, stop = mark(ch, d, f, g.x0, g.axis_w, r.cy, L, class)
  out[#out + 1] = m
  out[#out + 1] = svg_text(('class="value" x="%s" y="%s"'):format(px(stop + 6),
                                                                 px(r.cy + L.font * 0.35)),
                           r.shown, plain) .. "</g>"
end

--- The chart ch in layout L (M.LAYOUTS.wide or .narrow) as an <svg>
-- element; title_id: the id of the element that names it; plain: mark no
-- Chinese run (a Chinese page).
function M.chart(ch, opts, L, title_id, plain)
  local _, colour = M.colours(ch)
  local g = layout(ch, opts, L)
  local f, ticks = scale(ch, L, g.axis_w)
  local height = g.base + L.tick + 10
  local out = {}
  out[#out + 1] = ('<svg class="chart %s %s" xmlns="http://www.w3.org/2000/svg" role="img" '
    .. 'aria-labelledby="%s" viewBox="0 0 %d %d" width="%d" height="%d" data-scale="%s">')
    :format(ch.chart, L.name, esc(title_id), L.width, height, L.width, height,
            ch.chart == "timeline" and "time" or (ch.log and "log" or "linear"))
  ticks_markup(out, ticks, g.x0, g.axis_w, grid_spans(g, L), g.base, L, ch.chart == "timeline",
               plain)
  for _, r in ipairs(g.rows) do
    row_markup(out, ch, g, r, f, L, "s" .. (r.d.group and colour[r.d.group] or 1), plain)
  end
  out[#out + 1] = "</svg>"
  return table.concat(out, "\n")
end

return M
