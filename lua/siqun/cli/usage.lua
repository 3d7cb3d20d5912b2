--- siqun.cli.usage: the command line's help texts and argparse's parser,
-- built from siqun.cli's declarations (COMMANDS, OPTIONS) with the texts
-- here.  Loaded only for help, --version and usage errors: a command line
-- siqun.cli can read itself never pays for argparse (2,100 lines to load).

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua

local M = {}

local EXIT_OK, EXIT_USAGE = 0, 2

-- Each command's one-line summary and its description (--help).
local COMMAND_TEXT = {
  summary = {
    summary = "Print the summary report of the dataset.",
    description = "Prints the article's bibliographic facts, sections, table sizes, "
      .. "headline figures, quotas and glossary, aligned for a terminal.",
  },
  validate = {
    summary = "Load a dataset directory and report whether it is valid.",
    description = "Loads the data package in DIR (datapackage.json and its CSV files) "
      .. "with every check the loader makes. Prints 'ok: N tables, M rows', or the "
      .. "loader's message (file, line, field) on stderr and exits with status 1.",
  },
  quantity = {
    summary = "Parse a Chinese quantity expression.",
    description = "Parses EXPR (e.g. 54.29万本, 近50万名, 不少于1个月, 6月18日至19日) and "
      .. "prints the result as 'key = value' lines in a fixed order: for a number text, "
      .. "kind, value, qualifier, unit, min, max; for a date text, kind, qualifier, year, "
      .. "month, day, to.year, to.month, to.day (nil where absent).",
  },
  query = {
    summary = "Run a query on the dataset.",
    description = "Runs QUERY ('-': read it from standard input), e.g. "
      .. "'figures where unit = \"户\" and value > 100万 order by value desc' or "
      .. "'figures group by unit select unit, count(), sum(value)', and writes the "
      .. "records or rows: a table for text, Markdown and HTML, an array of records "
      .. "for json, one record per line for ndjson, CSV with a header, or an SQLite "
      .. "database with one table 'result'. No rows is a result too (exit status 0). "
      .. "A bad query exits with status 1 and a message that points at the error.",
  },
  report = {
    summary = "Run a report as text, Markdown, CSV, JSON, NDJSON, HTML or SQLite.",
    description = "Runs report NAME (see --list) on the dataset and writes it in FORMAT to "
      .. "standard output, or to FILE with --output (an existing FILE is kept unless "
      .. "--force). csv and ndjson write one table: the report's first, or --table. json "
      .. "writes the report document. sqlite writes the whole dataset plus the report's "
      .. "tables to FILE (--output required). --load FILE runs a Lua file first, which "
      .. "may register reports of its own (siqun.report.register).",
  },
  scan = {
    summary = "List the quantities in a text file.",
    description = "Scans FILE (a regular file; '-' reads standard input) for Chinese "
      .. "quantities and writes one row per quantity: byte positions (1-based, "
      .. "inclusive), the text as printed, kind, value or date, qualifier, unit, min and "
      .. "max. The file is read in pieces, and csv, ndjson and json are written as the "
      .. "rows come, so memory does not grow with the file; text, markdown and html lay "
      .. "out the whole table.",
  },
}

-- Each option's help, by its name in siqun.cli's OPTIONS.
local OPTION_TEXT = {
  data = "Read the dataset in directory DIR instead of the embedded one.",
  format = "text, markdown (md), csv, json, ndjson (jsonl), html or sqlite (db); "
    .. "any case. Default: from the -o file's extension, else text.",
  output = "Write to FILE ('-': standard output). An existing FILE is kept "
    .. "unless --force; only a regular file is ever replaced.",
  force = "Replace an existing regular output file.",
  width = "text: fit lines into N columns (0: no limit). Default: on a "
    .. "terminal, $COLUMNS or its width; else no limit.",
  summary_width = "Fit lines into N columns (40 to 1000). Default: on a "
    .. "terminal, $COLUMNS or its width; else 78.",
  table = "csv, ndjson: the table to write, by name or number.",
  load = "Run the Lua FILE first (repeatable): it may register reports.",
  list = "List the reports and formats, and exit.",
}

