--- siqun.writer.html: a report document as one self-contained HTML page:
-- no external asset, no script, CSS inline (a Content-Security-Policy
-- meta forbids loading anything), every text escaped, bar charts as inline
-- SVG.  A chart whose largest value is more than 1000 times its smallest
-- positive one is drawn on a log scale, with ticks at powers of ten.
--
-- opts.group: thousands separator ("," by default, "" for none).
-- opts.lang: the page's language tag (the document's lang, else "en").

local text = require "siqun.text"
local common = require "siqun.writer.common"
local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs (through __index) on every Lua

local M = { name = "html", extension = "html", mediatype = "text/html; charset=utf-8" }

local ENT = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }

--- s escaped for HTML text and attribute values (controls other than tab,
-- LF and CR dropped, invalid UTF-8 replaced by U+FFFD).
function M.escape(s)
  s = common.utf8_clean(tostring(s))
  s = s:gsub("[%z\1-\8\11\12\14-\31\127]", "")
  return (s:gsub("[&<>\"']", ENT))
end
local esc = M.escape

local PALETTE = { "#3b6ea8", "#c0504d", "#5a9a48", "#8064a2", "#d08a2a", "#2b9ca8",
                  "#9b5a3c", "#6b7d2a", "#b0466f", "#4f5f6f", "#e377c2", "#17becf",
                  "#bcbd22", "#7f7f7f", "#1f3f6f", "#ff7f0e" }

