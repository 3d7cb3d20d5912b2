--- siqun.writer.cells: the rules of a table block's columns, rows and
-- cells (see siqun.writer.common for the document): which column types
-- there are, a column checked and filled in, a row's cells checked and
-- normalised (invalid UTF-8 replaced, lists as arrays or joined), numbers
-- as exact text.  siqun.writer.common's prepare uses them for every table
-- of a document; the JSON, NDJSON and CSV writers use them alone for a
-- List written without a document (siqun.output), so that they load no
-- more than this.  Errors carry no position: the caller adds its own
-- (checked, common.prepare).

-- (siqun.text, the number formats, loads on first use: a JSON or CSV of
-- records needs it only for a list cell of numbers)
local text = require("siqun.lazy").module "siqun.text"
local List = require "siqun.list"
local compat = require "siqun.compat"
local utf8 = compat.utf8
local ipairs, pairs = compat.ipairs, compat.pairs -- 5.3's ipairs, 5.2's pairs, on every Lua
local math_type = compat.math_type

local M = {}

-- Column types: "number" is a measured value (grouped by thousands for
-- people), "integer" an identifier, offset or count (never grouped),
-- "list" an array of strings and numbers (members): JSON writes an array,
-- the other formats one string joined by LIST_SEPARATOR.
M.TYPES = { string = true, number = true, integer = true, boolean = true, list = true }
M.STATUS = { good = true, bad = true, warn = true }

--- Raises where .. msg, without a position (prepare and checked add one).
function M.fail(where, msg)
  error(where .. msg, 0)
end
local fail = M.fail

M.LIST_SEPARATOR = " · "