-- Each positional argument's help.
local ARG_TEXT = {
  dir = "The dataset directory.",
  expr = "The expression, as printed.",
  query = "The query, or - to read it from standard input.",
  name = "The report.",
  file = "The text file, or - for standard input.",
}

-- argparse's ways out (help, --version, a usage error) end its parse with
-- this error instead of os.exit, so that main returns a status as always
-- (the launcher checks standard output and re-raises signals after it).
local Exit = {}
local function exit_with(status)
  error(setmetatable({ status = status }, Exit), 0)
end

-- help and --version: text on standard output, then status 0.
local function show_and_exit(text)
  io.stdout:write(text, "\n")
  exit_with(EXIT_OK)
end

--- argparse's parser for COMMANDS and OPTIONS (siqun.cli's declarations),
-- with the texts above: the parser and its commands by name.
function M.build(COMMANDS, OPTIONS, lib)
  local argparse = require "argparse"
  local parser = argparse("siqun",
    "Query the dataset of one Yunnan Daily article (2012-07-01, 情的交融 心的呼应).")
    :epilog("Exit status: 0 on success, 1 for a bad dataset or expression or a write "
      .. "error, 2 for a usage error. See 'siqun <command> --help'.")
  parser:help_max_width(78)
  parser:command_target("command")
  parser:require_command(true)
  parser:add_help { action = function() show_and_exit(parser:get_help()) end }
  parser:flag("--version", "Print the version and exit.")
    :action(function()
      local ok, siqun = pcall(lib)
      show_and_exit(ok and siqun._VERSION or "siqun (library not found)")
    end)
  local cmds = {}
  for _, c in ipairs(COMMANDS) do
    local text = COMMAND_TEXT[c.name]
    local cmd = parser:command(c.name, text.description or text.summary)
    cmd:summary(text.summary)
    cmd:add_help { action = function() show_and_exit(cmd:get_help()) end }
    for _, a in ipairs(c.args or {}) do
      local arg = cmd:argument(a.name, ARG_TEXT[a.name]):argname(a.argname)
      if a.convert then arg:convert(a.convert) end
      if a.optional then arg:args("?") end
    end
    for _, name in ipairs(c.options or {}) do
      local o = OPTIONS[name]
      local help = OPTION_TEXT[name]
      local opt = o.flag and cmd:flag(o.flags, help) or cmd:option(o.flags, help)
      opt:target(o.key)
      if o.argname then opt:argname(o.argname) end
      if o.convert then opt:convert(o.convert) end
      if o.count then opt:count(o.count) end
    end
    cmds[c.name] = cmd
  end
  local help = parser:command("help", "Show help for commands.")
  help:argument("name", "The command to show help for."):args("?")
  cmds.help = help
  -- Usage errors (from the innermost command's parser): its usage and the
  -- message on stderr, status 2.
  parser.error = function(p, msg)
    io.stderr:write(("%s\n\nError: %s\n"):format(p:get_usage(), msg))
    exit_with(EXIT_USAGE)
  end
  return parser, cmds
end

--- A usage error found after parsing (a format nobody knows): the
-- command's usage and msg on stderr; EXIT_USAGE.
function M.error(COMMANDS, OPTIONS, cname, msg)
  local _, cmds = M.build(COMMANDS, OPTIONS)
  io.stderr:write(("%s\n\nError: %s\n"):format(cmds[cname]:get_usage(), msg))
  return EXIT_USAGE
end

--- argv parsed by argparse: the args table; or nil and the exit status
-- when it has answered (help, --version) or refused (a usage error).
function M.parse(COMMANDS, OPTIONS, lib, argv)
  local parser, cmds = M.build(COMMANDS, OPTIONS, lib)
  local ok, res = pcall(parser.parse, parser, argv)
  if not ok then
    if getmetatable(res) == Exit then return nil, res.status end
    error(res, 0)
  end
  if res.command == "help" then -- siqun help [COMMAND]
    local cmd = res.name and cmds[res.name]
    if res.name and not cmd then
      return nil, M.error(COMMANDS, OPTIONS, "help", ("unknown command '%s'"):format(res.name))
    end
    io.stdout:write((cmd or parser):get_help(), "\n")
    return nil, EXIT_OK
  end
  return res
end

return M
