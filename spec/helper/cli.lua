-- The command line for the specs: bin/siqun run under the Lua being tested
-- (spec/lua_version.lua), with the checkout's modules.
--
--   local cli = require "spec.helper.cli"
--   local out, err, code = cli.run({ "query", "figures", "-f", "json" },
--                                  { stdin = "...", env = "COLUMNS=60", redirect = ">/dev/full" })
--   cli.quote(s)    s quoted for sh

local V = require "spec.lua_version"
local files = require "spec.helper.files"

local M = {}

function M.quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

local ENV = V.env("lua/?.lua;lua/?/init.lua;;", V.cpath .. ";;")

--- Runs bin/siqun with the words of args (quoted for the shell); opts.stdin
-- (text on standard input, else none), opts.env ("NAME=value ..."),
-- opts.prefix (shell text run first, e.g. "ulimit -v 150000;"), opts.tty
-- (a terminal of that many columns, through script(1)),
-- opts.stdout (a shell redirection replacing the captured output, e.g.
-- ">/dev/full").  Returns stdout, stderr and the exit status.
function M.run(args, opts)
  opts = opts or {}
  local words = {}
  for i, a in ipairs(args) do words[i] = M.quote(a) end
  local dir = files.tmpdir()
  local out, err, input = dir .. "/out", dir .. "/err", dir .. "/in"
  files.write(input, opts.stdin or "")
  -- (COLUMNS from the caller's shell would change text output)
  local command = ("env -u COLUMNS %s %s %s bin/siqun %s"):format(
    opts.env or "", ENV, V.lua, table.concat(words, " "))
  local cmd
  if opts.tty then -- on a terminal of opts.tty columns (script(1); output in CRLF lines)
    cmd = ("%s script -qec %s /dev/null <%s >%s 2>%s"):format(opts.prefix or "",
      M.quote(("stty cols %d rows 20; %s"):format(opts.tty, command)), input, out, err)
  else
    cmd = ("%s %s <%s %s 2>%s"):format(opts.prefix or "", command, input,
      opts.stdout or (">" .. out), err)
  end
  local _, _, code = V.execute(cmd)
  return files.read_optional(out) or "", files.read(err), code
end

return M
