--- siqun.cli: the `siqun` command (bin/siqun from a checkout; installed,
-- the compiled launcher).  main(argv) runs one command and returns the
-- exit status (and whether the state must be closed, below): 0 on success, 1 for a bad dataset or expression or a write
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
-- The commands and their options are declared once (COMMANDS, OPTIONS);
-- each command's work is a module of its own, siqun.cli.<command>, loaded
-- only for that command.  A command line of known options is read by a
-- small parser here; siqun.cli.usage (argparse's parser, built from the
-- same declarations, and the help texts) is loaded only for help and
-- usage errors, which keeps a query as quick to start as sqlite3.  The
-- declarations and the helpers the commands share (fail, put, emit ...)
-- are siqun.cli.common's.

local compat = require "siqun.compat"
local common = require "siqun.cli.common"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua

-- (the helpers the commands share are siqun.cli.common's, and this
-- module's too, as they always were)
local M = {}
for k, v in pairs(common) do M[k] = v end

local EXIT_FAIL = common.EXIT_FAIL
local COMMANDS, OPTIONS = common.COMMANDS, common.OPTIONS
local write_error = common.write_error

local function lib() return require "siqun" end

local BY_NAME = {}
for _, c in ipairs(COMMANDS) do BY_NAME[c.name] = c end

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
          return nil -- (given twice: argparse decides, and takes the last)
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
    local v = positional[k]
    if v == nil and not a.optional then return nil end
    if v ~= nil and a.convert then
      v = a.convert(v)
      if v == nil then return nil end
    end
    args[a.name] = v
  end
  return args
end

-- ------------------------------------------------------------ running

-- Flushes standard output: the exit status (a write error is one line on
-- stderr and status 1; a closed pipe is silent, as when SIGPIPE kills).
local function finish(status)
  local ok, err, code = io.stdout:flush()
  if ok then return status end
  return write_error(err, code)
end

-- main's work: the exit status.
local function run(argv)
  local args = quick_parse(argv)
  if not args then
    local status
    args, status = require("siqun.cli.usage").parse(COMMANDS, OPTIONS, lib, argv)
    if not args then return finish(status) end
  end
  local debug_on = os.getenv("SIQUN_DEBUG")
  debug_on = debug_on ~= nil and debug_on ~= "" and debug_on ~= "0"
  local trace
  -- (a closure: Lua 5.1's xpcall passes no arguments)
  local ok, status = xpcall(function()
    return require("siqun.cli." .. args.command).run(args)
  end, function(e)
    if debug_on then trace = debug.traceback(tostring(e), 2) end
    return e
  end)
  if ok then return finish(status) end
  if M.is_interrupt(status) then -- (SIGINT; the launcher also turns SIGTERM, SIGHUP into this)
    io.stderr:write("siqun: interrupted\n")
    return 130
  end
  local msg = tostring(status)
  if msg:find("not enough memory", 1, true) then
    io.stderr:write("siqun: not enough memory\n")
  else
    io.stderr:write("siqun: internal error: ", M.internal_message(status),
                    debug_on and "" or " (SIQUN_DEBUG=1 shows where)", "\n")
    if trace then io.stderr:write(trace, "\n") end
  end
  return finish(EXIT_FAIL)
end

--- Runs the command line argv (arg, without the script name) and returns
-- the exit status; standard output is flushed (and a failure to write it
-- is reported).  SIQUN_DEBUG=1 shows the traceback of an internal error.
-- A second result, true, says that a user's Lua file ran (report --load):
-- the state must then be closed (lua_close, os.exit(status, true)) for
-- the finalizers of what it made; the compiled launcher otherwise leaves
-- the state to the end of the process.
function M.main(argv)
  local status = run(argv)
  return status, common.user_code_ran()
end

return M
