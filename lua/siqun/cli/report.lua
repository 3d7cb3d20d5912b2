--- siqun.cli.report: `siqun report NAME [-f FORMAT] [-o FILE|- [--force]]
-- [--table T] [--load FILE] [--list]`, a report written as asked
-- (siqun.cli declares the command).

local compat = require "siqun.compat"
local cli = require "siqun.cli.common"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua

local M = {}

-- True when name is one of siqun's own reports.
local function is_builtin(report, name)
  for _, b in ipairs(report.BUILTIN) do
    if b == name then return true end
  end
  return false
end

function M.run(args)
  local report = require "siqun.report"
  for _, path in ipairs(args.load or {}) do
    cli.user_code()
    -- (the file's own error is the user's, said as such: not an internal one)
    local ran, ok, err = pcall(report.load, path)
    if not ran then
      if cli.is_interrupt(ok) or tostring(ok):find("not enough memory", 1, true) then
        error(ok, 0)
      end
      return cli.fail(cli.internal_message(ok)) -- (its file:line names the file)
    end
    if not ok then return cli.fail(err) end
  end
  if args.list then
    local rows = {}
    for _, r in ipairs(report.list()) do rows[#rows + 1] = { r.name, r.description } end
    local lines = require("siqun.text").columns(rows)
    lines[#lines + 1] = "formats: " .. table.concat(report.formats(), ", ")
    return cli.put(table.concat(lines, "\n") .. "\n")
  end
  if not args.name then
    return cli.usage_error("report", "a report NAME is needed (siqun report --list shows them)")
  end
  local art, err = cli.open_article(args)
  if not art then return cli.fail(err) end
  if not report.get(args.name) then
    local _, gerr = report.get(args.name)
    return cli.fail(gerr)
  end
  local ok, doc, berr = pcall(report.build, args.name, art, { table = args.table })
  if not ok then
    -- a report of the user's (--load) failing is their error, said as
    -- such; a built-in one failing is ours (an internal error, in main)
    if is_builtin(report, args.name) or cli.is_interrupt(doc)
       or tostring(doc):find("not enough memory", 1, true) then
      error(doc, 0)
    end
    local msg = cli.internal_message(doc)
    if not msg:find("^report '") then msg = ("report '%s': %s"):format(args.name, msg) end
    return cli.fail(msg)
  end
  if not doc then return cli.fail(berr) end
  return cli.emit("report", doc, args, { table = args.table, article = art })
end

return M
