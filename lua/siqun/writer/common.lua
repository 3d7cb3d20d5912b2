--- siqun.writer.common: what every writer shares -- checking and
-- normalising a report document, cell text, and chart scales.
--
-- A document (see docs/reports.md):
--
--   { title = "…", subtitle = "…" (optional), report = "name" (set by
--     siqun.report.run), blocks = {
--       { kind = "heading", text = "…", level = 2 },
--       { kind = "para", text = "…" },
--       { kind = "list", items = { "…", … } },
--       { kind = "table", name = "figures", caption = "…",
--         columns = { { name = "id", title = "Id", type = "string" }, … },
--           (type: string, number, integer, boolean or list)
--         rows = { { id = "…", value = 1 }, … } },          -- or positional
--       { kind = "chart", chart = "bar", title = "…", unit = "天", log = nil,
--         data = { { label = "…", value = 3, text = "不少于3天", group = "…" } } },
--       { kind = "chart", chart = "timeline", title = "…",
--         data = { { label = "…", date = "2012-06-18", date_end = "2012-06-19",
--                    text = "6月18日至19日" } } },      -- (see siqun.writer.timeline)
--   } }
--
-- A column may also have decimals (the most decimal places text, Markdown
-- and HTML show of its numbers; CSV and JSON keep every digit) and status
-- (a cell text -> "good", "bad" or "warn": HTML shows such a cell as a
-- coloured badge that keeps the word).
--
-- prepare(doc) checks a document and returns a normalised copy: rows keyed
-- by column name, column titles and types filled in, charts' log flag
-- decided.  Errors name the block ("block 3 (table): ...").

-- (siqun.text, the display widths and number formats, and the timeline
-- charts load on first use: a JSON or CSV of records needs neither)
local text = setmetatable({}, { __index = function(t, k)
  local m = require "siqun.text"
  setmetatable(t, { __index = m })
  return m[k]
end })
local List = require "siqun.list"
local compat = require "siqun.compat"
local utf8 = compat.utf8
local ipairs = compat.ipairs -- 5.3's ipairs (through __index) on every Lua

local M = {}

M.KINDS = { heading = true, para = true, list = true, table = true, chart = true }
-- Column types: "number" is a measured value (grouped by thousands for
-- people), "integer" an identifier, offset or count (never grouped),
-- "list" an array of strings and numbers (members): JSON writes an array,
-- the other formats one string joined by LIST_SEPARATOR.
M.TYPES = { string = true, number = true, integer = true, boolean = true, list = true }
M.CHARTS = { bar = true, timeline = true }
M.STATUS = { good = true, bad = true, warn = true }

-- max/min beyond which a chart switches to a log scale.
M.LOG_RATIO = 1000

-- Errors inside prepare carry no position: prepare adds the caller's.
local function fail(where, msg)
  error(where .. msg, 0)
end

M.LIST_SEPARATOR = " · "

