--- siqun.cli: the `siqun` command (bin/siqun from a checkout; installed,
-- the compiled launcher).  main(argv) runs one command and returns the
-- exit status: 0 on success, 1 for a bad dataset or expression or a write
-- error (one line on stderr), 2 for a usage error (the usage and the
-- message, naming the flag).
--
--   siqun summary [--data DIR] [--width N]
--   siqun validate DIR
--   siqun quantity EXPR
--   siqun query QUERY|- [-f FORMAT] [-o FILE|- [--force]] [--width N]
--   siqun report NAME [-f FORMAT] [-o FILE|- [--force]] [--table T] [--load FILE]
--   siqun scan FILE|- [-f FORMAT] [-o FILE|- [--force]]
--
-- The commands and their options are declared once (COMMANDS, OPTIONS).
-- A command line of known options is read by a small parser here;
-- siqun.cli.usage (argparse's parser, built from the same declarations,
-- and the help texts) is loaded only for help and usage errors, which
-- keeps a query as quick to start as sqlite3.

local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua

local M = {}

local EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
M.EXIT_OK, M.EXIT_FAIL, M.EXIT_USAGE = EXIT_OK, EXIT_FAIL, EXIT_USAGE

local function lib() return require "siqun" end

-- -------------------------------------------------------------- options
-- name -> { flags, argname, convert, flag (no value), count ("*":
-- repeatable, a list), key (in args; the name by default) }.  convert(s)
-- -> value, or nil and a message.  Their help texts, and the commands',
-- are in siqun.cli.usage.

local function width_option(lo)
  return function(s)
    local n = compat.tointeger(tonumber(s))
    if not n or (n ~= 0 or lo == 40) and (n < 40 or n > 1000) then
      return nil, lo == 40 and "--width must be an integer from 40 to 1000"
                  or "--width must be 0 or an integer from 40 to 1000"
    end
    return n
  end
end

local OPTIONS = {
  data = { flags = "--data", argname = "DIR" },
  format = { flags = "-f --format", argname = "FORMAT" },
  output = { flags = "-o --output", argname = "FILE" },
  force = { flags = "--force", flag = true },
  width = { flags = "--width", argname = "N", convert = width_option(0) },
  summary_width = { flags = "--width", argname = "N", convert = width_option(40), key = "width" },
  table = { flags = "--table", argname = "TABLE" },
  load = { flags = "--load", argname = "FILE", count = "*" },
  list = { flags = "-l --list", flag = true },
}
for name, o in pairs(OPTIONS) do o.key = o.key or name end

-- ------------------------------------------------------------- helpers

local function fail(msg)
  io.stderr:write("siqun: ", tostring(msg), "\n")
  return EXIT_FAIL
end

-- A usage error found after parsing: the command's usage and msg (siqun.cli.usage).
local function usage_error(cname, msg)
  return require("siqun.cli.usage").error(M.COMMANDS, M.OPTIONS, cname, msg)
end
local internal_message, is_interrupt -- (defined with main, below)

-- The Article from --data DIR, or the embedded one; nil and a message.
local function open_article(args)
  return lib().open(args.data)
end

-- The width of text output: --width, else $COLUMNS, else the terminal's,
-- else dflt (0: a pipe or a file gets whole lines, never the expanded
-- layout it would not ask for).
local function text_width(args, dflt, to_terminal)
  if args.width then return args.width end
  local cols = compat.tointeger(tonumber(os.getenv("COLUMNS") or ""))
  if cols and cols >= 20 and cols <= 1000 then return math.max(cols, 40) end
  if to_terminal then
    local ok, files = pcall(require, "siqun.files")
    local tty = ok and type(files) == "table" and files.tty_columns
                and files.tty_columns(io.stdout)
    if tty then return math.max(tty, 40) end
  end
  return dflt
end

-- A failed write to standard output: one line (none for a closed pipe,
-- as when SIGPIPE ends the process); EXIT_FAIL.
local function write_error(err, code)
  if code ~= 32 then -- (EPIPE)
    io.stderr:write("siqun: write error: ", tostring(err), "\n")
  end
  return EXIT_FAIL
end

-- Writes s to standard output: the exit status.
local function put(s)
  local ok, err, code = io.stdout:write(s)
  if not ok then return write_error(err, code) end
  return EXIT_OK
end

