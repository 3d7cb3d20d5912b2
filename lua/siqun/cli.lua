--- siqun.cli: the `siqun` command (bin/siqun from a checkout; installed,
-- the `siqun` launcher).  main(argv) runs one command and returns the exit
-- status: 0 on success, 1 for a bad dataset or expression (message on
-- stderr, nothing on stdout), 2 for a usage error.
--
--   siqun summary [--data DIR] [--width N]
--   siqun validate DIR
--   siqun quantity EXPR
--   siqun query QUERY [--format F] [-o FILE [--force]]
--   siqun report NAME [--format F] [-o FILE [--force]]   (--list: the reports)
--   siqun scan FILE|-

local compat = require "siqun.compat"
local ipairs, pairs = compat.ipairs, compat.pairs -- 5.3's ipairs, 5.2's pairs, on every Lua

local EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

local function fail(msg)
  io.stderr:write("siqun: ", tostring(msg), "\n")
  return EXIT_FAIL
end

-- Loads the library lazily, so that --help works without a build.
local function lib()
  return require "siqun"
end

-- The Article from --data DIR, or the embedded one; nil and a message.
local function open_article(args)
  return lib().open(args.data)
end

local function add_data_option(cmd)
  cmd:option("--data", "Read the dataset in directory DIR instead of the embedded one.")
     :argname("DIR")
end

-- ---------------------------------------------------------------- commands
-- Each command: name, summary (one line), description (optional), setup
-- (declares its arguments on the argparse command) and run(args) -> exit
-- status.  New commands (query, report, scan) slot into this list.

local COMMANDS = {}

COMMANDS[#COMMANDS + 1] = {
  name = "summary",
  summary = "Print the summary report of the dataset.",
  description = "Prints the article's bibliographic facts, sections, table sizes, "
    .. "headline figures, quotas and glossary, aligned for a terminal.",
  setup = function(cmd)
    add_data_option(cmd)
    cmd:option("--width", "Fit lines into N columns.", "78")
       :argname("N")
       :convert(function(s)
         local n = compat.tointeger(tonumber(s))
         if not n or n < 40 or n > 1000 then
           return nil, "--width must be an integer from 40 to 1000"
         end
         return n
       end)
  end,
  run = function(args)
    local art, err = open_article(args)
    if not art then return fail(err) end
    io.stdout:write(lib().summary(art, { width = args.width }))
    return EXIT_OK
  end,
}

COMMANDS[#COMMANDS + 1] = {
  name = "validate",
  summary = "Load a dataset directory and report whether it is valid.",
  description = "Loads the data package in DIR (datapackage.json and its CSV files) "
    .. "with every check the loader makes. Prints 'ok: N tables, M rows', or the "
    .. "loader's message (file, line, field) on stderr and exits with status 1.",
  setup = function(cmd)
    cmd:argument("dir", "The dataset directory."):argname("DIR")
  end,
  run = function(args)
    local art, err = lib().open(args.dir)
    if not art then return fail(err) end
    local tables, rows = 0, 0
    for _, name in ipairs(art:tables()) do
      tables = tables + 1
      rows = rows + #art:table(name)
    end
    io.stdout:write(("ok: %d tables, %d rows\n"):format(tables, rows))
    return EXIT_OK
  end,
}

-- Keys of a quantity by kind, in the order quantity prints them (nil where
-- absent); any others follow in sorted order.
local QUANTITY_KEYS = {
  number = { "text", "kind", "value", "qualifier", "unit", "min", "max" },
  date = { "text", "kind", "qualifier", "year", "month", "day",
           "to.year", "to.month", "to.day" },
}

local function show(v)
  if v == nil then return "nil" end
  if type(v) == "number" then return require("siqun.text").number(v) end
  return tostring(v)
end

-- The value at a dotted key ("to.day") of q.
local function lookup(q, key)
  local v = q
  for part in key:gmatch("[^.]+") do
    if type(v) ~= "table" then return nil end
    v = v[part]
  end
  return v
end

