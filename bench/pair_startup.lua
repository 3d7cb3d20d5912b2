--- startup: a whole `lua5.4 -e 'require "siqun".open()'` process against
-- `lua5.4 -e ''` (posix_spawn + wait, bench.spawn), LUA_PATH_5_4 and
-- LUA_CPATH_5_4 pointing at the checkout (set by `make bench`).
-- luacheck: read globals bench
package.path = (arg[0]:match("^(.*)/[^/]*$") or ".") .. "/?.lua;" .. package.path
local lib = require "lib"

local LUA = os.getenv("LUA") or "lua5.4"
local RUNS = 20
local cmds = {
  { "siqun", { LUA, "-e", 'require "siqun".open()' } },
  { "empty", { LUA, "-e", "" } },
}
local sides = {}
for _, c in ipairs(cmds) do
  sides[#sides + 1] = { name = c[1], fn = function() return bench.spawn(c[2], RUNS) / RUNS * 1e3 end }
end
local res = lib.alternate(lib.rounds(9), sides)
print(("startup: whole process, %d runs per round (ms per process)"):format(RUNS))
lib.report([[lua5.4 -e 'require "siqun".open()']], "ms", res.siqun)
lib.report([[lua5.4 -e '']], "ms", res.empty)
lib.result("startup", { siqun = lib.median(res.siqun), baseline = lib.median(res.empty), unit = "ms" })
