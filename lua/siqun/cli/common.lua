--- siqun.cli.common: what the commands of siqun.cli share -- the
-- declarations of the commands and their options (COMMANDS, OPTIONS), the
-- exit statuses, and the helpers (fail, put, emit ...).  siqun.cli (the
-- parser and main) and each siqun.cli.<command> require it; it requires
-- neither.

local compat = require "siqun.compat"

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

-- A path that is not empty ('' names no file: a usage error naming where
-- it was given).
local function path_of(where)
  return function(s)
    if s == "" then return nil, where .. ": an empty path names no file" end
    return s
  end
end
M.path_of = path_of

local OPTIONS = {
  data = { flags = "--data", argname = "DIR", convert = path_of("--data") },
  format = { flags = "-f --format", argname = "FORMAT" },
  output = { flags = "-o --output", argname = "FILE", convert = path_of("--output") },
  force = { flags = "--force", flag = true },
  width = { flags = "--width", argname = "N", convert = width_option(0) },
  summary_width = { flags = "--width", argname = "N", convert = width_option(40), key = "width" },
  table = { flags = "--table", argname = "TABLE" },
  load = { flags = "--load", argname = "FILE", count = "*", convert = path_of("--load") },
  list = { flags = "-l --list", flag = true },
}
for name, o in pairs(OPTIONS) do o.key = o.key or name end

-- ------------------------------------------------------------- helpers

--- A failure: one line on stderr; EXIT_FAIL.
function M.fail(msg)
  io.stderr:write("siqun: ", tostring(msg), "\n")
  return EXIT_FAIL
end
local fail = M.fail

--- A usage error found after parsing: the command's usage and msg
-- (siqun.cli.usage); EXIT_USAGE.
function M.usage_error(cname, msg)
  return require("siqun.cli.usage").error(M.COMMANDS, M.OPTIONS, cname, msg)
end
local usage_error = M.usage_error

--- The Article from --data DIR, or the embedded one; nil and a message.
function M.open_article(args)
  return lib().open(args.data)
end

--- The width of text output: --width; else, on a terminal, $COLUMNS or
-- the terminal's own; else dflt (0: a pipe or a file gets whole lines,
-- never the expanded layout it would not ask for, whatever COLUMNS a shell
-- exported).  to_stdout: the text goes to standard output.
function M.text_width(args, dflt, to_stdout)
  if args.width then return args.width end
  if not to_stdout then return dflt end
  local ok, files = pcall(require, "siqun.files")
  local tty = ok and type(files) == "table" and files.tty_columns
              and files.tty_columns(io.stdout)
  if not tty then return dflt end
  local cols = compat.tointeger(tonumber(os.getenv("COLUMNS") or ""))
  if cols and cols >= 20 and cols <= 1000 then tty = cols end
  return math.max(tty, 40)
end
local text_width = M.text_width

-- A failed write to standard output: one line (none for a closed pipe,
-- as when SIGPIPE ends the process); EXIT_FAIL.
local function write_error(err, code)
  if code ~= 32 then -- (EPIPE)
    io.stderr:write("siqun: write error: ", tostring(err), "\n")
  end
  return EXIT_FAIL
end

--- Writes s to standard output: the exit status.
function M.put(s)
  local ok, err, code = io.stdout:write(s)
  if not ok then return write_error(err, code) end
  return EXIT_OK
end
local put = M.put

--- Writes x (a List of rows or records, or a report document) as args ask:
-- --format (or the -o file's extension), -o FILE|-, --force; the exit
-- status.  opts: more writer options (title, columns, table, article).
function M.emit(cmd, x, args, opts)
  local output = args.output
  local stdout = output == nil or output == "-"
  local fmt, ferr = require("siqun.output").format_of(args.format, not stdout and output or nil)
  if not fmt then return usage_error(cmd, "--format: " .. ferr) end
  local o = { output = stdout and "-" or output, force = args.force }
  -- (the width only where a writer reads it: text, and formats of a
  -- user's; a JSON or CSV never asks for the terminal)
  if fmt == "text" or not require("siqun.writer").writer_builtin(fmt) then
    o.width = text_width(args, 0, stdout)
  end
  for k, v in pairs(opts or {}) do o[k] = v end
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

-- True once a user's Lua file has run (report --load): main then asks the
-- launcher to close the state, so that the finalizers (__gc) of what that
-- file made run before the process ends.
local user_code = false

--- Called before a user's Lua file runs.
function M.user_code() user_code = true end

--- True once M.user_code was called.
function M.user_code_ran() return user_code end

-- ------------------------------------------------------------ commands
-- Each: name, args ({ name, argname, optional }), options (names in
-- OPTIONS); siqun.cli.<name>.run(args) -> exit status does the work.

local COMMANDS = {
  { name = "summary", options = { "data", "summary_width" } },
  { name = "validate", args = { { name = "dir", argname = "DIR", convert = path_of("DIR") } } },
  { name = "quantity", args = { { name = "expr", argname = "EXPR" } } },
  { name = "query", args = { { name = "query", argname = "QUERY" } },
    options = { "data", "format", "output", "force", "width" } },
  { name = "report", args = { { name = "name", argname = "NAME", optional = true } },
    options = { "data", "format", "output", "force", "width", "table", "load", "list" } },
  { name = "scan", args = { { name = "file", argname = "FILE", convert = path_of("FILE") } },
    options = { "format", "output", "force", "width" } },
}
M.COMMANDS, M.OPTIONS = COMMANDS, OPTIONS

--- An error nobody expected, as one line: without the position inside
-- siqun's own modules ("?:-1: ", "siqun/query/parser.lua:12: "), which says
-- nothing to a user.  A user's own file (--load) keeps its position.
function M.internal_message(e)
  local s = tostring(e)
  s = s:gsub("^%?:%-?%d+: ", "")
  s = s:gsub("^[^\n:]*siqun[/.][%w_/.]*:%d+: ", "")
  return (s:match("^[^\n]*"))
end

--- True when e is the error of an interrupt (the launcher's signals).
function M.is_interrupt(e)
  return type(e) == "string" and (e:find("interrupted!?$") ~= nil)
end

M.write_error = write_error -- (for siqun.cli's main)

return M
