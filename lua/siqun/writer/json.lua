--- siqun.writer.json: a report document as JSON (RFC 8259), and a List's
-- records or rows as a JSON array (list, records) or NDJSON lines.  The
-- layout of nested values is siqun.writer.json_doc's, loaded for a
-- document (and a row holding a list).
--
--   { "report": "figures", "title": "…", "blocks": [
--       { "kind": "table", "name": "figures", "caption": "…",
--         "columns": [ { "name": "id", "title": "id", "type": "string" }, … ],
--         "rows": [ { "id": "study_books", "value": 542900, … }, … ] },
--       { "kind": "chart", "chart": "bar", "title": "…", "log": true,
--         "data": [ { "label": "…", "value": 542900, "text": "54.29万本" } ] },
--       { "kind": "chart", "chart": "timeline", "title": "…",
--         "data": [ { "label": "…", "date": "2012-06-18", "date_end": "2012-06-19",
--                     "text": "6月18日至19日" } ] } ] }
--
-- Keys come in a fixed order (a row's in column order); every row has
-- every column (null where empty); empty arrays stay []; integers are
-- written in full (3550000000, never 3.55e+09), other numbers with the
-- fewest digits that read back exactly; NaN and infinities become null.
--
-- opts.indent: spaces per level (2); 0 or false for one line.  Containers
-- holding only scalars (a row, a column) stay on one line.

local cells = require "siqun.writer.cells"
local compat = require "siqun.compat"
local math_type = compat.math_type
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua

local M = { name = "json", extension = "json", mediatype = "application/json" }

local value = require "siqun.writer.json_value"
M.null, M.string, M.scalar = value.null, value.string, value.scalar
local quote = value.quote
local utf8_len = compat.utf8.len
local concat = table.concat

-- What escape changes, each a plain string for find: C0 controls, DEL,
-- quote, backslash, U+2028 and U+2029 (%c is the controls in the C locale).
local SPECIAL = { '"', "\\", "\127", "\226\128\168", "\226\128\169" }
for b = 0, 31 do SPECIAL[#SPECIAL + 1] = string.char(b) end

-- True when every string of strs[1..n] is valid UTF-8 holding nothing
-- escape would change: what holds for nearly every text, told by a few C
-- calls over them all joined (by a space, so that no string's bytes
-- complete another's) -- plain finds are memchr -- instead of a pattern
-- run over each string, which costs about a hundred times more a byte.
local function plain(strs, n)
  if n == 0 then return true end
  local all = concat(strs, " ", 1, n)
  if not utf8_len(all) then return false end
  for i = 1, #SPECIAL do
    if all:find(SPECIAL[i], 1, true) then return false end
  end
  return true
end

local scalar = M.scalar

-- A row as the text of one object: vals[k] the value of column k of cols
-- (a prepared row's: strings valid UTF-8, lists plain arrays), keys[k] its
-- quoted name and colon.  On one line when it holds only scalars (what
-- nearly every row is, written here without building an object), else as
-- the encoder lays it out at depth 1 (a list cell on a line of its own).
local function row_text(cols, keys, vals, indent)
  local parts = {}
  for k = 1, #cols do
    local v = vals[k]
    local tv = type(v)
    if tv == "string" then
      parts[k] = keys[k] .. quote(v)
    elseif tv == "number" and math_type(v) == "integer" then -- (most numbers)
      parts[k] = keys[k] .. string.format("%d", v)
    elseif tv == "table" then -- a list: the general encoder
      return require("siqun.writer.json_doc").row(cols, vals, indent)
    else
      parts[k] = keys[k] .. scalar(v)
    end
  end
  return "{" .. table.concat(parts, indent == 0 and "," or ", ") .. "}"
end

-- The quoted names of cols, each with its colon (sep).
local function keys_of(cols, sep)
  local keys = {}
  for k, c in ipairs(cols) do keys[k] = M.string(c.name) .. sep end
  return keys
end

function M.indent_of(opts)
  local indent = opts and opts.indent
  if indent == nil then indent = 2 end
  return compat.tointeger(indent) or 0
end

-- The records' texts as a JSON array.
local function array_text(lines, n, indent)
  if n == 0 then return "[]\n" end
  if indent == 0 then return "[" .. table.concat(lines, ",") .. "]\n" end
  local pad = (" "):rep(indent)
  return "[\n" .. pad .. table.concat(lines, ",\n" .. pad) .. "\n]\n"
end

-- The values of a prepared row in column order, into vals.
local function row_vals(cols, row, vals)
  for k, c in ipairs(cols) do vals[k] = row[c.name] end
  return vals
end

--- The rows of t, a table of a prepared document, as a JSON array of
-- records (the form jq, Miller and sqlite3 read): keys in column order,
-- numbers as numbers, nil as null, lists as arrays.  opts.indent as for
-- write (a record holding only scalars stays on one line).
function M.records(t, opts)
  local indent = M.indent_of(opts)
  local cols = t.columns
  local keys, vals, lines, n = keys_of(cols, indent == 0 and ":" or ": "), {}, {}, #t.rows
  for r = 1, n do lines[r] = row_text(cols, keys, row_vals(cols, t.rows[r], vals), indent) end
  return array_text(lines, n, indent)
end

--- The rows of t as newline-delimited JSON: one record per line (nothing
-- at all for no rows).
function M.lines(t)
  local cols, vals, out = t.columns, {}, {}
  local keys = keys_of(cols, ":")
  for r, row in ipairs(t.rows) do out[r] = row_text(cols, keys, row_vals(cols, row, vals), 0) .. "\n" end
  return table.concat(out)
end

-- An integer (math_type) as JSON: in full.  Where integers are a type of
-- their own, table.concat writes them so (LUA_INTEGER_FMT); else a float
-- would come out as %.14g.
local integer_text = compat.integers and function(v) return v end
                     or function(v) return string.format("%d", v) end

-- The usual list, in one table.concat, or nil when a cell needs a second
-- look (a list cell, or a string or name that is not plain UTF-8 with
-- nothing to escape: plain checks them all at once at the end).  Each
-- cell is two pieces: what comes before its value -- the closing quote of
-- a string before it, the separator, its key, the opening quote of a
-- string -- and the value.
local function fast_list(list, n, columns, indent, ndjson, fragment)
  local nc = #columns
  local colon, sep = indent == 0 and ":" or ": ", indent == 0 and "," or ", "
  local strs, ns = {}, 0
  -- before[k][v]: v = 1 + (a string before: 2) + (a string here: 1)
  local before = {}
  for k, c in ipairs(columns) do
    ns = ns + 1
    strs[ns] = c.name
    local key = (k == 1 and "{" or sep) .. '"' .. c.name .. '"' .. colon
    before[k] = { key, key .. '"', '"' .. key, '"' .. key .. '"' }
  end
  local between, last = ",", "]\n"
  if ndjson then
    between, last = "\n", "\n"
  elseif indent ~= 0 then
    local pad = (" "):rep(indent)
    between, last = ",\n" .. pad, "\n]\n"
  end
  if fragment then last = "" end
  local out, m = { (ndjson or fragment) and "" or indent == 0 and "[" or "[\n" .. (" "):rep(indent) }, 1
  local vals = {}
  local row_cells, checked, where = cells.row_cells, cells.checked, cells.LIST_WHERE
  for r = 1, n do
    checked(3, row_cells, list[r], columns, r, where, vals, false, true)
    local was = 0 -- (2 after a string)
    for k = 1, nc do
      local v = vals[k]
      local tv = type(v)
      local piece
      if tv == "string" then
        ns = ns + 1
        strs[ns] = v
        out[m + 1] = before[k][was + 2]
        was = 2
        piece = v
      else
        out[m + 1] = before[k][was + 1]
        was = 0
        if tv == "number" and math_type(v) == "integer" then
          piece = integer_text(v)
        elseif tv == "table" then
          return nil
        else
          piece = scalar(v)
        end
      end
      out[m + 2] = piece
      m = m + 2
    end
    m = m + 1
    out[m] = (was == 2 and '"}' or "}") .. (r < n and between or last)
  end
  if not plain(strs, ns) then return nil end
  return concat(out)
end

--- The records or rows of list (a List or array) as records gives them
-- (ndjson: as lines does; opts.fragment: the records alone, joined by
-- between(indent), without the array's brackets) for the document
-- siqun.output.list_doc makes of
-- list with the columns cols ({ name =, type = }), reading each row once
-- (siqun.output's JSON of a List); raises as that document's preparation
-- would (siqun.writer.cells.list_columns, row_cells).
function M.list(list, cols, opts, ndjson)
  local n = #list
  local columns = cells.list_columns(cols, n, 2)
  local indent = ndjson and 0 or M.indent_of(opts)
  local fragment = not ndjson and opts and opts.fragment
  if n == 0 then return (ndjson or fragment) and "" or "[]\n" end
  local text = fast_list(list, n, columns, indent, ndjson, fragment)
  if text then return text end
  -- each row made as records makes a prepared row (the strings cleaned)
  local keys, vals, lines = keys_of(columns, indent == 0 and ":" or ": "), {}, {}
  local row_cells, checked, where = cells.row_cells, cells.checked, cells.LIST_WHERE
  for r = 1, n do
    checked(2, row_cells, list[r], columns, r, where, vals)
    lines[r] = row_text(columns, keys, vals, indent)
  end
  if ndjson then return concat(lines, "\n") .. "\n" end
  if fragment then return concat(lines, M.between(indent)) end
  return array_text(lines, n, indent)
end

--- What separates two records of an array at indent (",", or ",\n" and
-- the indent): siqun.output's stream puts it between fragments.
function M.between(indent)
  if indent == 0 then return "," end
  return ",\n" .. (" "):rep(indent)
end

--- The text that opens and the text that closes a non-empty array of
-- records at indent (an empty one is "[]\n").
function M.brackets(indent)
  if indent == 0 then return "[", "]\n" end
  return "[\n" .. (" "):rep(indent), "\n]\n"
end

--- The document as a JSON text (final newline): siqun.writer.json_doc.
function M.write(doc, opts)
  local text = require("siqun.writer.json_doc").write(doc, opts) -- (its errors name our caller)
  return text
end

--- Encodes plain Lua data (for writers of your own): tables with keys
-- 1..n are arrays, other tables objects with sorted keys
-- (siqun.writer.json_doc).
function M.encode(v, opts)
  return require("siqun.writer.json_doc").encode(v, opts)
end

return M