-- Writes x (a List of rows or records, or a report document) as args ask:
-- --format (or the -o file's extension), -o FILE|-, --force; the exit
-- status.  opts: more writer options (title, columns, table, article).
local function emit(cmd, x, args, opts)
  local output = args.output
  local stdout = output == nil or output == "-"
  local o = { output = stdout and "-" or output, force = args.force,
              width = text_width(args, 0, stdout) }
  for k, v in pairs(opts or {}) do o[k] = v end
  if args.format then
    local fmt, ferr = require("siqun.writer").format_name(args.format)
    if not fmt then return usage_error(cmd, "--format: " .. ferr) end
  end
  if stdout then o.output = nil end -- (the text, written here: put knows errno)
  local ok, err, code = lib().write(x, args.format, o)
  if ok and stdout then return put(ok) end
  if ok then return EXIT_OK end
  if code == "exists" then
    return fail(err .. " (use --force to replace it)")
  elseif code == "write" then
    return fail(err)
  elseif code == "format" then
    return usage_error(cmd, (args.format and "--format: " or "") .. err)
  end
  return fail(err)
end

-- ------------------------------------------------------------ commands
-- Each: name, args ({ name, argname, optional }), options (names in
-- OPTIONS), run(args) -> exit status.

local COMMANDS = {}
local BY_NAME = {}
local function command(c)
  COMMANDS[#COMMANDS + 1] = c
  BY_NAME[c.name] = c
end

command {
  name = "summary",
  options = { "data", "summary_width" },
  run = function(args)
    local art, err = open_article(args)
    if not art then return fail(err) end
    return put(lib().summary(art, { width = text_width(args, 78, true) }))
  end,
}

command {
  name = "validate",
  args = { { name = "dir", argname = "DIR" } },
  run = function(args)
    local art, err = lib().open(args.dir)
    if not art then return fail(err) end
    local tables, rows = 0, 0
    for _, name in ipairs(art:tables()) do
      tables = tables + 1
      rows = rows + #art:table(name)
    end
    return put(("ok: %d tables, %d rows\n"):format(tables, rows))
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

command {
  name = "quantity",
  args = { { name = "expr", argname = "EXPR" } },
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
    return put(table.concat(lines, "\n") .. "\n")
  end,
}

command {
  name = "query",
  args = { { name = "query", argname = "QUERY" } },
  options = { "data", "format", "output", "force", "width" },
  run = function(args)
    local text = args.query
    if text == "-" then
      local err
      text, err = io.stdin:read("*a")
      if not text then return fail("standard input: " .. tostring(err)) end
      text = text:gsub("%s+$", "")
    end
    local siqun = lib()
    local art, err = open_article(args)
    if not art then return fail(err) end
    local rows, qerr = siqun.safe.query(art, text)
    if not rows then return fail(qerr) end
    return emit("query", rows, args, { title = text })
  end,
}

-- True when name is one of siqun's own reports.
local function is_builtin(report, name)
  for _, b in ipairs(report.BUILTIN) do
    if b == name then return true end
  end
  return false
end

command {
  name = "report",
  args = { { name = "name", argname = "NAME", optional = true } },
  options = { "data", "format", "output", "force", "width", "table", "load", "list" },
  run = function(args)
    local report = require "siqun.report"
    for _, path in ipairs(args.load or {}) do
      local ok, err = report.load(path)
      if not ok then return fail(err) end
    end
    if args.list then
      local rows = {}
      for _, r in ipairs(report.list()) do rows[#rows + 1] = { r.name, r.description } end
      local lines = require("siqun.text").columns(rows)
      lines[#lines + 1] = "formats: " .. table.concat(report.formats(), ", ")
      return put(table.concat(lines, "\n") .. "\n")
    end
    if not args.name then
      return usage_error("report", "a report NAME is needed (siqun report --list shows them)")
    end
    local art, err = open_article(args)
    if not art then return fail(err) end
    if not report.get(args.name) then
      local _, gerr = report.get(args.name)
      return fail(gerr)
    end
    local ok, doc, berr = pcall(report.build, args.name, art, { table = args.table })
    if not ok then
      -- a report of the user's (--load) failing is their error, said as
      -- such; a built-in one failing is ours (an internal error, below)
      if is_builtin(report, args.name) or is_interrupt(doc)
         or tostring(doc):find("not enough memory", 1, true) then
        error(doc, 0)
      end
      local msg = internal_message(doc)
      if not msg:find("^report '") then msg = ("report '%s': %s"):format(args.name, msg) end
      return fail(msg)
    end
    if not doc then return fail(berr) end
    return emit("report", doc, args, { table = args.table, article = art })
  end,
}

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

command {
  name = "scan",
  args = { { name = "file", argname = "FILE" } },
  options = { "format", "output", "force", "width" },
  run = function(args)
    local siqun = lib()
    local source = args.file == "-" and io.stdin or args.file
    local rows = {}
    local it, err = siqun.scan_file(source)
    if not it then return fail(err) end
    for q in it do rows[#rows + 1] = scan_row(q) end
    local title = args.file == "-" and "standard input" or args.file
    return emit("scan", rows, args, { title = title, columns = SCAN_COLUMNS })
  end,
}

-- ---------------------------------------------------- the quick parser

-- option flag ("-f", "--format") -> its OPTIONS entry, per command.
local flag_maps = {}
local function flags_of(c)
  local map = flag_maps[c.name]
  if map then return map end
  map = {}
  for _, name in ipairs(c.options or {}) do
    local o = OPTIONS[name]
    for f in o.flags:gmatch("%S+") do map[f] = o end
  end
  flag_maps[c.name] = map
  return map
end

-- argv read as argparse would read it, for the usual command lines: the
-- args table, or nil when argparse must look (help, an unknown option, a
-- missing value, a bad one, too many or too few arguments).
local function quick_parse(argv)
  local c = BY_NAME[argv[1] or ""]
  if not c then return nil end
  local args = { command = c.name, [c.name] = true }
  local map = flags_of(c)
  for _, name in ipairs(c.options or {}) do
    if OPTIONS[name].count then args[OPTIONS[name].key] = {} end
  end
  local positional, only_args = {}, false
  local i, n = 2, #argv
  while i <= n do
    local a = argv[i]
    if only_args or a == "-" or a:sub(1, 1) ~= "-" then
      positional[#positional + 1] = a
    elseif a == "--" then
      only_args = true
    else
      local flag, value = a:match("^(%-%-[^=]+)=(.*)$")
      if not flag then
        flag = a:match("^%-%-.+$") or a:sub(1, 2)
        if #a > 2 and flag == a:sub(1, 2) then value = a:sub(3) end -- -fjson
      end
      local o = map[flag]
      if not o then return nil end
      if o.flag then
        if value then return nil end
        args[o.key] = true
      else
        if value == nil then
          i = i + 1
          value = argv[i]
          if value == nil then return nil end
        end
        if o.convert then
          value = o.convert(value)
          if value == nil then return nil end
        end
        if o.count then
          local l = args[o.key]
          l[#l + 1] = value
        elseif args[o.key] ~= nil then
          return nil -- (given twice: argparse says so)
        else
          args[o.key] = value
        end
      end
    end
    i = i + 1
  end
  local specs = c.args or {}
  if #positional > #specs then return nil end
  for k, a in ipairs(specs) do
    if positional[k] == nil and not a.optional then return nil end
    args[a.name] = positional[k]
  end
  return args
end

-- ------------------------------------------------- the argparse parser

-- ------------------------------------------------------------ running

-- An error nobody expected, as one line: without the position inside
-- siqun's own modules ("?:-1: ", "siqun/query/parser.lua:12: "), which says
-- nothing to a user.  A user's own file (--load) keeps its position.
internal_message = function(e)
  local s = tostring(e)
  s = s:gsub("^%?:%-?%d+: ", "")
  s = s:gsub("^[^\n:]*siqun[/.][%w_/.]*:%d+: ", "")
  return (s:match("^[^\n]*"))
end

is_interrupt = function(e)
  return type(e) == "string" and (e:find("interrupted!?$") ~= nil)
end

-- Flushes standard output: the exit status (a write error is one line on
-- stderr and status 1; a closed pipe is silent, as when SIGPIPE kills).
local function finish(status)
  local ok, err, code = io.stdout:flush()
  if ok then return status end
  return write_error(err, code)
end

--- Runs the command line argv (arg, without the script name) and returns
-- the exit status; standard output is flushed (and a failure to write it
-- is reported).  SIQUN_DEBUG=1 shows the traceback of an internal error.
function M.main(argv)
  local args = quick_parse(argv)
  if not args then
    local status
    args, status = require("siqun.cli.usage").parse(COMMANDS, OPTIONS, lib, argv)
    if not args then return finish(status) end
  end
  local c = BY_NAME[args.command]
  local debug_on = os.getenv("SIQUN_DEBUG")
  debug_on = debug_on ~= nil and debug_on ~= "" and debug_on ~= "0"
  local trace
  -- (a closure: Lua 5.1's xpcall passes no arguments)
  local ok, status = xpcall(function() return c.run(args) end, function(e)
    if debug_on then trace = debug.traceback(tostring(e), 2) end
    return e
  end)
  if ok then return finish(status) end
  if is_interrupt(status) then -- (SIGINT; the launcher also turns SIGTERM, SIGHUP into this)
    io.stderr:write("siqun: interrupted\n")
    return 130
  end
  local msg = tostring(status)
  if msg:find("not enough memory", 1, true) then
    io.stderr:write("siqun: not enough memory\n")
  else
    io.stderr:write("siqun: internal error: ", internal_message(status),
                    debug_on and "" or " (SIQUN_DEBUG=1 shows where)", "\n")
    if trace then io.stderr:write(trace, "\n") end
  end
  return finish(EXIT_FAIL)
end

M.COMMANDS, M.OPTIONS = COMMANDS, OPTIONS

return M