--- A list-valued cell (a List or array of strings and numbers, such as a
-- glossary term's members) as one string joined by LIST_SEPARATOR; any
-- other value unchanged.
function M.flatten(v)
  if type(v) ~= "table" and not List.is_list(v) then return v end -- (a userdata on 5.1)
  local parts = {}
  for i = 1, #v do
    local x = v[i]
    if type(x) ~= "string" and type(x) ~= "number" then return v end
    parts[i] = type(x) == "number" and text.number(x) or x
  end
  return table.concat(parts, M.LIST_SEPARATOR)
end

local function cell_ok(v)
  local t = type(v)
  return v == nil or t == "string" or t == "number" or t == "boolean"
end

-- A list cell (a List or an array of strings and numbers) as a plain
-- array; nil when v is not one.
local function list_cell(v)
  if type(v) ~= "table" and not List.is_list(v) then return nil end
  local out = {}
  for i = 1, #v do
    local x = v[i]
    if type(x) == "string" then
      out[i] = M.utf8_clean(x)
    elseif type(x) == "number" then
      out[i] = x
    else
      return nil
    end
  end
  return out
end

--- s with invalid UTF-8 sequences replaced by U+FFFD (s itself when valid).
function M.utf8_clean(s)
  if utf8.len(s) then return s end
  local out, pos = {}, 1
  while pos <= #s do
    local ok, bad = utf8.len(s, pos)
    if ok then
      out[#out + 1] = s:sub(pos)
      break
    end
    out[#out + 1] = s:sub(pos, bad - 1) .. "\239\191\189"
    pos = bad + 1
  end
  return table.concat(out)
end

--- s without control characters a terminal would act on (C0 but LF, DEL,
-- C1 such as U+009B CSI); a tab becomes a space.
function M.printable(s)
  s = s:gsub("\t", " "):gsub("[%z\1-\9\11-\31\127]", ""):gsub("\194[\128-\159]", "")
  return s
end

local function str(v, where)
  if v == nil then return nil end
  if type(v) == "number" then return text.number(v) end
  if type(v) ~= "string" then
    fail(where, ("string expected, got %s"):format(type(v)))
  end
  return M.utf8_clean(v)
end

local function clean_cell(v)
  if type(v) == "string" then return M.utf8_clean(v) end
  return v
end

local function decimals(v, where)
  if v == nil then return nil end
  local n = compat.tointeger(v)
  if type(v) ~= "number" or not n or n < 0 or n > 15 then
    fail(where, ("decimals: integer from 0 to 15 expected, got %s"):format(tostring(v)))
  end
  return n
end

local function status(v, where)
  if v == nil then return nil end
  if type(v) ~= "table" then
    fail(where, ("status: table expected, got %s"):format(type(v)))
  end
  local out = {}
  for k, s in compat.pairs(v) do
    if type(k) ~= "string" or not M.STATUS[s] then
      fail(where, ("status: cell text -> 'good', 'bad' or 'warn' expected, got %s -> %s")
                  :format(tostring(k), tostring(s)))
    end
    out[k] = s
  end
  return out
end

local function prepare_table(b, where)
  local cols = b.columns
  local rows = b.rows or {}
  -- (no columns: only an empty result, whose columns nobody knows)
  if type(cols) ~= "table" or (#cols == 0 and #rows > 0) then
    fail(where, "table needs a non-empty array 'columns'")
  end
  local out = { kind = "table", name = str(b.name, where .. "name: "),
                caption = str(b.caption, where .. "caption: "), columns = {}, rows = {} }
  local seen = {}
  for i, c in ipairs(cols) do
    local cw = where .. "column " .. i .. ": "
    if type(c) == "string" then c = { name = c } end
    if type(c) ~= "table" or type(c.name) ~= "string" or c.name == "" then
      fail(cw, "a column needs a string 'name'")
    end
    if seen[c.name] then fail(cw, ("duplicate column '%s'"):format(c.name)) end
    seen[c.name] = true
    local ty = c.type or "string"
    if not M.TYPES[ty] then
      fail(cw, ("unknown type '%s' (string, number, integer, boolean or list)")
               :format(tostring(ty)))
    end
    out.columns[i] = { name = c.name, title = str(c.title, cw .. "title: ") or c.name,
                       type = ty, unit = str(c.unit, cw .. "unit: "),
                       decimals = decimals(c.decimals, cw), status = status(c.status, cw) }
  end
  if type(rows) ~= "table" and type(rows) ~= "userdata" then
    fail(where, "'rows' must be an array")
  end
  for r = 1, #rows do
    local row = rows[r]
    local rw = where .. "row " .. r .. ": "
    if type(row) ~= "table" and type(row) ~= "userdata" then
      fail(rw, ("table expected, got %s"):format(type(row)))
    end
    -- Positional when it is a plain table holding none of the column names.
    local positional = type(row) == "table" and getmetatable(row) == nil
    if positional then
      for _, c in ipairs(out.columns) do
        if rawget(row, c.name) ~= nil then positional = false; break end
      end
    end
    local nr = {}
    for i, c in ipairs(out.columns) do
      local v
      if positional then v = row[i] else v = row[c.name] end
      if c.type == "list" and v ~= nil then
        local l = list_cell(v)
        if l == nil then
          fail(rw, ("column '%s': list of strings and numbers expected, got %s")
                   :format(c.name, type(v)))
        end
        v = l
      else
        v = M.flatten(v)
      end
      if not cell_ok(v) and not (c.type == "list" and type(v) == "table") then
        fail(rw, ("column '%s': unsupported cell type %s"):format(c.name, type(v)))
      end
      nr[c.name] = clean_cell(v)
    end
    out.rows[r] = nr
  end
  return out
end

local function prepare_chart(b, where)
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

--- A checked and normalised copy of doc; raises naming the faulty part.
-- level: the error level of the caller's caller (default 1 = prepare's caller).
function M.prepare(doc, level)
  level = (level or 1) + 1
  if type(doc) ~= "table" then
    error(("bad report document (table expected, got %s)"):format(type(doc)), level)
  end
  if M.prepared[doc] then return doc end
  local ok, res = pcall(function()
    local out = { title = str(doc.title, "title: ") or "", subtitle = str(doc.subtitle, "subtitle: "),
                  report = str(doc.report, "report: "), lang = str(doc.lang, "lang: "),
                  blocks = {} }
    if type(doc.blocks) ~= "table" then error("document needs an array 'blocks'", 0) end
    for i, b in ipairs(doc.blocks) do
      local where = "block " .. i
      if type(b) ~= "table" then error(where .. ": table expected", 0) end
      if not M.KINDS[b.kind] then
        error(("%s: unknown kind '%s' (heading, para, list, table or chart)")
              :format(where, tostring(b.kind)), 0)
      end
      where = where .. " (" .. b.kind .. "): "
      local nb
      if b.kind == "heading" then
        nb = { kind = "heading", text = str(b.text, where) or "",
               level = compat.tointeger(b.level) or 2 }
        if nb.level < 1 or nb.level > 6 then nb.level = 2 end
      elseif b.kind == "para" then
        nb = { kind = "para", text = str(b.text, where) or "" }
      elseif b.kind == "list" then
        if type(b.items) ~= "table" and not List.is_list(b.items) then
          error(where .. "list needs an array 'items'", 0)
        end
        nb = { kind = "list", items = {} }
        for k, it in ipairs(b.items) do nb.items[k] = str(it, where .. "item " .. k .. ": ") end
      elseif b.kind == "table" then
        nb = prepare_table(b, where)
      else
        nb = prepare_chart(b, where)
      end
      out.blocks[i] = nb
    end
    return out
  end)
  if not ok then
    error("bad report document: " .. tostring(res):gsub("^[^:]*:%d+: ", ""), level)
  end
  M.prepared[res] = true
  return res
end

-- Documents prepare returned (weak), so writers do not redo the work.
M.prepared = setmetatable({}, { __mode = "k" })

--- The tables of a prepared doc, in order.
function M.tables(doc)
  local out = {}
  for _, b in ipairs(doc.blocks) do
    if b.kind == "table" then out[#out + 1] = b end
  end
  return out
end

--- The table of a prepared doc chosen by which: nil (the first), a 1-based
-- index or a table name.  Returns the table, or nil and a message.
function M.select_table(doc, which)
  local tables = M.tables(doc)
  if #tables == 0 then return nil, "the report has no table" end
  if which == nil then return tables[1] end
  local i = compat.tointeger(tonumber(which))
  if i then
    if tables[i] then return tables[i] end
    return nil, ("no table %d (the report has %d)"):format(i, #tables)
  end
  local names = {}
  for _, t in ipairs(tables) do
    if t.name == which then return t end
    names[#names + 1] = t.name or "?"
  end
  return nil, ("no table named '%s' (tables: %s)"):format(tostring(which), table.concat(names, ", "))
end

--- The text of a cell of column col for human-facing formats: numbers in
-- full, grouped by thousands (opts.group, "," by default; "" for none)
-- when they are measured values (col.type "number", or no col: a chart's
-- value) and never for identifiers, offsets and counts ("integer"), or
-- rounded to the column's decimals (trailing zeros dropped); booleans as
-- yes/no; a list joined by LIST_SEPARATOR; nil as "".
function M.cell_text(v, opts, col)
  if v == nil then return "" end
  if type(v) == "number" then
    local group = ""
    if col == nil or col.type == "number" then
      group = opts and opts.group
      if group == nil then group = "," end
    end
    if col and col.decimals and v == v and v ~= math.huge and v ~= -math.huge then
      v = tonumber(("%." .. col.decimals .. "f"):format(v))
      if v == 0 then v = 0 end -- (no "-0")
    end
    return text.number(v, group)
  end
  if type(v) == "boolean" then return v and "yes" or "no" end
  if type(v) == "table" then return M.flatten(v) end
  return v
end

--- A number as the shortest text that reads back as the same number:
-- integers (and integral floats below 2^53) in full, other floats with 15
-- to 17 significant digits; nil for NaN and infinities.
function M.exact(v)
  if v ~= v or v == math.huge or v == -math.huge then return nil end
  local i = compat.tointeger(v)
  if i and (compat.math_type(v) == "integer" or math.abs(i) < 2 ^ 53) then
    return string.format("%d", i)
  end
  for digits = 15, 17 do
    local s = string.format("%." .. digits .. "g", v)
    if tonumber(s) == v then return s end
  end
  return string.format("%.17g", v)
end

--- True when column c is right-aligned (numbers).
function M.numeric(c)
  return c.type == "number" or c.type == "integer"
end

--- The value shown beside a chart bar: its text, else the number.
function M.bar_text(d, opts)
  if d.text then return d.text end
  if d.value == nil then return "-" end
  return M.cell_text(d.value, opts)
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
