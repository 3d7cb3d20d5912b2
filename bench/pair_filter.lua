--- filter: one pass over the figures with a field predicate
-- (List:filter), repeated, against the same loop over plain Lua tables
-- (article.lua, the same records).
package.path = (arg[0]:match("^(.*)/[^/]*$") or ".") .. "/?.lua;" .. package.path
local lib = require "lib"
local siqun = require "siqun"

local art = assert(siqun.open())
local plain = dofile(lib.OUT .. "/article.lua")
local figs, pfigs = art.figures, plain.figures

local function pred(f)
  local v = f.value
  return v ~= nil and v >= 100000
end

local function with_siqun() return figs:filter(pred) end

local function with_tables()
  local out, n = {}, 0
  for i = 1, #pfigs do
    local f = pfigs[i]
    if pred(f) then
      n = n + 1
      out[n] = f
    end
  end
  return out
end

assert(#with_siqun() == #with_tables() and #with_tables() > 0, "filter: results differ")

local sides = lib.timed_sides({ { "siqun", with_siqun }, { "tables", with_tables } }, 0.05,
                              function(t) return t * 1e6 end)
local res = lib.alternate(lib.rounds(15), sides)
print(("filter: %d figures, %d kept (us per pass)"):format(#pfigs, #with_tables()))
lib.report("siqun List:filter", "us", res.siqun)
lib.report("plain tables loop", "us", res.tables)
lib.result("filter", { siqun = lib.median(res.siqun), baseline = lib.median(res.tables), unit = "us" })
