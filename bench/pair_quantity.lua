--- quantity: expressions per second through siqun.quantity from Lua, and
-- through siqun_quantity_parse alone (build/bench/quantity_c), against the
-- fastest of npm's chinese-parseint2, chinese-numbers-converter and nzh
-- run by node (bench/quantity.js), all over bench/expressions.txt with the
-- same loop (convert each expression, add up the values).  Lua, C and
-- node cannot share a process: each round measures the three in turn (the
-- order alternating), each after its own warm-up.
--   driver pair_quantity.lua QUANTITY_C_BINARY
package.path = (arg[0]:match("^(.*)/[^/]*$") or ".") .. "/?.lua;" .. package.path
local lib = require "lib"
local siqun = require "siqun"

local BENCH = arg[0]:match("^(.*)/[^/]*$") or "."
local EXPR = BENCH .. "/expressions.txt"
local EXPECTED = lib.OUT .. "/expressions.expected"
local CBIN = arg[1] or (lib.OUT .. "/quantity_c")

local exprs = {}
for line in io.lines(EXPR) do
  if line ~= "" and line:sub(1, 1) ~= "#" then exprs[#exprs + 1] = line end
end
local N = #exprs

-- siqun's values, for the JavaScript side's agreement count
local vals = {}
for i, s in ipairs(exprs) do
  local q = assert(siqun.quantity(s))
  vals[i] = q.value ~= nil and ("%.17g"):format(q.value) or "nil"
end
lib.write_file(EXPECTED, table.concat(vals, "\n") .. "\n")

local quantity = siqun.quantity
local function pass()
  local sum = 0
  for i = 1, N do
    local q = quantity(exprs[i])
    if q then
      local v = q.value
      if v then sum = sum + v end
    end
  end
  return sum
end

local function lua_rate()
  local n = lib.calibrate(pass, 0.1)
  return N / lib.time(pass, n)
end

local function run(cmd)
  local p = assert(io.popen(cmd))
  local out = p:read("a")
  local ok = p:close()
  if not ok then error("failed: " .. cmd .. "\n" .. out) end
  return out
end

local have_node = os.getenv("BENCH_NODE") ~= "0" and
  os.execute("command -v node >/dev/null 2>&1") and true
for _, name in ipairs({ "chinese-parseint2", "chinese-numbers-converter", "nzh" }) do
  local f = io.open(("%s/node_modules/%s/package.json"):format(BENCH, name))
  if f then f:close() else have_node = false end
end

local js = {}        -- name -> { rates }
local agree = {}
local sides = {
  { name = "lua", fn = function() lua_rate(); return lua_rate() end },
  { name = "c", fn = function()
      return tonumber(run(("'%s' '%s'"):format(CBIN, EXPR)):match("rate=(%d+)"))
    end },
}
if have_node then
  sides[#sides + 1] = { name = "js", fn = function(round)
    local out = run(("node '%s/quantity.js' '%s' '%s'"):format(BENCH, EXPR, EXPECTED))
    local best = 0
    for name, rate, a in out:gmatch("JS (%S+) rate=(%d+) (agree=%S+ agreeA=%S+)") do
      rate = tonumber(rate)
      js[name] = js[name] or {}
      if round > 0 then table.insert(js[name], rate) end
      agree[name] = a
      if rate > best then best = rate end
    end
    return best
  end }
end

local res = lib.alternate(lib.rounds(5), sides)
print(("quantity: %d expressions (%s), expressions per second"):format(N, EXPR))
lib.report("siqun.quantity from Lua", "expr/s", res.lua)
lib.report("siqun_quantity_parse in C", "expr/s", res.c)
if have_node then
  local names = {}
  for name in pairs(js) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do
    lib.report("node " .. name, "expr/s", js[name])
    print("    " .. agree[name] .. " (read to siqun's value: all / group A)")
  end
  print("  baseline: the fastest JavaScript library of each round")
  lib.result("quantity", { siqun = lib.median(res.lua), baseline = lib.median(res.js), unit = "expr/s" })
  lib.result("quantity_c", { siqun = lib.median(res.c), baseline = lib.median(res.js), unit = "expr/s" })
else
  lib.result("quantity", { skip = "node_or_npm_packages_not_available", unit = "expr/s" })
  lib.result("quantity_c", { skip = "node_or_npm_packages_not_available", unit = "expr/s" })
end
