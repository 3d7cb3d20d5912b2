--- siqun.cli.summary: `siqun summary [--data DIR] [--width N]`, the
-- summary report aligned for a terminal (siqun.terminal_summary through
-- siqun.summary; siqun.cli declares the command).

local cli = require "siqun.cli.common"

local M = {}

function M.run(args)
  local art, err = cli.open_article(args)
  if not art then return cli.fail(err) end
  return cli.put(require("siqun").summary(art, { width = cli.text_width(args, 78, true) }))
end

return M
