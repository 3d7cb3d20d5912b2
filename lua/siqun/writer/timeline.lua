--- siqun.writer.timeline: the "timeline" chart kind, shared by the writers:
-- dates, checking a chart's data, the time scale with its ticks, and the
-- drawing in text (the HTML writer draws it in siqun.writer.svg).
--
-- A datum is { label =, date = "2012-06-18", date_end = "2012-06-19"
-- (optional), text = "6月18日至19日", group = }.  Dates are ISO 8601 as
-- precise as the source: "2012" is some time in 2012, "2011-12" some time
-- in December 2011.  A datum covers the days from the first day of date to
-- the last day of date_end (or of date); it is exact when every date it
-- names gives the day.

local text = require "siqun.text"
local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs (through __index) on every Lua
local idiv = compat.idiv

local M = {}

--- Day number of a proleptic Gregorian date (1970-01-01 is 0); the
-- algorithm of H. Hinnant's days_from_civil.
function M.days(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = idiv(y, 400)
  local yoe = y - era * 400
  local doy = idiv(153 * ((m + 9) % 12) + 2, 5) + d - 1
  return era * 146097 + yoe * 365 + idiv(yoe, 4) - idiv(yoe, 100) + doy - 719468
end

--- The date of day number n: year, month, day.
function M.civil(n)
  n = n + 719468
  local era = idiv(n, 146097)
  local doe = n - era * 146097
  local yoe = idiv(doe - idiv(doe, 1460) + idiv(doe, 36524) - idiv(doe, 146096), 365)
  local doy = doe - (365 * yoe + idiv(yoe, 4) - idiv(yoe, 100))
  local mp = idiv(5 * doy + 2, 153)
  local d = doy - idiv(153 * mp + 2, 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  return era * 400 + yoe + (m <= 2 and 1 or 0), m, d
end

local function month_days(y, m)
  if m == 12 then return 31 end
  return M.days(y, m + 1, 1) - M.days(y, m, 1)
end

--- The days an ISO date ("2012", "2012-06", "2012-06-18") covers: first
-- and last day numbers and its precision ("year", "month", "day"); nil
-- and a message when s is not such a date.
function M.period(s)
  if type(s) ~= "string" then
    return nil, ("date expected (YYYY, YYYY-MM or YYYY-MM-DD), got %s"):format(type(s))
  end
  local y, m, d = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then y, m = s:match("^(%d%d%d%d)%-(%d%d)$") end
  if not y then y = s:match("^(%d%d%d%d)$") end
  local bad = ("'%s' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"):format(s)
  if not y then return nil, bad end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if m and (m < 1 or m > 12) then return nil, bad end
  if d and (d < 1 or d > month_days(y, m)) then return nil, bad end
  if d then
    local n = M.days(y, m, d)
    return n, n, "day"
  elseif m then
    local first = M.days(y, m, 1)
    return first, first + month_days(y, m) - 1, "month"
  end
  return M.days(y, 1, 1), M.days(y, 12, 31), "year"
end

--- A checked timeline chart block (see siqun.writer.common.prepare): str
-- checks and cleans a text field, fail raises.  Each datum gains start and
-- stop (day numbers, both included) and exact; the chart gains from and to.
function M.prepare(b, where, str, fail)
  local out = { kind = "chart", chart = "timeline", name = str(b.name, where .. "name: "),
                title = str(b.title, where .. "title: "), unit = str(b.unit, where .. "unit: "),
                data = {} }
  for i, d in ipairs(b.data) do
    local dw = where .. "data " .. i .. ": "
    if type(d) ~= "table" then fail(dw, "table expected") end
    local start, stop, prec = M.period(d.date)
    if not start then fail(dw .. "date: ", stop) end
    local exact = prec == "day"
    if d.date_end ~= nil then
      local s2, e2, p2 = M.period(d.date_end)
      if not s2 then fail(dw .. "date_end: ", e2) end
      if e2 < start then
        fail(dw, ("date_end '%s' is before date '%s'"):format(d.date_end, d.date))
      end
      stop, exact = e2, exact and p2 == "day"
    end
    out.data[i] = { label = str(d.label, dw .. "label: ") or "", date = d.date,
                    date_end = d.date_end, text = str(d.text, dw .. "text: "),
                    group = str(d.group, dw .. "group: "), start = start, stop = stop,
                    exact = exact }
    out.from = math.min(out.from or start, start)
    out.to = math.max(out.to or stop, stop)
  end
  return out
end

local function iso(n, unit)
  local y, m, d = M.civil(n)
  if unit == "year" then return ("%04d"):format(y) end
  if unit == "month" then return ("%04d-%02d"):format(y, m) end
  return ("%04d-%02d-%02d"):format(y, m, d)
end

-- Tick steps, finest first.
local STEPS = {
  { "day", 1 }, { "day", 2 }, { "day", 7 }, { "day", 14 },
  { "month", 1 }, { "month", 2 }, { "month", 3 }, { "month", 6 },
  { "year", 1 }, { "year", 2 }, { "year", 5 }, { "year", 10 }, { "year", 20 },
  { "year", 50 }, { "year", 100 }, { "year", 200 }, { "year", 500 }, { "year", 1000 },
}
local LABEL_COLS = { day = 10, month = 7, year = 4 }

-- Day numbers of the ticks of step in [a, b): first days of days, months
-- or years that are multiples of the step.
local function tick_days(a, b, unit, n)
  local out = {}
  if unit == "day" then
    for t = a + (n - a % n) % n, b - 1, n do out[#out + 1] = t end
    return out
  end
  local y, m, d = M.civil(a)
  if unit == "year" then
    if m ~= 1 or d ~= 1 then y = y + 1 end
    y = y + (n - y % n) % n
    while M.days(y, 1, 1) < b do
      out[#out + 1] = M.days(y, 1, 1)
      y = y + n
    end
    return out
  end
  local mi = y * 12 + m - 1
  while true do
    local t = M.days(idiv(mi, 12), mi % 12 + 1, 1)
    if t >= b then break end
    if t >= a and mi % n == 0 then out[#out + 1] = t end
    mi = mi + 1
  end
  return out
end

--- The scale of a prepared timeline chart: a function day -> fraction of
-- the axis in [0, 1] (the start of that day), and ticks { at =, label = }:
-- the finest step whose labels fit, where fits(count, label_cols) says
-- whether count labels of label_cols columns fit on the axis.
function M.scale(ch, fits)
  local a, b = ch.from or 0, (ch.to or 0) + 1
  local function f(day) return math.max(0, math.min(1, (day - a) / (b - a))) end
  for _, step in ipairs(STEPS) do
    local unit, n = step[1], step[2]
    local days = tick_days(a, b, unit, n)
    if fits(#days, LABEL_COLS[unit]) or step == STEPS[#STEPS] then
      local ticks = {}
      for i, t in ipairs(days) do ticks[i] = { at = f(t), label = iso(t, unit), day = t } end
      return f, ticks
    end
  end
end

-- What the marks mean: exact (the day or days given), then not.
M.LEGEND = { "# the day or days given", "= some time in that month or year" }

-- Without a line width (Markdown's fenced block), labels are cut at this
-- many columns: an event's label is a sentence, and the table below has it.
M.LABEL_MAX = 60

--- Draws a prepared timeline chart as text lines appended to out: a line
-- of tick labels, one line per datum (label, the axis with its mark, the
-- date as printed) and the legend.  opts.bar: axis length in columns (30).
function M.draw_text(out, ch, opts, width)
  local axis = compat.tointeger(opts.bar) or 30
  local lw, vw = 0, 0
  for _, d in ipairs(ch.data) do
    lw = math.max(lw, text.width(d.label))
    vw = math.max(vw, text.width(d.text or d.date))
  end
  lw = math.min(lw, width > 0 and math.max(8, width - axis - vw - 6) or M.LABEL_MAX)
  local f, ticks = M.scale(ch, function(count, cols) return count * (cols + 1) <= axis end)
  local head = "" -- (tick labels are ASCII: bytes are columns)
  for _, t in ipairs(ticks) do
    local col = math.floor(t.at * axis + 0.5)
    if col >= #head + (#head > 0 and 1 or 0) then
      head = head .. (" "):rep(col - #head) .. t.label
    end
  end
  if #ch.data == 0 then return end
  out[#out + 1] = (" "):rep(lw + 4) .. head
  local used = {}
  for _, d in ipairs(ch.data) do
    local c0 = math.min(axis - 1, math.floor(f(d.start) * axis + 0.5))
    local c1 = math.min(axis, math.max(c0 + 1, math.floor(f(d.stop + 1) * axis + 0.5)))
    local mark = (" "):rep(c0) .. (d.exact and "#" or "="):rep(c1 - c0)
    used[d.exact and 1 or 2] = true
    out[#out + 1] = ("  " .. text.fit(d.label, lw) .. "  " .. text.pad(mark, axis) .. "  "
                     .. (d.text or d.date)):gsub("%s+$", "")
  end
  local legend = {}
  for k = 1, 2 do legend[#legend + 1] = used[k] and M.LEGEND[k] or nil end
  out[#out + 1] = "  (" .. table.concat(legend, "; ") .. ")"
end

return M
