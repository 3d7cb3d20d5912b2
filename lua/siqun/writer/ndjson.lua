--- siqun.writer.ndjson: one table of a report document as newline-delimited
-- JSON (JSON Lines): one record per line, keys in column order, numbers as
-- numbers, nil as null, lists as arrays; nothing at all for no rows.
--
-- Like CSV it holds one table: the document's first, or the one opts.table
-- names (its name or a 1-based index).

local json = require "siqun.writer.json"

local M = { name = "ndjson", extension = "ndjson", mediatype = "application/x-ndjson" }

--- The chosen table of doc as NDJSON; nil and a message when opts.table
-- names no table of it or the document has none.
function M.write(doc, opts)
  local common = require "siqun.writer.common"
  doc = common.prepare(doc, 2)
  local t, err = common.select_table(doc, opts and opts.table)
  if not t then return nil, err end
  return json.lines(t)
end

--- The records or rows of list (a List or array) as write gives the
-- document siqun.output.list_doc makes of them, reading each row once
-- (see siqun.writer.json's list).
function M.list(list, cols, opts)
  return json.list(list, cols, opts, true)
end

return M