--- A list-valued cell (a List or array of strings and numbers, such as a
-- glossary term's members) as one string joined by LIST_SEPARATOR; any
-- other value unchanged.
function M.flatten(v)
  local is_list = List.is_list(v)
  if type(v) ~= "table" and not is_list then return v end -- (a userdata on 5.1)
  if not is_list then -- a plain array only: an object or a table with keys is no list
    if getmetatable(v) ~= nil then return v end
    local n = #v
    for k in pairs(v) do
      if math_type(k) ~= "integer" or k < 1 or k > n then return v end
    end
  end
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

--- A text field of a document (a title, a caption, a label): nil, a
-- number as text, or the string with invalid UTF-8 replaced; raises
-- (fail) naming where for any other value.
function M.str(v, where)
  if v == nil then return nil end
  if type(v) == "number" then return text.number(v) end
  if type(v) ~= "string" then
    fail(where, ("string expected, got %s"):format(type(v)))
  end
  return M.utf8_clean(v)
end
local str = M.str

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

-- "block 1 (table): row 3: ", for a message about a row.
local function row_where(where, r)
  return where .. "row " .. r .. ": "
end

-- A cell that is not a plain string, number or boolean for its column
-- (a list, a List, a value of another type), normalised as cells are;
-- raises naming it.
local function other_cell(v, c, where, r)
  if c.type == "list" and v ~= nil then
    local l = list_cell(v)
    if l == nil then
      fail(row_where(where, r), ("column '%s': list of strings and numbers expected, got %s")
                                :format(c.name, type(v)))
    end
    v = l
  else
    v = M.flatten(v)
  end
  if not cell_ok(v) and not (c.type == "list" and type(v) == "table") then
    local what = type(v)
    if List.is_list(v) or type(v) == "table" then -- (a List of records: a group's items)
      what = "table (a cell is a string, number, boolean or a list of strings and numbers)"
    end
    fail(row_where(where, r), ("column '%s': unsupported cell type %s"):format(c.name, what))
  end
  return clean_cell(v)
end

-- "block 1 (table): column 3: ", for a message about a column.
local function column_where(where, i)
  return where .. "column " .. i .. ": "
end

--- The columns of a table block (an array: names, or { name =, title =,
-- type =, unit =, decimals =, status = }) checked and filled in: an array
-- of { name, title, type, unit, decimals, status }.  Raises naming the
-- column (where: "block 1 (table): "); the caller has checked that cols
-- is a table (see list_columns).
function M.table_columns(cols, where)
  local out, seen = {}, {}
  for i, c in ipairs(cols) do
    if type(c) == "string" then c = { name = c } end
    local name = type(c) == "table" and c.name
    if type(name) ~= "string" or name == "" then
      fail(column_where(where, i), "a column needs a string 'name'")
    end
    if seen[name] then fail(column_where(where, i), ("duplicate column '%s'"):format(name)) end
    seen[name] = true
    local ty = c.type or "string"
    if not M.TYPES[ty] then
      fail(column_where(where, i), ("unknown type '%s' (string, number, integer, boolean or list)")
                                   :format(tostring(ty)))
    end
    -- (the messages' prefixes made only for a field that is there)
    local title, unit, dec, st = c.title, c.unit, c.decimals, c.status
    out[i] = { name = name, type = ty,
               title = title ~= nil and str(title, column_where(where, i) .. "title: ") or name,
               unit = unit ~= nil and str(unit, column_where(where, i) .. "unit: ") or nil,
               decimals = dec ~= nil and decimals(dec, column_where(where, i)) or nil,
               status = st ~= nil and status(st, column_where(where, i)) or nil }
  end
  return out
end

--- The cells of row r (a record, query row or table) of a table block
-- with the checked columns, checked and normalised: out[i] the cell of
-- column i (out[name] when by_name), nil where empty; returns out.  A row
-- is read by column name, or by position when it is a plain table holding
-- none of the names.  A string cell gets invalid UTF-8 replaced (left as
-- it is when raw: the caller cleans it, utf8_clean), a list column's cell
-- becomes a plain array, a List elsewhere one string (flatten); raises
-- naming the row and column (where as for table_columns).
function M.row_cells(row, columns, r, where, out, by_name, raw)
  if type(row) ~= "table" and type(row) ~= "userdata" then
    fail(row_where(where, r), ("table expected, got %s"):format(type(row)))
  end
  -- Positional when it is a plain table holding none of the column names.
  local positional = type(row) == "table" and getmetatable(row) == nil
  if positional then
    for _, c in ipairs(columns) do
      if rawget(row, c.name) ~= nil then positional = false; break end
    end
  end
  for i = 1, #columns do
    local c = columns[i]
    local v
    if positional then v = row[i] else v = row[c.name] end
    local tv = type(v)
    -- (the usual cells first: what other_cell would make of them)
    if tv == "string" and c.type ~= "list" then
      if not raw then v = M.utf8_clean(v) end
    elseif not (v == nil or (tv == "number" or tv == "boolean") and c.type ~= "list") then
      v = other_cell(v, c, where, r)
    end
    if by_name then out[c.name] = v else out[i] = v end
  end
  return out
end

--- fn(...) run as prepare runs its checks: an error in it is raised as
-- "bad report document: " and its message, at level (1: the function
-- calling checked).
function M.checked(level, fn, ...)
  local ok, res = pcall(fn, ...)
  if not ok then
    error("bad report document: " .. tostring(res):gsub("^[^:]*:%d+: ", ""), level + 1)
  end
  return res
end

--- Raises unless cols, the columns of a table block of nrows rows, is a
-- table with some (no columns: only an empty result, whose columns nobody
-- knows).
function M.check_columns(cols, nrows, where)
  if type(cols) ~= "table" or (#cols == 0 and nrows > 0) then
    fail(where, "table needs a non-empty array 'columns'")
  end
end

--- For a writer of one table that reads a List's rows itself (siqun.output
-- writes JSON, NDJSON and CSV so, without a document): the columns for
-- nrows rows (as siqun.output.list_doc gives them) checked and filled in
-- as prepare does the table of that document; raises as prepare, at level
-- (1: the caller).  Each row then goes through row_cells(row, columns, r,
-- LIST_WHERE, out) under checked.
M.LIST_WHERE = "block 1 (table): "
function M.list_columns(cols, nrows, level)
  return M.checked(level + 1, function()
    M.check_columns(cols, nrows, M.LIST_WHERE)
    return M.table_columns(cols, M.LIST_WHERE)
  end)
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

return M
