--- siqun.terminal_summary: the summary of an Article laid out for a
-- terminal (siqun.summary, art:summary() and `siqun summary`), built from
-- dataset fields only (titles, headings, our own summaries and glosses,
-- figures as printed), aligned by display width.  The summary report for
-- every format (`siqun report summary`, a document) is
-- siqun.reports.summary.
--
--   print(require("siqun").summary())            -- the embedded article
--   print(require("siqun.terminal_summary").render(art, { width = 100 }))

local text = require "siqun.text"
local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs (through __index) on every Lua

local M = {}

-- Ranks in the order the matrix shows them (the quotas report's), and
-- names in a preferred order then the others (its rule too).
local quotas_report = require "siqun.reports.quotas"
local RANKS, ordered = quotas_report.RANKS, quotas_report.ordered
-- The activities the matrix shows, in that order.
local MATRIX = { "research", "village_stay" }

local function str(v)
  if v == nil then return "" end
  if type(v) == "number" then return text.number(v) end
  return tostring(v)
end

-- "zh (en)", or whichever of the two exists.
local function both(zh, en)
  zh, en = str(zh), str(en)
  if zh ~= "" and en ~= "" and zh ~= en then return zh .. " (" .. en .. ")" end
  return zh ~= "" and zh or en
end

-- Appends parts to out joined by " · ", filling lines of at most width
-- columns (indented by two spaces) without splitting a part; at most
-- maxlines lines, the last one ending in "…" when parts are left over.
local function fill(out, parts, width, maxlines)
  local lines, line = {}, nil
  for _, p in ipairs(parts) do
    if line == nil then
      line = "  " .. p
    elseif text.width(line .. " · " .. p) <= width - 2 then
      line = line .. " · " .. p
    else
      lines[#lines + 1] = line .. " ·"
      line = "  " .. p
    end
  end
  if line then lines[#lines + 1] = line end
  for i = 1, math.min(#lines, maxlines) do
    local l = lines[i]
    if i == maxlines and #lines > maxlines then l = l:gsub(" ·$", "") .. " …" end
    out[#out + 1] = l
  end
end

local function header(art, out)
  local meta = art.meta
  if not meta then
    out[#out + 1] = "(no meta record)"
    return
  end
  out[#out + 1] = str(meta.title)
  if meta.title_en then out[#out + 1] = str(meta.title_en) end
  local rows = {
    { "outlet", both(meta.outlet, meta.outlet_en) },
    { "carrier", both(meta.carrier, meta.carrier_en)
                 .. (meta.url and ("  " .. str(meta.url)) or "") },
    { "published", str(meta.published) },
    { "author", both(meta.author, meta.author_pinyin) },
  }
  local info = art:source_info()
  if info then
    rows[#rows + 1] = { "source", ("%s code points, %s bytes, sha256 %s"):format(
      str(info.codepoints), str(info.bytes), str(info.sha256):sub(1, 16) .. "…") }
  end
  for _, l in ipairs(text.columns(rows, { indent = "  " })) do out[#out + 1] = l end
end

local function sections(art, out, width)
  local secs = art.sections
  if not secs or #secs == 0 then return end
  out[#out + 1] = ""
  out[#out + 1] = "Sections (number, heading, theme; English heading and our summary)"
  local nw = 1
  for _, s in ipairs(secs) do nw = math.max(nw, text.width(str(s.number))) end
  local indent = "  " .. (" "):rep(nw + 2)
  for _, s in ipairs(secs) do
    local theme = str(s.theme)
    if s.theme_zh then theme = theme .. " (" .. str(s.theme_zh) .. ")" end
    out[#out + 1] = "  " .. text.pad(str(s.number), nw, "right") .. "  " .. str(s.heading)
                    .. "  · " .. theme
    if s.heading_en then out[#out + 1] = indent .. "“" .. str(s.heading_en) .. "”" end
    if s.summary_en then
      local wrapped = text.wrap(str(s.summary_en), width - text.width(indent))
      for k = 1, math.min(#wrapped, 3) do
        local l = wrapped[k]
        if k == 3 and #wrapped > 3 then l = l .. " …" end
        out[#out + 1] = indent .. l
      end
    end
  end
end

local function counts(art, out, width)
  out[#out + 1] = ""
  out[#out + 1] = "Tables"
  local parts = {}
  for _, name in ipairs(art:tables()) do
    parts[#parts + 1] = name .. " " .. #art:table(name)
  end
  fill(out, parts, width, math.huge)
end

local function figures(art, out)
  local figs = art.figures
  if not figs or #figs == 0 then return end
  -- The largest figure of each category, categories in article order.
  local best, cats = {}, {}
  for _, f in ipairs(figs) do
    local c = f.category or ""
    if best[c] == nil then
      cats[#cats + 1] = c
      best[c] = f
    else
      local v, b = f.value, best[c].value
      if type(v) == "number" and (type(b) ~= "number" or v > b) then best[c] = f end
    end
  end
  out[#out + 1] = ""
  out[#out + 1] = ("Headline figures (the largest of each category; %d figures in all)")
                  :format(#figs)
  local rows = { { "id", "text", "value", "unit", "qualifier", "label" } }
  for _, c in ipairs(cats) do
    local f = best[c]
    rows[#rows + 1] = { str(f.id), str(f.text),
      type(f.value) == "number" and text.number(f.value, ",") or str(f.value),
      str(f.unit), str(f.qualifier), str(f.label) }
  end
  for _, l in ipairs(text.columns(rows, { indent = "  ", sep = " ", align = { nil, nil, "right" },
                                          max = { 18, 14 } })) do
    out[#out + 1] = l
  end
end

-- "value (rank, rank)" when every rank shares one value, otherwise
-- "rank value; rank, rank value" (ranks with equal values grouped).
local function by_rank(pairs_)
  local groups, index = {}, {}
  for _, p in ipairs(pairs_) do
    local g = index[p[2]]
    if not g then
      g = { value = p[2], ranks = {} }
      index[p[2]] = g
      groups[#groups + 1] = g
    end
    g.ranks[#g.ranks + 1] = p[1]
  end
  if #groups == 1 then
    return groups[1].value .. " (" .. table.concat(groups[1].ranks, ", ") .. ")"
  end
  local parts = {}
  for _, g in ipairs(groups) do
    parts[#parts + 1] = table.concat(g.ranks, ", ") .. " " .. g.value
  end
  return table.concat(parts, "; ")
end

local function quotas(art, out, width)
  local qs = art.quotas
  if not qs or #qs == 0 then return end
  local cell, ranks_seen, pers, others, acts_seen = {}, {}, {}, {}, {}
  local in_matrix = {}
  for _, a in ipairs(MATRIX) do in_matrix[a] = true end
  for _, q in ipairs(qs) do
    local rank, act = str(q.rank), str(q.activity)
    if in_matrix[act] then
      ranks_seen[#ranks_seen + 1] = rank
      local v = q.min
      if v == nil then v = q.value end
      local unit = (q.unit and q.unit ~= "") and (" " .. q.unit) or ""
      local shown = v ~= nil and (text.number(v) .. unit) or str(q.text)
      cell[rank] = cell[rank] or {}
      if cell[rank][act] then
        cell[rank][act] = cell[rank][act] .. ", " .. shown
      else
        cell[rank][act] = shown
      end
      pers[#pers + 1] = q.per and str(q.per) or "-"
    else
      if not others[act] then
        others[act] = {}
        acts_seen[#acts_seen + 1] = act
      end
      local t = others[act]
      t[#t + 1] = { rank, str(q.text) .. (q.per and (" per " .. str(q.per)) or "") }
    end
  end
  out[#out + 1] = ""
  local per = pers[1]
  for _, p in ipairs(pers) do
    if p ~= per then per = nil; break end
  end
  out[#out + 1] = "Quotas" .. ((per and per ~= "-") and (" (minimum per " .. per .. ")") or "")
  if #ranks_seen > 0 then
    local rows = { { "rank" } }
    for i, a in ipairs(MATRIX) do rows[1][i + 1] = a end
    for _, rank in ipairs(ordered(RANKS, ranks_seen)) do
      local row = { rank }
      for i, a in ipairs(MATRIX) do row[i + 1] = cell[rank][a] or "-" end
      rows[#rows + 1] = row
    end
    for _, l in ipairs(text.columns(rows, { indent = "  ", sep = " | " })) do
      out[#out + 1] = l
    end
  end
  for _, act in ipairs(acts_seen) do
    out[#out + 1] = text.truncate("  " .. act .. ": " .. by_rank(others[act]), width)
  end
end

local function glossary(art, out, width)
  local gl = art.glossary
  if not gl or #gl == 0 then return end
  -- Formulations with members get a line each; other terms share lines.
  local rows, rest = {}, {}
  for _, g in ipairs(gl) do
    local ms = g.members
    if ms ~= nil and #ms > 0 then
      rows[#rows + 1] = { str(g.term), g.count ~= nil and str(g.count) or "-",
                          table.concat(ms:totable(), " · ") }
    else
      rest[#rest + 1] = str(g.term)
    end
  end
  out[#out + 1] = ""
  out[#out + 1] = ("Glossary (%d terms; term, count, members)"):format(#gl)
  -- Terms up to 12 columns are aligned; a longer one overflows its column.
  local tw, cw = 0, 1
  for _, r in ipairs(rows) do
    local w = text.width(r[1])
    if w <= 12 then tw = math.max(tw, w) end
    cw = math.max(cw, text.width(r[2]))
  end
  for _, r in ipairs(rows) do
    out[#out + 1] = text.truncate("  " .. text.pad(r[1], tw) .. "  " .. text.pad(r[2], cw, "right")
                                  .. "  " .. r[3], width)
  end
  if #rest > 0 then
    rest[1] = "other terms: " .. rest[1]
    fill(out, rest, width, 3)
  end
end

--- The report as a string (lines joined by "\n", with a final newline).
-- opts (a table, optional).width: the line width to fit, an integer of at
-- least 20 (78 by default).  Bad options raise.
function M.render(art, opts)
  if opts ~= nil and type(opts) ~= "table" then
    require("siqun.check").type(2, "render", "table", opts)
  end
  local width = (opts and opts.width) or 78
  if compat.math_type(width) ~= "integer" or width < 20 then
    error("bad option 'width' to 'render' (integer of at least 20 expected, got "
          .. tostring(width) .. ")", 2)
  end
  local out = {}
  header(art, out)
  sections(art, out, width)
  counts(art, out, width)
  figures(art, out)
  quotas(art, out, width)
  glossary(art, out, width)
  for i, l in ipairs(out) do
    out[i] = text.truncate(l, width)
  end
  return table.concat(out, "\n") .. "\n"
end

return M
