--- siqun.output: any List, query result or report document in any format,
-- as a string, to an open file or to a path (siqun.write and
-- siqun.columns; the command line uses nothing else).
--
--   local siqun = require "siqun"
--   local art = siqun.open()
--   local rows = art:query("figures where unit = '元' select id, value")
--   siqun.write(rows, "json")                      --> '[\n  {"id": ..., "value": ...}, ...'
--   siqun.write(rows, "csv", { output = "money.csv" })   --> true (or nil, message)
--   siqun.write(art.quotas, nil, { output = "quotas.md" }) -- the format from the name
--   siqun.columns(rows)                            --> List { "id", "value" }
--
-- A List or an array (records, query rows or plain tables) is written as
-- one table: JSON as an array of records, NDJSON one record per line, CSV
-- with a header (only the header for no rows), text, Markdown and HTML as
-- a table ("(no rows)" when empty), SQLite as a database holding one table
-- named opts.name ("result").  A report document (a table with `blocks`,
-- see siqun.report) is written as its writer writes it.

local compat = require "siqun.compat"
local List = require "siqun.list"

local M = {}

local check = require "siqun.check"
local argerror, optional = check.arg, check.optional

local function is_doc(x)
  return type(x) == "table" and not List.is_list(x) and rawget(x, "blocks") ~= nil
end

local function is_stream(x)
  return io.type(x) == "file"
end

