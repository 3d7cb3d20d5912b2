--- scale: siqun.open(dir) on the data package replicated 1, 10, 100 and
-- 1000 times (build/bench/scale_<k>, bench/gen.lua); time per row.  The
-- sizes take turns in every round.
package.path = (arg[0]:match("^(.*)/[^/]*$") or ".") .. "/?.lua;" .. package.path
local lib = require "lib"
local siqun = require "siqun"

local SIZES = { 1, 10, 100, 1000 }
local rows = {}
for _, k in ipairs(SIZES) do
  local ds = assert(require("siqun.core").open(("%s/scale_%d"):format(lib.OUT, k)))
  local n = 0
  for _, name in ipairs(ds:tables()) do n = n + #ds:table(name) end
  ds:close()
  rows[k] = n
end

local function open_once(dir)
  local art = assert(siqun.open(dir))
  art:close()
end

local opens = {}
for _, k in ipairs(SIZES) do
  local dir = ("%s/scale_%d"):format(lib.OUT, k)
  opens[#opens + 1] = { k, function() open_once(dir) end, collectgarbage }
end
local sides = lib.timed_sides(opens, 0.05, function(t, k) return t / rows[k] * 1e6 end)
local res = lib.alternate(lib.rounds(5), sides)
print("scale: siqun.open(dir), time per row (us)")
for _, k in ipairs(SIZES) do
  lib.report(("%dx (%d rows)"):format(k, rows[k]), "us/row", res[k])
end
local meds = {}
for i, k in ipairs(SIZES) do meds[i] = lib.median(res[k]) end
print(("  spread max/min over the sizes: %.2f"):format(math.max(table.unpack(meds)) /
                                                        math.min(table.unpack(meds))))
lib.result("scale", { siqun = lib.median(res[1000]), baseline = lib.median(res[1]), unit = "us/row" })
