-- `make test`'s output filter: prove's lines as they come, except that the
-- specs that skipped (busted's pending: "ok N - # SKIP file:line: why",
-- which prove --directives shows) are also listed, with their reasons,
-- just before prove's summary, so that the last lines of a run say what
-- was not checked.  Reads "status N" (prove's exit status) as its last
-- input line and exits with it.
--
--   { prove --directives ... 2>&1; echo "status $?"; } | lua5.4 spec/skips.lua

local skips, status = {}, 1
local held = false
local function flush_skips()
  if held then return end
  held = true
  if #skips == 0 then return end
  io.write(("%d spec%s skipped (not checked here):\n"):format(#skips, #skips == 1 and "" or "s"))
  for _, s in ipairs(skips) do io.write("  ", s, "\n") end
end

for line in io.lines() do
  local n = line:match("^status (%d+)$")
  if n then
    status = tonumber(n)
  else
    local why = line:match("^ok %d+ %- # SKIP (.*)$")
    if why then skips[#skips + 1] = why end
    if line:match("^All tests successful") or line:match("^Test Summary Report") then
      flush_skips()
    end
    io.write(line, "\n")
    io.flush()
  end
end
flush_skips()
os.exit(status)
