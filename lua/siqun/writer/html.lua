--- siqun.writer.html: a report document as one self-contained HTML page:
-- no external asset, no script, CSS inline (a Content-Security-Policy
-- meta forbids loading anything), every text escaped, charts as inline SVG
-- (siqun.writer.svg) in a wide and a narrow layout, switched by a media
-- query so that chart text stays at least 10 px on a phone.  Chinese text
-- in the English frame is marked lang="zh" (siqun.writer.markup); colours
-- are CSS custom properties with a dark set for prefers-color-scheme:
-- dark; wide tables scroll inside their own box; a cell holding a web
-- address is a link; a column's status shows its cells as coloured badges
-- that keep the word.
--
-- opts.group: thousands separator ("," by default, "" for none).
-- opts.lang: the page's language tag (the document's lang, else "en").

local text = require "siqun.text"
local common = require "siqun.writer.common"
local markup = require "siqun.writer.markup"
local svg = require "siqun.writer.svg"
local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs (through __index) on every Lua

local M = { name = "html", extension = "html", mediatype = "text/html; charset=utf-8" }

M.escape = markup.escape
local esc = markup.escape

-- Chart colours (classes s1 … s16) for light pages, and lighter ones for
-- dark pages; each keeps at least 3:1 contrast with its background.
M.PALETTE = { "#3b6ea8", "#c0504d", "#5a9a48", "#8064a2", "#d08a2a", "#2b9ca8",
              "#9b5a3c", "#6b7d2a", "#b0466f", "#4f5f6f", "#c2559f", "#138a97",
              "#8c8d1a", "#6f6f6f", "#1f3f6f", "#d9690b" }
M.PALETTE_DARK = { "#7fa8d9", "#e58b87", "#8cc77a", "#b39ad4", "#e9ad5c", "#5cc4cf",
                   "#cf9072", "#aabd5a", "#e07fa3", "#9aabbd", "#ec8fd0", "#4fd0de",
                   "#cfd04e", "#b0b0b0", "#8aaee6", "#ffa552" }

