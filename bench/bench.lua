--- `make bench`: siqun against what a user would otherwise pick (issue 7).
-- Run by build/bench/driver (bench/driver.c) from the checkout:
--
--   build/bench/driver bench/bench.lua [NAME...]     (all when no NAME)
--
-- Generates the inputs into build/bench/ (bench/gen.lua), installs the
-- JavaScript converters into bench/node_modules when missing, runs each
-- comparison in a process of its own (bench/pair_<name>.lua, through the
-- driver), then prints one line per comparison:
--
--   BENCH <name> siqun=<x> baseline=<y> unit=<u> ratio=<x/y> target=<t> <ok|MISS>
--
-- Environment: BENCH_QUICK=1 runs fewer rounds (development only);
-- BENCH_NODE=0 skips the JavaScript side.  Nothing here fails a build:
-- the exit status is 0 whatever the results (1 only when a side breaks).
-- luacheck: read globals bench
package.path = (arg[0]:match("^(.*)/[^/]*$") or ".") .. "/?.lua;" .. package.path
local lib = require "lib"

local BENCH = arg[0]:match("^(.*)/[^/]*$") or "."
local DRIVER = arg[-1]
local SCALES = { 1, 10, 100, 1000 }
local SCAN_BYTES = 4 << 20
local NPM_PACKAGES = { "chinese-parseint2@2.0.6", "chinese-numbers-converter@2.3.1", "nzh@1.0.14" }

-- name, script, the ratio's direction and target; ratio = siqun / baseline
-- (open: against open_floor, the least a fresh lua_State can pay for these
-- values, measured in the same run; open_cjson is reported)
local COMPARISONS = {
  { "open", "pair_open.lua", "<=", 1.2 },
  { "filter", "pair_filter.lua", "<=", 2 },
  { "query", "pair_query.lua", "<=", 1.5 },
  { "quantity", "pair_quantity.lua", ">=", 1.5 },
  { "quantity_c", nil, ">=", 10 },          -- printed by pair_quantity.lua
  { "scan", "pair_scan.lua", ">=", 0.5 },
  { "memory", "pair_memory.lua", "<=", 0.5 },
  { "startup", "pair_startup.lua", "<=", 1.5 },
  { "scale", "pair_scale.lua", "<=", 2 },
  { "cli", "pair_cli.lua", "<=", 1.0 },
}
-- reported, no target
local REPORTED = { "open_cjson", "open_dkjson", "open_dofile", "open_floor" }

local wanted = {}
for i = 1, select("#", ...) do wanted[select(i, ...)] = true end
local function want(name)
  if next(wanted) == nil then return true end
  return wanted[name] or (name == "quantity_c" and wanted.quantity)
end

local function sh(cmd)
  local ok = os.execute(cmd)
  return ok == true
end

local function quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

-- ------------------------------------------------------------- inputs

local t0 = bench.clock()
sh("mkdir -p " .. quote(lib.OUT))
local gen = require "gen"
local _, rows = gen.all(lib.OUT, BENCH .. "/../data", SCALES, SCAN_BYTES)
print(("inputs: %s/{article.json,article.lua,open_*.lua,scan.txt,scale_*} (%.1f s; rows %s)")
  :format(lib.OUT, bench.clock() - t0,
          table.concat((function()
            local t = {}
            for _, k in ipairs(SCALES) do t[#t + 1] = k .. "x=" .. rows[k] end
            return t
          end)(), ", ")))

-- The JavaScript converters, into bench/node_modules (git-ignored).
if want("quantity") and os.getenv("BENCH_NODE") ~= "0" then
  local missing = false
  for _, p in ipairs(NPM_PACKAGES) do
    local name = p:match("^(.-)@")
    local f = io.open(("%s/node_modules/%s/package.json"):format(BENCH, name))
    if f then f:close() else missing = true end
  end
  if missing then
    if sh("command -v npm >/dev/null 2>&1") then
      print("installing the JavaScript converters into " .. BENCH .. "/node_modules")
      sh(("npm install --no-save --no-audit --no-fund --prefix %s %s"):format(
        quote(BENCH), table.concat(NPM_PACKAGES, " ")))
    else
      print("npm not found: the JavaScript side of quantity is skipped")
    end
  end
end

-- -------------------------------------------------------- comparisons

local results, failed = {}, false
local function run_pair(script, args)
  local cmd = ("%s %s %s 2>&1"):format(quote(DRIVER), quote(BENCH .. "/" .. script), args or "")
  print(("\n--- %s"):format(script))
  io.stdout:flush()
  local p = assert(io.popen(cmd))
  for line in p:lines() do
    local name, rest = line:match("^RESULT (%S+) (.*)$")
    if name then
      local r = {}
      for k, v in rest:gmatch("(%w+)=(%S+)") do r[k] = tonumber(v) or v end
      results[name] = r
    else
      print(line)
      io.stdout:flush()
    end
  end
  if not p:close() then
    failed = true
    print(("%s failed"):format(script))
  end
end

for _, c in ipairs(COMPARISONS) do
  if c[2] and want(c[1]) then
    run_pair(c[2], c[1] == "quantity" and quote(lib.OUT .. "/quantity_c") or nil)
  end
end

-- ------------------------------------------------------------ summary

local function fmt(x)
  if type(x) ~= "number" then return tostring(x) end
  if math.abs(x) >= 1000 then return ("%.0f"):format(x) end
  return ("%.4g"):format(x)
end

print(("\nbench: %.0f s in all"):format(bench.clock() - t0))
for _, name in ipairs(REPORTED) do
  local r = results[name]
  if r and r.siqun then
    print(("REPORT %s siqun=%s baseline=%s unit=%s ratio=%s (no target)"):format(
      name, fmt(r.siqun), fmt(r.baseline), r.unit, fmt(r.siqun / r.baseline)))
  end
end
for _, c in ipairs(COMPARISONS) do
  local name, dir, target = c[1], c[3], c[4]
  local r = results[name]
  if want(name) then
    if r == nil then
      print(("BENCH %s siqun=- baseline=- unit=- ratio=- target=%s%s MISS (no result)")
        :format(name, dir, fmt(target)))
    elseif r.skip then
      print(("BENCH %s siqun=- baseline=%s unit=%s ratio=- target=%s%s SKIP (%s)")
        :format(name, fmt(r.baseline or "-"), r.unit or "-", dir, fmt(target),
                tostring(r.skip):gsub("_", " ")))
    else
      local ratio = r.siqun / r.baseline
      local ok = (dir == "<=" and ratio <= target) or (dir == ">=" and ratio >= target)
      print(("BENCH %s siqun=%s baseline=%s unit=%s ratio=%.3g target=%s%s %s"):format(
        name, fmt(r.siqun), fmt(r.baseline), r.unit, ratio, dir, fmt(target),
        ok and "ok" or "MISS"))
    end
  end
end
if failed then os.exit(1) end
