--- scan: MB/s of siqun.scan over build/bench/scan.txt (generated text, see
-- bench/gen.lua) against utf8.len over the same text (a C loop that only
-- decodes UTF-8).
package.path = (arg[0]:match("^(.*)/[^/]*$") or ".") .. "/?.lua;" .. package.path
local lib = require "lib"
local siqun = require "siqun"

local text = lib.read_file(lib.OUT .. "/scan.txt")
local scan = siqun.scan
local found = 0

local function with_scan()
  local n = 0
  for _ in scan(text) do n = n + 1 end
  found = n
end

local function with_utf8len()
  assert(utf8.len(text))
end

local MB = #text / 1e6
local sides = lib.timed_sides({ { "siqun", with_scan }, { "utf8len", with_utf8len } }, 0.1,
                              function(t) return MB / t end)
local res = lib.alternate(lib.rounds(9), sides)
print(("scan: %.2f MB of generated text, %d quantities found (MB/s)"):format(MB, found))
lib.report("siqun.scan", "MB/s", res.siqun)
lib.report("utf8.len", "MB/s", res.utf8len)
lib.result("scan", { siqun = lib.median(res.siqun), baseline = lib.median(res.utf8len),
                     unit = "MB/s" })