local CSS = [[
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC",
  "Microsoft YaHei", sans-serif; color: #222; background: #fff; margin: 0; }
main { max-width: 80rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
.subtitle { color: #555; margin-top: 0; }
h2, h3, h4 { margin: 1.6rem 0 .5rem; }
.table-wrap { overflow-x: auto; margin: 1rem 0; }
table { border-collapse: collapse; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; vertical-align: top; }
th { background: #f0f0f0; text-align: left; }
td.nw { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure.chart { margin: 1.2rem 0; }
figure.chart figcaption { font-weight: 600; margin-bottom: .3rem; }
svg.chart { max-width: 100%; height: auto; font-size: 12px; }
svg.chart text { fill: #222; }
svg.chart .grid { stroke: #ddd; }
svg.chart .tick { fill: #666; }
ul.legend { list-style: none; padding: 0; margin: .3rem 0; font-size: .85rem; }
ul.legend li { display: inline-block; margin-right: 1rem; }
ul.legend span { display: inline-block; width: .8em; height: .8em; margin-right: .3em; }
footer { color: #777; font-size: .8rem; margin-top: 2rem; }
]]

local W, LABEL_W, VALUE_W, ROW_H, LABEL_COLS = 760, 270, 120, 22, 34

-- A number for an SVG attribute (at most 2 decimals).
local function px(v)
  local s = ("%.2f"):format(v):gsub("%.?0+$", "")
  return s
end

local function chart(out, ch, opts, serial)
  local f, ticks = common.scale(ch)
  local bar_w = W - LABEL_W - VALUE_W - 10
  local n = #ch.data
  local top = 6
  local height = top + n * ROW_H + 26
  local groups, color = {}, {}
  for _, d in ipairs(ch.data) do
    if d.group and not color[d.group] then
      groups[#groups + 1] = d.group
      color[d.group] = PALETTE[(#groups - 1) % #PALETTE + 1]
    end
  end
  local id = "chart-" .. serial
  local title = ch.title or "Chart"
  local note = common.chart_note(ch)
  out[#out + 1] = ('<figure class="chart" id="%s">'):format(esc(ch.name and ("chart-" .. ch.name) or id))
  out[#out + 1] = ('<figcaption id="%s-title">%s%s</figcaption>'):format(id, esc(title),
    note ~= "" and (" <small>(" .. esc(note) .. ")</small>") or "")
  out[#out + 1] = ('<svg class="chart bar" xmlns="http://www.w3.org/2000/svg" role="img" '
    .. 'aria-labelledby="%s-title" viewBox="0 0 %d %d" width="%d" height="%d" '
    .. 'data-scale="%s">'):format(id, W, height, W, height, ch.log and "log" or "linear")
  local base = top + n * ROW_H
  for _, t in ipairs(ticks) do
    local x = px(LABEL_W + t.at * bar_w)
    out[#out + 1] = ('<line class="grid" x1="%s" y1="%d" x2="%s" y2="%d"/>'):format(x, top, x, base)
    out[#out + 1] = ('<text class="tick" x="%s" y="%d" text-anchor="middle">%s</text>')
                    :format(x, base + 16, esc(t.label))
  end
  for i, d in ipairs(ch.data) do
    local y = top + (i - 1) * ROW_H
    local len = 0
    if d.value and d.value > 0 then len = math.max(1, f(d.value) * bar_w) end
    local shown = common.bar_text(d, opts)
    local full = d.label .. ": " .. shown
    if d.text and d.value then full = full .. " (" .. common.cell_text(d.value, opts) .. ")" end
    out[#out + 1] = ('<g class="bar" data-value="%s"><title>%s</title>')
                    :format(esc(d.value and common.exact(d.value) or ""), esc(full))
    out[#out + 1] = ('<text x="%d" y="%s" text-anchor="end">%s</text>')
                    :format(LABEL_W - 8, px(y + 15), esc(text.truncate(d.label, LABEL_COLS)))
    out[#out + 1] = ('<rect x="%d" y="%d" width="%s" height="14" fill="%s"/>')
                    :format(LABEL_W, y + 4, px(len), d.group and color[d.group] or PALETTE[1])
    out[#out + 1] = ('<text x="%s" y="%s">%s</text></g>')
                    :format(px(LABEL_W + len + 6), px(y + 15), esc(shown))
  end
  out[#out + 1] = "</svg>"
  if #groups > 1 then
    out[#out + 1] = '<ul class="legend">'
    for _, g in ipairs(groups) do
      out[#out + 1] = ('<li><span style="background:%s"></span>%s</li>'):format(color[g], esc(g))
    end
    out[#out + 1] = "</ul>"
  end
  out[#out + 1] = "</figure>"
end

-- Text cells up to this many columns do not wrap.
local NOWRAP = 24

local function tbl(out, t, opts)
  out[#out + 1] = '<div class="table-wrap">'
  out[#out + 1] = t.name and ('<table id="table-%s">'):format(esc(t.name)) or "<table>"
  if t.caption then out[#out + 1] = "<caption>" .. esc(t.caption) .. "</caption>" end
  local head = {}
  for c, col in ipairs(t.columns) do
    head[c] = ('<th scope="col"%s>%s</th>'):format(common.numeric(col) and ' class="num"' or "",
                                                 esc(col.title))
  end
  out[#out + 1] = "<thead><tr>" .. table.concat(head) .. "</tr></thead>"
  out[#out + 1] = "<tbody>"
  for _, row in ipairs(t.rows) do
    local cells = {}
    for c, col in ipairs(t.columns) do
      local v = row[col.name]
      if type(v) == "number" then
        cells[c] = ('<td class="num" data-value="%s">%s</td>'):format(esc(common.exact(v) or ""),
                                                                    esc(common.cell_text(v, opts, col)))
      else
        local s = common.cell_text(v, opts, col)
        local class = common.numeric(col) and ' class="num"'
                      or (text.width(s) <= NOWRAP and ' class="nw"' or "")
        cells[c] = ("<td%s>%s</td>"):format(class, (esc(s):gsub("\r?\n", "<br>")))
      end
    end
    out[#out + 1] = "<tr>" .. table.concat(cells) .. "</tr>"
  end
  if #t.rows == 0 then
    out[#out + 1] = ('<tr><td class="empty" colspan="%d">no rows</td></tr>')
                    :format(math.max(1, #t.columns))
  end
  out[#out + 1] = "</tbody></table></div>"
end

--- The document as an HTML page (final newline).
function M.write(doc, opts)
  doc = common.prepare(doc, 2)
  opts = opts or {}
  local out = {
    "<!DOCTYPE html>",
    ('<html lang="%s">'):format(esc(opts.lang or doc.lang or "en")),
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
      .. 'style-src \'unsafe-inline\'; img-src data:">',
    '<meta name="generator" content="siqun">',
    "<title>" .. esc(doc.title ~= "" and doc.title or "siqun report") .. "</title>",
    "<style>", CSS .. "</style>",
    "</head>",
    "<body>",
    "<main>",
  }
  if doc.title ~= "" then out[#out + 1] = "<h1>" .. esc(doc.title) .. "</h1>" end
  if doc.subtitle then out[#out + 1] = '<p class="subtitle">' .. esc(doc.subtitle) .. "</p>" end
  local charts = 0
  for _, b in ipairs(doc.blocks) do
    if b.kind == "heading" then
      local h = math.min(6, b.level + 1)
      out[#out + 1] = ("<h%d>%s</h%d>"):format(h, esc(b.text), h)
    elseif b.kind == "para" then
      out[#out + 1] = "<p>" .. esc(b.text):gsub("\r?\n", "<br>") .. "</p>"
    elseif b.kind == "list" then
      out[#out + 1] = "<ul>"
      for _, it in ipairs(b.items) do out[#out + 1] = "<li>" .. esc(it) .. "</li>" end
      out[#out + 1] = "</ul>"
    elseif b.kind == "table" then
      tbl(out, b, opts)
    elseif b.kind == "chart" then
      charts = charts + 1
      chart(out, b, opts, charts)
    end
  end
  out[#out + 1] = "<footer>"
    .. esc((doc.report and ("Report '" .. doc.report .. "', made by siqun") or "Made by siqun")
           .. " from the dataset of one Yunnan Daily article (2012-07-01).")
    .. "</footer>"
  out[#out + 1] = "</main>"
  out[#out + 1] = "</body>"
  out[#out + 1] = "</html>"
  return table.concat(out, "\n") .. "\n"
end

return M