local CSS = [[
:root { color-scheme: light dark; --fg: #1f2328; --bg: #fff; --muted: #59636e;
  --line: #c8ced5; --head: #f0f2f4; --grid: #d5dae0; --link: #0b5cad;
  --good-fg: #0f5f26; --good-bg: #d7f5df; --bad-fg: #9c1426; --bad-bg: #ffe3e6;
  --warn-fg: #6b4a00; --warn-bg: #fff1c7; %s }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e8eb; --bg: #15181d; --muted: #a3acb7; --line: #444c56;
    --head: #22272e; --grid: #3a414a; --link: #7cb8ff;
    --good-fg: #8ee5a6; --good-bg: #163b22; --bad-fg: #ffaaa8; --bad-bg: #4d1a1f;
    --warn-fg: #f2d27a; --warn-bg: #3f3214; %s }
}
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC",
  "Microsoft YaHei", sans-serif; color: var(--fg); background: var(--bg); margin: 0; }
:lang(zh) { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
  "Microsoft YaHei", sans-serif; }
main { max-width: 80rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h1, h2, h3, h4, p, li, figcaption, caption, footer { overflow-wrap: break-word; }
.subtitle { color: var(--muted); margin-top: 0; }
h2, h3, h4 { margin: 1.6rem 0 .5rem; }
a { color: var(--link); overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; max-width: 100%%; margin: 1rem 0; }
.table-wrap:focus-visible { outline: 2px solid var(--link); }
table { border-collapse: collapse; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; vertical-align: top; }
th { background: var(--head); text-align: left; }
td.nw { white-space: nowrap; }
td.w { min-width: 10em; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.status { display: inline-block; padding: 0 .5em; border-radius: .7em; font-weight: 600;
  white-space: nowrap; }
.status.good { color: var(--good-fg); background: var(--good-bg); }
.status.bad { color: var(--bad-fg); background: var(--bad-bg); }
.status.warn { color: var(--warn-fg); background: var(--warn-bg); }
figure.chart { margin: 1.2rem 0; }
figure.chart figcaption { font-weight: 600; margin-bottom: .3rem; }
svg.chart { display: block; width: 100%%; height: auto; }
svg.chart.wide { max-width: %dpx; font-size: %dpx; }
svg.chart.narrow { max-width: %dpx; font-size: %dpx; display: none; }
svg.chart text { fill: var(--fg); }
svg.chart .grid { stroke: var(--grid); }
svg.chart text.tick { fill: var(--muted); }
svg.chart.wide text.tick { font-size: %dpx; }
svg.chart .period { fill-opacity: .35; stroke-width: 1.5; }
ul.legend { list-style: none; padding: 0; margin: .3rem 0; font-size: .85rem; }
ul.legend li { display: inline-block; margin-right: 1rem; }
ul.legend span.key { display: inline-block; width: .8em; height: .8em; margin-right: .3em; }
ul.legend span.day { border-radius: 50%%; }
ul.legend span.days { width: 1.6em; border-radius: .4em; }
ul.legend span.period { width: 1.6em; opacity: .45; }
footer { color: var(--muted); font-size: .8rem; margin-top: 2rem; }
@media (max-width: 50em) {
  main { padding: 1rem; }
  svg.chart.wide { display: none; }
  svg.chart.narrow { display: block; }
}
%s]]

-- The style sheet: colours as custom properties, switched for dark pages.
local function css()
  local light, dark, classes = {}, {}, {}
  for i = 1, svg.COLOURS do
    light[i] = ("--c%d: %s;"):format(i, M.PALETTE[i])
    dark[i] = ("--c%d: %s;"):format(i, M.PALETTE_DARK[i])
    classes[i] = (".s%d { fill: var(--c%d); stroke: var(--c%d); background: var(--c%d); }\n")
                 :format(i, i, i, i)
  end
  local W, N = svg.LAYOUTS.wide, svg.LAYOUTS.narrow
  return CSS:format(table.concat(light, " "), table.concat(dark, " "), W.width, W.font,
                    N.width, N.font, W.tick, table.concat(classes))
end

-- What the marks of a timeline mean, for its legend.
local MARKS = {
  { "day", "a day the article gives" },
  { "days", "a span of days it gives" },
  { "period", "some time in that month or year" },
}

local function legend(out, ch, plain)
  local items = {}
  if ch.chart == "timeline" then
    local used = {}
    for _, d in ipairs(ch.data) do
      used[(d.exact and d.start == d.stop) and "day" or (d.exact and "days" or "period")] = true
    end
    for _, m in ipairs(MARKS) do
      if used[m[1]] then
        items[#items + 1] = ('<li><span class="key s1 %s"></span>%s</li>')
                            :format(m[1], markup.content(m[2], "span", plain))
      end
    end
  else
    local groups, index = svg.colours(ch)
    if #groups < 2 then return end
    for _, g in ipairs(groups) do
      items[#items + 1] = markup.element("li", "", g, "span", plain)
                            :gsub("^(<li[^>]*>)", '%1<span class="key s' .. index[g] .. '"></span>')
    end
  end
  if #items == 0 then return end
  out[#out + 1] = '<ul class="legend">'
  for _, it in ipairs(items) do out[#out + 1] = it end
  out[#out + 1] = "</ul>"
end

local function chart(out, ch, opts, serial, plain)
  local id = "chart-" .. serial
  local note = require("siqun.writer.chart").chart_note(ch)
  out[#out + 1] = ('<figure class="chart" id="%s">'):format(esc(ch.name and ("chart-" .. ch.name) or id))
  out[#out + 1] = ('<figcaption id="%s-title">%s%s</figcaption>'):format(id,
    markup.content(ch.title or "Chart", "span", plain),
    note ~= "" and (" <small>(" .. markup.content(note, "span", plain) .. ")</small>") or "")
  out[#out + 1] = svg.chart(ch, opts, svg.LAYOUTS.wide, id .. "-title", plain)
  out[#out + 1] = svg.chart(ch, opts, svg.LAYOUTS.narrow, id .. "-title", plain)
  legend(out, ch, plain)
  out[#out + 1] = "</figure>"
end

-- Text cells up to this many columns do not wrap; longer ones keep a
-- readable width (a narrow screen scrolls the table instead).
local NOWRAP = 24

-- A sign beside a status word (the word carries the meaning; colour and
-- sign help the eye).
local STATUS_SIGN = { good = "✓", bad = "✗", warn = "!" }

-- A whole cell that is a web address becomes a link.
local URL = "^https?://[%w%-%.%_~:/%?#%[%]@!%$&'%(%)%*%+,;=%%]+$"

local function cell(v, col, opts, plain)
  if type(v) == "number" then
    return ('<td class="num" data-value="%s">%s</td>'):format(esc(common.exact(v) or ""),
      esc(common.cell_text(v, opts, col)))
  end
  local s = common.cell_text(v, opts, col)
  local attrs = (' class="%s"'):format(common.numeric(col) and "num"
                                      or (text.width(s) <= NOWRAP and "nw" or "w"))
  if type(v) == "string" and v:find(URL) then
    return ('<td%s><a href="%s">%s</a></td>'):format(attrs, esc(v), esc(v))
  end
  local level = col.status and col.status[s]
  if level then
    return ('<td%s><span class="status %s"><span aria-hidden="true">%s</span> %s</span></td>')
           :format(attrs, level, STATUS_SIGN[level], markup.content(s, "span", plain))
  end
  local body, zh = markup.content(s, "span", plain)
  return ("<td%s%s>%s</td>"):format(attrs, zh and (' lang="' .. markup.ZH .. '"') or "",
                                    (body:gsub("\r?\n", "<br>")))
end

local function tbl(out, t, opts, serial, plain)
  local cap = "table-" .. serial .. "-caption"
  -- a focusable region, so that a keyboard can scroll a wide table
  out[#out + 1] = t.caption
    and ('<div class="table-wrap" role="region" tabindex="0" aria-labelledby="%s">'):format(cap)
    or '<div class="table-wrap" role="region" tabindex="0" aria-label="table">'
  out[#out + 1] = t.name and ('<table id="table-%s">'):format(esc(t.name)) or "<table>"
  if t.caption then
    out[#out + 1] = markup.element("caption", (' id="%s"'):format(cap), t.caption, "span", plain)
  end
  local head = {}
  for c, col in ipairs(t.columns) do
    head[c] = markup.element("th", common.numeric(col) and ' scope="col" class="num"'
                                   or ' scope="col"', col.title, "span", plain)
  end
  out[#out + 1] = "<thead><tr>" .. table.concat(head) .. "</tr></thead>"
  out[#out + 1] = "<tbody>"
  for _, row in ipairs(t.rows) do
    local cells = {}
    for c, col in ipairs(t.columns) do cells[c] = cell(row[col.name], col, opts, plain) end
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
  local lang = tostring(opts.lang or doc.lang or "en")
  -- a Chinese page needs no Chinese runs marked
  local plain = lang:lower():match("^zh") ~= nil
  local function el(tag, attrs, s) return markup.element(tag, attrs, s, "span", plain) end
  local out = {
    "<!DOCTYPE html>",
    ('<html lang="%s">'):format(esc(lang)),
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
      .. 'style-src \'unsafe-inline\'; img-src data:">',
    '<meta name="generator" content="siqun">',
    "<title>" .. esc(doc.title ~= "" and doc.title or "siqun report") .. "</title>",
    "<style>", css() .. "</style>",
    "</head>",
    "<body>",
    "<main>",
  }
  if doc.title ~= "" then out[#out + 1] = el("h1", "", doc.title) end
  if doc.subtitle then out[#out + 1] = el("p", ' class="subtitle"', doc.subtitle) end
  local charts, tables = 0, 0
  for _, b in ipairs(doc.blocks) do
    if b.kind == "heading" then
      local h = math.min(6, b.level + 1)
      out[#out + 1] = el("h" .. h, "", b.text)
    elseif b.kind == "para" then
      out[#out + 1] = (el("p", "", b.text):gsub("\r?\n", "<br>"))
    elseif b.kind == "list" then
      out[#out + 1] = "<ul>"
      for _, it in ipairs(b.items) do out[#out + 1] = el("li", "", it) end
      out[#out + 1] = "</ul>"
    elseif b.kind == "table" then
      tables = tables + 1
      tbl(out, b, opts, tables, plain)
    elseif b.kind == "chart" then
      charts = charts + 1
      chart(out, b, opts, charts, plain)
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
