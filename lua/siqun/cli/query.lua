--- siqun.cli.query: `siqun query QUERY|- [-f FORMAT] [-o FILE|- [--force]]
-- [--width N] [--data DIR]`, a query's records or rows written as asked
-- (siqun.cli declares the command).

local cli = require "siqun.cli.common"

local M = {}

function M.run(args)
  local text = args.query
  if text == "-" then
    local err
    text, err = io.stdin:read("*a")
    if not text then return cli.fail("standard input: " .. tostring(err)) end
    text = text:gsub("%s+$", "")
  end
  local siqun = require "siqun"
  local art, err = cli.open_article(args)
  if not art then return cli.fail(err) end
  local rows, qerr = siqun.safe.query(art, text)
  if not rows then return cli.fail(qerr) end
  -- (the title on one line: a query read from a file may span several)
  local title = text:gsub("%s+", " "):gsub("^ ", "")
  return cli.emit("query", rows, args, { title = title })
end

return M
