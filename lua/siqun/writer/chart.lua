--- siqun.writer.chart: the charts of a report document -- a bar chart
-- block checked and normalised (siqun.writer.common.prepare hands chart
-- blocks here; a timeline goes on to siqun.writer.timeline), and the
-- scales, ticks and labels the text, HTML and SVG writers draw with.
-- Loaded only for a document that has a chart.

local text = require("siqun.lazy").module "siqun.text"
local List = require "siqun.list"
local cells = require "siqun.writer.cells"
local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs (through __index) on every Lua

local M = {}

M.CHARTS = { bar = true, timeline = true }

-- max/min beyond which a chart switches to a log scale.
M.LOG_RATIO = 1000

--- A checked and normalised chart block b (common.prepare's part for
-- charts): str checks and cleans a text field, fail raises naming where.
function M.prepare(b, where, str, fail)
  if b.chart ~= nil and not M.CHARTS[b.chart] then
    fail(where, ("unknown chart '%s' (bar or timeline)"):format(tostring(b.chart)))
  end
  if type(b.data) ~= "table" and not List.is_list(b.data) then
    fail(where, "chart needs an array 'data'")
  end
  if b.chart == "timeline" then
    return require("siqun.writer.timeline").prepare(b, where, str, fail)
  end
  local out = { kind = "chart", chart = "bar", name = str(b.name, where .. "name: "),
                title = str(b.title, where .. "title: "),
                unit = str(b.unit, where .. "unit: "), data = {} }
  local lo, hi
  for i, d in ipairs(b.data) do
    local dw = where .. "data " .. i .. ": "
    if type(d) ~= "table" then fail(dw, "table expected") end
    if d.value ~= nil and type(d.value) ~= "number" then
      fail(dw, ("value: number expected, got %s"):format(type(d.value)))
    end
    local v = d.value
    if v ~= nil and v ~= v then v = nil end -- NaN: no bar
    out.data[i] = { label = str(d.label, dw .. "label: ") or "", value = v,
                    text = str(d.text, dw .. "text: "), group = str(d.group, dw .. "group: ") }
    if v and v > 0 and v < math.huge then
      lo = (lo == nil or v < lo) and v or lo
      hi = (hi == nil or v > hi) and v or hi
    end
  end
  if b.log == nil then
    out.log = lo ~= nil and hi / lo > M.LOG_RATIO
  else
    out.log = not not b.log
  end
  out.min, out.max = lo, hi
  return out
end

--- The value shown beside a chart bar: its text, else the number.
function M.bar_text(d, opts)
  if d.text then return d.text end
  if d.value == nil then return "-" end
  return cells.cell_text(d.value, opts)
end

--- Scale of a prepared chart: returns a function v -> fraction in [0, 1]
-- and an array of ticks { value =, label =, at = fraction }.
function M.scale(chart)
  local lo, hi = chart.min, chart.max
  if chart.log and lo then
    local a = math.floor(math.log(lo, 10) + 1e-9)
    local b = math.ceil(math.log(hi, 10) - 1e-9)
    if b <= a then b = a + 1 end
    local function f(v)
      if v == nil or v <= 0 then return 0 end
      local x = (math.log(v, 10) - a) / (b - a)
      return math.max(0, math.min(1, x))
    end
    local ticks = {}
    for k = a, b do
      ticks[#ticks + 1] = { value = 10.0 ^ k, label = M.pow10(k), at = (k - a) / (b - a) }
    end
    return f, ticks
  end
  local top = hi or 1
  local function f(v)
    if v == nil or v <= 0 then return 0 end
    return math.min(1, v / top)
  end
  return f, { { value = 0, label = "0", at = 0 },
              { value = top, label = text.number(top, ","), at = 1 } }
end

local SUP = { ["0"] = "⁰", ["1"] = "¹", ["2"] = "²", ["3"] = "³", ["4"] = "⁴", ["5"] = "⁵",
              ["6"] = "⁶", ["7"] = "⁷", ["8"] = "⁸", ["9"] = "⁹", ["-"] = "⁻" }

--- 10^k as a label: 1, 10, 100, then 10³, 10⁴ ... (10⁻¹ below 1).
function M.pow10(k)
  if k >= 0 and k <= 2 then return text.number(compat.tointeger(10 ^ k), ",") end
  return "10" .. tostring(k):gsub(".", SUP)
end

--- A short description of a chart's scale ("log scale", "天").
function M.chart_note(chart)
  local parts = {}
  if chart.unit and chart.unit ~= "" then parts[#parts + 1] = "unit: " .. chart.unit end
  if chart.log then parts[#parts + 1] = "log scale" end
  return table.concat(parts, "; ")
end

return M