--- The column names of a List or array of records or rows, as a List (in
-- select order for a query's rows, schema order for records); nil when
-- nothing tells (an empty plain array).
function M.columns(x)
  if type(x) ~= "table" and not List.is_list(x) then
    argerror(1, "columns", "siqun.List or table expected, got " .. type(x))
  end
  local f = require("siqun.fields").of_list(x)
  if not f then return nil end
  return List.new(f.names)
end

-- A List or array of plain values (strings, numbers, booleans: a term's
-- members, a map's result) as rows { value = v }; anything else as it is.
local function as_rows(list)
  local first = list[1]
  local t = type(first)
  if t ~= "string" and t ~= "number" and t ~= "boolean" then return list end
  local rows = {}
  for i = 1, #list do rows[i] = { value = list[i] } end
  return rows
end
M.as_rows = as_rows

-- Raises (argument #n of fname, at level) unless columns (names, or
-- { name =, type = }) names each column once.
local function check_columns(columns, n, fname, level)
  local seen = {}
  for i = 1, #columns do
    local c = columns[i]
    local name = type(c) == "table" and c.name or c
    if type(name) ~= "string" or name == "" then
      argerror(n, fname, ("columns[%d]: a column name expected, got %s"):format(i, type(name)),
               level + 1)
    end
    if seen[name] then
      argerror(n, fname, ("columns: '%s' named twice"):format(name), level + 1)
    end
    seen[name] = true
  end
end

-- list_doc's arguments checked (errors at level: 1 = the caller) and the
-- columns it gives: { { name =, type = }, ... } (see list_doc).
local function doc_columns(list, title, columns, art, level)
  level = level + 1
  if type(list) ~= "table" and not List.is_list(list) then
    argerror(1, "list_doc", "siqun.List or table expected, got " .. type(list), level)
  end
  if title ~= nil and type(title) ~= "string" then
    argerror(2, "list_doc", "string expected, got " .. type(title), level)
  end
  if columns ~= nil and type(columns) ~= "table" and not List.is_list(columns) then
    argerror(3, "list_doc", "table expected, got " .. type(columns), level)
  end
  if art ~= nil and not require("siqun.article").is_article(art) then
    argerror(4, "list_doc", "siqun.Article expected, got " .. type(art), level)
  end
  if columns ~= nil then check_columns(columns, 3, "list_doc", level) end
  local fields = require "siqun.fields"
  local known = fields.of_list(list) or { names = {}, types = {} }
  local cols = {}
  if columns then
    local type_of = {}
    for i, n in ipairs(known.names) do type_of[n] = known.types[i] end
    for i = 1, #columns do
      local n, ty = columns[i], nil
      if type(n) == "table" then n, ty = n.name, n.type end
      ty = ty or type_of[n]
      if not ty then
        local vals = {}
        for r = 1, #list do
          local ok, v = pcall(function() return list[r][n] end)
          vals[r] = ok and v or nil
        end
        ty = fields.infer(vals, #list)
      end
      cols[i] = { name = n, type = ty }
    end
  else
    for i, n in ipairs(known.names) do cols[i] = { name = n, type = known.types[i] } end
  end
  return cols
end

--- A document with one table holding the records or query rows of list
-- (a List or an array): the columns are the given names, or the query's
-- columns (known even when it found nothing), or the records' fields in
-- schema order, or the sorted keys of plain tables (siqun.fields); each
-- column has its type, so JSON keeps numbers and lists.  art is accepted
-- for compatibility (the records know their table).
function M.list_doc(list, title, columns, art)
  local cols = doc_columns(list, title, columns, art, 2)
  list = as_rows(list)
  local rows = {}
  for i = 1, #list do rows[i] = list[i] end
  return { title = title, blocks = { { kind = "table", name = "result", columns = cols,
                                       rows = rows } } }
end

-- The format to write in: format (any case, aliases), else the one the
-- output file's extension implies, else text.
local function pick_format(writers, format, output)
  if format ~= nil then return writers.format_name(format) end
  if type(output) == "string" and output ~= "-" then
    local f = writers.format_of_path(output)
    if f then return f end
  end
  return "text"
end

--- The format write(x, format, { output = output }) writes in: format
-- (any case, aliases), else the one output's extension implies, else
-- "text"; nil and a message for an unknown format.
function M.format_of(format, output)
  return pick_format(require "siqun.writer", format, output)
end

-- Renders a List or array as format: a string, or nil and a message.
-- JSON, NDJSON and CSV (of the one table a List makes) are written by
-- the writer's list(list, columns, opts), which reads each row once and
-- checks and writes it as the document list_doc makes would be: no copy
-- of the rows, no document.
local function render_list(writers, x, format, opts)
  if format == "json" or format == "ndjson" or format == "csv" and opts.table == nil then
    local cols = doc_columns(x, opts.title, opts.columns, nil, 1)
    local out = writers.writer(format).list(x, cols, opts) -- (its errors point here)
    return out
  end
  return writers.render(M.list_doc(x, opts.title, opts.columns), format, opts)
end

--- Writes x (a List, an array of records, rows or plain tables, or a
-- report document) in format ("text" when nil, unless opts.output names a
-- file whose extension says: out.csv, out.jsonl ...).  Format names are
-- case-insensitive and take the usual aliases (md, jsonl, htm, db).
--
-- opts: output (a path, "-" for standard output, or an open file: without
-- it the text is returned), force (replace an existing regular file),
-- title, columns (names, or { name =, type = } tables, to choose and order
-- them), name (sqlite: the table's name, "result"), article (sqlite of a
-- report document: the dataset written beside its tables), and the
-- writer's own (width, table, group, indent, bom ...).
--
-- Returns the text, or true once written; nil, a message and a code
-- ("exists", "format", ...) for an expected failure (an unknown format, an
-- existing file without force, a write error).  A path is written as
-- siqun.files writes it: nothing is replaced without force, never a file
-- that is not a regular one, never half-written.
function M.write(x, format, opts)
  if type(x) ~= "table" and not List.is_list(x) then
    argerror(1, "write", "siqun.List, table or report document expected, got " .. type(x))
  end
  optional(format, "string", 2, "write")
  optional(opts, "table", 3, "write")
  opts = opts or {}
  local output = opts.output
  if output ~= nil and type(output) ~= "string" and not is_stream(output) then
    argerror(3, "write", "opts.output: path or file expected, got " .. type(output))
  end
  if output == "" then argerror(3, "write", "opts.output: path expected, got ''") end
  for _, k in ipairs { "width", "indent" } do -- (what the writers read as counts)
    local v = opts[k]
    if v ~= nil and v ~= false and not (compat.math_type(v) == "integer" and v >= 0) then
      argerror(3, "write", ("opts.%s: a count (an integer, 0 or more) expected, got %s")
                           :format(k, type(v) == "number" and tostring(v) or type(v)))
    end
  end
  local columns = opts.columns
  if columns ~= nil then
    if type(columns) ~= "table" and not List.is_list(columns) then
      argerror(3, "write", "opts.columns: table expected, got " .. type(columns))
    end
    check_columns(columns, 3, "write", 2)
  end
  local writers = require "siqun.writer"
  local fmt, ferr = pick_format(writers, format, output)
  if not fmt then return nil, ferr, "format" end
  local w = writers.writer(fmt)
  if w.article then return M.write_database(x, output, opts) end
  local path = type(output) == "string" and output ~= "-" and output or nil
  local files
  if path then -- refused before rendering: an existing file costs no work
    files = require "siqun.files"
    local ok, err, code = files.check(path, opts)
    if not ok then return nil, err, code end
  end
  local out, err
  if is_doc(x) then
    out, err = writers.render(x, fmt, opts)
  else
    -- (a List's cell siqun cannot write is the caller's error, said of
    -- the list: the document list_doc makes is siqun's own)
    local ok, res, rerr = pcall(render_list, writers, as_rows(x), fmt, opts)
    if not ok then
      local msg = tostring(res):gsub("^[^\n]-:%-?%d+: ", "", 1) -- (a position, where given)
      local n
      msg, n = msg:gsub("^bad report document: block 1 %(table%): ", "", 1)
      if n > 0 then error("cannot write the list: " .. msg, 2) end
      error(res, 0)
    end
    out, err = res, rerr
  end
  if not out then return nil, err, "render" end
  if path then return files.save(path, out, opts) end
  if output == nil then return out end
  local stream = output == "-" and io.stdout or output
  local ok, werr = stream:write(out)
  if not ok then return nil, "write error: " .. tostring(werr), "write" end
  return true
end

--- A writer of rows in parts, for a table too long to hold whole (siqun
-- scan of a large file): csv, ndjson and json write each part as it comes
-- and the whole is what write would give of all the rows at once (the CSV
-- header once, one JSON array).  Returns s, with s:part(rows) (a List or
-- array of rows, written through sink(text)) and s:finish(); nil for a
-- format that lays a table out whole (text, markdown, html) or writes a
-- file (sqlite).  columns as for write's opts.columns.
function M.stream(format, columns, sink, opts)
  opts = opts or {}
  local writers = require "siqun.writer"
  local fmt = writers.format_name(format)
  if fmt ~= "csv" and fmt ~= "ndjson" and fmt ~= "json" then return nil end
  local w = writers.writer(fmt)
  local s, n = {}, 0
  local json = fmt == "json" and require "siqun.writer.json"
  local indent = json and json.indent_of(opts)
  local later = {}
  for k, v in compat.pairs(opts) do later[k] = v end
  later.header, later.bom, later.fragment = false, false, true
  function s.part(_, rows)
    if #rows == 0 then return end
    local cols = doc_columns(rows, nil, columns, nil, 1)
    if fmt == "ndjson" then
      sink(w.list(rows, cols, opts, true))
    elseif fmt == "csv" then
      sink(w.list(rows, cols, n == 0 and opts or later))
    else
      local open = json.brackets(indent)
      sink((n == 0 and open or json.between(indent)) .. w.list(rows, cols, later))
    end
    n = n + #rows
  end
  function s.finish()
    if fmt == "json" then
      local _, close = json.brackets(indent)
      sink(n == 0 and "[]\n" or close)
    elseif fmt == "csv" and n == 0 then
      sink(w.list({}, doc_columns({}, nil, columns, nil, 1), opts))
    end
  end
  return s
end

--- (sqlite) A database at opts.output holding x: a List or array as one
-- table named opts.name ("result"), a report document's tables as
-- report_<name>; true, or nil and a message.
function M.write_database(x, output, opts)
  if type(output) ~= "string" or output == "-" then
    return nil, "the sqlite format writes a file: give an output path", "format"
  end
  local doc, art = x, nil
  if is_doc(x) then
    art = opts.article -- (a report: the whole dataset beside its tables)
  else
    doc = M.list_doc(x, opts.title, opts.columns)
    doc.blocks[1].name = opts.name or "result"
  end
  local o = {}
  for k, v in compat.pairs(opts) do o[k] = v end
  o.doc = doc
  local ok, err, code = require("siqun.writer.sqlite").write(art, output, o)
  if ok then return true end
  return nil, err, code or "write"
end

return M
