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
-- decided.  Errors name the block ("block 3 (table): ...").  The rules of
-- a table's columns, rows and cells are siqun.writer.cells' (its names are
-- this module's too: TYPES, flatten, utf8_clean, exact ...).

-- (the charts load on first use: a JSON or CSV of records needs none)
local lazy = require "siqun.lazy"
local List = require "siqun.list"
local compat = require "siqun.compat"
local cells = require "siqun.writer.cells"
local ipairs = compat.ipairs -- 5.3's ipairs (through __index) on every Lua
local str, fail = cells.str, cells.fail

local M = {}

M.KINDS = { heading = true, para = true, list = true, table = true, chart = true }
for _, k in ipairs({ "TYPES", "STATUS", "LIST_SEPARATOR", "LIST_WHERE", "flatten", "utf8_clean",
                     "exact", "table_columns", "row_cells", "checked", "list_columns", "cell_text" }) do
  M[k] = cells[k]
end

-- The charts' part (siqun.writer.chart: preparing a chart block, scales,
-- ticks, labels) is loaded by the first document that has a chart; its
-- names read through this module too.
local CHART = "siqun.writer.chart"
lazy.fields(M, { CHARTS = CHART, LOG_RATIO = CHART, bar_text = CHART, scale = CHART,
                 pow10 = CHART, chart_note = CHART })

--- s without control characters a terminal would act on (C0 but LF, DEL,
-- C1 such as U+009B CSI); a tab becomes a space.
function M.printable(s)
  s = s:gsub("\t", " "):gsub("[%z\1-\9\11-\31\127]", ""):gsub("\194[\128-\159]", "")
  return s
end

local function prepare_table(b, where)
  local cols = b.columns
  local rows = b.rows or {}
  cells.check_columns(cols, #rows, where)
  local out = { kind = "table", name = str(b.name, where .. "name: "),
                caption = str(b.caption, where .. "caption: "), rows = {} }
  out.columns = M.table_columns(cols, where)
  if type(rows) ~= "table" and type(rows) ~= "userdata" then
    fail(where, "'rows' must be an array")
  end
  for r = 1, #rows do
    out.rows[r] = M.row_cells(rows[r], out.columns, r, where, {}, true)
  end
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
  local res = M.checked(level, function()
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
        nb = require("siqun.writer.chart").prepare(b, where, str, fail)
      end
      out.blocks[i] = nb
    end
    return out
  end)
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

--- True when column c is right-aligned (numbers).
function M.numeric(c)
  return c.type == "number" or c.type == "integer"
end

return M
