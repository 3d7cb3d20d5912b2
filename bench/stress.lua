-- Stress: 10 MB of random bytes and 10 MB of random CJK numerals, units,
-- qualifiers and digits through siqun.scan and siqun.quantity.  Every call
-- must end in a result or an error (a crash ends the process), and the time
-- must grow linearly: each 10 MB run is reported as a ratio against the
-- 1 MB run of the same input kind measured in the same process.
--   lua5.4 bench/stress.lua        (run by `make stress`)

package.path = (arg[0]:match("^(.*)/[^/]*$") or ".") .. "/?.lua;" .. package.path
local lib = require "lib"         -- rng: xorshift64*, deterministic across runs
local siqun = require "siqun"

local function random_bytes(size, seed)
  local r, t = lib.rng(seed), {}
  for i = 1, size // 8 do t[i] = string.pack("<i8", r()) end
  return table.concat(t)
end

local PIECES = {}
for _, c in utf8.codes("零〇一二三四五六七八九十百千万亿两壹贰叁拾佰仟萬億點点余多个年月日人元" ..
                       "至到约近不少于以上左右分之成%％～-.,/0123456789０１２老百姓一起统") do
  PIECES[#PIECES + 1] = utf8.char(c)
end
local function random_cjk(size, seed)
  local r = lib.rng(seed)
  return lib.concat_until(size, function() return PIECES[1 + r(#PIECES)] end)
end

-- Runs both functions over s; returns seconds, quantities found, parse
-- results and parse errors.
local function run(s)
  local t0 = os.clock()
  local found = 0
  for q in siqun.scan(s) do
    found = found + 1
    assert(s:sub(q.start, q.stop) == q.text)
  end
  local ok, bad, i = 0, 0, 1
  while i <= #s do            -- the parser on consecutive 1..24-byte slices
    local n = 1 + (i * 7919) % 24
    local q, err = siqun.quantity(s:sub(i, i + n - 1))
    if q then ok = ok + 1 else assert(type(err) == "string"); bad = bad + 1 end
    i = i + n
  end
  assert(not siqun.quantity(s))   -- the whole input as one expression
  return os.clock() - t0, found, ok, bad
end

local MB = 1 << 20
local worst = 0
for _, kind in ipairs({ { "random bytes", random_bytes }, { "random CJK+digits", random_cjk } }) do
  local name, make = kind[1], kind[2]
  local small, large = make(MB, 7), make(10 * MB, 7)
  local t1 = run(small)
  local t10, found, ok, bad = run(large)
  local ratio = t10 / t1
  worst = math.max(worst, ratio)
  print(("%-18s 1 MB %.3f s, 10 MB %.3f s, ratio %.1f (linear: 10); 10 MB: %d found by scan, %d parsed, %d refused")
    :format(name, t1, t10, ratio, found, ok, bad))
end
print(("STRESS ratio_10MB_over_1MB=%.1f target<=15 %s"):format(worst, worst <= 15 and "ok" or "MISS"))
