--- siqun.cli.scan: `siqun scan FILE|- [-f FORMAT] [-o FILE|- [--force]]`,
-- one row per quantity found in a text file (siqun.cli declares the
-- command).

local cli = require "siqun.cli"

local M = {}

-- Rows of a scan: one per quantity found.
local SCAN_COLUMNS = {
  { name = "start", type = "integer" }, { name = "stop", type = "integer" },
  { name = "text" }, { name = "kind" }, { name = "value", type = "number" },
  { name = "date" }, { name = "qualifier" }, { name = "unit" },
  { name = "min", type = "number" }, { name = "max", type = "number" },
}

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

function M.run(args)
  local source = args.file == "-" and io.stdin or args.file
  local rows = {}
  local it, err = require("siqun").scan_file(source)
  if not it then return cli.fail(err) end
  for q in it do rows[#rows + 1] = scan_row(q) end
  local title = args.file == "-" and "standard input" or args.file
  return cli.emit("scan", rows, args, { title = title, columns = SCAN_COLUMNS })
end

return M
