--- Helpers shared by the benchmark scripts (run by build/bench/driver,
-- which provides the global `bench`; see bench/driver.c).  bench/stress.lua
-- runs under plain lua5.4: it uses only what does not need `bench`.

-- luacheck: read globals bench
local M = {}

M.OUT = os.getenv("BENCH_OUT") or "build/bench"
M.QUICK = os.getenv("BENCH_QUICK") == "1"

--- Number of rounds: fewer in quick mode (BENCH_QUICK=1, for development).
function M.rounds(n)
  if M.QUICK then return math.max(3, n // 3) end
  return n
end

function M.median(t)
  local s = table.move(t, 1, #t, 1, {})
  table.sort(s)
  local n = #s
  if n == 0 then return nil end
  if n % 2 == 1 then return s[(n + 1) // 2] end
  return (s[n // 2] + s[n // 2 + 1]) / 2
end

function M.min(t)
  local m = math.huge
  for _, v in ipairs(t) do if v < m then m = v end end
  return m
end

--- Spread of a sample: (max - min) / median, as a percentage.
function M.spread(t)
  local lo, hi = math.huge, -math.huge
  for _, v in ipairs(t) do
    if v < lo then lo = v end
    if v > hi then hi = v end
  end
  local med = M.median(t)
  if not med or med == 0 then return 0 end
  return (hi - lo) / med * 100
end

--- Deterministic generator (xorshift64*): r() an integer, r(n) in 0..n-1.
function M.rng(seed)
  local x = seed
  return function(n)
    x = x ~ (x << 13); x = x ~ (x >> 7); x = x ~ (x << 17)
    if n then return (x >> 1) % n end
    return x
  end
end

--- The strings next_piece() returns, concatenated until they hold at
-- least size bytes.
function M.concat_until(size, next_piece)
  local out, n = {}, 0
  while n < size do
    local p = next_piece()
    out[#out + 1] = p
    n = n + #p
  end
  return table.concat(out)
end

--- Runs side functions in alternation: rounds (after one warm-up round
-- that is not kept), each side once per round, the order of the sides
-- reversed every other round.  Each side is function(round) -> number (a
-- measurement; round 0 is the warm-up).  Returns { [name] = { measurements } }.
function M.alternate(rounds, sides)
  local res = {}
  for _, s in ipairs(sides) do res[s.name] = {} end
  for r = 0, rounds do
    local first, last, step = 1, #sides, 1
    if r % 2 == 1 then first, last, step = #sides, 1, -1 end
    for i = first, last, step do
      local s = sides[i]
      local v = s.fn(r)
      if r > 0 then table.insert(res[s.name], v) end
    end
  end
  return res
end

--- Seconds for one call of fn, timed over enough repetitions to last about
-- `budget` seconds (calibrated once: call M.calibrate first).
function M.calibrate(fn, budget)
  local n = 1
  while true do
    local t0 = bench.clock()
    for _ = 1, n do fn() end
    local t = bench.clock() - t0
    if t >= budget / 4 or n >= 1 << 24 then
      return math.max(1, math.floor(n * budget / math.max(t, 1e-9)))
    end
    n = n * 4
  end
end

function M.time(fn, n)
  local t0 = bench.clock()
  for _ = 1, n do fn() end
  return (bench.clock() - t0) / n
end

--- Sides for M.alternate, one per { name, fn [, before] } of list: fn is
-- timed over a batch calibrated to about `budget` seconds (M.calibrate,
-- now, in list order), and a measurement is measure(seconds per call of
-- fn, name); before(), when given, runs untimed ahead of each batch.
function M.timed_sides(list, budget, measure)
  local sides = {}
  for _, s in ipairs(list) do
    local name, fn, before = s[1], s[2], s[3]
    local n = M.calibrate(fn, budget)
    sides[#sides + 1] = { name = name, fn = function()
      if before then before() end
      return measure(M.time(fn, n), name)
    end }
  end
  return sides
end

--- The line the orchestrator collects (one per comparison).
function M.result(name, fields)
  local keys = {}
  for k in pairs(fields) do keys[#keys + 1] = k end
  table.sort(keys)
  local parts = { "RESULT", name }
  for _, k in ipairs(keys) do parts[#parts + 1] = k .. "=" .. tostring(fields[k]) end
  print(table.concat(parts, " "))
  io.stdout:flush()
end

--- "%.4g" without exponent noise for the usual magnitudes.
function M.num(x)
  if x == nil then return "nil" end
  if x ~= x then return "nan" end
  local a = math.abs(x)
  if a >= 1e6 then return ("%.0f"):format(x) end
  if a >= 100 then return ("%.1f"):format(x) end
  if a >= 1 then return ("%.3f"):format(x) end
  return ("%.4g"):format(x)
end

function M.read_file(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

function M.write_file(path, s)
  local f = assert(io.open(path, "wb"))
  assert(f:write(s))
  assert(f:close())
end

function M.report(label, unit, samples)
  print(("  %-28s median %s %s  (min %s, spread %.1f%%, %d rounds)"):format(
    label, M.num(M.median(samples)), unit, M.num(M.min(samples)), M.spread(samples), #samples))
end

return M
