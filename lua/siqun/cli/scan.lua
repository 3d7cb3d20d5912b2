--- siqun.cli.scan: `siqun scan FILE|- [-f FORMAT] [-o FILE|- [--force]]`,
-- one row per quantity found in a text file (siqun.cli declares the
-- command).  The file is read in pieces (siqun.scan_file); CSV, NDJSON and
-- JSON are written in parts as the rows come (siqun.output.stream), so a
-- large file needs memory for a part, not for all its rows; text,
-- Markdown and HTML lay the whole table out, and hold it.

local cli = require "siqun.cli.common"

local M = {}

-- Rows of a scan: one per quantity found.
local SCAN_COLUMNS = {
  { name = "start", type = "integer" }, { name = "stop", type = "integer" },
  { name = "text" }, { name = "kind" }, { name = "value", type = "number" },
  { name = "date" }, { name = "qualifier" }, { name = "unit" },
  { name = "min", type = "number" }, { name = "max", type = "number" },
}

-- Rows per part written.
local PART = 4096

local function scan_row(q)
  local date
  if q.kind == "date" then
    date = table.concat({ q.year or "", q.month or "", q.day or "" }, "-")
    local to = q.to
    if to then
      date = date .. ".." .. table.concat({ to.year or "", to.month or "", to.day or "" }, "-")
    end
  end
  return { start = q.start, stop = q.stop, text = q.text, kind = q.kind, value = q.value,
           date = date, qualifier = q.qualifier, unit = q.unit, min = q.min, max = q.max }
end

-- Writes the rows of it in parts through the stream of format fmt: to
-- standard output as they come, or (-o FILE) to the file, whole or not at
-- all once the scan is done; the exit status.
local function stream_rows(it, fmt, args)
  local output = args.output ~= "-" and args.output or nil
  local files = output and require "siqun.files"
  if output then -- (refused before the scan: an existing file costs no work)
    local ok, err, code = files.check(output, { force = args.force })
    if not ok then return cli.fail(err .. (code == "exists" and " (use --force to replace it)" or "")) end
  end
  local chunks, status = {}, cli.EXIT_OK
  local function sink(text)
    if output then
      chunks[#chunks + 1] = text
    elseif status == cli.EXIT_OK then
      status = cli.put(text)
    end
  end
  local s = require("siqun.output").stream(fmt, SCAN_COLUMNS, sink)
  local rows = {}
  for q in it do
    rows[#rows + 1] = scan_row(q)
    if #rows == PART then
      s:part(rows)
      rows = {}
      if status ~= cli.EXIT_OK then return status end
    end
  end
  s:part(rows)
  s:finish()
  if not output then return status end
  local ok, err, code = files.save(output, chunks, { force = args.force })
  if ok then return cli.EXIT_OK end
  return cli.fail(err .. (code == "exists" and " (use --force to replace it)" or ""))
end

function M.run(args)
  local source = args.file == "-" and io.stdin or args.file
  local it, err = require("siqun").scan_file(source)
  if not it then return cli.fail(err) end
  local stdout = args.output == nil or args.output == "-"
  local fmt = require("siqun.output").format_of(args.format, not stdout and args.output or nil)
  if fmt == "csv" or fmt == "ndjson" or fmt == "json" then return stream_rows(it, fmt, args) end
  local rows = {}
  for q in it do rows[#rows + 1] = scan_row(q) end
  local title = args.file == "-" and "standard input" or args.file
  return cli.emit("scan", rows, args, { title = title, columns = SCAN_COLUMNS })
end

return M