-- Every dotted key of q (nested tables flattened), sorted.
local function flat_keys(q, prefix, out)
  for k, v in pairs(q) do
    local key = prefix .. tostring(k)
    if type(v) == "table" then
      flat_keys(v, key .. ".", out)
    else
      out[#out + 1] = key
    end
  end
  return out
end

COMMANDS[#COMMANDS + 1] = {
  name = "quantity",
  summary = "Parse a Chinese quantity expression.",
  description = "Parses EXPR (e.g. 54.29万本, 近50万名, 不少于1个月, 6月18日至19日) and "
    .. "prints the result as 'key = value' lines in a fixed order: for a number text, "
    .. "kind, value, qualifier, unit, min, max; for a date text, kind, qualifier, year, "
    .. "month, day, to.year, to.month, to.day (nil where absent).",
  setup = function(cmd)
    cmd:argument("expr", "The expression, as printed."):argname("EXPR")
  end,
  run = function(args)
    local q, err = lib().quantity(args.expr)
    if not q then return fail(err) end
    q = q:totable()
    local lines, seen = {}, {}
    for _, k in ipairs(QUANTITY_KEYS[q.kind] or QUANTITY_KEYS.number) do
      seen[k] = true
      lines[#lines + 1] = k .. " = " .. show(lookup(q, k))
    end
    local extra = flat_keys(q, "", {})
    table.sort(extra)
    for _, k in ipairs(extra) do
      if not seen[k] then lines[#lines + 1] = k .. " = " .. show(lookup(q, k)) end
    end
    io.stdout:write(table.concat(lines, "\n"), "\n")
    return EXIT_OK
  end,
}

-- Options shared by the commands that write a document: --format, -o, --force.
local function add_output_options(cmd, formats)
  cmd:option("-f --format", formats .. ".", "text"):argname("FORMAT")
  cmd:option("-o --output", "Write to FILE instead of standard output (kept if it exists, unless --force).")
     :argname("FILE")
  cmd:flag("--force", "Replace an existing output file.")
  cmd:option("--width", "text: fit lines into N columns (0: no limit).", "78")
     :argname("N")
     :convert(function(s)
       local n = compat.tointeger(tonumber(s))
       if not n or (n ~= 0 and (n < 40 or n > 1000)) then
         return nil, "--width must be 0 or an integer from 40 to 1000"
       end
       return n
     end)
end

-- Writes doc in args.format to args.output or standard output.
local function emit(doc, args)
  local report = require "siqun.report"
  local opts = { width = args.width, force = args.force, table = args.table }
  if args.output then
    local ok, err = report.write_doc(doc, args.format, args.output, opts)
    if not ok then return fail(err) end
    return EXIT_OK
  end
  local out, err = report.render(doc, args.format, opts)
  if not out then return fail(err) end
  io.stdout:write(out)
  return EXIT_OK
end

COMMANDS[#COMMANDS + 1] = {
  name = "query",
  summary = "Run a query on the dataset.",
  description = "Runs QUERY, e.g. 'figures where unit = \"户\" and value > 100万 order by value desc' "
    .. "or 'figures group by unit select unit, count(), sum(value)', and writes the "
    .. "records or rows as a table. A bad query exits with status 1 and a message "
    .. "that points at the error.",
  setup = function(cmd)
    add_data_option(cmd)
    cmd:argument("query", "The query."):argname("QUERY")
    add_output_options(cmd, "text, markdown, csv, json or html")
  end,
  run = function(args)
    local siqun = lib()
    local art, err = open_article(args)
    if not art then return fail(err) end
    local rows, qerr = siqun.safe.query(art, args.query)
    if not rows then return fail(qerr) end
    return emit(require("siqun.report").list_doc(rows, args.query, nil, art), args)
  end,
}

COMMANDS[#COMMANDS + 1] = {
  name = "report",
  summary = "Run a report as text, Markdown, CSV, JSON, HTML or SQLite.",
  description = "Runs report NAME (see --list) on the dataset and writes it in FORMAT to "
    .. "standard output, or to FILE with --output (an existing FILE is kept unless "
    .. "--force). csv writes one table: the report's first, or --table. sqlite writes "
    .. "the whole dataset plus the report's tables to FILE (--output required). "
    .. "--load FILE runs a Lua file first, which may register reports of its own "
    .. "(siqun.report.register).",
  setup = function(cmd)
    add_data_option(cmd)
    cmd:argument("name", "The report."):argname("NAME"):args("?")
    add_output_options(cmd, "text, markdown, csv, json, html or sqlite")
    cmd:option("--table", "csv: the table to write, by name or number."):argname("TABLE")
    cmd:option("--load", "Run the Lua FILE first (repeatable)."):argname("FILE"):count("*")
    cmd:flag("-l --list", "List the reports and formats, and exit.")
  end,
  run = function(args)
    local report = require "siqun.report"
    for _, path in ipairs(args.load) do
      local ok, err = report.load(path)
      if not ok then return fail(err) end
    end
    if args.list then
      local rows = {}
      for _, r in ipairs(report.list()) do rows[#rows + 1] = { r.name, r.description } end
      for _, l in ipairs(require("siqun.text").columns(rows)) do io.stdout:write(l, "\n") end
      io.stdout:write("formats: ", table.concat(report.formats(), ", "), "\n")
      return EXIT_OK
    end
    if not args.name then
      io.stderr:write("siqun: report: a report NAME is needed (siqun report --list shows them)\n")
      return EXIT_USAGE
    end
    local art, err = open_article(args)
    if not art then return fail(err) end
    local opts = { width = args.width, table = args.table, force = args.force }
    if args.output then
      local ok, werr = report.write(args.name, art, args.format, args.output, opts)
      if not ok then return fail(werr) end
      return EXIT_OK
    end
    local w = report.writer(args.format)
    if w and w.article then
      return fail("the " .. args.format .. " format writes a file: give --output FILE")
    end
    local out, rerr = report.run(args.name, art, args.format, opts)
    if not out then return fail(rerr) end
    io.stdout:write(out)
    return EXIT_OK
  end,
}

COMMANDS[#COMMANDS + 1] = {
  name = "scan",
  summary = "List the quantities in a text file.",
  description = "Scans FILE (or standard input for '-') for Chinese quantities and writes "
    .. "one row per quantity: byte positions (1-based, inclusive), the text as printed, "
    .. "kind, value or date, qualifier, unit, min and max.",
  setup = function(cmd)
    cmd:argument("file", "The text file, or - for standard input."):argname("FILE")
    add_output_options(cmd, "text, markdown, csv, json or html")
  end,
  run = function(args)
    local text, err
    if args.file == "-" then
      text = io.stdin:read("*a")
    else
      local f
      f, err = io.open(args.file, "rb")
      if not f then return fail(err) end
      text, err = f:read("*a")
      f:close()
      if not text then return fail(args.file .. ": " .. tostring(err)) end
    end
    local rows = {}
    for q in lib().scan(text) do
      local date
      if q.kind == "date" then
        date = table.concat({ q.year or "", q.month or "", q.day or "" }, "-")
        if q.to then
          date = date .. ".." .. table.concat({ q.to.year or "", q.to.month or "", q.to.day or "" }, "-")
        end
      end
      rows[#rows + 1] = { start = q.start, stop = q.stop, text = q.text, kind = q.kind,
                          value = q.value, date = date, qualifier = q.qualifier,
                          unit = q.unit, min = q.min, max = q.max }
    end
    local columns = { "start", "stop", "text", "kind", "value", "date", "qualifier", "unit", "min", "max" }
    local title = args.file == "-" and "standard input" or args.file
    return emit(require("siqun.report").list_doc(rows, title, columns), args)
  end,
}

-- ------------------------------------------------------------------ parser

local function build_parser()
  local argparse = require "argparse"
  local parser = argparse("siqun",
    "Query the dataset of one Yunnan Daily article (2012-07-01, 情的交融 心的呼应).")
    :epilog("Exit status: 0 on success, 1 for a bad dataset or expression, "
      .. "2 for a usage error. See 'siqun <command> --help'.")
  parser:help_max_width(78)
  parser:command_target("command")
  parser:require_command(true)
  parser:flag("--version", "Print the version and exit.")
    :action(function()
      local ok, siqun = pcall(lib)
      io.stdout:write(ok and siqun._VERSION or "siqun (library not found)", "\n")
      os.exit(EXIT_OK, true)
    end)
  for _, c in ipairs(COMMANDS) do
    local cmd = parser:command(c.name, c.description or c.summary)
    cmd:summary(c.summary)
    if c.setup then c.setup(cmd) end
  end
  parser:add_help_command()
  -- Usage errors (from the innermost command's parser): its usage and the
  -- message on stderr, status 2.
  parser.error = function(p, msg)
    io.stderr:write(("%s\n\nError: %s\n"):format(p:get_usage(), msg))
    os.exit(EXIT_USAGE, true)
  end
  return parser
end

local M = {}

--- Runs the command line argv (arg, without the script name) and returns
-- the exit status; standard output is flushed.
function M.main(argv)
  local parser = build_parser()
  local args = parser:parse(argv)
  local by_name = {}
  for _, c in ipairs(COMMANDS) do by_name[c.name] = c end
  local c = by_name[args.command]
  -- (a closure: Lua 5.1's xpcall passes no arguments)
  local ok, status = xpcall(function() return c.run(args) end, function(e)
    if os.getenv("SIQUN_DEBUG") then return debug.traceback(tostring(e), 2) end
    return tostring(e)
  end)
  if not ok then return fail(status) end
  return status
end

return M
