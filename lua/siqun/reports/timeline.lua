--- The timeline report: the article's events by date (ISO dates as precise
-- as the article: 2011-12 sorts before 2011-12-05; equal dates keep the
-- dataset's order), with the place named, first on a time axis (a chart of
-- kind "timeline": a day is a point, a month or a year the span it covers).

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs (through __index) on every Lua

local M = { name = "timeline", description = "Events by date, with their places." }

function M.run(art)
  local places = {}
  for _, p in ipairs(art.places or {}) do places[p.id] = p end
  local evs = {}
  for i, e in ipairs(art.events or {}) do evs[#evs + 1] = { e = e, i = i } end
  table.sort(evs, function(a, b)
    local da, db = a.e.date or "", b.e.date or ""
    if da ~= db then return da < db end
    return a.i < b.i
  end)
  local rows, data = {}, {}
  for _, x in ipairs(evs) do
    local e = x.e
    local p = e.place and places[e.place]
    rows[#rows + 1] = { date = e.date, date_end = e.date_end, text = e.text, what = e.what,
                        what_zh = e.what_zh, place = p and p.name or e.place,
                        place_en = p and p.en or nil, section = e.section }
    data[#data + 1] = { label = e.what or e.id, date = e.date, date_end = e.date_end,
                        text = e.text }
  end
  return { title = "Timeline", blocks = {
    { kind = "para", text = ("%d events, by date."):format(#rows) },
    { kind = "chart", chart = "timeline", name = "events", title = "Events in time",
      data = data },
    { kind = "table", name = "events", caption = "Events",
      columns = { { name = "date" }, { name = "date_end" }, { name = "text" },
                  { name = "what" }, { name = "what_zh" }, { name = "place" },
                  { name = "place_en" }, { name = "section", type = "integer" } },
      rows = rows } } }
end

return M
