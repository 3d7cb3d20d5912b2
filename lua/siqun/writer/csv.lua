--- siqun.writer.csv: one table of a report document as CSV (RFC 4180:
-- CRLF line ends, a header row of column names, fields holding a comma,
-- quote, CR or LF quoted, quotes doubled).
--
-- CSV holds one table, so a report with several tables writes its first
-- (main) table, or the one opts.table names (its name, or a 1-based
-- index); an unknown opts.table gives nil and a message listing the
-- tables.
--
-- Spreadsheet formula injection: a text cell starting with = + - @, a tab
-- or a CR gets a leading ' so that no spreadsheet evaluates it.  Number
-- cells are written as plain numbers (full digits, no grouping), booleans
-- as true/false, nil as an empty field.
--
-- opts.bom: start with a UTF-8 byte order mark (for Excel).

local cells = require "siqun.writer.cells"
local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs (through __index) on every Lua

local M = { name = "csv", extension = "csv", mediatype = "text/csv; charset=utf-8; header=present" }

--- A text cell as a CSV field, neutralised and quoted when needed.
function M.field(s)
  if s:find("^[=+%-@\t\r]") then s = "'" .. s end
  if s:find('[",\r\n]') then s = '"' .. s:gsub('"', '""') .. '"' end
  return s
end

local function value(v)
  if v == nil then return "" end
  if type(v) == "number" then
    return cells.exact(v) or ""
  end
  if type(v) == "boolean" then return v and "true" or "false" end
  if type(v) == "table" then return M.field(cells.flatten(v)) end -- a list
  return M.field(v)
end

-- The header line of columns, in lines[1].
local function header(columns, lines)
  local head = {}
  for c, col in ipairs(columns) do head[c] = M.field(col.name) end
  lines[1] = table.concat(head, ",")
  return lines
end

-- A line of vals[1..n], fields (a table reused).
local function line(vals, n, fields)
  for c = 1, n do fields[c] = value(vals[c]) end
  return table.concat(fields, ",", 1, n)
end

local function text(lines, opts)
  return (opts.bom and "\239\187\191" or "") .. table.concat(lines, "\r\n") .. "\r\n"
end

--- The chosen table of doc as CSV; nil and a message when opts.table
-- names no table of it or the document has none.
function M.write(doc, opts)
  local common = require "siqun.writer.common"
  doc = common.prepare(doc, 2)
  opts = opts or {}
  local t, err = common.select_table(doc, opts.table)
  if not t then return nil, err end
  local lines, vals, fields, n = header(t.columns, {}), {}, {}, #t.columns
  for r, row in ipairs(t.rows) do
    for c, col in ipairs(t.columns) do vals[c] = row[col.name] end
    lines[r + 1] = line(vals, n, fields)
  end
  return text(lines, opts)
end

--- The records or rows of list (a List or array) as write gives the
-- document siqun.output.list_doc makes of them with the columns cols,
-- reading each row once (siqun.output's CSV of a List; opts.header =
-- false leaves the header out); raises as that
-- document's preparation would (siqun.writer.cells.list_columns,
-- row_cells).
function M.list(list, cols, opts)
  local nrows = #list
  local columns = cells.list_columns(cols, nrows, 2)
  opts = opts or {}
  -- (opts.header == false: the rows alone, to follow a part with it)
  local lines = opts.header == false and {} or header(columns, {})
  local vals, fields, n, first = {}, {}, #columns, #lines
  local row_cells, where = cells.row_cells, cells.LIST_WHERE
  for r = 1, nrows do
    cells.checked(2, row_cells, list[r], columns, r, where, vals)
    lines[first + r] = line(vals, n, fields)
  end
  if #lines == 0 then return "" end
  return text(lines, opts)
end

return M
