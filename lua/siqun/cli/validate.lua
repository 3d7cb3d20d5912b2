--- siqun.cli.validate: `siqun validate DIR`, the dataset in DIR loaded
-- with every check, and its size (siqun.cli declares the command).

local compat = require "siqun.compat"
local cli = require "siqun.cli.common"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua

local M = {}

function M.run(args)
  local art, err = require("siqun").open(args.dir)
  if not art then return cli.fail(err) end
  local tables, rows = 0, 0
  for _, name in ipairs(art:tables()) do
    tables = tables + 1
    rows = rows + #art:table(name)
  end
  return cli.put(("ok: %d tables, %d rows\n"):format(tables, rows))
end

return M
