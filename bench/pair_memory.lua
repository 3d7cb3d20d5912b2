--- memory: bytes held after siqun.open() against after cjson.decode of
-- article.json, each in a fresh lua_State with the driver's counting
-- allocator (bench.mem): the Lua heap plus what C code allocates through
-- lua_getallocf (the core's dataset arena).  dkjson and dofile: shown.
-- luacheck: read globals bench
package.path = (arg[0]:match("^(.*)/[^/]*$") or ".") .. "/?.lua;" .. package.path
local lib = require "lib"

local SIDES = { "siqun", "cjson", "dkjson", "dofile" }
local lua_heap = {}
local sides = {}
for _, name in ipairs(SIDES) do
  sides[#sides + 1] = {
    name = name,
    fn = function()
      local total, heap = bench.mem(("%s/open_%s.lua"):format(lib.OUT, name))
      lua_heap[name] = heap
      return total / 1024
    end,
  }
end
local res = lib.alternate(lib.rounds(5), sides)
print("memory: growth from open() after a full collection (KiB; total = Lua heap + C via lua_getallocf)")
for _, name in ipairs(SIDES) do
  local total = lib.median(res[name])
  print(("  %-8s total %8.1f KiB  Lua heap %8.1f KiB  C side %8.1f KiB"):format(
    name, total, lua_heap[name] / 1024, total - lua_heap[name] / 1024))
end
lib.result("memory", { siqun = lib.median(res.siqun), baseline = lib.median(res.cjson),
                       unit = "KiB" })
