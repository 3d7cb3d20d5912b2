--- open: a fresh lua_State per run requires siqun, opens the embedded
-- dataset and reads every field of every record; against open_floor
-- (bench/floor.c: the same values made plain tables in one C call, the
-- least a fresh state can pay), with lua-cjson decoding article.json and
-- reading the same fields, dkjson and dofile of article.lua reported.  The chunks are build/bench/open_*.lua
-- (bench/gen.lua); bench.fresh (bench/driver.c) runs and times them.
-- luacheck: read globals bench
package.path = (arg[0]:match("^(.*)/[^/]*$") or ".") .. "/?.lua;" .. package.path
local lib = require "lib"

local SIDES = { "siqun", "cjson", "dkjson", "dofile", "floor" }
local BUDGET = 0.06 -- seconds per measurement

local runs, sums, sides = {}, {}, {}
for _, name in ipairs(SIDES) do
  local chunk = ("%s/open_%s.lua"):format(lib.OUT, name)
  local t1 = bench.fresh(chunk, 3) / 3 -- warm-up, and the size of a batch
  runs[name] = math.max(1, math.floor(BUDGET / t1))
  sides[#sides + 1] = {
    name = name,
    fn = function()
      local t, sum = bench.fresh(chunk, runs[name])
      sums[name] = sum
      return t / runs[name] * 1e3
    end,
  }
end

local res = lib.alternate(lib.rounds(9), sides)
print("open: fresh lua_State, require + open + read every field (ms per run)")
for _, name in ipairs(SIDES) do
  lib.report(("%s (%d runs/round)"):format(name, runs[name]), "ms", res[name])
  print(("    checksum: %s"):format(sums[name]))
  if sums[name] ~= sums.siqun then
    error(("open: %s read different data from siqun (%s / %s)"):format(name, sums[name], sums.siqun))
  end
end
local s = lib.median(res.siqun)
-- The target: against the measuring stick (bench/floor.c), plain tables
-- made in one C call, the least any implementation returning Lua values
-- pays in a fresh state.
lib.result("open", { siqun = s, baseline = lib.median(res.floor), unit = "ms" })
lib.result("open_cjson", { siqun = s, baseline = lib.median(res.cjson), unit = "ms" })
lib.result("open_dkjson", { siqun = s, baseline = lib.median(res.dkjson), unit = "ms" })
lib.result("open_dofile", { siqun = s, baseline = lib.median(res.dofile), unit = "ms" })
-- (the floor against cjson: what any implementation could reach against
-- cjson at all)
lib.result("open_floor", { siqun = lib.median(res.floor), baseline = lib.median(res.cjson),
                           unit = "ms" })
