--- query: a compiled query (siqun.compile(text):run(art)) against the
-- hand-written Lua loop over the same Article's records that selects the
-- same records.  Prints a SKIP result when siqun.compile is absent.
package.path = (arg[0]:match("^(.*)/[^/]*$") or ".") .. "/?.lua;" .. package.path
local lib = require "lib"
local siqun = require "siqun"

local TEXT = "figures where value >= 100000 and qualifier = 'exact'"
local art = assert(siqun.open())
local figs = art.figures

local function by_hand()
  local out, n = {}, 0
  for i = 1, #figs do
    local f = figs[i]
    local v = f.value
    if v ~= nil and v >= 100000 and f.qualifier == "exact" then
      n = n + 1
      out[n] = f
    end
  end
  return out
end

local compile = rawget(siqun, "compile")
if type(compile) ~= "function" then
  local n = lib.calibrate(by_hand, 0.05)
  lib.result("query", { skip = "siqun.query_not_available",
                        baseline = lib.time(by_hand, n) * 1e6, unit = "us" })
  return
end

local q = compile(TEXT)
local function with_query() return q:run(art) end

local a, b = with_query(), by_hand()
assert(#a == #b and #b > 0, "query: results differ")
for i = 1, #b do assert(a[i] == b[i], "query: results differ") end

local sides = lib.timed_sides({ { "siqun", with_query }, { "hand", by_hand } }, 0.05,
                              function(t) return t * 1e6 end)
local res = lib.alternate(lib.rounds(15), sides)
print(("query: %q, %d of %d figures (us per run)"):format(TEXT, #b, #figs))
lib.report("siqun compiled query", "us", res.siqun)
lib.report("hand-written loop", "us", res.hand)
lib.result("query", { siqun = lib.median(res.siqun), baseline = lib.median(res.hand), unit = "us" })
